// ONNX's own backend node tests, for every operator netdim reads: each case passes (netdim's
// output equals ONNX's expected one) or is refused with the reason pinned in
// tests/fixtures/onnx_node_refused.txt, the documented list of what netdim does not take.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>

#include "netdim/interop/onnx_converter.hpp"
#include "tests/interop/onnx_node_cases.hpp"

using netdim::testing::NodeCaseResult;

namespace {

// Cases whose every operator netdim reads.
std::vector<std::filesystem::path> supported_cases() {
  const auto& ops = netdim::interop::supported_operators();
  std::vector<std::filesystem::path> cases;
  for (const auto& e : std::filesystem::directory_iterator(netdim::testing::kOnnxNodeTests)) {
    onnx::ModelProto m;
    std::ifstream in(e.path() / "model.onnx", std::ios::binary);
    if (!m.ParseFromIstream(&in)) continue;
    bool all = m.graph().node_size() > 0;
    for (const onnx::NodeProto& n : m.graph().node()) all = all && std::find(ops.begin(), ops.end(), n.op_type()) != ops.end();
    if (all) cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::map<std::string, std::string> pinned_refusals() {
  std::map<std::string, std::string> pinned;
  std::ifstream in(std::string(NETDIM_TEST_FIXTURES) + "/onnx_node_refused.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t colon = line.find(": ");
    if (colon != std::string::npos) pinned[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return pinned;
}

}  // namespace

TEST_CASE("ONNX's backend node tests: every case of a supported operator passes or is refused as documented") {
  if (!std::filesystem::is_directory(netdim::testing::kOnnxNodeTests)) {
    MESSAGE("libonnx-testdata is not installed (scripts/setup installs it): the node tests are not run");
    return;
  }
  const std::map<std::string, std::string> pinned = pinned_refusals();
  REQUIRE_MESSAGE(!pinned.empty(), "tests/fixtures/onnx_node_refused.txt is missing or empty");
  std::map<std::string, int> passed_per_op;
  std::set<std::string> seen;
  int passed = 0, refused = 0;
  for (const std::filesystem::path& dir : supported_cases()) {
    const NodeCaseResult r = netdim::testing::run_node_case(dir);
    seen.insert(r.name);
    CAPTURE(r.name);
    CAPTURE(r.detail);
    CHECK(r.outcome != NodeCaseResult::Outcome::Mismatch);
    if (r.outcome == NodeCaseResult::Outcome::Passed) {
      ++passed;
      for (const std::string& op : r.ops) ++passed_per_op[op];
      CHECK_MESSAGE(!pinned.count(r.name), "passes now: remove it from onnx_node_refused.txt");
    } else if (r.outcome == NodeCaseResult::Outcome::Refused) {
      ++refused;
      // The message after "model.onnx: " is the reason, pinned word for word.
      const std::string reason = r.detail.substr(r.detail.find(": ") + 2);
      const auto it = pinned.find(r.name);
      CHECK_MESSAGE((it != pinned.end() && it->second == reason), "refused, not as pinned: " << r.name << ": " << reason);
    }
  }
  for (const auto& [name, reason] : pinned) CHECK_MESSAGE(seen.count(name), "pinned but no longer a case: " << name);
  std::string table;
  for (const auto& [op, n] : passed_per_op) table += " " + op + "=" + std::to_string(n);
  MESSAGE("ONNX node tests: " << passed << " passed, " << refused << " refused as documented; passed per operator:" << table);
  CHECK(passed >= 60);  // what passes today: fewer is a regression
}
