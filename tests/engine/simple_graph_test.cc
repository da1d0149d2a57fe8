// BuildSimpleGraph (engine/src/simple_graph.h) against an obviously-correct reference: a map
// from each (from, to) pair to the sum of its weights, on random edge lists with self-loops,
// repeats in both orientations, and vertices with long adjacency lists.
#include "simple_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <utility>
#include <vector>

namespace trafnet::engine {
namespace {

using algorithms::Vertex;

// Each vertex's sorted neighbours with their summed weights, as the graph should hold them.
std::vector<std::map<Vertex, double>> Reference(Vertex n, const std::vector<WeightedEdge>& edges,
                                                bool directed) {
  std::vector<std::map<Vertex, double>> adjacency(n);
  for (const WeightedEdge& e : edges) {
    if (e.from == e.to) continue;
    adjacency[e.from][e.to] += e.weight;
    if (!directed) adjacency[e.to][e.from] += e.weight;
  }
  return adjacency;
}

TEST(SimpleGraphTest, MatchesAMapOfSummedPairsOnRandomEdgeLists) {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    const Vertex n = 1 + random() % 40;
    // Some rounds crowd a few vertices so that lists run past the short-list sort.
    const Vertex span = round % 3 == 0 ? std::min<Vertex>(n, 3) : n;
    std::vector<WeightedEdge> edges(random() % 300);
    for (WeightedEdge& e : edges) {
      e.from = random() % span;
      e.to = random() % n;
      e.weight = static_cast<double>(1 + random() % 1000) / static_cast<double>(1 + random() % 7);
    }
    for (bool directed : {false, true}) {
      for (bool weighted : {false, true}) {
        const auto expected = Reference(n, edges, directed);
        std::vector<WeightedEdge> input = edges;
        const algorithms::CsrGraph graph = BuildSimpleGraph(n, input, directed, weighted);
        ASSERT_EQ(graph.num_vertices(), n);
        EXPECT_EQ(graph.directed(), directed);
        EXPECT_EQ(graph.weighted(), weighted && graph.num_arcs() > 0);  // no arcs, no weights
        EXPECT_TRUE(input.empty());
        for (Vertex v = 0; v < n; ++v) {
          const auto targets = graph.neighbours(v);
          ASSERT_EQ(targets.size(), expected[v].size()) << "round " << round << " vertex " << v;
          size_t i = 0;
          for (const auto& [target, weight] : expected[v]) {
            EXPECT_EQ(targets[i], target) << "round " << round << " vertex " << v;
            if (weighted) {
              EXPECT_EQ(graph.weights(v)[i], static_cast<float>(weight));
            }
            ++i;
          }
        }
      }
    }
  }
}

// Edges given in parts and built on several threads make exactly the graph of the joined list
// (weights summed in the same order, so bit for bit).
TEST(SimpleGraphTest, PartsAndThreadsMakeTheGraphOfTheJoinedList) {
  std::mt19937 random(11);
  for (int round = 0; round < 40; ++round) {
    const Vertex n = 1 + random() % (round % 2 == 0 ? 50 : 5000);
    std::vector<WeightedEdge> edges(random() % 20000);
    for (WeightedEdge& e : edges) {
      e.from = random() % n;
      e.to = random() % (round % 4 == 1 ? std::min<Vertex>(n, 5) : n);
      e.weight = static_cast<double>(1 + random() % 1000) / static_cast<double>(1 + random() % 7);
    }
    for (bool directed : {false, true}) {
      for (bool weighted : {false, true}) {
        std::vector<WeightedEdge> joined = edges;
        const algorithms::CsrGraph expected = BuildSimpleGraph(n, joined, directed, weighted);
        for (unsigned threads : {1u, 2u, 3u}) {
          // Deal the edges into 1-4 parts at random (some empty).
          std::vector<std::vector<WeightedEdge>> parts(1 + random() % 4);
          for (const WeightedEdge& e : edges)
            parts[random() % parts.size() == 0 ? 0 : parts.size() - 1].push_back(e);
          std::vector<WeightedEdge> in_order;
          for (const auto& part : parts) in_order.insert(in_order.end(), part.begin(), part.end());
          std::vector<WeightedEdge> reordered = in_order;
          const algorithms::CsrGraph reference = BuildSimpleGraph(n, reordered, directed, weighted);
          const algorithms::CsrGraph graph =
              BuildSimpleGraph(n, parts, directed, weighted, threads);
          for (const auto& part : parts) EXPECT_TRUE(part.empty());
          ASSERT_EQ(graph.num_arcs(), expected.num_arcs());
          for (Vertex v = 0; v < n; ++v) {
            const auto got = graph.neighbours(v), want = reference.neighbours(v);
            ASSERT_TRUE(std::equal(got.begin(), got.end(), want.begin(), want.end()))
                << "round " << round << " vertex " << v << " threads " << threads;
            if (weighted) {
              const auto got_weights = graph.weights(v), want_weights = reference.weights(v);
              ASSERT_TRUE(std::equal(got_weights.begin(), got_weights.end(), want_weights.begin(),
                                     want_weights.end()))
                  << "round " << round << " vertex " << v << " threads " << threads;
            }
          }
        }
      }
    }
  }
}

TEST(SimpleGraphTest, SumsRepeatsInDoubleAndRoundsOnce) {
  // 0.1 added ten times in float drifts from 1; in double it rounds to exactly 1.0f.
  std::vector<WeightedEdge> edges(10, WeightedEdge{0, 1, 0.1});
  const algorithms::CsrGraph graph =
      BuildSimpleGraph(2, edges, /*directed=*/false, /*weighted=*/true);
  ASSERT_EQ(graph.neighbours(0).size(), 1u);
  EXPECT_EQ(graph.weights(0)[0], 1.0f);
  EXPECT_EQ(graph.weights(1)[0], 1.0f);
}

}  // namespace
}  // namespace trafnet::engine
