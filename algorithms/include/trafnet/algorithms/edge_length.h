// How a shortest-path kernel (betweenness, closeness, harmonic centrality) measures the
// length of an arc.
#ifndef TRAFNET_ALGORITHMS_EDGE_LENGTH_H_
#define TRAFNET_ALGORITHMS_EDGE_LENGTH_H_

namespace trafnet::algorithms {

enum class EdgeLength {
  kHops,           // every arc has length 1 (breadth-first search); weights are ignored
  kWeight,         // the arc's weight is its length (Dijkstra); e.g. a travel time
  kInverseWeight,  // 1 / weight is the length (Dijkstra); a heavy tie is a short one,
                   // e.g. when the weight counts calls between two phones
};

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_EDGE_LENGTH_H_
