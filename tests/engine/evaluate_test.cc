#include "trafnet/engine/evaluate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "support/temp_dir.h"

namespace trafnet::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

// A planted network from "person:role" pairs.
PlantedNetwork Planted(std::string id, std::vector<std::pair<std::string, PlantedRole>> members) {
  PlantedNetwork network{std::move(id), {}};
  for (auto& [person, role] : members) network.members.push_back({std::move(person), role});
  return network;
}

// A flagged network whose members carry only their own id as record.
FlaggedNetwork Flagged(std::string id, uint32_t rank,
                       std::vector<std::pair<std::string, double>> members) {
  FlaggedNetwork network{std::move(id), rank, {}};
  for (auto& [person, risk] : members) network.members.push_back({std::move(person), {}, risk});
  return network;
}

// n persons "<prefix>1".."<prefix>n", all with the same risk: filler members.
std::vector<std::pair<std::string, double>> Filler(const std::string& prefix, int n,
                                                   double risk = 0.1) {
  std::vector<std::pair<std::string, double>> members;
  for (int i = 1; i <= n; ++i) members.push_back({prefix + std::to_string(i), risk});
  return members;
}

std::vector<std::pair<std::string, double>> Join(
    std::vector<std::pair<std::string, double>> a,
    const std::vector<std::pair<std::string, double>>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

constexpr PlantedRole kRecruiter = PlantedRole::kRecruiter;
constexpr PlantedRole kController = PlantedRole::kController;
constexpr PlantedRole kDriver = PlantedRole::kDriver;
constexpr PlantedRole kVictim = PlantedRole::kVictim;

// Two planted networks of four: A (recruiter R1, controller C1) and B (recruiter R2, controller
// C2).
Truth TwoNetworks() {
  return Truth{
      {Planted("NET-001",
               {{"R1", kRecruiter}, {"C1", kController}, {"D1", kDriver}, {"V1", kVictim}}),
       Planted("NET-002",
               {{"R2", kRecruiter}, {"C2", kController}, {"V2", kVictim}, {"V3", kVictim}})}};
}

TEST(EvaluateTest, PerfectReportScoresOneEverywhere) {
  ReportNetworks report{{Flagged("F2", 2, {{"V2", 0.2}, {"R2", 0.9}, {"C2", 0.8}, {"V3", 0.3}}),
                         Flagged("F1", 1, {{"V1", 0.1}, {"D1", 0.5}, {"C1", 0.7}, {"R1", 0.95}})}};
  Evaluation e = EvaluateParsed(TwoNetworks(), report);
  EXPECT_EQ(e.planted, 2u);
  EXPECT_EQ(e.reported, 2u);
  EXPECT_EQ(e.considered, 2u);
  EXPECT_EQ(e.found, 2u);
  EXPECT_EQ(e.matching, 2u);
  EXPECT_DOUBLE_EQ(e.recall, 1.0);
  EXPECT_DOUBLE_EQ(e.precision, 1.0);
  EXPECT_EQ(e.key_role_hits, 2u);
  EXPECT_DOUBLE_EQ(e.key_role_rate, 1.0);
  EXPECT_FALSE(e.decoys_given);
  ASSERT_EQ(e.networks.size(), 2u);
  EXPECT_EQ(e.networks[0].network, "NET-001");
  ASSERT_TRUE(e.networks[0].found_by.has_value());
  EXPECT_EQ(e.networks[0].found_by->network, "F1");
  EXPECT_EQ(e.networks[0].found_by->rank, 1u);
  EXPECT_EQ(e.networks[0].found_by->overlap, 4u);
  EXPECT_EQ(e.networks[0].found_by->members, 4u);
  EXPECT_EQ(e.networks[1].found_by->network, "F2");
  EXPECT_TRUE(e.networks[1].key_role_in_top_three);
  EXPECT_FALSE(e.networks[1].found_beyond.has_value());
}

TEST(EvaluateTest, BigFlaggedGroupHoldingAllMembersFailsTheThirdRule) {
  Truth truth{{Planted(
      "NET-001", {{"R1", kRecruiter}, {"C1", kController}, {"V1", kVictim}, {"V2", kVictim}})}};
  auto planted = std::vector<std::pair<std::string, double>>{
      {"R1", 0.9}, {"C1", 0.8}, {"V1", 0.1}, {"V2", 0.1}};
  // 4 of 13 is less than a third: the whole network is in it, and it still does not count.
  Evaluation big = EvaluateParsed(truth, {{Flagged("F1", 1, Join(planted, Filler("X", 9)))}});
  EXPECT_EQ(big.found, 0u);
  EXPECT_EQ(big.matching, 0u);
  EXPECT_DOUBLE_EQ(big.recall, 0.0);
  EXPECT_DOUBLE_EQ(big.precision, 0.0);
  EXPECT_DOUBLE_EQ(big.key_role_rate, 1.0) << "no found network: the rate is 1 by convention";
  // 4 of 12 is exactly a third.
  Evaluation third = EvaluateParsed(truth, {{Flagged("F1", 1, Join(planted, Filler("X", 8)))}});
  EXPECT_EQ(third.found, 1u);
}

TEST(EvaluateTest, HalfOfThePlantedNetworkIsEnough) {
  Truth truth{{Planted(
      "NET-001", {{"R1", kRecruiter}, {"C1", kController}, {"V1", kVictim}, {"V2", kVictim}})}};
  Evaluation half = EvaluateParsed(truth, {{Flagged("F1", 1, {{"V1", 0.5}, {"V2", 0.5}})}});
  EXPECT_EQ(half.found, 1u);
  EXPECT_EQ(half.networks[0].found_by->overlap, 2u);
  EXPECT_FALSE(half.networks[0].key_role_in_top_three);
  Evaluation less = EvaluateParsed(truth, {{Flagged("F1", 1, {{"V1", 0.5}})}});
  EXPECT_EQ(less.found, 0u);
}

TEST(EvaluateTest, NetworkMatchedOnlyBelowTheTopTwoKIsNotFound) {
  Truth truth{{Planted("NET-001", {{"R1", kRecruiter}, {"C1", kController}, {"V1", kVictim}})}};
  // Given out of rank order: ranks decide, not positions. K = 1, so ranks 1 and 2 are considered.
  ReportNetworks report{{Flagged("F3", 3, {{"R1", 0.9}, {"C1", 0.8}, {"V1", 0.1}}),
                         Flagged("F1", 1, Filler("X", 3)), Flagged("F2", 2, Filler("Y", 3))}};
  Evaluation e = EvaluateParsed(truth, report);
  EXPECT_EQ(e.considered, 2u);
  EXPECT_EQ(e.found, 0u);
  EXPECT_DOUBLE_EQ(e.recall, 0.0);
  EXPECT_DOUBLE_EQ(e.precision, 0.0);
  EXPECT_FALSE(e.networks[0].found_by.has_value());
  ASSERT_TRUE(e.networks[0].found_beyond.has_value());
  EXPECT_EQ(e.networks[0].found_beyond->network, "F3");
  EXPECT_EQ(e.networks[0].found_beyond->rank, 3u);
}

TEST(EvaluateTest, BestFinderHasTheMostOverlapThenTheBestRank) {
  Truth truth{{Planted("NET-001",
                       {{"R1", kRecruiter}, {"C1", kController}, {"V1", kVictim}, {"V2", kVictim}}),
               Planted("NET-002", {{"Q", kVictim}})}};
  // F2 holds more of NET-001; F1 and F3 hold as much as each other of it, F1 ranked better.
  ReportNetworks report{{Flagged("F1", 1, {{"V1", 0.9}, {"V2", 0.9}}),
                         Flagged("F2", 2, {{"V1", 0.9}, {"V2", 0.9}, {"C1", 0.1}}),
                         Flagged("F3", 3, {{"V1", 0.9}, {"V2", 0.9}})}};
  Evaluation e = EvaluateParsed(truth, report);
  EXPECT_EQ(e.networks[0].found_by->network, "F2");
  EXPECT_TRUE(e.networks[0].key_role_in_top_three) << "C1 is third of three";
  EXPECT_EQ(e.matching, 3u);
  EXPECT_DOUBLE_EQ(e.precision, 1.0);

  ReportNetworks tied{
      {Flagged("F3", 3, {{"V1", 0.9}, {"V2", 0.9}}), Flagged("F1", 1, {{"V1", 0.9}, {"V2", 0.9}})}};
  EXPECT_EQ(EvaluateParsed(truth, tied).networks[0].found_by->network, "F1");
}

TEST(EvaluateTest, KeyRoleCountsInTheTopThreeByRiskButNotFourth) {
  Truth truth{{Planted("NET-001", {{"R1", kRecruiter},
                                   {"C1", kController},
                                   {"D1", kDriver},
                                   {"V1", kVictim},
                                   {"V2", kVictim},
                                   {"V3", kVictim}})}};
  // Members listed in no particular order; by risk the recruiter is third, then fourth.
  Evaluation third = EvaluateParsed(
      truth,
      {{Flagged("F1", 1,
                {{"V1", 0.9}, {"C1", 0.1}, {"R1", 0.7}, {"D1", 0.8}, {"V2", 0.2}, {"V3", 0.3}})}});
  EXPECT_TRUE(third.networks[0].key_role_in_top_three);
  EXPECT_EQ(third.key_role_hits, 1u);
  Evaluation fourth = EvaluateParsed(
      truth,
      {{Flagged("F1", 1,
                {{"V1", 0.9}, {"C1", 0.1}, {"R1", 0.6}, {"D1", 0.8}, {"V2", 0.2}, {"V3", 0.7}})}});
  EXPECT_FALSE(fourth.networks[0].key_role_in_top_three);
  EXPECT_EQ(fourth.key_role_hits, 0u);
  EXPECT_DOUBLE_EQ(fourth.key_role_rate, 0.0);
  // Equal risks fall back to id order: "C1" sorts before "V1", "V2", "V3"; "R1" after "D1".
  Evaluation ties = EvaluateParsed(
      truth, {{Flagged("F1", 1, {{"V1", 0.5}, {"V2", 0.5}, {"C1", 0.5}, {"V3", 0.5}})}});
  EXPECT_TRUE(ties.networks[0].key_role_in_top_three);
  Evaluation ties_late = EvaluateParsed(
      truth,
      {{Flagged("F1", 1, {{"V1", 0.5}, {"D1", 0.5}, {"R1", 0.5}, {"V2", 0.5}, {"V3", 0.5}})}});
  EXPECT_TRUE(ties_late.networks[0].key_role_in_top_three) << "D1, R1, V1";
  Evaluation ties_out = EvaluateParsed(
      truth,
      {{Flagged("F1", 1,
                {{"V1", 0.5}, {"D1", 0.5}, {"V3", 0.5}, {"V2", 0.5}, {"A0", 0.5}, {"R1", 0.4}})}});
  EXPECT_FALSE(ties_out.networks[0].key_role_in_top_three) << "A0, D1, V1 come first";
}

TEST(EvaluateTest, SecondRecordIdMatchesThroughRecords) {
  Truth truth{{Planted("NET-001", {{"MUP-P1", kRecruiter}, {"MUP-P2", kVictim}})}};
  FlaggedNetwork flagged{"F1", 1, {}};
  flagged.members.push_back({"BIA-7", {"BIA-7", "MUP-P1"}, 0.9});
  flagged.members.push_back({"BIA-8", {}, 0.5});
  Evaluation e = EvaluateParsed(truth, {{flagged}});
  EXPECT_EQ(e.found, 1u);
  EXPECT_EQ(e.networks[0].found_by->overlap, 1u);
  EXPECT_TRUE(e.networks[0].key_role_in_top_three);
  flagged.members[0].records = {"BIA-7"};
  EXPECT_EQ(EvaluateParsed(truth, {{flagged}}).found, 0u);
}

TEST(EvaluateTest, DecoyGroupFlaggedInTheTopKIsCounted) {
  Truth truth{{Planted("NET-001", {{"R1", kRecruiter}, {"C1", kController}, {"V1", kVictim}})}};
  Decoys decoys{{DecoyGroup{"DEC-001", "hostel", {"H1", "H2", "H3"}},
                 DecoyGroup{"DEC-002", "landlord", {"L1", "L2"}}}};
  // Rank 1: one of three is the hostel's (a third): a decoy. Rank 2 is the planted network.
  ReportNetworks report{{Flagged("F1", 1, {{"H2", 0.9}, {"X1", 0.5}, {"X2", 0.4}}),
                         Flagged("F2", 2, {{"R1", 0.9}, {"C1", 0.8}, {"V1", 0.1}})}};
  Evaluation e = EvaluateParsed(truth, report, decoys);
  EXPECT_TRUE(e.decoys_given);
  EXPECT_EQ(e.decoy_window, 1u);
  ASSERT_EQ(e.decoys_in_top_k.size(), 1u);
  EXPECT_EQ(e.decoys_in_top_k[0].network, "F1");
  EXPECT_EQ(e.decoys_in_top_k[0].rank, 1u);
  EXPECT_EQ(e.decoys_in_top_k[0].decoy, "DEC-001");
  EXPECT_EQ(e.decoys_in_top_k[0].kind, "hostel");
  EXPECT_EQ(e.decoys_in_top_k[0].in_decoy, 1u);
  EXPECT_EQ(e.decoys_in_top_k[0].members, 3u);
  EXPECT_EQ(e.found, 1u) << "rank 2 is within the top 2K";
  EXPECT_DOUBLE_EQ(e.precision, 0.5);

  // Below a third (1 of 4), or outside the top K, it is not counted.
  ReportNetworks diluted{{Flagged("F1", 1, {{"H2", 0.9}, {"X1", 0.5}, {"X2", 0.4}, {"X3", 0.4}})}};
  EXPECT_TRUE(EvaluateParsed(truth, diluted, decoys).decoys_in_top_k.empty());
  ReportNetworks later{{Flagged("F2", 1, {{"R1", 0.9}, {"C1", 0.8}, {"V1", 0.1}}),
                        Flagged("F1", 2, {{"H1", 0.9}, {"H2", 0.5}})}};
  EXPECT_TRUE(EvaluateParsed(truth, later, decoys).decoys_in_top_k.empty());
}

TEST(EvaluateTest, PlantedNetworkInTheTopKIsNeverADecoy) {
  Truth truth{{Planted("NET-001", {{"R1", kRecruiter}, {"C1", kController}, {"V1", kVictim}})}};
  // The landlord rents to the victims: the network also holds a third decoy group.
  Decoys decoys{{DecoyGroup{"DEC-001", "landlord", {"L1", "V1"}}}};
  ReportNetworks report{{Flagged("F1", 1, {{"R1", 0.9}, {"C1", 0.8}, {"V1", 0.1}, {"L1", 0.2}})}};
  Evaluation e = EvaluateParsed(truth, report, decoys);
  EXPECT_EQ(e.found, 1u);
  EXPECT_TRUE(e.decoys_in_top_k.empty());
}

TEST(EvaluateTest, EmptyTruthAndEmptyReportFollowTheConventions) {
  Evaluation nothing = EvaluateParsed(Truth{}, {{Flagged("F1", 1, Filler("X", 3))}});
  EXPECT_EQ(nothing.planted, 0u);
  EXPECT_EQ(nothing.considered, 0u);
  EXPECT_DOUBLE_EQ(nothing.recall, 1.0);
  EXPECT_DOUBLE_EQ(nothing.precision, 1.0);
  Evaluation unreported = EvaluateParsed(TwoNetworks(), ReportNetworks{});
  EXPECT_EQ(unreported.considered, 0u);
  EXPECT_DOUBLE_EQ(unreported.recall, 0.0);
  EXPECT_DOUBLE_EQ(unreported.precision, 1.0);
  EXPECT_DOUBLE_EQ(unreported.key_role_rate, 1.0);
  EXPECT_EQ(unreported.key_role_hits, 0u);
}

// Reading files.

constexpr char kTruthCsv[] =
    "network,person_id,role\n"
    "NET-001,MUP-P1,recruiter\n"
    "NET-001,MUP-P2,controller\n"
    "NET-001,MUP-P3,victim\n"
    "NET-002,GP-1,recruiter\n"
    "NET-002,GP-2,victim\n";

std::string Report(const std::string& networks) {
  return R"({"schema":"trafnet.report/1","generated_at":"2026-11-28T16:00:00Z","parameters":{},)"
         R"("networks":[)" +
         networks + R"(],"persons":[],"same_person":[]})";
}

TEST(EvaluateTest, ReadsTruthReportAndDecoysFiles) {
  TempDir dir;
  WriteFile(dir / "truth.csv", kTruthCsv);
  WriteFile(
      dir / "report.json",
      Report(
          R"({"id":"NET-0001","rank":1,"score":0.9,"members":[)"
          R"({"id":"BIA-9","records":["BIA-9","MUP-P2"],"role":"controller","risk":0.8,"reasons":[]},)"
          R"({"id":"MUP-P1","role":"recruiter","risk":0.9},{"id":"X","risk":0.1}]},)"
          R"({"id":"NET-0002","rank":2,"score":0.5,"members":[{"id":"H1","risk":0.3},{"id":"Y","risk":0.2}]})"));
  WriteFile(dir / "decoys.csv", "decoy,person_id,kind\nDEC-001,H1,hostel\nDEC-001,H2,hostel\n");

  auto truth = ReadTruth(dir / "truth.csv");
  ASSERT_TRUE(truth.ok()) << truth.status().ToString();
  ASSERT_EQ(truth->networks.size(), 2u);
  EXPECT_EQ(truth->networks[0].id, "NET-001");
  EXPECT_EQ(truth->networks[0].members.size(), 3u);
  EXPECT_EQ(truth->networks[0].members[1].role, PlantedRole::kController);

  auto report = ReadReport(dir / "report.json");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->networks.size(), 2u);
  EXPECT_THAT(report->networks[0].members[0].records, ElementsAre("BIA-9", "MUP-P2"));
  EXPECT_TRUE(report->networks[0].members[1].records.empty());
  EXPECT_DOUBLE_EQ(report->networks[0].members[1].risk, 0.9);

  EvaluateOptions options;
  options.decoys_csv = dir / "decoys.csv";
  auto e = Evaluate(dir / "truth.csv", dir / "report.json", options);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->found, 1u);
  EXPECT_EQ(e->networks[0].found_by->overlap, 2u);
  EXPECT_FALSE(e->networks[1].found_by.has_value());
  EXPECT_DOUBLE_EQ(e->recall, 0.5);
  EXPECT_DOUBLE_EQ(e->precision, 0.5);
  EXPECT_EQ(e->decoys_in_top_k.size(), 1u)
      << "NET-0002 is ranked 2 of K = 2 and half of it is the hostel";
}

// The error message for a truth.csv or report.json with the given content.
std::string TruthError(const std::string& content) {
  TempDir dir;
  WriteFile(dir / "truth.csv", content);
  auto truth = ReadTruth(dir / "truth.csv");
  return truth.ok() ? "ok" : truth.status().message();
}

std::string ReportError(const std::string& content) {
  TempDir dir;
  WriteFile(dir / "report.json", content);
  auto report = ReadReport(dir / "report.json");
  return report.ok() ? "ok" : report.status().message();
}

TEST(EvaluateTest, MalformedTruthNamesFileLineAndField) {
  EXPECT_THAT(TruthError("network,person_id,role\nNET-001,P1,recruiter\nNET-001,P2,boss\n"),
              HasSubstr("truth.csv:3: role: unknown role \"boss\""));
  EXPECT_THAT(TruthError("network,person_id\nNET-001,P1\n"),
              HasSubstr("truth.csv:1: header: no column \"role\""));
  EXPECT_THAT(TruthError("network,person_id,role\nNET-001,,victim\n"),
              HasSubstr("truth.csv:2: person_id: empty"));
  EXPECT_THAT(TruthError("network,person_id,role\nNET-001,P1,victim\nNET-001,P1,driver\n"),
              HasSubstr("truth.csv:3: person_id: P1 is already a member of NET-001 (line 2)"));
  EXPECT_THAT(TruthError("network,person_id,role\nNET-001,P1\n"),
              HasSubstr("truth.csv:2: expected 3 fields"));
  EXPECT_THAT(TruthError(""), HasSubstr("truth.csv: empty file"));
}

TEST(EvaluateTest, MalformedReportNamesFileAndField) {
  const std::string member = R"({"id":"P1","risk":0.5})";
  EXPECT_THAT(ReportError(R"({"networks":[]})"), HasSubstr("report.json: schema: missing"));
  EXPECT_THAT(
      ReportError(R"({"schema":"trafnet.report/2","networks":[]})"),
      HasSubstr("report.json: schema: \"trafnet.report/2\", expected \"trafnet.report/1\""));
  EXPECT_THAT(ReportError("{\"schema\":\"trafnet.report/1\",\n\"networks\":[}\n"),
              HasSubstr("report.json: not valid JSON: parse error at line 2"));
  EXPECT_THAT(ReportError(R"({"schema":"trafnet.report/1"})"),
              HasSubstr("report.json: networks: missing"));
  EXPECT_THAT(ReportError(Report(R"({"id":"NET-0001","rank":1,"members":[)" + member +
                                 R"(]},)"
                                 R"({"id":"NET-0002","rank":2,"members":[]})")),
              HasSubstr("report.json: networks[1] (NET-0002).members: empty"));
  EXPECT_THAT(ReportError(Report(R"({"id":"NET-0001","rank":1})")),
              HasSubstr("report.json: networks[0] (NET-0001): no \"members\""));
  EXPECT_THAT(ReportError(Report(R"({"id":"NET-0001","rank":0,"members":[)" + member + "]}")),
              HasSubstr("networks[0] (NET-0001).rank: expected a positive integer"));
  EXPECT_THAT(ReportError(Report(R"({"rank":1,"members":[)" + member + "]}")),
              HasSubstr("report.json: networks[0]: no \"id\""));
  EXPECT_THAT(
      ReportError(Report(R"({"id":"NET-0001","rank":1,"members":[{"id":"P1","risk":"high"}]})")),
      HasSubstr("networks[0] (NET-0001).members[0].risk: expected a number"));
  EXPECT_THAT(
      ReportError(Report(
          R"({"id":"NET-0001","rank":1,"members":[{"id":"P1","records":["P1",7],"risk":1}]})")),
      HasSubstr("networks[0] (NET-0001).members[0].records[1]: expected a non-empty string"));
  EXPECT_THAT(ReportError(Report(R"({"id":"NET-0001","rank":1,"members":[)" + member + "," +
                                 member + "]}")),
              HasSubstr("networks[0] (NET-0001).members[1].id: \"P1\" is listed twice"));
  EXPECT_THAT(ReportError(Report(R"({"id":"NET-0001","rank":1,"members":[)" + member +
                                 R"(]},)"
                                 R"({"id":"NET-0002","rank":1,"members":[)" +
                                 member + "]}")),
              HasSubstr("networks[1] (NET-0002).rank: 1 repeats the rank of networks[0]"));
}

TEST(EvaluateTest, MissingFilesAndBadDecoysAreErrors) {
  TempDir dir;
  WriteFile(dir / "truth.csv", kTruthCsv);
  WriteFile(dir / "report.json", Report(""));
  auto no_report = Evaluate(dir / "truth.csv", dir / "missing.json");
  ASSERT_FALSE(no_report.ok());
  EXPECT_EQ(no_report.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(no_report.status().message(), HasSubstr("missing.json: no such file"));
  auto no_truth = Evaluate(dir / "missing.csv", dir / "report.json");
  EXPECT_EQ(no_truth.status().code(), StatusCode::kNotFound);

  WriteFile(dir / "decoys.csv", "decoy,person_id,kind\nDEC-001,H1,hostel\nDEC-001,H2,landlord\n");
  EvaluateOptions options;
  options.decoys_csv = dir / "decoys.csv";
  auto two_kinds = Evaluate(dir / "truth.csv", dir / "report.json", options);
  ASSERT_FALSE(two_kinds.ok());
  EXPECT_THAT(
      two_kinds.status().message(),
      HasSubstr("decoys.csv:3: kind: \"landlord\", but line 2 gives DEC-001 the kind \"hostel\""));
}

}  // namespace
}  // namespace trafnet::engine
