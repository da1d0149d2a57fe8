#include "trafnet/engine/projection.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "case_data.h"
#include "co_residents.h"
#include "person_ties.h"
#include "simple_graph.h"

namespace trafnet::engine {

namespace {

using algorithms::Vertex;
using storage::NodeId;

constexpr Vertex kNone = std::numeric_limits<Vertex>::max();

// Which link types a projection uses, by type id.
std::vector<bool> TypeFilter(const storage::Store& store, const std::vector<std::string>& wanted) {
  std::vector<std::string> names = store.LinkTypeNames();
  std::vector<bool> keep(names.size(), wanted.empty());
  for (size_t id = 0; id < names.size(); ++id) {
    if (std::find(wanted.begin(), wanted.end(), names[id]) != wanted.end()) keep[id] = true;
  }
  return keep;
}

// Vertices in node id order, with the map from node id (dense in the store) to vertex.
struct VertexMap {
  std::vector<Vertex> vertex_of;  // indexed by node id; kNone when not a vertex
  Projection* projection;
  // Every vertex so far is the node of the same number (every node up to the last one added
  // is a vertex, as in the full graph without a kind filter): then Of needs no read of
  // vertex_of, a random access per link end that costs a full scan more than anything else.
  bool identity = true;

  Vertex Add(NodeId node, std::string_view kind, std::string_view key, std::string_view status) {
    if (node >= vertex_of.size()) vertex_of.resize(std::max<size_t>(node + 1, vertex_of.size() * 2), kNone);
    auto v = static_cast<Vertex>(projection->node.size());
    identity &= node == v;
    vertex_of[node] = v;
    projection->node.push_back(node);
    projection->kind.push_back(kind);
    projection->id.push_back(key);
    projection->status.push_back(status);
    return v;
  }
  Vertex Of(NodeId node) const {
    if (identity) return node < projection->node.size() ? static_cast<Vertex>(node) : kNone;
    return node < vertex_of.size() ? vertex_of[node] : kNone;
  }
  // Room for `vertices` vertices among `nodes` node ids, known from the store's counts: the
  // vectors then never move while the scan fills them.
  void Reserve(uint64_t nodes, uint64_t vertices) {
    vertex_of.resize(nodes, kNone);
    projection->node.reserve(vertices);
    projection->kind.reserve(vertices);
    projection->id.reserve(vertices, 16 * vertices);  // (ids are mostly shorter)
    projection->status.reserve(vertices);
  }
};

std::string Describe(const ProjectionOptions& options) {
  std::string text = options.kind == GraphKind::kFull ? "full" : "persons";
  text += options.directed ? ", directed" : ", undirected";
  text += options.weighted ? ", weighted by count" : ", unweighted";
  if (!options.node_kinds.empty()) text += ", kinds " + fmt::format("{}", fmt::join(options.node_kinds, ","));
  if (!options.link_types.empty()) text += ", types " + fmt::format("{}", fmt::join(options.link_types, ","));
  if (!options.window.since.empty()) text += ", since " + options.window.since;
  if (!options.window.until.empty()) text += ", until " + options.window.until;
  if (options.kind == GraphKind::kPersons) text += fmt::format(", shared identifiers cut above {} persons", options.shared_cap);
  if (options.kind == GraphKind::kPersons &&
      options.call_hub_cap != ProjectionOptions().call_hub_cap) {
    text += fmt::format(", no call ties through numbers in touch with more than {} phones",
                        options.call_hub_cap);
  }
  return text;
}

// The vectors of the scan's parts joined in part order (which is the store's key order),
// emptying them.
template <typename T>
std::vector<T> Concatenate(std::vector<std::vector<T>>& parts) {
  size_t total = 0;
  for (const auto& part : parts) total += part.size();
  std::vector<T> joined;
  joined.reserve(total);
  for (auto& part : parts) {
    joined.insert(joined.end(), part.begin(), part.end());
    part = std::vector<T>();
  }
  return joined;
}
template <typename Part, typename T>
std::vector<T> Concatenate(std::vector<Part>& parts, std::vector<T> Part::*member) {
  std::vector<std::vector<T>> lists;
  for (Part& part : parts) lists.push_back(std::move(part.*member));
  return Concatenate(lists);
}

StatusOr<Projection> BuildFull(const storage::Store& store, const ProjectionOptions& options) {
  Projection projection;
  VertexMap map{{}, &projection};
  std::vector<bool> keep_type = TypeFilter(store, options.link_types);
  std::unordered_set<std::string> kinds(options.node_kinds.begin(), options.node_kinds.end());
  storage::LinkScanOptions scan = options.window;
  scan.node_fields = {"status"};
  const storage::StoreCounts counts = store.counts();
  uint64_t vertices = 0;
  for (const auto& [kind, n] : counts.nodes_by_kind) {
    if (kinds.empty() || kinds.contains(kind)) vertices += n;
  }
  map.Reserve(counts.nodes, vertices);
  std::vector<std::vector<WeightedEdge>> part_edges(options.threads);
  TRAFNET_RETURN_IF_ERROR(store.ScanGraphInParts(
      scan, options.threads,
      [&](NodeId node, std::string_view kind, std::string_view key,
          const std::vector<std::string_view>& fields) {
        if (kinds.empty() || kinds.contains(std::string(kind))) map.Add(node, kind, key, fields[0]);
      },
      [&](unsigned part, const storage::LinkSummary& link) {
        if (link.type >= keep_type.size() || !keep_type[link.type]) return;
        Vertex from = map.Of(link.from), to = map.Of(link.to);
        if (from == kNone || to == kNone) return;
        auto weight = static_cast<double>(link.count);
        std::vector<WeightedEdge>& edges = part_edges[part];
        edges.push_back(WeightedEdge{from, to, weight});
        if (options.directed && link.symmetric) edges.push_back(WeightedEdge{to, from, weight});
      }));
  if (projection.node.size() >= kNone) return InvalidArgumentError("too many nodes for a 32-bit graph");
  projection.graph = BuildSimpleGraph(static_cast<Vertex>(projection.node.size()), part_edges,
                                      options.directed, options.weighted, options.threads);
  return projection;
}

// A link to an address as a stay in days; undated when it has neither start nor end.
Stay StayOf(const storage::LinkSummary& link, bool residence) {
  if (link.first_start.empty() && link.last_end.empty()) return Stay{};
  const detect::Day from = detect::ParseDay(link.first_start.empty() ? link.last_end : link.first_start);
  const detect::Day to = detect::ParseDay(link.last_end.empty() ? link.first_start : link.last_end);
  if (from == detect::kNoDay || to == detect::kNoDay) return Stay{};
  return residence ? OpenResidence(Stay{from, to}, link.open_start, link.open_end) : Stay{from, to};
}

StatusOr<Projection> BuildPersons(const storage::Store& store, const ProjectionOptions& options) {
  Projection projection;
  VertexMap map{{}, &projection};
  std::vector<bool> keep_type = TypeFilter(store, options.link_types);
  // Residences are open-ended where the records leave them open (co_residents.h).
  const std::vector<std::string> type_names = store.LinkTypeNames();
  const auto lives_at = static_cast<uint16_t>(
      std::find(type_names.begin(), type_names.end(), "LIVES_AT") - type_names.begin());
  std::vector<char> kind_of;  // by node id: 'p'erson, 'h'one, 'a'ddress, other 0
  {
    const storage::StoreCounts counts = store.counts();
    const auto persons = counts.nodes_by_kind.find(std::string(storage::kPersonKind));
    map.Reserve(counts.nodes, persons == counts.nodes_by_kind.end() ? 0 : persons->second);
    kind_of.resize(counts.nodes, 0);
  }
  // What the links give, collected per part of the scan and then joined in the scan's order.
  struct Part {
    std::vector<WeightedEdge> edges;
    std::vector<IdentifierUse> phone_uses, address_uses;
    std::vector<PhoneCall> calls;
  };
  std::vector<Part> parts(options.threads);
  storage::LinkScanOptions scan = options.window;
  scan.node_fields = {"status"};
  const PersonTieWeights& ties = options.ties;
  auto link_weight = [&](const storage::LinkSummary& link) {
    return options.weighted ? static_cast<double>(link.count) : 1.0;
  };
  TRAFNET_RETURN_IF_ERROR(store.ScanGraphInParts(
      scan, options.threads,
      [&](NodeId node, std::string_view kind, std::string_view key,
          const std::vector<std::string_view>& fields) {
        if (node >= kind_of.size())
          kind_of.resize(std::max<size_t>(node + 1, kind_of.size() * 2), 0);
        if (kind == storage::kPersonKind) {
          kind_of[node] = 'p';
          map.Add(node, kind, key, fields[0]);
        } else if (kind == storage::kPhoneKind) {
          kind_of[node] = 'h';
        } else if (kind == storage::kAddressKind) {
          kind_of[node] = 'a';
        }
      },
      [&](unsigned part, const storage::LinkSummary& link) {
        if (link.type >= keep_type.size() || !keep_type[link.type]) return;
        auto& [edges, phone_uses, address_uses, calls] = parts[part];
        char a = link.from < kind_of.size() ? kind_of[link.from] : 0;
        char b = link.to < kind_of.size() ? kind_of[link.to] : 0;
        if (a == 'p' && b == 'p') {
          double w = ties.direct * link_weight(link);
          edges.push_back(WeightedEdge{map.Of(link.from), map.Of(link.to), w});
          if (options.directed && link.symmetric)
            edges.push_back(WeightedEdge{map.Of(link.to), map.Of(link.from), w});
        } else if ((a == 'p' && b == 'h') || (a == 'h' && b == 'p')) {
          // Using a phone, like living somewhere, is a state (co_residents.h).
          phone_uses.push_back(IdentifierUse{a == 'h' ? link.from : link.to,
                                             map.Of(a == 'p' ? link.from : link.to),
                                             StayOf(link, /*residence=*/true)});
        } else if ((a == 'p' && b == 'a') || (a == 'a' && b == 'p')) {
          address_uses.push_back(IdentifierUse{a == 'a' ? link.from : link.to,
                                               map.Of(a == 'p' ? link.from : link.to),
                                               StayOf(link, link.type == lives_at)});
        } else if (a == 'h' && b == 'h') {
          calls.push_back(
              PhoneCall{link.from, link.to, link_weight(link), StayOf(link, /*residence=*/false)});
        }
      }));
  if (projection.node.size() >= kNone) return InvalidArgumentError("too many persons for a 32-bit graph");
  // The links' edges part by part, then the ties of shared identifiers and calls.
  std::vector<std::vector<WeightedEdge>> edges;
  for (Part& part : parts) edges.push_back(std::move(part.edges));
  std::vector<IdentifierUse> phone_uses = Concatenate(parts, &Part::phone_uses);
  std::vector<IdentifierUse> address_uses = Concatenate(parts, &Part::address_uses);
  const std::vector<PhoneCall> calls = Concatenate(parts, &Part::calls);
  parts.clear();
  // Shared phones and addresses tie their users of the same time, calls the phones' users of
  // theirs (person_ties.h). In a directed graph a call keeps its direction and the ties of a
  // shared identifier go both ways.
  PersonTieRule rule;
  rule.cap = options.shared_cap;
  rule.call_hub_cap = options.call_hub_cap;
  rule.shared_phone = ties.shared_phone;
  rule.shared_address = ties.shared_address;
  rule.call = ties.call;
  std::vector<std::vector<WeightedEdge>> tie_pieces(kTiePieces);
  ForEachIdentifierTie(phone_uses, address_uses, calls, rule, options.threads,
                       [&](size_t piece, Vertex u, Vertex v, double w, TieKind kind) {
                         tie_pieces[piece].push_back(WeightedEdge{u, v, w});
                         if (options.directed && kind != TieKind::kCall)
                           tie_pieces[piece].push_back(WeightedEdge{v, u, w});
                       });
  edges.push_back(Concatenate(tie_pieces));
  projection.graph = BuildSimpleGraph(static_cast<Vertex>(projection.node.size()), edges,
                                      options.directed, options.weighted, options.threads);
  return projection;
}

}  // namespace

StatusOr<Projection> BuildProjection(const storage::Store& store, const ProjectionOptions& options) {
  if (options.kind == GraphKind::kPersons && !options.node_kinds.empty()) {
    return InvalidArgumentError("node kinds cannot be chosen for the persons graph: it holds persons only");
  }
  if (options.threads < 1) return InvalidArgumentError("a projection needs at least one thread");
  if (options.kind == GraphKind::kPersons && options.shared_cap < 2) {
    return InvalidArgumentError("the shared-identifier cap must be at least 2");
  }
  if (options.kind == GraphKind::kPersons && options.call_hub_cap < 1) {
    return InvalidArgumentError("the call-hub cap must be at least 1");
  }
  auto projection = options.kind == GraphKind::kFull ? BuildFull(store, options) : BuildPersons(store, options);
  if (projection.ok()) projection->description = Describe(options);
  return projection;
}

}  // namespace trafnet::engine
