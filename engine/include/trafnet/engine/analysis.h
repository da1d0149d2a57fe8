// Analyses over a projection: who ranks highest by a centrality, which communities and
// components the graph falls into. Thin, documented choices on top of algorithms/: which kernel
// options match what networkx and igraph report, and how results are ordered.
#ifndef TRAFNET_ENGINE_ANALYSIS_H_
#define TRAFNET_ENGINE_ANALYSIS_H_

#include <string>
#include <string_view>
#include <vector>

#include "trafnet/algorithms/community.h"
#include "trafnet/algorithms/components.h"
#include "trafnet/algorithms/disruption.h"
#include "trafnet/algorithms/progress.h"
#include "trafnet/engine/projection.h"

namespace trafnet::engine {

enum class Measure {
  kDegree,       // unweighted: networkx degree_centrality (in + out, / (n-1)); weighted: strength
  kPageRank,     // damping 0.85, to 1e-10 per vertex; personalised with seeds
  kBetweenness,  // networkx normalized=True: / (n-1)(n-2) directed, / (n-1)(n-2)/2 undirected
  kCloseness,    // networkx, Wasserman–Faust scaled for disconnected graphs, incoming distances
  kHarmonic,     // networkx: sum of 1/d over incoming distances, not normalised
  kEigenvector,  // networkx: unit L2 norm
  kCoreness,     // k-core number (direction ignored)
  kClustering,   // local clustering coefficient (undirected graphs)
  kConstraint,   // Burt's constraint; LOW is a broker, so it ranks ascending
};

// "degree", "pagerank", …; InvalidArgument naming the known ones otherwise.
StatusOr<Measure> ParseMeasure(std::string_view name);
std::string_view MeasureName(Measure measure);

struct RankOptions {
  Measure measure = Measure::kDegree;
  // Path-based measures (betweenness, closeness, harmonic) on a weighted graph: a link's length
  // is 1/weight (many calls make two phones close). Otherwise every link has length 1.
  bool inverse_distance = false;
  // Betweenness by sampling: a number of sources, a number of shortest paths, or the error
  // bound to reach (by sampling paths with hops, sources with lengths).
  uint32_t samples = 0;
  uint64_t paths = 0;
  double epsilon = 0.0;
  // PageRank personalised to the persons with a known status (victim, suspect, …).
  bool seeds_from_status = false;
  int threads = 1;
  uint64_t seed = 1;
  // Betweenness, closeness and harmonic: told how many shortest-path searches are done.
  algorithms::ProgressFn progress = nullptr;
};

struct RankResult {
  std::vector<double> scores;  // per vertex
  // Vertices best first: descending score (ascending for constraint), ties by vertex; NaN last.
  std::vector<algorithms::Vertex> order;
  std::string note;  // e.g. the error bound of sampled betweenness; "" when nothing to say
};

StatusOr<RankResult> Rank(const Projection& projection, const RankOptions& options);

enum class CommunityAlgorithm { kLeiden, kLouvain, kLabelPropagation };
StatusOr<CommunityAlgorithm> ParseCommunityAlgorithm(std::string_view name);
std::string_view CommunityAlgorithmName(CommunityAlgorithm algorithm);

struct CommunityOptions {
  CommunityAlgorithm algorithm = CommunityAlgorithm::kLeiden;
  double resolution = 1.0;  // modularity resolution (Leiden, Louvain)
  uint64_t seed = 1;
  int threads = 1;
  double tolerance = algorithms::LeidenOptions{}.tolerance;  // Leiden only
};

// Communities of the projection's graph (directions ignored), largest first.
StatusOr<algorithms::CommunityResult> FindCommunities(const Projection& projection,
                                                      const CommunityOptions& options);

// Weakly connected components, numbered by their smallest vertex, on `threads` workers (the
// result does not depend on it).
StatusOr<algorithms::ComponentsResult> FindComponents(const Projection& projection, int threads);

struct DisruptOptions {
  Measure measure = Measure::kBetweenness;  // degree or betweenness
  int steps = 10;
  bool inverse_distance = false;  // betweenness on a weighted graph: a link's length is 1/weight
  int threads = 1;
  algorithms::ProgressFn progress = nullptr;  // told how many removal steps are done
};

// Removes the top node by the measure, recomputes, repeats (see algorithms/disruption.h for the
// tie rule): the largest component's share after each removal.
StatusOr<algorithms::DisruptionResult> Disrupt(const Projection& projection, const DisruptOptions& options);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_ANALYSIS_H_
