// Closeness and harmonic centrality: hand-worked answers, networkx's karate club values, and
// all-pairs Floyd-Warshall references on random graphs.
#include "trafnet/algorithms/closeness.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "algorithms/centrality_reference.h"

namespace trafnet::algorithms {
namespace {

CsrGraph Graph(Vertex n, std::vector<Edge> edges, bool directed) {
  return CsrGraph::FromEdges(n, edges, directed, false);
}

void ExpectNear(const StatusOr<std::vector<double>>& got, const std::vector<double>& want,
                double tol, const std::string& what) {
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), want.size()) << what;
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR((*got)[i], want[i], tol) << what << " v" << i;
}

TEST(ClosenessTest, PathAndStar) {
  const CsrGraph path = Graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}}, false);
  ExpectNear(Closeness(path, {}), {0.4, 4.0 / 7, 4.0 / 6, 4.0 / 7, 0.4}, 1e-12, "path");
  const CsrGraph star = Graph(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}}, false);
  ExpectNear(Closeness(star, {}), {1, 4.0 / 7, 4.0 / 7, 4.0 / 7, 4.0 / 7}, 1e-12, "star");
}

TEST(ClosenessTest, WassermanFaustScalesByReach) {
  // Two separate edges: each vertex reaches 1 of the 3 others at distance 1.
  const CsrGraph g = Graph(4, {{0, 1}, {2, 3}}, false);
  ExpectNear(Closeness(g, {}), {1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3}, 1e-12, "wf");
  ClosenessOptions options;
  options.wf_improved = false;
  ExpectNear(Closeness(g, options), {1, 1, 1, 1}, 1e-12, "plain");
}

TEST(ClosenessTest, DirectedUsesIncomingDistancesByDefault) {
  const CsrGraph g = Graph(3, {{0, 1}, {1, 2}}, true);
  ExpectNear(Closeness(g, {}), {0, 0.5, 2.0 / 3}, 1e-12, "incoming");
  ClosenessOptions options;
  options.direction = PathDirection::kOutgoing;
  ExpectNear(Closeness(g, options), {2.0 / 3, 0.5, 0}, 1e-12, "outgoing");
}

TEST(ClosenessTest, KarateClubMatchesNetworkx) {
  const auto c = Closeness(reference::KarateClub(), {});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 34u);
  EXPECT_NEAR((*c)[0], 33.0 / 58, 1e-12);   // networkx: 0.5689655172413793
  EXPECT_NEAR((*c)[33], 33.0 / 60, 1e-12);  // networkx: 0.55
}

TEST(HarmonicCentralityTest, PathGraph) {
  const CsrGraph path = Graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}}, false);
  const double end = 1 + 1.0 / 2 + 1.0 / 3 + 1.0 / 4;
  const double next = 1 + 1 + 1.0 / 2 + 1.0 / 3;
  ExpectNear(HarmonicCentrality(path, {}), {end, next, 3, next, end}, 1e-12, "path");
  HarmonicOptions options;
  options.normalized = true;
  ExpectNear(HarmonicCentrality(path, options), {end / 4, 17.0 / 24, 0.75, 17.0 / 24, end / 4},
             1e-12, "normalised");
}

TEST(ClosenessTest, MatchesAllPairsReferenceOnRandomGraphs) {
  const EdgeLength lengths[] = {EdgeLength::kHops, EdgeLength::kWeight, EdgeLength::kInverseWeight};
  for (uint64_t seed = 0; seed < 200; ++seed) {
    reference::RandomGraphSpec spec;
    spec.directed = seed % 2 == 0;
    spec.weighted = true;
    const CsrGraph g = reference::RandomGraph(500 + seed, spec);
    for (EdgeLength length : lengths) {
      for (PathDirection direction : {PathDirection::kIncoming, PathDirection::kOutgoing}) {
        const bool incoming = direction == PathDirection::kIncoming || !g.directed();
        const std::string what = "seed " + std::to_string(seed);
        ClosenessOptions options;
        options.length = length;
        options.direction = direction;
        options.wf_improved = seed % 3 != 0;
        options.threads = 1 + static_cast<int>(seed % 2);
        ExpectNear(Closeness(g, options),
                   reference::Closeness(g, length, incoming, options.wf_improved), 1e-12, what);
        HarmonicOptions harmonic;
        harmonic.length = length;
        harmonic.direction = direction;
        harmonic.threads = options.threads;
        ExpectNear(HarmonicCentrality(g, harmonic), reference::Harmonic(g, length, incoming), 1e-12,
                   what);
      }
    }
  }
}

TEST(ClosenessTest, RejectsWeightedLengthsWithoutWeights) {
  const CsrGraph g = Graph(2, {{0, 1}}, false);
  ClosenessOptions options;
  options.length = EdgeLength::kInverseWeight;
  EXPECT_FALSE(Closeness(g, options).ok());
  HarmonicOptions harmonic;
  harmonic.threads = -2;
  EXPECT_NE(HarmonicCentrality(g, harmonic).status().message().find("threads"), std::string::npos);
}

// Progress counts finished searches, one per vertex.
TEST(ClosenessTest, ReportsProgressUpToEveryVertex) {
  CsrGraph g = reference::RandomGraph(5, {.connected = true, .min_vertices = 500, .max_vertices = 500});
  uint64_t last = 0, total = 0;
  size_t calls = 0;
  ClosenessOptions options;
  options.threads = 2;
  options.progress = [&](uint64_t done, uint64_t of) {
    EXPECT_GT(done, last);
    last = done;
    total = of;
    ++calls;
  };
  ASSERT_TRUE(Closeness(g, options).ok());
  EXPECT_GT(calls, 1u);
  EXPECT_EQ(last, 500u);
  EXPECT_EQ(total, 500u);
}

}  // namespace
}  // namespace trafnet::algorithms
