// Sequential targeted node removal with recalculated scores.
//
// Albert, Jeong & Barabási ("Error and attack tolerance of complex networks", Nature 406,
// 2000) showed that removing the best-connected vertices breaks a heavy-tailed network apart
// far faster than removing vertices at random. Holme, Kim, Yoon & Han ("Attack vulnerability
// of complex networks", Phys. Rev. E 65, 2002) found that recalculating the scores after each
// removal, rather than ranking once, is the more damaging strategy, and that betweenness
// often beats degree. Duijn, Kashirin & Sloot ("The relative ineffectiveness of criminal
// network disruption", Sci. Rep. 4, 2014) apply the same curves to criminal networks; this
// kernel draws them for an analyst.
//
// How: a `removed` mask over the input graph, never a rebuilt input. Degree scores are kept
// current by recomputing, after each removal, the degree of each remaining neighbour of the
// removed vertex from its remaining arcs (a fresh sum, not a decrement, so weighted degrees
// carry no rounding drift across steps). Betweenness needs a real graph, so each step builds
// a compact CsrGraph of the remaining vertices, in id order so that lowest-id ties survive the
// renumbering, and runs exact Brandes on it. The largest weak component is found by BFS over
// remaining vertices, following arcs both ways (a transposed copy supplies the incoming arcs
// of a directed graph).
//
// Per step: O(n + m) for the component search and the degree update; O(n m) (hops) or
// O(n (m + n log n)) (weighted) for betweenness. Memory O(n + m).
#include "trafnet/algorithms/disruption.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "centrality/centrality_internal.h"
#include "trafnet/algorithms/betweenness.h"

namespace trafnet::algorithms {
namespace {

Status Validate(const CsrGraph& graph, const DisruptionOptions& options) {
  if (options.steps < 0) {
    return InvalidArgumentError("disruption: steps is " + std::to_string(options.steps) +
                                "; give the number of vertices to remove, 0 or more");
  }
  TRAFNET_RETURN_IF_ERROR(internal::ResolveThreads(options.threads, "disruption").status());
  switch (options.measure) {
    case DisruptionMeasure::kDegree:
      return Status::Ok();
    case DisruptionMeasure::kBetweenness:
      // Checked here too, not only by Betweenness, so that a bad weight is reported even
      // when no step runs, and before any work.
      return internal::CheckLengths(graph, options.length, "disruption");
  }
  return InvalidArgumentError("disruption: unknown measure " +
                              std::to_string(static_cast<int>(options.measure)) +
                              "; use kDegree or kBetweenness");
}

// The input graph with a removed mask. `in` is the transpose of a directed graph; null for an
// undirected one, whose rows already hold both directions.
struct MaskedGraph {
  const CsrGraph& out;
  const CsrGraph* in;
  std::vector<bool> removed;
};

// Calls fn(w) for every arc u->w and, on a directed graph, every arc w->u.
template <typename Fn>
void ForEachNeighbour(const MaskedGraph& g, Vertex u, Fn fn) {
  for (Vertex w : g.out.neighbours(u)) fn(w);
  if (g.in != nullptr) {
    for (Vertex w : g.in->neighbours(u)) fn(w);
  }
}

double RemainingDegree(const MaskedGraph& g, Vertex v, const DisruptionOptions& options) {
  const bool directed = g.out.directed();
  const bool use_weights = options.degree_weighted && g.out.weighted();
  auto sum = [&](const CsrGraph& arcs) {
    double total = 0.0;
    std::span<const Vertex> targets = arcs.neighbours(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      if (!g.removed[targets[i]]) total += use_weights ? arcs.weights(v)[i] : 1.0;
    }
    return total;
  };
  double degree = 0.0;
  if (!directed || options.degree_direction != DegreeDirection::kIn) degree += sum(g.out);
  if (directed && options.degree_direction != DegreeDirection::kOut) degree += sum(*g.in);
  return degree;
}

// Size of the largest weak component among the remaining vertices, by BFS.
uint64_t LargestComponent(const MaskedGraph& g) {
  const Vertex n = g.out.num_vertices();
  std::vector<bool> seen(n, false);
  std::vector<Vertex> queue;
  uint64_t largest = 0;
  for (Vertex root = 0; root < n; ++root) {
    if (g.removed[root] || seen[root]) continue;
    queue.assign(1, root);
    seen[root] = true;
    for (size_t head = 0; head < queue.size(); ++head) {
      ForEachNeighbour(g, queue[head], [&](Vertex w) {
        if (g.removed[w] || seen[w]) return;
        seen[w] = true;
        queue.push_back(w);
      });
    }
    largest = std::max<uint64_t>(largest, queue.size());
  }
  return largest;
}

// The remaining vertices as a graph of their own, renumbered 0.. in increasing original id;
// `original[i]` is the input id of compact vertex i. Each undirected edge is emitted once:
// from its lower end, and a self-loop (stored twice in its row) once per two arcs.
CsrGraph CompactRemaining(const MaskedGraph& g, std::vector<Vertex>& original) {
  const CsrGraph& graph = g.out;
  const Vertex n = graph.num_vertices();
  std::vector<Vertex> compact_id(n, 0);
  original.clear();
  for (Vertex v = 0; v < n; ++v) {
    if (g.removed[v]) continue;
    compact_id[v] = static_cast<Vertex>(original.size());
    original.push_back(v);
  }
  std::vector<Edge> edges;
  for (Vertex u : original) {
    std::span<const Vertex> targets = graph.neighbours(u);
    bool odd_self_loop = false;
    for (size_t i = 0; i < targets.size(); ++i) {
      const Vertex w = targets[i];
      if (g.removed[w]) continue;
      if (!graph.directed()) {
        if (w < u) continue;
        if (w == u) {
          odd_self_loop = !odd_self_loop;
          if (!odd_self_loop) continue;
        }
      }
      edges.push_back(
          {compact_id[u], compact_id[w], graph.weighted() ? graph.weights(u)[i] : 1.0f});
    }
  }
  return CsrGraph::FromEdges(static_cast<Vertex>(original.size()), edges, graph.directed(),
                             graph.weighted());
}

// Betweenness of every remaining vertex, indexed by input id (0 for removed vertices).
StatusOr<std::vector<double>> RemainingBetweenness(const MaskedGraph& g,
                                                   const DisruptionOptions& options) {
  std::vector<Vertex> original;
  const CsrGraph compact = CompactRemaining(g, original);
  BetweennessOptions betweenness_options;
  betweenness_options.length = options.length;
  betweenness_options.normalized = false;
  betweenness_options.threads = options.threads;
  StatusOr<BetweennessResult> betweenness = Betweenness(compact, betweenness_options);
  if (!betweenness.ok()) {
    return Status(betweenness.status().code(), "disruption: " + betweenness.status().message());
  }
  std::vector<double> scores(g.out.num_vertices(), 0.0);
  for (size_t i = 0; i < original.size(); ++i) scores[original[i]] = betweenness->scores[i];
  return scores;
}

// The tie rule documented in the header. REQUIRES: some vertex remains.
Vertex Highest(const std::vector<double>& scores, const std::vector<bool>& removed) {
  Vertex leader = 0;
  bool found = false;
  for (Vertex v = 0; v < scores.size(); ++v) {
    if (removed[v]) continue;
    const double margin =
        kDisruptionTieTolerance * std::max(std::abs(scores[v]), std::abs(scores[leader]));
    if (!found || scores[v] - scores[leader] > margin) leader = v;
    found = true;
  }
  return leader;
}

}  // namespace

StatusOr<DisruptionResult> Disruption(const CsrGraph& graph, const DisruptionOptions& options) {
  TRAFNET_RETURN_IF_ERROR(Validate(graph, options));
  const Vertex n = graph.num_vertices();
  CsrGraph transpose_storage;
  if (graph.directed()) transpose_storage = internal::Reverse(graph);
  MaskedGraph g{graph, graph.directed() ? &transpose_storage : nullptr,
                std::vector<bool>(n, false)};

  DisruptionResult result;
  const uint64_t initial_largest = LargestComponent(g);
  result.steps.push_back(
      {.largest_component = initial_largest, .fraction = initial_largest > 0 ? 1.0 : 0.0});

  const bool by_degree = options.measure == DisruptionMeasure::kDegree;
  std::vector<double> scores(n, 0.0);
  if (by_degree) {
    for (Vertex v = 0; v < n; ++v) scores[v] = RemainingDegree(g, v, options);
  }
  // Last step at which each vertex's degree was refreshed, so parallel arcs refresh it once.
  std::vector<uint32_t> refreshed(by_degree ? n : 0, 0);

  for (uint32_t step = 1; step <= static_cast<uint32_t>(options.steps); ++step) {
    if (result.steps.back().largest_component <= 1) break;
    if (!by_degree) {
      TRAFNET_ASSIGN_OR_RETURN(scores, RemainingBetweenness(g, options));
    }
    const Vertex victim = Highest(scores, g.removed);
    const double victim_score = scores[victim];
    g.removed[victim] = true;
    if (by_degree) {
      ForEachNeighbour(g, victim, [&](Vertex u) {
        if (g.removed[u] || refreshed[u] == step) return;
        refreshed[u] = step;
        scores[u] = RemainingDegree(g, u, options);
      });
    }
    const uint64_t largest = LargestComponent(g);
    result.steps.push_back(
        {.step = step,
         .removed = victim,
         .removed_score = victim_score,
         .largest_component = largest,
         .fraction = static_cast<double>(largest) / static_cast<double>(initial_largest)});
    if (options.progress) options.progress(step, static_cast<uint64_t>(options.steps));
  }
  return result;
}

}  // namespace trafnet::algorithms
