// Store::ScanGraph: the fast, read-only full scan graph projections are built from.
#include <algorithm>
#include <memory>
#include <optional>
#include <thread>

#include "store_impl.h"
#include "trafnet/base/bounded_queue.h"

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

namespace {

// Records decoded by the scanning thread, copied out of RocksDB's buffers, for the caller's
// thread to hand to the callbacks.
struct ScanBatch {
  std::string arena;  // the bytes the offsets below point into
  // Nodes: id, then 2 + F (offset, size) pairs per node: kind, key, the F requested fields.
  std::vector<NodeId> node_ids;
  std::vector<std::pair<uint32_t, uint32_t>> node_refs;
  // Links, with first_start and last_end as (offset, size) pairs.
  std::vector<LinkSummary> links;
  std::vector<std::pair<uint32_t, uint32_t>> link_dates;

  std::pair<uint32_t, uint32_t> Keep(std::string_view text) {
    std::pair<uint32_t, uint32_t> ref(static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(text.size()));
    arena.append(text);
    return ref;
  }
  std::string_view View(std::pair<uint32_t, uint32_t> ref) const { return {arena.data() + ref.first, ref.second}; }
  size_t size() const { return node_ids.size() + links.size(); }
};

constexpr size_t kScanBatchRecords = 8192;
constexpr size_t kScanBatchesAhead = 4;

}  // namespace

// RocksDB's iteration and decoding run on a thread of their own, a few batches ahead of the
// callbacks on the caller's thread; the callbacks see exactly the sequential scan's order.
Status Store::ScanGraph(const LinkScanOptions& options, const NodeScanFn& node_fn,
                        const std::function<void(const LinkSummary&)>& link_fn) const {
  const rocksdb::Snapshot* snapshot = impl_->GetSnapshot();
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  read_options.fill_cache = false;
  read_options.readahead_size = 4 << 20;
  std::vector<bool> symmetric;
  for (const auto& name : LinkTypeNames()) symmetric.push_back(IsSymmetricLinkType(name));
  const size_t num_fields = options.node_fields.size();
  BoundedQueue<std::unique_ptr<ScanBatch>> queue(kScanBatchesAhead);
  Status scan_status;

  auto scan = [&]() -> Status {
    auto batch = std::make_unique<ScanBatch>();
    auto hand_over = [&]() -> bool {
      if (batch->size() == 0) return true;
      bool listening = queue.Push(std::move(batch));
      batch = std::make_unique<ScanBatch>();
      return listening;
    };
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read_options, impl_->cf[kNodesCf]));
    std::vector<std::pair<uint32_t, uint32_t>> fields(num_fields);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      std::string_view value(it->value().data(), it->value().size());
      if (key.size() != 8 || value.empty()) return CorruptionError("bad node record");
      codec::Reader reader(value.substr(1));
      std::string_view kind, natural;
      uint64_t count = 0;
      if (!reader.String(kind) || !reader.String(natural)) return CorruptionError("bad node record");
      batch->node_ids.push_back(codec::GetBigEndian64(key));
      batch->node_refs.push_back(batch->Keep(kind));
      batch->node_refs.push_back(batch->Keep(natural));
      std::fill(fields.begin(), fields.end(), std::pair<uint32_t, uint32_t>(0, 0));
      if (num_fields > 0) {
        if (!reader.Varint(count)) return CorruptionError("bad node record");
        for (uint64_t i = 0; i < count; ++i) {
          std::string_view name, field_value;
          if (!reader.String(name) || !reader.String(field_value)) return CorruptionError("bad node record");
          for (size_t f = 0; f < num_fields; ++f) {
            if (name == options.node_fields[f]) fields[f] = batch->Keep(field_value);
          }
        }
      }
      batch->node_refs.insert(batch->node_refs.end(), fields.begin(), fields.end());
      if (batch->size() >= kScanBatchRecords && !hand_over()) return Status::Ok();
    }
    TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan nodes"));
    if (!hand_over()) return Status::Ok();

    it.reset(impl_->db->NewIterator(read_options, impl_->cf[kObservationsCf]));
    LinkSummary link;
    std::string link_key, first_start, last_end;
    bool have = false;
    auto emit = [&] {
      if (!have || link.observations == 0) return;
      batch->links.push_back(link);
      batch->link_dates.push_back(batch->Keep(first_start));
      batch->link_dates.push_back(batch->Keep(last_end));
    };
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      if (key.size() < codec::kLinkKeyBytes) return CorruptionError("bad observation key");
      if (!have || key.substr(0, codec::kLinkKeyBytes) != link_key) {
        emit();
        if (batch->size() >= kScanBatchRecords && !hand_over()) return Status::Ok();
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
      link.open_start |= start.empty() && !end.empty();
      link.open_end |= !start.empty() && end.empty();
    }
    TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan observations"));
    emit();
    hand_over();
    return Status::Ok();
  };
  std::thread scanner([&] {
    scan_status = scan();
    queue.Close();
  });

  std::vector<std::string_view> fields(num_fields);
  while (std::optional<std::unique_ptr<ScanBatch>> next = queue.Pop()) {
    const ScanBatch* batch = next->get();
    for (size_t i = 0; i < batch->node_ids.size(); ++i) {
      const auto* refs = &batch->node_refs[i * (2 + num_fields)];
      for (size_t f = 0; f < num_fields; ++f) fields[f] = batch->View(refs[2 + f]);
      node_fn(batch->node_ids[i], batch->View(refs[0]), batch->View(refs[1]), fields);
    }
    for (size_t i = 0; i < batch->links.size(); ++i) {
      LinkSummary link = batch->links[i];
      link.first_start = batch->View(batch->link_dates[2 * i]);
      link.last_end = batch->View(batch->link_dates[2 * i + 1]);
      link_fn(link);
    }
  }
  queue.Stop();
  scanner.join();
  impl_->ReleaseSnapshot(snapshot);
  return scan_status;
}

}  // namespace trafnet::storage
