// End-to-end tests of the analysis commands: project, rank, communities, components, disrupt.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "algorithms/community_reference.h"
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

// Zachary's karate club ingested as 34 persons ("K0".."K33") and 78 KNOWS links: the full graph
// of the store is the club, so published values apply.
class AnalysisCliTest : public ::testing::Test {
 protected:
  AnalysisCliTest() {
    std::string persons = "id,name,birth_date,gender,nationality,status,source\n";
    for (int v = 0; v < 34; ++v) persons += "K" + std::to_string(v) + ",Member " + std::to_string(v) + ",,,,,CLUB\n";
    std::string links = "from,to,type,start,end,count,source\n";
    for (const auto& e : algorithms::testing::KarateEdges()) {
      links += "person:K" + std::to_string(e.from) + ",person:K" + std::to_string(e.to) + ",KNOWS,,,,CLUB\n";
    }
    WriteFile(dir_ / "club/persons.csv", persons);
    WriteFile(dir_ / "club/links.csv", links);
    CommandResult ingest = RunTrafnet("ingest --quiet --db " + db() + " --report-dir " + Quote(dir_ / "r") + " " +
                                      Quote(dir_ / "club"));
    EXPECT_EQ(ingest.exit_code, 0) << ingest.output;
  }

  std::string db() const { return Quote(dir_ / "db"); }

  static nlohmann::json Json(const CommandResult& result) {
    EXPECT_EQ(result.exit_code, 0) << result.output;
    auto json = nlohmann::json::parse(result.output, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << result.output;
    return json;
  }

  TempDir dir_;
};

TEST_F(AnalysisCliTest, RanksByBetweennessWithNetworkxNormalisation) {
  auto json = Json(RunTrafnet("rank --quiet --json --measure betweenness --top 3 --db " + db()));
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[0]["id"], "K0");
  EXPECT_EQ(json[0]["kind"], "person");
  EXPECT_NEAR(json[0]["score"].get<double>(), 0.43763528, 1e-7);
  EXPECT_EQ(json[1]["id"], "K33");
  EXPECT_NEAR(json[1]["score"].get<double>(), 0.30407497, 1e-7);
  EXPECT_GE(json[1]["score"].get<double>(), json[2]["score"].get<double>()) << "sorted by score";
}

// --paths samples shortest paths: the club's leaders still come first, near their exact
// scores, and stderr says what the scores are and how far they may be off.
TEST_F(AnalysisCliTest, RanksByBetweennessFromSampledPaths) {
  const std::string note = (dir_ / "note.txt").string();
  auto json = Json(trafnet::testing::RunCommand(
      std::string(TRAFNET_BINARY) +
      " rank --quiet --json --measure betweenness --paths 20000 --seed 3"
      " --top 2 --db " +
      db() + " 2>" + Quote(note)));
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["id"], "K0");
  EXPECT_NEAR(json[0]["score"].get<double>(), 0.43763528, 0.02);  // 5 standard deviations
  EXPECT_EQ(json[1]["id"], "K33");
  EXPECT_NEAR(json[1]["score"].get<double>(), 0.30407497, 0.02);
  std::ifstream in(note);
  const std::string said((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(said, HasSubstr("sampled from 20000 shortest paths: each score within"));
  CommandResult both =
      RunTrafnet("rank --measure betweenness --paths 10 --samples 10 --db " + db());
  EXPECT_EQ(both.exit_code, 2) << both.output;
  CommandResult weighted = RunTrafnet(
      "rank --measure betweenness --weight count --distance inverse --paths 10 --db " + db());
  EXPECT_EQ(weighted.exit_code, 1) << weighted.output;
  EXPECT_THAT(weighted.output, HasSubstr("counts hops"));
}

TEST_F(AnalysisCliTest, RanksByPageRankAndEveryOtherMeasure) {
  auto json = Json(RunTrafnet("rank --quiet --json --measure pagerank --top 0 --db " + db()));
  ASSERT_EQ(json.size(), 34u);
  EXPECT_EQ(json[0]["id"], "K33");
  // networkx's 0.1009179 stops at its default tol=1e-6; we iterate to convergence (0.1009192).
  EXPECT_NEAR(json[0]["score"].get<double>(), 0.1009179, 1e-5);
  for (const char* measure : {"degree", "closeness", "harmonic", "eigenvector", "coreness", "clustering", "constraint"}) {
    auto ranked = Json(RunTrafnet(std::string("rank --quiet --json --top 0 --measure ") + measure + " --db " + db()));
    EXPECT_EQ(ranked.size(), 34u) << measure;
  }
  auto constraint = Json(RunTrafnet("rank --quiet --json --measure constraint --top 34 --db " + db()));
  EXPECT_LE(constraint[0]["score"].get<double>(), constraint[33]["score"].get<double>())
      << "low constraint (a broker) ranks first";
}

TEST_F(AnalysisCliTest, FindsTheClubsCommunitiesWithLeiden) {
  auto json = Json(RunTrafnet("communities --quiet --json --seed 1 --db " + db()));
  EXPECT_EQ(json["algorithm"], "leiden");
  EXPECT_GE(json["modularity"].get<double>(), 0.4197);
  size_t members = 0;
  std::set<std::string> seen;
  for (const auto& community : json["communities"]) {
    EXPECT_EQ(community["size"].get<size_t>(), community["members"].size());
    for (const auto& id : community["members"]) seen.insert(id.get<std::string>());
    members += community["members"].size();
  }
  EXPECT_EQ(members, 34u);
  EXPECT_EQ(seen.size(), 34u) << "every member in exactly one community";
  auto again = Json(RunTrafnet("communities --quiet --json --seed 1 --db " + db()));
  EXPECT_EQ(again, json) << "same seed, same communities";
  for (const char* threads : {"1", "2", "3"}) {
    auto threaded = Json(RunTrafnet(std::string("communities --quiet --json --seed 1 --threads ") +
                                    threads + " --db " + db()));
    EXPECT_EQ(threaded, json) << "same seed, same communities, whatever --threads: " << threads;
  }
  auto louvain = Json(RunTrafnet("communities --quiet --json --algorithm louvain --db " + db()));
  EXPECT_GE(louvain["modularity"].get<double>(), 0.41);
  EXPECT_EQ(json["tolerance"], 1e-4);
  auto exhaustive = Json(RunTrafnet("communities --quiet --json --tolerance 0 --db " + db()));
  EXPECT_EQ(exhaustive["tolerance"], 0.0);
  EXPECT_GE(exhaustive["modularity"].get<double>(), 0.4197);
  CommandResult negative = RunTrafnet("communities --quiet --tolerance -1 --db " + db());
  EXPECT_EQ(negative.exit_code, 1);
  EXPECT_THAT(negative.output, HasSubstr("tolerance"));
}

TEST_F(AnalysisCliTest, ComponentsAndDisruption) {
  auto components = Json(RunTrafnet("components --quiet --json --db " + db()));
  EXPECT_EQ(components["count"], 1);
  EXPECT_EQ(components["largest"], 34);
  EXPECT_EQ(Json(RunTrafnet("components --quiet --json --threads 1 --db " + db())), components);
  EXPECT_EQ(Json(RunTrafnet("components --quiet --json --threads 2 --db " + db())), components);
  EXPECT_EQ(
      Json(RunTrafnet("rank --quiet --json --top 0 --measure coreness --threads 2 --db " + db())),
      Json(RunTrafnet("rank --quiet --json --top 0 --measure coreness --threads 1 --db " + db())));

  auto disrupt = Json(RunTrafnet("disrupt --quiet --json --measure betweenness --steps 3 --db " + db()));
  EXPECT_EQ(disrupt["measure"], "betweenness");
  const auto& steps = disrupt["steps"];
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_TRUE(steps[0]["removed"].is_null());
  EXPECT_EQ(steps[0]["largest_component"], 34);
  EXPECT_EQ(steps[0]["fraction"], 1.0);
  EXPECT_EQ(steps[1]["removed"], "K0") << "the highest betweenness goes first";
  for (size_t i = 1; i < steps.size(); ++i) {
    EXPECT_LE(steps[i]["largest_component"].get<int>(), steps[i - 1]["largest_component"].get<int>());
    EXPECT_DOUBLE_EQ(steps[i]["fraction"].get<double>(), steps[i]["largest_component"].get<double>() / 34.0);
  }
}

TEST_F(AnalysisCliTest, ASavedProjectionGivesTheSameAnswers) {
  CommandResult saved = RunTrafnet("project --quiet --db " + db() + " --out " + Quote(dir_ / "club.graph"));
  ASSERT_EQ(saved.exit_code, 0) << saved.output;
  auto from_store = RunTrafnet("rank --quiet --json --measure harmonic --top 0 --db " + db());
  auto from_file = RunTrafnet("rank --quiet --json --measure harmonic --top 0 --projection " + Quote(dir_ / "club.graph"));
  EXPECT_EQ(Json(from_file), Json(from_store));
}

// A dispatcher's phone called by three customers: with the default hub cap (100) the calls tie
// the dispatcher to each customer; with --call-hub-cap 2 that phone is a service and ties nobody.
TEST_F(AnalysisCliTest, CallHubCapCutsAServiceNumbersCalls) {
  WriteFile(dir_ / "taxi/persons.csv",
            "id,name,birth_date,gender,nationality,status,source\nD,Dispatcher,,,,,T\nC1,Customer "
            "One,,,,,T\n"
            "C2,Customer Two,,,,,T\nC3,Customer Three,,,,,T\n");
  std::string links = "from,to,type,start,end,count,source\nperson:D,phone:0641111111,USES,,,,T\n";
  for (int i = 1; i <= 3; ++i) {
    const std::string phone = "phone:065000000" + std::to_string(i);
    links += "person:C" + std::to_string(i) + "," + phone + ",USES,,,,T\n";
    links += phone + ",phone:0641111111,CALLED,2025-01-0" + std::to_string(i) + ",,1,T\n";
  }
  WriteFile(dir_ / "taxi/links.csv", links);
  const std::string taxi = Quote(dir_ / "taxi-db");
  CommandResult ingest = RunTrafnet("ingest --quiet --db " + taxi + " --report-dir " +
                                    Quote(dir_ / "r2") + " " + Quote(dir_ / "taxi"));
  ASSERT_EQ(ingest.exit_code, 0) << ingest.output;
  EXPECT_EQ(Json(RunTrafnet("components --quiet --json --graph persons --db " + taxi))["count"], 1);
  EXPECT_EQ(Json(RunTrafnet("components --quiet --json --graph persons --call-hub-cap 2 --db " +
                            taxi))["count"],
            4);
  CommandResult zero = RunTrafnet("components --graph persons --call-hub-cap 0 --db " + taxi);
  EXPECT_EQ(zero.exit_code, 1) << zero.output;
  EXPECT_THAT(zero.output, HasSubstr("call-hub cap"));
}

TEST_F(AnalysisCliTest, BadOptionsGetAClearMessage) {
  CommandResult bad_measure = RunTrafnet("rank --measure fame --db " + db());
  EXPECT_EQ(bad_measure.exit_code, 2);
  EXPECT_THAT(bad_measure.output, HasSubstr("fame"));
  CommandResult inverse = RunTrafnet("rank --measure betweenness --distance inverse --db " + db());
  EXPECT_EQ(inverse.exit_code, 1);
  EXPECT_THAT(inverse.output, HasSubstr("--weight count"));
  EXPECT_EQ(RunTrafnet("rank --measure betweenness").exit_code, 2) << "neither --db nor --projection";
  CommandResult no_store = RunTrafnet("rank --db " + Quote(dir_ / "nowhere"));
  EXPECT_EQ(no_store.exit_code, 1);
  CommandResult not_a_graph = RunTrafnet("rank --projection " + db());
  EXPECT_EQ(not_a_graph.exit_code, 1);
  EXPECT_EQ(RunTrafnet("communities --algorithm magic --db " + db()).exit_code, 2);
}

// Without --threads the analysis commands use the processors the process may run on.
TEST(AnalysisCliDefaultsTest, ThreadsDefaultToTheProcessorsTheProcessMayRunOn) {
  for (const char* command : {"communities", "rank", "components", "analyze"}) {
    const CommandResult one = trafnet::testing::RunCommand(
        "taskset -c 0 " + std::string(TRAFNET_BINARY) + " " + command + " --help 2>&1");
    ASSERT_EQ(one.exit_code, 0) << one.output;
    EXPECT_THAT(one.output, HasSubstr("[1 - 256]=1")) << command;
    const CommandResult two = trafnet::testing::RunCommand(
        "taskset -c 0,1 " + std::string(TRAFNET_BINARY) + " " + command + " --help 2>&1");
    if (two.exit_code == 0) {  // a machine of one processor cannot give the process two
      EXPECT_THAT(two.output, HasSubstr("[1 - 256]=2")) << command;
    }
  }
}

}  // namespace
}  // namespace trafnet
