// Seeded random graphs for the algorithm benchmarks, and the edge-list file both trafnet and the
// Python peers (bench/peers/peers.py) read, so every library times the very same graph.
//
// Every generator is a pure function of its options: the same seed gives the same edge list on
// any platform, because randomness comes from std::mt19937_64 (fully specified by the standard)
// mapped to ranges by our own code rather than by std::uniform_int_distribution (whose output is
// left to each standard library).
//
// All graphs are simple and undirected: no self-loops, no parallel edges, each edge listed once
// with from < to, and the list sorted by (from, to).
#ifndef TRAFNET_BENCH_GRAPH_GENERATORS_H_
#define TRAFNET_BENCH_GRAPH_GENERATORS_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::bench {

struct EdgeList {
  algorithms::Vertex num_vertices = 0;
  std::vector<algorithms::Edge> edges;  // undirected, from < to, weight 1
};

// Erdős–Rényi G(n, m): `edges` distinct pairs drawn uniformly from all n(n-1)/2.
struct UniformOptions {
  uint32_t vertices = 1'000'000;
  uint64_t edges = 10'000'000;  // must be <= n(n-1)/2
  uint64_t seed = 1;
};

// Barabási–Albert preferential attachment, as networkx's barabasi_albert_graph(n, m): vertices
// 0..m-1 start unconnected, then each new vertex links to m distinct earlier vertices chosen with
// probability proportional to their degree. (n - m) * m edges.
struct PreferentialAttachmentOptions {
  uint32_t vertices = 10'000;
  uint32_t edges_per_vertex = 5;  // m; 1 <= m < vertices
  uint64_t seed = 1;
};

// Planted partition: `communities` groups of (nearly) equal size over a seeded shuffle of the
// vertex ids (so a community is not a contiguous id range that would flatter cache locality).
// Each edge is, with probability 1 - mixing, between two members of one community chosen
// uniformly, otherwise between two vertices of different communities. With equal-sized
// communities the planted partition's modularity is about (1 - mixing) - 1/communities.
struct PlantedPartitionOptions {
  uint32_t vertices = 1'000'000;
  uint64_t edges = 10'000'000;
  uint32_t communities = 1000;  // >= 2, and each must hold >= 2 vertices
  double mixing = 0.2;          // fraction of edges between communities, in [0, 1]
  uint64_t seed = 1;
};

StatusOr<EdgeList> GenerateUniform(const UniformOptions& options);
StatusOr<EdgeList> GeneratePreferentialAttachment(const PreferentialAttachmentOptions& options);
StatusOr<EdgeList> GeneratePlantedPartition(const PlantedPartitionOptions& options);

// Writes "# trafnet edge list: n=<vertices> m=<edges> undirected" then one "u v" line per edge.
// The header carries n because isolated vertices appear on no line.
Status WriteEdgeList(const EdgeList& graph, const std::filesystem::path& path);

// Reads a file written by WriteEdgeList (other '#' lines are skipped). n is the header's value,
// or max id + 1 when there is no header. Corruption with file:line on a malformed line.
StatusOr<EdgeList> ReadEdgeList(const std::filesystem::path& path);

// The undirected CSR graph of an edge list.
algorithms::CsrGraph ToCsr(const EdgeList& graph);

}  // namespace trafnet::bench

#endif  // TRAFNET_BENCH_GRAPH_GENERATORS_H_
