// The process's handling of SIGINT, SIGTERM and SIGHUP, in one place:
//   - while a stop is wanted as a request (a StopRequestScope alive, stop_requests.hpp: a long
//     loop polls it and keeps what is finished), the first of these signals only records itself;
//   - otherwise, and on a second signal, the program ends the usual way (the default action,
//     re-raised, so the parent sees "killed by SIGxxx"), but first every temporary file that an
//     atomic write has registered is removed: no PATH.tmp.* is ever left behind.
// A SIGHUP that was ignored when the handlers were installed (nohup) stays ignored.
#pragma once

#include <cstddef>

namespace netdim::support {

// Installs the handlers once per process (later calls do nothing). Not async-signal-safe.
void install_stop_handlers();

// Requests are recorded only while accepting_requests(true) is in force (a counter: nests).
void accept_stop_requests(bool on);

// The signal recorded (SIGINT, SIGTERM or SIGHUP), or 0 when none is pending.
int stop_signal();
void set_stop_signal(int signal_number);  // 0 clears; tests call it with SIGINT as if Ctrl-C came

// The exit code of a run stopped by signal s: 128 + s (130 for Ctrl-C, 143 for SIGTERM).
int interrupted_exit_code();

// A temporary file that must not outlive the process: removed (unlink, async-signal-safe) when a
// signal ends the program. Returns a slot for forget_temporary, or -1 when none is free or the
// path is too long (the file is then only removed on the normal paths).
int remember_temporary(const char* path);
void forget_temporary(int slot);

}  // namespace netdim::support
