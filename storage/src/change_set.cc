#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "store_impl.h"

namespace trafnet::storage {

namespace {

// Resolved natural keys are remembered across commits of one change set; past this many the
// memory is given back and lookups go to RocksDB again.
constexpr size_t kMaxResolvedCache = 4'000'000;

std::string* FindField(Fields& fields, std::string_view name) {
  for (auto& [field_name, value] : fields) {
    if (field_name == name) return &value;
  }
  return nullptr;
}


using LinkEntry = codec::AdjacencyEntry;

struct ObservationEntry {
  LinkEntry link;
  std::string suffix;  // source \0 start \0 end, as in the key
  std::string value;
  // Full key order: the link, then the suffix; ties (the same observation twice) by row order.
  bool KeyLess(const ObservationEntry& other) const {
    if (!(link == other.link)) return link < other.link;
    return suffix < other.suffix;
  }
  bool SameKey(const ObservationEntry& other) const { return link == other.link && suffix == other.suffix; }
  std::string Key() const {
    std::string key = codec::AdjacencyKey(link.a, link.type, link.b);
    key.append(suffix);
    return key;
  }
};

}  // namespace

struct ChangeSet::Impl {
  Store::Impl& store;
  bool broken = false;
  NodeId next_id = 0;
  std::unordered_map<std::string, NodeId> resolved;
  struct PendingNode {
    NodeRecord record;
    bool is_new = false;
  };
  std::unordered_map<NodeId, PendingNode> nodes;
  // The links this change set observes (canonical ends) and their observations, appended as rows
  // come, repeats included. They are sorted (as numbers, not strings) and deduplicated at commit,
  // where whether each is new is settled for all of them at once, in key order.
  std::vector<LinkEntry> links;
  std::vector<ObservationEntry> observations;
  LinkChanges changes;
  // Nodes a kKeepExisting upsert already brought up to date with these field names and source:
  // the same upsert again cannot change them (a phone seen in thousands of link rows).
  std::unordered_set<std::string> settled;
  std::map<std::string, codec::LinkTypeId, std::less<>> new_types;
  StoreCounts delta;

  explicit Impl(Store::Impl& s) : store(s) {
    std::lock_guard lock(store.mutex);
    next_id = store.next_node_id;
  }

  StatusOr<codec::LinkTypeId> TypeId(std::string_view type) {
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

  void Reset() {
    nodes.clear();
    links.clear();
    observations.clear();
    new_types.clear();
    delta = StoreCounts();
  }
};

ChangeSet::ChangeSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ChangeSet::~ChangeSet() {
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

size_t ChangeSet::pending_operations() const {
  return impl_->nodes.size() + impl_->links.size() + impl_->observations.size();
}

StatusOr<std::optional<NodeId>> ChangeSet::FindNode(std::string_view kind, std::string_view key) {
  std::string natural = codec::NaturalKey(kind, key);
  auto it = impl_->resolved.find(natural);
  if (it != impl_->resolved.end()) return std::optional<NodeId>(it->second);
  TRAFNET_ASSIGN_OR_RETURN(auto value, impl_->store.Get(kNodeKeysCf, natural));
  if (!value) return std::optional<NodeId>();
  if (value->size() != 8) return CorruptionError("node_keys entry for " + std::string(kind) + ":" + std::string(key));
  NodeId id = codec::GetBigEndian64(*value);
  if (impl_->resolved.size() >= kMaxResolvedCache) impl_->resolved.clear();
  impl_->resolved.emplace(std::move(natural), id);
  return std::optional<NodeId>(id);
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
    impl_->nodes[id] = Impl::PendingNode{std::move(record), true};
    impl_->resolved[codec::NaturalKey(kind, key)] = id;
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
    if (impl_->settled.size() >= kMaxResolvedCache) impl_->settled.clear();
    // Whatever happens below, afterwards the node holds a value for each of these fields and
    // this source, so the same upsert again is a no-op.
    impl_->settled.insert(settled_key);
  }
  auto pending = impl_->nodes.find(id);
  NodeRecord merged;
  if (pending != impl_->nodes.end()) {
    merged = pending->second.record;
  } else {
    TRAFNET_ASSIGN_OR_RETURN(auto value, impl_->store.Get(kNodesCf, codec::NodeIdKey(id)));
    if (!value) return CorruptionError(std::string(kind) + ":" + std::string(key) + " is indexed as node " + std::to_string(id) + " which does not exist; run trafnet verify");
    TRAFNET_RETURN_IF_ERROR(codec::DecodeNode(id, *value, merged));
  }
  bool changed = false;
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& [name, value] = fields[i];
    if (value.empty()) continue;
    std::string* current = FindField(merged.fields, name);
    if (current == nullptr) {
      merged.fields.emplace_back(name, value);
      changed = true;
    } else if (current->empty()) {
      *current = value;
      changed = true;
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
  bool is_new = pending != impl_->nodes.end() && pending->second.is_new;
  impl_->nodes[id] = Impl::PendingNode{std::move(merged), is_new};
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
  LinkEntry link{from, type_id, to, symmetric};
  impl_->links.push_back(link);
  ObservationEntry entry{link, {}, codec::EncodeObservationValue(observation)};
  entry.suffix.reserve(observation.source.size() + observation.start.size() + observation.end.size() + 2);
  entry.suffix.append(observation.source).push_back('\0');
  entry.suffix.append(observation.start).push_back('\0');
  entry.suffix.append(observation.end);
  impl_->observations.push_back(std::move(entry));
  return Status::Ok();
}

const LinkChanges& ChangeSet::link_changes() const { return impl_->changes; }

namespace {

void SortUnique(SortedWrites& writes) {
  if (std::is_sorted(writes.begin(), writes.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; })) {
    bool unique = std::adjacent_find(writes.begin(), writes.end(), [](const auto& a, const auto& b) {
                    return a.first == b.first;
                  }) == writes.end();
    if (unique) return;
  }
  std::stable_sort(writes.begin(), writes.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Keep the last write of a key, as a WriteBatch would.
  SortedWrites unique;
  unique.reserve(writes.size());
  for (auto& write : writes) {
    if (!unique.empty() && unique.back().first == write.first) {
      unique.back().second = std::move(write.second);
    } else {
      unique.push_back(std::move(write));
    }
  }
  writes = std::move(unique);
}

// Sorts observations by key; of several writes of one key the last is kept, and each earlier
// one is counted as a repeat (unchanged) or a correction (updated).
std::vector<ObservationEntry> SortedLastWins(std::vector<ObservationEntry>& entries, LinkChanges& changes) {
  std::vector<uint32_t> order(entries.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    if (entries[x].KeyLess(entries[y])) return true;
    if (entries[y].KeyLess(entries[x])) return false;
    return x < y;
  });
  std::vector<ObservationEntry> sorted;
  sorted.reserve(entries.size());
  for (uint32_t i : order) {
    if (!sorted.empty() && sorted.back().SameKey(entries[i])) {
      if (sorted.back().value == entries[i].value) {
        ++changes.observations_unchanged;
      } else {
        ++changes.observations_updated;
        sorted.back().value = std::move(entries[i].value);
      }
    } else {
      sorted.push_back(std::move(entries[i]));
    }
  }
  return sorted;
}

// Looks `keys` (sorted) up in one batched MultiGet; found[i] tells whether keys[i] exists and
// values[i] holds its value when `values` is given.
Status MultiGetSorted(Store::Impl& store, ColumnFamily family, const std::vector<std::string>& keys,
                      std::vector<bool>& found, std::vector<std::string>* values) {
  found.assign(keys.size(), false);
  if (values != nullptr) values->assign(keys.size(), {});
  constexpr size_t kBatch = 4096;
  std::vector<rocksdb::Slice> slices;
  std::vector<rocksdb::PinnableSlice> results(kBatch);
  std::vector<rocksdb::Status> statuses(kBatch);
  for (size_t begin = 0; begin < keys.size(); begin += kBatch) {
    size_t n = std::min(kBatch, keys.size() - begin);
    slices.clear();
    for (size_t i = 0; i < n; ++i) slices.emplace_back(keys[begin + i]);
    store.db->MultiGet(rocksdb::ReadOptions(), store.cf[family], n, slices.data(), results.data(),
                       statuses.data(), /*sorted_input=*/true);
    for (size_t i = 0; i < n; ++i) {
      if (statuses[i].IsNotFound()) continue;
      TRAFNET_RETURN_IF_ERROR(FromRocks(statuses[i], "look up pending keys"));
      found[begin + i] = true;
      if (values != nullptr) (*values)[begin + i].assign(results[i].data(), results[i].size());
      results[i].Reset();
    }
  }
  return Status::Ok();
}

// Above this many writes a commit goes through SST files instead of a WriteBatch.
constexpr size_t kSstCommitThreshold = 50'000;

}  // namespace

Status ChangeSet::Commit() {
  Impl& cs = *impl_;
  if (cs.broken) return FailedPreconditionError("change set unusable after a failed commit");
  Store::Impl& store = cs.store;
  WritesByFamily writes;
  auto put = [&](ColumnFamily family, std::string key, std::string_view value) {
    writes[family].emplace_back(std::move(key), std::string(value));
  };

  std::vector<NodeId> node_ids;
  node_ids.reserve(cs.nodes.size());
  for (const auto& entry : cs.nodes) node_ids.push_back(entry.first);
  std::sort(node_ids.begin(), node_ids.end());
  for (NodeId id : node_ids) {
    const Impl::PendingNode& pending = cs.nodes.at(id);
    const NodeRecord& record = pending.record;
    std::string id_bytes = codec::NodeIdKey(id);
    put(kNodesCf, id_bytes, codec::EncodeNode(record));
    if (pending.is_new) put(kNodeKeysCf, codec::NaturalKey(record.kind, record.key), id_bytes);
    std::string_view name_key = FieldValue(record.fields, kNameKeyField);
    if (!name_key.empty()) put(kNameIndexCf, codec::IndexKey(name_key, id), {});
    std::string_view address_key = FieldValue(record.fields, kAddressKeyField);
    if (!address_key.empty()) put(kAddressIndexCf, codec::IndexKey(address_key, id), {});
    for (const auto& source : record.sources) put(kSourceIndexCf, codec::IndexKey(source, id), {});
  }

  // Which links are new, looked up all at once in key order.
  std::map<codec::LinkTypeId, std::string> type_names;
  {
    std::lock_guard lock(store.mutex);
    type_names = store.type_names;
  }
  for (const auto& [name, id] : cs.new_types) type_names[id] = name;
  LinkChanges changes;
  std::vector<LinkEntry>& links = cs.links;
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  {
    std::vector<std::string> keys;
    keys.reserve(links.size());
    for (const auto& link : links) keys.push_back(codec::AdjacencyKey(link.a, link.type, link.b));
    std::vector<bool> exists;
    TRAFNET_RETURN_IF_ERROR(MultiGetSorted(store, kOutCf, keys, exists, nullptr));
    // Adjacency entries as numbers (a, type, b); sorted numerically before encoding.
    std::vector<LinkEntry> out_entries, in_entries;
    for (size_t i = 0; i < links.size(); ++i) {
      if (exists[i]) continue;
      const LinkEntry& link = links[i];
      ++changes.links_added;
      ++cs.delta.links_by_type[type_names[link.type]];
      out_entries.push_back(link);
      in_entries.push_back(LinkEntry{link.b, link.type, link.a, link.symmetric});
      if (link.symmetric && link.a != link.b) {
        out_entries.push_back(LinkEntry{link.b, link.type, link.a, true});
        in_entries.push_back(LinkEntry{link.a, link.type, link.b, true});
      }
    }
    for (auto [family, entries] : {std::pair{kOutCf, &out_entries}, std::pair{kInCf, &in_entries}}) {
      std::sort(entries->begin(), entries->end());
      auto& target = writes[family];
      target.reserve(entries->size());
      for (const auto& entry : *entries) {
        target.emplace_back(codec::AdjacencyKey(entry.a, entry.type, entry.b),
                            std::string(1, entry.symmetric ? codec::kFlagSymmetric : '\0'));
      }
    }
  }
  // Observations: new, changed or exactly as stored.
  {
    std::vector<ObservationEntry> observations = SortedLastWins(cs.observations, changes);
    std::vector<std::string> keys;
    keys.reserve(observations.size());
    for (const auto& obs : observations) keys.push_back(obs.Key());
    std::vector<bool> exists;
    std::vector<std::string> stored;
    TRAFNET_RETURN_IF_ERROR(MultiGetSorted(store, kObservationsCf, keys, exists, &stored));
    auto& target = writes[kObservationsCf];
    for (size_t i = 0; i < observations.size(); ++i) {
      if (!exists[i]) {
        ++changes.observations_added;
        ++cs.delta.observations_by_source[observations[i].suffix.substr(0, observations[i].suffix.find('\0'))];
      } else if (stored[i] != observations[i].value) {
        ++changes.observations_updated;
      } else {
        ++changes.observations_unchanged;
        continue;
      }
      target.emplace_back(std::move(keys[i]), std::move(observations[i].value));
    }
  }

  for (const auto& [name, id] : cs.new_types) {
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
  merge(after.nodes_by_kind, cs.delta.nodes_by_kind, kMetaCountNodeKind, &after.nodes);
  merge(after.links_by_type, cs.delta.links_by_type, kMetaCountLinkType, &after.links);
  merge(after.nodes_by_source, cs.delta.nodes_by_source, kMetaCountNodeSource, nullptr);
  merge(after.observations_by_source, cs.delta.observations_by_source, kMetaCountObsSource,
        &after.observations);
  std::string next_id;
  codec::PutBigEndian64(next_id, cs.next_id);
  put(kMetaCf, std::string(kMetaNextNodeId), next_id);

  size_t total = 0;
  for (auto& family : writes) {
    SortUnique(family);
    total += family.size();
  }
  Status written = total >= kSstCommitThreshold ? store.IngestSorted(writes) : store.WriteSorted(writes);
  if (!written.ok()) {
    cs.broken = true;
    cs.resolved.clear();
    cs.settled.clear();
    return written;
  }
  {
    std::lock_guard lock(store.mutex);
    store.counts = std::move(after);
    store.next_node_id = cs.next_id;
    for (const auto& [name, id] : cs.new_types) {
      store.type_ids[name] = id;
      store.type_names[id] = name;
    }
  }
  cs.changes.links_added += changes.links_added;
  cs.changes.observations_added += changes.observations_added;
  cs.changes.observations_updated += changes.observations_updated;
  cs.changes.observations_unchanged += changes.observations_unchanged;
  cs.Reset();
  return Status::Ok();
}

}  // namespace trafnet::storage
