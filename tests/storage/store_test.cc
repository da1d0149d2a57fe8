#include "trafnet/storage/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/options_util.h>

#include <map>
#include <random>
#include <set>

#include "support/raw_store.h"
#include "support/temp_dir.h"

namespace trafnet::storage {
namespace {

using trafnet::testing::TempDir;

std::unique_ptr<Store> OpenStore(const TempDir& dir) {
  auto store = Store::Open(dir / "db");
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

NodeId AddPerson(ChangeSet& cs, const std::string& id, const std::string& name,
                 const std::string& source = "MUP") {
  auto result =
      cs.UpsertNode(kPersonKind, id, {{"name", name}}, {{std::string(kNameKeyField), name}}, source,
                    MergePolicy::kRejectConflicts);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result->id;
}

// Persons P0..P(n-1), named "Name <i>", as nodes 0..n-1 of an empty store.
void AddNumberedPersons(ChangeSet& cs, NodeId n) {
  for (NodeId i = 0; i < n; ++i) AddPerson(cs, "P" + std::to_string(i), "Name " + std::to_string(i));
}

Observation Obs(const std::string& source, const std::string& start = "", uint64_t count = 1) {
  Observation obs;
  obs.source = source;
  obs.start = start;
  obs.count = count;
  return obs;
}

// A reader answers from the snapshot it was made with, call after call, while the store moves on.
TEST(StoreTest, AReaderSeesOneSnapshot) {
  TempDir dir;
  auto store = OpenStore(dir);
  NodeId a, b, c;
  {
    auto cs = store->NewChangeSet();
    a = AddPerson(*cs, "P1", "Ana");
    b = AddPerson(*cs, "P2", "Bojan");
    ASSERT_TRUE(cs->PutLink(a, "KNOWS", b, Obs("MUP")).ok());
    ASSERT_TRUE(cs->Commit().ok());
  }
  auto reader = store->NewReader();
  ASSERT_EQ(reader->Neighbours(a)->size(), 1u);
  {
    auto cs = store->NewChangeSet();
    c = AddPerson(*cs, "P3", "Cveta");
    ASSERT_TRUE(cs->PutLink(a, "CALLED", c, Obs("MUP", "2024-01-01")).ok());
    ASSERT_TRUE(cs->PutLink(b, "KNOWS", a, Obs("BIA")).ok());
    ASSERT_TRUE(cs->Commit().ok());
  }
  EXPECT_EQ(reader->Neighbours(a)->size(), 1u) << "the new link is after the snapshot";
  EXPECT_FALSE(reader->GetNode(c)->has_value());
  auto knows = reader->GetLink(b, "KNOWS", a);  // ends in either order for a symmetric type
  ASSERT_TRUE(knows.ok() && knows->has_value());
  EXPECT_EQ((*knows)->observations.size(), 1u) << "BIA's observation is after the snapshot";
  EXPECT_FALSE(reader->GetLink(a, "CALLED", c)->has_value());
  EXPECT_EQ(store->Neighbours(a)->size(), 2u);
  EXPECT_EQ(store->GetLink(a, "KNOWS", b).value()->observations.size(), 2u);
  auto fresh = store->NewReader();
  EXPECT_EQ(fresh->Neighbours(a)->size(), 2u);
  EXPECT_EQ(fresh->GetNode(c).value()->key, "P3");
}

TEST(StoreTest, OpensEmptyAndReopens) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    EXPECT_EQ(store->counts().nodes, 0u);
  }
  auto store = OpenStore(dir);
  EXPECT_EQ(store->counts(), StoreCounts());
}

TEST(StoreTest, CreatesAStoreWholeOrNotAtAll) {
  TempDir dir;
  // What a process killed while creating a store leaves: the half-made one beside the target.
  std::filesystem::create_directories(dir / "db.creating" / "junk");
  {
    auto store = Store::Open(dir / "db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->counts().nodes, 0u);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "db.creating"));
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_TRUE(Store::Open(dir / "db", read_only).ok());
  // A directory with other things in it is not taken over.
  std::filesystem::create_directories(dir / "full" / "something");
  auto refused = Store::Open(dir / "full");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("not empty"), std::string::npos);
}

TEST(StoreTest, RefusesToOpenMissingStoreWhenNotCreating) {
  TempDir dir;
  StoreOptions options;
  options.create_if_missing = false;
  EXPECT_FALSE(Store::Open(dir / "nothing", options).ok());
}

TEST(StoreTest, AssignsDenseIdsInTheOrderNodesAreFirstSeen) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  EXPECT_EQ(AddPerson(*cs, "P1", "Ana"), 0u);
  EXPECT_EQ(AddPerson(*cs, "P2", "Bojan"), 1u);
  EXPECT_EQ(AddPerson(*cs, "P1", "Ana"), 0u);
  ASSERT_TRUE(cs->Commit().ok());
}

TEST(StoreTest, CommittedNodesSurviveReopenWithTheirIndexes) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    auto cs = store->NewChangeSet();
    AddPerson(*cs, "P1", "ana anic");
    ASSERT_TRUE(cs->Commit().ok());
  }
  auto store = OpenStore(dir);
  auto id = store->FindNode(kPersonKind, "P1");
  ASSERT_TRUE(id.ok() && id->has_value());
  auto node = store->GetNode(**id);
  ASSERT_TRUE(node.ok() && node->has_value());
  EXPECT_EQ(FieldValue((*node)->fields, "name"), "ana anic");
  EXPECT_EQ((*node)->sources, std::vector<std::string>{"MUP"});
  auto by_name = store->FindByNameKey("ana anic");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(*by_name, std::vector<NodeId>{**id});
  EXPECT_EQ(store->counts().nodes_by_kind.at("person"), 1u);
}

// A change set on a store that already holds nodes reads every natural key in one scan once it
// has made preload_keys_after_lookups lookups (when the keys fit its cache), and then answers
// exactly as point lookups would: stored nodes, its own new nodes, and nothing else.
class KeyPreloadTest : public ::testing::TestWithParam<size_t> {};

TEST_P(KeyPreloadTest, LookupsAnswerTheSameWithOrWithoutTheScan) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    auto cs = store->NewChangeSet();
    for (int i = 0; i < 10; ++i) AddPerson(*cs, "P" + std::to_string(i), "name " + std::to_string(i));
    ASSERT_TRUE(cs->Commit().ok());
  }
  StoreOptions options;
  options.preload_keys_after_lookups = 3;
  options.resolved_cache_entries = GetParam();  // 5: the 10 stored keys do not fit, no scan
  auto opened = Store::Open(dir / "db", options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto store = std::move(opened).value();
  auto cs = store->NewChangeSet();
  EXPECT_EQ(AddPerson(*cs, "N1", "new one"), 10u);  // a lookup that finds nothing stored
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < 10; ++i) {
      auto found = cs->FindNode(kPersonKind, "P" + std::to_string(i));
      ASSERT_TRUE(found.ok()) << found.status().ToString();
      ASSERT_TRUE(found->has_value()) << "P" << i;
      EXPECT_EQ(**found, static_cast<NodeId>(i));
    }
  }
  auto pending = cs->FindNode(kPersonKind, "N1");
  ASSERT_TRUE(pending.ok() && pending->has_value());
  EXPECT_EQ(**pending, 10u);
  auto missing = cs->FindNode(kPersonKind, "nobody");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto other_kind = cs->FindNode(kAddressKind, "P1");
  ASSERT_TRUE(other_kind.ok());
  EXPECT_FALSE(other_kind->has_value());
  auto again = cs->UpsertNode(kPersonKind, "P5", {{"name", "name 5"}}, {}, "MUP", MergePolicy::kRejectConflicts);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, 5u);
  EXPECT_EQ(again->change, NodeChange::kUnchanged);
  EXPECT_EQ(AddPerson(*cs, "N2", "new two"), 11u);
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_EQ(store->counts().nodes, 12u);
  auto report = store->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

INSTANTIATE_TEST_SUITE_P(CacheSizes, KeyPreloadTest, ::testing::Values(size_t{5}, size_t{1000}));

TEST(StoreTest, UncommittedChangesLeaveNothing) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    auto cs = store->NewChangeSet();
    AddPerson(*cs, "P1", "Ana");
  }
  auto store = OpenStore(dir);
  EXPECT_FALSE(store->FindNode(kPersonKind, "P1")->has_value());
  EXPECT_TRUE(store->Verify()->ok());
}

TEST(StoreTest, SameRecordAgainIsUnchanged) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  AddPerson(*cs, "P1", "Ana");
  ASSERT_TRUE(cs->Commit().ok());
  auto again = cs->UpsertNode(kPersonKind, "P1", {{"name", "Ana"}}, {}, "MUP",
                              MergePolicy::kRejectConflicts);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->change, NodeChange::kUnchanged);
  EXPECT_EQ(cs->pending_operations(), 0u);
}

TEST(StoreTest, ConflictingFieldIsRefusedAndNothingChanges) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  AddPerson(*cs, "P1", "Ana");
  ASSERT_TRUE(cs->Commit().ok());
  auto conflict = cs->UpsertNode(kPersonKind, "P1", {{"name", "Marija"}}, {}, "BIA",
                                 MergePolicy::kRejectConflicts);
  ASSERT_FALSE(conflict.ok());
  EXPECT_NE(conflict.status().message().find("name 'Ana'"), std::string::npos);
  EXPECT_EQ(cs->pending_operations(), 0u);
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_EQ(store->counts().nodes_by_source.count("BIA"), 0u);
}

TEST(StoreTest, MergeFillsEmptyFieldsAndAddsSource) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  auto first = cs->UpsertNode(kPhoneKind, "+381641234567", {{"kind", ""}},
                              {{"raw", "064/123-4567"}}, "MUP", MergePolicy::kRejectConflicts);
  ASSERT_TRUE(first.ok());
  auto second = cs->UpsertNode(kPhoneKind, "+381641234567", {{"kind", "mobile"}},
                               {{"raw", "0641234567"}}, "BIA", MergePolicy::kRejectConflicts);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->change, NodeChange::kMerged);
  ASSERT_TRUE(cs->Commit().ok());
  auto node = store->GetNode(first->id);
  EXPECT_EQ(FieldValue((*node)->fields, "kind"), "mobile");
  EXPECT_EQ(FieldValue((*node)->fields, "raw"), "064/123-4567");  // first spelling kept
  EXPECT_EQ((*node)->sources, (std::vector<std::string>{"BIA", "MUP"}));
}

// Merging into a node that is still pending (not committed) gives what merging into the stored
// node gives: keeping existing values fills the empty ones and adds the source, and a refused
// conflict leaves the pending record exactly as it was, even a field the row would have filled.
TEST(StoreTest, MergeIntoAPendingNodeKeepsOrRefusesAsIntoAStoredOne) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  auto phone = cs->UpsertNode(kPhoneKind, "+381641234567", {{"kind", ""}},
                              {{"raw", "064/123-4567"}}, "MUP", MergePolicy::kRejectConflicts);
  ASSERT_TRUE(phone.ok());
  auto kept = cs->UpsertNode(kPhoneKind, "+381641234567", {{"kind", "mobile"}},
                             {{"raw", "0641234567"}}, "BIA", MergePolicy::kKeepExisting);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->change, NodeChange::kMerged);
  auto again = cs->UpsertNode(kPhoneKind, "+381641234567", {{"kind", "landline"}},
                              {{"raw", "+381 64 1234567"}}, "BIA", MergePolicy::kKeepExisting);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->change, NodeChange::kUnchanged);

  NodeId person = AddPerson(*cs, "P1", "Ana");
  auto conflict =
      cs->UpsertNode(kPersonKind, "P1", {{"birth_date", "1990-01-01"}, {"name", "Marija"}}, {},
                     "BIA", MergePolicy::kRejectConflicts);
  ASSERT_FALSE(conflict.ok());
  ASSERT_TRUE(cs->Commit().ok());

  auto stored_phone = store->GetNode(phone->id);
  ASSERT_TRUE(stored_phone.ok() && stored_phone->has_value());
  EXPECT_EQ(FieldValue((*stored_phone)->fields, "kind"), "mobile");
  EXPECT_EQ(FieldValue((*stored_phone)->fields, "raw"), "064/123-4567");
  EXPECT_EQ((*stored_phone)->sources, (std::vector<std::string>{"BIA", "MUP"}));
  auto stored_person = store->GetNode(person);
  ASSERT_TRUE(stored_person.ok() && stored_person->has_value());
  EXPECT_EQ(FieldValue((*stored_person)->fields, "name"), "Ana");
  EXPECT_EQ(FieldValue((*stored_person)->fields, "birth_date"), "");
  EXPECT_EQ((*stored_person)->sources, (std::vector<std::string>{"MUP"}));
  EXPECT_EQ(store->counts().nodes_by_source.at("BIA"), 1u);  // the phone, not the person
  EXPECT_TRUE(store->Verify()->ok());
}

// The same upserts, links and commits, with the node-only commits run in the background or
// inline: the stores end up the same. While a background commit is in flight, later rows merge
// into its records, refuse conflicts with them and find its new nodes by natural key, also after
// the cache of resolved keys was emptied (resolved_cache_entries 4); nothing is created twice.
TEST(StoreTest, NodesCommittedInTheBackgroundEndAsIfCommittedInline) {
  auto build = [](const TempDir& dir, bool background) {
    StoreOptions options;
    options.resolved_cache_entries = 4;
    auto opened = Store::Open(dir / "db", options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    std::unique_ptr<Store> store = std::move(opened).value();
    auto cs = store->NewChangeSet();
    auto commit_nodes = [&] {
      Status status = background ? cs->CommitNodesInBackground() : cs->CommitNodes();
      EXPECT_TRUE(status.ok()) << status.ToString();
    };
    AddNumberedPersons(*cs, 10);
    auto phone = cs->UpsertNode(kPhoneKind, "+381641234567", {}, {{"raw", "064/123-4567"}}, "MUP",
                                MergePolicy::kKeepExisting);
    EXPECT_TRUE(phone.ok());
    EXPECT_TRUE(cs->PutLink(0, "USES", phone->id, Obs("MUP")).ok());
    commit_nodes();

    auto merged = cs->UpsertNode(kPhoneKind, "+381641234567", {{"kind", "mobile"}},
                                 {{"raw", "0641234567"}}, "BIA", MergePolicy::kKeepExisting);
    EXPECT_TRUE(merged.ok());
    EXPECT_EQ(merged->id, phone->id);
    EXPECT_EQ(merged->change, NodeChange::kMerged);
    auto conflict = cs->UpsertNode(kPersonKind, "P3", {{"name", "Somebody Else"}}, {}, "BIA",
                                   MergePolicy::kRejectConflicts);
    EXPECT_FALSE(conflict.ok());
    NodeId newcomer = AddPerson(*cs, "P10", "Name 10", "BIA");
    EXPECT_EQ(newcomer, 11u);
    for (NodeId i = 0; i < 10; ++i) {
      auto found = cs->FindNode(kPersonKind, "P" + std::to_string(i));
      EXPECT_TRUE(found.ok() && *found == std::optional<NodeId>(i)) << i;
    }
    auto again = cs->UpsertNode(kPersonKind, "P7", {{"name", "Name 7"}}, {}, "BIA",
                                MergePolicy::kRejectConflicts);
    EXPECT_TRUE(again.ok());
    EXPECT_EQ(again->id, 7u);
    EXPECT_TRUE(cs->PutLink(newcomer, "KNOWS", 7, Obs("BIA")).ok());
    commit_nodes();
    EXPECT_TRUE(cs->Commit().ok());
    return store;
  };
  TempDir inline_dir, background_dir;
  auto expected = build(inline_dir, false);
  auto store = build(background_dir, true);
  EXPECT_EQ(store->counts().nodes_by_kind, expected->counts().nodes_by_kind);
  EXPECT_EQ(store->counts().nodes_by_kind.at("person"), 11u);
  EXPECT_EQ(store->counts().nodes_by_source, expected->counts().nodes_by_source);
  EXPECT_EQ(store->counts().nodes_by_source.at("BIA"), 3u);  // the phone, P7 and P10
  EXPECT_EQ(store->counts().links_by_type, expected->counts().links_by_type);
  for (NodeId id = 0; id < 12; ++id) {
    auto got = store->GetNode(id);
    auto want = expected->GetNode(id);
    ASSERT_TRUE(got.ok() && want.ok() && got->has_value() && want->has_value()) << id;
    EXPECT_EQ((*got)->kind, (*want)->kind) << id;
    EXPECT_EQ((*got)->key, (*want)->key) << id;
    EXPECT_EQ((*got)->fields, (*want)->fields) << id;
    EXPECT_EQ((*got)->sources, (*want)->sources) << id;
  }
  auto phone = store->GetNode(10);
  EXPECT_EQ((*phone)->sources, (std::vector<std::string>{"BIA", "MUP"}));
  EXPECT_EQ(FieldValue((*phone)->fields, "kind"), "mobile");
  EXPECT_TRUE(store->Verify()->ok());
}

// Random upserts of a few phones under both policies, with node-only commits (inline and in the
// background) and full commits between them, against a model of the merge rules: every stored
// record is what the model says. Merges into records committed earlier read them from the
// change set's memory of referenced nodes or from the store; either way nothing is lost.
TEST(StoreTest, MergesAfterCommitsMatchAModelOfTheMergeRules) {
  struct Model {
    std::map<std::string, std::string> fields;
    std::set<std::string> sources;
  };
  std::mt19937 random(7);
  for (int round = 0; round < 20; ++round) {
    TempDir dir;
    auto store = OpenStore(dir);
    auto cs = store->NewChangeSet();
    std::map<std::string, Model> model;
    const std::vector<std::string> names = {"kind", "raw", "carrier"};
    const std::vector<std::string> values = {"", "a", "b"};
    for (int step = 0; step < 300; ++step) {
      const std::string key = "+38164000000" + std::to_string(random() % 6);
      const std::string source = "S" + std::to_string(random() % 5);
      const auto policy =
          random() % 3 == 0 ? MergePolicy::kRejectConflicts : MergePolicy::kKeepExisting;
      Fields fields;
      for (const auto& name : names) {
        if (random() % 2 == 0) fields.emplace_back(name, values[random() % values.size()]);
      }
      auto result = cs->UpsertNode(kPhoneKind, key, fields, {}, source, policy);
      auto found = model.find(key);
      bool conflict = false;
      if (found != model.end() && policy == MergePolicy::kRejectConflicts) {
        for (const auto& [name, value] : fields) {
          auto held = found->second.fields.find(name);
          conflict |= !value.empty() && held != found->second.fields.end() && held->second != value;
        }
      }
      ASSERT_EQ(result.ok(), !conflict) << step << ": " << result.status().ToString();
      if (!conflict) {
        Model& node = model[key];
        for (const auto& [name, value] : fields) {
          if (!value.empty()) node.fields.emplace(name, value);  // the first value stays
        }
        node.sources.insert(source);
      }
      switch (random() % 12) {
        case 0:
          ASSERT_TRUE(cs->CommitNodes().ok());
          break;
        case 1:
          ASSERT_TRUE(cs->CommitNodesInBackground().ok());
          break;
        case 2:
          ASSERT_TRUE(cs->Commit().ok());
          break;
        default:
          break;
      }
    }
    ASSERT_TRUE(cs->Commit().ok());
    cs.reset();
    for (const auto& [key, node] : model) {
      auto id = store->FindNode(kPhoneKind, key);
      ASSERT_TRUE(id.ok() && id->has_value()) << key;
      auto stored = store->GetNode(**id);
      ASSERT_TRUE(stored.ok() && stored->has_value()) << key;
      std::map<std::string, std::string> fields((*stored)->fields.begin(), (*stored)->fields.end());
      EXPECT_EQ(fields, node.fields) << "round " << round << ", " << key;
      EXPECT_EQ((*stored)->sources,
                std::vector<std::string>(node.sources.begin(), node.sources.end()))
          << "round " << round << ", " << key;
    }
    EXPECT_TRUE(store->Verify()->ok());
  }
}

// A link end's record, once committed, is merged into again from what the change set remembers
// of it rather than read back from the store; a record written since by any other merge must
// be what the next merge starts from, in the background or inline, whatever was remembered.
// Phones are remembered however they were merged; other kinds only as link ends, so for them
// the merge that fills a field below also drops what was remembered.
TEST(StoreTest, MergesIntoCommittedLinkEndsStartFromTheRecordLastWritten) {
  for (const std::string& kind : {std::string(kPhoneKind), std::string("account")}) {
    for (bool background : {false, true}) {
      SCOPED_TRACE(kind + (background ? ", in the background" : ", inline"));
      TempDir dir;
      auto store = OpenStore(dir);
      auto cs = store->NewChangeSet();
      auto commit_nodes = [&] {
        Status status = background ? cs->CommitNodesInBackground() : cs->CommitNodes();
        ASSERT_TRUE(status.ok()) << status.ToString();
      };
      auto keep = [&](const std::string& source, Fields fields = {}) {
        auto result = cs->UpsertNode(kind, "+381641234567", std::move(fields),
                                     {{"raw", "064/123-4567"}}, source, MergePolicy::kKeepExisting);
        EXPECT_TRUE(result.ok()) << result.status().ToString();
        return result.ok() ? result->change : NodeChange::kUnchanged;
      };
      EXPECT_EQ(keep("A"), NodeChange::kAdded);
      commit_nodes();
      EXPECT_EQ(keep("B"), NodeChange::kMerged);  // from the remembered record
      commit_nodes();
      auto filled = cs->UpsertNode(kind, "+381641234567", {{"kind", "mobile"}}, {}, "C",
                                   MergePolicy::kRejectConflicts);
      ASSERT_TRUE(filled.ok()) << filled.status().ToString();
      EXPECT_EQ(filled->change, NodeChange::kMerged);
      commit_nodes();
      EXPECT_EQ(keep("D"), NodeChange::kMerged);
      EXPECT_EQ(keep("B"), NodeChange::kUnchanged);
      commit_nodes();
      EXPECT_EQ(keep("E", {{"country", "RS"}}), NodeChange::kMerged);
      ASSERT_TRUE(cs->Commit().ok());
      cs.reset();
      auto node = store->GetNode(filled->id);
      ASSERT_TRUE(node.ok() && node->has_value());
      EXPECT_EQ(FieldValue((*node)->fields, "kind"), "mobile");
      EXPECT_EQ(FieldValue((*node)->fields, "country"), "RS");
      EXPECT_EQ(FieldValue((*node)->fields, "raw"), "064/123-4567");
      EXPECT_EQ((*node)->sources, (std::vector<std::string>{"A", "B", "C", "D", "E"}));
      EXPECT_TRUE(store->Verify()->ok());
    }
  }
}

// Bloom filters only serve point reads; the families that are only ever scanned are written
// without them (a bulk commit would otherwise hash every key it writes for nothing).
TEST(StoreTest, OnlyPointReadFamiliesHaveBloomFilters) {
  TempDir dir;
  { auto store = OpenStore(dir); }
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  rocksdb::ConfigOptions config;
  config.env = rocksdb::Env::Default();
  ASSERT_TRUE(
      rocksdb::LoadLatestOptions(config, (dir / "db").string(), &db_options, &families).ok());
  std::map<std::string, bool> filtered;
  for (const auto& family : families) {
    const auto* table = family.options.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
    ASSERT_NE(table, nullptr) << family.name;
    filtered[family.name] = table->filter_policy != nullptr;
  }
  const std::map<std::string, bool> expected = {{"default", true},
                                                {"nodes", true},
                                                {"node_keys", true},
                                                {"name_index", false},
                                                {"address_index", false},
                                                {"source_index", false},
                                                {"out", false},
                                                {"in", false},
                                                {"observations", false},
                                                {"meta", true},
                                                {"link_summaries", false},
                                                {"node_heads", false}};
  EXPECT_EQ(filtered, expected);
}

TEST(StoreTest, SymmetricLinkIsOneLinkSeenFromBothEnds) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  NodeId a = AddPerson(*cs, "P1", "Ana");
  NodeId b = AddPerson(*cs, "P2", "Bojan");
  ASSERT_TRUE(cs->PutLink(b, "KNOWS", a, Obs("MUP")).ok());
  ASSERT_TRUE(cs->PutLink(a, "KNOWS", b, Obs("MUP")).ok());
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_EQ(cs->link_changes().links_added, 1u);
  EXPECT_EQ(cs->link_changes().observations_added, 1u);
  EXPECT_EQ(cs->link_changes().observations_unchanged, 1u);
  EXPECT_EQ(store->counts().links_by_type.at("KNOWS"), 1u);
  for (NodeId node : {a, b}) {
    auto adjacent = store->Neighbours(node);
    ASSERT_TRUE(adjacent.ok());
    ASSERT_EQ(adjacent->size(), 1u);
    EXPECT_EQ((*adjacent)[0].other, node == a ? b : a);
    EXPECT_TRUE((*adjacent)[0].symmetric);
  }
  EXPECT_TRUE(store->GetLink(b, "KNOWS", a)->has_value());
  EXPECT_TRUE(store->Verify()->ok());
}

TEST(StoreTest, DirectedLinkIsOutgoingFromOneEndAndIncomingToTheOther) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  NodeId a = AddPerson(*cs, "P1", "Ana");
  NodeId b = AddPerson(*cs, "P2", "Bojan");
  ASSERT_TRUE(cs->PutLink(a, "PAID", b, Obs("MUP")).ok());
  ASSERT_TRUE(cs->Commit().ok());
  auto from_a = store->Neighbours(a);
  auto from_b = store->Neighbours(b);
  ASSERT_EQ(from_a->size(), 1u);
  ASSERT_EQ(from_b->size(), 1u);
  EXPECT_TRUE((*from_a)[0].outgoing);
  EXPECT_FALSE((*from_b)[0].outgoing);
  EXPECT_EQ((*from_b)[0].type, "PAID");
}

TEST(StoreTest, ObservationsFromTwoSourcesAccumulateAndRepeatsDoNot) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  NodeId a = AddPerson(*cs, "P1", "Ana");
  NodeId b = AddPerson(*cs, "P2", "Bojan");
  ASSERT_TRUE(cs->PutLink(a, "CALLED", b, Obs("MUP", "2024-01-01", 3)).ok());
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_EQ(cs->link_changes().observations_added, 1u);
  ASSERT_TRUE(cs->PutLink(a, "CALLED", b, Obs("MUP", "2024-01-01", 3)).ok());
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_EQ(cs->link_changes().observations_unchanged, 1u);
  ASSERT_TRUE(cs->PutLink(a, "CALLED", b, Obs("MUP", "2024-01-01", 4)).ok());
  ASSERT_TRUE(cs->PutLink(a, "CALLED", b, Obs("BIA", "2024-01-01", 3)).ok());
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_EQ(cs->link_changes().observations_updated, 1u);
  EXPECT_EQ(cs->link_changes().observations_added, 2u);
  EXPECT_EQ(cs->link_changes().links_added, 1u);
  auto link = store->GetLink(a, "CALLED", b);
  ASSERT_TRUE(link.ok() && link->has_value());
  ASSERT_EQ((*link)->observations.size(), 2u);
  EXPECT_EQ((*link)->observations[1].source, "MUP");
  EXPECT_EQ((*link)->observations[1].count, 4u);
  StoreCounts counts = store->counts();
  EXPECT_EQ(counts.links, 1u);
  EXPECT_EQ(counts.observations, 2u);
  EXPECT_TRUE(store->Verify()->ok());
}

TEST(StoreTest, RefusesLinkToUnknownNodeAndBadType) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  NodeId a = AddPerson(*cs, "P1", "Ana");
  EXPECT_FALSE(cs->PutLink(a, "KNOWS", 99, Obs("MUP")).ok());
  EXPECT_FALSE(cs->PutLink(a, "knows", a, Obs("MUP")).ok());
  Observation zero = Obs("MUP");
  zero.count = 0;
  EXPECT_FALSE(cs->PutLink(a, "KNOWS", a, zero).ok());
}

TEST(StoreTest, ForEachLinkGroupsObservationsByLink) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  NodeId a = AddPerson(*cs, "P1", "Ana");
  NodeId b = AddPerson(*cs, "P2", "Bojan");
  ASSERT_TRUE(cs->PutLink(a, "CALLED", b, Obs("MUP", "2024-01-01")).ok());
  ASSERT_TRUE(cs->PutLink(a, "CALLED", b, Obs("MUP", "2024-02-01")).ok());
  ASSERT_TRUE(cs->PutLink(b, "CALLED", a, Obs("MUP")).ok());
  ASSERT_TRUE(cs->Commit().ok());
  std::vector<size_t> sizes;
  ASSERT_TRUE(store
                  ->ForEachLink([&](const LinkRecord& link) {
                    sizes.push_back(link.observations.size());
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 1}));
}

// Damages the store behind its back and expects Verify to say what is wrong.
TEST(StoreTest, VerifyReportsAMissingMirror) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    auto cs = store->NewChangeSet();
    NodeId a = AddPerson(*cs, "P1", "Ana");
    NodeId b = AddPerson(*cs, "P2", "Bojan");
    ASSERT_TRUE(cs->PutLink(a, "PAID", b, Obs("MUP")).ok());
    ASSERT_TRUE(cs->Commit().ok());
    EXPECT_TRUE(store->Verify()->ok());
  }
  trafnet::testing::EditRawStore(
      dir / "db", [](rocksdb::DB& db, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
        std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), cf["in"]));
        it->SeekToFirst();
        ASSERT_TRUE(it->Valid());
        ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), cf["in"], it->key()).ok());
      });
  auto store = OpenStore(dir);
  auto report = store->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems[0].find("no mirror"), std::string::npos) << report->problems[0];
}

// The raw (key, value) entries of one family of the closed store in `dir`.
std::vector<std::pair<std::string, std::string>> RawEntries(const std::filesystem::path& db,
                                                            const std::string& family) {
  std::vector<std::pair<std::string, std::string>> entries;
  trafnet::testing::EditRawStore(
      db, [&](rocksdb::DB& raw, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
        std::unique_ptr<rocksdb::Iterator> it(raw.NewIterator(rocksdb::ReadOptions(), cf[family]));
        for (it->SeekToFirst(); it->Valid(); it->Next())
          entries.emplace_back(it->key().ToString(), it->value().ToString());
      });
  return entries;
}

// A store with a symmetric link (Ana KNOWS Bojan), a symmetric self-loop (Ana FAMILY Ana) and a
// directed link (Ana PAID Bojan), closed.
void WriteMixedLinks(const TempDir& dir) {
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  NodeId a = AddPerson(*cs, "P1", "Ana");
  NodeId b = AddPerson(*cs, "P2", "Bojan");
  ASSERT_TRUE(cs->PutLink(b, "KNOWS", a, Obs("MUP")).ok());
  ASSERT_TRUE(cs->PutLink(a, "FAMILY", a, Obs("MUP")).ok());
  ASSERT_TRUE(cs->PutLink(a, "PAID", b, Obs("MUP")).ok());
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_TRUE(store->Verify()->ok());
}

TEST(StoreTest, SymmetricLinksAreWrittenInOutFromBothEndsAndNotInIn) {
  TempDir dir;
  WriteMixedLinks(dir);
  auto out = RawEntries(dir / "db", "out");
  auto in = RawEntries(dir / "db", "in");
  size_t symmetric_out = 0;
  for (const auto& [key, value] : out) symmetric_out += value == std::string(1, '\x01');
  EXPECT_EQ(out.size(), 4u);  // KNOWS from both ends, FAMILY once, PAID
  EXPECT_EQ(symmetric_out, 3u);
  ASSERT_EQ(in.size(), 1u);  // PAID's mirror only
  EXPECT_EQ(in[0].second, std::string(1, '\0'));
}

// Stores written before December 2026 also hold an in entry per symmetric out entry (the same
// keys: (a, type, b) and (b, type, a)). They read and verify as before, also beside new links.
TEST(StoreTest, SymmetricInEntriesOfTheEarlierLayoutReadAndVerifyAlike) {
  TempDir dir;
  WriteMixedLinks(dir);
  auto out = RawEntries(dir / "db", "out");
  trafnet::testing::EditRawStore(
      dir / "db", [&](rocksdb::DB& raw, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
        for (const auto& [key, value] : out) {
          if (value == std::string(1, '\x01')) {
            ASSERT_TRUE(raw.Put(rocksdb::WriteOptions(), cf["in"], key, value).ok());
          }
        }
      });
  ASSERT_EQ(RawEntries(dir / "db", "in").size(), 4u);
  auto store = OpenStore(dir);
  auto report = store->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems[0];
  EXPECT_EQ(report->links_checked, 3u);
  auto from_a = store->Neighbours(0);
  auto from_b = store->Neighbours(1);
  ASSERT_TRUE(from_a.ok() && from_b.ok());
  EXPECT_EQ(from_a->size(), 3u);  // KNOWS, FAMILY, PAID
  EXPECT_EQ(from_b->size(), 2u);  // KNOWS, PAID
  auto cs = store->NewChangeSet();
  NodeId c = AddPerson(*cs, "P3", "Ceca");
  ASSERT_TRUE(cs->PutLink(c, "KNOWS", 1, Obs("MUP")).ok());
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_TRUE(store->Verify()->ok());
  EXPECT_EQ(store->Neighbours(1)->size(), 3u);
}

TEST(StoreTest, VerifyReportsASymmetricLinkWithoutItsReverseAndAStrayInEntry) {
  TempDir dir;
  WriteMixedLinks(dir);
  auto out = RawEntries(dir / "db", "out");
  std::vector<std::string> knows;  // (a, KNOWS, b) then (b, KNOWS, a), a < b
  std::string paid;
  for (const auto& [key, value] : out) {
    const bool self_loop = key.substr(0, 8) == key.substr(10, 8);
    if (value == std::string(1, '\x01') && !self_loop) knows.push_back(key);
    if (value == std::string(1, '\0')) paid = key;
  }
  ASSERT_EQ(knows.size(), 2u);
  const std::string knows_reverse = knows[1];
  ASSERT_FALSE(knows_reverse.empty());
  ASSERT_FALSE(paid.empty());
  trafnet::testing::EditRawStore(
      dir / "db", [&](rocksdb::DB& raw, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
        ASSERT_TRUE(raw.Delete(rocksdb::WriteOptions(), cf["out"], knows_reverse).ok());
        // An in entry marked symmetric under PAID's out key: no symmetric out entry is its mirror.
        ASSERT_TRUE(raw.Put(rocksdb::WriteOptions(), cf["in"], paid, std::string(1, '\x01')).ok());
      });
  auto store = OpenStore(dir);
  auto report = store->Verify();
  ASSERT_TRUE(report.ok());
  std::string problems;
  for (const std::string& problem : report->problems) problems += problem + "\n";
  EXPECT_NE(problems.find("of a symmetric link has no reverse entry in out"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("has no mirror in out"), std::string::npos) << problems;
}

// A change set big enough to go through SST files ends up exactly like one written by WriteBatch.
TEST(StoreTest, BulkCommitThroughSstFilesMatchesSmallCommits) {
  TempDir bulk_dir, small_dir;
  auto bulk = OpenStore(bulk_dir);
  auto small = OpenStore(small_dir);
  auto bulk_cs = bulk->NewChangeSet();
  auto small_cs = small->NewChangeSet();
  constexpr int kPersons = 30000;
  for (int i = 0; i < kPersons; ++i) {
    std::string id = "P" + std::to_string(i);
    AddPerson(*bulk_cs, id, "name " + std::to_string(i % 100));
    AddPerson(*small_cs, id, "name " + std::to_string(i % 100));
    if (i > 0) {
      ASSERT_TRUE(bulk_cs->PutLink(i, "KNOWS", i - 1, Obs("MUP")).ok());
      ASSERT_TRUE(small_cs->PutLink(i, "KNOWS", i - 1, Obs("MUP")).ok());
    }
    if (i % 1000 == 999) {
      ASSERT_TRUE(small_cs->Commit().ok());
    }
  }
  ASSERT_GT(bulk_cs->pending_operations(), 50'000u);
  ASSERT_TRUE(bulk_cs->Commit().ok());
  ASSERT_TRUE(small_cs->Commit().ok());
  EXPECT_EQ(bulk->counts(), small->counts());
  EXPECT_EQ(bulk->counts().links, kPersons - 1u);
  EXPECT_EQ(bulk_cs->link_changes().links_added, kPersons - 1u);
  EXPECT_FALSE(std::filesystem::exists(bulk_dir / "db" / "trafnet-staging") &&
               !std::filesystem::is_empty(bulk_dir / "db" / "trafnet-staging"));
  bulk_cs.reset();
  auto report = bulk->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems[0];
  auto neighbours = bulk->Neighbours(500);
  ASSERT_TRUE(neighbours.ok());
  EXPECT_EQ(neighbours->size(), 2u);
}

// A commit reports its two long steps in order, each from 0 to its total: every pending
// observation (repeats included), then every adjacency entry of the new links (two per link: out
// and in for a directed one, out from both ends for a symmetric one), with reports between for
// big ones.
struct ProgressReport {
  std::string step;
  uint64_t done, total;
};
// Every report a StepProgressFn hears, in order.
struct ProgressRecorder {
  std::vector<ProgressReport> reports;
  StepProgressFn fn = [this](std::string_view step, uint64_t done, uint64_t total) {
    reports.push_back({std::string(step), done, total});
  };
};
std::vector<ProgressReport> CommitWithProgress(ChangeSet& cs) {
  ProgressRecorder recorder;
  Status status = cs.Commit(recorder.fn);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return recorder.reports;
}
void ExpectSteps(const std::vector<ProgressReport>& reports, uint64_t observations,
                 uint64_t adjacency, bool reports_between) {
  const std::pair<std::string_view, uint64_t> steps[] = {{kCommitStepObservations, observations},
                                                         {kCommitStepAdjacency, adjacency}};
  size_t at = 0;
  for (const auto& [step, total] : steps) {
    SCOPED_TRACE(std::string(step));
    ASSERT_LT(at, reports.size());
    EXPECT_EQ(reports[at].step, step);
    EXPECT_EQ(reports[at].done, 0u);
    size_t between = 0;
    uint64_t last = 0;
    for (; at < reports.size() && reports[at].step == step; ++at) {
      EXPECT_EQ(reports[at].total, total);
      EXPECT_GE(reports[at].done, last);
      last = reports[at].done;
      between += last > 0 && last < total;
    }
    EXPECT_EQ(last, total);
    EXPECT_EQ(between > 0, reports_between);
  }
  EXPECT_EQ(at, reports.size());
}

TEST(StoreTest, CommitReportsItsProgressStepByStep) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  constexpr NodeId kPersons = 40000;
  AddNumberedPersons(*cs, kPersons);
  uint64_t observations = 0;
  for (NodeId i = 1; i < kPersons; ++i) {
    ASSERT_TRUE(cs->PutLink(i, "KNOWS", i - 1, Obs("MUP")).ok());
    ASSERT_TRUE(cs->PutLink(i, "PAID", i - 1, Obs("MUP")).ok());
    observations += 2;
    if (i % 40 == 0) {  // the same observation again: read, not written twice
      ASSERT_TRUE(cs->PutLink(i, "PAID", i - 1, Obs("MUP")).ok());
      ++observations;
    }
  }
  ExpectSteps(CommitWithProgress(*cs), observations, 4 * (kPersons - 1),
              /*reports_between=*/true);
  EXPECT_EQ(store->counts().links, 2 * (kPersons - 1));

  // A small commit (one WriteBatch) reports the same steps, from start to end.
  for (NodeId i = 1; i <= 10; ++i) ASSERT_TRUE(cs->PutLink(i, "KNOWS", i + 2, Obs("MUP")).ok());
  ExpectSteps(CommitWithProgress(*cs), 10, 20, /*reports_between=*/false);
  // Without a listener a commit is as before.
  ASSERT_TRUE(cs->PutLink(1, "PAID", 5, Obs("MUP")).ok());
  ASSERT_TRUE(cs->Commit().ok());
  EXPECT_EQ(store->counts().links, 2 * (kPersons - 1) + 11);
}

// Verify reports its steps in order; those with a total known ahead end at it on a consistent
// store.
// A store of persons P0..P(n-1), each P(i) linked to P(i-1) by `type`, committed.
std::unique_ptr<Store> ChainStore(const TempDir& dir, NodeId n, const std::string& type) {
  auto store = OpenStore(dir);
  auto cs = store->NewChangeSet();
  AddNumberedPersons(*cs, n);
  for (NodeId i = 1; i < n; ++i) EXPECT_TRUE(cs->PutLink(i, type, i - 1, Obs("MUP")).ok());
  EXPECT_TRUE(cs->Commit().ok());
  return store;
}

TEST(StoreTest, VerifyReportsItsProgressStepByStep) {
  TempDir dir;
  auto store = ChainStore(dir, 100, "KNOWS");
  ProgressRecorder recorder;
  auto report = store->Verify(recorder.fn);
  const std::vector<ProgressReport>& reports = recorder.reports;
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  std::vector<std::string> steps;
  for (const auto& r : reports) {
    if (steps.empty() || steps.back() != r.step) steps.push_back(r.step);
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"checksums", "nodes", "node heads", "indexes",
                                             "adjacency", "observations"}));
  auto last_of = [&](const std::string& step) {
    ProgressReport last{};
    for (const auto& r : reports) {
      if (r.step == step) last = r;
    }
    return last;
  };
  EXPECT_EQ(last_of("nodes").done, 100u);
  EXPECT_EQ(last_of("nodes").total, 100u);
  EXPECT_EQ(last_of("node heads").done, 100u);
  EXPECT_EQ(last_of("node heads").total, 100u);
  EXPECT_EQ(last_of("indexes").done, last_of("indexes").total);
  EXPECT_EQ(last_of("indexes").done, report->index_entries_checked);
  EXPECT_EQ(last_of("adjacency").done, 2 * 99u);  // KNOWS is symmetric: both ways in out
  EXPECT_EQ(last_of("observations").done, 99u);
  EXPECT_EQ(last_of("observations").total, 99u);
}

// The index builds report their scan from 0 to its total (every node; every link).
TEST(StoreTest, IndexBuildsReportTheirProgress) {
  TempDir dir;
  auto store = ChainStore(dir, 50, "PAID");
  auto expect_scan = [](const std::vector<ProgressReport>& reports, uint64_t total) {
    ASSERT_GE(reports.size(), 2u);
    EXPECT_EQ(reports.front().done, 0u);
    EXPECT_EQ(reports.back().done, total);
    EXPECT_EQ(reports.back().total, total);
  };
  ProgressRecorder indexing, summing, heading;
  ASSERT_TRUE(store->BuildNameWordIndex(indexing.fn).ok());
  expect_scan(indexing.reports, 50);
  ASSERT_TRUE(store->BuildLinkSummaries(summing.fn).ok());
  expect_scan(summing.reports, 49);
  ASSERT_TRUE(store->BuildNodeHeads(heading.fn).ok());
  expect_scan(heading.reports, 50);
}

TEST(StoreTest, RecordsIngestRuns) {
  TempDir dir;
  auto store = OpenStore(dir);
  auto run = store->BeginIngestRun(R"({"status":"running"})");
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(store->FinishIngestRun(*run, R"({"status":"done"})").ok());
  auto runs = store->IngestRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].run, *run);
  EXPECT_EQ((*runs)[0].json, R"({"status":"done"})");
}

// ScanGraph hands over nodes in id order with the asked-for fields, and each link once with
// its observations in the window summed, across many of its internal batches.
TEST(StoreTest, ScanGraphSeesEveryNodeAndLinkInOrder) {
  TempDir dir;
  auto store = OpenStore(dir);
  constexpr NodeId kPersons = 20000;
  {
    auto cs = store->NewChangeSet();
    AddNumberedPersons(*cs, kPersons);
    for (NodeId i = 0; i + 1 < kPersons; ++i) {
      ASSERT_TRUE(cs->PutLink(i, "KNOWS", i + 1, Obs("MUP", "2024-01-01", 2)).ok());
      ASSERT_TRUE(cs->PutLink(i, "KNOWS", i + 1, Obs("BIA", "2020-05-05", 1)).ok());
    }
    ASSERT_TRUE(cs->Commit().ok());
  }
  for (const char* since : {"", "2023-01-01"}) {
    LinkScanOptions options;
    options.since = since;
    options.node_fields = {"name", "missing"};
    std::vector<NodeId> ids;
    bool fields_right = true;
    uint64_t links = 0, counts = 0, observations = 0;
    bool links_in_order = true;
    NodeId previous_from = 0;
    Status status = store->ScanGraph(
        options,
        [&](NodeId id, std::string_view kind, std::string_view key,
            const std::vector<std::string_view>& fields) {
          ids.push_back(id);
          fields_right = fields_right && kind == kPersonKind && key == "P" + std::to_string(id) &&
                         fields.size() == 2 && fields[0] == "Name " + std::to_string(id) &&
                         fields[1].empty();
        },
        [&](const LinkSummary& link) {
          links_in_order = links_in_order && link.from >= previous_from && link.to == link.from + 1;
          previous_from = link.from;
          ++links;
          counts += link.count;
          observations += link.observations;
          fields_right =
              fields_right && link.last_end == "2024-01-01" && link.open_end && !link.open_start &&
              link.first_start == (std::string_view(since).empty() ? "2020-05-05" : "2024-01-01");
        });
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_EQ(ids.size(), kPersons);
    for (NodeId i = 0; i < kPersons; ++i) ASSERT_EQ(ids[i], i);
    EXPECT_TRUE(fields_right);
    EXPECT_TRUE(links_in_order);
    EXPECT_EQ(links, kPersons - 1);
    EXPECT_EQ(observations, (std::string_view(since).empty() ? 2 : 1) * (kPersons - 1));
    EXPECT_EQ(counts, (std::string_view(since).empty() ? 3 : 2) * (kPersons - 1));
  }
}

// The parts of ScanGraphInParts, joined in order, are ScanGraph's links, whatever the number of
// parts, and the parts share the work.
TEST(StoreTest, ScanGraphInPartsJoinsToScanGraph) {
  TempDir dir;
  auto store = OpenStore(dir);
  constexpr NodeId kPersons = 6000;
  {
    auto cs = store->NewChangeSet();
    AddNumberedPersons(*cs, kPersons);
    for (NodeId i = 0; i + 1 < kPersons; ++i) {
      ASSERT_TRUE(cs->PutLink(i, "KNOWS", i + 1, Obs("MUP", "2024-01-01", 1 + i % 3)).ok());
      if (i % 7 == 0) {
        ASSERT_TRUE(cs->PutLink(i + 1, "PAID", i, Obs("BIA", "2021-02-03", 1)).ok());
      }
    }
    ASSERT_TRUE(cs->Commit().ok());
  }
  ASSERT_TRUE(store->Flush().ok());
  auto describe = [](const LinkSummary& link) {
    return std::to_string(link.from) + "-" + std::to_string(link.type) + "-" +
           std::to_string(link.to) + " " + std::to_string(link.count) + "/" +
           std::to_string(link.observations) + " " + std::string(link.first_start) + ".." +
           std::string(link.last_end) + (link.symmetric ? " sym" : "");
  };
  LinkScanOptions options;
  options.node_fields = {"name"};
  std::vector<std::string> expected;
  std::vector<NodeId> expected_nodes;
  ASSERT_TRUE(store
                  ->ScanGraph(
                      options,
                      [&](NodeId id, std::string_view, std::string_view,
                          const std::vector<std::string_view>&) { expected_nodes.push_back(id); },
                      [&](const LinkSummary& link) { expected.push_back(describe(link)); })
                  .ok());
  ASSERT_EQ(expected.size(), kPersons - 1 + (kPersons - 1 + 6) / 7);
  for (unsigned parts = 1; parts <= 4; ++parts) {
    std::vector<std::vector<std::string>> seen(parts);
    std::vector<NodeId> nodes;
    Status status = store->ScanGraphInParts(
        options, parts,
        [&](NodeId id, std::string_view, std::string_view, const std::vector<std::string_view>&) {
          nodes.push_back(id);
        },
        [&](unsigned part, const LinkSummary& link) { seen.at(part).push_back(describe(link)); });
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(nodes, expected_nodes);
    std::vector<std::string> joined;
    size_t busy_parts = 0;
    for (const auto& part : seen) {
      joined.insert(joined.end(), part.begin(), part.end());
      busy_parts += part.empty() ? 0 : 1;
    }
    EXPECT_EQ(joined, expected) << parts << " parts";
    EXPECT_EQ(busy_parts, parts) << "every part should get a share of the links";
  }
  EXPECT_FALSE(store->ScanGraphInParts(options, 0, nullptr, nullptr).ok());
}

}  // namespace
}  // namespace trafnet::storage
