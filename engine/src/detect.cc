#include "trafnet/engine/detect.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "case_data.h"
#include "detect_groups.h"
#include "detect_indicators.h"
#include "detect_resolve.h"
#include "trafnet/algorithms/pagerank.h"

namespace trafnet::engine {

namespace {

using algorithms::Vertex;
using detect::NodeIndex;

class StageClock {
 public:
  StageClock(const DetectOptions& options, DetectStats& stats) : options_(options), stats_(stats) {}
  void Start(const std::string& stage) {
    Stop();
    stage_ = stage;
    start_ = std::chrono::steady_clock::now();
    if (options_.on_stage) options_.on_stage(stage);
  }
  void Stop() {
    if (stage_.empty()) return;
    stats_.stage_seconds.emplace_back(
        stage_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    stage_.clear();
  }

 private:
  const DetectOptions& options_;
  DetectStats& stats_;
  std::string stage_;
  std::chrono::steady_clock::time_point start_;
};

// Proximity to known cases: personalised PageRank from persons with a case status.
StatusOr<std::vector<double>> KnownCaseProximity(const detect::CaseData& data,
                                                 const detect::PersonGraph& graph, int threads) {
  std::vector<double> out(graph.person.size(), 0.0);
  algorithms::PageRankOptions pagerank;
  std::vector<bool> seed(graph.person.size(), false);
  for (NodeIndex p = 0; p < data.num_nodes(); ++p) {
    const detect::Node& node = data.node(p);
    if (node.kind != detect::NodeKind::kPerson) continue;
    if (node.status == detect::CaseStatus::kVictim || node.status == detect::CaseStatus::kSuspect ||
        node.status == detect::CaseStatus::kConvicted) {
      seed[graph.vertex_of[p]] = true;
    }
  }
  for (Vertex v = 0; v < seed.size(); ++v) {
    if (seed[v]) pagerank.seeds.push_back(v);
  }
  if (pagerank.seeds.empty() || graph.graph.num_arcs() == 0) return out;
  pagerank.threads = threads;
  pagerank.tolerance = 1e-9 * static_cast<double>(graph.person.size());
  TRAFNET_ASSIGN_OR_RETURN(algorithms::PageRankResult result,
                           algorithms::PageRank(graph.graph, pagerank));
  // A person's score over the average seed's: a direct contact of a seed with a handful of ties
  // gets about 0.1 and counts fully, two hops away about a tenth of that.
  double seed_mass = 0;
  for (Vertex v : pagerank.seeds) seed_mass += result.scores[v];
  const double per_seed = seed_mass / static_cast<double>(pagerank.seeds.size());
  if (per_seed <= 0) return out;
  for (Vertex v = 0; v < seed.size(); ++v) {
    out[v] = seed[v] ? 0.0 : std::min(1.0, 10.0 * result.scores[v] / per_seed);
    if (out[v] < 0.01) out[v] = 0.0;  // what is left of the uniform start, not proximity
  }
  return out;
}

std::string FieldOf(const storage::NodeRecord& record, std::string_view name) {
  return std::string(storage::FieldValue(record.fields, name));
}

// Names, numbers and address texts for what a lead shows, read from the store.
Status Describe(const storage::Store& store, const detect::CaseData& data,
                const detect::AssessContext& context, const detect::GroupAssessment& assessment,
                Lead& lead) {
  // Each person record is read once: its name serves both the member list and the drawing.
  std::map<NodeIndex, std::pair<std::string, std::string>> person_nodes;  // node → role, name
  for (const detect::MemberAssessment& m : assessment.members) {
    LeadMember member;
    for (NodeIndex r : context.records[m.vertex]) {
      member.records.push_back(data.id(r));
      TRAFNET_ASSIGN_OR_RETURN(auto record, store.GetNode(r));
      std::string name = record ? FieldOf(*record, "name") : "";
      if (member.name.empty()) member.name = name;
      person_nodes[r] = {m.role, std::move(name)};
    }
    std::sort(member.records.begin(), member.records.end());
    member.role = m.role;
    member.risk = m.risk;
    member.reasons = m.reasons;
    lead.members.push_back(std::move(member));
  }
  std::stable_sort(lead.members.begin(), lead.members.end(),
                   [](const LeadMember& a, const LeadMember& b) {
                     return a.risk != b.risk ? a.risk > b.risk : a.records < b.records;
                   });
  std::set<NodeIndex> shown;
  for (const auto& [node, role_and_name] : person_nodes) {
    shown.insert(node);
    lead.nodes.push_back(
        LeadNode{data.id(node), "person", role_and_name.second, role_and_name.first});
  }
  for (NodeIndex phone : assessment.phones) {
    lead.phones.push_back(data.id(phone));
    shown.insert(phone);
    lead.nodes.push_back(LeadNode{data.id(phone), "phone", data.id(phone), ""});
  }
  for (NodeIndex address : assessment.addresses) {
    lead.addresses.push_back(data.id(address));
    shown.insert(address);
    TRAFNET_ASSIGN_OR_RETURN(auto record, store.GetNode(address));
    lead.nodes.push_back(
        LeadNode{data.id(address), "address", record ? FieldOf(*record, "text") : "", ""});
  }
  for (NodeIndex node : shown) {
    for (uint32_t l : data.links_of(node)) {
      const detect::Link& link = data.link(l);
      if (link.from != node || !shown.contains(link.to)) continue;
      lead.links.push_back(LeadLink{
          data.id(link.from), data.id(link.to), std::string(detect::LinkTypeName(link.type)),
          detect::FormatDay(link.first), detect::FormatDay(link.last), link.count});
    }
  }
  lead.score = assessment.score;
  lead.indicators = assessment.indicators;
  lead.reasons = assessment.reasons;
  return Status::Ok();
}

}  // namespace

StatusOr<DetectionReport> Detect(const storage::Store& store, const DetectOptions& options) {
  const DetectConfig& config = options.config;
  if (options.threads < 1) return InvalidArgumentError("threads must be at least 1");
  DetectionReport report;
  StageClock clock(options, report.stats);

  clock.Start("loading the store");
  TRAFNET_ASSIGN_OR_RETURN(detect::CaseData data, detect::CaseData::Load(store));

  clock.Start("entity resolution");
  detect::Resolution resolution = detect::ResolvePersons(data, config);
  report.same_person = std::move(resolution.pairs);

  clock.Start("person graph");
  detect::PersonGraph graph = detect::BuildPersonGraph(data, resolution.representative, config,
                                                       static_cast<unsigned>(options.threads));
  for (NodeIndex p = 0; p < data.num_nodes(); ++p)
    report.stats.persons += data.node(p).kind == detect::NodeKind::kPerson;
  report.stats.resolved_persons = graph.person.size();
  report.stats.graph_edges = graph.graph.num_arcs() / 2;

  clock.Start("communities");
  TRAFNET_ASSIGN_OR_RETURN(detect::Groups groups,
                           detect::FindGroups(graph, config, options.seed, options.threads));
  report.stats.communities = groups.communities;
  report.stats.modularity = groups.modularity;
  report.stats.groups_scored = groups.groups.size();

  clock.Start("indicators");
  detect::AssessContext context;
  context.data = &data;
  context.graph = &graph;
  context.config = &config;
  context.records.resize(graph.person.size());
  for (NodeIndex p = 0; p < data.num_nodes(); ++p) {
    if (data.node(p).kind == detect::NodeKind::kPerson)
      context.records[graph.vertex_of[p]].push_back(p);
  }
  TRAFNET_ASSIGN_OR_RETURN(context.known_case_proximity,
                           KnownCaseProximity(data, graph, options.threads));
  // Groups are independent: assessed on several threads, each result in its own slot. A flagged
  // group whose parts hold two or more networks with (almost) no tie between them is replaced by
  // those networks: two planted networks that one shared address joins are two leads.
  auto flagged = [&](const detect::GroupAssessment& a) {
    return a.score >= config.flag_threshold && a.members.size() >= 3;
  };
  std::vector<std::vector<detect::GroupAssessment>> assessed(groups.groups.size());
  std::vector<Status> failed(groups.groups.size());
  std::atomic<size_t> next{0};
  auto assess = [&](size_t g) -> Status {
    const std::vector<Vertex>& group = groups.groups[g];
    detect::GroupAssessment whole = detect::AssessGroup(context, group);
    if (flagged(whole) && group.size() >= 2 * config.min_group_size) {
      // The seed depends on the group alone, not on which thread takes it.
      const uint64_t seed = options.seed + 0x9E3779B97F4A7C15ull * (g + 1);
      TRAFNET_ASSIGN_OR_RETURN(detect::GroupParts parts, detect::SplitGroup(graph, group, seed));
      std::vector<detect::GroupAssessment> part_assessed(parts.members.size());
      std::vector<bool> part_flagged(parts.members.size(), false);
      for (size_t p = 0; p < parts.members.size() && parts.members.size() > 1; ++p) {
        part_assessed[p] = detect::AssessGroup(context, parts.members[p]);
        part_flagged[p] = flagged(part_assessed[p]);
      }
      const std::vector<std::vector<Vertex>> networks =
          detect::SeparateNetworks(parts, part_flagged, config.separate_tie);
      for (const std::vector<Vertex>& network : networks)
        assessed[g].push_back(detect::AssessGroup(context, network));
      if (!networks.empty()) return Status::Ok();
    }
    assessed[g].push_back(std::move(whole));
    return Status::Ok();
  };
  auto work = [&] {
    for (size_t g; (g = next.fetch_add(1)) < groups.groups.size();) failed[g] = assess(g);
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < options.threads; ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  for (const Status& status : failed) TRAFNET_RETURN_IF_ERROR(status);

  clock.Start("ranking");
  // Best first; a group mostly made of the people of a better one (the same network seen at
  // another scale) is not reported again.
  std::vector<const detect::GroupAssessment*> candidates;
  for (const std::vector<detect::GroupAssessment>& found : assessed) {
    for (const detect::GroupAssessment& a : found) {
      if (flagged(a)) candidates.push_back(&a);
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const detect::GroupAssessment* a, const detect::GroupAssessment* b) {
                     return a->score > b->score;
                   });
  std::vector<const detect::GroupAssessment*> order;
  std::vector<uint32_t> taken_by(graph.person.size(), detect::kNoGroup);
  for (const detect::GroupAssessment* candidate : candidates) {
    if (config.max_networks > 0 && order.size() >= config.max_networks) break;
    std::map<uint32_t, size_t> overlap;
    for (const detect::MemberAssessment& m : candidate->members) {
      if (taken_by[m.vertex] != detect::kNoGroup) ++overlap[taken_by[m.vertex]];
    }
    bool repeated = false;
    for (const auto& [earlier, shared] : overlap) {
      const size_t smaller = std::min(candidate->members.size(), order[earlier]->members.size());
      repeated = repeated || 2 * shared >= smaller;
    }
    if (repeated) continue;
    for (const detect::MemberAssessment& m : candidate->members) {
      if (taken_by[m.vertex] == detect::kNoGroup)
        taken_by[m.vertex] = static_cast<uint32_t>(order.size());
    }
    order.push_back(candidate);
  }
  for (size_t rank = 0; rank < order.size(); ++rank) {
    Lead lead;
    lead.rank = static_cast<int>(rank + 1);
    lead.id = fmt::format("NET-{:04}", rank + 1);
    TRAFNET_RETURN_IF_ERROR(Describe(store, data, context, *order[rank], lead));
    report.networks.push_back(std::move(lead));
  }
  clock.Stop();
  return report;
}

}  // namespace trafnet::engine
