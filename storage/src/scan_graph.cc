// Store::ScanGraph: the fast, read-only full scan graph projections are built from.
#include <algorithm>

#include "store_impl.h"

namespace trafnet::storage {

namespace {

// The first 10 characters of an ISO date or datetime: the date, which orders as text.
std::string_view DatePart(std::string_view value) { return value.substr(0, 10); }

// The observation key's source, start and end (after the 18-byte link key).
bool SplitObservationSuffix(std::string_view suffix, std::string_view& start, std::string_view& end) {
  size_t first = suffix.find('\0');
  if (first == std::string_view::npos) return false;
  size_t second = suffix.find('\0', first + 1);
  if (second == std::string_view::npos) return false;
  start = suffix.substr(first + 1, second - first - 1);
  end = suffix.substr(second + 1);
  return true;
}

bool InWindow(std::string_view start, std::string_view end, const LinkScanOptions& options) {
  if (start.empty() && end.empty()) return true;
  std::string_view from = DatePart(start.empty() ? end : start);
  std::string_view to = DatePart(end.empty() ? start : end);
  if (!options.since.empty() && to < DatePart(options.since)) return false;
  if (!options.until.empty() && from > DatePart(options.until)) return false;
  return true;
}

}  // namespace

std::vector<std::string> Store::LinkTypeNames() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<std::string> names;
  for (const auto& [id, name] : impl_->type_names) {
    if (id >= names.size()) names.resize(id + 1);
    names[id] = name;
  }
  if (names.empty()) names.resize(1);
  return names;
}

Status Store::ScanGraph(const LinkScanOptions& options, const NodeScanFn& node_fn,
                        const std::function<void(const LinkSummary&)>& link_fn) const {
  const rocksdb::Snapshot* snapshot = impl_->db->GetSnapshot();
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  read_options.fill_cache = false;
  read_options.readahead_size = 4 << 20;
  std::vector<bool> symmetric;
  for (const auto& name : LinkTypeNames()) symmetric.push_back(IsSymmetricLinkType(name));

  std::vector<std::string_view> fields(options.node_fields.size());
  auto scan = [&]() -> Status {
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read_options, impl_->cf[kNodesCf]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      std::string_view value(it->value().data(), it->value().size());
      if (key.size() != 8 || value.empty()) return CorruptionError("bad node record");
      codec::Reader reader(value.substr(1));
      std::string_view kind, natural;
      uint64_t count = 0;
      if (!reader.String(kind) || !reader.String(natural)) return CorruptionError("bad node record");
      std::fill(fields.begin(), fields.end(), std::string_view());
      if (!fields.empty()) {
        if (!reader.Varint(count)) return CorruptionError("bad node record");
        for (uint64_t i = 0; i < count; ++i) {
          std::string_view name, field_value;
          if (!reader.String(name) || !reader.String(field_value)) return CorruptionError("bad node record");
          for (size_t f = 0; f < fields.size(); ++f) {
            if (name == options.node_fields[f]) fields[f] = field_value;
          }
        }
      }
      node_fn(codec::GetBigEndian64(key), kind, natural, fields);
    }
    TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan nodes"));

    it.reset(impl_->db->NewIterator(read_options, impl_->cf[kObservationsCf]));
    LinkSummary link;
    std::string link_key, first_start, last_end;
    bool have = false;
    auto emit = [&] {
      if (!have || link.observations == 0) return;
      link.first_start = first_start;
      link.last_end = last_end;
      link_fn(link);
    };
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      if (key.size() < codec::kLinkKeyBytes) return CorruptionError("bad observation key");
      if (!have || key.substr(0, codec::kLinkKeyBytes) != link_key) {
        emit();
        have = true;
        link_key.assign(key.substr(0, codec::kLinkKeyBytes));
        codec::AdjacencyParts parts;
        codec::ParseAdjacencyKey(link_key, parts);
        link = LinkSummary{parts.a, parts.b, parts.type,
                           parts.type < symmetric.size() && symmetric[parts.type], 0, 0, {}, {}};
        first_start.clear();
        last_end.clear();
      }
      std::string_view start, end;
      if (!SplitObservationSuffix(key.substr(codec::kLinkKeyBytes), start, end)) {
        return CorruptionError("bad observation key");
      }
      if (!InWindow(start, end, options)) continue;
      std::string_view value(it->value().data(), it->value().size());
      codec::Reader reader(value.substr(std::min<size_t>(1, value.size())));
      uint64_t count = 0;
      if (value.empty() || !reader.Varint(count)) return CorruptionError("bad observation value");
      link.count += count;
      ++link.observations;
      if (!start.empty() && (first_start.empty() || start < first_start)) first_start.assign(start);
      std::string_view last = end.empty() ? start : end;
      if (!last.empty() && last > last_end) last_end.assign(last);
    }
    TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan observations"));
    emit();
    return Status::Ok();
  };
  Status status = scan();
  impl_->db->ReleaseSnapshot(snapshot);
  return status;
}

}  // namespace trafnet::storage
