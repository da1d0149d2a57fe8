// trafnet ingest | generate
#include <fmt/format.h>

#include <cstdio>

#include "commands.h"
#include "trafnet/engine/generate.h"
#include "trafnet/engine/ingest.h"
#include "trafnet/engine/progress.h"
#include "trafnet/storage/store.h"

namespace trafnet::tools {

namespace {

void PrintSummary(const engine::IngestSummary& s) {
  double rate = s.seconds > 0 ? static_cast<double>(s.rows_read) / s.seconds : 0;
  if (s.aborted) {
    fmt::print("ingest aborted (--strict): {} of {} rows rejected; nothing was written\n", s.rows_rejected,
               s.rows_read);
  } else {
    fmt::print("ingest run {}: {} files, {} rows in {:.1f} s ({} rows/s)\n", s.run, s.files.size(), s.rows_read,
               s.seconds, engine::HumanCount(rate));
    fmt::print("  rows          read {}  rejected {}\n", s.rows_read, s.rows_rejected);
    if (s.files_rejected > 0) fmt::print("  files rejected whole: {}\n", s.files_rejected);
    fmt::print("  nodes         added {}  merged {}  unchanged {}\n", s.nodes_added, s.nodes_merged,
               s.nodes_unchanged);
    fmt::print("  links         added {}\n", s.links_added);
    fmt::print("  observations  added {}  updated {}  unchanged {}\n", s.observations_added,
               s.observations_updated, s.observations_unchanged);
    if (s.invalid_phones > 0) fmt::print("  phones kept but flagged as not valid numbers: {}\n", s.invalid_phones);
  }
  for (const auto& file : s.files) {
    fmt::print("  {}: {}{} rows, {} rejected{}\n", file.path, file.rejected ? "REJECTED WHOLE, " : "", file.rows_read, file.rows_rejected,
               file.unknown_columns.empty() ? "" : ", extra columns kept: " + fmt::format("{}", fmt::join(file.unknown_columns, ", ")));
  }
  for (const auto& ignored : s.ignored_files) fmt::print("  ignored (not an input file): {}\n", ignored);
  if (s.AnythingRejected()) {
    fmt::print("rejected rows are listed in {}; the first ones:\n", s.rejects_path.string());
    for (const auto& r : s.rejects_shown) {
      fmt::print("  {}:{}: {}{}\n", r.file, r.line, r.field.empty() ? "" : r.field + ": ", r.reason);
    }
  }
  fmt::print("summary: {}\n", s.summary_path.string());
}

}  // namespace

Action AddIngestCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("ingest", "Validate, normalise and store CSV / JSONL files");
  auto db = std::make_shared<std::string>();
  auto options = std::make_shared<engine::IngestOptions>();
  auto paths = std::make_shared<std::vector<std::string>>();
  auto report_dir = std::make_shared<std::string>(".");
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--db", *db, "Store directory (created if missing)")->required();
  cmd->add_option("--region", options->region, "Region for numbers without international prefix")
      ->default_val("RS");
  cmd->add_flag("--strict", options->strict, "Any bad row aborts the ingest with nothing written");
  cmd->add_flag("--quiet", options->quiet, "No progress line");
  cmd->add_flag("--json", *json, "Print the summary as JSON");
  cmd->add_option("--report-dir", *report_dir, "Where the summary and rejects files go")->default_val(".");
  cmd->add_option("--commit-every", options->commit_every, "Row-level writes per atomic commit")
      ->group("");  // for tests and tuning; not in --help
  cmd->add_option("--commit-nodes-every", options->commit_nodes_every,
                  "Pending node records that trigger a commit of the nodes alone")
      ->group("");  // for tests and tuning; not in --help
  cmd->add_option("paths", *paths, "Dataset folders or files")->required();
  auto justification = std::make_shared<std::string>();
  cmd->add_option("--case", *justification, "The case these records were collected for (audit trail)");
  return [=]() {
    auto store = storage::Store::Open(*db);
    if (!store.ok()) return Fail(store.status().message());
    auto log = OpenAuditTrail(*db);
    if (!log.ok()) return Fail(log.status().message());
    options->report_dir = *report_dir;
    std::vector<std::filesystem::path> inputs(paths->begin(), paths->end());
    // Collection, like consultation, is accountable (docs/audit.md): the start is recorded
    // before anything is written, so an ingest killed half-way still left its trace, and the
    // outcome once known.
    storage::AuditEntry entry;
    entry.action = "ingest.start";
    for (const std::string& path : *paths) entry.parameters.emplace_back("input", AbsolutePath(path));
    entry.parameters.emplace_back("region", options->region);
    if (options->strict) entry.parameters.emplace_back("strict", "true");
    entry.justification = *justification;
    entry.outcome = "started: its outcome follows in an ingest record";
    if (Status recorded = RecordAccess(*log, entry); !recorded.ok())
      return Fail(recorded.message());
    auto summary = engine::Ingest(**store, inputs, *options);
    entry.action = "ingest";
    entry.outcome = !summary.ok() ? "error: " + summary.status().message()
                    : summary->aborted
                        ? "aborted: nothing written"
                        : fmt::format("ok: run {}, {} rows read, {} rejected, {} nodes and {} links added",
                                      summary->run, summary->rows_read, summary->rows_rejected,
                                      summary->nodes_added, summary->links_added);
    if (Status recorded = RecordAccess(*log, std::move(entry)); !recorded.ok()) return Fail(recorded.message());
    if (!summary.ok()) return Fail(summary.status().message());
    if (*json) {
      std::puts(summary->ToJson().c_str());
    } else {
      PrintSummary(*summary);
    }
    return summary->AnythingRejected() ? kExitRejected : kExitOk;
  };
}

Action AddGenerateCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("generate", "Write a synthetic world with planted recruitment networks");
  auto options = std::make_shared<engine::GenerateOptions>();
  auto out = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  cmd->add_option("--out", *out, "Folder for the input files (persons, addresses, phones, links .csv) and the answers (truth.csv, truth_networks.csv, decoys.csv)")
      ->required();
  cmd->add_option("--persons", options->persons, "Ordinary persons")->default_val(10000);
  cmd->add_option("--networks", options->networks, "Planted recruitment networks")->default_val(5);
  cmd->add_option("--seed", options->seed, "Random seed")->default_val(1);
  cmd->add_flag("--quiet", *quiet, "No progress line");
  return [=]() {
    options->out_dir = *out;
    engine::Progress progress("generate", 1000, *quiet);
    auto summary = engine::GenerateWorld(*options, [&](double fraction) {
      progress.Update(static_cast<uint64_t>(fraction * 1000), 0);
    });
    progress.Finish();
    if (!summary.ok()) return Fail(summary.status().message());
    fmt::print("generated in {}: {} persons, {} addresses, {} phones, {} links, {} planted members\n", *out,
               summary->persons, summary->addresses, summary->phones, summary->links, summary->planted_members);
    return kExitOk;
  };
}

}  // namespace trafnet::tools
