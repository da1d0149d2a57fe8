#include "trafnet/engine/store_policy.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace trafnet::engine {

std::filesystem::path StorePolicyPath(const std::filesystem::path& db) {
  return db / "policy.json";
}

StatusOr<StorePolicy> ReadStorePolicy(const std::filesystem::path& db) {
  const std::filesystem::path path = StorePolicyPath(db);
  std::ifstream in(path);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return StorePolicy();
    return IoError("cannot read " + path.string());
  }
  std::stringstream text;
  text << in.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("require_case") || !json["require_case"].is_boolean())
    return CorruptionError(path.string() +
                           ": not a trafnet policy (expected {\"require_case\": true|false}); "
                           "set it again with `trafnet policy`");
  StorePolicy policy;
  policy.require_case = json["require_case"].get<bool>();
  return policy;
}

Status WriteStorePolicy(const std::filesystem::path& db, const StorePolicy& policy) {
  const std::filesystem::path path = StorePolicyPath(db);
  const std::filesystem::path temporary = path.string() + ".tmp";
  const std::string text = nlohmann::json{{"require_case", policy.require_case}}.dump(2) + "\n";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot write " + temporary.string() + ": " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(temporary.c_str());
    return IoError("cannot write " + temporary.string() + ": " + std::strerror(saved_errno));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0)
    return IoError("cannot replace " + path.string() + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace trafnet::engine
