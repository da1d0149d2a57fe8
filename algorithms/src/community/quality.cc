// Modularity and Constant Potts Model quality of a given partition, and the input checks the
// community kernels share.
//
// Both qualities are sums over communities of internal weight and a penalty on community
// "mass" (total strength for modularity, Newman & Girvan, Phys. Rev. E 69:026113, 2004, with
// the resolution of Reichardt & Bornholdt 2006; vertex count for CPM, Traag, Van Dooren &
// Nesterov, Phys. Rev. E 84:016114, 2011), so one pass over the arcs collects everything:
// O(n + m) time, O(n) memory. A directed graph is read as undirected: each arc is one edge.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "community/community_internal.h"
#include "trafnet/algorithms/community.h"

namespace trafnet::algorithms {
namespace {

// Per community: internal arc weight (each undirected edge counted from both ends, so 2 w_c),
// strength K_c and vertex count n_c; plus the total arc weight 2m.
struct CommunityTotals {
  std::vector<double> internal;
  std::vector<double> strength;
  std::vector<uint64_t> vertices;
  double total = 0.0;
};

// Maps arbitrary labels to 0..k-1; the mapping's order does not matter to the sums.
std::vector<uint32_t> DenseLabels(std::span<const uint32_t> membership, uint32_t& count) {
  std::vector<uint32_t> dense(membership.begin(), membership.end());
  uint32_t max_label = 0;
  for (uint32_t label : membership) max_label = std::max(max_label, label);
  if (max_label < membership.size() * 2 + 16) {
    count = community_internal::Compact(dense, max_label + 1);
    return dense;
  }
  std::vector<uint32_t> distinct(membership.begin(), membership.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (uint32_t& label : dense) {
    label = static_cast<uint32_t>(std::lower_bound(distinct.begin(), distinct.end(), label) -
                                  distinct.begin());
  }
  count = static_cast<uint32_t>(distinct.size());
  return dense;
}

StatusOr<CommunityTotals> Collect(const CsrGraph& graph, std::span<const uint32_t> membership,
                                  double resolution, const char* what) {
  if (membership.size() != graph.num_vertices()) {
    return InvalidArgumentError(std::string(what) + ": membership has " +
                                std::to_string(membership.size()) + " entries but the graph has " +
                                std::to_string(graph.num_vertices()) +
                                " vertices; give one community label per vertex");
  }
  TRAFNET_RETURN_IF_ERROR(community_internal::ValidateCommon(what, resolution, 1));
  TRAFNET_RETURN_IF_ERROR(community_internal::ValidateWeights(graph));
  uint32_t count = 0;
  std::vector<uint32_t> label = DenseLabels(membership, count);
  CommunityTotals totals;
  totals.internal.assign(count, 0.0);
  totals.strength.assign(count, 0.0);
  totals.vertices.assign(count, 0);
  // An arc of a directed graph stands for an undirected edge, seen from both its ends.
  const double ends = graph.directed() ? 2.0 : 1.0;
  for (Vertex u = 0; u < graph.num_vertices(); ++u) {
    ++totals.vertices[label[u]];
    std::span<const Vertex> targets = graph.neighbours(u);
    for (size_t i = 0; i < targets.size(); ++i) {
      const Vertex v = targets[i];
      const double w = graph.weighted() ? graph.weights(u)[i] : 1.0;
      totals.total += ends * w;
      totals.strength[label[u]] += w;
      if (graph.directed()) totals.strength[label[v]] += w;
      if (label[u] == label[v]) totals.internal[label[u]] += ends * w;
    }
  }
  return totals;
}

}  // namespace

StatusOr<double> Modularity(const CsrGraph& graph, std::span<const uint32_t> membership,
                            double resolution) {
  TRAFNET_ASSIGN_OR_RETURN(CommunityTotals totals,
                           Collect(graph, membership, resolution, "modularity"));
  if (totals.total <= 0.0) return 0.0;
  double q = 0.0;
  for (size_t c = 0; c < totals.internal.size(); ++c) {
    const double share = totals.strength[c] / totals.total;
    q += totals.internal[c] / totals.total - resolution * share * share;
  }
  return q;
}

StatusOr<double> CpmQuality(const CsrGraph& graph, std::span<const uint32_t> membership,
                            double resolution) {
  TRAFNET_ASSIGN_OR_RETURN(CommunityTotals totals,
                           Collect(graph, membership, resolution, "CPM quality"));
  double h = 0.0;
  for (size_t c = 0; c < totals.internal.size(); ++c) {
    const double n = static_cast<double>(totals.vertices[c]);
    h += totals.internal[c] / 2.0 - resolution * n * (n - 1.0) / 2.0;
  }
  return h;
}

namespace community_internal {

Status ValidateWeights(const CsrGraph& graph) {
  if (!graph.weighted()) return Status::Ok();
  for (Vertex u = 0; u < graph.num_vertices(); ++u) {
    std::span<const float> weights = graph.weights(u);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (!std::isfinite(weights[i]) || weights[i] < 0.0f) {
        return InvalidArgumentError(
            "edge weight " + std::to_string(weights[i]) + " on arc " + std::to_string(u) + " -> " +
            std::to_string(graph.neighbours(u)[i]) +
            " is negative or not finite; community quality needs finite weights >= 0");
      }
    }
  }
  return Status::Ok();
}

Status ValidateCommon(const char* what, double resolution, int threads) {
  if (!std::isfinite(resolution) || resolution < 0.0) {
    return InvalidArgumentError(std::string(what) + ": resolution " + std::to_string(resolution) +
                                " must be a finite number >= 0 (1 is classic modularity)");
  }
  if (threads < 1) {
    return InvalidArgumentError(std::string(what) + ": threads " + std::to_string(threads) +
                                " must be >= 1");
  }
  return Status::Ok();
}

}  // namespace community_internal
}  // namespace trafnet::algorithms
