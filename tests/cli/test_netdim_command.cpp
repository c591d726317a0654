// The `netdim` executable, run as a subprocess: exit codes (0 ok, 1 bad input,
// 2 bad usage), one-line errors, outputs of every subcommand on example files,
// nothing written by a failed run, and `fmt --write` on a copy.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "netdim/analysis/jacobian/reference_jacobian.hpp"
#include "netdim/analysis/report/graph_svg.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/data/npy.hpp"
#include "netdim/nn/model.hpp"
#include "tests/cli/netdim_process.hpp"

namespace fs = std::filesystem;
using namespace netdim::testing;

namespace {

const std::vector<std::string> kSubcommands = {"check", "params", "fmt", "export", "draw", "jacobian", "psd", "coeffs",
                                               "dims",  "esd",    "spectrum"};  // sweep and fitexp read no .net file

}  // namespace

TEST_CASE("netdim command: --version and --help") {
  const Run version = run_netdim({"--version"});
  CHECK(version.code == 0);
  CHECK(version.out == "netdim 0.1.0\n");
  const Run help = run_netdim({"--help"});
  CHECK(help.code == 0);
  for (const std::string& sub : kSubcommands) CHECK(help.out.find(sub) != std::string::npos);
  for (const std::string& sub : kSubcommands) {
    CAPTURE(sub);
    const Run r = run_netdim({sub, "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("FILE") != std::string::npos);
    CHECK(r.err.empty());
  }
  CHECK(run_netdim({"draw", "--help"}).out.find("--output") != std::string::npos);
  CHECK(run_netdim({"params", "--help"}).out.find("--json") != std::string::npos);
}

TEST_CASE("netdim command: bad usage is one line and exit 2") {
  const Run none = run_netdim({});
  CHECK(none.code == 2);
  CHECK(none.err.find("check") != std::string::npos);  // the usage lists the subcommands
  check_one_line_error(run_netdim({"frobnicate"}), 2);
  check_one_line_error(run_netdim({"--frobnicate"}), 2);
  check_one_line_error(run_netdim({"check", "--frobnicate", "x.net"}), 2);
  check_one_line_error(run_netdim({"check"}), 2);
  check_one_line_error(run_netdim({"params", "a.net", "b.net"}), 2);
  check_one_line_error(run_netdim({"draw", "x.net"}), 2);      // no -o
  check_one_line_error(run_netdim({"export", "x.net"}), 2);    // no --json
  check_one_line_error(run_netdim({"fmt", "--write", "--check", "x.net"}), 2);
  const Run r = run_netdim({"check", "--frobnicate", "x.net"});
  CHECK(r.err.find("--frobnicate") != std::string::npos);
  CHECK(r.err.find("(see netdim --help)") != std::string::npos);
}

TEST_CASE("netdim command: a missing or unreadable file is one line and exit 1") {
  const TempDir dir("missing");
  for (const std::string& sub : kSubcommands) {
    CAPTURE(sub);
    std::vector<std::string> args = {sub, (dir / "absent.net").string()};
    if (sub == "export") args.push_back("--json");
    if (sub == "draw") args.insert(args.end(), {"-o", (dir / "out.svg").string()});
    if (sub == "jacobian")
      args.insert(args.end(), {"--inputs", (dir / "x.npy").string(), "--out", (dir / "out.svg").string()});
    const Run r = run_netdim(args);
    check_one_line_error(r, 1);
    CHECK(r.err.find("absent.net") != std::string::npos);
    CHECK(!fs::exists(dir / "out.svg"));
  }
  check_one_line_error(run_netdim({"check", dir.path.string()}), 1);  // a directory
}

TEST_CASE("netdim command: outputs are checked before any work, and a failed run writes nothing") {
  const TempDir dir("outputs");
  const std::string net = (kExamples / "counting" / "mlp_784_16_16_10.net").string();
  // An output in a directory that does not exist: refused before the network is read.
  check_one_line_error(run_netdim({"draw", net, "-o", (dir / "no" / "net.svg").string()}), 1);
  check_one_line_error(run_netdim({"export", net, "--json", "-o", (dir / "no" / "net.json").string()}), 1);
  check_one_line_error(run_netdim({"draw", net, "-o", dir.path.string()}), 1);  // a directory
  CHECK(!fs::exists(dir / "no"));
  // A network with errors: diagnostics, exit 1, and no output file.
  write(dir / "broken.net", "this is not a network\n");
  for (const std::string out : {"net.svg", "net.json"}) {
    const bool svg = out == "net.svg";
    const Run r = svg ? run_netdim({"draw", (dir / "broken.net").string(), "-o", (dir / out).string()})
                      : run_netdim({"export", (dir / "broken.net").string(), "--json", "-o", (dir / out).string()});
    CHECK(r.code == 1);
    CHECK(r.err.find("broken.net:1:") != std::string::npos);
    CHECK(!fs::exists(dir / out));
    CHECK(!fs::exists(dir / (out + ".tmp")));
  }
  const Run check = run_netdim({"check", (dir / "broken.net").string()});
  CHECK(check.code == 1);
  CHECK(check.out.empty());
  CHECK(check.err.find("error") != std::string::npos);
}

TEST_CASE("netdim command: an output that cannot be written fails (exit 1), never a silent success") {
  const std::string net = (kExamples / "counting" / "mlp_784_16_16_10.net").string();
  const std::string command = quoted(NETDIM_EXE) + " params " + quoted(net) + " >/dev/full 2>/dev/null";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
}

TEST_CASE("netdim command: check prints one row per layer and the total") {
  const Run r = run_netdim({"check", (kExamples / "counting" / "mlp_784_16_16_10.net").string()});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  std::istringstream rows(r.out);
  std::string header, line, last;
  std::getline(rows, header);
  CHECK(header.rfind("layer", 0) == 0);
  CHECK(header.find("parameters") != std::string::npos);
  std::size_t layer_rows = 0;
  std::size_t dense_rows = 0;
  while (std::getline(rows, line)) {
    if (line.rfind("total:", 0) == 0) {
      last = line;
      break;
    }
    ++layer_rows;
    dense_rows += line.find(" dense ") != std::string::npos;
  }
  CHECK(dense_rows == 3);
  CHECK(layer_rows >= 4);  // input and three dense layers, at least
  CHECK(last.find("13002 parameters") != std::string::npos);
  CHECK(last.find("input [784], output [10]") != std::string::npos);
}

TEST_CASE("netdim command: every example checks, and check, params and export agree on its count") {
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kExamples)) {
    if (entry.path().extension() != ".net") continue;
    // examples/extend's networks use the activation its own program registers (tests/install/check_install).
    if (entry.path().parent_path().filename() == "extend") continue;
    ++files;
    const std::string net = entry.path().string();
    CAPTURE(net);
    const Run check = run_netdim({"check", net});
    REQUIRE(check.code == 0);
    const Run params = run_netdim({"params", net, "--json"});
    REQUIRE(params.code == 0);
    const auto total = nlohmann::json::parse(params.out).at("total").get<std::size_t>();
    CHECK(check.out.find("total: " + std::to_string(total) + " parameters") != std::string::npos);
    const Run exported = run_netdim({"export", net, "--json"});
    REQUIRE(exported.code == 0);
    CHECK(nlohmann::json::parse(exported.out).at("parameter_count") == total);
  }
  CHECK(files >= 20);
}

TEST_CASE("netdim command: params, as a table and as JSON") {
  const std::string net = (kExamples / "counting" / "mlp_784_16_16_10.net").string();
  const Run text = run_netdim({"params", net});
  REQUIRE(text.code == 0);
  CHECK(text.out.find("12544") != std::string::npos);  // 784 x 16 weights of the first layer
  CHECK(text.out.substr(text.out.rfind("total")).find("13002") != std::string::npos);
  const Run json = run_netdim({"params", net, "--json"});
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j.at("total") == 13002);
  REQUIRE(j.at("layers").size() == 3);
  CHECK(j.at("layers")[0].at("weights") == 12544);
  CHECK(j.at("layers")[0].at("biases") == 16);
  CHECK(j.at("layers")[2].at("total") == 170);
  for (const char* file : {"counting/net_2_2_2.net", "counting/linear_regression.net", "counting/two_relu.net",
                           "esd2020/fig5_add_shortcuts.net", "intrinsic2018/fc_784_200_200_10.net"}) {
    CAPTURE(file);
    const Run r = run_netdim({"params", (kExamples / file).string(), "--json"});
    REQUIRE(r.code == 0);
    const std::size_t expected = std::string(file).find("net_2_2_2") != std::string::npos ? 12
                                 : std::string(file).find("linear") != std::string::npos  ? 4
                                 : std::string(file).find("two_relu") != std::string::npos ? 7
                                 : std::string(file).find("fig5") != std::string::npos     ? 27
                                                                                           : 199210;
    CHECK(nlohmann::json::parse(r.out).at("total") == expected);
  }
}

TEST_CASE("netdim command: export --json to stdout and to a file") {
  const TempDir dir("export");
  const std::string net = (kExamples / "esd2020" / "sec53_resnet.net").string();
  const Run r = run_netdim({"export", net, "--json"});
  REQUIRE(r.code == 0);
  const auto g = nlohmann::json::parse(r.out);
  CHECK(g.at("format") == "netdim-graph");
  CHECK(g.at("input_shape") == nlohmann::json::array({1, 28, 28}));
  std::size_t offset = 0;
  for (const auto& b : g.at("parameter_blocks")) {
    CHECK(b.at("offset") == offset);
    offset += b.at("size").get<std::size_t>();
  }
  CHECK(g.at("parameter_count") == offset);
  bool has_add = false;
  for (const auto& l : g.at("layers")) has_add = has_add || (l.at("kind") == "add" && l.at("inputs").size() == 2);
  CHECK(has_add);
  const Run to_file = run_netdim({"export", net, "--json", "-o", (dir / "net.json").string()});
  CHECK(to_file.code == 0);
  CHECK(to_file.out.empty());
  CHECK(read(dir / "net.json") == r.out);
}

TEST_CASE("netdim command: draw writes an SVG with one box per layer") {
  const TempDir dir("draw");
  const std::string net = (kExamples / "esd2020" / "fig5_add_shortcuts.net").string();
  const Run r = run_netdim({"draw", net, "-o", (dir / "net.svg").string()});
  if (!netdim::analysis::report::graphviz_available()) {  // built with -Dgraphviz=disabled: one line, exit 1, no file
    check_one_line_error(r, 1);
    CHECK(r.err.find("without Graphviz") != std::string::npos);
    CHECK(!fs::exists(dir / "net.svg"));
    return;
  }
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  const std::string svg = read(dir / "net.svg");
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.rfind("</svg>") != std::string::npos);
  const auto g = nlohmann::json::parse(run_netdim({"export", net, "--json"}).out);
  std::size_t nodes = 0, edges = 0, dashed = 0;
  for (std::size_t at = svg.find("class=\"node\""); at != std::string::npos; at = svg.find("class=\"node\"", at + 1))
    ++nodes;
  for (std::size_t at = svg.find("class=\"edge\""); at != std::string::npos; at = svg.find("class=\"edge\"", at + 1)) {
    ++edges;
    const std::size_t end = svg.find("</g>", at);
    dashed += svg.substr(at, end - at).find("stroke-dasharray") != std::string::npos;
  }
  std::size_t inputs = 0;
  for (const auto& l : g.at("layers")) inputs += l.at("inputs").size();
  CHECK(nodes == g.at("layers").size());
  CHECK(edges == inputs);
  CHECK(dashed > 0);  // the add-shortcuts variant draws its shortcuts apart
}

TEST_CASE("netdim command: fmt prints the canonical form; --check and --write") {
  const TempDir dir("fmt");
  const fs::path example = kExamples / "esd2020" / "fig5_mlp.net";
  const Run printed = run_netdim({"fmt", example.string()});
  REQUIRE(printed.code == 0);
  CHECK(!printed.out.empty());
  // Canonical text is a fixed point.
  write(dir / "canonical.net", printed.out);
  const Run again = run_netdim({"fmt", (dir / "canonical.net").string()});
  CHECK(again.code == 0);
  CHECK(again.out == printed.out);
  CHECK(run_netdim({"fmt", "--check", (dir / "canonical.net").string()}).code == 0);
  // Trailing spaces on every line: not canonical; --check says so, --write fixes the file in place.
  std::string messy;
  std::istringstream in(printed.out);
  for (std::string line; std::getline(in, line);) messy += line + "   \n";
  write(dir / "messy.net", messy);
  const Run check = run_netdim({"fmt", "--check", (dir / "messy.net").string()});
  check_one_line_error(check, 1);
  CHECK(read(dir / "messy.net") == messy);
  fs::permissions(dir / "messy.net", fs::perms::owner_read | fs::perms::owner_write);
  const Run rewrite = run_netdim({"fmt", "--write", (dir / "messy.net").string()});
  CHECK(rewrite.code == 0);
  CHECK(rewrite.out.empty());
  CHECK(read(dir / "messy.net") == printed.out);
  CHECK(!fs::exists(dir / "messy.net.tmp"));
  CHECK(fs::status(dir / "messy.net").permissions() == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(run_netdim({"fmt", "--check", (dir / "messy.net").string()}).code == 0);
  // A file with errors is left as it was.
  write(dir / "broken.net", "this is not a network\n");
  CHECK(run_netdim({"fmt", "--write", (dir / "broken.net").string()}).code == 1);
  CHECK(read(dir / "broken.net") == "this is not a network\n");
}

TEST_CASE("netdim command: psd, coeffs and theorem21 on seed 003's x^2 network") {
  const std::string net = (kExamples / "esd2020" / "eq1_square.net").string();
  const Run p = run_netdim({"psd", net, "--json"});
  REQUIRE(p.code == 0);
  CHECK(p.err.empty());
  const nlohmann::json j = nlohmann::json::parse(p.out);
  CHECK(j["psd"] == 4);
  CHECK(j["parameters"] == 6);
  CHECK(j["points"] == 6);
  REQUIRE(j["draws"].size() == 5);
  for (const auto& draw : j["draws"]) CHECK(draw["rank"] == 4);
  CHECK(j["probability_bound"].get<double>() < 1e-9);
  const Run m = run_netdim({"psd", net, "--modular", "--draws", "2", "--seed", "7"});
  REQUIRE(m.code == 0);
  CHECK(m.out.find("polynomial spanning dimension: 4 of 6 parameters") != std::string::npos);
  CHECK(m.out.find("mod p = 2305843009213693951") != std::string::npos);

  const Run c = run_netdim({"coeffs", net, "--params", "3, 2, 9, 4, 7, 6", "--json"});
  REQUIRE(c.code == 0);
  const nlohmann::json cj = nlohmann::json::parse(c.out);
  CHECK(cj["polynomial"] == "45927 x^4 + 122472 x^3 + 127008 x^2 + 60480 x + 11206");
  CHECK(cj["coefficients"][4] == "45927");
  CHECK(cj["jacobian_rank"] == 4);
  CHECK(cj["equation7"]["holds"] == true);
  const Run ct = run_netdim({"coeffs", net, "--params", "1/2,0,1,0,1,0"});  // N = x^4 / 16
  REQUIRE(ct.code == 0);
  CHECK(ct.out.find("N(x) = 1/16 x^4\n") != std::string::npos);

  const Run t = run_netdim({"theorem21", "--max-depth", "3", "--degree", "3", "--json"});
  REQUIRE(t.code == 0);
  const nlohmann::json tj = nlohmann::json::parse(t.out);
  REQUIRE(tj["rows"].size() == 3);
  for (std::size_t l = 1; l <= 3; ++l) {
    CHECK(tj["rows"][l - 1]["depth"] == l);
    CHECK(tj["rows"][l - 1]["psd"] == l + 2);
    CHECK(tj["rows"][l - 1]["bound"] == l + 2);
  }
  CHECK(run_netdim({"theorem21", "--max-depth", "2"}).out.find("have PSD <= l + 2") != std::string::npos);
}

TEST_CASE("netdim command: psd, coeffs and theorem21 refuse with one line") {
  const std::string square = (kExamples / "esd2020" / "eq1_square.net").string();
  const Run sigmoid = run_netdim({"psd", (kExamples / "esd2020" / "fig1_sigmoid.net").string()});
  check_one_line_error(sigmoid, 1);
  CHECK(sigmoid.err.find("netdim esd") != std::string::npos);
  const Run large = run_netdim({"psd", (kExamples / "counting" / "mlp_784_16_16_10.net").string()});
  check_one_line_error(large, 1);
  CHECK(large.err.find("above the limit of 256") != std::string::npos);
  check_one_line_error(run_netdim({"coeffs", square, "--params", "1,2"}), 1);
  check_one_line_error(run_netdim({"coeffs", square, "--params", "1,2,x,4,5,6"}), 1);
  check_one_line_error(run_netdim({"coeffs", (kExamples / "counting" / "two_relu.net").string()}), 1);
  check_one_line_error(run_netdim({"psd", square, "--draws", "0"}), 2);
  check_one_line_error(run_netdim({"psd", square, "--bound", "-3"}), 2);
  check_one_line_error(run_netdim({"theorem21", "--max-depth", "9"}), 2);
  check_one_line_error(run_netdim({"theorem21", "--max-depth", "2", "--degree", "4"}), 2);
  check_one_line_error(run_netdim({"theorem21"}), 2);
  // K^L above 256 passes the option checks but not the library's limit.
  check_one_line_error(run_netdim({"theorem21", "--max-depth", "6", "--degree", "3"}), 1);
}

TEST_CASE("netdim command: psd at the point of --params and --inputs (.npy)") {
  const TempDir dir("psd_npy");
  const std::string net = (kExamples / "esd2020" / "eq1_square.net").string();
  // A version 1.0 '<f8' .npy file, written byte by byte (the command reads it as NumPy would).
  auto save = [&](const std::string& name, const std::vector<std::size_t>& shape, const std::vector<double>& v) {
    std::string dims;
    for (std::size_t d : shape) dims += std::to_string(d) + ",";
    if (shape.size() > 1) dims.pop_back();
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
    while ((10 + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::string bytes = "\x93NUMPY";
    bytes += '\x01';
    bytes += '\x00';
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header;
    for (double x : v) bytes.append(reinterpret_cast<const char*>(&x), sizeof x);  // little-endian host
    write(dir / name, bytes);
    return (dir / name).string();
  };
  // The paper's point and inputs (with the minus signs the seed's text lost): rank 4; w2 = 0: rank 2.
  const std::string theta = save("theta.npy", {6}, {3, 2, 9, 4, 7, 6});
  const std::string x = save("x.npy", {6, 1}, {1, 3, 5, -1, -3, 4});
  const Run r = run_netdim({"psd", net, "--params", theta, "--inputs", x, "--json"});
  REQUIRE(r.code == 0);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["psd"] == 4);
  CHECK(j["draws"].size() == 1);
  CHECK(j["probability_bound"].is_null());
  const std::string degenerate = save("w2_zero.npy", {6}, {3, 2, 0, 4, 7, 6});
  const Run d = run_netdim({"psd", net, "--params", degenerate, "--inputs", x, "--json"});
  REQUIRE(d.code == 0);
  CHECK(nlohmann::json::parse(d.out)["psd"] == 2);
  // Inputs given, parameters drawn: the x^2 network still has PSD 4.
  const Run drawn = run_netdim({"psd", net, "--inputs", x, "--json"});
  REQUIRE(drawn.code == 0);
  CHECK(nlohmann::json::parse(drawn.out)["psd"] == 4);
  // Wrong length, a repeated input, too few inputs, a missing or non-numeric file: one line, exit 1.
  check_one_line_error(run_netdim({"psd", net, "--params", x}), 1);
  check_one_line_error(run_netdim({"psd", net, "--inputs", save("repeat.npy", {6, 1}, {1, 3, 5, -1, 3, 4})}), 1);
  check_one_line_error(run_netdim({"psd", net, "--inputs", save("few.npy", {5, 1}, {1, 2, 3, 4, 5})}), 1);
  check_one_line_error(run_netdim({"psd", net, "--inputs", save("wide.npy", {6, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})}), 1);
  check_one_line_error(run_netdim({"psd", net, "--params", (dir / "absent.npy").string()}), 1);
  write(dir / "text.npy", "not an array\n");
  check_one_line_error(run_netdim({"psd", net, "--params", (dir / "text.npy").string()}), 1);
}

namespace {
netdim::Tensor<double> vector_of(std::initializer_list<double> v) {
  netdim::Tensor<double> t = netdim::Tensor<double>::from_shape({v.size()});
  std::copy(v.begin(), v.end(), t.begin());
  return t;
}
// One-input examples, [n, 1].
netdim::Tensor<double> column_of(std::initializer_list<double> v) {
  netdim::Tensor<double> t = netdim::Tensor<double>::from_shape({v.size(), 1});
  std::copy(v.begin(), v.end(), t.begin());
  return t;
}
}  // namespace

TEST_CASE("netdim command: jacobian writes the per-example Jacobian as .npy, equal to the reference") {
  using netdim::Tensor;
  const TempDir dir("jacobian");
  const std::string net = (kExamples / "esd2020" / "eq1_square.net").string();
  // Seed 003's point (theta = (w1, b1, w2, b2, w3, b3)) and inputs 1 and 1/2.
  netdim::data::write_npy(dir / "theta.npy", vector_of({3, 2, 9, 4, 7, 6}));
  netdim::data::write_npy(dir / "x.npy", column_of({1.0, 0.5}));
  const Run r = run_netdim({"jacobian", net, "--inputs", (dir / "x.npy").string(), "--params",
                        (dir / "theta.npy").string(), "--out", (dir / "j.npy").string()});
  REQUIRE(r.code == 0);
  CHECK(r.out == "J: 2 x 6 (first), written to " + (dir / "j.npy").string() + "\n");
  const Tensor<double> j = netdim::data::read_npy<double>(dir / "j.npy");
  REQUIRE(j.shape()[0] == 2);
  REQUIRE(j.shape()[1] == 6);
  // The x = 1 row, by hand (tests/analysis/test_exact_rank.cpp): dN/dtheta.
  const double by_hand[6] = {288540, 288540, 80150, 3206, 52441, 1};
  for (std::size_t c = 0; c < 6; ++c) CHECK(j(0, c) == by_hand[c]);
  CHECK(j(1, 0) == doctest::Approx(201537.0 / 4));  // dN/dw1 at x = 1/2

  // A network with several outputs, at its seeded initialisation, each reduction against the reference path.
  const std::string mlp = (kExamples / "esd2020" / "fig1_relu.net").string();
  const auto loaded = netdim::dsl::load_file(mlp);
  REQUIRE(loaded.ok());
  const netdim::nn::Model<double> model(*loaded.architecture, 3);
  const Tensor<double> x = column_of({-0.5, 0.25, 0.75});
  netdim::data::write_npy(dir / "x1.npy", x);
  for (const auto& [flag, reduce] :
       {std::pair{std::string("first"), netdim::analysis::OutputReduction::first()},
        std::pair{std::string("sum_squares"), netdim::analysis::OutputReduction::sum_squares()},
        std::pair{std::string("stack"), netdim::analysis::OutputReduction::stack()},
        std::pair{std::string("output:0"), netdim::analysis::OutputReduction::per_output(0)}}) {
    CAPTURE(flag);
    const Run run = run_netdim({"jacobian", mlp, "--inputs", (dir / "x1.npy").string(), "--seed", "3", "--reduce", flag,
                            "--out", (dir / "j1.npy").string()});
    REQUIRE(run.code == 0);
    const Tensor<double> got = netdim::data::read_npy<double>(dir / "j1.npy");
    const Tensor<double> want = netdim::analysis::reference_jacobian(model, x, reduce);
    REQUIRE(got.shape() == want.shape());
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got.data()[i] - want.data()[i]));
    CHECK(worst < 1e-12);
  }

  // mean: one Jacobian per output, [k, n, m], each the reference's output:c.
  {
    const std::string two = (kExamples / "counting" / "net_2_2_2.net").string();
    const auto net2 = netdim::dsl::load_file(two);
    REQUIRE(net2.ok());
    const netdim::nn::Model<double> model2(*net2.architecture, 0);
    netdim::Tensor<double> x2 = netdim::Tensor<double>::from_shape({3, 2});
    for (std::size_t i = 0; i < 6; ++i) x2.data()[i] = 0.3 * static_cast<double>(i) - 0.7;
    netdim::data::write_npy(dir / "x2.npy", x2);
    const Run run = run_netdim({"jacobian", two, "--inputs", (dir / "x2.npy").string(), "--reduce", "mean", "--out",
                                (dir / "jm.npy").string()});
    REQUIRE(run.code == 0);
    const Tensor<double> got = netdim::data::read_npy<double>(dir / "jm.npy");
    const std::size_t m = model2.parameter_count();
    REQUIRE(got.shape() == std::vector<std::size_t>{2, 3, m});
    for (std::size_t c = 0; c < 2; ++c) {
      const Tensor<double> want =
          netdim::analysis::reference_jacobian(model2, x2, netdim::analysis::OutputReduction::per_output(c));
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t p = 0; p < m; ++p) CHECK(got(c, i, p) == doctest::Approx(want(i, p)).epsilon(1e-12));
    }
  }

  // Bad input: one line, exit 1, nothing written; bad usage: exit 2.
  netdim::data::write_npy(dir / "wide.npy", Tensor<double>{{1.0, 2.0}});
  check_one_line_error(run_netdim({"jacobian", net, "--inputs", (dir / "wide.npy").string(), "--out",
                               (dir / "bad.npy").string()}),
                       1);
  netdim::data::write_npy(dir / "short.npy", vector_of({1, 2, 3}));
  check_one_line_error(run_netdim({"jacobian", net, "--inputs", (dir / "x.npy").string(), "--params",
                               (dir / "short.npy").string(), "--out", (dir / "bad.npy").string()}),
                       1);
  netdim::data::write_npy(dir / "nan.npy", Tensor<double>{{std::nan(""), 0.0}});
  check_one_line_error(run_netdim({"jacobian", net, "--inputs", (dir / "nan.npy").string(), "--out",
                               (dir / "bad.npy").string()}),
                       1);
  check_one_line_error(run_netdim({"jacobian", net, "--inputs", (dir / "x.npy").string(), "--reduce", "output:99",
                               "--out", (dir / "bad.npy").string()}),
                       1);
  CHECK(!fs::exists(dir / "bad.npy"));
  check_one_line_error(run_netdim({"jacobian", net, "--inputs", (dir / "x.npy").string(), "--reduce", "median", "--out",
                               (dir / "bad.npy").string()}),
                       2);
  check_one_line_error(run_netdim({"jacobian", net, "--out", (dir / "bad.npy").string()}), 2);  // no --inputs
}
