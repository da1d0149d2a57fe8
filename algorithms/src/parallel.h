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
#include <cstdint>
#include <functional>
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

// ForEachChunk on threads kept for the pool's lifetime, for fork-joins too short to start
// threads for (a block of local moving takes about a millisecond, which starting a thread on
// this kind of machine can take as well). Between jobs a worker spins briefly, then sleeps on
// the job counter. Same contract as ForEachChunk: fn(chunk, worker), worker < threads.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads) {
    for (unsigned w = 1; w < std::max(1u, threads); ++w)
      workers_.emplace_back([this, w] { Work(w); });
  }
  ~WorkerPool() {
    stop_.store(true, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  template <typename Fn>
  void ForEachChunk(size_t num_chunks, Fn&& fn) {
    if (workers_.empty() || num_chunks <= 1) {
      for (size_t c = 0; c < num_chunks; ++c) fn(c, 0u);
      return;
    }
    job_ = [&fn](size_t chunk, unsigned worker) { fn(chunk, worker); };
    num_chunks_ = num_chunks;
    next_.store(0, std::memory_order_relaxed);
    busy_.store(static_cast<unsigned>(workers_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    RunChunks(0);
    // Wait for every worker to leave the job (each claims until none is left).
    for (int spin = 0; busy_.load(std::memory_order_acquire) != 0; ++spin) {
      if (spin > kSpins) {
        const unsigned busy = busy_.load(std::memory_order_acquire);
        if (busy != 0) busy_.wait(busy, std::memory_order_acquire);
      }
    }
    job_ = nullptr;
  }

 private:
  static constexpr int kSpins = 20000;

  void RunChunks(unsigned worker) {
    for (size_t c = next_.fetch_add(1, std::memory_order_relaxed); c < num_chunks_;
         c = next_.fetch_add(1, std::memory_order_relaxed)) {
      job_(c, worker);
    }
  }
  void Work(unsigned worker) {
    uint64_t seen = 0;
    while (true) {
      uint64_t now = generation_.load(std::memory_order_acquire);
      for (int spin = 0; now == seen; ++spin) {
        if (spin > kSpins) generation_.wait(seen, std::memory_order_acquire);
        now = generation_.load(std::memory_order_acquire);
      }
      seen = now;
      if (stop_.load(std::memory_order_relaxed)) return;
      RunChunks(worker);
      if (busy_.fetch_sub(1, std::memory_order_acq_rel) == 1) busy_.notify_all();
    }
  }

  std::vector<std::thread> workers_;
  std::function<void(size_t, unsigned)> job_;
  size_t num_chunks_ = 0;
  std::atomic<size_t> next_{0};
  std::atomic<unsigned> busy_{0};  // workers still in the current job
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace trafnet::algorithms::internal

#endif  // TRAFNET_ALGORITHMS_SRC_PARALLEL_H_
