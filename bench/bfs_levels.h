// One breadth-first search over a CsrGraph, run by the Boost Graph Library through
// bgl_adapter.h. Shared by algorithms_bench and peers_driver so both time the same call.
#ifndef TRAFNET_BENCH_BFS_LEVELS_H_
#define TRAFNET_BENCH_BFS_LEVELS_H_

#include <cstdint>
#include <limits>
#include <vector>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>

#include "trafnet/algorithms/bgl_adapter.h"
#include "trafnet/algorithms/csr_graph.h"

namespace trafnet::bench {

inline constexpr uint32_t kUnreached = std::numeric_limits<uint32_t>::max();

// Hop distance from `source` to every vertex (kUnreached where there is no path).
// REQUIRES: source < graph.num_vertices().
inline std::vector<uint32_t> BfsLevels(const algorithms::CsrGraph& graph,
                                       algorithms::Vertex source) {
  std::vector<uint32_t> distance(graph.num_vertices(), kUnreached);
  std::vector<boost::default_color_type> colour(graph.num_vertices());
  auto index = get(boost::vertex_index, graph);
  auto distance_map = boost::make_iterator_property_map(distance.begin(), index);
  distance[source] = 0;
  boost::breadth_first_search(
      graph, source,
      boost::visitor(boost::make_bfs_visitor(
                         boost::record_distances(distance_map, boost::on_tree_edge())))
          .color_map(boost::make_iterator_property_map(colour.begin(), index)));
  return distance;
}

}  // namespace trafnet::bench

#endif  // TRAFNET_BENCH_BFS_LEVELS_H_
