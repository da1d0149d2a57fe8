#include "trafnet/engine/query_privacy.h"

#include <algorithm>
#include <set>

#include "trafnet/engine/query_format.h"

namespace trafnet::engine {

bool IsVictim(const QueryNode& node) {
  return node.kind == "person" && storage::FieldValue(node.fields, "status") == "victim";
}

void MaskVictims(QueryNode& node) {
  if (!IsVictim(node)) return;
  node.masked = true;
  node.fields = {{"status", "victim"}};
  node.sources.clear();
}

void MaskVictims(Subgraph& graph) {
  for (QueryNode& node : graph.nodes) MaskVictims(node);
}

void MaskVictims(PathResult& result) { MaskVictims(result.subgraph); }

void MaskVictims(std::vector<SharedItem>& items) {
  for (SharedItem& item : items) {
    MaskVictims(item.node);
    for (QueryNode& holder : item.holders) MaskVictims(holder);
  }
}

void MaskVictims(NodeTimeline& timeline) {
  MaskVictims(timeline.node);
  for (TimelineEvent& event : timeline.events) MaskVictims(event.other);
}

void MaskVictims(std::vector<LookupMatch>& matches, const LookupRequest& request) {
  const bool by_text = !request.name.empty() || !request.address.empty();
  if (by_text) {
    std::erase_if(matches, [](const LookupMatch& m) { return IsVictim(m.node); });
    return;
  }
  for (LookupMatch& match : matches) {
    if (!IsVictim(match.node)) continue;
    MaskVictims(match.node);
    match.matched.clear();  // an id or a phone: what was typed, nothing more
  }
}

namespace {

// In first-seen order, each once.
class RefList {
 public:
  void Add(const QueryNode& node) {
    std::string ref = NodeRef(node);
    if (seen_.insert(ref).second) refs_.push_back(std::move(ref));
  }
  std::vector<std::string> Take() { return std::move(refs_); }

 private:
  std::set<std::string> seen_;
  std::vector<std::string> refs_;
};

}  // namespace

std::vector<std::string> DisclosedRefs(const std::vector<LookupMatch>& matches) {
  RefList out;
  for (const LookupMatch& match : matches) out.Add(match.node);
  return out.Take();
}

std::vector<std::string> DisclosedRefs(const Subgraph& graph) {
  RefList out;
  for (const QueryNode& node : graph.nodes) out.Add(node);
  return out.Take();
}

std::vector<std::string> DisclosedRefs(const std::vector<SharedItem>& items) {
  RefList out;
  for (const SharedItem& item : items) {
    out.Add(item.node);
    for (const QueryNode& holder : item.holders) out.Add(holder);
  }
  return out.Take();
}

std::vector<std::string> DisclosedRefs(const NodeTimeline& timeline) {
  RefList out;
  out.Add(timeline.node);
  for (const TimelineEvent& event : timeline.events) out.Add(event.other);
  return out.Take();
}

}  // namespace trafnet::engine
