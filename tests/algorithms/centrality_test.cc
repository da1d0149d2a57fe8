// Degree, PageRank and eigenvector centrality against hand-worked answers, networkx's values
// on Zachary's karate club, and dense references on random graphs.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "algorithms/centrality_reference.h"
#include "trafnet/algorithms/degree.h"
#include "trafnet/algorithms/eigenvector.h"
#include "trafnet/algorithms/pagerank.h"

namespace trafnet::algorithms {
namespace {

double MaxAbsDiff(const std::vector<double>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i)
    worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

CsrGraph Graph(Vertex n, std::vector<Edge> edges, bool directed, bool weighted = false) {
  return CsrGraph::FromEdges(n, edges, directed, weighted);
}

TEST(DegreeCentralityTest, UndirectedCountsSelfLoopTwiceLikeNetworkx) {
  const CsrGraph g = Graph(3, {{0, 1}, {1, 2}, {2, 2}}, false);
  EXPECT_EQ(DegreeCentrality(g, {}), (std::vector<double>{1, 2, 3}));
}

TEST(DegreeCentralityTest, DirectedOutInAndTotal) {
  const CsrGraph g = Graph(3, {{0, 1, 2.0f}, {0, 2, 3.0f}, {1, 2, 5.0f}}, true, true);
  DegreeOptions options;
  EXPECT_EQ(DegreeCentrality(g, options), (std::vector<double>{2, 1, 0}));
  options.direction = DegreeDirection::kIn;
  EXPECT_EQ(DegreeCentrality(g, options), (std::vector<double>{0, 1, 2}));
  options.direction = DegreeDirection::kTotal;
  EXPECT_EQ(DegreeCentrality(g, options), (std::vector<double>{2, 2, 2}));
  options.weighted = true;
  EXPECT_EQ(DegreeCentrality(g, options), (std::vector<double>{5, 7, 8}));
  options.direction = DegreeDirection::kIn;
  EXPECT_EQ(DegreeCentrality(g, options), (std::vector<double>{0, 2, 8}));
}

TEST(DegreeCentralityTest, NormalisedStarCentreIsOne) {
  const CsrGraph g = Graph(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}}, false);
  DegreeOptions options;
  options.normalized = true;
  EXPECT_EQ(DegreeCentrality(g, options), (std::vector<double>{1, 0.25, 0.25, 0.25, 0.25}));
}

TEST(DegreeCentralityTest, KarateClubDegrees) {
  const CsrGraph g = reference::KarateClub();
  ASSERT_EQ(g.num_arcs(), 156u);
  const std::vector<double> degree = DegreeCentrality(g, {});
  EXPECT_EQ(degree[0], 16);
  EXPECT_EQ(degree[33], 17);
  EXPECT_EQ(degree[32], 12);
}

PageRankOptions Exact() {
  PageRankOptions options;
  options.tolerance = 1e-13;
  options.max_iterations = 100000;
  return options;
}

TEST(PageRankTest, KarateClubMatchesNetworkx) {
  PageRankOptions options = Exact();
  options.tolerance = 1e-10;
  const auto result = PageRank(reference::KarateClub(), options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->converged);
  EXPECT_LT(result->residual, 1e-10);
  EXPECT_NEAR(result->scores[33], 0.10091791674871213, 1e-5);
  EXPECT_NEAR(result->scores[0], 0.09700181758983709, 1e-5);
  EXPECT_NEAR(std::accumulate(result->scores.begin(), result->scores.end(), 0.0), 1.0, 1e-12);
}

TEST(PageRankTest, MatchesDenseSolveOnRandomGraphs) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    reference::RandomGraphSpec spec;
    spec.directed = seed % 2 == 0;
    spec.weighted = seed % 4 < 2;
    const CsrGraph g = reference::RandomGraph(seed, spec);
    const auto result = PageRank(g, Exact());
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_TRUE(result->converged) << "seed " << seed;
    EXPECT_LT(MaxAbsDiff(result->scores, reference::PageRank(g, 0.85, {})), 1e-9)
        << "seed " << seed;
  }
}

TEST(PageRankTest, PersonalisedMatchesDenseSolveOnRandomGraphs) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    reference::RandomGraphSpec spec;
    spec.directed = seed % 2 == 1;
    spec.weighted = seed % 3 == 0;
    const CsrGraph g = reference::RandomGraph(1000 + seed, spec);
    PageRankOptions options = Exact();
    options.damping = 0.5 + 0.1 * static_cast<double>(seed % 5);
    options.seeds = {static_cast<Vertex>(seed % g.num_vertices()), 0, 0};
    const auto result = PageRank(g, options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_LT(MaxAbsDiff(result->scores, reference::PageRank(g, options.damping, options.seeds)),
              1e-9)
        << "seed " << seed;
  }
}

// A loose tolerance stops while contributions are still gathered as floats (the kernel
// switches to double only below an L1 change of 1e-5): the answer is then as close as power
// iteration promises, d r / (1 - d) in L1 for a last change r, plus the float rounding's
// 2^-24 d / (1 - d), and still sums to 1.
TEST(PageRankTest, LooseToleranceStaysWithinTheIterationBound) {
  for (uint64_t seed = 0; seed < 100; ++seed) {
    reference::RandomGraphSpec spec;
    spec.directed = seed % 2 == 0;
    spec.weighted = seed % 4 < 2;
    spec.min_vertices = seed < 90 ? 1 : 200;
    spec.max_vertices = seed < 90 ? 12 : 300;
    const CsrGraph g = reference::RandomGraph(2000 + seed, spec);
    PageRankOptions options;
    options.tolerance = 1e-4;
    options.seeds.clear();
    if (seed % 3 == 0) options.seeds = {static_cast<Vertex>(seed % g.num_vertices())};
    const auto result = PageRank(g, options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_TRUE(result->converged) << "seed " << seed;
    const std::vector<double> exact = reference::PageRank(g, options.damping, options.seeds);
    double l1 = 0.0;
    for (size_t v = 0; v < exact.size(); ++v) l1 += std::fabs(result->scores[v] - exact[v]);
    const double d = options.damping;
    EXPECT_LE(l1, (d * result->residual + d * 0x1p-24) / (1.0 - d)) << "seed " << seed;
    EXPECT_NEAR(std::accumulate(result->scores.begin(), result->scores.end(), 0.0), 1.0, 1e-12)
        << "seed " << seed;
  }
}

TEST(PageRankTest, PersonalisedScoreStaysWhereSeedsReach) {
  // 0 -> 1 -> 2, and 3 -> 4: seeds {0} never reach 3 or 4; vertex 2 is dangling and jumps
  // back to the seed.
  const CsrGraph g = Graph(5, {{0, 1}, {1, 2}, {3, 4}}, true);
  PageRankOptions options = Exact();
  options.seeds = {0};
  const auto result = PageRank(g, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->scores[3], 0.0);
  EXPECT_EQ(result->scores[4], 0.0);
  EXPECT_GT(result->scores[2], 0.0);
}

TEST(PageRankTest, FixedIterationCountRunsExactlyThatMany) {
  PageRankOptions options;
  options.tolerance = 0.0;
  options.max_iterations = 7;
  const auto result = PageRank(reference::KarateClub(), options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->iterations, 7);
  EXPECT_FALSE(result->converged);
  EXPECT_GT(result->residual, 0.0);
}

TEST(PageRankTest, ThreadCountDoesNotChangeScores) {
  reference::RandomGraphSpec spec;
  spec.directed = true;
  spec.weighted = true;
  spec.min_vertices = 10000;
  spec.max_vertices = 20000;
  const CsrGraph g = reference::RandomGraph(7, spec);
  PageRankOptions options;
  options.tolerance = 1e-12;
  const auto one = PageRank(g, options);
  options.threads = 2;
  const auto two = PageRank(g, options);
  options.threads = 3;
  const auto three = PageRank(g, options);
  ASSERT_TRUE(one.ok() && two.ok() && three.ok());
  EXPECT_EQ(one->scores, two->scores);
  EXPECT_EQ(one->scores, three->scores);
  EXPECT_EQ(one->iterations, two->iterations);
}

TEST(PageRankTest, RejectsBadOptionsWithReasons) {
  const CsrGraph g = Graph(3, {{0, 1, -1.0f}, {1, 2, 1.0f}}, true, true);
  PageRankOptions options;
  options.use_weights = false;
  options.damping = 1.0;
  EXPECT_NE(PageRank(g, options).status().message().find("damping"), std::string::npos);
  options = {};
  options.use_weights = false;
  options.tolerance = -1;
  EXPECT_FALSE(PageRank(g, options).ok());
  options.tolerance = 1e-6;
  options.max_iterations = 0;
  EXPECT_FALSE(PageRank(g, options).ok());
  options.max_iterations = 10;
  options.seeds = {3};
  EXPECT_NE(PageRank(g, options).status().message().find("seed vertex 3"), std::string::npos);
  options.seeds = {};
  EXPECT_TRUE(PageRank(g, options).ok());
  options.use_weights = true;
  EXPECT_NE(PageRank(g, options).status().message().find("weight"), std::string::npos);
}

TEST(PageRankTest, EmptyGraphGivesNoScores) {
  const auto result = PageRank(CsrGraph::FromEdges(0, {}, false, false), {});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->scores.empty());
}

TEST(EigenvectorCentralityTest, KarateClubMatchesNetworkx) {
  EigenvectorOptions options;
  options.tolerance = 34e-6;  // networkx's tol=1e-6 is per vertex
  auto result = EigenvectorCentrality(reference::KarateClub(), options);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->converged);
  EXPECT_NEAR(result->scores[0], 0.3554834941851943, 1e-9);
  EXPECT_NEAR(result->scores[33], 0.373371213013235, 1e-9);
  options.tolerance = 1e-13;
  options.max_iterations = 10000;
  result = EigenvectorCentrality(reference::KarateClub(), options);
  ASSERT_TRUE(result.ok());
  EXPECT_NEAR(result->scores[0], 0.3554834941851943, 1e-4);
  EXPECT_NEAR(result->scores[33], 0.373371213013235, 1e-4);
}

TEST(EigenvectorCentralityTest, SatisfiesEigenEquationOnConnectedGraphs) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    reference::RandomGraphSpec spec;
    spec.connected = true;
    spec.weighted = seed % 2 == 0;
    const CsrGraph g = reference::RandomGraph(2000 + seed, spec);
    EigenvectorOptions options;
    options.tolerance = 1e-14;
    options.max_iterations = 100000;
    const auto result = EigenvectorCentrality(g, options);
    ASSERT_TRUE(result.ok());
    const std::vector<double>& x = result->scores;
    std::vector<double> ax(g.num_vertices(), 0.0);
    reference::ForEachArc(g, [&](Vertex u, Vertex v, float w) { ax[v] += w * x[u]; });
    double lambda = 0.0, norm = 0.0;
    for (Vertex v = 0; v < g.num_vertices(); ++v) lambda += x[v] * ax[v], norm += x[v] * x[v];
    EXPECT_NEAR(norm, 1.0, 1e-12);
    for (Vertex v = 0; v < g.num_vertices(); ++v) {
      EXPECT_NEAR(ax[v], lambda * x[v], 1e-7) << "seed " << seed << " vertex " << v;
      EXPECT_GE(x[v], 0.0);
    }
  }
}

TEST(EigenvectorCentralityTest, RejectsBadOptions) {
  EigenvectorOptions options;
  options.max_iterations = 0;
  EXPECT_FALSE(EigenvectorCentrality(reference::KarateClub(), options).ok());
  options.max_iterations = 10;
  options.tolerance = -1.0;
  EXPECT_FALSE(EigenvectorCentrality(reference::KarateClub(), options).ok());
}

}  // namespace
}  // namespace trafnet::algorithms
