// A small deterministic fork-join over fixed chunks, shared by the parallel kernels.
//
// Determinism rule: work is cut into chunks whose bounds depend only on the input (never on
// the thread count), and anything a chunk adds into a shared floating-point total is added in
// chunk order. The result is then bitwise the same for any number of threads.
#ifndef TRAFNET_ALGORITHMS_SRC_PARALLEL_H_
#define TRAFNET_ALGORITHMS_SRC_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace trafnet::algorithms::internal {

// Splits [0, count) into at most `max_chunks` contiguous chunks of equal size (the last may
// be shorter). The split depends only on `count`, never on the thread count.
struct ChunkPlan {
  size_t count = 0;
  size_t chunk_size = 1;
  size_t num_chunks = 0;
  size_t begin(size_t chunk) const { return chunk * chunk_size; }
  size_t end(size_t chunk) const { return std::min(count, (chunk + 1) * chunk_size); }
};
inline ChunkPlan PlanChunks(size_t count, size_t max_chunks) {
  ChunkPlan plan;
  plan.count = count;
  plan.chunk_size = count == 0 ? 1 : (count + max_chunks - 1) / max_chunks;
  plan.num_chunks = (count + plan.chunk_size - 1) / plan.chunk_size;
  return plan;
}

// Runs fn(chunk, worker) for every chunk in [0, num_chunks) on up to `threads` workers
// (worker in [0, threads)). Chunks are claimed in increasing order. With one worker, or one
// chunk, everything runs on the calling thread.
template <typename Fn>
void ForEachChunk(size_t num_chunks, unsigned threads, Fn&& fn) {
  const unsigned workers =
      static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, num_chunks)));
  if (workers == 1) {
    for (size_t c = 0; c < num_chunks; ++c) fn(c, 0u);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&](unsigned worker) {
    for (size_t c = next.fetch_add(1); c < num_chunks; c = next.fetch_add(1)) fn(c, worker);
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& t : pool) t.join();
}

}  // namespace trafnet::algorithms::internal

#endif  // TRAFNET_ALGORITHMS_SRC_PARALLEL_H_
