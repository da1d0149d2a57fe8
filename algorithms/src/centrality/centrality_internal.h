// Helpers shared by the centrality kernels: option checks, the reverse graph, arc lengths,
// a seeded random source, and (parallel.h) a small deterministic fork-join over fixed chunks.
//
// Determinism rule used by every parallel kernel here: work is cut into chunks whose bounds
// depend only on the input (never on the thread count), and anything a chunk adds into a
// shared floating-point total is added in chunk order. The result is then bitwise the same
// for any number of threads.
#ifndef TRAFNET_ALGORITHMS_SRC_CENTRALITY_CENTRALITY_INTERNAL_H_
#define TRAFNET_ALGORITHMS_SRC_CENTRALITY_CENTRALITY_INTERNAL_H_

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "parallel.h"
#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/algorithms/edge_length.h"
#include "trafnet/algorithms/progress.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms::internal {

// Checks a `threads` option: 0 means one per hardware thread. Returns the count to use.
StatusOr<unsigned> ResolveThreads(int threads, std::string_view kernel);

// Checks that the weights can serve `length`: kHops needs nothing; the weighted lengths need
// a weighted graph with finite weights > 0 (Brandes' path counting and Dijkstra both rely
// on every arc strictly lengthening a path).
Status CheckLengths(const CsrGraph& graph, EdgeLength length, std::string_view kernel);

// Checks that every weight is finite and >= 0 (for kernels that use weights as strengths).
Status CheckNonNegativeWeights(const CsrGraph& graph, std::string_view kernel);

// The graph with every arc reversed (same weights). Only meaningful for directed graphs: an
// undirected CSR is its own reverse, so callers use the input directly.
CsrGraph Reverse(const CsrGraph& graph);

// Length of an arc of weight `w` under `length`.
inline double ArcLength(EdgeLength length, float w) {
  switch (length) {
    case EdgeLength::kHops:
      return 1.0;
    case EdgeLength::kWeight:
      return static_cast<double>(w);
    case EdgeLength::kInverseWeight:
      return 1.0 / static_cast<double>(w);
  }
  return 1.0;
}

// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator whose output is the same on
// every platform, unlike std::uniform_int_distribution.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound), bound > 0, by rejection so that there is no modulo bias.
  uint64_t Below(uint64_t bound) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x = Next();
    while (x >= limit) x = Next();
    return x % bound;
  }

 private:
  uint64_t state_;
};

// A BFS from the vertex already in `order` (its `hops` entry set to 0), level by level. Each
// level is expanded top-down, push(v, level) for every v of the frontier, or, on an undirected
// graph when the frontier has more arcs than the vertices not yet reached, bottom-up,
// pull(v, level) for every v whose `hops` entry is still `unreached` (Beamer, Asanović &
// Patterson's direction-optimizing BFS): the last, widest levels of a small-world graph then
// read the few unreached vertices' arcs instead of the frontier's. A bottom-up level also tests
// every vertex's entry, counted at an eighth of an arc read, so vertices the search never
// reaches (other components) keep it top-down. Both callbacks append the vertices they reach
// to `order` with hops = level + 1 (never `level`, which marks the frontier while it is read).
template <typename Push, typename Pull>
void LevelByLevelBfs(const CsrGraph& graph, const std::vector<uint32_t>& hops, uint32_t unreached,
                     const std::vector<Vertex>& order, Push push, Pull pull) {
  const Vertex n = graph.num_vertices();
  uint64_t frontier_arcs = graph.degree(order.front());
  uint64_t unreached_arcs = graph.num_arcs() - frontier_arcs;
  size_t level_begin = 0;
  for (uint32_t level = 0; level_begin < order.size(); ++level) {
    const size_t level_end = order.size();
    if (!graph.directed() && frontier_arcs > unreached_arcs + n / 8) {
      for (Vertex v = 0; v < n; ++v) {
        if (hops[v] == unreached) pull(v, level);
      }
    } else {
      for (size_t i = level_begin; i < level_end; ++i) push(order[i], level);
    }
    frontier_arcs = 0;
    for (size_t i = level_end; i < order.size(); ++i) frontier_arcs += graph.degree(order[i]);
    unreached_arcs -= frontier_arcs;
    level_begin = level_end;
  }
}

// Lets chunks finish in any order but apply their results in chunk order: RunInTurn(c, f)
// waits until chunks 0..c-1 have run theirs, runs f, and lets c+1 go. Used with
// ForEachChunk, whose increasing claim order guarantees chunk c-1 is always in progress or
// done, so the wait cannot deadlock.
class ChunkTurns {
 public:
  template <typename Fn>
  void RunInTurn(size_t chunk, Fn&& fn) {
    std::unique_lock<std::mutex> lock(mutex_);
    turn_changed_.wait(lock, [&] { return turn_ == chunk; });
    fn();
    ++turn_;
    turn_changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable turn_changed_;
  size_t turn_ = 0;
};

// Adds finished work from any worker and reports the running total through a ProgressFn,
// one call at a time.
class ProgressCounter {
 public:
  ProgressCounter(const ProgressFn& report, uint64_t total) : report_(report), total_(total) {}
  void Add(uint64_t done) {
    if (!report_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    done_ += done;
    report_(done_, total_);
  }

 private:
  const ProgressFn& report_;
  uint64_t total_;
  uint64_t done_ = 0;
  std::mutex mutex_;
};

}  // namespace trafnet::algorithms::internal

#endif  // TRAFNET_ALGORITHMS_SRC_CENTRALITY_CENTRALITY_INTERNAL_H_
