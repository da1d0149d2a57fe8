// An append-only, hash-chained audit log: who consulted, collected, changed, disclosed,
// combined or erased what, when, and why (EU Directive 2016/680, Art. 25). docs/audit.md is the
// auditor's description; this header is the contract.
//
// File format: JSON Lines, one record per line, UTF-8, each line ending in '\n':
//   {"seq":1,"time":"2026-11-28T19:40:00Z","user":"ana","role":"analyst",
//    "action":"query.lookup","parameters":[["person","MUP-P1"]],"ids":["MUP-P1"],
//    "justification":"KU-2026-118","outcome":"ok","prev":"000…000","hash":"9f2c…"}
// No other keys are allowed. Parameters are [name, value] pairs so that their order and any
// repeated name survive.
//
// The chain: record n has seq n (the first is 1) and prev = the hash of record n-1 (64 '0' for
// the first). Its hash is the lowercase hex SHA-256 of the canonical form below, so changing any
// field of a record breaks its own hash, and removing, inserting or reordering records breaks
// seq and prev. The hash covers the content, not the JSON spelling (key order, spacing, escapes).
//
// Canonical form (what is hashed): a sequence of netstrings, `<length>:<bytes>,` where length is
// the decimal byte count of the UTF-8 bytes, in this order:
//   "trafnet.audit/1", seq (decimal, no leading zeros), prev, time, user, role, action,
//   number of parameters (decimal), then each parameter's name and value,
//   number of ids (decimal), then each id, justification, outcome.
// E.g. seq 1 begins "15:trafnet.audit/1,1:1,64:0000…0000,20:2026-11-28T19:40:00Z,".
// Length prefixes make the form unambiguous whatever bytes the fields hold.
//
// Limitation: a hash chain cannot show that the last records were removed (what is left is a
// valid, shorter chain), nor that the whole file was replaced by another valid chain. Verify
// returns the head (last seq and hash); an auditor who notes the head and later checks it with
// Verify(expect_head) detects both.
//
// Concurrency: Append takes an exclusive flock(2) on the file for the whole read-last-record,
// append, fsync sequence; ReadAll and Verify take a shared one, so they see whole records. Each
// call opens the file afresh (a new open file description), so the lock excludes threads of one
// process as well as other processes, and an AuditLog may be shared between threads.
//
// Crashes: a record is written with one write(2) and then fsync'd, so a crash can leave at most
// one incomplete last line (no '\n'). It is not part of the chain: Verify reports it, and the next
// Append, under the lock, first copies those bytes to "<file>.torn" (fsync'd, for the auditor) and
// then truncates the log to its last complete record. Complete records are never removed. A
// failed write is rolled back the same way (truncated to where it began) before Append returns.
#ifndef TRAFNET_STORAGE_AUDIT_LOG_H_
#define TRAFNET_STORAGE_AUDIT_LOG_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trafnet/base/status.h"

namespace trafnet::storage {

// One access or change, as the caller describes it.
struct AuditEntry {
  // ISO 8601 UTC to the second, "2026-11-28T19:40:00Z". Append fills it (under the lock, so
  // times in the file never go backwards on one clock) when it is empty.
  std::string time;
  std::string user;  // who (the operating system account); required
  std::string role;  // in what capacity: "analyst", "investigator", "auditor", …
  // What was done, required: "query.lookup", "query.neighbourhood", "ingest", "export",
  // "analyze", "audit.show", …
  std::string action;
  // The request as given (options, search terms, files), in order.
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::string> ids;  // record ids returned or touched
  std::string justification;     // the case number the access was made for
  std::string outcome;           // "ok", "refused: …" or "error: …"
};

// An entry as stored, with its place in the chain.
struct AuditRecord {
  uint64_t seq = 0;
  AuditEntry entry;
  std::string prev;  // hex SHA-256 of the previous record; 64 '0' for the first
  std::string hash;  // hex SHA-256 of this record's canonical form
};

struct AuditVerifyReport {
  uint64_t records = 0;   // complete lines that parsed as records
  uint64_t head_seq = 0;  // seq of the last record; 0 when there is none
  std::string head_hash;  // its hash; 64 '0' when there is none
  // Seq of the record whose hash is Verify's expect_head; 0 when not asked or not found.
  uint64_t expected_head_seq = 0;
  // "line 7 (seq 7): hash does not match the content: the record was altered", …
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// The prev of the first record.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Where a store keeps its audit log: <db_dir>/audit.log.
std::filesystem::path AuditLogPath(const std::filesystem::path& db_dir);

// The canonical form of a record (see the top of this file) and its lowercase hex SHA-256.
std::string AuditCanonicalForm(uint64_t seq, std::string_view prev, const AuditEntry& entry);
std::string AuditHash(uint64_t seq, std::string_view prev, const AuditEntry& entry);

// A record as one JSON object in the file's format, without the trailing newline.
std::string AuditRecordToJson(const AuditRecord& record);

// Thread-safe and multi-process-safe (see Concurrency above). Cheap to copy: it holds the path.
class AuditLog {
 public:
  // Creates the file (mode 0600, whatever the umask) when missing; an existing file is used as it
  // is, mode included. The parent folder must exist (NotFound otherwise).
  static StatusOr<AuditLog> Open(const std::filesystem::path& file);

  // Appends the entry as the next record and returns its seq once it is on disk (fsync'd).
  // Strings that are not valid UTF-8 have the bad bytes replaced by U+FFFD before hashing, so what
  // is stored is what was hashed. InvalidArgument when user or action is empty or time is not
  // "YYYY-MM-DDTHH:MM:SSZ"; Corruption when the last complete record does not parse (the log was
  // edited: nothing is appended until an administrator has looked, see docs/audit.md); NotFound
  // when the file has gone since Open (it is not recreated: that would restart the chain
  // silently); IoError when it cannot be written.
  StatusOr<uint64_t> Append(AuditEntry entry);

  // Every complete record, in file order. An incomplete last line is left out; any other line
  // that does not parse is Corruption naming the line.
  StatusOr<std::vector<AuditRecord>> ReadAll() const;

  // Checks every line: that it parses, seq is consecutive, prev is the previous record's hash,
  // and hash matches the content; reports an incomplete last line. When `expect_head` (a hash an
  // auditor noted earlier) is given, it must be the hash of some record, else records were
  // removed from the end or the log was replaced. Each faulty line is one problem naming the
  // line and everything wrong with it; the check then goes on from that line's record, so one
  // altered, removed or moved record is reported where it happened, not on every line after it.
  StatusOr<AuditVerifyReport> Verify(std::string_view expect_head = {}) const;

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit AuditLog(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_AUDIT_LOG_H_
