#include "centrality/centrality_internal.h"

#include <fmt/format.h>

namespace trafnet::algorithms::internal {

StatusOr<unsigned> ResolveThreads(int threads, std::string_view kernel) {
  if (threads < 0) {
    return InvalidArgumentError(
        fmt::format("{}: threads is {}; use a positive count, or 0 for one per hardware thread",
                    kernel, threads));
  }
  if (threads > 0) return static_cast<unsigned>(threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

Status CheckLengths(const CsrGraph& graph, EdgeLength length, std::string_view kernel) {
  // A graph without arcs has nothing to weigh (and CsrGraph reports it unweighted).
  if (length == EdgeLength::kHops || graph.num_arcs() == 0) return Status::Ok();
  if (!graph.weighted()) {
    return InvalidArgumentError(fmt::format(
        "{}: weighted edge lengths were asked for but the graph has no weights; build it with "
        "weighted=true or use EdgeLength::kHops",
        kernel));
  }
  for (Vertex v = 0; v < graph.num_vertices(); ++v) {
    for (float w : graph.weights(v)) {
      if (!(w > 0.0f) || !std::isfinite(w)) {
        return InvalidArgumentError(fmt::format(
            "{}: an edge out of vertex {} has weight {}; weighted shortest paths need every "
            "weight finite and > 0 (drop or fix such edges, or use EdgeLength::kHops)",
            kernel, v, w));
      }
    }
  }
  return Status::Ok();
}

Status CheckNonNegativeWeights(const CsrGraph& graph, std::string_view kernel) {
  if (!graph.weighted()) return Status::Ok();
  for (Vertex v = 0; v < graph.num_vertices(); ++v) {
    for (float w : graph.weights(v)) {
      if (!(w >= 0.0f) || !std::isfinite(w)) {
        return InvalidArgumentError(fmt::format(
            "{}: an edge out of vertex {} has weight {}; weights must be finite and >= 0 "
            "(fix the edge, or turn use_weights off)",
            kernel, v, w));
      }
    }
  }
  return Status::Ok();
}

CsrGraph Reverse(const CsrGraph& graph) {
  std::vector<Edge> arcs;
  arcs.reserve(graph.num_arcs());
  const bool weighted = graph.weighted();
  for (Vertex v = 0; v < graph.num_vertices(); ++v) {
    auto targets = graph.neighbours(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      arcs.push_back({targets[i], v, weighted ? graph.weights(v)[i] : 1.0f});
    }
  }
  return CsrGraph::FromEdges(graph.num_vertices(), arcs, /*directed=*/true, weighted);
}

}  // namespace trafnet::algorithms::internal
