// The index loop under the ESD and the sweeps: every index once, stops that keep
// what runs, exceptions carried to the caller, at 1 and at several threads.
#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/parallel/for_each_index.hpp"
#include "tests/sanitizer.hpp"

using namespace netdim::analysis;

TEST_CASE("for_each_index runs every index once and reports each on the calling thread") {
  for (std::size_t threads : {1, 2, 4}) {
    std::vector<std::atomic<int>> runs(100);
    std::vector<int> seen;
    IndexLoop loop;
    loop.task = [&](std::size_t k) { ++runs[k]; };
    loop.finished = [&](std::size_t k) {
      seen.push_back(static_cast<int>(k));  // unsynchronised on purpose: only the calling thread may get here
      return true;
    };
    CHECK_FALSE(for_each_index(100, threads, loop));
    for (auto& r : runs) CHECK(r == 1);
    CHECK(seen.size() == 100);
  }
}

TEST_CASE("for_each_index stops handing out indices when finished says so or a stop is requested") {
  for (std::size_t threads : {1, 2}) {
    std::atomic<int> ran{0};
    std::size_t reported = 0;
    IndexLoop loop;
    loop.task = [&](std::size_t) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // so the loop can stop long before the end
      ++ran;
    };
    loop.finished = [&](std::size_t) { return ++reported < 10; };
    CHECK_FALSE(for_each_index(5000, threads, loop));
    CHECK(reported == static_cast<std::size_t>(ran.load()));  // every task that ran was reported
    CHECK(ran >= 10);
    CHECK(ran < 5000);

    std::size_t calls = 0;
    IndexLoop interrupted;
    interrupted.task = [](std::size_t) { std::this_thread::sleep_for(std::chrono::microseconds(200)); };
    interrupted.finished = [&](std::size_t) { return true; };
    interrupted.stop_requested = [&] { return ++calls > 5; };
    CHECK(for_each_index(20000, threads, interrupted));
  }
}

TEST_CASE("for_each_index rethrows the first exception after every thread has ended") {
  for (std::size_t threads : {1, 2}) {
    IndexLoop loop;
    loop.task = [](std::size_t k) {
      if (k == 7) throw std::runtime_error("sample 7 failed");
    };
    CHECK_THROWS_WITH_AS(for_each_index(50, threads, loop), "sample 7 failed", std::runtime_error);
  }
}

TEST_CASE("for_each_index goes on with the threads that start when the others cannot") {
  if (netdim::testing::kAddressSanitizer) return;  // an address-space limit and ASan's shadow memory exclude each other
  // In a child: an address-space limit just above what the process uses leaves room for a few
  // 8 MiB thread stacks, not for 400 of them. Before the fix, std::thread's exception left
  // joinable threads behind and ended in std::terminate (SIGABRT).
  std::fflush(nullptr);  // the child must not print the parent's buffered output again
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::ifstream status("/proc/self/status");
    std::size_t vm_kib = 0;
    for (std::string line; std::getline(status, line);)
      if (line.rfind("VmSize:", 0) == 0) vm_kib = std::stoull(line.substr(7));
    const rlim_t limit = (vm_kib + 200 * 1024) * 1024;
    struct rlimit r {limit, limit};
    ::setrlimit(RLIMIT_AS, &r);
    std::vector<std::atomic<int>> runs(1000);
    IndexLoop loop;
    loop.task = [&](std::size_t k) { ++runs[k]; };
    for_each_index(runs.size(), 400, loop);
    for (auto& n : runs)
      if (n != 1) ::_exit(3);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
