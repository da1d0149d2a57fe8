// Local moving of single nodes, the first phase of both Louvain and Leiden.
//
// A node v is taken out of its community, the weight from v to each neighbouring community is
// summed in a dense scratch array (touched entries listed, so the reset is O(deg v)), and v
// goes where w(v, C) - lambda * a_v * A_C is largest, an empty community scoring 0. Ties keep
// v where it was, so a node never moves without a strict gain and the quality only rises.
//
// Louvain sweeps all nodes until a sweep moves nothing (Blondel et al. 2008). Leiden's fast
// local moving (Traag et al. 2019, Algorithm A.2) visits each node once from a queue and
// re-queues only the neighbours a move may have affected, which is what makes it several times
// faster than sweeping. Each visit costs O(deg v); a sweep is O(n + m).
//
// The paper serves the queue in a random order. Here it is served in rounds, each in node
// order (as Sahu's GVE-Leiden sweeps, "Fast Leiden Algorithm for Community Detection in Shared
// Memory Setting", 2023), which reads the arrays front to back instead of all over them. Any
// order keeps the algorithm's guarantees; the order does decide which of several partitions of
// nearly equal quality it ends in. Nodes queued during a round wait for the next one.
#include <algorithm>
#include <array>
#include <numeric>
#include <span>
#include <vector>

#include "community/community_internal.h"

namespace trafnet::algorithms::community_internal {

LocalMover::LocalMover(const WorkGraph& graph, const Objective& objective,
                       std::vector<uint32_t>& community)
    : graph_(graph),
      objective_(objective),
      community_(community),
      node_community_(graph.num_nodes),
      entry_(graph.num_nodes),
      weight_to_(graph.num_nodes, 0.0),
      is_touched_(graph.num_nodes, 0) {
  for (uint32_t v = 0; v < graph.num_nodes; ++v) {
    const uint32_t c = community_[v];
    node_community_[v] = c;
    entry_[c].weight += graph.node_weight[v];
    ++entry_[c].nodes;
  }
  // Highest ids first on the stack, so the smallest free id is reused first.
  for (uint32_t c = graph.num_nodes; c-- > 0;) {
    if (entry_[c].nodes == 0) empty_ids_.push_back(c);
  }
}

double LocalMover::MoveNode(uint32_t v) {
  const uint32_t old = node_community_[v];
  const double a = graph_.node_weight[v];
  // The weight from v to each neighbouring community, in order of first appearance among v's
  // arcs. A low-degree node's few communities are found by a linear search of a small local
  // list, which stays in L1; the dense per-community array is only touched for high degrees,
  // where the search would cost more than its cache misses.
  const uint64_t begin = graph_.offsets[v];
  const uint64_t degree = graph_.offsets[v + 1] - begin;
  std::array<uint32_t, kSmallDegree> found;
  std::array<double, kSmallDegree> found_weight;
  std::span<const uint32_t> communities;  // v's neighbouring communities
  std::span<const double> weights;        // v's weight to each of them
  if (degree <= kSmallDegree) {
    // First all the (independent, cache-missing) loads of the neighbours' communities, then
    // the search, whose branches on those values would otherwise serialise the misses.
    std::array<uint32_t, kSmallDegree> around;
    for (uint64_t i = 0; i < degree; ++i) around[i] = node_community_[graph_.targets[begin + i]];
    // Without branches on the data (which would mispredict about once per arc): the whole
    // list is scanned, and c is always written past its end, kept only if it was not found.
    size_t count = 0;
    for (uint64_t i = 0; i < degree; ++i) {
      const uint32_t c = around[i];
      const double w = graph_.weights.empty() ? 1.0 : graph_.weights[begin + i];
      size_t at = count;
      for (size_t j = 0; j < count; ++j) at = found[j] == c ? j : at;
      found[count] = c;
      found_weight[count] = 0.0;
      found_weight[at] += w;
      count += at == count;
    }
    communities = {found.data(), count};
    weights = {found_weight.data(), count};
  } else {
    graph_.ForEachArc(v, [&](uint32_t u, double w) {
      const uint32_t c = node_community_[u];
      if (!is_touched_[c]) {
        is_touched_[c] = 1;
        touched_.push_back(c);
      }
      weight_to_[c] += w;
    });
    for (uint32_t c : touched_) {
      touched_weight_.push_back(weight_to_[c]);
      weight_to_[c] = 0.0;
      is_touched_[c] = 0;
    }
    communities = touched_;
    weights = touched_weight_;
  }
  entry_[old].weight -= a;
  --entry_[old].nodes;

  double weight_to_old = 0.0;
  for (size_t j = 0; j < communities.size(); ++j) {
    if (communities[j] == old) weight_to_old = weights[j];
  }
  uint32_t best = old;
  const double stay_gain = weight_to_old - objective_.lambda * a * entry_[old].weight;
  double best_gain = stay_gain;
  for (size_t j = 0; j < communities.size(); ++j) {
    const uint32_t c = communities[j];
    const double gain = weights[j] - objective_.lambda * a * entry_[c].weight;
    const bool better = gain > best_gain;
    best = better ? c : best;
    best_gain = better ? gain : best_gain;
  }
  touched_.clear();
  touched_weight_.clear();
  if (best_gain < 0.0 && entry_[old].nodes > 0) {
    // Alone is better than anywhere: v opens an unused community. Some id is always free
    // here, since v's own community still holds other nodes.
    best = empty_ids_.back();
    empty_ids_.pop_back();
    best_gain = 0.0;
  }

  entry_[best].weight += a;
  ++entry_[best].nodes;
  node_community_[v] = best;
  if (best == old) return 0.0;
  if (entry_[old].nodes == 0) empty_ids_.push_back(old);
  return best_gain - stay_gain;  // > 0: a move needs a strict gain
}

double LocalMover::FastMoveNodes() {
  const uint32_t n = graph_.num_nodes;
  if (n == 0) return 0.0;
  // The queue is served in rounds, each in increasing node order: the first round is every
  // node, each later one the nodes queued during the round before. A node is queued at most
  // once at a time. In node order the offsets and arcs are read front to back, and once the
  // graph is renumbered by community (RenumberByCommunity) consecutive visits read the same
  // neighbourhood; served in the order nodes were queued, nearly every read missed the cache.
  std::vector<uint32_t> round(n);
  std::iota(round.begin(), round.end(), 0);
  std::vector<uint32_t> next;
  std::vector<char> queued(n, 1);
  double gain = 0.0;
  while (!round.empty()) {
    const size_t size = round.size();
    for (size_t i = 0; i < size; ++i) {
      const uint32_t v = round[i];
      // The nodes visited next miss the cache on their arcs, their neighbours' communities
      // and those communities' weights, each needing the one before: fetch each a visit
      // earlier than the next.
      if (i + 3 < size) __builtin_prefetch(graph_.targets.data() + graph_.offsets[round[i + 3]]);
      if (i + 2 < size) PrefetchNeighbourEntries(graph_, round[i + 2], node_community_.data());
      if (i + 1 < size) {
        const uint32_t u = round[i + 1];
        const uint64_t end = std::min(graph_.offsets[u + 1], graph_.offsets[u] + kSmallDegree);
        for (uint64_t k = graph_.offsets[u]; k < end; ++k) {
          __builtin_prefetch(entry_.data() + node_community_[graph_.targets[k]]);
        }
      }
      queued[v] = 0;
      const double node_gain = MoveNode(v);
      if (node_gain == 0.0) continue;
      gain += node_gain;
      const uint32_t now = node_community_[v];
      for (uint32_t u : graph_.Neighbours(v)) {
        if (queued[u] == 0 && node_community_[u] != now) {
          queued[u] = 1;
          next.push_back(u);
        }
      }
    }
    if (next.size() > n / 16) {
      // Many queued: listing the flags gives them in order faster than sorting.
      round.clear();
      for (uint32_t u = 0; u < n; ++u) {
        if (queued[u]) round.push_back(u);
      }
    } else {
      std::sort(next.begin(), next.end());
      round.swap(next);
    }
    next.clear();
  }
  for (uint32_t v = 0; v < graph_.num_nodes; ++v) community_[v] = node_community_[v];
  return gain;
}

bool LocalMover::SweepMoveNodes(Rng& rng) {
  std::vector<uint32_t> order(graph_.num_nodes);
  std::iota(order.begin(), order.end(), 0);
  rng.Shuffle(order);
  bool moved_any = false;
  while (true) {
    bool moved = false;
    double gain = 0.0;
    for (uint32_t v : order) {
      const double node_gain = MoveNode(v);
      moved |= node_gain != 0.0;
      gain += node_gain;
    }
    moved_any |= moved;
    if (!moved || gain < objective_.min_sweep_gain) break;
  }
  for (uint32_t v = 0; v < graph_.num_nodes; ++v) community_[v] = node_community_[v];
  return moved_any;
}

}  // namespace trafnet::algorithms::community_internal
