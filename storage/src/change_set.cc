#include <rocksdb/write_batch.h>

#include <algorithm>
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

void PutCounter(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* meta,
                std::string_view prefix, const std::string& name, uint64_t value) {
  std::string key(prefix);
  key.append(name);
  std::string encoded;
  codec::PutBigEndian64(encoded, value);
  batch.Put(meta, key, encoded).PermitUncheckedError();
}

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
  // Canonical out keys of links this change set creates, with their symmetric flag.
  std::unordered_map<std::string, bool> new_links;
  std::unordered_map<std::string, std::string> observations;
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
    new_links.clear();
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
  return impl_->nodes.size() + impl_->new_links.size() + impl_->observations.size();
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

StatusOr<LinkPut> ChangeSet::PutLink(NodeId from, std::string_view type, NodeId to,
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

  LinkPut result;
  std::string out_key = codec::AdjacencyKey(from, type_id, to);
  if (!impl_->new_links.contains(out_key)) {
    TRAFNET_ASSIGN_OR_RETURN(auto stored, impl_->store.Get(kOutCf, out_key));
    if (!stored) {
      impl_->new_links.emplace(out_key, symmetric);
      ++impl_->delta.links_by_type[std::string(type)];
      result.link_added = true;
    }
  }

  std::string obs_key = codec::ObservationKey(from, type_id, to, observation);
  std::string obs_value = codec::EncodeObservationValue(observation);
  std::optional<std::string> previous;
  auto pending = impl_->observations.find(obs_key);
  if (pending != impl_->observations.end()) {
    previous = pending->second;
  } else {
    TRAFNET_ASSIGN_OR_RETURN(previous, impl_->store.Get(kObservationsCf, obs_key));
  }
  if (!previous) {
    result.observation = ObservationChange::kAdded;
    ++impl_->delta.observations_by_source[observation.source];
  } else if (*previous != obs_value) {
    result.observation = ObservationChange::kUpdated;
  } else {
    result.observation = ObservationChange::kUnchanged;
    return result;
  }
  impl_->observations[obs_key] = std::move(obs_value);
  return result;
}

Status ChangeSet::Commit() {
  Impl& cs = *impl_;
  if (cs.broken) return FailedPreconditionError("change set unusable after a failed commit");
  Store::Impl& store = cs.store;
  auto* meta = store.cf[kMetaCf];
  rocksdb::WriteBatch batch;
  auto put = [&](ColumnFamily family, const std::string& key, std::string_view value) {
    batch.Put(store.cf[family], key, rocksdb::Slice(value.data(), value.size()))
        .PermitUncheckedError();
  };

  for (const auto& [id, pending] : cs.nodes) {
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
  for (const auto& [out_key, symmetric] : cs.new_links) {
    codec::AdjacencyParts parts;
    codec::ParseAdjacencyKey(out_key, parts);
    std::string flags(1, symmetric ? codec::kFlagSymmetric : '\0');
    put(kOutCf, out_key, flags);
    put(kInCf, codec::AdjacencyKey(parts.b, parts.type, parts.a), flags);
    if (symmetric && parts.a != parts.b) {
      put(kOutCf, codec::AdjacencyKey(parts.b, parts.type, parts.a), flags);
      put(kInCf, codec::AdjacencyKey(parts.a, parts.type, parts.b), flags);
    }
  }
  for (const auto& [key, value] : cs.observations) put(kObservationsCf, key, value);
  for (const auto& [name, id] : cs.new_types) {
    std::string encoded;
    codec::PutBigEndian16(encoded, id);
    batch.Put(meta, std::string(kMetaTypePrefix) + name, encoded).PermitUncheckedError();
  }

  StoreCounts after;
  {
    std::lock_guard lock(store.mutex);
    after = store.counts;
  }
  auto merge = [&](std::map<std::string, uint64_t>& target,
                   const std::map<std::string, uint64_t>& delta, std::string_view prefix,
                   uint64_t& total) {
    for (const auto& [name, n] : delta) {
      target[name] += n;
      if (total != UINT64_MAX) total += n;
      PutCounter(batch, meta, prefix, name, target[name]);
    }
  };
  uint64_t no_total = UINT64_MAX;
  merge(after.nodes_by_kind, cs.delta.nodes_by_kind, kMetaCountNodeKind, after.nodes);
  merge(after.links_by_type, cs.delta.links_by_type, kMetaCountLinkType, after.links);
  merge(after.nodes_by_source, cs.delta.nodes_by_source, kMetaCountNodeSource, no_total);
  merge(after.observations_by_source, cs.delta.observations_by_source, kMetaCountObsSource,
        after.observations);
  std::string next_id;
  codec::PutBigEndian64(next_id, cs.next_id);
  batch.Put(meta, std::string(kMetaNextNodeId), next_id).PermitUncheckedError();

  rocksdb::Status status = store.db->Write(rocksdb::WriteOptions(), &batch);
  if (!status.ok()) {
    cs.broken = true;
    cs.resolved.clear();
    return FromRocks(status, "commit");
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
  cs.Reset();
  return Status::Ok();
}

}  // namespace trafnet::storage
