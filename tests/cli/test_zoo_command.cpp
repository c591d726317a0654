// `netdim zoo` as a user runs it: ESDs per network and reduction, the relations to the
// published errors (r, p, line) in CSV, JSON and SVG, and one-line refusals of a bad
// errors table, a network it does not list, and a budget that would not fit in memory.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

#include "netdim/analysis/parallel/ranks.hpp"
#include "tests/cli/netdim_process.hpp"

using namespace netdim::testing;

namespace {
const std::vector<std::string> kNets = {"fig5_mlp", "fig5_add_shortcuts", "fig5_add_inputs", "fig1_relu"};

std::vector<std::string> zoo_args(const TempDir& dir, const std::string& errors) {
  std::vector<std::string> args{"zoo"};
  for (const auto& n : kNets) args.push_back((kExamples / "esd2020" / (n + ".net")).string());
  args.insert(args.end(), {"--errors", errors, "--samples", "4", "--points", "12", "-o", (dir / "z.csv").string()});
  return args;
}

const char* kErrors =
    "# made-up errors for the test\nname,parameters,top1_error,top5_error\nfig5_mlp,27,30.5,10\n"
    "fig5_add_shortcuts,27,25,8\nfig5_add_inputs,27,20.1,7\nfig1_relu,189,40,12\nunused,1,1,1\n";

// The rows without the seconds and peak_bytes columns, which vary from run to run.
std::string without_timing(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::stringstream s(line);
    for (std::string x; std::getline(s, x, ',');) f.push_back(x);
    for (std::size_t i = 0; i < f.size(); ++i)
      if (i != 8 && i != 9) out += f[i] + ",";
    out += "\n";
  }
  return out;
}
}  // namespace

TEST_CASE("netdim zoo: ESD per network and reduction, relations to the errors, CSV/JSON/SVG") {
  const TempDir dir("zoo");
  write(dir / "errors.csv", kErrors);
  auto args = zoo_args(dir, (dir / "errors.csv").string());
  args.insert(args.end(), {"--json", (dir / "z.json").string(), "--plot", (dir / "fig").string(), "--threads", "1"});
  const Run r = run_netdim(args);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("top1_error     ~ esd_first") != std::string::npos);
  const std::string csv = read(dir / "z.csv");
  CHECK(csv.rfind("network,parameters,reduce,esd,stderr,min,max,samples,seconds,peak_bytes,top1_error,top5_error\n"
                  "fig5_mlp,27,first,",
                  0) == 0);
  CHECK(lines(csv) == 1 + 4 * 2);
  const auto j = nlohmann::json::parse(read(dir / "z.json"));
  for (const char* key : {"protocol", "networks", "correlations", "interrupted"}) CHECK_MESSAGE(j.contains(key), key);
  REQUIRE(j["networks"].size() == 4);
  CHECK(j["networks"][3]["parameters"] == 189);
  CHECK(j["networks"][1]["esd"]["sum_squares"]["sd"].size() == 4);
  CHECK(j["networks"][1]["esd"]["first"]["peak_bytes"].get<double>() > 1e6);
  REQUIRE(j["correlations"].size() == 6);  // (2 ESDs + parameters) x (top-1, top-5)
  // The parameters-top-1 relation by hand: x = 27, 27, 27, 189 against y.
  const auto& c = j["correlations"][2];
  CHECK(c["x"] == "parameters");
  CHECK(c["y"] == "top1_error");
  const double mx = (27 * 3 + 189) / 4.0, my = (30.5 + 25 + 20.1 + 40) / 4;
  const double xs[] = {27, 27, 27, 189}, ys[] = {30.5, 25, 20.1, 40};
  double sxy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < 4; ++i) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) * (xs[i] - mx);
    syy += (ys[i] - my) * (ys[i] - my);
  }
  CHECK(c["r"].get<double>() == doctest::Approx(sxy / std::sqrt(sxx * syy)));
  CHECK(c["slope"].get<double>() == doctest::Approx(sxy / sxx));
  for (const char* plot : {"fig-esd-first-top1.svg", "fig-esd-sum_squares-top5.svg", "fig-parameters-top1.svg"})
    CHECK_MESSAGE(read(dir / plot).find("<svg") == 0, plot);
  // The same seed, the same ESDs, at another thread count.
  auto again = zoo_args(dir, (dir / "errors.csv").string());
  again.back() = (dir / "y.csv").string();
  again.insert(again.end(), {"--threads", "2"});
  REQUIRE(run_netdim(again).code == 0);
  CHECK(without_timing(read(dir / "y.csv")) == without_timing(csv));
}

TEST_CASE("netdim zoo: refusals of a bad table, an unlisted network and a budget beyond memory") {
  const TempDir dir("zoo_bad");
  const std::string out = (dir / "z.csv").string();
  for (const auto& [table, cause] :
       {std::pair<std::string, std::string>{"name,top1_error\nfig5_mlp,3\n", "errors.csv:1: the header has no 'top5_error' column"},
        {"# c\nname,top1_error,top5_error\nfig5_mlp,3\n", "errors.csv:3: 2 fields, the header has 3"},
        {"name,top1_error,top5_error\nfig5_mlp,abc,3\n", "errors.csv:2: top1_error 'abc' is not a percentage"},
        {"name,top1_error,top5_error\nfig5_mlp,1,2\nfig5_mlp,1,2\n", "errors.csv:3: 'fig5_mlp' appears twice"},
        {"name,top1_error,top5_error\nfig5_mlp,1,2\n", "no row for 'fig5_add_shortcuts'"}}) {
    write(dir / "errors.csv", table);
    const Run r = run_netdim(zoo_args(dir, (dir / "errors.csv").string()));
    CAPTURE(cause);
    check_one_line_error(r, 1);
    CHECK(r.err.find(cause) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
  }
  check_one_line_error(run_netdim(zoo_args(dir, (dir / "missing.csv").string())), 1);
  // 100,000 points of the 784-wide section 5.1 MLP need J itself (1.8 million parameters): far beyond 24 GiB.
  const Run big = run_netdim({"zoo", (kExamples / "esd2020" / "sec51_mlp.net").string(), "--points", "100000",
                              "--samples", "1", "-o", out});
  check_one_line_error(big, 1);
  CHECK(big.err.find("lower --points") != std::string::npos);
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--reduce", "mean"}, {"--samples", "0"}, {"--inputs", "data"}, {"--dtype", "float16"},
        {"--inputs", "x.npy"}, {"--init", "he"}, {"--until-stderr", "0.1"}, {"--threads", "0"}, {"--columns", "-1"}}) {
    std::vector<std::string> args{"zoo", (kExamples / "esd2020" / "fig5_mlp.net").string(), "-o", out};
    args.insert(args.end(), bad.begin(), bad.end());
    CAPTURE(bad[0]);
    check_one_line_error(run_netdim(args), 2);
  }
}

TEST_CASE("netdim zoo under mpirun -np 2: the networks split over the ranks, the rows of one process") {
  if (!netdim::analysis::built_with_mpi() || std::system("command -v mpirun >/dev/null 2>&1") != 0) {
    MESSAGE("netdim was built without MPI or mpirun is missing: skipped (scripts/setup installs Open MPI)");
    return;
  }
  const TempDir dir("zoo_mpi");
  write(dir / "errors.csv", kErrors);
  auto one = zoo_args(dir, (dir / "errors.csv").string());
  one.insert(one.end(), {"--threads", "1"});
  REQUIRE(run_netdim(one).code == 0);
  std::string command = "ASAN_OPTIONS=detect_leaks=0 mpirun -x ASAN_OPTIONS --oversubscribe -np 2 ";
  if (::geteuid() == 0) command += "--allow-run-as-root ";
  command += quoted(NETDIM_EXE);
  auto two = one;
  two[two.size() - 3] = (dir / "two.csv").string();  // -o's value
  for (const auto& a : two) {
    command += ' ';
    command += quoted(a);
  }
  const int status = std::system((command + " >" + quoted((dir / "out.txt").string()) + " 2>&1").c_str());
  INFO(read(dir / "out.txt"));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(without_timing(read(dir / "two.csv")) == without_timing(read(dir / "z.csv")));
}

TEST_CASE("netdim zoo takes the shared protocol flags: --columns 0 is every column, as in esd") {
  const TempDir dir("zoo_columns");
  const std::string net = (kExamples / "esd2020" / "fig5_mlp.net").string();
  const std::vector<std::string> zoo{"zoo", net, "--samples", "2", "--points", "8", "--json"};
  std::vector<std::string> zero = zoo;
  zero.insert(zero.end(), {"--columns", "0"});
  const Run a = run_netdim(zoo), b = run_netdim(zero);
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  CHECK(ja.at("networks").at(0).at("esd").at("first").at("sd") == jb.at("networks").at(0).at("esd").at("first").at("sd"));
  // esd, whose --columns is the same declaration, takes 0 too, with the same meaning.
  const Run e = run_netdim({"esd", net, "--samples", "2", "--json"});
  const Run e0 = run_netdim({"esd", net, "--samples", "2", "--columns", "0", "--json"});
  REQUIRE(e0.code == 0);
  CHECK(nlohmann::json::parse(e0.out).at("sd") == nlohmann::json::parse(e.out).at("sd"));
}
