// Closeness and harmonic centrality: how near a vertex is to all the others.
//
// With d(u, v) the shortest-path distance (hops or weighted lengths):
//   closeness(v) = (r - 1) / sum_{u reaches v} d(u, v) * (r - 1) / (n - 1)
// where r counts the vertices that reach v, v included: the Wasserman & Faust (1994)
// correction for disconnected graphs, networkx's closeness_centrality(wf_improved=True).
// Without the correction it is (r - 1) / sum d. A vertex nobody reaches scores 0.
//   harmonic(v) = sum_{u != v, u reaches v} 1 / d(u, v)   (Marchiori & Latora 2000)
// optionally divided by n - 1.
// On a directed graph the distances are taken towards v (incoming), as networkx does, unless
// `direction` says outgoing.
#ifndef TRAFNET_ALGORITHMS_CLOSENESS_H_
#define TRAFNET_ALGORITHMS_CLOSENESS_H_

#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/algorithms/edge_length.h"
#include "trafnet/algorithms/progress.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

enum class PathDirection {
  kIncoming,  // d(u, v) over paths ending at v (networkx's convention)
  kOutgoing,  // d(v, u) over paths starting at v
};

struct ClosenessOptions {
  // Hops (BFS), or weighted lengths (Dijkstra; weights must be finite and > 0).
  EdgeLength length = EdgeLength::kHops;
  PathDirection direction = PathDirection::kIncoming;  // ignored on undirected graphs
  // Scale by the fraction of vertices reached (Wasserman & Faust); networkx's default.
  bool wf_improved = true;
  int threads = 1;  // 0 means one per hardware thread; results do not depend on it
  ProgressFn progress = nullptr;  // told how many of the n searches are done (see progress.h)
};

struct HarmonicOptions {
  EdgeLength length = EdgeLength::kHops;
  PathDirection direction = PathDirection::kIncoming;  // ignored on undirected graphs
  // Divide by n - 1 so that a vertex adjacent to all others scores 1 (hops). networkx
  // does not normalise.
  bool normalized = false;
  int threads = 1;
  ProgressFn progress = nullptr;  // told how many of the n searches are done (see progress.h)
};

// One shortest-path search per vertex: O(n m) for hops, O(n (m + n log n)) weighted; O(n)
// space per thread (plus the reverse graph for incoming distances on a directed graph).
// InvalidArgument for weighted lengths on an unweighted graph, a weight that is not finite
// and > 0, or a negative thread count.
StatusOr<std::vector<double>> Closeness(const CsrGraph& graph,
                                        const ClosenessOptions& options = {});
StatusOr<std::vector<double>> HarmonicCentrality(const CsrGraph& graph,
                                                 const HarmonicOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_CLOSENESS_H_
