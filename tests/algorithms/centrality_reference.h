// Slow, obviously-correct references for the centrality kernels, random small graphs to
// compare them on, and Zachary's karate club. Each reference follows the textbook
// definition over dense matrices; n is kept small (<= 14) so O(n^3) or worse is fine.
//
// The references read the arcs of the same CsrGraph the kernels read, so CSR conventions
// (an undirected self-loop stored twice, parallel arcs kept) apply to both alike.
#ifndef TRAFNET_TESTS_ALGORITHMS_CENTRALITY_REFERENCE_H_
#define TRAFNET_TESTS_ALGORITHMS_CENTRALITY_REFERENCE_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/algorithms/edge_length.h"

namespace trafnet::algorithms::reference {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct RandomGraphSpec {
  bool directed = false;
  bool weighted = false;
  bool self_loops = true;
  bool connected = false;  // add a random spanning path first
  Vertex min_vertices = 1;
  Vertex max_vertices = 12;
};

// A random multigraph. Weights come from {0.5, 1, 2, 4}, so that lengths w and 1/w add up
// exactly in double and shortest-path ties are real ties.
inline CsrGraph RandomGraph(uint64_t seed, const RandomGraphSpec& spec) {
  std::mt19937_64 random(seed);
  const Vertex n = spec.min_vertices +
                   static_cast<Vertex>(random() % (spec.max_vertices - spec.min_vertices + 1));
  const uint64_t m = random() % (3 * static_cast<uint64_t>(n) + 1);
  constexpr float kWeights[] = {0.5f, 1.0f, 2.0f, 4.0f};
  std::vector<Edge> edges;
  auto weight = [&] { return spec.weighted ? kWeights[random() % 4] : 1.0f; };
  if (spec.connected) {
    std::vector<Vertex> perm(n);
    for (Vertex v = 0; v < n; ++v) perm[v] = v;
    std::shuffle(perm.begin(), perm.end(), random);
    for (Vertex i = 1; i < n; ++i) edges.push_back({perm[i - 1], perm[i], weight()});
  }
  for (uint64_t i = 0; i < m; ++i) {
    const Vertex a = static_cast<Vertex>(random() % n);
    const Vertex b = static_cast<Vertex>(random() % n);
    if (a == b && !spec.self_loops) continue;
    edges.push_back({a, b, weight()});
  }
  return CsrGraph::FromEdges(n, edges, spec.directed, spec.weighted);
}

// Calls fn(u, v, weight) for every arc of the CSR.
template <typename Fn>
void ForEachArc(const CsrGraph& g, Fn fn) {
  for (Vertex u = 0; u < g.num_vertices(); ++u) {
    auto t = g.neighbours(u);
    for (size_t i = 0; i < t.size(); ++i) fn(u, t[i], g.weighted() ? g.weights(u)[i] : 1.0f);
  }
}

inline double Length(EdgeLength length, float w) {
  if (length == EdgeLength::kHops) return 1.0;
  return length == EdgeLength::kWeight ? w : 1.0 / w;
}

// All-pairs shortest distances d[s][t] by Floyd-Warshall.
inline std::vector<std::vector<double>> Distances(const CsrGraph& g, EdgeLength length) {
  const Vertex n = g.num_vertices();
  std::vector<std::vector<double>> d(n, std::vector<double>(n, kInf));
  for (Vertex v = 0; v < n; ++v) d[v][v] = 0.0;
  ForEachArc(g,
             [&](Vertex u, Vertex v, float w) { d[u][v] = std::min(d[u][v], Length(length, w)); });
  for (Vertex k = 0; k < n; ++k)
    for (Vertex i = 0; i < n; ++i)
      for (Vertex j = 0; j < n; ++j) d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
  return d;
}

// sigma[s][t]: number of shortest s-t paths (as arc sequences), by processing targets in
// order of distance from s: sigma(s,t) = sum over arcs u->t on a shortest path of sigma(s,u).
inline std::vector<std::vector<double>> PathCounts(const CsrGraph& g, EdgeLength length,
                                                   const std::vector<std::vector<double>>& d) {
  const Vertex n = g.num_vertices();
  std::vector<std::vector<double>> sigma(n, std::vector<double>(n, 0.0));
  for (Vertex s = 0; s < n; ++s) {
    std::vector<Vertex> by_distance;
    for (Vertex t = 0; t < n; ++t)
      if (d[s][t] < kInf) by_distance.push_back(t);
    std::stable_sort(by_distance.begin(), by_distance.end(),
                     [&](Vertex a, Vertex b) { return d[s][a] < d[s][b]; });
    sigma[s][s] = 1.0;
    for (Vertex t : by_distance) {
      if (t == s) continue;
      ForEachArc(g, [&](Vertex u, Vertex v, float w) {
        if (v == t && u != t && d[s][u] + Length(length, w) == d[s][t]) sigma[s][t] += sigma[s][u];
      });
    }
  }
  return sigma;
}

// Betweenness from the definition: sum over pairs s != v != t of sigma_st(v) / sigma_st,
// with sigma_st(v) = sigma_sv * sigma_vt when d(s,v) + d(v,t) = d(s,t). Undirected graphs
// sum unordered pairs. Normalised as networkx: divide by the number of such pairs.
inline std::vector<double> Betweenness(const CsrGraph& g, EdgeLength length, bool normalized) {
  const Vertex n = g.num_vertices();
  const auto d = Distances(g, length);
  const auto sigma = PathCounts(g, length, d);
  std::vector<double> bc(n, 0.0);
  for (Vertex s = 0; s < n; ++s)
    for (Vertex t = 0; t < n; ++t) {
      if (s == t || d[s][t] == kInf || (!g.directed() && t < s)) continue;
      for (Vertex v = 0; v < n; ++v) {
        if (v == s || v == t || d[s][v] + d[v][t] != d[s][t]) continue;
        bc[v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
      }
    }
  if (normalized && n > 2) {
    double pairs = (n - 1.0) * (n - 2.0);
    if (!g.directed()) pairs /= 2.0;
    for (double& x : bc) x /= pairs;
  }
  return bc;
}

// Closeness / harmonic with incoming (incoming=true) or outgoing distances.
inline std::vector<double> Closeness(const CsrGraph& g, EdgeLength length, bool incoming,
                                     bool wf_improved) {
  const Vertex n = g.num_vertices();
  const auto d = Distances(g, length);
  std::vector<double> out(n, 0.0);
  for (Vertex v = 0; v < n; ++v) {
    double sum = 0.0, reached = 0.0;
    for (Vertex u = 0; u < n; ++u) {
      const double duv = incoming ? d[u][v] : d[v][u];
      if (u == v || duv == kInf) continue;
      sum += duv;
      reached += 1.0;
    }
    if (sum > 0.0) out[v] = reached / sum * (wf_improved ? reached / (n - 1.0) : 1.0);
  }
  return out;
}

inline std::vector<double> Harmonic(const CsrGraph& g, EdgeLength length, bool incoming) {
  const Vertex n = g.num_vertices();
  const auto d = Distances(g, length);
  std::vector<double> out(n, 0.0);
  for (Vertex v = 0; v < n; ++v)
    for (Vertex u = 0; u < n; ++u) {
      const double duv = incoming ? d[u][v] : d[v][u];
      if (u != v && duv < kInf) out[v] += 1.0 / duv;
    }
  return out;
}

// Solves A x = b by Gaussian elimination with partial pivoting.
inline std::vector<double> Solve(std::vector<std::vector<double>> a, std::vector<double> b) {
  const size_t n = b.size();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r)
      if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t r = col + 1; r < n; ++r) {
      const double f = a[r][col] / a[col][col];
      for (size_t c = col; c < n; ++c) a[r][c] -= f * a[col][c];
      b[r] -= f * b[col];
    }
  }
  std::vector<double> x(n);
  for (size_t i = n; i-- > 0;) {
    double s = b[i];
    for (size_t c = i + 1; c < n; ++c) s -= a[i][c] * x[c];
    x[i] = s / a[i][i];
  }
  return x;
}

// PageRank as the solution of the linear system
//   (I - d (P^T + p 1_dangling^T)) x = (1 - d) p
// with P the row-stochastic transition matrix and p the teleport distribution.
inline std::vector<double> PageRank(const CsrGraph& g, double d, const std::vector<Vertex>& seeds) {
  const Vertex n = g.num_vertices();
  std::vector<double> p(n, seeds.empty() ? 1.0 / n : 0.0);
  if (!seeds.empty()) {
    std::vector<Vertex> distinct = seeds;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (Vertex s : distinct) p[s] = 1.0 / distinct.size();
  }
  std::vector<std::vector<double>> w(n, std::vector<double>(n, 0.0));
  ForEachArc(g, [&](Vertex u, Vertex v, float wt) { w[u][v] += wt; });
  std::vector<std::vector<double>> a(n, std::vector<double>(n, 0.0));
  for (Vertex u = 0; u < n; ++u) {
    double out = 0.0;
    for (Vertex v = 0; v < n; ++v) out += w[u][v];
    for (Vertex v = 0; v < n; ++v) {
      const double step = out > 0.0 ? w[u][v] / out : p[v];  // column u of the Google matrix
      a[v][u] = (u == v ? 1.0 : 0.0) - d * step;
    }
  }
  std::vector<double> b(n);
  for (Vertex v = 0; v < n; ++v) b[v] = (1.0 - d) * p[v];
  return Solve(a, b);
}

// Triangles through each vertex by checking every triple of the simple graph.
inline std::vector<uint64_t> Triangles(const CsrGraph& g) {
  const Vertex n = g.num_vertices();
  std::vector<std::vector<bool>> adj(n, std::vector<bool>(n, false));
  ForEachArc(g, [&](Vertex u, Vertex v, float) {
    if (u != v) adj[u][v] = adj[v][u] = true;
  });
  std::vector<uint64_t> t(n, 0);
  for (Vertex a = 0; a < n; ++a)
    for (Vertex b = a + 1; b < n; ++b)
      for (Vertex c = b + 1; c < n; ++c)
        if (adj[a][b] && adj[b][c] && adj[a][c]) ++t[a], ++t[b], ++t[c];
  return t;
}

// Mutual weights m[u][v] = a(u,v) + a(v,u), self-loops dropped.
inline std::vector<std::vector<double>> MutualWeights(const CsrGraph& g) {
  const Vertex n = g.num_vertices();
  std::vector<std::vector<double>> m(n, std::vector<double>(n, 0.0));
  ForEachArc(g, [&](Vertex u, Vertex v, float w) {
    if (u != v) m[u][v] += w, m[v][u] += w;
  });
  return m;
}

inline std::vector<std::vector<bool>> Contacts(const CsrGraph& g) {
  const Vertex n = g.num_vertices();
  std::vector<std::vector<bool>> c(n, std::vector<bool>(n, false));
  ForEachArc(g, [&](Vertex u, Vertex v, float) {
    if (u != v) c[u][v] = c[v][u] = true;
  });
  return c;
}

// networkx's normalized_mutual_weight with norm = sum (by_max false) or max (by_max true).
inline double Nmw(const std::vector<std::vector<double>>& m,
                  const std::vector<std::vector<bool>>& c, Vertex u, Vertex v, bool by_max) {
  double scale = 0.0;
  for (Vertex w = 0; w < m.size(); ++w)
    if (c[u][w]) scale = by_max ? std::max(scale, m[u][w]) : scale + m[u][w];
  return scale == 0.0 ? 0.0 : m[u][v] / scale;
}

// Burt's constraint, straight from networkx's local_constraint.
inline std::vector<double> Constraint(const CsrGraph& g) {
  const Vertex n = g.num_vertices();
  const auto m = MutualWeights(g);
  const auto c = Contacts(g);
  std::vector<double> out(n, std::numeric_limits<double>::quiet_NaN());
  for (Vertex u = 0; u < n; ++u) {
    if (std::none_of(c[u].begin(), c[u].end(), [](bool b) { return b; })) continue;
    out[u] = 0.0;
    for (Vertex v = 0; v < n; ++v) {
      if (!c[u][v]) continue;
      double indirect = 0.0;
      for (Vertex w = 0; w < n; ++w)
        if (c[u][w]) indirect += Nmw(m, c, u, w, false) * Nmw(m, c, w, v, false);
      const double local = Nmw(m, c, u, v, false) + indirect;
      out[u] += local * local;
    }
  }
  return out;
}

// Effective size, straight from networkx's redundancy formula.
inline std::vector<double> EffectiveSize(const CsrGraph& g) {
  const Vertex n = g.num_vertices();
  const auto m = MutualWeights(g);
  const auto c = Contacts(g);
  std::vector<double> out(n, std::numeric_limits<double>::quiet_NaN());
  for (Vertex v = 0; v < n; ++v) {
    if (std::none_of(c[v].begin(), c[v].end(), [](bool b) { return b; })) continue;
    out[v] = 0.0;
    for (Vertex u = 0; u < n; ++u) {
      if (!c[v][u]) continue;
      double r = 0.0;
      for (Vertex w = 0; w < n; ++w)
        if (c[v][w]) r += Nmw(m, c, v, w, false) * Nmw(m, c, u, w, true);
      out[v] += 1.0 - r;
    }
  }
  return out;
}

// Zachary's karate club (1977) as networkx's karate_club_graph numbers it: 34 members, 78
// friendships, unweighted.
inline CsrGraph KarateClub() {
  const std::vector<std::vector<Vertex>> rows = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 17, 19, 21, 31},
      {1, 2, 3, 7, 13, 17, 19, 21, 30},
      {2, 3, 7, 8, 9, 13, 27, 28, 32},
      {3, 7, 12, 13},
      {4, 6, 10},
      {5, 6, 10, 16},
      {6, 16},
      {8, 30, 32, 33},
      {9, 33},
      {13, 33},
      {14, 32, 33},
      {15, 32, 33},
      {18, 32, 33},
      {19, 33},
      {20, 32, 33},
      {22, 32, 33},
      {23, 25, 27, 29, 32, 33},
      {24, 25, 27, 31},
      {25, 31},
      {26, 29, 33},
      {27, 33},
      {28, 31, 33},
      {29, 32, 33},
      {30, 32, 33},
      {31, 32, 33},
      {32, 33},
  };
  std::vector<Edge> edges;
  for (const auto& row : rows)
    for (size_t i = 1; i < row.size(); ++i) edges.push_back({row[0], row[i], 1.0f});
  return CsrGraph::FromEdges(34, edges, /*directed=*/false, /*weighted=*/false);
}

}  // namespace trafnet::algorithms::reference

#endif  // TRAFNET_TESTS_ALGORITHMS_CENTRALITY_REFERENCE_H_
