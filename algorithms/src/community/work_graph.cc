// The working graph of the community kernels: building it from a CsrGraph, aggregating it by
// a partition (the "phase 2" of Louvain and Leiden), and the partition bookkeeping around it.
//
// Aggregation groups the nodes by community with a counting sort, then for each community
// sums the weights of its members' arcs per neighbouring community in a dense scratch array,
// so it runs in O(n + m) time and O(n) extra memory, and the arc order (hence every later
// random choice) depends only on the input.
#include <algorithm>
#include <numeric>
#include <vector>

#include "community/community_internal.h"
#include "graph_transforms.h"
#include "trafnet/algorithms/components.h"

namespace trafnet::algorithms::community_internal {

WorkGraph BuildWorkGraph(const CsrGraph& input, QualityFunction quality, double resolution,
                         Objective& objective, double& total_weight) {
  CsrGraph undirected_storage;
  const CsrGraph& graph = AsUndirected(input, undirected_storage);
  const Vertex n = graph.num_vertices();
  WorkGraph work;
  work.num_nodes = n;
  work.offsets.assign(static_cast<size_t>(n) + 1, 0);
  work.node_weight.assign(n, 1.0);
  work.targets.reserve(graph.num_arcs());
  work.weights.reserve(graph.num_arcs());
  total_weight = 0.0;
  for (Vertex v = 0; v < n; ++v) {
    std::span<const Vertex> targets = graph.neighbours(v);
    double strength = 0.0;
    for (size_t i = 0; i < targets.size(); ++i) {
      const double w = graph.weighted() ? graph.weights(v)[i] : 1.0;
      strength += w;
      if (targets[i] == v) continue;
      work.targets.push_back(targets[i]);
      work.weights.push_back(w);
    }
    work.offsets[v + 1] = work.targets.size();
    total_weight += strength;
    if (quality == QualityFunction::kModularity) work.node_weight[v] = strength;
  }
  if (quality == QualityFunction::kModularity) {
    objective.lambda = total_weight > 0.0 ? resolution / total_weight : 0.0;
  } else {
    objective.lambda = resolution;
  }
  objective.min_sweep_gain = 1e-6 * total_weight / 2.0;
  return work;
}

WorkGraph Aggregate(const WorkGraph& graph, const std::vector<uint32_t>& community,
                    uint32_t count) {
  std::vector<uint32_t> first(static_cast<size_t>(count) + 1, 0);
  for (uint32_t v = 0; v < graph.num_nodes; ++v) ++first[community[v] + 1];
  std::partial_sum(first.begin(), first.end(), first.begin());
  std::vector<uint32_t> members(graph.num_nodes);
  {
    std::vector<uint32_t> cursor(first.begin(), first.end() - 1);
    for (uint32_t v = 0; v < graph.num_nodes; ++v) members[cursor[community[v]]++] = v;
  }

  WorkGraph aggregate;
  aggregate.num_nodes = count;
  aggregate.offsets.assign(static_cast<size_t>(count) + 1, 0);
  aggregate.node_weight.assign(count, 0.0);
  std::vector<double> weight_to(count, 0.0);
  std::vector<uint32_t> seen_by(count, UINT32_MAX);
  std::vector<uint32_t> touched;
  for (uint32_t c = 0; c < count; ++c) {
    for (uint32_t i = first[c]; i < first[c + 1]; ++i) {
      const uint32_t v = members[i];
      aggregate.node_weight[c] += graph.node_weight[v];
      std::span<const uint32_t> targets = graph.Neighbours(v);
      std::span<const double> weights = graph.Weights(v);
      for (size_t k = 0; k < targets.size(); ++k) {
        const uint32_t d = community[targets[k]];
        if (d == c) continue;
        if (seen_by[d] != c) {
          seen_by[d] = c;
          weight_to[d] = 0.0;
          touched.push_back(d);
        }
        weight_to[d] += weights[k];
      }
    }
    for (uint32_t d : touched) {
      aggregate.targets.push_back(d);
      aggregate.weights.push_back(weight_to[d]);
    }
    touched.clear();
    aggregate.offsets[c + 1] = aggregate.targets.size();
  }
  return aggregate;
}

uint32_t Compact(std::vector<uint32_t>& labels, uint32_t bound) {
  std::vector<uint32_t> id_of(bound, UINT32_MAX);
  uint32_t count = 0;
  for (uint32_t& label : labels) {
    uint32_t& id = id_of[label];
    if (id == UINT32_MAX) id = count++;
    label = id;
  }
  return count;
}

uint32_t SplitDisconnected(const WorkGraph& graph, std::vector<uint32_t>& community) {
  // Connected components of the graph restricted to arcs inside a community are exactly the
  // connected parts of the communities.
  std::vector<Edge> inside;
  for (uint32_t v = 0; v < graph.num_nodes; ++v) {
    for (uint32_t u : graph.Neighbours(v)) {
      if (v < u && community[u] == community[v]) inside.push_back({v, u, 1.0f});
    }
  }
  CsrGraph restricted =
      CsrGraph::FromEdges(graph.num_nodes, inside, /*directed=*/false, /*weighted=*/false);
  ComponentsResult parts = WeaklyConnectedComponents(restricted);
  community = std::move(parts.component);
  return parts.count;
}

StatusOr<CommunityResult> FinishResult(const CsrGraph& graph, std::vector<uint32_t> membership,
                                       QualityFunction quality, double resolution, int iterations) {
  const uint32_t n = graph.num_vertices();
  const uint32_t count = Compact(membership, n);
  // After Compact, community ids are in order of smallest vertex.
  std::vector<uint64_t> sizes(count, 0);
  for (uint32_t c : membership) ++sizes[c];
  std::vector<uint32_t> by_rank(count);
  std::iota(by_rank.begin(), by_rank.end(), 0);
  std::stable_sort(by_rank.begin(), by_rank.end(),
                   [&](uint32_t a, uint32_t b) { return sizes[a] > sizes[b]; });
  std::vector<uint32_t> rank_of(count);
  for (uint32_t r = 0; r < count; ++r) rank_of[by_rank[r]] = r;

  CommunityResult result;
  result.count = count;
  result.iterations = iterations;
  result.sizes.resize(count);
  for (uint32_t c = 0; c < count; ++c) result.sizes[rank_of[c]] = sizes[c];
  for (uint32_t& c : membership) c = rank_of[c];
  result.membership = std::move(membership);
  TRAFNET_ASSIGN_OR_RETURN(result.modularity, Modularity(graph, result.membership, 1.0));
  if (quality == QualityFunction::kModularity) {
    TRAFNET_ASSIGN_OR_RETURN(result.quality, Modularity(graph, result.membership, resolution));
  } else {
    TRAFNET_ASSIGN_OR_RETURN(result.quality, CpmQuality(graph, result.membership, resolution));
  }
  return result;
}

}  // namespace trafnet::algorithms::community_internal
