// Name lookup's two sources of near misses: the name-word index finds every near miss the
// prefix scans of stores without it find, and those that the scans' bounds lose.
#include "name_search.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "support/temp_dir.h"
#include "trafnet/engine/generate.h"
#include "trafnet/engine/ingest.h"
#include "trafnet/engine/query.h"
#include "trafnet/storage/normalize.h"

namespace trafnet::engine {
namespace {

using storage::NodeId;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

std::unique_ptr<storage::Store> IngestFolder(const TempDir& dir, const std::filesystem::path& data) {
  auto store = storage::Store::Open(dir / "db");
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  IngestOptions options;
  options.quiet = true;
  options.report_dir = dir / "reports";
  auto summary = Ingest(**store, {data}, options);
  EXPECT_TRUE(summary.ok() && summary->rows_rejected == 0);
  EXPECT_TRUE((*store)->HasNameWordIndex());
  return std::move(store).value();
}

// Node → (score, name key).
std::map<NodeId, std::pair<double, std::string>> Near(const storage::Store& store,
                                                      const std::string& key, NameCandidates from) {
  auto found = FindNearNames(store, key, 0.85, from);
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  std::map<NodeId, std::pair<double, std::string>> out;
  if (found.ok()) {
    for (const NearName& near : *found) out[near.node] = {near.score, near.key};
  }
  return out;
}

// A typing slip in a word: a letter dropped, doubled, replaced, or two swapped.
std::string Misspell(std::string word, std::mt19937_64& random) {
  if (word.size() < 3) return word;
  const size_t at = 1 + random() % (word.size() - 2);
  switch (random() % 4) {
    case 0: word.erase(at, 1); break;
    case 1: word.insert(at, 1, word[at]); break;
    case 2: word[at] = static_cast<char>('a' + random() % 26); break;
    default: std::swap(word[at], word[at + 1]); break;
  }
  return word;
}

// On a generated world small enough that no scan reaches its bound, the prefix scans see every
// candidate they are meant to; each near miss they find, the word index must find too, with the
// same score. The queries are persons' names as written, misspelt in one word or in both, and
// with the surname first.
TEST(NameSearchTest, WordIndexFindsEveryNearMissThePrefixScansFind) {
  TempDir dir;
  GenerateOptions generate;
  generate.out_dir = dir / "world";
  generate.persons = 4000;
  generate.networks = 2;
  generate.seed = 3;
  ASSERT_TRUE(GenerateWorld(generate).ok());
  auto store = IngestFolder(dir, dir / "world");

  std::vector<std::string> keys;
  ASSERT_TRUE(store->ForEachNode([&](const storage::NodeRecord& node) {
    const std::string_view key = storage::FieldValue(node.fields, storage::kNameKeyField);
    if (!key.empty() && keys.size() < 150) keys.emplace_back(key);
    return Status::Ok();
  }).ok());
  ASSERT_EQ(keys.size(), 150u);

  std::mt19937_64 random(7);
  size_t queries = 0, found_by_scans = 0, found_by_index = 0;
  for (const std::string& key : keys) {
    const size_t space = key.find(' ');
    if (space == std::string::npos) continue;
    const std::string first = key.substr(0, space), rest = key.substr(space + 1);
    for (const std::string& query :
         {key, Misspell(first, random) + " " + rest, first + " " + Misspell(rest, random),
          Misspell(first, random) + " " + Misspell(rest, random), rest + " " + Misspell(first, random)}) {
      ++queries;
      const auto scans = Near(*store, query, NameCandidates::kPrefixScan);
      const auto index = Near(*store, query, NameCandidates::kWordIndex);
      found_by_scans += scans.size();
      found_by_index += index.size();
      for (const auto& [node, found] : scans) {
        auto it = index.find(node);
        ASSERT_NE(it, index.end()) << "'" << query << "': '" << found.second << "' (node " << node
                                   << ", score " << found.first
                                   << ") found by the prefix scans, not by the word index";
        EXPECT_EQ(it->second, found);
      }
    }
  }
  EXPECT_GE(queries, 700u);
  EXPECT_GT(found_by_scans, 100u) << "the queries have near misses to find";
  EXPECT_GE(found_by_index, found_by_scans);
}

// 3 100 "Mara …" fill the prefix scans' 3 000-name window for "mar" before "mariya …" comes in
// key order, so the scans miss "Mariya Petrovich" for "Marija Petrović"; the word index reads
// the persons with a near spelling of "marija" and a word starting with "p" and finds her.
TEST(NameSearchTest, WordIndexFindsNearMissesBeyondThePrefixScansBounds) {
  TempDir dir;
  std::string persons = "id,name,birth_date,gender,nationality,status,source\n";
  for (int i = 0; i < 3100; ++i) persons += "F" + std::to_string(i) + ",Mara Aa" + std::to_string(i) + ",,F,,,MUP\n";
  persons += "T1,Mariya Petrovich,,F,,,MUP\n";
  WriteFile(dir / "data/persons.csv", persons);
  auto store = IngestFolder(dir, dir / "data");

  storage::NameKeyer keyer;
  const std::string key = keyer.Key("Marija Petrović");
  ASSERT_EQ(key, "marija petrovic");
  EXPECT_TRUE(Near(*store, key, NameCandidates::kPrefixScan).empty()) << "past the scans' bound";
  const auto index = Near(*store, key, NameCandidates::kWordIndex);
  ASSERT_EQ(index.size(), 1u);
  EXPECT_GE(index.begin()->second.first, 0.85);

  LookupRequest request;
  request.name = "Marija Petrović";
  auto found = Lookup(*store, request);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].node.id, "T1");
  EXPECT_EQ((*found)[0].matched, "mariya petrovich");
}

}  // namespace
}  // namespace trafnet::engine
