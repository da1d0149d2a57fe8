#include "detect_groups.h"

#include <algorithm>

#include "co_residents.h"
#include "parallel_for.h"
#include "person_ties.h"
#include "trafnet/algorithms/community.h"

namespace trafnet::engine::detect {

namespace {

using algorithms::Edge;
using algorithms::Vertex;

}  // namespace

PersonGraph BuildPersonGraph(const CaseData& data, const std::vector<NodeIndex>& representative,
                             const DetectConfig& config, unsigned threads) {
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
  std::vector<IdentifierUse> phone_uses, address_uses;
  std::vector<PhoneCall> calls;
  for (uint32_t l = 0; l < data.links().size(); ++l) {
    const Link& link = data.link(l);
    const NodeKind a = data.node(link.from).kind, b = data.node(link.to).kind;
    const Stay stay = link.first == kNoDay ? Stay{} : Stay{link.first, link.last};
    if (a == NodeKind::kPerson && b == NodeKind::kPerson) {
      edges.push_back(Edge{out.vertex_of[link.from], out.vertex_of[link.to], 1.0f});
    } else if (a == NodeKind::kPerson || b == NodeKind::kPerson) {
      const NodeIndex person = a == NodeKind::kPerson ? link.from : link.to;
      const NodeIndex other = a == NodeKind::kPerson ? link.to : link.from;
      const NodeKind kind = data.node(other).kind;
      // Using a phone, like living somewhere, is a state: a use recorded with a start only
      // lasts to this day.
      if (kind == NodeKind::kPhone) {
        phone_uses.push_back(IdentifierUse{other, out.vertex_of[person],
                                           OpenResidence(stay, link.open_start, link.open_end)});
      }
      if (kind == NodeKind::kAddress) {
        // Strangers meeting is what hostels, dormitories, hotels and shelters are for.
        const double factor =
            IsCommunal(data.node(other).address_kind) ? config.communal_address_factor : 1.0;
        address_uses.push_back(IdentifierUse{
            other, out.vertex_of[person],
            link.type == LinkType::kLivesAt ? OpenResidence(stay, link.open_start, link.open_end)
                                            : stay,
            factor});
      }
    } else if (a == NodeKind::kPhone && b == NodeKind::kPhone) {
      calls.push_back(PhoneCall{link.from, link.to, 1.0, stay});
    }
  }
  // The analysis core's rule for shared phones, shared addresses and calls (person_ties.h),
  // every kind of tie weighing 1 before its discounts.
  PersonTieRule rule;
  rule.cap = config.shared_cap;
  rule.call_hub_cap = config.call_hub_cap;
  std::vector<std::vector<Edge>> ties(kTiePieces);
  ForEachIdentifierTie(phone_uses, address_uses, calls, rule, threads,
                       [&](size_t piece, uint32_t u, uint32_t v, double w, TieKind) {
                         ties[piece].push_back(Edge{u, v, static_cast<float>(w)});
                       });
  for (const std::vector<Edge>& piece : ties) edges.insert(edges.end(), piece.begin(), piece.end());
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
  // The scales are independent: each runs on its own (Leiden over the whole graph, then the
  // splits of its large communities), side by side when there are threads for it, each with
  // seeds of its own — the first scale's from `seed` + 1 on, the k-th's from `seed` + k·2^40 +
  // 1 on — so the groups do not depend on which runs when. Each Leiden run also gets all
  // `threads` for its parallel passes (its partition is the same for any count): the scales
  // spend most of their time in sequential local moving, and the last one runs alone.
  constexpr uint64_t kScaleSeeds = uint64_t{1} << 40;
  struct Scale {
    Status status = Status::Ok();
    std::vector<std::vector<Vertex>> groups;
  };
  std::vector<Scale> scales(kGroupScales.size());
  ForEachIndex(kGroupScales.size(), static_cast<unsigned>(std::max(threads, 1)), [&](size_t level) {
    Scale& scale = scales[level];
    uint64_t next_seed = seed + level * kScaleSeeds;
    algorithms::LeidenOptions leiden;
    leiden.seed = ++next_seed;
    // Modularity's communities grow with the graph (its resolution limit); a resolution
    // proportional to the number of persons keeps their size about the same in any store.
    leiden.resolution = n / kGroupScales[level];
    // Repeating Leiden until it stops improving can take tens of passes over a million persons
    // at these resolutions for a last fraction of a percent of quality; groups do not need it.
    leiden.max_iterations = kLeidenIterations;
    leiden.threads = std::max(threads, 1);
    StatusOr<algorithms::CommunityResult> partition = algorithms::Leiden(graph.graph, leiden);
    if (!partition.ok()) {
      scale.status = partition.status();
      return;
    }
    if (level == 0) {  // written by this scale alone
      out.communities = partition->count;
      out.modularity = partition->modularity;
    }
    std::vector<std::vector<Vertex>> communities(partition->count);
    for (Vertex v = 0; v < partition->membership.size(); ++v)
      communities[partition->membership[v]].push_back(v);
    for (std::vector<Vertex>& community : communities) {
      scale.status = SplitLarge(graph, config, std::move(community), next_seed, scale.groups);
      if (!scale.status.ok()) return;
    }
  });
  for (Scale& scale : scales) {
    TRAFNET_RETURN_IF_ERROR(scale.status);
    for (std::vector<Vertex>& group : scale.groups) out.groups.push_back(std::move(group));
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
