// Triangles, clustering and Burt's structural-hole measures: hand-worked answers, networkx's
// karate club average clustering, and brute-force references on random graphs.
#include "trafnet/algorithms/clustering.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "algorithms/centrality_reference.h"
#include "trafnet/algorithms/brokerage.h"

namespace trafnet::algorithms {
namespace {

TEST(ClusteringTest, TriangleWithTailIgnoringLoopsAndRepeats) {
  // Triangle 0-1-2 (edge 0-1 twice), a tail 2-3 and a self-loop on 3.
  const CsrGraph g = CsrGraph::FromEdges(
      4, std::vector<Edge>{{0, 1}, {1, 0}, {1, 2}, {2, 0}, {2, 3}, {3, 3}}, false, false);
  const auto result = Clustering(g, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->triangles, (std::vector<uint64_t>{1, 1, 1, 0}));
  EXPECT_EQ(result->total_triangles, 1u);
  EXPECT_EQ(result->coefficients, (std::vector<double>{1, 1, 1.0 / 3, 0}));
  EXPECT_DOUBLE_EQ(result->average_clustering, (1 + 1 + 1.0 / 3) / 4);
  EXPECT_DOUBLE_EQ(result->transitivity, 3.0 / 5);  // 3 triangles' corners / 5 triples
}

TEST(ClusteringTest, KarateClubMatchesNetworkx) {
  const auto result = Clustering(reference::KarateClub(), {});
  ASSERT_TRUE(result.ok());
  EXPECT_NEAR(result->average_clustering, 0.5706384782076823, 1e-12);
  EXPECT_EQ(result->total_triangles, 45u);
  EXPECT_NEAR(result->transitivity, 0.2556818181818182, 1e-12);
}

// Clustering of g on 1, 2 or 3 threads, by seed.
StatusOr<ClusteringResult> ClusteringOnSomeThreads(const CsrGraph& g, uint64_t seed) {
  ClusteringOptions options;
  options.threads = 1 + static_cast<int>(seed % 3);
  return Clustering(g, options);
}

TEST(ClusteringTest, MatchesBruteForceOnRandomGraphs) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    reference::RandomGraphSpec spec;
    spec.max_vertices = 14;
    const CsrGraph g = reference::RandomGraph(3000 + seed, spec);
    const auto result = ClusteringOnSomeThreads(g, seed);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->triangles, reference::Triangles(g)) << "seed " << seed;
  }
}

// The distinct-neighbour counts k(v) behind the coefficients come from the oriented lists;
// check them, and the totals, against the definitions on multigraphs with loops and repeats.
TEST(ClusteringTest, CoefficientsAndTransitivityMatchDefinitionsOnRandomGraphs) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    reference::RandomGraphSpec spec;
    spec.min_vertices = 3;
    spec.max_vertices = 16;
    const CsrGraph g = reference::RandomGraph(5000 + seed, spec);
    const auto result = ClusteringOnSomeThreads(g, seed);
    ASSERT_TRUE(result.ok());
    const std::vector<uint64_t> triangles = reference::Triangles(g);
    const Vertex n = g.num_vertices();
    double coefficient_sum = 0.0, triples = 0.0;
    uint64_t corners = 0;
    for (Vertex v = 0; v < n; ++v) {
      std::vector<bool> seen(n, false);
      double k = 0.0;
      for (Vertex u : g.neighbours(v)) {
        if (u != v && !seen[u]) seen[u] = true, k += 1.0;
      }
      const double expected =
          k < 2.0 ? 0.0 : static_cast<double>(triangles[v]) / (k * (k - 1.0) / 2.0);
      EXPECT_DOUBLE_EQ(result->coefficients[v], expected) << "seed " << seed << " vertex " << v;
      coefficient_sum += expected;
      if (k >= 2.0) triples += k * (k - 1.0) / 2.0;
      corners += triangles[v];
    }
    EXPECT_EQ(result->total_triangles, corners / 3) << "seed " << seed;
    EXPECT_DOUBLE_EQ(result->average_clustering, coefficient_sum / n) << "seed " << seed;
    EXPECT_DOUBLE_EQ(result->transitivity,
                     triples > 0.0 ? static_cast<double>(corners / 3) / triples * 3.0 : 0.0)
        << "seed " << seed;
  }
}

TEST(ClusteringTest, RejectsDirectedGraphs) {
  const CsrGraph g = CsrGraph::FromEdges(2, std::vector<Edge>{{0, 1}}, true, false);
  EXPECT_NE(Clustering(g, {}).status().message().find("directed=false"), std::string::npos);
}

void ExpectSameOrBothNaN(const std::vector<double>& got, const std::vector<double>& want,
                         const std::string& what) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << what << " v" << i;
    } else {
      EXPECT_NEAR(got[i], want[i], 1e-12) << what << " v" << i;
    }
  }
}

TEST(ConstraintTest, StarCentreIsUnconstrainedLeavesAreFully) {
  // Star with 4 leaves plus an isolated vertex 5: centre constraint 4 * (1/4)^2, leaves 1;
  // effective size 4 for the centre, 1 for a leaf; NaN for the isolated vertex.
  const CsrGraph g =
      CsrGraph::FromEdges(6, std::vector<Edge>{{0, 1}, {0, 2}, {0, 3}, {0, 4}}, false, false);
  const auto result = StructuralHoles(g, {});
  ASSERT_TRUE(result.ok());
  const double nan = std::nan("");
  ExpectSameOrBothNaN(result->constraint, {0.25, 1, 1, 1, 1, nan}, "constraint");
  ExpectSameOrBothNaN(result->effective_size, {4, 1, 1, 1, 1, nan}, "effective size");
}

TEST(ConstraintTest, EffectiveSizeIsBorgattiOnKarateClub) {
  const CsrGraph g = reference::KarateClub();
  const auto result = StructuralHoles(g, {});
  ASSERT_TRUE(result.ok());
  const auto clustering = Clustering(g, {});
  ASSERT_TRUE(clustering.ok());
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    const double k = static_cast<double>(g.degree(v));
    const double ties = static_cast<double>(clustering->triangles[v]);
    EXPECT_NEAR(result->effective_size[v], k - 2 * ties / k, 1e-12) << v;
  }
}

TEST(ConstraintTest, MatchesNetworkxFormulasOnRandomGraphs) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    reference::RandomGraphSpec spec;
    spec.directed = seed % 2 == 0;
    spec.weighted = seed % 4 < 2;
    const CsrGraph g = reference::RandomGraph(4000 + seed, spec);
    StructuralHolesOptions options;
    options.threads = 1 + static_cast<int>(seed % 2);
    const auto result = StructuralHoles(g, options);
    ASSERT_TRUE(result.ok());
    const std::string what = "seed " + std::to_string(seed);
    ExpectSameOrBothNaN(result->constraint, reference::Constraint(g), what);
    ExpectSameOrBothNaN(result->effective_size, reference::EffectiveSize(g), what);
  }
}

TEST(ConstraintTest, RejectsNegativeWeightsUnlessUnweighted) {
  const CsrGraph g = CsrGraph::FromEdges(2, std::vector<Edge>{{0, 1, -2.0f}}, false, true);
  EXPECT_FALSE(StructuralHoles(g, {}).ok());
  StructuralHolesOptions options;
  options.use_weights = false;
  EXPECT_TRUE(StructuralHoles(g, options).ok());
}

}  // namespace
}  // namespace trafnet::algorithms
