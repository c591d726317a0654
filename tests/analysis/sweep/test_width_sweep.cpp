// The width sweep of seed 003's figure 4: its networks and their order, each row the
// ESD of its network, the same rows at 1 and 2 threads and after a resume, the CSV
// read back exactly, and files of other sweeps or malformed lines refused.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

#include "netdim/analysis/sweep/sweep_table.hpp"
#include "netdim/analysis/sweep/width_sweep.hpp"

using namespace netdim;
using namespace netdim::analysis;

namespace {

SweepGrid small_grid() {
  SweepGrid g;
  g.activations = {nn::Activation::Relu, nn::Activation::Tanh};
  g.widths1 = {1, 3};
  g.widths2 = {2, 4, 5};
  return g;
}

EsdProtocol quick() {
  EsdProtocol p;
  p.samples = 6;
  p.seed = 9;
  return p;
}

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("netdim_test_sweep_" + name + "_" + std::to_string(::getpid()));
}

}  // namespace

TEST_CASE("sweep: the networks in order, 1-i-j-1 with the right parameter counts") {
  const auto nets = sweep_networks(small_grid());
  REQUIRE(nets.size() == 12);
  CHECK(nets[0].activation == nn::Activation::Relu);
  CHECK(nets[0].i == 1);
  CHECK(nets[0].j == 2);
  CHECK(nets[5].i == 3);
  CHECK(nets[5].j == 5);
  CHECK(nets[6].activation == nn::Activation::Tanh);
  // 1-3-5-1: 3 + 3 + 15 + 5 + 5 + 1.
  CHECK(sweep_architecture(nets[5]).parameter_count() == 32);
  CHECK(sweep_networks(square_grid(40)).size() == 4800);  // the paper's count
}

TEST_CASE("sweep: each row is its network's ESD; the same rows at 1 and 2 threads and after a resume") {
  const SweepGrid g = small_grid();
  const SweepResult one = run_sweep(g, quick(), 1);
  const SweepResult two = run_sweep(g, quick(), 2);
  REQUIRE(one.rows.size() == 12);
  for (std::size_t k = 0; k < 12; ++k) {
    REQUIRE(one.rows[k]);
    REQUIRE(two.rows[k]);
    CHECK(one.rows[k]->esd == two.rows[k]->esd);
    CHECK(one.rows[k]->stderr_of_mean == two.rows[k]->stderr_of_mean);
  }
  EsdProtocol p = quick();
  p.threads = 1;
  const EsdResult direct = expected_spanning_dimension(sweep_architecture(sweep_networks(g)[7]), p);
  CHECK(one.rows[7]->esd == direct.summary.mean);
  CHECK(one.rows[7]->samples == 6);

  // Resume from half the rows: the others are computed, the kept ones are not touched.
  std::vector<std::optional<SweepRow>> half(12);
  for (std::size_t k = 0; k < 12; k += 2) half[k] = one.rows[k];
  half[0]->esd = -1;  // a marker: a kept row is never recomputed
  std::size_t computed = 0;
  SweepCallbacks cb;
  cb.row_done = [&](const std::vector<std::optional<SweepRow>>&, std::size_t) { ++computed; };
  const SweepResult resumed = run_sweep(g, quick(), 2, half, cb);
  CHECK(computed == 6);
  CHECK(resumed.rows[0]->esd == -1);
  for (std::size_t k = 1; k < 12; ++k) CHECK(resumed.rows[k]->esd == one.rows[k]->esd);
}

TEST_CASE("sweep: the CSV reads back to the same rows; other sweeps and malformed lines are refused") {
  const SweepGrid g = small_grid();
  const SweepResult r = run_sweep(g, quick(), 2);
  const std::string csv = sweep_csv(g, quick(), r.rows);
  const auto path = temp_file("csv");
  {
    std::ofstream(path) << csv;
  }
  const auto back = read_sweep_csv(path, g, quick());
  for (std::size_t k = 0; k < 12; ++k) {
    REQUIRE(back[k]);
    CHECK(back[k]->esd == r.rows[k]->esd);  // 17 digits: bit for bit
    CHECK(back[k]->stderr_of_mean == r.rows[k]->stderr_of_mean);
    CHECK(back[k]->parameters == r.rows[k]->parameters);
  }
  CHECK(sweep_csv(g, quick(), back) == csv);

  EsdProtocol other = quick();
  other.samples = 7;
  CHECK_THROWS_WITH_AS(read_sweep_csv(path, g, other), doctest::Contains(":1: this CSV belongs to another sweep"),
                       std::runtime_error);
  SweepGrid wider = g;
  wider.widths2.push_back(6);
  CHECK_THROWS_WITH_AS(read_sweep_csv(path, wider, quick()), doctest::Contains("another sweep"), std::runtime_error);

  const std::string head = csv.substr(0, csv.find('\n', csv.find('\n') + 1) + 1);
  auto refuses = [&](const std::string& line, const std::string& why) {
    {
      std::ofstream(path) << head << line << "\n";
    }
    try {
      read_sweep_csv(path, g, quick());
      FAIL("accepted: " << line);
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      CHECK_MESSAGE(what.find(":3: ") != std::string::npos, what);
      CHECK_MESSAGE(what.find(why) != std::string::npos, what);
    }
  };
  refuses("relu,1,2,9,1.5,0.1", "expected 7 comma-separated fields");
  refuses("relu,1,3,12,1.5,0.1,6", "is not in this sweep");
  refuses("relu,1,2,10,1.5,0.1,6", "parameter count does not match");
  refuses("relu,1,2,9,abc,0.1,6", "esd must be a number in [0, 9]");
  refuses("relu,1,2,9,1.5,0.1,0", "samples must be a positive integer");
  // Rows no run with these flags could have written: an ESD outside [0, parameters], a negative
  // standard error, another sample count than --samples.
  refuses("relu,1,2,9,-5,0.1,6", "esd must be a number in [0, 9]");
  refuses("relu,1,2,9,9.5,0.1,6", "esd must be a number in [0, 9]");
  refuses("relu,1,2,9,1.5,-0.1,6", "stderr must be a non-negative number");
  refuses("relu,1,2,9,1.5,0.1,500", "500 samples, but this sweep takes 6 per network");
  refuses("relu,1,2,9,1.5,0.1,5", "5 samples, but this sweep takes 6 per network");
  {
    std::ofstream(path) << head << "relu,1,2,9,1.5,0.1,6";  // cut off before its newline
  }
  CHECK_THROWS_WITH_AS(read_sweep_csv(path, g, quick()), doctest::Contains(":3: the last row ends without a newline"),
                       std::runtime_error);
  {
    std::ofstream(path) << head << "relu,1,2,9,1.5,0.1,6\nrelu,1,2,9,1.5,0.1,6\n";
  }
  CHECK_THROWS_WITH_AS(read_sweep_csv(path, g, quick()), doctest::Contains(":4: network relu 1x2 appears twice"),
                       std::runtime_error);
  std::filesystem::remove(path);
}

TEST_CASE("sweep: --resume knows the --inputs data by its content, not by its path") {
  const SweepGrid g = small_grid();
  EsdProtocol p = quick();
  p.inputs = InputDistribution::Data;
  Tensor<double> data = Tensor<double>::from_shape({6, 1});
  for (std::size_t i = 0; i < data.size(); ++i) data.data()[i] = 0.1 * double(i) - 0.2;
  p.data = data;
  p.data_source = "d.npy";
  const auto path = temp_file("data_identity");
  {
    std::ofstream(path) << sweep_csv(g, p, {});
  }
  EsdProtocol spelled = p;
  spelled.data_source = "./d.npy";  // the same file under another spelling: resumes
  CHECK_NOTHROW(read_sweep_csv(path, g, spelled));
  EsdProtocol changed = p;  // other values at the same path: another sweep
  changed.data->data()[3] += 1e-12;
  CHECK_THROWS_WITH_AS(read_sweep_csv(path, g, changed), doctest::Contains("--inputs data"), std::runtime_error);
  std::filesystem::remove(path);
}

TEST_CASE("sweep: empty grids, zero widths and protocols the smallest network cannot run are refused") {
  SweepGrid g = small_grid();
  g.activations.clear();
  CHECK_THROWS_AS(run_sweep(g, quick(), 1), std::invalid_argument);
  g = small_grid();
  g.widths1 = {0, 2};
  CHECK_THROWS_AS(run_sweep(g, quick(), 1), std::invalid_argument);
  EsdProtocol p = quick();
  p.columns = 10;  // 1-1-2-1 has 9 parameters
  CHECK_THROWS_WITH_AS(run_sweep(small_grid(), p, 1), doctest::Contains("more than the network's 9 parameters"),
                       std::invalid_argument);
}
