#include "simple_graph.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <type_traits>

namespace trafnet::engine {

namespace {

using algorithms::Vertex;

// An arc while the graph is built: its target and, for a weighted graph, its summed weight.
struct WeightedArc {
  Vertex target;
  double weight;
};
Vertex TargetOf(Vertex arc) { return arc; }
Vertex TargetOf(const WeightedArc& arc) { return arc.target; }

template <bool kWeighted>
algorithms::CsrGraph BuildAs(Vertex n, std::vector<std::vector<WeightedEdge>>& parts,
                             bool directed) {
  using Arc = std::conditional_t<kWeighted, WeightedArc, Vertex>;
  auto make_arc = [](Vertex target, double weight) {
    if constexpr (kWeighted) {
      return Arc{target, weight};
    } else {
      (void)weight;
      return target;
    }
  };
  std::vector<uint64_t> offsets(static_cast<size_t>(n) + 1, 0);
  for (const std::vector<WeightedEdge>& edges : parts) {
    for (const WeightedEdge& e : edges) {
      if (e.from == e.to) continue;
      ++offsets[e.from + 1];
      if (!directed) ++offsets[e.to + 1];
    }
  }
  for (size_t v = 0; v < n; ++v) offsets[v + 1] += offsets[v];
  std::vector<Arc> arcs(offsets.back());
  {
    std::vector<uint64_t> cursor(offsets.begin(), offsets.end() - 1);
    for (std::vector<WeightedEdge>& edges : parts) {
      for (const WeightedEdge& e : edges) {
        if (e.from == e.to) continue;
        arcs[cursor[e.from]++] = make_arc(e.to, e.weight);
        if (!directed) arcs[cursor[e.to]++] = make_arc(e.from, e.weight);
      }
      edges = std::vector<WeightedEdge>();
    }
  }
  // Each vertex's arcs by target (stable, so that repeats are summed in input order), repeats
  // merged, packed to the left of the vertex's range; `kept` counts what is left.
  std::vector<uint64_t> kept(n, 0);
  auto by_target = [](const Arc& a, const Arc& b) { return TargetOf(a) < TargetOf(b); };
  for (Vertex v = 0; v < n; ++v) {
    Arc* begin = arcs.data() + offsets[v];
    Arc* end = arcs.data() + offsets[v + 1];
    if (end - begin <= 16) {
      for (Arc* i = begin + 1; i < end; ++i) {  // insertion sort: stable, fast for short lists
        Arc arc = *i;
        Arc* j = i;
        for (; j > begin && TargetOf(arc) < TargetOf(*(j - 1)); --j) *j = *(j - 1);
        *j = arc;
      }
    } else {
      std::stable_sort(begin, end, by_target);
    }
    Arc* out = begin;
    for (Arc* i = begin; i < end; ++i) {
      if (out > begin && TargetOf(*(out - 1)) == TargetOf(*i)) {
        if constexpr (kWeighted) (out - 1)->weight += i->weight;
      } else {
        *out++ = *i;
      }
    }
    kept[v] = static_cast<uint64_t>(out - begin);
  }
  std::vector<uint64_t> csr_offsets(static_cast<size_t>(n) + 1, 0);
  for (Vertex v = 0; v < n; ++v) csr_offsets[v + 1] = csr_offsets[v] + kept[v];
  std::vector<Vertex> targets(csr_offsets.back());
  std::vector<float> weights(kWeighted ? csr_offsets.back() : 0);
  for (Vertex v = 0; v < n; ++v) {
    const Arc* from = arcs.data() + offsets[v];
    for (uint64_t i = 0; i < kept[v]; ++i) {
      targets[csr_offsets[v] + i] = TargetOf(from[i]);
      if constexpr (kWeighted) weights[csr_offsets[v] + i] = static_cast<float>(from[i].weight);
    }
  }
  arcs.clear();
  arcs.shrink_to_fit();
  auto graph = algorithms::CsrGraph::FromArrays(directed, std::move(csr_offsets),
                                                std::move(targets), std::move(weights));
  assert(graph.ok());  // the arrays are a graph by construction
  return std::move(graph).value();
}

}  // namespace

algorithms::CsrGraph BuildSimpleGraph(Vertex n, std::vector<std::vector<WeightedEdge>>& parts,
                                      bool directed, bool weighted) {
  return weighted ? BuildAs<true>(n, parts, directed) : BuildAs<false>(n, parts, directed);
}

algorithms::CsrGraph BuildSimpleGraph(Vertex n, std::vector<WeightedEdge>& edges, bool directed,
                                      bool weighted) {
  std::vector<std::vector<WeightedEdge>> parts(1);
  parts[0] = std::move(edges);
  edges = std::vector<WeightedEdge>();
  return BuildSimpleGraph(n, parts, directed, weighted);
}

}  // namespace trafnet::engine
