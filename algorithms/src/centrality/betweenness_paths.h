// Betweenness by sampling shortest paths (Riondato & Kornaropoulos, "Fast approximation of
// betweenness centrality through sampling", Data Min. Knowl. Discov. 30(2), 2016), each path
// found by a balanced bidirectional BFS (Borassi & Natale, "KADABRA is an ADaptive Algorithm
// for Betweenness via Random Approximation", ACM JEA 24, 2019). Private to betweenness.cc.
#ifndef TRAFNET_ALGORITHMS_SRC_CENTRALITY_BETWEENNESS_PATHS_H_
#define TRAFNET_ALGORITHMS_SRC_CENTRALITY_BETWEENNESS_PATHS_H_

#include <cstdint>
#include <vector>

#include "centrality/centrality_internal.h"
#include "trafnet/algorithms/csr_graph.h"

namespace trafnet::algorithms::internal {

// An upper bound on the number of vertices of any shortest path (hops): on an undirected
// graph 2e + 1, with e the largest eccentricity of a BFS from the smallest vertex of each
// component (any shortest path of a component is at most twice that eccentricity long); on a
// directed graph the size of the largest weak component. At least 1 when n > 0. O(n + m).
uint32_t VertexDiameterBound(const CsrGraph& graph);

// Draws `paths` shortest paths: for draw i an ordered pair (s, t), s != t, uniform, then one
// shortest s-t path uniform among all of them (none when t is unreachable). Returns, per
// vertex, the number of drawn paths it lies inside (endpoints excluded). Each draw's random
// numbers come from (seed, i) alone and the counts are integers, so the result is the same
// for any thread count. REQUIRES: graph.num_vertices() >= 2.
std::vector<uint64_t> CountOnSampledPaths(const CsrGraph& graph, uint64_t paths, uint64_t seed,
                                          unsigned threads, ProgressCounter& progress);

}  // namespace trafnet::algorithms::internal

#endif  // TRAFNET_ALGORITHMS_SRC_CENTRALITY_BETWEENNESS_PATHS_H_
