// Point lookups, one-hop adjacency scans and whole-store scans into graph projections on a
// store, with Google Benchmark.
//
//   TRAFNET_BENCH_DB=demo/store build/release/bench/store_bench
//   TRAFNET_BENCH_DB=build/bench/store build/release/bench/store_bench
//   --benchmark_filter='Scan|Project'
//
// runs against an existing store (e.g. one made from a 1M-person generated world by
// scripts/bench-ingest). Without TRAFNET_BENCH_DB it generates and ingests a 20k-person world
// into a temporary folder first, so the benchmark always has something to measure.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "trafnet/engine/generate.h"
#include "trafnet/engine/ingest.h"
#include "trafnet/engine/projection.h"
#include "trafnet/storage/store.h"

namespace {

using trafnet::storage::NodeId;
using trafnet::storage::Store;

struct Fixture {
  std::unique_ptr<Store> store;
  std::vector<std::pair<std::string, std::string>> keys;  // (kind, natural key) of sampled nodes
  std::vector<NodeId> ids;
};

Fixture& GetFixture() {
  static Fixture fixture = [] {
    Fixture f;
    std::filesystem::path db;
    if (const char* env = std::getenv("TRAFNET_BENCH_DB")) {
      db = env;
    } else {
      std::filesystem::path dir = std::filesystem::temp_directory_path() / "trafnet-store-bench";
      std::filesystem::remove_all(dir);
      trafnet::engine::GenerateOptions generate;
      generate.out_dir = dir / "world";
      generate.persons = 20000;
      if (!trafnet::engine::GenerateWorld(generate).ok()) std::abort();
      auto store = Store::Open(dir / "db");
      if (!store.ok()) std::abort();
      trafnet::engine::IngestOptions ingest;
      ingest.quiet = true;
      ingest.report_dir = dir / "reports";
      if (!trafnet::engine::Ingest(**store, {dir / "world"}, ingest).ok()) std::abort();
      db = dir / "db";
    }
    trafnet::storage::StoreOptions options;
    options.read_only = true;
    auto store = Store::Open(db, options);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      std::abort();
    }
    f.store = std::move(store).value();
    // Sample nodes spread over the id space.
    uint64_t nodes = f.store->counts().nodes;
    std::mt19937_64 random(42);
    for (int i = 0; i < 10000 && nodes > 0; ++i) {
      NodeId id = random() % nodes;
      auto node = f.store->GetNode(id);
      if (!node.ok() || !node->has_value()) continue;
      f.ids.push_back(id);
      f.keys.emplace_back((*node)->kind, (*node)->key);
    }
    return f;
  }();
  return fixture;
}

void BM_FindNodeByNaturalKey(benchmark::State& state) {
  Fixture& f = GetFixture();
  size_t i = 0;
  for (auto _ : state) {
    const auto& [kind, key] = f.keys[i++ % f.keys.size()];
    auto id = f.store->FindNode(kind, key);
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(BM_FindNodeByNaturalKey);

void BM_GetNodeRecord(benchmark::State& state) {
  Fixture& f = GetFixture();
  size_t i = 0;
  for (auto _ : state) {
    auto node = f.store->GetNode(f.ids[i++ % f.ids.size()]);
    benchmark::DoNotOptimize(node);
  }
}
BENCHMARK(BM_GetNodeRecord);

void BM_OneHopNeighbours(benchmark::State& state) {
  Fixture& f = GetFixture();
  size_t i = 0;
  uint64_t links = 0;
  for (auto _ : state) {
    auto adjacent = f.store->Neighbours(f.ids[i++ % f.ids.size()]);
    if (adjacent.ok()) links += adjacent->size();
    benchmark::DoNotOptimize(adjacent);
  }
  state.counters["links_per_scan"] = benchmark::Counter(static_cast<double>(links) / static_cast<double>(i));
}
BENCHMARK(BM_OneHopNeighbours);

// The store's whole graph read as a projection reads it (ScanGraphInParts, node kind and key
// and the status field, every link summed up), with callbacks that only count: the store side
// of a projection. Arg: parts (threads).
void BM_ScanGraph(benchmark::State& state) {
  Fixture& f = GetFixture();
  trafnet::storage::LinkScanOptions options;
  options.node_fields = {"status"};
  uint64_t links = 0;
  for (auto _ : state) {
    uint64_t nodes = 0;
    std::vector<uint64_t> part_links(static_cast<size_t>(state.range(0)));
    auto status = f.store->ScanGraphInParts(
        options, static_cast<unsigned>(state.range(0)),
        [&](NodeId, std::string_view, std::string_view, const std::vector<std::string_view>&) {
          ++nodes;
        },
        [&](unsigned part, const trafnet::storage::LinkSummary&) { ++part_links[part]; });
    if (!status.ok()) std::abort();
    for (uint64_t n : part_links) links += n;
    benchmark::DoNotOptimize(nodes);
  }
  state.counters["links_per_s"] =
      benchmark::Counter(static_cast<double>(links), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScanGraph)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Store -> CSR: engine::BuildProjection of the full graph (undirected, unweighted) and of the
// persons graph, the store open. Arg: threads. arcs_per_s is the measure.
void Project(benchmark::State& state, trafnet::engine::GraphKind kind) {
  Fixture& f = GetFixture();
  trafnet::engine::ProjectionOptions options;
  options.kind = kind;
  options.threads = static_cast<unsigned>(state.range(0));
  uint64_t arcs = 0;
  for (auto _ : state) {
    auto projection = trafnet::engine::BuildProjection(*f.store, options);
    if (!projection.ok()) std::abort();
    arcs += projection->graph.num_arcs();
    benchmark::DoNotOptimize(projection);
  }
  state.counters["arcs_per_s"] =
      benchmark::Counter(static_cast<double>(arcs), benchmark::Counter::kIsRate);
}
void BM_ProjectFull(benchmark::State& state) { Project(state, trafnet::engine::GraphKind::kFull); }
void BM_ProjectPersons(benchmark::State& state) {
  Project(state, trafnet::engine::GraphKind::kPersons);
}
BENCHMARK(BM_ProjectFull)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ProjectPersons)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
