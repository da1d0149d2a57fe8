#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/strings/string_view.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "external_sorter.h"
#include "key_sort.h"
#include "link_totals.h"
#include "node_heads.h"
#include "step_reporter.h"
#include "store_impl.h"
#include "trafnet/base/bounded_queue.h"

namespace trafnet::storage {

namespace {




std::string* FindField(Fields& fields, std::string_view name) {
  for (auto& [field_name, value] : fields) {
    if (field_name == name) return &value;
  }
  return nullptr;
}

// Natural keys resolved to node ids: one hash map per node kind, keyed by the natural key
// alone. Record ids and E.164 numbers then fit in std::string's inline buffer (15 bytes), so a
// probe compares keys inside the table's slot instead of following a pointer to the heap: one
// cache miss a lookup instead of two, for the millions of link ends an ingest resolves.
class ResolvedKeys {
 public:
  const NodeId* Find(std::string_view kind, std::string_view key) const {
    const Map* map = MapOf(kind);
    if (map == nullptr) return nullptr;
    auto it = map->find(absl::string_view(key.data(), key.size()));
    return it == map->end() ? nullptr : &it->second;
  }
  void Prefetch(std::string_view kind, std::string_view key) const {
    if (const Map* map = MapOf(kind)) map->prefetch(absl::string_view(key.data(), key.size()));
  }
  // Adds the key, or (`replace`) sets its id if it is there already.
  void Add(std::string_view kind, std::string_view key, NodeId id, bool replace = false) {
    Map& map = MapFor(kind);
    auto [it, added] = map.try_emplace(absl::string_view(key.data(), key.size()), id);
    if (added) {
      ++size_;
    } else if (replace) {
      it->second = id;
    }
  }
  void Reserve(std::string_view kind, size_t more) {
    Map& map = MapFor(kind);
    map.reserve(map.size() + more);
  }
  size_t size() const { return size_; }
  void clear() {
    maps_.clear();
    size_ = 0;
  }

 private:
  using Map = absl::flat_hash_map<std::string, NodeId>;
  // A handful of kinds: a short list searched in order beats hashing the kind.
  const Map* MapOf(std::string_view kind) const {
    for (const auto& [name, map] : maps_) {
      if (name == kind) return map.get();
    }
    return nullptr;
  }
  Map& MapFor(std::string_view kind) {
    if (const Map* map = MapOf(kind)) return *const_cast<Map*>(map);
    return *maps_.emplace_back(std::string(kind), std::make_unique<Map>()).second;
  }
  std::vector<std::pair<std::string, std::unique_ptr<Map>>> maps_;
  size_t size_ = 0;
};

}  // namespace

struct ChangeSet::Impl {
  Store::Impl& store;
  bool broken = false;
  NodeId next_id = 0;
  // Natural keys resolved so far, pending or stored.
  ResolvedKeys resolved;
  // True while `resolved` holds every node of the store: the store had none when the change set
  // began and nothing was forgotten since, so a key missing from it needs no RocksDB lookup (a
  // first load into an empty store).
  bool resolved_complete = false;
  // Lookups that went to RocksDB; past StoreOptions::preload_keys_after_lookups the keys are
  // read in one scan (once per change set).
  size_t stored_lookups = 0;
  bool preloaded = false;
  struct PendingNode {
    NodeRecord record;
    bool is_new = false;
    // Its head (node_heads: kind, key, status) differs from the stored one: it is new or its
    // status was filled in.
    bool head_changed = false;
    // Once committed, its record is kept in `committed_records` (see Remembers).
    bool remember = false;
  };
  // Whether a node an upsert makes or merges is remembered once committed: link ends (a
  // kKeepExisting upsert) and phones, which link rows go on reporting from other sources (on
  // the 1M-person world 471 000 merges into committed link-end phones, besides those into the
  // phones of phones.csv).
  static bool Remembers(std::string_view kind, MergePolicy policy) {
    return policy == MergePolicy::kKeepExisting || kind == kPhoneKind;
  }
  std::unordered_map<NodeId, PendingNode> nodes;
  // Records this change set committed for nodes marked `remember`, as written, so that merging
  // into one again (a phone gaining a source) decodes them from here instead of reading the
  // store: on the 1M-person world 471 000 reads, each through the filters of several LSM levels.
  // Only this change set writes records while it is open (Store::NewChangeSet), so these are what
  // the store holds; a record written again replaces its entry (or drops it). Emptied past
  // StoreOptions::resolved_cache_entries entries or kCommittedRecordBytes, and when the change
  // set breaks (about 140 MB for the 1.1M phones of the 1M-person world).
  absl::flat_hash_map<NodeId, std::string> committed_records;
  size_t committed_record_bytes = 0;  // their values, and about what an entry costs besides
  static constexpr size_t kCommittedRecordBytes = size_t{256} << 20;
  static constexpr size_t kCommittedRecordOverhead = 64;
  void ForgetCommittedRecords() {
    committed_records.clear();
    committed_record_bytes = 0;
  }
  // What a commit wrote, for committed_records: the records to remember with their encoding,
  // and those remembered before that are not to be any more with none.
  using WrittenRecords = std::vector<std::pair<NodeId, std::string>>;
  void Remember(WrittenRecords& written) {
    for (auto& [id, value] : written) {
      auto held = committed_records.find(id);
      if (held != committed_records.end()) {
        committed_record_bytes -= held->second.size() + kCommittedRecordOverhead;
        committed_records.erase(held);
      }
      if (value.empty()) continue;
      if (committed_records.size() >= store.options.resolved_cache_entries ||
          committed_record_bytes >= kCommittedRecordBytes) {
        ForgetCommittedRecords();
      }
      committed_record_bytes += value.size() + kCommittedRecordOverhead;
      committed_records.emplace(id, std::move(value));
    }
    written.clear();
  }
  // The observations this change set makes, keyed link key (canonical ends) + source, start,
  // end, in row order, repeats included, spilled to disk past a buffer. At commit they come out
  // in key order and are merged with what is stored: which links and observations are new is
  // settled for all of them in one ordered pass.
  ExternalSorter observations;
  std::string scratch;  // an observation key being built
  LinkChanges changes;
  // Nodes a kKeepExisting upsert already brought up to date with these field names and source:
  // the same upsert again cannot change them (a phone seen in thousands of link rows).
  absl::flat_hash_set<std::string> settled;
  std::map<std::string, codec::LinkTypeId, std::less<>> new_types;
  StoreCounts delta;
  // The listener of the Commit() under way (empty otherwise); only the committing thread calls it.
  StepProgressFn progress;

  explicit Impl(Store::Impl& s)
      : store(s), observations(s.dir / kStagingDir, "observations", s.options.sort_buffer_bytes) {
    std::lock_guard lock(store.mutex);
    next_id = store.next_node_id;
    resolved_complete = next_id == 0;
  }

  // Link types' ids: an id once given never changes (a failed commit breaks the change set), so
  // they are kept here once asked for, which spares every link the store's lock and map.
  absl::flat_hash_map<std::string, codec::LinkTypeId> type_id_cache;
  StatusOr<codec::LinkTypeId> TypeId(std::string_view type) {
    auto cached = type_id_cache.find(absl::string_view(type.data(), type.size()));
    if (cached != type_id_cache.end()) return cached->second;
    TRAFNET_ASSIGN_OR_RETURN(codec::LinkTypeId id, LookUpTypeId(type));
    type_id_cache.emplace(std::string(type), id);
    return id;
  }
  StatusOr<codec::LinkTypeId> LookUpTypeId(std::string_view type) {
    {
      std::lock_guard lock(store.mutex);
      auto it = store.type_ids.find(type);
      if (it != store.type_ids.end()) return it->second;
    }
    auto it = new_types.find(type);
    if (it != new_types.end()) return it->second;
    size_t next;
    {
      std::lock_guard lock(store.mutex);
      next = store.type_ids.size() + new_types.size() + 1;
    }
    if (next > 0xffff) return InvalidArgumentError("too many link types (at most 65535)");
    auto id = static_cast<codec::LinkTypeId>(next);
    new_types.emplace(std::string(type), id);
    return id;
  }

  // A node-only commit running on another thread (ChangeSet::CommitNodesInBackground): the
  // records it writes stay readable, and are never changed, until it is done.
  struct InFlight {
    std::unordered_map<NodeId, PendingNode> nodes;
    StoreCounts delta;
    NodeId next_id = 0;
    WrittenRecords written;  // filled by the commit, read once it is done
    std::future<Status> done;
  };
  std::unique_ptr<InFlight> in_flight;

  // The commit proper; Commit() marks the change set broken when it fails. Without
  // observations it writes nodes only and keeps the observations pending.
  Status CommitPending(bool with_observations);
  Status CommitChecked(bool with_observations);
  // Writes `nodes` (with their index entries), the pending observations when
  // `with_observations` (adding their link and observation counts to `delta`, which must then
  // be this change set's own), `new_types` and the counters plus `delta`, atomically, and
  // records the new counts, next id and types in the store. Touches no other member, so a
  // node-only commit can run on another thread while rows go on being handled.
  // Each node record it writes goes to `written` (see WrittenRecords).
  Status WriteCommit(const std::unordered_map<NodeId, PendingNode>& nodes, bool with_observations,
                     const std::map<std::string, codec::LinkTypeId, std::less<>>& new_types,
                     StoreCounts& delta, NodeId next_node_id, LinkChanges& changes,
                     WrittenRecords& written);
  // After a failed commit: nothing more is accepted, and what was resolved or pending (which
  // may name nodes that were never written) is dropped.
  void Break() {
    broken = true;
    type_id_cache.clear();
    resolved.clear();
    resolved_complete = false;
    settled.clear();
    ForgetCommittedRecords();
    observations.Clear();
  }
  // Waits for the node-only commit in flight, if any; its status.
  Status WaitInFlight() {
    if (!in_flight) return Status::Ok();
    Status status = in_flight->done.get();
    if (status.ok()) Remember(in_flight->written);
    in_flight.reset();
    return status;
  }
  // With `summaries`, also rewrites the link_summaries value of every node whose links change.
  Status MergeObservations(CommitWriter& writer, ExternalSorter& out, ExternalSorter& in,
                           const std::vector<std::string>& type_names,
                           const std::vector<bool>& symmetric, bool summaries,
                           LinkChanges& changes);

  // Gives back the memory of `resolved` (past StoreOptions::resolved_cache_entries), keeping the keys of nodes not
  // yet committed: the store cannot find those, and forgetting them would create them twice.
  void ForgetResolved() {
    resolved.clear();
    resolved_complete = false;
    for (const auto& [id, pending] : nodes) {
      if (pending.is_new) resolved.Add(pending.record.kind, pending.record.key, id);
    }
    if (in_flight) {
      for (const auto& [id, pending] : in_flight->nodes) {
        if (pending.is_new) resolved.Add(pending.record.kind, pending.record.key, id);
      }
    }
  }

  // Reads every stored natural key into `resolved`, making it complete, when they fit.
  Status PreloadKeys() {
    preloaded = true;
    uint64_t stored_nodes;
    std::map<std::string, uint64_t> stored_by_kind;
    {
      std::lock_guard lock(store.mutex);
      stored_nodes = store.counts.nodes;
      stored_by_kind = store.counts.nodes_by_kind;
    }
    if (resolved.size() + stored_nodes > store.options.resolved_cache_entries) return Status::Ok();
    for (const auto& [kind, n] : stored_by_kind) resolved.Reserve(kind, n);
    std::unique_ptr<rocksdb::Iterator> it(store.db->NewIterator(rocksdb::ReadOptions(), store.cf[kNodeKeysCf]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->value().size() != 8) {
        return CorruptionError("node_keys entry " + it->key().ToString() + " does not hold a node id");
      }
      // Keys already resolved (nodes of this change set not yet committed among them) stay.
      std::string_view natural(it->key().data(), it->key().size());
      const size_t separator = natural.find('\0');
      if (separator == std::string_view::npos) {
        return CorruptionError("node_keys entry " + it->key().ToString() + " has no kind");
      }
      resolved.Add(natural.substr(0, separator), natural.substr(separator + 1),
                   codec::GetBigEndian64(std::string_view(it->value().data(), 8)));
    }
    TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "read natural keys"));
    resolved_complete = true;
    return Status::Ok();
  }

  void Reset(bool with_observations) {
    nodes.clear();
    if (with_observations) observations.Clear();
    new_types.clear();
    delta = StoreCounts();
  }
};

ChangeSet::ChangeSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ChangeSet::~ChangeSet() {
  // A destructor cannot report a failure: a caller that wants to know commits (Commit or
  // CommitNodes) before letting the change set go. All or nothing of it is in the store.
  (void)impl_->WaitInFlight();
  std::lock_guard lock(impl_->store.mutex);
  impl_->store.change_set_open = false;
}

std::unique_ptr<ChangeSet> Store::NewChangeSet() {
  {
    std::lock_guard lock(impl_->mutex);
    assert(!impl_->change_set_open && "only one ChangeSet at a time");
    assert(!impl_->options.read_only);
    impl_->change_set_open = true;
  }
  return std::unique_ptr<ChangeSet>(new ChangeSet(std::make_unique<ChangeSet::Impl>(*impl_)));
}

size_t ChangeSet::pending_nodes() const { return impl_->nodes.size(); }

size_t ChangeSet::pending_operations() const {
  return impl_->nodes.size() + impl_->observations.size();
}

StatusOr<std::optional<NodeId>> ChangeSet::FindNode(std::string_view kind, std::string_view key) {
  if (const NodeId* id = impl_->resolved.Find(kind, key)) return std::optional<NodeId>(*id);
  if (impl_->resolved_complete) return std::optional<NodeId>();
  const size_t preload_after = impl_->store.options.preload_keys_after_lookups;
  if (!impl_->preloaded && preload_after > 0 && ++impl_->stored_lookups >= preload_after) {
    TRAFNET_RETURN_IF_ERROR(impl_->PreloadKeys());
    if (impl_->resolved_complete) {
      if (const NodeId* id = impl_->resolved.Find(kind, key)) return std::optional<NodeId>(*id);
      return std::optional<NodeId>();
    }
  }
  TRAFNET_ASSIGN_OR_RETURN(auto value, impl_->store.Get(kNodeKeysCf, codec::NaturalKey(kind, key)));
  if (!value) return std::optional<NodeId>();
  if (value->size() != 8) return CorruptionError("node_keys entry for " + std::string(kind) + ":" + std::string(key));
  NodeId id = codec::GetBigEndian64(*value);
  if (impl_->resolved.size() >= impl_->store.options.resolved_cache_entries) impl_->ForgetResolved();
  impl_->resolved.Add(kind, key, id);
  return std::optional<NodeId>(id);
}

void ChangeSet::PrefetchNode(std::string_view kind, std::string_view key) const {
  impl_->resolved.Prefetch(kind, key);
}

StatusOr<NodeUpsert> ChangeSet::UpsertNode(std::string_view kind, std::string_view key,
                                           Fields fields, Fields derived,
                                           std::string_view source, MergePolicy policy) {
  if (impl_->broken) return FailedPreconditionError("change set unusable after a failed commit");
  if (!IsValidNodeKind(kind)) return InvalidArgumentError("invalid node kind '" + std::string(kind) + "'");
  if (key.empty()) return InvalidArgumentError("empty " + std::string(kind) + " key");
  const size_t claimed = fields.size();
  for (auto& field : derived) fields.push_back(std::move(field));

  TRAFNET_ASSIGN_OR_RETURN(auto existing, FindNode(kind, key));
  if (!existing) {
    NodeId id = impl_->next_id++;
    NodeRecord record;
    record.id = id;
    record.kind = std::string(kind);
    record.key = std::string(key);
    for (auto& field : fields) {
      if (!field.second.empty() && FindField(record.fields, field.first) == nullptr) {
        record.fields.push_back(std::move(field));
      }
    }
    if (!source.empty()) {
      record.sources.emplace_back(source);
      ++impl_->delta.nodes_by_source[std::string(source)];
    }
    ++impl_->delta.nodes_by_kind[record.kind];
    impl_->nodes[id] =
        Impl::PendingNode{std::move(record), true, true, Impl::Remembers(kind, policy)};
    if (impl_->resolved.size() >= impl_->store.options.resolved_cache_entries) impl_->ForgetResolved();
    impl_->resolved.Add(kind, key, id, /*replace=*/true);
    return NodeUpsert{id, NodeChange::kAdded};
  }

  NodeId id = *existing;
  std::string settled_key;
  if (policy == MergePolicy::kKeepExisting) {
    settled_key = codec::NodeIdKey(id);
    settled_key.append(source);
    for (const auto& [name, value] : fields) {
      if (value.empty()) continue;
      settled_key.push_back('\0');
      settled_key.append(name);
    }
    if (impl_->settled.contains(settled_key)) return NodeUpsert{id, NodeChange::kUnchanged};
    if (impl_->settled.size() >= impl_->store.options.resolved_cache_entries) impl_->settled.clear();
    // Whatever happens below, afterwards the node holds a value for each of these fields and
    // this source, so the same upsert again is a no-op.
    impl_->settled.insert(settled_key);
  }
  auto pending = impl_->nodes.find(id);
  // A pending record is merged into in place when nothing below can fail part way (keeping
  // existing values never conflicts); otherwise on a copy, so a conflict leaves it as it was.
  const bool in_place = pending != impl_->nodes.end() && policy == MergePolicy::kKeepExisting;
  // A record a node-only commit is writing right now is read from there, not from the store,
  // and merged on a copy (that commit writes its natural key, so the copy is not new).
  const Impl::PendingNode* flying = nullptr;
  if (pending == impl_->nodes.end() && impl_->in_flight) {
    auto found = impl_->in_flight->nodes.find(id);
    if (found != impl_->in_flight->nodes.end()) flying = &found->second;
  }
  NodeRecord copy;
  if (pending != impl_->nodes.end()) {
    if (!in_place) copy = pending->second.record;
  } else if (flying != nullptr) {
    copy = flying->record;
  } else if (auto remembered = impl_->committed_records.find(id);
             remembered != impl_->committed_records.end()) {
    TRAFNET_RETURN_IF_ERROR(codec::DecodeNode(id, remembered->second, copy));
  } else {
    TRAFNET_ASSIGN_OR_RETURN(auto value, impl_->store.Get(kNodesCf, codec::NodeIdKey(id)));
    if (!value) return CorruptionError(std::string(kind) + ":" + std::string(key) + " is indexed as node " + std::to_string(id) + " which does not exist; run trafnet verify");
    TRAFNET_RETURN_IF_ERROR(codec::DecodeNode(id, *value, copy));
  }
  NodeRecord& merged = in_place ? pending->second.record : copy;
  bool changed = false, status_changed = false;
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& [name, value] = fields[i];
    if (value.empty()) continue;
    std::string* current = FindField(merged.fields, name);
    if (current == nullptr) {
      merged.fields.emplace_back(name, value);
      changed = true;
      status_changed |= name == kStatusField;
    } else if (current->empty()) {
      *current = value;
      changed = true;
      status_changed |= name == kStatusField;
    } else if (*current != value && policy == MergePolicy::kRejectConflicts && i < claimed) {
      return InvalidArgumentError(std::string(kind) + ":" + std::string(key) +
                                  " is already stored with " + name + " '" + *current +
                                  "', this row says '" + value + "'");
    }
  }
  if (!source.empty()) {
    auto pos = std::lower_bound(merged.sources.begin(), merged.sources.end(), source);
    if (pos == merged.sources.end() || *pos != source) {
      merged.sources.insert(pos, std::string(source));
      ++impl_->delta.nodes_by_source[std::string(source)];
      changed = true;
    }
  }
  if (!changed) return NodeUpsert{id, NodeChange::kUnchanged};
  const bool remember = Impl::Remembers(kind, policy);
  if (in_place) {
    pending->second.head_changed |= status_changed;
    pending->second.remember |= remember;
    return NodeUpsert{id, NodeChange::kMerged};
  }
  // (A node-only commit in flight writes the head of its own copy.)
  bool is_new = pending != impl_->nodes.end() && pending->second.is_new;
  bool head_changed =
      status_changed || (pending != impl_->nodes.end() && pending->second.head_changed);
  impl_->nodes[id] =
      Impl::PendingNode{std::move(copy), is_new, head_changed,
                        remember || (pending != impl_->nodes.end() && pending->second.remember)};
  return NodeUpsert{id, NodeChange::kMerged};
}

Status ChangeSet::PutLink(NodeId from, std::string_view type, NodeId to,
                         const Observation& observation) {
  if (impl_->broken) return FailedPreconditionError("change set unusable after a failed commit");
  if (!IsValidLinkType(type)) {
    return InvalidArgumentError("link type '" + std::string(type) + "' is not an upper-case word");
  }
  if (observation.count == 0) return InvalidArgumentError("observation count must be positive");
  if (from >= impl_->next_id || to >= impl_->next_id) {
    return InvalidArgumentError("link end is not a node of this store");
  }
  bool symmetric = IsSymmetricLinkType(type);
  if (symmetric && to < from) std::swap(from, to);
  TRAFNET_ASSIGN_OR_RETURN(codec::LinkTypeId type_id, impl_->TypeId(type));
  std::string& key = impl_->scratch;
  key.clear();
  codec::AppendAdjacencyKey(key, from, type_id, to);
  key.append(observation.source).push_back('\0');
  key.append(observation.start).push_back('\0');
  key.append(observation.end);
  return impl_->observations.Add(key, codec::EncodeObservationValue(observation));
}

const LinkChanges& ChangeSet::link_changes() const { return impl_->changes; }

namespace {

// The order in which to write `writes` (keys ascending). Node, index and meta writes name each
// key once (a node is written once per commit, an index entry carries its node's id); a repeat
// would be a bug, not a last-write-wins: WriteInOrder refuses it.
std::vector<uint32_t> SortedOrder(const SortedWrites& writes) {
  auto less = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (std::is_sorted(writes.begin(), writes.end(), less)) {
    std::vector<uint32_t> order(writes.size());
    for (size_t i = 0; i < writes.size(); ++i) order[i] = static_cast<uint32_t>(i);
    return order;
  }
  return SortedKeyOrder(static_cast<uint32_t>(writes.size()),
                        [&writes](uint32_t i) { return std::string_view(writes[i].first); });
}

// Writes `writes` to `family` in key order. A key written twice is an error; it is caught while
// writing, where the previous key is still in the cache (a pass of its own over the sorted keys
// cost a cache miss a key: some 9M of them for the 1M persons of a world).
Status WriteInOrder(CommitWriter& writer, ColumnFamily family, const SortedWrites& writes) {
  const std::vector<uint32_t> order = SortedOrder(writes);
  std::string_view previous;
  for (size_t i = 0; i < order.size(); ++i) {
    const auto& [key, value] = writes[order[i]];
    if (i > 0 && key == previous) {
      return InternalError(std::string("commit writes one key twice in ") + kColumnFamilyNames[family]);
    }
    TRAFNET_RETURN_IF_ERROR(writer.Put(family, key, value));
    previous = key;
  }
  return Status::Ok();
}

// Walks one column family forward to keys given in increasing order: a few Next() steps when the
// target is near, a Seek when it is not. Targets beyond the last key cost nothing.
class ForwardCursor {
 public:
  ForwardCursor(Store::Impl& store, ColumnFamily family)
      : it_(store.db->NewIterator(rocksdb::ReadOptions(), store.cf[family])),
        context_(std::string("read stored ") + kColumnFamilyNames[family]) {}

  // Positions at the first key >= target; false when there is none.
  bool SeekForward(std::string_view target) {
    if (exhausted_) return false;
    if (!started_) {
      started_ = true;
      it_->Seek(rocksdb::Slice(target.data(), target.size()));
    } else {
      for (int step = 0; it_->Valid() && Key() < target; ++step) {
        if (step == kMaxSteps) {
          it_->Seek(rocksdb::Slice(target.data(), target.size()));
          break;
        }
        it_->Next();
      }
    }
    exhausted_ = !it_->Valid();
    return !exhausted_;
  }
  // Moves to the next key; false at the end.
  bool Next() {
    it_->Next();
    exhausted_ = !it_->Valid();
    return !exhausted_;
  }
  std::string_view Key() const { return {it_->key().data(), it_->key().size()}; }
  std::string_view Value() const { return {it_->value().data(), it_->value().size()}; }
  Status status() const { return FromRocks(it_->status(), context_); }

 private:
  // A Next() costs a few dozen nanoseconds, a Seek a microsecond or two.
  static constexpr int kMaxSteps = 24;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string context_;
  bool started_ = false;
  bool exhausted_ = false;
};

// Writes a sorter's records to one family in key order, each key once (the last added wins).
// `tick` hears the number of records read so far every StepReporter::kEvery records.
Status DrainSorted(ExternalSorter& sorter, ColumnFamily family, CommitWriter& writer,
                   const std::function<void(uint64_t)>& tick) {
  TRAFNET_RETURN_IF_ERROR(sorter.StartReading());
  std::string previous;
  bool first = true;
  uint64_t read = 0;
  while (sorter.Valid()) {
    if (++read % StepReporter::kEvery == 0) tick(read);
    std::string_view key = sorter.key();
    if (first || key != previous) {
      TRAFNET_RETURN_IF_ERROR(writer.Put(family, key, sorter.value()));
      previous.assign(key);
      first = false;
    }
    TRAFNET_RETURN_IF_ERROR(sorter.Next());
  }
  return Status::Ok();
}

// Runs `first` on another thread and `second` on this one when `side_by_side` (a bulk commit,
// where each family has its own file), else one after the other; the first error, or Ok.
Status RunBoth(bool side_by_side, const std::function<Status()>& first,
               const std::function<Status()>& second) {
  if (!side_by_side) {
    TRAFNET_RETURN_IF_ERROR(first());
    return second();
  }
  auto first_done = std::async(std::launch::async, first);
  Status second_status = second();
  Status first_status = first_done.get();
  TRAFNET_RETURN_IF_ERROR(first_status);
  return second_status;
}

// A bulk commit's puts handed, in order and in batches, to a thread of their own, so that
// building and compressing the SST blocks runs beside the merge that produces the writes
// (in a commit of millions of observations that merge keeps one core busy and the other
// idle). Each family's puts stay in the order given. A small commit (a WriteBatch) puts at
// once. Errors surface at Finish, which must be called before the writer finishes.
class BackgroundPuts {
 public:
  explicit BackgroundPuts(CommitWriter& writer) : writer_(writer) {
    if (writer_.bulk()) thread_ = std::thread([this] { Run(); });
  }
  ~BackgroundPuts() {
    if (!thread_.joinable()) return;
    queue_.Stop();
    queue_.Close();
    thread_.join();
  }
  BackgroundPuts(const BackgroundPuts&) = delete;
  BackgroundPuts& operator=(const BackgroundPuts&) = delete;

  Status Put(ColumnFamily family, std::string_view key, std::string_view value) {
    if (!thread_.joinable()) return writer_.Put(family, key, value);
    batch_->entries.push_back(Entry{family, static_cast<uint32_t>(batch_->bytes.size()),
                                    static_cast<uint32_t>(key.size()),
                                    static_cast<uint32_t>(value.size())});
    batch_->bytes.append(key);
    batch_->bytes.append(value);
    if (batch_->bytes.size() >= kBatchBytes) HandOver();
    return Status::Ok();
  }

  // Waits for every put; the first error, or Ok.
  Status Finish() {
    if (!thread_.joinable()) return Status::Ok();
    HandOver();
    queue_.Close();
    thread_.join();
    return status_;
  }

 private:
  struct Entry {
    ColumnFamily family;
    uint32_t at, key_size, value_size;
  };
  struct Batch {
    std::string bytes;
    std::vector<Entry> entries;
  };
  static constexpr size_t kBatchBytes = 1 << 20;

  void HandOver() {
    if (batch_->entries.empty()) return;
    queue_.Push(std::move(batch_));  // (false once the writer stopped on an error: dropped)
    batch_ = std::make_unique<Batch>();
  }
  void Run() {
    while (std::optional<std::unique_ptr<Batch>> batch = queue_.Pop()) {
      const std::string_view bytes((*batch)->bytes);
      for (const Entry& entry : (*batch)->entries) {
        status_ = writer_.Put(entry.family, bytes.substr(entry.at, entry.key_size),
                              bytes.substr(entry.at + entry.key_size, entry.value_size));
        if (!status_.ok()) {
          queue_.Stop();
          return;
        }
      }
    }
  }

  CommitWriter& writer_;
  BoundedQueue<std::unique_ptr<Batch>> queue_{4};
  std::unique_ptr<Batch> batch_ = std::make_unique<Batch>();
  Status status_;  // the writer thread's; read after it is joined
  std::thread thread_;
};

// The count of an encoded observation value.
Status ObservationCount(std::string_view value, uint64_t& count) {
  codec::Reader reader(value.substr(std::min<size_t>(1, value.size())));
  if (value.empty() || !reader.Varint(count)) return CorruptionError("bad observation value");
  return Status::Ok();
}

// Above this many writes a commit goes through SST files instead of a WriteBatch.
constexpr size_t kSstCommitThreshold = 50'000;

}  // namespace

// Merges the pending observations (in key order) with the stored ones: counts what is new,
// changed or repeated, writes what is not exactly as stored, and queues the adjacency entries of
// links that are new. With `summaries` it adds what changes to the stored totals of each link
// (read beside the observations with a cursor of their own, since both are in node order) and
// writes each touched node's totals again.
Status ChangeSet::Impl::MergeObservations(CommitWriter& writer, ExternalSorter& out,
                                          ExternalSorter& in,
                                          const std::vector<std::string>& type_names,
                                          const std::vector<bool>& symmetric, bool summaries,
                                          LinkChanges& changes) {
  Impl& cs = *this;
  ExternalSorter& pending = cs.observations;
  StepReporter reporter(cs.progress);
  reporter.Begin(kCommitStepObservations, pending.size());
  TRAFNET_RETURN_IF_ERROR(pending.StartReading());
  ForwardCursor stored(cs.store, kObservationsCf);
  std::string link;  // the current link key
  bool link_stored = false;
  std::string key, value;
  std::string mirrored;
  // Counted here, without a map lookup per record, and added to the change set's delta at the end.
  std::vector<uint64_t> links_by_type(type_names.size());
  absl::flat_hash_map<std::string, uint64_t> observations_by_source;
  const char flags_directed[1] = {'\0'};
  const char flags_symmetric[1] = {codec::kFlagSymmetric};
  codec::AdjacencyParts parts;  // of `link`
  // What this commit adds to the totals of the links of node `totals_node`, in link order.
  std::optional<ForwardCursor> stored_totals;
  if (summaries) stored_totals.emplace(cs.store, kLinkSummariesCf);
  std::optional<NodeId> totals_node;
  std::vector<LinkTotals> added, totals;
  BackgroundPuts puts(writer);
  // The chunk of summaries being written again (docs/storage.md): its stored value, read node
  // by node beside the new one, whose sections are copied as they are but for the nodes this
  // commit adds to.
  std::optional<NodeId> chunk;  // its first id
  std::string chunk_stored, chunk_value;
  std::optional<LinkSummaryChunkReader> chunk_reader;
  NodeId stored_node = 0;
  std::string_view stored_section;
  bool has_stored_section = false;
  auto next_stored_section = [&]() {
    has_stored_section = chunk_reader && chunk_reader->Next(stored_node, stored_section);
  };
  auto finish_chunk = [&]() -> Status {
    if (!chunk) return Status::Ok();
    for (; has_stored_section; next_stored_section())
      AppendLinkSection(chunk_value, *chunk, stored_node, stored_section);
    if (chunk_reader && chunk_reader->corrupt()) {
      return CorruptionError("link summaries of chunk " + std::to_string(*chunk) +
                             ": malformed value");
    }
    Status put = puts.Put(kLinkSummariesCf, codec::NodeIdKey(*chunk), chunk_value);
    chunk.reset();
    chunk_reader.reset();
    return put;
  };
  auto write_totals = [&]() -> Status {
    if (added.empty()) return Status::Ok();
    const NodeId node = *totals_node;
    if (chunk != NodeChunkOf(node)) {
      TRAFNET_RETURN_IF_ERROR(finish_chunk());
      chunk = NodeChunkOf(node);
      chunk_value = StartLinkSummaryChunk();
      const std::string chunk_key = codec::NodeIdKey(*chunk);
      chunk_stored.clear();
      if (stored_totals->SeekForward(chunk_key) && stored_totals->Key() == chunk_key) {
        chunk_stored.assign(stored_totals->Value());
        chunk_reader.emplace(*chunk, chunk_stored);
      }
      next_stored_section();
    }
    for (; has_stored_section && stored_node < node; next_stored_section())
      AppendLinkSection(chunk_value, *chunk, stored_node, stored_section);
    totals.clear();
    if (has_stored_section && stored_node == node) {
      TRAFNET_RETURN_IF_ERROR(DecodeLinkTotals(stored_section, totals));
      next_stored_section();
    }
    MergeLinkTotals(totals, added);
    added.clear();
    AppendLinkSection(chunk_value, *chunk, node, EncodeLinkTotals(totals));
    return Status::Ok();
  };
  while (pending.Valid()) {
    // Of several writes of one key the last wins; each earlier one is a repeat or a correction.
    key.assign(pending.key());
    value.assign(pending.value());
    reporter.Tick();
    TRAFNET_RETURN_IF_ERROR(pending.Next());
    while (pending.Valid() && pending.key() == key) {
      reporter.Tick();
      if (pending.value() == value) {
        ++changes.observations_unchanged;
      } else {
        ++changes.observations_updated;
        value.assign(pending.value());
      }
      TRAFNET_RETURN_IF_ERROR(pending.Next());
    }
    std::string_view link_key = std::string_view(key).substr(0, codec::kLinkKeyBytes);
    if (link_key != link) {
      link.assign(link_key);
      if (!codec::ParseAdjacencyKey(link, parts) || parts.type >= symmetric.size()) {
        return InternalError("bad pending observation key");
      }
      link_stored = stored.SeekForward(link) && stored.Key().starts_with(link);
      if (!link_stored) {
        ++changes.links_added;
        ++links_by_type[parts.type];
        bool is_symmetric = symmetric[parts.type];
        std::string_view flags(is_symmetric ? flags_symmetric : flags_directed, 1);
        mirrored.clear();
        codec::AppendAdjacencyKey(mirrored, parts.b, parts.type, parts.a);
        TRAFNET_RETURN_IF_ERROR(out.Add(link, flags));
        if (!is_symmetric) {
          TRAFNET_RETURN_IF_ERROR(in.Add(mirrored, flags));
        } else if (parts.a != parts.b) {
          // A symmetric link is listed in out from both ends, and not in in, where it would
          // only repeat those (docs/storage.md).
          TRAFNET_RETURN_IF_ERROR(out.Add(mirrored, flags));
        }
      }
    }
    bool exists = false;
    uint64_t old_count = 0;
    if (link_stored && stored.SeekForward(key) && stored.Key() == key) {
      exists = true;
      if (stored.Value() == value) {
        ++changes.observations_unchanged;
        continue;
      }
      TRAFNET_RETURN_IF_ERROR(ObservationCount(stored.Value(), old_count));
    }
    if (summaries) {
      if (totals_node != parts.a) {
        TRAFNET_RETURN_IF_ERROR(write_totals());
        totals_node = parts.a;
      }
      if (added.empty() || added.back().type != parts.type || added.back().to != parts.b) {
        added.emplace_back();
        added.back().type = parts.type;
        added.back().to = parts.b;
      }
      uint64_t new_count = 0;
      TRAFNET_RETURN_IF_ERROR(ObservationCount(value, new_count));
      std::string_view start, end;
      if (!codec::SplitObservationDates(std::string_view(key).substr(codec::kLinkKeyBytes), start,
                                        end)) {
        return InternalError("bad pending observation key");
      }
      // A correction keeps the observation's identity, dates included: only its count changes.
      added.back().Add(start, end, new_count - old_count, exists ? 0 : 1);
    }
    if (exists) {
      ++changes.observations_updated;
    } else {
      ++changes.observations_added;
      std::string_view suffix = std::string_view(key).substr(codec::kLinkKeyBytes);
      std::string_view source = suffix.substr(0, suffix.find('\0'));
      // (absl's own string_view: Debian's absl does not take std::string_view for lookups)
      auto counted = observations_by_source.find(absl::string_view(source.data(), source.size()));
      if (counted == observations_by_source.end()) counted = observations_by_source.emplace(source, 0).first;
      ++counted->second;
    }
    TRAFNET_RETURN_IF_ERROR(puts.Put(kObservationsCf, key, value));
  }
  if (summaries) {
    TRAFNET_RETURN_IF_ERROR(write_totals());
    TRAFNET_RETURN_IF_ERROR(finish_chunk());
    TRAFNET_RETURN_IF_ERROR(stored_totals->status());
  }
  TRAFNET_RETURN_IF_ERROR(puts.Finish());
  reporter.End();
  for (size_t type = 0; type < links_by_type.size(); ++type) {
    if (links_by_type[type] > 0) cs.delta.links_by_type[type_names[type]] += links_by_type[type];
  }
  for (const auto& [source, n] : observations_by_source) cs.delta.observations_by_source[source] += n;
  return stored.status();
}

Status ChangeSet::Commit(const StepProgressFn& progress) {
  impl_->progress = progress;
  Status status = impl_->CommitChecked(/*with_observations=*/true);
  impl_->progress = nullptr;
  return status;
}

Status ChangeSet::CommitNodes() { return impl_->CommitChecked(/*with_observations=*/false); }

Status ChangeSet::Impl::CommitChecked(bool with_observations) {
  Impl& cs = *this;
  if (cs.broken) return FailedPreconditionError("change set unusable after a failed commit");
  Status status = cs.WaitInFlight();
  if (status.ok()) status = cs.CommitPending(with_observations);
  if (!status.ok()) cs.Break();
  return status;
}

Status ChangeSet::Impl::CommitPending(bool with_observations) {
  LinkChanges link_changes;
  WrittenRecords written;
  TRAFNET_RETURN_IF_ERROR(
      WriteCommit(nodes, with_observations, new_types, delta, next_id, link_changes, written));
  Remember(written);
  changes.links_added += link_changes.links_added;
  changes.observations_added += link_changes.observations_added;
  changes.observations_updated += link_changes.observations_updated;
  changes.observations_unchanged += link_changes.observations_unchanged;
  Reset(with_observations);
  return Status::Ok();
}

Status ChangeSet::CommitNodesInBackground() {
  Impl& cs = *impl_;
  if (cs.broken) return FailedPreconditionError("change set unusable after a failed commit");
  if (Status status = cs.WaitInFlight(); !status.ok()) {
    cs.Break();
    return status;
  }
  if (cs.nodes.empty()) return Status::Ok();
  auto flight = std::make_unique<Impl::InFlight>();
  flight->nodes = std::move(cs.nodes);
  cs.nodes.clear();
  flight->delta = std::move(cs.delta);
  cs.delta = StoreCounts();
  flight->next_id = cs.next_id;
  // New link types wait for the commit of the observations that use them.
  static const std::map<std::string, codec::LinkTypeId, std::less<>> kNoTypes;
  Impl::InFlight* f = flight.get();
  f->done = std::async(std::launch::async, [&cs, f] {
    LinkChanges none;
    return cs.WriteCommit(f->nodes, /*with_observations=*/false, kNoTypes, f->delta, f->next_id,
                          none, f->written);
  });
  cs.in_flight = std::move(flight);
  return Status::Ok();
}

Status ChangeSet::Impl::WriteCommit(
    const std::unordered_map<NodeId, PendingNode>& nodes, bool with_observations,
    const std::map<std::string, codec::LinkTypeId, std::less<>>& new_types, StoreCounts& delta,
    NodeId next_node_id, LinkChanges& changes, WrittenRecords& written) {
  Impl& cs = *this;
  Store::Impl& store = cs.store;
  // MergeObservations counts into this change set's own delta.
  assert(!with_observations || &delta == &cs.delta);
  WritesByFamily writes;
  auto put = [&](ColumnFamily family, std::string key, std::string value) {
    writes[family].emplace_back(std::move(key), std::move(value));
  };

  // Like the link summaries below, the node heads start complete with the first commit to an
  // empty store and every commit keeps them so; a store written before them needs
  // BuildNodeHeads (its commits skip them until then).
  bool starts_heads = false, heads = false;
  {
    std::lock_guard lock(store.mutex);
    starts_heads = !store.node_heads && store.next_node_id == 0;
    heads = store.node_heads || starts_heads;
  }
  std::vector<NodeId> node_ids;
  node_ids.reserve(nodes.size());
  for (const auto& entry : nodes) node_ids.push_back(entry.first);
  std::sort(node_ids.begin(), node_ids.end());
  if (heads) {
    // Every chunk holding a changed head is read (as the store has it: no other commit runs
    // meanwhile), merged with this commit's heads and written whole.
    std::vector<NodeHead> stored, changed;
    for (size_t i = 0; i < node_ids.size();) {
      const NodeId chunk = NodeChunkOf(node_ids[i]);
      changed.clear();
      for (; i < node_ids.size() && NodeChunkOf(node_ids[i]) == chunk; ++i) {
        const Impl::PendingNode& pending = nodes.at(node_ids[i]);
        if (!pending.head_changed) continue;
        changed.push_back(HeadOf(pending.record));
        changed.back().id = node_ids[i];
      }
      if (changed.empty()) continue;
      const std::string key = codec::NodeIdKey(chunk);
      stored.clear();
      TRAFNET_ASSIGN_OR_RETURN(auto value, store.Get(kNodeHeadsCf, key));
      if (value) TRAFNET_RETURN_IF_ERROR(DecodeNodeHeads(chunk, *value, stored));
      MergeNodeHeads(stored, changed);
      put(kNodeHeadsCf, key, EncodeNodeHeads(chunk, stored));
    }
  }
  for (NodeId id : node_ids) {
    const Impl::PendingNode& pending = nodes.at(id);
    const NodeRecord& record = pending.record;
    std::string id_bytes = codec::NodeIdKey(id);
    std::string value = codec::EncodeNode(record);
    // (No commit changes committed_records while another runs: reading it here is safe.)
    if (pending.remember) {
      written.emplace_back(id, value);
    } else if (cs.committed_records.contains(id)) {
      written.emplace_back(id, std::string());
    }
    put(kNodesCf, id_bytes, std::move(value));
    if (pending.is_new) put(kNodeKeysCf, codec::NaturalKey(record.kind, record.key), id_bytes);
    std::string_view name_key = FieldValue(record.fields, kNameKeyField);
    if (!name_key.empty()) {
      put(kNameIndexCf, codec::IndexKey(name_key, id), {});
      for (std::string& key : codec::NameWordKeys(name_key, id))
        put(kNameIndexCf, std::move(key), std::string(name_key));
    }
    std::string_view address_key = FieldValue(record.fields, kAddressKeyField);
    if (!address_key.empty()) put(kAddressIndexCf, codec::IndexKey(address_key, id), {});
    for (const auto& source : record.sources) put(kSourceIndexCf, codec::IndexKey(source, id), {});
  }
  size_t node_writes = 0;
  for (auto& family : writes) node_writes += family.size();
  const size_t observation_writes = with_observations ? 3 * cs.observations.size() : 0;
  CommitWriter writer(store, node_writes + observation_writes >= kSstCommitThreshold);

  // Link types by id, with whether each is symmetric.
  std::vector<std::string> type_names;
  {
    std::lock_guard lock(store.mutex);
    for (const auto& [id, name] : store.type_names) {
      if (id >= type_names.size()) type_names.resize(id + 1);
      type_names[id] = name;
    }
  }
  for (const auto& [name, id] : new_types) {
    if (id >= type_names.size()) type_names.resize(id + 1);
    type_names[id] = name;
  }
  std::vector<bool> symmetric(type_names.size());
  for (size_t id = 0; id < type_names.size(); ++id) symmetric[id] = IsSymmetricLinkType(type_names[id]);

  // New adjacency entries, sorted for out and for in; each gets part of the sort memory.
  ExternalSorter out(store.dir / kStagingDir, "out", store.options.sort_buffer_bytes / 3);
  ExternalSorter in(store.dir / kStagingDir, "in", store.options.sort_buffer_bytes / 3);
  // Like the word index, the link summaries start complete with the first commit to an empty
  // store and every commit keeps them so; a store that had links before they existed needs
  // BuildLinkSummaries (its commits skip them until then).
  bool starts_summaries = false, summaries = false;
  {
    std::lock_guard lock(store.mutex);
    starts_summaries = !store.link_summaries && store.next_node_id == 0;
    summaries = store.link_summaries || starts_summaries;
  }
  if (with_observations) {
    TRAFNET_RETURN_IF_ERROR(
        MergeObservations(writer, out, in, type_names, symmetric, summaries, changes));
    // Both families' records count; in a bulk commit `in` is drained on another thread, whose
    // count this thread reports with its own. This thread drains `out`, never the smaller (a
    // link has an out entry, and an in entry only when directed), so reports go on to the end.
    const uint64_t adjacency = out.size() + in.size();  // every record is read once
    StepReporter reporter(cs.progress);
    reporter.Begin(kCommitStepAdjacency, adjacency);
    std::atomic<uint64_t> out_read{0}, in_read{0};
    auto report = [&] {
      reporter.ReportAt(out_read.load(std::memory_order_relaxed) +
                        in_read.load(std::memory_order_relaxed));
    };
    auto drain = [&writer](ExternalSorter& sorter, ColumnFamily family,
                           const std::function<void(uint64_t)>& tick) {
      Status status = DrainSorted(sorter, family, writer, tick);
      sorter.Clear();
      return status;
    };
    const bool side_by_side = writer.bulk();
    TRAFNET_RETURN_IF_ERROR(RunBoth(
        side_by_side,
        [&] {
          return drain(in, kInCf, [&](uint64_t read) {
            in_read.store(read, std::memory_order_relaxed);
            if (!side_by_side) report();
          });
        },
        [&] {
          return drain(out, kOutCf, [&](uint64_t read) {
            out_read.store(read, std::memory_order_relaxed);
            report();
          });
        }));
    reporter.ReportAt(adjacency);
  }

  for (const auto& [name, id] : new_types) {
    std::string encoded;
    codec::PutBigEndian16(encoded, id);
    put(kMetaCf, std::string(kMetaTypePrefix) + name, encoded);
  }
  StoreCounts after;
  {
    std::lock_guard lock(store.mutex);
    after = store.counts;
  }
  auto merge = [&](std::map<std::string, uint64_t>& target,
                   const std::map<std::string, uint64_t>& delta, std::string_view prefix,
                   uint64_t* total) {
    for (const auto& [name, n] : delta) {
      target[name] += n;
      if (total != nullptr) *total += n;
      std::string encoded;
      codec::PutBigEndian64(encoded, target[name]);
      put(kMetaCf, std::string(prefix) + name, encoded);
    }
  };
  merge(after.nodes_by_kind, delta.nodes_by_kind, kMetaCountNodeKind, &after.nodes);
  merge(after.links_by_type, delta.links_by_type, kMetaCountLinkType, &after.links);
  merge(after.nodes_by_source, delta.nodes_by_source, kMetaCountNodeSource, nullptr);
  merge(after.observations_by_source, delta.observations_by_source, kMetaCountObsSource,
        &after.observations);
  std::string next_id;
  codec::PutBigEndian64(next_id, next_node_id);
  put(kMetaCf, std::string(kMetaNextNodeId), next_id);
  // The first commit to an empty store starts the word index complete, and every commit keeps
  // it so; a store that had persons before the index existed needs BuildNameWordIndex.
  bool starts_word_index = false;
  {
    std::lock_guard lock(store.mutex);
    starts_word_index = !store.name_word_index && store.next_node_id == 0;
  }
  if (starts_word_index) put(kMetaCf, std::string(kMetaNameWordIndex), "1");
  if (starts_summaries) put(kMetaCf, std::string(kMetaLinkSummaries), "1");
  if (starts_heads) put(kMetaCf, std::string(kMetaNodeHeads), "1");

  auto write_families = [&writes, &writer](std::vector<ColumnFamily> families) -> Status {
    for (ColumnFamily family : families)
      TRAFNET_RETURN_IF_ERROR(WriteInOrder(writer, family, writes[family]));
    return Status::Ok();
  };
  // The name index (a person's name key and every pair of its words) has as many entries as the
  // other families together, so it gets a thread of its own.
  TRAFNET_RETURN_IF_ERROR(RunBoth(
      writer.bulk(), [&] { return write_families({kNameIndexCf}); },
      [&] {
        return write_families(
            {kNodeKeysCf, kAddressIndexCf, kNodesCf, kNodeHeadsCf, kSourceIndexCf, kMetaCf});
      }));
  TRAFNET_RETURN_IF_ERROR(writer.Finish());
  {
    std::lock_guard lock(store.mutex);
    store.counts = std::move(after);
    store.next_node_id = next_node_id;
    if (starts_word_index) store.name_word_index = true;
    if (starts_summaries) store.link_summaries = true;
    if (starts_heads) store.node_heads = true;
    for (const auto& [name, id] : new_types) {
      store.type_ids[name] = id;
      store.type_names[id] = name;
    }
  }
  return Status::Ok();
}

}  // namespace trafnet::storage
