// The index loop under the ESD and the sweeps: every index once, stops that keep
// what runs, exceptions carried to the caller, at 1 and at several threads.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <stdexcept>
#include <vector>

#include "analysis/parallel/for_each_index.hpp"

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
