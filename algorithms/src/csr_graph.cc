#include "trafnet/algorithms/csr_graph.h"

#include <algorithm>

namespace trafnet::algorithms {

CsrGraph CsrGraph::FromEdges(Vertex num_vertices, std::span<const Edge> edges, bool directed,
                             bool weighted) {
  CsrGraph graph;
  graph.directed_ = directed;
  graph.offsets_.assign(static_cast<size_t>(num_vertices) + 1, 0);
  for (const Edge& e : edges) {
    ++graph.offsets_[e.from + 1];
    if (!directed) ++graph.offsets_[e.to + 1];
  }
  for (size_t v = 0; v < num_vertices; ++v) graph.offsets_[v + 1] += graph.offsets_[v];
  graph.targets_.resize(graph.offsets_.back());
  if (weighted) graph.weights_.resize(graph.offsets_.back());
  std::vector<uint64_t> cursor(graph.offsets_.begin(), graph.offsets_.end() - 1);
  auto place = [&](Vertex from, Vertex to, float weight) {
    uint64_t slot = cursor[from]++;
    graph.targets_[slot] = to;
    if (weighted) graph.weights_[slot] = weight;
  };
  for (const Edge& e : edges) {
    place(e.from, e.to, e.weight);
    if (!directed) place(e.to, e.from, e.weight);
  }
  return graph;
}

CsrGraph CsrGraph::FromEdgesMerged(Vertex num_vertices, std::vector<Edge> edges, bool directed,
                                   bool weighted) {
  for (Edge& e : edges) {
    if (!directed && e.from > e.to) std::swap(e.from, e.to);
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  size_t kept = 0;
  for (const Edge& e : edges) {
    if (e.from == e.to) continue;
    if (kept > 0 && edges[kept - 1].from == e.from && edges[kept - 1].to == e.to) {
      edges[kept - 1].weight += e.weight;
    } else {
      edges[kept++] = e;
    }
  }
  edges.resize(kept);
  return FromEdges(num_vertices, edges, directed, weighted);
}

CsrGraph CsrGraph::InducedSubgraph(std::span<const Vertex> vertices) const {
  std::vector<Edge> edges;
  for (Vertex i = 0; i < vertices.size(); ++i) {
    const Vertex v = vertices[i];
    for (uint64_t a = offsets_[v]; a < offsets_[v + 1]; ++a) {
      auto found = std::lower_bound(vertices.begin(), vertices.end(), targets_[a]);
      if (found == vertices.end() || *found != targets_[a]) continue;
      const auto j = static_cast<Vertex>(found - vertices.begin());
      // An undirected graph holds each edge both ways; keep one.
      if (!directed_ && j < i) continue;
      edges.push_back(Edge{i, j, weights_.empty() ? 1.0f : weights_[a]});
    }
  }
  return FromEdges(static_cast<Vertex>(vertices.size()), edges, directed_, !weights_.empty());
}

StatusOr<CsrGraph> CsrGraph::FromArrays(bool directed, std::vector<uint64_t> offsets,
                                        std::vector<Vertex> targets, std::vector<float> weights) {
  if (offsets.empty() || offsets.front() != 0 || offsets.back() != targets.size()) {
    return InvalidArgumentError("graph arrays: offsets do not span the targets");
  }
  if (offsets.size() - 1 > UINT32_MAX)
    return InvalidArgumentError("graph arrays: too many vertices");
  for (size_t v = 1; v < offsets.size(); ++v) {
    if (offsets[v] < offsets[v - 1]) return InvalidArgumentError("graph arrays: offsets decrease");
  }
  const auto n = static_cast<Vertex>(offsets.size() - 1);
  for (Vertex t : targets) {
    if (t >= n) return InvalidArgumentError("graph arrays: a target is not a vertex");
  }
  if (!weights.empty() && weights.size() != targets.size()) {
    return InvalidArgumentError("graph arrays: weights do not match targets");
  }
  CsrGraph graph;
  graph.directed_ = directed;
  graph.offsets_ = std::move(offsets);
  graph.targets_ = std::move(targets);
  graph.weights_ = std::move(weights);
  return graph;
}

}  // namespace trafnet::algorithms
