#include "trafnet/engine/projection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "support/temp_dir.h"
#include "trafnet/engine/ingest.h"

namespace trafnet::engine {
namespace {

using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

// A small world with every kind of tie the persons graph knows:
//   P1, P2 share phone 0641111111 (P2 both uses and owns it); P3..P6 (4 persons) share the "taxi" 0649999999;
//   P1 and P3 lived at A1 at overlapping times, P4 at A1 years later;
//   P5's phone 0652222222 called P6's 0663333333; P2 KNOWS P5; P7 is alone.
class ProjectionTest : public ::testing::Test {
 protected:
  ProjectionTest() {
    WriteFile(dir_ / "data/persons.csv",
              "id,name,birth_date,gender,nationality,status,source\n"
              "P1,Ana,,F,,victim,MUP\nP2,Bojan,,M,,suspect,MUP\nP3,Cveta,,F,,,MUP\n"
              "P4,Dara,,F,,,MUP\nP5,Eva,,F,,,MUP\nP6,Filip,,M,,,MUP\nP7,Goran,,M,,,MUP\n");
    WriteFile(dir_ / "data/addresses.csv", "id,text,city,country,kind\nA1,Glavna 1,Novi Sad,RS,hostel\n");
    WriteFile(dir_ / "data/links.csv",
              "from,to,type,start,end,count,source\n"
              "person:P1,phone:0641111111,USES,,,,MUP\n"
              "person:P2,phone:0641111111,USES,,,,MUP\n"
              "person:P2,phone:0641111111,OWNS,,,,MUP\n"
              "person:P3,phone:0649999999,USES,,,,MUP\n"
              "person:P4,phone:0649999999,USES,,,,MUP\n"
              "person:P5,phone:0649999999,USES,,,,MUP\n"
              "person:P6,phone:0649999999,USES,,,,MUP\n"
              "person:P1,address:A1,STAYED_AT,2024-01-01,2024-03-01,,MUP\n"
              "person:P3,address:A1,STAYED_AT,2024-02-01,2024-02-15,,MUP\n"
              "person:P4,address:A1,STAYED_AT,2021-01-01,2021-02-01,,MUP\n"
              "person:P5,phone:0652222222,USES,,,,MUP\n"
              "person:P6,phone:0663333333,USES,,,,MUP\n"
              "phone:0652222222,phone:0663333333,CALLED,2024-05-01,,7,MUP\n"
              "person:P2,person:P5,KNOWS,,,,MUP\n"
              "person:P5,person:P2,KNOWS,,,2,POLICE_HR\n");
    auto store = storage::Store::Open(dir_ / "db");
    EXPECT_TRUE(store.ok());
    store_ = std::move(store).value();
    IngestOptions options;
    options.quiet = true;
    options.report_dir = dir_ / "reports";
    auto summary = Ingest(*store_, {dir_ / "data"}, options);
    EXPECT_TRUE(summary.ok() && summary->rows_rejected == 0);
  }

  Projection Build(const ProjectionOptions& options) {
    auto projection = BuildProjection(*store_, options);
    EXPECT_TRUE(projection.ok()) << projection.status().ToString();
    return projection.ok() ? std::move(projection).value() : Projection();
  }

  // The weighted persons graph of a small world of its own (`name`: a folder and a store).
  std::map<std::string, float> PersonsEdgesOf(const std::string& name, const std::string& persons,
                                              const std::string& addresses,
                                              const std::string& links) {
    WriteFile(dir_ / name / "persons.csv",
              "id,name,birth_date,gender,nationality,status,source\n" + persons);
    if (!addresses.empty())
      WriteFile(dir_ / name / "addresses.csv", "id,text,city,country,kind\n" + addresses);
    WriteFile(dir_ / name / "links.csv", "from,to,type,start,end,count,source\n" + links);
    auto store = storage::Store::Open(dir_ / (name + "-db"));
    EXPECT_TRUE(store.ok());
    if (!store.ok()) return {};
    IngestOptions ingest;
    ingest.quiet = true;
    ingest.report_dir = dir_ / "reports";
    EXPECT_TRUE(Ingest(**store, {dir_ / name}, ingest).ok());
    ProjectionOptions options;
    options.kind = GraphKind::kPersons;
    options.weighted = true;
    auto projection = BuildProjection(**store, options);
    EXPECT_TRUE(projection.ok()) << projection.status().ToString();
    return projection.ok() ? Edges(*projection) : std::map<std::string, float>{};
  }

  // Edges as "id-id" → weight; undirected edges listed once, smaller vertex first.
  static std::map<std::string, float> Edges(const Projection& p) {
    std::map<std::string, float> edges;
    for (algorithms::Vertex v = 0; v < p.graph.num_vertices(); ++v) {
      auto targets = p.graph.neighbours(v);
      for (size_t i = 0; i < targets.size(); ++i) {
        if (!p.graph.directed() && targets[i] < v) continue;
        float w = p.graph.weighted() ? p.graph.weights(v)[i] : 1.0f;
        edges[std::string(p.id[v]) + "-" + std::string(p.id[targets[i]])] += w;
      }
    }
    return edges;
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(ProjectionTest, FullGraphHasEveryNodeAndOneEdgePerLinkedPair) {
  Projection p = Build({});
  EXPECT_EQ(p.graph.num_vertices(), 7u + 1u + 4u);  // persons, the address, the phones
  EXPECT_FALSE(p.graph.directed());
  auto edges = Edges(p);
  EXPECT_EQ(edges.size(), 13u) << "15 links: P2 USES and OWNS one phone, KNOWS twice is one link";
  EXPECT_EQ(edges.count("P2-P5"), 1u);
  EXPECT_EQ(edges.at("+381652222222-+381663333333"), 1.0f);
  EXPECT_EQ(p.status[0], "victim");
  EXPECT_EQ(p.kind[0], "person");
}

TEST_F(ProjectionTest, FullGraphDirectedAndWeightedByCount) {
  ProjectionOptions options;
  options.directed = true;
  options.weighted = true;
  Projection p = Build(options);
  auto edges = Edges(p);
  EXPECT_EQ(edges.at("+381652222222-+381663333333"), 7.0f);
  EXPECT_EQ(edges.count("+381663333333-+381652222222"), 0u) << "CALLED is directed";
  EXPECT_EQ(edges.at("P2-P5"), 3.0f) << "symmetric KNOWS: both arcs, counts 1 + 2";
  EXPECT_EQ(edges.at("P5-P2"), 3.0f);
}

TEST_F(ProjectionTest, FiltersByKindTypeAndTimeWindow) {
  ProjectionOptions options;
  options.node_kinds = {"person", "address"};
  Projection p = Build(options);
  EXPECT_EQ(p.graph.num_vertices(), 8u);
  EXPECT_EQ(Edges(p).size(), 4u) << "three stays at A1 and the KNOWS link";

  options.link_types = {"STAYED_AT"};
  options.window.since = "2024-01-15";
  EXPECT_EQ(Edges(Build(options)).size(), 2u) << "P4's stay in 2021 is outside the window";
}

// Whatever kinds are kept (the first nodes in id order, as persons and then the address are
// here, or later ones), the graph is the full graph's edges among the kept nodes.
TEST_F(ProjectionTest, KindFiltersKeepTheFullGraphsEdgesAmongTheKeptNodes) {
  const Projection full = Build({});
  std::map<std::string, std::string> kind_of;
  for (size_t v = 0; v < full.id.size(); ++v) kind_of[std::string(full.id[v])] = full.kind[v];
  const std::vector<std::vector<std::string>> filters = {{"person"},
                                                         {"person", "address"},
                                                         {"phone"},
                                                         {"address", "phone"},
                                                         {"person", "phone", "address"}};
  for (const auto& kinds : filters) {
    for (bool directed : {false, true}) {
      ProjectionOptions options;
      options.directed = directed;
      options.weighted = true;
      std::map<std::string, float> expected;
      for (const auto& [edge, weight] : Edges(Build(options))) {
        const std::string from = edge.substr(0, edge.find('-', 1));
        const std::string to = edge.substr(from.size() + 1);
        auto kept = [&](const std::string& id) {
          return std::find(kinds.begin(), kinds.end(), kind_of.at(id)) != kinds.end();
        };
        if (kept(from) && kept(to)) expected[edge] = weight;
      }
      options.node_kinds = kinds;
      const Projection filtered = Build(options);
      EXPECT_EQ(Edges(filtered), expected) << ::testing::PrintToString(kinds);
      for (size_t v = 0; v < filtered.kind.size(); ++v) {
        EXPECT_NE(std::find(kinds.begin(), kinds.end(), filtered.kind[v]), kinds.end());
      }
    }
  }
}

TEST_F(ProjectionTest, PersonsGraphJoinsBySharedPhonesAddressesCallsAndDirectLinks) {
  ProjectionOptions options;
  options.kind = GraphKind::kPersons;
  options.weighted = true;
  Projection p = Build(options);
  EXPECT_EQ(p.graph.num_vertices(), 7u);
  auto edges = Edges(p);
  EXPECT_FLOAT_EQ(edges.at("P1-P2"), 1.0f) << "shared phone, 2 users (P2's two links make one user)";
  // A1 had 3 users over the years but only P1 and P3 at the same time: the tie is theirs alone.
  EXPECT_FLOAT_EQ(edges.at("P1-P3"), 1.0f) << "overlapping stays at A1, 2 co-residents";
  EXPECT_EQ(edges.count("P1-P4"), 0u) << "P4 stayed at A1 years apart";
  // The taxi phone has 4 users: each pair gets 1/3.
  EXPECT_FLOAT_EQ(edges.at("P3-P4"), 1.0f / 3);
  // P5 and P6: the taxi phone (1/3) plus P5's phone calling P6's (7 calls, one user each).
  EXPECT_FLOAT_EQ(edges.at("P5-P6"), 1.0f / 3 + 7.0f);
  EXPECT_FLOAT_EQ(edges.at("P2-P5"), 3.0f) << "direct KNOWS, counts 1 + 2";
  EXPECT_EQ(p.graph.degree(6), 0u) << "P7 is alone";
}

// Where one lives is a state: two residents recorded as living at a flat since different dates,
// without an end, live there together now. Two one-day stays on different dates do not meet.
TEST_F(ProjectionTest, PersonsGraphKeepsOpenEndedResidencesOpen) {
  auto edges = PersonsEdgesOf(
      "flat", "R1,Ana,,F,,,MUP\nR2,Bojan,,M,,,MUP\nR3,Cveta,,F,,,MUP\nR4,Dara,,F,,,MUP\n",
      "F1,Glavna 2,Novi Sad,RS,residential\nH1,Hotel,Niš,RS,hotel\n",
      "person:R1,address:F1,LIVES_AT,2010-01-01,,,MUP\n"
      "person:R2,address:F1,LIVES_AT,2020-06-01,,,MUP\n"
      "person:R3,address:H1,STAYED_AT,2024-01-01,,,MUP\n"
      "person:R4,address:H1,STAYED_AT,2024-03-01,,,MUP\n");
  EXPECT_FLOAT_EQ(edges["R1-R2"], 1.0f);
  EXPECT_EQ(edges.count("R3-R4"), 0u);
}

// A number passed on: its user of 2020 and its user of 2024 are not joined through it, its
// undated owner is joined to both; a call in 2024 joins the caller to the 2024 user and the
// owner, a half each.
TEST_F(ProjectionTest, PersonsGraphJoinsAPhonesUsersOfTheSameTimeOnly) {
  auto edges = PersonsEdgesOf(
      "phone", "U1,Ana,,F,,,MUP\nU2,Bojan,,M,,,MUP\nU3,Cveta,,F,,,MUP\nU4,Dara,,F,,,MUP\n", "",
      "person:U1,phone:0641111111,USES,2020-01-01,2020-06-01,,MUP\n"
      "person:U2,phone:0641111111,USES,2024-01-01,2024-06-01,,MUP\n"
      "person:U3,phone:0641111111,USES,,,,MUP\n"
      "person:U4,phone:0652222222,USES,,,,MUP\n"
      "phone:0652222222,phone:0641111111,CALLED,2024-02-01,2024-02-10,4,MUP\n");
  EXPECT_EQ(edges.count("U1-U2"), 0u) << "used four years apart";
  EXPECT_FLOAT_EQ(edges["U1-U3"], 0.5f);  // the owner overlaps both: two co-users
  EXPECT_FLOAT_EQ(edges["U2-U3"], 0.5f);
  EXPECT_FLOAT_EQ(edges["U2-U4"], 2.0f) << "4 calls shared by the 2024 user and the owner";
  EXPECT_FLOAT_EQ(edges["U3-U4"], 2.0f);
  EXPECT_EQ(edges.count("U1-U4"), 0u) << "the call came after U1 had stopped using it";
}

TEST_F(ProjectionTest, PersonsGraphCutsIdentifiersSharedByMoreThanTheCap) {
  ProjectionOptions options;
  options.kind = GraphKind::kPersons;
  options.shared_cap = 3;
  auto edges = Edges(Build(options));
  EXPECT_EQ(edges.count("P3-P4"), 0u) << "the taxi phone's 4 users are not joined";
  EXPECT_EQ(edges.count("P1-P2"), 1u);
  EXPECT_EQ(edges.count("P5-P6"), 1u) << "their own phones' call still joins them";
}

TEST_F(ProjectionTest, ThreadsReadingTheStoreSideBySideBuildTheSameGraph) {
  for (GraphKind kind : {GraphKind::kFull, GraphKind::kPersons}) {
    for (bool directed : {false, true}) {
      ProjectionOptions options;
      options.kind = kind;
      options.directed = directed;
      options.weighted = true;
      const Projection one = Build(options);
      for (unsigned threads : {2u, 3u, 8u}) {
        options.threads = threads;
        const Projection several = Build(options);
        EXPECT_EQ(several.node, one.node);
        EXPECT_EQ(several.id, one.id);
        EXPECT_EQ(
            std::vector<uint64_t>(several.graph.offsets().begin(), several.graph.offsets().end()),
            std::vector<uint64_t>(one.graph.offsets().begin(), one.graph.offsets().end()));
        EXPECT_EQ(
            std::vector<float>(several.graph.weight_array().begin(),
                               several.graph.weight_array().end()),
            std::vector<float>(one.graph.weight_array().begin(), one.graph.weight_array().end()));
        EXPECT_EQ(Edges(several), Edges(one)) << threads << " threads";
      }
    }
  }
  ProjectionOptions none;
  none.threads = 0;
  EXPECT_EQ(BuildProjection(*store_, none).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ProjectionTest, RejectsContradictoryOptions) {
  ProjectionOptions options;
  options.kind = GraphKind::kPersons;
  options.node_kinds = {"phone"};
  EXPECT_FALSE(BuildProjection(*store_, options).ok());
  options.node_kinds.clear();
  options.shared_cap = 1;
  EXPECT_FALSE(BuildProjection(*store_, options).ok());
}

TEST_F(ProjectionTest, SavesAndLoadsExactly) {
  ProjectionOptions options;
  options.kind = GraphKind::kPersons;
  options.weighted = true;
  Projection p = Build(options);
  ASSERT_TRUE(SaveProjection(p, dir_ / "p.bin").ok());
  auto loaded = LoadProjection(dir_ / "p.bin");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(Edges(*loaded), Edges(p));
  EXPECT_EQ(loaded->id, p.id);
  EXPECT_EQ(loaded->status, p.status);
  EXPECT_EQ(loaded->node, p.node);
  EXPECT_EQ(loaded->description, p.description);

  std::string bytes = trafnet::testing::ReadFile(dir_ / "p.bin");
  WriteFile(dir_ / "short.bin", bytes.substr(0, bytes.size() - 3));
  EXPECT_EQ(LoadProjection(dir_ / "short.bin").status().code(), StatusCode::kInvalidArgument);
  WriteFile(dir_ / "other.bin", "hello");
  EXPECT_EQ(LoadProjection(dir_ / "other.bin").status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(LoadProjection(dir_ / "missing.bin").ok());
}

}  // namespace
}  // namespace trafnet::engine
