// What a query's answer discloses, and withholding victims' records from those who may not see
// them (docs/serve.md, "Roles").
//
// A person whose status is `victim` is known casework the law keeps apart: roles that do not work
// with victims (analysts looking at patterns, auditors) see that a victim is there — the graph
// keeps its shape — but not who: the record's fields are replaced by {status: victim} and its
// sources removed. Its reference stays, since without it the graph could not be explored; a
// reference is an agency's record number, not a name. Searches by name or address never return a
// masked person: a hit would confirm whom the searcher had in mind.
#ifndef TRAFNET_ENGINE_QUERY_PRIVACY_H_
#define TRAFNET_ENGINE_QUERY_PRIVACY_H_

#include <string>
#include <vector>

#include "trafnet/engine/query.h"

namespace trafnet::engine {

// A person node with status victim.
bool IsVictim(const QueryNode& node);

// Masks every victim in an answer (sets QueryNode::masked and withholds its fields and sources).
void MaskVictims(QueryNode& node);
void MaskVictims(Subgraph& graph);
void MaskVictims(PathResult& result);
void MaskVictims(std::vector<SharedItem>& items);
void MaskVictims(NodeTimeline& timeline);
// Lookup matches: victims found by name or address text are dropped (a hit would confirm a name);
// by phone or id they are kept, masked.
void MaskVictims(std::vector<LookupMatch>& matches, const LookupRequest& request);

// The references ("kind:id") of the records an answer shows, for the audit trail.
std::vector<std::string> DisclosedRefs(const std::vector<LookupMatch>& matches);
std::vector<std::string> DisclosedRefs(const Subgraph& graph);
std::vector<std::string> DisclosedRefs(const std::vector<SharedItem>& items);
std::vector<std::string> DisclosedRefs(const NodeTimeline& timeline);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_QUERY_PRIVACY_H_
