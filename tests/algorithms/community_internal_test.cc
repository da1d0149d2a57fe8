// The working-graph pieces the community kernels are built from (algorithms/src/community),
// each checked against a plain dense reference on many small random graphs.
#include "community/community_internal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "algorithms/community_reference.h"

namespace trafnet::algorithms::community_internal {
namespace {

WorkGraph Work(const CsrGraph& graph) {
  Objective objective;
  double total_weight = 0.0;
  return BuildWorkGraph(graph, QualityFunction::kModularity, 1.0, objective, total_weight);
}

// Every arc as (from, to) -> summed weight.
std::map<std::pair<uint32_t, uint32_t>, double> Arcs(const WorkGraph& graph) {
  std::map<std::pair<uint32_t, uint32_t>, double> arcs;
  for (uint32_t v = 0; v < graph.num_nodes; ++v) {
    graph.ForEachArc(v, [&](uint32_t u, double w) { arcs[{v, u}] += w; });
  }
  return arcs;
}

std::vector<uint32_t> RandomLabels(std::mt19937_64& rng, uint32_t n, uint32_t bound) {
  std::uniform_int_distribution<uint32_t> label(0, bound - 1);
  std::vector<uint32_t> labels(n);
  for (uint32_t& l : labels) l = label(rng);
  return labels;
}

// A sparse graph with planted groups, big enough for several of FastMoveNodes's blocks: each
// vertex gets `inside` edges to random members of its group and `across` to anyone, and the
// vertex ids are shuffled so groups are not runs of ids.
CsrGraph SparsePlanted(std::mt19937_64& rng, uint32_t groups, uint32_t group_size, int inside,
                       int across, bool weighted) {
  const uint32_t n = groups * group_size;
  std::vector<Vertex> id(n);
  for (uint32_t i = 0; i < n; ++i) id[i] = i;
  std::shuffle(id.begin(), id.end(), rng);
  std::uniform_int_distribution<uint32_t> member(0, group_size - 1), anyone(0, n - 1);
  std::uniform_int_distribution<int> weight(1, 4);
  std::vector<Edge> edges;
  for (uint32_t v = 0; v < n; ++v) {
    for (int e = 0; e < inside + across; ++e) {
      const uint32_t u = e < inside ? v - v % group_size + member(rng) : anyone(rng);
      if (u != v)
        edges.push_back({id[v], id[u], weighted ? static_cast<float>(weight(rng)) : 1.0f});
    }
  }
  return CsrGraph::FromEdges(n, edges, /*directed=*/false, weighted);
}

// H of `community` on `graph`, plainly: the weight inside communities minus lambda/2 times the
// sum of squared community totals (as Leiden's Quality).
double PlainQuality(const WorkGraph& graph, const std::vector<uint32_t>& community, double lambda) {
  std::vector<double> total(graph.num_nodes, 0.0);
  double inside = 0.0;
  for (uint32_t v = 0; v < graph.num_nodes; ++v) {
    total[community[v]] += graph.node_weight[v];
    graph.ForEachArc(
        v, [&](uint32_t u, double w) { inside += community[u] == community[v] ? w : 0.0; });
  }
  double penalty = 0.0;
  for (double t : total) penalty += t * t;
  return inside / 2.0 - lambda / 2.0 * penalty;
}

// Fast local moving evaluates a block's nodes on several workers and moves them in node order:
// the partition and the gain are the same for any thread count, and the gain is what the
// quality rose by.
// The level-0 working graph: every arc but self-loops, node weights the strengths (self-loops
// included), the total their sum; the same arrays built on 1 and 3 threads.
TEST(CommunityInternalTest, BuildWorkGraphDropsSelfLoopsAndIsTheSameForAnyThreadCount) {
  std::mt19937_64 rng(61);
  int self_loops = 0;
  for (int i = 0; i < 200; ++i) {
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    const CsrGraph input = testing::RandomGraph(rng, testing::VariedSpec(rng, i));
    Objective objective;
    double total = 0.0;
    const WorkGraph one =
        BuildWorkGraph(input, QualityFunction::kModularity, 1.0, objective, total, 1);
    Objective objective3;
    double total3 = 0.0;
    const WorkGraph three =
        BuildWorkGraph(input, QualityFunction::kModularity, 1.0, objective3, total3, 3);
    EXPECT_EQ(three.offsets, one.offsets);
    EXPECT_EQ(three.targets, one.targets);
    EXPECT_EQ(three.weights, one.weights);
    EXPECT_EQ(three.node_weight, one.node_weight);
    EXPECT_EQ(total3, total);
    EXPECT_EQ(objective3.lambda, objective.lambda);
    double strengths = 0.0;
    for (double a : one.node_weight) strengths += a;
    EXPECT_DOUBLE_EQ(strengths, total);
    if (input.directed()) continue;  // read as undirected first; its arcs are checked elsewhere
    std::map<std::pair<uint32_t, uint32_t>, double> expected;
    for (Vertex v = 0; v < input.num_vertices(); ++v) {
      double strength = 0.0;
      for (size_t k = 0; k < input.neighbours(v).size(); ++k) {
        const Vertex u = input.neighbours(v)[k];
        const double w = input.weighted() ? input.weights(v)[k] : 1.0;
        strength += w;
        if (u == v) {
          ++self_loops;
        } else {
          expected[{v, u}] += w;
        }
      }
      EXPECT_DOUBLE_EQ(one.node_weight[v], strength);
    }
    EXPECT_EQ(Arcs(one), expected);
  }
  EXPECT_GT(self_loops, 0);  // the random graphs do have self-loops to drop
}

TEST(CommunityInternalTest, FastLocalMovingIsTheSameForAnyThreadCountAndGainsWhatItSays) {
  std::mt19937_64 rng(52);
  for (bool weighted : {false, true}) {
    for (uint32_t start_bound : {0u, 500u}) {  // singletons, or random labels below 500
      SCOPED_TRACE(::testing::Message() << "weighted " << weighted << ", start " << start_bound);
      const CsrGraph input = SparsePlanted(rng, 400, 50, 6, 2, weighted);
      Objective objective;
      double total_weight = 0.0;
      const WorkGraph graph =
          BuildWorkGraph(input, QualityFunction::kModularity, 1.0, objective, total_weight);
      std::vector<uint32_t> start(graph.num_nodes);
      for (uint32_t v = 0; v < graph.num_nodes; ++v) start[v] = v;
      if (start_bound > 0) start = RandomLabels(rng, graph.num_nodes, start_bound);
      const double before = PlainQuality(graph, start, objective.lambda);
      std::vector<uint32_t> one = start;
      const double gain = LocalMover(graph, objective, one, 1).FastMoveNodes();
      EXPECT_GT(gain, 0.0);
      EXPECT_NEAR(PlainQuality(graph, one, objective.lambda) - before, gain, 1e-9 * total_weight);
      for (unsigned threads : {2u, 3u}) {
        std::vector<uint32_t> more = start;
        const double more_gain = LocalMover(graph, objective, more, threads).FastMoveNodes();
        EXPECT_EQ(more, one) << threads << " threads";
        EXPECT_EQ(more_gain, gain) << threads << " threads";
      }
    }
  }
}

// Aggregation done plainly: per pair of communities the sum of the arcs from one to the other
// (added in arc order, arcs inside a community dropped), per community its nodes' weight, and
// how many arcs leave a community.
struct ReferenceAggregate {
  std::map<std::pair<uint32_t, uint32_t>, double> arcs;
  std::vector<double> node_weight;
  uint64_t leaving = 0;
};
ReferenceAggregate AggregateReference(const WorkGraph& graph,
                                      const std::vector<uint32_t>& community, uint32_t count) {
  ReferenceAggregate expected;
  expected.node_weight.assign(count, 0.0);
  for (uint32_t v = 0; v < graph.num_nodes; ++v) {
    expected.node_weight[community[v]] += graph.node_weight[v];
    graph.ForEachArc(v, [&](uint32_t u, double w) {
      if (community[u] == community[v]) return;
      expected.arcs[{community[v], community[u]}] += w;
      ++expected.leaving;
    });
  }
  return expected;
}

// Merged, the arcs between two communities become one arc weighing their sum; unmerged, every
// arc leaving a community is kept as it is, in members' order, so the sums per pair of
// communities, added in the same order, are those the merged graph holds. Either way the
// arrays are the same for any thread count.
TEST(CommunityInternalTest, AggregateMergesOrKeepsArcsBetweenCommunitiesWhateverTheThreadCount) {
  std::mt19937_64 rng(51);
  for (int i = 0; i < 200; ++i) {
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    const WorkGraph graph = Work(testing::RandomGraph(rng, testing::VariedSpec(rng, i)));
    const uint32_t count = 1 + static_cast<uint32_t>(rng() % graph.num_nodes);
    std::vector<uint32_t> community = RandomLabels(rng, graph.num_nodes, count);
    const ReferenceAggregate expected = AggregateReference(graph, community, count);
    for (bool merge_arcs : {true, false}) {
      SCOPED_TRACE(::testing::Message() << (merge_arcs ? "merged" : "unmerged"));
      const WorkGraph one = Aggregate(graph, community, count, 1, merge_arcs);
      ASSERT_EQ(one.num_nodes, count);
      EXPECT_EQ(one.node_weight, expected.node_weight);
      const std::map<std::pair<uint32_t, uint32_t>, double> got = Arcs(one);
      EXPECT_EQ(got, expected.arcs);
      if (merge_arcs) {
        EXPECT_EQ(got.size(), one.targets.size()) << "an arc is listed twice";
      } else {
        EXPECT_EQ(one.targets.size(), expected.leaving);
        // Weights only when the graph has them (an unweighted graph's arcs each weigh 1).
        EXPECT_EQ(one.weights.size(), graph.weights.empty() ? 0 : expected.leaving);
      }
      const WorkGraph three = Aggregate(graph, community, count, 3, merge_arcs);
      EXPECT_EQ(three.offsets, one.offsets);
      EXPECT_EQ(three.targets, one.targets);
      EXPECT_EQ(three.weights, one.weights);
    }
  }
}

// With integer weights, local moving on the unmerged aggregate moves exactly as on the merged
// one: each neighbouring community's weight is the same sum, found in the same order.
TEST(CommunityInternalTest, LocalMovingMovesAlikeOnMergedAndUnmergedAggregates) {
  std::mt19937_64 rng(54);
  for (bool weighted : {false, true}) {
    SCOPED_TRACE(::testing::Message() << "weighted " << weighted);
    const CsrGraph input = SparsePlanted(rng, 200, 40, 6, 2, weighted);
    Objective objective;
    double total_weight = 0.0;
    const WorkGraph graph =
        BuildWorkGraph(input, QualityFunction::kModularity, 1.0, objective, total_weight);
    // Small groups of about three nodes, as refinement leaves them.
    std::vector<uint32_t> group = RandomLabels(rng, graph.num_nodes, graph.num_nodes / 3);
    const uint32_t count = Compact(group, graph.num_nodes);
    const WorkGraph merged = Aggregate(graph, group, count, 2, /*merge_arcs=*/true);
    const WorkGraph unmerged = Aggregate(graph, group, count, 2, /*merge_arcs=*/false);
    ASSERT_GT(unmerged.targets.size(), merged.targets.size());  // some arcs share a neighbour
    for (uint32_t start_bound : {0u, 300u}) {
      std::vector<uint32_t> start(count);
      for (uint32_t v = 0; v < count; ++v) start[v] = v;
      if (start_bound > 0) start = RandomLabels(rng, count, start_bound);
      std::vector<uint32_t> on_merged = start;
      std::vector<uint32_t> on_unmerged = start;
      const double merged_gain = LocalMover(merged, objective, on_merged, 2).FastMoveNodes();
      const double unmerged_gain = LocalMover(unmerged, objective, on_unmerged, 2).FastMoveNodes();
      EXPECT_GT(merged_gain, 0.0);
      EXPECT_EQ(on_unmerged, on_merged) << "start " << start_bound;
      EXPECT_EQ(unmerged_gain, merged_gain) << "start " << start_bound;
    }
  }
}

TEST(CommunityInternalTest, RenumberByCommunityKeepsTheGraphAndMakesCommunitiesContiguous) {
  std::mt19937_64 rng(52);
  for (int i = 0; i < 200; ++i) {
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    WorkGraph graph = Work(testing::RandomGraph(rng, testing::VariedSpec(rng, i)));
    const uint32_t n = graph.num_nodes;
    std::vector<uint32_t> community = RandomLabels(rng, n, 1 + static_cast<uint32_t>(rng() % n));
    const uint32_t count = Compact(community, n);
    const WorkGraph before = graph;
    const std::vector<uint32_t> community_before = community;
    std::vector<uint32_t> old_id(n);  // the payload: each node's id before
    for (uint32_t v = 0; v < n; ++v) old_id[v] = v;
    WorkGraph threaded = graph;
    std::vector<uint32_t> threaded_community = community;
    std::vector<uint32_t> threaded_old_id = old_id;
    RenumberByCommunity(graph, community, count, old_id);
    RenumberByCommunity(threaded, threaded_community, count, threaded_old_id, 3);
    EXPECT_EQ(threaded.offsets, graph.offsets);
    EXPECT_EQ(threaded.targets, graph.targets);
    EXPECT_EQ(threaded.weights, graph.weights);
    EXPECT_EQ(threaded.node_weight, graph.node_weight);
    EXPECT_EQ(threaded_community, community);
    EXPECT_EQ(threaded_old_id, old_id);

    EXPECT_TRUE(std::is_sorted(community.begin(), community.end()));
    std::set<uint32_t> seen(old_id.begin(), old_id.end());
    ASSERT_EQ(seen.size(), n) << "not a permutation";
    std::map<std::pair<uint32_t, uint32_t>, double> arcs;
    for (uint32_t v = 0; v < n; ++v) {
      EXPECT_EQ(community[v], community_before[old_id[v]]);
      EXPECT_EQ(graph.node_weight[v], before.node_weight[old_id[v]]);
      graph.ForEachArc(v, [&](uint32_t u, double w) { arcs[{old_id[v], old_id[u]}] += w; });
    }
    EXPECT_EQ(arcs, Arcs(before));
  }
}

TEST(CommunityInternalTest, SplitDisconnectedGivesEachConnectedPartItsOwnCommunity) {
  std::mt19937_64 rng(53);
  for (int i = 0; i < 200; ++i) {
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    const WorkGraph graph = Work(testing::RandomGraph(rng, testing::VariedSpec(rng, i)));
    const uint32_t n = graph.num_nodes;
    const std::vector<uint32_t> community =
        RandomLabels(rng, n, 1 + static_cast<uint32_t>(rng() % 3));
    // Reference: u and v share a part iff they share a community and a path inside it joins
    // them, found by repeated relaxation over all arcs until nothing changes.
    std::vector<std::vector<bool>> joined(n, std::vector<bool>(n, false));
    for (uint32_t v = 0; v < n; ++v) joined[v][v] = true;
    for (bool changed = true; changed;) {
      changed = false;
      for (uint32_t v = 0; v < n; ++v) {
        for (uint32_t u : graph.Neighbours(v)) {
          if (community[u] != community[v]) continue;
          for (uint32_t x = 0; x < n; ++x) {
            if (joined[x][v] && !(joined[x][u] && joined[u][x])) {
              joined[x][u] = joined[u][x] = true;
              changed = true;
            }
          }
        }
      }
    }
    std::vector<uint32_t> parts = community;
    const uint32_t count = SplitDisconnected(graph, parts);
    std::set<uint32_t> distinct(parts.begin(), parts.end());
    EXPECT_EQ(distinct.size(), count);
    uint32_t next = 0;  // parts are numbered in order of their smallest node
    for (uint32_t v = 0; v < n; ++v) {
      ASSERT_LE(parts[v], next);
      next += parts[v] == next;
    }
    std::vector<uint32_t> threaded = community;
    EXPECT_EQ(SplitDisconnected(graph, threaded, 3), count);
    EXPECT_EQ(threaded, parts);
    for (uint32_t v = 0; v < n; ++v) {
      ASSERT_LT(parts[v], count);
      for (uint32_t u = 0; u < n; ++u)
        EXPECT_EQ(parts[u] == parts[v], joined[u][v]) << u << " " << v;
    }
  }
}

// Only the communities flagged as suspect are searched; the result is the full split's as long
// as every community left out is connected, and a disconnected one left out stays whole.
TEST(CommunityInternalTest, SplitDisconnectedSearchesOnlyTheSuspects) {
  std::mt19937_64 rng(59);
  int kept_whole = 0;
  for (int i = 0; i < 200; ++i) {
    SCOPED_TRACE(::testing::Message() << "graph " << i);
    const WorkGraph graph = Work(testing::RandomGraph(rng, testing::VariedSpec(rng, i)));
    const uint32_t n = graph.num_nodes;
    const uint32_t bound = 1 + static_cast<uint32_t>(rng() % 4);
    const std::vector<uint32_t> community = RandomLabels(rng, n, bound);
    std::vector<uint32_t> full = community;
    const uint32_t count = SplitDisconnected(graph, full);
    // A community is disconnected when the full split gives its members more than one part.
    std::vector<std::set<uint32_t>> parts_of(bound);
    for (uint32_t v = 0; v < n; ++v) parts_of[community[v]].insert(full[v]);
    std::vector<char> suspect(bound, 0);
    for (uint32_t c = 0; c < bound; ++c) suspect[c] = parts_of[c].size() > 1 || rng() % 2 == 0;
    for (unsigned threads : {1u, 3u}) {
      std::vector<uint32_t> restricted = community;
      EXPECT_EQ(SplitDisconnected(graph, restricted, threads, &suspect), count);
      EXPECT_EQ(restricted, full);
    }
    // Left out, a disconnected community keeps all its members together.
    for (uint32_t c = 0; c < bound; ++c) {
      if (parts_of[c].size() < 2) continue;
      std::vector<char> all_but_c(bound, 1);
      all_but_c[c] = 0;
      std::vector<uint32_t> restricted = community;
      EXPECT_EQ(SplitDisconnected(graph, restricted, 1, &all_but_c),
                count - parts_of[c].size() + 1);
      std::set<uint32_t> labels_of_c;
      for (uint32_t v = 0; v < n; ++v) {
        if (community[v] == c) labels_of_c.insert(restricted[v]);
      }
      EXPECT_EQ(labels_of_c.size(), 1u);
      ++kept_whole;
    }
  }
  EXPECT_GT(kept_whole, 20);  // the random graphs do have disconnected communities
}

}  // namespace
}  // namespace trafnet::algorithms::community_internal
