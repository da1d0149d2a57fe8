// The node heads (docs/storage.md, node_heads): every commit keeps each node's kind, key and
// status in its chunk's value, full scans that need nothing else read them and see exactly the
// nodes the records give, Verify checks them, and stores written before they existed are read
// from the records until BuildNodeHeads has run.
#include "node_heads.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

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
using trafnet::testing::RemoveNodeHeads;
using trafnet::testing::TempDir;

// Every node a scan with `fields` hands over, one line each, in order ("id kind:key [status]").
std::vector<std::string> Nodes(const Store& store, bool from_records, unsigned parts,
                               const std::vector<std::string>& fields = {"status"}) {
  LinkScanOptions options;
  options.node_fields = fields;
  options.from_node_records = from_records;
  std::vector<std::string> seen;
  Status status = store.ScanGraphInParts(
      options, parts,
      [&](NodeId id, std::string_view kind, std::string_view key,
          const std::vector<std::string_view>& values) {
        std::string line = std::to_string(id) + " " + std::string(kind) + ":" + std::string(key);
        for (std::string_view value : values) line += " [" + std::string(value) + "]";
        seen.push_back(line);
      },
      [](unsigned, const LinkSummary&) {});
  EXPECT_TRUE(status.ok()) << status.ToString();
  return seen;
}

// The heads and the records give the same nodes, in one part or several, with the status or
// without any field.
void ExpectHeadsMatchRecords(const Store& store) {
  for (unsigned parts : {1u, 2u, 3u}) {
    EXPECT_EQ(Nodes(store, false, parts), Nodes(store, true, parts)) << parts << " parts";
    EXPECT_EQ(Nodes(store, false, parts, {}), Nodes(store, true, parts, {})) << parts << " parts";
  }
}

const char* const kStatuses[] = {"", "victim", "suspect", "witness"};

// `n` persons P<first>… with a status drawn at random (often none), a phone each third one,
// and an address each fifth: kinds interleaved across chunks.
void AddNodes(ChangeSet& cs, std::mt19937& rng, int first, int n) {
  for (int i = first; i < first + n; ++i) {
    Fields fields;
    const char* status = kStatuses[rng() % 4];
    if (*status != '\0') fields.emplace_back(std::string(kStatusField), status);
    ASSERT_TRUE(cs.UpsertNode(kPersonKind, "P" + std::to_string(i), fields, {}, "MUP",
                              MergePolicy::kRejectConflicts)
                    .ok());
    if (i % 3 == 0) {
      ASSERT_TRUE(cs.UpsertNode("phone", "+38164" + std::to_string(1000000 + i), {}, {}, "MUP",
                                MergePolicy::kKeepExisting)
                      .ok());
    }
    if (i % 5 == 0) {
      ASSERT_TRUE(cs.UpsertNode("address", "A" + std::to_string(i), {}, {}, "MUP",
                                MergePolicy::kKeepExisting)
                      .ok());
    }
  }
}

// Fills in the status of every person P<i> in [first, first + n) that has none, and adds
// another source to the others (which leaves their heads as they were).
void FillStatuses(ChangeSet& cs, int first, int n) {
  for (int i = first; i < first + n; ++i) {
    Fields fields{{std::string(kStatusField), "suspect"}};
    ASSERT_TRUE(cs.UpsertNode(kPersonKind, "P" + std::to_string(i), fields, {}, "BIA",
                              MergePolicy::kKeepExisting)
                    .ok());
  }
}

// A store in `dir` with `n` nodes' worth of AddNodes and no node heads, as written before them.
void MakeStoreWithoutHeads(const TempDir& dir, std::mt19937& rng, int n) {
  {
    auto store = OpenStore(dir);
    auto cs = store->NewChangeSet();
    AddNodes(*cs, rng, 0, n);
    ASSERT_TRUE(cs->Commit().ok());
  }
  RemoveNodeHeads(dir / "db");
}

TEST(NodeHeadsTest, AChunkValueRoundTripsAndMalformedOnesAreCorrupt) {
  const std::vector<NodeHead> heads = {{2048, "person", "P1", "victim"},
                                       {2049, "phone", "+381641234567", ""},
                                       {3071, "address", "A 1", ""}};
  std::vector<NodeHead> decoded;
  ASSERT_TRUE(DecodeNodeHeads(2048, EncodeNodeHeads(2048, heads), decoded).ok());
  EXPECT_EQ(decoded, heads);
  ASSERT_TRUE(DecodeNodeHeads(0, EncodeNodeHeads(0, {}), decoded).ok());
  EXPECT_TRUE(decoded.empty());
  // Ids out of order, repeated or past the chunk, a wrong format byte, a truncated value, a
  // chunk key that is no chunk's.
  const std::vector<std::vector<NodeHead>> bad_orders = {
      {{5, "person", "P5", ""}, {4, "person", "P4", ""}},
      {{5, "person", "P5", ""}, {5, "person", "P6", ""}},
      {{1024, "person", "P", ""}}};
  for (const auto& bad : bad_orders) {
    EXPECT_EQ(DecodeNodeHeads(0, EncodeNodeHeads(0, bad), decoded).code(), StatusCode::kCorruption);
  }
  std::string value = EncodeNodeHeads(0, {{1, "person", "P1", ""}});
  EXPECT_EQ(DecodeNodeHeads(0, value.substr(0, value.size() - 2), decoded).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(DecodeNodeHeads(0, "\x02" + value.substr(1), decoded).code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeNodeHeads(0, "", decoded).code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeNodeHeads(7, value, decoded).code(), StatusCode::kCorruption);
}

TEST(NodeHeadsTest, MergeTakesChangedHeadsOverStoredOnes) {
  std::vector<NodeHead> stored = {
      {1, "person", "P1", ""}, {3, "person", "P3", ""}, {9, "phone", "x", ""}};
  std::vector<NodeHead> changed = {
      {0, "person", "P0", ""}, {3, "person", "P3", "victim"}, {12, "person", "P12", ""}};
  MergeNodeHeads(stored, changed);
  const std::vector<NodeHead> expected = {{0, "person", "P0", ""},
                                          {1, "person", "P1", ""},
                                          {3, "person", "P3", "victim"},
                                          {9, "phone", "x", ""},
                                          {12, "person", "P12", ""}};
  EXPECT_EQ(stored, expected);
}

// Small commits (a WriteBatch) and bulk ones (SST files), node-only commits in the background,
// new nodes in chunks already written, statuses filled in later, other sources added: after
// each, the heads give the same nodes as the records and the store verifies.
TEST(NodeHeadsTest, EveryCommitKeepsThemEqualToTheRecords) {
  TempDir dir;
  auto store = OpenStore(dir);
  std::mt19937 rng(7);
  {
    auto cs = store->NewChangeSet();
    AddNodes(*cs, rng, 0, 20);  // one small commit
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_TRUE(store->HasNodeHeads()) << "the first commit to an empty store starts them complete";
  ExpectHeadsMatchRecords(*store);
  ExpectConsistent(*store);
  {
    auto cs = store->NewChangeSet();
    AddNodes(*cs, rng, 20, 1500);
    ASSERT_TRUE(cs->CommitNodesInBackground().ok());
    FillStatuses(*cs, 0, 40);  // some stored, some in flight
    AddNodes(*cs, rng, 1520, 1500);
    FillStatuses(*cs, 1500, 100);  // some in flight, some pending
    ASSERT_TRUE(cs->CommitNodes().ok());
    AddNodes(*cs, rng, 3020, 30);
    FillStatuses(*cs, 3000, 40);
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_GT(store->counts().nodes, 3 * kNodeChunk);
  ExpectHeadsMatchRecords(*store);
  ExpectConsistent(*store);
  // A person given a status by a later commit shows it in a scan of the heads.
  {
    auto cs = store->NewChangeSet();
    ASSERT_TRUE(
        cs->UpsertNode(kPersonKind, "P5000", {}, {}, "MUP", MergePolicy::kRejectConflicts).ok());
    ASSERT_TRUE(cs->Commit().ok());
    EXPECT_THAT(Nodes(*store, false, 2).back(), HasSubstr("person:P5000 []"));
    FillStatuses(*cs, 5000, 1);
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_THAT(Nodes(*store, false, 2).back(), HasSubstr("person:P5000 [suspect]"));
  ExpectHeadsMatchRecords(*store);
  ExpectConsistent(*store);
  // And the same after reopening read-only.
  store.reset();
  auto reader = OpenStore(dir, /*read_only=*/true);
  ExpectHeadsMatchRecords(*reader);
}

TEST(NodeHeadsTest, VerifyFindsWrongMissingAndStrayHeads) {
  struct Case {
    const char* what;
    std::function<std::string(std::vector<NodeHead>&)> edit;  // edits chunk 0, says what to expect
  };
  const std::vector<Case> cases = {
      {"wrong status",
       [](std::vector<NodeHead>& heads) {
         heads[3].status = "convicted";
         return "the head of node " + std::to_string(heads[3].id) + " says";
       }},
      {"missing",
       [](std::vector<NodeHead>& heads) {
         const NodeId id = heads[5].id;
         heads.erase(heads.begin() + 5);
         return "node " + std::to_string(id) + " (";
       }},
      {"stray",
       [](std::vector<NodeHead>& heads) {
         heads.push_back({kNodeChunk - 1, "person", "ghost", ""});
         return "node " + std::to_string(kNodeChunk - 1) + " has a head and no record";
       }},
  };
  for (const Case& c : cases) {
    TempDir dir;
    std::string expected;
    {
      auto store = OpenStore(dir);
      auto cs = store->NewChangeSet();
      std::mt19937 rng(3);
      AddNodes(*cs, rng, 0, 100);
      ASSERT_TRUE(cs->Commit().ok());
    }
    EditRawStore(dir / "db", [&](rocksdb::DB& db,
                                 std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
      std::string value;
      const std::string key(8, '\0');
      ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), cf["node_heads"], key, &value).ok());
      std::vector<NodeHead> heads;
      ASSERT_TRUE(DecodeNodeHeads(0, value, heads).ok());
      expected = c.edit(heads);
      ASSERT_TRUE(
          db.Put(rocksdb::WriteOptions(), cf["node_heads"], key, EncodeNodeHeads(0, heads)).ok());
    });
    auto store = OpenStore(dir, /*read_only=*/true);
    auto report = store->Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_THAT(report->problems, ::testing::Contains(HasSubstr(expected))) << c.what;
  }
}

// A store written before the heads: scans read the records, commits leave the heads alone,
// BuildNodeHeads writes them all (again, idempotently), and from then on scans read them.
TEST(NodeHeadsTest, StoresWrittenBeforeThemAreReadFromTheRecordsUntilBuilt) {
  TempDir dir;
  std::mt19937 rng(11);
  MakeStoreWithoutHeads(dir, rng, 1200);
  const std::vector<std::string> before = Nodes(*OpenStore(dir, true), true, 1);
  {
    auto reader = OpenStore(dir, /*read_only=*/true);  // no family: opens without it
    EXPECT_FALSE(reader->HasNodeHeads());
    EXPECT_EQ(Nodes(*reader, false, 2), before);
    ExpectConsistent(*reader);
  }
  auto store = OpenStore(dir);
  EXPECT_FALSE(store->HasNodeHeads());
  {
    auto cs = store->NewChangeSet();
    AddNodes(*cs, rng, 1200, 10);
    FillStatuses(*cs, 0, 10);
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_FALSE(store->HasNodeHeads());
  ExpectConsistent(*store);
  auto built = store->BuildNodeHeads();
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ(*built, store->counts().nodes);
  EXPECT_TRUE(store->HasNodeHeads());
  ExpectHeadsMatchRecords(*store);
  ExpectConsistent(*store);
  ASSERT_TRUE(store->BuildNodeHeads().ok());
  ExpectHeadsMatchRecords(*store);
  ExpectConsistent(*store);
}

// A secondary instance (trafnet serve beside an ingest) opened on a store without the heads
// has no handle to the family the writer creates when it builds them: CatchUp opens the store
// again and then reads them.
TEST(NodeHeadsTest, ASecondaryOpenedBeforeTheFamilyExistedOpensAgainToCatchUp) {
  TempDir dir;
  std::mt19937 rng(17);
  MakeStoreWithoutHeads(dir, rng, 1500);
  StoreOptions secondary_options;
  secondary_options.read_only = true;
  secondary_options.create_if_missing = false;
  secondary_options.secondary_dir = dir / "secondary";
  auto secondary = Store::Open(dir / "db", secondary_options);
  ASSERT_TRUE(secondary.ok()) << secondary.status().ToString();
  EXPECT_FALSE((*secondary)->HasNodeHeads());
  auto writer = OpenStore(dir);
  ASSERT_TRUE(writer->BuildNodeHeads().ok());
  {
    auto cs = writer->NewChangeSet();
    AddNodes(*cs, rng, 1500, 100);
    FillStatuses(*cs, 0, 50);
    ASSERT_TRUE(cs->Commit().ok());
  }
  ASSERT_TRUE(writer->Flush().ok());
  Status caught_up = (*secondary)->CatchUp();
  ASSERT_TRUE(caught_up.ok()) << caught_up.ToString();
  EXPECT_TRUE((*secondary)->HasNodeHeads());
  EXPECT_EQ(Nodes(**secondary, false, 2), Nodes(*writer, true, 2));
  EXPECT_EQ((*secondary)->counts(), writer->counts());
}

}  // namespace
}  // namespace trafnet::storage
