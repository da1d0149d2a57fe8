// Triangle counting and local clustering (Watts & Strogatz 1998) with the degree-ordered
// "forward" algorithm (Schank & Wagner 2005; Latapy 2008), as GAP's tc.cc: orient every edge
// from the lower to the higher vertex in (degree, id) order, so each vertex keeps at most
// O(sqrt(m)) higher neighbours; each triangle u < v < w is then found exactly once, as a
// common element w of the higher-neighbour lists of u and v.
//
// The intersection is done by marking rather than merging: the higher neighbours of u are set
// in a bitset of n bits (125 KB for a million vertices, so it stays in the core's cache), and
// the list of each v in it is scanned against the bits. That costs |up(v)| per oriented edge
// instead of the merge's |up(u)| + |up(v)|, and its one branch (a hit) is rare and well
// predicted, where a merge mispredicts about every other step. The order only decides which
// corner finds a triangle, never whether it is found, so the order may use the degree as
// stored (self-loops and repeats included), which needs no simplified copy of the graph.
//
// Per-vertex counts go into per-worker integer arrays, whose sum does not depend on the
// order, so any thread count gives the same answer. O(m^1.5) time, O(n + m) space.
#include "trafnet/algorithms/clustering.h"

#include <algorithm>

#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {
namespace {

constexpr size_t kMaxChunks = 1024;

// How many oriented edges ahead the counting loop prefetches: the offsets of the vertex
// 2 * kLookahead edges on, the list of the one kLookahead on. Those lists are spread at random
// over memory, and without this each is two cache misses in a row.
constexpr size_t kLookahead = 8;

// The simple graph oriented by (degree, id): for each vertex its distinct neighbours other
// than itself that come later in that order, sorted by id, in targets[offsets[v] ..
// offsets[v + 1]); and k(v), its number of distinct neighbours other than itself.
struct OrientedGraph {
  std::vector<uint64_t> offsets;
  std::vector<Vertex> targets;
  std::vector<uint32_t> distinct_neighbours;
};

OrientedGraph OrientByDegree(const CsrGraph& graph, unsigned threads) {
  const Vertex n = graph.num_vertices();
  // Stored degrees, saturated: any total order gives the right count, this one bounds the work.
  std::vector<uint32_t> degree(n);
  for (Vertex v = 0; v < n; ++v) {
    degree[v] = static_cast<uint32_t>(std::min<uint64_t>(graph.degree(v), UINT32_MAX));
  }
  auto before = [&degree](Vertex a, Vertex b) {
    return degree[a] < degree[b] || (degree[a] == degree[b] && a < b);
  };
  OrientedGraph oriented;
  oriented.distinct_neighbours.assign(n, 0);
  std::vector<uint32_t> later(n, 0);
  const internal::ChunkPlan plan = internal::PlanChunks(n, kMaxChunks);
  // Each chunk's lists, concatenated in chunk order below.
  std::vector<std::vector<Vertex>> chunk_targets(plan.num_chunks);
  std::vector<std::vector<Vertex>> scratch(threads);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned worker) {
    std::vector<Vertex>& list = scratch[worker];
    std::vector<Vertex>& out = chunk_targets[chunk];
    for (Vertex v = static_cast<Vertex>(plan.begin(chunk)); v < plan.end(chunk); ++v) {
      const std::span<const Vertex> neighbours = graph.neighbours(v);
      list.assign(neighbours.begin(), neighbours.end());
      list.erase(std::remove(list.begin(), list.end(), v), list.end());
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      oriented.distinct_neighbours[v] = static_cast<uint32_t>(list.size());
      const size_t first = out.size();
      for (Vertex w : list) {
        if (before(v, w)) out.push_back(w);
      }
      later[v] = static_cast<uint32_t>(out.size() - first);
    }
  });
  oriented.offsets.assign(static_cast<size_t>(n) + 1, 0);
  for (Vertex v = 0; v < n; ++v) oriented.offsets[v + 1] = oriented.offsets[v] + later[v];
  oriented.targets.reserve(oriented.offsets[n]);
  for (std::vector<Vertex>& part : chunk_targets) {
    oriented.targets.insert(oriented.targets.end(), part.begin(), part.end());
    std::vector<Vertex>().swap(part);
  }
  return oriented;
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
  const OrientedGraph up = OrientByDegree(graph, threads);
  const uint64_t* offsets = up.offsets.data();
  const Vertex* targets = up.targets.data();

  const internal::ChunkPlan plan = internal::PlanChunks(n, kMaxChunks);
  const unsigned workers =
      static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, plan.num_chunks)));
  // Per worker: triangle corners per vertex, and the bitset marking the current u's list.
  std::vector<std::vector<uint64_t>> counts(workers);
  std::vector<std::vector<uint64_t>> marks(workers);
  internal::ForEachChunk(plan.num_chunks, workers, [&](size_t chunk, unsigned worker) {
    std::vector<uint64_t>& count = counts[worker];
    std::vector<uint64_t>& mark = marks[worker];
    if (count.empty()) {
      count.assign(n, 0);
      mark.assign((static_cast<size_t>(n) + 63) / 64, 0);
    }
    const uint64_t chunk_end = offsets[plan.end(chunk)];
    for (Vertex u = static_cast<Vertex>(plan.begin(chunk)); u < plan.end(chunk); ++u) {
      for (uint64_t a = offsets[u]; a < offsets[u + 1]; ++a) {
        mark[targets[a] >> 6] |= uint64_t{1} << (targets[a] & 63);
      }
      for (uint64_t a = offsets[u]; a < offsets[u + 1]; ++a) {
        if (a + 2 * kLookahead < chunk_end) {
          __builtin_prefetch(offsets + targets[a + 2 * kLookahead]);
        }
        if (a + kLookahead < chunk_end) {
          __builtin_prefetch(targets + offsets[targets[a + kLookahead]]);
        }
        const Vertex v = targets[a];
        for (uint64_t b = offsets[v]; b < offsets[v + 1]; ++b) {
          const Vertex w = targets[b];
          if ((mark[w >> 6] >> (w & 63)) & 1) {
            ++count[u];
            ++count[v];
            ++count[w];
          }
        }
      }
      for (uint64_t a = offsets[u]; a < offsets[u + 1]; ++a) mark[targets[a] >> 6] = 0;
    }
  });

  ClusteringResult result;
  result.triangles.assign(n, 0);
  result.coefficients.assign(n, 0.0);
  for (const std::vector<uint64_t>& count : counts) {
    if (count.empty()) continue;  // this worker claimed no chunk
    for (Vertex v = 0; v < n; ++v) result.triangles[v] += count[v];
  }
  uint64_t corner_sum = 0;
  double triples = 0.0;
  double coefficient_sum = 0.0;
  for (Vertex v = 0; v < n; ++v) {
    corner_sum += result.triangles[v];
    const double k = static_cast<double>(up.distinct_neighbours[v]);
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
