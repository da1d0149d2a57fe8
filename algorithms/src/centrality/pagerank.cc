// PageRank by power iteration (Page, Brin, Motwani, Winograd 1999), pull-based as in the GAP
// Benchmark Suite's pr.cc: each vertex sums the contributions x[u] / out(u) of its
// in-neighbours, so every score is written by exactly one thread and no atomics are needed.
//
// One iteration, with d the damping, p the teleport distribution (uniform, or uniform over
// the seeds) and D the total score on dangling vertices:
//   x'[v] = d * sum_{u -> v} w(u,v) / out_w(u) * x[u]  +  (d * D + 1 - d) * p[v]
// which is networkx's update. Sums are in double. Vertices are cut into fixed chunks; each
// chunk's L1 change and dangling mass are summed in chunk order, so the scores do not depend
// on the thread count. Cost O(n + m) per iteration.
#include "trafnet/algorithms/pagerank.h"

#include <fmt/format.h>

#include <cmath>

#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {
namespace {

constexpr size_t kMaxChunks = 256;

Status CheckOptions(const CsrGraph& graph, const PageRankOptions& options) {
  if (!(options.damping >= 0.0 && options.damping < 1.0)) {
    return InvalidArgumentError(
        fmt::format("PageRank: damping is {}; it must be in [0, 1) (0.85 is the usual choice)",
                    options.damping));
  }
  if (!(options.tolerance >= 0.0)) {
    return InvalidArgumentError(
        fmt::format("PageRank: tolerance is {}; use a value >= 0 (0 runs exactly max_iterations)",
                    options.tolerance));
  }
  if (options.max_iterations < 1) {
    return InvalidArgumentError(fmt::format("PageRank: max_iterations is {}; it must be at least 1",
                                            options.max_iterations));
  }
  for (Vertex seed : options.seeds) {
    if (seed >= graph.num_vertices()) {
      return InvalidArgumentError(
          fmt::format("PageRank: seed vertex {} does not exist; the graph has {} vertices (0..{})",
                      seed, graph.num_vertices(), static_cast<int64_t>(graph.num_vertices()) - 1));
    }
  }
  if (options.use_weights) {
    TRAFNET_RETURN_IF_ERROR(internal::CheckNonNegativeWeights(graph, "PageRank"));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<PageRankResult> PageRank(const CsrGraph& graph, const PageRankOptions& options) {
  TRAFNET_RETURN_IF_ERROR(CheckOptions(graph, options));
  TRAFNET_ASSIGN_OR_RETURN(const unsigned threads,
                           internal::ResolveThreads(options.threads, "PageRank"));
  const Vertex n = graph.num_vertices();
  PageRankResult result;
  if (n == 0) {
    result.converged = true;
    return result;
  }
  const bool use_weights = options.use_weights && graph.weighted();
  const double damping = options.damping;

  // Teleport distribution: empty means uniform 1/n.
  std::vector<double> teleport;
  if (!options.seeds.empty()) {
    teleport.assign(n, 0.0);
    size_t distinct = 0;
    for (Vertex seed : options.seeds) {
      if (teleport[seed] == 0.0) ++distinct;
      teleport[seed] = 1.0;
    }
    for (double& p : teleport) p /= static_cast<double>(distinct);
  }
  const double uniform = 1.0 / static_cast<double>(n);

  // inv_out[u] = 1 / out-weight, or 0 for a dangling vertex.
  std::vector<double> inv_out(n, 0.0);
  for (Vertex u = 0; u < n; ++u) {
    double out = static_cast<double>(graph.degree(u));
    if (use_weights) {
      out = 0.0;
      for (float w : graph.weights(u)) out += w;
    }
    if (out > 0.0) inv_out[u] = 1.0 / out;
  }

  CsrGraph reversed;
  if (graph.directed()) reversed = internal::Reverse(graph);
  const CsrGraph& in_arcs = graph.directed() ? reversed : graph;

  std::vector<double> scores(n, uniform);
  std::vector<double> next(n, 0.0);
  std::vector<double> contrib(n), next_contrib(n);
  double dangling = 0.0;
  for (Vertex u = 0; u < n; ++u) {
    contrib[u] = scores[u] * inv_out[u];
    if (inv_out[u] == 0.0) dangling += scores[u];
  }

  const internal::ChunkPlan plan = internal::PlanChunks(n, kMaxChunks);
  std::vector<double> chunk_change(plan.num_chunks), chunk_dangling(plan.num_chunks);
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    const double jump = damping * dangling + (1.0 - damping);
    internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
      double change = 0.0;
      double dangling_mass = 0.0;
      for (Vertex v = static_cast<Vertex>(plan.begin(chunk)); v < plan.end(chunk); ++v) {
        double pulled = 0.0;
        auto sources = in_arcs.neighbours(v);
        if (use_weights) {
          auto weights = in_arcs.weights(v);
          for (size_t i = 0; i < sources.size(); ++i) pulled += weights[i] * contrib[sources[i]];
        } else {
          for (Vertex u : sources) pulled += contrib[u];
        }
        const double p = teleport.empty() ? uniform : teleport[v];
        const double value = damping * pulled + jump * p;
        change += std::fabs(value - scores[v]);
        next[v] = value;
        next_contrib[v] = value * inv_out[v];
        if (inv_out[v] == 0.0) dangling_mass += value;
      }
      chunk_change[chunk] = change;
      chunk_dangling[chunk] = dangling_mass;
    });
    double residual = 0.0;
    dangling = 0.0;
    for (size_t c = 0; c < plan.num_chunks; ++c) {
      residual += chunk_change[c];
      dangling += chunk_dangling[c];
    }
    scores.swap(next);
    contrib.swap(next_contrib);
    result.iterations = iteration;
    result.residual = residual;
    if (residual < options.tolerance) {
      result.converged = true;
      break;
    }
  }
  result.scores = std::move(scores);
  return result;
}

}  // namespace trafnet::algorithms
