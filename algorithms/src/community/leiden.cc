// Leiden community detection (Traag, Waltman & van Eck, "From Louvain to Leiden:
// guaranteeing well-connected communities", Sci. Rep. 9:5233, 2019), for modularity and CPM.
//
// One iteration repeats three phases until local moving leaves every node alone:
//  1. fast local moving of nodes between communities (local_moving.cc);
//  2. refinement: inside each community S, start from singletons and merge only nodes that
//     are well connected to S (E(v, S - v) >= lambda a_v (A_S - a_v)) into sub-communities
//     that are well connected to S, chosen at random with probability ~ exp(gain / θ) among
//     non-negative gains. A node only joins a sub-community it has an edge to, so every
//     sub-community is connected (Algorithm A.2, MergeNodesSubset);
//  3. aggregation by the refined partition, each aggregate node starting in the community of
//     phase 1 that holds it, so the communities found so far are kept while their parts can
//     still move apart at the next level.
// Iterations repeat from the previous partition until one no longer raises the quality (or
// max_iterations). When refinement merges nothing, aggregating would not shrink the graph and
// the iteration ends there. Unless the iteration ended with every community one node of its
// level (connected by construction), the result is split into connected parts, which can only
// raise the quality: local moving without a refinement after it (the tolerance's early stop,
// or a refinement that merged nothing) can leave a community in pieces.
//
// Each level costs O(n + m) per pass of local moving, plus O(n + m) for refinement and
// aggregation; the number of levels is small (logarithmic in practice). Memory O(n + m).
//
// Speed. The passes are bound by memory latency: each arc reads its neighbour's entry of a
// per-node array, at random. After the first local moving the graph is renumbered so every
// community's nodes are consecutive (RenumberByCommunity); refinement then works community by
// community and local moving visits a community's nodes together, so most of those reads hit
// the cache, and refinement tells a neighbour inside the community by its id alone. The reads
// that still miss (arcs between communities, and every arc of the first local moving) are
// prefetched a few nodes ahead, and local moving's per-node array sits on huge pages
// (huge_pages.h) so that they do not miss the TLB as well. Local moving evaluates blocks of
// nodes on `threads` workers and moves them in node order (local_moving.cc); refinement and
// aggregation run on `threads` workers over chunks of communities, each community with its own
// random stream; so the partition is the same for any thread count.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "community/community_internal.h"
#include "parallel.h"
#include "trafnet/algorithms/community.h"

namespace trafnet::algorithms {
namespace {

using community_internal::Aggregate;
using community_internal::Compact;
using community_internal::LocalMover;
using community_internal::Objective;
using community_internal::RenumberByCommunity;
using community_internal::Rng;
using community_internal::WorkGraph;

// Work is cut into at most this many chunks of communities, whatever the thread count.
constexpr size_t kChunks = 256;

// Refinement never looks outside a node's community, so the communities are refined
// independently: in chunks of communities on up to `threads` workers, each community with its
// own random stream (derived from one draw of `rng` and the community's id), so the result
// does not depend on the thread count. Each community's nodes are visited in a random order;
// after RenumberByCommunity they sit side by side in memory.
// Returns the refined partition as node ids of each sub-community's founder (not compact).
std::vector<uint32_t> Refine(const WorkGraph& graph, const std::vector<uint32_t>& community,
                             uint32_t count, const Objective& objective, double randomness,
                             Rng& rng, unsigned threads) {
  const uint32_t n = graph.num_nodes;
  const double lambda = objective.lambda;
  const uint64_t stream_seed = rng.Next();
  community_internal::Groups groups = community_internal::GroupMembers(community, count);
  std::vector<double> community_total(count, 0.0);
  for (uint32_t v = 0; v < n; ++v) community_total[community[v]] += graph.node_weight[v];

  std::vector<uint32_t> refined(n);
  std::iota(refined.begin(), refined.end(), 0);
  std::vector<double> sub_weight(graph.node_weight);
  std::vector<uint32_t> sub_nodes(n, 1);
  std::vector<double> weight_inside(n, 0.0);  // E(v, S - v)
  std::vector<double> sub_outside(n, 0.0);    // E(C, S - C) per sub-community C

  struct Scratch {
    std::vector<double> weight_to;
    std::vector<char> is_touched;
    std::vector<uint32_t> touched;
    std::vector<std::pair<uint32_t, double>> candidates;  // sub-community, exp weight
  };
  std::vector<Scratch> scratch(std::max(1u, threads));

  auto refine_community = [&](uint32_t s, Scratch& local) {
    const auto begin = groups.members.begin() + groups.first[s];
    const auto end = groups.members.begin() + groups.first[s + 1];
    if (begin == end) return;
    // Once the graph is renumbered by community, S is a run of consecutive ids, and whether a
    // neighbour is in S is a comparison instead of a read (a cache miss for arcs leaving S).
    const uint32_t lo = *begin;
    const uint32_t span = groups.first[s + 1] - groups.first[s];
    const bool consecutive = *(end - 1) - lo == span - 1;
    auto in_s = [&](uint32_t u) { return consecutive ? u - lo < span : community[u] == s; };
    for (auto it = begin; it != end; ++it) {
      const uint32_t v = *it;
      double inside = 0.0;
      graph.ForEachArc(v, [&](uint32_t u, double w) {
        if (in_s(u)) inside += w;
      });
      weight_inside[v] = inside;
      sub_outside[v] = inside;
    }
    Rng stream(community_internal::StreamSeed(stream_seed, s));
    stream.Shuffle(begin, end);
    for (auto it = begin; it != end; ++it) {
      const uint32_t v = *it;
      if (sub_nodes[refined[v]] != 1) continue;  // v already has company: it stays
      const double a = graph.node_weight[v];
      if (weight_inside[v] < lambda * a * (community_total[s] - a)) continue;

      graph.ForEachArc(v, [&](uint32_t u, double w) {
        if (!in_s(u)) return;
        const uint32_t c = refined[u];
        if (!local.is_touched[c]) {
          local.is_touched[c] = 1;
          local.touched.push_back(c);
        }
        local.weight_to[c] += w;
      });
      local.candidates.clear();
      double max_gain = 0.0;  // staying alone gains 0
      for (uint32_t c : local.touched) {
        const double size = sub_weight[c];
        if (sub_outside[c] < lambda * size * (community_total[s] - size)) continue;
        const double gain = local.weight_to[c] - lambda * a * size;
        if (gain < 0.0) continue;
        local.candidates.emplace_back(c, gain);
        max_gain = std::max(max_gain, gain);
      }
      if (!local.candidates.empty()) {
        // Weights relative to the best gain, so exp() cannot overflow.
        const double scale = 1.0 / randomness;
        const double stay = std::exp(-max_gain * scale);
        double total = stay;
        for (auto& [c, weight] : local.candidates) {
          weight = std::exp((weight - max_gain) * scale);
          total += weight;
        }
        double draw = stream.Unit() * total - stay;
        uint32_t chosen = v;
        if (draw >= 0.0) {
          chosen = local.candidates.back().first;
          for (const auto& [c, weight] : local.candidates) {
            draw -= weight;
            if (draw < 0.0) {
              chosen = c;
              break;
            }
          }
        }
        if (chosen != v) {
          refined[v] = chosen;
          sub_weight[chosen] += a;
          ++sub_nodes[chosen];
          sub_nodes[v] = 0;
          sub_outside[chosen] += weight_inside[v] - 2.0 * local.weight_to[chosen];
        }
      }
      for (uint32_t c : local.touched) {
        local.weight_to[c] = 0.0;
        local.is_touched[c] = 0;
      }
      local.touched.clear();
    }
  };

  const internal::ChunkPlan plan = internal::PlanChunks(count, kChunks);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned worker) {
    Scratch& local = scratch[worker];
    if (local.weight_to.empty()) {
      local.weight_to.assign(n, 0.0);
      local.is_touched.assign(n, 0);
    }
    for (size_t s = plan.begin(chunk); s < plan.end(chunk); ++s) {
      refine_community(static_cast<uint32_t>(s), local);
    }
  });
  return refined;
}

// One Leiden iteration on `base`, starting from and updating `membership`. After the first
// local moving, `base` is renumbered by community (unless it already is) for the cache's sake;
// `membership` and `vertex_of` (base node -> input vertex) follow it. When that first local
// moving gains less than `settle_gain` (in H; 0 never), the iteration ends after it and
// returns true: the partition has settled.
bool LeidenIteration(WorkGraph& base, const Objective& objective, double randomness,
                     double settle_gain, unsigned threads, Rng& rng,
                     std::vector<uint32_t>& membership, std::vector<uint32_t>& vertex_of) {
  const uint32_t n = base.num_nodes;
  std::vector<uint32_t> node_of(n);  // base node -> node of the current level
  std::iota(node_of.begin(), node_of.end(), 0);
  std::vector<uint32_t> partition = membership;
  Compact(partition, n);
  const WorkGraph* graph = &base;
  WorkGraph level;
  bool settled = false;
  bool one_node_each = false;  // every community is one node of the last level
  std::vector<char> suspect;   // settled: per community, whether it may have come apart
  while (true) {
    LocalMover mover(*graph, objective, partition, threads);
    const double gain = mover.FastMoveNodes();
    const bool settles = graph == &base && gain < settle_gain;
    std::vector<char> left_by_node;  // when it settles: whether v's community lost a node
    if (settles) {
      left_by_node.resize(n);
      for (uint32_t v = 0; v < n; ++v) left_by_node[v] = mover.Left()[partition[v]];
    }
    const uint32_t count = Compact(partition, graph->num_nodes);
    if (count == graph->num_nodes) {
      one_node_each = true;
      break;
    }
    if (settles) {
      // The iteration started at level 0 from connected communities (the last iteration's
      // result), so only those that a node left can have come apart.
      settled = true;
      suspect.assign(count, 0);
      for (uint32_t v = 0; v < n; ++v) suspect[partition[v]] |= left_by_node[v];
      break;
    }
    // Compact numbers communities in order of first node, so they are consecutive runs of
    // nodes exactly when the ids never decrease.
    if (graph == &base && !std::is_sorted(partition.begin(), partition.end())) {
      RenumberByCommunity(base, partition, count, vertex_of, threads);
    }
    std::vector<uint32_t> refined =
        Refine(*graph, partition, count, objective, randomness, rng, threads);
    const uint32_t refined_count = Compact(refined, graph->num_nodes);
    if (refined_count == graph->num_nodes) break;
    // The refined partition refines `partition`, so its ids fit the next level's node range.
    std::vector<uint32_t> next_partition(refined_count);
    for (uint32_t i = 0; i < graph->num_nodes; ++i) next_partition[refined[i]] = partition[i];
    for (uint32_t& node : node_of) node = refined[node];
    // Refinement of the first level leaves sub-communities of a few nodes (3.4 on average on
    // the planted-partition graph), whose arcs seldom lead to the same sub-community: merging
    // them would remove about a tenth of the arcs at the price of a cache miss for most of
    // them, and unmerged unit-weight arcs need no weights either (4 bytes an arc instead of
    // 12 at the next level). The partition is the same either way (Aggregate).
    const bool merge_arcs = !(graph == &base && uint64_t{refined_count} * 4 >= graph->num_nodes);
    WorkGraph next = Aggregate(*graph, refined, refined_count, threads, merge_arcs);
    level = std::move(next);
    graph = &level;
    partition = std::move(next_partition);
  }
  membership.resize(n);
  for (uint32_t v = 0; v < n; ++v) membership[v] = partition[node_of[v]];
  // Moving nodes out of a community can disconnect it when no refinement follows. When every
  // community is a single node of the last level, it is connected already: a node of level 0
  // is one vertex, and a node of a higher level a refined sub-community, which refinement
  // grows only along edges from nodes that are themselves connected. When the iteration
  // settled, only the communities a node left are searched (LocalMover::Left).
  if (!one_node_each) {
    community_internal::SplitDisconnected(base, membership, threads, settled ? &suspect : nullptr);
  }
  return settled;
}

// The two sums H is made of: the weight of the arcs inside communities (each edge from both
// ends; self-loops are left out of the working graph) and the sum of squared community totals.
struct QualitySums {
  double inside = 0.0;
  double penalty = 0.0;
  // H up to a constant, for comparing partitions.
  double H(const Objective& objective) const {
    return inside / 2.0 - objective.lambda / 2.0 * penalty;
  }
};

// The internal weight is summed in chunks of nodes on up to `threads` workers, and the chunks'
// sums added in chunk order, so the value does not depend on the thread count.
QualitySums Quality(const WorkGraph& graph, const std::vector<uint32_t>& membership,
                    unsigned threads) {
  std::vector<double> total(graph.num_nodes, 0.0);
  for (uint32_t v = 0; v < graph.num_nodes; ++v) total[membership[v]] += graph.node_weight[v];
  const internal::ChunkPlan plan = internal::PlanChunks(graph.num_nodes, kChunks);
  std::vector<double> chunk_inside(plan.num_chunks, 0.0);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    const auto chunk_end = static_cast<uint32_t>(plan.end(chunk));
    double inside = 0.0;
    for (auto v = static_cast<uint32_t>(plan.begin(chunk)); v < chunk_end; ++v) {
      if (v + 2 < chunk_end)
        community_internal::PrefetchNeighbourEntries(graph, v + 2, membership.data());
      graph.ForEachArc(v, [&](uint32_t u, double w) {
        if (membership[u] == membership[v]) inside += w;
      });
    }
    chunk_inside[chunk] = inside;
  });
  QualitySums sums;
  for (double sum : chunk_inside) sums.inside += sum;
  for (double t : total) sums.penalty += t * t;
  return sums;
}

// Quality() of the partition into singletons, without reading the arcs: the working graph has
// no self-loops, so no edge lies inside a community.
QualitySums SingletonQuality(const WorkGraph& graph) {
  QualitySums sums;
  for (double a : graph.node_weight) sums.penalty += a * a;
  return sums;
}

}  // namespace

StatusOr<CommunityResult> Leiden(const CsrGraph& graph, const LeidenOptions& options) {
  TRAFNET_RETURN_IF_ERROR(
      community_internal::ValidateCommon("leiden", options.resolution, options.threads));
  if (!std::isfinite(options.randomness) || options.randomness <= 0.0) {
    return InvalidArgumentError("leiden: randomness " + std::to_string(options.randomness) +
                                " must be a finite number > 0 (0.01 is the usual value)");
  }
  if (!std::isfinite(options.tolerance) || options.tolerance < 0.0) {
    return InvalidArgumentError("leiden: tolerance " + std::to_string(options.tolerance) +
                                " must be a finite number >= 0 (0 repeats until the quality "
                                "stops improving)");
  }
  if (options.max_iterations < 0) {
    return InvalidArgumentError("leiden: max_iterations " + std::to_string(options.max_iterations) +
                                " must be >= 0 (0 repeats until the quality stops improving)");
  }
  TRAFNET_RETURN_IF_ERROR(community_internal::ValidateWeights(graph));

  Objective objective;
  double total_weight = 0.0;
  const auto threads = static_cast<unsigned>(options.threads);
  WorkGraph base = community_internal::BuildWorkGraph(graph, options.quality, options.resolution,
                                                      objective, total_weight, threads);
  const uint32_t n = base.num_nodes;
  std::vector<uint32_t> vertex_of(n);  // base node -> input vertex (base gets renumbered)
  std::iota(vertex_of.begin(), vertex_of.end(), 0);
  std::vector<uint32_t> candidate(n);  // per base node
  std::iota(candidate.begin(), candidate.end(), 0);
  std::vector<uint32_t> membership = candidate;  // the best so far, per input vertex
  Rng rng(options.seed);
  QualitySums best_sums = SingletonQuality(base);
  double best = best_sums.H(objective);
  // The tolerance is a gain in quality per unit of edge weight (in modularity itself), and the
  // first iteration, from singletons, never settles.
  const double settle_gain = options.tolerance * total_weight / 2.0;
  int iterations = 0;
  while (options.max_iterations == 0 || iterations < options.max_iterations) {
    const bool settled =
        LeidenIteration(base, objective, options.randomness, iterations == 0 ? 0.0 : settle_gain,
                        threads, rng, candidate, vertex_of);
    ++iterations;
    const QualitySums sums = Quality(base, candidate, threads);
    const double quality = sums.H(objective);
    // A relative margin keeps rounding noise from counting as progress forever.
    if (!(quality > best + 1e-12 * std::max(1.0, std::abs(best)))) break;
    best = quality;
    best_sums = sums;
    for (uint32_t v = 0; v < n; ++v) membership[vertex_of[v]] = candidate[v];
    if (settled) break;
  }
  // For modularity the sums of the best partition give the result's modularity and quality
  // without another pass over the input's arcs (0.09 s on the planted-partition graph): the
  // community totals are strengths, and the self-loops the working graph left out are all
  // inside, weighing 2m minus its arcs.
  std::optional<community_internal::KnownQuality> known;
  if (options.quality == QualityFunction::kModularity) {
    double arcs_weight = 0.0;
    if (base.weights.empty()) {
      arcs_weight = static_cast<double>(base.targets.size());
    } else {
      for (double w : base.weights) arcs_weight += w;
    }
    known.emplace();
    if (total_weight > 0.0) {
      const double inside = (best_sums.inside + (total_weight - arcs_weight)) / total_weight;
      const double spread = best_sums.penalty / (total_weight * total_weight);
      known->modularity = inside - spread;
      known->quality = inside - options.resolution * spread;
    }
  }
  return community_internal::FinishResult(graph, std::move(membership), options.quality,
                                          options.resolution, iterations, known);
}

}  // namespace trafnet::algorithms
