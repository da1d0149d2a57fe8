// What the CSV and JSON Lines readers share: Row lookups and the chunked record input.
#include "trafnet/engine/record_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "record_input.h"

namespace trafnet::engine {
namespace {

// Reads need be no larger than a record to make progress, and tying them to the record limit
// keeps memory proportional to it (so small limits in tests and fuzzers also split records
// across reads); 1 MiB is past the point where larger reads read faster.
constexpr size_t kMaxReadBytes = size_t{1} << 20;
constexpr size_t kMinReadBytes = 16;
// Far beyond any sane record; it keeps the buffer size from overflowing.
constexpr size_t kMaxRecordLimit = size_t{1} << 30;

}  // namespace

bool Row::Has(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Status ValidateLimits(const ReaderLimits& limits) {
  if (limits.max_record_bytes == 0 || limits.max_record_bytes > kMaxRecordLimit) {
    return InvalidArgumentError(fmt::format("max_record_bytes must be between 1 and {}, not {}",
                                            kMaxRecordLimit, limits.max_record_bytes));
  }
  return Status::Ok();
}

RecordInput::RecordInput(std::string name, const ReaderLimits& limits)
    : name_(std::move(name)),
      max_record_bytes_(limits.max_record_bytes),
      // A kept partial record is at most max_record_bytes + 1 (see NextRecord), so every
      // refill has room for at least one read.
      capacity_(max_record_bytes_ + 2 +
                std::clamp(max_record_bytes_, kMinReadBytes, kMaxReadBytes)),
      buffer_(std::make_unique_for_overwrite<char[]>(capacity_)) {}

Status RecordInput::OpenFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgumentError(fmt::format("{}: is a directory, expected a file", name_));
  }
  file_.reset(std::fopen(path.c_str(), "rb"));
  if (file_ == nullptr) {
    const int error = errno;
    if (error == ENOENT) return NotFoundError(fmt::format("{}: no such file", name_));
    return IoError(fmt::format("{}: cannot open: {}", name_, std::strerror(error)));
  }
  return Status::Ok();
}

void RecordInput::UseString(std::string data) {
  file_.reset();
  string_source_ = std::move(data);
  string_pos_ = 0;
}

void RecordInput::SkipUtf8Bom() {
  while (size_ < 3 && Refill(0)) {
  }
  if (size_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
}

bool RecordInput::Refill(size_t keep_from) {
  assert(keep_from <= size_);
  const size_t kept = size_ - keep_from;
  if (kept > 0 && keep_from > 0) std::memmove(buffer_.get(), buffer_.get() + keep_from, kept);
  size_ = kept;
  pos_ = pos_ > keep_from ? pos_ - keep_from : 0;
  offset_ += keep_from;
  if (source_drained_) return false;
  assert(size_ < capacity_);
  const size_t got = ReadSource(buffer_.get() + size_, capacity_ - size_);
  size_ += got;
  return got > 0;
}

size_t RecordInput::ReadSource(char* destination, size_t capacity) {
  if (file_ == nullptr) {
    const size_t n = std::min(capacity, string_source_.size() - string_pos_);
    std::memcpy(destination, string_source_.data() + string_pos_, n);
    string_pos_ += n;
    if (n == 0) source_drained_ = true;
    return n;
  }
  const size_t n = std::fread(destination, 1, capacity, file_.get());
  if (n < capacity) {
    if (std::ferror(file_.get())) {
      error_ = fmt::format("{}: read failed: {}", name_, std::strerror(errno));
      source_drained_ = true;
      return 0;
    }
    if (n == 0) source_drained_ = true;
  }
  return n;
}

}  // namespace trafnet::engine
