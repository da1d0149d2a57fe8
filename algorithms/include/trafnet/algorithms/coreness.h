// k-core numbers (coreness) of the vertices of a CsrGraph.
//
// The k-core is the largest subgraph in which every vertex has degree >= k; a vertex's
// coreness is the largest k whose k-core holds it. Degrees are undirected multigraph degrees:
// parallel edges each count, and a directed graph is read with directions ignored (a vertex's
// degree is its in-degree plus its out-degree).
#ifndef TRAFNET_ALGORITHMS_CORENESS_H_
#define TRAFNET_ALGORITHMS_CORENESS_H_

#include <cstdint>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

struct CorenessOptions {
  // Whether a self-loop adds to its vertex's degree (by 2, as it has two ends). Off by default:
  // a record linked to itself says nothing about how embedded it is among others.
  bool count_self_loops = false;
  // Worker threads for the peel; 0 means one per hardware thread. The result does not depend
  // on it (coreness is unique).
  int threads = 1;
};

struct CorenessResult {
  std::vector<uint32_t> coreness;  // per vertex
  uint32_t max_coreness = 0;       // the degeneracy of the graph; 0 for an empty graph
};

// Peels the graph level by level (the Batagelj–Zaversnik order, scheduled as in ParK/PKC),
// on several threads when asked. O(n + m) time, O(n) extra memory (plus an O(n + m) undirected
// copy when the graph is directed). InvalidArgument when a vertex's degree does not fit in
// 32 bits or threads is negative.
StatusOr<CorenessResult> Coreness(const CsrGraph& graph, const CorenessOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_CORENESS_H_
