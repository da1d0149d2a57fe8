// The person graph detection runs on, against a slow reference, and the separation of merged
// networks.
#include "detect_groups.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "case_data.h"
#include "co_residents.h"

namespace trafnet::engine::detect {
namespace {

using algorithms::Vertex;

// Persons 0..persons-1 first, then addresses.
CaseData World(size_t persons, const std::vector<AddressKind>& addresses,
               std::vector<Link> links) {
  std::vector<Node> nodes(persons + addresses.size());
  std::vector<std::string> ids, name_keys(nodes.size()), cities = {""};
  for (size_t p = 0; p < persons; ++p) {
    nodes[p].kind = NodeKind::kPerson;
    ids.push_back("P" + std::to_string(p));
  }
  for (size_t a = 0; a < addresses.size(); ++a) {
    nodes[persons + a].kind = NodeKind::kAddress;
    nodes[persons + a].address_kind = addresses[a];
    ids.push_back("A" + std::to_string(a));
  }
  return CaseData::FromParts(std::move(nodes), std::move(ids), std::move(name_keys),
                             std::move(cities), std::move(links));
}

std::vector<NodeIndex> Identity(size_t n) {
  std::vector<NodeIndex> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<NodeIndex>(i);
  return out;
}

Link StayAt(NodeIndex person, NodeIndex address, Day first, Day last) {
  Link link;
  link.from = person;
  link.to = address;
  link.type = LinkType::kStayedAt;
  link.count = 1;
  link.first = first;
  link.last = last;
  return link;
}

double Weight(const PersonGraph& graph, Vertex u, Vertex v) {
  const auto neighbours = graph.graph.neighbours(u);
  for (size_t k = 0; k < neighbours.size(); ++k) {
    if (neighbours[k] == v) return graph.graph.weights(u)[k];
  }
  return 0.0;
}

// The definition, pair by pair: a link to an address spans its first to its last day, and a
// residence (LIVES_AT) left open at an end by the records is open there; a person's stays at one
// address are one span (undated if any is); two spans overlap when neither ends before the other starts (an undated one overlaps
// all); a span's co-residents are the others overlapping it; an overlapping pair whose larger
// co-resident count c is below the cap is tied with factor / c.
std::map<std::pair<Vertex, Vertex>, double> ReferenceTies(const CaseData& data, size_t persons,
                                                          uint32_t cap, double communal) {
  struct Span {
    Vertex person;
    bool dated = true;
    int64_t first = 0, last = 0;
  };
  std::map<NodeIndex, std::map<Vertex, Span>> at;
  for (const Link& link : data.links()) {
    int64_t first = link.first, last = link.last;
    if (link.type == LinkType::kLivesAt && link.open_start) first = INT64_MIN;
    if (link.type == LinkType::kLivesAt && link.open_end) last = INT64_MAX;
    Span& span = at[link.to].try_emplace(static_cast<Vertex>(link.from),
                                         Span{static_cast<Vertex>(link.from), true, first, last})
                     .first->second;
    if (link.first == kNoDay) span.dated = false;
    if (span.dated) {
      span.first = std::min(span.first, first);
      span.last = std::max(span.last, last);
    }
  }
  auto overlap = [](const Span& a, const Span& b) {
    return !a.dated || !b.dated || (a.first <= b.last && b.first <= a.last);
  };
  std::map<std::pair<Vertex, Vertex>, double> ties;
  for (const auto& [address, by_person] : at) {
    std::vector<Span> spans;
    for (const auto& [person, span] : by_person) spans.push_back(span);
    std::vector<size_t> co(spans.size(), 0);
    for (size_t i = 0; i < spans.size(); ++i) {
      for (size_t j = 0; j < spans.size(); ++j) co[i] += i != j && overlap(spans[i], spans[j]);
    }
    const bool is_communal = data.node(address).address_kind == AddressKind::kHotel ||
                             data.node(address).address_kind == AddressKind::kHostel;
    for (size_t i = 0; i < spans.size(); ++i) {
      for (size_t j = i + 1; j < spans.size(); ++j) {
        const size_t c = std::max(co[i], co[j]);
        if (!overlap(spans[i], spans[j]) || c + 1 > cap) continue;
        const Vertex u = std::min(spans[i].person, spans[j].person);
        const Vertex v = std::max(spans[i].person, spans[j].person);
        ties[{u, v}] += (is_communal ? communal : 1.0) / static_cast<double>(c);
      }
    }
  }
  (void)persons;
  return ties;
}

TEST(PersonGraphTest, AddressTiesMatchTheReferenceOnRandomWorlds) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 random(seed);
    const size_t persons = 2 + random() % 14;
    std::vector<AddressKind> kinds(1 + random() % 4);
    for (AddressKind& kind : kinds)
      kind = random() % 3 == 0 ? AddressKind::kHotel : AddressKind::kResidential;
    std::vector<Link> links;
    const size_t stays = random() % 40;
    for (size_t s = 0; s < stays; ++s) {
      const auto person = static_cast<NodeIndex>(random() % persons);
      const auto address = static_cast<NodeIndex>(persons + random() % kinds.size());
      if (random() % 8 == 0) {
        links.push_back(StayAt(person, address, kNoDay, kNoDay));
      } else {
        const Day first = static_cast<Day>(random() % 60);
        links.push_back(StayAt(person, address, first, first + static_cast<Day>(random() % 15)));
        if (random() % 3 == 0) {  // a residence, maybe recorded with one date only
          links.back().type = LinkType::kLivesAt;
          links.back().open_end = random() % 2 == 0;
          links.back().open_start = !links.back().open_end && random() % 4 == 0;
          if (links.back().open_end || links.back().open_start) links.back().last = first;
        }
      }
    }
    const CaseData data = World(persons, kinds, links);
    DetectConfig config;
    config.shared_cap = 2 + random() % 6;
    config.communal_address_factor = 0.25;
    const PersonGraph graph = BuildPersonGraph(data, Identity(data.num_nodes()), config);
    const auto expected =
        ReferenceTies(data, persons, config.shared_cap, config.communal_address_factor);
    for (Vertex u = 0; u < persons; ++u) {
      for (Vertex v = u + 1; v < persons; ++v) {
        const auto it = expected.find({u, v});
        const double want = it == expected.end() ? 0.0 : it->second;
        EXPECT_NEAR(Weight(graph, u, v), want, 1e-5) << "seed " << seed << " " << u << "–" << v;
        EXPECT_NEAR(Weight(graph, v, u), want, 1e-5) << "seed " << seed << " " << v << "–" << u;
      }
    }
  }
}

// ForEachCoResidentPair against the definition pair by pair, on random stays.
TEST(CoResidentsTest, MatchesTheDefinitionOnRandomStays) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 random(seed);
    std::vector<Stay> stays(random() % 30);
    for (Stay& stay : stays) {
      if (random() % 6 != 0) {
        stay.from = random() % 50;
        stay.to = stay.from + random() % 12;
      }
    }
    const uint32_t cap = 1 + random() % 8;
    auto overlap = [&](size_t i, size_t j) {
      return stays[i].from <= stays[j].to && stays[j].from <= stays[i].to;
    };
    std::map<std::pair<size_t, size_t>, size_t> expected, got;
    for (size_t i = 0; i < stays.size(); ++i) {
      for (size_t j = i + 1; j < stays.size(); ++j) {
        if (!overlap(i, j)) continue;
        size_t co_i = 0, co_j = 0;
        for (size_t x = 0; x < stays.size(); ++x) {
          co_i += x != i && overlap(i, x);
          co_j += x != j && overlap(j, x);
        }
        if (co_i < cap && co_j < cap) expected[{i, j}] = 1 + std::max(co_i, co_j);
      }
    }
    ForEachCoResidentPair(stays, cap, [&](size_t i, size_t j, size_t k) {
      EXPECT_LT(i, j);
      EXPECT_TRUE(got.emplace(std::make_pair(i, j), k).second) << "pair reported twice";
    });
    EXPECT_EQ(got, expected) << "seed " << seed;
  }
}

// A hotel used by 40 guests over two years, in twos, ties the eight who stayed the same weeks;
// counted over all time its guests are beyond the cap and it would tie nobody.
TEST(PersonGraphTest, AHotelTiesItsGuestsOfTheSameWeeksOnly) {
  const size_t persons = 48;
  std::vector<Link> links;
  for (NodeIndex g = 0; g < 40; ++g) {
    const Day first = 19000 + static_cast<Day>(g / 2) * 30;
    links.push_back(StayAt(g, persons, first, first + 10));
  }
  for (NodeIndex g = 40; g < 48; ++g) links.push_back(StayAt(g, persons, 20000, 20030));
  const CaseData data = World(persons, {AddressKind::kHotel}, links);
  DetectConfig config;  // shared_cap 25, communal factor 0.25
  const PersonGraph graph = BuildPersonGraph(data, Identity(data.num_nodes()), config);
  EXPECT_NEAR(Weight(graph, 40, 47), 0.25 / 7, 1e-6);
  EXPECT_NEAR(Weight(graph, 0, 1), 0.25, 1e-6);
  EXPECT_EQ(Weight(graph, 0, 2), 0.0);
  EXPECT_EQ(Weight(graph, 0, 40), 0.0);
}

// A family's members recorded as living at their home since different dates, with no end, live
// there together now: they are tied. Two hotel guests recorded on two single dates are not.
TEST(PersonGraphTest, ResidencesRecordedWithAStartOnlyLastToThisDay) {
  std::vector<Link> links;
  for (NodeIndex p = 0; p < 3; ++p) {
    links.push_back(StayAt(p, 5, 18000 + static_cast<Day>(p) * 400, 18000 + static_cast<Day>(p) * 400));
    links.back().type = LinkType::kLivesAt;
    links.back().open_end = true;
  }
  links.push_back(StayAt(3, 6, 19000, 19000));
  links.push_back(StayAt(4, 6, 19200, 19200));
  const CaseData data = World(5, {AddressKind::kResidential, AddressKind::kHotel}, links);
  const PersonGraph graph = BuildPersonGraph(data, Identity(data.num_nodes()), DetectConfig());
  EXPECT_NEAR(Weight(graph, 0, 1), 0.5, 1e-6);  // three co-residents: each tie is a half
  EXPECT_NEAR(Weight(graph, 0, 2), 0.5, 1e-6);
  EXPECT_NEAR(Weight(graph, 1, 2), 0.5, 1e-6);
  EXPECT_EQ(Weight(graph, 3, 4), 0.0);
}

// A phone used by one person in 2020 and by another in 2024 (a number passed on) ties neither
// to the other, while its owner, recorded without dates, is tied to both; a call made in 2024
// ties its caller to the phone's user of 2024 only.
TEST(PersonGraphTest, APhoneTiesThoseWhoUsedItAtTheSameTime) {
  // Persons 0–3, phones 4 (shared) and 5 (person 3's).
  std::vector<Node> nodes(6);
  std::vector<std::string> ids = {"P0", "P1", "P2", "P3", "PH4", "PH5"};
  for (size_t p = 0; p < 4; ++p) nodes[p].kind = NodeKind::kPerson;
  nodes[4].kind = nodes[5].kind = NodeKind::kPhone;
  auto uses = [](NodeIndex person, NodeIndex phone, Day first, Day last) {
    Link link = StayAt(person, phone, first, last);
    link.type = LinkType::kUses;
    return link;
  };
  const Day y2020 = 18262, y2024 = 19723;
  std::vector<Link> links = {uses(0, 4, y2020, y2020 + 150), uses(1, 4, y2024, y2024 + 150),
                             uses(2, 4, kNoDay, kNoDay), uses(3, 5, kNoDay, kNoDay)};
  Link call;
  call.from = 5;
  call.to = 4;
  call.type = LinkType::kCalled;
  call.count = 3;
  call.first = y2024 + 10;
  call.last = y2024 + 20;
  links.push_back(call);
  const CaseData data = CaseData::FromParts(std::move(nodes), std::move(ids),
                                            std::vector<std::string>(6), {""}, std::move(links));
  const PersonGraph graph = BuildPersonGraph(data, Identity(data.num_nodes()), DetectConfig());
  EXPECT_EQ(Weight(graph, 0, 1), 0.0) << "used four years apart";
  // The owner overlaps both, so has two co-users: each tie is shared among three, as at an
  // address.
  EXPECT_NEAR(Weight(graph, 0, 2), 0.5, 1e-6);
  EXPECT_NEAR(Weight(graph, 1, 2), 0.5, 1e-6);
  // The call reaches the phone's users of 2024: person 1 and the undated owner 2, a half each.
  EXPECT_NEAR(Weight(graph, 3, 1), 0.5, 1e-6);
  EXPECT_NEAR(Weight(graph, 3, 2), 0.5, 1e-6);
  EXPECT_EQ(Weight(graph, 3, 0), 0.0) << "the call came after person 0 had stopped using it";
}

// A phone with more users than the cap (a service number everyone in a village uses) ties
// nobody; at the cap it ties them all, 1/(k − 1) each.
TEST(PersonGraphTest, APhoneUsedByMoreThanTheCapTiesNobody) {
  for (const uint32_t users : {25u, 26u}) {
    std::vector<Node> nodes(users + 1);
    std::vector<std::string> ids;
    std::vector<Link> links;
    for (NodeIndex p = 0; p < users; ++p) {
      nodes[p].kind = NodeKind::kPerson;
      ids.push_back("P" + std::to_string(p));
      Link link = StayAt(p, users, kNoDay, kNoDay);
      link.type = LinkType::kUses;
      links.push_back(link);
    }
    nodes[users].kind = NodeKind::kPhone;
    ids.push_back("PHONE");
    const CaseData data =
        CaseData::FromParts(std::move(nodes), std::move(ids), std::vector<std::string>(users + 1),
                            {""}, std::move(links));
    const PersonGraph graph = BuildPersonGraph(data, Identity(data.num_nodes()), DetectConfig());
    if (users == 25) {
      EXPECT_NEAR(Weight(graph, 0, 24), 1.0 / 24, 1e-6);
    } else {
      EXPECT_EQ(graph.graph.num_arcs(), 0u) << "26 users, cap 25";
    }
  }
}

// A person graph of `edges` (undirected, weighted) whose vertex v is person v.
PersonGraph GraphOf(Vertex n, std::vector<algorithms::Edge> edges) {
  PersonGraph graph;
  graph.graph = algorithms::CsrGraph::FromEdgesMerged(n, std::move(edges), false, true);
  for (Vertex v = 0; v < n; ++v) {
    graph.person.push_back(v);
    graph.vertex_of.push_back(v);
  }
  return graph;
}

// A store of eight tight-knit groups of ten in a ring, each joined to the next by one tie: at
// the coarsest scale for a store this small Leiden joins neighbouring groups into communities
// larger than max_group_size, which are split again until their parts fit — each group of ten
// is found whole, and no group examined is larger than the maximum.
TEST(FindGroupsTest, CommunitiesLargerThanTheMaximumAreSplitUntilTheyFit) {
  std::vector<algorithms::Edge> edges;
  for (Vertex g = 0; g < 8; ++g) {
    for (Vertex i = 0; i < 10; ++i) {
      for (Vertex j = i + 1; j < 10; ++j) edges.push_back({10 * g + i, 10 * g + j, 1.0f});
    }
    edges.push_back({10 * g + 9, (10 * g + 10) % 80, 1.0f});
  }
  const PersonGraph graph = GraphOf(80, std::move(edges));
  DetectConfig config;
  config.max_group_size = 15;
  config.min_group_size = 4;
  auto groups = FindGroups(graph, config, /*seed=*/3, /*threads=*/1);
  ASSERT_TRUE(groups.ok()) << groups.status().ToString();
  ASSERT_FALSE(groups->groups.empty());
  for (const auto& group : groups->groups) EXPECT_LE(group.size(), 15u);
  for (Vertex g = 0; g < 8; ++g) {
    std::vector<Vertex> clique;
    for (Vertex i = 0; i < 10; ++i) clique.push_back(10 * g + i);
    EXPECT_NE(std::find(groups->groups.begin(), groups->groups.end(), clique), groups->groups.end())
        << "group " << g << " of ten";
  }
  // With a maximum of 100, the coarsest scale's communities (several groups of ten together)
  // stay whole: the bound above is the split's doing.
  config.max_group_size = 100;
  auto unsplit = FindGroups(graph, config, 3, 1);
  ASSERT_TRUE(unsplit.ok());
  size_t largest = 0;
  for (const auto& group : unsplit->groups) largest = std::max(largest, group.size());
  EXPECT_GT(largest, 15u);
}

// The scales run side by side, each seeded on its own: the groups (their order included) are
// the same for any thread count, on a graph whose communities are split at every scale.
TEST(FindGroupsTest, TheSameGroupsWhateverTheThreads) {
  std::mt19937 random(5);
  std::vector<algorithms::Edge> edges;
  const Vertex n = 900;
  for (Vertex v = 0; v < n; ++v) {
    for (int k = 0; k < 4; ++k) {
      // Mostly inside v's block of 60, now and then anywhere.
      const Vertex u = random() % 10 == 0 ? static_cast<Vertex>(random() % n)
                                          : static_cast<Vertex>(v / 60 * 60 + random() % 60);
      if (u != v) edges.push_back({v, u, 1.0f + static_cast<float>(random() % 3)});
    }
  }
  const PersonGraph graph = GraphOf(n, std::move(edges));
  DetectConfig config;
  config.max_group_size = 12;
  config.min_group_size = 3;
  auto one = FindGroups(graph, config, /*seed=*/9, /*threads=*/1);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_GT(one->groups.size(), 60u);
  for (int threads : {2, 3, 4}) {
    auto many = FindGroups(graph, config, 9, threads);
    ASSERT_TRUE(many.ok());
    EXPECT_EQ(many->groups, one->groups) << threads << " threads";
    EXPECT_EQ(many->communities, one->communities);
    EXPECT_EQ(many->modularity, one->modularity);
  }
}

// A taxi dispatcher's number, its user known, called by 150 customers' phones: a service
// number, whose calls tie nobody. Called by 50, it is an ordinary busy phone and ties its
// callers to its user.
TEST(PersonGraphTest, ANumberCalledByMoreThanTheHubCapTiesNobody) {
  for (const uint32_t customers : {50u, 150u}) {
    // Persons 0..customers (0 the dispatcher), then phones: the dispatcher's, then one each.
    const uint32_t persons = customers + 1;
    std::vector<Node> nodes(2 * persons);
    std::vector<std::string> ids;
    std::vector<Link> links;
    for (NodeIndex p = 0; p < persons; ++p) {
      nodes[p].kind = NodeKind::kPerson;
      nodes[persons + p].kind = NodeKind::kPhone;
      Link uses = StayAt(p, persons + p, kNoDay, kNoDay);
      uses.type = LinkType::kUses;
      links.push_back(uses);
      if (p > 0) {
        Link call = StayAt(persons + p, persons, kNoDay, kNoDay);
        call.type = LinkType::kCalled;
        links.push_back(call);
      }
    }
    for (NodeIndex i = 0; i < 2 * persons; ++i) ids.push_back("N" + std::to_string(i));
    const CaseData data =
        CaseData::FromParts(std::move(nodes), std::move(ids), std::vector<std::string>(2 * persons),
                            {""}, std::move(links));
    const PersonGraph graph = BuildPersonGraph(data, Identity(data.num_nodes()), DetectConfig());
    if (customers == 50) {
      EXPECT_NEAR(Weight(graph, 0, 1), 1.0, 1e-6);
    } else {
      EXPECT_EQ(graph.graph.num_arcs(), 0u) << "150 counterparts, hub cap 100";
    }
  }
}

// Flagged parts with (almost) no tie between them are separate networks; parts that are not
// flagged join nothing; a tie of at least `separate_tie` of the smaller part's inner weight
// keeps two parts one network.
TEST(SeparateNetworksTest, SplitsFlaggedPartsByTheirDirectTies) {
  GroupParts parts;
  parts.members = {{1, 2, 3}, {4, 5}, {6, 7}, {8, 9}};
  parts.internal = {10.0, 5.0, 8.0, 6.0};
  parts.ties = {{0, 0.5, 0, 9}, {0.5, 0, 1.0, 0}, {0, 1.0, 0, 0}, {9, 0, 0, 0}};
  using Networks = std::vector<std::vector<Vertex>>;
  // 0–1: 0.5 < 0.2·5 apart; 1–2: 1.0 ≥ 0.2·5 one network; 3 is not flagged.
  EXPECT_EQ(SeparateNetworks(parts, {true, true, true, false}, 0.2),
            (Networks{{1, 2, 3}, {4, 5, 6, 7}}));
  EXPECT_EQ(SeparateNetworks(parts, {true, false, false, true}, 0.2), Networks{});
  EXPECT_EQ(SeparateNetworks(parts, {true, false, false, false}, 0.2), Networks{});
  EXPECT_EQ(SeparateNetworks(parts, {true, true, false, false}, 0.05), Networks{});
  EXPECT_EQ(SeparateNetworks(parts, {true, true, false, false}, 0.2),
            (Networks{{1, 2, 3}, {4, 5}}));
}

}  // namespace
}  // namespace trafnet::engine::detect
