// End-to-end tests of `trafnet audit verify | show`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/run_trafnet.h"
#include "support/temp_dir.h"
#include "trafnet/storage/audit_log.h"

namespace trafnet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using trafnet::testing::CommandResult;
using trafnet::testing::Quote;
using trafnet::testing::ReadFile;
using trafnet::testing::RunTrafnet;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

// A store folder whose log holds three records by two users.
class AuditCliTest : public ::testing::Test {
 protected:
  AuditCliTest() {
    std::filesystem::create_directories(db_);
    auto log = storage::AuditLog::Open(storage::AuditLogPath(db_));
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    auto append = [&](const std::string& time, const std::string& user, const std::string& action,
                      const std::string& id) {
      storage::AuditEntry entry;
      entry.time = time;
      entry.user = user;
      entry.role = "analyst";
      entry.action = action;
      entry.parameters = {{"person", id}};
      entry.ids = {id, id + "-B"};
      entry.justification = "KU-2026-118";
      entry.outcome = "ok";
      EXPECT_TRUE(log->Append(entry).ok());
    };
    append("2020-11-27T08:00:00Z", "ana", "query.lookup", "MUP-P1");
    append("2020-11-28T09:30:00Z", "ivo", "export", "MUP-P2");
    append("2020-11-28T10:00:00Z", "ana", "query.neighbourhood", "MUP-P3");
  }

  std::string Db() const { return " --db " + Quote(db_); }

  std::vector<storage::AuditRecord> Records() const {
    auto log = storage::AuditLog::Open(storage::AuditLogPath(db_));
    EXPECT_TRUE(log.ok());
    auto records = log->ReadAll();
    EXPECT_TRUE(records.ok()) << records.status().ToString();
    return records.ok() ? *records : std::vector<storage::AuditRecord>{};
  }

  TempDir dir_;
  std::filesystem::path db_ = dir_ / "db";
};

TEST_F(AuditCliTest, VerifyPrintsTheHeadOfAGoodLog) {
  CommandResult text = RunTrafnet("audit verify" + Db());
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_THAT(text.output, HasSubstr("3 records"));
  EXPECT_THAT(text.output, HasSubstr("head: seq 3 hash " + Records().back().hash));
  EXPECT_THAT(text.output, HasSubstr("audit log is consistent"));

  CommandResult json = RunTrafnet("audit verify --json" + Db());
  ASSERT_EQ(json.exit_code, 0) << json.output;
  auto report = nlohmann::json::parse(json.output, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << json.output;
  EXPECT_EQ(report["records"], 3);
  EXPECT_EQ(report["head_seq"], 3);
  EXPECT_EQ(report["ok"], true);
  EXPECT_TRUE(report["problems"].empty());
}

TEST_F(AuditCliTest, VerifyExitsWithProblemsWhenARecordWasAltered) {
  std::filesystem::path file = storage::AuditLogPath(db_);
  std::string text = ReadFile(file);
  size_t at = text.find(R"("user":"ivo")");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 12, R"("user":"eve")");
  WriteFile(file, text);

  CommandResult result = RunTrafnet("audit verify" + Db());
  EXPECT_EQ(result.exit_code, 4) << result.output;
  EXPECT_THAT(result.output, HasSubstr("problem: line 2 (seq 2)"));
  EXPECT_THAT(result.output, Not(HasSubstr("consistent")));
}

TEST_F(AuditCliTest, VerifyWithAnExpectedHeadDetectsACutTail) {
  std::string head = Records().back().hash;
  std::string second = Records()[1].hash;
  CommandResult same = RunTrafnet("audit verify --expect-head " + head + Db());
  EXPECT_EQ(same.exit_code, 0) << same.output;

  std::filesystem::path file = storage::AuditLogPath(db_);
  std::string text = ReadFile(file);
  text.erase(text.rfind('\n', text.size() - 2) + 1);  // drop the last record
  WriteFile(file, text);
  EXPECT_EQ(RunTrafnet("audit verify" + Db()).exit_code, 0);
  CommandResult cut = RunTrafnet("audit verify --expect-head " + head + Db());
  EXPECT_EQ(cut.exit_code, 4) << cut.output;
  EXPECT_THAT(cut.output, HasSubstr("removed from the end"));
  CommandResult earlier = RunTrafnet("audit verify --expect-head " + second + Db());
  EXPECT_EQ(earlier.exit_code, 0) << earlier.output;
  EXPECT_EQ(RunTrafnet("audit verify --expect-head nonsense" + Db()).exit_code, 1);
}

TEST_F(AuditCliTest, ShowPrintsATableAndLogsItsOwnAccess) {
  CommandResult result = RunTrafnet("audit show" + Db());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::istringstream lines(result.output);
  std::string header;
  std::getline(lines, header);
  EXPECT_THAT(header, HasSubstr("SEQ"));
  EXPECT_THAT(header, HasSubstr("JUSTIFICATION"));
  EXPECT_THAT(result.output, HasSubstr("query.neighbourhood"));
  EXPECT_THAT(result.output, HasSubstr("person=MUP-P2"));
  EXPECT_THAT(result.output, HasSubstr("KU-2026-118"));
  EXPECT_THAT(result.output, Not(HasSubstr("audit.show"))) << "the log as it was when read";

  std::vector<storage::AuditRecord> records = Records();
  ASSERT_EQ(records.size(), 4u);
  const storage::AuditEntry& access = records.back().entry;
  EXPECT_EQ(access.action, "audit.show");
  EXPECT_EQ(access.role, "auditor");
  EXPECT_FALSE(access.user.empty());
  EXPECT_EQ(access.outcome, "ok");
  EXPECT_EQ(RunTrafnet("audit verify" + Db()).exit_code, 0);
}

TEST_F(AuditCliTest, ShowFiltersAndPrintsJson) {
  CommandResult ana = RunTrafnet("audit show --json --user ana" + Db());
  ASSERT_EQ(ana.exit_code, 0) << ana.output;
  auto json = nlohmann::json::parse(ana.output, nullptr, false);
  ASSERT_TRUE(json.is_array()) << ana.output;
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["seq"], 1);
  EXPECT_EQ(json[0]["ids"].size(), 2u);
  EXPECT_EQ(json[0]["parameters"][0][1], "MUP-P1");
  EXPECT_EQ(json[1]["action"], "query.neighbourhood");
  EXPECT_EQ(json[1]["hash"], Records()[2].hash);

  CommandResult since = RunTrafnet("audit show --json --since 2020-11-28" + Db());
  json = nlohmann::json::parse(since.output, nullptr, false);
  ASSERT_TRUE(json.is_array()) << since.output;
  // ivo's export, ana's neighbourhood query, and the first show (logged now).
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[0]["user"], "ivo");

  CommandResult exports = RunTrafnet("audit show --json --action export" + Db());
  json = nlohmann::json::parse(exports.output, nullptr, false);
  ASSERT_TRUE(json.is_array()) << exports.output;
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["user"], "ivo");

  std::vector<storage::AuditRecord> records = Records();
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[5].entry.parameters[1],
            std::make_pair(std::string("action"), std::string("export")));
}

TEST_F(AuditCliTest, ExitCodesForMissingLogsAndBadOptions) {
  EXPECT_EQ(RunTrafnet("audit").exit_code, 2);
  EXPECT_EQ(RunTrafnet("audit show").exit_code, 2);
  EXPECT_EQ(RunTrafnet("audit show --since yesterday" + Db()).exit_code, 2);
  CommandResult missing = RunTrafnet("audit verify --db " + Quote(dir_ / "nothing"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("trafnet: no store at"));
  std::filesystem::create_directories(dir_ / "empty");
  CommandResult no_log = RunTrafnet("audit show --db " + Quote(dir_ / "empty"));
  EXPECT_EQ(no_log.exit_code, 1);
  EXPECT_THAT(no_log.output, HasSubstr("no audit log"));
  EXPECT_FALSE(std::filesystem::exists(storage::AuditLogPath(dir_ / "empty")));
}

}  // namespace
}  // namespace trafnet
