// Test graphs for the components, coreness and community tests: Zachary's karate club typed
// in, small seeded random multigraphs (self-loops and parallel edges included), planted
// partitions, and slow obviously-correct helpers shared by those tests.
#ifndef TRAFNET_TESTS_ALGORITHMS_COMMUNITY_REFERENCE_H_
#define TRAFNET_TESTS_ALGORITHMS_COMMUNITY_REFERENCE_H_

#include <cstdint>
#include <deque>
#include <random>
#include <utility>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"

namespace trafnet::algorithms::testing {

// Zachary, "An information flow model for conflict and fission in small groups" (1977):
// 34 members, 78 friendships, 0-based as in NetworkX's karate_club_graph().
inline std::vector<Edge> KarateEdges() {
  static constexpr std::pair<Vertex, Vertex> kEdges[] = {
      {0, 1},   {0, 2},   {0, 3},   {0, 4},   {0, 5},   {0, 6},   {0, 7},   {0, 8},   {0, 10},
      {0, 11},  {0, 12},  {0, 13},  {0, 17},  {0, 19},  {0, 21},  {0, 31},  {1, 2},   {1, 3},
      {1, 7},   {1, 13},  {1, 17},  {1, 19},  {1, 21},  {1, 30},  {2, 3},   {2, 7},   {2, 8},
      {2, 9},   {2, 13},  {2, 27},  {2, 28},  {2, 32},  {3, 7},   {3, 12},  {3, 13},  {4, 6},
      {4, 10},  {5, 6},   {5, 10},  {5, 16},  {6, 16},  {8, 30},  {8, 32},  {8, 33},  {9, 33},
      {13, 33}, {14, 32}, {14, 33}, {15, 32}, {15, 33}, {18, 32}, {18, 33}, {19, 33}, {20, 32},
      {20, 33}, {22, 32}, {22, 33}, {23, 25}, {23, 27}, {23, 29}, {23, 32}, {23, 33}, {24, 25},
      {24, 27}, {24, 31}, {25, 31}, {26, 29}, {26, 33}, {27, 33}, {28, 31}, {28, 33}, {29, 32},
      {29, 33}, {30, 32}, {30, 33}, {31, 32}, {31, 33}, {32, 33}};
  std::vector<Edge> edges;
  for (const auto& [u, v] : kEdges) edges.push_back({u, v, 1.0f});
  return edges;
}

inline CsrGraph KarateClub() {
  std::vector<Edge> edges = KarateEdges();
  return CsrGraph::FromEdges(34, edges, /*directed=*/false, /*weighted=*/false);
}

// The club's split after the fission: 1 for the members who followed the officer (vertex 33),
// 0 for Mr. Hi's (vertex 0), per NetworkX's "club" attribute.
inline std::vector<uint32_t> KarateFactions() {
  std::vector<uint32_t> side(34, 1);
  for (Vertex v : {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16, 17, 19, 21}) side[v] = 0;
  return side;
}

struct RandomGraphSpec {
  Vertex num_vertices = 10;
  uint32_t num_edges = 15;
  bool directed = false;
  bool weighted = false;
};

// Uniform random endpoints, so small graphs get self-loops and parallel edges; also adds one
// explicit self-loop and one duplicated edge so every graph has both. Weights in {0.5 .. 4}.
inline std::vector<Edge> RandomEdges(std::mt19937_64& rng, const RandomGraphSpec& spec) {
  std::uniform_int_distribution<Vertex> vertex(0, spec.num_vertices - 1);
  std::uniform_int_distribution<int> weight(1, 8);
  std::vector<Edge> edges;
  for (uint32_t i = 0; i < spec.num_edges; ++i) {
    edges.push_back({vertex(rng), vertex(rng), spec.weighted ? weight(rng) * 0.5f : 1.0f});
  }
  Vertex loop = vertex(rng);
  edges.push_back({loop, loop, spec.weighted ? weight(rng) * 0.5f : 1.0f});
  if (!edges.empty()) edges.push_back(edges.front());
  return edges;
}

inline CsrGraph RandomGraph(std::mt19937_64& rng, const RandomGraphSpec& spec) {
  std::vector<Edge> edges = RandomEdges(rng, spec);
  return CsrGraph::FromEdges(spec.num_vertices, edges, spec.directed, spec.weighted);
}

// The i-th of a family of varied small random specs: sizes 1..24, sparse to dense, directed
// on odd i, weighted when i % 4 >= 2.
inline RandomGraphSpec VariedSpec(std::mt19937_64& rng, int i) {
  RandomGraphSpec spec;
  spec.num_vertices = std::uniform_int_distribution<Vertex>(1, 24)(rng);
  spec.num_edges = std::uniform_int_distribution<uint32_t>(0, spec.num_vertices * 3)(rng);
  spec.directed = i % 2 == 1;
  spec.weighted = i % 4 >= 2;
  return spec;
}

// `groups` groups of `group_size` vertices; each pair inside a group is joined with
// probability p_in, each pair across groups with p_out. Undirected, optionally weighted.
inline CsrGraph PlantedPartition(std::mt19937_64& rng, uint32_t groups, uint32_t group_size,
                                 double p_in, double p_out, bool weighted) {
  std::bernoulli_distribution in(p_in);
  std::bernoulli_distribution out(p_out);
  std::uniform_int_distribution<int> weight(1, 4);
  const Vertex n = groups * group_size;
  std::vector<Edge> edges;
  for (Vertex u = 0; u < n; ++u) {
    for (Vertex v = u + 1; v < n; ++v) {
      const bool same = u / group_size == v / group_size;
      if (same ? in(rng) : out(rng)) {
        edges.push_back({u, v, weighted ? static_cast<float>(weight(rng)) : 1.0f});
      }
    }
  }
  return CsrGraph::FromEdges(n, edges, /*directed=*/false, weighted);
}

// Vertices reachable from `source` along arcs (and back along them too when `ignore_direction`),
// restricted to vertices with allowed[v]. Plain BFS over an adjacency matrix view.
inline std::vector<bool> Reachable(const CsrGraph& graph, Vertex source, bool ignore_direction,
                                   const std::vector<bool>& allowed) {
  const Vertex n = graph.num_vertices();
  std::vector<std::vector<Vertex>> adjacent(n);
  for (Vertex u = 0; u < n; ++u) {
    for (Vertex v : graph.neighbours(u)) {
      adjacent[u].push_back(v);
      if (ignore_direction) adjacent[v].push_back(u);
    }
  }
  std::vector<bool> seen(n, false);
  std::deque<Vertex> queue{source};
  seen[source] = true;
  while (!queue.empty()) {
    Vertex u = queue.front();
    queue.pop_front();
    for (Vertex v : adjacent[u]) {
      if (!seen[v] && allowed[v]) {
        seen[v] = true;
        queue.push_back(v);
      }
    }
  }
  return seen;
}

// Whether every community of `membership` induces a connected subgraph of `graph`
// (directions ignored).
inline bool AllCommunitiesConnected(const CsrGraph& graph,
                                    const std::vector<uint32_t>& membership) {
  const Vertex n = graph.num_vertices();
  std::vector<bool> checked(n, false);
  for (Vertex s = 0; s < n; ++s) {
    if (checked[s]) continue;
    std::vector<bool> allowed(n);
    for (Vertex v = 0; v < n; ++v) allowed[v] = membership[v] == membership[s];
    std::vector<bool> seen = Reachable(graph, s, /*ignore_direction=*/true, allowed);
    for (Vertex v = 0; v < n; ++v) {
      if (allowed[v] && !seen[v]) return false;
      if (allowed[v]) checked[v] = true;
    }
  }
  return true;
}

}  // namespace trafnet::algorithms::testing

#endif  // TRAFNET_TESTS_ALGORITHMS_COMMUNITY_REFERENCE_H_
