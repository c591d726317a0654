// The one rule for machine-readable output (cli/json_output.hpp, docs/cli.md "JSON output"):
// a lone --json prints JSON on stdout in place of the text, --json FILE writes FILE beside the
// text, and a network file after --json is read, never taken for its value. Every command
// with --json follows it, the commands that wrote only files and the ones that printed only.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "netdim/cli/json_output.hpp"
#include "netdim_process.hpp"

namespace netdim {
namespace {

using testing::read;
using testing::Run;
using testing::run_netdim;
using testing::TempDir;

const std::string kNet = (testing::kExamples / "counting" / "linear_regression.net").string();

}  // namespace

TEST_CASE("json output: --json takes the next word unless it is an option or a network file") {
  using V = std::vector<std::string>;
  CHECK(cli::attach_json_values(V{"esd", "--json", "a.net"}) == V{"esd", "--json=-", "a.net"});
  CHECK(cli::attach_json_values(V{"esd", "a.net", "--json"}) == V{"esd", "a.net", "--json=-"});
  CHECK(cli::attach_json_values(V{"esd", "a.net", "--json", "--seed", "0"}) == V{"esd", "a.net", "--json=-", "--seed", "0"});
  CHECK(cli::attach_json_values(V{"esd", "a.net", "--json", "out.json"}) == V{"esd", "a.net", "--json=out.json"});
  CHECK(cli::attach_json_values(V{"sweep", "--json", "rows"}) == V{"sweep", "--json=rows"});  // any name
  CHECK(cli::attach_json_values(V{"esd", "--json", "-", "a.net"}) == V{"esd", "--json=-", "a.net"});
  CHECK(cli::attach_json_values(V{"esd", "--json", "m.onnx"}) == V{"esd", "--json=-", "m.onnx"});
  CHECK(cli::attach_json_values(V{"esd", "--json=x.net"}) == V{"esd", "--json=x.net"});  // explicit: as given
  CHECK(cli::attach_json_values(V{"esd", "--", "--json", "x"}) == V{"esd", "--", "--json", "x"});
  CHECK(cli::attach_json_values(V{}) == V{});
}

TEST_CASE("json output: a printing command writes FILE beside its text, or prints JSON alone") {
  const TempDir dir("json_rule");
  const Run text = run_netdim({"params", kNet});
  const Run alone = run_netdim({"params", kNet, "--json"});
  const Run before = run_netdim({"params", "--json", kNet});
  const Run dash = run_netdim({"params", kNet, "--json", "-"});
  REQUIRE(text.code == 0);
  REQUIRE(alone.code == 0);
  CHECK(nlohmann::json::parse(alone.out).at("total") == 4);
  CHECK(before.out == alone.out);
  CHECK(dash.out == alone.out);
  const std::string file = (dir / "params.json").string();
  const Run to_file = run_netdim({"params", kNet, "--json", file});
  REQUIRE(to_file.code == 0);
  CHECK(to_file.out == text.out);  // the text as without --json
  CHECK(read(file) == alone.out);
  const std::string odd = (dir / "counts.txt").string();  // any name, in either spelling
  CHECK(run_netdim({"params", kNet, "--json", odd}).code == 0);
  CHECK(read(odd) == alone.out);
  CHECK(run_netdim({"params", kNet, "--json=" + odd}).code == 0);
  // A command without --json names the option as typed, not as parse() rewrote it.
  const Run check = run_netdim({"check", kNet, "--json"});
  CHECK(check.code == 2);
  CHECK(check.err.find("--json") != std::string::npos);
  CHECK(check.err.find("--json=-") == std::string::npos);
  const Run empty = run_netdim({"params", kNet, "--json="});
  CHECK(empty.code == 2);  // bad usage, one line
  CHECK(empty.err.find("--json") != std::string::npos);
  // esd and dims alike; dims' text streams while its JSON goes to the file.
  const std::string esd_file = (dir / "esd.json").string();
  const Run esd = run_netdim({"esd", kNet, "--samples", "3", "--seed", "0", "--json", esd_file});
  REQUIRE(esd.code == 0);
  CHECK(esd.out.find("ESD") != std::string::npos);
  CHECK(nlohmann::json::parse(read(esd_file)).at("samples") == 3);
  const Run esd_stdout = run_netdim({"esd", "--json", kNet, "--samples", "3", "--seed", "0"});
  CHECK(esd_stdout.out == read(esd_file));
  const std::string dims_file = (dir / "dims.json").string();
  const Run dims = run_netdim({"dims", kNet, kNet, "--samples", "2", "--draws", "1", "--json", dims_file});
  REQUIRE(dims.code == 0);
  CHECK(dims.out.find("how many dimensions?") != std::string::npos);
  CHECK(nlohmann::json::parse(read(dims_file)).size() == 2);
  const Run dims_stdout = run_netdim({"dims", "--json", kNet, kNet, "--samples", "2", "--draws", "1"});
  CHECK(dims_stdout.out == read(dims_file));
}

TEST_CASE("json output: a file-writing command prints its JSON with a lone --json") {
  const TempDir dir("json_sweep");
  const std::string csv = (dir / "rows.csv").string(), json = (dir / "rows.json").string();
  const std::vector<std::string> sweep{"sweep", "--max-width", "1", "--activations", "relu", "--samples", "2", "-o", csv};
  std::vector<std::string> to_file = sweep, alone = sweep;
  to_file.insert(to_file.end(), {"--json", json});
  alone.push_back("--json");
  const Run f = run_netdim(to_file);
  REQUIRE(f.code == 0);
  CHECK(f.out.find("networks in") != std::string::npos);
  const Run s = run_netdim(alone);  // a usage error before the one rule
  REQUIRE(s.code == 0);
  CHECK(s.out == read(json));
  CHECK(nlohmann::json::parse(s.out).at("rows").size() == 1);
  // export: --json FILE is its output like -o; both at once is refused.
  const std::string graph = (dir / "graph.json").string();
  CHECK(run_netdim({"export", kNet, "--json", graph}).code == 0);
  CHECK(read(graph) == run_netdim({"export", kNet, "--json"}).out);
  const Run both = run_netdim({"export", kNet, "--json", graph, "-o", (dir / "other.json").string()});
  CHECK(both.code == 1);
  CHECK(both.err.find("give one") != std::string::npos);
}

}  // namespace netdim
