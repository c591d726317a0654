#include "netdim/dsl/suggest.hpp"

#include <algorithm>

namespace netdim::dsl {
namespace {

constexpr std::size_t kMaxCompared = 20000;

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Levenshtein with adjacent transpositions counted as one edit; two rows.
  if (a.size() > 64 || b.size() > 64) return std::max(a.size(), b.size());
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t allowed = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  std::string best;
  std::size_t best_distance = allowed + 1;
  std::size_t compared = 0;
  for (const std::string& c : candidates) {
    if (c == word) continue;
    // The distance is at least the difference in length; and the work per hint is bounded.
    if ((c.size() > word.size() ? c.size() - word.size() : word.size() - c.size()) > allowed) continue;
    if (++compared > kMaxCompared) break;
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance || (d == best_distance && !best.empty() && c < best)) {
      best = c;
      best_distance = d;
    }
  }
  return best_distance <= allowed ? best : std::string();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string c = closest(word, candidates);
  return c.empty() ? std::string() : "did you mean `" + c + "`?";
}

}  // namespace netdim::dsl
