// "Did you mean ...?": the closest known name by edit distance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netdim::dsl {

std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate within a distance that scales with the word's length, or "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
// "did you mean `x`?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace netdim::dsl
