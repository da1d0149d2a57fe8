// Measured detection quality: a report's flagged networks scored against a generated world's
// truth, for `trafnet evaluate`.
//
// Inputs: truth.csv (`network,person_id,role`, written by `trafnet generate`), report.json
// (schema `trafnet.report/1`, written by `trafnet analyze`) and, optionally, decoys.csv
// (`decoy,person_id,kind`: the persons at the centre of innocent look-alike patterns).
//
// Definitions (docs/evaluation.md says the same):
//   K           the number of planted networks in truth (distinct `network` values).
//   considered  the report's top min(2K, #networks) networks by rank (rank 1 is best).
//   matching    a member of a flagged network matches a truth person when any of its record
//               ids (`id` and every entry of `records`) equals the person's person_id.
//   |F∩P|       the number of distinct members of planted network P matched by some member of
//               flagged network F; |F| counts F's members, |P| P's members.
//   finds       F finds P when 2·|F∩P| ≥ |P| (at least half of P) and 3·|F∩P| ≥ |F| (at least
//               a third of F is P), and |F∩P| ≥ 1. Integer arithmetic: no rounding.
//   found       P is found when some considered F finds it. A considered F "matches" when it
//               finds any planted network.
//   recall      found / K; 1.0 when K = 0 (nothing to find, nothing missed).
//   precision   matching considered / considered; 1.0 when nothing is considered (no flagged
//               network, or K = 0: nothing wrongly flagged).
//   key role    for each found P, its best finder (largest |F∩P|, then best rank): F's members
//               sorted by risk, highest first, ties by id ascending; a hit when a member among
//               the first three matches a planted recruiter or controller of P.
//               key_role_rate = hits / found; 1.0 when found = 0.
//   decoys      (only with a decoys file) a network among the top min(K, #networks) by rank that
//               matches no planted network and has at least a third of its members in one decoy
//               group (3·m ≥ |F|, m ≥ 1, where m counts the group's distinct persons matched by
//               F's members) is a decoy flagged in the top K. Its group is the one with the
//               largest m, ties by the group's first appearance in decoys.csv.
// Every rate comes with its counts, so a rate set by convention (a zero denominator) shows.
//
// Thread safety: the functions hold no state; inputs are read-only.
#ifndef TRAFNET_ENGINE_EVALUATE_H_
#define TRAFNET_ENGINE_EVALUATE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/base/status.h"

namespace trafnet::engine {

enum class PlantedRole { kRecruiter, kController, kDriver, kVictim };

// "recruiter", "controller", "driver", "victim" → the role; InvalidArgument otherwise.
StatusOr<PlantedRole> ParsePlantedRole(std::string_view name);

struct PlantedMember {
  std::string person_id;
  PlantedRole role = PlantedRole::kVictim;
};

struct PlantedNetwork {
  std::string id;                      // "NET-001"
  std::vector<PlantedMember> members;  // distinct person ids, in file order
};

// The planted networks in order of their first row in truth.csv.
struct Truth {
  std::vector<PlantedNetwork> networks;
};

struct FlaggedMember {
  std::string id;
  // Every record id of the resolved person. May omit `id`; matching uses both.
  std::vector<std::string> records;
  double risk = 0.0;
};

struct FlaggedNetwork {
  std::string id;                      // "NET-0001"
  uint32_t rank = 0;                   // 1 = best
  std::vector<FlaggedMember> members;  // in report order, not by risk
};

// The report's networks as given. Evaluation orders them by rank itself (ties by position).
struct ReportNetworks {
  std::vector<FlaggedNetwork> networks;
};

struct DecoyGroup {
  std::string id;                       // the `decoy` column
  std::string kind;                     // "hostel", "employment agency", …
  std::vector<std::string> person_ids;  // distinct, in file order
};

// The decoy groups in order of their first row in decoys.csv.
struct Decoys {
  std::vector<DecoyGroup> groups;
};

// Reads truth.csv. Errors name the file, line and field: a missing column, an empty network or
// person_id, an unknown role, a person listed twice in one network, an unreadable row.
StatusOr<Truth> ReadTruth(const std::filesystem::path& truth_csv);

// Reads report.json. Errors name the file and the field (a path such as
// `networks[2] (NET-0003).members[0].risk`): not JSON (with line and column), a schema other
// than "trafnet.report/1", a network without an id, a positive integer rank or members, a
// repeated network id or rank, a member without an id or a numeric risk, a repeated member id.
StatusOr<ReportNetworks> ReadReport(const std::filesystem::path& report_json);

// Reads decoys.csv; errors as for ReadTruth (an empty kind, a group given two kinds).
StatusOr<Decoys> ReadDecoys(const std::filesystem::path& decoys_csv);

struct EvaluateOptions {
  // decoys.csv; empty: no decoy figures.
  std::filesystem::path decoys_csv;
};

// A flagged network that finds a planted one.
struct Finding {
  std::string network;  // the flagged network's id
  uint32_t rank = 0;
  size_t overlap = 0;  // |F∩P|
  size_t members = 0;  // |F|
};

struct PlantedOutcome {
  std::string network;  // the planted network's id
  size_t members = 0;   // |P|
  // The best considered finder (largest overlap, then best rank); empty when not found.
  std::optional<Finding> found_by;
  // Found only: whether a recruiter or controller of P is among found_by's top three by risk.
  bool key_role_in_top_three = false;
  // Not found only: the best finder ranked below the considered networks, if any, to tell a
  // network ranked too low from one never flagged.
  std::optional<Finding> found_beyond;
};

struct DecoyFlag {
  std::string network;  // the flagged network's id
  uint32_t rank = 0;
  std::string decoy;  // the decoy group's id
  std::string kind;
  size_t in_decoy = 0;  // the group's persons matched by the network's members
  size_t members = 0;   // |F|
};

struct Evaluation {
  size_t planted = 0;     // K
  size_t reported = 0;    // networks in the report
  size_t considered = 0;  // min(2K, reported)
  size_t found = 0;       // planted networks found by a considered network
  size_t matching = 0;    // considered networks that find some planted network
  size_t key_role_hits = 0;
  double recall = 1.0;
  double precision = 1.0;
  double key_role_rate = 1.0;
  bool decoys_given = false;
  size_t decoy_window = 0;                 // min(K, reported): the "top K" searched for decoys
  std::vector<DecoyFlag> decoys_in_top_k;  // by rank
  std::vector<PlantedOutcome> networks;    // one per planted network, in truth order
};

// Scores `report` against `truth` as defined above. `decoys` absent: no decoy figures.
// Total: any input gives an evaluation (an empty flagged network finds nothing).
Evaluation EvaluateParsed(const Truth& truth, const ReportNetworks& report,
                          const std::optional<Decoys>& decoys = std::nullopt);

// Reads the files and scores them; the first reading error is returned.
StatusOr<Evaluation> Evaluate(const std::filesystem::path& truth_csv,
                              const std::filesystem::path& report_json,
                              const EvaluateOptions& options = {});

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_EVALUATE_H_
