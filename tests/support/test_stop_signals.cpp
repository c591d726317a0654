// support/stop_signals: SIGTERM and SIGHUP are requests like SIGINT while a loop accepts them;
// a signal that ends the program removes the temporary of an atomic write in progress.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>

#include "netdim/support/atomic_write.hpp"
#include "netdim/support/stop_requests.hpp"
#include "netdim/support/stop_signals.hpp"

namespace fs = std::filesystem;

namespace {
// Runs `body` in a child process; returns its wait status.
template <class Body>
int in_child(Body body) {
  std::fflush(nullptr);  // the child must not print the parent's buffered output again
  const pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}
}  // namespace

TEST_CASE("support stop_signals: SIGTERM and SIGHUP are requests while a guard lives, with their exit codes") {
  for (const int s : {SIGINT, SIGTERM, SIGHUP}) {
    const int status = in_child([s] {
      netdim::support::StopRequestScope guard;
      std::raise(s);
      if (!netdim::support::stop_requested()) ::_exit(10);
      if (netdim::support::stop_signal() != s) ::_exit(11);
      if (netdim::support::interrupted_exit_code() != 128 + s) ::_exit(12);
      ::_exit(0);
    });
    CAPTURE(s);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}

TEST_CASE("support stop_signals: a second signal ends the program the usual way") {
  const int status = in_child([] {
    netdim::support::StopRequestScope guard;
    std::raise(SIGTERM);
    std::raise(SIGTERM);
    ::_exit(0);  // not reached
  });
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
}

TEST_CASE("support stop_signals: a signal during an atomic write leaves no temporary behind") {
  const fs::path dir = fs::temp_directory_path() / ("netdim-signal-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const int s : {SIGINT, SIGTERM, SIGHUP}) {
    const int status = in_child([&] {
      netdim::support::write_atomically(dir / "out.bin", [&](const netdim::support::PutBytes& put) {
        const std::string block(1 << 20, 'x');
        put(block.data(), block.size());
        std::raise(s);  // no guard: the default action, after the temporary is removed
        put(block.data(), block.size());
      });
    });
    CAPTURE(s);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == s);
    CHECK(files_in(dir) == 0);  // neither out.bin nor out.bin.tmp.*
  }
  // Under a guard the write is not cut: it completes, and the request waits for the loop.
  const int status = in_child([&] {
    netdim::support::StopRequestScope guard;
    netdim::support::write_atomically(dir / "kept.bin", [&](const netdim::support::PutBytes& put) {
      put("a", 1);
      std::raise(SIGTERM);
      put("b", 1);
    });
    ::_exit(netdim::support::stop_requested() ? 0 : 13);
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(fs::file_size(dir / "kept.bin") == 2);
  CHECK(files_in(dir) == 1);
  fs::remove_all(dir);
}
