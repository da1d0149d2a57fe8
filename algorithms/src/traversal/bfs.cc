// Direction-optimizing BFS (see bfs.h). The frontier is a queue in top-down steps and a bitmap
// in bottom-up ones; a step's cost estimate is the frontier's arc count (top-down) against the
// arcs of vertices not yet reached (bottom-up), as in GAP's bfs.cc.
#include "trafnet/algorithms/bfs.h"

#include <fmt/format.h>

#include <algorithm>

#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {
namespace {

constexpr size_t kMaxChunks = 1024;

// A bitmap of n vertices, 64 to a word.
class Bitmap {
 public:
  explicit Bitmap(size_t n) : words_((n + 63) / 64, 0) {}
  void Clear() { std::fill(words_.begin(), words_.end(), 0); }
  void Set(Vertex v) { words_[v >> 6] |= uint64_t{1} << (v & 63); }
  bool Get(Vertex v) const { return (words_[v >> 6] >> (v & 63)) & 1; }
  void Swap(Bitmap& other) { words_.swap(other.words_); }

 private:
  std::vector<uint64_t> words_;
};

}  // namespace

StatusOr<BfsResult> BreadthFirstSearch(const CsrGraph& graph, Vertex source, const BfsOptions& options) {
  const Vertex n = graph.num_vertices();
  if (source >= n) {
    return InvalidArgumentError(fmt::format("BFS: source vertex {} does not exist; the graph has {} vertices",
                                            source, n));
  }
  if (!(options.alpha > 0.0) || !(options.beta > 0.0)) {
    return InvalidArgumentError(fmt::format("BFS: alpha ({}) and beta ({}) must be positive",
                                            options.alpha, options.beta));
  }
  TRAFNET_ASSIGN_OR_RETURN(const unsigned threads, internal::ResolveThreads(options.threads, "BFS"));
  CsrGraph reversed;
  if (graph.directed()) reversed = internal::Reverse(graph);
  const CsrGraph& in_arcs = graph.directed() ? reversed : graph;

  BfsResult result;
  std::vector<uint32_t>& distance = result.distance;
  distance.assign(n, kUnreachedDistance);
  distance[source] = 0;
  result.reached = 1;

  std::vector<Vertex> queue{source};
  std::vector<Vertex> next_queue;
  Bitmap front(n), next_front(n);
  // Chunks of whole bitmap words, so each chunk sets its own bits of the next frontier.
  internal::ChunkPlan plan = internal::PlanChunks(n, kMaxChunks);
  plan.chunk_size = (plan.chunk_size + 63) / 64 * 64;
  plan.num_chunks = (n + plan.chunk_size - 1) / plan.chunk_size;
  std::vector<uint64_t> chunk_found(plan.num_chunks);

  // Arcs still to be looked at bottom-up: those of vertices not yet reached.
  uint64_t unexplored_arcs = graph.num_arcs() - graph.degree(source);
  uint32_t depth = 0;
  while (!queue.empty()) {
    uint64_t frontier_arcs = 0;
    for (Vertex v : queue) frontier_arcs += graph.degree(v);
    if (static_cast<double>(frontier_arcs) > static_cast<double>(unexplored_arcs) / options.alpha) {
      // Bottom-up until the frontier is small again.
      front.Clear();
      for (Vertex v : queue) front.Set(v);
      uint64_t frontier_size = queue.size();
      uint64_t previous_size = 0;
      do {
        previous_size = frontier_size;
        next_front.Clear();
        const uint32_t level = depth + 1;
        internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
          uint64_t found = 0;
          for (Vertex v = static_cast<Vertex>(plan.begin(chunk)); v < plan.end(chunk); ++v) {
            if (distance[v] != kUnreachedDistance) continue;
            for (Vertex u : in_arcs.neighbours(v)) {
              if (front.Get(u)) {
                distance[v] = level;
                next_front.Set(v);
                ++found;
                break;
              }
            }
          }
          chunk_found[chunk] = found;
        });
        frontier_size = 0;
        for (size_t c = 0; c < plan.num_chunks; ++c) frontier_size += chunk_found[c];
        if (frontier_size > 0) {
          front.Swap(next_front);
          depth = level;
          result.reached += frontier_size;
        }
      } while (frontier_size > 0 &&
               (frontier_size >= previous_size ||
                static_cast<double>(frontier_size) > static_cast<double>(n) / options.beta));
      queue.clear();
      if (frontier_size == 0) break;
      for (Vertex v = 0; v < n; ++v) {
        if (distance[v] == depth) queue.push_back(v);
      }
      unexplored_arcs = 0;
      for (Vertex v = 0; v < n; ++v) {
        if (distance[v] == kUnreachedDistance) unexplored_arcs += graph.degree(v);
      }
      continue;
    }
    // Top-down.
    next_queue.clear();
    const uint32_t level = depth + 1;
    for (Vertex u : queue) {
      for (Vertex v : graph.neighbours(u)) {
        if (distance[v] == kUnreachedDistance) {
          distance[v] = level;
          next_queue.push_back(v);
          unexplored_arcs -= graph.degree(v);
        }
      }
    }
    if (next_queue.empty()) break;
    depth = level;
    result.reached += next_queue.size();
    queue.swap(next_queue);
  }
  result.depth = depth;
  return result;
}

}  // namespace trafnet::algorithms
