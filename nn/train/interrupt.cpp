#include "nn/train/interrupt.hpp"

#include <csignal>

#include "support/stop_signals.hpp"

namespace netdim::nn {

// The signals themselves (SIGINT, SIGTERM, SIGHUP) are support's: one handler per process.
InterruptGuard::InterruptGuard() { support::accept_stop_requests(true); }
InterruptGuard::~InterruptGuard() { support::accept_stop_requests(false); }

bool InterruptGuard::requested() { return support::stop_signal() != 0; }
void InterruptGuard::request() { support::set_stop_signal(SIGINT); }
void InterruptGuard::clear() { support::set_stop_signal(0); }

}  // namespace netdim::nn
