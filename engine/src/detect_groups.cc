#include "detect_groups.h"

#include <algorithm>

#include "co_residents.h"
#include "trafnet/algorithms/community.h"

namespace trafnet::engine::detect {

namespace {

using algorithms::Edge;
using algorithms::Vertex;

// One person's use of a phone or address, with when.
struct Use {
  NodeIndex identifier;
  Vertex person;
  Stay stay;  // for addresses (co_residents.h)
};

// Sorts uses by identifier then person, folding one person's several links to one identifier
// into one use spanning them all.
void Group(std::vector<Use>& uses) {
  std::sort(uses.begin(), uses.end(), [](const Use& x, const Use& y) {
    return x.identifier != y.identifier ? x.identifier < y.identifier : x.person < y.person;
  });
  size_t kept = 0;
  for (size_t i = 0; i < uses.size(); ++i) {
    if (kept > 0 && uses[kept - 1].identifier == uses[i].identifier &&
        uses[kept - 1].person == uses[i].person) {
      uses[kept - 1].stay = MergeStays(uses[kept - 1].stay, uses[i].stay);
      continue;
    }
    uses[kept++] = uses[i];
  }
  uses.resize(kept);
}

}  // namespace

PersonGraph BuildPersonGraph(const CaseData& data, const std::vector<NodeIndex>& representative,
                             const DetectConfig& config) {
  PersonGraph out;
  const auto n = static_cast<NodeIndex>(data.num_nodes());
  out.vertex_of.assign(n, kNoVertex);
  for (NodeIndex p = 0; p < n; ++p) {
    if (data.node(p).kind != NodeKind::kPerson || representative[p] != p) continue;
    out.vertex_of[p] = static_cast<Vertex>(out.person.size());
    out.person.push_back(p);
  }
  for (NodeIndex p = 0; p < n; ++p) {
    if (data.node(p).kind == NodeKind::kPerson) out.vertex_of[p] = out.vertex_of[representative[p]];
  }
  std::vector<Edge> edges;
  std::vector<Use> phone_uses, address_uses;
  std::vector<uint32_t> calls;
  for (uint32_t l = 0; l < data.links().size(); ++l) {
    const Link& link = data.link(l);
    const NodeKind a = data.node(link.from).kind, b = data.node(link.to).kind;
    if (a == NodeKind::kPerson && b == NodeKind::kPerson) {
      edges.push_back(Edge{out.vertex_of[link.from], out.vertex_of[link.to], 1.0f});
    } else if (a == NodeKind::kPerson || b == NodeKind::kPerson) {
      const NodeIndex person = a == NodeKind::kPerson ? link.from : link.to;
      const NodeIndex other = a == NodeKind::kPerson ? link.to : link.from;
      const NodeKind kind = data.node(other).kind;
      const Stay stay = link.first == kNoDay ? Stay{} : Stay{link.first, link.last};
      // Using a phone, like living somewhere, is a state: a use recorded with a start only
      // lasts to this day.
      if (kind == NodeKind::kPhone) {
        phone_uses.push_back(
            Use{other, out.vertex_of[person], OpenResidence(stay, link.open_start, link.open_end)});
      }
      if (kind == NodeKind::kAddress) {
        address_uses.push_back(Use{other, out.vertex_of[person],
                                   link.type == LinkType::kLivesAt
                                       ? OpenResidence(stay, link.open_start, link.open_end)
                                       : stay});
      }
    } else if (a == NodeKind::kPhone && b == NodeKind::kPhone) {
      calls.push_back(l);
    }
  }
  Group(phone_uses);
  Group(address_uses);
  // Phone → [begin, end) of its users in phone_uses, for phones under the cap.
  std::vector<std::pair<uint32_t, uint32_t>> users_of(n, {0, 0});
  for (size_t begin = 0; begin < phone_uses.size();) {
    size_t end = begin;
    while (end < phone_uses.size() && phone_uses[end].identifier == phone_uses[begin].identifier)
      ++end;
    const size_t users = end - begin;
    if (users <= config.shared_cap) {
      users_of[phone_uses[begin].identifier] = {static_cast<uint32_t>(begin),
                                                static_cast<uint32_t>(end)};
      // Ties by who used it at the same time, as for an address (co_residents.h): a number
      // passed on, or a phone handed from one group of recruits to the next, ties each user to
      // those of their own time. Undated uses overlap every other, so a phone recorded without
      // dates ties all its users, 1/(users − 1) each.
      std::vector<Stay> spans;
      for (size_t i = begin; i < end; ++i) spans.push_back(phone_uses[i].stay);
      ForEachCoResidentPair(spans, config.shared_cap, [&](size_t i, size_t j, size_t k) {
        edges.push_back(Edge{phone_uses[begin + i].person, phone_uses[begin + j].person,
                             static_cast<float>(1.0 / static_cast<double>(k - 1))});
      });
    }
    begin = end;
  }
  for (size_t begin = 0; begin < address_uses.size();) {
    size_t end = begin;
    while (end < address_uses.size() &&
           address_uses[end].identifier == address_uses[begin].identifier)
      ++end;
    const double factor = IsCommunal(data.node(address_uses[begin].identifier).address_kind)
                              ? config.communal_address_factor
                              : 1.0;
    // Ties by who stayed there at the same time (co_residents.h).
    std::vector<Stay> stays;
    for (size_t i = begin; i < end; ++i) stays.push_back(address_uses[i].stay);
    ForEachCoResidentPair(stays, config.shared_cap, [&](size_t i, size_t j, size_t k) {
      edges.push_back(Edge{address_uses[begin + i].person, address_uses[begin + j].person,
                           static_cast<float>(factor / static_cast<double>(k - 1))});
    });
    begin = end;
  }
  // A call ties the users of the two phones at the time of the call (an undated call, or a
  // use without dates, any time), its weight shared among those pairs.
  std::vector<uint32_t> from_users, to_users;
  for (uint32_t l : calls) {
    const Link& call = data.link(l);
    const auto [fb, fe] = users_of[call.from];
    const auto [tb, te] = users_of[call.to];
    if (fb == fe || tb == te) continue;
    const Stay when = call.first == kNoDay ? Stay{} : Stay{call.first, call.last};
    auto at_the_time = [&](uint32_t begin, uint32_t end, std::vector<uint32_t>& who) {
      who.clear();
      for (uint32_t i = begin; i < end; ++i) {
        if (Overlap(phone_uses[i].stay, when)) who.push_back(i);
      }
    };
    at_the_time(fb, fe, from_users);
    at_the_time(tb, te, to_users);
    if (from_users.empty() || to_users.empty()) continue;
    const auto w =
        static_cast<float>(1.0 / static_cast<double>(from_users.size() * to_users.size()));
    for (uint32_t i : from_users) {
      for (uint32_t j : to_users)
        edges.push_back(Edge{phone_uses[i].person, phone_uses[j].person, w});
    }
  }
  out.graph = algorithms::CsrGraph::FromEdgesMerged(static_cast<Vertex>(out.person.size()),
                                                    std::move(edges),
                                                    /*directed=*/false, /*weighted=*/true);
  return out;
}

namespace {

constexpr int kLeidenIterations = 3;

// Splits `group` by Leiden on its own subgraph, recursively, until every part has at most
// `max_group_size` members or cannot be split; parts of at least `min_group_size` go to `out`.
Status SplitLarge(const PersonGraph& graph, const DetectConfig& config, std::vector<Vertex> group,
                  uint64_t& seed, std::vector<std::vector<Vertex>>& out) {
  std::vector<std::vector<Vertex>> pending;
  pending.push_back(std::move(group));
  while (!pending.empty()) {
    std::vector<Vertex> part = std::move(pending.back());
    pending.pop_back();
    if (part.size() < config.min_group_size) continue;
    if (part.size() <= config.max_group_size) {
      out.push_back(std::move(part));
      continue;
    }
    algorithms::LeidenOptions leiden;
    leiden.seed = ++seed;
    leiden.max_iterations = kLeidenIterations;
    TRAFNET_ASSIGN_OR_RETURN(algorithms::CommunityResult parts,
                             algorithms::Leiden(graph.graph.InducedSubgraph(part), leiden));
    if (parts.count <= 1) {
      out.push_back(std::move(part));  // cannot be split: examined whole
      continue;
    }
    std::vector<std::vector<Vertex>> pieces(parts.count);
    for (Vertex i = 0; i < part.size(); ++i) pieces[parts.membership[i]].push_back(part[i]);
    // Depth-first in community order, so the order of groups depends only on the partitions.
    for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) pending.push_back(std::move(*it));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Groups> FindGroups(const PersonGraph& graph, const DetectConfig& config, uint64_t seed,
                            int threads) {
  Groups out;
  const double n = graph.graph.num_vertices();
  uint64_t next_seed = seed;
  for (size_t level = 0; level < kGroupScales.size(); ++level) {
    algorithms::LeidenOptions leiden;
    leiden.seed = ++next_seed;
    // Modularity's communities grow with the graph (its resolution limit); a resolution
    // proportional to the number of persons keeps their size about the same in any store.
    leiden.resolution = n / kGroupScales[level];
    // Repeating Leiden until it stops improving can take tens of passes over a million persons
    // at these resolutions for a last fraction of a percent of quality; groups do not need it.
    leiden.max_iterations = kLeidenIterations;
    leiden.threads = threads;  // the partition is the same for any thread count
    TRAFNET_ASSIGN_OR_RETURN(algorithms::CommunityResult partition,
                             algorithms::Leiden(graph.graph, leiden));
    if (level == 0) {
      out.communities = partition.count;
      out.modularity = partition.modularity;
    }
    std::vector<std::vector<Vertex>> communities(partition.count);
    for (Vertex v = 0; v < partition.membership.size(); ++v)
      communities[partition.membership[v]].push_back(v);
    for (std::vector<Vertex>& community : communities) {
      TRAFNET_RETURN_IF_ERROR(
          SplitLarge(graph, config, std::move(community), next_seed, out.groups));
    }
  }
  // The same group found at several scales is examined once.
  std::vector<size_t> order(out.groups.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return out.groups[a] < out.groups[b]; });
  std::vector<bool> keep(out.groups.size(), true);
  for (size_t i = 1; i < order.size(); ++i) {
    if (out.groups[order[i]] == out.groups[order[i - 1]]) keep[order[i]] = false;
  }
  std::vector<std::vector<Vertex>> unique;
  for (size_t i = 0; i < out.groups.size(); ++i) {
    if (keep[i]) unique.push_back(std::move(out.groups[i]));
  }
  out.groups = std::move(unique);
  return out;
}

StatusOr<GroupParts> SplitGroup(const PersonGraph& graph, const std::vector<Vertex>& group,
                                uint64_t seed) {
  const algorithms::CsrGraph sub = graph.graph.InducedSubgraph(group);
  algorithms::LeidenOptions leiden;
  leiden.seed = seed;
  leiden.max_iterations = kLeidenIterations;
  TRAFNET_ASSIGN_OR_RETURN(algorithms::CommunityResult split, algorithms::Leiden(sub, leiden));
  GroupParts out;
  const uint32_t count = std::max<uint32_t>(split.count, 1);
  out.members.resize(count);
  out.internal.assign(count, 0.0);
  out.ties.assign(count, std::vector<double>(count, 0.0));
  for (Vertex v = 0; v < sub.num_vertices(); ++v) {
    const uint32_t a = split.membership[v];
    out.members[a].push_back(group[v]);
    const auto neighbours = sub.neighbours(v);
    const auto weights = sub.weights(v);
    for (size_t k = 0; k < neighbours.size(); ++k) {
      const uint32_t b = split.membership[neighbours[k]];
      const double w = sub.weighted() ? weights[k] : 1.0;
      if (a == b) {
        out.internal[a] += w / 2;  // likewise
      } else {
        out.ties[a][b] += w / 2;  // each tie is seen from both ends
        out.ties[b][a] += w / 2;
      }
    }
  }
  return out;
}

std::vector<std::vector<Vertex>> SeparateNetworks(const GroupParts& parts,
                                                  const std::vector<bool>& flagged,
                                                  double separate_tie) {
  const size_t n = parts.members.size();
  std::vector<size_t> network(n);  // union-find over parts
  for (size_t a = 0; a < n; ++a) network[a] = a;
  auto find = [&](size_t a) {
    while (network[a] != a) a = network[a] = network[network[a]];
    return a;
  };
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      if (!flagged[a] || !flagged[b]) continue;
      const double smaller = std::min(parts.internal[a], parts.internal[b]);
      if (parts.ties[a][b] >= separate_tie * smaller) network[find(b)] = find(a);
    }
  }
  std::vector<std::vector<Vertex>> out;
  std::vector<size_t> slot(n, n);
  for (size_t a = 0; a < n; ++a) {
    if (!flagged[a]) continue;
    const size_t root = find(a);
    if (slot[root] == n) {
      slot[root] = out.size();
      out.emplace_back();
    }
    std::vector<Vertex>& into = out[slot[root]];
    into.insert(into.end(), parts.members[a].begin(), parts.members[a].end());
  }
  if (out.size() < 2) return {};
  for (std::vector<Vertex>& members : out) std::sort(members.begin(), members.end());
  return out;
}

}  // namespace trafnet::engine::detect
