// Community detection on a CsrGraph: Leiden, Louvain and label propagation, and the two
// quality functions they optimise (modularity and the Constant Potts Model).
//
// All kernels work on undirected graphs. A directed CsrGraph is read with directions ignored:
// each arc u->v counts as an undirected edge {u, v} of the same weight, so a reciprocated pair
// counts twice. Weights, when the graph has them, must be finite and non-negative; an
// unweighted graph has weight 1 per edge. Self-loops and parallel edges count as stored.
//
// Results are deterministic for a given seed: every random choice comes from `seed` only.
// Louvain and label propagation are sequential. Leiden refines and aggregates communities on
// `threads` workers, each community drawing from its own stream derived from the seed and its
// id, so the thread count cannot change a result either.
//
// Quality functions, for a partition into communities c with internal edge weight w_c (each
// edge once, a self-loop once), total degree (strength) K_c, n_c vertices, total weight m:
//   modularity  Q = sum_c [ w_c / m - resolution * (K_c / 2m)^2 ]       (Newman & Girvan 2004)
//   CPM         H = sum_c [ w_c - resolution * n_c (n_c - 1) / 2 ]      (Traag et al. 2011)
#ifndef TRAFNET_ALGORITHMS_COMMUNITY_H_
#define TRAFNET_ALGORITHMS_COMMUNITY_H_

#include <cstdint>
#include <span>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

enum class QualityFunction {
  kModularity,  // resolution 1 is classic modularity; higher finds smaller communities
  kCpm,         // resolution is the density a community must exceed; scale-free of graph size
};

struct LeidenOptions {
  uint64_t seed = 1;  // the same seed always gives the same partition
  QualityFunction quality = QualityFunction::kModularity;
  // Must be finite and >= 0. For CPM on an unweighted graph, a value in (0, 1].
  double resolution = 1.0;
  // Refinement randomness θ (> 0): a vertex joins a sub-community with probability
  // proportional to exp(gain / θ), the gain in units of edge weight (the unnormalised quality,
  // as in the authors' reference implementation and igraph). Smaller is greedier; 0.01 is the
  // paper's default and, with unit weights, nearly always picks the best sub-community.
  double randomness = 0.01;
  // Full Leiden iterations, each starting from the previous partition. 0: repeat until an
  // iteration no longer improves the quality (best results; on graphs with weak structure
  // this can take tens of iterations, so set 2-5 when speed matters more).
  int max_iterations = 0;
  // Iterations after the first end the run early once the partition has settled: when an
  // iteration's first phase, local moving on the whole graph, raises the quality by less than
  // `tolerance` per unit of edge weight (for modularity, a gain below `tolerance` in Q), its
  // moves are kept and the run stops there, without the refinement and aggregation that rarely
  // add more than the moves did. Finite, >= 0; 0 runs every iteration to its end, until one no
  // longer improves (as igraph's n_iterations=-1). The default 1e-4 is below the fourth
  // decimal the literature reports modularity to.
  double tolerance = 1e-4;
  int threads = 1;  // >= 1: workers for refinement and aggregation (local moving is sequential)
};

struct LouvainOptions {
  uint64_t seed = 1;
  QualityFunction quality = QualityFunction::kModularity;
  double resolution = 1.0;  // finite, >= 0
  int max_levels = 0;       // aggregation levels; 0: until a level moves no vertex
  int threads = 1;          // >= 1; reserved: the kernel is sequential today
};

struct LabelPropagationOptions {
  uint64_t seed = 1;
  int max_iterations = 100;  // >= 1 sweeps over all vertices; stops earlier when stable
  int threads = 1;           // >= 1; reserved: the kernel is sequential today
};

struct CommunityResult {
  // Per vertex: its community, 0..count-1, numbered by size (largest first), ties broken by
  // the community's smallest vertex.
  std::vector<uint32_t> membership;
  uint32_t count = 0;
  std::vector<uint64_t> sizes;  // per community: number of vertices
  double modularity = 0.0;      // Newman–Girvan modularity at resolution 1
  double quality = 0.0;         // the optimised quality at the options' resolution
                                // (modularity for label propagation)
  int iterations = 0;           // Leiden iterations, Louvain levels, or propagation sweeps
};

// Modularity of `membership` (any labels, one per vertex) at `resolution`. 0 when the graph has
// no edge weight. Fails when membership.size() != num_vertices, a weight is negative or not
// finite, or resolution is negative or not finite. O(n + m).
StatusOr<double> Modularity(const CsrGraph& graph, std::span<const uint32_t> membership,
                            double resolution = 1.0);

// Constant Potts Model quality of `membership` at `resolution`. Same failures. O(n + m).
StatusOr<double> CpmQuality(const CsrGraph& graph, std::span<const uint32_t> membership,
                            double resolution);

// Leiden (Traag, Waltman & van Eck, "From Louvain to Leiden: guaranteeing well-connected
// communities", Sci. Rep. 9:5233, 2019). Every community of the result is connected.
StatusOr<CommunityResult> Leiden(const CsrGraph& graph, const LeidenOptions& options = {});

// Louvain (Blondel, Guillaume, Lambiotte & Lefebvre, "Fast unfolding of communities in large
// networks", J. Stat. Mech. P10008, 2008). Communities may be disconnected; prefer Leiden.
StatusOr<CommunityResult> Louvain(const CsrGraph& graph, const LouvainOptions& options = {});

// Asynchronous label propagation (Raghavan, Albert & Kumara, "Near linear time algorithm to
// detect community structures in large-scale networks", Phys. Rev. E 76:036106, 2007).
// Weighted when the graph is. Fast, no quality function, results vary with the seed.
StatusOr<CommunityResult> LabelPropagation(const CsrGraph& graph,
                                           const LabelPropagationOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_COMMUNITY_H_
