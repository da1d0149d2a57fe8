// trafnet project | rank | communities | components
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cmath>
#include <functional>
#include <optional>

#include "commands.h"
#include "trafnet/engine/analysis.h"
#include "trafnet/engine/progress.h"
#include "trafnet/engine/projection.h"
#include "trafnet/storage/store.h"

namespace trafnet::tools {

namespace {

using algorithms::Vertex;

// Where the graph comes from and how it is projected; shared by the analysis commands.
struct GraphArgs {
  std::string db;
  std::string projection_file;
  std::string graph = "full";
  bool directed = false;
  std::string weight = "none";
  std::vector<std::string> kinds;
  std::vector<std::string> types;
  std::string since;
  std::string until;
  uint32_t shared_cap = 25;
  uint32_t call_hub_cap = 100;
  int threads = 1;  // AddThreadsOption sets the default
  bool quiet = false;
  bool json = false;
};

std::shared_ptr<GraphArgs> AddGraphOptions(CLI::App* cmd, bool from_file_allowed) {
  auto args = std::make_shared<GraphArgs>();
  auto* db = cmd->add_option("--db", args->db, "Store directory");
  if (from_file_allowed) {
    auto* file = cmd->add_option("--projection", args->projection_file,
                                 "Read the graph from a file written by `trafnet project` instead of the store");
    db->excludes(file);
  } else {
    db->required();
  }
  cmd->add_option("--graph", args->graph, "full (every node and link) | persons (persons joined by shared phones, addresses, calls and direct links)")
      ->check(CLI::IsMember({"full", "persons"}));
  cmd->add_flag("--directed", args->directed, "Keep link directions (default: undirected)");
  cmd->add_option("--weight", args->weight, "none | count (sum of observation counts)")
      ->check(CLI::IsMember({"none", "count"}));
  cmd->add_option("--kinds", args->kinds, "full graph: node kinds to keep, e.g. person,phone")->delimiter(',');
  cmd->add_option("--types", args->types, "Link types to use, e.g. USES,CALLED")->delimiter(',');
  cmd->add_option("--since", args->since, "Ignore observations that ended before this date (YYYY-MM-DD)");
  cmd->add_option("--until", args->until, "Ignore observations that started after this date");
  cmd->add_option("--shared-cap", args->shared_cap,
                  "persons graph: a phone or address shared by more persons than this joins none of them");
  cmd->add_option("--call-hub-cap", args->call_hub_cap,
                  "persons graph: a phone in touch with more distinct phones than this (a service "
                  "number) joins "
                  "nobody by its calls");
  AddThreadsOption(cmd, &args->threads);
  cmd->add_flag("--quiet", args->quiet, "No progress output");
  cmd->add_flag("--json", args->json, "Print JSON");
  return args;
}

// "building persons graph… 2.1 s" on a terminal; nothing otherwise. A kernel given
// Reporter() draws a progress line (percent, rate, ETA) in place of the label while it runs.
class Phase {
 public:
  Phase(std::string label, bool quiet)
      : label_(std::move(label)), quiet_(quiet), enabled_(!quiet && engine::Progress::StderrIsTerminal()),
        start_(std::chrono::steady_clock::now()) {
    if (enabled_) std::fprintf(stderr, "%s…", label_.c_str());
  }
  ~Phase() {
    if (!enabled_) return;
    bool redraw = bar_ && bar_->drawn();
    if (bar_) bar_->Finish();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "%s%s %.1f s\n", redraw ? label_.c_str() : "", redraw ? "…" : "", seconds);
  }
  Phase(const Phase&) = delete;
  Phase& operator=(const Phase&) = delete;

  // A progress callback for a kernel counting `unit` ("searches", "steps").
  algorithms::ProgressFn Reporter(std::string unit) {
    if (!enabled_) return {};
    return [this, unit](uint64_t done, uint64_t total) {
      if (!bar_) bar_.emplace(label_, total, quiet_, unit);
      bar_->Update(done, done);
    };
  }

 private:
  std::string label_;
  bool quiet_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::optional<engine::Progress> bar_;
};

StatusOr<engine::Projection> LoadGraph(const GraphArgs& args) {
  if (!args.projection_file.empty()) {
    Phase phase("reading " + args.projection_file, args.quiet);
    return engine::LoadProjection(args.projection_file);
  }
  if (args.db.empty()) return InvalidArgumentError("give --db DIR (or --projection FILE)");
  storage::StoreOptions store_options;
  store_options.create_if_missing = false;
  store_options.read_only = true;
  TRAFNET_ASSIGN_OR_RETURN(auto store, storage::Store::Open(args.db, store_options));
  if (args.since.empty() && args.until.empty()) NoteMissingLinkSummaries(*store);
  engine::ProjectionOptions options;
  options.kind = args.graph == "persons" ? engine::GraphKind::kPersons : engine::GraphKind::kFull;
  options.directed = args.directed;
  options.weighted = args.weight == "count";
  options.node_kinds = args.kinds;
  options.link_types = args.types;
  options.window.since = args.since;
  options.window.until = args.until;
  options.shared_cap = args.shared_cap;
  options.call_hub_cap = args.call_hub_cap;
  options.threads = static_cast<unsigned>(args.threads);
  Phase phase("building the " + args.graph + " graph", args.quiet);
  return engine::BuildProjection(*store, options);
}

// The first few members' ids, for a table row.
std::string MemberList(const engine::Projection& projection, const std::vector<Vertex>& members) {
  std::string list;
  for (size_t i = 0; i < members.size() && i < 8; ++i) {
    if (i > 0) list += ", ";
    list += projection.id[members[i]];
  }
  if (members.size() > 8) list += ", …";
  return list;
}

void PrintJson(const nlohmann::json& json) { std::printf("%s\n", json.dump(1).c_str()); }

// A graph that could not be had. Naming no graph at all is a usage error (exit 2).
int FailToLoad(const GraphArgs& args, const Status& status) {
  if (args.db.empty() && args.projection_file.empty()) {
    std::fprintf(stderr, "trafnet: %s\n", status.message().c_str());
    return kExitUsage;
  }
  return Fail(status.message());
}

}  // namespace

Action AddProjectCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("project", "Build a graph projection from the store and save it to a file");
  auto args = AddGraphOptions(cmd, /*from_file_allowed=*/false);
  auto out = std::make_shared<std::string>();
  cmd->add_option("--out", *out, "File to write")->required();
  return [=]() {
    auto projection = LoadGraph(*args);
    if (!projection.ok()) return FailToLoad(*args, projection.status());
    Status saved = engine::SaveProjection(*projection, *out);
    if (!saved.ok()) return Fail(saved.message());
    std::printf("projection (%s): %u vertices, %llu arcs → %s\n", projection->description.c_str(),
                projection->graph.num_vertices(),
                static_cast<unsigned long long>(projection->graph.num_arcs()), out->c_str());
    return kExitOk;
  };
}

Action AddRankCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("rank", "Rank nodes by a centrality measure");
  auto args = AddGraphOptions(cmd, /*from_file_allowed=*/true);
  auto measure = std::make_shared<std::string>("degree");
  auto distance = std::make_shared<std::string>("hops");
  auto samples = std::make_shared<uint32_t>(0);
  auto paths = std::make_shared<uint64_t>(0);
  auto epsilon = std::make_shared<double>(0.0);
  auto seeds = std::make_shared<bool>(false);
  auto top = std::make_shared<size_t>(20);
  auto seed = std::make_shared<uint64_t>(1);
  cmd->add_option("--measure", *measure,
                  "degree | pagerank | betweenness | closeness | harmonic | eigenvector | coreness | clustering | constraint")
      ->check(CLI::IsMember({"degree", "pagerank", "betweenness", "closeness", "harmonic", "eigenvector", "coreness",
                             "clustering", "constraint"}));
  cmd->add_option("--distance", *distance, "hops | inverse (a link's length is 1/count; needs --weight count)")
      ->check(CLI::IsMember({"hops", "inverse"}));
  auto* samples_option = cmd->add_option("--samples", *samples, "Betweenness from this many sampled sources");
  auto* paths_option =
      cmd->add_option("--paths", *paths,
                      "Betweenness from this many sampled shortest paths (hops only)")
          ->excludes(samples_option);
  cmd->add_option("--epsilon", *epsilon,
                  "Betweenness sampled to this error bound (0 < E < 1): shortest paths with hops, "
                  "sources with --distance inverse")
      ->excludes(samples_option)
      ->excludes(paths_option);
  cmd->add_flag("--seeds-from-status", *seeds, "PageRank personalised to persons with a known status");
  cmd->add_option("--top", *top, "How many to print (0: all)");
  cmd->add_option("--seed", *seed, "Seed for sampling");
  return [=]() {
    auto parsed = engine::ParseMeasure(*measure);
    if (!parsed.ok()) return Fail(parsed.status().message());
    auto projection = LoadGraph(*args);
    if (!projection.ok()) return FailToLoad(*args, projection.status());
    if (*distance == "inverse" && !projection->graph.weighted()) {
      return Fail("--distance inverse needs a weighted graph (--weight count)");
    }
    engine::RankOptions options;
    options.measure = *parsed;
    options.inverse_distance = *distance == "inverse";
    options.samples = *samples;
    options.paths = *paths;
    options.epsilon = *epsilon;
    options.seeds_from_status = *seeds;
    options.threads = args->threads;
    options.seed = *seed;
    StatusOr<engine::RankResult> ranked = [&] {
      Phase phase(fmt::format("computing {}", *measure), args->quiet);
      options.progress = phase.Reporter("searches");
      return engine::Rank(*projection, options);
    }();
    if (!ranked.ok()) return Fail(ranked.status().message());
    size_t shown = *top == 0 ? ranked->order.size() : std::min(*top, ranked->order.size());
    if (args->json) {
      // The JSON is the ranking alone; what qualifies it goes to stderr.
      if (!ranked->note.empty()) std::fprintf(stderr, "trafnet: %s by %s: %s\n", projection->description.c_str(), measure->c_str(), ranked->note.c_str());
      auto json = nlohmann::json::array();
      for (size_t i = 0; i < shown; ++i) {
        Vertex v = ranked->order[i];
        double score = ranked->scores[v];
        json.push_back({{"id", projection->id[v]}, {"kind", projection->kind[v]},
                        {"score", std::isnan(score) ? nlohmann::json(nullptr) : nlohmann::json(score)}});
      }
      PrintJson(json);
      return kExitOk;
    }
    std::printf("%s by %s", projection->description.c_str(), measure->c_str());
    if (!ranked->note.empty()) std::printf(" (%s)", ranked->note.c_str());
    std::printf("\n%6s  %-24s %-10s %s\n", "rank", "id", "kind", "score");
    for (size_t i = 0; i < shown; ++i) {
      Vertex v = ranked->order[i];
      std::printf("%6zu  %-24s %-10s %.6g\n", i + 1, std::string(projection->id[v]).c_str(),
                  std::string(projection->kind[v]).c_str(), ranked->scores[v]);
    }
    return kExitOk;
  };
}

Action AddCommunitiesCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("communities", "Find communities (Leiden, Louvain or label propagation)");
  auto args = AddGraphOptions(cmd, /*from_file_allowed=*/true);
  auto algorithm = std::make_shared<std::string>("leiden");
  auto resolution = std::make_shared<double>(1.0);
  auto seed = std::make_shared<uint64_t>(1);
  auto top = std::make_shared<size_t>(20);
  auto tolerance = std::make_shared<double>(engine::CommunityOptions{}.tolerance);
  cmd->add_option("--algorithm", *algorithm, "leiden | louvain | lpa")->check(CLI::IsMember({"leiden", "louvain", "lpa"}));
  cmd->add_option("--resolution", *resolution, "Modularity resolution (higher: smaller communities)");
  cmd->add_option(
      "--tolerance", *tolerance,
      "Leiden: stop once an iteration's local moving gains less modularity than this (0: run until "
      "an iteration no longer improves)");
  cmd->add_option("--seed", *seed, "Seed: the same seed gives the same communities");
  cmd->add_option("--top", *top, "Table: how many communities to list (0: all); JSON lists all");
  return [=]() {
    auto parsed = engine::ParseCommunityAlgorithm(*algorithm);
    if (!parsed.ok()) return Fail(parsed.status().message());
    auto projection = LoadGraph(*args);
    if (!projection.ok()) return FailToLoad(*args, projection.status());
    engine::CommunityOptions options{*parsed, *resolution, *seed, args->threads, *tolerance};
    auto result = [&] {
      Phase phase("finding communities", args->quiet);
      return engine::FindCommunities(*projection, options);
    }();
    if (!result.ok()) return Fail(result.status().message());
    std::vector<std::vector<Vertex>> members(result->count);
    for (Vertex v = 0; v < result->membership.size(); ++v) members[result->membership[v]].push_back(v);
    if (args->json) {
      nlohmann::json json = {{"algorithm", *algorithm},
                             {"resolution", *resolution},
                             {"seed", *seed},
                             {"tolerance", *tolerance},
                             {"modularity", result->modularity},
                             {"communities", nlohmann::json::array()}};
      for (uint32_t c = 0; c < result->count; ++c) {
        auto ids = nlohmann::json::array();
        for (Vertex v : members[c]) ids.push_back(projection->id[v]);
        json["communities"].push_back({{"community", c}, {"size", members[c].size()}, {"members", ids}});
      }
      PrintJson(json);
      return kExitOk;
    }
    std::printf("%s: %u communities by %s, modularity %.4f\n", projection->description.c_str(), result->count,
                algorithm->c_str(), result->modularity);
    size_t shown = *top == 0 ? result->count : std::min<size_t>(*top, result->count);
    for (uint32_t c = 0; c < shown; ++c) {
      std::printf("%6u  %8zu  %s\n", c, members[c].size(), MemberList(*projection, members[c]).c_str());
    }
    return kExitOk;
  };
}

Action AddComponentsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("components", "Connected components (directions ignored)");
  auto args = AddGraphOptions(cmd, /*from_file_allowed=*/true);
  auto top = std::make_shared<size_t>(20);
  cmd->add_option("--top", *top, "How many of the largest components to list with their members (0: all)");
  return [=]() {
    auto projection = LoadGraph(*args);
    if (!projection.ok()) return FailToLoad(*args, projection.status());
    StatusOr<algorithms::ComponentsResult> found = [&] {
      Phase phase("finding components", args->quiet);
      return engine::FindComponents(*projection, args->threads);
    }();
    if (!found.ok()) return Fail(found.status().ToString());
    const algorithms::ComponentsResult& result = *found;
    std::vector<uint32_t> by_size(result.count);
    for (uint32_t c = 0; c < result.count; ++c) by_size[c] = c;
    std::stable_sort(by_size.begin(), by_size.end(),
                     [&](uint32_t a, uint32_t b) { return result.sizes[a] > result.sizes[b]; });
    size_t shown = *top == 0 ? by_size.size() : std::min(*top, by_size.size());
    std::vector<std::vector<Vertex>> members(shown);
    std::vector<int64_t> rank_of(result.count, -1);
    for (size_t i = 0; i < shown; ++i) rank_of[by_size[i]] = static_cast<int64_t>(i);
    for (Vertex v = 0; v < result.component.size(); ++v) {
      int64_t r = rank_of[result.component[v]];
      if (r >= 0) members[r].push_back(v);
    }
    uint64_t largest = by_size.empty() ? 0 : result.sizes[by_size[0]];
    if (args->json) {
      nlohmann::json json = {{"count", result.count}, {"vertices", result.component.size()},
                             {"largest", largest}, {"components", nlohmann::json::array()}};
      for (size_t i = 0; i < shown; ++i) {
        auto ids = nlohmann::json::array();
        for (Vertex v : members[i]) ids.push_back(projection->id[v]);
        json["components"].push_back({{"component", i}, {"size", members[i].size()}, {"members", ids}});
      }
      PrintJson(json);
      return kExitOk;
    }
    std::printf("%s: %u components, the largest holds %llu of %zu vertices\n", projection->description.c_str(),
                result.count, static_cast<unsigned long long>(largest), result.component.size());
    for (size_t i = 0; i < shown; ++i) {
      std::printf("%6zu  %8zu  %s\n", i, members[i].size(), MemberList(*projection, members[i]).c_str());
    }
    return kExitOk;
  };
}

Action AddDisruptCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("disrupt", "Remove the top node by a measure, recompute, repeat: how the network fragments");
  auto args = AddGraphOptions(cmd, /*from_file_allowed=*/true);
  auto measure = std::make_shared<std::string>("betweenness");
  auto steps = std::make_shared<int>(10);
  auto distance = std::make_shared<std::string>("hops");
  cmd->add_option("--measure", *measure, "betweenness | degree")->check(CLI::IsMember({"betweenness", "degree"}));
  cmd->add_option("--steps", *steps, "Removals")->check(CLI::Range(0, 1000000));
  cmd->add_option("--distance", *distance, "hops | inverse (needs --weight count)")->check(CLI::IsMember({"hops", "inverse"}));
  return [=]() {
    auto projection = LoadGraph(*args);
    if (!projection.ok()) return FailToLoad(*args, projection.status());
    if (*distance == "inverse" && !projection->graph.weighted()) {
      return Fail("--distance inverse needs a weighted graph (--weight count)");
    }
    engine::DisruptOptions options;
    options.measure = *engine::ParseMeasure(*measure);
    options.steps = *steps;
    options.inverse_distance = *distance == "inverse";
    options.threads = args->threads;
    auto result = [&] {
      Phase phase("removing nodes by " + *measure, args->quiet);
      options.progress = phase.Reporter("steps");
      return engine::Disrupt(*projection, options);
    }();
    if (!result.ok()) return Fail(result.status().message());
    if (args->json) {
      nlohmann::json json = {{"measure", *measure}, {"graph", projection->description}, {"steps", nlohmann::json::array()}};
      for (const auto& step : result->steps) {
        json["steps"].push_back({{"step", step.step},
                                 {"removed", step.removed ? nlohmann::json(projection->id[*step.removed]) : nlohmann::json(nullptr)},
                                 {"kind", step.removed ? nlohmann::json(projection->kind[*step.removed]) : nlohmann::json(nullptr)},
                                 {"score", step.removed ? nlohmann::json(step.removed_score) : nlohmann::json(nullptr)},
                                 {"largest_component", step.largest_component},
                                 {"fraction", step.fraction}});
      }
      PrintJson(json);
      return kExitOk;
    }
    std::printf("%s: removing by %s\n%4s  %-24s %12s %10s\n", projection->description.c_str(), measure->c_str(),
                "step", "removed", "largest", "fraction");
    for (const auto& step : result->steps) {
      std::printf("%4u  %-24s %12llu %10.4f\n", step.step,
                  step.removed ? std::string(projection->id[*step.removed]).c_str() : "-",
                  static_cast<unsigned long long>(step.largest_component), step.fraction);
    }
    return kExitOk;
  };
}

}  // namespace trafnet::tools
