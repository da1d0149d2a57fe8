// Private state of an open store, shared by store.cc, change_set.cc and verify.cc.
#ifndef TRAFNET_STORAGE_SRC_STORE_IMPL_H_
#define TRAFNET_STORAGE_SRC_STORE_IMPL_H_

#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include <vector>

#include <array>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "codec.h"
#include "trafnet/storage/store.h"

namespace trafnet::storage {

enum ColumnFamily : size_t {
  kDefaultCf = 0,
  kNodesCf,
  kNodeKeysCf,
  kNameIndexCf,
  kAddressIndexCf,
  kSourceIndexCf,
  kOutCf,
  kInCf,
  kObservationsCf,
  kMetaCf,
  kLinkSummariesCf,
  kNodeHeadsCf,
  kColumnFamilyCount,
};

inline constexpr std::array<const char*, kColumnFamilyCount> kColumnFamilyNames = {
    "default", "nodes", "node_keys",    "name_index", "address_index",  "source_index",
    "out",     "in",    "observations", "meta",       "link_summaries", "node_heads"};

// Families a store written by an earlier trafnet may lack: derived data, each complete when
// its meta mark is set (below); until then nothing reads it and commits leave it alone.
inline constexpr std::array<ColumnFamily, 2> kDerivedFamilies = {kLinkSummariesCf, kNodeHeadsCf};

// Meta keys.
inline constexpr std::string_view kMetaSchemaVersion = "schema_version";
inline constexpr std::string_view kMetaNextNodeId = "next_node_id";
inline constexpr std::string_view kMetaNextRun = "next_run";
inline constexpr std::string_view kMetaTypePrefix = "type:";
inline constexpr std::string_view kMetaRunPrefix = "run:";
inline constexpr std::string_view kMetaCountNodeKind = "count:node_kind:";
inline constexpr std::string_view kMetaCountLinkType = "count:link_type:";
inline constexpr std::string_view kMetaCountNodeSource = "count:node_source:";
inline constexpr std::string_view kMetaCountObsSource = "count:obs_source:";
// Present ("1") when name_index holds the word entries of every person: written by the first
// commit to an empty store and by Store::BuildNameWordIndex. Stores written before the word
// entries existed lack it.
inline constexpr std::string_view kMetaNameWordIndex = "index:name_words";
// Present ("1") when link_summaries holds the totals of every link, in chunks of 1024 nodes:
// written by the first commit to an empty store and by Store::BuildLinkSummaries. Stores
// written before the family existed lack it, and their scans read the observations; so do
// stores written before the chunks, whose per-node values are marked by the key before it
// (which BuildLinkSummaries removes with them).
inline constexpr std::string_view kMetaLinkSummaries = "index:link_summary_chunks";
inline constexpr std::string_view kMetaLinkSummariesPerNode = "index:link_summaries";
// Present ("1") when node_heads holds the head of every node: written by the first commit to an
// empty store and by Store::BuildNodeHeads.
inline constexpr std::string_view kMetaNodeHeads = "index:node_heads";

Status FromRocks(const rocksdb::Status& status, std::string_view context);

// Pending writes of one column family, sorted by key, each key once.
using SortedWrites = std::vector<std::pair<std::string, std::string>>;
using WritesByFamily = std::array<SortedWrites, kColumnFamilyCount>;

// Where bulk commits stage their SST files, inside the store directory.
inline constexpr std::string_view kStagingDir = "trafnet-staging";

struct Store::Impl {
  std::filesystem::path dir;
  StoreOptions options;
  std::unique_ptr<rocksdb::DB> db;
  std::array<rocksdb::ColumnFamilyHandle*, kColumnFamilyCount> cf{};

  // Committed state mirrored in memory (meta is the durable copy).
  mutable std::mutex mutex;
  StoreCounts counts;
  NodeId next_node_id = 0;
  std::map<std::string, codec::LinkTypeId, std::less<>> type_ids;
  std::map<codec::LinkTypeId, std::string> type_names;
  bool change_set_open = false;
  bool name_word_index = false;  // kMetaNameWordIndex is set
  bool link_summaries = false;   // kMetaLinkSummaries is set
  bool node_heads = false;       // kMetaNodeHeads is set

  ~Impl();
  // The committed counts, read under the lock.
  StoreCounts CountsNow() const {
    std::lock_guard lock(mutex);
    return counts;
  }
  rocksdb::ColumnFamilyHandle* handle(ColumnFamily family) const { return cf[family]; }
  std::string TypeName(codec::LinkTypeId id) const;
  Status LoadMeta();
  // A snapshot for a multi-read operation. A secondary instance has none (RocksDB does not
  // support them there), and needs none: its view changes only in CatchUp, which no read
  // overlaps (Store::CatchUp's contract). ReleaseSnapshot accepts what this returns.
  const rocksdb::Snapshot* GetSnapshot() const {
    return options.secondary_dir.empty() ? db->GetSnapshot() : nullptr;
  }
  void ReleaseSnapshot(const rocksdb::Snapshot* snapshot) const {
    if (snapshot != nullptr) db->ReleaseSnapshot(snapshot);
  }
  std::atomic<uint64_t> staged_files = 0;
  StatusOr<std::optional<std::string>> Get(ColumnFamily family, std::string_view key,
                                           const rocksdb::Snapshot* snapshot = nullptr) const;
};

// A StoreReader's snapshot and iterators (store.cc; name_words.cc reads name_index with them).
struct StoreReader::Impl {
  const Store::Impl* store = nullptr;
  const rocksdb::Snapshot* snapshot = nullptr;
  rocksdb::ReadOptions read;
  std::unique_ptr<rocksdb::Iterator> out, in, observations, names;
  std::map<codec::LinkTypeId, std::string> type_names;  // those seen, copied once

  const std::string& TypeName(codec::LinkTypeId id) {
    auto it = type_names.find(id);
    if (it == type_names.end()) {
      std::lock_guard lock(store->mutex);
      it = type_names.emplace(id, store->TypeName(id)).first;
    }
    return it->second;
  }
  rocksdb::Iterator* Iterator(ColumnFamily family) {
    std::unique_ptr<rocksdb::Iterator>& it = family == kOutCf   ? out
                                             : family == kInCf  ? in
                                             : family == kNameIndexCf ? names
                                                                      : observations;
    if (!it) it.reset(store->db->NewIterator(read, store->cf[family]));
    return it.get();
  }
  ~Impl() {
    out.reset();  // iterators go before the snapshot they read
    in.reset();
    observations.reset();
    names.reset();
    if (snapshot != nullptr) store->db->ReleaseSnapshot(snapshot);
  }
};


// Writes one commit atomically: into a WriteBatch, or (bulk) into one SST file per column family,
// all ingested by one IngestExternalFiles call. In bulk mode each family's keys must be Put in
// strictly increasing order. Staged files not ingested are removed when the writer goes.
class CommitWriter {
 public:
  CommitWriter(Store::Impl& store, bool bulk);
  ~CommitWriter();
  CommitWriter(const CommitWriter&) = delete;
  CommitWriter& operator=(const CommitWriter&) = delete;

  // In bulk mode, Put may run on several threads at once for different column families.
  Status Put(ColumnFamily family, std::string_view key, std::string_view value);
  Status Finish();
  bool bulk() const { return bulk_; }

 private:
  struct Family {
    std::unique_ptr<rocksdb::SstFileWriter> writer;
    std::filesystem::path path;
  };
  void RemoveStaged();

  Store::Impl& store_;
  bool bulk_;
  rocksdb::WriteBatch batch_;
  std::array<Family, kColumnFamilyCount> families_;
  std::mutex open_mutex_;
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_SRC_STORE_IMPL_H_
