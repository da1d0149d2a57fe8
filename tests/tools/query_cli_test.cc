// End-to-end tests of `trafnet query`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "support/raw_store.h"
#include "support/run_trafnet.h"
#include "support/temp_dir.h"

namespace trafnet {
namespace {

using ::testing::HasSubstr;
using trafnet::testing::CommandResult;
using trafnet::testing::Quote;
using trafnet::testing::RemoveLinkSummaries;
using trafnet::testing::RemoveNameWordIndex;
using trafnet::testing::RunTrafnet;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

// P1 and P2 share a phone; P2 knows P3; a name that would be markup if put into a page as HTML.
class QueryCliTest : public ::testing::Test {
 protected:
  QueryCliTest() {
    WriteFile(dir_ / "data/persons.csv",
              "id,name,birth_date,gender,nationality,status,source\n"
              "P1,Ana Petrović,,F,,,MUP\nP2,Bojan Ilić,,M,,,MUP\n"
              "P3,\"<img src=x onerror=alert(1)>\",,M,,,MUP\n");
    WriteFile(dir_ / "data/links.csv",
              "from,to,type,start,end,count,source\n"
              "person:P1,phone:064/123-4567,USES,2024-01-01,,1,MUP\n"
              "person:P2,phone:0641234567,USES,2024-02-01,,1,MUP\n"
              "person:P2,person:P3,KNOWS,,,1,MUP\n");
    db_ = Quote(dir_ / "db");
    CommandResult ingest = RunTrafnet("ingest --quiet --db " + db_ + " --report-dir " +
                                      Quote(dir_ / "reports") + " " + Quote(dir_ / "data"));
    EXPECT_EQ(ingest.exit_code, 0) << ingest.output;
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(QueryCliTest, LookupPrintsJsonWithTheE164Id) {
  CommandResult result = RunTrafnet("query lookup --db " + db_ + " --phone '+381 64 123 4567' --json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json json = nlohmann::json::parse(result.output);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["id"], "+381641234567");
  EXPECT_EQ(json[0]["kind"], "phone");
  EXPECT_EQ(json[0]["ref"], "phone:+381641234567");
  EXPECT_EQ(json[0]["degree"], 2);
  EXPECT_EQ(json[0]["score"], 1.0);
}

TEST_F(QueryCliTest, NeighbourhoodInEveryFormat) {
  const std::string base = "query neighbourhood --db " + db_ + " --id P1";
  const std::string two_hops = base + " --hops 2";
  CommandResult json = RunTrafnet(two_hops + " --format json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const nlohmann::json graph = nlohmann::json::parse(json.output);
  EXPECT_EQ(graph["nodes"].size(), 3u) << "P1, the phone, P2";
  EXPECT_EQ(graph["links"].size(), 2u);
  EXPECT_EQ(graph["links"][0]["observations"][0]["source"], "MUP");
  CommandResult cytoscape = RunTrafnet(two_hops + " --format cytoscape");
  ASSERT_EQ(cytoscape.exit_code, 0) << cytoscape.output;
  EXPECT_EQ(nlohmann::json::parse(cytoscape.output)["elements"]["edges"].size(), 2u);
  CommandResult graphml = RunTrafnet(base + " --hops 3 --format graphml");
  ASSERT_EQ(graphml.exit_code, 0) << graphml.output;
  EXPECT_THAT(graphml.output, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(graphml.output, ::testing::Not(HasSubstr("<img")));
  CommandResult dot = RunTrafnet(two_hops + " --format dot");
  ASSERT_EQ(dot.exit_code, 0) << dot.output;
  EXPECT_THAT(dot.output, HasSubstr("\"person:P1\" -> \"phone:+381641234567\""));
  CommandResult table = RunTrafnet(two_hops);
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_THAT(table.output, HasSubstr("3 nodes, 2 links"));
}

TEST_F(QueryCliTest, PathSharedAndTimeline) {
  CommandResult path = RunTrafnet("query path --db " + db_ + " --from P1 --to P3");
  ASSERT_EQ(path.exit_code, 0) << path.output;
  EXPECT_THAT(path.output,
              HasSubstr("3 hops: person:P1 - phone:+381641234567 - person:P2 - person:P3"));
  CommandResult shared = RunTrafnet("query shared --db " + db_ + " --ids P1,P2 --json");
  ASSERT_EQ(shared.exit_code, 0) << shared.output;
  const nlohmann::json items = nlohmann::json::parse(shared.output);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["shared"]["id"], "+381641234567");
  EXPECT_EQ(items[0]["holders"], nlohmann::json::array({"person:P1", "person:P2"}));
  CommandResult timeline = RunTrafnet("query timeline --db " + db_ + " --id P2");
  ASSERT_EQ(timeline.exit_code, 0) << timeline.output;
  EXPECT_THAT(timeline.output, HasSubstr("person:P2 Bojan Ilić: 2 events"));
}

TEST_F(QueryCliTest, BadRequestsFailWithAMessage) {
  CommandResult unknown = RunTrafnet("query neighbourhood --db " + db_ + " --id P99");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.output, HasSubstr("no person, address or phone 'P99'"));
  CommandResult format = RunTrafnet("query lookup --db " + db_ + " --id P1 --format dot");
  EXPECT_EQ(format.exit_code, 1);
  EXPECT_THAT(format.output, HasSubstr("table or JSON only"));
  CommandResult two = RunTrafnet("query lookup --db " + db_ + " --id P1 --name Ana");
  EXPECT_EQ(two.exit_code, 2) << two.output;
  CommandResult phone = RunTrafnet("query lookup --db " + db_ + " --phone 'call me'");
  EXPECT_EQ(phone.exit_code, 1);
  EXPECT_THAT(phone.output, HasSubstr("phone 'call me'"));
  CommandResult missing = RunTrafnet("query lookup --db " + Quote(dir_ / "nothing") + " --id P1");
  EXPECT_EQ(missing.exit_code, 1);
}

// Every query, answered or not, is in the store's audit trail with what it asked, what it
// disclosed and the case it was for; the trail verifies.
TEST_F(QueryCliTest, EveryQueryIsRecordedInTheAuditTrail) {
  CommandResult lookup =
      RunTrafnet("query lookup --db " + db_ + " --phone 064/123-4567 --case KT-123/2026");
  ASSERT_EQ(lookup.exit_code, 0) << lookup.output;
  CommandResult unknown = RunTrafnet("query timeline --db " + db_ + " --id P99");
  ASSERT_EQ(unknown.exit_code, 1) << unknown.output;
  CommandResult show = RunTrafnet("audit show --json --db " + db_);
  ASSERT_EQ(show.exit_code, 0) << show.output;
  const nlohmann::json records = nlohmann::json::parse(show.output);
  ASSERT_GE(records.size(), 2u);
  const nlohmann::json* looked = nullptr;
  const nlohmann::json* failed = nullptr;
  for (const auto& record : records) {
    const nlohmann::json& entry = record.contains("entry") ? record["entry"] : record;
    if (entry["action"] == "query.lookup") looked = &entry;
    if (entry["action"] == "query.timeline") failed = &entry;
  }
  ASSERT_NE(looked, nullptr) << show.output;
  ASSERT_NE(failed, nullptr) << show.output;
  EXPECT_EQ((*looked)["justification"], "KT-123/2026");
  EXPECT_EQ((*looked)["outcome"], "ok");
  EXPECT_EQ((*looked)["ids"], nlohmann::json::array({"phone:+381641234567"}));
  EXPECT_THAT((*looked)["parameters"].dump(), HasSubstr("064/123-4567"));
  EXPECT_THAT((*failed)["outcome"].get<std::string>(), HasSubstr("error: no person"));
  CommandResult verify = RunTrafnet("audit verify --db " + db_);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

// `trafnet policy --require-case on`: queries without --case are refused, and the refusal
// (like the policy change itself) is in the trail.
TEST_F(QueryCliTest, APolicyRequiringACaseRefusesQueriesWithoutOne) {
  CommandResult set = RunTrafnet("policy --db " + db_ + " --require-case on");
  ASSERT_EQ(set.exit_code, 0) << set.output;
  EXPECT_THAT(set.output, HasSubstr("require_case: on"));
  CommandResult without = RunTrafnet("query lookup --db " + db_ + " --phone 064/123-4567");
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_THAT(without.output, HasSubstr("requires a case number"));
  EXPECT_THAT(without.output, ::testing::Not(HasSubstr("+381641234567")));
  CommandResult with = RunTrafnet("query lookup --db " + db_ + " --phone 064/123-4567 --case KT-9/2026");
  EXPECT_EQ(with.exit_code, 0) << with.output;
  CommandResult show = RunTrafnet("audit show --json --db " + db_);
  ASSERT_EQ(show.exit_code, 0) << show.output;
  const nlohmann::json records = nlohmann::json::parse(show.output);
  std::vector<std::string> outcomes;
  for (const auto& record : records) {
    const nlohmann::json& entry = record.contains("entry") ? record["entry"] : record;
    outcomes.push_back(entry["action"].get<std::string>() + " " + entry["outcome"].get<std::string>());
  }
  EXPECT_THAT(
      outcomes,
      ::testing::ElementsAre(
          "ingest.start started: its outcome follows in an ingest record",
          ::testing::StartsWith("ingest ok: run 1"), "policy.set ok",
          "query.lookup refused: this store requires a case number for every query: give --case",
          "query.lookup ok"));
}

// Collection (ingest), disclosure (export) and combination (analyze) are in the trail too.
TEST_F(QueryCliTest, IngestExportAndAnalyzeAreRecordedToo) {
  CommandResult exported = RunTrafnet("export --quiet --db " + db_ + " --format jsonl --out " +
                                      Quote(dir_ / "all.jsonl") + " --case KT-1/2026");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  CommandResult analyzed = RunTrafnet("analyze --quiet --db " + db_ + " --out " + Quote(dir_ / "report") +
                                      " --case KT-2/2026");
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.output;
  CommandResult show = RunTrafnet("audit show --json --db " + db_);
  ASSERT_EQ(show.exit_code, 0) << show.output;
  std::map<std::string, nlohmann::json> by_action;
  for (const auto& record : nlohmann::json::parse(show.output)) by_action[record["action"]] = record;
  ASSERT_TRUE(by_action.count("ingest") && by_action.count("export") && by_action.count("analyze")) << show.output;
  EXPECT_THAT(by_action["ingest"]["outcome"].get<std::string>(), HasSubstr("ok: run 1, 6 rows read"));
  EXPECT_THAT(by_action["ingest"]["parameters"].dump(), HasSubstr((dir_ / "data").string()));
  EXPECT_EQ(by_action["ingest.start"]["parameters"], by_action["ingest"]["parameters"]);
  EXPECT_EQ(by_action["export"]["justification"], "KT-1/2026");
  EXPECT_THAT(by_action["export"]["outcome"].get<std::string>(), HasSubstr("ok: 4 nodes"));
  EXPECT_EQ(by_action["analyze"]["justification"], "KT-2/2026");
  EXPECT_THAT(by_action["analyze"]["outcome"].get<std::string>(), ::testing::StartsWith("ok: "));
  EXPECT_EQ(RunTrafnet("audit verify --db " + db_).exit_code, 0);
}

// A store written before the name-word index is searched by the old prefix scans, says so, and
// `trafnet index` brings it up to date; verify passes before and after.
TEST_F(QueryCliTest, AStoreWithoutTheNameWordIndexIsSearchedUntilIndexBuildsIt) {
  RemoveNameWordIndex(dir_ / "db");
  const std::string lookup = "query lookup --db " + db_ + " --name 'Ana Petrovich' --json";
  CommandResult before = RunTrafnet(lookup);
  ASSERT_EQ(before.exit_code, 0) << before.output;
  EXPECT_THAT(before.output, HasSubstr("written before the name-word index"));
  EXPECT_THAT(before.output, HasSubstr("person:P1"));
  CommandResult verify = RunTrafnet("verify --db " + db_);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  CommandResult index = RunTrafnet("index --quiet --db " + db_);
  ASSERT_EQ(index.exit_code, 0) << index.output;
  EXPECT_THAT(index.output, HasSubstr("name-word index built: 3 persons"));
  CommandResult after = RunTrafnet(lookup);
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_THAT(after.output, ::testing::Not(HasSubstr("name-word index")));
  EXPECT_THAT(after.output, HasSubstr("person:P1"));
  verify = RunTrafnet("verify --db " + db_);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_THAT(RunTrafnet("index --quiet --db " + db_).output,
              HasSubstr("name-word index rewritten: 3 persons"));
}

// A store written before the link summaries is scanned through its observations, the graph
// commands say so, and `trafnet index` builds them: the same answers before and after.
TEST_F(QueryCliTest, AStoreWithoutLinkSummariesIsScannedUntilIndexBuildsThem) {
  RemoveLinkSummaries(dir_ / "db");
  const std::string components = "components --json --db " + db_;
  CommandResult before = RunTrafnet(components);
  ASSERT_EQ(before.exit_code, 0) << before.output;
  EXPECT_THAT(before.output, HasSubstr("written before link summaries"));
  EXPECT_EQ(RunTrafnet("verify --db " + db_).exit_code, 0);

  CommandResult index = RunTrafnet("index --quiet --db " + db_);
  ASSERT_EQ(index.exit_code, 0) << index.output;
  EXPECT_THAT(index.output, HasSubstr("link summaries built: "));
  CommandResult after = RunTrafnet(components);
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_THAT(after.output, ::testing::Not(HasSubstr("link summaries")));
  const std::string note = before.output.substr(0, before.output.find('\n') + 1);
  EXPECT_EQ(before.output.substr(note.size()), after.output) << "the same components";
  EXPECT_EQ(RunTrafnet("verify --db " + db_).exit_code, 0);
  EXPECT_THAT(RunTrafnet("index --quiet --db " + db_).output,
              HasSubstr("link summaries rewritten: "));
}

}  // namespace
}  // namespace trafnet
