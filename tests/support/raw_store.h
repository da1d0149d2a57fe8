// Direct edits of a closed store's RocksDB database, as a crash, a bug or an older trafnet
// would have left it: for tests of what trafnet makes of such stores.
#ifndef TRAFNET_TESTS_SUPPORT_RAW_STORE_H_
#define TRAFNET_TESTS_SUPPORT_RAW_STORE_H_

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace trafnet::testing {

// Opens the store in `db` with RocksDB alone and passes `edit` the database and its column
// families by name ("name_index", "meta", …; docs/storage.md).
inline void EditRawStore(
    const std::filesystem::path& db,
    const std::function<void(rocksdb::DB&, std::map<std::string, rocksdb::ColumnFamilyHandle*>&)>& edit) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), db.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(rocksdb::DBOptions(), db.string(), descriptors, &handles, &raw);
  ASSERT_TRUE(opened.ok()) << opened.ToString();
  std::unique_ptr<rocksdb::DB> database(raw);
  std::map<std::string, rocksdb::ColumnFamilyHandle*> families;
  for (size_t i = 0; i < handles.size(); ++i) families[descriptors[i].name] = handles[i];
  edit(*database, families);
  for (auto* handle : handles) ASSERT_TRUE(database->DestroyColumnFamilyHandle(handle).ok());
}

// Makes the store in `db` look as if written before the name-word index: no word entries in
// name_index and no index:name_words mark in meta.
inline void RemoveNameWordIndex(const std::filesystem::path& db) {
  EditRawStore(db, [](rocksdb::DB& database, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
    std::unique_ptr<rocksdb::Iterator> it(database.NewIterator(rocksdb::ReadOptions(), cf["name_index"]));
    for (it->SeekToFirst(); it->Valid() && it->key()[0] == '\0'; it->Next()) {
      ASSERT_TRUE(database.Delete(rocksdb::WriteOptions(), cf["name_index"], it->key()).ok());
    }
    ASSERT_TRUE(database.Delete(rocksdb::WriteOptions(), cf["meta"], "index:name_words").ok());
  });
}

// Makes the store in `db` look as if written before the link summaries: no link_summaries
// family at all and no index:link_summary_chunks mark in meta.
inline void RemoveLinkSummaries(const std::filesystem::path& db) {
  EditRawStore(
      db, [](rocksdb::DB& database, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
        ASSERT_TRUE(
            database.Delete(rocksdb::WriteOptions(), cf["meta"], "index:link_summary_chunks").ok());
        ASSERT_TRUE(database.DropColumnFamily(cf["link_summaries"]).ok());
      });
}

// Makes the store in `db` look as if written before the node heads: no node_heads family and no
// index:node_heads mark in meta.
inline void RemoveNodeHeads(const std::filesystem::path& db) {
  EditRawStore(
      db, [](rocksdb::DB& database, std::map<std::string, rocksdb::ColumnFamilyHandle*>& cf) {
        ASSERT_TRUE(database.Delete(rocksdb::WriteOptions(), cf["meta"], "index:node_heads").ok());
        ASSERT_TRUE(database.DropColumnFamily(cf["node_heads"]).ok());
      });
}

}  // namespace trafnet::testing

#endif  // TRAFNET_TESTS_SUPPORT_RAW_STORE_H_
