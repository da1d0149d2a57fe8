// The `trafnet` subcommands: each registers its options on the CLI11 app and runs when chosen.
// Wiring only: the work is done by engine/ (and storage/ through it).
#ifndef TRAFNET_TOOLS_COMMANDS_H_
#define TRAFNET_TOOLS_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "trafnet/base/status.h"
#include "trafnet/storage/audit_log.h"
#include "trafnet/storage/store.h"

namespace trafnet::tools {

// Exit codes, documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;     // the command could not do its work
inline constexpr int kExitUsage = 2;     // bad command line
inline constexpr int kExitRejected = 3;  // ingest ran but rejected rows (or aborted, --strict)
inline constexpr int kExitProblems = 4;  // verify found the store inconsistent

// A registered subcommand's action; returns the exit code.
using Action = std::function<int()>;

Action AddIngestCommand(CLI::App& app);
Action AddStatsCommand(CLI::App& app);
Action AddVerifyCommand(CLI::App& app);
Action AddIndexCommand(CLI::App& app);
Action AddExportCommand(CLI::App& app);
Action AddGenerateCommand(CLI::App& app);
Action AddProjectCommand(CLI::App& app);
Action AddRankCommand(CLI::App& app);
Action AddCommunitiesCommand(CLI::App& app);
Action AddComponentsCommand(CLI::App& app);
Action AddDisruptCommand(CLI::App& app);
Action AddAnalyzeCommand(CLI::App& app);
Action AddEvaluateCommand(CLI::App& app);
Action AddQueryCommand(CLI::App& app);
Action AddAuditCommand(CLI::App& app);
Action AddServeCommand(CLI::App& app);
Action AddUsersCommand(CLI::App& app);
Action AddPolicyCommand(CLI::App& app);

// The default of the analysis commands' --threads: the processors this machine offers (1 if it
// cannot tell), at most 256. Their results are the same for any thread count, so the default
// only decides how fast they come.
int DefaultThreads();

// The analysis commands' --threads option (1 to 256, DefaultThreads() unless given), into
// `threads`.
void AddThreadsOption(CLI::App* cmd, int* threads);

// Prints "trafnet: <message>" on stderr and returns kExitError.
int Fail(const std::string& message);

// The operating system account running the command, for audit records.
std::string CurrentUser();

// The audit trail of every command that collects, consults, combines or discloses what a store
// holds (docs/audit.md). Open it before the work, so that work that could not be recorded is
// not done; record the entry (user and role "cli" are filled in) once the outcome is known.
StatusOr<storage::AuditLog> OpenAuditTrail(const std::string& db);
Status RecordAccess(const storage::AuditLog& log, storage::AuditEntry entry);

// A note on stderr, for commands that scan the whole graph without a time window, when `store`
// was written before the link summaries (docs/storage.md) that make such scans read a record per
// node instead of one per observation, with how to build them.
void NoteMissingLinkSummaries(const storage::Store& store);

// `path` made absolute, for audit records.
std::string AbsolutePath(const std::string& path);

}  // namespace trafnet::tools

#endif  // TRAFNET_TOOLS_COMMANDS_H_
