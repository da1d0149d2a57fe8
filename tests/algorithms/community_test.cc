#include "trafnet/algorithms/community.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "algorithms/community_reference.h"

namespace trafnet::algorithms {
namespace {

// The dense symmetric adjacency matrix, a directed arc counting as an undirected edge and a
// self-loop of weight w as A_vv = 2w, as in the textbook formula.
std::vector<std::vector<double>> Adjacency(const CsrGraph& graph) {
  const Vertex n = graph.num_vertices();
  std::vector<std::vector<double>> a(n, std::vector<double>(n, 0.0));
  for (Vertex u = 0; u < n; ++u) {
    for (size_t i = 0; i < graph.degree(u); ++i) {
      const Vertex v = graph.neighbours(u)[i];
      const double w = graph.weighted() ? graph.weights(u)[i] : 1.0;
      a[u][v] += w;
      if (graph.directed()) a[v][u] += w;
    }
  }
  return a;
}

// Q = 1/2m sum_ij [A_ij - γ k_i k_j / 2m] δ(c_i, c_j), over all ordered vertex pairs.
double ReferenceModularity(const CsrGraph& graph, const std::vector<uint32_t>& membership,
                           double resolution) {
  std::vector<std::vector<double>> a = Adjacency(graph);
  const size_t n = a.size();
  std::vector<double> k(n, 0.0);
  double two_m = 0.0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) k[i] += a[i][j];
    two_m += k[i];
  }
  if (two_m == 0.0) return 0.0;
  double q = 0.0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (membership[i] == membership[j]) q += a[i][j] - resolution * k[i] * k[j] / two_m;
    }
  }
  return q / two_m;
}

// CPM: internal edge weight (each edge once) minus γ per internal vertex pair.
double ReferenceCpm(const CsrGraph& graph, const std::vector<uint32_t>& membership,
                    double resolution) {
  std::vector<std::vector<double>> a = Adjacency(graph);
  double h = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < a.size(); ++j) {
      if (membership[i] != membership[j]) continue;
      h += a[i][j] / 2.0;
      if (i < j) h -= resolution;
    }
  }
  return h;
}

CsrGraph TwoCliquesJoinedByOneEdge(bool directed) {
  std::vector<Edge> edges;
  for (Vertex base : {0u, 6u}) {
    for (Vertex u = 0; u < 6; ++u) {
      for (Vertex v = u + 1; v < 6; ++v) edges.push_back({base + u, base + v});
    }
  }
  edges.push_back({5, 6});
  return CsrGraph::FromEdges(12, edges, directed, /*weighted=*/false);
}

void ExpectWellFormed(const CsrGraph& graph, const CommunityResult& result) {
  ASSERT_EQ(result.membership.size(), graph.num_vertices());
  ASSERT_EQ(result.sizes.size(), result.count);
  std::vector<uint64_t> sizes(result.count, 0);
  std::vector<Vertex> smallest(result.count, UINT32_MAX);
  for (Vertex v = 0; v < graph.num_vertices(); ++v) {
    ASSERT_LT(result.membership[v], result.count);
    ++sizes[result.membership[v]];
    smallest[result.membership[v]] = std::min(smallest[result.membership[v]], v);
  }
  EXPECT_EQ(sizes, result.sizes);
  for (uint32_t c = 1; c < result.count; ++c) {
    EXPECT_TRUE(sizes[c - 1] > sizes[c] ||
                (sizes[c - 1] == sizes[c] && smallest[c - 1] < smallest[c]))
        << "communities " << c - 1 << " and " << c << " are out of order";
  }
  EXPECT_NEAR(result.modularity, ReferenceModularity(graph, result.membership, 1.0), 1e-9);
}

// Whether moving any single vertex to another community, or alone, raises the quality.
bool HasImprovingMove(const CsrGraph& graph, std::vector<uint32_t> membership,
                      QualityFunction quality, double resolution) {
  auto score = [&](const std::vector<uint32_t>& m) {
    return quality == QualityFunction::kModularity ? ReferenceModularity(graph, m, resolution)
                                                   : ReferenceCpm(graph, m, resolution);
  };
  const double base = score(membership);
  const uint32_t fresh = graph.num_vertices();
  for (Vertex v = 0; v < graph.num_vertices(); ++v) {
    const uint32_t own = membership[v];
    std::set<uint32_t> targets(membership.begin(), membership.end());
    targets.insert(fresh);
    for (uint32_t c : targets) {
      membership[v] = c;
      if (c != own && score(membership) > base + 1e-9) return true;
    }
    membership[v] = own;
  }
  return false;
}

TEST(ModularityTest, MatchesPairwiseFormulaOnRandomGraphs) {
  std::mt19937_64 rng(31);
  for (int i = 0; i < 200; ++i) {
    CsrGraph graph = testing::RandomGraph(rng, testing::VariedSpec(rng, i));
    std::vector<uint32_t> membership(graph.num_vertices());
    const uint32_t labels = std::uniform_int_distribution<uint32_t>(1, 4)(rng);
    // Odd graphs get huge labels, which must work as well as dense ones.
    const uint32_t spread = i % 2 == 1 ? 1000000007u : 1u;
    for (uint32_t& label : membership) label = (rng() % labels) * spread;
    for (double resolution : {0.0, 0.5, 1.0, 2.0}) {
      SCOPED_TRACE(::testing::Message() << "graph " << i << " resolution " << resolution);
      StatusOr<double> q = Modularity(graph, membership, resolution);
      ASSERT_TRUE(q.ok()) << q.status().ToString();
      EXPECT_NEAR(*q, ReferenceModularity(graph, membership, resolution), 1e-9);
      StatusOr<double> h = CpmQuality(graph, membership, resolution);
      ASSERT_TRUE(h.ok());
      EXPECT_NEAR(*h, ReferenceCpm(graph, membership, resolution), 1e-9);
    }
  }
}

TEST(ModularityTest, KarateFactionSplitsHaveKnownModularity) {
  CsrGraph karate = testing::KarateClub();
  std::vector<uint32_t> factions = testing::KarateFactions();
  StatusOr<double> q = Modularity(karate, factions);
  ASSERT_TRUE(q.ok());
  EXPECT_NEAR(*q, 0.358235, 1e-6);  // NetworkX, "club" attribute
  // Zachary's own split puts member 9 (vertex 8) with the officer: the textbook 0.3715.
  factions[8] = 1;
  q = Modularity(karate, factions);
  ASSERT_TRUE(q.ok());
  EXPECT_NEAR(*q, 0.371466, 1e-6);
}

TEST(ModularityTest, RejectsBadInputWithActionableErrors) {
  CsrGraph karate = testing::KarateClub();
  std::vector<uint32_t> short_membership(10, 0);
  StatusOr<double> q = Modularity(karate, short_membership);
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("one community label per vertex"), std::string::npos);
  std::vector<uint32_t> membership(34, 0);
  EXPECT_FALSE(Modularity(karate, membership, -1.0).ok());
  EXPECT_FALSE(Modularity(karate, membership, NAN).ok());
  std::vector<Edge> edges = {{0, 1, -2.0f}};
  CsrGraph negative = CsrGraph::FromEdges(2, edges, /*directed=*/false, /*weighted=*/true);
  StatusOr<double> bad = Modularity(negative, std::vector<uint32_t>{0, 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("0 -> 1"), std::string::npos);
}

TEST(LeidenTest, FindsTheKarateClubOptimum) {
  CsrGraph karate = testing::KarateClub();
  int optimal_runs = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    StatusOr<CommunityResult> result = Leiden(karate, {.seed = seed});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ExpectWellFormed(karate, *result);
    EXPECT_GE(result->modularity, 0.4197) << "seed " << seed;
    EXPECT_TRUE(testing::AllCommunitiesConnected(karate, result->membership));
    if (result->modularity > 0.419789 && result->count == 4) ++optimal_runs;
  }
  EXPECT_GE(optimal_runs, 3);
}

TEST(LeidenTest, SplitsTwoCliquesJoinedByOneEdge) {
  for (bool directed : {false, true}) {
    for (QualityFunction quality : {QualityFunction::kModularity, QualityFunction::kCpm}) {
      CsrGraph graph = TwoCliquesJoinedByOneEdge(directed);
      StatusOr<CommunityResult> result = Leiden(
          graph, {.quality = quality, .resolution = quality == QualityFunction::kCpm ? 0.5 : 1.0});
      ASSERT_TRUE(result.ok());
      EXPECT_EQ(result->count, 2u);
      EXPECT_EQ(result->membership, (std::vector<uint32_t>{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}));
    }
  }
}

// Run i of the random-graph tests: CPM at 0.3 for every third, else modularity at the
// resolution given.
LeidenOptions VariedLeidenOptions(int i, double modularity_resolution) {
  const bool cpm = i % 3 == 0;
  return {.seed = static_cast<uint64_t>(i),
          .quality = cpm ? QualityFunction::kCpm : QualityFunction::kModularity,
          .resolution = cpm ? 0.3 : modularity_resolution};
}

// Well formed, every community connected, and the quality the reference computes.
void ExpectConnectedWithItsQuality(const CsrGraph& graph, const CommunityResult& result,
                                   const LeidenOptions& options) {
  ExpectWellFormed(graph, result);
  EXPECT_TRUE(testing::AllCommunitiesConnected(graph, result.membership));
  const double expected_quality =
      options.quality == QualityFunction::kCpm
          ? ReferenceCpm(graph, result.membership, options.resolution)
          : ReferenceModularity(graph, result.membership, options.resolution);
  EXPECT_NEAR(result.quality, expected_quality, 1e-9);
}

TEST(LeidenTest, CommunitiesAreConnectedAndLocallyOptimalOnRandomGraphs) {
  std::mt19937_64 rng(32);
  for (int i = 0; i < 200; ++i) {
    testing::RandomGraphSpec spec = testing::VariedSpec(rng, i);
    CsrGraph graph = testing::RandomGraph(rng, spec);
    const LeidenOptions options = VariedLeidenOptions(i, i % 3 == 1 ? 1.0 : 1.7);
    StatusOr<CommunityResult> result = Leiden(graph, options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    ExpectConnectedWithItsQuality(graph, *result, options);
    EXPECT_FALSE(HasImprovingMove(graph, result->membership, options.quality, options.resolution));
  }
}

TEST(LeidenTest, ToleranceEndsTheRunAfterTheSecondIterationsLocalMoving) {
  // A tolerance of 1 (a modularity gain of 1, more than any move can give) stops every run at
  // its second iteration's local moving, so that path is tested on every graph; 0 runs until
  // an iteration no longer improves.
  std::mt19937_64 rng(35);
  int longer_runs = 0;
  for (int i = 0; i < 200; ++i) {
    testing::RandomGraphSpec spec = testing::VariedSpec(rng, i);
    CsrGraph graph = testing::RandomGraph(rng, spec);
    LeidenOptions options = VariedLeidenOptions(i, 1.0);
    options.tolerance = 1.0;
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    StatusOr<CommunityResult> settled = Leiden(graph, options);
    LeidenOptions exact_options = options;
    exact_options.tolerance = 0.0;
    StatusOr<CommunityResult> exact = Leiden(graph, exact_options);
    LeidenOptions once_options = options;
    once_options.max_iterations = 1;
    StatusOr<CommunityResult> once = Leiden(graph, once_options);
    ASSERT_TRUE(settled.ok() && exact.ok() && once.ok()) << settled.status().ToString();
    ExpectConnectedWithItsQuality(graph, *settled, options);
    EXPECT_EQ(settled->iterations, std::min(exact->iterations, 2));
    // The first iteration is the same run; the second's moves only raise the quality.
    EXPECT_GE(settled->quality, once->quality - 1e-12);
    longer_runs += exact->iterations > 2;
  }
  EXPECT_GT(longer_runs, 0);  // so the stop above is the tolerance's doing
}

TEST(LeidenTest, RecoversAPlantedPartition) {
  std::mt19937_64 rng(33);
  CsrGraph graph = testing::PlantedPartition(rng, 5, 40, 0.4, 0.01, /*weighted=*/true);
  StatusOr<CommunityResult> result = Leiden(graph, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->count, 5u);
  for (Vertex v = 0; v < graph.num_vertices(); ++v) {
    EXPECT_EQ(result->membership[v], result->membership[v - v % 40]) << v;
  }
}

TEST(LeidenTest, CpmAboveEdgeDensityLeavesSingletons) {
  CsrGraph karate = testing::KarateClub();
  StatusOr<CommunityResult> result =
      Leiden(karate, {.quality = QualityFunction::kCpm, .resolution = 1.5});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->count, 34u);
}

TEST(LeidenTest, SameSeedSameResultWhateverTheThreadCount) {
  std::mt19937_64 rng(34);
  CsrGraph graph = testing::PlantedPartition(rng, 8, 30, 0.2, 0.03, /*weighted=*/false);
  StatusOr<CommunityResult> first = Leiden(graph, {.seed = 7});
  StatusOr<CommunityResult> again = Leiden(graph, {.seed = 7});
  StatusOr<CommunityResult> threaded = Leiden(graph, {.seed = 7, .threads = 4});
  ASSERT_TRUE(first.ok() && again.ok() && threaded.ok());
  EXPECT_EQ(first->membership, again->membership);
  EXPECT_EQ(first->membership, threaded->membership);
  EXPECT_EQ(first->modularity, threaded->modularity);
  // Refinement and aggregation run in parallel: any thread count draws the same numbers.
  for (int i = 0; i < 100; ++i) {
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    CsrGraph random = testing::RandomGraph(rng, testing::VariedSpec(rng, i));
    StatusOr<CommunityResult> one = Leiden(random, {.seed = static_cast<uint64_t>(i)});
    StatusOr<CommunityResult> two =
        Leiden(random, {.seed = static_cast<uint64_t>(i), .threads = 2});
    StatusOr<CommunityResult> three =
        Leiden(random, {.seed = static_cast<uint64_t>(i), .threads = 3});
    ASSERT_TRUE(one.ok() && two.ok() && three.ok());
    EXPECT_EQ(one->membership, two->membership);
    EXPECT_EQ(one->membership, three->membership);
    EXPECT_EQ(one->quality, three->quality);
  }
}

// Big enough for local moving to go in several blocks on several workers (community_internal's
// test checks that step alone): the same partition for any thread count, and the planted one.
TEST(LeidenTest, SameResultWhateverTheThreadCountOnAGraphOfManyBlocks) {
  std::mt19937_64 rng(35);
  // (Groups well above modularity's resolution limit: about 1000 edges inside each, sqrt(2m) ~
  // 470.)
  const uint32_t groups = 100, group_size = 100, n = groups * group_size;
  std::vector<Vertex> id(n);
  for (uint32_t i = 0; i < n; ++i) id[i] = i;
  std::shuffle(id.begin(), id.end(), rng);
  std::uniform_int_distribution<uint32_t> member(0, group_size - 1), anyone(0, n - 1);
  std::vector<Edge> edges;
  for (uint32_t v = 0; v < n; ++v) {
    for (int e = 0; e < 10; ++e) {
      const uint32_t u = e < 9 ? v - v % group_size + member(rng) : anyone(rng);
      if (u != v) edges.push_back({id[v], id[u], 1.0f});
    }
  }
  const CsrGraph graph = CsrGraph::FromEdges(n, edges, /*directed=*/false, /*weighted=*/false);
  StatusOr<CommunityResult> one = Leiden(graph, {.seed = 3});
  StatusOr<CommunityResult> two = Leiden(graph, {.seed = 3, .threads = 2});
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(one->membership, two->membership);
  EXPECT_EQ(one->modularity, two->modularity);
  EXPECT_EQ(one->count, groups);
  for (uint32_t v = 0; v < n; ++v) {
    EXPECT_EQ(one->membership[id[v]], one->membership[id[v - v % group_size]]) << v;
  }
}

TEST(LeidenTest, RejectsBadOptions) {
  CsrGraph karate = testing::KarateClub();
  EXPECT_FALSE(Leiden(karate, {.resolution = -0.5}).ok());
  EXPECT_FALSE(Leiden(karate, {.resolution = INFINITY}).ok());
  EXPECT_FALSE(Leiden(karate, {.randomness = 0.0}).ok());
  EXPECT_FALSE(Leiden(karate, {.max_iterations = -1}).ok());
  EXPECT_FALSE(Leiden(karate, {.tolerance = -1e-4}).ok());
  EXPECT_FALSE(Leiden(karate, {.tolerance = NAN}).ok());
  StatusOr<CommunityResult> threads = Leiden(karate, {.threads = 0});
  ASSERT_FALSE(threads.ok());
  EXPECT_NE(threads.status().message().find("threads"), std::string::npos);
}

TEST(LeidenTest, HandlesGraphsWithoutEdges) {
  for (Vertex n : {0u, 1u, 5u}) {
    CsrGraph graph = CsrGraph::FromEdges(n, {}, /*directed=*/false, /*weighted=*/false);
    StatusOr<CommunityResult> result = Leiden(graph, {});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->count, n);
    EXPECT_EQ(result->modularity, 0.0);
  }
}

TEST(LouvainTest, ReachesHighModularityOnKarate) {
  CsrGraph karate = testing::KarateClub();
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    StatusOr<CommunityResult> result = Louvain(karate, {.seed = seed});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ExpectWellFormed(karate, *result);
    EXPECT_GE(result->modularity, 0.41) << "seed " << seed;
  }
}

TEST(LouvainTest, SplitsTwoCliquesJoinedByOneEdge) {
  CsrGraph graph = TwoCliquesJoinedByOneEdge(/*directed=*/false);
  StatusOr<CommunityResult> result = Louvain(graph, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->membership, (std::vector<uint32_t>{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}));
}

TEST(LouvainTest, QualityMatchesReferenceOnRandomGraphs) {
  std::mt19937_64 rng(35);
  for (int i = 0; i < 200; ++i) {
    CsrGraph graph = testing::RandomGraph(rng, testing::VariedSpec(rng, i));
    const bool cpm = i % 2 == 0;
    LouvainOptions options{.seed = static_cast<uint64_t>(i),
                           .quality = cpm ? QualityFunction::kCpm : QualityFunction::kModularity,
                           .resolution = cpm ? 0.4 : 1.0};
    StatusOr<CommunityResult> result = Louvain(graph, options);
    ASSERT_TRUE(result.ok());
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    ExpectWellFormed(graph, *result);
    const double expected =
        cpm ? ReferenceCpm(graph, result->membership, options.resolution)
            : ReferenceModularity(graph, result->membership, options.resolution);
    EXPECT_NEAR(result->quality, expected, 1e-9);
    // Louvain's last level leaves no improving single-vertex move at the top level only, so
    // all that holds for every vertex is that the result is no worse than singletons.
    std::vector<uint32_t> singletons(graph.num_vertices());
    for (Vertex v = 0; v < graph.num_vertices(); ++v) singletons[v] = v;
    const double alone = cpm ? ReferenceCpm(graph, singletons, options.resolution)
                             : ReferenceModularity(graph, singletons, options.resolution);
    EXPECT_GE(result->quality, alone - 1e-9);
  }
}

TEST(LouvainTest, SameSeedSameResultAndBadOptionsRejected) {
  CsrGraph karate = testing::KarateClub();
  StatusOr<CommunityResult> a = Louvain(karate, {.seed = 3});
  StatusOr<CommunityResult> b = Louvain(karate, {.seed = 3, .threads = 8});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->membership, b->membership);
  EXPECT_FALSE(Louvain(karate, {.max_levels = -1}).ok());
  EXPECT_FALSE(Louvain(karate, {.resolution = NAN}).ok());
  StatusOr<CommunityResult> one_level = Louvain(karate, {.max_levels = 1});
  ASSERT_TRUE(one_level.ok());
  EXPECT_EQ(one_level->iterations, 1);
}

TEST(LabelPropTest, SplitsTwoCliquesJoinedByOneEdge) {
  CsrGraph graph = TwoCliquesJoinedByOneEdge(/*directed=*/false);
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    StatusOr<CommunityResult> result = LabelPropagation(graph, {.seed = seed});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->membership, (std::vector<uint32_t>{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}))
        << "seed " << seed;
  }
}

TEST(LabelPropTest, EveryVertexEndsWithADominantLabel) {
  std::mt19937_64 rng(36);
  for (int i = 0; i < 200; ++i) {
    CsrGraph graph = testing::RandomGraph(rng, testing::VariedSpec(rng, i));
    StatusOr<CommunityResult> result =
        LabelPropagation(graph, {.seed = static_cast<uint64_t>(i), .max_iterations = 1000});
    ASSERT_TRUE(result.ok());
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    ExpectWellFormed(graph, *result);
    std::vector<std::vector<double>> a = Adjacency(graph);
    for (Vertex v = 0; v < graph.num_vertices(); ++v) {
      std::vector<double> weight_of(result->count, 0.0);
      bool has_neighbour = false;
      for (Vertex u = 0; u < graph.num_vertices(); ++u) {
        if (u == v || a[v][u] == 0.0) continue;
        weight_of[result->membership[u]] += a[v][u];
        has_neighbour = true;
      }
      if (!has_neighbour) continue;
      const double best = *std::max_element(weight_of.begin(), weight_of.end());
      EXPECT_NEAR(weight_of[result->membership[v]], best, 1e-9) << "vertex " << v;
    }
  }
}

TEST(LabelPropTest, SameSeedSameResultAndBadOptionsRejected) {
  std::mt19937_64 rng(37);
  CsrGraph graph = testing::PlantedPartition(rng, 6, 25, 0.3, 0.02, /*weighted=*/true);
  StatusOr<CommunityResult> a = LabelPropagation(graph, {.seed = 9});
  StatusOr<CommunityResult> b = LabelPropagation(graph, {.seed = 9, .threads = 3});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->membership, b->membership);
  EXPECT_FALSE(LabelPropagation(graph, {.max_iterations = 0}).ok());
  EXPECT_FALSE(LabelPropagation(graph, {.threads = -2}).ok());
}

}  // namespace
}  // namespace trafnet::algorithms
