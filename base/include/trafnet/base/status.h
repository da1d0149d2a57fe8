// Errors as values at module boundaries.
//
// A Status is either OK or carries a code and a message a user can act on: what went wrong,
// where (file:line, field) and, where it helps, what to do. StatusOr<T> holds a value or a
// non-OK Status. Both are [[nodiscard]] so an ignored error is a compiler warning.
#ifndef TRAFNET_BASE_STATUS_H_
#define TRAFNET_BASE_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace trafnet {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller's input is wrong (bad row, bad option)
  kNotFound,         // a referenced record or file does not exist
  kAlreadyExists,
  kCorruption,       // stored data fails a check
  kIoError,          // the operating system or RocksDB failed to read or write
  kFailedPrecondition,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: persons.csv:12: field birth_date: ..." — for printing to a user.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}
inline Status NotFoundError(std::string message) {
  return Status(StatusCode::kNotFound, std::move(message));
}
inline Status CorruptionError(std::string message) {
  return Status(StatusCode::kCorruption, std::move(message));
}
inline Status IoError(std::string message) {
  return Status(StatusCode::kIoError, std::move(message));
}
inline Status FailedPreconditionError(std::string message) {
  return Status(StatusCode::kFailedPrecondition, std::move(message));
}
inline Status InternalError(std::string message) {
  return Status(StatusCode::kInternal, std::move(message));
}

inline std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kAlreadyExists: return "AlreadyExists";
    case StatusCode::kCorruption: return "Corruption";
    case StatusCode::kIoError: return "IOError";
    case StatusCode::kFailedPrecondition: return "FailedPrecondition";
    case StatusCode::kInternal: return "Internal";
  }
  return "Unknown";
}

inline std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

// A value or the error that prevented computing it.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok() && "StatusOr needs a non-OK status or a value");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  // REQUIRES: ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace trafnet

#define TRAFNET_STATUS_CONCAT_INNER_(a, b) a##b
#define TRAFNET_STATUS_CONCAT_(a, b) TRAFNET_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define TRAFNET_RETURN_IF_ERROR(expr)           \
  do {                                          \
    ::trafnet::Status _trafnet_status = (expr); \
    if (!_trafnet_status.ok()) return _trafnet_status; \
  } while (0)

// `TRAFNET_ASSIGN_OR_RETURN(auto x, MakeX());` — binds the value or returns the error.
#define TRAFNET_ASSIGN_OR_RETURN(lhs, expr) \
  TRAFNET_ASSIGN_OR_RETURN_IMPL_(TRAFNET_STATUS_CONCAT_(_trafnet_or_, __LINE__), lhs, expr)
#define TRAFNET_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

#endif  // TRAFNET_BASE_STATUS_H_
