// The graph kernels on seeded random graphs, with Google Benchmark.
//
//   build/release/bench/algorithms_bench [--benchmark_filter=PageRank]
//
// Three graphs, each generated once on first use, outside every timed region (see
// graph_generators.h), sizes from the environment:
//   uniform   G(n, m)            TRAFNET_BENCH_NODES (1000000), TRAFNET_BENCH_EDGES (10000000)
//   planted   planted partition  same n and m, TRAFNET_BENCH_COMMUNITIES (1000),
//                                TRAFNET_BENCH_MIXING (0.2: Leiden modularity about 0.8)
//   ba        Barabási–Albert    TRAFNET_BENCH_BA_NODES (10000), 5 edges per vertex
// plus TRAFNET_BENCH_BC_SAMPLES (16) sources for sampled betweenness, TRAFNET_BENCH_SEED (1).
// Each timed iteration is one full kernel call; "edges_per_s" is the graph's undirected edge
// count over that call's wall time, so kernels on one graph compare directly. Times are wall
// time (UseRealTime): the threaded kernels work off the main thread, whose CPU time would
// flatter them.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "bfs_levels.h"
#include "graph_generators.h"
#include "trafnet/algorithms/betweenness.h"
#include "trafnet/algorithms/clustering.h"
#include "trafnet/algorithms/community.h"
#include "trafnet/algorithms/components.h"
#include "trafnet/algorithms/bfs.h"
#include "trafnet/algorithms/coreness.h"
#include "trafnet/algorithms/pagerank.h"

namespace {

namespace algo = trafnet::algorithms;
using trafnet::bench::EdgeList;
using trafnet::StatusOr;

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::strtoull(value, nullptr, 10) : fallback;
}
double EnvOr(const char* name, double fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::strtod(value, nullptr) : fallback;
}

// A benchmark cannot return an error: a bad size or a failing kernel ends the run loudly.
template <typename T>
T OrDie(StatusOr<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, result.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

struct Fixture {
  algo::CsrGraph graph;
  uint64_t edges = 0;  // undirected
};

Fixture Build(StatusOr<EdgeList> generated, const char* what) {
  EdgeList list = OrDie(std::move(generated), what);
  Fixture fixture{trafnet::bench::ToCsr(list), list.edges.size()};
  std::fprintf(stderr, "%s: %u vertices, %llu edges\n", what, list.num_vertices,
               static_cast<unsigned long long>(fixture.edges));
  return fixture;
}

const Fixture& Uniform() {
  static const Fixture fixture = Build(
      trafnet::bench::GenerateUniform({
          .vertices = static_cast<uint32_t>(EnvOr("TRAFNET_BENCH_NODES", uint64_t{1'000'000})),
          .edges = EnvOr("TRAFNET_BENCH_EDGES", uint64_t{10'000'000}),
          .seed = EnvOr("TRAFNET_BENCH_SEED", uint64_t{1}),
      }),
      "uniform graph");
  return fixture;
}

const Fixture& Planted() {
  static const Fixture fixture = Build(
      trafnet::bench::GeneratePlantedPartition({
          .vertices = static_cast<uint32_t>(EnvOr("TRAFNET_BENCH_NODES", uint64_t{1'000'000})),
          .edges = EnvOr("TRAFNET_BENCH_EDGES", uint64_t{10'000'000}),
          .communities = static_cast<uint32_t>(EnvOr("TRAFNET_BENCH_COMMUNITIES", uint64_t{1000})),
          .mixing = EnvOr("TRAFNET_BENCH_MIXING", 0.2),
          .seed = EnvOr("TRAFNET_BENCH_SEED", uint64_t{1}),
      }),
      "planted partition graph");
  return fixture;
}

const Fixture& PreferentialAttachment() {
  static const Fixture fixture = Build(
      trafnet::bench::GeneratePreferentialAttachment({
          .vertices = static_cast<uint32_t>(EnvOr("TRAFNET_BENCH_BA_NODES", uint64_t{10'000})),
          .edges_per_vertex = 5,
          .seed = EnvOr("TRAFNET_BENCH_SEED", uint64_t{1}),
      }),
      "preferential attachment graph");
  return fixture;
}

void ReportEdgeRate(benchmark::State& state, const Fixture& f) {
  state.counters["edges_per_s"] = benchmark::Counter(
      static_cast<double>(f.edges) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_PageRank20Iterations(benchmark::State& state) {
  const Fixture& f = Uniform();
  algo::PageRankOptions options;
  options.tolerance = 0.0;  // exactly max_iterations, whatever the residual
  options.max_iterations = 20;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto result = OrDie(algo::PageRank(f.graph, options), "PageRank");
    benchmark::DoNotOptimize(result.scores.data());
  }
  ReportEdgeRate(state, f);
}
BENCHMARK(BM_PageRank20Iterations)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_PageRankTolerance1e4(benchmark::State& state) {
  const Fixture& f = Uniform();
  algo::PageRankOptions options;
  options.tolerance = 1e-4;  // L1 change of the whole score vector
  options.threads = static_cast<int>(state.range(0));
  int iterations = 0;
  for (auto _ : state) {
    auto result = OrDie(algo::PageRank(f.graph, options), "PageRank");
    iterations = result.iterations;
    benchmark::DoNotOptimize(result.scores.data());
  }
  ReportEdgeRate(state, f);
  state.counters["iterations"] = iterations;
}
BENCHMARK(BM_PageRankTolerance1e4)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_WeakComponents(benchmark::State& state) {
  const Fixture& f = Uniform();
  algo::ComponentsOptions options;
  options.threads = static_cast<int>(state.range(0));
  uint32_t count = 0;
  for (auto _ : state) {
    algo::ComponentsResult result =
        OrDie(algo::WeaklyConnectedComponents(f.graph, options), "WeaklyConnectedComponents");
    count = result.count;
    benchmark::DoNotOptimize(result.component.data());
  }
  ReportEdgeRate(state, f);
  state.counters["components"] = count;
}
BENCHMARK(BM_WeakComponents)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_BreadthFirstSearchBgl(benchmark::State& state) {
  const Fixture& f = Uniform();
  std::vector<uint32_t> distance;
  for (auto _ : state) distance = trafnet::bench::BfsLevels(f.graph, 0);
  uint64_t reached = 0;
  for (uint32_t d : distance) reached += d != trafnet::bench::kUnreached;
  ReportEdgeRate(state, f);
  state.counters["reached"] = static_cast<double>(reached);
}
BENCHMARK(BM_BreadthFirstSearchBgl)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_BreadthFirstSearch(benchmark::State& state) {
  const Fixture& f = Uniform();
  algo::BfsOptions options;
  options.threads = static_cast<int>(state.range(0));
  uint64_t reached = 0;
  for (auto _ : state) {
    auto result = OrDie(algo::BreadthFirstSearch(f.graph, 0, options), "BreadthFirstSearch");
    reached = result.reached;
    benchmark::DoNotOptimize(result.distance.data());
  }
  ReportEdgeRate(state, f);
  state.counters["reached"] = static_cast<double>(reached);
}
BENCHMARK(BM_BreadthFirstSearch)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Coreness(benchmark::State& state) {
  const Fixture& f = Uniform();
  algo::CorenessOptions options;
  options.threads = static_cast<int>(state.range(0));
  uint32_t max_coreness = 0;
  for (auto _ : state) {
    auto result = OrDie(algo::Coreness(f.graph, options), "Coreness");
    max_coreness = result.max_coreness;
    benchmark::DoNotOptimize(result.coreness.data());
  }
  ReportEdgeRate(state, f);
  state.counters["max_coreness"] = max_coreness;
}
BENCHMARK(BM_Coreness)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Triangles(benchmark::State& state) {
  const Fixture& f = Uniform();
  algo::ClusteringOptions options;
  options.threads = static_cast<int>(state.range(0));
  uint64_t triangles = 0;
  for (auto _ : state) {
    auto result = OrDie(algo::Clustering(f.graph, options), "Clustering");
    triangles = result.total_triangles;
    benchmark::DoNotOptimize(result.triangles.data());
  }
  ReportEdgeRate(state, f);
  state.counters["triangles"] = static_cast<double>(triangles);
}
BENCHMARK(BM_Triangles)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void ReportCommunities(benchmark::State& state, const Fixture& f,
                       const algo::CommunityResult& result) {
  ReportEdgeRate(state, f);
  state.counters["modularity"] = result.modularity;
  state.counters["communities"] = result.count;
  state.counters["iterations"] = result.iterations;
}

void BM_Leiden(benchmark::State& state) {
  const Fixture& f = Planted();
  algo::CommunityResult result;
  algo::LeidenOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) result = OrDie(algo::Leiden(f.graph, options), "Leiden");
  ReportCommunities(state, f, result);
}
BENCHMARK(BM_Leiden)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Louvain(benchmark::State& state) {
  const Fixture& f = Planted();
  algo::CommunityResult result;
  for (auto _ : state) result = OrDie(algo::Louvain(f.graph), "Louvain");
  ReportCommunities(state, f, result);
}
BENCHMARK(BM_Louvain)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_BetweennessExact(benchmark::State& state) {
  const Fixture& f = PreferentialAttachment();
  algo::BetweennessOptions options;
  options.threads = static_cast<int>(state.range(0));
  double top = 0.0;
  for (auto _ : state) {
    auto result = OrDie(algo::Betweenness(f.graph, options), "Betweenness");
    top = *std::max_element(result.scores.begin(), result.scores.end());
  }
  ReportEdgeRate(state, f);
  state.counters["top_normalised"] = top;
}
BENCHMARK(BM_BetweennessExact)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_BetweennessSampled(benchmark::State& state) {
  const Fixture& f = Uniform();
  algo::BetweennessOptions options;
  options.samples = static_cast<uint32_t>(EnvOr("TRAFNET_BENCH_BC_SAMPLES", uint64_t{16}));
  options.threads = static_cast<int>(state.range(0));
  double error_bound = 0.0;
  for (auto _ : state) {
    auto result = OrDie(algo::Betweenness(f.graph, options), "Betweenness");
    error_bound = result.error_bound;
    benchmark::DoNotOptimize(result.scores.data());
  }
  ReportEdgeRate(state, f);
  state.counters["sources"] = static_cast<double>(options.samples);
  state.counters["error_bound"] = error_bound;
}
BENCHMARK(BM_BetweennessSampled)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
