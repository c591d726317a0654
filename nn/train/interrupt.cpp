#include "nn/train/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace netdim::nn {
namespace {

std::atomic<bool> g_requested{false};
std::atomic<int> g_depth{0};
struct sigaction g_previous;

extern "C" void on_sigint(int) {
  if (g_requested.load()) {
    // Second Ctrl-C: restore the default action and re-raise.
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  g_requested.store(true);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  if (g_depth.fetch_add(1) == 0) {
    g_requested.store(false);
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &g_previous);
  }
}

InterruptGuard::~InterruptGuard() {
  if (g_depth.fetch_sub(1) == 1) sigaction(SIGINT, &g_previous, nullptr);
}

bool InterruptGuard::requested() { return g_requested.load(); }
void InterruptGuard::request() { g_requested.store(true); }
void InterruptGuard::clear() { g_requested.store(false); }

}  // namespace netdim::nn
