// Store::Verify: RocksDB's own checksums, then the store's invariants by full scans.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "store_impl.h"

namespace trafnet::storage {

namespace {

constexpr size_t kMaxProblems = 100;

class Checker {
 public:
  Checker(const Store::Impl& impl, VerifyReport& report) : impl_(impl), report_(report) {
    read_options_.snapshot = snapshot_ = impl_.db->GetSnapshot();
    // Full scans bypass the block cache; the point lookups that check them use it, or every
    // lookup would read and decompress its block from disk again.
    scan_options_ = read_options_;
    scan_options_.fill_cache = false;
  }
  ~Checker() { impl_.db->ReleaseSnapshot(snapshot_); }

  void Problem(std::string text) {
    if (report_.problems.size() < kMaxProblems) report_.problems.push_back(std::move(text));
    else if (report_.problems.size() == kMaxProblems) report_.problems.push_back("… more problems not listed");
  }

  std::unique_ptr<rocksdb::Iterator> Scan(ColumnFamily family) {
    return std::unique_ptr<rocksdb::Iterator>(impl_.db->NewIterator(scan_options_, impl_.cf[family]));
  }

  bool Exists(ColumnFamily family, std::string_view key) {
    std::string value;
    return impl_.db->Get(read_options_, impl_.cf[family], key, &value).ok();
  }

  std::optional<NodeRecord> Node(NodeId id) {
    std::string value;
    if (!impl_.db->Get(read_options_, impl_.cf[kNodesCf], codec::NodeIdKey(id), &value).ok()) {
      return std::nullopt;
    }
    NodeRecord node;
    if (!codec::DecodeNode(id, value, node).ok()) return std::nullopt;
    return node;
  }

  Status Run() {
    StoreCounts recount;
    TRAFNET_RETURN_IF_ERROR(CheckNodes(recount));
    TRAFNET_RETURN_IF_ERROR(CheckNodeKeys());
    for (ColumnFamily family : {kNameIndexCf, kAddressIndexCf, kSourceIndexCf}) {
      TRAFNET_RETURN_IF_ERROR(CheckIndex(family));
    }
    TRAFNET_RETURN_IF_ERROR(CheckAdjacency(recount));
    TRAFNET_RETURN_IF_ERROR(CheckObservations(recount));
    StoreCounts maintained;
    {
      std::lock_guard lock(impl_.mutex);
      maintained = impl_.counts;
    }
    CompareCounts("nodes of kind", maintained.nodes_by_kind, recount.nodes_by_kind);
    CompareCounts("links of type", maintained.links_by_type, recount.links_by_type);
    CompareCounts("nodes from source", maintained.nodes_by_source, recount.nodes_by_source);
    CompareCounts("observations from source", maintained.observations_by_source,
                  recount.observations_by_source);
    return Status::Ok();
  }

 private:
  Status CheckNodes(StoreCounts& recount) {
    NodeId next_id;
    {
      std::lock_guard lock(impl_.mutex);
      next_id = impl_.next_node_id;
    }
    auto it = Scan(kNodesCf);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.nodes_checked;
      if (it->key().size() != 8) {
        Problem("nodes: key of " + std::to_string(it->key().size()) + " bytes");
        continue;
      }
      NodeId id = codec::GetBigEndian64(std::string_view(it->key().data(), 8));
      NodeRecord node;
      Status decoded = codec::DecodeNode(id, std::string_view(it->value().data(), it->value().size()), node);
      if (!decoded.ok()) {
        Problem(decoded.message());
        continue;
      }
      if (id >= next_id) Problem(fmt::format("node {} is past the id counter {}", id, next_id));
      ++recount.nodes_by_kind[node.kind];
      for (const auto& source : node.sources) ++recount.nodes_by_source[source];
      std::string value;
      auto status = impl_.db->Get(read_options_, impl_.cf[kNodeKeysCf],
                                  codec::NaturalKey(node.kind, node.key), &value);
      if (!status.ok() || value != codec::NodeIdKey(id)) {
        Problem(fmt::format("node {} ({}:{}) has no node_keys entry pointing at it", id, node.kind, node.key));
      }
      auto check_index = [&](ColumnFamily family, std::string_view text) {
        if (!text.empty() && !Exists(family, codec::IndexKey(text, id))) {
          Problem(fmt::format("node {} misses its {} entry '{}'", id, kColumnFamilyNames[family], text));
        }
      };
      check_index(kNameIndexCf, FieldValue(node.fields, "name_key"));
      check_index(kAddressIndexCf, FieldValue(node.fields, "address_key"));
      for (const auto& source : node.sources) check_index(kSourceIndexCf, source);
    }
    return FromRocks(it->status(), "scan nodes");
  }

  Status CheckNodeKeys() {
    auto it = Scan(kNodeKeysCf);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.index_entries_checked;
      std::string_view key(it->key().data(), it->key().size());
      size_t sep = key.find('\0');
      if (sep == std::string_view::npos || it->value().size() != 8) {
        Problem("node_keys: malformed entry");
        continue;
      }
      NodeId id = codec::GetBigEndian64(std::string_view(it->value().data(), 8));
      auto node = Node(id);
      if (!node || node->kind != key.substr(0, sep) || node->key != key.substr(sep + 1)) {
        Problem(fmt::format("node_keys entry {}:{} points at node {} which does not carry it",
                            key.substr(0, sep), key.substr(sep + 1), id));
      }
    }
    return FromRocks(it->status(), "scan node_keys");
  }

  Status CheckIndex(ColumnFamily family) {
    auto it = Scan(family);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.index_entries_checked;
      std::string_view key(it->key().data(), it->key().size());
      if (key.size() < 9 || key[key.size() - 9] != '\0') {
        Problem(fmt::format("{}: malformed entry", kColumnFamilyNames[family]));
        continue;
      }
      std::string_view text = key.substr(0, key.size() - 9);
      NodeId id = codec::GetBigEndian64(key.substr(key.size() - 8));
      auto node = Node(id);
      bool carries = false;
      if (node) {
        if (family == kNameIndexCf) carries = FieldValue(node->fields, "name_key") == text;
        if (family == kAddressIndexCf) carries = FieldValue(node->fields, "address_key") == text;
        if (family == kSourceIndexCf) {
          carries = std::find(node->sources.begin(), node->sources.end(), text) != node->sources.end();
        }
      }
      if (!carries) {
        Problem(fmt::format("{} entry '{}' points at node {} which does not carry it",
                            kColumnFamilyNames[family], text, id));
      }
    }
    return FromRocks(it->status(), "scan index");
  }

  Status CheckAdjacency(StoreCounts& recount) {
    // One iterator, re-seeked per link: creating an iterator per link costs far more.
    std::unique_ptr<rocksdb::Iterator> obs(impl_.db->NewIterator(read_options_, impl_.cf[kObservationsCf]));
    for (ColumnFamily family : {kOutCf, kInCf}) {
      ColumnFamily mirror = family == kOutCf ? kInCf : kOutCf;
      auto it = Scan(family);
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        codec::AdjacencyParts parts;
        if (!codec::ParseAdjacencyKey(std::string_view(it->key().data(), it->key().size()), parts)) {
          Problem(fmt::format("{}: malformed key", kColumnFamilyNames[family]));
          continue;
        }
        bool symmetric = !it->value().empty() && (it->value()[0] & codec::kFlagSymmetric);
        std::string type_name;
        {
          std::lock_guard lock(impl_.mutex);
          type_name = impl_.TypeName(parts.type);
        }
        if (!Exists(mirror, codec::AdjacencyKey(parts.b, parts.type, parts.a))) {
          Problem(fmt::format("{} entry {} -{}-> {} has no mirror in {}", kColumnFamilyNames[family],
                              parts.a, type_name, parts.b, kColumnFamilyNames[mirror]));
        }
        if (family != kOutCf) continue;
        if (!Exists(kNodesCf, codec::NodeIdKey(parts.a)) || !Exists(kNodesCf, codec::NodeIdKey(parts.b))) {
          Problem(fmt::format("link {} -{}-> {} has an end that is not a node", parts.a, type_name, parts.b));
        }
        // A link counts once: directed by its out entry, symmetric by its canonical one.
        if (symmetric && parts.a > parts.b) continue;
        ++report_.links_checked;
        ++recount.links_by_type[type_name];
        std::string prefix = codec::AdjacencyKey(parts.a, parts.type, parts.b);
        obs->Seek(prefix);
        if (!obs->Valid() || !obs->key().starts_with(prefix)) {
          Problem(fmt::format("link {} -{}-> {} has no observations", parts.a, type_name, parts.b));
        }
      }
      TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan adjacency"));
    }
    return Status::Ok();
  }

  Status CheckObservations(StoreCounts& recount) {
    auto it = Scan(kObservationsCf);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      codec::AdjacencyParts parts;
      Observation obs;
      if (!codec::ParseObservationKey(std::string_view(it->key().data(), it->key().size()), parts, obs)) {
        Problem("observations: malformed key");
        continue;
      }
      Status decoded = codec::DecodeObservationValue(std::string_view(it->value().data(), it->value().size()), obs);
      if (!decoded.ok()) Problem(decoded.message());
      ++recount.observations_by_source[obs.source];
      if (!Exists(kOutCf, codec::AdjacencyKey(parts.a, parts.type, parts.b))) {
        Problem(fmt::format("observation of link {} -> {} without the link", parts.a, parts.b));
      }
    }
    return FromRocks(it->status(), "scan observations");
  }

  void CompareCounts(std::string_view what, const std::map<std::string, uint64_t>& maintained,
                     const std::map<std::string, uint64_t>& recount) {
    std::set<std::string> names;
    for (const auto& [name, n] : maintained) names.insert(name);
    for (const auto& [name, n] : recount) names.insert(name);
    for (const auto& name : names) {
      uint64_t a = maintained.contains(name) ? maintained.at(name) : 0;
      uint64_t b = recount.contains(name) ? recount.at(name) : 0;
      if (a != b) Problem(fmt::format("count of {} '{}' is {} but the store holds {}", what, name, a, b));
    }
  }

  const Store::Impl& impl_;
  VerifyReport& report_;
  rocksdb::ReadOptions read_options_;
  rocksdb::ReadOptions scan_options_;
  const rocksdb::Snapshot* snapshot_ = nullptr;
};

}  // namespace

StatusOr<VerifyReport> Store::Verify() const {
  VerifyReport report;
  rocksdb::Status checksums = impl_->db->VerifyChecksum();
  if (!checksums.ok()) report.problems.push_back("RocksDB checksum verification: " + checksums.ToString());
  Checker checker(*impl_, report);
  TRAFNET_RETURN_IF_ERROR(checker.Run());
  return report;
}

}  // namespace trafnet::storage
