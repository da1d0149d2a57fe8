// Export of the whole store: CSV and JSON Lines in the v1 input contract (they round-trip through
// ingest into a new store with identical stats), GraphML (yEd, Gephi) and GEXF 1.3 (Gephi).
//
// CSV cells that a spreadsheet would run as a formula (starting with = + - @ tab or CR) are
// written with a leading apostrophe; ingest reads such a cell without it.
#ifndef TRAFNET_ENGINE_EXPORT_H_
#define TRAFNET_ENGINE_EXPORT_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/storage/store.h"

namespace trafnet::engine {

enum class ExportFormat { kCsv, kJsonl, kGraphml, kGexf };

// "csv", "jsonl", "graphml", "gexf" → the format; InvalidArgument otherwise.
StatusOr<ExportFormat> ParseExportFormat(std::string_view name);

struct ExportOptions {
  ExportFormat format = ExportFormat::kCsv;
  // CSV: a folder (created) that receives persons.csv, addresses.csv, phones.csv, links.csv and
  // one <kind>s.csv per other node kind. Other formats: the file to write.
  std::filesystem::path out;
  bool quiet = false;
};

struct ExportSummary {
  uint64_t nodes = 0;
  uint64_t links = 0;
  uint64_t rows = 0;  // rows or elements written
};

StatusOr<ExportSummary> Export(const storage::Store& store, const ExportOptions& options);

// The spreadsheet formula guard: "=1+1" → "'=1+1"; other text unchanged.
std::string GuardFormula(std::string_view cell);
// The inverse, applied by ingest: "'=1+1" → "=1+1"; other text unchanged.
std::string_view UnguardFormula(std::string_view cell);
// One CSV line (RFC 4180 quoting, "\n" ending) of guarded cells.
std::string CsvRow(const std::vector<std::string>& cells);
// Text for an XML attribute or element: & < > " ' escaped, and the control characters XML 1.0
// forbids (all below 0x20 but tab, LF, CR) dropped.
std::string XmlEscape(std::string_view text);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_EXPORT_H_
