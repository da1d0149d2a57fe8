#include "trafnet/engine/analysis.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "trafnet/algorithms/betweenness.h"
#include "trafnet/algorithms/brokerage.h"
#include "trafnet/algorithms/closeness.h"
#include "trafnet/algorithms/clustering.h"
#include "trafnet/algorithms/coreness.h"
#include "trafnet/algorithms/degree.h"
#include "trafnet/algorithms/eigenvector.h"
#include "trafnet/algorithms/pagerank.h"

namespace trafnet::engine {

namespace {

using algorithms::Vertex;

constexpr std::array<std::pair<std::string_view, Measure>, 9> kMeasures = {{
    {"degree", Measure::kDegree},
    {"pagerank", Measure::kPageRank},
    {"betweenness", Measure::kBetweenness},
    {"closeness", Measure::kCloseness},
    {"harmonic", Measure::kHarmonic},
    {"eigenvector", Measure::kEigenvector},
    {"coreness", Measure::kCoreness},
    {"clustering", Measure::kClustering},
    {"constraint", Measure::kConstraint},
}};

constexpr std::array<std::pair<std::string_view, CommunityAlgorithm>, 3> kAlgorithms = {{
    {"leiden", CommunityAlgorithm::kLeiden},
    {"louvain", CommunityAlgorithm::kLouvain},
    {"lpa", CommunityAlgorithm::kLabelPropagation},
}};

algorithms::EdgeLength Length(const Projection& projection, const RankOptions& options) {
  return projection.graph.weighted() && options.inverse_distance ? algorithms::EdgeLength::kInverseWeight
                                                                 : algorithms::EdgeLength::kHops;
}

StatusOr<std::vector<double>> Scores(const Projection& projection, const RankOptions& options,
                                     std::string& note) {
  const algorithms::CsrGraph& graph = projection.graph;
  switch (options.measure) {
    case Measure::kDegree: {
      algorithms::DegreeOptions degree;
      degree.direction = algorithms::DegreeDirection::kTotal;
      degree.weighted = graph.weighted();
      degree.normalized = !graph.weighted();
      return algorithms::DegreeCentrality(graph, degree);
    }
    case Measure::kPageRank: {
      algorithms::PageRankOptions pagerank;
      pagerank.tolerance = 1e-10 * std::max<double>(1, graph.num_vertices());
      pagerank.max_iterations = 1000;
      pagerank.threads = options.threads;
      if (options.seeds_from_status) {
        for (Vertex v = 0; v < projection.status.size(); ++v) {
          if (!projection.status[v].empty()) pagerank.seeds.push_back(v);
        }
        if (pagerank.seeds.empty()) {
          return InvalidArgumentError("--seeds-from-status: no node in the graph has a status (victim, suspect, convicted, witness)");
        }
        note = "personalised to " + std::to_string(pagerank.seeds.size()) + " nodes with a known status";
      }
      TRAFNET_ASSIGN_OR_RETURN(auto result, algorithms::PageRank(graph, pagerank));
      if (!result.converged) {
        note += std::string(note.empty() ? "" : "; ") + "did not converge in 1000 iterations (L1 change " +
                std::to_string(result.residual) + ")";
      }
      return std::move(result.scores);
    }
    case Measure::kBetweenness: {
      algorithms::BetweennessOptions betweenness;
      betweenness.length = Length(projection, options);
      betweenness.threads = options.threads;
      betweenness.samples = options.samples;
      betweenness.paths = options.paths;
      betweenness.epsilon = options.epsilon;
      betweenness.seed = options.seed;
      betweenness.progress = options.progress;
      TRAFNET_ASSIGN_OR_RETURN(auto result, algorithms::Betweenness(graph, betweenness));
      if (!result.exact) {
        const std::string sample = result.paths > 0
                                       ? std::to_string(result.paths) + " shortest paths"
                                       : std::to_string(result.sources) + " sources";
        note = "sampled from " + sample + ": each score within " +
               std::to_string(result.error_bound) + " of the exact one with probability " +
               std::to_string(1 - result.delta);
      }
      return std::move(result.scores);
    }
    case Measure::kCloseness: {
      algorithms::ClosenessOptions closeness;
      closeness.length = Length(projection, options);
      closeness.threads = options.threads;
      closeness.progress = options.progress;
      return algorithms::Closeness(graph, closeness);
    }
    case Measure::kHarmonic: {
      algorithms::HarmonicOptions harmonic;
      harmonic.length = Length(projection, options);
      harmonic.threads = options.threads;
      harmonic.progress = options.progress;
      return algorithms::HarmonicCentrality(graph, harmonic);
    }
    case Measure::kEigenvector: {
      algorithms::EigenvectorOptions eigenvector;
      eigenvector.max_iterations = 1000;
      TRAFNET_ASSIGN_OR_RETURN(auto result, algorithms::EigenvectorCentrality(graph, eigenvector));
      if (!result.converged) note = "did not converge in 1000 iterations";
      return std::move(result.scores);
    }
    case Measure::kCoreness: {
      algorithms::CorenessOptions coreness;
      coreness.threads = options.threads;
      TRAFNET_ASSIGN_OR_RETURN(auto result, algorithms::Coreness(graph, coreness));
      return std::vector<double>(result.coreness.begin(), result.coreness.end());
    }
    case Measure::kClustering: {
      if (graph.directed()) return InvalidArgumentError("clustering is defined here for undirected graphs: drop --directed");
      algorithms::ClusteringOptions clustering;
      clustering.threads = options.threads;
      TRAFNET_ASSIGN_OR_RETURN(auto result, algorithms::Clustering(graph, clustering));
      return std::move(result.coefficients);
    }
    case Measure::kConstraint: {
      algorithms::StructuralHolesOptions holes;
      holes.threads = options.threads;
      TRAFNET_ASSIGN_OR_RETURN(auto result, algorithms::StructuralHoles(graph, holes));
      return std::move(result.constraint);
    }
  }
  return InternalError("unknown measure");
}

}  // namespace

StatusOr<Measure> ParseMeasure(std::string_view name) {
  std::string known;
  for (const auto& [text, measure] : kMeasures) {
    if (text == name) return measure;
    known += known.empty() ? std::string(text) : ", " + std::string(text);
  }
  return InvalidArgumentError("unknown measure '" + std::string(name) + "' (known: " + known + ")");
}

std::string_view MeasureName(Measure measure) {
  for (const auto& [text, value] : kMeasures) {
    if (value == measure) return text;
  }
  return "?";
}

StatusOr<RankResult> Rank(const Projection& projection, const RankOptions& options) {
  if (options.threads < 1) return InvalidArgumentError("--threads must be at least 1");
  RankResult result;
  TRAFNET_ASSIGN_OR_RETURN(result.scores, Scores(projection, options, result.note));
  const std::vector<double>& scores = result.scores;
  result.order.resize(scores.size());
  for (Vertex v = 0; v < scores.size(); ++v) result.order[v] = v;
  const bool ascending = options.measure == Measure::kConstraint;
  std::stable_sort(result.order.begin(), result.order.end(), [&](Vertex a, Vertex b) {
    double x = scores[a], y = scores[b];
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return ascending ? x < y : x > y;
  });
  return result;
}

StatusOr<CommunityAlgorithm> ParseCommunityAlgorithm(std::string_view name) {
  for (const auto& [text, algorithm] : kAlgorithms) {
    if (text == name) return algorithm;
  }
  return InvalidArgumentError("unknown community algorithm '" + std::string(name) + "' (known: leiden, louvain, lpa)");
}

std::string_view CommunityAlgorithmName(CommunityAlgorithm algorithm) {
  for (const auto& [text, value] : kAlgorithms) {
    if (value == algorithm) return text;
  }
  return "?";
}

StatusOr<algorithms::CommunityResult> FindCommunities(const Projection& projection,
                                                      const CommunityOptions& options) {
  switch (options.algorithm) {
    case CommunityAlgorithm::kLeiden: {
      algorithms::LeidenOptions leiden;
      leiden.seed = options.seed;
      leiden.resolution = options.resolution;
      leiden.threads = options.threads;
      leiden.tolerance = options.tolerance;
      return algorithms::Leiden(projection.graph, leiden);
    }
    case CommunityAlgorithm::kLouvain: {
      algorithms::LouvainOptions louvain;
      louvain.seed = options.seed;
      louvain.resolution = options.resolution;
      return algorithms::Louvain(projection.graph, louvain);
    }
    case CommunityAlgorithm::kLabelPropagation: {
      algorithms::LabelPropagationOptions lpa;
      lpa.seed = options.seed;
      return algorithms::LabelPropagation(projection.graph, lpa);
    }
  }
  return InternalError("unknown community algorithm");
}

StatusOr<algorithms::DisruptionResult> Disrupt(const Projection& projection, const DisruptOptions& options) {
  algorithms::DisruptionOptions disruption;
  if (options.measure == Measure::kDegree) {
    disruption.measure = algorithms::DisruptionMeasure::kDegree;
  } else if (options.measure == Measure::kBetweenness) {
    disruption.measure = algorithms::DisruptionMeasure::kBetweenness;
  } else {
    return InvalidArgumentError("disruption removes nodes by degree or betweenness");
  }
  disruption.steps = options.steps;
  disruption.threads = options.threads;
  disruption.progress = options.progress;
  disruption.length = projection.graph.weighted() && options.inverse_distance
                          ? algorithms::EdgeLength::kInverseWeight
                          : algorithms::EdgeLength::kHops;
  return algorithms::Disruption(projection.graph, disruption);
}

StatusOr<algorithms::ComponentsResult> FindComponents(const Projection& projection, int threads) {
  algorithms::ComponentsOptions options;
  options.threads = threads;
  return algorithms::WeaklyConnectedComponents(projection.graph, options);
}

}  // namespace trafnet::engine
