// Eigenvector centrality (Bonacich 1972): a vertex is central when its in-neighbours are.
// The scores are the principal eigenvector of the transposed adjacency matrix, x = A^T x / λ,
// found by power iteration.
//
// Normalisation: unit Euclidean norm (sum of squares 1), as networkx's
// `eigenvector_centrality`, not max = 1 as igraph's `scale=TRUE`; divide by the largest
// score to get igraph's. On a directed graph a vertex collects from the vertices pointing at
// it (networkx's in-edge convention). A self-loop is an arc like any other (twice in an
// undirected CSR); parallel edges add.
#ifndef TRAFNET_ALGORITHMS_EIGENVECTOR_H_
#define TRAFNET_ALGORITHMS_EIGENVECTOR_H_

#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

struct EigenvectorOptions {
  // Stop once the L1 change of the (normalised) score vector is below this. networkx tests
  // L1 < n * tol, so its default tol=1e-6 is n*1e-6 here. 0 runs exactly max_iterations.
  double tolerance = 1e-6;
  int max_iterations = 100;  // >= 1
  // Use the arc weights as tie strengths when the graph is weighted (finite and >= 0).
  // networkx's default is unweighted (weight=None); set false to match it on weighted graphs.
  bool use_weights = true;
};

struct EigenvectorResult {
  std::vector<double> scores;  // >= 0, unit L2 norm (all 0 for an empty graph)
  int iterations = 0;
  double residual = 0.0;  // L1 change over the last iteration
  bool converged = false;
};

// Iterates x <- (A^T + I) x / ||(A^T + I) x||, starting from the uniform vector, exactly as
// networkx does: the +I shift has the same eigenvectors but keeps bipartite graphs from
// oscillating. On a disconnected graph the answer depends on that start, as in networkx.
// O((n + m) * iterations). InvalidArgument for bad options or negative weights.
StatusOr<EigenvectorResult> EigenvectorCentrality(const CsrGraph& graph,
                                                  const EigenvectorOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_EIGENVECTOR_H_
