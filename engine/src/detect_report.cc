// report.json, networks.csv, persons.csv and link_table.csv (docs/report-format.md), and the config
// file;
// report.html and networks.gexf come from report_html.cc.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "report_html.h"
#include "trafnet/engine/detect.h"
#include "trafnet/engine/export.h"

namespace trafnet::engine {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSchema = "trafnet.report/1";
constexpr std::string_view kWording =
    "Leads for investigation, ranked by how many documented indicators of recruitment and control "
    "their records show. A lead is not a finding that anyone committed a crime.";

// Rounded so that reports are byte-identical across machines and compilers.
double Round(double x) { return std::round(x * 10000.0) / 10000.0; }

Status WriteWhole(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return IoError(fmt::format("{}: cannot write", temporary.string()));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error)
    return IoError(fmt::format("{}: cannot rename into place: {}", path.string(), error.message()));
  return Status::Ok();
}

Json Parameters(const DetectOptions& options) {
  const DetectConfig& c = options.config;
  Json weights = Json::object();
  for (const auto& [name, weight] : c.weights) weights[name] = weight;
  return Json{{"seed", options.seed},
              {"accept_same_person", c.accept_same_person},
              {"report_same_person", c.report_same_person},
              {"report_shared_identifier", c.report_shared_identifier},
              {"shared_cap", c.shared_cap},
              {"call_hub_cap", c.call_hub_cap},
              {"communal_address_factor", c.communal_address_factor},
              {"max_group_size", c.max_group_size},
              {"min_group_size", c.min_group_size},
              {"separate_tie", c.separate_tie},
              {"young_min_age", c.young_min_age},
              {"young_max_age", c.young_max_age},
              {"worker_max_age", c.worker_max_age},
              {"convergence_window_days", c.convergence_window_days},
              {"home_country", c.home_country},
              {"weights", weights},
              {"flag_threshold", c.flag_threshold},
              {"max_networks", c.max_networks}};
}

Json ReportJson(const DetectionReport& report, const DetectOptions& options,
                const std::string& generated_at) {
  Json networks = Json::array(), persons = Json::array(), same = Json::array();
  for (const Lead& lead : report.networks) {
    Json members = Json::array();
    for (const LeadMember& m : lead.members) {
      members.push_back(Json{{"id", m.records.front()},
                             {"records", m.records},
                             {"name", m.name},
                             {"role", m.role},
                             {"risk", Round(m.risk)},
                             {"reasons", m.reasons}});
      persons.push_back(Json{{"id", m.records.front()},
                             {"records", m.records},
                             {"risk", Round(m.risk)},
                             {"network", lead.id},
                             {"role", m.role},
                             {"reasons", m.reasons}});
    }
    Json indicators = Json::object();
    for (const auto& [name, value] : lead.indicators) indicators[name] = Round(value);
    Json nodes = Json::array(), links = Json::array();
    for (const LeadNode& n : lead.nodes)
      nodes.push_back(Json{{"id", n.id}, {"kind", n.kind}, {"label", n.label}, {"role", n.role}});
    for (const LeadLink& l : lead.links) {
      links.push_back(Json{{"from", l.from},
                           {"to", l.to},
                           {"type", l.type},
                           {"first", l.first},
                           {"last", l.last},
                           {"count", l.count}});
    }
    networks.push_back(
        Json{{"id", lead.id},
             {"rank", lead.rank},
             {"score", Round(lead.score)},
             {"members", members},
             {"reasons", lead.reasons},
             {"indicators", indicators},
             {"identifiers", Json{{"phones", lead.phones}, {"addresses", lead.addresses}}},
             {"graph", Json{{"nodes", nodes}, {"links", links}}}});
  }
  std::stable_sort(persons.begin(), persons.end(), [](const Json& a, const Json& b) {
    return a["risk"].get<double>() > b["risk"].get<double>();
  });
  for (const SamePerson& pair : report.same_person) {
    same.push_back(Json{{"ids", pair.ids},
                        {"score", Round(pair.score)},
                        {"accepted", pair.accepted},
                        {"evidence", pair.evidence}});
  }
  const DetectStats& s = report.stats;
  Json summary{{"persons", s.persons},
               {"resolved_persons", s.resolved_persons},
               {"graph_edges", s.graph_edges},
               {"communities", s.communities},
               {"modularity", Round(s.modularity)},
               {"groups_scored", s.groups_scored},
               {"networks_flagged", report.networks.size()}};
  return Json{{"schema", kSchema},  {"generated_at", generated_at},
              {"notice", kWording}, {"parameters", Parameters(options)},
              {"summary", summary}, {"networks", networks},
              {"persons", persons}, {"same_person", same}};
}

std::string NetworksCsv(const DetectionReport& report) {
  std::string out = CsvRow(
      {"network", "rank", "score", "members", "key_persons", "phones", "addresses", "reasons"});
  for (const Lead& lead : report.networks) {
    std::string key, phones, addresses, reasons;
    for (size_t i = 0; i < lead.members.size() && i < 3; ++i)
      key += (i ? ";" : "") + lead.members[i].records.front();
    for (size_t i = 0; i < lead.phones.size(); ++i) phones += (i ? ";" : "") + lead.phones[i];
    for (size_t i = 0; i < lead.addresses.size(); ++i)
      addresses += (i ? ";" : "") + lead.addresses[i];
    for (size_t i = 0; i < lead.reasons.size(); ++i) reasons += (i ? " | " : "") + lead.reasons[i];
    out += CsvRow({lead.id, std::to_string(lead.rank), fmt::format("{:.4f}", lead.score),
                   std::to_string(lead.members.size()), key, phones, addresses, reasons});
  }
  return out;
}

std::string PersonsCsv(const DetectionReport& report) {
  std::string out = CsvRow({"person_id", "records", "name", "network", "role", "risk", "reasons"});
  for (const Lead& lead : report.networks) {
    for (const LeadMember& m : lead.members) {
      std::string records, reasons;
      for (size_t i = 0; i < m.records.size(); ++i) records += (i ? ";" : "") + m.records[i];
      for (size_t i = 0; i < m.reasons.size(); ++i) reasons += (i ? " | " : "") + m.reasons[i];
      out += CsvRow({m.records.front(), records, m.name, lead.id, m.role,
                     fmt::format("{:.4f}", m.risk), reasons});
    }
  }
  return out;
}

// A link table, one row per link of a lead's drawing with both ends described, as i2 Analyst's
// Notebook and similar tools import one (each row makes two entities and the link between them).
std::string LinksCsv(const DetectionReport& report) {
  std::string out = CsvRow({"network", "from", "from_kind", "from_label", "from_role", "to",
                            "to_kind", "to_label", "to_role", "type", "first", "last", "count"});
  for (const Lead& lead : report.networks) {
    std::map<std::string, const LeadNode*> node;
    for (const LeadNode& n : lead.nodes) node.emplace(n.id, &n);
    static const LeadNode kUnknown;
    auto at = [&](const std::string& id) -> const LeadNode& {
      auto it = node.find(id);
      return it == node.end() ? kUnknown : *it->second;
    };
    for (const LeadLink& link : lead.links) {
      const LeadNode &a = at(link.from), &b = at(link.to);
      out += CsvRow({lead.id, link.from, a.kind, a.label, a.role, link.to, b.kind, b.label, b.role,
                     link.type, link.first, link.last, std::to_string(link.count)});
    }
  }
  return out;
}

}  // namespace

Status WriteReport(const DetectionReport& report, const DetectOptions& options,
                   const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return IoError(fmt::format("{}: cannot create: {}", dir.string(), error.message()));
  // The time is the one thing that differs between runs; SOURCE_DATE_EPOCH pins it.
  std::string generated_at;
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr) {
    generated_at = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                               std::chrono::sys_seconds{std::chrono::seconds{std::atoll(epoch)}});
  } else {
    generated_at = fmt::format(
        "{:%Y-%m-%dT%H:%M:%SZ}",
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  }
  TRAFNET_RETURN_IF_ERROR(
      WriteWhole(dir / "report.json", ReportJson(report, options, generated_at).dump(2) + "\n"));
  TRAFNET_RETURN_IF_ERROR(WriteWhole(dir / "networks.csv", NetworksCsv(report)));
  TRAFNET_RETURN_IF_ERROR(WriteWhole(dir / "persons.csv", PersonsCsv(report)));
  TRAFNET_RETURN_IF_ERROR(WriteWhole(dir / "link_table.csv", LinksCsv(report)));
  TRAFNET_RETURN_IF_ERROR(
      WriteWhole(dir / "report.html", ReportHtml(report, options, generated_at)));
  return WriteWhole(dir / "networks.gexf", ReportGexf(report));
}

StatusOr<DetectConfig> LoadDetectConfig(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError(fmt::format("{}: cannot open the config file", path.string()));
  Json json = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return InvalidArgumentError(fmt::format("{}: not a JSON object", path.string()));
  }
  DetectConfig config;
  auto number = [&](const std::string& key, const Json& value, double lo,
                    double hi) -> StatusOr<double> {
    if (!value.is_number())
      return InvalidArgumentError(fmt::format("{}: {}: must be a number", path.string(), key));
    const double x = value.get<double>();
    if (!(x >= lo && x <= hi))
      return InvalidArgumentError(
          fmt::format("{}: {}: must be in [{}, {}]", path.string(), key, lo, hi));
    return x;
  };
  for (const auto& [key, value] : json.items()) {
    if (key == "weights") {
      if (!value.is_object())
        return InvalidArgumentError(fmt::format("{}: weights: must be an object", path.string()));
      for (const auto& [name, weight] : value.items()) {
        if (!config.weights.contains(name)) {
          return InvalidArgumentError(
              fmt::format("{}: weights.{}: no such indicator", path.string(), name));
        }
        TRAFNET_ASSIGN_OR_RETURN(config.weights[name], number("weights." + name, weight, 0, 1000));
      }
    } else if (key == "home_country") {
      if (!value.is_string() || value.get<std::string>().size() != 2) {
        return InvalidArgumentError(
            fmt::format("{}: home_country: must be an ISO 3166 alpha-2 code", path.string()));
      }
      config.home_country = value.get<std::string>();
    } else {
      double* real = key == "accept_same_person"         ? &config.accept_same_person
                     : key == "report_same_person"       ? &config.report_same_person
                     : key == "report_shared_identifier" ? &config.report_shared_identifier
                     : key == "communal_address_factor"  ? &config.communal_address_factor
                     : key == "separate_tie"             ? &config.separate_tie
                     : key == "flag_threshold"           ? &config.flag_threshold
                                                         : nullptr;
      if (real != nullptr) {
        TRAFNET_ASSIGN_OR_RETURN(*real, number(key, value, 0, 1));
        continue;
      }
      uint32_t* whole = key == "shared_cap"       ? &config.shared_cap
                        : key == "call_hub_cap"   ? &config.call_hub_cap
                        : key == "max_group_size" ? &config.max_group_size
                        : key == "min_group_size" ? &config.min_group_size
                        : key == "max_networks"   ? &config.max_networks
                                                  : nullptr;
      int* age = key == "young_min_age"             ? &config.young_min_age
                 : key == "young_max_age"           ? &config.young_max_age
                 : key == "worker_max_age"          ? &config.worker_max_age
                 : key == "convergence_window_days" ? &config.convergence_window_days
                                                    : nullptr;
      if (whole == nullptr && age == nullptr) {
        return InvalidArgumentError(fmt::format("{}: unknown key '{}'", path.string(), key));
      }
      TRAFNET_ASSIGN_OR_RETURN(double x, number(key, value, 0, 1e9));
      if (x != std::floor(x))
        return InvalidArgumentError(
            fmt::format("{}: {}: must be a whole number", path.string(), key));
      if (whole != nullptr) *whole = static_cast<uint32_t>(x);
      if (age != nullptr) *age = static_cast<int>(x);
    }
  }
  if (config.shared_cap < 2)
    return InvalidArgumentError(fmt::format("{}: shared_cap: must be at least 2", path.string()));
  if (config.min_group_size < 2 || config.max_group_size < config.min_group_size) {
    return InvalidArgumentError(
        fmt::format("{}: need 2 <= min_group_size <= max_group_size", path.string()));
  }
  // Pairs are scored once, against the lower threshold first: accepting below the reporting
  // threshold would accept pairs that are never looked at.
  if (config.accept_same_person < config.report_same_person) {
    return InvalidArgumentError(
        fmt::format("{}: need report_same_person <= accept_same_person", path.string()));
  }
  if (config.young_min_age > config.young_max_age || config.young_max_age > config.worker_max_age) {
    return InvalidArgumentError(
        fmt::format("{}: need young_min_age <= young_max_age <= worker_max_age", path.string()));
  }
  return config;
}

}  // namespace trafnet::engine
