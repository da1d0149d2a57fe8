#include "trafnet/engine/stats.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

namespace trafnet::engine {

std::string StatsJson(const storage::Store& store, bool include_size) {
  storage::StoreCounts counts = store.counts();
  nlohmann::json json;  // std::map-backed: keys sorted
  json["nodes"] = nlohmann::json::object();
  for (const auto& [kind, n] : counts.nodes_by_kind) json["nodes"][kind] = n;
  json["links"] = nlohmann::json::object();
  for (const auto& [type, n] : counts.links_by_type) json["links"][type] = n;
  json["observations"] = counts.observations;
  json["sources"] = nlohmann::json::object();
  std::set<std::string> sources;
  for (const auto& [source, n] : counts.nodes_by_source) sources.insert(source);
  for (const auto& [source, n] : counts.observations_by_source) sources.insert(source);
  for (const auto& source : sources) {
    auto nodes = counts.nodes_by_source.find(source);
    auto obs = counts.observations_by_source.find(source);
    json["sources"][source.empty() ? "(none)" : source] = {
        {"nodes", nodes == counts.nodes_by_source.end() ? 0 : nodes->second},
        {"observations", obs == counts.observations_by_source.end() ? 0 : obs->second}};
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
  std::set<std::string> sources;
  for (const auto& [source, n] : counts.nodes_by_source) sources.insert(source);
  for (const auto& [source, n] : counts.observations_by_source) sources.insert(source);
  for (const auto& source : sources) {
    auto nodes = counts.nodes_by_source.find(source);
    auto obs = counts.observations_by_source.find(source);
    out += fmt::format("  {:<26}{:>14} / {}\n", source.empty() ? "(none)" : source,
                       nodes == counts.nodes_by_source.end() ? 0 : nodes->second,
                       obs == counts.observations_by_source.end() ? 0 : obs->second);
  }
  out += fmt::format("{:<28}{:>14}\n", "store size (MB)",
                     fmt::format("{:.1f}", static_cast<double>(store.SizeOnDisk()) / 1e6));
  return out;
}

}  // namespace trafnet::engine
