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
// Time O(n + m α(n)) with path compression; memory O(n). Single-threaded; the result does not
// depend on the sample, only the speed does.
#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "trafnet/algorithms/components.h"

namespace trafnet::algorithms {
namespace {

// Linking and compression only rewrite pointers to smaller vertices, and the sampling rounds
// see the first two arcs of every vertex, as in GAPBS.
constexpr uint32_t kNeighbourRounds = 2;
constexpr uint32_t kSamples = 1024;

void Link(Vertex u, Vertex v, std::vector<Vertex>& comp) {
  Vertex p1 = comp[u];
  Vertex p2 = comp[v];
  while (p1 != p2) {
    Vertex high = std::max(p1, p2);
    Vertex low = std::min(p1, p2);
    Vertex parent_of_high = comp[high];
    if (parent_of_high == low) return;  // already in the same tree
    if (parent_of_high == high) {       // high is a root: hook it under low
      comp[high] = low;
      return;
    }
    p1 = comp[comp[high]];
    p2 = comp[low];
  }
}

void Compress(std::vector<Vertex>& comp) {
  for (Vertex v = 0; v < comp.size(); ++v) {
    while (comp[v] != comp[comp[v]]) comp[v] = comp[comp[v]];
  }
}

// The most common root among a fixed pseudo-random sample: deterministic, and a good guess at
// the giant component. Uses a 64-bit LCG so the sample is the same on every platform.
Vertex SampleFrequentRoot(const std::vector<Vertex>& comp) {
  std::unordered_map<Vertex, uint32_t> counts;
  uint64_t state = 0x9E3779B97F4A7C15ull;
  const uint64_t n = comp.size();
  for (uint32_t i = 0; i < kSamples; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    ++counts[comp[(state >> 33) % n]];
  }
  Vertex best = comp[0];
  uint32_t best_count = 0;
  for (const auto& [root, count] : counts) {
    if (count > best_count || (count == best_count && root < best)) {
      best = root;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

ComponentsResult WeaklyConnectedComponents(const CsrGraph& graph) {
  const Vertex n = graph.num_vertices();
  std::vector<Vertex> comp(n);
  for (Vertex v = 0; v < n; ++v) comp[v] = v;
  if (n == 0) return NumberBySmallestVertex(comp, 0);

  for (uint32_t round = 0; round < kNeighbourRounds; ++round) {
    for (Vertex u = 0; u < n; ++u) {
      std::span<const Vertex> targets = graph.neighbours(u);
      if (round < targets.size()) Link(u, targets[round], comp);
    }
    Compress(comp);
  }

  const bool may_skip = !graph.directed();
  const Vertex giant = SampleFrequentRoot(comp);
  for (Vertex u = 0; u < n; ++u) {
    if (may_skip && comp[u] == giant) continue;
    std::span<const Vertex> targets = graph.neighbours(u);
    for (size_t i = kNeighbourRounds; i < targets.size(); ++i) Link(u, targets[i], comp);
  }
  Compress(comp);
  return NumberBySmallestVertex(comp, n);
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
