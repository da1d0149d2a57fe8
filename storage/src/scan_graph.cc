// Store::ScanGraph: the fast, read-only full scan graph projections are built from.
#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <thread>

#include "index_build.h"
#include "link_totals.h"
#include "node_heads.h"
#include "step_reporter.h"
#include "store_impl.h"
#include "trafnet/base/bounded_queue.h"

namespace trafnet::storage {

namespace {

// The first 10 characters of an ISO date or datetime: the date, which orders as text.
std::string_view DatePart(std::string_view value) { return value.substr(0, 10); }

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

// No upper bound for ScanLinkRange.
constexpr NodeId kNoUpperBound = std::numeric_limits<NodeId>::max();

// An iterator for a full scan of the node-id-keyed range [lower, upper) of `family` (`upper`
// kNoUpperBound for none), at its first key: no block cache fill, 4 MiB readahead.
class RangeIterator {
 public:
  RangeIterator(const Store::Impl& impl, const rocksdb::Snapshot* snapshot, ColumnFamily family,
                NodeId lower, NodeId upper)
      : upper_key_(codec::NodeIdKey(upper)), upper_(upper_key_) {
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot;
    read_options.fill_cache = false;
    read_options.readahead_size = 4 << 20;
    if (upper != kNoUpperBound) read_options.iterate_upper_bound = &upper_;
    it_.reset(impl.db->NewIterator(read_options, impl.cf[family]));
    it_->Seek(codec::NodeIdKey(lower));
  }
  RangeIterator(const RangeIterator&) = delete;
  RangeIterator& operator=(const RangeIterator&) = delete;
  rocksdb::Iterator* operator->() const { return it_.get(); }

 private:
  std::string upper_key_;
  rocksdb::Slice upper_;  // what the read options point at
  std::unique_ptr<rocksdb::Iterator> it_;
};

// Summarises the observations of links whose first end is in [lower, upper) (node ids; `upper`
// kNoUpperBound for none) link by link, in key order, calling `emit` for each link with at least
// one observation in the window; the views in the summary live until `emit` returns. `emit`
// returns false to stop the scan early (not an error).
Status ScanLinkRange(const Store::Impl& impl, const rocksdb::Snapshot* snapshot, NodeId lower,
                     NodeId upper, const std::vector<bool>& symmetric,
                     const LinkScanOptions& options,
                     const std::function<bool(const LinkSummary&)>& emit) {
  RangeIterator it(impl, snapshot, kObservationsCf, lower, upper);
  LinkSummary link;
  std::string link_key, first_start, last_end;
  bool have = false;
  auto flush = [&]() -> bool {
    if (!have || link.observations == 0) return true;
    link.first_start = first_start;
    link.last_end = last_end;
    return emit(link);
  };
  for (; it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (key.size() < codec::kLinkKeyBytes) return CorruptionError("bad observation key");
    if (!have || key.substr(0, codec::kLinkKeyBytes) != link_key) {
      if (!flush()) return Status::Ok();
      have = true;
      link_key.assign(key.substr(0, codec::kLinkKeyBytes));
      codec::AdjacencyParts parts;
      codec::ParseAdjacencyKey(link_key, parts);
      link = LinkSummary{
          parts.a, parts.b, parts.type, parts.type < symmetric.size() && symmetric[parts.type],
          0,       0,       {},         {}};
      first_start.clear();
      last_end.clear();
    }
    std::string_view start, end;
    if (!codec::SplitObservationDates(key.substr(codec::kLinkKeyBytes), start, end)) {
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
  flush();
  return Status::Ok();
}

// ScanLinkRange's links read from link_summaries: a value per chunk of 1024 nodes, the same
// links, sums and order as summing up their observations without a window.
Status ScanSummaryRange(const Store::Impl& impl, const rocksdb::Snapshot* snapshot, NodeId lower,
                        NodeId upper, const std::vector<bool>& symmetric,
                        const std::function<bool(const LinkSummary&)>& emit) {
  RangeIterator it(impl, snapshot, kLinkSummariesCf, NodeChunkOf(lower), upper);
  LinkSummary link;
  LinkTotalsView totals;
  NodeId node = 0;
  std::string_view section;
  for (; it->Valid(); it->Next()) {
    if (it->key().size() != codec::kNodeIdBytes) return CorruptionError("bad link summary key");
    const NodeId first =
        codec::GetBigEndian64(std::string_view(it->key().data(), it->key().size()));
    LinkSummaryChunkReader chunk(first, std::string_view(it->value().data(), it->value().size()));
    while (chunk.Next(node, section)) {
      if (node < lower) continue;
      if (node >= upper) return Status::Ok();
      link.from = node;
      LinkTotalsReader reader(section);
      while (reader.Next(totals)) {
        link.to = totals.to;
        link.type = totals.type;
        link.symmetric = totals.type < symmetric.size() && symmetric[totals.type];
        link.count = totals.count;
        link.observations = static_cast<uint32_t>(totals.observations);
        link.first_start = totals.first_start;
        link.last_end = totals.last_end;
        link.open_start = totals.open_start;
        link.open_end = totals.open_end;
        if (!emit(link)) return Status::Ok();
      }
      if (reader.corrupt()) return CorruptionError("bad link summary value");
    }
    if (chunk.corrupt()) return CorruptionError("bad link summary value");
  }
  return FromRocks(it->status(), "scan link summaries");
}

// Whether a scan with `options` reads link_summaries rather than the observations: when there
// is no window and the summaries are complete in the scan's snapshot (BuildLinkSummaries may
// have completed them since, which a scan of an older snapshot must not trust). A family this
// instance has no handle to (opened read-only before it existed) is never read.
bool ReadsSummaries(const Store::Impl& impl, const rocksdb::Snapshot* snapshot,
                    const LinkScanOptions& options) {
  if (!options.since.empty() || !options.until.empty() || options.from_observations) return false;
  if (impl.cf[kLinkSummariesCf] == nullptr) return false;
  auto marker = impl.Get(kMetaCf, kMetaLinkSummaries, snapshot);
  return marker.ok() && marker->has_value();
}

// The links whose first end is in [lower, upper), from whichever family the scan reads.
Status ScanLinks(const Store::Impl& impl, const rocksdb::Snapshot* snapshot, NodeId lower,
                 NodeId upper, const std::vector<bool>& symmetric, const LinkScanOptions& options,
                 bool summaries, const std::function<bool(const LinkSummary&)>& emit) {
  if (summaries) return ScanSummaryRange(impl, snapshot, lower, upper, symmetric, emit);
  return ScanLinkRange(impl, snapshot, lower, upper, symmetric, options, emit);
}

std::vector<bool> SymmetricTypes(const Store& store) {
  std::vector<bool> symmetric;
  for (const auto& name : store.LinkTypeNames()) symmetric.push_back(IsSymmetricLinkType(name));
  return symmetric;
}

// Node ids that cut the observations into `parts` ranges of about equal size on disk (RocksDB's
// estimate): part p holds the links whose first end is in [bounds[p], bounds[p + 1]). A node's
// links all start with its id, so no link is cut. Estimates only steer the balance; any bounds
// give the same links.
std::vector<NodeId> PartBounds(const Store::Impl& impl, ColumnFamily family, NodeId end,
                               unsigned parts) {
  auto size_below = [&](NodeId id) -> uint64_t {
    const std::string from = codec::NodeIdKey(0), to = codec::NodeIdKey(id);
    rocksdb::Range range(from, to);
    rocksdb::SizeApproximationOptions approximation;
    approximation.include_memtables = true;
    approximation.include_files = true;
    uint64_t size = 0;
    if (!impl.db->GetApproximateSizes(approximation, impl.cf[family], &range, 1, &size).ok())
      return 0;
    return size;
  };
  const uint64_t total = size_below(end);
  std::vector<NodeId> bounds(parts + 1, end);
  bounds[0] = 0;
  for (unsigned p = 1; p < parts; ++p) {
    const uint64_t wanted = total / parts * p;
    NodeId low = bounds[p - 1], high = end;  // the first id whose prefix holds `wanted` bytes
    while (low < high) {
      const NodeId mid = low + (high - low) / 2;
      if (size_below(mid) < wanted) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    bounds[p] = total == 0 ? end * p / parts : low;
  }
  return bounds;
}

// Whether a scan with `options` reads node_heads rather than the node records: when it asks for
// no field but the status and the heads are complete in the scan's snapshot (as for
// ReadsSummaries).
bool ReadsHeads(const Store::Impl& impl, const rocksdb::Snapshot* snapshot,
                const LinkScanOptions& options) {
  if (options.from_node_records || options.node_fields.size() > 1) return false;
  if (options.node_fields.size() == 1 && options.node_fields[0] != kStatusField) return false;
  if (impl.cf[kNodeHeadsCf] == nullptr) return false;
  auto marker = impl.Get(kMetaCf, kMetaNodeHeads, snapshot);
  return marker.ok() && marker->has_value();
}

// ScanNodeRange's nodes read from node_heads: a value per chunk of 1024 ids.
Status ScanHeadRange(const Store::Impl& impl, const rocksdb::Snapshot* snapshot, NodeId lower,
                     NodeId upper, size_t num_fields,
                     const std::function<bool(std::unique_ptr<ScanBatch>)>& hand_over) {
  auto batch = std::make_unique<ScanBatch>();
  RangeIterator it(impl, snapshot, kNodeHeadsCf, NodeChunkOf(lower), upper);
  NodeHeadView head;
  for (; it->Valid(); it->Next()) {
    if (it->key().size() != codec::kNodeIdBytes) return CorruptionError("bad node heads key");
    const NodeId first =
        codec::GetBigEndian64(std::string_view(it->key().data(), it->key().size()));
    NodeHeadsReader reader(first, std::string_view(it->value().data(), it->value().size()));
    while (reader.Next(head)) {
      if (head.id < lower || head.id >= upper) continue;
      batch->node_ids.push_back(head.id);
      batch->node_refs.push_back(batch->Keep(head.kind));
      batch->node_refs.push_back(batch->Keep(head.key));
      if (num_fields == 1) batch->node_refs.push_back(batch->Keep(head.status));
    }
    if (reader.corrupt()) return CorruptionError("bad node heads value");
    if (batch->size() >= kScanBatchRecords) {
      if (!hand_over(std::move(batch))) return Status::Ok();
      batch = std::make_unique<ScanBatch>();
    }
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan node heads"));
  if (batch->size() > 0) hand_over(std::move(batch));
  return Status::Ok();
}

// Decodes the node records with ids in [lower, upper) (`upper` kNoUpperBound for none) into
// batches, in id order, handing each full one to `hand_over`, which returns false when nobody
// wants more. With `heads`, reads node_heads instead (ReadsHeads).
Status ScanNodeRange(const Store::Impl& impl, const rocksdb::Snapshot* snapshot, NodeId lower,
                     NodeId upper, const std::vector<std::string>& node_fields, bool heads,
                     const std::function<bool(std::unique_ptr<ScanBatch>)>& hand_over) {
  if (heads) return ScanHeadRange(impl, snapshot, lower, upper, node_fields.size(), hand_over);
  const size_t num_fields = node_fields.size();
  auto batch = std::make_unique<ScanBatch>();
  RangeIterator it(impl, snapshot, kNodesCf, lower, upper);
  std::vector<std::pair<uint32_t, uint32_t>> fields(num_fields);
  for (; it->Valid(); it->Next()) {
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
        if (!reader.String(name) || !reader.String(field_value))
          return CorruptionError("bad node record");
        for (size_t f = 0; f < num_fields; ++f) {
          if (name == node_fields[f]) fields[f] = batch->Keep(field_value);
        }
      }
    }
    batch->node_refs.insert(batch->node_refs.end(), fields.begin(), fields.end());
    if (batch->size() >= kScanBatchRecords) {
      if (!hand_over(std::move(batch))) return Status::Ok();
      batch = std::make_unique<ScanBatch>();
    }
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan nodes"));
  if (batch->size() > 0) hand_over(std::move(batch));
  return Status::Ok();
}

// Hands the nodes and links of a batch to the callbacks, in order.
void Deliver(const ScanBatch& batch, size_t num_fields, std::vector<std::string_view>& fields,
             const NodeScanFn& node_fn, const std::function<void(const LinkSummary&)>* link_fn) {
  for (size_t i = 0; i < batch.node_ids.size(); ++i) {
    const auto* refs = &batch.node_refs[i * (2 + num_fields)];
    for (size_t f = 0; f < num_fields; ++f) fields[f] = batch.View(refs[2 + f]);
    node_fn(batch.node_ids[i], batch.View(refs[0]), batch.View(refs[1]), fields);
  }
  for (size_t i = 0; i < batch.links.size(); ++i) {
    LinkSummary link = batch.links[i];
    link.first_start = batch.View(batch.link_dates[2 * i]);
    link.last_end = batch.View(batch.link_dates[2 * i + 1]);
    (*link_fn)(link);
  }
}

// RocksDB's iteration and decoding run on a thread of their own, a few batches ahead of the
// callbacks on the caller's thread; the callbacks see exactly the sequential scan's order.
// Without `link_fn` only the nodes are scanned.
Status ScanPipelined(const Store::Impl& impl, const std::vector<bool>& symmetric,
                     const rocksdb::Snapshot* snapshot, const LinkScanOptions& options,
                     const NodeScanFn& node_fn,
                     const std::function<void(const LinkSummary&)>* link_fn) {
  const size_t num_fields = options.node_fields.size();
  BoundedQueue<std::unique_ptr<ScanBatch>> queue(kScanBatchesAhead);
  Status scan_status;

  auto scan = [&]() -> Status {
    bool listening = true;
    TRAFNET_RETURN_IF_ERROR(ScanNodeRange(impl, snapshot, 0, kNoUpperBound, options.node_fields,
                                          ReadsHeads(impl, snapshot, options),
                                          [&](std::unique_ptr<ScanBatch> batch) {
                                            return listening = queue.Push(std::move(batch));
                                          }));
    if (!listening || link_fn == nullptr) return Status::Ok();
    auto batch = std::make_unique<ScanBatch>();
    auto hand_over = [&]() -> bool {
      if (batch->size() == 0) return true;
      bool more = queue.Push(std::move(batch));
      batch = std::make_unique<ScanBatch>();
      return more;
    };
    TRAFNET_RETURN_IF_ERROR(ScanLinks(impl, snapshot, 0, kNoUpperBound, symmetric, options,
                                      ReadsSummaries(impl, snapshot, options),
                                      [&](const LinkSummary& link) {
                                        batch->links.push_back(link);
                                        batch->link_dates.push_back(batch->Keep(link.first_start));
                                        batch->link_dates.push_back(batch->Keep(link.last_end));
                                        if (batch->size() >= kScanBatchRecords)
                                          listening = hand_over();
                                        return listening;
                                      }));
    if (listening) hand_over();
    return Status::Ok();
  };
  std::thread scanner([&] {
    scan_status = scan();
    queue.Close();
  });

  std::vector<std::string_view> fields(num_fields);
  while (std::optional<std::unique_ptr<ScanBatch>> next = queue.Pop()) {
    Deliver(**next, num_fields, fields, node_fn, link_fn);
  }
  queue.Stop();
  scanner.join();
  return scan_status;
}

// The node records read in `parts` id ranges side by side, one thread each, and handed to
// `node_fn` on the caller's thread in id order: the first range as it is read, the others from
// what their threads have read meanwhile (held in memory until then).
Status ScanNodesInParts(const Store::Impl& impl, const rocksdb::Snapshot* snapshot,
                        const LinkScanOptions& options, unsigned parts, const NodeScanFn& node_fn) {
  NodeId end = 0;
  {
    std::lock_guard lock(impl.mutex);
    end = impl.next_node_id;
  }
  const size_t num_fields = options.node_fields.size();
  std::vector<std::unique_ptr<BoundedQueue<std::unique_ptr<ScanBatch>>>> queues;
  for (unsigned part = 0; part < parts; ++part) {
    queues.push_back(std::make_unique<BoundedQueue<std::unique_ptr<ScanBatch>>>(
        part == 0 ? kScanBatchesAhead : std::numeric_limits<size_t>::max()));
  }
  std::vector<Status> statuses(parts);
  std::vector<std::thread> readers;
  const bool heads = ReadsHeads(impl, snapshot, options);
  for (unsigned part = 0; part < parts; ++part) {
    // Ids are dense: equal id ranges are about equal work. The last range has no upper bound.
    const NodeId lower = end / parts * part;
    const NodeId upper = part + 1 < parts ? end / parts * (part + 1) : kNoUpperBound;
    readers.emplace_back([&, part, lower, upper] {
      auto& queue = *queues[part];
      statuses[part] = ScanNodeRange(
          impl, snapshot, lower, upper, options.node_fields, heads,
          [&](std::unique_ptr<ScanBatch> batch) { return queue.Push(std::move(batch)); });
      queue.Close();
    });
  }
  std::vector<std::string_view> fields(num_fields);
  for (unsigned part = 0; part < parts; ++part) {
    while (std::optional<std::unique_ptr<ScanBatch>> next = queues[part]->Pop()) {
      Deliver(**next, num_fields, fields, node_fn, nullptr);
    }
    if (!statuses[part].ok()) break;  // (its reader has closed its queue, so it has set it)
  }
  for (auto& queue : queues) queue->Stop();
  for (std::thread& reader : readers) reader.join();
  for (const Status& status : statuses) TRAFNET_RETURN_IF_ERROR(status);
  return Status::Ok();
}

}  // namespace

Status Store::ScanGraph(const LinkScanOptions& options, const NodeScanFn& node_fn,
                        const std::function<void(const LinkSummary&)>& link_fn) const {
  const rocksdb::Snapshot* snapshot = impl_->GetSnapshot();
  Status status =
      ScanPipelined(*impl_, SymmetricTypes(*this), snapshot, options, node_fn, &link_fn);
  impl_->ReleaseSnapshot(snapshot);
  return status;
}

Status Store::ScanGraphInParts(
    const LinkScanOptions& options, unsigned parts, const NodeScanFn& node_fn,
    const std::function<void(unsigned part, const LinkSummary&)>& link_fn) const {
  if (parts < 1) return InvalidArgumentError("a scan needs at least one part");
  if (parts == 1) {
    return ScanGraph(options, node_fn, [&](const LinkSummary& link) { link_fn(0, link); });
  }
  const rocksdb::Snapshot* snapshot = impl_->GetSnapshot();
  NodeId end = 0;
  auto count_nodes = [&](NodeId id, std::string_view kind, std::string_view key,
                         const std::vector<std::string_view>& fields) {
    end = std::max(end, id + 1);
    node_fn(id, kind, key, fields);
  };
  const std::vector<bool> symmetric = SymmetricTypes(*this);
  Status status = ScanNodesInParts(*impl_, snapshot, options, parts, count_nodes);
  if (status.ok()) {
    const bool summaries = ReadsSummaries(*impl_, snapshot, options);
    const std::vector<NodeId> bounds =
        PartBounds(*impl_, summaries ? kLinkSummariesCf : kObservationsCf, end, parts);
    std::vector<Status> statuses(parts);
    auto run = [&](unsigned part) {
      // The last part runs to the end of the family, past every node id the scan saw.
      const NodeId upper = part + 1 < parts ? bounds[part + 1] : kNoUpperBound;
      statuses[part] = ScanLinks(*impl_, snapshot, bounds[part], upper, symmetric, options,
                                 summaries, [&](const LinkSummary& link) {
                                   link_fn(part, link);
                                   return true;
                                 });
    };
    std::vector<std::thread> workers;
    for (unsigned part = 1; part < parts; ++part) workers.emplace_back(run, part);
    run(0);
    for (std::thread& worker : workers) worker.join();
    for (const Status& part_status : statuses) {
      if (!part_status.ok()) {
        status = part_status;
        break;
      }
    }
  }
  impl_->ReleaseSnapshot(snapshot);
  return status;
}

bool Store::HasLinkSummaries() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->link_summaries;
}

StatusOr<uint64_t> Store::BuildLinkSummaries(const StepProgressFn& progress) {
  TRAFNET_ASSIGN_OR_RETURN(auto build, IndexBuild::Begin(*impl_, "the link summaries"));
  StepReporter reporter(progress);
  reporter.Begin("summing links", impl_->CountsNow().links);
  // Each chunk's value is written whole, from one snapshot's observations, which no change set
  // can alter meanwhile. Values of nodes without observations (left by a corruption or an
  // edit), and those of a store written before the chunks (a value per node), go too: every
  // value is written again from the observations, or removed.
  TRAFNET_RETURN_IF_ERROR(build->ClearNodeKeyed(kLinkSummariesCf));
  TRAFNET_RETURN_IF_ERROR(build->Delete(kMetaCf, kMetaLinkSummariesPerNode));
  const rocksdb::Snapshot* snapshot = impl_->GetSnapshot();
  uint64_t links = 0;
  std::optional<NodeId> node, chunk;
  std::vector<LinkTotals> totals;
  std::string chunk_value;
  Status status = Status::Ok();
  auto end_node = [&]() {
    if (!node) return;
    AppendLinkSection(chunk_value, *chunk, *node, EncodeLinkTotals(totals));
    totals.clear();
  };
  auto put_chunk = [&]() -> Status {
    if (!chunk) return Status::Ok();
    return build->Put(kLinkSummariesCf, codec::NodeIdKey(*chunk), chunk_value);
  };
  LinkScanOptions all;
  all.from_observations = true;
  Status scanned = ScanLinkRange(
      *impl_, snapshot, 0, kNoUpperBound, SymmetricTypes(*this), all, [&](const LinkSummary& link) {
        if (node != link.from) {
          end_node();
          node = link.from;
          if (chunk != NodeChunkOf(link.from)) {
            status = put_chunk();
            chunk = NodeChunkOf(link.from);
            chunk_value = StartLinkSummaryChunk();
          }
        }
        totals.push_back(LinkTotals{link.type, link.to, link.count, link.observations,
                                    std::string(link.first_start), std::string(link.last_end),
                                    link.open_start, link.open_end});
        ++links;
        reporter.Tick();
        return status.ok();
      });
  impl_->ReleaseSnapshot(snapshot);
  TRAFNET_RETURN_IF_ERROR(scanned);
  TRAFNET_RETURN_IF_ERROR(status);
  end_node();
  TRAFNET_RETURN_IF_ERROR(put_chunk());
  reporter.End();
  TRAFNET_RETURN_IF_ERROR(
      build->Complete(kLinkSummariesCf, kMetaLinkSummaries, &Store::Impl::link_summaries));
  return links;
}

}  // namespace trafnet::storage
