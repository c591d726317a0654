// Every example's check, params, export --json, dims --json and esd --json output, pinned
// byte for byte (tests/fixtures/example_outputs/commands.txt lists the commands): a
// refactoring of layers, activations or reports must not change a printed byte.
#include <fnmatch.h>

#include <algorithm>
#include <doctest/doctest.h>

#include "tests/cli/netdim_process.hpp"

namespace netdim::testing {
namespace {

const fs::path kPinned = fs::path(NETDIM_TEST_FIXTURES) / "example_outputs";
const fs::path kRoot = kExamples.parent_path();

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The example files that a pattern such as `examples/*/*.net` names, sorted.
std::vector<std::string> expand(const std::string& pattern) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(kExamples)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), kRoot).generic_string();
    if (fnmatch(pattern.c_str(), rel.c_str(), FNM_PATHNAME) == 0) out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The pinned file's name, as scripts/pin-example-outputs writes it.
std::string pinned_name(const std::string& example, const std::vector<std::string>& args) {
  std::string name = example.substr(std::string("examples/").size());
  name = name.substr(0, name.size() - std::string(".net").size());
  for (std::size_t at; (at = name.find('/')) != std::string::npos;) name.replace(at, 1, "__");
  std::string slug;
  for (const std::string& a : args) {
    std::string w = a;
    std::replace(w.begin(), w.end(), '-', '_');
    slug += (slug.empty() ? "" : "_") + w;
  }
  // `--json` becomes `__json` above; the script squeezes runs of `_`.
  std::string squeezed;
  for (char c : slug)
    if (!(c == '_' && !squeezed.empty() && squeezed.back() == '_')) squeezed += c;
  if (!squeezed.empty() && squeezed.front() == '_') squeezed.erase(0, 1);
  return name + "." + squeezed + ".out";
}

}  // namespace

TEST_CASE("every example's pinned outputs are unchanged, byte for byte") {
  const std::string manifest = read(kPinned / "commands.txt");
  REQUIRE_FALSE(manifest.empty());
  std::istringstream lines_in(manifest);
  std::size_t compared = 0;
  for (std::string line; std::getline(lines_in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t at = line.find('@');
    REQUIRE(at != std::string::npos);
    const std::vector<std::string> args = words(line.substr(0, at));
    for (const std::string& pattern : words(line.substr(at + 1))) {
      const std::vector<std::string> examples = expand(pattern);
      CHECK_MESSAGE(!examples.empty(), "no example matches ", pattern);
      for (const std::string& example : examples) {
        std::vector<std::string> command = args;
        command.push_back(example);
        const Run r = run_netdim_under("cd " + quoted(kRoot.string()) + " &&", command);
        const std::string got = "exit " + std::to_string(r.code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
        const fs::path file = kPinned / pinned_name(example, args);
        INFO("netdim ", line.substr(0, at), example, " against ", file.string());
        REQUIRE(fs::exists(file));
        CHECK(got == read(file));
        ++compared;
      }
    }
  }
  // The manifest names 168 (command, example) pairs today; a glob that stops matching fails above.
  CHECK(compared == static_cast<std::size_t>(std::distance(fs::directory_iterator(kPinned), fs::directory_iterator()) - 1));
}

}  // namespace netdim::testing
