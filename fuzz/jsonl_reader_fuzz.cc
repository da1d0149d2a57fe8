// Feeds arbitrary bytes to the JSON Lines reader with small limits, so over-long values and
// lines and lines split across reads are all reachable from short inputs, and reads to the end
// checking what every caller relies on.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/engine/record_reader.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using trafnet::engine::ReadOutcome;
  const trafnet::engine::ReaderLimits limits{.max_field_bytes = 16, .max_record_bytes = 96};
  auto opened = trafnet::engine::OpenJsonlBuffer(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.jsonl", limits);
  Require(opened.ok());
  trafnet::engine::RecordReader& reader = **opened;
  Require(reader.header().empty());
  trafnet::engine::Row row;
  trafnet::engine::RowError error;
  std::vector<std::string_view> names;
  uint64_t last_line = 0;
  size_t outcomes = 0;
  for (;;) {
    const ReadOutcome outcome = reader.Next(row, error);
    if (outcome == ReadOutcome::kEnd) break;
    Require(++outcomes <= size);
    const uint64_t line = outcome == ReadOutcome::kRow ? row.line : error.line;
    Require(line > last_line);
    last_line = line;
    if (outcome == ReadOutcome::kError) {
      Require(!error.reason.empty());
      continue;
    }
    Require(row.names.size() == row.values.size());
    for (const std::string_view value : row.values) Require(value.size() <= limits.max_field_bytes);
    names.assign(row.names.begin(), row.names.end());
    std::sort(names.begin(), names.end());
    Require(std::adjacent_find(names.begin(), names.end()) == names.end());
  }
  Require(reader.bytes_read() == size);
  Require(reader.Next(row, error) == ReadOutcome::kEnd);
  return 0;
}
