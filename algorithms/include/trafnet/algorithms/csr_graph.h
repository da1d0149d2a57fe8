// An immutable graph in compressed sparse row form: the input of every algorithm.
//
// Nodes are dense 32-bit ids 0..n-1. For node v, its out-neighbours are
// targets[offsets[v] .. offsets[v+1]) with the matching weights (empty when unweighted).
// An undirected graph stores each edge in both directions.
#ifndef TRAFNET_ALGORITHMS_CSR_GRAPH_H_
#define TRAFNET_ALGORITHMS_CSR_GRAPH_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "trafnet/base/status.h"

namespace trafnet::algorithms {

using Vertex = uint32_t;

struct Edge {
  Vertex from = 0;
  Vertex to = 0;
  float weight = 1.0f;
};

class CsrGraph {
 public:
  CsrGraph() = default;
  // Builds from an edge list. With `directed` false every edge is stored both ways.
  // Self-loops are kept; parallel edges are kept (their weights are not merged).
  static CsrGraph FromEdges(Vertex num_vertices, std::span<const Edge> edges, bool directed,
                            bool weighted);

  // Like FromEdges, but a simple graph: self-loops are dropped and parallel edges (for an
  // undirected graph, u–v and v–u alike) become one whose weight is their sum.
  static CsrGraph FromEdgesMerged(Vertex num_vertices, std::vector<Edge> edges, bool directed,
                                  bool weighted);
  // The subgraph induced by `vertices` (sorted, distinct), its vertex i being vertices[i].
  CsrGraph InducedSubgraph(std::span<const Vertex> vertices) const;
  // Rebuilds a graph from the arrays of another (e.g. read back from a file), checking that they
  // form one: offsets start at 0, never decrease and end at targets.size(); every target is a
  // vertex; weights are empty or one per target.
  static StatusOr<CsrGraph> FromArrays(bool directed, std::vector<uint64_t> offsets,
                                       std::vector<Vertex> targets, std::vector<float> weights);

  // The arrays themselves (offsets has num_vertices() + 1 entries; weight_array may be empty).
  std::span<const uint64_t> offsets() const { return offsets_; }
  std::span<const Vertex> targets() const { return targets_; }
  std::span<const float> weight_array() const { return weights_; }

  Vertex num_vertices() const {
    return static_cast<Vertex>(offsets_.empty() ? 0 : offsets_.size() - 1);
  }
  uint64_t num_arcs() const { return targets_.size(); }
  bool directed() const { return directed_; }
  bool weighted() const { return !weights_.empty(); }

  std::span<const Vertex> neighbours(Vertex v) const {
    return {targets_.data() + offsets_[v], targets_.data() + offsets_[v + 1]};
  }
  std::span<const float> weights(Vertex v) const {
    return {weights_.data() + offsets_[v], weights_.data() + offsets_[v + 1]};
  }
  uint64_t degree(Vertex v) const { return offsets_[v + 1] - offsets_[v]; }

 private:
  bool directed_ = false;
  std::vector<uint64_t> offsets_;
  std::vector<Vertex> targets_;
  std::vector<float> weights_;
};

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_CSR_GRAPH_H_
