// `netdim train` as a user runs it: the table, CSV, JSON keys and plots of a small
// comparison on .npy data, runs that repeat exactly, and one-line refusals.
#include <doctest/doctest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "netdim/nn/data/npy.hpp"
#include "netdim/nn/data/synthetic.hpp"
#include "tests/cli/netdim_process.hpp"
#include "tests/helpers.hpp"

using namespace netdim::testing;

namespace {
// 30 random 1x4x4 images with 3 labels, and 12 for the test set, as .npy files.
void write_data(const TempDir& dir) {
  for (const auto& [name, n, seed] : {std::tuple{"train", 30, 1}, std::tuple{"test", 12, 2}}) {
    const auto set = netdim::data::random_noise_images<double>(n, 1, 4, 4, 3, seed);
    netdim::data::write_npy((dir / (std::string(name) + "_x.npy")).string(), set.inputs);
    std::vector<std::int64_t> labels(set.labels.begin(), set.labels.end());
    netdim::data::write_npy_integers((dir / (std::string(name) + "_y.npy")).string(), {labels.size()}, labels);
  }
  write(dir / "flat.net", "netdim 1\nx = input(16)\nh = dense(x, 5, activation=sigmoid)\ny = dense(h, 3)\n");
  write(dir / "image.net",
        "netdim 1\nshortcuts add_inputs\nx = input(16)\nh = dense(x, 16, activation=sigmoid)\ny = dense(h, 3)\n");
  write(dir / "wide.net", "netdim 1\nx = input(15)\ny = dense(x, 3)\n");
}
}  // namespace

TEST_CASE("netdim train: table, CSV, JSON and plots; the same runs twice") {
  const TempDir dir("train");
  write_data(dir);
  const std::string data = (dir / "train_x.npy").string() + "," + (dir / "train_y.npy").string() + "," +
                           (dir / "test_x.npy").string() + "," + (dir / "test_y.npy").string();
  auto run = [&](const std::string& tag) {
    return run_netdim({"train", (dir / "flat.net").string(), (dir / "image.net").string(), "--data", data, "--epochs",
                       "4", "--budgets", "2,4", "--seeds", "2", "--batch", "8", "--lr", "0.1", "--esd-samples", "3",
                       "--dtype", "float64", "-o", (dir / (tag + ".csv")).string(), "--json",
                       (dir / (tag + ".json")).string(), "--plot", (dir / tag).string()});
  };
  const Run r = run("a");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("flat") != std::string::npos);
  CHECK(r.out.find("train accuracy") != std::string::npos);
  const std::string csv = read(dir / "a.csv");
  CHECK(csv.rfind("network,seed,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,complete\n", 0) == 0);
  CHECK(lines(csv) == 1 + 2 * 2 * 4);
  const auto j = nlohmann::json::parse(read(dir / "a.json"));
  for (const char* key : {"setup", "networks", "table", "runs", "interrupted"}) CHECK_MESSAGE(j.contains(key), key);
  REQUIRE(j["table"].size() == 4);  // 2 networks x 2 budgets
  CHECK(j["table"][1]["network"] == "flat");
  CHECK(j["table"][1]["epochs"] == 4);
  CHECK(j["table"][1]["runs"] == 2);
  const double a = j["runs"][0]["epochs"][3]["test_accuracy"], b = j["runs"][1]["epochs"][3]["test_accuracy"];
  CHECK(j["table"][1]["test_accuracy"]["mean"].get<double>() == doctest::Approx((a + b) / 2));
  CHECK(j["networks"][0]["parameters"] == 16 * 5 + 5 + 5 * 3 + 3);
  CHECK(j["networks"][1]["esd"].get<double>() > j["networks"][0]["esd"].get<double>());
  CHECK(read(dir / "a-train.svg").find("<svg") == 0);
  CHECK(read(dir / "a-test.svg").find("<svg") == 0);
  // The seconds column aside, a second run gives the same numbers.
  REQUIRE(run("b").code == 0);
  const auto k = nlohmann::json::parse(read(dir / "b.json"));
  CHECK(k["table"] == j["table"]);
}

TEST_CASE("netdim train: bad usage exit 2, bad input exit 1, one line and nothing written") {
  const TempDir dir("train_bad");
  write_data(dir);
  const std::string out = (dir / "r.csv").string(), net = (dir / "flat.net").string();
  const std::string data = (dir / "train_x.npy").string() + "," + (dir / "train_y.npy").string();
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--epochs", "0"}, {"--optimizer", "rmsprop"}, {"--lr", "0"}, {"--seeds", "-1"},
        {"--dtype", "int8"}, {"--budgets", "0"}, {"--frobnicate"}}) {
    std::vector<std::string> args{"train", net, "--data", data, "-o", out};
    args.insert(args.end(), bad.begin(), bad.end());
    CAPTURE(bad[0]);
    check_one_line_error(run_netdim(args), 2);
  }
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"train", (dir / "wide.net").string(), "--data", data},  // input [15], data [1, 4, 4]
        {"train", net, "--data", data, "--budgets", "3", "--epochs", "2"},               // budget beyond the epochs
        {"train", net, "--data", data, "--train-subset", "31"},                          // more than there is
        {"train", net, "--data", (dir / "missing.npy").string() + "," + (dir / "train_y.npy").string()},
        {"train", net, "--data", "a.npy"},
        {"train", net, "--data", "fashion-mnist", "--data-dir", (dir / "nothing").string()}}) {
    std::vector<std::string> args = bad;
    args.insert(args.end(), {"-o", out, "--seeds", "1"});
    CAPTURE(bad.back());
    check_one_line_error(run_netdim(args), 1);
    CHECK_FALSE(fs::exists(out));
  }
  const Run missing = run_netdim({"train", net, "--data", "fashion-mnist", "--data-dir", (dir / "nothing").string()});
  CHECK(missing.err.find("dataset-fashion-mnist") != std::string::npos);
}

TEST_CASE("netdim train: data with an infinity is refused with one line naming the file, before any training") {
  const TempDir dir("train_inf");
  write_data(dir);
  const std::string x = (dir / "train_x.npy").string(), out = (dir / "r.csv").string();
  netdim::Tensor<double> inputs = netdim::data::read_npy<double>(x);
  inputs(3, 0, 2, 1) = std::numeric_limits<double>::infinity();  // flat 3 * 16 + 2 * 4 + 1 = 57
  netdim::data::write_npy(x, inputs);
  const Run r = run_netdim({"train", (dir / "flat.net").string(), "--data", x + "," + (dir / "train_y.npy").string(),
                            "--epochs", "1", "--seeds", "1", "-o", out});
  check_one_line_error(r, 1);
  CHECK(r.err.find(x + ": entry 57 ([3, 0, 2, 1]) is inf") != std::string::npos);
  CHECK(r.err.find("diverged") == std::string::npos);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("netdim train --save-params: the parameters after each budget, for esd --params") {
  const TempDir dir("train_save_params");
  write_data(dir);
  const std::string data = (dir / "train_x.npy").string() + "," + (dir / "train_y.npy").string();
  const std::string prefix = (dir / "p").string(), net = (dir / "flat.net").string();
  const Run r = run_netdim({"train", net, "--data", data, "--epochs", "2", "--budgets", "1,2", "--seeds", "2", "--batch",
                            "8", "--lr", "0.1", "--dtype", "float64", "--save-params", prefix});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  for (const char* seed : {"0", "1"})
    for (const char* epoch : {"1", "2"}) {
      const fs::path file = prefix + "-flat-seed" + seed + "-epoch" + epoch + ".npy";
      REQUIRE_MESSAGE(fs::exists(file), file.string());
      const netdim::Tensor<double> theta = netdim::data::read_npy<double>(file);
      CHECK(theta.shape() == netdim::Shape{16 * 5 + 5 + 5 * 3 + 3});
    }
  const netdim::Tensor<double> e1 = netdim::data::read_npy<double>(prefix + "-flat-seed0-epoch1.npy");
  const netdim::Tensor<double> e2 = netdim::data::read_npy<double>(prefix + "-flat-seed0-epoch2.npy");
  CHECK(max_abs_diff(e1, e2) > 0);  // training moved them
  const Run e = run_netdim({"esd", net, "--params", prefix + "-flat-seed1-epoch2.npy", "--samples", "2"});
  CHECK_MESSAGE(e.code == 0, e.err);
  CHECK(e.out.find("params given:") != std::string::npos);
  // An empty prefix is refused before any training.
  check_one_line_error(run_netdim({"train", net, "--data", data, "--epochs", "1", "--save-params", ""}), 1);
}
