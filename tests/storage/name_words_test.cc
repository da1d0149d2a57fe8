// The name-word index: found by any word and the start of another, complete from a store's
// first commit, checked by Verify, and built for stores written before it existed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "support/raw_store.h"
#include "support/temp_dir.h"
#include "trafnet/storage/store.h"

namespace trafnet::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using trafnet::testing::EditRawStore;
using trafnet::testing::RemoveNameWordIndex;
using trafnet::testing::TempDir;

std::unique_ptr<Store> OpenStore(const TempDir& dir) {
  auto store = Store::Open(dir / "db");
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

// `name_key` as ingest would derive it from the name.
NodeId AddPerson(ChangeSet& cs, const std::string& id, const std::string& name_key) {
  auto result = cs.UpsertNode(kPersonKind, id, {{"name", name_key}},
                              {{std::string(kNameKeyField), name_key}}, "MUP",
                              MergePolicy::kRejectConflicts);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result->id;
}

std::vector<std::pair<std::string, NodeId>> Find(const Store& store, std::string_view word,
                                                 std::string_view partner_prefix) {
  auto found = store.FindByNameWord(word, partner_prefix, 100);
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  return found.ok() ? *found : std::vector<std::pair<std::string, NodeId>>{};
}

TEST(NameWordsTest, FindsAPersonByAnyWordWithTheStartOfAnother) {
  TempDir dir;
  auto store = OpenStore(dir);
  NodeId ana_marija, ana, petar;
  {
    auto cs = store->NewChangeSet();
    ana_marija = AddPerson(*cs, "P1", "ana marija petrovic");
    ana = AddPerson(*cs, "P2", "petrovic ana");
    petar = AddPerson(*cs, "P3", "petar");
    AddPerson(*cs, "P4", "jovan jovan");  // a repeated word is one word
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_THAT(Find(*store, "petrovic", "a"),
              ElementsAre(Pair("ana marija petrovic", ana_marija), Pair("petrovic ana", ana)));
  EXPECT_THAT(Find(*store, "petrovic", "m"), ElementsAre(Pair("ana marija petrovic", ana_marija)));
  EXPECT_THAT(Find(*store, "marija", "petr"), ElementsAre(Pair("ana marija petrovic", ana_marija)));
  EXPECT_THAT(Find(*store, "ana", ""),
              ElementsAre(Pair("ana marija petrovic", ana_marija),
                          Pair("ana marija petrovic", ana_marija), Pair("petrovic ana", ana)))
      << "once per other word";
  EXPECT_THAT(Find(*store, "petar", ""), ElementsAre(Pair("petar", petar)));
  EXPECT_TRUE(Find(*store, "petar", "a").empty()) << "a one-word name has no other word";
  EXPECT_TRUE(Find(*store, "petr", "").empty()) << "words match whole";
  EXPECT_THAT(Find(*store, "jovan", ""), ElementsAre(Pair("jovan jovan", 3u)));

  auto words = store->NameWordsWithPrefix("pe", 10);
  ASSERT_TRUE(words.ok());
  EXPECT_THAT(*words, ElementsAre("petar", "petrovic"));
  EXPECT_THAT(store->NameWordsWithPrefix("", 3).value(), ElementsAre("ana", "jovan", "marija"));
  EXPECT_TRUE(store->NameWordsWithPrefix("x", 10)->empty());

  EXPECT_TRUE(store->HasNameWordIndex()) << "complete from the store's first commit";
  auto report = store->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems[0];
}

TEST(NameWordsTest, VerifyReportsAMissingAndAStrayWordEntry) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    auto cs = store->NewChangeSet();
    AddPerson(*cs, "P1", "ana petrovic");
    AddPerson(*cs, "P2", "bojan ilic");
    ASSERT_TRUE(cs->Commit().ok());
  }
  EditRawStore(dir / "db", [](rocksdb::DB& db, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
    rocksdb::ColumnFamilyHandle* names = cf["name_index"];
    std::string missing("\0petrovic\0ana\0", 14);
    missing.append(7, '\0').push_back('\0');  // node 0
    ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), names, missing).ok());
    std::string stray("\0ilic\0ana\0", 10);
    stray.append(7, '\0').push_back('\1');  // node 1 is Bojan, not Ana
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), names, stray, "ana ilic").ok());
  });
  auto store = OpenStore(dir);
  auto report = store->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(report->problems,
              ElementsAre("name_index: entry 'word 'ilic' with 'ana' of node 1' points at a node "
                          "that does not carry it",
                          "name_index: missing entry 'word 'petrovic' with 'ana' of node 0'"));
}

TEST(NameWordsTest, AStoreWrittenBeforeTheIndexIsDetectedAndBuilt) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    auto cs = store->NewChangeSet();
    AddPerson(*cs, "P1", "ana petrovic");
    AddPerson(*cs, "P2", "bojan ilic");
    ASSERT_TRUE(cs->Commit().ok());
  }
  RemoveNameWordIndex(dir / "db");
  auto store = OpenStore(dir);
  EXPECT_FALSE(store->HasNameWordIndex());
  EXPECT_TRUE(Find(*store, "ana", "").empty());
  auto report = store->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << "an old store is consistent without word entries: " << report->problems[0];

  // Persons written since are indexed, but the index stays incomplete.
  {
    auto cs = store->NewChangeSet();
    AddPerson(*cs, "P3", "cveta lazic");
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_FALSE(store->HasNameWordIndex());
  EXPECT_EQ(Find(*store, "lazic", "").size(), 1u);
  EXPECT_TRUE(store->Verify()->ok());

  auto built = store->BuildNameWordIndex();
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ(*built, 3u);
  EXPECT_TRUE(store->HasNameWordIndex());
  EXPECT_THAT(Find(*store, "ana", ""), ElementsAre(Pair("ana petrovic", 0u)));
  report = store->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems[0];
  EXPECT_EQ(store->BuildNameWordIndex().value(), 3u) << "again: same entries, nothing new";
  store.reset();
  EXPECT_TRUE(OpenStore(dir)->HasNameWordIndex()) << "the mark is durable";
}

TEST(NameWordsTest, BuildingNeedsWriteAccess) {
  TempDir dir;
  OpenStore(dir).reset();
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(dir / "db", options);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->BuildNameWordIndex().status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace trafnet::storage
