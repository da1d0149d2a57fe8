// A minimal parallel loop for the engine's passes whose result must not depend on the thread
// count: each index is one fixed piece of work, and the caller combines the pieces in index
// order afterwards.
#ifndef TRAFNET_ENGINE_PARALLEL_FOR_H_
#define TRAFNET_ENGINE_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace trafnet::engine {

// Runs fn(i) for i in [0, count) on up to `threads` threads (the calling one included), each
// taking the next i in turn. What fn does must not depend on which thread runs it.
template <typename Fn>
void ForEachIndex(size_t count, unsigned threads, const Fn& fn) {
  const size_t workers = std::max<size_t>(1, std::min<size_t>(threads, count));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) fn(i);
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
}

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_PARALLEL_FOR_H_
