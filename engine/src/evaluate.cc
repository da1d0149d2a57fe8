// trafnet evaluate: reading truth, report and decoys, and scoring one against the other.
//
// The readers are strict on purpose: a figure computed from a half-understood file would be
// believed, so anything unexpected is an error that names the file, line or field.
#include "trafnet/engine/evaluate.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "trafnet/engine/record_reader.h"

namespace trafnet::engine {

namespace {

constexpr std::string_view kReportSchema = "trafnet.report/1";

// Runs `on_row` on every row of a CSV file that has at least `columns`. A row the reader could
// not read, or that `on_row` refuses, ends the reading with that error.
Status ForEachCsvRow(const std::filesystem::path& path,
                     std::initializer_list<std::string_view> columns,
                     const std::function<Status(const Row&)>& on_row) {
  TRAFNET_ASSIGN_OR_RETURN(auto reader, OpenCsv(path));
  const std::string file = path.string();
  const std::vector<std::string>& header = reader->header();
  for (std::string_view column : columns) {
    if (std::find(header.begin(), header.end(), column) == header.end()) {
      return InvalidArgumentError(fmt::format("{}:1: header: no column \"{}\" (expected {})", file,
                                              column, fmt::join(columns, ",")));
    }
  }
  Row row;
  RowError error;
  for (;;) {
    switch (reader->Next(row, error)) {
      case ReadOutcome::kEnd:
        return Status::Ok();
      case ReadOutcome::kError:
        if (error.line == 0) return IoError(error.reason);
        return InvalidArgumentError(fmt::format("{}:{}: {}{}{}", file, error.line, error.field,
                                                error.field.empty() ? "" : ": ", error.reason));
      case ReadOutcome::kRow:
        TRAFNET_RETURN_IF_ERROR(on_row(row));
        break;
    }
  }
}

// The value of a column that must not be empty.
StatusOr<std::string> Required(const std::filesystem::path& path, const Row& row,
                               std::string_view column) {
  std::string_view value = row.Get(column);
  if (value.empty()) {
    return InvalidArgumentError(
        fmt::format("{}:{}: {}: empty, a value is required", path.string(), row.line, column));
  }
  return std::string(value);
}

// Reports a problem at a field of report.json: "report.json: networks[2] (NET-0003).members: …".
class ReportErrors {
 public:
  explicit ReportErrors(std::string file) : file_(std::move(file)) {}
  Status At(std::string_view where, std::string_view what) const {
    return InvalidArgumentError(fmt::format("{}: {}: {}", file_, where, what));
  }

 private:
  std::string file_;
};

StatusOr<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgumentError(fmt::format("{}: is a directory, expected a file", path.string()));
  }
  if (!std::filesystem::exists(path, ec))
    return NotFoundError(fmt::format("{}: no such file", path.string()));
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("{}: cannot open", path.string()));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return IoError(fmt::format("{}: read failed", path.string()));
  return text;
}

// A non-empty string field of `object`, or an error naming it.
StatusOr<std::string> RequiredString(const ReportErrors& errors, const nlohmann::json& object,
                                     const std::string& where, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return errors.At(where, fmt::format("no \"{}\"", key));
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return errors.At(where + "." + key, "expected a non-empty string");
  }
  return it->get<std::string>();
}

StatusOr<FlaggedMember> ParseMember(const ReportErrors& errors, const nlohmann::json& json,
                                    const std::string& where) {
  if (!json.is_object()) return errors.At(where, "expected an object");
  FlaggedMember member;
  TRAFNET_ASSIGN_OR_RETURN(member.id, RequiredString(errors, json, where, "id"));
  if (auto records = json.find("records"); records != json.end()) {
    if (!records->is_array())
      return errors.At(where + ".records", "expected an array of record ids");
    for (size_t i = 0; i < records->size(); ++i) {
      const nlohmann::json& record = (*records)[i];
      if (!record.is_string() || record.get_ref<const std::string&>().empty()) {
        return errors.At(fmt::format("{}.records[{}]", where, i), "expected a non-empty string");
      }
      member.records.push_back(record.get<std::string>());
    }
  }
  auto risk = json.find("risk");
  if (risk == json.end()) return errors.At(where, "no \"risk\"");
  if (!risk->is_number()) return errors.At(where + ".risk", "expected a number");
  member.risk = risk->get<double>();
  return member;
}

StatusOr<FlaggedNetwork> ParseNetwork(const ReportErrors& errors, const nlohmann::json& json,
                                      size_t index) {
  std::string where = fmt::format("networks[{}]", index);
  if (!json.is_object()) return errors.At(where, "expected an object");
  FlaggedNetwork network;
  TRAFNET_ASSIGN_OR_RETURN(network.id, RequiredString(errors, json, where, "id"));
  where += " (" + network.id + ")";
  auto rank = json.find("rank");
  if (rank == json.end()) return errors.At(where, "no \"rank\"");
  if (!rank->is_number_integer() || rank->get<int64_t>() < 1 || rank->get<int64_t>() > UINT32_MAX) {
    return errors.At(where + ".rank", "expected a positive integer (1 is the best)");
  }
  network.rank = static_cast<uint32_t>(rank->get<int64_t>());
  auto members = json.find("members");
  if (members == json.end()) return errors.At(where, "no \"members\"");
  if (!members->is_array()) return errors.At(where + ".members", "expected an array");
  if (members->empty())
    return errors.At(where + ".members", "empty; a network needs at least one member");
  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < members->size(); ++i) {
    const std::string member_where = fmt::format("{}.members[{}]", where, i);
    TRAFNET_ASSIGN_OR_RETURN(FlaggedMember member,
                             ParseMember(errors, (*members)[i], member_where));
    if (!ids.insert(member.id).second) {
      return errors.At(member_where + ".id",
                       fmt::format("\"{}\" is listed twice in this network", member.id));
    }
    network.members.push_back(std::move(member));
  }
  return network;
}

// A planted member as an index pair, so overlaps are counted per person, not per record id.
struct PlantedRef {
  size_t network = 0;
  size_t member = 0;
};

// person_id → where it appears in truth (a person could be planted in two networks).
using TruthIndex = std::unordered_map<std::string, std::vector<PlantedRef>>;

TruthIndex IndexTruth(const Truth& truth) {
  TruthIndex index;
  for (size_t n = 0; n < truth.networks.size(); ++n) {
    for (size_t m = 0; m < truth.networks[n].members.size(); ++m) {
      index[truth.networks[n].members[m].person_id].push_back({n, m});
    }
  }
  return index;
}

// The planted members one flagged member matches, through any of its record ids.
std::vector<PlantedRef> MatchesOf(const FlaggedMember& member, const TruthIndex& index) {
  std::vector<PlantedRef> matches;
  auto add = [&](const std::string& record) {
    auto it = index.find(record);
    if (it != index.end()) matches.insert(matches.end(), it->second.begin(), it->second.end());
  };
  add(member.id);
  for (const std::string& record : member.records) add(record);
  return matches;
}

// |F∩P| for every planted network P that F touches: planted index → distinct members matched.
std::unordered_map<size_t, size_t> Overlaps(const FlaggedNetwork& flagged,
                                            const TruthIndex& index) {
  std::unordered_map<size_t, std::unordered_set<size_t>> matched;
  for (const FlaggedMember& member : flagged.members) {
    for (const PlantedRef& ref : MatchesOf(member, index)) matched[ref.network].insert(ref.member);
  }
  std::unordered_map<size_t, size_t> overlaps;
  for (const auto& [network, members] : matched) overlaps[network] = members.size();
  return overlaps;
}

bool Finds(size_t overlap, size_t planted_size, size_t flagged_size) {
  return overlap >= 1 && 2 * overlap >= planted_size && 3 * overlap >= flagged_size;
}

// Whether `candidate` is a better finder than `best`: more overlap, then a better rank.
bool BetterFinding(const Finding& candidate, const std::optional<Finding>& best) {
  if (!best) return true;
  if (candidate.overlap != best->overlap) return candidate.overlap > best->overlap;
  return candidate.rank < best->rank;
}

bool IsKeyRole(PlantedRole role) {
  return role == PlantedRole::kRecruiter || role == PlantedRole::kController;
}

bool KeyRoleInTopThree(const FlaggedNetwork& flagged, size_t planted, const Truth& truth,
                       const TruthIndex& index) {
  std::vector<const FlaggedMember*> by_risk;
  for (const FlaggedMember& member : flagged.members) by_risk.push_back(&member);
  std::sort(by_risk.begin(), by_risk.end(), [](const FlaggedMember* a, const FlaggedMember* b) {
    if (a->risk != b->risk) return a->risk > b->risk;
    return a->id < b->id;
  });
  const size_t top = std::min<size_t>(3, by_risk.size());
  for (size_t i = 0; i < top; ++i) {
    for (const PlantedRef& ref : MatchesOf(*by_risk[i], index)) {
      if (ref.network == planted && IsKeyRole(truth.networks[planted].members[ref.member].role))
        return true;
    }
  }
  return false;
}

// person_id → (group, person) pairs: where each decoy person appears in decoys.csv.
using DecoyIndex = std::unordered_map<std::string_view, std::vector<std::pair<size_t, size_t>>>;

DecoyIndex IndexDecoys(const Decoys& decoys) {
  DecoyIndex index;
  for (size_t g = 0; g < decoys.groups.size(); ++g) {
    const std::vector<std::string>& persons = decoys.groups[g].person_ids;
    for (size_t p = 0; p < persons.size(); ++p) index[persons[p]].push_back({g, p});
  }
  return index;
}

// The decoy group holding at least a third of `flagged`, if any: the largest share, ties by the
// group's order in decoys.csv.
std::optional<DecoyFlag> DecoyShare(const FlaggedNetwork& flagged, const Decoys& decoys,
                                    const DecoyIndex& index) {
  std::unordered_map<size_t, std::unordered_set<size_t>> matched;  // group → its persons matched
  auto add = [&](const std::string& record) {
    auto it = index.find(record);
    if (it == index.end()) return;
    for (const auto& [group, person] : it->second) matched[group].insert(person);
  };
  for (const FlaggedMember& member : flagged.members) {
    add(member.id);
    for (const std::string& record : member.records) add(record);
  }
  std::optional<size_t> best_group;
  size_t best_count = 0;
  for (const auto& [group, persons] : matched) {
    const size_t count = persons.size();
    if (3 * count < flagged.members.size()) continue;
    if (!best_group || count > best_count || (count == best_count && group < *best_group)) {
      best_group = group;
      best_count = count;
    }
  }
  if (!best_group) return std::nullopt;
  const DecoyGroup& group = decoys.groups[*best_group];
  return DecoyFlag{flagged.id, flagged.rank, group.id,
                   group.kind, best_count,   flagged.members.size()};
}

double Rate(size_t numerator, size_t denominator) {
  return denominator == 0 ? 1.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

StatusOr<PlantedRole> ParsePlantedRole(std::string_view name) {
  if (name == "recruiter") return PlantedRole::kRecruiter;
  if (name == "controller") return PlantedRole::kController;
  if (name == "driver") return PlantedRole::kDriver;
  if (name == "victim") return PlantedRole::kVictim;
  return InvalidArgumentError(
      fmt::format("unknown role \"{}\" (expected recruiter, controller, driver or victim)", name));
}

StatusOr<Truth> ReadTruth(const std::filesystem::path& truth_csv) {
  Truth truth;
  std::unordered_map<std::string, size_t> network_index;
  std::unordered_map<std::string, uint64_t> first_line;  // "network\0person" → line
  TRAFNET_RETURN_IF_ERROR(
      ForEachCsvRow(truth_csv, {"network", "person_id", "role"}, [&](const Row& row) -> Status {
        TRAFNET_ASSIGN_OR_RETURN(std::string network, Required(truth_csv, row, "network"));
        TRAFNET_ASSIGN_OR_RETURN(std::string person, Required(truth_csv, row, "person_id"));
        StatusOr<PlantedRole> role = ParsePlantedRole(row.Get("role"));
        if (!role.ok()) {
          return InvalidArgumentError(fmt::format("{}:{}: role: {}", truth_csv.string(), row.line,
                                                  role.status().message()));
        }
        auto [seen, first] = first_line.emplace(network + '\0' + person, row.line);
        if (!first) {
          return InvalidArgumentError(
              fmt::format("{}:{}: person_id: {} is already a member of {} (line {})",
                          truth_csv.string(), row.line, person, network, seen->second));
        }
        auto [it, added] = network_index.emplace(network, truth.networks.size());
        if (added) truth.networks.push_back({network, {}});
        truth.networks[it->second].members.push_back({std::move(person), *role});
        return Status::Ok();
      }));
  return truth;
}

StatusOr<Decoys> ReadDecoys(const std::filesystem::path& decoys_csv) {
  Decoys decoys;
  std::unordered_map<std::string, size_t> group_index;
  std::unordered_map<std::string, uint64_t> kind_line;  // group → line that gave its kind
  std::unordered_set<std::string> seen;                 // "group\0person"
  TRAFNET_RETURN_IF_ERROR(
      ForEachCsvRow(decoys_csv, {"decoy", "person_id", "kind"}, [&](const Row& row) -> Status {
        TRAFNET_ASSIGN_OR_RETURN(std::string decoy, Required(decoys_csv, row, "decoy"));
        TRAFNET_ASSIGN_OR_RETURN(std::string person, Required(decoys_csv, row, "person_id"));
        TRAFNET_ASSIGN_OR_RETURN(std::string kind, Required(decoys_csv, row, "kind"));
        auto [it, added] = group_index.emplace(decoy, decoys.groups.size());
        if (added) {
          decoys.groups.push_back({decoy, kind, {}});
          kind_line[decoy] = row.line;
        }
        DecoyGroup& group = decoys.groups[it->second];
        if (group.kind != kind) {
          return InvalidArgumentError(fmt::format(
              "{}:{}: kind: \"{}\", but line {} gives {} the kind \"{}\"", decoys_csv.string(),
              row.line, kind, kind_line[decoy], decoy, group.kind));
        }
        // A person repeated in one group is harmless (a look-alike can be seen twice); keep one.
        if (seen.insert(decoy + '\0' + person).second)
          group.person_ids.push_back(std::move(person));
        return Status::Ok();
      }));
  return decoys;
}

StatusOr<ReportNetworks> ReadReport(const std::filesystem::path& report_json) {
  const std::string file = report_json.string();
  TRAFNET_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(report_json));
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: …".
    std::string_view what = e.what();
    if (auto end = what.find("] ");
        what.starts_with("[json.exception") && end != std::string_view::npos) {
      what.remove_prefix(end + 2);
    }
    return InvalidArgumentError(fmt::format("{}: not valid JSON: {}", file, what));
  }
  const ReportErrors errors(file);
  if (!json.is_object()) return errors.At("top level", "expected an object");
  auto schema = json.find("schema");
  if (schema == json.end())
    return errors.At("schema", fmt::format("missing; expected \"{}\"", kReportSchema));
  if (!schema->is_string() || schema->get_ref<const std::string&>() != kReportSchema) {
    return errors.At("schema", fmt::format("{}, expected \"{}\"", schema->dump(), kReportSchema));
  }
  auto networks = json.find("networks");
  if (networks == json.end()) return errors.At("networks", "missing; expected an array");
  if (!networks->is_array()) return errors.At("networks", "expected an array");
  ReportNetworks report;
  std::unordered_map<std::string, size_t> by_id;
  std::unordered_map<uint32_t, size_t> by_rank;
  for (size_t i = 0; i < networks->size(); ++i) {
    TRAFNET_ASSIGN_OR_RETURN(FlaggedNetwork network, ParseNetwork(errors, (*networks)[i], i));
    const std::string where = fmt::format("networks[{}] ({})", i, network.id);
    if (auto [it, added] = by_id.emplace(network.id, i); !added) {
      return errors.At(where + ".id", fmt::format("repeats networks[{}]", it->second));
    }
    if (auto [it, added] = by_rank.emplace(network.rank, i); !added) {
      return errors.At(where + ".rank", fmt::format("{} repeats the rank of networks[{}]",
                                                    network.rank, it->second));
    }
    report.networks.push_back(std::move(network));
  }
  return report;
}

Evaluation EvaluateParsed(const Truth& truth, const ReportNetworks& report,
                          const std::optional<Decoys>& decoys) {
  Evaluation evaluation;
  evaluation.planted = truth.networks.size();
  evaluation.reported = report.networks.size();
  evaluation.considered = std::min(2 * evaluation.planted, evaluation.reported);
  evaluation.decoys_given = decoys.has_value();
  evaluation.decoy_window = std::min(evaluation.planted, evaluation.reported);

  std::vector<const FlaggedNetwork*> by_rank;
  for (const FlaggedNetwork& network : report.networks) by_rank.push_back(&network);
  std::stable_sort(
      by_rank.begin(), by_rank.end(),
      [](const FlaggedNetwork* a, const FlaggedNetwork* b) { return a->rank < b->rank; });

  const TruthIndex index = IndexTruth(truth);
  evaluation.networks.resize(truth.networks.size());
  std::vector<const FlaggedNetwork*> best_finder(truth.networks.size(), nullptr);
  std::vector<bool> matches(by_rank.size(), false);
  for (size_t r = 0; r < by_rank.size(); ++r) {
    const FlaggedNetwork& flagged = *by_rank[r];
    const bool considered = r < evaluation.considered;
    for (const auto& [planted, overlap] : Overlaps(flagged, index)) {
      if (!Finds(overlap, truth.networks[planted].members.size(), flagged.members.size())) continue;
      Finding finding{flagged.id, flagged.rank, overlap, flagged.members.size()};
      PlantedOutcome& outcome = evaluation.networks[planted];
      if (considered) {
        matches[r] = true;
        if (BetterFinding(finding, outcome.found_by)) {
          outcome.found_by = std::move(finding);
          best_finder[planted] = &flagged;
        }
      } else if (BetterFinding(finding, outcome.found_beyond)) {
        outcome.found_beyond = std::move(finding);
      }
    }
  }

  for (size_t p = 0; p < truth.networks.size(); ++p) {
    PlantedOutcome& outcome = evaluation.networks[p];
    outcome.network = truth.networks[p].id;
    outcome.members = truth.networks[p].members.size();
    if (!outcome.found_by) continue;
    outcome.found_beyond.reset();  // found: a lower-ranked finder says nothing more
    ++evaluation.found;
    outcome.key_role_in_top_three = KeyRoleInTopThree(*best_finder[p], p, truth, index);
    if (outcome.key_role_in_top_three) ++evaluation.key_role_hits;
  }
  evaluation.matching = static_cast<size_t>(
      std::count(matches.begin(), matches.begin() + evaluation.considered, true));
  evaluation.recall = Rate(evaluation.found, evaluation.planted);
  evaluation.precision = Rate(evaluation.matching, evaluation.considered);
  evaluation.key_role_rate = Rate(evaluation.key_role_hits, evaluation.found);

  if (decoys) {
    const DecoyIndex decoy_index = IndexDecoys(*decoys);
    for (size_t r = 0; r < evaluation.decoy_window; ++r) {
      if (matches[r]) continue;
      if (auto flag = DecoyShare(*by_rank[r], *decoys, decoy_index)) {
        evaluation.decoys_in_top_k.push_back(std::move(*flag));
      }
    }
  }
  return evaluation;
}

StatusOr<Evaluation> Evaluate(const std::filesystem::path& truth_csv,
                              const std::filesystem::path& report_json,
                              const EvaluateOptions& options) {
  TRAFNET_ASSIGN_OR_RETURN(Truth truth, ReadTruth(truth_csv));
  TRAFNET_ASSIGN_OR_RETURN(ReportNetworks report, ReadReport(report_json));
  std::optional<Decoys> decoys;
  if (!options.decoys_csv.empty()) {
    TRAFNET_ASSIGN_OR_RETURN(decoys, ReadDecoys(options.decoys_csv));
  }
  return EvaluateParsed(truth, report, decoys);
}

}  // namespace trafnet::engine
