#include "trafnet/storage/audit_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <ctime>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

namespace trafnet::storage {

namespace {

constexpr std::string_view kCanonicalTag = "trafnet.audit/1";
constexpr size_t kTailChunkBytes = 64 << 10;
constexpr std::array<std::string_view, 11> kRecordKeys = {
    "seq", "time",          "user",    "role", "action", "parameters",
    "ids", "justification", "outcome", "prev", "hash"};

std::string ErrnoMessage(int err) {
  return std::error_code(err, std::generic_category()).message();
}

// An open file descriptor, closed (which also releases its flock) when it goes out of scope.
class File {
 public:
  explicit File(int fd) : fd_(fd) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(File&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  File& operator=(File&&) = delete;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
};

// Opens the file and takes `lock_op` (LOCK_SH or LOCK_EX) on it, waiting for other holders. A
// fresh open file description every time, so that the lock excludes threads too.
StatusOr<File> OpenLocked(const std::filesystem::path& path, int flags, int lock_op) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return NotFoundError("no audit log at " + path.string());
    return IoError(fmt::format("cannot open audit log {}: {}", path.string(), ErrnoMessage(err)));
  }
  File file(fd);
  while (::flock(fd, lock_op) != 0) {
    if (errno != EINTR) {
      return IoError(
          fmt::format("cannot lock audit log {}: {}", path.string(), ErrnoMessage(errno)));
    }
  }
  return file;
}

Status ReadAt(int fd, uint64_t offset, size_t size, char* out, const std::filesystem::path& path) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return IoError(
          fmt::format("cannot read audit log {}: {}", path.string(), ErrnoMessage(errno)));
    }
    if (n == 0) return IoError("audit log " + path.string() + " shrank while locked");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

StatusOr<uint64_t> FileSize(int fd, const std::filesystem::path& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return IoError(fmt::format("cannot stat audit log {}: {}", path.string(), ErrnoMessage(errno)));
  }
  return static_cast<uint64_t>(st.st_size);
}

// The whole file, read under a shared lock so that no append is half-visible.
StatusOr<std::string> ReadLocked(const std::filesystem::path& path) {
  TRAFNET_ASSIGN_OR_RETURN(File file, OpenLocked(path, O_RDONLY, LOCK_SH));
  TRAFNET_ASSIGN_OR_RETURN(uint64_t size, FileSize(file.get(), path));
  std::string text(size, '\0');
  TRAFNET_RETURN_IF_ERROR(ReadAt(file.get(), 0, text.size(), text.data(), path));
  return text;
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError(n < 0 ? ErrnoMessage(errno) : "write wrote nothing");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// The end of the file: its last complete line and what follows it (bytes after the last '\n',
// left by an interrupted write).
struct Tail {
  bool has_last_line = false;
  std::string last_line;      // without its '\n'
  uint64_t complete_end = 0;  // offset just past the last '\n'
  std::string torn;
};

// Reads backwards in chunks, so that an append costs the same however long the log is.
StatusOr<Tail> ReadTail(int fd, uint64_t size, const std::filesystem::path& path) {
  std::string buffer;
  uint64_t start = size;  // file offset of buffer[0]
  while (true) {
    size_t last_newline = buffer.rfind('\n');
    if (last_newline != std::string::npos) {
      size_t before = last_newline == 0 ? std::string::npos : buffer.rfind('\n', last_newline - 1);
      if (before != std::string::npos || start == 0) {
        size_t line_begin = before == std::string::npos ? 0 : before + 1;
        Tail tail;
        tail.has_last_line = true;
        tail.last_line = buffer.substr(line_begin, last_newline - line_begin);
        tail.complete_end = start + last_newline + 1;
        tail.torn = buffer.substr(last_newline + 1);
        return tail;
      }
    } else if (start == 0) {
      Tail tail;
      tail.torn = std::move(buffer);
      return tail;
    }
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(kTailChunkBytes, start));
    start -= chunk;
    std::string bytes(chunk, '\0');
    TRAFNET_RETURN_IF_ERROR(ReadAt(fd, start, chunk, bytes.data(), path));
    buffer.insert(0, bytes);
  }
}

std::filesystem::path TornPath(const std::filesystem::path& log) {
  return std::filesystem::path(log.string() + ".torn");
}

std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// "2026-11-28T19:40:00Z": the one spelling, so that times compare as strings.
bool IsUtcSecond(std::string_view time) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (time.size() != kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    bool ok = kShape[i] == 'd' ? (time[i] >= '0' && time[i] <= '9') : time[i] == kShape[i];
    if (!ok) return false;
  }
  return true;
}

// Copies an interrupted write's bytes to <log>.torn, on disk, before the log is cut back: the
// fragment leaves the chain but stays available to the auditor.
Status SetAsideTorn(const std::filesystem::path& log, const Tail& tail) {
  std::filesystem::path torn_path = TornPath(log);
  int fd;
  do {
    fd = ::open(torn_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    return IoError(fmt::format("cannot set aside the incomplete end of audit log {} in {}: {}",
                               log.string(), torn_path.string(), ErrnoMessage(errno)));
  }
  File file(fd);
  std::string text =
      fmt::format("# {} {} bytes cut from the end of {} at offset {} (an interrupted write)\n",
                  NowUtc(), tail.torn.size(), log.filename().string(), tail.complete_end) +
      tail.torn + "\n";
  Status written = WriteAll(fd, text);
  if (written.ok() && ::fsync(fd) != 0) written = IoError(ErrnoMessage(errno));
  if (!written.ok()) {
    return IoError(fmt::format("cannot write {}: {}", torn_path.string(), written.message()));
  }
  return Status::Ok();
}

// What nlohmann::json accepts as UTF-8 decides, so that what is hashed is exactly what is written
// and what is read back.
void ReplaceInvalidUtf8(std::string& text) {
  std::string dumped =
      nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text = nlohmann::json::parse(dumped).get<std::string>();
}

void ReplaceInvalidUtf8(AuditEntry& entry) {
  for (std::string* field : {&entry.time, &entry.user, &entry.role, &entry.action,
                             &entry.justification, &entry.outcome}) {
    ReplaceInvalidUtf8(*field);
  }
  for (auto& [name, value] : entry.parameters) {
    ReplaceInvalidUtf8(name);
    ReplaceInvalidUtf8(value);
  }
  for (auto& id : entry.ids) ReplaceInvalidUtf8(id);
}

void AppendNetstring(std::string& out, std::string_view bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += ',';
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

Status GetString(const nlohmann::json& json, const char* key, std::string& out) {
  auto it = json.find(key);
  if (it == json.end()) return CorruptionError(fmt::format("field \"{}\" is missing", key));
  if (!it->is_string()) return CorruptionError(fmt::format("field \"{}\" is not a string", key));
  out = it->get<std::string>();
  return Status::Ok();
}

// Strict: a key the hash does not cover would be content nobody could vouch for.
StatusOr<AuditRecord> ParseRecord(std::string_view line) {
  nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded()) return CorruptionError("not valid JSON");
  if (!json.is_object()) return CorruptionError("not a JSON object");
  for (const auto& item : json.items()) {
    if (std::find(kRecordKeys.begin(), kRecordKeys.end(), item.key()) == kRecordKeys.end()) {
      return CorruptionError(fmt::format("unexpected field \"{}\"", item.key()));
    }
  }
  AuditRecord record;
  auto seq = json.find("seq");
  if (seq == json.end() || !seq->is_number_unsigned()) {
    return CorruptionError("field \"seq\" is missing or not a non-negative integer");
  }
  record.seq = seq->get<uint64_t>();
  AuditEntry& entry = record.entry;
  TRAFNET_RETURN_IF_ERROR(GetString(json, "time", entry.time));
  TRAFNET_RETURN_IF_ERROR(GetString(json, "user", entry.user));
  TRAFNET_RETURN_IF_ERROR(GetString(json, "role", entry.role));
  TRAFNET_RETURN_IF_ERROR(GetString(json, "action", entry.action));
  TRAFNET_RETURN_IF_ERROR(GetString(json, "justification", entry.justification));
  TRAFNET_RETURN_IF_ERROR(GetString(json, "outcome", entry.outcome));
  TRAFNET_RETURN_IF_ERROR(GetString(json, "prev", record.prev));
  TRAFNET_RETURN_IF_ERROR(GetString(json, "hash", record.hash));
  auto parameters = json.find("parameters");
  if (parameters == json.end() || !parameters->is_array()) {
    return CorruptionError("field \"parameters\" is missing or not an array");
  }
  for (const auto& pair : *parameters) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
      return CorruptionError("a parameter is not a [name, value] pair of strings");
    }
    entry.parameters.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  auto ids = json.find("ids");
  if (ids == json.end() || !ids->is_array()) {
    return CorruptionError("field \"ids\" is missing or not an array");
  }
  for (const auto& id : *ids) {
    if (!id.is_string()) return CorruptionError("an id is not a string");
    entry.ids.push_back(id.get<std::string>());
  }
  return record;
}

bool IsHexHash(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::filesystem::path AuditLogPath(const std::filesystem::path& db_dir) {
  return db_dir / "audit.log";
}

std::string AuditCanonicalForm(uint64_t seq, std::string_view prev, const AuditEntry& entry) {
  std::string out;
  AppendNetstring(out, kCanonicalTag);
  AppendNetstring(out, std::to_string(seq));
  AppendNetstring(out, prev);
  AppendNetstring(out, entry.time);
  AppendNetstring(out, entry.user);
  AppendNetstring(out, entry.role);
  AppendNetstring(out, entry.action);
  AppendNetstring(out, std::to_string(entry.parameters.size()));
  for (const auto& [name, value] : entry.parameters) {
    AppendNetstring(out, name);
    AppendNetstring(out, value);
  }
  AppendNetstring(out, std::to_string(entry.ids.size()));
  for (const auto& id : entry.ids) AppendNetstring(out, id);
  AppendNetstring(out, entry.justification);
  AppendNetstring(out, entry.outcome);
  return out;
}

std::string AuditHash(uint64_t seq, std::string_view prev, const AuditEntry& entry) {
  return Sha256Hex(AuditCanonicalForm(seq, prev, entry));
}

std::string AuditRecordToJson(const AuditRecord& record) {
  const AuditEntry& entry = record.entry;
  nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
  for (const auto& [name, value] : entry.parameters) {
    parameters.push_back(nlohmann::ordered_json::array({name, value}));
  }
  nlohmann::ordered_json json;
  json["seq"] = record.seq;
  json["time"] = entry.time;
  json["user"] = entry.user;
  json["role"] = entry.role;
  json["action"] = entry.action;
  json["parameters"] = std::move(parameters);
  json["ids"] = entry.ids;
  json["justification"] = entry.justification;
  json["outcome"] = entry.outcome;
  json["prev"] = record.prev;
  json["hash"] = record.hash;
  // Append has already replaced invalid UTF-8, so `replace` only matters for records a caller
  // built by hand; it keeps this function from throwing.
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

StatusOr<AuditLog> AuditLog::Open(const std::filesystem::path& file) {
  std::filesystem::path parent =
      file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec)) {
    return NotFoundError(fmt::format("cannot open audit log {}: folder {} does not exist",
                                     file.string(), parent.string()));
  }
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    File created(fd);
    // The umask can only take bits away from 0600; fchmod makes the mode exact regardless.
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
      return IoError(
          fmt::format("cannot create audit log {}: {}", file.string(), ErrnoMessage(errno)));
    }
    // Make the new name durable too. Best effort: some filesystems refuse fsync on a folder.
    int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      (void)::fsync(dir);
      ::close(dir);
    }
    return AuditLog(file);
  }
  if (errno != EEXIST) {
    return IoError(
        fmt::format("cannot create audit log {}: {}", file.string(), ErrnoMessage(errno)));
  }
  if (!std::filesystem::is_regular_file(file, ec)) {
    return FailedPreconditionError("audit log " + file.string() + " is not a regular file");
  }
  return AuditLog(file);
}

StatusOr<uint64_t> AuditLog::Append(AuditEntry entry) {
  if (entry.user.empty()) return InvalidArgumentError("an audit entry needs a user");
  if (entry.action.empty()) return InvalidArgumentError("an audit entry needs an action");
  if (!entry.time.empty() && !IsUtcSecond(entry.time)) {
    return InvalidArgumentError(fmt::format(
        "audit entry time \"{}\" is not ISO 8601 UTC to the second (2026-11-28T19:40:00Z)",
        entry.time));
  }
  ReplaceInvalidUtf8(entry);

  // No O_CREAT: a log that has vanished must not silently restart its chain at seq 1.
  TRAFNET_ASSIGN_OR_RETURN(File file, OpenLocked(path_, O_RDWR | O_APPEND, LOCK_EX));
  const int fd = file.get();
  TRAFNET_ASSIGN_OR_RETURN(uint64_t size, FileSize(fd, path_));
  TRAFNET_ASSIGN_OR_RETURN(Tail tail, ReadTail(fd, size, path_));
  if (!tail.torn.empty()) {
    TRAFNET_RETURN_IF_ERROR(SetAsideTorn(path_, tail));
    if (::ftruncate(fd, static_cast<off_t>(tail.complete_end)) != 0) {
      return IoError(fmt::format("cannot cut the incomplete end off audit log {}: {}",
                                 path_.string(), ErrnoMessage(errno)));
    }
  }

  AuditRecord record;
  record.seq = 1;
  record.prev = std::string(kAuditGenesisHash);
  if (tail.has_last_line) {
    auto last = ParseRecord(tail.last_line);
    if (!last.ok()) {
      return CorruptionError(fmt::format(
          "audit log {}: the last record does not parse ({}); nothing is appended after an edited "
          "log: run `trafnet audit verify` and see docs/audit.md",
          path_.string(), last.status().message()));
    }
    record.seq = last->seq + 1;
    record.prev = last->hash;
  }
  if (entry.time.empty()) entry.time = NowUtc();
  record.entry = std::move(entry);
  record.hash = AuditHash(record.seq, record.prev, record.entry);
  if (record.hash.empty()) return InternalError("SHA-256 failed (libcrypto)");

  // One write of the whole line: a crash leaves a prefix of it at worst, never a mix of records.
  std::string line = AuditRecordToJson(record) + "\n";
  Status written = WriteAll(fd, line);
  if (!written.ok()) {
    // Cut back any part that made it; if even that fails, the next append sets it aside.
    bool cut = ::ftruncate(fd, static_cast<off_t>(tail.complete_end)) == 0;
    return IoError(fmt::format("cannot append to audit log {}: {}{}", path_.string(),
                               written.message(), cut ? "" : " (a partial line may remain)"));
  }
  if (::fsync(fd) != 0) {
    return IoError(
        fmt::format("cannot sync audit log {}: {}", path_.string(), ErrnoMessage(errno)));
  }
  return record.seq;
}

StatusOr<std::vector<AuditRecord>> AuditLog::ReadAll() const {
  TRAFNET_ASSIGN_OR_RETURN(std::string text, ReadLocked(path_));
  std::vector<AuditRecord> records;
  size_t begin = 0;
  for (uint64_t line_number = 1;; ++line_number) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) break;  // the end, or an incomplete last line
    auto record = ParseRecord(std::string_view(text).substr(begin, end - begin));
    if (!record.ok()) {
      return CorruptionError(
          fmt::format("{}:{}: {}", path_.string(), line_number, record.status().message()));
    }
    records.push_back(std::move(record).value());
    begin = end + 1;
  }
  return records;
}

StatusOr<AuditVerifyReport> AuditLog::Verify(std::string_view expect_head) const {
  std::string expected(expect_head);
  std::transform(expected.begin(), expected.end(), expected.begin(), [](char c) {
    return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (!expected.empty() && !IsHexHash(expected)) {
    return InvalidArgumentError("expected head \"" + std::string(expect_head) +
                                "\" is not a SHA-256 in hex (64 characters 0-9, a-f)");
  }
  TRAFNET_ASSIGN_OR_RETURN(std::string text, ReadLocked(path_));
  AuditVerifyReport report;
  report.head_hash = std::string(kAuditGenesisHash);
  // After a line that does not parse, the link into the next record cannot be checked.
  bool link_unknown = false;
  size_t begin = 0;
  for (uint64_t line_number = 1; begin < text.size(); ++line_number) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) {
      report.problems.push_back(fmt::format(
          "line {}: incomplete last line ({} bytes, no newline): an interrupted write, not part "
          "of the chain; the next append moves it to {}",
          line_number, text.size() - begin, TornPath(path_).filename().string()));
      break;
    }
    auto record = ParseRecord(std::string_view(text).substr(begin, end - begin));
    begin = end + 1;
    if (!record.ok()) {
      report.problems.push_back(
          fmt::format("line {}: does not parse: {}", line_number, record.status().message()));
      link_unknown = true;
      continue;
    }
    std::vector<std::string> defects;
    if (!link_unknown) {
      if (record->seq != report.head_seq + 1) {
        defects.push_back(
            fmt::format("seq {} where {} was expected", record->seq, report.head_seq + 1));
      }
      if (record->prev != report.head_hash) {
        defects.push_back(report.records == 0 ? "prev is not the genesis hash (64 zeros)"
                                              : "prev is not the hash of the record before it");
      }
      if (!defects.empty()) defects.back() += ": a record was removed, inserted or moved here";
    }
    if (AuditHash(record->seq, record->prev, record->entry) != record->hash) {
      defects.push_back("hash does not match the content: the record was altered");
    }
    if (!defects.empty()) {
      report.problems.push_back(
          fmt::format("line {} (seq {}): {}", line_number, record->seq, fmt::join(defects, "; ")));
    }
    link_unknown = false;
    ++report.records;
    report.head_seq = record->seq;
    report.head_hash = record->hash;
    if (!expected.empty() && record->hash == expected) report.expected_head_seq = record->seq;
  }
  if (!expected.empty() && report.expected_head_seq == 0 && expected != kAuditGenesisHash) {
    report.problems.push_back(fmt::format(
        "the expected head {} is the hash of no record: records were removed from the end of the "
        "log, or the log was replaced",
        expected));
  }
  return report;
}

}  // namespace trafnet::storage
