// trafnet query lookup | neighbourhood | path | shared | timeline
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "commands.h"
#include "trafnet/engine/query.h"
#include "trafnet/engine/query_format.h"
#include "trafnet/engine/store_policy.h"
#include "trafnet/storage/audit_log.h"
#include "trafnet/storage/store.h"

namespace trafnet::tools {

namespace {

struct QueryArgs {
  std::string db;
  std::string format = "table";
  bool json = false;
  std::string region = "RS";
  // lookup
  std::string phone, name, address, id;
  size_t limit = 0;
  // neighbourhood, timeline
  int hops = 1;
  std::string kinds, types, since, until;
  uint64_t hub_degree = 100;
  bool expand_hubs = false;
  // path, shared
  std::string from, to, ids;
  int max_hops = 6;
  int k = 1;
  // The case the query is made for, recorded in the audit trail.
  std::string justification;
};

// What a query printed and the records it disclosed.
struct Answer {
  std::string text;
  std::vector<std::string> refs;
};

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void AddCommon(CLI::App* cmd, QueryArgs& args, bool graph_formats) {
  cmd->add_option("--db", args.db, "Store directory")->required();
  cmd->add_option("--format", args.format,
                  graph_formats ? "table, json, cytoscape, graphml or dot" : "table or json")
      ->default_val("table");
  cmd->add_flag("--json", args.json, "Same as --format json");
  cmd->add_option("--region", args.region,
                  "Region of phone numbers written without a country code")
      ->default_val("RS");
  cmd->add_option("--case", args.justification,
                  "The case number this query is for (recorded in the audit trail)");
}

void AddFilter(CLI::App* cmd, QueryArgs& args) {
  cmd->add_option("--kinds", args.kinds, "Node kinds to show, comma-separated (person,phone,address,…)");
  cmd->add_option("--types", args.types, "Link types to follow, comma-separated (USES,CALLED,…)");
  cmd->add_option("--since", args.since, "Only links observed on or after this ISO date");
  cmd->add_option("--until", args.until, "Only links observed on or before this ISO date");
}

engine::LinkFilter Filter(const QueryArgs& args) {
  engine::LinkFilter filter;
  for (const std::string& kind : SplitList(args.kinds)) filter.kinds.insert(kind);
  for (const std::string& type : SplitList(args.types)) filter.types.insert(type);
  filter.since = args.since;
  filter.until = args.until;
  return filter;
}

std::vector<std::string> Refs(const std::vector<engine::QueryNode>& nodes) {
  std::vector<std::string> out;
  for (const engine::QueryNode& node : nodes) out.push_back(engine::NodeRef(node));
  return out;
}

StatusOr<Answer> Run(const std::string& what, const QueryArgs& args) {
  TRAFNET_ASSIGN_OR_RETURN(engine::QueryFormat format,
                           engine::ParseQueryFormat(args.json ? "json" : args.format));
  const bool graph = what == "neighbourhood" || what == "path";
  if (!graph && format != engine::QueryFormat::kTable && format != engine::QueryFormat::kJson)
    return InvalidArgumentError("query " + what + " prints a table or JSON only");
  // Read-only: queries never block or disturb an ingest running in another process.
  storage::StoreOptions options;
  options.create_if_missing = false;
  options.read_only = true;
  TRAFNET_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store,
                           storage::Store::Open(args.db, options));
  auto resolve = [&](const std::string& ref) { return engine::ResolveRef(*store, ref, args.region); };
  if (what == "lookup") {
    engine::LookupRequest request;
    request.phone = args.phone;
    request.name = args.name;
    request.address = args.address;
    request.id = args.id;
    request.region = args.region;
    if (args.limit > 0) request.limit = args.limit;
    if (!request.name.empty() && !store->HasNameWordIndex()) {
      std::fputs(
          "trafnet: note: this store was written before the name-word index; names are searched "
          "by prefix scans, which are slower and miss some near misses. `trafnet index --db DIR` "
          "(or the next ingest) builds it.\n",
          stderr);
    }
    TRAFNET_ASSIGN_OR_RETURN(auto matches, engine::Lookup(*store, request));
    Answer answer{engine::FormatLookup(matches, format), {}};
    for (const engine::LookupMatch& m : matches) answer.refs.push_back(engine::NodeRef(m.node));
    return answer;
  }
  if (what == "neighbourhood") {
    engine::NeighbourhoodRequest request;
    TRAFNET_ASSIGN_OR_RETURN(request.start, resolve(args.id));
    request.hops = args.hops;
    request.filter = Filter(args);
    if (args.limit > 0) request.limit = args.limit;
    request.hub_degree = args.hub_degree;
    request.expand_hubs = args.expand_hubs;
    TRAFNET_ASSIGN_OR_RETURN(auto subgraph, engine::Neighbourhood(*store, request));
    return Answer{engine::FormatSubgraph(subgraph, format), Refs(subgraph.nodes)};
  }
  if (what == "path") {
    engine::PathRequest request;
    std::vector<std::string> refs = SplitList(args.ids);
    if (!args.from.empty() || !args.to.empty()) {
      if (args.from.empty() || args.to.empty() || !refs.empty())
        return InvalidArgumentError("give --from and --to, or --ids for a connecting network");
      refs = {args.from, args.to};
    }
    if (refs.size() < 2) return InvalidArgumentError("a path needs --from and --to, or at least two --ids");
    for (const std::string& ref : refs) {
      TRAFNET_ASSIGN_OR_RETURN(storage::NodeId node, resolve(ref));
      request.nodes.push_back(node);
    }
    request.max_hops = args.max_hops;
    request.k = args.k;
    request.filter = Filter(args);
    request.hub_degree = args.hub_degree;
    TRAFNET_ASSIGN_OR_RETURN(auto result, engine::Paths(*store, request));
    return Answer{engine::FormatPaths(result, format), Refs(result.subgraph.nodes)};
  }
  if (what == "shared") {
    std::vector<storage::NodeId> nodes;
    for (const std::string& ref : SplitList(args.ids)) {
      TRAFNET_ASSIGN_OR_RETURN(storage::NodeId node, resolve(ref));
      nodes.push_back(node);
    }
    TRAFNET_ASSIGN_OR_RETURN(auto items, engine::Shared(*store, nodes));
    Answer answer{engine::FormatShared(items, format), {}};
    for (const engine::SharedItem& item : items) answer.refs.push_back(engine::NodeRef(item.node));
    return answer;
  }
  TRAFNET_ASSIGN_OR_RETURN(storage::NodeId node, resolve(args.id));
  TRAFNET_ASSIGN_OR_RETURN(engine::NodeTimeline timeline, engine::Timeline(*store, node));
  Answer answer{engine::FormatTimeline(timeline.node, timeline.events, format),
                {engine::NodeRef(timeline.node)}};
  for (const engine::TimelineEvent& e : timeline.events) answer.refs.push_back(engine::NodeRef(e.other));
  return answer;
}

// The request as the audit trail records it: every option that was given.
// Option groups (lookup's "exactly one of") are unnamed sub-apps holding their own options.
void CollectParameters(const CLI::App& command,
                       std::vector<std::pair<std::string, std::string>>& out) {
  for (const CLI::Option* option : command.get_options()) {
    if (option->count() == 0 || option->get_name() == "--help") continue;
    std::string value;
    for (const std::string& result : option->results()) value += (value.empty() ? "" : ",") + result;
    out.emplace_back(option->get_name(), value);
  }
  for (const CLI::App* group : command.get_subcommands([](const CLI::App* sub) { return sub->get_name().empty(); }))
    CollectParameters(*group, out);
}

std::vector<std::pair<std::string, std::string>> Parameters(const CLI::App& command) {
  std::vector<std::pair<std::string, std::string>> out;
  CollectParameters(command, out);
  return out;
}

// Runs a query and records it in the store's audit trail (docs/audit.md). The answer is printed
// only once its record is written: a query that cannot be accounted for is not answered.
int RunAudited(const std::string& what, const CLI::App& command, const QueryArgs& args) {
  // Only a store has an audit trail: a mistyped --db must not leave a log in some other folder.
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(args.db) / "CURRENT", ec)) {
    StatusOr<Answer> answer = Run(what, args);
    return Fail(answer.ok() ? "no store at " + args.db : answer.status().message());
  }
  // The store's policy may require the case every query is made for (docs/audit.md).
  std::string refusal;
  if (StatusOr<engine::StorePolicy> policy = engine::ReadStorePolicy(args.db); !policy.ok()) {
    refusal = policy.status().message();
  } else if (policy->require_case && args.justification.empty()) {
    refusal = "this store requires a case number for every query: give --case";
  }
  StatusOr<Answer> answer = refusal.empty() ? Run(what, args) : StatusOr<Answer>(InvalidArgumentError(refusal));
  storage::AuditEntry entry;
  entry.action = "query." + what;
  entry.parameters = Parameters(command);
  entry.justification = args.justification;
  entry.outcome = !refusal.empty() ? "refused: " + refusal
                  : answer.ok()    ? "ok"
                                   : "error: " + answer.status().message();
  if (answer.ok()) entry.ids = answer->refs;
  auto log = OpenAuditTrail(args.db);
  if (!log.ok()) return Fail(log.status().message());
  if (Status recorded = RecordAccess(*log, std::move(entry)); !recorded.ok()) return Fail(recorded.message());
  if (!answer.ok()) return Fail(answer.status().message());
  std::fputs(answer->text.c_str(), stdout);
  return kExitOk;
}

}  // namespace

Action AddQueryCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "query", "Look up a person, phone or address and explore around it, straight from the store");
  cmd->require_subcommand(1);
  auto args = std::make_shared<QueryArgs>();
  std::vector<std::pair<CLI::App*, std::string>> subcommands;

  auto* lookup = cmd->add_subcommand("lookup", "Find nodes by phone (any format), name (any script, ranked near misses), address or id");
  AddCommon(lookup, *args, false);
  auto* by = lookup->add_option_group("what", "exactly one of");
  by->add_option("--phone", args->phone, "A phone number as written");
  by->add_option("--name", args->name, "A person's name, any script or spelling");
  by->add_option("--address", args->address, "An address's text (with or without the city)");
  by->add_option("--id", args->id, "A reference: person:P1, phone:064…, address:A1, or a bare id");
  by->require_option(1);
  lookup->add_option("--limit", args->limit, "At most this many matches (default 20)");
  subcommands.emplace_back(lookup, "lookup");

  auto* neighbourhood = cmd->add_subcommand("neighbourhood", "The k-hop subgraph around a node, with every link's observations");
  AddCommon(neighbourhood, *args, true);
  neighbourhood->add_option("--id", args->id, "The node: person:P1, phone:064…, address:A1, or a bare id")->required();
  neighbourhood->add_option("--hops", args->hops, "Hops from the node")->default_val(1)->check(CLI::Range(0, 6));
  AddFilter(neighbourhood, *args);
  neighbourhood->add_option("--limit", args->limit, "At most this many nodes (default 500)");
  neighbourhood->add_option("--hub-degree", args->hub_degree, "Nodes with more links are shown but not expanded")->default_val(100);
  neighbourhood->add_flag("--expand-hubs", args->expand_hubs, "Expand hubs too");
  subcommands.emplace_back(neighbourhood, "neighbourhood");

  auto* path = cmd->add_subcommand("path", "Shortest paths between two nodes, or the connecting network of several");
  AddCommon(path, *args, true);
  path->add_option("--from", args->from, "One end");
  path->add_option("--to", args->to, "The other end");
  path->add_option("--ids", args->ids, "Several nodes, comma-separated: their connecting network");
  path->add_option("--max-hops", args->max_hops, "Longest path considered")->default_val(6)->check(CLI::Range(1, 12));
  path->add_option("--k", args->k, "Distinct shortest paths wanted")->default_val(1)->check(CLI::Range(1, 20));
  AddFilter(path, *args);
  path->add_option("--hub-degree", args->hub_degree, "Paths avoid nodes with more links")->default_val(100);
  subcommands.emplace_back(path, "path");

  auto* shared = cmd->add_subcommand("shared", "The phones, addresses and people several nodes have in common, with when");
  AddCommon(shared, *args, false);
  shared->add_option("--ids", args->ids, "Two or more nodes, comma-separated")->required();
  subcommands.emplace_back(shared, "shared");

  auto* timeline = cmd->add_subcommand("timeline", "A node's links in time order");
  AddCommon(timeline, *args, false);
  timeline->add_option("--id", args->id, "The node")->required();
  subcommands.emplace_back(timeline, "timeline");

  return [=]() {
    for (const auto& [sub, what] : subcommands) {
      if (sub->parsed()) return RunAudited(what, *sub, *args);
    }
    return kExitUsage;
  };
}

}  // namespace trafnet::tools
