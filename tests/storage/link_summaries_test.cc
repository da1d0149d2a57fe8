// The link summaries (docs/storage.md, link_summaries): every commit keeps them equal to the
// totals of the stored observations, full scans read them and see exactly the links that
// reading every observation gives, Verify checks them, and stores written before they existed
// are read from the observations until BuildLinkSummaries has run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "link_totals.h"
#include "support/raw_store.h"
#include "support/temp_dir.h"
#include "support/test_store.h"
#include "trafnet/storage/store.h"

namespace trafnet::storage {
namespace {

using ::testing::HasSubstr;
using trafnet::testing::EditRawStore;
using trafnet::testing::ExpectConsistent;
using trafnet::testing::OpenStore;
using trafnet::testing::RemoveLinkSummaries;
using trafnet::testing::TempDir;

constexpr NodeId kPersons = 300;

void AddPersons(ChangeSet& cs) {
  for (NodeId i = 0; i < kPersons; ++i) {
    auto added = cs.UpsertNode(kPersonKind, "P" + std::to_string(i), {}, {}, "MUP",
                               MergePolicy::kRejectConflicts);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
  }
}

// `n` random observations among the persons: a few link types (one symmetric), pairs drawn
// from a small set so that links get several observations and observations are reported again
// (the same, or with another count: a correction), dates present, absent or half given.
void AddRandomObservations(ChangeSet& cs, std::mt19937& rng, int n, NodeId pairs_from = kPersons) {
  const char* types[] = {"KNOWS", "CALLED", "PAID"};
  const char* sources[] = {"MUP", "BIA", "GP-BG"};
  const char* dates[] = {"", "2021-03-04", "2022-11-30T10:00", "2020-01-01", "2024-06-15"};
  std::uniform_int_distribution<NodeId> person(0, pairs_from - 1);
  for (int i = 0; i < n; ++i) {
    Observation obs;
    obs.source = sources[rng() % 3];
    obs.start = dates[rng() % 5];
    obs.end = dates[rng() % 5];
    obs.count = 1 + rng() % 4;
    const NodeId from = person(rng), to = rng() % 10 == 0 ? from : person(rng);
    ASSERT_TRUE(cs.PutLink(from, types[rng() % 3], to, obs).ok());
  }
}

// A store in `dir` holding the persons and `n` random observations (seeded), closed again.
void MakeStore(const TempDir& dir, uint32_t seed, int n) {
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  AddPersons(*cs);
  std::mt19937 rng(seed);
  AddRandomObservations(*cs, rng, n);
  ASSERT_TRUE(cs->Commit().ok());
}

std::string Describe(const LinkSummary& link) {
  return std::to_string(link.from) + "-" + std::to_string(link.type) + "-" +
         std::to_string(link.to) + " " + std::to_string(link.count) + "/" +
         std::to_string(link.observations) + " " + std::string(link.first_start) + ".." +
         std::string(link.last_end) + (link.open_start ? " open-start" : "") +
         (link.open_end ? " open-end" : "") + (link.symmetric ? " sym" : "");
}

std::vector<std::string> Links(const Store& store, bool from_observations, unsigned parts = 1) {
  LinkScanOptions options;
  options.from_observations = from_observations;
  std::vector<std::vector<std::string>> seen(parts);
  Status status = store.ScanGraphInParts(
      options, parts,
      [](NodeId, std::string_view, std::string_view, const std::vector<std::string_view>&) {},
      [&](unsigned part, const LinkSummary& link) { seen.at(part).push_back(Describe(link)); });
  EXPECT_TRUE(status.ok()) << status.ToString();
  std::vector<std::string> joined;
  for (const auto& part : seen) joined.insert(joined.end(), part.begin(), part.end());
  return joined;
}

// Small commits (one WriteBatch) and bulk ones (SST files), new links, new observations of
// stored links, repeats and corrections: after each, the summaries give the same links as the
// observations, in one part or several.
TEST(LinkSummariesTest, EveryCommitKeepsThemEqualToTheObservations) {
  TempDir dir;
  auto store = OpenStore(dir);
  std::mt19937 rng(7);
  {
    auto cs = store->NewChangeSet();
    AddPersons(*cs);
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_TRUE(store->HasLinkSummaries()) << "an empty store starts them complete";
  // 20 000 observations make over 50 000 writes: a bulk commit.
  for (int n : {400, 20000, 50, 3000, 20000, 1}) {
    auto cs = store->NewChangeSet();
    AddRandomObservations(*cs, rng, n, n == 50 ? 20 : kPersons);
    ASSERT_TRUE(cs->Commit().ok());
    const std::vector<std::string> expected = Links(*store, /*from_observations=*/true);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(Links(*store, false), expected) << "after a commit of " << n;
    EXPECT_EQ(Links(*store, false, 3), expected) << "after a commit of " << n << ", 3 parts";
    ExpectConsistent(*store);
  }
  // Re-reading what is stored changes nothing.
  const std::vector<std::string> before = Links(*store, false);
  {
    std::mt19937 again(7);
    auto cs = store->NewChangeSet();
    AddRandomObservations(*cs, again, 400);
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_EQ(Links(*store, false), Links(*store, true));
  ExpectConsistent(*store);
  // A window is read from the observations, which alone know the dates of each.
  LinkScanOptions window;
  window.since = "2023-01-01";
  uint64_t in_window = 0;
  ASSERT_TRUE(store
                  ->ScanGraph(
                      window,
                      [](NodeId, std::string_view, std::string_view,
                         const std::vector<std::string_view>&) {},
                      [&](const LinkSummary&) { ++in_window; })
                  .ok());
  EXPECT_GT(in_window, 0u);
  EXPECT_LT(in_window, before.size());
}

// Nodes over several chunks of the family: small commits that touch a few nodes of a chunk
// (the others' totals copied as they are), bulk ones that touch most of them, and nodes whose
// first links come in a later commit, between nodes that have some.
TEST(LinkSummariesTest, EveryCommitKeepsChunksOfManyNodesEqualToTheObservations) {
  TempDir dir;
  auto store = OpenStore(dir);
  constexpr NodeId kMany = 3 * kNodeChunk + 100;
  {
    auto cs = store->NewChangeSet();
    for (NodeId i = 0; i < kMany; ++i) {
      ASSERT_TRUE(cs->UpsertNode(kPersonKind, "Q" + std::to_string(i), {}, {}, "MUP",
                                 MergePolicy::kRejectConflicts)
                      .ok());
    }
    ASSERT_TRUE(cs->Commit().ok());
  }
  std::mt19937 rng(21);
  for (int n : {5, 30000, 7, 2000, 1}) {
    auto cs = store->NewChangeSet();
    AddRandomObservations(*cs, rng, n, kMany);
    ASSERT_TRUE(cs->Commit().ok());
    const std::vector<std::string> expected = Links(*store, /*from_observations=*/true);
    EXPECT_EQ(Links(*store, false), expected) << "after a commit of " << n;
    EXPECT_EQ(Links(*store, false, 3), expected) << "after a commit of " << n << ", 3 parts";
    ExpectConsistent(*store);
  }
}

// A store written before the chunks, with a value per node under the mark of then: read from
// the observations until BuildLinkSummaries writes the chunks, which removes the old values
// and mark.
TEST(LinkSummariesTest, StoresWithAValuePerNodeAreReadFromObservationsUntilBuilt) {
  TempDir dir;
  MakeStore(dir, 13, 2000);
  EditRawStore(dir / "db", [&](rocksdb::DB& db,
                               std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
    const std::string chunk_key(8, '\0');
    std::string value;
    ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), cf["link_summaries"], chunk_key, &value).ok());
    ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), cf["link_summaries"], chunk_key).ok());
    LinkSummaryChunkReader reader(0, value);
    NodeId node = 0;
    std::string_view section;
    while (reader.Next(node, section)) {
      std::string key(8, '\0');
      for (int i = 0; i < 8; ++i) key[7 - i] = static_cast<char>((node >> (8 * i)) & 0xff);
      ASSERT_TRUE(
          db.Put(rocksdb::WriteOptions(), cf["link_summaries"], key, "\x01" + std::string(section))
              .ok());
    }
    ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), cf["meta"], "index:link_summary_chunks").ok());
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf["meta"], "index:link_summaries", "1").ok());
  });
  auto store = OpenStore(dir);
  EXPECT_FALSE(store->HasLinkSummaries());
  const std::vector<std::string> expected = Links(*store, true);
  EXPECT_EQ(Links(*store, false), expected);
  ExpectConsistent(*store);
  ASSERT_TRUE(store->BuildLinkSummaries().ok());
  EXPECT_TRUE(store->HasLinkSummaries());
  EXPECT_EQ(Links(*store, false), expected);
  ExpectConsistent(*store);
  store.reset();
  EditRawStore(dir / "db", [&](rocksdb::DB& db,
                               std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
    std::string value;
    EXPECT_TRUE(
        db.Get(rocksdb::ReadOptions(), cf["meta"], "index:link_summaries", &value).IsNotFound());
    std::unique_ptr<rocksdb::Iterator> it(
        db.NewIterator(rocksdb::ReadOptions(), cf["link_summaries"]));
    size_t values = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++values;
    EXPECT_EQ(values, 1u) << "one chunk, the per-node values gone";
  });
}

// The stored totals of one link, by hand: two sources, one open-ended, then a correction.
TEST(LinkSummariesTest, SumCountsAndSpanTheDates) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto add = [&](const char* source, const char* start, const char* end, uint64_t count) {
    auto cs = store->NewChangeSet();
    if (store->counts().nodes == 0) AddPersons(*cs);
    Observation obs;
    obs.source = source;
    obs.start = start;
    obs.end = end;
    obs.count = count;
    ASSERT_TRUE(cs->PutLink(5, "KNOWS", 2, obs).ok());
    ASSERT_TRUE(cs->Commit().ok());
  };
  add("MUP", "2021-05-01", "", 3);
  add("BIA", "", "2023-01-02", 2);
  add("MUP", "2021-05-01", "", 7);  // a correction: 3 becomes 7
  EXPECT_THAT(Links(*store, false),
              ::testing::ElementsAre("2-1-5 9/2 2021-05-01..2023-01-02 open-start open-end sym"));
  EXPECT_EQ(Links(*store, false), Links(*store, true));
}

// A store written before the summaries: scans read the observations, commits leave the
// summaries alone, read-only opens work without the family, and BuildLinkSummaries (which
// ingest runs) makes them complete and equal to the observations.
TEST(LinkSummariesTest, StoresWrittenBeforeThemAreReadFromObservationsUntilBuilt) {
  TempDir dir;
  MakeStore(dir, 11, 2000);
  std::mt19937 rng(12);
  RemoveLinkSummaries(dir / "db");
  {
    auto store = OpenStore(dir, /*read_only=*/true);
    EXPECT_FALSE(store->HasLinkSummaries());
    EXPECT_EQ(Links(*store, false), Links(*store, true));
    ExpectConsistent(*store);
    EXPECT_EQ(store->BuildLinkSummaries().status().code(), StatusCode::kFailedPrecondition);
  }
  auto store = OpenStore(dir);
  EXPECT_FALSE(store->HasLinkSummaries());
  {
    auto cs = store->NewChangeSet();
    AddRandomObservations(*cs, rng, 500);
    ASSERT_TRUE(cs->Commit().ok());
  }
  const std::vector<std::string> expected = Links(*store, true);
  EXPECT_EQ(Links(*store, false), expected);
  ExpectConsistent(*store);
  {
    auto cs = store->NewChangeSet();
    EXPECT_EQ(store->BuildLinkSummaries().status().code(), StatusCode::kFailedPrecondition)
        << "not while a change set is open";
  }
  auto built = store->BuildLinkSummaries();
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ(*built, expected.size());
  EXPECT_TRUE(store->HasLinkSummaries());
  EXPECT_EQ(Links(*store, false), expected);
  ExpectConsistent(*store);
  {
    auto cs = store->NewChangeSet();
    AddRandomObservations(*cs, rng, 500);
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_EQ(Links(*store, false), Links(*store, true));
  EXPECT_EQ(store->BuildLinkSummaries().value(), Links(*store, true).size()) << "again: the same";
  EXPECT_EQ(Links(*store, false), Links(*store, true));
  store.reset();
  EXPECT_TRUE(OpenStore(dir, /*read_only=*/true)->HasLinkSummaries());
}

// Verify recounts the summaries from the observations and names a node whose totals are wrong,
// missing or left over.
TEST(LinkSummariesTest, VerifyFindsWrongTotals) {
  TempDir dir;
  MakeStore(dir, 3, 1000);
  ExpectConsistent(*OpenStore(dir, /*read_only=*/true));
  EditRawStore(
      dir / "db", [&](rocksdb::DB& db, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
        // The persons are all in the first chunk.
        const std::string chunk_key(8, '\0');
        std::string value;
        ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), cf["link_summaries"], chunk_key, &value).ok());
        LinkSummaryChunkReader reader(0, value);
        std::vector<std::pair<NodeId, std::string>> sections;
        NodeId node = 0;
        std::string_view section;
        while (reader.Next(node, section)) sections.emplace_back(node, section);
        ASSERT_FALSE(reader.corrupt());
        ASSERT_GE(sections.size(), 2u);
        // The second node's totals under the first node's id, the second node's gone, and the
        // first node's totals under a node far away.
        std::string edited = StartLinkSummaryChunk();
        AppendLinkSection(edited, 0, sections[0].first, sections[1].second);
        for (size_t i = 2; i < sections.size(); ++i)
          AppendLinkSection(edited, 0, sections[i].first, sections[i].second);
        ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf["link_summaries"], chunk_key, edited).ok());
        const NodeId far = 1000 * kNodeChunk;
        std::string stray = StartLinkSummaryChunk();
        AppendLinkSection(stray, far, far + 5, sections[0].second);
        std::string far_key(8, '\0');
        for (int i = 0; i < 8; ++i) far_key[7 - i] = static_cast<char>((far >> (8 * i)) & 0xff);
        ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf["link_summaries"], far_key, stray).ok());
      });
  auto store = OpenStore(dir, /*read_only=*/true);
  auto report = store->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok());
  const std::string problems = ::testing::PrintToString(report->problems);
  EXPECT_THAT(problems, HasSubstr("link summaries of node"));
  EXPECT_GE(report->problems.size(), 3u) << problems;
  store.reset();
  // Building them again rewrites every value and removes the one without observations.
  auto writable = OpenStore(dir);
  ASSERT_TRUE(writable->BuildLinkSummaries().ok());
  ExpectConsistent(*writable);
}

// A secondary instance (trafnet serve beside an ingest) opened on a store without the
// summaries has no handle to the family a writer creates later, and RocksDB cannot catch up
// with a writer that added one: CatchUp opens the store again, and then sees the summaries
// and everything else the writer committed.
TEST(LinkSummariesTest, ASecondaryOpenedBeforeTheFamilyExistedOpensAgainToCatchUp) {
  TempDir dir;
  MakeStore(dir, 9, 1000);
  RemoveLinkSummaries(dir / "db");
  StoreOptions secondary_options;
  secondary_options.read_only = true;
  secondary_options.create_if_missing = false;
  secondary_options.secondary_dir = dir / "secondary";
  auto secondary = Store::Open(dir / "db", secondary_options);
  ASSERT_TRUE(secondary.ok()) << secondary.status().ToString();
  auto writer = OpenStore(dir);
  ASSERT_TRUE(writer->BuildLinkSummaries().ok());
  {
    auto cs = writer->NewChangeSet();
    std::mt19937 rng(10);
    AddRandomObservations(*cs, rng, 500);
    ASSERT_TRUE(cs->Commit().ok());
  }
  ASSERT_TRUE(writer->Flush().ok());
  Status caught_up = (*secondary)->CatchUp();
  ASSERT_TRUE(caught_up.ok()) << caught_up.ToString();
  EXPECT_TRUE((*secondary)->HasLinkSummaries());
  EXPECT_EQ(Links(**secondary, false), Links(*writer, true));
  EXPECT_EQ((*secondary)->counts(), writer->counts());
  {
    auto cs = writer->NewChangeSet();
    std::mt19937 rng(12);
    AddRandomObservations(*cs, rng, 300);
    ASSERT_TRUE(cs->Commit().ok());
  }
  ASSERT_TRUE(writer->Flush().ok());
  ASSERT_TRUE((*secondary)->CatchUp().ok()) << "and it goes on catching up";
  EXPECT_EQ(Links(**secondary, false), Links(*writer, true));
}

// A malformed node record or link summary anywhere makes a scan in parts fail with Corruption,
// whichever part holds it, without hanging the other parts' threads.
TEST(LinkSummariesTest, ACorruptRecordFailsAScanInPartsWithoutHanging) {
  for (const std::string family : {"nodes", "node_heads", "link_summaries"}) {
    for (NodeId bad : {NodeId{3}, NodeId{150}, kPersons - 2}) {
      TempDir dir;
      MakeStore(dir, 5, 3000);
      EditRawStore(dir / "db", [&](rocksdb::DB& db,
                                   std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
        std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), cf[family]));
        // node_heads and link_summaries have a value per 1024 nodes, keyed by its first.
        const NodeId at = family == "nodes" ? bad : bad - bad % 1024;
        std::string key(8, '\0');
        for (int i = 0; i < 8; ++i) key[7 - i] = static_cast<char>((at >> (8 * i)) & 0xff);
        it->Seek(key);  // the first record at or after node `at`
        ASSERT_TRUE(it->Valid());
        ASSERT_TRUE(
            db.Put(rocksdb::WriteOptions(), cf[family], it->key(), std::string("\x01\xff", 2))
                .ok());
      });
      auto store = OpenStore(dir, /*read_only=*/true);
      for (unsigned parts : {1u, 2u, 3u}) {
        LinkScanOptions options;
        options.node_fields = {"status"};
        options.from_node_records = family == "nodes";  // (the heads are read otherwise)
        Status status = store->ScanGraphInParts(
            options, parts,
            [](NodeId, std::string_view, std::string_view, const std::vector<std::string_view>&) {},
            [](unsigned, const LinkSummary&) {});
        EXPECT_EQ(status.code(), StatusCode::kCorruption)
            << family << " record at node " << bad << ", " << parts
            << " parts: " << status.ToString();
      }
    }
  }
}

}  // namespace
}  // namespace trafnet::storage
