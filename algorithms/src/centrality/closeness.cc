// Closeness (Bavelas 1950; Wasserman & Faust 1994 for disconnected graphs) and harmonic
// centrality (Marchiori & Latora 2000; Boldi & Vigna 2014). One BFS or Dijkstra per vertex
// gives, for that vertex, the number of vertices at finite distance, the sum of distances
// and the sum of reciprocal distances. Incoming distances on a directed graph are outgoing
// distances in the reversed graph, which is built once. Every vertex's score comes from its
// own search, so splitting vertices over threads cannot change the result.
// Time O(n m) (hops) or O(n (m + n log n)) (Dijkstra); O(n) space per worker.
#include "trafnet/algorithms/closeness.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {
namespace {

constexpr size_t kMaxChunks = 1024;
constexpr uint32_t kUnreached = std::numeric_limits<uint32_t>::max();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// What one search from a vertex yields.
struct Reach {
  uint64_t reached = 0;       // vertices at finite distance, the start included
  double distance_sum = 0.0;  // sum of their distances
  double inverse_sum = 0.0;   // sum of 1 / distance over the others
};

struct Workspace {
  explicit Workspace(Vertex n) : hops(n, kUnreached), dist(n, kInfinity) { order.reserve(n); }
  std::vector<uint32_t> hops;
  std::vector<double> dist;
  std::vector<Vertex> order;
  std::vector<std::pair<double, Vertex>> heap;
};

// A direction-optimizing BFS (internal::LevelByLevelBfs): bottom-up, each unreached vertex
// stops at its first neighbour in the frontier. Either way the levels hold the same vertices.
Reach SearchByHops(const CsrGraph& graph, Vertex start, Workspace& ws) {
  std::vector<Vertex>& order = ws.order;
  order.clear();
  order.push_back(start);
  ws.hops[start] = 0;
  internal::LevelByLevelBfs(
      graph, ws.hops, kUnreached, order,
      [&](Vertex v, uint32_t level) {
        for (Vertex w : graph.neighbours(v)) {
          if (ws.hops[w] != kUnreached) continue;
          ws.hops[w] = level + 1;
          order.push_back(w);
        }
      },
      [&](Vertex v, uint32_t level) {
        for (Vertex u : graph.neighbours(v)) {
          if (ws.hops[u] != level) continue;
          ws.hops[v] = level + 1;
          order.push_back(v);
          return;
        }
      });
  // In order of distance, as the search found them: the same sums whichever way each level went.
  Reach reach;
  uint64_t hop_sum = 0;
  for (size_t i = 1; i < order.size(); ++i) {
    const uint32_t hops = ws.hops[order[i]];
    hop_sum += hops;
    reach.inverse_sum += 1.0 / hops;
  }
  reach.reached = order.size();
  reach.distance_sum = static_cast<double>(hop_sum);
  for (Vertex v : order) ws.hops[v] = kUnreached;
  return reach;
}

template <EdgeLength kLength>
Reach SearchWeighted(const CsrGraph& graph, Vertex start, Workspace& ws) {
  using Entry = std::pair<double, Vertex>;
  std::vector<Entry>& heap = ws.heap;
  std::vector<Vertex>& order = ws.order;
  order.clear();
  heap.clear();
  ws.dist[start] = 0.0;
  heap.emplace_back(0.0, start);
  Reach reach;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<Entry>());
    const auto [d, v] = heap.back();
    heap.pop_back();
    if (d > ws.dist[v]) continue;  // stale entry
    order.push_back(v);
    if (v != start) {
      reach.distance_sum += d;
      reach.inverse_sum += 1.0 / d;
    }
    auto targets = graph.neighbours(v);
    auto weights = graph.weights(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      const double alt = d + internal::ArcLength(kLength, weights[i]);
      if (alt < ws.dist[targets[i]]) {
        ws.dist[targets[i]] = alt;
        heap.emplace_back(alt, targets[i]);
        std::push_heap(heap.begin(), heap.end(), std::greater<Entry>());
      }
    }
  }
  reach.reached = order.size();
  for (Vertex v : order) ws.dist[v] = kInfinity;
  return reach;
}

// Runs one search per vertex and maps each Reach to a score with `score`.
template <typename ScoreFn>
StatusOr<std::vector<double>> ScoreEveryVertex(const CsrGraph& graph, EdgeLength length,
                                               PathDirection direction, int threads_option,
                                               const ProgressFn& report, const char* kernel,
                                               ScoreFn score) {
  TRAFNET_RETURN_IF_ERROR(internal::CheckLengths(graph, length, kernel));
  TRAFNET_ASSIGN_OR_RETURN(const unsigned threads,
                           internal::ResolveThreads(threads_option, kernel));
  const Vertex n = graph.num_vertices();
  CsrGraph reversed;
  const bool reverse = graph.directed() && direction == PathDirection::kIncoming;
  if (reverse) reversed = internal::Reverse(graph);
  const CsrGraph& search_graph = reverse ? reversed : graph;

  std::vector<double> scores(n, 0.0);
  const internal::ChunkPlan plan = internal::PlanChunks(n, kMaxChunks);
  const unsigned workers =
      static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, plan.num_chunks)));
  std::vector<Workspace> workspaces;
  workspaces.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) workspaces.emplace_back(n);
  internal::ProgressCounter progress(report, n);
  internal::ForEachChunk(plan.num_chunks, workers, [&](size_t chunk, unsigned worker) {
    Workspace& ws = workspaces[worker];
    for (size_t i = plan.begin(chunk); i < plan.end(chunk); ++i) {
      const Vertex v = static_cast<Vertex>(i);
      Reach reach;
      switch (length) {
        case EdgeLength::kHops:
          reach = SearchByHops(search_graph, v, ws);
          break;
        case EdgeLength::kWeight:
          reach = SearchWeighted<EdgeLength::kWeight>(search_graph, v, ws);
          break;
        case EdgeLength::kInverseWeight:
          reach = SearchWeighted<EdgeLength::kInverseWeight>(search_graph, v, ws);
          break;
      }
      scores[v] = score(reach);
    }
    progress.Add(plan.end(chunk) - plan.begin(chunk));
  });
  return scores;
}

}  // namespace

StatusOr<std::vector<double>> Closeness(const CsrGraph& graph, const ClosenessOptions& options) {
  const double others = static_cast<double>(graph.num_vertices()) - 1.0;
  const bool wf_improved = options.wf_improved;
  return ScoreEveryVertex(graph, options.length, options.direction, options.threads,
                          options.progress, "Closeness",
                          [others, wf_improved](const Reach& reach) {
                            if (reach.distance_sum <= 0.0 || others <= 0.0) return 0.0;
                            const double reached_others = static_cast<double>(reach.reached) - 1.0;
                            double value = reached_others / reach.distance_sum;
                            if (wf_improved) value *= reached_others / others;
                            return value;
                          });
}

StatusOr<std::vector<double>> HarmonicCentrality(const CsrGraph& graph,
                                                 const HarmonicOptions& options) {
  const Vertex n = graph.num_vertices();
  const double scale = options.normalized && n > 1 ? 1.0 / (static_cast<double>(n) - 1.0) : 1.0;
  return ScoreEveryVertex(graph, options.length, options.direction, options.threads,
                          options.progress, "HarmonicCentrality",
                          [scale](const Reach& reach) { return reach.inverse_sum * scale; });
}

}  // namespace trafnet::algorithms
