// Shortest-path sampling for betweenness (see betweenness_paths.h for the references).
//
// One draw. Two BFS run level by level, forward from s over out-arcs and backward from t over
// in-arcs, each counting shortest paths (sigma) as Brandes' forward phase does. Each step
// completes the next level of the side whose frontier has fewer arcs to read. Before a step no
// vertex has been reached by both sides, so d(s, t) > a + b for the sides' depths a and b; if
// the step (say forward, to depth a + 1) reaches vertices the other side has reached, each of
// them lies at depth exactly b from t, d(s, t) = a + b + 1, and every shortest s-t path
// crosses exactly one of them. So sigma_st = sum over those meeting vertices x of
// sigma_s(x) * sigma_t(x). A path is drawn by picking x with probability
// sigma_s(x) sigma_t(x) / sigma_st, then walking back to s picking each predecessor z of the
// current vertex y with probability sigma_s(z) / sigma_s(y), and on to t the same way with
// sigma_t: every shortest path comes out with probability 1 / sigma_st. A side whose frontier
// empties first proves t unreachable.
//
// Draws are cut into fixed chunks; each worker counts into its own integer array and the
// arrays are added at the end, so the counts do not depend on the thread count.
#include "centrality/betweenness_paths.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "trafnet/algorithms/components.h"

namespace trafnet::algorithms::internal {
namespace {

constexpr uint32_t kUnreached = std::numeric_limits<uint32_t>::max();
constexpr size_t kMaxChunks = 256;

// The random stream of draw `index`: SplitMix64 seeded with a mix of the two, so draws are
// independent of the order in which workers run them.
uint64_t DrawSeed(uint64_t seed, uint64_t index) {
  SeededRandom mix(seed ^ (0x9e3779b97f4a7c15ULL * (index + 1)));
  return mix.Next();
}

// Uniform in [0, 1) with 53 random bits.
double Uniform(SeededRandom& random) {
  return static_cast<double>(random.Next() >> 11) * (1.0 / 9007199254740992.0);
}

// Both searches' state of one vertex, side by side: a step reads its own side's distance and
// count and the other side's distance, one cache line instead of three arrays' worth.
struct VertexState {
  uint32_t dist[2] = {kUnreached, kUnreached};
  double sigma[2] = {0.0, 0.0};
};

// One BFS of the pair (side 0 forward from s, side 1 backward from t): the vertices reached
// level by level.
struct Side {
  explicit Side(const CsrGraph& arcs) : graph(&arcs) {}

  const CsrGraph* graph;        // arcs this side follows: out-arcs forward, in-arcs backward
  std::vector<Vertex> reached;  // in BFS order; the last complete level from frontier_begin
  size_t frontier_begin = 0;
  uint32_t depth = 0;
  uint64_t frontier_arcs = 0;  // arcs out of the frontier: the cost of the next step
  bool FrontierEmpty() const { return frontier_begin == reached.size(); }
};

class PathSampler {
 public:
  PathSampler(const CsrGraph& forward, const CsrGraph& backward)
      : state_(forward.num_vertices()), sides_{Side(forward), Side(backward)} {}

  // Draws one shortest s-t path and calls on_interior(v) for each vertex inside it.
  template <typename Fn>
  void Draw(Vertex s, Vertex t, SeededRandom& random, Fn&& on_interior) {
    Start(0, s);
    Start(1, t);
    meeting_.clear();
    while (meeting_.empty() && !sides_[0].FrontierEmpty() && !sides_[1].FrontierEmpty()) {
      Step(sides_[0].frontier_arcs <= sides_[1].frontier_arcs ? 0 : 1);
    }
    if (!meeting_.empty()) {
      const Vertex x = PickMeeting(random);
      if (x != s && x != t) on_interior(x);
      Walk(0, x, s, random, on_interior);
      Walk(1, x, t, random, on_interior);
    }
    for (Side& side : sides_) {
      for (Vertex v : side.reached) state_[v] = VertexState{};
      side.reached.clear();
    }
  }

 private:
  void Start(int which, Vertex root) {
    Side& side = sides_[which];
    state_[root].dist[which] = 0;
    state_[root].sigma[which] = 1.0;
    side.reached.push_back(root);
    side.frontier_begin = 0;
    side.depth = 0;
    side.frontier_arcs = side.graph->degree(root);
  }

  // Completes side `which`'s next level, noting the new vertices the other side has reached.
  void Step(int which) {
    Side& side = sides_[which];
    const int other = 1 - which;
    const size_t end = side.reached.size();
    const uint32_t next = side.depth + 1;
    for (size_t i = side.frontier_begin; i < end; ++i) {
      const Vertex u = side.reached[i];
      const double paths = state_[u].sigma[which];
      for (Vertex w : side.graph->neighbours(u)) {
        VertexState& state = state_[w];
        if (state.dist[which] == kUnreached) {
          state.dist[which] = next;
          side.reached.push_back(w);
          if (state.dist[other] != kUnreached) meeting_.push_back(w);
        }
        if (state.dist[which] == next) state.sigma[which] += paths;
      }
    }
    side.frontier_begin = end;
    side.depth = next;
    // The new frontier's arcs decide the next step; after the last step there is none, and
    // that step reaches the most vertices, so their degrees are not read then.
    side.frontier_arcs = 0;
    if (meeting_.empty()) {
      for (size_t i = end; i < side.reached.size(); ++i) {
        side.frontier_arcs += side.graph->degree(side.reached[i]);
      }
    }
  }

  double Through(Vertex x) const { return state_[x].sigma[0] * state_[x].sigma[1]; }

  Vertex PickMeeting(SeededRandom& random) const {
    double total = 0.0;
    for (Vertex x : meeting_) total += Through(x);
    const double target = Uniform(random) * total;
    double sum = 0.0;
    for (Vertex x : meeting_) {
      sum += Through(x);
      if (sum > target) return x;
    }
    return meeting_.back();  // only when rounding left the target at the very end
  }

  // From x to the root of side `which`, one level at a time, each step to a neighbour one
  // level closer (found over the other side's arcs, which run the opposite way) picked with
  // probability proportional to its path count.
  template <typename Fn>
  void Walk(int which, Vertex x, Vertex root, SeededRandom& random, Fn&& on_interior) const {
    const CsrGraph& toward = *sides_[1 - which].graph;
    Vertex y = x;
    while (y != root) {
      const uint32_t closer = state_[y].dist[which] - 1;
      const double target = Uniform(random) * state_[y].sigma[which];
      double sum = 0.0;
      Vertex pick = y;
      for (Vertex z : toward.neighbours(y)) {
        if (state_[z].dist[which] != closer) continue;
        pick = z;
        sum += state_[z].sigma[which];
        if (sum > target) break;
      }
      // Every vertex past the root has a neighbour one level closer; should that ever fail,
      // the walk stops (a wrong count) rather than loop forever.
      if (pick == y) break;
      y = pick;
      if (y != root) on_interior(y);
    }
  }

  std::vector<VertexState> state_;
  Side sides_[2];
  std::vector<Vertex> meeting_;
};

}  // namespace

uint32_t VertexDiameterBound(const CsrGraph& graph) {
  const Vertex n = graph.num_vertices();
  if (n == 0) return 0;
  if (graph.directed()) {
    const ComponentsResult components = WeaklyConnectedComponents(graph);
    const uint64_t largest = *std::max_element(components.sizes.begin(), components.sizes.end());
    return static_cast<uint32_t>(largest);
  }
  std::vector<uint32_t> dist(n, kUnreached);
  std::vector<Vertex> queue;
  queue.reserve(n);
  uint64_t bound = 1;
  for (Vertex root = 0; root < n; ++root) {
    if (dist[root] != kUnreached) continue;
    queue.clear();
    queue.push_back(root);
    dist[root] = 0;
    for (size_t head = 0; head < queue.size(); ++head) {
      const Vertex v = queue[head];
      for (Vertex w : graph.neighbours(v)) {
        if (dist[w] == kUnreached) {
          dist[w] = dist[v] + 1;
          queue.push_back(w);
        }
      }
    }
    const uint64_t eccentricity = dist[queue.back()];
    bound = std::max(bound, std::min<uint64_t>(2 * eccentricity + 1, queue.size()));
  }
  return static_cast<uint32_t>(bound);
}

std::vector<uint64_t> CountOnSampledPaths(const CsrGraph& graph, uint64_t paths, uint64_t seed,
                                          unsigned threads, ProgressCounter& progress) {
  const Vertex n = graph.num_vertices();
  CsrGraph reverse_storage;
  const CsrGraph* backward = &graph;
  if (graph.directed()) {
    reverse_storage = Reverse(graph);
    backward = &reverse_storage;
  }
  const ChunkPlan plan = PlanChunks(paths, kMaxChunks);
  const unsigned workers =
      static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, plan.num_chunks)));
  std::vector<PathSampler> samplers;
  std::vector<std::vector<uint64_t>> counts(workers, std::vector<uint64_t>(n, 0));
  samplers.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) samplers.emplace_back(graph, *backward);
  ForEachChunk(plan.num_chunks, workers, [&](size_t chunk, unsigned worker) {
    std::vector<uint64_t>& mine = counts[worker];
    for (size_t i = plan.begin(chunk); i < plan.end(chunk); ++i) {
      SeededRandom random(DrawSeed(seed, i));
      const Vertex s = static_cast<Vertex>(random.Below(n));
      Vertex t = static_cast<Vertex>(random.Below(n - 1));
      if (t >= s) ++t;
      samplers[worker].Draw(s, t, random, [&mine](Vertex v) { ++mine[v]; });
    }
    progress.Add(plan.end(chunk) - plan.begin(chunk));
  });
  for (unsigned w = 1; w < workers; ++w) {
    for (Vertex v = 0; v < n; ++v) counts[0][v] += counts[w][v];
  }
  return std::move(counts[0]);
}

}  // namespace trafnet::algorithms::internal
