// The trafnet store: nodes, links and their observations in an embedded RocksDB database.
//
// Column families (the key layout is documented in docs/storage.md):
//   nodes          node id → node record
//   node_keys      kind \0 natural key → node id        (source ids, E.164 numbers)
//   name_index     name key \0 node id → ""             (persons by folded name)
//                  \0 word \0 other word \0 node id → name key  (persons by any word of it)
//   address_index  address key \0 node id → ""          (addresses by folded text)
//   source_index   source \0 node id → ""               (nodes each agency reported)
//   out / in       node id, link type id, node id → flags (adjacency in either direction)
//   observations   link key, source \0 start \0 end → count and extra fields
//   meta           schema version, id counters, link type registry, counts, ingest runs
//
// Writes go through a ChangeSet: it resolves natural keys to ids, merges fields, and commits as
// one RocksDB WriteBatch, so a crash leaves either all of a change set or none of it. Node ids
// are assigned densely in the order nodes are first seen, so re-running an interrupted ingest
// from the start reproduces exactly the store an uninterrupted run would have made.
//
// Thread safety: a Store may be read from several threads. Only one ChangeSet may be open at a
// time, and only one process may open a store for writing (RocksDB's LOCK file enforces it).
#ifndef TRAFNET_STORAGE_STORE_H_
#define TRAFNET_STORAGE_STORE_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/storage/records.h"

namespace trafnet::storage {

inline constexpr int kSchemaVersion = 1;

struct StoreOptions {
  // Create the store when the directory holds none.
  bool create_if_missing = true;
  // Open without write access (no LOCK taken: another process may be writing).
  bool read_only = false;
  // With read_only: open as a RocksDB secondary instance that keeps its own logs in this folder
  // (which must not be the store's) and follows a writer in another process through CatchUp().
  // Every table file is kept open, so the writer's compactions cannot pull files from under it.
  std::filesystem::path secondary_dir;
  // RocksDB block cache, in bytes.
  size_t block_cache_bytes = 256 << 20;
  // Size of one memtable, in bytes; bigger absorbs bulk ingest with fewer flushes.
  size_t write_buffer_bytes = 128 << 20;
  // Memory for a change set's pending observations (and, while committing, its new adjacency
  // entries); beyond it they are sorted in runs on disk, in the store's staging folder.
  size_t sort_buffer_bytes = 128 << 20;
  // Natural keys a change set remembers as resolved (about 60 bytes each); past this many it
  // forgets those already committed and looks them up in RocksDB again.
  size_t resolved_cache_entries = 4'000'000;
  // After this many natural-key lookups a change set had to make in RocksDB (a big ingest into a
  // store that already holds nodes), it reads every natural key in one ordered scan instead,
  // when they fit in resolved_cache_entries: a scan costs well under a microsecond a key, a
  // point lookup a few. 0 never scans.
  size_t preload_keys_after_lookups = 50'000;
};

// What is in the store, as maintained by every commit and re-checked by Verify.
struct StoreCounts {
  std::map<std::string, uint64_t> nodes_by_kind;
  std::map<std::string, uint64_t> links_by_type;   // a link counts once, whatever its observations
  std::map<std::string, uint64_t> nodes_by_source;
  std::map<std::string, uint64_t> observations_by_source;
  uint64_t nodes = 0;
  uint64_t links = 0;
  uint64_t observations = 0;
  friend bool operator==(const StoreCounts&, const StoreCounts&) = default;
};

// One link as seen from one of its ends.
struct Adjacency {
  std::string type;
  NodeId other = 0;
  bool outgoing = true;    // this node is the link's `from` (always true for symmetric types)
  bool symmetric = false;
};

// How a node write combines with what is stored.
enum class MergePolicy {
  // Fields that are empty on one side are filled from the other; a field with two different
  // non-empty values is a conflict and the write is refused. For records read from input files.
  kRejectConflicts,
  // Stored values win; only missing fields are added. For nodes implied by a link (a phone
  // number written in links.csv) whose fields are evidence, not claims.
  kKeepExisting,
};

// What a node write did.
enum class NodeChange { kAdded, kMerged, kUnchanged };

struct NodeUpsert {
  NodeId id = 0;
  NodeChange change = NodeChange::kUnchanged;
};

// What the links and observations of change sets did, counted when they commit (existence is
// checked for a whole change set at once, in key order, rather than row by row).
struct LinkChanges {
  uint64_t links_added = 0;  // links (ends + type) that were new
  uint64_t observations_added = 0;
  uint64_t observations_updated = 0;    // same (link, source, start, end), new count or extras
  uint64_t observations_unchanged = 0;  // exactly as stored: nothing written
};

// Names of derived fields the store indexes.
inline constexpr std::string_view kNameKeyField = "name_key";
inline constexpr std::string_view kAddressKeyField = "address_key";
// The field a node's head carries beside its kind and key (docs/storage.md, node_heads): a
// scan asking for no field but this one reads the heads instead of the records.
inline constexpr std::string_view kStatusField = "status";

class Store;

// How far long work has come, for a progress line: the step it is in and `done` of the step's
// `total` records (0: not known ahead). Called on the working thread at the start and end of
// each step and every 65 536 records between. A commit's steps are kCommitStepObservations
// then kCommitStepAdjacency.
using StepProgressFn = std::function<void(std::string_view step, uint64_t done, uint64_t total)>;
inline constexpr std::string_view kCommitStepObservations = "merging observations";
inline constexpr std::string_view kCommitStepAdjacency = "writing adjacency";

// A set of changes committed atomically. Reads through it see its own pending writes.
class ChangeSet {
 public:
  ~ChangeSet();
  ChangeSet(const ChangeSet&) = delete;
  ChangeSet& operator=(const ChangeSet&) = delete;

  // The id of (kind, key), pending or stored, if there is one.
  StatusOr<std::optional<NodeId>> FindNode(std::string_view kind, std::string_view key);
  // A hint that FindNode(kind, key) comes soon: starts loading what it will read into the cache,
  // so that a caller that knows its next lookups (the ends of the link rows ahead) does not wait
  // for memory on each. Changes nothing.
  void PrefetchNode(std::string_view kind, std::string_view key) const;

  // Adds the node or merges `fields` and `source` into the stored one. A conflict under
  // kRejectConflicts is InvalidArgument naming the field and both values; nothing changes then.
  // `derived` are fields computed from the input (name_key, address_key, a phone's raw spelling
  // and quality): the first value stored wins and they never conflict. name_key and
  // address_key are indexed.
  StatusOr<NodeUpsert> UpsertNode(std::string_view kind, std::string_view key, Fields fields,
                                  Fields derived, std::string_view source, MergePolicy policy);

  // Adds an observation of the link (from, type, to). For a symmetric type the ends are put in
  // canonical order. Both ends must exist (pending or stored). An observation is identified by
  // (link, source, start, end); the same one again replaces count and extras. What it did is
  // counted in link_changes() when the change set commits.
  Status PutLink(NodeId from, std::string_view type, NodeId to, const Observation& observation);

  // Number of pending row-level writes (node upserts and observations), to decide when to
  // commit, and of pending node records, which are held in memory.
  size_t pending_operations() const;
  size_t pending_nodes() const;

  // Writes everything atomically, with the updated counts, then starts afresh. A small change set
  // goes in one WriteBatch; a large one is written as sorted SST files, one per column family,
  // ingested in one atomic IngestExternalFiles call (far faster for bulk loads, same guarantees).
  // `progress`, when given, hears how far the observations' part has come (the part that takes
  // long: tens of seconds for ten million links).
  Status Commit(const StepProgressFn& progress = {});

  // Writes the pending nodes (and new link types) atomically and keeps the pending
  // observations for a later Commit: bounds the node records held in memory without cutting
  // the run's links into many small overlapping files, each of which every later read of
  // adjacency would have to check.
  Status CommitNodes();

  // CommitNodes on another thread: the pending nodes (and their count changes) move to a
  // commit that runs while the caller goes on adding; new link types wait for Commit. Their
  // records stay readable to later upserts until it is done. Returns at once, after waiting
  // for the previous one; a failure is returned by the next CommitNodesInBackground, CommitNodes
  // or Commit (which all wait for it first) and leaves the change set unusable. Either way the
  // in-flight commit is atomic, as any other.
  Status CommitNodesInBackground();

  // Totals over every commit of this change set so far.
  const LinkChanges& link_changes() const;

 private:
  friend class Store;
  struct Impl;
  explicit ChangeSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A link summarised for building graphs: its ends and type, and its observations that fall in
// the scan's time window, folded into a count and a time span.
struct LinkSummary {
  NodeId from = 0;  // for symmetric types, from < to
  NodeId to = 0;
  uint16_t type = 0;  // index into Store::LinkTypeNames()
  bool symmetric = false;
  uint64_t count = 0;            // sum of the counts of the observations in the window
  uint32_t observations = 0;     // how many observations are in the window (at least 1)
  std::string_view first_start;  // earliest start among them, "" when none is dated
  std::string_view last_end;     // latest end (or start, when no end is given) among them
  bool open_start = false;       // one of them has an end and no start
  bool open_end = false;         // one of them has a start and no end
};

struct LinkScanOptions {
  // ISO dates (or datetimes; compared on their first 10 characters), empty for no bound. An
  // observation is in the window when its [start, end] overlaps [since, until]; an observation
  // without dates is always in it (no date is not evidence of being outside). A link none of
  // whose observations is in the window is skipped.
  std::string since;
  std::string until;
  // Node fields whose values ScanGraph passes along with each node (in this order; "" when a
  // node has no such field).
  std::vector<std::string> node_fields;
  // Without a window a scan reads each node's link totals (docs/storage.md, link_summaries)
  // where the store has them; this makes it read every observation instead, as a window does.
  // The links are the same either way (tests compare them).
  bool from_observations = false;
  // A scan whose node_fields are none or kStatusField alone reads the node heads
  // (docs/storage.md, node_heads) where the store has them; this makes it read the whole
  // records instead. The nodes are the same either way (tests compare them).
  bool from_node_records = false;
};

using NodeScanFn = std::function<void(NodeId id, std::string_view kind, std::string_view key,
                                      const std::vector<std::string_view>& fields)>;

struct VerifyReport {
  std::vector<std::string> problems;  // empty when the store is consistent
  uint64_t nodes_checked = 0;
  uint64_t links_checked = 0;
  uint64_t index_entries_checked = 0;
  bool ok() const { return problems.empty(); }
};

// A record of one ingest run, kept in meta for provenance.
struct IngestRunRecord {
  uint64_t run = 0;
  std::string json;  // started_at, finished_at, files with sizes and checksums, summary
};

// Reads for one query from one consistent snapshot, with RocksDB iterators kept open and sought
// again for each call: a query of hundreds of lookups (a neighbourhood, a path search) pays for
// creating iterators once instead of on every call. Not thread-safe: one per thread. It must
// not outlive its Store.
class StoreReader {
 public:
  ~StoreReader();
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  StatusOr<std::optional<NodeRecord>> GetNode(NodeId id);
  // The records of `ids` in one batched read (RocksDB MultiGet): element i is ids[i]'s record,
  // or empty when there is no such node. Cheaper than a GetNode each for a BFS level.
  StatusOr<std::vector<std::optional<NodeRecord>>> GetNodes(const std::vector<NodeId>& ids);
  // As Store::Neighbours and Store::GetLink.
  StatusOr<std::vector<Adjacency>> Neighbours(NodeId id);
  StatusOr<std::optional<LinkRecord>> GetLink(NodeId from, std::string_view type, NodeId to);
  // As Store::FindByNameWord, passing each (name key, node) to `fn` instead of copying them:
  // a name lookup reads thousands and keeps a few.
  Status ForEachByNameWord(std::string_view word, std::string_view partner_prefix, size_t limit,
                           const std::function<void(std::string_view name_key, NodeId node)>& fn);
  // As Store::NameWordsWithPrefix.
  StatusOr<std::vector<std::string>> NameWordsWithPrefix(std::string_view prefix, size_t limit);

  struct Impl;  // defined in storage/src

 private:
  friend class Store;
  explicit StoreReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Store {
 public:
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens (or creates) the store in `dir`. Opens with paranoid_checks and
  // track_and_verify_wals_in_manifest. A directory holding a store of another schema version
  // is FailedPrecondition.
  static StatusOr<std::unique_ptr<Store>> Open(const std::filesystem::path& dir,
                                               const StoreOptions& options = {});

  const std::filesystem::path& dir() const;

  // For a store opened with a secondary_dir: reads what the writing process has committed since
  // (new files, the write-ahead log's tail) and reloads counts and type names. Readers opened
  // before keep their snapshot. REQUIRES: no other call on this Store runs concurrently (a
  // server takes a writer lock around it). FailedPrecondition for any other store.
  Status CatchUp();

  // REQUIRES: opened for writing and no other ChangeSet open.
  std::unique_ptr<ChangeSet> NewChangeSet();

  StatusOr<std::optional<NodeId>> FindNode(std::string_view kind, std::string_view key) const;
  StatusOr<std::optional<NodeRecord>> GetNode(NodeId id) const;
  // Nodes whose name key (or address key) equals `key`, in id order.
  StatusOr<std::vector<NodeId>> FindByNameKey(std::string_view key) const;
  StatusOr<std::vector<NodeId>> FindByAddressKey(std::string_view key) const;
  // Name (address) keys starting with `prefix` and their nodes, in key order, at most `limit`
  // of them: the candidates of a fuzzy name search, the addresses of a street.
  StatusOr<std::vector<std::pair<std::string, NodeId>>> FindByNameKeyPrefix(
      std::string_view prefix, size_t limit) const;
  StatusOr<std::vector<std::pair<std::string, NodeId>>> FindByAddressKeyPrefix(
      std::string_view prefix, size_t limit) const;

  // The name-word index (docs/storage.md): for each person, each word of its name key paired
  // with each other word. True when it covers every person; a store written before trafnet had
  // it covers none, or only the persons written since, until BuildNameWordIndex has run.
  bool HasNameWordIndex() const;
  // Persons whose name key has the word `word` and another word starting with
  // `partner_prefix` (any other word, or none, when it is empty): (name key, node), at most
  // `limit` entries, ordered by partner word then node. A person is listed once per matching
  // partner word.
  StatusOr<std::vector<std::pair<std::string, NodeId>>> FindByNameWord(
      std::string_view word, std::string_view partner_prefix, size_t limit) const;
  // The distinct words of indexed name keys that start with `prefix`, in order, at most
  // `limit` (one seek each, whatever the number of persons carrying them).
  StatusOr<std::vector<std::string>> NameWordsWithPrefix(std::string_view prefix,
                                                         size_t limit) const;
  // Writes the word entries of every person and marks the index complete; returns the persons
  // indexed. Idempotent, and a crash part way leaves the index marked incomplete, so running
  // it again finishes it. For stores written before the index existed (Ingest calls it).
  // REQUIRES: opened for writing and no ChangeSet open.
  // `progress`, when given, hears how far the scan has come.
  StatusOr<uint64_t> BuildNameWordIndex(const StepProgressFn& progress = {});

  // The link summaries (docs/storage.md): per node, the totals of the observations of its
  // links, which full scans read instead of the observations. True when they cover every link;
  // a store written before trafnet had them has none until BuildLinkSummaries has run.
  bool HasLinkSummaries() const;
  // Writes the link summaries of every node from the observations and marks them complete;
  // returns the links summed up. Idempotent, and a crash part way leaves them marked
  // incomplete, so running it again finishes them. For stores written before they existed
  // (Ingest calls it). REQUIRES: opened for writing and no ChangeSet open.
  // `progress`, when given, hears how far the scan has come.
  StatusOr<uint64_t> BuildLinkSummaries(const StepProgressFn& progress = {});

  // The node heads (docs/storage.md): each node's kind, key and status, a value per 1024 node
  // ids, which full scans needing nothing else read instead of the records. True when they
  // cover every node; a store written before trafnet had them has none until BuildNodeHeads.
  bool HasNodeHeads() const;
  // Writes the heads of every node from its record and marks them complete; returns the nodes.
  // Idempotent and crash-safe as BuildLinkSummaries, for stores written before the heads
  // existed (Ingest calls it). REQUIRES: opened for writing and no ChangeSet open.
  StatusOr<uint64_t> BuildNodeHeads(const StepProgressFn& progress = {});

  // A reader for many reads from one snapshot (see StoreReader).
  std::unique_ptr<StoreReader> NewReader() const;

  // Every link touching `id`, outgoing then incoming, by a prefix scan of out and in.
  StatusOr<std::vector<Adjacency>> Neighbours(NodeId id) const;
  // The observations of one link (ends in canonical order for symmetric types).
  StatusOr<std::optional<LinkRecord>> GetLink(NodeId from, std::string_view type,
                                              NodeId to) const;

  // Full scans over a consistent snapshot, in id / link-key order. The callback may stop the
  // scan by returning a non-OK status, which is passed back.
  Status ForEachNode(const std::function<Status(const NodeRecord&)>& fn) const;
  Status ForEachLink(const std::function<Status(const LinkRecord&)>& fn) const;

  // Every node's kind and natural key, then every link with at least one observation in the
  // window, in id / key order, all from one consistent snapshot: what a graph projection needs,
  // without decoding whole records. The views passed to the callbacks live until they return.
  Status ScanGraph(const LinkScanOptions& options, const NodeScanFn& node_fn,
                   const std::function<void(const LinkSummary&)>& link_fn) const;
  // ScanGraph with the nodes, then the links, read in `parts` consecutive key ranges side by
  // side, one thread each. `node_fn` is called first, on the caller's thread, for every node in
  // id order, as in ScanGraph (the ranges after the first wait in memory for their turn).
  // `link_fn(part, link)` is called
  // from part's own thread, in key order within the part; the parts taken in order are
  // ScanGraph's order, and which link falls in which part does not change what each part sees
  // in sequence. Ranges are cut by node id at about equal bytes on disk. One part is ScanGraph.
  Status ScanGraphInParts(
      const LinkScanOptions& options, unsigned parts, const NodeScanFn& node_fn,
      const std::function<void(unsigned part, const LinkSummary&)>& link_fn) const;
  // Link type names by type id (id 0, never used, is "").
  std::vector<std::string> LinkTypeNames() const;

  StoreCounts counts() const;
  // Bytes on disk (SST and WAL files).
  uint64_t SizeOnDisk() const;

  // Ingest run provenance.
  StatusOr<uint64_t> BeginIngestRun(std::string json);
  Status FinishIngestRun(uint64_t run, std::string json);
  StatusOr<std::vector<IngestRunRecord>> IngestRuns() const;

  // RocksDB's checksum verification of every file plus the store's own invariants: every link
  // present in out and in, every adjacency entry has observations and existing ends, every index
  // entry points at a record that carries that key, the maintained counts match a recount.
  // `progress`, when given, hears its steps: "checksums" (RocksDB's, without counts), "nodes",
  // "indexes", "adjacency" (no total ahead) and "observations".
  StatusOr<VerifyReport> Verify(const StepProgressFn& progress = {}) const;

  // Flushes memtables to SST files.
  Status Flush();

  // Opaque; defined in storage/src.
  struct Impl;

 private:
  friend class ChangeSet;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_STORE_H_
