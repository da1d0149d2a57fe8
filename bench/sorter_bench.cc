// The external sorter as a bulk commit uses it for the adjacency families: fixed 18-byte keys
// (node, type, node) with a 1-byte value, in random order, through the third of the default
// sort memory (128 MiB / 3) that the `out` and `in` sorters each get, then read back in order.
// Run: build/release/bench/sorter_bench
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>

#include "../storage/src/external_sorter.h"

namespace {

// `records` adjacency-shaped keys (node, type, node) in random order, each with value 0x01.
void AddAdjacencyKeys(trafnet::storage::ExternalSorter& sorter, size_t records,
                      benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::string key(18, '\0');
  for (size_t i = 0; i < records; ++i) {
    const uint64_t a = rng() % 2'500'000, b = rng() % 2'500'000;
    for (int byte = 0; byte < 8; ++byte) {
      key[byte] = static_cast<char>(a >> (56 - 8 * byte));
      key[10 + byte] = static_cast<char>(b >> (56 - 8 * byte));
    }
    key[8] = 0;
    key[9] = static_cast<char>(1 + rng() % 8);
    if (!sorter.Add(key, "\x01").ok()) state.SkipWithError("add failed");
  }
}

// Sorts state.range(0) adjacency keys and reads them back; with `merge_only` only the reading
// back (the k-way merge of the runs) is timed.
void SortAdjacencyKeys(benchmark::State& state, bool merge_only) {
  const auto records = static_cast<size_t>(state.range(0));
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("trafnet-sorter-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (auto _ : state) {
    if (merge_only) state.PauseTiming();
    trafnet::storage::ExternalSorter sorter(dir, "adjacency", (size_t{128} << 20) / 3);
    AddAdjacencyKeys(sorter, records, state);
    if (!sorter.StartReading().ok()) state.SkipWithError("start reading failed");
    if (merge_only) state.ResumeTiming();
    uint64_t checksum = 0;
    while (sorter.Valid()) {
      checksum += static_cast<unsigned char>(sorter.key()[17]);
      if (!sorter.Next().ok()) state.SkipWithError("next failed");
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records));
  std::filesystem::remove_all(dir);
}

void BM_ExternalSorterAdjacencyKeys(benchmark::State& state) { SortAdjacencyKeys(state, false); }
BENCHMARK(BM_ExternalSorterAdjacencyKeys)
    ->Arg(4'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// Reading back alone: the k-way merge of the runs (about 26 of them for 10M adjacency keys, as
// a 1M-person world's final commit has), timed apart from adding, sorting and spilling.
void BM_ExternalSorterMerge(benchmark::State& state) { SortAdjacencyKeys(state, true); }
BENCHMARK(BM_ExternalSorterMerge)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
