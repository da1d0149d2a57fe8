#include "simple_graph.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "parallel_for.h"

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

// Vertex ranges for the per-vertex passes: fixed by n alone.
constexpr size_t kVertexChunks = 64;

template <bool kWeighted>
algorithms::CsrGraph BuildAs(Vertex n, std::vector<std::vector<WeightedEdge>>& parts, bool directed,
                             unsigned threads) {
  using Arc = std::conditional_t<kWeighted, WeightedArc, Vertex>;
  auto make_arc = [](Vertex target, double weight) {
    if constexpr (kWeighted) {
      return Arc{target, weight};
    } else {
      (void)weight;
      return target;
    }
  };
  // Each part's arcs per vertex, counted side by side; then, in place, where the part's arcs
  // of each vertex start: after the arcs of the parts before it, as one pass over the parts in
  // order would place them.
  std::vector<std::vector<uint64_t>> cursor(parts.size());
  ForEachIndex(parts.size(), threads, [&](size_t p) {
    std::vector<uint64_t>& count = cursor[p];
    count.assign(n, 0);
    for (const WeightedEdge& e : parts[p]) {
      if (e.from == e.to) continue;
      ++count[e.from];
      if (!directed) ++count[e.to];
    }
  });
  std::vector<uint64_t> offsets(static_cast<size_t>(n) + 1, 0);
  for (size_t v = 0; v < n; ++v) {
    uint64_t at = offsets[v];
    for (std::vector<uint64_t>& count : cursor) {
      const uint64_t mine = count[v];
      count[v] = at;
      at += mine;
    }
    offsets[v + 1] = at;
  }
  std::vector<Arc> arcs(offsets.back());
  ForEachIndex(parts.size(), threads, [&](size_t p) {
    std::vector<uint64_t>& next = cursor[p];
    for (const WeightedEdge& e : parts[p]) {
      if (e.from == e.to) continue;
      arcs[next[e.from]++] = make_arc(e.to, e.weight);
      if (!directed) arcs[next[e.to]++] = make_arc(e.from, e.weight);
    }
    parts[p] = std::vector<WeightedEdge>();
    next = std::vector<uint64_t>();
  });
  // Each vertex's arcs by target (stable, so that repeats are summed in input order), repeats
  // merged, packed to the left of the vertex's range; `kept` counts what is left.
  std::vector<uint64_t> kept(n, 0);
  auto by_target = [](const Arc& a, const Arc& b) { return TargetOf(a) < TargetOf(b); };
  const size_t chunk = (static_cast<size_t>(n) + kVertexChunks - 1) / kVertexChunks;
  auto vertices_of = [&](size_t c) {
    return std::pair<Vertex, Vertex>(static_cast<Vertex>(std::min<size_t>(n, c * chunk)),
                                     static_cast<Vertex>(std::min<size_t>(n, (c + 1) * chunk)));
  };
  ForEachIndex(kVertexChunks, threads, [&](size_t c) {
    const auto [first, last] = vertices_of(c);
    for (Vertex v = first; v < last; ++v) {
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
  });
  std::vector<uint64_t> csr_offsets(static_cast<size_t>(n) + 1, 0);
  for (Vertex v = 0; v < n; ++v) csr_offsets[v + 1] = csr_offsets[v] + kept[v];
  std::vector<Vertex> targets(csr_offsets.back());
  std::vector<float> weights(kWeighted ? csr_offsets.back() : 0);
  ForEachIndex(kVertexChunks, threads, [&](size_t c) {
    const auto [first, last] = vertices_of(c);
    for (Vertex v = first; v < last; ++v) {
      const Arc* from = arcs.data() + offsets[v];
      for (uint64_t i = 0; i < kept[v]; ++i) {
        targets[csr_offsets[v] + i] = TargetOf(from[i]);
        if constexpr (kWeighted) weights[csr_offsets[v] + i] = static_cast<float>(from[i].weight);
      }
    }
  });
  arcs.clear();
  arcs.shrink_to_fit();
  auto graph = algorithms::CsrGraph::FromArrays(directed, std::move(csr_offsets),
                                                std::move(targets), std::move(weights));
  assert(graph.ok());  // the arrays are a graph by construction
  return std::move(graph).value();
}

}  // namespace

algorithms::CsrGraph BuildSimpleGraph(Vertex n, std::vector<std::vector<WeightedEdge>>& parts,
                                      bool directed, bool weighted, unsigned threads) {
  return weighted ? BuildAs<true>(n, parts, directed, threads)
                  : BuildAs<false>(n, parts, directed, threads);
}

algorithms::CsrGraph BuildSimpleGraph(Vertex n, std::vector<WeightedEdge>& edges, bool directed,
                                      bool weighted) {
  std::vector<std::vector<WeightedEdge>> parts(1);
  parts[0] = std::move(edges);
  edges = std::vector<WeightedEdge>();
  return BuildSimpleGraph(n, parts, directed, weighted, /*threads=*/1);
}

}  // namespace trafnet::engine
