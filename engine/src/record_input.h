// The chunked input both record readers stand on: it reads a file (or a string standing in for
// one) into a fixed buffer and hands out one record's bytes at a time, so memory is bounded by
// the record limit whatever the input size. Private to the engine's readers.
#ifndef TRAFNET_ENGINE_SRC_RECORD_INPUT_H_
#define TRAFNET_ENGINE_SRC_RECORD_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "trafnet/base/status.h"
#include "trafnet/engine/record_reader.h"

namespace trafnet::engine {

// InvalidArgument unless the limits can size a buffer.
Status ValidateLimits(const ReaderLimits& limits);

// One record's bytes, without its line break (LF or CRLF).
struct RecordSpan {
  // Valid, and writable in place, until the next call to RecordInput::NextRecord.
  char* begin = nullptr;
  char* end = nullptr;
  // Longer than the record limit. Its bytes were dropped while scanning, so begin == end.
  bool overlong = false;
  // Ended by the end of the input rather than a line break.
  bool at_end_of_input = false;
};

enum class SpanOutcome { kRecord, kEnd, kIoError };

class RecordInput {
 public:
  // `name` is the file name used in messages. The buffer holds one partly read record (at most
  // limits.max_record_bytes) plus one read.
  RecordInput(std::string name, const ReaderLimits& limits);
  RecordInput(const RecordInput&) = delete;
  RecordInput& operator=(const RecordInput&) = delete;

  // Reads from the file at `path`: NotFound when it does not exist.
  Status OpenFile(const std::filesystem::path& path);
  // Reads from `data` instead, through the same chunked path so tests and fuzzers exercise it.
  void UseString(std::string data);

  // Skips a UTF-8 byte order mark at the start of the input. Call before NextRecord.
  void SkipUtf8Bom();

  // Finds the next record: `scanner.Find(from, end)` returns the line break that ends the
  // record, or nullptr once it has consumed all of [from, end) (it keeps its own state, such as
  // being inside quotes, between calls). A record longer than the limit is scanned to its end
  // but not kept. kIoError (with error() set) and the end of the input are both final.
  template <typename Scanner>
  SpanOutcome NextRecord(Scanner& scanner, RecordSpan& span);

  const std::string& name() const { return name_; }
  const std::string& error() const { return error_; }
  // Input bytes consumed by the records returned so far.
  uint64_t bytes_consumed() const { return offset_ + pos_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };

  // Moves the bytes from `keep_from` on to the front of the buffer and appends what the source
  // has next after them. False when nothing more could be read: the end, or a read error.
  bool Refill(size_t keep_from);
  size_t ReadSource(char* destination, size_t capacity);

  std::string name_;
  size_t max_record_bytes_;
  size_t capacity_;
  std::unique_ptr<char[]> buffer_;
  size_t size_ = 0;      // bytes of buffer_ holding input
  size_t pos_ = 0;       // start of the next record in buffer_
  uint64_t offset_ = 0;  // input offset of buffer_[0]
  bool finished_ = false;

  std::unique_ptr<std::FILE, FileCloser> file_;
  std::string string_source_;
  size_t string_pos_ = 0;
  bool source_drained_ = false;
  std::string error_;
};

template <typename Scanner>
SpanOutcome RecordInput::NextRecord(Scanner& scanner, RecordSpan& span) {
  span = RecordSpan{};
  if (finished_) return SpanOutcome::kEnd;
  size_t start = pos_;
  size_t scanned = pos_;
  size_t end = 0;
  for (;;) {
    const char* base = buffer_.get();
    const char* line_break = scanner.Find(base + scanned, base + size_);
    if (line_break != nullptr) {
      end = static_cast<size_t>(line_break - base);
      pos_ = end + 1;
      break;
    }
    scanned = size_;
    // One byte of slack for the CR of a CRLF that the next read may complete.
    if (scanned - start > max_record_bytes_ + 1) span.overlong = true;
    // Dropping an over-long record's bytes as they are scanned is what bounds the buffer.
    if (span.overlong) start = scanned;
    const bool more = Refill(start);
    scanned -= start;
    start = 0;
    if (!more) {
      finished_ = true;
      if (!error_.empty()) return SpanOutcome::kIoError;
      end = size_;
      pos_ = size_;
      if (start == end && !span.overlong) return SpanOutcome::kEnd;
      span.at_end_of_input = true;
      break;
    }
  }
  char* base = buffer_.get();
  if (end > start && base[end - 1] == '\r') --end;
  if (end - start > max_record_bytes_) span.overlong = true;
  if (span.overlong) start = end;
  span.begin = base + start;
  span.end = base + end;
  return SpanOutcome::kRecord;
}

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_SRC_RECORD_INPUT_H_
