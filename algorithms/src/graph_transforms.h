// Graph-to-graph helpers shared by the components, coreness and community kernels.
#ifndef TRAFNET_ALGORITHMS_GRAPH_TRANSFORMS_H_
#define TRAFNET_ALGORITHMS_GRAPH_TRANSFORMS_H_

#include "trafnet/algorithms/csr_graph.h"

namespace trafnet::algorithms {

// The undirected graph with one edge per arc of `graph` (weights kept), for kernels defined
// on undirected graphs. A pair of opposite arcs u->v, v->u becomes two parallel edges, so
// degrees are in-degree + out-degree. REQUIRES: graph.directed(). O(n + m) time and memory.
CsrGraph Symmetrize(const CsrGraph& graph);

// Returns `graph` itself when it is undirected, or its symmetrized copy stored in `storage`.
// Lets a kernel run on undirected input without a copy.
const CsrGraph& AsUndirected(const CsrGraph& graph, CsrGraph& storage);

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_GRAPH_TRANSFORMS_H_
