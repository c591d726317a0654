// A one-line progress bar on stderr, drawn only when stderr is a terminal,
// redrawn at most a few times a second so it never slows the work it reports.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace netdim::support {

class Progress {
 public:
  // `enabled` defaults to whether stderr is a terminal.
  explicit Progress(std::string label, std::size_t total, int enabled = -1);
  ~Progress();  // finishes the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Marks `done` of `total` units complete; `note` is shown after the bar (e.g. "loss 0.31").
  void update(std::size_t done, const std::string& note = "");
  void finish();
  bool enabled() const { return enabled_; }

 private:
  void draw(std::size_t done, const std::string& note);
  std::string label_;
  std::size_t total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace netdim::support
