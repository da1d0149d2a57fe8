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
#include <numeric>
#include <vector>

#include "community/community_internal.h"

namespace trafnet::algorithms::community_internal {

LocalMover::LocalMover(const WorkGraph& graph, const Objective& objective,
                       std::vector<uint32_t>& community)
    : graph_(graph),
      objective_(objective),
      community_(community),
      community_weight_(graph.num_nodes, 0.0),
      community_nodes_(graph.num_nodes, 0),
      weight_to_(graph.num_nodes, 0.0),
      is_touched_(graph.num_nodes, 0) {
  for (uint32_t v = 0; v < graph.num_nodes; ++v) {
    community_weight_[community_[v]] += graph.node_weight[v];
    ++community_nodes_[community_[v]];
  }
  // Highest ids first on the stack, so the smallest free id is reused first.
  for (uint32_t c = graph.num_nodes; c-- > 0;) {
    if (community_nodes_[c] == 0) empty_ids_.push_back(c);
  }
}

double LocalMover::MoveNode(uint32_t v) {
  const uint32_t old = community_[v];
  const double a = graph_.node_weight[v];
  std::span<const uint32_t> targets = graph_.Neighbours(v);
  std::span<const double> weights = graph_.Weights(v);
  for (size_t i = 0; i < targets.size(); ++i) {
    const uint32_t c = community_[targets[i]];
    if (!is_touched_[c]) {
      is_touched_[c] = 1;
      touched_.push_back(c);
    }
    weight_to_[c] += weights[i];
  }
  community_weight_[old] -= a;
  --community_nodes_[old];

  uint32_t best = old;
  const double stay_gain = weight_to_[old] - objective_.lambda * a * community_weight_[old];
  double best_gain = stay_gain;
  for (uint32_t c : touched_) {
    const double gain = weight_to_[c] - objective_.lambda * a * community_weight_[c];
    if (gain > best_gain) {
      best = c;
      best_gain = gain;
    }
  }
  if (best_gain < 0.0 && community_nodes_[old] > 0) {
    // Alone is better than anywhere: v opens an unused community. Some id is always free
    // here, since v's own community still holds other nodes.
    best = empty_ids_.back();
    empty_ids_.pop_back();
    best_gain = 0.0;
  }
  for (uint32_t c : touched_) {
    weight_to_[c] = 0.0;
    is_touched_[c] = 0;
  }
  touched_.clear();

  community_weight_[best] += a;
  ++community_nodes_[best];
  community_[v] = best;
  if (best == old) return 0.0;
  if (community_nodes_[old] == 0) empty_ids_.push_back(old);
  return best_gain - stay_gain;  // > 0: a move needs a strict gain
}

bool LocalMover::FastMoveNodes(Rng& rng) {
  const uint32_t n = graph_.num_nodes;
  if (n == 0) return false;
  std::vector<uint32_t> queue(n);
  std::iota(queue.begin(), queue.end(), 0);
  rng.Shuffle(queue);
  std::vector<char> queued(n, 1);
  // A ring buffer: each node is queued at most once, so n slots suffice.
  size_t head = 0;
  size_t size = n;
  bool moved_any = false;
  while (size > 0) {
    const uint32_t v = queue[head];
    head = head + 1 == n ? 0 : head + 1;
    --size;
    queued[v] = 0;
    if (MoveNode(v) == 0.0) continue;
    moved_any = true;
    const uint32_t now = community_[v];
    for (uint32_t u : graph_.Neighbours(v)) {
      if (queued[u] || community_[u] == now) continue;
      queued[u] = 1;
      size_t tail = head + size;
      if (tail >= n) tail -= n;
      queue[tail] = u;
      ++size;
    }
  }
  return moved_any;
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
  return moved_any;
}

}  // namespace trafnet::algorithms::community_internal
