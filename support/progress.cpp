#include "netdim/support/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace netdim::support {

Progress::Progress(std::string label, std::size_t total, int enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled < 0 ? isatty(STDERR_FILENO) != 0 : enabled != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

Progress::~Progress() { finish(); }

void Progress::update(std::size_t done, const std::string& note) {
  if (!enabled_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  draw(done, note);
}

void Progress::draw(std::size_t done, const std::string& note) {
  constexpr int width = 30;
  const double fraction = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const int filled = static_cast<int>(fraction * width);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %zu/%zu %.1fs %s\x1b[K", label_.c_str(), bar.c_str(), 100 * fraction, done,
               total_, elapsed, note.c_str());
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
}

}  // namespace netdim::support
