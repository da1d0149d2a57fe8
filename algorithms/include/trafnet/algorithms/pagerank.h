// PageRank and personalised PageRank (Page, Brin, Motwani, Winograd 1999).
//
// The score vector x is the stationary distribution of a walker that, at each step, with
// probability `damping` follows an arc out of its vertex (chosen in proportion to the arc
// weights on a weighted graph, uniformly otherwise) and otherwise teleports. Global PageRank
// teleports to a uniformly random vertex; personalised PageRank teleports only to the seed
// set, uniformly. A walker on a dangling vertex (no out-arcs, or only weight-0 ones) jumps as
// if teleporting: uniformly for global PageRank, to the seeds for personalised PageRank.
// This is networkx's `pagerank` (with `dangling=None`) and igraph's PRPACK result.
//
// An undirected graph is walked along both directions of each edge. A self-loop is an arc
// like any other; in an undirected CSR it is stored twice, so it counts twice in the
// vertex's out-weight. Parallel edges add.
#ifndef TRAFNET_ALGORITHMS_PAGERANK_H_
#define TRAFNET_ALGORITHMS_PAGERANK_H_

#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

struct PageRankOptions {
  // Probability of following an arc rather than teleporting; in [0, 1).
  double damping = 0.85;
  // Stop once the L1 change of the score vector over one iteration is below this. networkx's
  // `tol` is per vertex: its test is L1 < n * tol, so tol=1e-6 there is n*1e-6 here.
  // 0 runs exactly max_iterations (a fixed iteration count).
  double tolerance = 1e-6;
  // Upper bound on iterations; >= 1.
  int max_iterations = 100;
  // Weight the walk by the arc weights when the graph is weighted (weights must be finite
  // and >= 0). Ignored on an unweighted graph.
  bool use_weights = true;
  // Empty: global PageRank. Otherwise personalised PageRank teleporting uniformly to these
  // vertices (duplicates count once).
  std::vector<Vertex> seeds;
  // Worker threads for each iteration; 0 means one per hardware thread. The result is
  // bitwise the same for any count.
  int threads = 1;
};

struct PageRankResult {
  std::vector<double> scores;  // sums to 1
  int iterations = 0;          // iterations run
  double residual = 0.0;       // L1 change over the last iteration
  bool converged = false;      // residual < tolerance (always false when tolerance is 0)
};

// Power iteration, pull-based over the in-arcs: O((n + m) * iterations) time, O(n) extra
// space for undirected graphs and O(n + m) for directed ones (their reverse is built once).
// InvalidArgument for a damping outside [0, 1), a negative tolerance, max_iterations < 1,
// a seed >= n, or a negative or non-finite weight when weights are used.
StatusOr<PageRankResult> PageRank(const CsrGraph& graph, const PageRankOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_PAGERANK_H_
