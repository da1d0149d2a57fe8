// End-to-end tests of the trafnet command: exit codes, golden output, and a real process killed
// with SIGKILL in the middle of an ingest.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/run_trafnet.h"
#include "support/temp_dir.h"
#include "trafnet/engine/generate.h"

extern char** environ;

namespace trafnet {
namespace {

using ::testing::HasSubstr;
using trafnet::testing::CommandResult;
using trafnet::testing::Quote;
using trafnet::testing::ReadFile;
using trafnet::testing::RunTrafnet;
using trafnet::testing::TempDir;

nlohmann::json StatsWithoutSize(const std::filesystem::path& db) {
  CommandResult stats = RunTrafnet("stats --json --db " + Quote(db));
  EXPECT_EQ(stats.exit_code, 0) << stats.output;
  auto json = nlohmann::json::parse(stats.output, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << stats.output;
  if (json.is_object()) json.erase("store_bytes");
  return json;
}

TEST(CliTest, StatsOfTheSmallWorldMatchTheGoldenFile) {
  TempDir dir;
  std::filesystem::path data = std::filesystem::path(TRAFNET_TEST_DATA_DIR) / "small_world";
  CommandResult ingest = RunTrafnet("ingest --quiet --db " + Quote(dir / "db") + " --report-dir " +
                                    Quote(dir / "r") + " " + Quote(data));
  ASSERT_EQ(ingest.exit_code, 0) << ingest.output;
  auto golden = nlohmann::json::parse(
      ReadFile(std::filesystem::path(TRAFNET_TEST_DATA_DIR) / "golden/small_world_stats.json"));
  EXPECT_EQ(StatsWithoutSize(dir / "db"), golden);
  CommandResult table = RunTrafnet("stats --db " + Quote(dir / "db"));
  EXPECT_THAT(table.output, HasSubstr("STAYED_AT"));
  CommandResult verify = RunTrafnet("verify --db " + Quote(dir / "db"));
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_THAT(verify.output, HasSubstr("store is consistent"));
}

TEST(CliTest, ExitCodesTellUsageErrorsRejectsAndFailuresApart) {
  TempDir dir;
  EXPECT_EQ(RunTrafnet("ingest").exit_code, 2);
  EXPECT_EQ(RunTrafnet("no-such-command").exit_code, 2);
  EXPECT_EQ(RunTrafnet("stats --db " + Quote(dir / "missing")).exit_code, 1);
  trafnet::testing::WriteFile(dir / "persons.csv", "id,name\nP1,Ana\n,Nobody\n");
  CommandResult ingest = RunTrafnet("ingest --quiet --db " + Quote(dir / "db") + " --report-dir " +
                                    Quote(dir / "r") + " " + Quote(dir / "persons.csv"));
  EXPECT_EQ(ingest.exit_code, 3) << ingest.output;
  EXPECT_THAT(ingest.output, HasSubstr("persons.csv:3: id: empty id"));
}

TEST(CliTest, ProgressStaysOffTheOutputWhenNotATerminal) {
  TempDir dir;
  std::filesystem::path data = std::filesystem::path(TRAFNET_TEST_DATA_DIR) / "small_world";
  CommandResult ingest = RunTrafnet("ingest --db " + Quote(dir / "db") + " --report-dir " +
                                    Quote(dir / "r") + " " + Quote(data));
  EXPECT_EQ(ingest.output.find('\r'), std::string::npos);
  EXPECT_EQ(ingest.output.find("\033["), std::string::npos);
}

pid_t Spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// kill -9 at several points of a real ingest: each time the store opens and verifies, and after
// re-running the same ingest it holds exactly what an uninterrupted run holds (same stats, and
// the same GraphML export, which carries node ids). Small commits go through WriteBatch, large
// ones through SST file ingestion: both are killed.
class KillNineTest : public ::testing::TestWithParam<int> {};

TEST_P(KillNineTest, MidIngestLeavesAConsistentStoreThatARerunCompletes) {
  const std::string commit_every = std::to_string(GetParam());
  // Node records are also committed alone in between (as a big ingest does every 250 000):
  // kills land in those commits too.
  const std::string commit_nodes_every = std::to_string(GetParam() / 4);
  TempDir dir;
  engine::GenerateOptions world;
  world.out_dir = dir / "world";
  // Under the sanitizers every process runs several times slower; a smaller world keeps the
  // test's shape (kills spread over the run) within its time limit.
#ifdef TRAFNET_SANITIZED_BUILD
  world.persons = 2500;
#else
  world.persons = 8000;
#endif
  world.networks = 3;
  world.seed = 11;
  ASSERT_TRUE(engine::GenerateWorld(world).ok());

  auto ingest_args = [&](const std::filesystem::path& db) {
    return std::vector<std::string>{TRAFNET_BINARY,
                                    "ingest",
                                    "--quiet",
                                    "--commit-every",
                                    commit_every,
                                    "--commit-nodes-every",
                                    commit_nodes_every,
                                    "--db",
                                    db.string(),
                                    "--report-dir",
                                    (dir / "reports").string(),
                                    (dir / "world").string()};
  };
  auto finish = [&](const std::filesystem::path& db) {
    pid_t pid = Spawn(ingest_args(db));
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };

  auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(finish(dir / "reference"), 0);
  double full_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Each kill is timed as a share of the uninterrupted run. A machine busy with other work makes
  // runs slower or faster than that one: a run that finished before its kill is verified, its
  // store removed (a complete store would turn the later kills into no-op reruns), and the kill
  // tried again sooner.
  int killed_mid_run = 0;
  for (double fraction : {0.1, 0.3, 0.5, 0.7, 0.9}) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      pid_t pid = Spawn(ingest_args(dir / "killed"));
      ASSERT_GT(pid, 0);
      std::this_thread::sleep_for(std::chrono::duration<double>(fraction * full_seconds / (1 << attempt)));
      kill(pid, SIGKILL);
      int status = 0;
      waitpid(pid, &status, 0);
      const bool killed = WIFSIGNALED(status);
      CommandResult verify = RunTrafnet("verify --db " + Quote(dir / "killed"));
      if (!std::filesystem::exists(dir / "killed")) {
        // Killed before the store was made (a slow start on a loaded machine): a store is created
        // whole or not at all, so there is nothing half-made to open.
        EXPECT_THAT(verify.output, HasSubstr("no trafnet store")) << "after a kill at " << fraction;
        break;
      }
      ASSERT_EQ(verify.exit_code, 0) << "after a kill at " << fraction << ": " << verify.output;
      // A kill can also land after the run recorded its outcome and before the process exited:
      // that run finished, like one the kill came too late for.
      CommandResult outcome =
          RunTrafnet("audit show --json --action ingest --db " + Quote(dir / "killed"));
      const bool finished =
          outcome.exit_code == 0 && !nlohmann::json::parse(outcome.output).empty();
      if (killed && !finished) {
        ++killed_mid_run;
        break;
      }
      std::filesystem::remove_all(dir / "killed");
    }
  }
  EXPECT_GE(killed_mid_run, 3) << "the ingest finished before most kills; the test lost its teeth";

  ASSERT_EQ(finish(dir / "killed"), 0);
  // The killed runs are in the audit trail: each recorded its start before writing anything
  // (a kill can land before that, on a slow start, so only one killed run is required to have
  // left its start), and only the run that finished recorded an outcome.
  CommandResult trail = RunTrafnet("audit show --json --db " + Quote(dir / "killed"));
  ASSERT_EQ(trail.exit_code, 0) << trail.output;
  std::vector<std::string> actions;
  for (const auto& record : nlohmann::json::parse(trail.output))
    actions.push_back(record["action"]);
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions.back(), "ingest");
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "ingest"), 1);
  EXPECT_GE(std::count(actions.begin(), actions.end(), "ingest.start"), 2)
      << "a killed ingest left no trace in the audit trail";
  EXPECT_EQ(RunTrafnet("audit verify --db " + Quote(dir / "killed")).exit_code, 0);
  EXPECT_EQ(StatsWithoutSize(dir / "killed"), StatsWithoutSize(dir / "reference"));
  for (const char* db : {"reference", "killed"}) {
    CommandResult exported = RunTrafnet("export --quiet --format graphml --db " + Quote(dir / db) +
                                        " --out " + Quote(dir / (std::string(db) + ".graphml")));
    ASSERT_EQ(exported.exit_code, 0) << exported.output;
  }
  EXPECT_TRUE(ReadFile(dir / "killed.graphml") == ReadFile(dir / "reference.graphml"))
      << "the interrupted-and-rerun store differs from the uninterrupted one";
}

// 1000 writes per commit: WriteBatch. 60000: above the SST threshold (50000).
INSTANTIATE_TEST_SUITE_P(CommitPaths, KillNineTest, ::testing::Values(1000, 60000));

}  // namespace
}  // namespace trafnet
