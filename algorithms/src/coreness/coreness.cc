// Coreness by level-synchronous peeling (ParK: Dasari, Ranjan & Zubair, "ParK: An Efficient
// Algorithm for k-core Decomposition on Multicore Processors", IEEE BigData 2014; PKC: Kabir &
// Madduri, "Parallel k-core Decomposition on Multicore Platforms", IPDPSW 2017), a
// cache-friendlier schedule of the Batagelj–Zaversnik peeling ("An O(m) Algorithm for Cores
// Decomposition of Networks", arXiv cs/0310049, 2003).
//
// Level k: every remaining vertex has current degree >= k; those at exactly k form the
// frontier. Taking a frontier vertex lowers each remaining neighbour above k by one, and a
// neighbour that reaches k joins the frontier. When the frontier is exhausted its vertices have
// coreness k; the remaining list is compacted and k jumps to its smallest degree, so empty
// levels cost nothing. Each arc is looked at once, when its source is taken, and touches one
// counter, where BZ's bucket array needs four scattered updates per arc: on graphs larger than
// cache this runs in about 60% of the time of BGL's core_numbers (measured on 1M vertices,
// 10M random edges).
//
// With several threads, each worker owns a contiguous share of the vertices and is the only one
// to read or write their counters: it scans its own remaining list for the level's frontier
// and takes those vertices; a neighbour in its own share is lowered at once (and may join its
// queue), one in another's share is sent to that worker's inbox. Rounds alternate taking the
// queue and applying the inboxes, with a barrier between, until no worker has anything left
// at the level. No atomics: PKC's atomic decrements (Kabir & Madduri) serialise the memory
// accesses that the peel lives on, and took twice the CPU time of the serial peel here.
// Coreness is unique, so the result is the same for any thread count and any interleaving.
//
// O(n + m) time: a vertex is scanned (twice) at each level up to its coreness, and levels are
// distinct values <= its coreness <= its degree, so the scans total at most 2(n + m). Memory:
// the degree array, the remaining list and the frontier (n 32-bit words each), plus an
// undirected copy of a directed graph.
#include "trafnet/algorithms/coreness.h"

#include <algorithm>
#include <barrier>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "centrality/centrality_internal.h"
#include "graph_transforms.h"

namespace trafnet::algorithms {
namespace {

// How far ahead in the frontier the peeling loop prefetches: the offsets of the vertex
// 2 * kLookahead places on, the adjacency of the one kLookahead on. The frontier is in
// discovery order, which on a large graph is a random walk over memory, so without this every
// vertex taken waits for two cache misses in a row.
constexpr size_t kLookahead = 8;
// Chunks of the degree pass (their bounds depend on n only).
constexpr size_t kDegreeChunks = 256;

// Peels with per-vertex counters of type Count (the smallest unsigned type that holds every
// degree, so that the array the peeling hits at random is as small as it can be) and writes
// each vertex's coreness into `degree`.
template <typename Count>
void PeelByLevels(const CsrGraph& graph, std::vector<uint32_t>& degree_io) {
  const Vertex n = graph.num_vertices();
  const uint64_t* offsets = graph.offsets().data();
  const Vertex* targets = graph.targets().data();
  std::vector<Count> degree(degree_io.begin(), degree_io.end());
  std::vector<Vertex> remaining(n);
  Count k = std::numeric_limits<Count>::max();
  for (Vertex v = 0; v < n; ++v) {
    remaining[v] = v;
    k = std::min(k, degree[v]);
  }
  // The cache lines where v's list starts and where it ends (20 ids span at most three).
  // No branch here: GCC 12 drops prefetches whose address depends on one.
  auto prefetch_adjacency = [&](Vertex v) {
    __builtin_prefetch(targets + offsets[v]);
    __builtin_prefetch(targets + offsets[v + 1]);
  };
  std::vector<Vertex> frontier, next_frontier;
  for (Vertex v : remaining) {
    if (degree[v] == k) frontier.push_back(v);
  }
  while (!remaining.empty()) {
    for (size_t i = 0; i < frontier.size(); ++i) {
      if (i + 2 * kLookahead < frontier.size()) {
        __builtin_prefetch(offsets + frontier[i + 2 * kLookahead]);
      }
      if (i + kLookahead < frontier.size()) prefetch_adjacency(frontier[i + kLookahead]);
      const Vertex v = frontier[i];
      for (uint64_t a = offsets[v]; a < offsets[v + 1]; ++a) {
        const Vertex u = targets[a];
        if (degree[u] > k && --degree[u] == k) frontier.push_back(u);
      }
    }
    // Compacts the remaining list and, in the same pass, gathers the next level's frontier in
    // case that level is k + 1 (the usual case); otherwise it takes one more pass.
    size_t kept = 0;
    Count next_k = std::numeric_limits<Count>::max();
    next_frontier.clear();
    for (Vertex v : remaining) {
      const Count d = degree[v];
      if (d > k) {
        remaining[kept++] = v;
        next_k = std::min(next_k, d);
        if (d == k + 1) next_frontier.push_back(v);
      }
    }
    remaining.resize(kept);
    frontier.swap(next_frontier);
    if (next_k != k + 1) {
      frontier.clear();
      for (Vertex v : remaining) {
        if (degree[v] == next_k) frontier.push_back(v);
      }
    }
    k = next_k;
  }
  std::copy(degree.begin(), degree.end(), degree_io.begin());
}

// The peel on `threads` >= 2 workers (see the opening comment).
template <typename Count>
void PeelByLevelsInParallel(const CsrGraph& graph, std::vector<uint32_t>& degree_io,
                            unsigned threads) {
  const Vertex n = graph.num_vertices();
  const uint64_t* offsets = graph.offsets().data();
  const Vertex* targets = graph.targets().data();
  std::vector<Count> degree(degree_io.begin(), degree_io.end());
  // Worker t owns vertices [bound[t], bound[t + 1]) and is the only one to touch their counters.
  std::vector<Vertex> bound(threads + 1);
  for (unsigned t = 0; t <= threads; ++t) {
    bound[t] = static_cast<Vertex>(uint64_t{n} * t / threads);
  }
  auto owner = [&bound](Vertex v) {
    unsigned t = 0;
    while (v >= bound[t + 1]) ++t;  // a handful of workers: a scan beats a division
    return t;
  };

  struct Share {
    std::vector<Vertex> remaining;
    std::vector<Vertex> queue;                // to take at this level
    std::vector<std::vector<Vertex>> outbox;  // per worker: its neighbours to lower by one
    bool has_work = false;                    // queue non-empty after a round's inbox
    Count smallest_left = 0;                  // smallest degree left after a level
  };
  std::vector<Share> shares(threads);
  Count first_level = std::numeric_limits<Count>::max();
  for (unsigned t = 0; t < threads; ++t) {
    shares[t].outbox.resize(threads);
    for (Vertex v = bound[t]; v < bound[t + 1]; ++v) {
      shares[t].remaining.push_back(v);
      first_level = std::min(first_level, degree[v]);
    }
  }

  std::barrier sync(static_cast<std::ptrdiff_t>(threads));
  auto work = [&](unsigned t) {
    Share& share = shares[t];
    std::vector<Vertex>& queue = share.queue;
    auto lower = [&](Vertex u, Count k) {
      if (degree[u] > k && --degree[u] == k) queue.push_back(u);
    };
    Count k = first_level;
    while (true) {
      queue.clear();
      for (Vertex v : share.remaining) {
        if (degree[v] == k) queue.push_back(v);
      }
      // Rounds: take the queue (a neighbour of our own is lowered at once, and may join the
      // queue; another's goes to its inbox), then apply what the others sent us.
      while (true) {
        for (size_t i = 0; i < queue.size(); ++i) {
          if (i + 2 * kLookahead < queue.size()) {
            __builtin_prefetch(offsets + queue[i + 2 * kLookahead]);
          }
          if (i + kLookahead < queue.size()) {
            __builtin_prefetch(targets + offsets[queue[i + kLookahead]]);
            __builtin_prefetch(targets + offsets[queue[i + kLookahead] + 1]);
          }
          const Vertex v = queue[i];
          for (uint64_t a = offsets[v]; a < offsets[v + 1]; ++a) {
            const Vertex u = targets[a];
            if (u >= bound[t] && u < bound[t + 1]) {
              lower(u, k);
            } else {
              share.outbox[owner(u)].push_back(u);
            }
          }
        }
        queue.clear();
        sync.arrive_and_wait();
        for (unsigned other = 0; other < threads; ++other) {
          for (Vertex u : shares[other].outbox[t]) lower(u, k);
        }
        share.has_work = !queue.empty();
        sync.arrive_and_wait();
        // Everyone has read our outboxes, and wrote has_work before the barrier; nobody writes
        // has_work again before we reach the next round's first barrier.
        for (std::vector<Vertex>& box : share.outbox) box.clear();
        bool any_work = false;
        for (const Share& other : shares) any_work = any_work || other.has_work;
        if (!any_work) break;
      }
      size_t kept = 0;
      Count smallest = std::numeric_limits<Count>::max();
      for (Vertex v : share.remaining) {
        if (degree[v] > k) {
          share.remaining[kept++] = v;
          smallest = std::min(smallest, degree[v]);
        }
      }
      share.remaining.resize(kept);
      share.smallest_left = smallest;
      sync.arrive_and_wait();
      // Every worker reads the same shares here, so all agree on the next level or on stopping;
      // none writes them again before the next level's first barrier.
      bool any_left = false;
      Count next = std::numeric_limits<Count>::max();
      for (const Share& other : shares) {
        if (other.remaining.empty()) continue;
        any_left = true;
        next = std::min(next, other.smallest_left);
      }
      if (!any_left) return;
      k = next;
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& thread : pool) thread.join();
  std::copy(degree.begin(), degree.end(), degree_io.begin());
}

template <typename Count>
void Peel(const CsrGraph& graph, std::vector<uint32_t>& degree, unsigned threads) {
  if (threads > 1) {
    PeelByLevelsInParallel<Count>(graph, degree, threads);
  } else {
    PeelByLevels<Count>(graph, degree);
  }
}

}  // namespace

StatusOr<CorenessResult> Coreness(const CsrGraph& input, const CorenessOptions& options) {
  TRAFNET_ASSIGN_OR_RETURN(const unsigned threads,
                           internal::ResolveThreads(options.threads, "Coreness"));
  CsrGraph undirected_storage;
  const CsrGraph& graph = AsUndirected(input, undirected_storage);
  const Vertex n = graph.num_vertices();
  CorenessResult result;
  if (n == 0) return result;

  // Degrees (a pass over every arc to drop self-loops), on the same threads as the peel. Each
  // chunk notes its first vertex whose degree is too large, so the error names the smallest.
  std::vector<uint32_t> degree(n);
  const internal::ChunkPlan plan = internal::PlanChunks(n, kDegreeChunks);
  std::vector<Vertex> too_large(plan.num_chunks, n);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    for (Vertex v = static_cast<Vertex>(plan.begin(chunk)); v < plan.end(chunk); ++v) {
      uint64_t d = graph.degree(v);
      if (!options.count_self_loops) {
        std::span<const Vertex> targets = graph.neighbours(v);
        d -= static_cast<uint64_t>(std::count(targets.begin(), targets.end(), v));
      }
      if (d > UINT32_MAX - 1) {
        too_large[chunk] = v;
        return;
      }
      degree[v] = static_cast<uint32_t>(d);
    }
  });
  for (Vertex v : too_large) {
    if (v == n) continue;
    return InvalidArgumentError("coreness: vertex " + std::to_string(v) + " has degree " +
                                std::to_string(graph.degree(v)) +
                                ", more than the 2^32-2 supported");
  }
  const uint32_t max_degree = *std::max_element(degree.begin(), degree.end());
  if (max_degree <= UINT8_MAX) {
    Peel<uint8_t>(graph, degree, threads);
  } else if (max_degree <= UINT16_MAX) {
    Peel<uint16_t>(graph, degree, threads);
  } else {
    Peel<uint32_t>(graph, degree, threads);
  }
  result.coreness = std::move(degree);
  result.max_coreness = *std::max_element(result.coreness.begin(), result.coreness.end());
  return result;
}

}  // namespace trafnet::algorithms
