// Ctrl-C as a request, not a kill: while an InterruptGuard lives, SIGINT (and
// SIGTERM, SIGHUP: support/stop_signals) only sets a flag that long loops poll at
// a safe point (the end of a batch), so they can stop cleanly and leave valid
// files behind. A second signal, while the first is still pending, ends the
// program the usual way (removing any temporary of an atomic write first).
#pragma once

namespace netdim::nn {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  static bool requested();
  static void request();  // as if Ctrl-C was pressed (for tests)
  static void clear();
};

}  // namespace netdim::nn
