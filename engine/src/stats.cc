#include "trafnet/engine/stats.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <map>
#include <vector>

namespace trafnet::engine {

namespace {

struct SourceCounts {
  std::string name;  // "(none)" for records without a source
  uint64_t nodes = 0;
  uint64_t observations = 0;
};

// Every source that reported nodes or observations, in name order.
std::vector<SourceCounts> BySource(const storage::StoreCounts& counts) {
  std::map<std::string, SourceCounts> sources;
  for (const auto& [source, n] : counts.nodes_by_source) sources[source].nodes = n;
  for (const auto& [source, n] : counts.observations_by_source) sources[source].observations = n;
  std::vector<SourceCounts> result;
  for (auto& [source, entry] : sources) {
    entry.name = source.empty() ? "(none)" : source;
    result.push_back(entry);
  }
  return result;
}

}  // namespace

std::string StatsJson(const storage::Store& store, bool include_size) {
  storage::StoreCounts counts = store.counts();
  nlohmann::json json;  // std::map-backed: keys sorted
  json["nodes"] = nlohmann::json::object();
  for (const auto& [kind, n] : counts.nodes_by_kind) json["nodes"][kind] = n;
  json["links"] = nlohmann::json::object();
  for (const auto& [type, n] : counts.links_by_type) json["links"][type] = n;
  json["observations"] = counts.observations;
  json["sources"] = nlohmann::json::object();
  for (const auto& source : BySource(counts)) {
    json["sources"][source.name] = {{"nodes", source.nodes}, {"observations", source.observations}};
  }
  if (include_size) json["store_bytes"] = store.SizeOnDisk();
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string StatsTable(const storage::Store& store) {
  storage::StoreCounts counts = store.counts();
  std::string out;
  out += fmt::format("{:<28}{:>14}\n", "nodes", counts.nodes);
  for (const auto& [kind, n] : counts.nodes_by_kind) out += fmt::format("  {:<26}{:>14}\n", kind, n);
  out += fmt::format("{:<28}{:>14}\n", "links", counts.links);
  for (const auto& [type, n] : counts.links_by_type) out += fmt::format("  {:<26}{:>14}\n", type, n);
  out += fmt::format("{:<28}{:>14}\n", "observations", counts.observations);
  out += "sources (nodes / observations)\n";
  for (const auto& source : BySource(counts)) {
    out += fmt::format("  {:<26}{:>14} / {}\n", source.name, source.nodes, source.observations);
  }
  out += fmt::format("{:<28}{:>14}\n", "store size (MB)",
                     fmt::format("{:.1f}", static_cast<double>(store.SizeOnDisk()) / 1e6));
  return out;
}

}  // namespace trafnet::engine
