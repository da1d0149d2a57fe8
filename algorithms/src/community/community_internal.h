// Pieces shared by the community kernels: the aggregatable working graph, the seeded RNG,
// local moving, validation and result finishing.
//
// All quality functions are optimised in one form. Each node i has a weight a_i and a
// community c has A_c = sum of a_i over its nodes; with w_c its internal edge weight,
//   H = sum_c [ w_c - (lambda / 2) * A_c^2 ].
// Modularity is a_i = strength, lambda = resolution / 2m (then Q = H / m); CPM is a_i = number
// of original vertices, lambda = resolution (H differs from CPM's n_c(n_c-1)/2 form by the
// constant resolution * n / 2, so both have the same optimum and the same move gains).
// Moving node v, already taken out of its community, into community C gains
//   w(v, C) - lambda * a_v * A_C.
#ifndef TRAFNET_ALGORITHMS_COMMUNITY_COMMUNITY_INTERNAL_H_
#define TRAFNET_ALGORITHMS_COMMUNITY_COMMUNITY_INTERNAL_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "huge_pages.h"
#include "trafnet/algorithms/community.h"
#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms::community_internal {

// An allocator that leaves elements of trivial types uninitialised when a vector is sized:
// the arc arrays below are written in full right after they are sized, on several workers,
// and zeroing them first, on one thread, took as long as filling them (a third of the
// level-0 aggregation on the planted-partition graph).
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) {}  // NOLINT: rebinding is implicit
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <typename T>
using ArcVector = std::vector<T, DefaultInitAllocator<T>>;

// An undirected weighted graph whose nodes may stand for sets of original vertices. Arcs are
// stored both ways; self-loops are dropped because they never change a move's gain (their
// weight stays inside whatever community the node is in).
struct WorkGraph {
  uint32_t num_nodes = 0;
  std::vector<uint64_t> offsets;
  ArcVector<uint32_t> targets;
  // Per arc; empty when every arc weighs 1 (an unweighted input graph at level 0), which
  // saves reading 8 bytes per arc in every pass.
  ArcVector<double> weights;
  std::vector<double> node_weight;  // a_i

  std::span<const uint32_t> Neighbours(uint32_t v) const {
    return {targets.data() + offsets[v], targets.data() + offsets[v + 1]};
  }
  // Calls f(target, weight) for each arc out of v, in arc order.
  template <typename F>
  void ForEachArc(uint32_t v, F&& f) const {
    const uint64_t begin = offsets[v];
    const uint64_t end = offsets[v + 1];
    if (weights.empty()) {
      for (uint64_t i = begin; i < end; ++i) f(targets[i], 1.0);
    } else {
      for (uint64_t i = begin; i < end; ++i) f(targets[i], weights[i]);
    }
  }
};

// The parameters of H above for one run.
struct Objective {
  double lambda = 0.0;
  // Louvain stops sweeping a level once a sweep gains less than this in H: 1e-6 of the total
  // edge weight, i.e. a modularity gain below 1e-6 (Blondel et al.'s own threshold). Without
  // it, graphs with weak structure take sweeps in proportion to their size for vanishing gains.
  double min_sweep_gain = 0.0;
};

// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and the same stream on every platform,
// unlike the std:: distributions whose algorithms are implementation-defined.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound). REQUIRES: bound > 0. The modulo bias is below 2^-32 for the
  // bounds used here (vertex counts).
  uint64_t Below(uint64_t bound) { return Next() % bound; }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  void Shuffle(std::vector<uint32_t>& values) { Shuffle(values.begin(), values.end()); }
  template <typename It>
  void Shuffle(It begin, It end) {
    for (auto i = static_cast<uint64_t>(end - begin); i > 1; --i) {
      std::swap(begin[i - 1], begin[Below(i)]);
    }
  }

 private:
  uint64_t state_;
};

// The seed of stream `stream` of a family seeded by `seed`, for parallel work that must draw
// the same numbers whichever thread runs which part.
inline uint64_t StreamSeed(uint64_t seed, uint64_t stream) {
  return Rng(seed ^ (stream * 0xD6E8FEB86659FD93ull)).Next();
}

// Checks that every weight is finite and non-negative, naming the first bad arc.
Status ValidateWeights(const CsrGraph& graph);
// Checks resolution (finite, >= 0) and threads (>= 1); `what` names the calling kernel.
Status ValidateCommon(const char* what, double resolution, int threads);

// The level-0 working graph of `graph` (directed graphs read as undirected), with node weights
// for `quality`, and the objective for `resolution`. Sets `total_weight` to 2m (arc weights
// summed, self-loops included). O(n + m), on up to `threads` workers; the result does not
// depend on the thread count. REQUIRES: ValidateWeights(graph) passed.
WorkGraph BuildWorkGraph(const CsrGraph& graph, QualityFunction quality, double resolution,
                         Objective& objective, double& total_weight, unsigned threads = 1);

// The graph whose nodes are the communities of `community` (ids 0..count-1): node weights
// summed, edges between communities merged, edges inside dropped. O(n + m), on up to
// `threads` workers; the result does not depend on the thread count.
// With `merge_arcs` false the edges between communities are not merged: each arc leaving a
// community becomes an arc of its aggregate node, in members' order, with its own weight (none
// when `graph` has none). Every sum a later pass takes over a node's arcs to one neighbour is
// then the same additions in the same order as over the merged arc's weight, so a partition
// found on either graph is the same (bit for bit when the weights are integers), while the
// aggregation skips the per-neighbour sums, which miss the cache for every arc that leaves a
// community. It pays when communities are small enough that their arcs seldom share a
// neighbour; the result never has more arcs than `graph`.
WorkGraph Aggregate(const WorkGraph& graph, const std::vector<uint32_t>& community, uint32_t count,
                    unsigned threads = 1, bool merge_arcs = true);

// Relabels to 0..k-1 in order of first occurrence; returns k. REQUIRES: labels < bound.
uint32_t Compact(std::vector<uint32_t>& labels, uint32_t bound);

// The nodes grouped by community (community ids < count), each group in increasing node order:
// group c is members[first[c] .. first[c + 1]). A counting sort, O(n + count).
struct Groups {
  std::vector<uint32_t> first;
  std::vector<uint32_t> members;
};
Groups GroupMembers(const std::vector<uint32_t>& community, uint32_t count);

// Renumbers the nodes of `graph` so that each community's nodes are consecutive (communities
// in id order, nodes in their old order within), permuting `community` and `payload` (a value
// per node) alike. The kernels' inner loops read their neighbours' entries of per-node arrays;
// with a community's nodes side by side those reads stay in cache instead of missing all over
// memory. O(n + m), on up to `threads` workers.
void RenumberByCommunity(WorkGraph& graph, std::vector<uint32_t>& community, uint32_t count,
                         std::vector<uint32_t>& payload, unsigned threads = 1);

// Splits every community that is not connected in `graph` into its connected parts, numbered
// 0..k-1 in order of their smallest node; returns k. Never lowers modularity or CPM quality:
// no edge joins the parts. O(n + m + the largest label), on up to `threads` workers; the
// result does not depend on the thread count. With `suspect` (a flag per community), only the
// flagged communities are searched and the others taken as connected, which the caller must
// know: the arcs of the others are not read.
uint32_t SplitDisconnected(const WorkGraph& graph, std::vector<uint32_t>& community,
                           unsigned threads = 1, const std::vector<char>* suspect = nullptr);

// Passes over a community's nodes read each neighbour's entry of a per-node array; the
// entries of arcs that leave the community are scattered all over it and miss the cache. A
// pass fetches them for a node a few visits ahead (up to kPrefetchArcs of its arcs), so those
// misses overlap with the work on the nodes before.
inline constexpr uint64_t kPrefetchArcs = 32;
template <typename T>
void PrefetchNeighbourEntries(const WorkGraph& graph, uint32_t v, const T* per_node) {
  const uint64_t begin = graph.offsets[v];
  const uint64_t end = std::min(graph.offsets[v + 1], begin + kPrefetchArcs);
  for (uint64_t k = begin; k < end; ++k) __builtin_prefetch(per_node + graph.targets[k]);
}

// Passes that read nodes in an order unrelated to their ids (a community's members, a new
// numbering) find each node's offsets and arcs all over the arrays. Such a pass asks for the
// node `order[i + kOffsetsAhead]`'s offsets and the node `order[i + kArcsAhead]`'s first arcs
// (and weights) before visiting order[i], so that by the time PrefetchNeighbourEntries reads
// those arcs they are in. Always inlined: left to itself, GCC called PrefetchFarAhead below out
// of line, and renumbering ran as slowly as without its longer distances.
template <size_t kOffsetsAhead = 16, size_t kArcsAhead = 8>
[[gnu::always_inline]] inline void PrefetchNodeArcs(const WorkGraph& graph, const uint32_t* order,
                                                    size_t i, size_t end) {
  if (i + kOffsetsAhead < end) __builtin_prefetch(graph.offsets.data() + order[i + kOffsetsAhead]);
  if (i + kArcsAhead < end) {
    const uint64_t ahead = graph.offsets[order[i + kArcsAhead]];
    __builtin_prefetch(graph.targets.data() + ahead);
    __builtin_prefetch(graph.targets.data() + ahead + 16);
    if (!graph.weights.empty()) __builtin_prefetch(graph.weights.data() + ahead);
  }
}

// The same for a pass that does next to nothing with each arc (renumbering copies it), whose
// visits are too short for those distances: the node order[i + 24]'s offsets, order[i + 12]'s
// arcs and order[i + 6]'s neighbours' entries of `per_node`. Renumbering the planted-partition
// graph took 0.20-0.27 s on two threads with PrefetchNodeArcs and entries 2 ahead, 0.10-0.14 s
// with this. (Aggregation, which sums or copies each arc, was no faster with it.)
template <typename T>
[[gnu::always_inline]] inline void PrefetchFarAhead(const WorkGraph& graph, const uint32_t* order,
                                                    size_t i, size_t end, const T* per_node) {
  PrefetchNodeArcs<24, 12>(graph, order, i, end);
  if (i + 6 < end) PrefetchNeighbourEntries(graph, order[i + 6], per_node);
}

// Moves single nodes between communities of a WorkGraph to raise H. `community` holds ids
// < num_nodes; empty ids are reused when a node does best alone.
class LocalMover {
 public:
  // `threads` workers share FastMoveNodes's evaluations; the result does not depend on it.
  LocalMover(const WorkGraph& graph, const Objective& objective, std::vector<uint32_t>& community,
             unsigned threads = 1);
  // Leiden's fast local moving: a queue seeded with all nodes; a node that moves re-queues
  // its neighbours outside its new community. The queue is served in rounds in node order,
  // each round in blocks whose nodes are evaluated side by side and then moved one by one
  // (see the .cc). Returns the gain in H, 0 when no node moved (every move gains strictly).
  double FastMoveNodes();
  // A flag per community id (as the ids stood in `community` after the last pass): whether a
  // node left it. A connected community that no node left is still connected: a node only
  // joins a community it has an arc into (or a free one, alone), and that node is still there.
  const std::vector<char>& Left() const { return left_; }
  // Louvain's local moving: sweeps over all nodes in one random order until a sweep moves
  // nothing or gains less than objective.min_sweep_gain. Returns whether any node moved.
  bool SweepMoveNodes(Rng& rng);

 private:
  // Where a node would best go, seen from the state it was evaluated in.
  struct Decision {
    static constexpr uint32_t kAlone = UINT32_MAX;  // an unused community of its own
    uint32_t target = 0;  // its own community (stay), another one, or kAlone
    // Whether a neighbour's id lies in the range Evaluate was given (the block being moved):
    // when none does, no neighbour can move between the evaluation and v's own move.
    bool neighbour_in_range = true;
    double weight_to_target = 0.0;
    double weight_to_old = 0.0;
    double gain = 0.0;  // in H, over staying
  };
  // Scratch for evaluating one node at a time (one per worker).
  struct Scratch {
    std::vector<double> weight_to;       // per community, high degrees
    std::vector<char> is_touched;        // per community: whether in touched
    std::vector<uint32_t> touched;       // high degrees: the neighbouring communities
    std::vector<double> touched_weight;  // high degrees: the weight to each
  };
  // v's best community (staying on ties), reading the shared state only; also whether any
  // neighbour's id is in [lo, hi] (always, for an empty range).
  Decision Evaluate(uint32_t v, Scratch& scratch, uint32_t lo = 1, uint32_t hi = 0) const;
  // Moves v to its best community (staying on ties). Returns the gain in H (0: it stayed).
  double MoveNode(uint32_t v);
  // Moves v as `decision` (made in an earlier state) says when none of v's neighbours has moved
  // since and the move still gains strictly; else as MoveNode. Returns the gain in H.
  double MoveAsDecided(uint32_t v, const Decision& decision);
  // Moves v to `target` (kAlone: an unused community); `target` may be v's own.
  void Place(uint32_t v, uint32_t target);

  const WorkGraph& graph_;
  const Objective objective_;
  std::vector<uint32_t>& community_;  // written back at the end of each pass
  const unsigned threads_;
  // Node i's community, in an array of its own: every arc of a visit reads its neighbour's
  // entry at random, and 4 bytes a node keep four times more of them in cache than the
  // 16-byte entries below (the first local moving on the planted-partition graph took about
  // 12 % less time than with the community inside the entry).
  internal::HugeVector<uint32_t> node_community_;
  // Entry c holds community c's node count and weight (community ids are node ids), read only
  // for the few communities a visit finds around its node.
  struct Entry {
    uint32_t nodes = 0;
    double weight = 0.0;
  };
  internal::HugeVector<Entry> entry_;
  std::vector<uint32_t> empty_ids_;
  std::vector<char> left_;  // per community id: a node moved out of it
  // Up to this degree a node's neighbouring communities are collected in a small hash table
  // on the stack, of kTable slots (at least twice kSmallDegree) marked free by kFreeSlot.
  static constexpr uint64_t kSmallDegree = 64;
  static constexpr uint32_t kTableBits = 7;
  static constexpr uint32_t kTable = 1u << kTableBits;
  static constexpr uint32_t kFreeSlot = UINT32_MAX;  // community ids are below num_nodes
  static_assert(kTable >= 2 * kSmallDegree);
  // FastMoveNodes's blocks, and the chunks a block is cut into for the workers.
  static constexpr size_t kBlock = 4096;
  static constexpr size_t kChunksPerBlock = 16;
  std::vector<Scratch> scratch_;  // per worker; scratch_[0] for MoveNode
  // One bit per node: moved during the block being moved (a bitmap small enough for L2).
  std::vector<uint64_t> moved_bits_;
};

// A partition's modularity at resolution 1 and its quality, when the kernel knows them.
struct KnownQuality {
  double modularity = 0.0;
  double quality = 0.0;
};

// Fills a result from a raw membership: canonical numbering (size desc, then smallest vertex),
// sizes, modularity at resolution 1, and `quality` of the given kind at `resolution` (taken
// from `known` when given, else computed from `graph`).
StatusOr<CommunityResult> FinishResult(const CsrGraph& graph, std::vector<uint32_t> membership,
                                       QualityFunction quality, double resolution, int iterations,
                                       std::optional<KnownQuality> known = std::nullopt);

}  // namespace trafnet::algorithms::community_internal

#endif  // TRAFNET_ALGORITHMS_COMMUNITY_COMMUNITY_INTERNAL_H_
