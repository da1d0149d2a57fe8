// CSV (RFC 4180) reader: records end at LF or CRLF outside quotes, fields are split at commas,
// a field that starts with a quote runs to the matching quote with "" standing for one quote.
//
// Each record is read in two passes over the chunked buffer. The first finds where the record
// ends, which needs only to know whether a line break is inside quotes, and can resume across
// reads. The second splits the now complete record into fields, unquoting in place, so a row's
// values are views into the buffer and plain rows cost no allocation. Both passes jump with
// memchr; per-byte work happens only inside quoted fields. Being lenient where RFC 4180 is
// strict costs nothing: a quote inside an unquoted field is kept as a literal character.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "record_input.h"
#include "trafnet/engine/record_reader.h"

namespace trafnet::engine {
namespace {

enum class CsvState : uint8_t { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

const char* FindByte(const char* begin, const char* end, char byte) {
  return static_cast<const char*>(std::memchr(begin, byte, static_cast<size_t>(end - begin)));
}
char* FindByte(char* begin, char* end, char byte) {
  return static_cast<char*>(std::memchr(begin, byte, static_cast<size_t>(end - begin)));
}

// First pass: finds the LF that ends a record, tracking just enough state to tell a quoted line
// break from a record's end. It mirrors SplitFields, which must agree on where fields start.
class CsvRecordScanner {
 public:
  const char* Find(const char* p, const char* end) {
    // The first LF at or after p, found once per line rather than once per quoted field.
    const char* line_break = nullptr;
    bool line_break_known = false;
    while (p < end) {
      switch (state_) {
        case CsvState::kFieldStart:
        case CsvState::kUnquoted: {
          if (!line_break_known || (line_break != nullptr && line_break < p)) {
            line_break = FindByte(p, end, '\n');
            line_break_known = true;
          }
          const char* limit = line_break != nullptr ? line_break : end;
          // A quote opens a quoted field only at the start of a field; elsewhere it is literal.
          const char* quote = FindByte(p, limit, '"');
          while (quote != nullptr) {
            const bool at_field_start =
                quote == p ? state_ == CsvState::kFieldStart : quote[-1] == ',';
            if (at_field_start) break;
            quote = FindByte(quote + 1, limit, '"');
          }
          if (quote != nullptr) {
            state_ = CsvState::kQuoted;
            p = quote + 1;
            break;
          }
          if (line_break != nullptr) return line_break;
          if (limit > p) state_ = limit[-1] == ',' ? CsvState::kFieldStart : CsvState::kUnquoted;
          return nullptr;
        }
        case CsvState::kQuoted: {
          const char* quote = FindByte(p, end, '"');
          const char* limit = quote != nullptr ? quote : end;
          quoted_line_breaks_ += static_cast<uint64_t>(std::count(p, limit, '\n'));
          if (quote == nullptr) return nullptr;
          state_ = CsvState::kQuoteInQuoted;
          p = quote + 1;
          break;
        }
        case CsvState::kQuoteInQuoted: {
          const char c = *p++;
          if (c == '"') {
            state_ = CsvState::kQuoted;  // an escaped quote
          } else if (c == ',') {
            state_ = CsvState::kFieldStart;
          } else if (c == '\n') {
            return p - 1;
          } else {
            // CR of a CRLF, or the text SplitFields rejects; either way the next LF ends it.
            state_ = CsvState::kUnquoted;
          }
          break;
        }
      }
    }
    return nullptr;
  }

  bool in_quotes() const { return state_ == CsvState::kQuoted; }
  uint64_t quoted_line_breaks() const { return quoted_line_breaks_; }

 private:
  CsvState state_ = CsvState::kFieldStart;
  uint64_t quoted_line_breaks_ = 0;
};

struct SplitError {
  size_t field_index = 0;
  const char* reason = nullptr;  // nullptr when the record split cleanly
};

// Second pass: splits a complete record (line break removed) into `fields`, unquoting quoted
// fields in place, which is safe because unquoting only ever shortens a field.
SplitError SplitFields(char* p, char* end, std::vector<std::string_view>& fields) {
  fields.clear();
  for (;;) {
    if (p < end && *p == '"') {
      char* value = p + 1;
      char* read = value;
      char* write = value;
      for (;;) {
        char* quote = FindByte(read, end, '"');
        // Only possible at the end of the input: a line break inside quotes does not end a record.
        if (quote == nullptr) return {fields.size(), "unterminated quoted field"};
        const size_t run = static_cast<size_t>(quote - read);
        if (write != read) std::memmove(write, read, run);
        write += run;
        read = quote + 1;
        if (read < end && *read == '"') {
          *write++ = '"';
          ++read;
          continue;
        }
        break;
      }
      fields.emplace_back(value, static_cast<size_t>(write - value));
      if (read == end) return {};
      if (*read != ',') return {fields.size() - 1, "unexpected character after closing quote"};
      p = read + 1;
    } else {
      char* comma = FindByte(p, end, ',');
      if (comma == nullptr) {
        fields.emplace_back(p, static_cast<size_t>(end - p));
        return {};
      }
      fields.emplace_back(p, static_cast<size_t>(comma - p));
      p = comma + 1;
    }
  }
}

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n\v\f";
  const size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

class CsvReader final : public RecordReader {
 public:
  CsvReader(std::string name, const ReaderLimits& limits)
      : input_(std::move(name), limits), limits_(limits) {}

  RecordInput& input() { return input_; }

  // Reads the header row: the first record that is not a blank line.
  Status ReadHeader();

  const std::vector<std::string>& header() const override { return header_; }
  ReadOutcome Next(Row& row, RowError& error) override;
  uint64_t bytes_read() const override { return input_.bytes_consumed(); }

 private:
  enum class Located { kRecord, kEnd, kIoError };

  // Finds the next record that is not a blank line; `line` is where it starts.
  Located NextNonBlankRecord(RecordSpan& span, CsvRecordScanner& scanner, uint64_t& line);
  std::string OverlongReason(const RecordSpan& span, const CsvRecordScanner& scanner,
                             uint64_t line) const;
  std::string ColumnName(size_t index) const {
    return index < header_.size() ? header_[index] : std::string();
  }

  RecordInput input_;
  ReaderLimits limits_;
  std::vector<std::string> header_;
  std::vector<std::string_view> header_views_;  // into header_, copied into each Row
  uint64_t next_line_ = 1;
};

CsvReader::Located CsvReader::NextNonBlankRecord(RecordSpan& span, CsvRecordScanner& scanner,
                                                 uint64_t& line) {
  for (;;) {
    scanner = CsvRecordScanner();
    const SpanOutcome outcome = input_.NextRecord(scanner, span);
    if (outcome == SpanOutcome::kEnd) return Located::kEnd;
    if (outcome == SpanOutcome::kIoError) return Located::kIoError;
    line = next_line_;
    next_line_ += 1 + scanner.quoted_line_breaks();
    // An empty line between records is layout, not an empty record.
    if (span.overlong || span.begin != span.end) return Located::kRecord;
  }
}

std::string CsvReader::OverlongReason(const RecordSpan& span, const CsvRecordScanner& scanner,
                                      uint64_t line) const {
  std::string reason = fmt::format("record longer than {} bytes", limits_.max_record_bytes);
  // A stray quote turns the rest of a file into one quoted field; say so, as the byte count
  // alone would hide it.
  if (span.at_end_of_input && scanner.in_quotes()) {
    reason += fmt::format(" (a quoted field opened on line {} is never closed)", line);
  } else if (scanner.quoted_line_breaks() > 0) {
    reason += fmt::format(" (it runs to line {} through quoted line breaks; is a quote missing?)",
                          line + scanner.quoted_line_breaks());
  }
  return reason;
}

Status CsvReader::ReadHeader() {
  const std::string& name = input_.name();
  input_.SkipUtf8Bom();
  RecordSpan span;
  CsvRecordScanner scanner;
  uint64_t line = 0;
  switch (NextNonBlankRecord(span, scanner, line)) {
    case Located::kEnd:
      return InvalidArgumentError(fmt::format("{}: empty file, expected a header row", name));
    case Located::kIoError:
      return IoError(input_.error());
    case Located::kRecord:
      break;
  }
  if (span.overlong) {
    return InvalidArgumentError(
        fmt::format("{}:{}: header {}", name, line, OverlongReason(span, scanner, line)));
  }
  std::vector<std::string_view> fields;
  const SplitError split = SplitFields(span.begin, span.end, fields);
  if (split.reason != nullptr) {
    return InvalidArgumentError(fmt::format("{}:{}: header column {}: {}", name, line,
                                            split.field_index + 1, split.reason));
  }
  std::unordered_map<std::string_view, size_t> first_column;
  header_.reserve(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string_view column = TrimWhitespace(fields[i]);
    if (column.empty()) {
      return InvalidArgumentError(fmt::format(
          "{}:{}: header column {} is empty; every column needs a name", name, line, i + 1));
    }
    const auto [it, inserted] = first_column.emplace(column, i);
    if (!inserted) {
      return InvalidArgumentError(
          fmt::format("{}:{}: header column {} \"{}\" repeats column {}; names must be unique",
                      name, line, i + 1, column, it->second + 1));
    }
    header_.emplace_back(column);
  }
  header_views_.assign(header_.begin(), header_.end());
  return Status::Ok();
}

ReadOutcome CsvReader::Next(Row& row, RowError& error) {
  RecordSpan span;
  CsvRecordScanner scanner;
  uint64_t line = 0;
  switch (NextNonBlankRecord(span, scanner, line)) {
    case Located::kEnd:
      return ReadOutcome::kEnd;
    case Located::kIoError:
      error = RowError{0, "", input_.error()};
      return ReadOutcome::kError;
    case Located::kRecord:
      break;
  }
  if (span.overlong) {
    error = RowError{line, "", OverlongReason(span, scanner, line)};
    return ReadOutcome::kError;
  }
  const SplitError split = SplitFields(span.begin, span.end, row.values);
  if (split.reason != nullptr) {
    error = RowError{line, ColumnName(split.field_index), split.reason};
    return ReadOutcome::kError;
  }
  if (row.values.size() != header_.size()) {
    error = RowError{
        line, "", fmt::format("expected {} fields, found {}", header_.size(), row.values.size())};
    return ReadOutcome::kError;
  }
  for (size_t i = 0; i < row.values.size(); ++i) {
    if (row.values[i].size() > limits_.max_field_bytes) {
      error = RowError{line, header_[i],
                       fmt::format("field longer than {} bytes", limits_.max_field_bytes)};
      return ReadOutcome::kError;
    }
  }
  row.line = line;
  row.names.assign(header_views_.begin(), header_views_.end());
  return ReadOutcome::kRow;
}

StatusOr<std::unique_ptr<RecordReader>> FinishOpen(std::unique_ptr<CsvReader> reader) {
  TRAFNET_RETURN_IF_ERROR(reader->ReadHeader());
  return std::unique_ptr<RecordReader>(std::move(reader));
}

}  // namespace

StatusOr<std::unique_ptr<RecordReader>> OpenCsv(const std::filesystem::path& path,
                                                const ReaderLimits& limits) {
  TRAFNET_RETURN_IF_ERROR(ValidateLimits(limits));
  auto reader = std::make_unique<CsvReader>(path.string(), limits);
  TRAFNET_RETURN_IF_ERROR(reader->input().OpenFile(path));
  return FinishOpen(std::move(reader));
}

StatusOr<std::unique_ptr<RecordReader>> OpenCsvBuffer(std::string data, std::string name,
                                                      const ReaderLimits& limits) {
  TRAFNET_RETURN_IF_ERROR(ValidateLimits(limits));
  auto reader = std::make_unique<CsvReader>(std::move(name), limits);
  reader->input().UseString(std::move(data));
  return FinishOpen(std::move(reader));
}

}  // namespace trafnet::engine
