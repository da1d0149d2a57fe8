// JSON Lines reader: one flat JSON object per line.
//
// Lines come from the same chunked input as CSV, so an over-long line is skipped without being
// buffered. Each line goes through nlohmann's SAX parser rather than its DOM: the events arrive
// in document order (so keys keep file order and duplicates can be caught, where a DOM would
// silently keep one of them), a nested value can be refused as soon as it opens, and nothing
// is allocated per value beyond appending to one reused arena.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "record_input.h"
#include "trafnet/engine/record_reader.h"

namespace trafnet::engine {
namespace {

using Json = nlohmann::json;

// Long enough for the parser's "expected ...; last read: '...'" detail, short enough that a
// garbled megabyte line does not become a megabyte message.
constexpr size_t kMaxParseMessageBytes = 160;
// Below this many keys a pairwise duplicate check is cheaper than sorting.
constexpr size_t kPairwiseDuplicateCheckKeys = 16;

struct Slice {
  size_t offset = 0;
  size_t size = 0;
};

// nlohmann's message, less the exception tag and the line number (always 1 for one line),
// cut to a readable length.
std::string ShortParseMessage(std::string_view what) {
  constexpr std::string_view kAtLine = "parse error at line 1, column ";
  if (const size_t at = what.find(kAtLine); at != std::string_view::npos) {
    what.remove_prefix(at + kAtLine.size());
    std::string message = "invalid JSON at column ";
    message.append(what.substr(0, kMaxParseMessageBytes));
    // Do not cut a UTF-8 sequence in half: back off continuation bytes.
    if (what.size() > kMaxParseMessageBytes) {
      while (!message.empty() && (static_cast<unsigned char>(message.back()) & 0xC0) == 0x80) {
        message.pop_back();
      }
      message += "...";
    }
    return message;
  }
  return "invalid JSON";
}

// Collects one line's object into an arena of keys and values, or the reason it cannot.
class FlatObjectCollector {
 public:
  FlatObjectCollector(std::string& arena, std::vector<Slice>& keys, std::vector<Slice>& values,
                      size_t max_field_bytes)
      : arena_(arena), keys_(keys), values_(values), max_field_bytes_(max_field_bytes) {
    arena_.clear();
    keys_.clear();
    values_.clear();
  }

  bool null() { return Value({}); }
  bool boolean(bool value) { return Value(value ? "true" : "false"); }
  bool number_integer(Json::number_integer_t value) { return Integer(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return Integer(value); }
  // `text` is the number as written, which keeps digits a double would round away (long ids).
  bool number_float(Json::number_float_t /*value*/, const Json::string_t& text) {
    return Value(text);
  }
  bool string(Json::string_t& value) { return Value(value); }
  bool binary(Json::binary_t& /*value*/) { return Fail("binary values are not supported"); }
  bool start_object(size_t /*elements*/) {
    if (depth_++ == 0) return true;
    return Fail("nested objects and arrays are not supported");
  }
  bool key(Json::string_t& key) {
    keys_.push_back(Append(key));
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(size_t /*elements*/) {
    if (depth_ == 0) return Fail("expected a JSON object, found an array");
    return Fail("nested objects and arrays are not supported");
  }
  bool end_array() { return true; }
  bool parse_error(size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& exception) {
    if (reason_.empty()) reason_ = ShortParseMessage(exception.what());
    return false;
  }

  // Why the line was refused, and the key it concerns; empty when it parsed.
  const std::string& reason() const { return reason_; }
  const std::string& field() const { return field_; }

 private:
  template <typename Number>
  bool Integer(Number value) {
    char text[24];
    const auto result = std::to_chars(text, text + sizeof(text), value);
    return Value(std::string_view(text, static_cast<size_t>(result.ptr - text)));
  }

  bool Value(std::string_view text) {
    if (depth_ == 0) return Fail("expected a JSON object, found a scalar value");
    if (text.size() > max_field_bytes_) {
      return Fail(fmt::format("field longer than {} bytes", max_field_bytes_));
    }
    values_.push_back(Append(text));
    return true;
  }

  Slice Append(std::string_view text) {
    const Slice slice{arena_.size(), text.size()};
    arena_.append(text);
    return slice;
  }

  // Names the key being read, if any, and stops the parse.
  bool Fail(std::string reason) {
    if (depth_ > 0 && keys_.size() > values_.size()) {
      const Slice key = keys_.back();
      field_.assign(arena_, key.offset, key.size);
    }
    reason_ = std::move(reason);
    return false;
  }

  std::string& arena_;
  std::vector<Slice>& keys_;
  std::vector<Slice>& values_;
  size_t max_field_bytes_;
  int depth_ = 0;
  std::string reason_;
  std::string field_;
};

struct LineScanner {
  const char* Find(const char* from, const char* end) const {
    return static_cast<const char*>(std::memchr(from, '\n', static_cast<size_t>(end - from)));
  }
};

bool IsBlank(const char* begin, const char* end) {
  return std::all_of(begin, end, [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

class JsonlReader final : public RecordReader {
 public:
  JsonlReader(std::string name, const ReaderLimits& limits)
      : input_(std::move(name), limits), limits_(limits) {}

  RecordInput& input() { return input_; }

  const std::vector<std::string>& header() const override { return header_; }
  ReadOutcome Next(Row& row, RowError& error) override;
  uint64_t bytes_read() const override { return input_.bytes_consumed(); }

 private:
  // The first repeated key, if any (the empty key can repeat too). Keys are the row's names.
  std::optional<std::string_view> FindDuplicateKey(const std::vector<std::string_view>& names);

  RecordInput input_;
  ReaderLimits limits_;
  std::vector<std::string> header_;  // always empty: JSON Lines rows name their own fields
  uint64_t next_line_ = 1;
  // Reused from line to line so that steady-state reading does not allocate.
  std::string arena_;
  std::vector<Slice> keys_;
  std::vector<Slice> values_;
  std::vector<std::string_view> sorted_keys_;
};

ReadOutcome JsonlReader::Next(Row& row, RowError& error) {
  for (;;) {
    LineScanner scanner;
    RecordSpan span;
    const SpanOutcome outcome = input_.NextRecord(scanner, span);
    if (outcome == SpanOutcome::kEnd) return ReadOutcome::kEnd;
    if (outcome == SpanOutcome::kIoError) {
      error = RowError{0, "", input_.error()};
      return ReadOutcome::kError;
    }
    const uint64_t line = next_line_++;
    if (span.overlong) {
      error =
          RowError{line, "", fmt::format("line longer than {} bytes", limits_.max_record_bytes)};
      return ReadOutcome::kError;
    }
    if (IsBlank(span.begin, span.end)) continue;

    FlatObjectCollector collector(arena_, keys_, values_, limits_.max_field_bytes);
    // In SAX mode a malformed line is reported to the collector, not thrown.
    const bool parsed = Json::sax_parse(span.begin, span.end, &collector,
                                        Json::input_format_t::json, /*strict=*/true,
                                        /*ignore_comments=*/false);
    if (!parsed || !collector.reason().empty()) {
      error = RowError{line, collector.field(),
                       collector.reason().empty() ? "invalid JSON" : collector.reason()};
      return ReadOutcome::kError;
    }
    row.line = line;
    row.names.clear();
    row.values.clear();
    for (size_t i = 0; i < keys_.size(); ++i) {
      row.names.emplace_back(arena_.data() + keys_[i].offset, keys_[i].size);
      row.values.emplace_back(arena_.data() + values_[i].offset, values_[i].size);
    }
    if (const std::optional<std::string_view> key = FindDuplicateKey(row.names)) {
      // The field name is how an error is located; an empty one would vanish from the message.
      error = RowError{line, std::string(*key),
                       key->empty() ? "duplicate empty key \"\"" : "duplicate key"};
      return ReadOutcome::kError;
    }
    return ReadOutcome::kRow;
  }
}

std::optional<std::string_view> JsonlReader::FindDuplicateKey(
    const std::vector<std::string_view>& names) {
  // A pairwise check is quadratic, and a hostile megabyte line can hold 100k keys.
  if (names.size() <= kPairwiseDuplicateCheckKeys) {
    for (size_t i = 1; i < names.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (names[i] == names[j]) return names[i];
      }
    }
    return std::nullopt;
  }
  sorted_keys_.assign(names.begin(), names.end());
  std::sort(sorted_keys_.begin(), sorted_keys_.end());
  const auto repeat = std::adjacent_find(sorted_keys_.begin(), sorted_keys_.end());
  if (repeat == sorted_keys_.end()) return std::nullopt;
  return *repeat;
}

StatusOr<std::unique_ptr<RecordReader>> FinishOpen(std::unique_ptr<JsonlReader> reader) {
  reader->input().SkipUtf8Bom();
  return std::unique_ptr<RecordReader>(std::move(reader));
}

}  // namespace

StatusOr<std::unique_ptr<RecordReader>> OpenJsonl(const std::filesystem::path& path,
                                                  const ReaderLimits& limits) {
  TRAFNET_RETURN_IF_ERROR(ValidateLimits(limits));
  auto reader = std::make_unique<JsonlReader>(path.string(), limits);
  TRAFNET_RETURN_IF_ERROR(reader->input().OpenFile(path));
  return FinishOpen(std::move(reader));
}

StatusOr<std::unique_ptr<RecordReader>> OpenJsonlBuffer(std::string data, std::string name,
                                                        const ReaderLimits& limits) {
  TRAFNET_RETURN_IF_ERROR(ValidateLimits(limits));
  auto reader = std::make_unique<JsonlReader>(std::move(name), limits);
  reader->input().UseString(std::move(data));
  return FinishOpen(std::move(reader));
}

}  // namespace trafnet::engine
