// Targeted disruption: which removals would fragment a network most.
//
// Removes, one at a time, the vertex that scores highest under a centrality measure,
// recomputing the measure on what remains after every removal (the "recalculated" attack of
// Holme et al. 2002), and records after each removal how large the biggest weakly connected
// group of remaining vertices still is. The curve answers "if these K people were taken out,
// in this order, how much of the network would still hang together?".
//
// Tie rule (deterministic, the same for any thread count): the vertex with the highest score
// is removed; scores within a relative tolerance of kDisruptionTieTolerance of each other are
// equal, and among equal scores the lowest vertex id is removed. Precisely: scanning the
// remaining vertices in increasing id order, the leader changes only when a vertex's score
// exceeds the leader's by more than kDisruptionTieTolerance * max(|leader|, |score|). The
// tolerance keeps floating-point noise in betweenness from deciding between vertices whose
// scores are equal on paper.
#ifndef TRAFNET_ALGORITHMS_DISRUPTION_H_
#define TRAFNET_ALGORITHMS_DISRUPTION_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/algorithms/degree.h"
#include "trafnet/algorithms/edge_length.h"
#include "trafnet/algorithms/progress.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

inline constexpr double kDisruptionTieTolerance = 1e-12;

enum class DisruptionMeasure {
  // Number of arcs (or their total weight) at the vertex among the remaining vertices, as
  // DegreeCentrality. Cheap: degrees are kept up to date as vertices go.
  kDegree,
  // Exact betweenness (Brandes) among the remaining vertices, unnormalised: the raw sum of
  // pair dependencies, as Betweenness with normalized = false. Costs one full Betweenness
  // run per step.
  kBetweenness,
};

struct DisruptionOptions {
  DisruptionMeasure measure = DisruptionMeasure::kDegree;
  // How many vertices to remove, >= 0. Fewer are removed when the network is already fully
  // fragmented first (see DisruptionResult).
  int steps = 10;
  // kBetweenness: worker threads, 0 means one per hardware thread. The result is the same
  // for any count. Ignored for kDegree.
  int threads = 1;
  // kBetweenness: how an arc's length is measured. kWeight and kInverseWeight need a
  // weighted graph whose weights are finite and > 0.
  EdgeLength length = EdgeLength::kHops;
  // kDegree on a directed graph: which arcs count. kTotal (in + out) by default, since an
  // arrest cuts a person's ties in both directions.
  DegreeDirection degree_direction = DegreeDirection::kTotal;
  // kDegree: sum the arc weights instead of counting arcs.
  bool degree_weighted = false;
  // Told how many of the `steps` removals are done (see progress.h).
  ProgressFn progress = nullptr;
};

struct DisruptionStep {
  // 0 is the intact graph; step k follows the k-th removal.
  uint32_t step = 0;
  // The vertex removed at this step; none at step 0.
  std::optional<Vertex> removed = std::nullopt;
  // Its score on the graph it was removed from; 0 at step 0.
  double removed_score = 0.0;
  // Vertices in the largest weak component of the remaining vertices.
  uint64_t largest_component = 0;
  // largest_component / the largest component at step 0: 1 at step 0, falling as the
  // network fragments. 0 for a graph with no vertices.
  double fraction = 0.0;
};

struct DisruptionResult {
  // steps[0] is the intact graph, steps[k] the state after the k-th removal. Holds
  // options.steps + 1 entries, or fewer when removal stops early because no edge joins two
  // remaining vertices (the largest component has at most one vertex, so no further
  // removal can fragment anything).
  std::vector<DisruptionStep> steps;
};

// Sequential targeted removal with the measure recomputed after every removal.
//
// Time per step: kDegree O(n + m) (the component search; the degree update only touches the
// removed vertex's neighbours); kBetweenness O(n m) hops or O(n (m + n log n)) weighted,
// dominated by Brandes, plus O(n + m) to rebuild the graph of remaining vertices. Memory
// O(n + m), plus a transposed copy of a directed graph.
//
// InvalidArgument, before any work, for steps < 0, threads < 0, an unknown measure, or
// weighted lengths on an unweighted graph or with a weight that is not finite and > 0.
// Thread-compatible.
StatusOr<DisruptionResult> Disruption(const CsrGraph& graph, const DisruptionOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_DISRUPTION_H_
