#include "netdim/support/stop_signals.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>
#include <mutex>

namespace netdim::support {
namespace {

constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};
constexpr std::size_t kSlots = 64, kPathBytes = 4096;

std::atomic<int> g_signal{0};
std::atomic<int> g_accepting{0};

// Slot states: 0 free, 1 being filled or emptied, 2 armed (the handler removes its file).
struct TemporarySlot {
  std::atomic<int> state{0};
  char path[kPathBytes];
};
std::array<TemporarySlot, kSlots> g_temporaries;

void remove_temporaries() {
  for (TemporarySlot& slot : g_temporaries)
    if (slot.state.load() == 2) ::unlink(slot.path);
}

extern "C" void on_stop_signal(int s) {
  int none = 0;
  if (g_accepting.load() > 0 && g_signal.compare_exchange_strong(none, s)) return;  // a request: polled later
  remove_temporaries();
  std::signal(s, SIG_DFL);
  std::raise(s);
}

// Whether SIGHUP was ignored when netdim started (nohup): then it stays ignored.
std::once_flag g_hup_checked;
bool g_hup_ignored = false;

}  // namespace

// Idempotent, and it re-installs a handler that someone replaced since (a test framework's own
// crash handlers do, per test case), so that every stop point below finds netdim's handler.
void install_stop_handlers() {
  std::call_once(g_hup_checked, [] {
    struct sigaction previous {};
    g_hup_ignored = sigaction(SIGHUP, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN;
  });
  for (const int s : kSignals) {
    // SIGINT and SIGTERM are always taken: a shell starts a background job (`netdim ... &` in a
    // script) with SIGINT ignored, and `kill -INT` must still stop it cleanly, keeping what is finished.
    if (s == SIGHUP && g_hup_ignored) continue;
    struct sigaction current {};
    if (sigaction(s, nullptr, &current) == 0 && current.sa_handler == on_stop_signal) continue;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(s, &action, nullptr);
  }
}

void accept_stop_requests(bool on) {
  if (on) {
    install_stop_handlers();
    if (g_accepting.fetch_add(1) == 0) g_signal.store(0);
  } else {
    g_accepting.fetch_sub(1);
  }
}

int stop_signal() { return g_signal.load(); }
void set_stop_signal(int signal_number) { g_signal.store(signal_number); }

int interrupted_exit_code() {
  const int s = g_signal.load();
  return 128 + (s ? s : SIGINT);
}

int remember_temporary(const char* path) {
  if (std::strlen(path) >= kPathBytes) return -1;
  install_stop_handlers();
  for (std::size_t k = 0; k < kSlots; ++k) {
    int expected = 0;
    if (!g_temporaries[k].state.compare_exchange_strong(expected, 1)) continue;
    std::strcpy(g_temporaries[k].path, path);
    g_temporaries[k].state.store(2);
    return static_cast<int>(k);
  }
  return -1;
}

void forget_temporary(int slot) {
  if (slot < 0 || static_cast<std::size_t>(slot) >= kSlots) return;
  g_temporaries[slot].state.store(1);
  g_temporaries[slot].state.store(0);
}

}  // namespace netdim::support
