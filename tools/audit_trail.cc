#include <filesystem>

#include "commands.h"

namespace trafnet::tools {

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

StatusOr<storage::AuditLog> OpenAuditTrail(const std::string& db) {
  auto log = storage::AuditLog::Open(storage::AuditLogPath(db));
  if (!log.ok())
    return Status(log.status().code(), "cannot open the audit trail: " + log.status().message());
  return log;
}

Status RecordAccess(const storage::AuditLog& log, storage::AuditEntry entry) {
  entry.user = CurrentUser();
  entry.role = "cli";
  storage::AuditLog writer = log;
  auto appended = writer.Append(std::move(entry));
  if (!appended.ok())
    return Status(appended.status().code(),
                  "cannot record this in the audit trail: " + appended.status().message());
  return Status::Ok();
}

}  // namespace trafnet::tools
