#include "graph_transforms.h"

#include <cassert>
#include <vector>

namespace trafnet::algorithms {

CsrGraph Symmetrize(const CsrGraph& graph) {
  assert(graph.directed());
  std::vector<Edge> edges;
  edges.reserve(graph.num_arcs());
  const bool weighted = graph.weighted();
  for (Vertex v = 0; v < graph.num_vertices(); ++v) {
    std::span<const Vertex> targets = graph.neighbours(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      edges.push_back({v, targets[i], weighted ? graph.weights(v)[i] : 1.0f});
    }
  }
  return CsrGraph::FromEdges(graph.num_vertices(), edges, /*directed=*/false, weighted);
}

const CsrGraph& AsUndirected(const CsrGraph& graph, CsrGraph& storage) {
  if (!graph.directed()) return graph;
  storage = Symmetrize(graph);
  return storage;
}

}  // namespace trafnet::algorithms
