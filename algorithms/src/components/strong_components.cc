// Strongly connected components by Tarjan's algorithm ("Depth-first search and linear graph
// algorithms", SIAM J. Comput. 1(2), 1972), iterative, directly over the CSR arrays.
//
// A depth-first search numbers vertices in visiting order (index) and tracks the smallest
// index reachable through the subtree and one back or cross arc into a vertex still on the
// component stack (low). A vertex whose low equals its index roots a component: everything
// above it on the component stack. The search keeps its own stack of (vertex, next arc), so a
// path of millions of vertices needs heap, not call stack.
//
// O(n + m) time; O(n) memory (three 32-bit arrays and two stacks). BGL's strong_components on
// the same graph through bgl_adapter.h gives the same components and serves as the test
// cross-check, but is several times slower (generic visitors, colour and root maps).
// Components are renumbered by smallest vertex, as for the weak components.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "trafnet/algorithms/components.h"

namespace trafnet::algorithms {

ComponentsResult StronglyConnectedComponents(const CsrGraph& graph) {
  if (!graph.directed()) return WeaklyConnectedComponents(graph);
  const Vertex n = graph.num_vertices();
  constexpr uint32_t kUnassigned = UINT32_MAX;
  std::vector<uint32_t> index(n, 0);  // 0: not visited yet; visiting order starts at 1
  std::vector<uint32_t> low(n, 0);
  std::vector<uint32_t> component(n, kUnassigned);
  std::vector<Vertex> component_stack;
  std::vector<std::pair<Vertex, uint32_t>> search;  // (vertex, arcs of it already followed)
  uint32_t visited = 0;
  uint32_t count = 0;

  for (Vertex root = 0; root < n; ++root) {
    if (index[root] != 0) continue;
    index[root] = low[root] = ++visited;
    component_stack.push_back(root);
    search.emplace_back(root, 0);
    while (!search.empty()) {
      const Vertex v = search.back().first;
      std::span<const Vertex> targets = graph.neighbours(v);
      uint32_t& next_arc = search.back().second;
      if (next_arc < targets.size()) {
        const Vertex w = targets[next_arc++];
        if (index[w] == 0) {
          index[w] = low[w] = ++visited;
          component_stack.push_back(w);
          search.emplace_back(w, 0);
        } else if (component[w] == kUnassigned) {  // w is on the component stack
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      search.pop_back();
      if (low[v] == index[v]) {
        Vertex w;
        do {
          w = component_stack.back();
          component_stack.pop_back();
          component[w] = count;
        } while (w != v);
        ++count;
      }
      if (!search.empty()) {
        const Vertex parent = search.back().first;
        low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
  return NumberBySmallestVertex(component, count);
}

}  // namespace trafnet::algorithms
