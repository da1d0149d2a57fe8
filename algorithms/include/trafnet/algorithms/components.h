// Connected components of a CsrGraph: weak (direction ignored) and strong (directed).
//
// Both return a component id per vertex, numbered 0..count-1 in order of each component's
// smallest vertex (so vertex 0 is always in component 0), which makes results comparable
// across kernels and runs. Neither can fail: every CsrGraph has components.
#ifndef TRAFNET_ALGORITHMS_COMPONENTS_H_
#define TRAFNET_ALGORITHMS_COMPONENTS_H_

#include <cstdint>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

struct ComponentsResult {
  std::vector<uint32_t> component;  // per vertex: its component id, 0..count-1
  uint32_t count = 0;               // number of components (isolated vertices count)
  std::vector<uint64_t> sizes;      // per component id: number of vertices
};

struct ComponentsOptions {
  // Worker threads; 0 means one per hardware thread. The result does not depend on it.
  int threads = 1;
};

// Weakly connected components: for an undirected graph its connected components, for a
// directed graph the components of the graph with arc directions ignored.
// O(n + m) time (near-linear union-find), O(n) extra memory. Thread-compatible.
ComponentsResult WeaklyConnectedComponents(const CsrGraph& graph);
// The same on options.threads workers; InvalidArgument when threads is negative.
StatusOr<ComponentsResult> WeaklyConnectedComponents(const CsrGraph& graph,
                                                     const ComponentsOptions& options);

// Strongly connected components: maximal sets of vertices that reach one another along arcs.
// On an undirected graph these are its connected components.
// O(n + m) time and O(n) extra memory (Tarjan's algorithm, iterative: no recursion depth limit).
ComponentsResult StronglyConnectedComponents(const CsrGraph& graph);

// Renumbers arbitrary labels (one per vertex, each < label_bound) so the component holding the
// smallest vertex is 0, the next new label met in vertex order is 1, and so on; fills count and
// sizes. Exposed for kernels that produce raw labels.
ComponentsResult NumberBySmallestVertex(const std::vector<uint32_t>& labels, uint32_t label_bound);

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_COMPONENTS_H_
