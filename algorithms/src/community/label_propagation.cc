// Asynchronous label propagation (Raghavan, Albert & Kumara, "Near linear time algorithm to
// detect community structures in large-scale networks", Phys. Rev. E 76:036106, 2007).
//
// Every vertex starts with its own label. Each sweep visits the vertices in a fresh random
// order and gives each the label with the largest total edge weight among its neighbours
// (self-loops ignored), ties broken uniformly at random, except that a vertex whose label is
// already among the best keeps it: without that rule two tied labels can swap forever. The
// run stops after a sweep that changes nothing, which is the paper's stopping rule (every
// vertex holds a label of maximal weight among its neighbours), or after max_iterations.
// A directed graph is read as undirected.
//
// O(n + m) per sweep; the number of sweeps is small in practice. Memory O(n + m).
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "community/community_internal.h"
#include "trafnet/algorithms/community.h"

namespace trafnet::algorithms {

StatusOr<CommunityResult> LabelPropagation(const CsrGraph& graph,
                                           const LabelPropagationOptions& options) {
  TRAFNET_RETURN_IF_ERROR(
      community_internal::ValidateCommon("label propagation", 1.0, options.threads));
  if (options.max_iterations < 1) {
    return InvalidArgumentError("label propagation: max_iterations " +
                                std::to_string(options.max_iterations) + " must be >= 1");
  }
  TRAFNET_RETURN_IF_ERROR(community_internal::ValidateWeights(graph));

  community_internal::Objective unused_objective;
  double total_weight = 0.0;
  const community_internal::WorkGraph work = community_internal::BuildWorkGraph(
      graph, QualityFunction::kModularity, 1.0, unused_objective, total_weight);
  const uint32_t n = work.num_nodes;
  std::vector<uint32_t> label(n);
  std::iota(label.begin(), label.end(), 0);
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> weight_of(n, 0.0);
  std::vector<char> is_touched(n, 0);
  std::vector<uint32_t> touched;
  std::vector<uint32_t> best_labels;

  community_internal::Rng rng(options.seed);
  int sweeps = 0;
  bool changed = true;
  while (changed && sweeps < options.max_iterations) {
    changed = false;
    ++sweeps;
    rng.Shuffle(order);
    for (uint32_t v : order) {
      if (work.Neighbours(v).empty()) continue;
      work.ForEachArc(v, [&](uint32_t u, double w) {
        const uint32_t l = label[u];
        if (!is_touched[l]) {
          is_touched[l] = 1;
          touched.push_back(l);
        }
        weight_of[l] += w;
      });
      double best = -1.0;
      best_labels.clear();
      for (uint32_t l : touched) {
        if (weight_of[l] > best) {
          best = weight_of[l];
          best_labels.assign(1, l);
        } else if (weight_of[l] == best) {
          best_labels.push_back(l);
        }
      }
      const bool keeps = is_touched[label[v]] && weight_of[label[v]] == best;
      if (!keeps) {
        label[v] = best_labels[rng.Below(best_labels.size())];
        changed = true;
      }
      for (uint32_t l : touched) {
        weight_of[l] = 0.0;
        is_touched[l] = 0;
      }
      touched.clear();
    }
  }
  return community_internal::FinishResult(graph, std::move(label), QualityFunction::kModularity,
                                          1.0, sweeps);
}

}  // namespace trafnet::algorithms
