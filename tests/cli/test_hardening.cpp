// Issue 22, the second hardening pass, through the built `netdim` as a user meets it: no input
// hangs (FIFOs, /dev/zero, sparse files), no output replaces an input or another output, an
// empty output path is refused, integers are decimal, SIGTERM and SIGHUP keep finished work
// like Ctrl-C, a failed thread start is not fatal, and impossible requests stop at once.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "netdim/nn/data/npy.hpp"
#include "tests/cli/netdim_process.hpp"
#include "tests/sanitizer.hpp"

namespace fs = std::filesystem;
using namespace netdim::testing;

namespace {

const std::string kLinear = (kExamples / "counting" / "linear_regression.net").string();  // input [3], 4 parameters
const std::string kSquare = (kExamples / "esd2020" / "eq1_square.net").string();        // polynomial, input [1]

// A .npy of n rows of 3 inputs, and labels 0/1 for them.
void write_data(const TempDir& dir, std::size_t n = 20) {
  netdim::Tensor<double> x = netdim::Tensor<double>::from_shape({n, 3});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = double(i % 7) / 7.0 - 0.5;
  netdim::data::write_npy(dir / "x.npy", x);
  std::vector<std::int64_t> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = std::int64_t(i % 2);
  netdim::data::write_npy_integers(dir / "y.npy", {n}, y);
}

// One line naming the cause, exit 1, in well under the 20 s the timeout allows.
void refused_at_once(const std::vector<std::string>& args, const std::string& cause) {
  const auto start = std::chrono::steady_clock::now();
  const Run r = run_netdim_under("timeout 20", args);
  CAPTURE(args[0]);
  CAPTURE(r.err);
  check_one_line_error(r, 1);
  CHECK(r.err.find(cause) != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

}  // namespace

TEST_CASE("hardening: a FIFO given as any input is refused at once, never read") {
  const TempDir dir("fifo");
  write_data(dir);
  const std::string fifo = (dir / "pipe.npy").string(), x = (dir / "x.npy").string(), y = (dir / "y.npy").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string out = (dir / "out.npy").string();
  const std::string cause = "a FIFO, not a regular file";
  refused_at_once({"jacobian", kLinear, "--inputs", fifo, "-o", out}, cause);
  refused_at_once({"jacobian", kLinear, "--inputs", x, "--params", fifo, "-o", out}, cause);
  refused_at_once({"esd", kLinear, "--inputs", fifo, "--samples", "2"}, cause);
  refused_at_once({"spectrum", kLinear, "--inputs", fifo}, cause);
  refused_at_once({"sweep", "--max-width", "1", "--activations", "relu", "--inputs", fifo, "-o", (dir / "s.csv").string()},
                  cause);
  refused_at_once({"psd", kSquare, "--inputs", fifo}, cause);
  refused_at_once({"train", kLinear, "--data", fifo + "," + y, "--epochs", "1"}, cause);
  refused_at_once({"train", kLinear, "--data", x + "," + fifo, "--epochs", "1"}, cause);
  refused_at_once({"intrinsic", kLinear, "--data", fifo + "," + y, "--dims", "2"}, cause);
  refused_at_once({"intrinsic-load", kLinear, fifo, "--data", x + "," + y}, cause);
  refused_at_once({"zoo", kLinear, "--errors", fifo}, cause);
  refused_at_once({"check", fifo}, "not a regular file");
  refused_at_once({"forward", kLinear, "--inputs", fifo, "-o", out}, cause);
  refused_at_once({"forward", kLinear, "--inputs", x, "--params", fifo, "-o", out}, cause);
  const std::string fifo_model = (dir / "pipe.onnx").string();
  REQUIRE(::mkfifo(fifo_model.c_str(), 0600) == 0);
  refused_at_once({"import", fifo_model, "-o", (dir / "m.net").string()}, "not a regular file");
  refused_at_once({"check", fifo_model}, "not a regular file");
  // A FIFO inside --data-dir, where Fashion-MNIST's files are looked for.
  fs::create_directories(dir / "fm");
  REQUIRE(::mkfifo((dir / "fm" / "train-images-idx3-ubyte.gz").c_str(), 0600) == 0);
  write(dir / "fm" / "train-labels-idx1-ubyte.gz", "");
  refused_at_once({"train", kLinear, "--data", "fashion-mnist", "--data-dir", (dir / "fm").string(), "--epochs", "1"},
                  cause);
}

TEST_CASE("hardening: line readers are bounded: /dev/zero, a sparse 50 GB file, a symlink loop") {
  const TempDir dir("bounded");
  refused_at_once({"zoo", kLinear, "--errors", "/dev/zero"}, "a character device, not a regular file");
  const fs::path big = dir / "big.csv";
  { std::ofstream touch(big); }
  fs::resize_file(big, std::uintmax_t(50) << 30);  // sparse: no disk used
  refused_at_once({"zoo", kLinear, "--errors", big.string()}, "larger than the limit");
  refused_at_once({"sweep", "--max-width", "1", "--activations", "relu", "-o", big.string(), "--resume"},
                  "larger than the limit");
  refused_at_once({"intrinsic-load", kLinear, big.string(), "--data", "x.npy,y.npy"}, "larger than the limit");
  fs::create_symlink(dir / "b.net", dir / "a.net");
  fs::create_symlink(dir / "a.net", dir / "b.net");
  refused_at_once({"check", (dir / "a.net").string()}, "too many levels of symbolic links");
  fs::create_symlink(dir / "loop2", dir / "loop1");
  fs::create_symlink(dir / "loop1", dir / "loop2");
  refused_at_once({"train", kLinear, "--data", "fashion-mnist", "--data-dir", (dir / "loop1").string()},
                  "too many levels of symbolic links");
}

TEST_CASE("hardening: an output that is an input is refused by file identity, and the input stays") {
  const TempDir dir("clobber");
  write_data(dir);
  fs::copy_file(kLinear, dir / "in.net");
  const std::string net = (dir / "in.net").string(), x = (dir / "x.npy").string(), y = (dir / "y.npy").string();
  fs::create_symlink(dir / "in.net", dir / "link.net");
  const std::string original = read(dir / "in.net"), data = read(dir / "x.npy");
  const std::string cause = "writing it would destroy the input";
  refused_at_once({"draw", net, "-o", net}, cause);
  refused_at_once({"draw", net, "-o", (dir / "." / "in.net").string()}, cause);  // another spelling
  refused_at_once({"draw", net, "-o", (dir / "link.net").string()}, cause);      // a symlink to it
  refused_at_once({"export", net, "--json", "-o", net}, cause);
  refused_at_once({"jacobian", net, "--inputs", x, "-o", x}, cause);
  refused_at_once({"esd", net, "--inputs", x, "--plot", x, "--samples", "2"}, cause);
  refused_at_once({"sweep", "--max-width", "1", "--activations", "relu", "--inputs", x, "-o", x}, cause);
  refused_at_once({"train", net, "--data", x + "," + y, "-o", y}, cause);
  refused_at_once({"intrinsic", net, "--data", x + "," + y, "--save", net}, cause);
  refused_at_once({"zoo", net, "--json=" + net}, cause);  // `--json in.net` would read it: the explicit form
  CHECK(read(dir / "in.net") == original);
  CHECK(read(dir / "x.npy") == data);
}

TEST_CASE("hardening: one path given to two outputs is refused before any work") {
  const TempDir dir("twice");
  write_data(dir);
  const std::string same = (dir / "same.txt").string(), x = (dir / "x.npy").string(), y = (dir / "y.npy").string();
  const std::string cause = "the last write would replace the first";
  refused_at_once({"sweep", "--max-width", "1", "--activations", "relu", "-o", same, "--json", same}, cause);
  refused_at_once({"spectrum", kLinear, "--csv", same, "--plot", (dir / "." / "same.txt").string()}, cause);
  refused_at_once({"train", kLinear, "--data", x + "," + y, "-o", same, "--json", same}, cause);
  refused_at_once({"intrinsic", kLinear, "--data", x + "," + y, "--json", same, "--plot", same}, cause);
  refused_at_once({"zoo", kLinear, "-o", same, "--json", same}, cause);
  refused_at_once({"fitexp", "-o", same, "--json", same}, cause);
  // A prefix's derived name against a plain output: fitexp --plot P writes P-esd.svg.
  refused_at_once({"fitexp", "-o", (dir / "p-esd.svg").string(), "--plot", (dir / "p").string()}, cause);
  CHECK(!fs::exists(same));
}

TEST_CASE("hardening: zoo checks every plot name up front and leaves nothing when one cannot be written") {
  const TempDir dir("zooplot");
  fs::create_directories(dir / "p-esd-sum_squares-top5.svg");  // the last of the names, a directory
  const std::string errors = (kExamples / ".." / "tests" / "zoo" / "expected_parameters.csv").string();
  const std::string alexnet = (kExamples / "zoo" / "alexnet.net").string();
  refused_at_once({"zoo", alexnet, "--errors", errors, "--samples", "1", "--points", "2", "-o", (dir / "z.csv").string(),
                   "--json", (dir / "z.json").string(), "--plot", (dir / "p").string()},
                  "p-esd-sum_squares-top5.svg");
  CHECK(!fs::exists(dir / "z.csv"));
  CHECK(!fs::exists(dir / "z.json"));
  CHECK(!fs::exists(dir / "p-parameters-top1.svg"));
}

TEST_CASE("hardening: an empty output path is refused, never ignored or sent to stdout") {
  const TempDir dir("empty");
  write_data(dir);
  const std::string data = (dir / "x.npy").string() + "," + (dir / "y.npy").string();
  refused_at_once({"intrinsic", kLinear, "--data", data, "--save", ""}, "--save: an empty path");
  refused_at_once({"esd", kLinear, "--plot", "", "--samples", "2"}, "--plot: an empty path");
  refused_at_once({"train", kLinear, "--data", data, "-o", ""}, "--csv: an empty path");
  refused_at_once({"sweep", "--max-width", "1", "-o", (dir / "s.csv").string(), "--heatmap", ""}, "--heatmap: an empty prefix");
  refused_at_once({"export", kLinear, "--json", "-o", ""}, "--output: an empty path");
  refused_at_once({"draw", kLinear, "-o", ""}, "--output: an empty path");
  refused_at_once({"fitexp", "-o", (dir / "f.csv").string(), "--plot", ""}, "--plot: an empty prefix");
}

TEST_CASE("hardening: integers with leading zeros are decimal, for every integer flag") {
  const Run r = run_netdim({"esd", kLinear, "--samples", "010", "--seed", "010", "--points", "09", "--json"});
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["samples"] == 10);
  CHECK(j["protocol"]["seed"] == 10);
  CHECK(j["protocol"]["points"] == 9);
  const Run same = run_netdim({"esd", kLinear, "--samples", "10", "--seed", "10", "--points", "9", "--json"});
  CHECK(same.out == r.out);
  // Lists too (--budgets, --dims), and the largest value still fits.
  const Run psd = run_netdim({"psd", kSquare, "--draws", "0002", "--seed", "00", "--json"});
  REQUIRE(psd.code == 0);
  CHECK(nlohmann::json::parse(psd.out)["draws"].size() == 2);
  CHECK(run_netdim({"esd", kLinear, "--seed", "018446744073709551615", "--samples", "1"}).code == 0);
  check_one_line_error(run_netdim({"esd", kLinear, "--samples", "0x10"}), 2);
}

TEST_CASE("hardening: SIGTERM and SIGHUP keep the finished samples like Ctrl-C, with their own exit codes") {
  for (const auto& [signal, code] : {std::pair{"TERM", 143}, std::pair{"HUP", 129}, std::pair{"INT", 130}}) {
    const Run r = run_netdim_signalled({"esd", kLinear, "--samples", "1000000", "--points", "20", "--threads", "1", "--json"},
                                       signal, 1.5);
    CAPTURE(signal);
    CAPTURE(r.err);
    CHECK(r.code == code);
    REQUIRE(!r.out.empty());
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["interrupted"] == true);
    CHECK(j["samples"].get<int>() > 0);
  }
}

TEST_CASE("hardening: a thread that cannot start is not fatal") {
  if (kAddressSanitizer) return;  // ulimit -v and ASan's shadow memory exclude each other
  // 1 GB of address space cannot hold 200 threads' stacks: fewer run, and the command says so.
  const Run r = run_netdim_under("ulimit -v 1000000;", {"esd", kLinear, "--samples", "300", "--threads", "200", "--json"});
  CAPTURE(r.err);
  CHECK((r.code == 0 || r.code == 1));
  if (r.code == 0) CHECK(nlohmann::json::parse(r.out)["samples"] == 300);
  else check_one_line_error(r, 1);
}

TEST_CASE("hardening: memory the limits cannot give is refused with the flags to lower") {
  const std::string net = (kExamples / "counting" / "mlp_784_16_16_10.net").string();
  const TempDir dir("memory");
  write_data(dir);
  refused_at_once({"intrinsic", kLinear, "--data", (dir / "x.npy").string() + "," + (dir / "y.npy").string(), "--dims",
                   "100000000"},
                  "d = 100000000 exceeds the D = 4 parameters");
  if (kAddressSanitizer) return;  // ulimit -v and ASan's shadow memory exclude each other
  const Run limited = run_netdim_under("ulimit -v 4000000; timeout 20",
                                       {"esd", net, "--points", "30000", "--samples", "2", "--threads", "1"});
  check_one_line_error(limited, 1);
  CHECK(limited.err.find("lower --points") != std::string::npos);
  const Run noise = run_netdim_under("ulimit -v 4000000; timeout 20",
                                     {"train", kLinear, "--data", "noise", "--noise-images", "2000000"});
  check_one_line_error(noise, 1);
  CHECK(noise.err.find("lower --noise-images") != std::string::npos);
}

TEST_CASE("hardening: fitexp's points are drawn in bounded time, and more than can be drawn is bad usage") {
  check_one_line_error(run_netdim({"fitexp", "-o", "/tmp/never.csv", "--fit-points", "15000"}), 2);
  CHECK(!fs::exists("/tmp/never.csv"));
}

TEST_CASE("hardening: Ctrl-C in the first epoch of train --plot exits 130, with no empty plot") {
  const TempDir dir("train_plot_stop");
  const std::string net = (kExamples / "esd2020" / "sec51_mlp.net").string();
  const Run r = run_netdim_signalled({"train", net, "--data", "noise", "--noise-images", "60000", "--epochs", "3",
                                      "--plot", (dir / "p").string(), "-o", (dir / "runs.csv").string()},
                                     "INT", 0.2, "training ");
  CAPTURE(r.err);
  CHECK(r.code == 130);
  CHECK(r.err.find("no finite point") == std::string::npos);
  CHECK(!fs::exists(dir / "p-train.svg"));
  CHECK(fs::exists(dir / "runs.csv"));  // what is finished (here: nothing but the header) is kept
}
