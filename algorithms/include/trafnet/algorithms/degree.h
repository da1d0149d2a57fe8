// Degree centrality: how many ties each vertex has, or their total weight.
//
// On an undirected graph the degree of v is the number of arcs stored for v, so a self-loop
// counts twice and parallel edges each count, as in networkx's `G.degree`. On a directed
// graph the direction picks out-arcs, in-arcs or both.
#ifndef TRAFNET_ALGORITHMS_DEGREE_H_
#define TRAFNET_ALGORITHMS_DEGREE_H_

#include <vector>

#include "trafnet/algorithms/csr_graph.h"

namespace trafnet::algorithms {

enum class DegreeDirection {
  kOut,    // arcs leaving v
  kIn,     // arcs entering v
  kTotal,  // both; ignored, like the other two, on an undirected graph
};

struct DegreeOptions {
  // Which arcs to count on a directed graph.
  DegreeDirection direction = DegreeDirection::kOut;
  // Sum the arc weights instead of counting arcs (networkx `degree(weight="weight")`). On an
  // unweighted graph every arc weighs 1, so this changes nothing.
  bool weighted = false;
  // Divide by n - 1, as networkx's degree_centrality does; no scaling when n <= 1.
  bool normalized = false;
};

// One value per vertex. O(n + m).
std::vector<double> DegreeCentrality(const CsrGraph& graph, const DegreeOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_DEGREE_H_
