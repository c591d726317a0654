#include "netdim/analysis/parallel/for_each_index.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <iostream>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace netdim::analysis {

bool for_each_index(std::size_t count, std::size_t threads, const IndexLoop& loop) {
  const auto asked_to_stop = [&] { return loop.stop_requested && loop.stop_requested(); };
  const std::size_t workers = std::min(threads, count);
  if (workers <= 1) {
    for (std::size_t k = 0; k < count; ++k) {
      if (asked_to_stop()) return true;
      loop.task(k);
      if (loop.finished && !loop.finished(k)) return false;
    }
    return false;
  }

  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::size_t> completed;
  std::exception_ptr failure;
  std::size_t running = workers;
  auto work = [&] {
    while (!stop.load()) {
      const std::size_t k = next.fetch_add(1);
      if (k >= count) break;
      try {
        loop.task(k);
        std::lock_guard lock(mutex);
        completed.push_back(k);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
      changed.notify_all();
    }
    std::lock_guard lock(mutex);
    --running;
    changed.notify_all();
  };
  std::vector<std::thread> pool;
  // A thread that cannot be started (an address-space or process limit) is not fatal: the loop
  // goes on with those that did start, or on this thread alone, and says so once.
  try {
    for (std::size_t t = 0; t < workers; ++t) pool.emplace_back(work);
  } catch (const std::system_error& e) {
    {
      std::lock_guard lock(mutex);
      running -= workers - pool.size();
    }
    std::cerr << "netdim: warning: could start only " << pool.size() << " of " << workers << " threads (" << e.what()
              << "); going on with " << std::max<std::size_t>(pool.size(), 1) << " (lower --threads)\n";
    if (pool.empty()) return for_each_index(count, 1, loop);
  }

  bool interrupted = false;
  std::unique_lock lock(mutex);
  for (;;) {
    changed.wait_for(lock, std::chrono::milliseconds(100), [&] { return !completed.empty() || running == 0; });
    while (!completed.empty()) {
      const std::size_t k = completed.front();
      completed.pop_front();
      lock.unlock();
      const bool go_on = !loop.finished || loop.finished(k);
      lock.lock();
      if (!go_on) stop = true;
    }
    if (!stop && asked_to_stop()) stop = interrupted = true;
    if (running == 0 && completed.empty()) break;
  }
  lock.unlock();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return interrupted;
}

}  // namespace netdim::analysis
