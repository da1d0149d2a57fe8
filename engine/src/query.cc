#include "trafnet/engine/query.h"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include <fmt/format.h>

#include "name_search.h"
#include "trafnet/storage/normalize.h"

namespace trafnet::engine {

namespace {

using storage::Adjacency;
using storage::NodeId;

// "2024-07-19T16:06:48" → "2024-07-19": windows are compared by day.
std::string_view Day(std::string_view text) { return text.substr(0, std::min<size_t>(10, text.size())); }

// The ends of the link `adjacency` of `node` names, in canonical order.
std::pair<NodeId, NodeId> LinkEnds(NodeId node, const Adjacency& adjacency) {
  NodeId from = adjacency.outgoing ? node : adjacency.other;
  NodeId to = adjacency.outgoing ? adjacency.other : node;
  if (adjacency.symmetric && from > to) std::swap(from, to);
  return {from, to};
}

// Reads what a query needs from the store, each node and adjacency list once, all from one
// snapshot through one StoreReader.
class Reader {
 public:
  explicit Reader(const storage::Store& store) : store_(store.NewReader()) {}

  StatusOr<const std::vector<Adjacency>*> Adjacent(NodeId node) {
    auto it = adjacency_.find(node);
    if (it == adjacency_.end()) {
      TRAFNET_ASSIGN_OR_RETURN(std::vector<Adjacency> found, store_->Neighbours(node));
      it = adjacency_.emplace(node, std::move(found)).first;
    }
    return &it->second;
  }

  StatusOr<const QueryNode*> Node(NodeId node) {
    auto it = nodes_.find(node);
    if (it == nodes_.end()) {
      TRAFNET_ASSIGN_OR_RETURN(std::optional<storage::NodeRecord> record, store_->GetNode(node));
      if (!record) return NotFoundError("no node " + std::to_string(node) + " in the store");
      TRAFNET_ASSIGN_OR_RETURN(const std::vector<Adjacency>* adjacent, Adjacent(node));
      it = nodes_.emplace(node, Shown(node, std::move(*record), *adjacent)).first;
    }
    return &it->second;
  }

  // Reads the records and adjacency of those of `nodes` not read yet, all at once and in id
  // order: one batched read of the records, then adjacency scans that move forward through
  // out and in (RocksDB skips the index search when a seek lands in the block it is on). A
  // node that does not exist is left for Node to report.
  Status Prefetch(std::vector<NodeId> nodes) {
    std::sort(nodes.begin(), nodes.end());
    nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
    std::erase_if(nodes, [this](NodeId node) { return nodes_.contains(node); });
    if (nodes.empty()) return Status::Ok();
    TRAFNET_ASSIGN_OR_RETURN(std::vector<std::optional<storage::NodeRecord>> records,
                             store_->GetNodes(nodes));
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (!records[i]) continue;
      TRAFNET_ASSIGN_OR_RETURN(const std::vector<Adjacency>* adjacent, Adjacent(nodes[i]));
      nodes_.emplace(nodes[i], Shown(nodes[i], std::move(*records[i]), *adjacent));
    }
    return Status::Ok();
  }

  // The link `adjacency` of `node` names, with its observations.
  StatusOr<const QueryLink*> Link(NodeId node, const Adjacency& adjacency) {
    const auto [from, to] = LinkEnds(node, adjacency);
    const auto key = std::make_tuple(from, adjacency.type, to);
    auto it = links_.find(key);
    if (it == links_.end()) {
      TRAFNET_ASSIGN_OR_RETURN(std::optional<storage::LinkRecord> record,
                               store_->GetLink(from, adjacency.type, to));
      QueryLink link;
      link.from = from;
      link.to = to;
      link.type = adjacency.type;
      link.symmetric = adjacency.symmetric;
      if (record) link.observations = std::move(record->observations);
      it = links_.emplace(key, std::move(link)).first;
    }
    return &it->second;
  }

 private:
  static QueryNode Shown(NodeId node, storage::NodeRecord record,
                         const std::vector<Adjacency>& adjacent) {
    QueryNode out;
    out.node = node;
    out.kind = std::move(record.kind);
    out.id = std::move(record.key);
    out.fields = std::move(record.fields);
    out.sources = std::move(record.sources);
    out.degree = adjacent.size();
    return out;
  }

  std::unique_ptr<storage::StoreReader> store_;
  std::map<NodeId, std::vector<Adjacency>> adjacency_;
  std::map<NodeId, QueryNode> nodes_;
  std::map<std::tuple<NodeId, std::string, NodeId>, QueryLink> links_;
};

bool TypeAllowed(const LinkFilter& filter, std::string_view type) {
  return filter.types.empty() || filter.types.contains(std::string(type));
}

// Whether the link behind `adjacency` may be followed: its type, then (only when a window is
// asked for, since it costs a read) its observations.
StatusOr<bool> Follow(Reader& reader, const LinkFilter& filter, NodeId node,
                      const Adjacency& adjacency) {
  if (!TypeAllowed(filter, adjacency.type)) return false;
  if (filter.since.empty() && filter.until.empty()) return true;
  TRAFNET_ASSIGN_OR_RETURN(const QueryLink* link, reader.Link(node, adjacency));
  return filter.Allows(*link);
}

StatusOr<bool> KindAllowed(Reader& reader, const LinkFilter& filter, NodeId node) {
  if (filter.kinds.empty()) return true;
  TRAFNET_ASSIGN_OR_RETURN(const QueryNode* shown, reader.Node(node));
  return filter.kinds.contains(shown->kind);
}

// The links among `nodes` that the filter allows, in (from, type, to) order.
StatusOr<std::vector<QueryLink>> LinksAmong(Reader& reader, const LinkFilter& filter,
                                            const std::set<NodeId>& nodes) {
  // Each link once, read in key order so the observation seeks move forward.
  std::map<std::tuple<NodeId, NodeId, std::string_view>, std::pair<NodeId, const Adjacency*>> wanted;
  for (NodeId node : nodes) {
    TRAFNET_ASSIGN_OR_RETURN(const std::vector<Adjacency>* adjacent, reader.Adjacent(node));
    for (const Adjacency& a : *adjacent) {
      if (!nodes.contains(a.other) || !TypeAllowed(filter, a.type)) continue;
      const auto [from, to] = LinkEnds(node, a);
      wanted.try_emplace(std::make_tuple(from, to, std::string_view(a.type)), node, &a);
    }
  }
  std::map<std::tuple<NodeId, std::string, NodeId>, QueryLink> found;
  for (const auto& [key, at] : wanted) {
    TRAFNET_ASSIGN_OR_RETURN(const QueryLink* link, reader.Link(at.first, *at.second));
    if (!filter.Allows(*link)) continue;
    found.emplace(std::make_tuple(link->from, link->type, link->to), *link);
  }
  std::vector<QueryLink> out;
  for (auto& [key, link] : found) out.push_back(std::move(link));
  return out;
}

// Breadth-first search from both ends at once, a whole level at a time on the side with the
// smaller frontier. Hubs other than the ends are reached but not expanded.
class PathSearch {
 public:
  PathSearch(Reader& reader, const PathRequest& request) : reader_(reader), request_(request) {}

  // The shortest path from s to t avoiding `banned` nodes and `cut` node pairs, at most
  // `max_hops` links long; empty when there is none.
  StatusOr<std::vector<NodeId>> Shortest(NodeId s, NodeId t, const std::set<NodeId>& banned,
                                         const std::set<std::pair<NodeId, NodeId>>& cut,
                                         int max_hops) {
    if (s == t) return std::vector<NodeId>{s};
    std::map<NodeId, NodeId> parent[2];
    std::map<NodeId, int> depth[2];
    std::vector<NodeId> frontier[2] = {{s}, {t}};
    parent[0][s] = s;
    parent[1][t] = t;
    depth[0][s] = depth[1][t] = 0;
    int reached[2] = {0, 0};
    while (!frontier[0].empty() && !frontier[1].empty() && reached[0] + reached[1] < max_hops) {
      const int side = frontier[0].size() <= frontier[1].size() ? 0 : 1;
      std::vector<NodeId> next;
      NodeId best_meet = 0;
      int best_length = max_hops + 1;
      for (NodeId u : frontier[side]) {
        TRAFNET_ASSIGN_OR_RETURN(const std::vector<Adjacency>* adjacent, reader_.Adjacent(u));
        for (const Adjacency& a : *adjacent) {
          const NodeId v = a.other;
          if (banned.contains(v) || parent[side].contains(v)) continue;
          if (cut.contains({std::min(u, v), std::max(u, v)})) continue;
          TRAFNET_ASSIGN_OR_RETURN(bool follow, Follow(reader_, request_.filter, u, a));
          if (!follow) continue;
          if (v != s && v != t) {
            // A hub (a taxi number, a hostel) on a path says nothing: paths avoid them.
            TRAFNET_ASSIGN_OR_RETURN(const QueryNode* shown, reader_.Node(v));
            if (shown->degree > request_.hub_degree) continue;
          }
          parent[side][v] = u;
          depth[side][v] = reached[side] + 1;
          next.push_back(v);
          auto other = depth[1 - side].find(v);
          if (other != depth[1 - side].end()) {
            const int length = reached[side] + 1 + other->second;
            if (length < best_length) {
              best_length = length;
              best_meet = v;
            }
          }
        }
      }
      ++reached[side];
      if (best_length <= max_hops) {
        std::vector<NodeId> path;
        for (NodeId x = best_meet; x != s; x = parent[0].at(x)) path.push_back(x);
        path.push_back(s);
        std::reverse(path.begin(), path.end());
        for (NodeId x = best_meet; x != t;) {
          x = parent[1].at(x);
          path.push_back(x);
        }
        return path;
      }
      frontier[side] = std::move(next);
    }
    return std::vector<NodeId>{};
  }

  // Yen's k shortest loopless paths (Yen 1971), each spur found by Shortest.
  StatusOr<std::vector<std::vector<NodeId>>> KShortest(NodeId s, NodeId t, int k) {
    std::vector<std::vector<NodeId>> found;
    TRAFNET_ASSIGN_OR_RETURN(std::vector<NodeId> first, Shortest(s, t, {}, {}, request_.max_hops));
    if (first.empty()) return found;
    found.push_back(std::move(first));
    // Candidates by length, then node sequence: a stable order for ties.
    std::set<std::pair<size_t, std::vector<NodeId>>> candidates;
    while (static_cast<int>(found.size()) < k) {
      const std::vector<NodeId> previous = found.back();
      for (size_t i = 0; i + 1 < previous.size(); ++i) {
        const std::vector<NodeId> root(previous.begin(), previous.begin() + i + 1);
        std::set<std::pair<NodeId, NodeId>> cut;
        for (const std::vector<NodeId>& path : found) {
          if (path.size() > i + 1 && std::equal(root.begin(), root.end(), path.begin()))
            cut.insert({std::min(path[i], path[i + 1]), std::max(path[i], path[i + 1])});
        }
        const std::set<NodeId> banned(root.begin(), root.end() - 1);
        const int budget = request_.max_hops - static_cast<int>(i);
        TRAFNET_ASSIGN_OR_RETURN(std::vector<NodeId> spur,
                                 Shortest(root.back(), t, banned, cut, budget));
        if (spur.empty()) continue;
        std::vector<NodeId> path = root;
        path.insert(path.end(), spur.begin() + 1, spur.end());
        if (std::find(found.begin(), found.end(), path) == found.end())
          candidates.emplace(path.size(), std::move(path));
      }
      if (candidates.empty()) break;
      found.push_back(candidates.begin()->second);
      candidates.erase(candidates.begin());
    }
    return found;
  }

 private:
  Reader& reader_;
  const PathRequest& request_;
};

// The nodes of `distance` with their distance set, nearest first, then by node id.
StatusOr<std::vector<QueryNode>> NodesByDistance(Reader& reader,
                                                 const std::map<NodeId, int>& distance) {
  std::vector<QueryNode> out;
  for (const auto& [node, d] : distance) {  // in node id order
    TRAFNET_ASSIGN_OR_RETURN(const QueryNode* n, reader.Node(node));
    out.push_back(*n);
    out.back().hops = d;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const QueryNode& a, const QueryNode& b) { return a.hops < b.hops; });
  return out;
}

int KindRank(std::string_view kind) {
  return kind == storage::kPhoneKind ? 0 : kind == storage::kAddressKind ? 1 : kind == storage::kPersonKind ? 2 : 3;
}

}  // namespace

const QueryNode* Subgraph::Find(storage::NodeId node) const {
  for (const QueryNode& n : nodes) {
    if (n.node == node) return &n;
  }
  return nullptr;
}

Status LinkFilter::Check() const {
  for (const auto& [name, value] : {std::pair{"since", &since}, std::pair{"until", &until}}) {
    if (value->empty()) continue;
    const std::string_view day = Day(*value);
    bool ok = day.size() == 10 && day[4] == '-' && day[7] == '-';
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) ok = ok && day[i] >= '0' && day[i] <= '9';
    if (!ok) return InvalidArgumentError(std::string(name) + ": '" + *value + "' is not a date (YYYY-MM-DD)");
  }
  return Status::Ok();
}

bool LinkFilter::Allows(const QueryLink& link) const {
  if (!types.empty() && !types.contains(link.type)) return false;
  if (since.empty() && until.empty()) return true;
  // An undated observation cannot be placed in a window, so it does not count as inside one.
  for (const storage::Observation& o : link.observations) {
    const std::string_view from = Day(o.start.empty() ? o.end : o.start);
    const std::string_view to = Day(o.end.empty() ? o.start : o.end);
    if (from.empty()) continue;
    if (!since.empty() && to < Day(since)) continue;
    if (!until.empty() && from > Day(until)) continue;
    return true;
  }
  return false;
}

StatusOr<storage::NodeId> ResolveRef(const storage::Store& store, std::string_view ref,
                                     const std::string& region) {
  auto phone = [&](std::string_view text) -> StatusOr<std::optional<NodeId>> {
    const storage::PhoneNormalizer normalizer(region, 0);
    auto normalized = normalizer.Normalize(text);
    if (!normalized.ok()) return std::optional<NodeId>();
    return store.FindNode(storage::kPhoneKind, normalized->key);
  };
  const size_t colon = ref.find(':');
  if (colon != std::string_view::npos && storage::IsValidNodeKind(ref.substr(0, colon))) {
    const std::string_view kind = ref.substr(0, colon), key = ref.substr(colon + 1);
    std::optional<NodeId> found;
    if (kind == storage::kPhoneKind) {
      TRAFNET_ASSIGN_OR_RETURN(found, phone(key));
    } else {
      TRAFNET_ASSIGN_OR_RETURN(found, store.FindNode(kind, key));
    }
    if (found) return *found;
    if (kind == storage::kPhoneKind || kind == storage::kPersonKind ||
        kind == storage::kAddressKind) {
      return NotFoundError(fmt::format("no {} '{}' in the store", kind, key));
    }
  }
  for (std::string_view kind : {storage::kPersonKind, storage::kAddressKind}) {
    TRAFNET_ASSIGN_OR_RETURN(std::optional<NodeId> found, store.FindNode(kind, ref));
    if (found) return *found;
  }
  TRAFNET_ASSIGN_OR_RETURN(std::optional<NodeId> found, phone(ref));
  if (found) return *found;
  return NotFoundError(fmt::format("no person, address or phone '{}' in the store", ref));
}

StatusOr<std::vector<LookupMatch>> Lookup(const storage::Store& store,
                                          const LookupRequest& request) {
  const int given = !request.phone.empty() + !request.name.empty() + !request.address.empty() +
                    !request.id.empty();
  if (given != 1) return InvalidArgumentError("look up exactly one of a phone, a name, an address or an id");
  Reader reader(store);
  std::vector<LookupMatch> out;
  auto add = [&](NodeId node, double score, std::string matched) -> Status {
    for (const LookupMatch& m : out) {
      if (m.node.node == node) return Status::Ok();
    }
    TRAFNET_ASSIGN_OR_RETURN(const QueryNode* shown, reader.Node(node));
    out.push_back(LookupMatch{*shown, score, std::move(matched)});
    return Status::Ok();
  };
  if (!request.id.empty()) {
    auto node = ResolveRef(store, request.id, request.region);
    if (!node.ok()) {
      if (node.status().code() == StatusCode::kNotFound) return out;
      return node.status();
    }
    TRAFNET_RETURN_IF_ERROR(add(*node, 1.0, request.id));
  } else if (!request.phone.empty()) {
    const storage::PhoneNormalizer normalizer(request.region, 0);
    auto normalized = normalizer.Normalize(request.phone);
    if (!normalized.ok()) {
      return InvalidArgumentError(
          fmt::format("phone '{}': {}", request.phone, normalized.status().message()));
    }
    TRAFNET_ASSIGN_OR_RETURN(std::optional<NodeId> node,
                             store.FindNode(storage::kPhoneKind, normalized->key));
    if (node) TRAFNET_RETURN_IF_ERROR(add(*node, 1.0, normalized->key));
  } else if (!request.name.empty()) {
    // Building a keyer (its ICU transliterator) costs about a millisecond: one per thread.
    thread_local storage::NameKeyer keyer;
    const std::string key = keyer.Key(request.name);
    if (key.empty()) return InvalidArgumentError(fmt::format("name '{}' has no letters", request.name));
    TRAFNET_ASSIGN_OR_RETURN(std::vector<NodeId> exact, store.FindByNameKey(key));
    if (exact.size() > request.limit) exact.resize(request.limit);
    TRAFNET_RETURN_IF_ERROR(reader.Prefetch(exact));
    for (NodeId node : exact) {
      if (out.size() >= request.limit) break;
      TRAFNET_RETURN_IF_ERROR(add(node, 1.0, key));
    }
    // Near misses rank after every exact match: none is shown when those fill the answer.
    if (out.size() >= request.limit) return out;
    // Stores written before the name-word index fall back to prefix scans (name_search.h).
    const NameCandidates from =
        store.HasNameWordIndex() ? NameCandidates::kWordIndex : NameCandidates::kPrefixScan;
    TRAFNET_ASSIGN_OR_RETURN(std::vector<NearName> near,
                             FindNearNames(store, key, request.min_score, from));
    std::vector<NodeId> shown;
    for (size_t i = 0; i < near.size() && out.size() + shown.size() < request.limit; ++i)
      shown.push_back(near[i].node);
    TRAFNET_RETURN_IF_ERROR(reader.Prefetch(shown));
    for (NearName& match : near) {
      if (out.size() >= request.limit) break;
      TRAFNET_RETURN_IF_ERROR(add(match.node, match.score, std::move(match.key)));
    }
  } else {
    storage::AddressKeyer keyer;
    const std::string key = keyer.Key(request.address);
    if (key.empty()) return InvalidArgumentError(fmt::format("address '{}' has no letters or digits", request.address));
    TRAFNET_ASSIGN_OR_RETURN(std::vector<NodeId> exact, store.FindByAddressKey(key));
    for (NodeId node : exact) TRAFNET_RETURN_IF_ERROR(add(node, 1.0, key));
    // Keys hold the city after the street: a street and number without it match by prefix,
    // scored by how much of the key they cover.
    TRAFNET_ASSIGN_OR_RETURN(auto longer, store.FindByAddressKeyPrefix(key + " ", request.limit));
    for (auto& [candidate, node] : longer) {
      if (out.size() >= request.limit) break;
      const double score = static_cast<double>(key.size()) / static_cast<double>(candidate.size());
      TRAFNET_RETURN_IF_ERROR(add(node, score, std::move(candidate)));
    }
  }
  if (out.size() > request.limit) out.resize(request.limit);
  return out;
}

StatusOr<Subgraph> Neighbourhood(const storage::Store& store, const NeighbourhoodRequest& request) {
  if (request.hops < 0) return InvalidArgumentError("hops must be at least 0");
  if (request.limit < 1) return InvalidArgumentError("the node limit must be at least 1");
  TRAFNET_RETURN_IF_ERROR(request.filter.Check());
  Reader reader(store);
  Subgraph out;
  std::map<NodeId, int> hops{{request.start, 0}};
  auto is_hub = [&](const QueryNode& node) {
    return !request.expand_hubs && node.degree > request.hub_degree;
  };
  // Breadth-first, a level at a time: each level's records and adjacency are read together
  // (Reader::Prefetch), then its nodes are expanded in the order they were reached.
  std::vector<NodeId> level{request.start};
  TRAFNET_RETURN_IF_ERROR(reader.Prefetch(level));
  TRAFNET_RETURN_IF_ERROR(reader.Node(request.start).status());
  for (int d = 0; d < request.hops && !level.empty(); ++d) {
    std::vector<NodeId> next;
    for (const NodeId u : level) {
      TRAFNET_ASSIGN_OR_RETURN(const QueryNode* shown, reader.Node(u));
      if (u != request.start && is_hub(*shown)) continue;  // shown, not expanded
      TRAFNET_ASSIGN_OR_RETURN(const std::vector<Adjacency>* adjacent, reader.Adjacent(u));
      for (const Adjacency& a : *adjacent) {
        if (hops.contains(a.other)) continue;
        TRAFNET_ASSIGN_OR_RETURN(bool follow, Follow(reader, request.filter, u, a));
        if (!follow) continue;
        TRAFNET_ASSIGN_OR_RETURN(bool kind, KindAllowed(reader, request.filter, a.other));
        if (!kind) continue;
        if (hops.size() >= request.limit) {
          out.truncated = true;
          break;
        }
        hops[a.other] = d + 1;
        next.push_back(a.other);
      }
    }
    // The next level: expanded in the next round, or only shown (with its degree) after the
    // last.
    TRAFNET_RETURN_IF_ERROR(reader.Prefetch(next));
    level = std::move(next);
  }
  TRAFNET_ASSIGN_OR_RETURN(out.nodes, NodesByDistance(reader, hops));
  // Hubs at the edge, which were never up for expanding, are marked all the same.
  for (QueryNode& node : out.nodes) node.collapsed = node.node != request.start && is_hub(node);
  std::set<NodeId> shown;
  for (const auto& [node, d] : hops) shown.insert(node);
  TRAFNET_ASSIGN_OR_RETURN(out.links, LinksAmong(reader, request.filter, shown));
  return out;
}

StatusOr<PathResult> Paths(const storage::Store& store, const PathRequest& request) {
  if (request.nodes.size() < 2) return InvalidArgumentError("a path needs at least two nodes");
  if (request.max_hops < 1) return InvalidArgumentError("max hops must be at least 1");
  if (request.k < 1) return InvalidArgumentError("k must be at least 1");
  TRAFNET_RETURN_IF_ERROR(request.filter.Check());
  Reader reader(store);
  for (NodeId node : request.nodes) TRAFNET_RETURN_IF_ERROR(reader.Node(node).status());
  PathSearch search(reader, request);
  PathResult out;
  if (request.nodes.size() == 2) {
    TRAFNET_ASSIGN_OR_RETURN(out.paths,
                             search.KShortest(request.nodes[0], request.nodes[1], request.k));
  } else {
    for (size_t i = 0; i < request.nodes.size(); ++i) {
      for (size_t j = i + 1; j < request.nodes.size(); ++j) {
        TRAFNET_ASSIGN_OR_RETURN(std::vector<NodeId> path,
                                 search.Shortest(request.nodes[i], request.nodes[j], {}, {},
                                                 request.max_hops));
        if (!path.empty()) out.paths.push_back(std::move(path));
      }
    }
    const std::set<NodeId> queried(request.nodes.begin(), request.nodes.end());
    std::map<NodeId, int> on_paths;
    for (const std::vector<NodeId>& path : out.paths) {
      for (NodeId node : path) {
        if (!queried.contains(node)) ++on_paths[node];
      }
    }
    out.go_betweens.assign(on_paths.begin(), on_paths.end());
    std::stable_sort(out.go_betweens.begin(), out.go_betweens.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  }
  // The subgraph: the paths' nodes and the links between consecutive ones.
  std::map<NodeId, int> distance;
  std::set<std::pair<NodeId, NodeId>> steps;
  for (NodeId node : request.nodes) distance[node] = 0;
  for (const std::vector<NodeId>& path : out.paths) {
    for (size_t i = 0; i < path.size(); ++i) {
      const int d = static_cast<int>(std::min(i, path.size() - 1 - i));
      auto [it, inserted] = distance.emplace(path[i], d);
      if (!inserted) it->second = std::min(it->second, d);
      if (i + 1 < path.size())
        steps.insert({std::min(path[i], path[i + 1]), std::max(path[i], path[i + 1])});
    }
  }
  TRAFNET_ASSIGN_OR_RETURN(out.subgraph.nodes, NodesByDistance(reader, distance));
  std::map<std::tuple<NodeId, std::string, NodeId>, QueryLink> links;
  for (const auto& [u, v] : steps) {
    TRAFNET_ASSIGN_OR_RETURN(const std::vector<Adjacency>* adjacent, reader.Adjacent(u));
    for (const Adjacency& a : *adjacent) {
      if (a.other != v || !TypeAllowed(request.filter, a.type)) continue;
      TRAFNET_ASSIGN_OR_RETURN(const QueryLink* link, reader.Link(u, a));
      if (request.filter.Allows(*link))
        links.emplace(std::make_tuple(link->from, link->type, link->to), *link);
    }
  }
  for (auto& [key, link] : links) out.subgraph.links.push_back(std::move(link));
  return out;
}

StatusOr<std::vector<SharedItem>> Shared(const storage::Store& store,
                                         const std::vector<storage::NodeId>& nodes) {
  if (nodes.size() < 2) return InvalidArgumentError("shared needs at least two nodes");
  Reader reader(store);
  const std::set<NodeId> queried(nodes.begin(), nodes.end());
  std::map<NodeId, SharedItem> items;
  for (NodeId holder : queried) {
    TRAFNET_ASSIGN_OR_RETURN(const QueryNode* holder_node, reader.Node(holder));
    TRAFNET_ASSIGN_OR_RETURN(const std::vector<Adjacency>* adjacent, reader.Adjacent(holder));
    for (const Adjacency& a : *adjacent) {
      if (queried.contains(a.other)) continue;
      SharedItem& item = items[a.other];
      if (item.holders.empty() || item.holders.back().node != holder)
        item.holders.push_back(*holder_node);
      TRAFNET_ASSIGN_OR_RETURN(const QueryLink* link, reader.Link(holder, a));
      item.links.push_back(*link);
    }
  }
  std::vector<SharedItem> out;
  for (auto& [node, item] : items) {
    if (item.holders.size() < 2) continue;
    TRAFNET_ASSIGN_OR_RETURN(const QueryNode* shown, reader.Node(node));
    item.node = *shown;
    out.push_back(std::move(item));
  }
  std::stable_sort(out.begin(), out.end(), [](const SharedItem& a, const SharedItem& b) {
    if (KindRank(a.node.kind) != KindRank(b.node.kind)) return KindRank(a.node.kind) < KindRank(b.node.kind);
    if (a.holders.size() != b.holders.size()) return a.holders.size() > b.holders.size();
    return a.node.id < b.node.id;
  });
  return out;
}

StatusOr<NodeTimeline> Timeline(const storage::Store& store, storage::NodeId node) {
  Reader reader(store);
  TRAFNET_ASSIGN_OR_RETURN(const QueryNode* self, reader.Node(node));
  TRAFNET_ASSIGN_OR_RETURN(const std::vector<Adjacency>* adjacent, reader.Adjacent(node));
  std::vector<TimelineEvent> out;
  for (const Adjacency& a : *adjacent) {
    TRAFNET_ASSIGN_OR_RETURN(const QueryLink* link, reader.Link(node, a));
    TRAFNET_ASSIGN_OR_RETURN(const QueryNode* other, reader.Node(a.other));
    for (const storage::Observation& o : link->observations) {
      TimelineEvent event;
      event.start = o.start;
      event.end = o.end;
      event.type = link->type;
      event.outgoing = link->from == node;
      event.other = *other;
      event.observation = o;
      out.push_back(std::move(event));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const TimelineEvent& a, const TimelineEvent& b) {
    const std::string_view sa = a.start.empty() ? a.end : a.start;
    const std::string_view sb = b.start.empty() ? b.end : b.start;
    if (sa.empty() != sb.empty()) return sb.empty();  // undated last
    if (sa != sb) return sa < sb;
    if (a.type != b.type) return a.type < b.type;
    return a.other.id < b.other.id;
  });
  return NodeTimeline{*self, std::move(out)};
}

}  // namespace trafnet::engine
