#include "trafnet/algorithms/bfs.h"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "algorithms/centrality_reference.h"

namespace trafnet::algorithms {
namespace {

using reference::RandomGraph;
using reference::RandomGraphSpec;

// The textbook queue BFS along out-arcs.
std::vector<uint32_t> ReferenceDistances(const CsrGraph& graph, Vertex source) {
  std::vector<uint32_t> distance(graph.num_vertices(), kUnreachedDistance);
  std::deque<Vertex> queue{source};
  distance[source] = 0;
  while (!queue.empty()) {
    Vertex u = queue.front();
    queue.pop_front();
    for (Vertex v : graph.neighbours(u)) {
      if (distance[v] == kUnreachedDistance) {
        distance[v] = distance[u] + 1;
        queue.push_back(v);
      }
    }
  }
  return distance;
}

void ExpectMatchesReference(const CsrGraph& graph, Vertex source, const BfsOptions& options) {
  auto result = BreadthFirstSearch(graph, source, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<uint32_t> expected = ReferenceDistances(graph, source);
  ASSERT_EQ(result->distance, expected);
  uint64_t reached = 0;
  uint32_t depth = 0;
  for (uint32_t d : expected) {
    if (d == kUnreachedDistance) continue;
    ++reached;
    depth = std::max(depth, d);
  }
  EXPECT_EQ(result->reached, reached);
  EXPECT_EQ(result->depth, depth);
}

// Bottom-up whenever the frontier has an arc (alpha huge), top-down only (alpha tiny) and
// Beamer's defaults; leaving bottom-up as soon as the frontier stops growing (beta tiny) or
// as usual; one and two threads.
std::vector<BfsOptions> Schedules() {
  std::vector<BfsOptions> schedules;
  for (double alpha : {1e12, 1e-12, 15.0}) {
    for (double beta : {1e-12, 18.0}) {
      for (int threads : {1, 2}) schedules.push_back(BfsOptions{alpha, beta, threads});
    }
  }
  return schedules;
}

TEST(BfsTest, MatchesQueueBfsOnRandomGraphsWhateverTheSchedule) {
  for (bool directed : {false, true}) {
    RandomGraphSpec spec;
    spec.directed = directed;
    spec.max_vertices = 200;  // more than one bitmap word and chunk
    for (uint64_t seed = 0; seed < 60; ++seed) {
      CsrGraph graph = RandomGraph(seed, spec);
      Vertex source = static_cast<Vertex>(seed % graph.num_vertices());
      for (const BfsOptions& options : Schedules()) {
        SCOPED_TRACE(::testing::Message() << "directed " << directed << " seed " << seed << " alpha "
                                          << options.alpha << " beta " << options.beta << " threads "
                                          << options.threads);
        ExpectMatchesReference(graph, source, options);
      }
    }
  }
}

TEST(BfsTest, LongPathAndStarGoDeepAndWide) {
  std::vector<Edge> path, star;
  for (Vertex v = 1; v < 5000; ++v) {
    path.push_back({v - 1, v, 1.0f});
    star.push_back({0, v, 1.0f});
  }
  for (const auto& edges : {path, star}) {
    CsrGraph graph = CsrGraph::FromEdges(5000, edges, /*directed=*/false, /*weighted=*/false);
    for (const BfsOptions& options : Schedules()) ExpectMatchesReference(graph, 0, options);
  }
  auto deep = BreadthFirstSearch(CsrGraph::FromEdges(5000, path, false, false), 0);
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(deep->depth, 4999u);
}

TEST(BfsTest, DirectedArcsAreFollowedOneWayOnly) {
  std::vector<Edge> edges = {{0, 1, 1.0f}, {1, 2, 1.0f}, {3, 2, 1.0f}};
  CsrGraph graph = CsrGraph::FromEdges(4, edges, /*directed=*/true, /*weighted=*/false);
  for (const BfsOptions& options : Schedules()) {
    auto result = BreadthFirstSearch(graph, 0, options);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->distance, (std::vector<uint32_t>{0, 1, 2, kUnreachedDistance}));
    EXPECT_EQ(result->reached, 3u);
  }
}

TEST(BfsTest, RejectsAMissingSourceAndBadOptions) {
  CsrGraph graph = CsrGraph::FromEdges(3, std::vector<Edge>{{0, 1, 1.0f}}, false, false);
  EXPECT_EQ(BreadthFirstSearch(graph, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(BreadthFirstSearch(graph, 0, BfsOptions{0.0, 18.0, 1}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(BreadthFirstSearch(graph, 0, BfsOptions{15.0, 18.0, -1}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trafnet::algorithms
