#include "../../storage/src/external_sorter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

#include "support/temp_dir.h"

namespace trafnet::storage {
namespace {

using Record = std::pair<std::string, std::string>;

// The records from where the sorter stands to the end. REQUIRES: StartReading() was called.
std::vector<Record> ReadRest(ExternalSorter& sorter) {
  std::vector<Record> out;
  while (sorter.Valid()) {
    out.emplace_back(sorter.key(), sorter.value());
    EXPECT_TRUE(sorter.Next().ok());
  }
  return out;
}

std::vector<Record> ReadAll(ExternalSorter& sorter) {
  EXPECT_TRUE(sorter.StartReading().ok());
  return ReadRest(sorter);
}

size_t CountRunFiles(const std::filesystem::path& dir) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                           std::filesystem::directory_iterator()));
}

// Random keys of 0..20 bytes from a small alphabet (so many repeat, and many share an 8-byte
// prefix), each value the record's position in the input.
std::vector<Record> RandomRecords(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Record> records;
  for (size_t i = 0; i < n; ++i) {
    std::string key(rng() % 21, '\0');
    for (auto& c : key) c = static_cast<char>("\0ab\xff"[rng() % 4]);
    records.emplace_back(key, std::to_string(i));
  }
  return records;
}

// The obviously-correct answer: a stable sort by key bytes.
std::vector<Record> Reference(std::vector<Record> records) {
  std::stable_sort(records.begin(), records.end(),
                   [](const Record& a, const Record& b) { return a.first < b.first; });
  return records;
}

TEST(ExternalSorterTest, SortsInMemoryKeepingEqualKeysInInsertionOrder) {
  trafnet::testing::TempDir dir;
  ExternalSorter sorter(dir.path(), "t", 64 << 20);
  auto records = RandomRecords(5000, 1);
  for (const auto& [key, value] : records) ASSERT_TRUE(sorter.Add(key, value).ok());
  EXPECT_EQ(sorter.size(), records.size());
  EXPECT_EQ(ReadAll(sorter), Reference(records));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "fits in memory: no run files";
}

TEST(ExternalSorterTest, SpillsRunsToDiskAndMergesThemInOrder) {
  for (uint32_t seed : {2u, 3u, 4u}) {
    trafnet::testing::TempDir dir;
    ExternalSorter sorter(dir.path(), "t", 1 << 16);  // the smallest buffer: many runs
    auto records = RandomRecords(40000, seed);
    for (const auto& [key, value] : records) ASSERT_TRUE(sorter.Add(key, value).ok());
    EXPECT_GT(CountRunFiles(dir.path()), 5u);
    EXPECT_EQ(ReadAll(sorter), Reference(records)) << "seed " << seed;
    sorter.Clear();
    EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "Clear removes the runs";
  }
}

// The merge is a tree of losers over the runs: any number of runs, a power of two or not,
// gives the records in order, equal keys in the order they were added.
TEST(ExternalSorterTest, MergesAnyNumberOfRuns) {
  std::set<size_t> run_counts;
  for (size_t n = 500; n <= 9000; n += 500) {
    trafnet::testing::TempDir dir;
    ExternalSorter sorter(dir.path(), "t", 1 << 16);
    auto records = RandomRecords(n, static_cast<uint32_t>(n));
    for (const auto& [key, value] : records) ASSERT_TRUE(sorter.Add(key, value).ok());
    ASSERT_TRUE(sorter.StartReading().ok());
    run_counts.insert(CountRunFiles(dir.path()));
    EXPECT_EQ(ReadRest(sorter), Reference(records)) << n << " records";
  }
  EXPECT_GE(run_counts.size(), 5u) << "from one run to several, odd and even";
  EXPECT_TRUE(run_counts.contains(0) || run_counts.contains(1) || run_counts.contains(2));
}

TEST(ExternalSorterTest, IsReusableAfterClearAndHandlesEmptyInput) {
  trafnet::testing::TempDir dir;
  ExternalSorter sorter(dir.path(), "t", 1 << 16);
  EXPECT_TRUE(ReadAll(sorter).empty());
  sorter.Clear();
  auto records = RandomRecords(20000, 5);
  for (const auto& [key, value] : records) ASSERT_TRUE(sorter.Add(key, value).ok());
  sorter.Clear();
  EXPECT_EQ(sorter.size(), 0u);
  ASSERT_TRUE(sorter.Add("b", "2").ok());
  ASSERT_TRUE(sorter.Add("a", "1").ok());
  EXPECT_EQ(ReadAll(sorter), (std::vector<Record>{{"a", "1"}, {"b", "2"}}));
}

// Each of the two buffers takes half the memory bound, records and their 32-byte entries
// together: 100 000 adjacency-sized records (18-byte key, 1-byte value; 51 bytes with the entry)
// through 1 MiB make runs of 10 280, ten run files, neither more (memory left unused) nor fewer
// (the bound broken).
TEST(ExternalSorterTest, EachRunFillsHalfTheMemoryWithRecordsAndEntries) {
  trafnet::testing::TempDir dir;
  ExternalSorter sorter(dir.path(), "t", 1 << 20);
  std::mt19937_64 rng(3);
  std::vector<Record> records;
  for (size_t i = 0; i < 100'000; ++i) {
    std::string key(18, '\0');
    for (auto& c : key) c = static_cast<char>(rng());
    records.emplace_back(key, std::string(1, static_cast<char>(i)));
    ASSERT_TRUE(sorter.Add(records.back().first, records.back().second).ok());
  }
  ASSERT_TRUE(sorter.StartReading().ok());
  EXPECT_EQ(CountRunFiles(dir.path()), 10u);
  EXPECT_EQ(ReadRest(sorter), Reference(records));
}

// Pages a buffer has written stay written after a spill, so the bound counts the most each part
// has held: after runs of large records have filled the arena, runs of small records may not
// also fill the entries (which would hold about twice the bound). 2 000 records of about 1 KiB
// make 5 runs (499 a run); 20 000 adjacency-sized ones would make 2 runs if the arena counted
// as empty again, and make about 40 when it does not.
TEST(ExternalSorterTest, RecordsOfAnotherSizeLaterDoNotStretchTheMemoryBound) {
  trafnet::testing::TempDir dir;
  ExternalSorter sorter(dir.path(), "t", 1 << 20);
  std::mt19937_64 rng(5);
  std::vector<Record> records;
  for (size_t i = 0; i < 22'000; ++i) {
    std::string key(18, '\0');
    for (auto& c : key) c = static_cast<char>(rng());
    records.emplace_back(key, std::string(i < 2'000 ? 1000 : 1, 'v'));
    ASSERT_TRUE(sorter.Add(records.back().first, records.back().second).ok());
  }
  ASSERT_TRUE(sorter.StartReading().ok());
  EXPECT_GT(CountRunFiles(dir.path()), 30u);
  EXPECT_EQ(ReadRest(sorter), Reference(records));
}

// Run files are read through a 1 MiB buffer: records straddle its end, and one record is bigger
// than the buffer.
TEST(ExternalSorterTest, RecordsAcrossAndBeyondTheReadBufferComeBackWhole) {
  trafnet::testing::TempDir dir;
  ExternalSorter sorter(dir.path(), "t", 8 << 20);  // runs of about 3 MiB
  std::mt19937 rng(7);
  std::vector<Record> records;
  for (size_t i = 0; i < 6000; ++i) {
    std::string key = std::to_string(rng() % 1000);
    records.emplace_back(key, std::string(rng() % 3000, static_cast<char>('a' + i % 26)));
  }
  records.emplace_back("500", std::string(3 << 20, 'z'));
  records.emplace_back("501", "");
  for (const auto& [key, value] : records) ASSERT_TRUE(sorter.Add(key, value).ok());
  EXPECT_EQ(ReadAll(sorter), Reference(records));
}

TEST(ExternalSorterTest, ATruncatedRunIsAnErrorNotAShortAnswer) {
  trafnet::testing::TempDir dir;
  ExternalSorter sorter(dir.path(), "t", 8 << 20);
  for (size_t i = 0; i < 8000; ++i) ASSERT_TRUE(sorter.Add(std::to_string(i), std::string(1000, 'v')).ok());
  ASSERT_TRUE(sorter.StartReading().ok());
  size_t runs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::filesystem::resize_file(entry.path(), std::filesystem::file_size(entry.path()) - 1);
    ++runs;
  }
  ASSERT_GT(runs, 1u);
  size_t read = 0;
  Status status = Status::Ok();
  while (sorter.Valid() && status.ok()) {
    ++read;
    status = sorter.Next();
  }
  EXPECT_FALSE(status.ok()) << "read " << read << " records of 8000 without noticing";
  EXPECT_NE(status.message().find("truncated"), std::string::npos) << status.ToString();
}

}  // namespace
}  // namespace trafnet::storage
