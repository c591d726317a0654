// Ctrl-C as a request, not a kill: while a StopRequestScope lives, SIGINT (and SIGTERM,
// SIGHUP: stop_signals.hpp) only records itself, and a long loop that polls stop_requested()
// at a safe point (the end of a batch, between samples) stops cleanly and leaves valid files
// behind. A second signal, while the first is still pending, ends the program the usual way
// (removing any temporary of an atomic write first).
//
// This is the command line's business: library loops (nn::train, the ESD sampler, the sweeps)
// take a std::function<bool()> stop_requested in their options and never read signals
// themselves; a command passes [] { return support::stop_requested(); }.
#pragma once

#include "netdim/support/stop_signals.hpp"

namespace netdim::support {

class StopRequestScope {
 public:
  StopRequestScope() { accept_stop_requests(true); }
  ~StopRequestScope() { accept_stop_requests(false); }
  StopRequestScope(const StopRequestScope&) = delete;
  StopRequestScope& operator=(const StopRequestScope&) = delete;
};

// Whether a stop signal is pending (support::stop_signal() != 0).
inline bool stop_requested() { return stop_signal() != 0; }

}  // namespace netdim::support
