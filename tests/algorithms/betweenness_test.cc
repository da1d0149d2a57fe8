// Betweenness: hand-worked path and star answers, networkx's values on the karate club,
// the definition (pair sums over counted shortest paths) on random graphs, determinism over
// thread counts and seeds, and the sampled estimate's stated bound.
#include "trafnet/algorithms/betweenness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>
#include <random>
#include <vector>

#include "algorithms/centrality_reference.h"

namespace trafnet::algorithms {
namespace {

CsrGraph Path(Vertex n, bool directed) {
  std::vector<Edge> edges;
  for (Vertex v = 1; v < n; ++v) edges.push_back({v - 1, v, 1.0f});
  return CsrGraph::FromEdges(n, edges, directed, false);
}

std::vector<double> Scores(const CsrGraph& g, const BetweennessOptions& options) {
  auto result = Betweenness(g, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? result->scores : std::vector<double>{};
}

void ExpectNear(const std::vector<double>& got, const std::vector<double>& want, double tol,
                const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << what << " v" << i;
}

TEST(BetweennessTest, PathGraph) {
  BetweennessOptions options;
  options.normalized = false;
  ExpectNear(Scores(Path(5, false), options), {0, 3, 4, 3, 0}, 1e-12, "raw");
  options.normalized = true;  // 6 unordered pairs avoid each vertex
  ExpectNear(Scores(Path(5, false), options), {0, 0.5, 4.0 / 6, 0.5, 0}, 1e-12, "normalised");
  // Directed 0 -> 1 -> 2: one pair (0, 2) of the 2 ordered pairs avoiding 1 passes it.
  ExpectNear(Scores(Path(3, true), options), {0, 0.5, 0}, 1e-12, "directed");
}

TEST(BetweennessTest, StarGraph) {
  const CsrGraph star =
      CsrGraph::FromEdges(5, std::vector<Edge>{{0, 1}, {0, 2}, {0, 3}, {0, 4}}, false, false);
  BetweennessOptions options;
  ExpectNear(Scores(star, options), {1, 0, 0, 0, 0}, 1e-12, "normalised");
  options.normalized = false;
  ExpectNear(Scores(star, options), {6, 0, 0, 0, 0}, 1e-12, "raw");
}

TEST(BetweennessTest, SplitsEqualShortestPaths) {
  // A 4-cycle 0-1-2-3-0: each of 0's two paths to 2 carries half.
  const CsrGraph cycle =
      CsrGraph::FromEdges(4, std::vector<Edge>{{0, 1}, {1, 2}, {2, 3}, {3, 0}}, false, false);
  BetweennessOptions options;
  options.normalized = false;
  ExpectNear(Scores(cycle, options), {0.5, 0.5, 0.5, 0.5}, 1e-12, "cycle");
}

TEST(BetweennessTest, KarateClubMatchesNetworkx) {
  const std::vector<double> bc = Scores(reference::KarateClub(), {});
  EXPECT_NEAR(bc[0], 0.43763528138528146, 1e-12);
  EXPECT_NEAR(bc[33], 0.30407497594997596, 1e-12);
}

TEST(BetweennessTest, MatchesDefinitionOnRandomGraphs) {
  const EdgeLength lengths[] = {EdgeLength::kHops, EdgeLength::kWeight, EdgeLength::kInverseWeight};
  for (uint64_t seed = 0; seed < 200; ++seed) {
    reference::RandomGraphSpec spec;
    spec.directed = seed % 2 == 0;
    spec.weighted = true;
    const CsrGraph g = reference::RandomGraph(seed, spec);
    for (EdgeLength length : lengths) {
      for (bool normalized : {false, true}) {
        BetweennessOptions options;
        options.length = length;
        options.normalized = normalized;
        options.threads = 1 + static_cast<int>(seed % 3);
        ExpectNear(
            Scores(g, options), reference::Betweenness(g, length, normalized), 1e-9,
            "seed " + std::to_string(seed) + " length " + std::to_string(static_cast<int>(length)));
      }
    }
  }
}

TEST(BetweennessTest, BitwiseEqualForOneAndTwoThreads) {
  for (EdgeLength length : {EdgeLength::kHops, EdgeLength::kInverseWeight}) {
    reference::RandomGraphSpec spec;
    spec.weighted = true;
    spec.min_vertices = 2000;
    spec.max_vertices = 3000;
    const CsrGraph g = reference::RandomGraph(11, spec);
    BetweennessOptions options;
    options.length = length;
    const std::vector<double> one = Scores(g, options);
    options.threads = 2;
    const std::vector<double> two = Scores(g, options);
    options.threads = 5;
    const std::vector<double> five = Scores(g, options);
    EXPECT_EQ(one, two);  // exact equality of every double
    EXPECT_EQ(one, five);
  }
}

TEST(BetweennessTest, SampledIsSeededAndWithinItsBound) {
  reference::RandomGraphSpec spec;
  spec.connected = true;
  spec.min_vertices = 200;
  spec.max_vertices = 400;
  const CsrGraph g = reference::RandomGraph(5, spec);
  const std::vector<double> exact = Scores(g, {});
  BetweennessOptions options;
  options.samples = g.num_vertices() / 2;
  options.seed = 42;
  const auto first = Betweenness(g, options);
  options.threads = 2;
  const auto second = Betweenness(g, options);
  options.seed = 43;
  const auto other_seed = Betweenness(g, options);
  ASSERT_TRUE(first.ok() && second.ok() && other_seed.ok());
  EXPECT_FALSE(first->exact);
  EXPECT_EQ(first->sources, options.samples);
  EXPECT_EQ(first->scores, second->scores);
  EXPECT_NE(first->scores, other_seed->scores);
  EXPECT_GT(first->error_bound, 0.0);
  EXPECT_EQ(first->delta, 0.1);
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    EXPECT_LE(std::fabs(first->scores[v] - exact[v]), first->error_bound) << v;
  }
}

// Progress counts searched sources, increasing, one report at a time, up to all of them.
TEST(BetweennessTest, ReportsProgressUpToEverySource) {
  CsrGraph g = reference::RandomGraph(3, {.connected = true, .min_vertices = 600, .max_vertices = 600});
  for (uint32_t samples : {0u, 100u, 1000u}) {
    std::vector<std::pair<uint64_t, uint64_t>> reports;
    BetweennessOptions options;
    options.threads = 2;
    if (samples < 1000) options.samples = samples;
    if (samples == 1000) options.paths = samples;  // progress counts the drawn paths
    options.progress = [&reports](uint64_t done, uint64_t total) { reports.emplace_back(done, total); };
    auto result = Betweenness(g, options);
    ASSERT_TRUE(result.ok());
    ASSERT_FALSE(reports.empty());
    for (size_t i = 1; i < reports.size(); ++i) EXPECT_GT(reports[i].first, reports[i - 1].first);
    const uint64_t searched = samples == 1000 ? result->paths : result->sources;
    EXPECT_EQ(reports.back().first, searched);
    EXPECT_EQ(reports.back().second, searched);
  }
}

// Each drawn path's inner vertices gain one; the expected share of a vertex is its exact
// betweenness over the n(n-1) ordered pairs. On small random multigraphs (self-loops,
// parallel arcs, unreachable pairs), directed and not, every vertex's estimate lies within
// five standard deviations of the share the definition gives: a draw that favoured some
// shortest paths over others, or mis-counted them, would be off by far more.
TEST(BetweennessTest, PathSamplesMatchTheDefinitionsShares) {
  constexpr uint64_t kPaths = 40000;
  for (uint64_t seed = 0; seed < 12; ++seed) {
    reference::RandomGraphSpec spec;
    spec.directed = seed % 2 == 1;
    spec.min_vertices = 6;
    spec.max_vertices = 14;
    const CsrGraph g = reference::RandomGraph(100 + seed, spec);
    const double n = g.num_vertices();
    if (n < 3) continue;
    BetweennessOptions options;
    options.paths = kPaths;
    options.seed = seed;
    const auto sampled = Betweenness(g, options);
    ASSERT_TRUE(sampled.ok()) << sampled.status().ToString();
    EXPECT_FALSE(sampled->exact);
    EXPECT_EQ(sampled->paths, kPaths);
    EXPECT_EQ(sampled->sources, 0u);
    const std::vector<double> exact = reference::Betweenness(g, EdgeLength::kHops, true);
    const double scale = n / (n - 2);  // normalised score per unit of share
    for (Vertex v = 0; v < g.num_vertices(); ++v) {
      const double share = exact[v] / scale;
      const double sd = std::sqrt(share * (1 - share) / kPaths) * scale;
      EXPECT_NEAR(sampled->scores[v], exact[v], 5 * sd + 1e-12)
          << "graph " << seed << " vertex " << v << " of " << n;
    }
  }
}

TEST(BetweennessTest, PathSamplesAreSeededAndTheSameForAnyThreadCount) {
  reference::RandomGraphSpec spec;
  spec.connected = true;
  spec.min_vertices = 300;
  spec.max_vertices = 500;
  const CsrGraph g = reference::RandomGraph(21, spec);
  BetweennessOptions options;
  options.paths = 5000;
  options.seed = 7;
  const std::vector<double> one = Scores(g, options);
  options.threads = 2;
  const std::vector<double> two = Scores(g, options);
  options.threads = 3;
  const std::vector<double> three = Scores(g, options);
  options.seed = 8;
  const std::vector<double> other_seed = Scores(g, options);
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, three);
  EXPECT_NE(one, other_seed);
  // Raw scores are the same estimate in raw units: times (n-1)(n-2)/2 undirected.
  options.seed = 7;
  options.normalized = false;
  const std::vector<double> raw = Scores(g, options);
  const double n = g.num_vertices();
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    EXPECT_NEAR(raw[v], one[v] * (n - 1) * (n - 2) / 2, 1e-9 * (1 + raw[v])) << v;
  }
  // Directed, raw scores count ordered pairs: times (n-1)(n-2); the bound scales the same way.
  spec.directed = true;
  const CsrGraph d = reference::RandomGraph(22, spec);
  const double dn = d.num_vertices();
  BetweennessOptions directed;
  directed.paths = 5000;
  const auto normalised = Betweenness(d, directed);
  directed.normalized = false;
  const auto raw_directed = Betweenness(d, directed);
  ASSERT_TRUE(normalised.ok() && raw_directed.ok());
  for (Vertex v = 0; v < d.num_vertices(); ++v) {
    EXPECT_NEAR(raw_directed->scores[v], normalised->scores[v] * (dn - 1) * (dn - 2),
                1e-9 * (1 + raw_directed->scores[v]))
        << v;
  }
  EXPECT_NEAR(raw_directed->error_bound, normalised->error_bound * (dn - 1) * (dn - 2),
              1e-9 * raw_directed->error_bound);
}

// Ranking quality where exact is feasible: on a preferential-attachment graph (2000 vertices,
// 3 edges each, a fixed seed), 50 000 sampled paths keep at least 45 of the exact top 50. A
// sampler that drew pairs or paths unevenly would rank the hubs wrongly.
TEST(BetweennessTest, PathSamplesKeepTheExactTopOfAHubbyGraph) {
  constexpr Vertex kVertices = 2000;
  std::mt19937_64 random(5);
  std::vector<Edge> edges;
  std::vector<Vertex> ends;  // every edge's two ends: drawing from it is drawing by degree
  for (Vertex v = 1; v <= 3; ++v) {
    edges.push_back({0, v, 1.0f});
    ends.insert(ends.end(), {0, v});
  }
  for (Vertex v = 4; v < kVertices; ++v) {
    for (int k = 0; k < 3; ++k) {
      const Vertex u = ends[random() % ends.size()];
      edges.push_back({u, v, 1.0f});
      ends.insert(ends.end(), {u, v});
    }
  }
  const CsrGraph g = CsrGraph::FromEdges(kVertices, edges, false, false);
  auto top = [](const std::vector<double>& scores, size_t k) {
    std::vector<Vertex> ids(scores.size());
    std::iota(ids.begin(), ids.end(), Vertex{0});
    std::partial_sort(
        ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k), ids.end(),
        [&](Vertex a, Vertex b) { return scores[a] != scores[b] ? scores[a] > scores[b] : a < b; });
    ids.resize(k);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  const std::vector<Vertex> exact = top(Scores(g, {}), 50);
  BetweennessOptions options;
  options.paths = 50000;
  options.threads = 2;
  const std::vector<Vertex> sampled = top(Scores(g, options), 50);
  std::vector<Vertex> common;
  std::set_intersection(exact.begin(), exact.end(), sampled.begin(), sampled.end(),
                        std::back_inserter(common));
  EXPECT_GE(common.size(), 45u);
}

TEST(BetweennessTest, VertexDiameterBoundCoversTheLongestShortestPath) {
  BetweennessOptions options;
  options.paths = 10;
  // A path of 50: a BFS from vertex 0 reaches depth 49, so 2 * 49 + 1, capped at 50 vertices.
  auto path = Betweenness(Path(50, false), options);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->vertex_diameter, 50u);
  // A star seen from its centre: depth 1, so at most 3 vertices on a shortest path.
  const CsrGraph star = CsrGraph::FromEdges(
      6, std::vector<Edge>{{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}}, false, false);
  auto centre = Betweenness(star, options);
  ASSERT_TRUE(centre.ok());
  EXPECT_EQ(centre->vertex_diameter, 3u);
  // Directed: the largest weak component's size (here 4 of the 4 + 2 vertices).
  const CsrGraph directed =
      CsrGraph::FromEdges(6, std::vector<Edge>{{0, 1}, {1, 2}, {3, 2}, {4, 5}}, true, false);
  auto weak = Betweenness(directed, options);
  ASSERT_TRUE(weak.ok());
  EXPECT_EQ(weak->vertex_diameter, 4u);
}

// Asks `options` (with its length) for `epsilon` on a connected random graph of 1000-3000
// vertices: the sample is the smallest whose bound meets the target, drawn by paths or by
// sources as `by_paths` says, every score lies within that bound of the exact one, and a target
// no sample can beat cheaply (0.001) falls back to the exact answer.
void ExpectEpsilonMet(BetweennessOptions options, double epsilon, bool by_paths) {
  reference::RandomGraphSpec spec;
  spec.connected = true;
  spec.weighted = options.length != EdgeLength::kHops;
  spec.min_vertices = 1000;
  spec.max_vertices = 3000;
  const CsrGraph g = reference::RandomGraph(3, spec);
  options.epsilon = epsilon;
  options.delta = 0.05;
  const auto result = Betweenness(g, options);
  ASSERT_TRUE(result.ok());
  ASSERT_FALSE(result->exact) << "graph too small for this epsilon: " << g.num_vertices();
  EXPECT_EQ(result->paths > 0, by_paths);
  EXPECT_EQ(result->sources > 0, !by_paths);
  EXPECT_LE(result->error_bound, epsilon);
  EXPECT_GT(result->error_bound, 0.95 * epsilon);  // about the smallest sample that meets it
  EXPECT_EQ(result->delta, 0.05);
  BetweennessOptions exact_options;
  exact_options.length = options.length;
  const std::vector<double> exact = Scores(g, exact_options);
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    EXPECT_LE(std::fabs(result->scores[v] - exact[v]), result->error_bound);
  }
  options.epsilon = 0.001;
  const auto exact_again = Betweenness(g, options);
  ASSERT_TRUE(exact_again.ok());
  EXPECT_TRUE(exact_again->exact);
  EXPECT_EQ(exact_again->scores, exact);
  EXPECT_EQ(exact_again->error_bound, 0.0);
}

// With hops, epsilon picks Riondato & Kornaropoulos' number of paths.
TEST(BetweennessTest, EpsilonChoosesEnoughPaths) { ExpectEpsilonMet({}, 0.1, /*by_paths=*/true); }

// With weighted lengths, epsilon picks sources by Hoeffding's bound.
TEST(BetweennessTest, EpsilonChoosesEnoughSourcesForWeightedLengths) {
  BetweennessOptions options;
  options.length = EdgeLength::kWeight;
  ExpectEpsilonMet(options, 0.2, /*by_paths=*/false);
}

TEST(BetweennessTest, RawBoundIsInRawUnits) {
  reference::RandomGraphSpec spec;
  spec.connected = true;
  spec.min_vertices = 100;
  spec.max_vertices = 300;
  const CsrGraph g = reference::RandomGraph(9, spec);
  BetweennessOptions options;
  options.samples = 20;
  const auto normalised = Betweenness(g, options);
  options.normalized = false;
  const auto raw = Betweenness(g, options);
  ASSERT_TRUE(normalised.ok() && raw.ok());
  const double n = g.num_vertices();
  EXPECT_NEAR(raw->error_bound, normalised->error_bound * (n - 1) * (n - 2) / 2,
              1e-9 * raw->error_bound);
}

TEST(BetweennessTest, RejectsBadOptionsWithReasons) {
  const CsrGraph unweighted = Path(4, false);
  BetweennessOptions options;
  options.length = EdgeLength::kWeight;
  EXPECT_NE(Betweenness(unweighted, options).status().message().find("no weights"),
            std::string::npos);
  const CsrGraph zero = CsrGraph::FromEdges(2, std::vector<Edge>{{0, 1, 0.0f}}, false, true);
  options.length = EdgeLength::kInverseWeight;
  EXPECT_NE(Betweenness(zero, options).status().message().find("> 0"), std::string::npos);
  options = {};
  options.samples = 2;
  options.epsilon = 0.1;
  EXPECT_FALSE(Betweenness(unweighted, options).ok());
  options.samples = 0;
  options.paths = 5;
  options.epsilon = 0.1;
  EXPECT_FALSE(Betweenness(unweighted, options).ok());
  options.epsilon = 0.0;
  const CsrGraph weighted = CsrGraph::FromEdges(2, std::vector<Edge>{{0, 1, 1.0f}}, false, true);
  options.length = EdgeLength::kWeight;
  EXPECT_NE(Betweenness(weighted, options).status().message().find("counts hops"),
            std::string::npos);
  options.length = EdgeLength::kHops;
  options.paths = 0;
  options.epsilon = 1.5;
  EXPECT_FALSE(Betweenness(unweighted, options).ok());
  options.epsilon = 0.1;
  options.delta = 0.0;
  EXPECT_FALSE(Betweenness(unweighted, options).ok());
  options = {};
  options.threads = -1;
  EXPECT_FALSE(Betweenness(unweighted, options).ok());
}

TEST(BetweennessTest, TinyGraphsAreAllZero) {
  for (Vertex n : {0u, 1u, 2u}) {
    const std::vector<double> bc = Scores(Path(n, false), {});
    EXPECT_EQ(bc, std::vector<double>(n, 0.0));
  }
}

}  // namespace
}  // namespace trafnet::algorithms
