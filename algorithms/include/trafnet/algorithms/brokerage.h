// Burt's structural-hole measures (R. S. Burt, "Structural Holes", 1992): constraint and
// effective size, as networkx's `constraint` and `effective_size` define them.
//
// The tie strength between u and v is the mutual weight m(u,v) = a(u,v) + a(v,u), where
// a(u,v) sums the weights of the arcs u -> v (1 per arc when the graph is unweighted or
// use_weights is off); an undirected edge contributes to both. N(v) are the vertices tied to
// v either way, v excluded: self-loops are ignored. With p(u,v) = m(u,v) / sum_w m(u,w):
//   constraint(v)     = sum_{j in N(v)} (p(v,j) + sum_{q in N(v)} p(v,q) p(q,j))^2
//   effective_size(v) = sum_{j in N(v)} (1 - sum_{q in N(v)} p(v,q) m(j,q) / max_k m(j,k))
// On a simple unweighted undirected graph effective_size reduces to Borgatti's
// k - 2 t / k (k neighbours, t ties among them), which is what networkx computes there.
// Both are NaN for a vertex without neighbours, as in networkx. Parallel edges add to m.
#ifndef TRAFNET_ALGORITHMS_BROKERAGE_H_
#define TRAFNET_ALGORITHMS_BROKERAGE_H_

#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"

namespace trafnet::algorithms {

struct StructuralHolesOptions {
  // Use the arc weights as tie strengths on a weighted graph (finite and >= 0).
  bool use_weights = true;
  int threads = 1;  // 0 means one per hardware thread; results do not depend on it
};

struct StructuralHolesResult {
  std::vector<double> constraint;      // low: v brokers between otherwise unlinked contacts
  std::vector<double> effective_size;  // non-redundant contacts of v
};

// For each v, marks N(v) in a per-worker array and walks each contact's own ties once:
// O(sum_v sum_{q in N(v)} deg(q)) = O(sum_q deg(q)^2) time, O(n + m) space.
// InvalidArgument for a negative or non-finite weight when weights are used.
StatusOr<StructuralHolesResult> StructuralHoles(const CsrGraph& graph,
                                                const StructuralHolesOptions& options = {});

}  // namespace trafnet::algorithms

#endif  // TRAFNET_ALGORITHMS_BROKERAGE_H_
