// `netdim intrinsic` as a user runs it, on a small .npy data set a small
// network separates: the table, the JSON, explicit dims and the search, the
// absolute threshold, and bad usage and bad input.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "netdim/nn/data/npy.hpp"
#include "netdim/nn/data/synthetic.hpp"
#include "tests/cli/netdim_process.hpp"

using namespace netdim;
using namespace netdim::testing;

namespace {

// Two classes on either side of a plane in 4 dimensions; train and test files.
std::string write_data(const TempDir& dir) {
  std::string list;
  for (const auto& [name, n, seed] : {std::tuple<std::string, std::size_t, std::uint64_t>{"train", 400, 1}, {"test", 200, 2}}) {
    const auto set = data::random_points<double>(n, 4, 1, seed);
    std::vector<std::int64_t> labels(n);
    for (std::size_t i = 0; i < n; ++i)
      labels[i] = set.inputs(i, 0) - set.inputs(i, 1) + 0.5 * set.inputs(i, 2) > 0 ? 1 : 0;
    data::write_npy(dir / ("x_" + name + ".npy"), set.inputs);
    data::write_npy_integers(dir / ("y_" + name + ".npy"), Shape{n}, labels);
    if (!list.empty()) list += ',';
    list += (dir / ("x_" + name + ".npy")).string();
    list += ',';
    list += (dir / ("y_" + name + ".npy")).string();
  }
  write(dir / "net.net", "netdim 1\nx = input(4)\nh = dense(x, 8, activation=tanh)\ny = dense(h, 2)\n");
  return list;
}

std::vector<std::string> base(const TempDir& dir, const std::string& data) {
  return {"intrinsic", (dir / "net.net").string(), "--data", data, "--epochs", "15", "--lr", "0.05", "--batch", "32"};
}

Run with(std::vector<std::string> args, std::vector<std::string> extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return run_netdim(args);
}

}  // namespace

TEST_CASE("netdim intrinsic: explicit dims, the table and the JSON") {
  const TempDir dir("intrinsic_dims");
  const std::string data = write_data(dir);
  const Run r = with(base(dir, data), {"--dims", "40,1", "--seeds", "2", "--projection", "sparse", "--json",
                                       (dir / "out.json").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("threshold: 0.90 of the baseline") != std::string::npos);
  CHECK(r.out.find("projection: sparse, 4 runs") != std::string::npos);
  const auto j = nlohmann::json::parse(read(dir / "out.json"));
  for (const char* key : {"baseline", "threshold", "d_int90", "complete", "runs"}) CHECK_MESSAGE(j.contains(key), key);
  CHECK(j["threshold"]["kind"] == "relative");
  CHECK(j["baseline"].get<double>() > 0.9);
  REQUIRE(j["runs"].size() == 4);
  CHECK(j["runs"][0]["d"] == 1);  // dims run in increasing order
  CHECK(j["runs"][1]["seed"] == 1);
  for (const auto& run : j["runs"]) {
    CHECK(run["fraction"].get<double>() == doctest::Approx(run["accuracy"].get<double>() / j["baseline"].get<double>()));
    CHECK(run["seconds"].get<double>() >= 0);
  }
  // 40 of the 58 parameters is plenty for a linear boundary; one direction is not.
  CHECK(j["d_int90"] == 40);
}

TEST_CASE("netdim intrinsic --data X.npy,y.npy holds out every fifth row as the test set") {
  const TempDir dir("intrinsic_pair");
  const std::string four = write_data(dir);
  const std::string pair = four.substr(0, four.find(',', four.find(',') + 1));  // the training files alone
  const Run r = with(base(dir, pair), {"--dims", "40", "--json", (dir / "out.json").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("every fifth row held out as the test set") != std::string::npos);
  const auto j = nlohmann::json::parse(read(dir / "out.json"));
  CHECK(j["data"].get<std::string>().find("every fifth row held out") != std::string::npos);
  CHECK(j["baseline"].get<double>() > 0.9);  // 80 held-out points of the same plane
}

TEST_CASE("netdim intrinsic: the search, and an absolute threshold") {
  const TempDir dir("intrinsic_search");
  const std::string data = write_data(dir);
  const Run r = with(base(dir, data), {"--threshold-absolute", "0.9", "--json", (dir / "out.json").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(read(dir / "out.json"));
  CHECK(j["threshold"]["kind"] == "absolute");
  CHECK(j["threshold"]["accuracy"] == 0.9);
  REQUIRE_FALSE(j["d_int90"].is_null());
  const std::size_t d_int = j["d_int90"];
  // The runs bracket it: d_int90 reached on average, and every smaller d tried fell short.
  bool reached = false;
  for (const auto& run : j["runs"]) {
    if (run["d"] == d_int) reached = reached || run["accuracy"].get<double>() >= 0.9;
    if (run["d"].get<std::size_t>() < d_int) CHECK(run["accuracy"].get<double>() < 0.9);
  }
  CHECK(reached);
  CHECK(r.out.find("d_int = " + std::to_string(d_int)) != std::string::npos);
  CHECK(r.out.find("threshold: absolute test accuracy 0.9000") != std::string::npos);
}

TEST_CASE("netdim intrinsic: bad usage exit 2, bad input exit 1, nothing written") {
  const TempDir dir("intrinsic_bad");
  const std::string data = write_data(dir);
  check_one_line_error(with(base(dir, data), {"--projection", "gaussian"}), 2);
  check_one_line_error(with(base(dir, data), {"--dims", "0"}), 2);
  check_one_line_error(with(base(dir, data), {"--threshold", "0.8", "--threshold-absolute", "0.9"}), 2);
  // A dense projection that cannot fit is refused before any training, naming the others.
  write(dir / "wide.net", "netdim 1\nx = input(4)\nh = dense(x, 100000)\ny = dense(h, 2)\n");
  const Run dense = run_netdim({"intrinsic", (dir / "wide.net").string(), "--data", data, "--projection", "dense",
                                "--dims", "10,600000"});
  check_one_line_error(dense, 1);
  CHECK(dense.err.find("use the sparse or the fastfood projection instead") != std::string::npos);
  check_one_line_error(with(base(dir, (dir / "missing.npy").string() + ",a,b,c"), {"--dims", "2"}), 1);
  check_one_line_error(with(base(dir, "a.npy,b.npy"), {"--dims", "2"}), 1);
  const Run unwritable = with(base(dir, data), {"--dims", "2", "--json", (dir / "no" / "out.json").string()});
  check_one_line_error(unwritable, 1);
  CHECK_FALSE(std::filesystem::exists(dir / "no"));
}

TEST_CASE("netdim intrinsic --save and intrinsic-load: the same test accuracy from d coordinates; --plot") {
  const TempDir dir("intrinsic_save");
  const std::string data = write_data(dir);
  const Run r = with(base(dir, data), {"--dims", "3,30", "--save", (dir / "m.sub").string(), "--plot",
                                       (dir / "p.svg").string(), "--json", (dir / "out.json").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(read(dir / "p.svg").find("<svg") == 0);
  const auto j = nlohmann::json::parse(read(dir / "out.json"));
  REQUIRE(j["d_int90"] == 30);
  double accuracy = 0;
  for (const auto& run : j["runs"])
    if (run["d"] == 30) accuracy = run["accuracy"];
  CHECK(r.out.find("saved d = 30") != std::string::npos);
  const Run load = run_netdim({"intrinsic-load", (dir / "net.net").string(), (dir / "m.sub").string(), "--data", data});
  INFO(load.err);
  REQUIRE(load.code == 0);
  char expected[64];
  std::snprintf(expected, sizeof expected, "test accuracy %.4f", accuracy);
  CHECK(load.out.find(expected) != std::string::npos);
  CHECK(load.out.find("58 parameters from 30 coordinates in a fastfood subspace") != std::string::npos);
  // Another network, or no such file: exit 1, one line.
  write(dir / "other.net", "netdim 1\nx = input(4)\nh = dense(x, 9, activation=tanh)\ny = dense(h, 2)\n");
  check_one_line_error(run_netdim({"intrinsic-load", (dir / "other.net").string(), (dir / "m.sub").string(), "--data", data}), 1);
  check_one_line_error(run_netdim({"intrinsic-load", (dir / "net.net").string(), (dir / "none.sub").string(), "--data", data}), 1);
}

TEST_CASE("netdim intrinsic: Ctrl-C keeps the finished runs (exit 130)") {
  const TempDir dir("intrinsic_int");
  const std::string data = write_data(dir);
  std::string dims;
  for (int d = 1; d <= 40; ++d) {
    if (d > 1) dims += ',';
    dims += std::to_string(d);
  }
  const std::string err = (dir / "err").string(), json = (dir / "out.json").string();
  // One SIGINT once the first subspace run has finished (its line is on stderr).
  const std::string command = quoted(NETDIM_EXE) + " intrinsic " + quoted((dir / "net.net").string()) + " --data " +
                              quoted(data) + " --epochs 100 --lr 0.05 --batch 32 --dims " + dims + " --json " +
                              quoted(json) + " >/dev/null 2>" + quoted(err) + " & pid=$!; until grep -q '^d = ' " +
                              quoted(err) + "; do sleep 0.05; done; kill -INT $pid; wait $pid";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  const auto j = nlohmann::json::parse(read(json));
  CHECK(j["complete"] == false);
  CHECK(j["runs"].size() >= 1);
  CHECK(j["runs"].size() < 40);
}

TEST_CASE("netdim intrinsic-load refuses a network whose initialisers differ from the saved one") {
  const TempDir dir("intrinsic_load_init");
  const std::string data = write_data(dir);
  const Run r = with(base(dir, data), {"--dims", "30", "--save", (dir / "m.sub").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  REQUIRE(std::filesystem::exists(dir / "m.sub"));
  // The same layers, another weight initialiser: theta0, hence the accuracy, would differ.
  write(dir / "he.net", "netdim 1\nx = input(4)\nh = dense(x, 8, activation=tanh, weight_init=he)\ny = dense(h, 2)\n");
  const Run load = run_netdim({"intrinsic-load", (dir / "he.net").string(), (dir / "m.sub").string(), "--data", data});
  INFO(load.err);
  check_one_line_error(load, 1);
  CHECK(load.err.find("m.sub: saved from a network with the default initialisers (pytorch) on layer 'dense1', this one has "
                      "weight_init=he there") != std::string::npos);
}
