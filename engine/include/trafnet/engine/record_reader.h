// Streaming readers for the input formats: CSV (RFC 4180) and JSON Lines.
//
// Both yield Rows: one record's fields by column name with the line it started on, so the
// ingest can validate it and report "file:line: field: reason". Memory stays bounded by the
// limits below whatever the file size: an over-long field or record is reported and skipped,
// never buffered whole. A malformed record is reported as a RowError and the reader carries
// on with the next record, so one bad row never hides the good ones after it.
//
// Thread safety: a reader is used by one thread at a time.
#ifndef TRAFNET_ENGINE_RECORD_READER_H_
#define TRAFNET_ENGINE_RECORD_READER_H_

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/base/status.h"

namespace trafnet::engine {

struct ReaderLimits {
  // Longest single field, in bytes, after unquoting.
  size_t max_field_bytes = 64 * 1024;
  // Longest record (CSV: all its physical lines; JSONL: the line), in bytes.
  size_t max_record_bytes = 1024 * 1024;
};

// One record as read. The string_views point into the reader and stay valid until the next
// call to Next().
struct Row {
  uint64_t line = 0;  // 1-based physical line where the record starts
  // Column names and values in order. For CSV the names are the header's; for JSONL the
  // object's keys in file order (strings as-is, numbers and booleans as their JSON text,
  // null as empty).
  std::vector<std::string_view> names;
  std::vector<std::string_view> values;

  // The value of column `name`, or empty when the row has no such column. Rows are a handful of
  // columns, where a linear scan beats building an index per row; inline, so that a literal
  // name is compared as a few bytes, not through memcmp (a links.csv row looks up ten).
  std::string_view Get(std::string_view name) const {
    for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
      if (names[i] == name) return values[i];
    }
    return {};
  }
  bool Has(std::string_view name) const;
};

// A record that could not be read. The reader has skipped it.
struct RowError {
  uint64_t line = 0;     // 1-based line where the bad record starts
  std::string field;     // column name when known, else empty
  std::string reason;    // e.g. "expected 7 fields, found 5"
};

enum class ReadOutcome { kRow, kError, kEnd };

class RecordReader {
 public:
  virtual ~RecordReader() = default;

  // The header's column names (CSV) or empty (JSONL, where each row names its own fields).
  virtual const std::vector<std::string>& header() const = 0;

  // Reads the next record into `row` (kRow) or reports a skipped bad record in `error`
  // (kError), or says the input is exhausted (kEnd). An I/O failure is kError with line 0
  // and is followed by kEnd.
  virtual ReadOutcome Next(Row& row, RowError& error) = 0;

  // Bytes consumed so far, for progress reporting.
  virtual uint64_t bytes_read() const = 0;
};

// Opens a CSV file with a header row. Handles a UTF-8 BOM, CRLF or LF line ends, quoted fields
// with embedded commas, quotes ("") and newlines. A record whose field count differs from the
// header's is a RowError ("expected 7 fields, found 5"). An empty file or a file without a
// header is an error from Open (InvalidArgument naming the file); a header-only file yields kEnd.
StatusOr<std::unique_ptr<RecordReader>> OpenCsv(const std::filesystem::path& path,
                                                const ReaderLimits& limits = {});

// The same over an in-memory buffer (tests, fuzzers). `name` is used in messages.
StatusOr<std::unique_ptr<RecordReader>> OpenCsvBuffer(std::string data, std::string name,
                                                      const ReaderLimits& limits = {});

// Opens a JSON Lines file: one JSON object per line; blank lines are skipped. A line that is not
// a JSON object, or holds a nested object/array value, is a RowError.
StatusOr<std::unique_ptr<RecordReader>> OpenJsonl(const std::filesystem::path& path,
                                                  const ReaderLimits& limits = {});
StatusOr<std::unique_ptr<RecordReader>> OpenJsonlBuffer(std::string data, std::string name,
                                                        const ReaderLimits& limits = {});

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_RECORD_READER_H_
