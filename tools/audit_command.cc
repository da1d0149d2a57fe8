// trafnet audit verify | show
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "trafnet/storage/audit_log.h"

namespace trafnet::tools {

// The operating system account running the command (not $USER, which anyone can set).
std::string CurrentUser() {
  if (const passwd* entry = ::getpwuid(::geteuid());
      entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  return "uid " + std::to_string(::geteuid());
}

namespace {

// An existing store's existing log: neither command creates one (verify must not write, and
// show has nothing to show).
StatusOr<storage::AuditLog> OpenStoreLog(const std::string& db) {
  std::error_code ec;
  if (!std::filesystem::is_directory(db, ec)) return NotFoundError("no store at " + db);
  std::filesystem::path file = storage::AuditLogPath(db);
  if (!std::filesystem::exists(file, ec)) {
    return NotFoundError("no audit log at " + file.string() +
                         " (nothing has been logged in this store yet)");
  }
  return storage::AuditLog::Open(file);
}

// "2026-11-28" or a longer ISO 8601 UTC prefix of "2026-11-28T19:40:00Z".
std::string CheckIsoTime(std::string& text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  bool ok = text.size() >= 10 && text.size() <= kShape.size();
  for (size_t i = 0; ok && i < text.size(); ++i) {
    ok = kShape[i] == 'd' ? (text[i] >= '0' && text[i] <= '9') : text[i] == kShape[i];
  }
  return ok ? ""
            : "expected an ISO 8601 UTC date or time such as 2026-11-28 or 2026-11-28T19:40:00Z";
}

// Control characters would break the table's lines.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

// Characters, not bytes, so that names with diacritics keep the columns aligned.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (char c : text) width += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return width;
}

std::string Table(const std::vector<storage::AuditRecord>& records) {
  std::vector<std::vector<std::string>> rows = {
      {"SEQ", "TIME", "USER", "ROLE", "ACTION", "PARAMETERS", "IDS", "JUSTIFICATION", "OUTCOME"}};
  for (const auto& record : records) {
    const storage::AuditEntry& entry = record.entry;
    std::vector<std::string> parameters;
    for (const auto& [name, value] : entry.parameters) parameters.push_back(name + "=" + value);
    rows.push_back({std::to_string(record.seq), entry.time, entry.user, entry.role, entry.action,
                    fmt::format("{}", fmt::join(parameters, " ")), std::to_string(entry.ids.size()),
                    entry.justification, entry.outcome});
  }
  for (auto& row : rows) {
    for (auto& cell : row) cell = Printable(cell);
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out += std::string(widths[i] - DisplayWidth(row[i]) + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

std::string JsonArray(const std::vector<storage::AuditRecord>& records) {
  if (records.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t i = 0; i < records.size(); ++i) {
    out += storage::AuditRecordToJson(records[i]);
    out += i + 1 < records.size() ? ",\n" : "\n";
  }
  return out + "]\n";
}

struct ShowArgs {
  std::string db;
  bool json = false;
  std::string action;
  std::string user;
  std::string since;
};

int Show(const ShowArgs& args) {
  auto log = OpenStoreLog(args.db);
  if (!log.ok()) return Fail(log.status().message());
  auto records = log->ReadAll();

  // Reading the audit trail is itself an access, logged before anything is shown: what cannot be
  // logged is not shown.
  storage::AuditEntry access;
  access.user = CurrentUser();
  access.role = "auditor";
  access.action = "audit.show";
  std::error_code ec;
  std::filesystem::path db = std::filesystem::absolute(args.db, ec);
  access.parameters.emplace_back("db", ec ? args.db : db.lexically_normal().string());
  if (!args.action.empty()) access.parameters.emplace_back("action", args.action);
  if (!args.user.empty()) access.parameters.emplace_back("user", args.user);
  if (!args.since.empty()) access.parameters.emplace_back("since", args.since);
  access.parameters.emplace_back("format", args.json ? "json" : "table");
  access.outcome = records.ok() ? "ok" : "error: " + records.status().message();
  auto logged = log->Append(std::move(access));
  if (!records.ok()) return Fail(records.status().message());
  if (!logged.ok()) {
    return Fail("not showing the audit log, as this access could not be logged: " +
                logged.status().message());
  }

  std::vector<storage::AuditRecord> shown;
  for (auto& record : *records) {
    const storage::AuditEntry& entry = record.entry;
    if (!args.action.empty() && entry.action != args.action) continue;
    if (!args.user.empty() && entry.user != args.user) continue;
    // Same fixed spelling, so string order is time order; a date alone is that day's start.
    if (!args.since.empty() && entry.time < args.since) continue;
    shown.push_back(std::move(record));
  }
  std::string text = args.json ? JsonArray(shown) : Table(shown);
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

struct VerifyArgs {
  std::string db;
  std::string expect_head;
  bool json = false;
};

int Verify(const VerifyArgs& args) {
  auto log = OpenStoreLog(args.db);
  if (!log.ok()) return Fail(log.status().message());
  auto report = log->Verify(args.expect_head);
  if (!report.ok()) return Fail(report.status().message());
  if (args.json) {
    nlohmann::ordered_json json;
    json["log"] = log->path().string();
    json["records"] = report->records;
    json["head_seq"] = report->head_seq;
    json["head_hash"] = report->head_hash;
    if (!args.expect_head.empty()) {
      json["expected_head"] = args.expect_head;
      json["expected_head_seq"] = report->expected_head_seq;
    }
    json["ok"] = report->ok();
    json["problems"] = report->problems;
    std::puts(json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
  } else {
    std::printf("audit log %s: %llu records\n", log->path().c_str(),
                static_cast<unsigned long long>(report->records));
    std::printf("head: seq %llu hash %s\n", static_cast<unsigned long long>(report->head_seq),
                report->head_hash.c_str());
    if (!args.expect_head.empty() && report->expected_head_seq > 0) {
      std::printf("expected head is seq %llu; %llu records appended since\n",
                  static_cast<unsigned long long>(report->expected_head_seq),
                  static_cast<unsigned long long>(report->head_seq - report->expected_head_seq));
    }
    for (const auto& problem : report->problems) std::printf("problem: %s\n", problem.c_str());
    if (report->ok()) std::printf("audit log is consistent\n");
    std::error_code ec;
    std::filesystem::path torn = log->path().string() + ".torn";
    if (std::filesystem::exists(torn, ec)) {
      std::printf("note: %s holds the incomplete ends of interrupted writes, cut from the log\n",
                  torn.c_str());
    }
  }
  return report->ok() ? kExitOk : kExitProblems;
}

}  // namespace

Action AddAuditCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("audit", "Check or show the store's audit log (docs/audit.md)");
  cmd->require_subcommand(1);

  auto* verify = cmd->add_subcommand(
      "verify", "Check the audit log's hash chain; exit 4 when it was altered or cut");
  auto verify_args = std::make_shared<VerifyArgs>();
  verify->add_option("--db", verify_args->db, "Store directory")->required();
  verify->add_option("--expect-head", verify_args->expect_head,
                     "A head hash noted earlier: it must still be in the log");
  verify->add_flag("--json", verify_args->json, "Print JSON instead of text");

  auto* show = cmd->add_subcommand("show", "Print the audit log (this access is logged too)");
  auto show_args = std::make_shared<ShowArgs>();
  show->add_option("--db", show_args->db, "Store directory")->required();
  show->add_flag("--json", show_args->json, "Print a JSON array of records instead of a table");
  show->add_option("--action", show_args->action, "Only records of this action");
  show->add_option("--user", show_args->user, "Only records of this user");
  show->add_option("--since", show_args->since, "Only records at or after this UTC date or time")
      ->check(CLI::Validator(CheckIsoTime, "ISO"));

  return [=]() {
    if (verify->parsed()) return Verify(*verify_args);
    return Show(*show_args);
  };
}

}  // namespace trafnet::tools
