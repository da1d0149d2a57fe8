#include <nlohmann/json.hpp>

#include "trafnet/engine/ingest.h"

namespace trafnet::engine {

std::string IngestSummary::ToJson() const {
  nlohmann::ordered_json json;
  json["run"] = run;
  json["started_at"] = started_at;
  json["finished_at"] = finished_at;
  json["aborted"] = aborted;
  json["seconds"] = seconds;
  json["final_commit_seconds"] = final_commit_seconds;
  auto& steps = json["final_commit_steps"] = nlohmann::ordered_json::object();
  for (const auto& [step, step_seconds] : final_commit_steps) steps[step] = step_seconds;
  json["rows"] = {{"read", rows_read}, {"rejected", rows_rejected}};
  json["files_rejected"] = files_rejected;
  json["nodes"] = {{"added", nodes_added}, {"merged", nodes_merged}, {"unchanged", nodes_unchanged}};
  json["links"] = {{"added", links_added}};
  json["observations"] = {
      {"added", observations_added}, {"updated", observations_updated}, {"unchanged", observations_unchanged}};
  json["invalid_phones"] = invalid_phones;
  auto& files_json = json["files"] = nlohmann::ordered_json::array();
  for (const auto& file : files) {
    auto rates = nlohmann::ordered_json::array();
    for (const auto& rate : file.rates) {
      rates.push_back({{"fraction", rate.fraction},
                       {"rows", rate.rows},
                       {"seconds", rate.seconds},
                       {"rows_per_second", rate.rows_per_second}});
    }
    files_json.push_back({{"path", file.path},
                          {"kind", file.kind},
                          {"bytes", file.bytes},
                          {"crc32", file.crc32},
                          {"rows_read", file.rows_read},
                          {"rows_rejected", file.rows_rejected},
                          {"rejected", file.rejected},
                          {"unknown_columns", file.unknown_columns},
                          {"rates", rates}});
  }
  json["ignored_files"] = ignored_files;
  json["rejects_file"] = rejects_path.string();
  auto& shown = json["first_rejects"] = nlohmann::ordered_json::array();
  for (const auto& reject : rejects_shown) {
    shown.push_back({{"file", reject.file}, {"line", reject.line}, {"field", reject.field}, {"reason", reject.reason}});
  }
  // Invalid UTF-8 in a reason must not make the summary unwritable.
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace trafnet::engine
