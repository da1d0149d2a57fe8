// Burt's constraint and effective size (Burt 1992), following the definitions of networkx's
// structuralholes module. The mutual-weight graph m is built once (both directions of every
// arc merged, self-loops dropped, rows sorted and repeats summed). Then for each vertex v the
// contacts N(v) are marked in a per-worker array, and one walk over each contact q's ties
// (q, j) with j in N(v) accumulates, per j, the indirect constraint sum_q p(v,q) p(q,j) and
// the redundancy sum_q p(v,q) m(q,j) / max_k m(j,k). Scores per vertex come from that
// vertex's walk alone, so they do not depend on the thread count.
// O(n + m log m + sum_q deg(q)^2) time, O(n + m) space.
#include "trafnet/algorithms/brokerage.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "centrality/centrality_internal.h"

namespace trafnet::algorithms {
namespace {

constexpr size_t kMaxChunks = 1024;
constexpr Vertex kNoVertex = std::numeric_limits<Vertex>::max();

struct MutualGraph {
  std::vector<uint64_t> offsets;
  std::vector<std::pair<Vertex, double>> ties;  // (contact, m) sorted by contact
  std::vector<double> strength;                 // sum of m over the row
  std::vector<double> strongest;                // max of m over the row
};

MutualGraph BuildMutualGraph(const CsrGraph& graph, bool use_weights) {
  const Vertex n = graph.num_vertices();
  std::vector<uint64_t> counts(static_cast<size_t>(n) + 1, 0);
  for (Vertex u = 0; u < n; ++u) {
    for (Vertex v : graph.neighbours(u)) {
      if (u == v) continue;
      ++counts[u + 1];
      ++counts[v + 1];
    }
  }
  for (Vertex v = 0; v < n; ++v) counts[v + 1] += counts[v];
  std::vector<std::pair<Vertex, double>> raw(counts[n]);
  std::vector<uint64_t> cursor(counts.begin(), counts.end() - 1);
  for (Vertex u = 0; u < n; ++u) {
    auto targets = graph.neighbours(u);
    for (size_t i = 0; i < targets.size(); ++i) {
      const Vertex v = targets[i];
      if (u == v) continue;
      const double a = use_weights ? static_cast<double>(graph.weights(u)[i]) : 1.0;
      raw[cursor[u]++] = {v, a};
      raw[cursor[v]++] = {u, a};
    }
  }
  MutualGraph mutual;
  mutual.offsets.assign(static_cast<size_t>(n) + 1, 0);
  mutual.strength.assign(n, 0.0);
  mutual.strongest.assign(n, 0.0);
  mutual.ties.reserve(raw.size());
  for (Vertex v = 0; v < n; ++v) {
    // Stable so that repeated ties are summed in arc order on every platform.
    std::stable_sort(raw.begin() + counts[v], raw.begin() + counts[v + 1],
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (uint64_t i = counts[v]; i < counts[v + 1]; ++i) {
      if (mutual.ties.size() > mutual.offsets[v] && mutual.ties.back().first == raw[i].first) {
        mutual.ties.back().second += raw[i].second;
      } else {
        mutual.ties.push_back(raw[i]);
      }
    }
    mutual.offsets[v + 1] = mutual.ties.size();
    for (uint64_t i = mutual.offsets[v]; i < mutual.offsets[v + 1]; ++i) {
      mutual.strength[v] += mutual.ties[i].second;
      mutual.strongest[v] = std::max(mutual.strongest[v], mutual.ties[i].second);
    }
  }
  return mutual;
}

struct Workspace {
  explicit Workspace(Vertex n) : owner(n, kNoVertex), indirect(n, 0.0), redundancy(n, 0.0) {}
  std::vector<Vertex> owner;       // owner[j] == v marks j as a contact of v
  std::vector<double> indirect;    // sum_q p(v,q) p(q,j)
  std::vector<double> redundancy;  // sum_q p(v,q) m(q,j) / max_k m(j,k)
};

}  // namespace

StatusOr<StructuralHolesResult> StructuralHoles(const CsrGraph& graph,
                                                const StructuralHolesOptions& options) {
  const bool use_weights = options.use_weights && graph.weighted();
  if (use_weights) {
    TRAFNET_RETURN_IF_ERROR(internal::CheckNonNegativeWeights(graph, "StructuralHoles"));
  }
  TRAFNET_ASSIGN_OR_RETURN(const unsigned threads,
                           internal::ResolveThreads(options.threads, "StructuralHoles"));
  const Vertex n = graph.num_vertices();
  const MutualGraph mutual = BuildMutualGraph(graph, use_weights);
  // networkx returns 0 for a proportion whose denominator is 0 (all-zero weights).
  auto share = [](double part, double whole) { return whole > 0.0 ? part / whole : 0.0; };

  StructuralHolesResult result;
  result.constraint.assign(n, std::numeric_limits<double>::quiet_NaN());
  result.effective_size.assign(n, std::numeric_limits<double>::quiet_NaN());
  const internal::ChunkPlan plan = internal::PlanChunks(n, kMaxChunks);
  const unsigned workers =
      static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, plan.num_chunks)));
  std::vector<Workspace> workspaces;
  workspaces.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) workspaces.emplace_back(n);
  internal::ForEachChunk(plan.num_chunks, workers, [&](size_t chunk, unsigned worker) {
    Workspace& ws = workspaces[worker];
    for (Vertex v = static_cast<Vertex>(plan.begin(chunk)); v < plan.end(chunk); ++v) {
      const uint64_t begin = mutual.offsets[v], end = mutual.offsets[v + 1];
      if (begin == end) continue;  // no contacts: both measures undefined (NaN)
      for (uint64_t i = begin; i < end; ++i) ws.owner[mutual.ties[i].first] = v;
      for (uint64_t i = begin; i < end; ++i) {
        const auto [q, m_vq] = mutual.ties[i];
        const double p_vq = share(m_vq, mutual.strength[v]);
        for (uint64_t k = mutual.offsets[q]; k < mutual.offsets[q + 1]; ++k) {
          const auto [j, m_qj] = mutual.ties[k];
          if (ws.owner[j] != v) continue;
          ws.indirect[j] += p_vq * share(m_qj, mutual.strength[q]);
          ws.redundancy[j] += p_vq * share(m_qj, mutual.strongest[j]);
        }
      }
      double constraint = 0.0;
      double effective_size = 0.0;
      for (uint64_t i = begin; i < end; ++i) {
        const auto [j, m_vj] = mutual.ties[i];
        const double local = share(m_vj, mutual.strength[v]) + ws.indirect[j];
        constraint += local * local;
        effective_size += 1.0 - ws.redundancy[j];
        ws.indirect[j] = 0.0;
        ws.redundancy[j] = 0.0;
      }
      result.constraint[v] = constraint;
      result.effective_size[v] = effective_size;
    }
  });
  return result;
}

}  // namespace trafnet::algorithms
