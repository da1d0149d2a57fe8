// trafnet stats | verify | index | export
#include <chrono>
#include <cstdio>
#include <functional>

#include "commands.h"
#include "trafnet/engine/export.h"
#include "trafnet/engine/progress.h"
#include "trafnet/engine/stats.h"
#include "trafnet/storage/store.h"

namespace trafnet::tools {

namespace {

struct StoreArgs {
  std::string db;
};

// Read-only: no write lock, so these commands work while an ingest runs in another process.
StatusOr<std::unique_ptr<storage::Store>> OpenExisting(const std::string& db) {
  storage::StoreOptions options;
  options.create_if_missing = false;
  options.read_only = true;
  return storage::Store::Open(db, options);
}

}  // namespace

Action AddStatsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("stats", "Count what is in the store: nodes by kind, links by type, sources");
  auto db = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--db", *db, "Store directory")->required();
  cmd->add_flag("--json", *json, "Print JSON instead of a table");
  return [=]() {
    auto store = OpenExisting(*db);
    if (!store.ok()) return Fail(store.status().message());
    std::string text = *json ? engine::StatsJson(**store, true) + "\n" : engine::StatsTable(**store);
    std::fputs(text.c_str(), stdout);
    return kExitOk;
  };
}

Action AddVerifyCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("verify", "Check RocksDB checksums and the store's invariants");
  auto db = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  cmd->add_option("--db", *db, "Store directory")->required();
  cmd->add_flag("--quiet", *quiet, "No progress lines");
  return [=]() {
    auto store = OpenExisting(*db);
    if (!store.ok()) return Fail(store.status().message());
    StatusOr<storage::VerifyReport> report = [&] {
      engine::StepProgress progress("verify", *quiet);
      return (*store)->Verify(progress.fn());
    }();
    if (!report.ok()) return Fail(report.status().message());
    std::printf("checked %llu nodes, %llu links, %llu index entries\n",
                static_cast<unsigned long long>(report->nodes_checked),
                static_cast<unsigned long long>(report->links_checked),
                static_cast<unsigned long long>(report->index_entries_checked));
    if (report->ok()) {
      std::printf("store is consistent\n");
      return kExitOk;
    }
    for (const auto& problem : report->problems) std::printf("problem: %s\n", problem.c_str());
    return kExitProblems;
  };
}

Action AddIndexCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "index",
      "Build the name-word index, the link summaries and the node heads of a store written "
      "before they existed (ingest does it too)");
  auto db = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  cmd->add_option("--db", *db, "Store directory")->required();
  cmd->add_flag("--quiet", *quiet, "No progress line");
  return [=]() {
    storage::StoreOptions options;
    options.create_if_missing = false;
    auto store = storage::Store::Open(*db, options);
    if (!store.ok()) return Fail(store.status().message());
    // Builds one index with a progress line, then prints "<what> built: N <unit> in T s".
    auto build = [&](const char* what, bool had, const char* unit,
                     const std::function<StatusOr<uint64_t>(const storage::StepProgressFn&)>& run) {
      const auto started = std::chrono::steady_clock::now();
      auto built = [&] {
        engine::StepProgress progress(what, *quiet);
        return run(progress.fn());
      }();
      if (!built.ok()) return Fail(built.status().message());
      std::printf(
          "%s %s: %llu %s in %.1f s\n", what, had ? "rewritten" : "built",
          static_cast<unsigned long long>(*built), unit,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      return kExitOk;
    };
    storage::Store& s = **store;
    if (int code = build("name-word index", s.HasNameWordIndex(), "persons",
                         [&](const auto& fn) { return s.BuildNameWordIndex(fn); });
        code != kExitOk)
      return code;
    if (int code = build("link summaries", s.HasLinkSummaries(), "links",
                         [&](const auto& fn) { return s.BuildLinkSummaries(fn); });
        code != kExitOk)
      return code;
    if (int code = build("node heads", s.HasNodeHeads(), "nodes",
                         [&](const auto& fn) { return s.BuildNodeHeads(fn); });
        code != kExitOk)
      return code;
    return kExitOk;
  };
}

Action AddExportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Write the store as CSV, JSON Lines, GraphML or GEXF");
  auto db = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("csv");
  auto out = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  cmd->add_option("--db", *db, "Store directory")->required();
  cmd->add_option("--format", *format, "csv | jsonl | graphml | gexf")
      ->check(CLI::IsMember({"csv", "jsonl", "graphml", "gexf"}));
  cmd->add_option("--out", *out, "Folder (csv) or file (jsonl, graphml, gexf)")->required();
  cmd->add_flag("--quiet", *quiet, "No progress output");
  auto justification = std::make_shared<std::string>();
  cmd->add_option("--case", *justification, "The case this export is for (audit trail)");
  return [=]() {
    auto store = OpenExisting(*db);
    if (!store.ok()) return Fail(store.status().message());
    auto parsed = engine::ParseExportFormat(*format);
    if (!parsed.ok()) return Fail(parsed.status().message());
    auto log = OpenAuditTrail(*db);
    if (!log.ok()) return Fail(log.status().message());
    engine::ExportOptions options{*parsed, *out, *quiet};
    auto summary = engine::Export(**store, options);
    // A disclosure of everything: recorded like any query (docs/audit.md).
    storage::AuditEntry entry;
    entry.action = "export";
    entry.parameters = {{"format", *format}, {"out", AbsolutePath(*out)}};
    entry.justification = *justification;
    entry.outcome = summary.ok() ? "ok: " + std::to_string(summary->nodes) + " nodes and " +
                                       std::to_string(summary->links) + " links"
                                 : "error: " + summary.status().message();
    if (Status recorded = RecordAccess(*log, std::move(entry)); !recorded.ok()) return Fail(recorded.message());
    if (!summary.ok()) return Fail(summary.status().message());
    std::printf("exported %llu nodes and %llu links (%llu records) to %s\n",
                static_cast<unsigned long long>(summary->nodes),
                static_cast<unsigned long long>(summary->links),
                static_cast<unsigned long long>(summary->rows), out->c_str());
    return kExitOk;
  };
}

}  // namespace trafnet::tools
