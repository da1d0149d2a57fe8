#include "trafnet/engine/query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "support/temp_dir.h"
#include "trafnet/engine/ingest.h"

namespace trafnet::engine {
namespace {

using storage::NodeId;
using ::testing::ElementsAre;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

// A small world with known answers:
//   P1 "Đorđe Jovanović" and P2 "Ђорђе Јовановић" (one name key, two agencies' records) use one
//   phone, written two ways; P3 "Djordje Jovanovich" is a near miss; P4 lives with P1 at A1.
//   Acquaintances: P1–P8–P7 (two hops) and P1–P5–P6–P7 (three hops).
//   Q1 and Q2 are tied only through the taxi number, which six phones called.
class QueryTest : public ::testing::Test {
 protected:
  QueryTest() {
    WriteFile(dir_ / "data/persons.csv",
              "id,name,birth_date,gender,nationality,status,source\n"
              "P1,Đorđe Jovanović,1990-01-01,M,RS,,MUP\n"
              "P2,Ђорђе Јовановић,1990-01-01,M,RS,,BIA\n"
              "P3,Djordje Jovanovich,1991-02-02,M,RS,,MUP\n"
              "P4,Ana Petrović,1995-03-03,F,RS,,MUP\n"
              "P5,Bojan Ilić,,M,,,MUP\nP6,Cveta Lazić,,F,,,MUP\nP7,Dara Savić,,F,,,MUP\n"
              "P8,Eva Jović,,F,,,MUP\nQ1,Filip Kostić,,M,,,MUP\nQ2,Goran Nikolić,,M,,,MUP\n");
    WriteFile(dir_ / "data/addresses.csv",
              "id,text,city,country,kind\nA1,Bulevar kralja Aleksandra 73,Beograd,RS,residential\n");
    std::string links =
        "from,to,type,start,end,count,source\n"
        "person:P1,phone:064/123-4567,USES,2024-01-01,,1,MUP\n"
        "person:P2,phone:+381 64 1234567,USES,2024-02-01,,1,BIA\n"
        "person:P1,address:A1,LIVES_AT,2024-01-01,2024-06-30,1,MUP\n"
        "person:P4,address:A1,LIVES_AT,2024-03-01,2024-09-30,1,MUP\n"
        "person:P1,person:P8,KNOWS,2023-05-01,,1,MUP\n"
        "person:P8,person:P7,KNOWS,2023-06-01,,1,MUP\n"
        "person:P1,person:P5,KNOWS,,,1,MUP\n"
        "person:P5,person:P6,KNOWS,,,1,MUP\n"
        "person:P6,person:P7,KNOWS,,,1,MUP\n"
        "person:Q1,phone:0651111111,USES,,,1,MUP\n"
        "person:Q2,phone:0652222222,USES,,,1,MUP\n"
        "phone:0651111111,phone:0113333333,CALLED,2024-05-01,,3,MUP\n"
        "phone:0652222222,phone:0113333333,CALLED,2024-05-02,,1,MUP\n";
    for (int i = 0; i < 4; ++i)
      links += "phone:06600000" + std::to_string(10 + i) + ",phone:0113333333,CALLED,,,1,MUP\n";
    WriteFile(dir_ / "data/links.csv", links);
    auto store = storage::Store::Open(dir_ / "db");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    IngestOptions options;
    options.quiet = true;
    options.report_dir = dir_ / "reports";
    auto summary = Ingest(*store_, {dir_ / "data"}, options);
    EXPECT_TRUE(summary.ok() && summary->rows_rejected == 0);
  }

  NodeId Ref(const std::string& ref) {
    auto node = ResolveRef(*store_, ref);
    EXPECT_TRUE(node.ok()) << ref << ": " << node.status().ToString();
    return node.ok() ? *node : 0;
  }

  std::vector<std::string> Ids(const std::vector<NodeId>& path) {
    std::vector<std::string> out;
    for (NodeId node : path) out.push_back(store_->GetNode(node).value()->key);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(QueryTest, ResolvesTypedAndBareReferences) {
  const NodeId phone = Ref("phone:064/123-4567");
  EXPECT_EQ(Ref("phone:00381641234567"), phone);
  EXPECT_EQ(Ref("+381 64 123 4567"), phone) << "a bare number";
  EXPECT_EQ(Ref("P1"), Ref("person:P1"));
  EXPECT_EQ(Ref("A1"), Ref("address:A1"));
  EXPECT_EQ(ResolveRef(*store_, "person:P99").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ResolveRef(*store_, "nobody").status().code(), StatusCode::kNotFound);
}

TEST_F(QueryTest, LooksUpAPhoneInAnyFormat) {
  for (const char* written : {"064/123-4567", "+381 64 1234567", "00381641234567", "0641234567"}) {
    LookupRequest request;
    request.phone = written;
    auto found = Lookup(*store_, request);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_EQ(found->size(), 1u) << written;
    EXPECT_EQ((*found)[0].node.id, "+381641234567");
    EXPECT_EQ((*found)[0].node.kind, "phone");
    EXPECT_EQ((*found)[0].node.degree, 2u) << "used by P1 and P2";
  }
  LookupRequest bad;
  bad.phone = "not a number";
  EXPECT_EQ(Lookup(*store_, bad).status().code(), StatusCode::kInvalidArgument);
  LookupRequest none;
  none.phone = "0649999999";
  EXPECT_TRUE(Lookup(*store_, none)->empty());
}

TEST_F(QueryTest, LooksUpANameInAnyScriptWithRankedNearMisses) {
  LookupRequest request;
  request.name = "DJORDJE JOVANOVIC";
  auto found = Lookup(*store_, request);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_GE(found->size(), 3u);
  EXPECT_EQ((*found)[0].node.id, "P1");
  EXPECT_EQ((*found)[0].score, 1.0);
  EXPECT_EQ((*found)[1].node.id, "P2") << "the Cyrillic record has the same key";
  EXPECT_EQ((*found)[1].score, 1.0);
  EXPECT_EQ((*found)[2].node.id, "P3");
  EXPECT_LT((*found)[2].score, 1.0);
  EXPECT_GE((*found)[2].score, 0.85);
  for (const LookupMatch& m : *found) EXPECT_NE(m.node.id, "P8") << "Eva Jović is not close";

  request.name = "Jovanović Đorđe";  // surname first
  found = Lookup(*store_, request);
  ASSERT_TRUE(found.ok());
  ASSERT_GE(found->size(), 2u);
  EXPECT_EQ((*found)[0].node.id, "P1");
  EXPECT_EQ((*found)[0].score, 1.0);

  // A surname alone lists the persons who bear it, in any script, before names merely like it.
  request.name = "Jovanović";
  found = Lookup(*store_, request);
  ASSERT_TRUE(found.ok());
  ASSERT_GE(found->size(), 2u);
  EXPECT_EQ((*found)[0].node.id, "P1");
  EXPECT_EQ((*found)[0].score, 1.0);
  EXPECT_EQ((*found)[1].node.id, "P2");
  EXPECT_EQ((*found)[1].score, 1.0);
  for (const LookupMatch& m : *found) {
    if (m.node.id == "P8") {
      EXPECT_LT(m.score, 0.95) << "Eva Jović only looks like it";
    }
  }

  request.name = "!!!";
  EXPECT_EQ(Lookup(*store_, request).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QueryTest, LooksUpAnAddressByFoldedTextWithOrWithoutTheCity) {
  LookupRequest request;
  request.address = "BULEVAR KRALJA ALEKSANDRA 73, Beograd";
  auto found = Lookup(*store_, request);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].node.id, "A1");
  EXPECT_EQ((*found)[0].score, 1.0);
  request.address = "bulevar kralja aleksandra 73";
  found = Lookup(*store_, request);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].node.id, "A1");
  EXPECT_LT((*found)[0].score, 1.0);
}

TEST_F(QueryTest, NeighbourhoodHasEveryLinkWithItsObservationsAndCollapsesHubs) {
  NeighbourhoodRequest request;
  request.start = Ref("P1");
  request.hops = 2;
  auto graph = Neighbourhood(*store_, request);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(graph->nodes[0].id, "P1");
  std::set<std::string> ids;
  for (const QueryNode& n : graph->nodes) ids.insert(n.id);
  // One hop: the phone, A1, P8, P5; two: P2 (the phone), P4 (A1), P7 (P8), P6 (P5).
  EXPECT_EQ(ids, (std::set<std::string>{"P1", "+381641234567", "A1", "P8", "P5", "P2", "P4",
                                        "P7", "P6"}));
  EXPECT_EQ(graph->Find(Ref("P7"))->hops, 2);
  bool found_lives_at = false;
  for (const QueryLink& link : graph->links) {
    if (link.type == "LIVES_AT" && link.from == Ref("P1")) {
      found_lives_at = true;
      ASSERT_EQ(link.observations.size(), 1u);
      EXPECT_EQ(link.observations[0].start, "2024-01-01");
      EXPECT_EQ(link.observations[0].end, "2024-06-30");
      EXPECT_EQ(link.observations[0].source, "MUP");
    }
  }
  EXPECT_TRUE(found_lives_at);
  // Every link among the nine nodes, P6–P7 too (it joins two nodes two hops away).
  EXPECT_EQ(graph->links.size(), 9u);

  // The taxi number: six callers, more than a hub limit of 3, is shown but not expanded.
  NeighbourhoodRequest taxi;
  taxi.start = Ref("Q1");
  taxi.hops = 4;
  taxi.hub_degree = 3;
  graph = Neighbourhood(*store_, taxi);
  ASSERT_TRUE(graph.ok());
  const QueryNode* hub = graph->Find(Ref("phone:0113333333"));
  ASSERT_NE(hub, nullptr);
  EXPECT_TRUE(hub->collapsed);
  EXPECT_EQ(hub->degree, 6u);
  EXPECT_EQ(graph->Find(Ref("Q2")), nullptr) << "not reached through the hub";
  taxi.expand_hubs = true;
  graph = Neighbourhood(*store_, taxi);
  EXPECT_NE(graph->Find(Ref("Q2")), nullptr);
}

TEST_F(QueryTest, NeighbourhoodFiltersByKindTypeAndTime) {
  NeighbourhoodRequest request;
  request.start = Ref("P1");
  request.hops = 2;
  request.filter.types = {"KNOWS"};
  auto graph = Neighbourhood(*store_, request);
  ASSERT_TRUE(graph.ok());
  std::set<std::string> ids;
  for (const QueryNode& n : graph->nodes) ids.insert(n.id);
  EXPECT_EQ(ids, (std::set<std::string>{"P1", "P8", "P5", "P7", "P6"}));
  for (const QueryLink& link : graph->links) EXPECT_EQ(link.type, "KNOWS");

  request.filter.types.clear();
  // From mid-January 2024: P1's stay at A1 (to June) and P4's there count; the phone (a start
  // with no end is that one day), the 2023 acquaintance and undated links do not.
  request.filter.since = "2024-01-15";
  graph = Neighbourhood(*store_, request);
  ASSERT_TRUE(graph.ok());
  ids.clear();
  for (const QueryNode& n : graph->nodes) ids.insert(n.id);
  EXPECT_EQ(ids, (std::set<std::string>{"P1", "A1", "P4"}));

  request.filter.since.clear();
  request.filter.kinds = {"person"};
  request.limit = 3;
  graph = Neighbourhood(*store_, request);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph->nodes.size(), 3u);
  EXPECT_TRUE(graph->truncated);
  for (const QueryNode& n : graph->nodes) EXPECT_EQ(n.kind, "person");

  // A window that is not a date would compare as text and filter silently wrong.
  request.filter.until = "March 2024";
  graph = Neighbourhood(*store_, request);
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(graph.status().message().find("until: 'March 2024'"), std::string::npos);
  request.filter.until = "2024-03-01T10:00:00";
  EXPECT_TRUE(Neighbourhood(*store_, request).ok());
  PathRequest path;
  path.nodes = {Ref("P1"), Ref("P7")};
  path.filter.since = "2024/01/01";
  EXPECT_EQ(Paths(*store_, path).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(QueryTest, FindsTheKShortestPathsAvoidingHubs) {
  PathRequest request;
  request.nodes = {Ref("P1"), Ref("P7")};
  request.k = 3;
  auto result = Paths(*store_, request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->paths.size(), 2u) << "only two simple paths exist";
  EXPECT_THAT(Ids(result->paths[0]), ElementsAre("P1", "P8", "P7"));
  EXPECT_THAT(Ids(result->paths[1]), ElementsAre("P1", "P5", "P6", "P7"));
  EXPECT_EQ(result->subgraph.links.size(), 5u);

  request.max_hops = 2;
  result = Paths(*store_, request);
  ASSERT_EQ(result->paths.size(), 1u);

  PathRequest via_hub;
  via_hub.nodes = {Ref("Q1"), Ref("Q2")};
  via_hub.hub_degree = 3;
  result = Paths(*store_, via_hub);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->paths.empty()) << "the only way is through the taxi number";
  via_hub.hub_degree = 100;
  result = Paths(*store_, via_hub);
  ASSERT_EQ(result->paths.size(), 1u);
  EXPECT_EQ(result->paths[0].size(), 5u);
}

TEST_F(QueryTest, ConnectingNetworkRanksSharedGoBetweens) {
  PathRequest request;
  request.nodes = {Ref("P2"), Ref("P4"), Ref("P7")};
  auto result = Paths(*store_, request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->paths.size(), 3u);
  ASSERT_FALSE(result->go_betweens.empty());
  // P1 lies on all three pairwise paths (P2–phone–P1–A1–P4, P2–…–P1–P8–P7, P4–A1–P1–P8–P7).
  EXPECT_EQ(result->go_betweens[0].first, Ref("P1"));
  EXPECT_EQ(result->go_betweens[0].second, 3);
}

TEST_F(QueryTest, SharedListsWhatTwoPersonsHaveInCommonWithWhen) {
  auto shared = Shared(*store_, {Ref("P1"), Ref("P2")});
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  ASSERT_EQ(shared->size(), 1u);
  EXPECT_EQ((*shared)[0].node.id, "+381641234567");
  ASSERT_EQ((*shared)[0].links.size(), 2u);
  std::set<std::string> starts;
  for (const QueryLink& link : (*shared)[0].links) starts.insert(link.observations.at(0).start);
  EXPECT_EQ(starts, (std::set<std::string>{"2024-01-01", "2024-02-01"}));
  EXPECT_TRUE(Shared(*store_, {Ref("P3"), Ref("P4")})->empty());
  EXPECT_EQ(Shared(*store_, {Ref("P3")}).status().code(), StatusCode::kInvalidArgument);

  // An address both lived at, with each stay's dates.
  auto address = Shared(*store_, {Ref("P1"), Ref("P4")});
  ASSERT_TRUE(address.ok()) << address.status().ToString();
  ASSERT_EQ(address->size(), 1u);
  EXPECT_EQ((*address)[0].node.id, "A1");
  EXPECT_EQ((*address)[0].node.kind, "address");
  std::set<std::string> stays;
  for (const QueryLink& link : (*address)[0].links)
    stays.insert(link.observations.at(0).start + ".." + link.observations.at(0).end);
  EXPECT_EQ(stays, (std::set<std::string>{"2024-01-01..2024-06-30", "2024-03-01..2024-09-30"}));
  // A person both know.
  auto person = Shared(*store_, {Ref("P1"), Ref("P6")});
  ASSERT_TRUE(person.ok()) << person.status().ToString();
  ASSERT_EQ(person->size(), 1u);
  EXPECT_EQ((*person)[0].node.id, "P5");
  EXPECT_EQ((*person)[0].node.kind, "person");
  EXPECT_EQ((*person)[0].links.size(), 2u);
}

TEST_F(QueryTest, TimelineIsInTimeOrderWithUndatedLast) {
  auto timeline = Timeline(*store_, Ref("P1"));
  ASSERT_TRUE(timeline.ok()) << timeline.status().ToString();
  EXPECT_EQ(timeline->node.id, "P1");
  std::vector<std::string> order;
  for (const TimelineEvent& e : timeline->events) order.push_back(e.start + " " + e.type + " " + e.other.id);
  EXPECT_THAT(order, ElementsAre("2023-05-01 KNOWS P8", "2024-01-01 LIVES_AT A1",
                                 "2024-01-01 USES +381641234567", " KNOWS P5"));
}

// Paths against the definition on random acquaintance graphs: every simple path up to the hop
// limit enumerated by depth-first search; the k returned must be valid, simple, distinct and as
// short as the k shortest enumerated.
TEST(QueryPathsTest, KShortestMatchBruteForceOnRandomGraphs) {
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    std::mt19937 random(seed);
    const int n = 6 + static_cast<int>(random() % 6);
    std::set<std::pair<int, int>> edges;
    const int m = n + static_cast<int>(random() % (2 * n));
    for (int e = 0; e < m; ++e) {
      const int a = static_cast<int>(random() % n), b = static_cast<int>(random() % n);
      if (a != b) edges.insert({std::min(a, b), std::max(a, b)});
    }
    TempDir dir;
    std::string persons = "id,name,birth_date,gender,nationality,status,source\n";
    for (int i = 0; i < n; ++i) persons += "N" + std::to_string(i) + ",Osoba " + std::to_string(i) + ",,,,,MUP\n";
    std::string links = "from,to,type,start,end,count,source\n";
    for (const auto& [a, b] : edges)
      links += "person:N" + std::to_string(a) + ",person:N" + std::to_string(b) + ",KNOWS,,,1,MUP\n";
    WriteFile(dir.path() / "data/persons.csv", persons);
    WriteFile(dir.path() / "data/links.csv", links);
    auto store = storage::Store::Open(dir.path() / "db");
    ASSERT_TRUE(store.ok());
    IngestOptions options;
    options.quiet = true;
    options.report_dir = dir.path() / "reports";
    ASSERT_TRUE(Ingest(**store, {dir.path() / "data"}, options).ok());
    std::vector<NodeId> node(n);
    std::map<NodeId, int> index;
    for (int i = 0; i < n; ++i) {
      node[i] = ResolveRef(**store, "N" + std::to_string(i)).value();
      index[node[i]] = i;
    }
    std::vector<std::vector<int>> adjacent(n);
    for (const auto& [a, b] : edges) {
      adjacent[a].push_back(b);
      adjacent[b].push_back(a);
    }
    const int max_hops = 4, k = 4;
    for (int s = 0; s < n; ++s) {
      for (int t = s + 1; t < n; ++t) {
        std::vector<size_t> lengths;  // in links
        std::vector<int> stack{s};
        std::function<void()> walk = [&] {
          const int u = stack.back();
          if (u == t) {
            lengths.push_back(stack.size() - 1);
            return;
          }
          if (static_cast<int>(stack.size()) - 1 == max_hops) return;
          for (int v : adjacent[u]) {
            if (std::find(stack.begin(), stack.end(), v) != stack.end()) continue;
            stack.push_back(v);
            walk();
            stack.pop_back();
          }
        };
        walk();
        std::sort(lengths.begin(), lengths.end());
        if (lengths.size() > k) lengths.resize(k);
        PathRequest request;
        request.nodes = {node[s], node[t]};
        request.k = k;
        request.max_hops = max_hops;
        auto result = Paths(**store, request);
        ASSERT_TRUE(result.ok()) << result.status().ToString();
        std::vector<size_t> got;
        std::set<std::vector<NodeId>> distinct;
        for (const std::vector<NodeId>& path : result->paths) {
          got.push_back(path.size() - 1);
          EXPECT_TRUE(distinct.insert(path).second) << "seed " << seed << ": a path twice";
          EXPECT_EQ(path.front(), node[s]);
          EXPECT_EQ(path.back(), node[t]);
          EXPECT_EQ(std::set<NodeId>(path.begin(), path.end()).size(), path.size()) << "not simple";
          for (size_t i = 0; i + 1 < path.size(); ++i) {
            const int a = index.at(path[i]), b = index.at(path[i + 1]);
            EXPECT_TRUE(edges.contains({std::min(a, b), std::max(a, b)})) << "no such link";
          }
        }
        EXPECT_EQ(got, lengths) << "seed " << seed << " N" << s << "–N" << t;
      }
    }
  }
}

}  // namespace
}  // namespace trafnet::engine
