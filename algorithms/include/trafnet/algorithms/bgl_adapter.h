// Boost Graph Library view of a CsrGraph, so BGL algorithms run on it without a copy.
//
// Include this header, then call BGL directly: `boost::strong_components(graph, map)`.
// CsrGraph models IncidenceGraph, AdjacencyGraph and VertexListGraph, with a vertex_index
// property map (the identity: vertices are already 0..n-1) and an edge_index property map (the
// arc's slot in the CSR arrays, 0..num_arcs-1, usable to index per-arc data such as weights).
//
// BGL sees every CsrGraph as directed (`directed_tag`): an undirected CsrGraph stores each edge
// as two arcs, so to BGL it is a symmetric directed graph. Traversals (BFS, DFS,
// connected_components without named parameters, Dijkstra) give undirected answers on it;
// algorithms that statically require `undirected_tag` do not compile, by design, because the
// graph cannot promise at compile time that it is symmetric. Parallel arcs and self-loops are
// shown as they are stored.
//
// Edge descriptors are small values (source, target, arc index), valid as long as the graph.
#ifndef TRAFNET_ALGORITHMS_BGL_ADAPTER_H_
#define TRAFNET_ALGORITHMS_BGL_ADAPTER_H_

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <utility>

#include "trafnet/algorithms/csr_graph.h"

namespace trafnet::algorithms {

// One arc of a CsrGraph as BGL sees it.
struct CsrArc {
  Vertex source = 0;
  Vertex target = 0;
  uint64_t index = 0;  // slot in the CSR arrays; unique per arc

  friend bool operator==(const CsrArc& a, const CsrArc& b) { return a.index == b.index; }
  friend bool operator!=(const CsrArc& a, const CsrArc& b) { return a.index != b.index; }
};

// Walks the out-arcs of one vertex, yielding CsrArc values.
class CsrOutArcIterator
    : public boost::iterator_facade<CsrOutArcIterator, CsrArc, boost::random_access_traversal_tag,
                                    CsrArc> {
 public:
  CsrOutArcIterator() = default;
  CsrOutArcIterator(Vertex source, const Vertex* position, const Vertex* arcs_begin)
      : source_(source), position_(position), arcs_begin_(arcs_begin) {}

 private:
  friend class boost::iterator_core_access;

  CsrArc dereference() const {
    return {source_, *position_, static_cast<uint64_t>(position_ - arcs_begin_)};
  }
  bool equal(const CsrOutArcIterator& other) const { return position_ == other.position_; }
  void increment() { ++position_; }
  void decrement() { --position_; }
  void advance(std::ptrdiff_t n) { position_ += n; }
  std::ptrdiff_t distance_to(const CsrOutArcIterator& other) const {
    return other.position_ - position_;
  }

  Vertex source_ = 0;
  const Vertex* position_ = nullptr;
  const Vertex* arcs_begin_ = nullptr;  // start of the whole target array: arc index origin
};

// The identity map: a CsrGraph vertex is its own index.
struct CsrVertexIndexMap {
  using key_type = Vertex;
  using value_type = Vertex;
  using reference = Vertex;
  using category = boost::readable_property_map_tag;
};
inline Vertex get(CsrVertexIndexMap /*map*/, Vertex v) { return v; }

// An arc's slot in the CSR arrays.
struct CsrEdgeIndexMap {
  using key_type = CsrArc;
  using value_type = uint64_t;
  using reference = uint64_t;
  using category = boost::readable_property_map_tag;
};
inline uint64_t get(CsrEdgeIndexMap /*map*/, const CsrArc& arc) { return arc.index; }

// Free functions found by argument-dependent lookup, as BGL calls them unqualified.

inline std::pair<boost::counting_iterator<Vertex>, boost::counting_iterator<Vertex>> vertices(
    const CsrGraph& g) {
  return {boost::counting_iterator<Vertex>(0), boost::counting_iterator<Vertex>(g.num_vertices())};
}
inline Vertex num_vertices(const CsrGraph& g) { return g.num_vertices(); }
inline uint64_t num_edges(const CsrGraph& g) { return g.num_arcs(); }

inline std::pair<CsrOutArcIterator, CsrOutArcIterator> out_edges(Vertex v, const CsrGraph& g) {
  std::span<const Vertex> arcs = g.neighbours(v);
  // All neighbour spans point into one target array; vertex 0's span starts it.
  const Vertex* origin = g.neighbours(0).data();
  return {CsrOutArcIterator(v, arcs.data(), origin),
          CsrOutArcIterator(v, arcs.data() + arcs.size(), origin)};
}
inline uint64_t out_degree(Vertex v, const CsrGraph& g) { return g.degree(v); }
inline std::pair<const Vertex*, const Vertex*> adjacent_vertices(Vertex v, const CsrGraph& g) {
  std::span<const Vertex> arcs = g.neighbours(v);
  return {arcs.data(), arcs.data() + arcs.size()};
}
inline Vertex source(const CsrArc& arc, const CsrGraph& /*g*/) { return arc.source; }
inline Vertex target(const CsrArc& arc, const CsrGraph& /*g*/) { return arc.target; }

inline CsrVertexIndexMap get(boost::vertex_index_t /*tag*/, const CsrGraph& /*g*/) { return {}; }
inline Vertex get(boost::vertex_index_t /*tag*/, const CsrGraph& /*g*/, Vertex v) { return v; }
inline CsrEdgeIndexMap get(boost::edge_index_t /*tag*/, const CsrGraph& /*g*/) { return {}; }
inline uint64_t get(boost::edge_index_t /*tag*/, const CsrGraph& /*g*/, const CsrArc& arc) {
  return arc.index;
}

}  // namespace trafnet::algorithms

namespace boost {

template <>
struct graph_traits<trafnet::algorithms::CsrGraph> {
  struct traversal_category : incidence_graph_tag, adjacency_graph_tag, vertex_list_graph_tag {};
  using vertex_descriptor = trafnet::algorithms::Vertex;
  using edge_descriptor = trafnet::algorithms::CsrArc;
  using directed_category = directed_tag;
  using edge_parallel_category = allow_parallel_edge_tag;

  using vertex_iterator = counting_iterator<trafnet::algorithms::Vertex>;
  using out_edge_iterator = trafnet::algorithms::CsrOutArcIterator;
  using adjacency_iterator = const trafnet::algorithms::Vertex*;
  using in_edge_iterator = void;
  using edge_iterator = void;

  using vertices_size_type = trafnet::algorithms::Vertex;
  using edges_size_type = uint64_t;
  using degree_size_type = uint64_t;

  static vertex_descriptor null_vertex() { return ~vertex_descriptor{0}; }
};

template <>
struct property_map<trafnet::algorithms::CsrGraph, vertex_index_t> {
  using type = trafnet::algorithms::CsrVertexIndexMap;
  using const_type = trafnet::algorithms::CsrVertexIndexMap;
};

template <>
struct property_map<trafnet::algorithms::CsrGraph, edge_index_t> {
  using type = trafnet::algorithms::CsrEdgeIndexMap;
  using const_type = trafnet::algorithms::CsrEdgeIndexMap;
};

}  // namespace boost

#endif  // TRAFNET_ALGORITHMS_BGL_ADAPTER_H_
