// End-to-end tests of `trafnet evaluate`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_trafnet.h"
#include "support/temp_dir.h"

namespace trafnet {
namespace {

using ::testing::HasSubstr;
using trafnet::testing::CommandResult;
using trafnet::testing::Quote;
using trafnet::testing::RunTrafnet;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

// Two planted networks; the report finds the first at rank 1 (recruiter riskiest) and flags a
// hostel at rank 2; the second planted network is ranked 5, below the top 2K = 4.
class EvaluateCliTest : public ::testing::Test {
 protected:
  EvaluateCliTest() {
    WriteFile(dir_ / "truth.csv",
              "network,person_id,role\n"
              "NET-001,MUP-P1,recruiter\nNET-001,MUP-P2,controller\nNET-001,MUP-P3,victim\n"
              "NET-002,GP-1,recruiter\nNET-002,GP-2,victim\n");
    WriteFile(dir_ / "decoys.csv", "decoy,person_id,kind\nDEC-001,H1,hostel\nDEC-001,H2,hostel\n");
    auto network = [](const std::string& id, int rank, const std::string& members) {
      return R"({"id":")" + id + R"(","rank":)" + std::to_string(rank) +
             R"(,"score":0.5,"members":[)" + members +
             R"(],"reasons":[],"identifiers":{"phones":[],"addresses":[]}})";
    };
    WriteFile(
        dir_ / "report.json",
        R"({"schema":"trafnet.report/1","generated_at":"2026-11-28T16:00:00Z","parameters":{},"networks":[)" +
            network(
                "NET-0001", 1,
                R"({"id":"MUP-P3","records":["MUP-P3"],"role":"victim","risk":0.2},)"
                R"({"id":"BIA-1","records":["BIA-1","MUP-P1"],"role":"recruiter","risk":0.9})") +
            "," +
            network("NET-0002", 2,
                    R"({"id":"H1","risk":0.4},{"id":"H2","risk":0.3},{"id":"Z","risk":0.1})") +
            "," + network("NET-0003", 3, R"({"id":"A","risk":0.4})") + "," +
            network("NET-0004", 4, R"({"id":"B","risk":0.4})") + "," +
            network("NET-0005", 5, R"({"id":"GP-1","risk":0.4},{"id":"GP-2","risk":0.3})") +
            R"(],"persons":[],"same_person":[]})");
  }

  std::string Files() const {
    return "--truth " + Quote(dir_ / "truth.csv") + " --report " + Quote(dir_ / "report.json");
  }

  TempDir dir_;
};

TEST_F(EvaluateCliTest, PrintsTheFiguresAsJson) {
  CommandResult result =
      RunTrafnet("evaluate --json " + Files() + " --decoys " + Quote(dir_ / "decoys.csv"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto json = nlohmann::json::parse(result.output, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << result.output;
  EXPECT_EQ(json["planted"], 2);
  EXPECT_EQ(json["reported"], 5);
  EXPECT_EQ(json["considered"], 4);
  EXPECT_EQ(json["found"], 1);
  EXPECT_DOUBLE_EQ(json["recall"].get<double>(), 0.5);
  EXPECT_EQ(json["matching"], 1);
  EXPECT_DOUBLE_EQ(json["precision"].get<double>(), 0.25);
  EXPECT_EQ(json["key_role_hits"], 1);
  EXPECT_DOUBLE_EQ(json["key_role_rate"].get<double>(), 1.0);
  EXPECT_EQ(json["decoys_in_top_k"]["top_k"], 2);
  EXPECT_EQ(json["decoys_in_top_k"]["count"], 1);
  EXPECT_EQ(json["decoys_in_top_k"]["networks"][0]["network"], "NET-0002");
  EXPECT_EQ(json["decoys_in_top_k"]["networks"][0]["kind"], "hostel");
  ASSERT_EQ(json["networks"].size(), 2u);
  EXPECT_EQ(json["networks"][0]["network"], "NET-001");
  EXPECT_EQ(json["networks"][0]["found"], true);
  EXPECT_EQ(json["networks"][0]["found_by"]["network"], "NET-0001");
  EXPECT_EQ(json["networks"][0]["found_by"]["overlap"], 2);
  EXPECT_EQ(json["networks"][0]["key_role_in_top_three"], true);
  EXPECT_EQ(json["networks"][1]["found"], false);
  EXPECT_TRUE(json["networks"][1]["found_by"].is_null());
  EXPECT_TRUE(json["networks"][1]["key_role_in_top_three"].is_null());
  EXPECT_EQ(json["networks"][1]["found_beyond"]["rank"], 5);
}

TEST_F(EvaluateCliTest, PrintsATableWithOneLinePerPlantedNetwork) {
  CommandResult result = RunTrafnet("evaluate " + Files());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("recall                0.500"));
  EXPECT_THAT(result.output, HasSubstr("precision             0.250 (1 of 4 considered"));
  EXPECT_THAT(result.output, HasSubstr("decoys in top 2       not measured (no --decoys)"));
  EXPECT_THAT(
      result.output,
      HasSubstr("NET-001  3 members  found by NET-0001 (rank 1): 2 of 3 planted, 2 of 2 flagged; "
                "key role in the top three"));
  EXPECT_THAT(
      result.output,
      HasSubstr("NET-002  2 members  not found; found below the top 4 by NET-0005 (rank 5)"));
}

TEST_F(EvaluateCliTest, MissingFileIsAnErrorNamingIt) {
  CommandResult result = RunTrafnet("evaluate --json --truth " + Quote(dir_ / "truth.csv") +
                                    " --report " + Quote(dir_ / "none.json"));
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output,
              HasSubstr("trafnet: " + (dir_ / "none.json").string() + ": no such file"));
  EXPECT_EQ(RunTrafnet("evaluate --report " + Quote(dir_ / "report.json")).exit_code, 2)
      << "--truth is required";
}

}  // namespace
}  // namespace trafnet
