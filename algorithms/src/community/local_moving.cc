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
//
// Each round goes in blocks of kBlock nodes, and a block in three steps. (1) Every node of the
// block is evaluated against the state at the block's start, on up to `threads` workers: its
// weight to each neighbouring community and its best move (Evaluate reads, never writes).
// (2) In node order, one thread moves the nodes whose evaluation said move: when none of the
// node's neighbours has moved since the block started, its weights are still exact and only
// the two communities' totals may have changed, so the move is re-checked against the current
// totals in O(1) and made if it still gains strictly; otherwise the node is evaluated again in
// full (MoveNode), which happens for a few percent of the moves on a graph numbered at random.
// Only the block's nodes move in between, so a node whose evaluation found no neighbour in the
// block's id range skips that look at its neighbours.
// (3) The neighbours of the nodes that moved are queued, on the workers, when they sit outside
// their mover's new community; this runs in the fork-join that evaluates the next block, since
// both only read the state the moves left (one fork-join a block instead of two). Every move
// gains strictly in the state it is made in, so the quality only rises; a node that stayed on
// a stale evaluation is queued again if a neighbour moves, as in the sequential form. The blocks
// depend on the round alone, the moves are made in node order and the queue is sorted, so the
// partition is the same for any thread count. On the planted-partition graph (1M nodes, 10M edges)
// the first local moving took 2.16 s with 2 threads where the sequential form took 3.57 s (one run
// each, the same slow day); with one thread the whole Leiden run took 5.4-6.4 s against 6.0 s
// before (the re-checks cost about what the skipped updates of nodes that stay save).
#include <algorithm>
#include <array>
#include <atomic>
#include <numeric>
#include <span>
#include <vector>

#include "community/community_internal.h"
#include "parallel.h"

namespace trafnet::algorithms::community_internal {

LocalMover::LocalMover(const WorkGraph& graph, const Objective& objective,
                       std::vector<uint32_t>& community, unsigned threads)
    : graph_(graph),
      objective_(objective),
      community_(community),
      threads_(std::max(1u, threads)),
      node_community_(graph.num_nodes),
      entry_(graph.num_nodes),
      left_(graph.num_nodes, 0),
      scratch_(1),
      moved_bits_(graph.num_nodes / 64 + 1, 0) {
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

LocalMover::Decision LocalMover::Evaluate(uint32_t v, Scratch& scratch, uint32_t lo,
                                          uint32_t hi) const {
  const uint32_t old = node_community_[v];
  const double a = graph_.node_weight[v];
  // The weight from v to each neighbouring community, in order of first appearance among v's
  // arcs. A low-degree node's few communities are found in a small table on the stack, which
  // stays in L1; the dense per-community array is only touched for high degrees, where the
  // table would overflow.
  const uint64_t begin = graph_.offsets[v];
  const uint64_t degree = graph_.offsets[v + 1] - begin;
  std::array<uint32_t, kSmallDegree> found;
  std::array<double, kSmallDegree> found_weight;
  std::span<const uint32_t> communities;  // v's neighbouring communities
  std::span<const double> weights;        // v's weight to each of them
  // Unsigned: an empty range (hi < lo) holds every id.
  const uint32_t span = hi - lo;
  bool in_range = false;
  if (degree <= kSmallDegree) {
    // First all the (independent, cache-missing) loads of the neighbours' communities, then
    // the search, whose branches on those values would otherwise serialise the misses.
    std::array<uint32_t, kSmallDegree> around;
    for (uint64_t i = 0; i < degree; ++i) {
      const uint32_t u = graph_.targets[begin + i];
      around[i] = node_community_[u];
      in_range |= u - lo <= span;
    }
    // Then each community is found in a small open-addressing table, at most half full (32, 64
    // or 128 slots as the degree needs; only those are cleared), which keeps them in order of
    // first appearance and sums each one's weights in arc order, as a linear search of the
    // list would, in O(degree) rather than O(degree x communities): from singletons every arc
    // finds a community of its own.
    const uint32_t bits = degree <= kSmallDegree / 4   ? kTableBits - 2
                          : degree <= kSmallDegree / 2 ? kTableBits - 1
                                                       : kTableBits;
    const uint32_t slots = 1u << bits;
    std::array<uint32_t, kTable> key;
    std::array<uint8_t, kTable> position;
    std::fill_n(key.begin(), slots, kFreeSlot);
    size_t count = 0;
    for (uint64_t i = 0; i < degree; ++i) {
      const uint32_t c = around[i];
      const double w = graph_.weights.empty() ? 1.0 : graph_.weights[begin + i];
      uint32_t slot = (c * 0x9E3779B1u) >> (32 - bits);
      while (key[slot] != c && key[slot] != kFreeSlot) slot = (slot + 1) & (slots - 1);
      if (key[slot] == c) {
        found_weight[position[slot]] += w;
      } else {
        key[slot] = c;
        position[slot] = static_cast<uint8_t>(count);
        found[count] = c;
        found_weight[count] = w;
        ++count;
      }
    }
    communities = {found.data(), count};
    weights = {found_weight.data(), count};
  } else {
    if (scratch.weight_to.empty()) {
      scratch.weight_to.assign(graph_.num_nodes, 0.0);
      scratch.is_touched.assign(graph_.num_nodes, 0);
    }
    scratch.touched.clear();
    scratch.touched_weight.clear();
    graph_.ForEachArc(v, [&](uint32_t u, double w) {
      in_range |= u - lo <= span;
      const uint32_t c = node_community_[u];
      if (!scratch.is_touched[c]) {
        scratch.is_touched[c] = 1;
        scratch.touched.push_back(c);
      }
      scratch.weight_to[c] += w;
    });
    for (uint32_t c : scratch.touched) {
      scratch.touched_weight.push_back(scratch.weight_to[c]);
      scratch.weight_to[c] = 0.0;
      scratch.is_touched[c] = 0;
    }
    communities = scratch.touched;
    weights = scratch.touched_weight;
  }
  // Old's total and size without v, as if v had been taken out.
  const double old_weight = entry_[old].weight - a;
  const uint32_t old_nodes = entry_[old].nodes - 1;

  Decision decision;
  decision.neighbour_in_range = in_range;
  for (size_t j = 0; j < communities.size(); ++j) {
    if (communities[j] == old) decision.weight_to_old = weights[j];
  }
  uint32_t best = old;
  double best_weight = decision.weight_to_old;
  const double stay_gain = decision.weight_to_old - objective_.lambda * a * old_weight;
  double best_gain = stay_gain;
  for (size_t j = 0; j < communities.size(); ++j) {
    const uint32_t c = communities[j];
    const double total = c == old ? old_weight : entry_[c].weight;
    const double gain = weights[j] - objective_.lambda * a * total;
    const bool better = gain > best_gain;
    best = better ? c : best;
    best_weight = better ? weights[j] : best_weight;
    best_gain = better ? gain : best_gain;
  }
  if (best_gain < 0.0 && old_nodes > 0) {
    // Alone is better than anywhere. Some id is always free then, since v's own community
    // still holds other nodes.
    best = Decision::kAlone;
    best_weight = 0.0;
    best_gain = 0.0;
  }
  decision.target = best;
  decision.weight_to_target = best_weight;
  decision.gain = best_gain - stay_gain;
  return decision;
}

void LocalMover::Place(uint32_t v, uint32_t target) {
  const uint32_t old = node_community_[v];
  const double a = graph_.node_weight[v];
  entry_[old].weight -= a;
  --entry_[old].nodes;
  if (target == Decision::kAlone) {
    target = empty_ids_.back();
    empty_ids_.pop_back();
  }
  entry_[target].weight += a;
  ++entry_[target].nodes;
  node_community_[v] = target;
  if (target != old) left_[old] = 1;
  if (target != old && entry_[old].nodes == 0) empty_ids_.push_back(old);
}

double LocalMover::MoveNode(uint32_t v) {
  const uint32_t old = node_community_[v];
  const Decision decision = Evaluate(v, scratch_[0]);
  Place(v, decision.target);
  return node_community_[v] == old ? 0.0 : decision.gain;
}

double LocalMover::MoveAsDecided(uint32_t v, const Decision& decision) {
  // Only a neighbour in the block's range can have moved since the evaluation (on a graph
  // numbered at random, most movers have none there, and skip the look at their arcs).
  bool neighbour_moved = false;
  if (decision.neighbour_in_range) {
    for (uint32_t u : graph_.Neighbours(v))
      neighbour_moved |= (moved_bits_[u >> 6] >> (u & 63)) & 1;
  }
  if (neighbour_moved) return MoveNode(v);
  // v's weights are those of the evaluation; only the totals may have changed since.
  const uint32_t old = node_community_[v];
  const double a = graph_.node_weight[v];
  const double stay_gain =
      decision.weight_to_old - objective_.lambda * a * (entry_[old].weight - a);
  double gain = 0.0;
  if (decision.target == Decision::kAlone) {
    if (!(stay_gain < 0.0 && entry_[old].nodes > 1)) return MoveNode(v);
    gain = -stay_gain;
  } else {
    const Entry& target = entry_[decision.target];
    // (An emptied target would have lost v's neighbour in it, a move seen above.)
    gain = decision.weight_to_target - objective_.lambda * a * target.weight - stay_gain;
    if (!(gain > 0.0) || target.nodes == 0) return MoveNode(v);
  }
  Place(v, decision.target);
  return gain;
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
  scratch_.resize(threads_);
  std::vector<Decision> decisions(std::min<size_t>(kBlock, n));
  std::vector<uint32_t> movers;
  std::vector<std::vector<uint32_t>> requeued(threads_);
  internal::WorkerPool pool(n > kBlock ? threads_ : 1);  // a smaller graph is one block a round
  double gain = 0.0;
  // The movers of each block have their neighbours queued while the next block is being
  // evaluated, in the same fork-join: both only read the state the moves left.
  auto queue_neighbours = [&](size_t begin, size_t end, unsigned worker) {
    for (size_t i = begin; i < end; ++i) {
      const uint32_t v = movers[i];
      const uint32_t now = node_community_[v];
      for (uint32_t u : graph_.Neighbours(v)) {
        if (node_community_[u] == now) continue;
        std::atomic_ref<char> flag(queued[u]);
        if (flag.load(std::memory_order_relaxed) == 0 &&
            flag.exchange(1, std::memory_order_relaxed) == 0) {
          requeued[worker].push_back(u);
        }
      }
    }
  };
  while (!round.empty()) {
    movers.clear();
    for (size_t block = 0;; block += kBlock) {
      // One pass past the round's last block, with no nodes, queues that block's movers.
      const size_t size = block < round.size() ? std::min(kBlock, round.size() - block) : 0;
      const uint32_t* nodes = round.data() + block;
      // (1) Evaluate, in chunks of the block fixed by its size alone, and (3) queue the
      // neighbours of the last block's movers outside their new communities. The block's own
      // nodes are still flagged as queued, so the last block's moves do not queue them again.
      const internal::ChunkPlan plan = internal::PlanChunks(size, kChunksPerBlock);
      // The block's nodes, in increasing order, span ids [lo, hi]; only neighbours in there
      // can move before a node of the block does.
      const uint32_t lo = size > 0 ? nodes[0] : 1;
      const uint32_t hi = size > 0 ? nodes[size - 1] : 0;
      const internal::ChunkPlan mover_plan = internal::PlanChunks(movers.size(), kChunksPerBlock);
      pool.ForEachChunk(plan.num_chunks + mover_plan.num_chunks, [&](size_t chunk,
                                                                     unsigned worker) {
        if (chunk >= plan.num_chunks) {
          chunk -= plan.num_chunks;
          queue_neighbours(mover_plan.begin(chunk), mover_plan.end(chunk), worker);
          return;
        }
        Scratch& scratch = scratch_[worker];
        const size_t end = plan.end(chunk);
        for (size_t i = plan.begin(chunk); i < end; ++i) {
          // The nodes visited next miss the cache on their arcs, their neighbours'
          // communities and those communities' weights, each needing the one before: fetch
          // each a visit earlier than the next.
          if (i + 3 < end) __builtin_prefetch(graph_.targets.data() + graph_.offsets[nodes[i + 3]]);
          if (i + 2 < end) PrefetchNeighbourEntries(graph_, nodes[i + 2], node_community_.data());
          if (i + 1 < end) {
            const uint32_t u = nodes[i + 1];
            const uint64_t last = std::min(graph_.offsets[u + 1], graph_.offsets[u] + kSmallDegree);
            for (uint64_t k = graph_.offsets[u]; k < last; ++k) {
              __builtin_prefetch(entry_.data() + node_community_[graph_.targets[k]]);
            }
          }
          decisions[i] = Evaluate(nodes[i], scratch, lo, hi);
        }
      });
      for (uint32_t v : movers) moved_bits_[v >> 6] = 0;
      for (auto& list : requeued) {
        next.insert(next.end(), list.begin(), list.end());
        list.clear();
      }
      if (size == 0) break;  // the round's last movers are queued
      for (size_t i = 0; i < size; ++i) queued[nodes[i]] = 0;
      // (2) Move, in node order.
      movers.clear();
      for (size_t i = 0; i < size; ++i) {
        const Decision& decision = decisions[i];
        const uint32_t v = nodes[i];
        if (decision.target == node_community_[v]) continue;
        if (i + 4 < size && decisions[i + 4].target != Decision::kAlone) {
          __builtin_prefetch(entry_.data() + decisions[i + 4].target);
        }
        const double node_gain = MoveAsDecided(v, decision);
        if (node_gain == 0.0) continue;
        gain += node_gain;
        movers.push_back(v);
        moved_bits_[v >> 6] |= uint64_t{1} << (v & 63);
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
