// Ingest: CSV / JSON Lines files in the v1 input contract → the store.
//
// Every row is validated and normalised before anything is written; a bad row is reported
// (file, line, field, reason), written to the rejects file and skipped, and the good rows land.
// With `strict`, the input is first validated whole and any bad row aborts the ingest with
// nothing written. Rows are committed in change sets of bounded size, each one RocksDB
// WriteBatch, so memory stays bounded and a kill -9 at any moment leaves a consistent store;
// re-running the same ingest then gives exactly what an uninterrupted run would have.
// Re-ingesting the same files changes nothing.
#ifndef TRAFNET_ENGINE_INGEST_H_
#define TRAFNET_ENGINE_INGEST_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/engine/record_reader.h"
#include "trafnet/storage/store.h"

namespace trafnet::engine {

struct IngestOptions {
  // Region assumed for phone numbers written without an international prefix.
  std::string region = "RS";
  // Validate everything first; any bad row aborts the ingest with nothing written.
  bool strict = false;
  // No progress line on the terminal.
  bool quiet = false;
  // Where `ingest-<run>-summary.json` and `ingest-<run>-rejects.csv` are written.
  std::filesystem::path report_dir = ".";
  // Row-level writes (node upserts and link observations) per atomic commit. Pending
  // observations wait sorted on disk, so this bounds how much work a crash can undo, not memory;
  // pending node records are in memory and are committed alone every `commit_nodes_every`.
  size_t commit_every = 16'000'000;
  size_t commit_nodes_every = 250'000;
  ReaderLimits limits;
};

// One rejected row.
struct Reject {
  std::string file;
  uint64_t line = 0;
  std::string field;
  std::string reason;
};

// Throughput at a point of a file: rows read so far and the rate since the previous checkpoint.
struct RateCheckpoint {
  double fraction = 0;  // of the file's bytes
  uint64_t rows = 0;
  double seconds = 0;           // since the file was opened
  double rows_per_second = 0;   // over the interval since the previous checkpoint
};

struct FileSummary {
  std::string path;
  std::string kind;  // "person", "address", "phone", "link", another node kind, or "mixed" (JSONL)
  uint64_t bytes = 0;
  uint32_t crc32 = 0;
  uint64_t rows_read = 0;
  uint64_t rows_rejected = 0;
  bool rejected = false;  // the whole file was refused (empty, no or bad header)
  // Columns outside the contract: kept as attributes, listed here so nothing goes unnoticed.
  std::vector<std::string> unknown_columns;
  // Rate at 10%, 50% and 100% of the file, to see whether ingest slows as the store grows.
  std::vector<RateCheckpoint> rates;
};

struct IngestSummary {
  uint64_t run = 0;  // 0 when nothing was written (strict abort)
  std::string started_at;   // UTC, ISO 8601
  std::string finished_at;
  std::vector<FileSummary> files;
  std::vector<std::string> ignored_files;  // in a folder, files that are not input
  uint64_t rows_read = 0;
  uint64_t rows_rejected = 0;
  uint64_t files_rejected = 0;  // whole files refused (empty, no or bad header)
  uint64_t nodes_added = 0;
  uint64_t nodes_merged = 0;
  uint64_t nodes_unchanged = 0;
  uint64_t links_added = 0;
  uint64_t observations_added = 0;
  uint64_t observations_updated = 0;
  uint64_t observations_unchanged = 0;
  uint64_t invalid_phones = 0;  // mentions of phones kept but flagged as not valid numbers
  bool aborted = false;         // strict mode found bad rows; nothing was written
  double seconds = 0;
  // Of which the last commit, after every file was read: sorting the pending observations and
  // merging them into the store (the per-file rates above do not include it).
  double final_commit_seconds = 0;
  // Of which its two long steps, in order, with their seconds: "merging observations" (the
  // pending observations, sorted, against the stored ones) and "writing adjacency" (the new
  // links' entries both ways); a step with nothing to do is left out.
  std::vector<std::pair<std::string, double>> final_commit_steps;
  std::vector<Reject> rejects_shown;  // the first rejects, for printing (all are in the file)
  std::filesystem::path rejects_path;
  std::filesystem::path summary_path;

  std::string ToJson() const;
  // True when anything was rejected (a row or a whole file): the command exits non-zero.
  bool AnythingRejected() const { return rows_rejected > 0 || files_rejected > 0; }
};

// Ingests `inputs` (folders and/or files) into `store`. Returns an error only when the ingest
// cannot run at all (unreadable input, store failure); bad rows are counted in the summary.
StatusOr<IngestSummary> Ingest(storage::Store& store,
                               const std::vector<std::filesystem::path>& inputs,
                               const IngestOptions& options);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_INGEST_H_
