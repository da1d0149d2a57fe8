// Breadth-first search: hop distances from one vertex along arcs (both ways on an undirected
// graph), by direction-optimizing BFS (Beamer, Asanović & Patterson, "Direction-Optimizing
// Breadth-First Search", SC 2012; the GAP Benchmark Suite's bfs.cc).
//
// Small frontiers are expanded top-down (each frontier vertex looks at its out-arcs); once the
// frontier's arcs outnumber the unexplored ones by a factor `alpha`, the search goes bottom-up
// (each unvisited vertex looks at its in-arcs for a parent in the frontier, stopping at the
// first), and back top-down when the frontier shrinks below n / `beta`. On low-diameter graphs
// most arcs are then never looked at. Distances are unique, so the result does not depend on
// the schedule or the thread count.
#ifndef TRAFNET_ALGORITHMS_BFS_H_
#define TRAFNET_ALGORITHMS_BFS_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

inline constexpr uint32_t kUnreachedDistance = std::numeric_limits<uint32_t>::max();

struct BfsOptions {
  // Beamer's switching parameters (the GAP defaults).
  double alpha = 15.0;
  double beta = 18.0;
  // Worker threads for the bottom-up steps; 0 means one per hardware thread.
  int threads = 1;
};

struct BfsResult {
  std::vector<uint32_t> distance;  // per vertex: hops from the source, or kUnreachedDistance
  uint64_t reached = 0;            // vertices at a finite distance, the source included
  uint32_t depth = 0;              // the largest finite distance
};

// O(n + m) time; O(n) extra memory for an undirected graph, O(n + m) for a directed one (its
// reverse is built for the bottom-up steps). InvalidArgument for a source >= n or bad options.
StatusOr<BfsResult> BreadthFirstSearch(const CsrGraph& graph, Vertex source,
                                       const BfsOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_BFS_H_
