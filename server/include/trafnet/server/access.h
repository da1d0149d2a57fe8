// Who may use a running `trafnet serve`, and as what (docs/serve.md, "Access").
//
// Every API request carries `Authorization: Bearer <token>`. A token names one user and one
// role. Two ways to hand them out:
// - a token file (`--token-file`): one token, for the investigator who started the server; serve
//   creates it with a fresh random token, mode 0600, when it is absent;
// - a users file (`--users`), one user per line, `<user> <role> sha256:<hex of the token>`, with
//   `#` comments; `trafnet users add` appends a line and prints the new token once. Only the
//   tokens' hashes are kept, so the file discloses no token.
// Either file must not be readable by group or others (like ssh's keys): a token that others can
// read is no proof of who asks.
#ifndef TRAFNET_SERVER_ACCESS_H_
#define TRAFNET_SERVER_ACCESS_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/base/status.h"

namespace trafnet::server {

// What a role may do:
//   investigator — every query; sees victims' records.
//   analyst      — every query and the analysis overlay; victims masked.
//   auditor      — the audit trail only (no queries).
//   admin        — everything.
enum class Role { kInvestigator, kAnalyst, kAuditor, kAdmin };

std::string_view RoleName(Role role);
StatusOr<Role> ParseRole(std::string_view name);  // "investigator", …

bool MayQuery(Role role);
bool SeesVictims(Role role);
bool MayReadAudit(Role role);

struct Principal {
  std::string user;
  Role role = Role::kInvestigator;
};

// A fresh token: 32 random bytes (OpenSSL's RAND_bytes) as 64 lowercase hex digits.
StatusOr<std::string> NewToken();

// The token in `file`; when the file is absent, creates it (mode 0600, exclusively) with a fresh
// token. InvalidArgument when the file is readable by group or others, or holds no token.
StatusOr<std::string> ReadOrCreateTokenFile(const std::filesystem::path& file);

// The tokens a server accepts.
class AccessList {
 public:
  // One token for one user and role (the token file).
  static AccessList SingleToken(std::string token, Principal principal);
  // The users file; errors name the file and line.
  static StatusOr<AccessList> LoadUsersFile(const std::filesystem::path& file);

  // Who holds `token`, compared in constant time against every entry; nullopt when nobody.
  std::optional<Principal> Authenticate(std::string_view token) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Principal principal;
    std::string token_sha256;  // lowercase hex
  };
  std::vector<Entry> entries_;
};

// Appends a user to a users file (created mode 0600 when absent) and returns their new token.
// InvalidArgument when the user is already listed or the name has spaces.
StatusOr<std::string> AddUser(const std::filesystem::path& file, const std::string& user,
                              Role role);

}  // namespace trafnet::server

#endif  // TRAFNET_SERVER_ACCESS_H_
