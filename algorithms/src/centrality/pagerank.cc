// PageRank by power iteration (Page, Brin, Motwani, Winograd 1999), pull-based as in the GAP
// Benchmark Suite's pr.cc: each vertex sums the contributions x[u] / out(u) of its
// in-neighbours, precomputed once per iteration, so every score is written by exactly one
// thread and no atomics are needed.
//
// One iteration, with d the damping, p the teleport distribution (uniform, or uniform over
// the seeds) and D the total score on dangling vertices:
//   x'[v] = d * sum_{u -> v} w(u,v) / out_w(u) * x[u]  +  (d * D + 1 - d) * p[v]
// which is networkx's update. Scores and sums are in double. Vertices are cut into fixed
// chunks; each chunk's L1 change and dangling mass are summed in chunk order, and each
// vertex's sum runs over four partial sums in a fixed order (so that the additions do not
// wait on one another), so the scores are bitwise the same for any thread count. Cost
// O(n + m) per iteration.
//
// Float gathers. The gather of contributions is nearly the whole cost: one random read per
// arc from an array as long as the graph has vertices. Held as floats that array is half the
// size and stays in cache twice as far; on 1M vertices an iteration takes about half the
// time. Rounding a contribution to float changes it by at most 2^-24 of itself, so it is used
// where that cannot show:
//  1. While an iteration still changes the scores by kExactBelow = 1e-5 or more in L1, it
//     gathers float contributions of the scores. One such iteration errs by at most
//     d 2^-24 < 5.1e-8 in L1, which moves the fixed point by at most 5.1e-8 / (1 - d) = 3.4e-7:
//     small beside what a tolerance of 1e-5 or more promises (d r / (1 - d) >= 5.7e-5 for a
//     last change r). A run that stops here has its scores rescaled to sum to 1.
//  2. Then the scores are rescaled to sum to 1 and one iteration gathers double contributions:
//     exactly networkx's step, which leaves no trace of the float iterations.
//  3. Every later iteration propagates the change instead of the scores. The update is affine,
//     so the change c = x' - x of one iteration gives the next as
//       c'[v] = d * sum_{u -> v} w(u,v) / out_w(u) * c[u]  +  d * D(c) * p[v],   x'' = x' + c',
//     and this gathers float contributions of c. Their rounding errs by 2^-24 of the change
//     itself, not of the scores, so all of it together stays below d 2^-24 / (1 - d) times
//     the change at the switch (about 4e-12 in L1), far under any tolerance.
// So the scores are those of the all-double iteration to within that, iterations and the
// stopping test are unchanged, and the phase depends on the residual only, never on the
// thread count.
#include "trafnet/algorithms/pagerank.h"

#include <fmt/format.h>

#include <cmath>
#include <span>

#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {
namespace {

constexpr size_t kMaxChunks = 256;
// The L1 change of one iteration below which the float gathers of the scores end (see above).
constexpr double kExactBelow = 1e-5;

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

// How many arcs ahead the gather prefetches contributions. The out-of-order window alone
// keeps only a few dozen arcs' reads in flight; asking for the next ones this far ahead took
// the bare gather on 1M vertices / 20M arcs from 51 to 36 ms.
constexpr uint64_t kPrefetchArcs = 32;

// Sum of contrib[sources[a]] (times weights[a] when weighted) over arcs [begin, end), in four
// interleaved partial sums added in a fixed order. Prefetches the contributions of the arcs
// kPrefetchArcs on, up to `limit` (the end of the chunk's arcs). Always inlined: a call per
// vertex cost about a tenth of the iteration.
template <bool kWeighted, typename Contribution>
[[gnu::always_inline]] inline double Pull(const Vertex* sources, const float* weights,
                                          uint64_t begin, uint64_t end, uint64_t limit,
                                          const Contribution* contrib) {
  auto term = [&](uint64_t a) {
    if constexpr (kWeighted) {
      return static_cast<double>(weights[a]) * contrib[sources[a]];
    } else {
      return static_cast<double>(contrib[sources[a]]);
    }
  };
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  uint64_t a = begin;
  for (; a + 4 <= end; a += 4) {
    if (a + kPrefetchArcs + 4 <= limit) {
      for (uint64_t i = 0; i < 4; ++i) __builtin_prefetch(contrib + sources[a + kPrefetchArcs + i]);
    }
    s0 += term(a);
    s1 += term(a + 1);
    s2 += term(a + 2);
    s3 += term(a + 3);
  }
  for (; a < end; ++a) s0 += term(a);
  return (s0 + s1) + (s2 + s3);
}

// Float contributions do not add up to exactly the score they came from, so the float
// iterations let the total drift from 1 by up to about 1e-7 (each double iteration keeps the
// total where it is). Undone once, when the float iterations end: a sum in vertex order and a
// division, the same whatever the thread count.
void RescaleToUnitSum(std::vector<double>& scores) {
  double total = 0.0;
  for (double x : scores) total += x;
  if (total > 0.0) {
    for (double& x : scores) x /= total;
  }
}

// What one iteration reads and writes besides the contributions.
struct IterationState {
  const CsrGraph* in_arcs = nullptr;
  bool use_weights = false;
  double damping = 0.0;
  double uniform = 0.0;
  std::span<const double> teleport;  // empty: uniform
  std::span<const double> inv_out;
  // Undirected and unweighted: 1 / out-weight is 1 / the in-arc count the gather just read,
  // so the iteration computes it instead of streaming inv_out (the same value, bit for bit).
  bool inverse_from_in_arcs = false;
  std::span<double> scores;  // updated in place: each vertex by one chunk
  internal::ChunkPlan plan;
  std::span<double> chunk_change;    // per chunk: L1 change of its scores
  std::span<double> chunk_dangling;  // per chunk: dangling mass of what it wrote out
};

// What an iteration gathers, and what it writes out for the next one to gather.
enum class Propagate {
  kScores,           // gathers the scores' contributions, writes the new scores'
  kScoresToChanges,  // gathers the scores', writes those of the change it made
  kChanges,          // gathers the last change's, writes those of the change it made
};

// One iteration. `jump` is the coefficient of p[v]: d D + 1 - d when gathering scores, d D(c)
// when gathering changes, with D the dangling mass of what is gathered.
template <Propagate kMode, typename In>
void Iterate(const IterationState& state, double jump, unsigned threads,
             const std::vector<In>& contrib, std::vector<float>& next_contrib) {
  const uint64_t* offsets = state.in_arcs->offsets().data();
  const Vertex* sources = state.in_arcs->targets().data();
  const float* weights = state.in_arcs->weight_array().data();
  const In* gathered = contrib.data();
  internal::ForEachChunk(state.plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    double change = 0.0;
    double dangling_mass = 0.0;
    const uint64_t limit = offsets[state.plan.end(chunk)];
    for (Vertex v = static_cast<Vertex>(state.plan.begin(chunk)); v < state.plan.end(chunk); ++v) {
      const double pulled =
          state.use_weights
              ? Pull<true>(sources, weights, offsets[v], offsets[v + 1], limit, gathered)
              : Pull<false>(sources, weights, offsets[v], offsets[v + 1], limit, gathered);
      const double p = state.teleport.empty() ? state.uniform : state.teleport[v];
      const double propagated = state.damping * pulled + jump * p;
      double delta = 0.0;
      if constexpr (kMode == Propagate::kChanges) {
        delta = propagated;
        state.scores[v] += delta;
      } else {
        delta = propagated - state.scores[v];
        state.scores[v] = propagated;
      }
      change += std::fabs(delta);
      const double written = kMode == Propagate::kScores ? propagated : delta;
      const uint64_t in_arcs = offsets[v + 1] - offsets[v];
      const double inv_out = !state.inverse_from_in_arcs ? state.inv_out[v]
                             : in_arcs > 0               ? 1.0 / static_cast<double>(in_arcs)
                                                         : 0.0;
      next_contrib[v] = static_cast<float>(written * inv_out);
      if (inv_out == 0.0) dangling_mass += written;
    }
    state.chunk_change[chunk] = change;
    state.chunk_dangling[chunk] = dangling_mass;
  });
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

  std::vector<double> scores(n, uniform);
  std::vector<float> contrib(n), next_contrib(n);
  double dangling = 0.0;  // of whatever contrib holds: scores, or the last change
  for (Vertex u = 0; u < n; ++u) {
    contrib[u] = static_cast<float>(scores[u] * inv_out[u]);
    if (inv_out[u] == 0.0) dangling += scores[u];
  }

  IterationState state;
  state.in_arcs = graph.directed() ? &reversed : &graph;
  state.use_weights = use_weights;
  state.damping = damping;
  state.uniform = uniform;
  state.teleport = teleport;
  state.inv_out = inv_out;
  state.inverse_from_in_arcs = !graph.directed() && !use_weights;
  state.scores = scores;
  state.plan = internal::PlanChunks(n, kMaxChunks);
  std::vector<double> chunk_change(state.plan.num_chunks), chunk_dangling(state.plan.num_chunks);
  state.chunk_change = chunk_change;
  state.chunk_dangling = chunk_dangling;

  bool gathering_changes = false;
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    if (gathering_changes) {
      Iterate<Propagate::kChanges>(state, damping * dangling, threads, contrib, next_contrib);
    } else if (result.residual >= kExactBelow || iteration == 1) {
      Iterate<Propagate::kScores>(state, damping * dangling + (1.0 - damping), threads, contrib,
                                  next_contrib);
    } else {
      // The switch: one exact step from the float iterations' scores, rescaled to sum to 1.
      RescaleToUnitSum(scores);
      std::vector<double> exact(n);
      dangling = 0.0;
      for (Vertex u = 0; u < n; ++u) {
        exact[u] = scores[u] * inv_out[u];
        if (inv_out[u] == 0.0) dangling += scores[u];
      }
      Iterate<Propagate::kScoresToChanges>(state, damping * dangling + (1.0 - damping), threads,
                                           exact, next_contrib);
      gathering_changes = true;
    }
    contrib.swap(next_contrib);
    double residual = 0.0;
    dangling = 0.0;
    for (size_t c = 0; c < state.plan.num_chunks; ++c) {
      residual += chunk_change[c];
      dangling += chunk_dangling[c];
    }
    result.iterations = iteration;
    result.residual = residual;
    if (residual < options.tolerance) {
      result.converged = true;
      break;
    }
  }
  if (!gathering_changes) RescaleToUnitSum(scores);
  result.scores = std::move(scores);
  return result;
}

}  // namespace trafnet::algorithms
