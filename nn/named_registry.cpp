#include "netdim/nn/named_registry.hpp"

namespace netdim::nn {

void check_registered_name(const std::string& what, const std::string& name) {
  bool word = !name.empty() && name.size() <= 64 && (name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'));
  for (char c : name) word = word && (c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
  if (!word)
    throw std::invalid_argument(what + ": a name is a lowercase identifier of at most 64 characters ([a-z_][a-z0-9_]*)");
}

std::string automatic_name_prefix(std::string_view name) {
  std::string prefix(name);
  if (!prefix.empty() && prefix.back() >= '0' && prefix.back() <= '9') prefix += '_';
  return prefix;
}

}  // namespace netdim::nn
