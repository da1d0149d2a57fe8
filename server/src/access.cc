#include "trafnet/server/access.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace trafnet::server {

namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string Sha256Hex(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return Hex(digest.data(), length);
}

// Tokens must be files only their owner reads.
Status CheckPrivate(const std::filesystem::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0)
    return IoError("cannot read " + file.string() + ": " + std::strerror(errno));
  if ((info.st_mode & 077) != 0) {
    return InvalidArgumentError(file.string() + " is readable by others (mode " +
                                std::to_string((info.st_mode >> 6) & 7) +
                                std::to_string((info.st_mode >> 3) & 7) +
                                std::to_string(info.st_mode & 7) + "): chmod 600 it");
  }
  return Status::Ok();
}

// Creates `file` exclusively, mode 0600 whatever the umask, holding `text`.
Status WriteNewPrivateFile(const std::filesystem::path& file, const std::string& text,
                           bool append) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_EXCL);
  int fd = ::open(file.c_str(), flags, 0600);
  if (fd < 0) return IoError("cannot write " + file.string() + ": " + std::strerror(errno));
  const bool ok = ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok) return IoError("cannot write " + file.string() + ": " + std::strerror(saved_errno));
  return Status::Ok();
}

bool IsHexToken(std::string_view text) {
  if (text.size() < 32) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kInvestigator:
      return "investigator";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAuditor:
      return "auditor";
    case Role::kAdmin:
      return "admin";
  }
  return "investigator";
}

StatusOr<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kInvestigator, Role::kAnalyst, Role::kAuditor, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return InvalidArgumentError("unknown role '" + std::string(name) +
                              "' (investigator, analyst, auditor or admin)");
}

bool MayQuery(Role role) { return role != Role::kAuditor; }
bool SeesVictims(Role role) { return role == Role::kInvestigator || role == Role::kAdmin; }
bool MayReadAudit(Role role) { return role == Role::kAuditor || role == Role::kAdmin; }

StatusOr<std::string> NewToken() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    return InternalError("no randomness for a token (OpenSSL RAND_bytes failed)");
  return Hex(bytes.data(), bytes.size());
}

StatusOr<std::string> ReadOrCreateTokenFile(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    TRAFNET_ASSIGN_OR_RETURN(std::string token, NewToken());
    TRAFNET_RETURN_IF_ERROR(WriteNewPrivateFile(file, token + "\n", /*append=*/false));
    return token;
  }
  TRAFNET_RETURN_IF_ERROR(CheckPrivate(file));
  std::ifstream in(file);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (!IsHexToken(token))
    return InvalidArgumentError(file.string() +
                                ": line 1: not a token (32 or more hex digits); "
                                "delete the file to get a fresh one");
  return token;
}

AccessList AccessList::SingleToken(std::string token, Principal principal) {
  AccessList list;
  list.entries_.push_back(Entry{std::move(principal), Sha256Hex(token)});
  return list;
}

StatusOr<AccessList> AccessList::LoadUsersFile(const std::filesystem::path& file) {
  TRAFNET_RETURN_IF_ERROR(CheckPrivate(file));
  std::ifstream in(file);
  if (!in) return IoError("cannot read " + file.string());
  AccessList list;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string user, role_name, hash, extra;
    fields >> user >> role_name >> hash >> extra;
    const std::string where = file.string() + ": line " + std::to_string(number) + ": ";
    if (user.empty()) continue;
    if (hash.rfind("sha256:", 0) != 0 || hash.size() != 7 + 64 || !extra.empty())
      return InvalidArgumentError(where + "expected '<user> <role> sha256:<64 hex digits>'");
    auto role = ParseRole(role_name);
    if (!role.ok()) return InvalidArgumentError(where + "role: " + role.status().message());
    list.entries_.push_back(Entry{Principal{user, *role}, hash.substr(7)});
  }
  if (list.entries_.empty()) return InvalidArgumentError(file.string() + ": no users");
  return list;
}

std::optional<Principal> AccessList::Authenticate(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  const std::string hash = Sha256Hex(token);
  std::optional<Principal> found;
  // Every entry is compared, in constant time, whatever matched: timing says nothing.
  for (const Entry& entry : entries_) {
    if (entry.token_sha256.size() == hash.size() &&
        CRYPTO_memcmp(entry.token_sha256.data(), hash.data(), hash.size()) == 0 && !found)
      found = entry.principal;
  }
  return found;
}

StatusOr<std::string> AddUser(const std::filesystem::path& file, const std::string& user,
                              Role role) {
  if (user.empty() || user.find_first_of(" \t\r\n#") != std::string::npos)
    return InvalidArgumentError("a user name has no spaces or '#': '" + user + "'");
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    TRAFNET_RETURN_IF_ERROR(CheckPrivate(file));
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string listed;
      fields >> listed;
      if (listed == user) return InvalidArgumentError(user + " is already in " + file.string());
    }
  }
  TRAFNET_ASSIGN_OR_RETURN(std::string token, NewToken());
  const std::string line =
      user + " " + std::string(RoleName(role)) + " sha256:" + Sha256Hex(token) + "\n";
  TRAFNET_RETURN_IF_ERROR(WriteNewPrivateFile(file, line, /*append=*/true));
  return token;
}

}  // namespace trafnet::server
