// Betweenness centrality: for each vertex v, the sum over ordered pairs (s, t), s != v != t,
// of the fraction of shortest s-t paths that pass through v (Freeman 1977). Endpoints are
// not counted. Exact by Brandes (2001), or estimated with a stated error bound from a seeded
// sample of sources (Brandes & Pich 2007) or of shortest paths (Riondato & Kornaropoulos 2016,
// each path found by a balanced bidirectional BFS as in Borassi & Natale's KADABRA, 2019).
//
// Paths are counted over arcs: parallel edges are distinct paths; self-loops never lie on a
// shortest path. Path counts are doubles: exact up to 2^53, and beyond about 10^308 shortest
// paths between two vertices (large grids) they overflow and the scores are meaningless. With
// weighted lengths, two paths tie only when their lengths are exactly equal in double arithmetic
// (as in networkx), so lengths such as 1/3 that are not exact binary fractions may split ties that
// are equal on paper.
#ifndef TRAFNET_ALGORITHMS_BETWEENNESS_H_
#define TRAFNET_ALGORITHMS_BETWEENNESS_H_

#include <cstdint>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/algorithms/edge_length.h"
#include "trafnet/algorithms/progress.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

struct BetweennessOptions {
  // Hops (BFS), or weighted lengths (Dijkstra; weights must be finite and > 0).
  EdgeLength length = EdgeLength::kHops;
  // true: networkx's normalized=True, the fraction of the (n-1)(n-2) ordered pairs not
  // involving v (directed), or of the (n-1)(n-2)/2 unordered pairs (undirected); no scaling
  // when n <= 2. false: the raw pair-dependency sum, each unordered pair counted once on an
  // undirected graph (networkx's normalized=False).
  bool normalized = true;
  // Worker threads; 0 means one per hardware thread. The scores are bitwise the same for any
  // count.
  int threads = 1;
  // Sampling (at most one of samples, paths and epsilon; all 0 means exact).
  // `samples` > 0 runs Brandes from that many distinct source vertices drawn uniformly and
  // scales by n / samples, as networkx's betweenness_centrality(k=samples).
  // `paths` > 0 (hops only) draws that many ordered pairs (s, t), s != t, uniformly, and for
  // each one shortest s-t path uniformly among all of them; a vertex's score is the share of
  // the draws whose path passes through it (an unreachable pair draws no path), times
  // n / (n - 2) to put it in the units above. Each draw costs a bidirectional BFS that stops
  // where the two searches meet: on a small-world graph thousands of arcs, not the whole graph,
  // which is what makes a graph of millions of vertices feasible.
  // `epsilon` in (0, 1) picks the sample so that the bound below is at most epsilon: paths by
  // Riondato & Kornaropoulos' bound with hops, sources by Hoeffding's with weighted lengths.
  // If the sample would reach n (sources, or paths for epsilon) the exact answer is computed
  // instead.
  uint32_t samples = 0;
  uint64_t paths = 0;
  double epsilon = 0.0;
  // Failure probability of the bound, in (0, 1).
  double delta = 0.1;
  // Seed for the source sample; the same seed gives the same scores.
  uint64_t seed = 1;
  // Told how many of the sources (or sampled paths) have been searched (see progress.h).
  ProgressFn progress = nullptr;
};

struct BetweennessResult {
  std::vector<double> scores;
  uint32_t sources = 0;  // source vertices used (n when exact; 0 when paths were sampled)
  uint64_t paths = 0;    // shortest paths sampled (0 unless path sampling ran)
  bool exact = true;
  // With probability >= 1 - delta every sampled score is within error_bound of the exact one,
  // in the units of `scores`. 0 when exact.
  // Sources: from Hoeffding's inequality for sampling without replacement and a union bound
  // over the n vertices: each source's normalised contribution lies in [0, n/(n-1)], so
  // bound = n/(n-1) * sqrt(ln(2n/delta) / (2 * sources)) for normalised scores (Eppstein &
  // Wang 2001 use the same argument for closeness). It holds for any graph.
  // Paths: Riondato & Kornaropoulos' bound from the VC dimension of shortest paths,
  // bound = n/(n-2) * sqrt(c * (floor(log2(VD - 2)) + 1 + ln(1/delta)) / paths) with their
  // c = 0.5 (an estimate of a universal constant, after Löffler & Phillips 2009, not a proven
  // value), where VD bounds the number of vertices on a shortest path: 2e + 1 for the largest
  // eccentricity e of a BFS from one vertex of each component of an undirected graph, the
  // largest weak component's size for a directed one (vertex_diameter below).
  double error_bound = 0.0;
  double delta = 0.0;            // the failure probability the bound is stated for (0 when exact)
  uint32_t vertex_diameter = 0;  // the VD bound used (path sampling only)
};

// Brandes' algorithm: one BFS (or Dijkstra) per source with shortest-path counting, then
// dependencies accumulated in reverse order of distance. Time O(k m) for hops and
// O(k (m + n log n)) weighted, where k is the number of sources (n when exact); space
// O(n + m) plus O(n) per thread. Path sampling: O(n + m) for the VD bound plus, per path, the
// arcs the two searches read before they meet (at most O(m)); O(n) per thread. InvalidArgument for
// bad options, or for weighted lengths on an unweighted graph or with a weight that is not finite
// and > 0.
StatusOr<BetweennessResult> Betweenness(const CsrGraph& graph,
                                        const BetweennessOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_BETWEENNESS_H_
