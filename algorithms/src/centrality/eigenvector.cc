// Eigenvector centrality by shifted power iteration, following networkx's
// eigenvector_centrality step for step so the two agree to the tolerance: start from 1/n,
// apply x'[v] = x[v] + sum_{u -> v} w(u,v) x[u] (pull over the in-arcs), divide by the L2
// norm, stop when the L1 change is below the tolerance. O(n + m) per iteration.
#include "trafnet/algorithms/eigenvector.h"

#include <fmt/format.h>

#include <cmath>

#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {

StatusOr<EigenvectorResult> EigenvectorCentrality(const CsrGraph& graph,
                                                  const EigenvectorOptions& options) {
  if (!(options.tolerance >= 0.0)) {
    return InvalidArgumentError(
        fmt::format("EigenvectorCentrality: tolerance is {}; use a value >= 0 (0 runs exactly "
                    "max_iterations)",
                    options.tolerance));
  }
  if (options.max_iterations < 1) {
    return InvalidArgumentError(
        fmt::format("EigenvectorCentrality: max_iterations is {}; it must be at least 1",
                    options.max_iterations));
  }
  const bool use_weights = options.use_weights && graph.weighted();
  if (use_weights) {
    TRAFNET_RETURN_IF_ERROR(internal::CheckNonNegativeWeights(graph, "EigenvectorCentrality"));
  }
  const Vertex n = graph.num_vertices();
  EigenvectorResult result;
  if (n == 0) {
    result.converged = true;
    return result;
  }
  CsrGraph reversed;
  if (graph.directed()) reversed = internal::Reverse(graph);
  const CsrGraph& in_arcs = graph.directed() ? reversed : graph;

  std::vector<double> scores(n, 1.0 / static_cast<double>(n));
  std::vector<double> next(n);
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    double squares = 0.0;
    for (Vertex v = 0; v < n; ++v) {
      double value = scores[v];
      auto sources = in_arcs.neighbours(v);
      if (use_weights) {
        auto weights = in_arcs.weights(v);
        for (size_t i = 0; i < sources.size(); ++i) value += weights[i] * scores[sources[i]];
      } else {
        for (Vertex u : sources) value += scores[u];
      }
      next[v] = value;
      squares += value * value;
    }
    // squares > 0: the +I term keeps every score at least its previous, positive value.
    const double inv_norm = 1.0 / std::sqrt(squares);
    double change = 0.0;
    for (Vertex v = 0; v < n; ++v) {
      next[v] *= inv_norm;
      change += std::fabs(next[v] - scores[v]);
    }
    scores.swap(next);
    result.iterations = iteration;
    result.residual = change;
    if (change < options.tolerance) {
      result.converged = true;
      break;
    }
  }
  result.scores = std::move(scores);
  return result;
}

}  // namespace trafnet::algorithms
