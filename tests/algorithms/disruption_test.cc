#include "trafnet/algorithms/disruption.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "trafnet/algorithms/betweenness.h"

namespace trafnet::algorithms {
namespace {

// A graph kept with the edge list it was built from, so the reference below never has to
// decode the CSR the kernel reads.
struct EdgeListGraph {
  Vertex n = 0;
  std::vector<Edge> edges = {};
  bool directed = false;
  bool weighted = false;

  CsrGraph Build() const { return CsrGraph::FromEdges(n, edges, directed, weighted); }
};

// Same rule as the header: scan in id order, the leader changes only on a clear excess.
Vertex PickHighest(const std::vector<std::optional<double>>& scores) {
  std::optional<Vertex> leader;
  for (Vertex v = 0; v < scores.size(); ++v) {
    if (!scores[v]) continue;
    if (!leader) {
      leader = v;
      continue;
    }
    const double a = *scores[v];
    const double b = *scores[*leader];
    if (a - b > kDisruptionTieTolerance * std::max(std::abs(a), std::abs(b))) leader = v;
  }
  return *leader;
}

// Largest connected group of alive vertices, directions ignored: repeated relaxation of
// component labels to the smallest reachable id until nothing changes.
uint64_t ReferenceLargestComponent(const EdgeListGraph& g, const std::vector<bool>& alive) {
  std::vector<Vertex> label(g.n);
  for (Vertex v = 0; v < g.n; ++v) label[v] = v;
  for (bool changed = true; changed;) {
    changed = false;
    for (const Edge& e : g.edges) {
      if (!alive[e.from] || !alive[e.to]) continue;
      const Vertex low = std::min(label[e.from], label[e.to]);
      if (label[e.from] != low || label[e.to] != low) changed = true;
      label[e.from] = label[e.to] = low;
    }
  }
  std::vector<uint64_t> size(g.n, 0);
  uint64_t largest = 0;
  for (Vertex v = 0; v < g.n; ++v) {
    if (alive[v]) largest = std::max(largest, ++size[label[v]]);
  }
  return largest;
}

// Degree among alive vertices straight from the definition, one edge at a time.
double ReferenceDegree(const EdgeListGraph& g, const std::vector<bool>& alive, Vertex v,
                       const DisruptionOptions& options) {
  const bool want_out = !g.directed || options.degree_direction != DegreeDirection::kIn;
  const bool want_in = !g.directed || options.degree_direction != DegreeDirection::kOut;
  double degree = 0.0;
  for (const Edge& e : g.edges) {
    if (!alive[e.from] || !alive[e.to]) continue;
    const double w = options.degree_weighted && g.weighted ? e.weight : 1.0;
    if (e.from == v && want_out) degree += w;
    if (e.to == v && want_in) degree += w;
  }
  return degree;
}

// The library's betweenness on a freshly built graph of the alive vertices.
std::vector<std::optional<double>> ReferenceBetweenness(const EdgeListGraph& g,
                                                        const std::vector<bool>& alive,
                                                        const DisruptionOptions& options) {
  std::vector<Vertex> compact(g.n, 0);
  std::vector<Vertex> original;
  for (Vertex v = 0; v < g.n; ++v) {
    if (!alive[v]) continue;
    compact[v] = static_cast<Vertex>(original.size());
    original.push_back(v);
  }
  std::vector<Edge> edges;
  for (const Edge& e : g.edges) {
    if (alive[e.from] && alive[e.to]) edges.push_back({compact[e.from], compact[e.to], e.weight});
  }
  const CsrGraph remaining =
      CsrGraph::FromEdges(static_cast<Vertex>(original.size()), edges, g.directed, g.weighted);
  StatusOr<BetweennessResult> result =
      Betweenness(remaining, {.length = options.length, .normalized = false});
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::optional<double>> scores(g.n);
  for (size_t i = 0; i < original.size(); ++i) scores[original[i]] = result->scores[i];
  return scores;
}

// Recompute-everything version of the kernel.
std::vector<DisruptionStep> ReferenceDisruption(const EdgeListGraph& g,
                                                const DisruptionOptions& options) {
  std::vector<bool> alive(g.n, true);
  const uint64_t initial = ReferenceLargestComponent(g, alive);
  std::vector<DisruptionStep> steps = {
      {.largest_component = initial, .fraction = initial > 0 ? 1.0 : 0.0}};
  for (uint32_t step = 1; step <= static_cast<uint32_t>(options.steps); ++step) {
    if (steps.back().largest_component <= 1) break;
    std::vector<std::optional<double>> scores(g.n);
    if (options.measure == DisruptionMeasure::kDegree) {
      for (Vertex v = 0; v < g.n; ++v) {
        if (alive[v]) scores[v] = ReferenceDegree(g, alive, v, options);
      }
    } else {
      scores = ReferenceBetweenness(g, alive, options);
    }
    const Vertex victim = PickHighest(scores);
    alive[victim] = false;
    const uint64_t largest = ReferenceLargestComponent(g, alive);
    steps.push_back({.step = step,
                     .removed = victim,
                     .removed_score = *scores[victim],
                     .largest_component = largest,
                     .fraction = static_cast<double>(largest) / static_cast<double>(initial)});
  }
  return steps;
}

// A random multigraph with self-loops; weights from {0.5, 1, 2, 4} so sums and path lengths
// are exact in double and equal scores are real ties.
EdgeListGraph RandomGraph(std::mt19937_64& random, bool directed, bool weighted) {
  constexpr float kWeights[] = {0.5f, 1.0f, 2.0f, 4.0f};
  EdgeListGraph g{
      .n = 1 + static_cast<Vertex>(random() % 14), .directed = directed, .weighted = weighted};
  const uint64_t m = random() % (2 * static_cast<uint64_t>(g.n) + 2);
  for (uint64_t i = 0; i < m; ++i) {
    g.edges.push_back({static_cast<Vertex>(random() % g.n), static_cast<Vertex>(random() % g.n),
                       weighted ? kWeights[random() % 4] : 1.0f});
  }
  return g;
}

std::vector<DisruptionStep> Steps(const CsrGraph& graph, const DisruptionOptions& options) {
  StatusOr<DisruptionResult> result = Disruption(graph, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? result->steps : std::vector<DisruptionStep>{};
}

std::vector<Vertex> RemovedSequence(const std::vector<DisruptionStep>& steps) {
  std::vector<Vertex> removed;
  for (const DisruptionStep& s : steps) {
    if (s.removed) removed.push_back(*s.removed);
  }
  return removed;
}

std::vector<uint64_t> LargestSizes(const std::vector<DisruptionStep>& steps) {
  std::vector<uint64_t> sizes;
  for (const DisruptionStep& s : steps) sizes.push_back(s.largest_component);
  return sizes;
}

std::vector<double> RemovedScores(const std::vector<DisruptionStep>& steps) {
  std::vector<double> scores;
  for (const DisruptionStep& s : steps) {
    if (s.removed) scores.push_back(s.removed_score);
  }
  return scores;
}

void ExpectSameSteps(const std::vector<DisruptionStep>& actual,
                     const std::vector<DisruptionStep>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "step " << i);
    EXPECT_EQ(actual[i].step, expected[i].step);
    EXPECT_EQ(actual[i].removed, expected[i].removed);
    EXPECT_NEAR(actual[i].removed_score, expected[i].removed_score,
                1e-9 * std::max(1.0, std::abs(expected[i].removed_score)));
    EXPECT_EQ(actual[i].largest_component, expected[i].largest_component);
    EXPECT_DOUBLE_EQ(actual[i].fraction, expected[i].fraction);
  }
}

EdgeListGraph Path(Vertex n) {
  EdgeListGraph g{.n = n};
  for (Vertex v = 1; v < n; ++v) g.edges.push_back({v - 1, v});
  return g;
}

// K4 on 0..3 and K4 on 5..8, joined through vertex 4 by the edges 3-4 and 4-5.
EdgeListGraph TwoCliquesAndABridge() {
  EdgeListGraph g{.n = 9};
  for (Vertex base : {0u, 5u}) {
    for (Vertex u = base; u < base + 4; ++u) {
      for (Vertex v = u + 1; v < base + 4; ++v) g.edges.push_back({u, v});
    }
  }
  g.edges.push_back({3, 4});
  g.edges.push_back({4, 5});
  return g;
}

TEST(DisruptionTest, MatchesRecomputingReferenceOnRandomGraphs) {
  std::mt19937_64 random(2024);
  constexpr EdgeLength kLengths[] = {EdgeLength::kHops, EdgeLength::kWeight,
                                     EdgeLength::kInverseWeight};
  constexpr DegreeDirection kDirections[] = {DegreeDirection::kOut, DegreeDirection::kIn,
                                             DegreeDirection::kTotal};
  for (int i = 0; i < 100; ++i) {
    for (bool directed : {false, true}) {
      const bool weighted = i % 2 == 1;
      const EdgeListGraph g = RandomGraph(random, directed, weighted);
      const CsrGraph graph = g.Build();
      for (DisruptionMeasure measure :
           {DisruptionMeasure::kDegree, DisruptionMeasure::kBetweenness}) {
        const DisruptionOptions options{
            .measure = measure,
            .steps = static_cast<int>(random() % (g.n + 2)),
            .length = weighted ? kLengths[random() % 3] : EdgeLength::kHops,
            .degree_direction = kDirections[random() % 3],
            .degree_weighted = weighted && random() % 2 == 0};
        SCOPED_TRACE(::testing::Message()
                     << "graph " << i << " directed " << directed << " weighted " << weighted
                     << " measure " << static_cast<int>(measure) << " steps " << options.steps);
        ExpectSameSteps(Steps(graph, options), ReferenceDisruption(g, options));
      }
    }
  }
}

TEST(DisruptionTest, RemovingTheHubOfAStarLeavesIsolatedLeaves) {
  EdgeListGraph star{.n = 6};
  for (Vertex leaf = 1; leaf < 6; ++leaf) star.edges.push_back({0, leaf});
  for (DisruptionMeasure measure : {DisruptionMeasure::kDegree, DisruptionMeasure::kBetweenness}) {
    const std::vector<DisruptionStep> steps =
        Steps(star.Build(), {.measure = measure, .steps = 10});
    // Nothing is left to fragment after the hub, so removal stops there.
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0].largest_component, 6u);
    EXPECT_EQ(steps[0].fraction, 1.0);
    EXPECT_EQ(steps[1].step, 1u);
    EXPECT_EQ(steps[1].removed, Vertex{0});
    // Degree 5; betweenness: all C(5, 2) = 10 leaf pairs pass through the hub.
    EXPECT_EQ(steps[1].removed_score, measure == DisruptionMeasure::kDegree ? 5.0 : 10.0);
    EXPECT_EQ(steps[1].largest_component, 1u);
    EXPECT_DOUBLE_EQ(steps[1].fraction, 1.0 / 6.0);
  }
}

TEST(DisruptionTest, BetweennessRemovesTheBridgeBetweenTwoCliquesFirst) {
  const CsrGraph graph = TwoCliquesAndABridge().Build();
  // Betweenness: 4 carries the 4 x 4 pairs across, 3 and 5 only 3 x 5 each.
  std::vector<DisruptionStep> steps =
      Steps(graph, {.measure = DisruptionMeasure::kBetweenness, .steps = 1});
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].removed, Vertex{4});
  EXPECT_EQ(steps[1].removed_score, 16.0);
  EXPECT_EQ(steps[1].largest_component, 4u);
  EXPECT_DOUBLE_EQ(steps[1].fraction, 4.0 / 9.0);

  // Degree prefers the clique members that touch the bridge (degree 4), the lower id first,
  // and leaves the bridge holding the second clique together.
  steps = Steps(graph, {.measure = DisruptionMeasure::kDegree, .steps = 1});
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].removed, Vertex{3});
  EXPECT_EQ(steps[1].removed_score, 4.0);
  EXPECT_EQ(steps[1].largest_component, 5u);
  EXPECT_DOUBLE_EQ(steps[1].fraction, 5.0 / 9.0);
}

TEST(DisruptionTest, PathTiesGoToTheLowestVertexId) {
  const CsrGraph path = Path(6).Build();  // 0-1-2-3-4-5

  // Betweenness i * (5 - i) = 0 4 6 6 4 0: 2 and 3 tie, 2 goes. Then 0-1 and 3-4-5: only 4
  // is between anything. Then 0-1, 3, 5 all score 0: 0 goes, and no edge is left.
  std::vector<DisruptionStep> steps =
      Steps(path, {.measure = DisruptionMeasure::kBetweenness, .steps = 10});
  EXPECT_EQ(RemovedSequence(steps), (std::vector<Vertex>{2, 4, 0}));
  EXPECT_EQ(RemovedScores(steps), (std::vector<double>{6, 1, 0}));
  EXPECT_EQ(LargestSizes(steps), (std::vector<uint64_t>{6, 3, 2, 1}));

  // Degree 1 2 2 2 2 1: 1 goes. Then 0 | 2-3-4-5 with 3 and 4 at degree 2: 3 goes. Then
  // 0 | 2 | 4-5: 4 and 5 at degree 1, 4 goes.
  steps = Steps(path, {.measure = DisruptionMeasure::kDegree, .steps = 10});
  EXPECT_EQ(RemovedSequence(steps), (std::vector<Vertex>{1, 3, 4}));
  EXPECT_EQ(RemovedScores(steps), (std::vector<double>{2, 2, 1}));
  EXPECT_EQ(LargestSizes(steps), (std::vector<uint64_t>{6, 4, 2, 1}));
}

TEST(DisruptionTest, StopsAfterTheRequestedSteps) {
  const CsrGraph path = Path(6).Build();
  std::vector<DisruptionStep> steps = Steps(path, {.steps = 0});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_FALSE(steps[0].removed.has_value());
  EXPECT_EQ(steps[0].largest_component, 6u);

  steps = Steps(path, {.steps = 2});
  EXPECT_EQ(RemovedSequence(steps), (std::vector<Vertex>{1, 3}));
}

TEST(DisruptionTest, EmptyGraphHasOnlyStepZero) {
  const std::vector<DisruptionStep> steps =
      Steps(CsrGraph::FromEdges(0, {}, /*directed=*/false, /*weighted=*/false), {});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].largest_component, 0u);
  EXPECT_EQ(steps[0].fraction, 0.0);
}

TEST(DisruptionTest, SameResultForOneAndTwoThreads) {
  std::mt19937_64 random(7);
  for (bool directed : {false, true}) {
    EdgeListGraph g{.n = 400, .directed = directed};
    for (int i = 0; i < 1200; ++i) {
      g.edges.push_back({static_cast<Vertex>(random() % g.n), static_cast<Vertex>(random() % g.n)});
    }
    const CsrGraph graph = g.Build();
    DisruptionOptions options{.measure = DisruptionMeasure::kBetweenness, .steps = 12};
    const std::vector<DisruptionStep> one = Steps(graph, options);
    options.threads = 2;
    const std::vector<DisruptionStep> two = Steps(graph, options);
    ASSERT_EQ(one.size(), 13u);
    EXPECT_EQ(RemovedSequence(one), RemovedSequence(two));
    EXPECT_EQ(RemovedScores(one), RemovedScores(two));  // bitwise
    EXPECT_EQ(LargestSizes(one), LargestSizes(two));
  }
}

TEST(DisruptionTest, RejectsBadOptionsBeforeAnyWork) {
  const CsrGraph unweighted = Path(4).Build();
  StatusOr<DisruptionResult> result = Disruption(unweighted, {.steps = -1});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("steps is -1"), std::string::npos);

  result = Disruption(unweighted, {.threads = -2});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("threads"), std::string::npos);

  result = Disruption(unweighted, {.measure = static_cast<DisruptionMeasure>(7)});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("unknown measure"), std::string::npos);

  result = Disruption(unweighted,
                      {.measure = DisruptionMeasure::kBetweenness, .length = EdgeLength::kWeight});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("no weights"), std::string::npos);

  // Even with no steps to run, a zero weight is reported up front.
  const std::vector<Edge> edges = {{0, 1, 1.0f}, {1, 2, 0.0f}};
  const CsrGraph zero_weight = CsrGraph::FromEdges(3, edges, /*directed=*/false,
                                                   /*weighted=*/true);
  result = Disruption(zero_weight, {.measure = DisruptionMeasure::kBetweenness,
                                    .steps = 0,
                                    .length = EdgeLength::kInverseWeight});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("finite and > 0"), std::string::npos);
}

}  // namespace
}  // namespace trafnet::algorithms
