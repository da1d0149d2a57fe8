// A store's access policy: rules every query of that store follows, from the command line or
// the web page, set by its administrator with `trafnet policy`. Kept beside the data in
// <db>/policy.json, so the folder's permissions protect it like the records themselves.
#ifndef TRAFNET_ENGINE_STORE_POLICY_H_
#define TRAFNET_ENGINE_STORE_POLICY_H_

#include <filesystem>

#include "trafnet/base/status.h"

namespace trafnet::engine {

struct StorePolicy {
  // Queries must state the case they are made for (--case, or the page's case number); those
  // without one are refused, and the refusal is recorded in the audit trail.
  bool require_case = false;
};

// <db>/policy.json.
std::filesystem::path StorePolicyPath(const std::filesystem::path& db);

// The store's policy; the defaults when it has none. A file that does not parse is Corruption:
// queries are refused rather than run under rules nobody set.
StatusOr<StorePolicy> ReadStorePolicy(const std::filesystem::path& db);

// Replaces the policy atomically (a temporary file, fsync'd, renamed over the old one).
Status WriteStorePolicy(const std::filesystem::path& db, const StorePolicy& policy);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_STORE_POLICY_H_
