// Weakly connected components by Afforest: sampled linking, then a union-find sweep that
// skips the largest component.
//
// Every vertex starts as its own tree (comp[v] = v). Link(u, v) hooks the higher of the two
// roots under the lower, so comp[v] <= v always holds and every root ends up being the
// smallest vertex of its component. Afforest (Sutton, Ben-Nun & Barak, "Optimizing Parallel
// Graph Connectivity Computation via Subgraph Sampling", IPDPS 2018; the GAP Benchmark Suite's
// cc.cc) first links each vertex to only its first two neighbours and compresses; by then the
// giant component, if there is one, is mostly formed. It samples which root is most common and
// in the final sweep skips the vertices already in it: for an undirected graph each of their
// edges is also stored at the other endpoint, which is not skipped unless it is in the same
// component, so no link is lost. A directed graph stores each arc once, so there every
// remaining arc is linked (weak components ignore direction, and linking is symmetric).
//
// With several threads every phase runs over fixed chunks of the vertices, as GAP's does: a
// hook is a compare-and-swap of a root's pointer (it fails if another worker hooked that root
// first, and the link retries from the new roots), and every other read and write of a pointer
// is a relaxed atomic one; pointers only ever move to smaller vertices of the same tree, so any
// interleaving ends with the same forest roots, each the smallest vertex of its component. The
// sampled giant is the same too: after the neighbour rounds and compression each pointer is the
// smallest vertex of its partial component, whatever the interleaving. So results are
// identical for any thread count.
//
// Time O(n + m α(n)) with path compression; memory O(n). The result does not depend on the
// sample, only the speed does.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "centrality/centrality_internal.h"
#include "trafnet/algorithms/components.h"

namespace trafnet::algorithms {
namespace {

// Linking and compression only rewrite pointers to smaller vertices, and the sampling rounds
// see the first two arcs of every vertex, as in GAPBS.
constexpr uint32_t kNeighbourRounds = 2;
constexpr uint32_t kSamples = 1024;

// Chunks of vertices each phase is cut into (bounds depend on n only).
constexpr size_t kMaxChunks = 1024;
// How many vertices ahead the neighbour rounds prefetch a neighbour's pointer.
constexpr Vertex kLookahead = 16;

// The parent pointers, read and written as relaxed atomics so that workers may share them.
class Forest {
 public:
  explicit Forest(Vertex n) : parent_(n) {
    for (Vertex v = 0; v < n; ++v) parent_[v] = v;
  }
  Vertex Get(Vertex v) { return Ref(v).load(std::memory_order_relaxed); }
  void Set(Vertex v, Vertex parent) { Ref(v).store(parent, std::memory_order_relaxed); }
  // Hooks root `high` under `low` unless another worker changed its pointer first.
  bool Hook(Vertex high, Vertex low) {
    Vertex expected = high;
    return Ref(high).compare_exchange_strong(expected, low, std::memory_order_relaxed);
  }
  Vertex size() const { return static_cast<Vertex>(parent_.size()); }
  void Prefetch(Vertex v) const { __builtin_prefetch(parent_.data() + v); }
  std::vector<Vertex> Release() { return std::move(parent_); }

 private:
  std::atomic_ref<Vertex> Ref(Vertex v) { return std::atomic_ref<Vertex>(parent_[v]); }
  std::vector<Vertex> parent_;
};

void Link(Vertex u, Vertex v, Forest& comp) {
  Vertex p1 = comp.Get(u);
  Vertex p2 = comp.Get(v);
  while (p1 != p2) {
    Vertex high = std::max(p1, p2);
    Vertex low = std::min(p1, p2);
    Vertex parent_of_high = comp.Get(high);
    if (parent_of_high == low) return;  // already in the same tree
    // high was a root, and no other worker hooked it first
    if (parent_of_high == high && comp.Hook(high, low)) return;
    p1 = comp.Get(comp.Get(high));
    p2 = comp.Get(low);
  }
}

void Compress(Forest& comp, const internal::ChunkPlan& plan, unsigned threads) {
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    for (Vertex v = static_cast<Vertex>(plan.begin(chunk)); v < plan.end(chunk); ++v) {
      Vertex parent = comp.Get(v);
      Vertex grandparent = comp.Get(parent);
      while (parent != grandparent) {
        comp.Set(v, grandparent);
        parent = grandparent;
        grandparent = comp.Get(parent);
      }
    }
  });
}

// The most common root among a fixed pseudo-random sample: deterministic, and a good guess at
// the giant component. Uses a 64-bit LCG so the sample is the same on every platform.
Vertex SampleFrequentRoot(Forest& comp) {
  std::unordered_map<Vertex, uint32_t> counts;
  uint64_t state = 0x9E3779B97F4A7C15ull;
  const uint64_t n = comp.size();
  for (uint32_t i = 0; i < kSamples; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    ++counts[comp.Get(static_cast<Vertex>((state >> 33) % n))];
  }
  Vertex best = comp.Get(0);
  uint32_t best_count = 0;
  for (const auto& [root, count] : counts) {
    if (count > best_count || (count == best_count && root < best)) {
      best = root;
      best_count = count;
    }
  }
  return best;
}

ComponentsResult Afforest(const CsrGraph& graph, unsigned threads) {
  const Vertex n = graph.num_vertices();
  if (n == 0) return NumberBySmallestVertex({}, 0);
  Forest comp(n);
  const internal::ChunkPlan plan = internal::PlanChunks(n, kMaxChunks);

  for (uint32_t round = 0; round < kNeighbourRounds; ++round) {
    internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
      const Vertex end = static_cast<Vertex>(plan.end(chunk));
      for (Vertex u = static_cast<Vertex>(plan.begin(chunk)); u < end; ++u) {
        // The pointer of the neighbour kLookahead vertices on: a random read otherwise waited
        // for, one link at a time.
        if (u + kLookahead < end && round < graph.degree(u + kLookahead)) {
          comp.Prefetch(graph.targets()[graph.offsets()[u + kLookahead] + round]);
        }
        std::span<const Vertex> targets = graph.neighbours(u);
        if (round < targets.size()) Link(u, targets[round], comp);
      }
    });
    Compress(comp, plan, threads);
  }

  const bool may_skip = !graph.directed();
  const Vertex giant = SampleFrequentRoot(comp);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    for (Vertex u = static_cast<Vertex>(plan.begin(chunk)); u < plan.end(chunk); ++u) {
      // A vertex seen in the giant's tree stays there, so skipping it is safe at any moment.
      if (may_skip && comp.Get(u) == giant) continue;
      std::span<const Vertex> targets = graph.neighbours(u);
      for (size_t i = kNeighbourRounds; i < targets.size(); ++i) Link(u, targets[i], comp);
    }
  });
  Compress(comp, plan, threads);
  return NumberBySmallestVertex(comp.Release(), n);
}

}  // namespace

ComponentsResult WeaklyConnectedComponents(const CsrGraph& graph) { return Afforest(graph, 1); }

StatusOr<ComponentsResult> WeaklyConnectedComponents(const CsrGraph& graph,
                                                     const ComponentsOptions& options) {
  TRAFNET_ASSIGN_OR_RETURN(const unsigned threads,
                           internal::ResolveThreads(options.threads, "WeaklyConnectedComponents"));
  return Afforest(graph, threads);
}

ComponentsResult NumberBySmallestVertex(const std::vector<uint32_t>& labels, uint32_t label_bound) {
  constexpr uint32_t kUnassigned = UINT32_MAX;
  std::vector<uint32_t> id_of_label(label_bound, kUnassigned);
  ComponentsResult result;
  result.component.resize(labels.size());
  for (size_t v = 0; v < labels.size(); ++v) {
    uint32_t& id = id_of_label[labels[v]];
    if (id == kUnassigned) {
      id = result.count++;
      result.sizes.push_back(0);
    }
    result.component[v] = id;
    ++result.sizes[id];
  }
  return result;
}

}  // namespace trafnet::algorithms
