#include "trafnet/algorithms/components.h"

#include <gtest/gtest.h>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/graph/strong_components.hpp>
#include <random>
#include <string>
#include <vector>

#include "algorithms/community_reference.h"
#include "trafnet/algorithms/bgl_adapter.h"

namespace trafnet::algorithms {
namespace {

using testing::Reachable;

// Components by BFS from each not-yet-labelled vertex in increasing order: the numbering by
// smallest vertex falls out directly.
std::vector<uint32_t> ReferenceWeak(const CsrGraph& graph) {
  const Vertex n = graph.num_vertices();
  std::vector<uint32_t> component(n, UINT32_MAX);
  const std::vector<bool> all(n, true);
  uint32_t next = 0;
  for (Vertex s = 0; s < n; ++s) {
    if (component[s] != UINT32_MAX) continue;
    std::vector<bool> seen = Reachable(graph, s, /*ignore_direction=*/true, all);
    for (Vertex v = 0; v < n; ++v) {
      if (seen[v]) component[v] = next;
    }
    ++next;
  }
  return component;
}

// u and v share a strong component iff each reaches the other: one reachability set per
// vertex, O(n (n + m)).
std::vector<uint32_t> ReferenceStrong(const CsrGraph& graph) {
  const Vertex n = graph.num_vertices();
  const std::vector<bool> all(n, true);
  std::vector<std::vector<bool>> reaches(n);
  for (Vertex v = 0; v < n; ++v) reaches[v] = Reachable(graph, v, !graph.directed(), all);
  std::vector<uint32_t> component(n, UINT32_MAX);
  uint32_t next = 0;
  for (Vertex s = 0; s < n; ++s) {
    if (component[s] != UINT32_MAX) continue;
    for (Vertex v = s; v < n; ++v) {
      if (reaches[s][v] && reaches[v][s]) component[v] = next;
    }
    ++next;
  }
  return component;
}

void ExpectConsistent(const ComponentsResult& result) {
  std::vector<uint64_t> sizes(result.count, 0);
  for (uint32_t c : result.component) {
    ASSERT_LT(c, result.count);
    ++sizes[c];
  }
  EXPECT_EQ(sizes, result.sizes);
}

TEST(ComponentsTest, WeakMatchesBfsOnRandomGraphs) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 200; ++i) {
    CsrGraph graph = testing::RandomGraph(rng, testing::VariedSpec(rng, i));
    ComponentsResult result = WeaklyConnectedComponents(graph);
    SCOPED_TRACE(i);
    EXPECT_EQ(result.component, ReferenceWeak(graph));
    ExpectConsistent(result);
  }
}

TEST(ComponentsTest, StrongMatchesReachabilityOnRandomGraphs) {
  std::mt19937_64 rng(12);
  for (int i = 0; i < 200; ++i) {
    CsrGraph graph = testing::RandomGraph(rng, testing::VariedSpec(rng, i));
    ComponentsResult result = StronglyConnectedComponents(graph);
    SCOPED_TRACE(i);
    EXPECT_EQ(result.component, ReferenceStrong(graph));
    ExpectConsistent(result);
  }
}

TEST(ComponentsTest, WeakHandlesAGiantComponentWithStragglers) {
  // Large enough that the sampled giant component is skipped in the final sweep.
  std::mt19937_64 rng(13);
  for (bool directed : {false, true}) {
    testing::RandomGraphSpec spec{3000, 4000, directed, false};
    CsrGraph graph = testing::RandomGraph(rng, spec);
    EXPECT_EQ(WeaklyConnectedComponents(graph).component, ReferenceWeak(graph));
  }
}

// The threaded Afforest (compare-and-swap hooks, relaxed pointer updates) gives the same
// numbering as the reference for any thread count, also with more threads than vertices.
TEST(ComponentsTest, WeakThreadsMatchBfsOnRandomGraphs) {
  std::mt19937_64 rng(14);
  for (int i = 0; i < 200; ++i) {
    CsrGraph graph = testing::RandomGraph(rng, testing::VariedSpec(rng, i));
    const std::vector<uint32_t> expected = ReferenceWeak(graph);
    for (int threads : {1, 2, 3, 8}) {
      StatusOr<ComponentsResult> result = WeaklyConnectedComponents(graph, {.threads = threads});
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      SCOPED_TRACE(::testing::Message() << "graph " << i << " threads " << threads);
      EXPECT_EQ(result->component, expected);
      ExpectConsistent(*result);
    }
  }
}

// Large graphs with a giant component and many small ones, so that workers race on hooks and
// the sampled giant is skipped, directed and undirected.
TEST(ComponentsTest, WeakThreadsHandleAGiantComponentWithStragglers) {
  std::mt19937_64 rng(15);
  for (bool directed : {false, true}) {
    for (uint32_t edges : {2500u, 5000u}) {
      testing::RandomGraphSpec spec{4000, edges, directed, false};
      CsrGraph graph = testing::RandomGraph(rng, spec);
      const std::vector<uint32_t> expected = ReferenceWeak(graph);
      for (int threads : {2, 4}) {
        StatusOr<ComponentsResult> result = WeaklyConnectedComponents(graph, {.threads = threads});
        ASSERT_TRUE(result.ok());
        EXPECT_EQ(result->component, expected) << "directed " << directed << " threads " << threads;
      }
    }
  }
}

TEST(ComponentsTest, WeakRejectsNegativeThreads) {
  CsrGraph graph = CsrGraph::FromEdges(2, std::vector<Edge>{{0, 1}}, false, false);
  StatusOr<ComponentsResult> result = WeaklyConnectedComponents(graph, {.threads = -1});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("threads"), std::string::npos);
}

TEST(ComponentsTest, NumbersComponentsBySmallestVertex) {
  std::vector<Edge> edges = {{3, 1}, {2, 4}, {4, 0}};
  CsrGraph graph = CsrGraph::FromEdges(6, edges, /*directed=*/false, /*weighted=*/false);
  ComponentsResult result = WeaklyConnectedComponents(graph);
  EXPECT_EQ(result.component, (std::vector<uint32_t>{0, 1, 0, 1, 0, 2}));
  EXPECT_EQ(result.count, 3u);
  EXPECT_EQ(result.sizes, (std::vector<uint64_t>{3, 2, 1}));
}

TEST(ComponentsTest, StrongSeparatesACycleFromItsTail) {
  // 0 -> 1 -> 2 -> 0 is a cycle; 2 -> 3 -> 4 is a tail; 5 points into the cycle.
  std::vector<Edge> edges = {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {5, 1}};
  CsrGraph graph = CsrGraph::FromEdges(6, edges, /*directed=*/true, /*weighted=*/false);
  ComponentsResult strong = StronglyConnectedComponents(graph);
  EXPECT_EQ(strong.component, (std::vector<uint32_t>{0, 0, 0, 1, 2, 3}));
  EXPECT_EQ(strong.count, 4u);
  ComponentsResult weak = WeaklyConnectedComponents(graph);
  EXPECT_EQ(weak.count, 1u);
}

TEST(ComponentsTest, HandlesEmptyAndEdgelessGraphs) {
  CsrGraph empty = CsrGraph::FromEdges(0, {}, /*directed=*/true, /*weighted=*/false);
  EXPECT_EQ(WeaklyConnectedComponents(empty).count, 0u);
  EXPECT_EQ(StronglyConnectedComponents(empty).count, 0u);
  CsrGraph isolated = CsrGraph::FromEdges(4, {}, /*directed=*/true, /*weighted=*/false);
  EXPECT_EQ(WeaklyConnectedComponents(isolated).component, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(StronglyConnectedComponents(isolated).count, 4u);
}

TEST(ComponentsTest, StrongSurvivesALongCycleWithoutDeepRecursion) {
  const Vertex n = 300000;
  std::vector<Edge> edges;
  for (Vertex v = 0; v < n; ++v) edges.push_back({v, (v + 1) % n, 1.0f});
  CsrGraph graph = CsrGraph::FromEdges(n, edges, /*directed=*/true, /*weighted=*/false);
  EXPECT_EQ(StronglyConnectedComponents(graph).count, 1u);
}

TEST(BglAdapterTest, ModelsTheBglGraphConcepts) {
  BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<CsrGraph>));
  BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<CsrGraph>));
  BOOST_CONCEPT_ASSERT((boost::AdjacencyGraphConcept<CsrGraph>));
  BOOST_CONCEPT_ASSERT((boost::ReadablePropertyMapConcept<CsrVertexIndexMap, Vertex>));
  BOOST_CONCEPT_ASSERT((boost::ReadablePropertyMapConcept<CsrEdgeIndexMap, CsrArc>));
}

TEST(BglAdapterTest, OutEdgesMirrorTheCsrArcs) {
  std::vector<Edge> edges = {{0, 1, 2.0f}, {0, 2, 3.0f}, {2, 0, 5.0f}};
  CsrGraph graph = CsrGraph::FromEdges(3, edges, /*directed=*/true, /*weighted=*/true);
  EXPECT_EQ(num_vertices(graph), 3u);
  EXPECT_EQ(out_degree(0, graph), 2u);
  std::vector<float> seen_weights;
  for (Vertex v = 0; v < 3; ++v) {
    auto [begin, end] = out_edges(v, graph);
    for (auto it = begin; it != end; ++it) {
      EXPECT_EQ(source(*it, graph), v);
      seen_weights.push_back(graph.weights(v)[it - begin]);
      EXPECT_EQ(get(boost::edge_index, graph, *it), static_cast<uint64_t>(seen_weights.size() - 1));
    }
  }
  EXPECT_EQ(seen_weights, (std::vector<float>{2.0f, 3.0f, 5.0f}));
}

TEST(BglAdapterTest, BglConnectedComponentsAgreeOnUndirectedGraphs) {
  std::mt19937_64 rng(14);
  for (int i = 0; i < 50; ++i) {
    testing::RandomGraphSpec spec = testing::VariedSpec(rng, 2 * i);
    CsrGraph graph = testing::RandomGraph(rng, spec);
    std::vector<uint32_t> raw(graph.num_vertices());
    uint32_t count = boost::connected_components(
        graph, boost::make_iterator_property_map(raw.begin(), get(boost::vertex_index, graph)));
    ComponentsResult bgl = NumberBySmallestVertex(raw, count);
    EXPECT_EQ(bgl.component, WeaklyConnectedComponents(graph).component);
  }
}

TEST(BglAdapterTest, BglStrongComponentsAgreeOnDirectedGraphs) {
  std::mt19937_64 rng(15);
  for (int i = 0; i < 50; ++i) {
    CsrGraph graph = testing::RandomGraph(rng, testing::VariedSpec(rng, 2 * i + 1));
    std::vector<uint32_t> raw(graph.num_vertices());
    uint32_t count = boost::strong_components(
        graph, boost::make_iterator_property_map(raw.begin(), get(boost::vertex_index, graph)));
    EXPECT_EQ(NumberBySmallestVertex(raw, count).component,
              StronglyConnectedComponents(graph).component);
  }
}

TEST(BglAdapterTest, BglBreadthFirstSearchRunsInPlace) {
  std::vector<Edge> edges = {{0, 1}, {1, 2}, {2, 3}, {0, 3}, {3, 4}};
  CsrGraph graph = CsrGraph::FromEdges(5, edges, /*directed=*/false, /*weighted=*/false);
  std::vector<uint32_t> distance(5, 0);
  auto distances =
      boost::make_iterator_property_map(distance.begin(), get(boost::vertex_index, graph));
  boost::breadth_first_search(graph, Vertex{0},
                              boost::visitor(boost::make_bfs_visitor(
                                  boost::record_distances(distances, boost::on_tree_edge()))));
  EXPECT_EQ(distance, (std::vector<uint32_t>{0, 1, 2, 1, 2}));
}

}  // namespace
}  // namespace trafnet::algorithms
