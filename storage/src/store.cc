#include "trafnet/storage/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <optional>
#include <system_error>

#include "store_impl.h"

namespace trafnet::storage {

Status FromRocks(const rocksdb::Status& status, std::string_view context) {
  if (status.ok()) return Status::Ok();
  std::string message = std::string(context) + ": " + status.ToString();
  if (status.IsCorruption()) return CorruptionError(std::move(message));
  if (status.IsNotFound()) return NotFoundError(std::move(message));
  if (status.IsInvalidArgument()) return InvalidArgumentError(std::move(message));
  return IoError(std::move(message));
}

Store::Impl::~Impl() {
  if (!db) return;
  for (auto* handle : cf) {
    if (handle != nullptr) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  db->Close().PermitUncheckedError();
}

std::string Store::Impl::TypeName(codec::LinkTypeId id) const {
  auto it = type_names.find(id);
  return it == type_names.end() ? "?" + std::to_string(id) : it->second;
}

StatusOr<std::optional<std::string>> Store::Impl::Get(ColumnFamily family, std::string_view key,
                                                      const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  std::string value;
  rocksdb::Status status = db->Get(read_options, cf[family], key, &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) return FromRocks(status, std::string("read ") + kColumnFamilyNames[family]);
  return std::optional<std::string>(std::move(value));
}

namespace {

void AddCount(std::map<std::string, uint64_t>& counts, std::string_view name, uint64_t value) {
  if (value != 0) counts[std::string(name)] += value;
}

}  // namespace

Status Store::Impl::LoadMeta() {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf[kMetaCf]));
  counts = StoreCounts();
  type_ids.clear();
  type_names.clear();
  next_node_id = 0;
  name_word_index = false;
  link_summaries = false;
  node_heads = false;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    std::string_view value(it->value().data(), it->value().size());
    auto starts = [&](std::string_view prefix) { return key.substr(0, prefix.size()) == prefix; };
    auto number = [&]() -> StatusOr<uint64_t> {
      if (value.size() != 8) return CorruptionError("meta " + std::string(key) + ": bad value");
      return codec::GetBigEndian64(value);
    };
    if (key == kMetaNextNodeId) {
      TRAFNET_ASSIGN_OR_RETURN(next_node_id, number());
    } else if (key == kMetaNameWordIndex) {
      name_word_index = true;
    } else if (key == kMetaLinkSummaries) {
      // A read-only or secondary instance opened before the family existed has no handle to
      // it (RocksDB does not add families to an open instance), so for it they are absent.
      link_summaries = cf[kLinkSummariesCf] != nullptr;
    } else if (key == kMetaNodeHeads) {
      node_heads = cf[kNodeHeadsCf] != nullptr;
    } else if (starts(kMetaTypePrefix)) {
      if (value.size() != 2) return CorruptionError("meta " + std::string(key) + ": bad type id");
      auto id = codec::GetBigEndian16(value);
      std::string name(key.substr(kMetaTypePrefix.size()));
      type_ids[name] = id;
      type_names[id] = name;
    } else if (starts(kMetaCountNodeKind)) {
      TRAFNET_ASSIGN_OR_RETURN(uint64_t n, number());
      AddCount(counts.nodes_by_kind, key.substr(kMetaCountNodeKind.size()), n);
      counts.nodes += n;
    } else if (starts(kMetaCountLinkType)) {
      TRAFNET_ASSIGN_OR_RETURN(uint64_t n, number());
      AddCount(counts.links_by_type, key.substr(kMetaCountLinkType.size()), n);
      counts.links += n;
    } else if (starts(kMetaCountNodeSource)) {
      TRAFNET_ASSIGN_OR_RETURN(uint64_t n, number());
      AddCount(counts.nodes_by_source, key.substr(kMetaCountNodeSource.size()), n);
    } else if (starts(kMetaCountObsSource)) {
      TRAFNET_ASSIGN_OR_RETURN(uint64_t n, number());
      AddCount(counts.observations_by_source, key.substr(kMetaCountObsSource.size()), n);
      counts.observations += n;
    }
  }
  return FromRocks(it->status(), "read meta");
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const std::filesystem::path& Store::dir() const { return impl_->dir; }

namespace {

// Whether the store in `dir` has `family`; nothing when its families cannot be listed.
std::optional<std::vector<std::string>> ListedFamilies(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok()) return {};
  return names;
}

std::optional<bool> FamilyListed(const std::filesystem::path& dir, ColumnFamily family) {
  const std::optional<std::vector<std::string>> names = ListedFamilies(dir);
  if (!names) return {};
  return std::find(names->begin(), names->end(), kColumnFamilyNames[family]) != names->end();
}

// Creates a store with all its column families and its schema version in a sibling directory,
// then renames it into place: RocksDB adds column families one by one, so a process killed
// while creating a store in place would leave one that a reader cannot open. This way a kill
// leaves either no store or a whole, empty one.
Status CreateStore(const std::filesystem::path& dir, rocksdb::DBOptions db_options,
                   const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return FailedPreconditionError(dir.string() + " is not empty and holds no trafnet store");
  }
  const std::filesystem::path parent =
      dir.parent_path().empty() ? std::filesystem::path(".") : dir.parent_path();
  std::filesystem::create_directories(parent, ec);
  if (ec) return IoError("cannot create " + parent.string() + ": " + ec.message());
  const std::filesystem::path creating = parent / (dir.filename().string() + ".creating");
  std::filesystem::remove_all(creating, ec);
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  TRAFNET_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(db_options, creating.string(), descriptors, &handles, &raw_db),
                "create store " + dir.string()));
  std::unique_ptr<rocksdb::DB> db(raw_db);
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  Status written =
      FromRocks(db->Put(write_options, handles[kMetaCf], std::string(kMetaSchemaVersion),
                        std::to_string(kSchemaVersion)),
                "write schema version");
  for (rocksdb::ColumnFamilyHandle* handle : handles) db->DestroyColumnFamilyHandle(handle);
  Status closed = FromRocks(db->Close(), "close new store " + dir.string());
  db.reset();
  TRAFNET_RETURN_IF_ERROR(written);
  TRAFNET_RETURN_IF_ERROR(closed);
  if (std::filesystem::exists(dir, ec)) std::filesystem::remove(dir, ec);  // empty, checked above
  std::filesystem::rename(creating, dir, ec);
  if (ec) return IoError("cannot move the new store into " + dir.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<Store>> Store::Open(const std::filesystem::path& dir,
                                             const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = options;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing && !options.read_only;
  db_options.create_missing_column_families = !options.read_only;
  db_options.paranoid_checks = true;
  db_options.track_and_verify_wals_in_manifest = true;
  db_options.max_background_jobs = 2;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 2;

  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table_options.cache_index_and_filter_blocks = true;
  table_options.pin_l0_filter_and_index_blocks_in_cache = true;
  // Whole-key Bloom filters only help point reads (Get), not the seeks of prefix scans. The
  // families read by Get (nodes by id, natural keys, meta) get one; the indexes, adjacency and
  // observations are only ever scanned, and a filter there would be built for every key a bulk
  // commit writes and never read.
  rocksdb::BlockBasedTableOptions filtered_table_options = table_options;
  filtered_table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));

  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = options.write_buffer_bytes;
  cf_options.compression = rocksdb::kLZ4Compression;
  // LZ4 everywhere: ZSTD on the bottom level costs bulk loads (SST files are written there) more
  // than the disk it saves is worth here.
  cf_options.bottommost_compression = rocksdb::kLZ4Compression;
  rocksdb::ColumnFamilyOptions scanned_cf_options = cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(filtered_table_options));
  scanned_cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));

  // link_summaries is read whole, a node after another: blocks of 64 KiB, not 4, cost a
  // scan fewer block reads (about 8 % of BM_ScanGraph/2 on the 1M-person store).
  rocksdb::BlockBasedTableOptions big_block_options = table_options;
  big_block_options.block_size = 64 << 10;
  rocksdb::ColumnFamilyOptions summaries_cf_options = scanned_cf_options;
  summaries_cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(big_block_options));

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (size_t family = 0; family < kColumnFamilyCount; ++family) {
    const bool point_read =
        family == kDefaultCf || family == kNodesCf || family == kNodeKeysCf || family == kMetaCf;
    // node_heads is read whole too, or a chunk of 1024 nodes at a time.
    const bool big_values = family == kLinkSummariesCf || family == kNodeHeadsCf;
    descriptors.emplace_back(kColumnFamilyNames[family], big_values   ? summaries_cf_options
                                                         : point_read ? cf_options
                                                                      : scanned_cf_options);
  }

  const bool secondary = options.read_only && !options.secondary_dir.empty();
  if (secondary) {
    // RocksDB's advice for secondaries: every table file open from the start.
    db_options.max_open_files = -1;
    std::error_code ec;
    if (std::filesystem::equivalent(options.secondary_dir, dir, ec))
      return InvalidArgumentError("a secondary instance needs a folder of its own, not the store's");
  }
  if (options.read_only && !std::filesystem::exists(dir / "CURRENT")) {
    return NotFoundError("no trafnet store in " + dir.string());
  }
  if (!options.read_only && options.create_if_missing &&
      !std::filesystem::exists(dir / "CURRENT")) {
    TRAFNET_RETURN_IF_ERROR(CreateStore(dir, db_options, descriptors));
  }

  // A read-only open cannot create a family: a derived one (link_summaries, node_heads) that a
  // store written by an earlier trafnet lacks is then left without a handle (and its meta mark
  // is absent too).
  std::vector<size_t> opened_families;
  std::vector<rocksdb::ColumnFamilyDescriptor> opened_descriptors;
  const std::optional<std::vector<std::string>> listed =
      options.read_only ? ListedFamilies(dir) : std::nullopt;
  for (size_t family = 0; family < kColumnFamilyCount; ++family) {
    const bool derived = std::find(kDerivedFamilies.begin(), kDerivedFamilies.end(),
                                   static_cast<ColumnFamily>(family)) != kDerivedFamilies.end();
    if (derived && listed &&
        std::find(listed->begin(), listed->end(), kColumnFamilyNames[family]) == listed->end())
      continue;
    opened_families.push_back(family);
    opened_descriptors.push_back(descriptors[family]);
  }
  descriptors = std::move(opened_descriptors);

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status =
      secondary ? rocksdb::DB::OpenAsSecondary(db_options, dir.string(),
                                               options.secondary_dir.string(), descriptors,
                                               &handles, &raw_db)
      : options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, dir.string(), descriptors, &handles, &raw_db)
          : rocksdb::DB::Open(db_options, dir.string(), descriptors, &handles, &raw_db);
  if (!status.ok() && !options.create_if_missing && status.IsInvalidArgument()) {
    return NotFoundError("no trafnet store in " + dir.string() + " (" + status.ToString() + ")");
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(status, "open store " + dir.string()));
  impl->db.reset(raw_db);
  if (!options.read_only) {
    // SST files staged by a bulk commit that a crash interrupted before ingestion.
    std::error_code ec;
    std::filesystem::remove_all(dir / kStagingDir, ec);
  }
  for (size_t i = 0; i < handles.size(); ++i) impl->cf[opened_families[i]] = handles[i];

  TRAFNET_ASSIGN_OR_RETURN(auto version, impl->Get(kMetaCf, kMetaSchemaVersion));
  if (!version) {
    if (options.read_only) {
      // A writer killed between creating the database and recording its version leaves an
      // empty store; anything else without a version is not a trafnet store.
      std::unique_ptr<rocksdb::Iterator> it(
          impl->db->NewIterator(rocksdb::ReadOptions(), impl->cf[kMetaCf]));
      it->SeekToFirst();
      if (it->Valid() || !it->status().ok())
        return FailedPreconditionError(dir.string() + ": store has no schema version");
      return std::unique_ptr<Store>(new Store(std::move(impl)));
    }
    rocksdb::WriteOptions write_options;
    TRAFNET_RETURN_IF_ERROR(
        FromRocks(impl->db->Put(write_options, impl->cf[kMetaCf], std::string(kMetaSchemaVersion),
                                std::to_string(kSchemaVersion)),
                  "write schema version"));
  } else if (*version != std::to_string(kSchemaVersion)) {
    return FailedPreconditionError(dir.string() + ": store has schema version " + *version +
                                   ", this trafnet reads version " +
                                   std::to_string(kSchemaVersion));
  }
  TRAFNET_RETURN_IF_ERROR(impl->LoadMeta());
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Status Store::CatchUp() {
  if (impl_->options.secondary_dir.empty() || !impl_->options.read_only)
    return FailedPreconditionError("only a secondary instance catches up with a writer");
  rocksdb::Status caught_up = impl_->db->TryCatchUpWithPrimary();
  const bool family_added =
      std::any_of(kDerivedFamilies.begin(), kDerivedFamilies.end(), [&](ColumnFamily family) {
        return impl_->cf[family] == nullptr &&
               FamilyListed(impl_->dir, family) == std::optional<bool>(true);
      });
  if (!caught_up.ok() && family_added) {
    // A writer has created a derived family since this instance opened a store written before
    // it, and RocksDB cannot add a family to an open secondary instance: open the store again
    // (no read runs meanwhile, by this call's contract), keeping logs in a folder of its own
    // inside this one's.
    StoreOptions options = impl_->options;
    options.secondary_dir /= "reopened";
    TRAFNET_ASSIGN_OR_RETURN(std::unique_ptr<Store> reopened, Store::Open(impl_->dir, options));
    impl_ = std::move(reopened->impl_);
    return Status::Ok();
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(caught_up, "catch up with " + impl_->dir.string()));
  return impl_->LoadMeta();
}

StatusOr<std::optional<NodeId>> Store::FindNode(std::string_view kind, std::string_view key) const {
  TRAFNET_ASSIGN_OR_RETURN(auto value, impl_->Get(kNodeKeysCf, codec::NaturalKey(kind, key)));
  if (!value) return std::optional<NodeId>();
  if (value->size() != 8)
    return CorruptionError("node_keys entry for " + std::string(kind) + ":" + std::string(key));
  return std::optional<NodeId>(codec::GetBigEndian64(*value));
}

StatusOr<std::optional<NodeRecord>> Store::GetNode(NodeId id) const {
  TRAFNET_ASSIGN_OR_RETURN(auto value, impl_->Get(kNodesCf, codec::NodeIdKey(id)));
  if (!value) return std::optional<NodeRecord>();
  NodeRecord node;
  TRAFNET_RETURN_IF_ERROR(codec::DecodeNode(id, *value, node));
  return std::optional<NodeRecord>(std::move(node));
}

namespace {

// Ids of entries "text \0 id" in an index family whose text equals `text`.
StatusOr<std::vector<NodeId>> ScanIndex(const Store::Impl& impl, ColumnFamily family,
                                        std::string_view text) {
  std::string prefix(text);
  prefix.push_back('\0');
  std::unique_ptr<rocksdb::Iterator> it(
      impl.db->NewIterator(rocksdb::ReadOptions(), impl.cf[family]));
  std::vector<NodeId> ids;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() != prefix.size() + 8) continue;
    ids.push_back(codec::GetBigEndian64(std::string_view(it->key().data() + prefix.size(), 8)));
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan index"));
  return ids;
}

// Index entries whose key starts with `prefix`: (key, node id) in key order, at most `limit`.
StatusOr<std::vector<std::pair<std::string, NodeId>>> ScanIndexPrefix(const Store::Impl& impl,
                                                                      ColumnFamily family,
                                                                      std::string_view prefix,
                                                                      size_t limit) {
  const rocksdb::Slice wanted(prefix.data(), prefix.size());
  std::unique_ptr<rocksdb::Iterator> it(
      impl.db->NewIterator(rocksdb::ReadOptions(), impl.cf[family]));
  std::vector<std::pair<std::string, NodeId>> found;
  for (it->Seek(wanted); it->Valid() && it->key().starts_with(wanted) && found.size() < limit;
       it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    if (key.size() < 9 || key[key.size() - 9] != '\0') continue;  // text \0 8-byte id
    found.emplace_back(std::string(key.substr(0, key.size() - 9)),
                       codec::GetBigEndian64(key.substr(key.size() - 8)));
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan index"));
  return found;
}

}  // namespace

StatusOr<std::vector<NodeId>> Store::FindByNameKey(std::string_view key) const {
  return ScanIndex(*impl_, kNameIndexCf, key);
}

StatusOr<std::vector<std::pair<std::string, NodeId>>> Store::FindByNameKeyPrefix(
    std::string_view prefix, size_t limit) const {
  return ScanIndexPrefix(*impl_, kNameIndexCf, prefix, limit);
}

StatusOr<std::vector<std::pair<std::string, NodeId>>> Store::FindByAddressKeyPrefix(
    std::string_view prefix, size_t limit) const {
  return ScanIndexPrefix(*impl_, kAddressIndexCf, prefix, limit);
}

StatusOr<std::vector<NodeId>> Store::FindByAddressKey(std::string_view key) const {
  return ScanIndex(*impl_, kAddressIndexCf, key);
}

StoreReader::StoreReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StoreReader::~StoreReader() = default;

std::unique_ptr<StoreReader> Store::NewReader() const {
  auto impl = std::make_unique<StoreReader::Impl>();
  impl->store = impl_.get();
  impl->snapshot = impl_->GetSnapshot();
  impl->read.snapshot = impl->snapshot;
  return std::unique_ptr<StoreReader>(new StoreReader(std::move(impl)));
}

StatusOr<std::optional<NodeRecord>> StoreReader::GetNode(NodeId id) {
  TRAFNET_ASSIGN_OR_RETURN(auto value,
                           impl_->store->Get(kNodesCf, codec::NodeIdKey(id), impl_->snapshot));
  if (!value) return std::optional<NodeRecord>();
  NodeRecord node;
  TRAFNET_RETURN_IF_ERROR(codec::DecodeNode(id, *value, node));
  return std::optional<NodeRecord>(std::move(node));
}

StatusOr<std::vector<std::optional<NodeRecord>>> StoreReader::GetNodes(
    const std::vector<NodeId>& ids) {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (NodeId id : ids) keys.push_back(codec::NodeIdKey(id));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(ids.size());
  std::vector<rocksdb::Status> statuses(ids.size());
  impl_->store->db->MultiGet(impl_->read, impl_->store->cf[kNodesCf], ids.size(), slices.data(),
                             values.data(), statuses.data());
  std::vector<std::optional<NodeRecord>> nodes(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    TRAFNET_RETURN_IF_ERROR(FromRocks(statuses[i], "read nodes"));
    nodes[i].emplace();
    TRAFNET_RETURN_IF_ERROR(
        codec::DecodeNode(ids[i], std::string_view(values[i].data(), values[i].size()), *nodes[i]));
  }
  return nodes;
}

StatusOr<std::vector<Adjacency>> StoreReader::Neighbours(NodeId id) {
  const std::string prefix = codec::NodeIdKey(id);
  std::vector<Adjacency> result;
  for (ColumnFamily family : {kOutCf, kInCf}) {
    rocksdb::Iterator* it = impl_->Iterator(family);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      codec::AdjacencyParts parts;
      if (!codec::ParseAdjacencyKey(std::string_view(it->key().data(), it->key().size()), parts))
        return CorruptionError("bad adjacency key for node " + std::to_string(id));
      bool symmetric = !it->value().empty() && (it->value()[0] & codec::kFlagSymmetric);
      // A symmetric link is written in out from both ends; the in entries a store written before
      // 2026-12 also has for it repeat those.
      if (symmetric && family == kInCf) continue;
      result.push_back(Adjacency{impl_->TypeName(parts.type), parts.b, family == kOutCf, symmetric});
    }
    TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan adjacency"));
  }
  return result;
}

StatusOr<std::optional<LinkRecord>> StoreReader::GetLink(NodeId from, std::string_view type,
                                                         NodeId to) {
  codec::LinkTypeId type_id = 0;
  {
    std::lock_guard lock(impl_->store->mutex);
    auto it = impl_->store->type_ids.find(type);
    if (it == impl_->store->type_ids.end()) return std::optional<LinkRecord>();
    type_id = it->second;
  }
  if (IsSymmetricLinkType(type) && to < from) std::swap(from, to);
  const std::string prefix = codec::AdjacencyKey(from, type_id, to);
  rocksdb::Iterator* it = impl_->Iterator(kObservationsCf);
  LinkRecord link{from, to, std::string(type), {}};
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    codec::AdjacencyParts parts;
    Observation obs;
    if (!codec::ParseObservationKey(std::string_view(it->key().data(), it->key().size()), parts,
                                    obs)) {
      return CorruptionError("bad observation key");
    }
    TRAFNET_RETURN_IF_ERROR(codec::DecodeObservationValue(
        std::string_view(it->value().data(), it->value().size()), obs));
    link.observations.push_back(std::move(obs));
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan observations"));
  if (link.observations.empty()) return std::optional<LinkRecord>();
  return std::optional<LinkRecord>(std::move(link));
}

StatusOr<std::vector<Adjacency>> Store::Neighbours(NodeId id) const {
  return NewReader()->Neighbours(id);
}

StatusOr<std::optional<LinkRecord>> Store::GetLink(NodeId from, std::string_view type,
                                                   NodeId to) const {
  return NewReader()->GetLink(from, type, to);
}

Status Store::ForEachNode(const std::function<Status(const NodeRecord&)>& fn) const {
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read_options, impl_->cf[kNodesCf]));
  NodeRecord node;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 8) return CorruptionError("bad node key");
    NodeId id = codec::GetBigEndian64(std::string_view(it->key().data(), 8));
    TRAFNET_RETURN_IF_ERROR(
        codec::DecodeNode(id, std::string_view(it->value().data(), it->value().size()), node));
    TRAFNET_RETURN_IF_ERROR(fn(node));
  }
  return FromRocks(it->status(), "scan nodes");
}

Status Store::ForEachLink(const std::function<Status(const LinkRecord&)>& fn) const {
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(read_options, impl_->cf[kObservationsCf]));
  LinkRecord link;
  std::string current;
  bool have = false;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    codec::AdjacencyParts parts;
    Observation obs;
    std::string_view key(it->key().data(), it->key().size());
    if (!codec::ParseObservationKey(key, parts, obs)) return CorruptionError("bad observation key");
    TRAFNET_RETURN_IF_ERROR(codec::DecodeObservationValue(
        std::string_view(it->value().data(), it->value().size()), obs));
    std::string_view link_key = key.substr(0, codec::kLinkKeyBytes);
    if (!have || link_key != current) {
      if (have) TRAFNET_RETURN_IF_ERROR(fn(link));
      current.assign(link_key);
      have = true;
      link.from = parts.a;
      link.to = parts.b;
      {
        std::lock_guard lock(impl_->mutex);
        link.type = impl_->TypeName(parts.type);
      }
      link.observations.clear();
    }
    link.observations.push_back(std::move(obs));
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan observations"));
  if (have) TRAFNET_RETURN_IF_ERROR(fn(link));
  return Status::Ok();
}

StoreCounts Store::counts() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counts;
}

uint64_t Store::SizeOnDisk() const {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(impl_->dir, ec)) {
    auto ext = entry.path().extension();
    if (entry.is_regular_file(ec) && (ext == ".sst" || ext == ".log" || ext == ".blob")) {
      total += entry.file_size(ec);
    }
  }
  return total;
}

Status Store::Flush() {
  std::vector<rocksdb::ColumnFamilyHandle*> handles(impl_->cf.begin(), impl_->cf.end());
  return FromRocks(impl_->db->Flush(rocksdb::FlushOptions(), handles), "flush");
}

StatusOr<uint64_t> Store::BeginIngestRun(std::string json) {
  std::lock_guard lock(impl_->mutex);
  TRAFNET_ASSIGN_OR_RETURN(auto next, impl_->Get(kMetaCf, kMetaNextRun));
  uint64_t run = next && next->size() == 8 ? codec::GetBigEndian64(*next) : 1;
  rocksdb::WriteBatch batch;
  std::string next_value;
  codec::PutBigEndian64(next_value, run + 1);
  std::string run_key(kMetaRunPrefix);
  codec::PutBigEndian64(run_key, run);
  TRAFNET_RETURN_IF_ERROR(
      FromRocks(batch.Put(impl_->cf[kMetaCf], std::string(kMetaNextRun), next_value), "batch"));
  TRAFNET_RETURN_IF_ERROR(FromRocks(batch.Put(impl_->cf[kMetaCf], run_key, json), "batch"));
  TRAFNET_RETURN_IF_ERROR(
      FromRocks(impl_->db->Write(rocksdb::WriteOptions(), &batch), "record ingest run"));
  return run;
}

Status Store::FinishIngestRun(uint64_t run, std::string json) {
  std::string run_key(kMetaRunPrefix);
  codec::PutBigEndian64(run_key, run);
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocks(impl_->db->Put(write_options, impl_->cf[kMetaCf], run_key, json),
                   "record ingest run");
}

StatusOr<std::vector<IngestRunRecord>> Store::IngestRuns() const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf[kMetaCf]));
  std::vector<IngestRunRecord> runs;
  std::string prefix(kMetaRunPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() != prefix.size() + 8) continue;
    runs.push_back(IngestRunRecord{
        codec::GetBigEndian64(std::string_view(it->key().data() + prefix.size(), 8)),
        it->value().ToString()});
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "read ingest runs"));
  return runs;
}

}  // namespace trafnet::storage
