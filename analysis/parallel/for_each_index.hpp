// Independent tasks 0..count-1 over a fixed number of threads, with results the same
// at any thread count: each task writes only its own slot, indices are handed out in
// increasing order, and everything that decides what to keep (stopping rules,
// progress, checkpoints) runs on the calling thread, one finished index at a time.
// The ESD's samples and a sweep's networks both run on it.
#pragma once

#include <cstddef>
#include <functional>

namespace netdim::analysis {

struct IndexLoop {
  std::function<void(std::size_t)> task;           // any thread; the first exception it throws stops the
                                                   // loop and is rethrown once every thread has ended
  std::function<bool(std::size_t)> finished;       // calling thread, after task(k) ends; false stops the loop
  std::function<bool()> stop_requested;            // polled between tasks (e.g. Ctrl-C); true stops the loop
};

// Stopping means: no new index is handed out; the tasks already running finish and
// `finished` is still called for them. With threads == 1 everything runs on the
// calling thread, in order. Returns true when stopped by stop_requested.
bool for_each_index(std::size_t count, std::size_t threads, const IndexLoop& loop);

}  // namespace netdim::analysis
