// Degree centrality. One pass over the arcs: out-values read the CSR row of each vertex,
// in-values scatter each arc onto its target. O(n + m) time, O(n) extra space.
#include "trafnet/algorithms/degree.h"

namespace trafnet::algorithms {

std::vector<double> DegreeCentrality(const CsrGraph& graph, const DegreeOptions& options) {
  const Vertex n = graph.num_vertices();
  const bool use_weights = options.weighted && graph.weighted();
  const bool want_out = !graph.directed() || options.direction != DegreeDirection::kIn;
  const bool want_in = graph.directed() && options.direction != DegreeDirection::kOut;

  std::vector<double> values(n, 0.0);
  for (Vertex v = 0; v < n; ++v) {
    auto targets = graph.neighbours(v);
    if (!use_weights) {
      if (want_out) values[v] += static_cast<double>(targets.size());
      if (want_in) {
        for (Vertex u : targets) values[u] += 1.0;
      }
      continue;
    }
    auto weights = graph.weights(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      if (want_out) values[v] += weights[i];
      if (want_in) values[targets[i]] += weights[i];
    }
  }
  if (options.normalized && n > 1) {
    const double scale = 1.0 / static_cast<double>(n - 1);
    for (double& value : values) value *= scale;
  }
  return values;
}

}  // namespace trafnet::algorithms
