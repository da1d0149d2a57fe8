// Betweenness centrality by Brandes' algorithm (U. Brandes, "A faster algorithm for
// betweenness centrality", J. Math. Sociol. 25(2), 2001), sampled variant after Brandes &
// Pich ("Centrality estimation in large networks", IJBC 17(7), 2007); the path-sampling
// estimate is in betweenness_paths.cc.
//
// For each source s: a BFS (hops) or Dijkstra (weighted lengths) from s records the distance
// and the number sigma[v] of shortest s-v paths and the order in which vertices were
// settled (with hops, direction-optimizing: see AddDependenciesByHops); then, in reverse
// order, the dependency
//   delta_s(v) = sigma[v] * sum_{w : v -> w on a shortest path} (1 + delta_s(w)) / sigma[w]
// is added into v's score. No predecessor lists are stored: successors are found by
// re-reading v's out-arcs, and the per-vertex factor (1 + delta[w]) / sigma[w] is stored
// once so each arc costs one addition. With hops, processing whole BFS levels at a time
// makes the successor test unnecessary (see AddDependenciesByHops); with Dijkstra each arc
// is tested with dist[w] == dist[v] + len(v, w).
//
// Parallelism: sources are cut into at most 256 fixed chunks. A worker runs a whole chunk
// into its own partial array and then adds that array into the total in chunk order
// (ChunkTurns), so the floating-point sums are the same for every thread count.
// Time O(k m) for hops, O(k (m + n log n)) with Dijkstra; O(n) space per worker.
#include "trafnet/algorithms/betweenness.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <utility>

#include "centrality/betweenness_paths.h"
#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {
namespace {

constexpr size_t kMaxChunks = 256;
constexpr uint32_t kUnreached = std::numeric_limits<uint32_t>::max();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Per-worker buffers, sized once and reset after each source only where it was touched.
struct Workspace {
  explicit Workspace(Vertex n)
      : sigma(n, 0.0),
        factor(n, 0.0),
        partial(n, 0.0),
        pending(n, 0.0),
        hops(n, kUnreached),
        dist(n, kInfinity) {
    order.reserve(n);
  }
  std::vector<double> sigma;    // number of shortest paths from the source
  std::vector<double> factor;   // (1 + delta[v]) / sigma[v] once v's dependency is known
  std::vector<double> partial;  // this chunk's dependency sums
  std::vector<double> pending;  // by position in `order`: a level's sums before they land
  std::vector<uint32_t> hops;   // BFS distance
  std::vector<double> dist;     // Dijkstra distance
  std::vector<Vertex> order;    // vertices in non-decreasing distance (BFS queue too)
  std::vector<std::pair<double, Vertex>> heap;
};

// `value` when `keep`, else +0.0, by masking its bits: whether an arc leads one level further
// is close to a coin toss, and compilers turn a select on it into a branch that mispredicts.
inline double IfElseZero(bool keep, double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  bits &= -static_cast<uint64_t>(keep);
  std::memcpy(&value, &bits, sizeof bits);
  return value;
}

// The sum of values[w] over the targets, in two interleaved partial sums (so each addition
// does not wait for the one before) added at the end: the same double for the same input.
inline double SumOver(std::span<const Vertex> targets, const double* values) {
  double even = 0.0, odd = 0.0;
  size_t i = 0;
  for (; i + 2 <= targets.size(); i += 2) {
    even += values[targets[i]];
    odd += values[targets[i + 1]];
  }
  if (i < targets.size()) even += values[targets[i]];
  return even + odd;
}

void AddDependenciesByHops(const CsrGraph& graph, Vertex source, Workspace& ws) {
  std::vector<Vertex>& order = ws.order;
  order.clear();
  order.push_back(source);
  ws.hops[source] = 0;
  ws.sigma[source] = 1.0;
  // Top-down, each frontier vertex pushes its count to its neighbours one level further;
  // bottom-up, each unreached vertex sums the counts of its neighbours in the frontier. Both
  // give every vertex of the next level the same sum of integers, so the same count.
  internal::LevelByLevelBfs(
      graph, ws.hops, kUnreached, order,
      [&](Vertex v, uint32_t level) {
        const uint32_t next = level + 1;
        const double paths = ws.sigma[v];
        for (Vertex w : graph.neighbours(v)) {
          if (ws.hops[w] == kUnreached) {
            ws.hops[w] = next;
            order.push_back(w);
          }
          ws.sigma[w] += IfElseZero(ws.hops[w] == next, paths);
        }
      },
      [&](Vertex v, uint32_t level) {
        double paths = 0.0;
        for (Vertex u : graph.neighbours(v)) paths += IfElseZero(ws.hops[u] == level, ws.sigma[u]);
        if (paths == 0.0) return;
        ws.hops[v] = level + 1;
        ws.sigma[v] = paths;
        order.push_back(v);
      });
  // Level by level from the deepest: a neighbour w of v (at level L) lies at level <= L + 1,
  // and while level L is being summed only the levels below it have a non-zero factor. So
  // the plain sum of factor[w] over v's arcs is exactly the sum over v's successors, with no
  // per-arc distance test; the level's factors are written only after the whole level.
  size_t level_end = order.size();
  while (level_end > 1) {
    const uint32_t level = ws.hops[order[level_end - 1]];
    size_t level_begin = level_end - 1;
    while (ws.hops[order[level_begin - 1]] == level) --level_begin;
    // The deepest level has no successors: every factor it could read is still 0.
    const bool deepest = level_end == order.size();
    for (size_t i = level_begin; i < level_end; ++i) {
      ws.pending[i] = deepest ? 0.0 : SumOver(graph.neighbours(order[i]), ws.factor.data());
    }
    for (size_t i = level_begin; i < level_end; ++i) {
      const Vertex v = order[i];
      const double delta = ws.sigma[v] * ws.pending[i];
      ws.partial[v] += delta;
      ws.factor[v] = (1.0 + delta) / ws.sigma[v];
    }
    level_end = level_begin;
  }
  for (Vertex v : order) {
    ws.hops[v] = kUnreached;
    ws.sigma[v] = 0.0;
    ws.factor[v] = 0.0;
  }
}

template <EdgeLength kLength>
void AddDependenciesWeighted(const CsrGraph& graph, Vertex source, Workspace& ws) {
  using Entry = std::pair<double, Vertex>;
  std::vector<Entry>& heap = ws.heap;
  std::vector<Vertex>& order = ws.order;
  order.clear();
  heap.clear();
  ws.dist[source] = 0.0;
  ws.sigma[source] = 1.0;
  heap.emplace_back(0.0, source);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<Entry>());
    const auto [d, v] = heap.back();
    heap.pop_back();
    if (d > ws.dist[v]) continue;  // stale entry: v was reached more cheaply since
    order.push_back(v);
    const double paths = ws.sigma[v];
    auto targets = graph.neighbours(v);
    auto weights = graph.weights(v);
    for (size_t i = 0; i < targets.size(); ++i) {
      const Vertex w = targets[i];
      const double alt = d + internal::ArcLength(kLength, weights[i]);
      if (alt < ws.dist[w]) {
        ws.dist[w] = alt;
        ws.sigma[w] = paths;
        heap.emplace_back(alt, w);
        std::push_heap(heap.begin(), heap.end(), std::greater<Entry>());
      } else if (alt == ws.dist[w]) {
        ws.sigma[w] += paths;
      }
    }
  }
  for (size_t i = order.size(); i-- > 1;) {
    const Vertex v = order[i];
    const double d = ws.dist[v];
    auto targets = graph.neighbours(v);
    auto weights = graph.weights(v);
    double sum = 0.0;
    for (size_t j = 0; j < targets.size(); ++j) {
      // The same expression as in the search, so the comparison sees the same double.
      if (ws.dist[targets[j]] == d + internal::ArcLength(kLength, weights[j])) {
        sum += ws.factor[targets[j]];
      }
    }
    const double delta = ws.sigma[v] * sum;
    ws.partial[v] += delta;
    ws.factor[v] = (1.0 + delta) / ws.sigma[v];
  }
  for (Vertex v : order) {
    ws.dist[v] = kInfinity;
    ws.sigma[v] = 0.0;
    ws.factor[v] = 0.0;
  }
}

Status CheckOptions(const CsrGraph& graph, const BetweennessOptions& options) {
  TRAFNET_RETURN_IF_ERROR(internal::CheckLengths(graph, options.length, "Betweenness"));
  if ((options.samples > 0) + (options.paths > 0) + (options.epsilon > 0.0) > 1) {
    return InvalidArgumentError(
        "Betweenness: more than one of samples, paths and epsilon is set; set samples for a "
        "fixed number of sources, paths for a fixed number of sampled paths, or epsilon for a "
        "target error");
  }
  if (options.paths > 0 && options.length != EdgeLength::kHops) {
    return InvalidArgumentError(
        "Betweenness: path sampling counts hops; use samples (sources) with weighted lengths");
  }
  if (!(options.epsilon >= 0.0 && options.epsilon < 1.0)) {
    return InvalidArgumentError(
        fmt::format("Betweenness: epsilon is {}; use a value in (0, 1), or 0 for no epsilon target",
                    options.epsilon));
  }
  if (!(options.delta > 0.0 && options.delta < 1.0)) {
    return InvalidArgumentError(
        fmt::format("Betweenness: delta is {}; it is a failure probability and must be in (0, 1)",
                    options.delta));
  }
  return Status::Ok();
}

// Half-width of the simultaneous confidence band for normalised scores (see betweenness.h).
double NormalisedErrorBound(double n, double sources, double delta) {
  return n / (n - 1.0) * std::sqrt(std::log(2.0 * n / delta) / (2.0 * sources));
}

// Riondato & Kornaropoulos' sample-size term: floor(log2(VD - 2)) + 1 + ln(1/delta), the
// floor taken as 0 when VD <= 3 (log2(1) = 0 at VD = 3; below, no path has an inner vertex).
double PathBoundTerm(uint32_t vertex_diameter, double delta) {
  const double log_term =
      vertex_diameter > 3 ? std::floor(std::log2(static_cast<double>(vertex_diameter - 2))) : 0.0;
  return log_term + 1.0 + std::log(1.0 / delta);
}
constexpr double kRiondatoC = 0.5;

// Path sampling (see betweenness.h), or nullopt when epsilon asks for n paths or more: a draw
// can cost as much as one Brandes source, so exact is then the better buy. An explicit number
// of paths is always drawn.
std::optional<BetweennessResult> SamplePaths(const CsrGraph& graph,
                                             const BetweennessOptions& options, unsigned threads) {
  const Vertex n = graph.num_vertices();
  const double nd = static_cast<double>(n);
  const uint32_t vertex_diameter = internal::VertexDiameterBound(graph);
  const double term = PathBoundTerm(vertex_diameter, options.delta);
  // Scores are the sampled share times n / (n - 2): the target on scores is epsilon, on the
  // share epsilon (n - 2) / n.
  double wanted = static_cast<double>(options.paths);
  if (options.epsilon > 0.0) {
    const double share_epsilon = options.epsilon * (nd - 2.0) / nd;
    wanted = std::ceil(kRiondatoC * term / (share_epsilon * share_epsilon));
  }
  if (options.epsilon > 0.0 && wanted >= nd) return std::nullopt;
  const uint64_t paths = static_cast<uint64_t>(wanted);
  internal::ProgressCounter progress(options.progress, paths);
  const std::vector<uint64_t> counts =
      internal::CountOnSampledPaths(graph, paths, options.seed, threads, progress);

  BetweennessResult result;
  result.exact = false;
  result.sources = 0;
  result.paths = paths;
  result.delta = options.delta;
  result.vertex_diameter = vertex_diameter;
  const double share_bound = std::sqrt(kRiondatoC * term / static_cast<double>(paths));
  // From the share over the n(n-1) ordered pairs to networkx's units: normalised scores are
  // over the (n-1)(n-2) ordered pairs not involving v; raw ones over unordered pairs when
  // undirected.
  double scale = nd / (nd - 2.0);
  if (!options.normalized) scale = nd * (nd - 1.0) * (graph.directed() ? 1.0 : 0.5);
  result.error_bound = share_bound * scale;
  result.scores.resize(n);
  for (Vertex v = 0; v < n; ++v) {
    result.scores[v] = static_cast<double>(counts[v]) / static_cast<double>(paths) * scale;
  }
  return result;
}

// Distinct sources drawn uniformly by a partial Fisher-Yates shuffle.
std::vector<Vertex> SampleSources(Vertex n, uint32_t count, uint64_t seed) {
  std::vector<Vertex> all(n);
  std::iota(all.begin(), all.end(), Vertex{0});
  internal::SeededRandom random(seed);
  for (uint32_t i = 0; i < count; ++i) {
    std::swap(all[i], all[i + random.Below(n - i)]);
  }
  all.resize(count);
  return all;
}

}  // namespace

StatusOr<BetweennessResult> Betweenness(const CsrGraph& graph, const BetweennessOptions& options) {
  TRAFNET_RETURN_IF_ERROR(CheckOptions(graph, options));
  TRAFNET_ASSIGN_OR_RETURN(const unsigned threads,
                           internal::ResolveThreads(options.threads, "Betweenness"));
  const Vertex n = graph.num_vertices();
  const double nd = static_cast<double>(n);

  const bool by_paths =
      options.paths > 0 || (options.epsilon > 0.0 && options.length == EdgeLength::kHops);
  if (by_paths && n > 2) {
    std::optional<BetweennessResult> sampled = SamplePaths(graph, options, threads);
    if (sampled) return std::move(*sampled);
  }

  // In double: a tiny epsilon asks for more sources than any integer type holds.
  double wanted = nd;
  if (options.samples > 0) wanted = options.samples;
  if (options.epsilon > 0.0 && !by_paths && n > 2) {
    const double range = nd / (nd - 1.0);
    wanted = std::ceil(range * range * std::log(2.0 * nd / options.delta) /
                       (2.0 * options.epsilon * options.epsilon));
  }
  BetweennessResult result;
  result.exact = wanted >= nd || n <= 2;
  std::vector<Vertex> sources;
  if (result.exact) {
    sources.resize(n);
    std::iota(sources.begin(), sources.end(), Vertex{0});
  } else {
    sources = SampleSources(n, static_cast<uint32_t>(wanted), options.seed);
  }
  result.sources = static_cast<uint32_t>(sources.size());

  std::vector<double> total(n, 0.0);
  const internal::ChunkPlan plan = internal::PlanChunks(sources.size(), kMaxChunks);
  const unsigned workers =
      static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, plan.num_chunks)));
  std::vector<Workspace> workspaces;
  workspaces.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) workspaces.emplace_back(n);
  internal::ChunkTurns turns;
  internal::ProgressCounter progress(options.progress, sources.size());
  internal::ForEachChunk(plan.num_chunks, workers, [&](size_t chunk, unsigned worker) {
    Workspace& ws = workspaces[worker];
    std::fill(ws.partial.begin(), ws.partial.end(), 0.0);
    for (size_t i = plan.begin(chunk); i < plan.end(chunk); ++i) {
      switch (options.length) {
        case EdgeLength::kHops:
          AddDependenciesByHops(graph, sources[i], ws);
          break;
        case EdgeLength::kWeight:
          AddDependenciesWeighted<EdgeLength::kWeight>(graph, sources[i], ws);
          break;
        case EdgeLength::kInverseWeight:
          AddDependenciesWeighted<EdgeLength::kInverseWeight>(graph, sources[i], ws);
          break;
      }
    }
    turns.RunInTurn(chunk, [&] {
      for (Vertex v = 0; v < n; ++v) total[v] += ws.partial[v];
    });
    progress.Add(plan.end(chunk) - plan.begin(chunk));
  });

  // Brandes sums over ordered pairs; an undirected pair is thus counted twice. The
  // normalised scale absorbs that factor, as in networkx's _rescale.
  const double pairs = (nd - 1.0) * (nd - 2.0);
  const double to_raw = graph.directed() ? 1.0 : 0.5;  // from the ordered-pair sum to raw scores
  double scale = to_raw;
  if (options.normalized && n > 2) scale = 1.0 / pairs;
  if (!result.exact) scale *= nd / static_cast<double>(sources.size());
  for (double& value : total) value *= scale;
  result.scores = std::move(total);

  if (!result.exact) {
    result.delta = options.delta;
    result.error_bound =
        NormalisedErrorBound(nd, static_cast<double>(sources.size()), options.delta);
    if (!options.normalized) result.error_bound *= pairs * to_raw;
  }
  return result;
}

}  // namespace trafnet::algorithms
