// trafnet: find human-trafficking recruitment networks in what police hold.
#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <thread>

#include "commands.h"

namespace trafnet::tools {

void NoteMissingLinkSummaries(const storage::Store& store) {
  if (!store.HasNodeHeads() && store.HasLinkSummaries()) {
    std::fputs(
        "trafnet: note: this store was written before node heads; graph scans read every node "
        "record, which is slower. `trafnet index --db DIR` (or the next ingest) builds them.\n",
        stderr);
  }
  if (store.HasLinkSummaries()) return;
  std::fputs(
      "trafnet: note: this store was written before link summaries in their current layout "
      "(chunks of 1024 nodes); graph scans read every observation, which is slower. `trafnet "
      "index --db DIR` (or the next ingest) builds them.\n",
      stderr);
}

int DefaultThreads() {
  // The processors this process may run on (taskset and cpusets narrow them), else all of them.
  int count = 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) count = CPU_COUNT(&set);
  if (count <= 0) count = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(count, 1, 256);
}

void AddThreadsOption(CLI::App* cmd, int* threads) {
  *threads = DefaultThreads();
  cmd->add_option("--threads", *threads,
                  "Worker threads (default: this machine's processors); the results are the same "
                  "for any number")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "trafnet: %s\n", message.c_str());
  return kExitError;
}

}  // namespace trafnet::tools

int main(int argc, char** argv) {
  using namespace trafnet::tools;  // NOLINT: main only wires the subcommands
  CLI::App app{"trafnet — graph analytics for finding human-trafficking recruitment networks"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("trafnet 0.1.0"));
  std::map<CLI::App*, Action> actions;
  auto add = [&](Action (*adder)(CLI::App&)) {
    size_t before = app.get_subcommands({}).size();
    Action action = adder(app);
    actions[app.get_subcommands({})[before]] = std::move(action);
  };
  add(AddIngestCommand);
  add(AddStatsCommand);
  add(AddVerifyCommand);
  add(AddIndexCommand);
  add(AddExportCommand);
  add(AddGenerateCommand);
  add(AddProjectCommand);
  add(AddRankCommand);
  add(AddCommunitiesCommand);
  add(AddComponentsCommand);
  add(AddDisruptCommand);
  add(AddAnalyzeCommand);
  add(AddEvaluateCommand);
  add(AddQueryCommand);
  add(AddAuditCommand);
  add(AddServeCommand);
  add(AddUsersCommand);
  add(AddPolicyCommand);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [command, action] : actions) {
    if (command->parsed()) return action();
  }
  return kExitUsage;
}
