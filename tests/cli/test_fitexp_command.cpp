// `netdim fitexp` as a user runs it: rows, JSON keys, plots, the same rows at any
// thread count, and bad usage.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "netdim/analysis/parallel/ranks.hpp"
#include "tests/cli/netdim_process.hpp"

using namespace netdim::testing;

TEST_CASE("netdim fitexp: rows, correlations, JSON and plots; the same at 1 and 2 threads") {
  const TempDir dir("fitexp");
  const std::vector<std::string> small = {"fitexp", "--networks", "5", "--steps", "20", "--restarts", "1",
                                          "--samples", "3", "--max-layers", "2", "--max-nodes", "5"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = small;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_netdim(args);
  };
  const Run r = with({"-o", (dir / "a.csv").string(), "--json", (dir / "a.json").string(), "--plot",
                      (dir / "fit").string(), "--threads", "1"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("5 of 5 networks") != std::string::npos);
  CHECK(r.out.find("training error against ESD: r = ") != std::string::npos);
  const std::string csv = read(dir / "a.csv");
  CHECK(csv.rfind("network,layers,parameters,esd,esd_stderr,train_error\n0,\"", 0) == 0);
  CHECK(lines(csv) == 6);
  const auto j = nlohmann::json::parse(read(dir / "a.json"));
  for (const char* key : {"experiment", "error_vs_esd", "error_vs_parameters", "interrupted", "rows"})
    CHECK_MESSAGE(j.contains(key), key);
  CHECK(j["rows"].size() == 5);
  CHECK(j["error_vs_esd"].contains("p"));
  CHECK(read(dir / "fit-esd.svg").find("<svg") == 0);
  CHECK(read(dir / "fit-parameters.svg").find("<svg") == 0);
  REQUIRE(with({"-o", (dir / "b.csv").string(), "--threads", "2"}).code == 0);
  CHECK(read(dir / "b.csv") == csv);
}

TEST_CASE("netdim fitexp: bad usage exit 2, an unwritable output exit 1, nothing written") {
  const TempDir dir("fitexp_bad");
  const std::string out = (dir / "f.csv").string();
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--networks", "2"}, {"--momentum", "1"}, {"--lr", "0"}, {"--steps", "0"},
        {"--max-nodes", "1"}, {"--fit-points", "1"}}) {
    std::vector<std::string> args{"fitexp", "-o", out};
    args.insert(args.end(), bad.begin(), bad.end());
    CAPTURE(bad[0]);
    check_one_line_error(run_netdim(args), 2);
  }
  check_one_line_error(run_netdim({"fitexp", "-o", (dir / "no" / "f.csv").string()}), 1);
  CHECK(!fs::exists(out));
}

TEST_CASE("netdim fitexp under mpirun -np 2: the same rows and JSON as one process") {
  if (!netdim::analysis::built_with_mpi() || std::system("command -v mpirun >/dev/null 2>&1") != 0) {
    MESSAGE("netdim was built without MPI or mpirun is missing: skipped (scripts/setup installs Open MPI)");
    return;
  }
  const TempDir dir("fitexp_mpi");
  const std::string flags = " fitexp --networks 6 --steps 20 --restarts 1 --samples 3 --max-layers 2 --max-nodes 5 "
                            "--threads 1 -o ";
  auto outputs = [&](const std::string& name) {
    return quoted((dir / (name + ".csv")).string()) + " --json " + quoted((dir / (name + ".json")).string());
  };
  REQUIRE(std::system((quoted(NETDIM_EXE) + flags + outputs("one") + " >/dev/null 2>&1").c_str()) == 0);
  const std::string mpirun = std::string("ASAN_OPTIONS=detect_leaks=0 mpirun -x ASAN_OPTIONS --oversubscribe -np 2 ") +
                             (::geteuid() == 0 ? "--allow-run-as-root " : "");
  const int status = std::system((mpirun + quoted(NETDIM_EXE) + flags + outputs("two") + " >" +
                                  quoted((dir / "out.txt").string()) + " 2>&1")
                                     .c_str());
  INFO(read(dir / "out.txt"));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(read(dir / "two.csv") == read(dir / "one.csv"));
  CHECK(read(dir / "two.json") == read(dir / "one.json"));
}
