// Investigators' queries on a store, with Google Benchmark: lookup by phone and by name (as
// written and misspelt), the 2-hop neighbourhood of an ordinary person, and the shortest path
// between two persons 4 hops apart. Each reports the median and 99th percentile of its calls (p50_ms, p99_ms).
//
//   TRAFNET_BENCH_DB=/path/to/store build/release/bench/query_bench
//
// runs against an existing store (the targets are for a generated 1M-person world); without
// TRAFNET_BENCH_DB it generates and ingests a 20k-person world into a temporary folder first.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "trafnet/engine/generate.h"
#include "trafnet/engine/ingest.h"
#include "trafnet/engine/query.h"
#include "trafnet/storage/normalize.h"
#include "trafnet/storage/store.h"

namespace {

using trafnet::storage::NodeId;
using trafnet::storage::Store;
namespace engine = trafnet::engine;

struct Fixture {
  std::unique_ptr<Store> store;
  std::vector<NodeId> persons;                  // ordinary persons (at most 40 links)
  std::vector<std::string> phones;              // numbers as stored (E.164)
  std::vector<std::string> names;               // names as ingested
  std::vector<std::pair<NodeId, NodeId>> pairs;  // persons 4 hops apart
};

Fixture& GetFixture() {
  static Fixture fixture = [] {
    Fixture f;
    std::filesystem::path db;
    if (const char* env = std::getenv("TRAFNET_BENCH_DB")) {
      db = env;
    } else {
      std::filesystem::path dir = std::filesystem::temp_directory_path() / "trafnet-query-bench";
      std::filesystem::remove_all(dir);
      engine::GenerateOptions generate;
      generate.out_dir = dir / "world";
      generate.persons = 20000;
      if (!engine::GenerateWorld(generate).ok()) std::abort();
      auto store = Store::Open(dir / "db");
      if (!store.ok()) std::abort();
      engine::IngestOptions ingest;
      ingest.quiet = true;
      ingest.report_dir = dir / "reports";
      if (!engine::Ingest(**store, {dir / "world"}, ingest).ok()) std::abort();
      db = dir / "db";
    }
    trafnet::storage::StoreOptions options;
    options.read_only = true;
    options.create_if_missing = false;
    auto store = Store::Open(db, options);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      std::abort();
    }
    f.store = std::move(store).value();
    const uint64_t nodes = f.store->counts().nodes;
    std::mt19937_64 random(42);
    for (int tries = 0; tries < 200000 && f.persons.size() < 2000; ++tries) {
      const NodeId id = random() % nodes;
      auto node = f.store->GetNode(id);
      if (!node.ok() || !node->has_value()) continue;
      const auto& record = **node;
      if (record.kind == "phone") {
        // Valid numbers only: an invalid one is stored under its raw text, not a number.
        if (f.phones.size() < 2000 && record.key.starts_with('+')) f.phones.push_back(record.key);
        continue;
      }
      if (record.kind != "person") continue;
      auto adjacent = f.store->Neighbours(id);
      if (!adjacent.ok() || adjacent->size() > 40) continue;
      f.persons.push_back(id);
      f.names.emplace_back(trafnet::storage::FieldValue(record.fields, "name"));
    }
    // Pairs 4 hops apart: a person at distance 4 in the start's neighbourhood.
    for (size_t i = 0; i < f.persons.size() && f.pairs.size() < 200; i += 7) {
      engine::NeighbourhoodRequest request;
      request.start = f.persons[i];
      request.hops = 4;
      request.limit = 5000;
      auto graph = engine::Neighbourhood(*f.store, request);
      if (!graph.ok()) continue;
      for (const engine::QueryNode& node : graph->nodes) {
        if (node.hops == 4 && node.kind == "person" && !graph->truncated) {
          f.pairs.emplace_back(f.persons[i], node.node);
          break;
        }
      }
    }
    std::fprintf(stderr, "query_bench: %zu persons, %zu phones, %zu pairs 4 hops apart\n",
                 f.persons.size(), f.phones.size(), f.pairs.size());
    return f;
  }();
  return fixture;
}

// Times each call and reports the median and 99th percentile in milliseconds.
template <typename Fn>
void Timed(benchmark::State& state, Fn&& call) {
  std::vector<double> ms;
  size_t i = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    call(i++);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) return;
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

void BM_LookupPhone(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (f.phones.empty()) return state.SkipWithError("no phones");
  Timed(state, [&](size_t i) {
    engine::LookupRequest request;
    request.phone = f.phones[i % f.phones.size()];
    auto found = engine::Lookup(*f.store, request);
    if (!found.ok() || found->empty()) state.SkipWithError("phone not found");
    benchmark::DoNotOptimize(found);
  });
}
BENCHMARK(BM_LookupPhone);

void BM_LookupName(benchmark::State& state) {
  Fixture& f = GetFixture();
  Timed(state, [&](size_t i) {
    engine::LookupRequest request;
    request.name = f.names[i % f.names.size()];
    auto found = engine::Lookup(*f.store, request);
    if (!found.ok() || found->empty()) state.SkipWithError("name not found");
    benchmark::DoNotOptimize(found);
  });
}
BENCHMARK(BM_LookupName);

// The same names with a typing slip: the second letter of the last word doubled ("Jovanović" →
// "jovvanovic", written as its folded key), so only near misses can find the person.
void BM_LookupNameMisspelt(benchmark::State& state) {
  Fixture& f = GetFixture();
  std::vector<std::string> keys, misspelt;
  trafnet::storage::NameKeyer keyer;
  for (const std::string& name : f.names) {
    keys.push_back(keyer.Key(name));
    std::string key = keys.back();
    const size_t last = key.rfind(' ');
    if (last != std::string::npos && last + 2 < key.size()) key.insert(last + 2, 1, key[last + 2]);
    misspelt.push_back(std::move(key));
  }
  size_t found_name = 0, calls = 0;
  Timed(state, [&](size_t i) {
    engine::LookupRequest request;
    request.name = misspelt[i % misspelt.size()];
    auto found = engine::Lookup(*f.store, request);
    if (!found.ok()) state.SkipWithError("lookup failed");
    for (const engine::LookupMatch& match : *found) {
      if (match.matched == keys[i % keys.size()]) {
        ++found_name;
        break;
      }
    }
    ++calls;
  });
  // The share of lookups whose answer (20 matches at most) includes the name as it was meant.
  if (calls > 0) state.counters["found"] = static_cast<double>(found_name) / static_cast<double>(calls);
}
BENCHMARK(BM_LookupNameMisspelt);

void BM_Neighbourhood2Hops(benchmark::State& state) {
  Fixture& f = GetFixture();
  size_t nodes = 0, calls = 0;
  Timed(state, [&](size_t i) {
    engine::NeighbourhoodRequest request;
    request.start = f.persons[i % f.persons.size()];
    request.hops = 2;
    auto graph = engine::Neighbourhood(*f.store, request);
    if (!graph.ok()) state.SkipWithError("neighbourhood failed");
    nodes += graph->nodes.size();
    ++calls;
  });
  if (calls > 0) state.counters["nodes"] = static_cast<double>(nodes) / static_cast<double>(calls);
}
BENCHMARK(BM_Neighbourhood2Hops);

void BM_Path4Hops(benchmark::State& state) {
  Fixture& f = GetFixture();
  if (f.pairs.empty()) return state.SkipWithError("no pairs 4 hops apart");
  Timed(state, [&](size_t i) {
    engine::PathRequest request;
    request.nodes = {f.pairs[i % f.pairs.size()].first, f.pairs[i % f.pairs.size()].second};
    auto result = engine::Paths(*f.store, request);
    if (!result.ok() || result->paths.empty()) state.SkipWithError("no path");
    benchmark::DoNotOptimize(result);
  });
}
BENCHMARK(BM_Path4Hops);

}  // namespace
BENCHMARK_MAIN();
