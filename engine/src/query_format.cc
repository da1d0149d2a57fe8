#include "trafnet/engine/query_format.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "trafnet/engine/export.h"

namespace trafnet::engine {

namespace {

using Json = nlohmann::ordered_json;

// What a table shows for a node: a person's name, an address's text, a phone's number.
std::string Label(const QueryNode& node) {
  if (node.masked) return "(victim, masked)";
  for (std::string_view field : {"name", "text"}) {
    std::string_view value = storage::FieldValue(node.fields, field);
    if (!value.empty()) return std::string(value);
  }
  return node.id;
}

Json NodeJson(const QueryNode& node) {
  Json attributes = Json::object();
  for (const auto& [name, value] : node.fields) attributes[name] = value;
  Json out{{"ref", NodeRef(node)}, {"id", node.id},          {"kind", node.kind},
              {"attributes", attributes}, {"sources", node.sources}, {"degree", node.degree},
              {"collapsed", node.collapsed}, {"hops", node.hops}};
  if (node.masked) out["masked"] = true;
  return out;
}

Json ObservationJson(const storage::Observation& o) {
  Json extra = Json::object();
  for (const auto& [name, value] : o.extra) extra[name] = value;
  Json out{{"source", o.source}, {"start", o.start}, {"end", o.end}, {"count", o.count}};
  if (!o.extra.empty()) out["extra"] = extra;
  return out;
}

// Node references by store node, for the links' ends.
std::map<storage::NodeId, const QueryNode*> ByNode(const Subgraph& graph) {
  std::map<storage::NodeId, const QueryNode*> out;
  for (const QueryNode& node : graph.nodes) out[node.node] = &node;
  return out;
}

Json LinkJson(const QueryLink& link, const std::map<storage::NodeId, const QueryNode*>& nodes) {
  Json observations = Json::array();
  for (const storage::Observation& o : link.observations) observations.push_back(ObservationJson(o));
  const QueryNode* from = nodes.at(link.from);
  const QueryNode* to = nodes.at(link.to);
  return Json{{"from", from->id},    {"from_ref", NodeRef(*from)}, {"to", to->id},
              {"to_ref", NodeRef(*to)}, {"type", link.type},       {"symmetric", link.symmetric},
              {"observations", observations}};
}

Json SubgraphJson(const Subgraph& graph) {
  const auto nodes = ByNode(graph);
  Json out{{"nodes", Json::array()}, {"links", Json::array()}, {"truncated", graph.truncated}};
  for (const QueryNode& node : graph.nodes) out["nodes"].push_back(NodeJson(node));
  for (const QueryLink& link : graph.links) out["links"].push_back(LinkJson(link, nodes));
  return out;
}

// "2024-01-01..2024-06-30 ×3 MUP; …": a link's observations in one cell.
std::string When(const std::vector<storage::Observation>& observations) {
  std::string out;
  for (const storage::Observation& o : observations) {
    if (!out.empty()) out += "; ";
    out += o.start.empty() && o.end.empty() ? "undated" : o.start + ".." + o.end;
    if (o.count != 1) out += fmt::format(" x{}", o.count);
    out += " " + o.source;
  }
  return out;
}

std::string Dump(const Json& json) { return json.dump(2) + "\n"; }

}  // namespace

std::string NodeRef(const QueryNode& node) { return node.kind + ":" + node.id; }

StatusOr<QueryFormat> ParseQueryFormat(std::string_view name) {
  if (name == "table") return QueryFormat::kTable;
  if (name == "json") return QueryFormat::kJson;
  if (name == "cytoscape") return QueryFormat::kCytoscape;
  if (name == "graphml") return QueryFormat::kGraphml;
  if (name == "dot") return QueryFormat::kDot;
  return InvalidArgumentError(fmt::format(
      "unknown format '{}': use table, json, cytoscape, graphml or dot", name));
}

std::string FormatSubgraph(const Subgraph& graph, QueryFormat format) {
  const auto nodes = ByNode(graph);
  switch (format) {
    case QueryFormat::kJson:
      return Dump(SubgraphJson(graph));
    case QueryFormat::kCytoscape: {
      Json elements{{"nodes", Json::array()}, {"edges", Json::array()}};
      for (const QueryNode& node : graph.nodes) {
        elements["nodes"].push_back(Json{{"data", Json{{"id", NodeRef(node)}, {"label", Label(node)},
                                                       {"kind", node.kind}, {"record", node.id},
                                                       {"degree", node.degree},
                                                       {"collapsed", node.collapsed},
                                                       {"hops", node.hops}}}});
      }
      for (const QueryLink& link : graph.links) {
        const std::string from = NodeRef(*nodes.at(link.from)), to = NodeRef(*nodes.at(link.to));
        elements["edges"].push_back(Json{{"data", Json{{"id", from + " " + link.type + " " + to},
                                                       {"source", from}, {"target", to},
                                                       {"type", link.type},
                                                       {"observations", link.observations.size()},
                                                       {"when", When(link.observations)}}}});
      }
      return Dump(Json{{"elements", elements}});
    }
    case QueryFormat::kGraphml: {
      std::string out =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
          "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
          "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
          "  <key id=\"degree\" for=\"node\" attr.name=\"degree\" attr.type=\"long\"/>\n"
          "  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n"
          "  <key id=\"when\" for=\"edge\" attr.name=\"when\" attr.type=\"string\"/>\n"
          "  <graph id=\"query\" edgedefault=\"directed\">\n";
      for (const QueryNode& node : graph.nodes) {
        out += fmt::format(
            "    <node id=\"{}\"><data key=\"kind\">{}</data><data key=\"label\">{}</data>"
            "<data key=\"degree\">{}</data></node>\n",
            XmlEscape(NodeRef(node)), XmlEscape(node.kind), XmlEscape(Label(node)), node.degree);
      }
      for (const QueryLink& link : graph.links) {
        out += fmt::format(
            "    <edge source=\"{}\" target=\"{}\" directed=\"{}\"><data key=\"type\">{}</data>"
            "<data key=\"when\">{}</data></edge>\n",
            XmlEscape(NodeRef(*nodes.at(link.from))), XmlEscape(NodeRef(*nodes.at(link.to))),
            link.symmetric ? "false" : "true", XmlEscape(link.type),
            XmlEscape(When(link.observations)));
      }
      return out + "  </graph>\n</graphml>\n";
    }
    case QueryFormat::kDot: {
      // Quoted IDs escape only '"' and '\' in DOT.
      auto quote = [](std::string_view text) {
        std::string out = "\"";
        for (char c : text) {
          if (c == '"' || c == '\\') out.push_back('\\');
          out.push_back(c == '\n' ? ' ' : c);
        }
        return out + "\"";
      };
      std::string out = "digraph query {\n";
      for (const QueryNode& node : graph.nodes) {
        const char* shape = node.kind == "person" ? "ellipse" : node.kind == "phone" ? "box" : "house";
        out += fmt::format("  {} [label={}, shape={}{}];\n", quote(NodeRef(node)),
                           quote(Label(node)), shape, node.collapsed ? ", style=dashed" : "");
      }
      for (const QueryLink& link : graph.links) {
        out += fmt::format("  {} -> {} [label={}{}];\n", quote(NodeRef(*nodes.at(link.from))),
                           quote(NodeRef(*nodes.at(link.to))), quote(link.type),
                           link.symmetric ? ", dir=none" : "");
      }
      return out + "}\n";
    }
    case QueryFormat::kTable:
      break;
  }
  std::string out = fmt::format("{} nodes, {} links{}\n", graph.nodes.size(), graph.links.size(),
                                graph.truncated ? " (node limit reached: more exist)" : "");
  for (const QueryNode& node : graph.nodes) {
    out += fmt::format("  {:>2}  {:<30} {:<28} {} links{}\n", node.hops, NodeRef(node),
                       Label(node), node.degree, node.collapsed ? ", hub: not expanded" : "");
  }
  for (const QueryLink& link : graph.links) {
    out += fmt::format("  {} {} {}  {}\n", NodeRef(*nodes.at(link.from)), link.type,
                       NodeRef(*nodes.at(link.to)), When(link.observations));
  }
  return out;
}

std::string FormatLookup(const std::vector<LookupMatch>& matches, QueryFormat format) {
  if (format == QueryFormat::kJson) {
    Json out = Json::array();
    for (const LookupMatch& m : matches) {
      Json node = NodeJson(m.node);
      node["score"] = m.score;
      node["matched"] = m.matched;
      out.push_back(node);
    }
    return Dump(out);
  }
  if (matches.empty()) return "no match\n";
  std::string out;
  for (const LookupMatch& m : matches) {
    out += fmt::format("  {:.3f}  {:<30} {:<28} {} links  ({})\n", m.score, NodeRef(m.node),
                       Label(m.node), m.node.degree, m.matched);
  }
  return out;
}

std::string FormatPaths(const PathResult& result, QueryFormat format) {
  if (format != QueryFormat::kTable && format != QueryFormat::kJson)
    return FormatSubgraph(result.subgraph, format);
  std::map<storage::NodeId, const QueryNode*> nodes = ByNode(result.subgraph);
  if (format == QueryFormat::kJson) {
    Json out = SubgraphJson(result.subgraph);
    Json paths = Json::array();
    for (const auto& path : result.paths) {
      Json refs = Json::array();
      for (storage::NodeId node : path) refs.push_back(NodeRef(*nodes.at(node)));
      paths.push_back(refs);
    }
    Json go_betweens = Json::array();
    for (const auto& [node, count] : result.go_betweens)
      go_betweens.push_back(Json{{"ref", NodeRef(*nodes.at(node))}, {"paths", count}});
    Json ordered{{"paths", paths}, {"go_betweens", go_betweens}};
    ordered.update(out);
    return Dump(ordered);
  }
  if (result.paths.empty()) return "no path within the hop limit\n";
  std::string out;
  for (const auto& path : result.paths) {
    out += fmt::format("  {} hops: ", path.size() - 1);
    for (size_t i = 0; i < path.size(); ++i)
      out += (i ? " - " : "") + NodeRef(*nodes.at(path[i]));
    out += "\n";
  }
  if (!result.go_betweens.empty()) {
    out += "go-betweens:\n";
    for (const auto& [node, count] : result.go_betweens)
      out += fmt::format("  {:<30} {:<28} on {} paths\n", NodeRef(*nodes.at(node)),
                         Label(*nodes.at(node)), count);
  }
  return out;
}

std::string FormatShared(const std::vector<SharedItem>& items, QueryFormat format) {
  if (format == QueryFormat::kJson) {
    Json out = Json::array();
    for (const SharedItem& item : items) {
      Json node = NodeJson(item.node);
      Json links = Json::array();
      for (const QueryLink& link : item.links) {
        Json observations = Json::array();
        for (const storage::Observation& o : link.observations)
          observations.push_back(ObservationJson(o));
        const storage::NodeId end = link.from == item.node.node ? link.to : link.from;
        std::string holder;
        for (const QueryNode& h : item.holders) {
          if (h.node == end) holder = NodeRef(h);
        }
        links.push_back(Json{{"holder", holder}, {"type", link.type}, {"observations", observations}});
      }
      Json holders = Json::array();
      for (const QueryNode& h : item.holders) holders.push_back(NodeRef(h));
      out.push_back(Json{{"shared", node}, {"holders", holders}, {"links", links}});
    }
    return Dump(out);
  }
  if (items.empty()) return "nothing in common\n";
  std::string out;
  for (const SharedItem& item : items) {
    out += fmt::format("  {:<30} {:<28} shared by {}\n", NodeRef(item.node), Label(item.node),
                       item.holders.size());
    for (const QueryLink& link : item.links) {
      const storage::NodeId end = link.from == item.node.node ? link.to : link.from;
      for (const QueryNode& h : item.holders) {
        if (h.node == end)
          out += fmt::format("      {:<26} {:<12} {}\n", NodeRef(h), link.type, When(link.observations));
      }
    }
  }
  return out;
}

std::string FormatTimeline(const QueryNode& node, const std::vector<TimelineEvent>& events,
                           QueryFormat format) {
  if (format == QueryFormat::kJson) {
    Json out{{"node", NodeJson(node)}, {"events", Json::array()}};
    for (const TimelineEvent& e : events) {
      out["events"].push_back(Json{{"start", e.start}, {"end", e.end}, {"type", e.type},
                                   {"direction", e.outgoing ? "out" : "in"},
                                   {"other", NodeRef(e.other)},
                                   {"observation", ObservationJson(e.observation)}});
    }
    return Dump(out);
  }
  std::string out = fmt::format("{} {}: {} events\n", NodeRef(node), Label(node), events.size());
  for (const TimelineEvent& e : events) {
    out += fmt::format("  {:<19} {:<19} {:<14} {} {:<30} {}  {}\n",
                       e.start.empty() ? "-" : e.start, e.end.empty() ? "-" : e.end, e.type,
                       e.outgoing ? "->" : "<-", NodeRef(e.other), Label(e.other),
                       e.observation.source);
  }
  return out;
}

}  // namespace trafnet::engine
