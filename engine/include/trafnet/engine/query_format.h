// Query answers as text: a table for a terminal, JSON (docs/queries.md), and for subgraphs
// Cytoscape.js JSON, GraphML and Graphviz DOT.
//
// In every format a node is named by its reference "kind:id" (ids are unique per kind only), its
// `id` is the id as ingested (E.164 for a valid phone), and a link lists every observation.
#ifndef TRAFNET_ENGINE_QUERY_FORMAT_H_
#define TRAFNET_ENGINE_QUERY_FORMAT_H_

#include <string>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/engine/query.h"

namespace trafnet::engine {

enum class QueryFormat { kTable, kJson, kCytoscape, kGraphml, kDot };

// "table", "json", "cytoscape", "graphml", "dot".
StatusOr<QueryFormat> ParseQueryFormat(std::string_view name);

// JSON: {"nodes":[…],"links":[…],"truncated":…}; Cytoscape: {"elements":{"nodes":[{"data":…}],
// "edges":[…]}}. Every format ends with a newline.
std::string FormatSubgraph(const Subgraph& graph, QueryFormat format);
// Table or JSON only.
std::string FormatLookup(const std::vector<LookupMatch>& matches, QueryFormat format);
std::string FormatPaths(const PathResult& result, QueryFormat format);
std::string FormatShared(const std::vector<SharedItem>& items, QueryFormat format);
std::string FormatTimeline(const QueryNode& node, const std::vector<TimelineEvent>& events,
                           QueryFormat format);

// "person:P1": a node's reference.
std::string NodeRef(const QueryNode& node);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_QUERY_FORMAT_H_
