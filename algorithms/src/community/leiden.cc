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
// the iteration ends there. As a last guard the result is split into connected parts, which
// can only raise the quality; with the refinement above it is a no-op in practice.
//
// Each level costs O(n + m) per pass of local moving, plus O(n + m) for refinement and
// aggregation; the number of levels is small (logarithmic in practice). Memory O(n + m).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "community/community_internal.h"
#include "trafnet/algorithms/community.h"

namespace trafnet::algorithms {
namespace {

using community_internal::Aggregate;
using community_internal::Compact;
using community_internal::LocalMover;
using community_internal::Objective;
using community_internal::Rng;
using community_internal::WorkGraph;

// Returns the refined partition as node ids of each sub-community's founder (not compact).
std::vector<uint32_t> Refine(const WorkGraph& graph, const std::vector<uint32_t>& community,
                             uint32_t count, const Objective& objective, double randomness,
                             Rng& rng) {
  const uint32_t n = graph.num_nodes;
  const double lambda = objective.lambda;
  std::vector<double> community_total(count, 0.0);
  std::vector<double> weight_inside(n, 0.0);  // E(v, S - v)
  for (uint32_t v = 0; v < n; ++v) {
    community_total[community[v]] += graph.node_weight[v];
    std::span<const uint32_t> targets = graph.Neighbours(v);
    std::span<const double> weights = graph.Weights(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      if (community[targets[i]] == community[v]) weight_inside[v] += weights[i];
    }
  }
  std::vector<uint32_t> refined(n);
  std::iota(refined.begin(), refined.end(), 0);
  std::vector<double> sub_weight(graph.node_weight);
  std::vector<uint32_t> sub_nodes(n, 1);
  std::vector<double> sub_outside(weight_inside);  // E(C, S - C) per sub-community C

  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  rng.Shuffle(order);
  std::vector<double> weight_to(n, 0.0);
  std::vector<char> is_touched(n, 0);
  std::vector<uint32_t> touched;
  std::vector<std::pair<uint32_t, double>> candidates;  // sub-community, gain

  for (uint32_t v : order) {
    if (sub_nodes[refined[v]] != 1) continue;  // v already has company: it stays
    const uint32_t s = community[v];
    const double a = graph.node_weight[v];
    if (weight_inside[v] < lambda * a * (community_total[s] - a)) continue;

    std::span<const uint32_t> targets = graph.Neighbours(v);
    std::span<const double> weights = graph.Weights(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      if (community[targets[i]] != s) continue;
      const uint32_t c = refined[targets[i]];
      if (!is_touched[c]) {
        is_touched[c] = 1;
        touched.push_back(c);
      }
      weight_to[c] += weights[i];
    }
    candidates.clear();
    double max_gain = 0.0;  // staying alone gains 0
    for (uint32_t c : touched) {
      const double size = sub_weight[c];
      if (sub_outside[c] < lambda * size * (community_total[s] - size)) continue;
      const double gain = weight_to[c] - lambda * a * size;
      if (gain < 0.0) continue;
      candidates.emplace_back(c, gain);
      max_gain = std::max(max_gain, gain);
    }
    if (!candidates.empty()) {
      // Weights relative to the best gain, so exp() cannot overflow.
      const double scale = 1.0 / randomness;
      const double stay = std::exp(-max_gain * scale);
      double total = stay;
      for (const auto& [c, gain] : candidates) total += std::exp((gain - max_gain) * scale);
      double draw = rng.Unit() * total - stay;
      uint32_t chosen = v;
      if (draw >= 0.0) {
        chosen = candidates.back().first;
        for (const auto& [c, gain] : candidates) {
          draw -= std::exp((gain - max_gain) * scale);
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
        sub_outside[chosen] += weight_inside[v] - 2.0 * weight_to[chosen];
      }
    }
    for (uint32_t c : touched) {
      weight_to[c] = 0.0;
      is_touched[c] = 0;
    }
    touched.clear();
  }
  return refined;
}

// One Leiden iteration on `base`, starting from and updating `membership`.
void LeidenIteration(const WorkGraph& base, const Objective& objective, double randomness, Rng& rng,
                     std::vector<uint32_t>& membership) {
  const uint32_t n = base.num_nodes;
  std::vector<uint32_t> node_of(n);  // original vertex -> node of the current level
  std::iota(node_of.begin(), node_of.end(), 0);
  std::vector<uint32_t> partition = membership;
  Compact(partition, n);
  const WorkGraph* graph = &base;
  WorkGraph level;
  while (true) {
    LocalMover mover(*graph, objective, partition);
    mover.FastMoveNodes(rng);
    const uint32_t count = Compact(partition, graph->num_nodes);
    if (count == graph->num_nodes) break;
    std::vector<uint32_t> refined = Refine(*graph, partition, count, objective, randomness, rng);
    const uint32_t refined_count = Compact(refined, graph->num_nodes);
    if (refined_count == graph->num_nodes) break;
    // The refined partition refines `partition`, so its ids fit the next level's node range.
    std::vector<uint32_t> next_partition(refined_count);
    for (uint32_t i = 0; i < graph->num_nodes; ++i) next_partition[refined[i]] = partition[i];
    for (uint32_t& node : node_of) node = refined[node];
    WorkGraph next = Aggregate(*graph, refined, refined_count);
    level = std::move(next);
    graph = &level;
    partition = std::move(next_partition);
  }
  for (uint32_t v = 0; v < n; ++v) membership[v] = partition[node_of[v]];
  community_internal::SplitDisconnected(base, membership);
}

// H up to a constant (self-loops are left out of the working graph), for comparing partitions.
double Quality(const WorkGraph& graph, const std::vector<uint32_t>& membership,
               const Objective& objective) {
  std::vector<double> total(graph.num_nodes, 0.0);
  double inside = 0.0;
  for (uint32_t v = 0; v < graph.num_nodes; ++v) {
    total[membership[v]] += graph.node_weight[v];
    std::span<const uint32_t> targets = graph.Neighbours(v);
    std::span<const double> weights = graph.Weights(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      if (membership[targets[i]] == membership[v]) inside += weights[i];
    }
  }
  double penalty = 0.0;
  for (double t : total) penalty += t * t;
  return inside / 2.0 - objective.lambda / 2.0 * penalty;
}

}  // namespace

StatusOr<CommunityResult> Leiden(const CsrGraph& graph, const LeidenOptions& options) {
  TRAFNET_RETURN_IF_ERROR(
      community_internal::ValidateCommon("leiden", options.resolution, options.threads));
  if (!std::isfinite(options.randomness) || options.randomness <= 0.0) {
    return InvalidArgumentError("leiden: randomness " + std::to_string(options.randomness) +
                                " must be a finite number > 0 (0.01 is the usual value)");
  }
  if (options.max_iterations < 0) {
    return InvalidArgumentError("leiden: max_iterations " + std::to_string(options.max_iterations) +
                                " must be >= 0 (0 repeats until the quality stops improving)");
  }
  TRAFNET_RETURN_IF_ERROR(community_internal::ValidateWeights(graph));

  Objective objective;
  double total_weight = 0.0;
  const WorkGraph base = community_internal::BuildWorkGraph(
      graph, options.quality, options.resolution, objective, total_weight);
  std::vector<uint32_t> membership(base.num_nodes);
  std::iota(membership.begin(), membership.end(), 0);
  Rng rng(options.seed);
  double best = Quality(base, membership, objective);
  int iterations = 0;
  while (options.max_iterations == 0 || iterations < options.max_iterations) {
    std::vector<uint32_t> candidate = membership;
    LeidenIteration(base, objective, options.randomness, rng, candidate);
    ++iterations;
    const double quality = Quality(base, candidate, objective);
    // A relative margin keeps rounding noise from counting as progress forever.
    if (!(quality > best + 1e-12 * std::max(1.0, std::abs(best)))) break;
    best = quality;
    membership = std::move(candidate);
  }
  return community_internal::FinishResult(graph, std::move(membership), options.quality,
                                          options.resolution, iterations);
}

}  // namespace trafnet::algorithms
