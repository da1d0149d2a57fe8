// Investigators' queries, answered straight from the store: no graph is loaded, every answer is
// a handful of index lookups and adjacency prefix scans (docs/queries.md).
//
// - Lookup: nodes by normalised key — a phone in any format (E.164 through libphonenumber), a
//   name in any script or spelling (the exact name key, then ranked near misses), an address by
//   its folded text, or a record id.
// - Neighbourhood: the k-hop subgraph around a node with every link's observations; hubs (a
//   taxi number with thousands of callers) are shown with their degree but not expanded.
// - Paths: the k shortest distinct paths between two nodes (Yen's algorithm over bidirectional
//   breadth-first searches), and the connecting network of several nodes.
// - Shared: the phones, addresses and people several persons have in common, with when.
// - Timeline: a node's links in time order.
//
// Links are followed in both directions whatever their type; a path's length is its number of
// links. Hubs are never expanded in the middle of a path either: a path through a pizza number
// says nothing.
#ifndef TRAFNET_ENGINE_QUERY_H_
#define TRAFNET_ENGINE_QUERY_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/storage/records.h"
#include "trafnet/storage/store.h"

namespace trafnet::engine {

// A node as a query shows it.
struct QueryNode {
  storage::NodeId node = 0;
  std::string kind;
  std::string id;                // as ingested; E.164 for valid phones
  storage::Fields fields;        // the record's attributes
  std::vector<std::string> sources;
  uint64_t degree = 0;           // its links in the store
  bool collapsed = false;        // a hub: shown, its links not followed
  int hops = 0;                  // distance from the query's start
  bool masked = false;           // a victim's record withheld from who asked (query_privacy.h)
};

// A link with every observation of it (each source's report: interval and count).
struct QueryLink {
  storage::NodeId from = 0, to = 0;  // for symmetric types, from < to
  std::string type;
  bool symmetric = false;
  std::vector<storage::Observation> observations;
};

struct Subgraph {
  std::vector<QueryNode> nodes;  // the start first, then by distance and id
  std::vector<QueryLink> links;  // in (from, type, to) order
  bool truncated = false;        // the node limit was reached
  // The node of `node`'s entry in `nodes`, or nullptr.
  const QueryNode* Find(storage::NodeId node) const;
};

// A reference as investigators type it: "person:P123", "phone:064/123-4567", "address:A12",
// or a bare id tried as a person, an address, then a phone. Unknown → NotFound.
StatusOr<storage::NodeId> ResolveRef(const storage::Store& store, std::string_view ref,
                                     const std::string& region = "RS");

struct LookupRequest {
  std::string phone, name, address, id;  // exactly one
  std::string region = "RS";             // for phones written without a country code
  size_t limit = 20;
  double min_score = 0.85;               // names: Jaro–Winkler on name keys
};

struct LookupMatch {
  QueryNode node;
  double score = 1.0;     // 1 for an exact key match
  std::string matched;    // the key that matched: E.164, name key, address key or id
};

StatusOr<std::vector<LookupMatch>> Lookup(const storage::Store& store,
                                          const LookupRequest& request);

// What links a traversal may follow and show.
struct LinkFilter {
  std::set<std::string> kinds;  // node kinds shown; empty: all (the start is always shown)
  std::set<std::string> types;  // link types followed; empty: all
  std::string since, until;     // ISO dates; a link needs an observation overlapping them
  bool Allows(const QueryLink& link) const;  // type and time window
  // InvalidArgument when since or until is given but is not a date (YYYY-MM-DD, or a datetime
  // starting with one): a window that compares as text would filter silently wrong.
  Status Check() const;
};

struct NeighbourhoodRequest {
  storage::NodeId start = 0;
  int hops = 1;
  LinkFilter filter;
  size_t limit = 500;            // nodes at most
  uint64_t hub_degree = 100;     // nodes with more links are collapsed, unless expand_hubs
  bool expand_hubs = false;
};

StatusOr<Subgraph> Neighbourhood(const storage::Store& store, const NeighbourhoodRequest& request);

struct PathRequest {
  std::vector<storage::NodeId> nodes;  // two for paths; two or more for a connecting network
  int max_hops = 6;
  int k = 1;                           // distinct shortest paths wanted (between two nodes)
  LinkFilter filter;
  uint64_t hub_degree = 100;
};

struct PathResult {
  // Each path as its nodes in order, shortest first (ties in a stable order).
  std::vector<std::vector<storage::NodeId>> paths;
  // The union of the paths' nodes and links.
  Subgraph subgraph;
  // For a connecting network: the go-betweens (nodes inside paths, not the queried ones) with
  // the number of paths they lie on, most first.
  std::vector<std::pair<storage::NodeId, int>> go_betweens;
};

// The k shortest distinct paths between nodes[0] and nodes[1] (none when they are farther than
// max_hops apart); for more nodes, the shortest path between each pair and their union.
StatusOr<PathResult> Paths(const storage::Store& store, const PathRequest& request);

struct SharedItem {
  QueryNode node;                          // what they share
  std::vector<QueryNode> holders;          // which of the queried nodes link to it
  std::vector<QueryLink> links;            // those links, with when
};

// What two or more nodes have in common: the nodes at least two of them link to, the phones
// and addresses first.
StatusOr<std::vector<SharedItem>> Shared(const storage::Store& store,
                                         const std::vector<storage::NodeId>& nodes);

struct TimelineEvent {
  std::string start, end;  // as observed ("" when unknown)
  std::string type;
  bool outgoing = true;    // the node is the link's from
  QueryNode other;
  storage::Observation observation;
};

// Every observation of every link of `node`, by start (undated last), then type and other id.
struct NodeTimeline {
  QueryNode node;  // whose timeline it is
  std::vector<TimelineEvent> events;
};

StatusOr<NodeTimeline> Timeline(const storage::Store& store, storage::NodeId node);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_QUERY_H_
