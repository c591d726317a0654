// netdim import, forward and export --onnx as a user runs them: a network out to ONNX and back, the
// same outputs from the .net file, the .onnx model and the imported pair, and the refusals.
#include <doctest/doctest.h>

#include "tests/cli/netdim_process.hpp"

namespace netdim::testing {

namespace {
const std::string kMlp = (kExamples / "esd2020" / "fig5_mlp.net").string();

void write_inputs(const fs::path& path) {
  // A .npy of 4 inputs [4, 3], float64, written as the format says.
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 3), }";
  header.append(128 - 10 - header.size() - 1, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size());
  bytes += '\0';
  bytes += header;
  for (int i = 0; i < 12; ++i) {
    const double v = 0.25 * i - 1.3;
    bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  write(path, bytes);
}
}  // namespace

TEST_CASE("export --onnx, import and forward: the model, the .onnx file and the imported pair agree") {
  const TempDir dir("onnx_round_trip");
  const std::string onnx = (dir / "m.onnx").string(), net = (dir / "m.net").string(), npy = (dir / "m.npy").string();
  const std::string x = (dir / "x.npy").string();
  write_inputs(x);
  Run r = run_netdim({"export", kMlp, "--onnx", onnx, "--seed", "7", "--dtype", "float64"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("parameters (drawn with seed 7, float64), opset 17") != std::string::npos);
  r = run_netdim({"import", onnx, "-o", net, "--params", npy});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const Run original = run_netdim({"check", kMlp}), imported = run_netdim({"check", net});
  CHECK(imported.code == 0);
  CHECK(read(net).rfind("netdim 1\n# Imported by netdim from m.onnx (netdim ", 0) == 0);

  // Outputs: the .net file at the seed, the .onnx model at its own weights, the imported pair.
  r = run_netdim({"forward", kMlp, "--inputs", x, "--seed", "7", "-o", (dir / "y0.npy").string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  r = run_netdim({"forward", onnx, "--inputs", x, "--params", onnx, "-o", (dir / "y1.npy").string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  r = run_netdim({"forward", net, "--inputs", x, "--params", npy, "-o", (dir / "y2.npy").string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(read(dir / "y0.npy") == read(dir / "y1.npy"));
  CHECK(read(dir / "y0.npy") == read(dir / "y2.npy"));
  // The .onnx model's weights on the hand-written file: the same architecture, so they fit.
  r = run_netdim({"forward", kMlp, "--inputs", x, "--params", onnx, "-o", (dir / "y3.npy").string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(read(dir / "y0.npy") == read(dir / "y3.npy"));
  // Without --params the .onnx file's architecture is drawn afresh, as for a .net file.
  r = run_netdim({"forward", onnx, "--inputs", x, "--seed", "7", "-o", (dir / "y4.npy").string()});
  CHECK(read(dir / "y0.npy") == read(dir / "y4.npy"));
  // float32 forward: the same shape, 4-byte entries.
  r = run_netdim({"forward", onnx, "--inputs", x, "--params", onnx, "--dtype", "float32", "-o", (dir / "y5.npy").string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(read(dir / "y5.npy").size() + 4 * 4 == read(dir / "y0.npy").size());
  // The analyses take the model directly.
  r = run_netdim({"jacobian", onnx, "--inputs", x, "--params", onnx, "-o", (dir / "j.npy").string()});
  CHECK_MESSAGE(r.code == 0, r.err);
  r = run_netdim({"params", onnx});
  CHECK(r.code == 0);
  CHECK(r.out == run_netdim({"params", kMlp}).out);
  // The ESD at the model's own weights, on its own data: stated in the output, and the same from
  // the .onnx model, the imported pair and the hand-written file.
  const std::vector<std::string> esd_args{"--inputs", x, "--points", "3", "--samples", "3", "--json"};
  std::vector<std::string> a1{"esd", onnx, "--params", onnx}, a2{"esd", net, "--params", npy}, a3{"esd", kMlp, "--params", onnx};
  for (auto* a : {&a1, &a2, &a3}) a->insert(a->end(), esd_args.begin(), esd_args.end());
  const Run e1 = run_netdim(a1), e2 = run_netdim(a2), e3 = run_netdim(a3);
  REQUIRE_MESSAGE(e1.code == 0, e1.err);
  CHECK(e1.out.find("\"params\": \"given:" + onnx + "\"") != std::string::npos);
  const auto esd_line = [](const std::string& out) { return out.substr(0, out.find("\"protocol\"")); };
  CHECK(esd_line(e1.out) == esd_line(e2.out));
  CHECK(esd_line(e1.out) == esd_line(e3.out));
  r = run_netdim({"esd", kMlp, "--samples", "2", "--json"});
  CHECK(r.out.find("\"params\": \"drawn\"") != std::string::npos);
  r = run_netdim({"dims", onnx, "--params", onnx, "--samples", "2"});
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("at the given parameters") != std::string::npos);
  r = run_netdim({"spectrum", onnx, "--params", onnx});
  CHECK_MESSAGE(r.code == 0, r.err);
  // --params and --init exclude each other; --params with two networks is refused.
  CHECK(run_netdim({"esd", kMlp, "--params", npy, "--init", "he"}).code == 2);
  check_one_line_error(run_netdim({"dims", kMlp, kMlp, "--params", npy}), 1);
}

TEST_CASE("import, forward and export refuse bad input in one line") {
  const TempDir dir("onnx_refusals");
  const std::string bad = (dir / "bad.onnx").string(), x = (dir / "x.npy").string();
  write(bad, "this is not a protobuf \xff\xff");
  write_inputs(x);
  Run r = run_netdim({"import", bad, "-o", (dir / "m.net").string()});
  check_one_line_error(r, 1);
  CHECK(r.err == "netdim: error: " + bad + ": not an ONNX model: the protobuf is malformed or truncated\n");
  CHECK_FALSE(fs::exists(dir / "m.net"));
  r = run_netdim({"esd", bad});
  check_one_line_error(r, 1);
  // The output may not replace the model.
  const std::string onnx = (dir / "m.onnx").string();
  REQUIRE(run_netdim({"export", kMlp, "--onnx", onnx}).code == 0);
  r = run_netdim({"import", onnx, "-o", onnx});
  check_one_line_error(r, 1);
  // --params of another architecture, or of the wrong length.
  r = run_netdim({"forward", (kExamples / "esd2020" / "fig1_relu.net").string(), "--inputs", x, "--params", onnx, "-o",
                  (dir / "y.npy").string()});
  check_one_line_error(r, 1);
  CHECK(r.err.find("is not the network's") != std::string::npos);
  r = run_netdim({"forward", kMlp, "--inputs", (dir / "x.npy").string(), "--params", x, "-o", (dir / "y.npy").string()});
  check_one_line_error(r, 1);
  CHECK(r.err.find("parameters (a vector of that length, in canonical order)") != std::string::npos);
  // Inputs of the wrong shape.
  r = run_netdim({"forward", (kExamples / "esd2020" / "fig1_relu.net").string(), "--inputs", x, "-o", (dir / "y.npy").string()});
  check_one_line_error(r, 1);
  // export needs one format.
  r = run_netdim({"export", kMlp});
  CHECK(r.code == 2);
  r = run_netdim({"export", kMlp, "--json", "--onnx", onnx});
  CHECK(r.code == 2);
  r = run_netdim({"export", kMlp, "--seed", "3", "--json"});
  CHECK(r.code == 2);
}

}  // namespace netdim::testing
