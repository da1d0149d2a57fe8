// Louvain community detection (Blondel, Guillaume, Lambiotte & Lefebvre, "Fast unfolding of
// communities in large networks", J. Stat. Mech. P10008, 2008), for modularity and CPM.
//
// Each level sweeps the nodes in a random order, moving each to the neighbouring community
// of largest gain, until a sweep moves nothing; then the communities become the nodes of the
// next level's graph. It stops when a level moves no node. Louvain can leave a community
// internally disconnected (a bridge node moves away and nothing revisits the rest); Leiden
// exists to fix that, so Louvain is here mainly as a baseline.
//
// O(n + m) per sweep and per aggregation; a handful of sweeps per level and a logarithmic
// number of levels in practice. Memory O(n + m).
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "community/community_internal.h"
#include "trafnet/algorithms/community.h"

namespace trafnet::algorithms {

StatusOr<CommunityResult> Louvain(const CsrGraph& graph, const LouvainOptions& options) {
  TRAFNET_RETURN_IF_ERROR(
      community_internal::ValidateCommon("louvain", options.resolution, options.threads));
  if (options.max_levels < 0) {
    return InvalidArgumentError("louvain: max_levels " + std::to_string(options.max_levels) +
                                " must be >= 0 (0 aggregates until nothing moves)");
  }
  TRAFNET_RETURN_IF_ERROR(community_internal::ValidateWeights(graph));

  community_internal::Objective objective;
  double total_weight = 0.0;
  const community_internal::WorkGraph base = community_internal::BuildWorkGraph(
      graph, options.quality, options.resolution, objective, total_weight);
  const uint32_t n = base.num_nodes;
  std::vector<uint32_t> node_of(n);  // original vertex -> node of the current level
  std::iota(node_of.begin(), node_of.end(), 0);
  std::vector<uint32_t> partition(n);
  std::iota(partition.begin(), partition.end(), 0);

  community_internal::Rng rng(options.seed);
  const community_internal::WorkGraph* level_graph = &base;
  community_internal::WorkGraph level;
  int levels = 0;
  while (true) {
    community_internal::LocalMover mover(*level_graph, objective, partition);
    const bool moved = mover.SweepMoveNodes(rng);
    ++levels;
    const uint32_t count = community_internal::Compact(partition, level_graph->num_nodes);
    if (!moved || count == level_graph->num_nodes) break;
    for (uint32_t& node : node_of) node = partition[node];
    if (options.max_levels != 0 && levels >= options.max_levels) {
      partition.resize(count);
      std::iota(partition.begin(), partition.end(), 0);
      break;
    }
    community_internal::WorkGraph next =
        community_internal::Aggregate(*level_graph, partition, count);
    level = std::move(next);
    level_graph = &level;
    partition.assign(count, 0);
    std::iota(partition.begin(), partition.end(), 0);
  }
  std::vector<uint32_t> membership(n);
  for (uint32_t v = 0; v < n; ++v) membership[v] = partition[node_of[v]];
  return community_internal::FinishResult(graph, std::move(membership), options.quality,
                                          options.resolution, levels);
}

}  // namespace trafnet::algorithms
