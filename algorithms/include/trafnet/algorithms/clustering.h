// Triangles and the local clustering coefficient of an undirected graph (Watts & Strogatz
// 1998).
//
// The graph is read as simple: self-loops are ignored and parallel edges count once, as in
// networkx's `triangles` and `clustering` on a Graph. With k(v) the number of distinct
// neighbours of v other than v and t(v) the triangles through v,
//   clustering(v) = 2 t(v) / (k(v) (k(v) - 1)), and 0 when k(v) < 2.
// Weights are ignored.
#ifndef TRAFNET_ALGORITHMS_CLUSTERING_H_
#define TRAFNET_ALGORITHMS_CLUSTERING_H_

#include <cstdint>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

struct ClusteringOptions {
  int threads = 1;  // 0 means one per hardware thread; results do not depend on it
};

struct ClusteringResult {
  std::vector<uint64_t> triangles;   // t(v)
  std::vector<double> coefficients;  // clustering(v)
  uint64_t total_triangles = 0;      // each triangle once
  double average_clustering = 0.0;   // mean over all vertices, zeros included (networkx)
  // 3 * triangles / connected triples (networkx's transitivity); 0 when there are no triples.
  double transitivity = 0.0;
};

// Orders vertices by (degree, id), keeps for each vertex only its higher-ordered neighbours,
// and finds every triangle once by merging those sorted lists (GAP's tc.cc; Schank & Wagner
// 2005). O(m^1.5) time, O(n + m) space. InvalidArgument on a directed graph.
StatusOr<ClusteringResult> Clustering(const CsrGraph& graph, const ClusteringOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_CLUSTERING_H_
