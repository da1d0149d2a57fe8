// Triangle counting and local clustering (Watts & Strogatz 1998) with the degree-ordered
// "forward" algorithm (Schank & Wagner 2005; Latapy 2008), as GAP's tc.cc: orient every edge
// from the lower to the higher vertex in (degree, id) order, so each vertex keeps at most
// O(sqrt(m)) higher neighbours; each triangle u < v < w is then found exactly once, as the
// common element w of the sorted lists of u and v. Per-vertex counts go into per-worker
// integer arrays, whose sum does not depend on the order, so any thread count gives the same
// answer. O(m^1.5) time, O(n + m) space.
#include "trafnet/algorithms/clustering.h"

#include <algorithm>

#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {
namespace {

constexpr size_t kMaxChunks = 1024;

// The simple undirected graph underneath: sorted, without self-loops or repeats.
struct SimpleAdjacency {
  std::vector<uint64_t> offsets;
  std::vector<Vertex> targets;
  uint64_t degree(Vertex v) const { return offsets[v + 1] - offsets[v]; }
};

SimpleAdjacency Simplify(const CsrGraph& graph) {
  const Vertex n = graph.num_vertices();
  SimpleAdjacency simple;
  simple.offsets.assign(static_cast<size_t>(n) + 1, 0);
  simple.targets.reserve(graph.num_arcs());
  for (Vertex v = 0; v < n; ++v) {
    const size_t begin = simple.targets.size();
    for (Vertex u : graph.neighbours(v)) {
      if (u != v) simple.targets.push_back(u);
    }
    std::sort(simple.targets.begin() + begin, simple.targets.end());
    simple.targets.erase(std::unique(simple.targets.begin() + begin, simple.targets.end()),
                         simple.targets.end());
    simple.offsets[v + 1] = simple.targets.size();
  }
  return simple;
}

}  // namespace

StatusOr<ClusteringResult> Clustering(const CsrGraph& graph, const ClusteringOptions& options) {
  if (graph.directed()) {
    return InvalidArgumentError(
        "Clustering: the graph is directed; triangles and clustering are defined here for "
        "undirected graphs only, so build the graph with directed=false");
  }
  TRAFNET_ASSIGN_OR_RETURN(const unsigned threads,
                           internal::ResolveThreads(options.threads, "Clustering"));
  const Vertex n = graph.num_vertices();
  const SimpleAdjacency simple = Simplify(graph);

  // Higher-ordered neighbours of each vertex, still sorted by id.
  auto before = [&simple](Vertex a, Vertex b) {
    const uint64_t da = simple.degree(a), db = simple.degree(b);
    return da < db || (da == db && a < b);
  };
  std::vector<uint64_t> up_offsets(static_cast<size_t>(n) + 1, 0);
  std::vector<Vertex> up_targets;
  up_targets.reserve(simple.targets.size() / 2);
  for (Vertex v = 0; v < n; ++v) {
    for (uint64_t i = simple.offsets[v]; i < simple.offsets[v + 1]; ++i) {
      if (before(v, simple.targets[i])) up_targets.push_back(simple.targets[i]);
    }
    up_offsets[v + 1] = up_targets.size();
  }

  const internal::ChunkPlan plan = internal::PlanChunks(n, kMaxChunks);
  const unsigned workers =
      static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, plan.num_chunks)));
  std::vector<std::vector<uint64_t>> counts(workers, std::vector<uint64_t>(n, 0));
  internal::ForEachChunk(plan.num_chunks, workers, [&](size_t chunk, unsigned worker) {
    std::vector<uint64_t>& count = counts[worker];
    for (Vertex u = static_cast<Vertex>(plan.begin(chunk)); u < plan.end(chunk); ++u) {
      const Vertex* u_begin = up_targets.data() + up_offsets[u];
      const Vertex* u_end = up_targets.data() + up_offsets[u + 1];
      for (const Vertex* pv = u_begin; pv != u_end; ++pv) {
        const Vertex v = *pv;
        // Merge the two sorted lists.
        const Vertex* a = u_begin;
        const Vertex* b = up_targets.data() + up_offsets[v];
        const Vertex* b_end = up_targets.data() + up_offsets[v + 1];
        while (a != u_end && b != b_end) {
          if (*a < *b) {
            ++a;
          } else if (*b < *a) {
            ++b;
          } else {
            ++count[u];
            ++count[v];
            ++count[*a];
            ++a;
            ++b;
          }
        }
      }
    }
  });

  ClusteringResult result;
  result.triangles.assign(n, 0);
  result.coefficients.assign(n, 0.0);
  for (const std::vector<uint64_t>& count : counts) {
    for (Vertex v = 0; v < n; ++v) result.triangles[v] += count[v];
  }
  uint64_t corner_sum = 0;
  double triples = 0.0;
  double coefficient_sum = 0.0;
  for (Vertex v = 0; v < n; ++v) {
    corner_sum += result.triangles[v];
    const double k = static_cast<double>(simple.degree(v));
    if (k >= 2.0) {
      const double pairs = k * (k - 1.0) / 2.0;
      triples += pairs;
      result.coefficients[v] = static_cast<double>(result.triangles[v]) / pairs;
    }
    coefficient_sum += result.coefficients[v];
  }
  result.total_triangles = corner_sum / 3;
  if (n > 0) result.average_clustering = coefficient_sum / static_cast<double>(n);
  if (triples > 0.0)
    result.transitivity = static_cast<double>(result.total_triangles) / triples * 3.0;
  return result;
}

}  // namespace trafnet::algorithms
