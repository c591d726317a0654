// `netdim esd`, `spectrum` and `dims` as a user runs them: the numbers against the
// library on the same protocol, JSON keys, plots, the same result at 1 and 2
// threads, and every bad input one line with exit 1 (bad usage: 2), nothing written.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>

#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/analysis/spectral/esd.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/data/npy.hpp"
#include "tests/cli/netdim_process.hpp"

using namespace netdim::testing;
namespace analysis = netdim::analysis;

namespace {

netdim::nn::Architecture load(const std::string& path) {
  auto loaded = netdim::dsl::load_file(path);
  REQUIRE(loaded.ok());
  return *loaded.architecture;
}

}  // namespace

TEST_CASE("netdim esd: the summary and JSON keys; the values are the library's on the same protocol") {
  const TempDir dir("esd");
  const std::string net = (kExamples / "esd2020" / "fig5_add_inputs.net").string();
  const Run r = run_netdim({"esd", net, "--samples", "12", "--seed", "4", "--inputs", "sign", "--json", "--plot",
                            (dir / "hist.svg").string()});
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"esd", "stderr", "ci95", "min", "max", "samples", "sd", "parameters", "interrupted",
                          "reached_stderr", "protocol"})
    CHECK_MESSAGE(j.contains(key), key);
  for (const char* key : {"samples", "points", "init", "inputs", "reduce", "columns", "dtype", "seed", "until_stderr",
                          "bootstrap_resamples"})
    CHECK_MESSAGE(j["protocol"].contains(key), key);
  CHECK(j["samples"] == 12);
  CHECK(j["parameters"] == 27);
  CHECK(j["protocol"]["points"] == 27);
  CHECK(j["protocol"]["inputs"] == "sign");
  CHECK(j["protocol"]["init"] == "network");
  CHECK(j["protocol"]["columns"].is_null());

  analysis::EsdProtocol p;
  p.samples = 12;
  p.seed = 4;
  p.inputs = analysis::InputDistribution::Sign;
  const analysis::EsdResult want = analysis::expected_spanning_dimension(load(net), p);
  REQUIRE(j["sd"].size() == 12);
  for (std::size_t k = 0; k < 12; ++k) CHECK(j["sd"][k].get<double>() == doctest::Approx(want.sd[k]).epsilon(1e-12));
  CHECK(j["esd"].get<double>() == doctest::Approx(want.summary.mean).epsilon(1e-12));
  CHECK(j["ci95"][0].get<double>() <= j["esd"].get<double>());
  CHECK(j["ci95"][1].get<double>() >= j["esd"].get<double>());
  CHECK(read(dir / "hist.svg").find("<svg") == 0);
  CHECK(read(dir / "hist.svg").find("ESD ") != std::string::npos);

  const Run text = run_netdim({"esd", net, "--samples", "12", "--seed", "4", "--inputs", "sign"});
  REQUIRE(text.code == 0);
  CHECK(text.out.find("27 parameters; 12 samples of 27 points (inputs sign") != std::string::npos);
  CHECK(text.out.find("ESD  ") != std::string::npos);
  CHECK(text.out.find("95% CI [") != std::string::npos);
}

TEST_CASE("netdim esd: identical at 1 and 2 threads; --until-stderr stops where the standard error gets there") {
  const std::string net = (kExamples / "esd2020" / "fig1_relu.net").string();
  const Run one = run_netdim({"esd", net, "--samples", "8", "--threads", "1", "--json"});
  const Run two = run_netdim({"esd", net, "--samples", "8", "--threads", "2", "--json"});
  REQUIRE(one.code == 0);
  REQUIRE(two.code == 0);
  CHECK(one.out == two.out);
  const Run until = run_netdim({"esd", net, "--until-stderr", "0.1", "--json"});
  REQUIRE(until.code == 0);
  const auto j = nlohmann::json::parse(until.out);
  CHECK(j["reached_stderr"] == true);
  CHECK(j["stderr"].get<double>() <= 0.1);
  CHECK(j["samples"].get<int>() >= 5);
  CHECK(j["protocol"]["until_stderr"] == 0.1);
}

TEST_CASE("netdim esd: --inputs FILE.npy draws rows of real data; --reduce mean, --columns, --dtype, --init") {
  const TempDir dir("esd_data");
  const std::string net = (kExamples / "esd2020" / "fig5_mlp.net").string();
  netdim::Tensor<double> data = netdim::Tensor<double>::from_shape({30, 3});
  for (std::size_t i = 0; i < data.size(); ++i) data.data()[i] = std::sin(static_cast<double>(i));
  netdim::data::write_npy(dir / "x.npy", data);
  const Run r = run_netdim({"esd", net, "--samples", "3", "--inputs", (dir / "x.npy").string(), "--json"});
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["protocol"]["inputs"] == "data:" + (dir / "x.npy").string());
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--reduce", "mean"}, {"--columns", "10"}, {"--dtype", "float32"},
        {"--init", "normal:0.5"}, {"--init", "he"}, {"--points", "40"}}) {
    std::vector<std::string> args{"esd", net, "--samples", "3", "--json"};
    args.insert(args.end(), flags.begin(), flags.end());
    const Run run = run_netdim(args);
    CAPTURE(flags[1]);
    REQUIRE(run.code == 0);
    const auto j = nlohmann::json::parse(run.out);
    CHECK(j["esd"].get<double>() >= 1.0);
    CHECK(j["esd"].get<double>() <= 27.0);
  }
  CHECK(nlohmann::json::parse(run_netdim({"esd", net, "--samples", "2", "--columns", "10", "--json"}).out)["protocol"]["columns"] == 10);
}

TEST_CASE("netdim esd on torchvision's extra layers: the structured Gram agrees with the explicit Jacobian") {
  // relu6, ceil-mode pooling, chunk, channel shuffle, adaptive pooling and dropout in one network
  // (3842 parameters): 30 points take the structured Gram; --columns 3842 forms J by the batched
  // sweep and takes every column. (tests/analysis/test_structured_gram.cpp checks both against
  // the reference Jacobian on a smaller network with the same kinds.)
  const std::string net = (kExamples / "layers" / "torchvision_blocks.net").string();
  for (const char* reduce : {"first", "sum_squares"}) {
    CAPTURE(reduce);
    const std::vector<std::string> common{"esd", net, "--samples", "2", "--points", "30", "--reduce", reduce, "--json"};
    std::vector<std::string> explicit_j = common;
    explicit_j.insert(explicit_j.end(), {"--columns", "3842"});
    const Run gram = run_netdim(common), full = run_netdim(explicit_j);
    REQUIRE(gram.code == 0);
    REQUIRE(full.code == 0);
    const auto a = nlohmann::json::parse(gram.out), b = nlohmann::json::parse(full.out);
    CHECK(a["parameters"] == 3842);
    REQUIRE(a["sd"].size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
      CHECK(a["sd"][k].get<double>() > 1.0);
      CHECK(a["sd"][k].get<double>() == doctest::Approx(b["sd"][k].get<double>()).epsilon(1e-9));
    }
  }
}

TEST_CASE("netdim spectrum: the singular values of one sample as text, JSON, CSV and a log-scale plot") {
  const TempDir dir("spectrum");
  const std::string net = (kExamples / "esd2020" / "fig1_sigmoid.net").string();
  const Run r = run_netdim({"spectrum", net, "--sample", "2", "--json", "--csv", (dir / "s.csv").string(), "--plot",
                            (dir / "s.svg").string()});
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["sample"] == 2);
  CHECK(j["rows"] == 189);
  CHECK(j["columns"] == 189);
  REQUIRE(j["singular_values"].size() == 189);
  analysis::EsdProtocol p;
  const analysis::SpanningSample want = analysis::spanning_sample(load(net), p, 2);
  // netdim ran BLAS on every core, the library call here on one: sums in another order.
  const double top = want.singular_values[0];
  for (std::size_t i = 0; i < 189; ++i)
    CHECK(std::abs(j["singular_values"][i].get<double>() - want.singular_values[i]) <= 1e-10 * top);
  CHECK(j["sd"].get<double>() == doctest::Approx(want.sd).epsilon(1e-9));
  const std::string csv = read(dir / "s.csv");
  CHECK(csv.rfind("index,singular_value\n0,", 0) == 0);
  CHECK(lines(csv) == 190);
  CHECK(read(dir / "s.svg").find("<svg") == 0);
  const Run text = run_netdim({"spectrum", net});
  REQUIRE(text.code == 0);
  CHECK(text.out.find("J is 189 x 189") != std::string::npos);
}

TEST_CASE("netdim dims: nominal, exact and expected on one screen, for several files") {
  const Run r = run_netdim({"dims", (kExamples / "esd2020" / "eq1_square.net").string(),
                            (kExamples / "esd2020" / "fig5_mlp.net").string(), "--samples", "20"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("eq1_square.net: how many dimensions?") != std::string::npos);
  CHECK(r.out.find("  nominal   6\n") != std::string::npos);
  CHECK(r.out.find("  PSD       4\n") != std::string::npos);  // seed 003's exact value
  CHECK(r.out.find("fig5_mlp.net: how many dimensions?") != std::string::npos);
  CHECK(r.out.find("is not exact at rational points") != std::string::npos);
  CHECK(r.out.find("  ESD       ") != std::string::npos);
  const Run json = run_netdim({"dims", (kExamples / "esd2020" / "eq1_square.net").string(), "--samples", "20", "--json"});
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["nominal"] == 6);
  CHECK(j[0]["exact"]["psd"] == 4);
  CHECK(j[0]["exact_reason"].is_null());
  CHECK(j[0]["esd"]["samples"] == 20);
}

TEST_CASE("netdim esd, spectrum, dims: bad input is one line and exit 1, bad usage exit 2, nothing written") {
  const TempDir dir("esd_bad");
  const std::string net = (kExamples / "esd2020" / "fig5_mlp.net").string();
  const std::string plot = (dir / "h.svg").string();
  netdim::data::write_npy(dir / "wide.npy", netdim::Tensor<double>::from_shape({40, 4}));
  netdim::data::write_npy(dir / "few.npy", netdim::Tensor<double>::from_shape({5, 3}));
  netdim::Tensor<double> nan = netdim::Tensor<double>::from_shape({40, 3});
  nan.data()[7] = std::nan("");
  netdim::data::write_npy(dir / "nan.npy", nan);
  write(dir / "text.npy", "not an npy file");
  write(dir / "empty.net", "netdim 1\nx = input(3)\ny = relu(x)\n");
  for (const std::string& cmd : {std::string("esd"), std::string("dims")}) {
    CAPTURE(cmd);
    for (const char* bad : {"wide.npy", "few.npy", "nan.npy", "text.npy", "absent.npy"})
      check_one_line_error(run_netdim({cmd, net, "--inputs", (dir / bad).string()}), 1);
    check_one_line_error(run_netdim({cmd, net, "--columns", "28"}), 1);          // more than 27 parameters
    check_one_line_error(run_netdim({cmd, net, "--reduce", "output:1"}), 1);     // one output
    check_one_line_error(run_netdim({cmd, (dir / "empty.net").string()}), 1);    // no parameters
    check_one_line_error(run_netdim({cmd, net, "--samples", "0"}), 2);
    check_one_line_error(run_netdim({cmd, net, "--points", "0"}), 2);
    check_one_line_error(run_netdim({cmd, net, "--samples", "-3"}), 2);
    check_one_line_error(run_netdim({cmd, net, "--until-stderr", "nan"}), 2);
    check_one_line_error(run_netdim({cmd, net, "--init", "normal:-1"}), 2);
    check_one_line_error(run_netdim({cmd, net, "--init", "xavier"}), 2);
    check_one_line_error(run_netdim({cmd, net, "--inputs", "gaussian"}), 2);
    check_one_line_error(run_netdim({cmd, net, "--dtype", "float16"}), 2);
    check_one_line_error(run_netdim({cmd, net, "--reduce", "median"}), 2);
  }
  check_one_line_error(run_netdim({"esd", net, "--inputs", (dir / "nan.npy").string(), "--plot", plot}), 1);
  check_one_line_error(run_netdim({"esd", net, "--plot", (dir / "no" / "h.svg").string()}), 1);
  check_one_line_error(run_netdim({"spectrum", net, "--reduce", "mean"}), 2);
  check_one_line_error(run_netdim({"spectrum", net, "--samples", "3"}), 2);
  check_one_line_error(run_netdim({"spectrum", net, "--csv", (dir / "no" / "s.csv").string()}), 1);
  check_one_line_error(run_netdim({"spectrum", net, "--inputs", (dir / "few.npy").string(), "--csv",
                                   (dir / "s.csv").string()}),
                       1);
  CHECK(!fs::exists(plot));
  CHECK(!fs::exists(dir / "s.csv"));
}

TEST_CASE("netdim esd under mpirun -np 2: samples split over the ranks, the same JSON as one process") {
  if (!netdim::analysis::built_with_mpi() || std::system("command -v mpirun >/dev/null 2>&1") != 0) {
    MESSAGE("netdim was built without MPI or mpirun is missing: skipped (scripts/setup installs Open MPI)");
    return;
  }
  const TempDir dir("esd_mpi");
  const std::string net = quoted((kExamples / "esd2020" / "fig1_relu.net").string());
  const std::string mpirun = std::string("ASAN_OPTIONS=detect_leaks=0 mpirun -x ASAN_OPTIONS --oversubscribe -np 2 ") +
                             (::geteuid() == 0 ? "--allow-run-as-root " : "");
  for (const std::string flags : {" --samples 9 --threads 1 --json", " --samples 300 --until-stderr 0.15 --json"}) {
    CAPTURE(flags);
    REQUIRE(std::system((quoted(NETDIM_EXE) + " esd " + net + flags + " >" + quoted((dir / "one.json").string())).c_str()) == 0);
    const int status = std::system((mpirun + quoted(NETDIM_EXE) + " esd " + net + flags + " >" +
                                    quoted((dir / "two.json").string()) + " 2>" + quoted((dir / "err.txt").string()))
                                       .c_str());
    INFO(read(dir / "err.txt"));
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    CHECK(read(dir / "two.json") == read(dir / "one.json"));  // printed once, by rank 0
  }
}
