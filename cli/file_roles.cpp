#include "netdim/cli/file_roles.hpp"

#include <stdexcept>
#include <system_error>

#include "netdim/cli/options.hpp"
#include "netdim/support/quote.hpp"

namespace netdim::cli {
namespace {

std::string shown(const std::string& path) { return "'" + support::printable_excerpt(path, 200) + "'"; }

}  // namespace

FileRoles::Entry FileRoles::entry(const std::filesystem::path& path, const std::string& option) const {
  Entry e;
  e.path = path.string();
  e.option = option;
  e.has_identity = support::identity_of(path, e.identity);
  std::error_code ec;
  e.resolved = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  if (ec) e.resolved = path.lexically_normal();
  return e;
}

FileRoles& FileRoles::input(const std::filesystem::path& path, const std::string& option) {
  if (!path.empty()) inputs_.push_back(entry(path, option));
  return *this;
}

bool FileRoles::given(const std::string& option) const {
  const CLI::Option* record = command_.get_option_no_throw(option);
  if (record == nullptr) throw std::logic_error("FileRoles: " + command_.get_name() + " has no option " + option);
  return record->count() > 0;
}

FileRoles& FileRoles::output(const std::string& path, const std::string& option) {
  if (path.empty()) {
    if (given(option)) throw std::runtime_error(option + ": an empty path: give a file name (or leave the option out)");
    return *this;
  }
  require_writable(path, option);
  add_output(entry(path, option));
  return *this;
}

FileRoles& FileRoles::json(const JsonOutput& json) { return json.to_stdout() ? *this : output(json.value, "--json"); }

FileRoles& FileRoles::prefix(const std::string& value, const std::string& option) {
  if (value.empty() && given(option))
    throw std::runtime_error(option + ": an empty prefix: give the start of the file names (or leave the option out)");
  return *this;
}

FileRoles& FileRoles::derived(const std::filesystem::path& path, const std::string& option) {
  require_writable(path, option);
  add_output(entry(path, option + " (" + path.filename().string() + ")"));
  return *this;
}

void FileRoles::add_output(const Entry& e) {
  const auto same = [&](const Entry& other) {
    return (e.has_identity && other.has_identity && e.identity == other.identity) || e.resolved == other.resolved;
  };
  for (const Entry& in : inputs_)
    if (same(in))
      throw std::runtime_error(e.option + ": " + shown(e.path) + " is the input " + shown(in.path) +
                               (in.option.empty() ? "" : " (" + in.option + ")") +
                               ": writing it would destroy the input; choose another output file");
  for (const Entry& out : outputs_)
    if (same(out))
      throw std::runtime_error(e.option + " and " + out.option + " both write " + shown(e.path) +
                               (e.path == out.path ? "" : " (= " + shown(out.path) + ")") +
                               ": the last write would replace the first; give each its own file");
  outputs_.push_back(e);
}

}  // namespace netdim::cli
