// Feeds arbitrary bytes to the CSV reader with small limits, so over-long fields and records
// and records split across reads are all reachable from short inputs, and reads to the end
// checking what every caller relies on.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "trafnet/engine/record_reader.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using trafnet::engine::ReadOutcome;
  const trafnet::engine::ReaderLimits limits{.max_field_bytes = 16, .max_record_bytes = 64};
  auto opened = trafnet::engine::OpenCsvBuffer(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv", limits);
  if (!opened.ok()) {
    Require(!opened.status().message().empty());
    return 0;
  }
  trafnet::engine::RecordReader& reader = **opened;
  const auto& header = reader.header();
  Require(!header.empty());
  trafnet::engine::Row row;
  trafnet::engine::RowError error;
  uint64_t last_line = 0;
  size_t outcomes = 0;
  for (;;) {
    const ReadOutcome outcome = reader.Next(row, error);
    if (outcome == ReadOutcome::kEnd) break;
    // Every record but the last ends in a line break, so records start on distinct lines and
    // there are no more of them than bytes: the reader terminates.
    Require(++outcomes <= size);
    const uint64_t line = outcome == ReadOutcome::kRow ? row.line : error.line;
    Require(line > last_line);
    last_line = line;
    Require(reader.bytes_read() <= size);
    if (outcome == ReadOutcome::kError) {
      Require(!error.reason.empty());
      continue;
    }
    Require(row.names.size() == row.values.size());
    Require(row.values.size() == header.size());
    for (size_t i = 0; i < row.values.size(); ++i) {
      Require(row.names[i] == header[i]);
      Require(row.values[i].size() <= limits.max_field_bytes);
    }
  }
  Require(reader.bytes_read() == size);
  Require(reader.Next(row, error) == ReadOutcome::kEnd);
  return 0;
}
