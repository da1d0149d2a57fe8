// Detection: from everything in the store to a short, ranked list of leads for investigation —
// groups of people who look like a recruitment network, with the likely recruiters and
// controllers named, the phones and addresses that tie them, and the reasons in plain words.
//
// The pipeline (docs/detection.md explains each step and where each indicator comes from):
//   1. entity resolution, proposed not imposed: records that are probably one person (same
//      birth date and a close name, or a shared phone or address) are scored; pairs at or above
//      `accept_same_person` are treated as one person, the rest only reported;
//   2. the person graph: direct links, shared phones and addresses (discounted by how many use
//      them and by address kind) and calls between their phones;
//   3. Leiden communities, seeded; communities larger than `max_group_size` are split again;
//   4. indicators per group, each a number in [0, 1] with a sentence a human can check;
//   5. a transparent score: the weighted mean of the indicators (weights in DetectConfig);
//   6. roles within each group: recruiter, controller, driver, likely victim, with reasons.
// Everything is deterministic for a seed, whatever the thread count.
#ifndef TRAFNET_ENGINE_DETECT_H_
#define TRAFNET_ENGINE_DETECT_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/storage/store.h"

namespace trafnet::engine {

// Every tunable number of detection, with its default. A config file (JSON) may set any of
// them; docs/detection.md documents each.
struct DetectConfig {
  // Entity resolution: pairs scoring at least `report_same_person` are reported; at least
  // `accept_same_person` are analysed as one person.
  double accept_same_person = 0.9;
  double report_same_person = 0.85;
  // Pairs with the same birth date and a phone or address in common (not a communal address,
  // not one used by more than `shared_cap` persons) are reported from this score whatever their
  // names: the default lists every such pair.
  double report_shared_identifier = 0.4;
  // Person graph: a phone or address used by more persons than this joins none of them.
  uint32_t shared_cap = 25;
  // A phone in touch with more distinct phones than this (a taxi, a pizza place) ties nobody
  // by its calls, even when its user is known.
  uint32_t call_hub_cap = 100;
  // Ties through hostels, dormitories, hotels and shelters count this fraction of others:
  // strangers meeting there is their purpose.
  double communal_address_factor = 0.25;
  // Groups: communities larger than this are split again; smaller than `min_group_size` are
  // not considered.
  uint32_t max_group_size = 60;
  uint32_t min_group_size = 4;
  // A flagged group is reported as several leads when its own communities hold flagged networks
  // whose direct ties weigh less than this fraction of the smaller one's inner ties.
  double separate_tie = 0.2;
  // Who fits the profile of a recruit, by age in years at the time: young people (sexual
  // exploitation), or adults up to `worker_max_age` employed by another member of the group
  // (labour exploitation).
  int young_min_age = 16;
  int young_max_age = 30;
  int worker_max_age = 45;
  // Arrivals at one address at most this many days apart count as converging.
  int convergence_window_days = 21;
  // The home country; addresses and numbers elsewhere count as foreign.
  std::string home_country = "RS";
  // Indicator weights (see docs/detection.md); the score is the weighted mean.
  std::map<std::string, double> weights = {
      // clang-format off
      {"shared_phone", 2.0},
      {"convergence", 2.0},
      {"recruiter_contacts", 2.0},
      {"broker", 1.0},
      {"controller", 1.5},
      {"payments", 1.0},
      {"escorted_travel", 1.0},
      {"unrelated_cohabitants", 0.5},
      {"turnover", 0.5},
      {"centralisation", 0.5},
      {"cross_border", 0.5},
      {"known_cases", 0.5},
      // clang-format on
  };
  // Groups scoring at least this are reported as leads.
  double flag_threshold = 0.4;
  // At most this many leads are reported (0: no limit).
  uint32_t max_networks = 100;
};

// Reads a JSON config ({"flag_threshold":0.5,"weights":{"payments":2}, …}); unknown keys and
// out-of-range values are InvalidArgument naming the key.
StatusOr<DetectConfig> LoadDetectConfig(const std::filesystem::path& path);

struct DetectOptions {
  DetectConfig config;
  uint64_t seed = 1;
  int threads = 1;
  // Told the name of each stage as it starts ("loading the store", "communities", …).
  std::function<void(const std::string& stage)> on_stage = nullptr;
};

// One member of a lead.
struct LeadMember {
  std::vector<std::string> records;  // every record id of the (resolved) person, sorted
  std::string name;                  // as recorded (first record with a name)
  std::string role;                  // recruiter, controller, driver, victim, associate
  double risk = 0.0;                 // in [0, 1]: whom to look at first (organisers highest)
  std::vector<std::string> reasons;
};

// A phone, address or person drawn in the report's picture of a lead.
struct LeadNode {
  std::string id;
  std::string kind;   // person, phone, address
  std::string label;  // name, number or address text
  std::string role;   // persons: their role; others ""
};
struct LeadLink {
  std::string from, to, type;
  std::string first, last;  // ISO dates, "" undated
  uint64_t count = 0;
};

struct Lead {
  std::string id;  // NET-0001 by rank
  int rank = 0;
  double score = 0.0;
  std::vector<LeadMember> members;  // by risk, highest first
  std::vector<std::string> reasons;
  std::map<std::string, double> indicators;  // name → strength in [0, 1]
  std::vector<std::string> phones;           // identifiers that tie the group
  std::vector<std::string> addresses;
  std::vector<LeadNode> nodes;  // members and their tying identifiers, for drawing
  std::vector<LeadLink> links;
};

struct SamePerson {
  std::vector<std::string> ids;
  double score = 0.0;
  bool accepted = false;
  std::vector<std::string> evidence;
};

struct DetectStats {
  uint64_t persons = 0;           // person records
  uint64_t resolved_persons = 0;  // after accepted matches
  uint64_t graph_edges = 0;
  uint64_t communities = 0;
  uint64_t groups_scored = 0;
  double modularity = 0.0;
  std::vector<std::pair<std::string, double>> stage_seconds;
};

struct DetectionReport {
  std::vector<Lead> networks;  // by rank
  std::vector<SamePerson> same_person;
  DetectStats stats;
};

// Runs the whole pipeline over one snapshot of the store.
StatusOr<DetectionReport> Detect(const storage::Store& store, const DetectOptions& options);

// Writes report.json (schema trafnet.report/1, docs/report-format.md), networks.csv,
// persons.csv, link_table.csv (an i2-style link table), report.html (one self-contained page for
// analysts: no script, nothing fetched) and networks.gexf (the leads' graphs for Gephi) into `dir`,
// creating it; each file is written whole to a temporary name and renamed, so a crash never leaves
// half a file.
Status WriteReport(const DetectionReport& report, const DetectOptions& options,
                   const std::filesystem::path& dir);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_DETECT_H_
