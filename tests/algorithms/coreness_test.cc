#include "trafnet/algorithms/coreness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "algorithms/community_reference.h"

namespace trafnet::algorithms {
namespace {

// Degree of v among alive vertices, directions ignored (an arc counts at both its ends).
uint64_t AliveDegree(const CsrGraph& graph, Vertex v, const std::vector<bool>& alive,
                     bool count_self_loops) {
  uint64_t degree = 0;
  for (Vertex u = 0; u < graph.num_vertices(); ++u) {
    if (!alive[u]) continue;
    for (Vertex w : graph.neighbours(u)) {
      if (u == v && w == v) {
        if (count_self_loops) degree += graph.directed() ? 2 : 1;
      } else if (u == v) {
        degree += alive[w] ? 1 : 0;
      } else if (w == v && graph.directed()) {
        degree += 1;
      }
    }
  }
  return degree;
}

// Peels the k-cores one k at a time: a vertex removed while peeling to k has coreness k - 1.
std::vector<uint32_t> ReferenceCoreness(const CsrGraph& graph, bool count_self_loops) {
  const Vertex n = graph.num_vertices();
  std::vector<bool> alive(n, true);
  std::vector<uint32_t> coreness(n, 0);
  Vertex remaining = n;
  for (uint32_t k = 1; remaining > 0; ++k) {
    bool removed = true;
    while (removed) {
      removed = false;
      for (Vertex v = 0; v < n; ++v) {
        if (alive[v] && AliveDegree(graph, v, alive, count_self_loops) < k) {
          alive[v] = false;
          coreness[v] = k - 1;
          --remaining;
          removed = true;
        }
      }
    }
  }
  return coreness;
}

// Coreness on `threads` workers against the reference, with and without self-loops counted.
void ExpectCorenessAsPeeling(const CsrGraph& graph, std::initializer_list<int> threads, int graph_number) {
  for (bool loops : {false, true}) {
    const std::vector<uint32_t> expected = ReferenceCoreness(graph, loops);
    for (int workers : threads) {
      SCOPED_TRACE(::testing::Message()
                   << "graph " << graph_number << " self-loops " << loops << " threads " << workers);
      StatusOr<CorenessResult> result =
          Coreness(graph, {.count_self_loops = loops, .threads = workers});
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      EXPECT_EQ(result->coreness, expected);
    }
  }
}

TEST(CorenessTest, MatchesPeelingOnRandomGraphs) {
  std::mt19937_64 rng(21);
  for (int i = 0; i < 200; ++i) {
    testing::RandomGraphSpec spec = testing::VariedSpec(rng, i);
    spec.num_edges *= 2;  // denser, so cores above 2 occur
    CsrGraph graph = testing::RandomGraph(rng, spec);
    for (bool loops : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "graph " << i << " self-loops " << loops);
      StatusOr<CorenessResult> result = Coreness(graph, {.count_self_loops = loops});
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      std::vector<uint32_t> expected = ReferenceCoreness(graph, loops);
      EXPECT_EQ(result->coreness, expected);
      uint32_t max_core = 0;
      for (uint32_t c : expected) max_core = std::max(max_core, c);
      EXPECT_EQ(result->max_coreness, max_core);
    }
  }
}

// The parallel peel (atomic decrements, a worker's share of the vertices each) gives the same
// answer as the reference, for several thread counts, also with more threads than vertices.
TEST(CorenessTest, ThreadsMatchPeelingOnRandomGraphs) {
  std::mt19937_64 rng(23);
  for (int i = 0; i < 200; ++i) {
    testing::RandomGraphSpec spec = testing::VariedSpec(rng, i);
    spec.num_edges *= 3;
    ExpectCorenessAsPeeling(testing::RandomGraph(rng, spec), {2, 3, 8}, i);
  }
}

// A graph large enough that the workers' cascades cross each other's shares many times.
TEST(CorenessTest, ThreadsAgreeOnALargerRandomGraph) {
  std::mt19937_64 rng(24);
  testing::RandomGraphSpec spec;
  spec.num_vertices = 20000;
  spec.num_edges = 120000;
  CsrGraph graph = testing::RandomGraph(rng, spec);
  StatusOr<CorenessResult> one = Coreness(graph);
  ASSERT_TRUE(one.ok());
  for (int threads : {2, 3, 4}) {
    StatusOr<CorenessResult> several = Coreness(graph, {.threads = threads});
    ASSERT_TRUE(several.ok());
    EXPECT_EQ(several->coreness, one->coreness) << threads << " threads";
    EXPECT_EQ(several->max_coreness, one->max_coreness);
  }
}

TEST(CorenessTest, RejectsNegativeThreads) {
  CsrGraph graph = CsrGraph::FromEdges(2, std::vector<Edge>{{0, 1}}, false, false);
  StatusOr<CorenessResult> result = Coreness(graph, {.threads = -1});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("threads"), std::string::npos);
}

// The peel keeps its counters in 8, 16 or 32 bits, whichever holds the largest degree.
// Parallel edges push a random graph's degrees past 255 so that the 16-bit path runs.
TEST(CorenessTest, MatchesPeelingWithDegreesAbove255) {
  std::mt19937_64 rng(22);
  for (int i = 0; i < 20; ++i) {
    testing::RandomGraphSpec spec = testing::VariedSpec(rng, i);
    spec.num_edges *= 2;
    spec.num_vertices = std::max<Vertex>(spec.num_vertices, 2);
    std::vector<Edge> edges = testing::RandomEdges(rng, spec);
    for (int copy = 0; copy < 300; ++copy) edges.push_back({0, 1});
    ExpectCorenessAsPeeling(CsrGraph::FromEdges(spec.num_vertices, edges, spec.directed, spec.weighted),
                           {1, 2}, i);
  }
}

// Degrees past 65535 take the 32-bit path: two vertices joined by 70 000 parallel edges are
// each other's 70 000-core.
TEST(CorenessTest, DegreesAbove65535KeepTheirCores) {
  std::vector<Edge> edges(70000, Edge{0, 1});
  for (Vertex leaf = 3; leaf < 303; ++leaf) edges.push_back({2, leaf});  // a star
  for (Vertex u = 303; u < 307; ++u) {
    for (Vertex v = u + 1; v < 307; ++v) edges.push_back({u, v});  // K4
  }
  CsrGraph graph = CsrGraph::FromEdges(308, edges, /*directed=*/false, /*weighted=*/false);
  std::vector<uint32_t> expected(308, 1);
  expected[0] = expected[1] = 70000;
  for (Vertex u = 303; u < 307; ++u) expected[u] = 3;
  expected[307] = 0;
  for (int threads : {1, 2}) {
    StatusOr<CorenessResult> result = Coreness(graph, {.threads = threads});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->coreness, expected) << threads << " threads";
    EXPECT_EQ(result->max_coreness, 70000u);
  }
}

TEST(CorenessTest, KarateClubHasKnownCoreNumbers) {
  StatusOr<CorenessResult> result = Coreness(testing::KarateClub());
  ASSERT_TRUE(result.ok());
  // NetworkX core_number(karate_club_graph()).
  const std::vector<uint32_t> expected = {4, 4, 4, 4, 3, 3, 3, 4, 4, 2, 3, 1, 2, 4, 2, 2, 2,
                                          2, 2, 3, 2, 2, 2, 3, 3, 3, 2, 3, 3, 3, 4, 3, 4, 4};
  EXPECT_EQ(result->coreness, expected);
  EXPECT_EQ(result->max_coreness, 4u);
}

TEST(CorenessTest, CliqueStarAndIsolatedVertex) {
  std::vector<Edge> edges;
  for (Vertex u = 0; u < 5; ++u) {
    for (Vertex v = u + 1; v < 5; ++v) edges.push_back({u, v});
  }
  for (Vertex leaf = 6; leaf < 9; ++leaf) edges.push_back({5, leaf});
  CsrGraph graph = CsrGraph::FromEdges(10, edges, /*directed=*/false, /*weighted=*/false);
  StatusOr<CorenessResult> result = Coreness(graph);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->coreness, (std::vector<uint32_t>{4, 4, 4, 4, 4, 1, 1, 1, 1, 0}));
}

TEST(CorenessTest, DirectedGraphIgnoresDirection) {
  std::vector<Edge> edges = {{0, 1}, {1, 2}, {2, 0}};
  CsrGraph graph = CsrGraph::FromEdges(3, edges, /*directed=*/true, /*weighted=*/false);
  StatusOr<CorenessResult> result = Coreness(graph);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->coreness, (std::vector<uint32_t>{2, 2, 2}));
}

TEST(CorenessTest, EmptyGraphHasNoCores) {
  StatusOr<CorenessResult> result =
      Coreness(CsrGraph::FromEdges(0, {}, /*directed=*/false, /*weighted=*/false));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->coreness.empty());
  EXPECT_EQ(result->max_coreness, 0u);
}

}  // namespace
}  // namespace trafnet::algorithms
