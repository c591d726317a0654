// `netdim sweep` as a user runs it: the CSV, JSON and heat maps; the same file at 1
// and 2 threads and after --resume; Ctrl-C keeps the finished rows; bad input.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/analysis/sweep/sweep_table.hpp"
#include "tests/cli/netdim_process.hpp"

using namespace netdim::testing;

TEST_CASE("netdim sweep: CSV, JSON and heat maps; the same bytes at 1 and 2 threads and after --resume") {
  const TempDir dir("sweep");
  const std::vector<std::string> grid = {"sweep", "--max-width", "4", "--samples", "5", "--seed", "2"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = grid;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_netdim(args);
  };
  const Run r = with({"-o", (dir / "a.csv").string(), "--threads", "1", "--json", (dir / "a.json").string(),
                      "--heatmap", (dir / "map").string()});
  REQUIRE(r.code == 0);
  CHECK(r.out == "48 of 48 networks in " + (dir / "a.csv").string() + "\n");
  const std::string csv = read(dir / "a.csv");
  CHECK(lines(csv) == 2 + 48);
  CHECK(csv.find("\nactivation,i,j,parameters,esd,stderr,samples\nrelu,1,1,6,") != std::string::npos);
  const auto j = nlohmann::json::parse(read(dir / "a.json"));
  CHECK(j["rows"].size() == 48);
  CHECK(j["rows"][47]["activation"] == "tanh");
  CHECK(j["rows"][47]["parameters"] == 33);  // 1-4-4-1
  CHECK(j["sweep"]["widths1"].size() == 4);
  for (const char* act : {"relu", "sigmoid", "tanh"})
    CHECK(read(dir / (std::string("map-") + act + ".svg")).find("<svg") == 0);

  REQUIRE(with({"-o", (dir / "b.csv").string(), "--threads", "2"}).code == 0);
  CHECK(read(dir / "b.csv") == csv);

  // Half the rows, as an interrupted run leaves them: --resume computes the rest.
  std::string half = csv.substr(0, csv.find("sigmoid,"));
  write(dir / "c.csv", half);
  const Run resumed = with({"-o", (dir / "c.csv").string(), "--resume"});
  REQUIRE(resumed.code == 0);
  CHECK(resumed.out.find("(16 resumed)") != std::string::npos);
  CHECK(read(dir / "c.csv") == csv);

  // Another sweep's file: one line, exit 1, the file untouched.
  write(dir / "c.csv", half);
  check_one_line_error(run_netdim({"sweep", "--max-width", "4", "--samples", "6", "--seed", "2", "-o",
                                   (dir / "c.csv").string(), "--resume"}),
                       1);
  CHECK(read(dir / "c.csv") == half);
}

TEST_CASE("netdim sweep: Ctrl-C keeps the finished rows, whole and readable by --resume (exit 130)") {
  const TempDir dir("sweep_int");
  const std::string csv = (dir / "s.csv").string();
  // One SIGINT, as one Ctrl-C sends (timeout(1) would signal the process group as well: two).
  const std::string command = quoted(NETDIM_EXE) + " sweep --max-width 40 --samples 100 --threads 2 -o " + quoted(csv) +
                              " >/dev/null 2>&1 & pid=$!; sleep 2; kill -INT $pid; wait $pid";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  const std::string rows = read(csv);
  CHECK(lines(rows) > 2);
  CHECK(lines(rows) < 2 + 4800);
  // The rows kept are whole: what --resume reads back is every one of them.
  REQUIRE(rows.back() == '\n');
  netdim::analysis::EsdProtocol protocol;
  const auto kept = netdim::analysis::read_sweep_csv(csv, netdim::analysis::square_grid(40), protocol);
  std::size_t count = 0;
  for (const auto& row : kept) count += row.has_value();
  CHECK(count == lines(rows) - 2);
}

TEST_CASE("netdim sweep: bad usage exit 2, bad input exit 1, nothing written") {
  const TempDir dir("sweep_bad");
  const std::string out = (dir / "s.csv").string();
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--max-width", "0"}, {"--widths1", "4..2"}, {"--widths1", "0,1"},
        {"--widths2", "3,3"}, {"--activations", "relu,foo"}, {"--activations", "relu,relu"}, {"--samples", "0"}}) {
    std::vector<std::string> args{"sweep", "-o", out};
    args.insert(args.end(), bad.begin(), bad.end());
    CAPTURE(bad[1]);
    check_one_line_error(run_netdim(args), 2);
  }
  check_one_line_error(run_netdim({"sweep", "--max-width", "2"}), 2);  // no -o
  check_one_line_error(run_netdim({"sweep", "--max-width", "2", "-o", (dir / "no" / "s.csv").string()}), 1);
  check_one_line_error(run_netdim({"sweep", "--max-width", "2", "-o", out, "--resume"}), 1);  // nothing to resume
  check_one_line_error(run_netdim({"sweep", "--max-width", "2", "-o", out, "--columns", "7"}), 1);  // 1-1-1-1 has 6 parameters
  CHECK(!fs::exists(out));
}

TEST_CASE("netdim sweep under mpirun -np 2: the same file as one process") {
  if (!netdim::analysis::built_with_mpi() || std::system("command -v mpirun >/dev/null 2>&1") != 0) {
    MESSAGE("netdim was built without MPI or mpirun is missing: skipped (scripts/setup installs Open MPI)");
    return;
  }
  const TempDir dir("sweep_mpi");
  const std::string flags = " sweep --max-width 3 --samples 4 --seed 5 --threads 1 -o ";
  REQUIRE(std::system((quoted(NETDIM_EXE) + flags + quoted((dir / "one.csv").string()) + " >/dev/null 2>&1").c_str()) == 0);
  // As root Open MPI needs --allow-run-as-root; 2 ranks on any core count need --oversubscribe.
  // Open MPI's own allocations would read as leaks to a sanitized build.
  const std::string mpirun = std::string("ASAN_OPTIONS=detect_leaks=0 mpirun -x ASAN_OPTIONS --oversubscribe -np 2 ") +
                             (::geteuid() == 0 ? "--allow-run-as-root " : "");
  const int status = std::system((mpirun + quoted(NETDIM_EXE) + flags + quoted((dir / "two.csv").string()) +
                                  " >" + quoted((dir / "out.txt").string()) + " 2>&1")
                                     .c_str());
  INFO(read(dir / "out.txt"));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(read(dir / "two.csv") == read(dir / "one.csv"));
  CHECK(read(dir / "out.txt").find("27 of 27 networks") != std::string::npos);  // printed once, by rank 0
  CHECK(read(dir / "out.txt").find("27 of 27 networks", read(dir / "out.txt").find("27 of 27") + 1) == std::string::npos);
}
