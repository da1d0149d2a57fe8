// Runs the trafnet binary built beside the tests, as a user would.
#ifndef TRAFNET_TESTS_SUPPORT_RUN_TRAFNET_H_
#define TRAFNET_TESTS_SUPPORT_RUN_TRAFNET_H_

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace trafnet::testing {

// What a run printed (stdout and stderr together) and how it exited.
struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs a shell command line, collecting what it prints (redirect stderr in `command` to see it).
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs `trafnet <args>` through the shell (quote paths with Quote).
inline CommandResult RunTrafnet(const std::string& args) {
  return RunCommand(std::string(TRAFNET_BINARY) + " " + args + " 2>&1");
}

inline std::string Quote(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

}  // namespace trafnet::testing

#endif  // TRAFNET_TESTS_SUPPORT_RUN_TRAFNET_H_
