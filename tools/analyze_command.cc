// trafnet analyze: the analyst's batch run over the whole store.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "commands.h"
#include "trafnet/engine/detect.h"
#include "trafnet/engine/progress.h"
#include "trafnet/storage/store.h"

namespace trafnet::tools {

namespace {

struct AnalyzeArgs {
  std::string db;
  std::string out;
  std::string config;
  uint64_t seed = 1;
  int threads = 1;  // AddThreadsOption sets the default
  bool quiet = false;
  std::string justification;
};

int RunAnalyze(const AnalyzeArgs& args) {
  engine::DetectOptions options;
  if (!args.config.empty()) {
    auto config = engine::LoadDetectConfig(args.config);
    if (!config.ok()) return Fail(config.status().ToString());
    options.config = std::move(*config);
  }
  options.seed = args.seed;
  options.threads = args.threads;
  // One line per stage on a terminal, so a long run shows where it is.
  const bool show = !args.quiet && engine::Progress::StderrIsTerminal();
  const auto start = std::chrono::steady_clock::now();
  options.on_stage = [&](const std::string& stage) {
    if (show) {
      std::fprintf(stderr, "analyze: %s (%.1f s)\n", stage.c_str(),
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  };
  storage::StoreOptions store_options;
  store_options.create_if_missing = false;
  store_options.read_only = true;
  auto store = storage::Store::Open(args.db, store_options);
  if (!store.ok()) return Fail(store.status().ToString());
  NoteMissingLinkSummaries(**store);
  auto log = OpenAuditTrail(args.db);
  if (!log.ok()) return Fail(log.status().message());
  auto report = engine::Detect(**store, options);
  Status written = report.ok() ? engine::WriteReport(*report, options, args.out) : report.status();
  // Combining everything into leads, and writing them out, is accountable (docs/audit.md): the
  // record lists the persons the report names.
  storage::AuditEntry entry;
  entry.action = "analyze";
  entry.parameters = {{"out", AbsolutePath(args.out)}, {"seed", std::to_string(args.seed)}};
  if (!args.config.empty()) entry.parameters.emplace_back("config", AbsolutePath(args.config));
  entry.justification = args.justification;
  if (written.ok()) {
    for (const engine::Lead& lead : report->networks) {
      for (const engine::LeadMember& member : lead.members) {
        for (const std::string& record : member.records) entry.ids.push_back("person:" + record);
      }
    }
    entry.outcome = "ok: " + std::to_string(report->networks.size()) + " leads";
  } else {
    entry.outcome = "error: " + written.message();
  }
  if (Status recorded = RecordAccess(*log, std::move(entry)); !recorded.ok()) return Fail(recorded.message());
  if (!written.ok()) return Fail(written.ToString());
  const engine::DetectStats& stats = report->stats;
  if (!args.quiet) {
    std::printf(
        "%llu person records (%llu after accepted same-person matches), %llu ties, %llu groups "
        "examined\n",
        static_cast<unsigned long long>(stats.persons),
        static_cast<unsigned long long>(stats.resolved_persons),
        static_cast<unsigned long long>(stats.graph_edges),
        static_cast<unsigned long long>(stats.groups_scored));
    std::printf("%zu leads for investigation; %zu possible same-person pairs\n",
                report->networks.size(), report->same_person.size());
    for (size_t i = 0; i < report->networks.size() && i < 10; ++i) {
      const engine::Lead& lead = report->networks[i];
      std::printf("  %s  score %.2f  %zu members  %s\n", lead.id.c_str(), lead.score,
                  lead.members.size(), lead.reasons.empty() ? "" : lead.reasons.front().c_str());
    }
    for (const auto& [stage, seconds] : stats.stage_seconds)
      std::printf("  %-20s %7.2f s\n", stage.c_str(), seconds);
    std::printf("report: %s (with report.json, networks.csv, persons.csv, link_table.csv, networks.gexf)\n",
                (std::filesystem::path(args.out) / "report.html").string().c_str());
  }
  return kExitOk;
}

}  // namespace

Action AddAnalyzeCommand(CLI::App& app) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd =
      app.add_subcommand("analyze", "Flag likely recruitment networks as ranked, explained leads");
  cmd->add_option("--db", args->db, "Store directory")->required();
  cmd->add_option(
         "--out", args->out,
         "Folder for report.html, report.json, networks.csv, persons.csv, link_table.csv and "
         "networks.gexf")
      ->required();
  cmd->add_option("--config", args->config,
                  "JSON file overriding detection weights and thresholds");
  cmd->add_option("--seed", args->seed, "Seed for community detection (same seed, same report)");
  AddThreadsOption(cmd, &args->threads);
  cmd->add_flag("--quiet", args->quiet, "No progress or summary output");
  cmd->add_option("--case", args->justification, "The case this analysis is for (audit trail)");
  return [args] { return RunAnalyze(*args); };
}

}  // namespace trafnet::tools
