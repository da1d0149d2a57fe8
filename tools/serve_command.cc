// trafnet serve | users add | policy
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "commands.h"
#include "trafnet/engine/store_policy.h"
#include "trafnet/server/access.h"
#include "trafnet/server/server.h"
#include "trafnet/storage/audit_log.h"

namespace trafnet::tools {

namespace {

struct ServeArgs {
  std::string db;
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string token_file, users_file, report, role = "investigator";
  std::vector<std::string> allowed_hosts;
  int threads = 8;
  bool quiet = false;
};

// ~/.config/trafnet/token (the folder made private when it is created).
std::filesystem::path DefaultTokenFile() {
  std::filesystem::path base;
  if (const char* config = std::getenv("XDG_CONFIG_HOME"); config != nullptr && *config != '\0') {
    base = config;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    base = std::filesystem::path(home) / ".config";
  } else {
    base = ".";
  }
  return base / "trafnet" / "token";
}

int Serve(const ServeArgs& args) {
  server::ServerOptions options;
  options.db = args.db;
  options.bind = args.bind;
  options.port = args.port;
  options.allowed_hosts = args.allowed_hosts;
  options.report = args.report;
  options.threads = args.threads;
  options.log_requests = !args.quiet;
  std::string token;
  if (!args.users_file.empty()) {
    auto access = server::AccessList::LoadUsersFile(args.users_file);
    if (!access.ok()) return Fail(access.status().message());
    options.access = std::make_shared<server::AccessList>(std::move(*access));
  } else {
    auto role = server::ParseRole(args.role);
    if (!role.ok()) return Fail(role.status().message());
    const std::filesystem::path file =
        args.token_file.empty() ? DefaultTokenFile() : std::filesystem::path(args.token_file);
    std::error_code ec;
    if (args.token_file.empty() && !std::filesystem::exists(file.parent_path(), ec)) {
      std::filesystem::create_directories(file.parent_path(), ec);
      std::filesystem::permissions(file.parent_path(), std::filesystem::perms::owner_all, ec);
    }
    auto read = server::ReadOrCreateTokenFile(file);
    if (!read.ok()) return Fail(read.status().message());
    token = *read;
    options.access = std::make_shared<server::AccessList>(
        server::AccessList::SingleToken(token, server::Principal{CurrentUser(), *role}));
  }
  // Ctrl-C and kill stop the server cleanly: requests in flight finish, the store is closed.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: they inherit it
  auto server = server::Server::Start(std::move(options));
  if (!server.ok()) return Fail(server.status().message());
  std::printf("listening on %s\n", (*server)->url().c_str());
  if (!token.empty()) std::printf("open %s#token=%s\n", (*server)->url().c_str(), token.c_str());
  std::fflush(stdout);
  int signal = 0;
  sigwait(&signals, &signal);
  if (!args.quiet) std::fprintf(stderr, "trafnet serve: stopping\n");
  (*server)->Stop();
  return kExitOk;
}

}  // namespace

Action AddServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand(
      "serve", "Answer queries over HTTP on this machine, with the investigator page");
  cmd->add_option("--db", args->db, "Store directory")->required();
  cmd->add_option("--port", args->port, "TCP port (0: any free one)")
      ->default_val(8080)
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--bind", args->bind, "Address to listen on")->default_val("127.0.0.1");
  cmd->add_option("--token-file", args->token_file,
                  "File with the access token; created with a fresh one (mode 0600) when absent "
                  "(default ~/.config/trafnet/token)");
  cmd->add_option("--role", args->role,
                  "Role of the token file's holder: investigator, analyst, auditor or admin")
      ->default_val("investigator");
  cmd->add_option("--users", args->users_file,
                  "Users file (`trafnet users add`): one token per user and role")
      ->excludes("--token-file");
  cmd->add_option("--report", args->report,
                  "A `trafnet analyze` report.json to colour by network and risk (default: that "
                  "of the latest analyze run on this store, from its audit trail)");
  cmd->add_option("--allow-host", args->allowed_hosts,
                  "Another name the Host header may carry (a proxy's)");
  cmd->add_option("--threads", args->threads, "Worker threads")
      ->default_val(8)
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--quiet", args->quiet, "No request log on stderr");
  return [args] { return Serve(*args); };
}

Action AddUsersCommand(CLI::App& app) {
  struct UsersArgs {
    std::string file, user, role;
  };
  auto args = std::make_shared<UsersArgs>();
  auto* cmd = app.add_subcommand("users", "Manage the users file of `trafnet serve --users`");
  cmd->require_subcommand(1);
  auto* add =
      cmd->add_subcommand("add", "Add a user with a role and print their new token (shown once)");
  add->add_option("--file", args->file, "The users file (created mode 0600)")->required();
  add->add_option("--user", args->user, "User name")->required();
  add->add_option("--role", args->role, "investigator, analyst, auditor or admin")->required();
  return [args] {
    auto role = server::ParseRole(args->role);
    if (!role.ok()) return Fail(role.status().message());
    auto token = server::AddUser(args->file, args->user, *role);
    if (!token.ok()) return Fail(token.status().message());
    std::printf("%s\n", token->c_str());
    return kExitOk;
  };
}

Action AddPolicyCommand(CLI::App& app) {
  struct PolicyArgs {
    std::string db, require_case;
  };
  auto args = std::make_shared<PolicyArgs>();
  auto* cmd = app.add_subcommand("policy", "Show or set the store's access policy");
  cmd->add_option("--db", args->db, "Store directory")->required();
  cmd->add_option("--require-case", args->require_case, "on: every query must give a case number")
      ->check(CLI::IsMember({"on", "off"}));
  return [args] {
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(args->db) / "CURRENT", ec))
      return Fail("no store at " + args->db);
    auto policy = engine::ReadStorePolicy(args->db);
    if (!args->require_case.empty()) {
      engine::StorePolicy updated = policy.ok() ? *policy : engine::StorePolicy();
      updated.require_case = args->require_case == "on";
      // A change of the rules is itself accountable.
      auto log = OpenAuditTrail(args->db);
      if (!log.ok()) return Fail(log.status().message());
      Status written = engine::WriteStorePolicy(args->db, updated);
      storage::AuditEntry entry;
      entry.action = "policy.set";
      entry.parameters.emplace_back("require_case", args->require_case);
      entry.outcome = written.ok() ? "ok" : "error: " + written.message();
      if (Status recorded = RecordAccess(*log, std::move(entry)); !recorded.ok()) return Fail(recorded.message());
      if (!written.ok()) return Fail(written.message());
      policy = updated;
    }
    if (!policy.ok()) return Fail(policy.status().message());
    std::printf("require_case: %s\n", policy->require_case ? "on" : "off");
    return kExitOk;
  };
}

}  // namespace trafnet::tools
