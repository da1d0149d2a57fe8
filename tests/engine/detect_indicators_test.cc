// Indicators that name no member (the shape of a group) checked on groups assessed directly.
#include "detect_indicators.h"

#include <gtest/gtest.h>

#include <utility>

#include "case_data.h"
#include "detect_groups.h"

namespace trafnet::engine::detect {
namespace {

using algorithms::Vertex;

// A group of `persons` persons (no dates, no addresses) and KNOWS links between them, assessed
// as one group.
GroupAssessment AssessKnows(size_t persons, const std::vector<std::pair<NodeIndex, NodeIndex>>& knows) {
  std::vector<Node> nodes(persons);
  std::vector<std::string> ids, name_keys(persons);
  for (size_t p = 0; p < persons; ++p) {
    nodes[p].kind = NodeKind::kPerson;
    ids.push_back("P" + std::to_string(p));
  }
  std::vector<Link> links;
  for (const auto& [a, b] : knows) {
    Link link;
    link.from = std::min(a, b);
    link.to = std::max(a, b);
    link.type = LinkType::kKnows;
    link.symmetric = true;
    link.count = 1;
    links.push_back(link);
  }
  const CaseData data =
      CaseData::FromParts(std::move(nodes), std::move(ids), std::move(name_keys), {""},
                          std::move(links));
  const DetectConfig config;
  std::vector<NodeIndex> identity(persons);
  for (size_t p = 0; p < persons; ++p) identity[p] = static_cast<NodeIndex>(p);
  const PersonGraph graph = BuildPersonGraph(data, identity, config);
  AssessContext context;
  context.data = &data;
  context.graph = &graph;
  context.config = &config;
  context.records.resize(persons);
  std::vector<Vertex> members;
  for (size_t p = 0; p < persons; ++p) {
    context.records[graph.vertex_of[p]].push_back(static_cast<NodeIndex>(p));
    members.push_back(static_cast<Vertex>(p));
  }
  context.known_case_proximity.assign(persons, 0.0);
  return AssessGroup(context, members);
}

// Freeman's degree centralisation: 1 for a star, 0 when every member has as many ties as the
// best-connected one (a ring of acquaintances).
TEST(CentralisationTest, AStarIsCentralisedAndARingIsNot) {
  const GroupAssessment star = AssessKnows(7, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}});
  EXPECT_DOUBLE_EQ(star.indicators.at("centralisation"), 1.0);
  ASSERT_FALSE(star.reasons.empty());
  EXPECT_NE(star.reasons.front().find("P0 is tied to 6 of the other 6 persons in the community"),
            std::string::npos)
      << star.reasons.front();

  const GroupAssessment ring = AssessKnows(7, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 0}});
  EXPECT_DOUBLE_EQ(ring.indicators.at("centralisation"), 0.0);

  // A star two of whose leaves know each other: the hub has 6 ties, the leaves 1, 1, 1, 1, 2, 2,
  // so (5 + 5 + 5 + 5 + 4 + 4) / (6 · 5) = 28/30.
  const GroupAssessment near = AssessKnows(7, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}, {5, 6}});
  EXPECT_NEAR(near.indicators.at("centralisation"), 28.0 / 30.0, 1e-12);
  // Shape alone flags nothing.
  EXPECT_LT(star.score, DetectConfig{}.flag_threshold);

  // A family around one parent is a star too (the look-alike the docs name): centralisation
  // alone cannot tell them apart, which is why it weighs little and flags nothing. A group that
  // is only a little centralised is not called star-shaped, though the value still counts.
  const GroupAssessment family = AssessKnows(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}});
  EXPECT_DOUBLE_EQ(family.indicators.at("centralisation"), 1.0);
  EXPECT_LT(family.score, DetectConfig{}.flag_threshold);
  // A path of five: the middle has 2 ties, the others 2, 2, 1, 1 → (1 + 1) / (4 · 3) = 1/6.
  const GroupAssessment path = AssessKnows(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  EXPECT_NEAR(path.indicators.at("centralisation"), 1.0 / 6.0, 1e-12);
  for (const std::string& reason : path.reasons)
    EXPECT_EQ(reason.find("star-shaped"), std::string::npos) << reason;
}

}  // namespace
}  // namespace trafnet::engine::detect
