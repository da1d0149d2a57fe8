#include "trafnet/engine/record_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace trafnet::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr size_t kTenMegabytes = 10 * 1024 * 1024;

// Renders every outcome as one line, "row 2: id=1|name=Anna" or "error 3: name: reason", so a
// test states the whole expected reading at once.
std::vector<std::string> Drain(RecordReader& reader) {
  std::vector<std::string> events;
  Row row;
  RowError error;
  for (;;) {
    const ReadOutcome outcome = reader.Next(row, error);
    if (outcome == ReadOutcome::kEnd) break;
    if (outcome == ReadOutcome::kError) {
      std::string event = "error " + std::to_string(error.line) + ": ";
      if (!error.field.empty()) event += error.field + ": ";
      events.push_back(event + error.reason);
      continue;
    }
    EXPECT_EQ(row.names.size(), row.values.size());
    std::string event = "row " + std::to_string(row.line) + ":";
    for (size_t i = 0; i < row.names.size(); ++i) {
      event += (i == 0 ? " " : "|") + std::string(row.names[i]) + "=" + std::string(row.values[i]);
    }
    events.push_back(event);
  }
  EXPECT_EQ(reader.Next(row, error), ReadOutcome::kEnd) << "the end is final";
  return events;
}

std::vector<std::string> ReadCsv(std::string text, const ReaderLimits& limits = {}) {
  auto reader = OpenCsvBuffer(std::move(text), "test.csv", limits);
  if (!reader.ok()) return {"open failed: " + reader.status().ToString()};
  return Drain(**reader);
}

std::vector<std::string> ReadJsonl(std::string text, const ReaderLimits& limits = {}) {
  auto reader = OpenJsonlBuffer(std::move(text), "test.jsonl", limits);
  if (!reader.ok()) return {"open failed: " + reader.status().ToString()};
  return Drain(**reader);
}

Status CsvOpenStatus(std::string text) {
  return OpenCsvBuffer(std::move(text), "test.csv").status();
}

// A file under the test's temporary directory, removed when the test ends.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& head, size_t filler_bytes,
           const std::string& tail)
      : path_(std::filesystem::path(::testing::TempDir()) / name) {
    std::ofstream out(path_, std::ios::binary);
    out << head;
    const std::string block(64 * 1024, 'x');
    for (size_t written = 0; written < filler_bytes; written += block.size()) {
      out.write(block.data(),
                static_cast<std::streamsize>(std::min(block.size(), filler_bytes - written)));
    }
    out << tail;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(CsvReaderTest, ReadsHeaderAndRows) {
  auto reader = OpenCsvBuffer("id,name\n1,Anna\n2,Boris\n", "test.csv");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_THAT((*reader)->header(), ElementsAre("id", "name"));
  EXPECT_THAT(Drain(**reader), ElementsAre("row 2: id=1|name=Anna", "row 3: id=2|name=Boris"));
}

TEST(CsvReaderTest, SkipsUtf8ByteOrderMark) {
  EXPECT_THAT(ReadCsv("\xEF\xBB\xBFid,name\n1,Anna\n"), ElementsAre("row 2: id=1|name=Anna"));
}

TEST(CsvReaderTest, AcceptsCrlfLineEnds) {
  EXPECT_THAT(ReadCsv("id,name\r\n1,Anna\r\n2,\"Boris\"\r\n"),
              ElementsAre("row 2: id=1|name=Anna", "row 3: id=2|name=Boris"));
}

TEST(CsvReaderTest, ReadsLastRecordWithoutTrailingNewline) {
  EXPECT_THAT(ReadCsv("id,name\n1,Anna"), ElementsAre("row 2: id=1|name=Anna"));
  EXPECT_THAT(ReadCsv("id,name\r\n1,Anna\r"), ElementsAre("row 2: id=1|name=Anna"));
}

TEST(CsvReaderTest, KeepsEmbeddedNewlineInQuotedField) {
  EXPECT_THAT(ReadCsv("id,note\n1,\"two\nlines\"\n2,x\n"),
              ElementsAre("row 2: id=1|note=two\nlines", "row 4: id=2|note=x"));
}

TEST(CsvReaderTest, KeepsCrlfAndLoneCrInsideQuotedField) {
  EXPECT_THAT(ReadCsv("id,note\r\n1,\"a\r\nb\"\r\n2,\"c\rd\"\r\n"),
              ElementsAre("row 2: id=1|note=a\r\nb", "row 4: id=2|note=c\rd"));
}

TEST(CsvReaderTest, UnescapesDoubledQuotes) {
  EXPECT_THAT(ReadCsv("id,note\n1,\"say \"\"hi\"\"\"\n2,\"\"\"\"\n"),
              ElementsAre("row 2: id=1|note=say \"hi\"", "row 3: id=2|note=\""));
}

TEST(CsvReaderTest, KeepsCommaInQuotedField) {
  EXPECT_THAT(ReadCsv("id,address\n1,\"Main St, 4\"\n"),
              ElementsAre("row 2: id=1|address=Main St, 4"));
}

TEST(CsvReaderTest, ReadsEmptyAndQuotedEmptyFields) {
  EXPECT_THAT(ReadCsv("a,b,c\n,\"\",\n"), ElementsAre("row 2: a=|b=|c="));
}

TEST(CsvReaderTest, TreatsQuoteInsideUnquotedFieldAsLiteral) {
  EXPECT_THAT(ReadCsv("id,height\n1,5'10\"\n2,a\"b\"c\n"),
              ElementsAre("row 2: id=1|height=5'10\"", "row 3: id=2|height=a\"b\"c"));
}

TEST(CsvReaderTest, ReportsTextAfterClosingQuoteAndCarriesOn) {
  EXPECT_THAT(ReadCsv("id,name\n1,\"ab\"c\n2,ok\n"),
              ElementsAre("error 2: name: unexpected character after closing quote",
                          "row 3: id=2|name=ok"));
}

TEST(CsvReaderTest, ReportsUnterminatedQuoteAtTheLineItStarts) {
  EXPECT_THAT(ReadCsv("id,name\n1,ok\n2,\"open\nmore\n"),
              ElementsAre("row 2: id=1|name=ok", "error 3: name: unterminated quoted field"));
}

TEST(CsvReaderTest, ReportsFieldCountMismatchAndCarriesOn) {
  EXPECT_THAT(ReadCsv("a,b,c\n1,2\n1,2,3,4\n1,2,3\n"),
              ElementsAre("error 2: expected 3 fields, found 2",
                          "error 3: expected 3 fields, found 4", "row 4: a=1|b=2|c=3"));
}

TEST(CsvReaderTest, SkipsEmptyLinesButCountsThem) {
  EXPECT_THAT(ReadCsv("\na,b\n\n1,2\n\r\n\n3,4\n\n"),
              ElementsAre("row 4: a=1|b=2", "row 7: a=3|b=4"));
}

TEST(CsvReaderTest, DoesNotTrimFields) {
  EXPECT_THAT(ReadCsv("id,name\n 1 ,\" Anna\t\"\n"), ElementsAre("row 2: id= 1 |name= Anna\t"));
}

TEST(CsvReaderTest, TrimsHeaderNames) {
  auto reader = OpenCsvBuffer(" id ,\tname ,\" code \"\r\n", "test.csv");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_THAT((*reader)->header(), ElementsAre("id", "name", "code"));
}

TEST(CsvReaderTest, RejectsDuplicateHeaderNameNamingFileAndColumn) {
  const Status status = CsvOpenStatus("id,name,id\n1,a,1\n");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("test.csv"));
  EXPECT_THAT(status.message(), HasSubstr("column 3 \"id\" repeats column 1"));
}

TEST(CsvReaderTest, RejectsEmptyHeaderNameNamingFileAndColumn) {
  const Status status = CsvOpenStatus("id, ,name\n");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), StartsWith("test.csv:1: header column 2 is empty"));
}

TEST(CsvReaderTest, RejectsFileWithoutHeader) {
  for (const char* text : {"", "\xEF\xBB\xBF", "\n\r\n"}) {
    const Status status = CsvOpenStatus(text);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), "test.csv: empty file, expected a header row");
  }
}

TEST(CsvReaderTest, RejectsHeaderWithUnterminatedQuote) {
  const Status status = CsvOpenStatus("id,\"name\n");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("column 2: unterminated quoted field"));
}

TEST(CsvReaderTest, HeaderOnlyFileHasNoRows) {
  EXPECT_THAT(ReadCsv("a,b\n"), IsEmpty());
  EXPECT_THAT(ReadCsv("a,b"), IsEmpty());
}

TEST(CsvReaderTest, MissingFileIsNotFoundNamingThePath) {
  const auto reader = OpenCsv("/nonexistent/persons.csv");
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr("/nonexistent/persons.csv"));
}

TEST(CsvReaderTest, RejectsZeroRecordLimit) {
  const auto reader = OpenCsvBuffer("a\n", "test.csv", ReaderLimits{.max_record_bytes = 0});
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
}

TEST(CsvReaderTest, ReportsOverlongFieldByColumnName) {
  const ReaderLimits limits{.max_field_bytes = 4};
  EXPECT_THAT(ReadCsv("id,name\n1,abcde\n2,abcd\n3,\"a\"\"cd\"\n", limits),
              ElementsAre("error 2: name: field longer than 4 bytes", "row 3: id=2|name=abcd",
                          "row 4: id=3|name=a\"cd"));
}

TEST(CsvReaderTest, AcceptsRecordOfExactlyTheLimit) {
  const ReaderLimits limits{.max_record_bytes = 7};
  EXPECT_THAT(
      ReadCsv("a,b\n123,567\r\n123,5678\n1,2", limits),
      ElementsAre("row 2: a=123|b=567", "error 3: record longer than 7 bytes", "row 4: a=1|b=2"));
}

TEST(CsvReaderTest, SkipsTenMegabyteLineAndCarriesOn) {
  const TempFile file("ten_megabyte_line.csv", "a,b\n1,2\n", kTenMegabytes, "\n3,4\n");
  auto reader = OpenCsv(file.path());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_THAT(
      Drain(**reader),
      ElementsAre("row 2: a=1|b=2", "error 3: record longer than 1048576 bytes", "row 4: a=3|b=4"));
  EXPECT_EQ((*reader)->bytes_read(), std::filesystem::file_size(file.path()));
}

TEST(CsvReaderTest, SkipsOverlongQuotedRecordAndCountsItsLines) {
  const ReaderLimits limits{.max_record_bytes = 32};
  std::string text = "a,b\n1,\"";
  for (int i = 0; i < 10; ++i) text += "quoted line\n";
  text += "\"\n3,4\n";
  EXPECT_THAT(ReadCsv(text, limits),
              ElementsAre("error 2: record longer than 32 bytes (it runs to line 12 through "
                          "quoted line breaks; is a quote missing?)",
                          "row 13: a=3|b=4"));
}

TEST(CsvReaderTest, BlamesNeverClosedQuoteWhenItSwallowsTheRest) {
  const ReaderLimits limits{.max_record_bytes = 16};
  EXPECT_THAT(ReadCsv("a,b\n1,2\n3,\"oops\n5,6\n7,8\n9,10\n11,12\n", limits),
              ElementsAre("row 2: a=1|b=2",
                          "error 3: record longer than 16 bytes (a quoted field opened on line 3 "
                          "is never closed)"));
}

TEST(CsvReaderTest, ReadsTheSameWhateverWhereReadsSplitRecords) {
  // Random tables written as RFC 4180 and read back with the record limit, and so the read
  // size, barely above the longest record: records straddle reads at every possible point.
  std::mt19937 rng(20240601);
  const std::string alphabet = "ab ,\"\n\r";
  for (int trial = 0; trial < 300; ++trial) {
    const size_t columns = 2 + rng() % 4;
    const std::string eol = rng() % 2 == 0 ? "\n" : "\r\n";
    std::string text = rng() % 4 == 0 ? "\xEF\xBB\xBF" : "";
    std::string header;
    for (size_t c = 0; c < columns; ++c) header += (c > 0 ? ",c" : "c") + std::to_string(c);
    text += header + eol;
    size_t longest = header.size();
    uint64_t line = 2;
    std::vector<std::string> expected;
    const int rows = static_cast<int>(rng() % 12);
    for (int r = 0; r < rows; ++r) {
      if (rng() % 5 == 0) {
        text += eol;  // a blank line
        ++line;
      }
      std::string record;
      std::string event = "row " + std::to_string(line) + ":";
      for (size_t c = 0; c < columns; ++c) {
        std::string value;
        for (size_t n = rng() % 10; n > 0; --n) value += alphabet[rng() % alphabet.size()];
        const bool must_quote = value.find_first_of(",\n\r") != std::string::npos ||
                                (!value.empty() && value[0] == '"');
        std::string field = value;
        if (must_quote || rng() % 4 == 0) {
          field = "\"";
          for (char ch : value) field += ch == '"' ? "\"\"" : std::string(1, ch);
          field += "\"";
        }
        record += (c > 0 ? "," : "") + field;
        event += (c > 0 ? "|c" : " c") + std::to_string(c) + "=" + value;
      }
      longest = std::max(longest, record.size());
      line += 1 + static_cast<uint64_t>(std::count(record.begin(), record.end(), '\n'));
      text += record;
      if (r + 1 < rows || rng() % 2 == 0) text += eol;
      expected.push_back(event);
    }
    const ReaderLimits limits{.max_record_bytes = longest + rng() % 3};
    ASSERT_EQ(ReadCsv(text, limits), expected) << "trial " << trial << ", input:\n" << text;
  }
}

TEST(CsvReaderTest, RowLooksUpValuesByColumnName) {
  auto reader = OpenCsvBuffer("id,name\n1,Anna\n", "test.csv");
  ASSERT_TRUE(reader.ok());
  Row row;
  RowError error;
  ASSERT_EQ((*reader)->Next(row, error), ReadOutcome::kRow);
  EXPECT_EQ(row.Get("name"), "Anna");
  EXPECT_TRUE(row.Has("id"));
  EXPECT_FALSE(row.Has("phone"));
  EXPECT_EQ(row.Get("phone"), "");
}

TEST(CsvReaderTest, CountsBytesConsumed) {
  const std::string text = "\xEF\xBB\xBFid\n1\n22\n";
  auto reader = OpenCsvBuffer(text, "test.csv");
  ASSERT_TRUE(reader.ok());
  Row row;
  RowError error;
  ASSERT_EQ((*reader)->Next(row, error), ReadOutcome::kRow);
  EXPECT_EQ((*reader)->bytes_read(), 8u);
  ASSERT_EQ((*reader)->Next(row, error), ReadOutcome::kRow);
  ASSERT_EQ((*reader)->Next(row, error), ReadOutcome::kEnd);
  EXPECT_EQ((*reader)->bytes_read(), text.size());
}

TEST(JsonlReaderTest, KeepsKeysInDocumentOrder) {
  auto reader = OpenJsonlBuffer("{\"b\":\"1\",\"a\":\"2\"}\n", "test.jsonl");
  ASSERT_TRUE(reader.ok());
  EXPECT_THAT((*reader)->header(), IsEmpty());
  EXPECT_THAT(Drain(**reader), ElementsAre("row 1: b=1|a=2"));
}

TEST(JsonlReaderTest, GivesScalarsAsTheirJsonText) {
  EXPECT_THAT(ReadJsonl(R"({"s":"text","i":-42,"u":18446744073709551615,"f":1.50,"e":1e3,)"
                        R"("big":123456789012345678901234,"t":true,"no":false,"n":null})"),
              ElementsAre("row 1: s=text|i=-42|u=18446744073709551615|f=1.50|e=1e3|"
                          "big=123456789012345678901234|t=true|no=false|n="));
}

TEST(JsonlReaderTest, UnescapesStrings) {
  EXPECT_THAT(ReadJsonl(R"({"name":"line\nbreak \u00e9 \"q\" \\"})"),
              ElementsAre("row 1: name=line\nbreak \xC3\xA9 \"q\" \\"));
}

TEST(JsonlReaderTest, SkipsBlankLinesButCountsThem) {
  EXPECT_THAT(ReadJsonl("\n{\"a\":1}\n  \n\r\n{\"a\":2}"), ElementsAre("row 2: a=1", "row 5: a=2"));
}

TEST(JsonlReaderTest, AcceptsCrlfAndByteOrderMark) {
  EXPECT_THAT(ReadJsonl("\xEF\xBB\xBF{\"a\":1}\r\n{\"a\":2}\r\n"),
              ElementsAre("row 1: a=1", "row 2: a=2"));
}

TEST(JsonlReaderTest, ReportsNestedValuesByKeyAndCarriesOn) {
  EXPECT_THAT(
      ReadJsonl("{\"a\":1,\"addr\":{\"city\":\"X\"}}\n{\"tags\":[1]}\n{\"a\":3}\n"),
      ElementsAre("error 1: addr: nested objects and arrays are not supported",
                  "error 2: tags: nested objects and arrays are not supported", "row 3: a=3"));
}

TEST(JsonlReaderTest, ReportsLineThatIsNotAnObject) {
  EXPECT_THAT(ReadJsonl("[1,2]\n42\n\"x\"\n"),
              ElementsAre("error 1: expected a JSON object, found an array",
                          "error 2: expected a JSON object, found a scalar value",
                          "error 3: expected a JSON object, found a scalar value"));
}

TEST(JsonlReaderTest, ReportsParseErrorWithColumn) {
  const std::vector<std::string> events = ReadJsonl("{\"a\":1,}\n{\"a\":1} x\n{\"a\":2}\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_THAT(events[0], StartsWith("error 1: invalid JSON at column 8: syntax error"));
  EXPECT_THAT(events[1], StartsWith("error 2: invalid JSON at column 9: syntax error"));
  EXPECT_EQ(events[2], "row 3: a=2");
}

TEST(JsonlReaderTest, KeepsParseErrorsShortOnHugeLines) {
  const std::vector<std::string> events = ReadJsonl("{\"a\":\"" + std::string(100000, 'x'));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0], StartsWith("error 1: invalid JSON at column"));
  EXPECT_LT(events[0].size(), 250u);
}

TEST(JsonlReaderTest, ReportsDuplicateKey) {
  std::string many_keys = "{";
  for (int i = 0; i < 40; ++i) many_keys += "\"k" + std::to_string(i) + "\":1,";
  many_keys += "\"k7\":2}";
  EXPECT_THAT(ReadJsonl("{\"a\":1,\"b\":2,\"a\":3}\n" + many_keys + "\n"),
              ElementsAre("error 1: a: duplicate key", "error 2: k7: duplicate key"));
}

TEST(JsonlReaderTest, ReportsRepeatedEmptyKey) {
  // Found by the fuzzer: the empty key repeated was taken for "no duplicate".
  std::string many_keys = "{";
  for (int i = 0; i < 40; ++i) many_keys += "\"k" + std::to_string(i) + "\":1,";
  many_keys += "\"\":1,\"\":2}";
  EXPECT_THAT(
      ReadJsonl("{\"\":\"2\",\"\":\"Js\",\"age\":null}\n" + many_keys + "\n"),
      ElementsAre("error 1: duplicate empty key \"\"", "error 2: duplicate empty key \"\""));
}

TEST(JsonlReaderTest, ReportsOverlongValueByKey) {
  const ReaderLimits limits{.max_field_bytes = 3};
  EXPECT_THAT(
      ReadJsonl("{\"id\":1,\"name\":\"Anna\"}\n{\"id\":1234}\n{\"name\":\"Ann\"}\n", limits),
      ElementsAre("error 1: name: field longer than 3 bytes",
                  "error 2: id: field longer than 3 bytes", "row 3: name=Ann"));
}

TEST(JsonlReaderTest, SkipsTenMegabyteLineAndCarriesOn) {
  const TempFile file("ten_megabyte_line.jsonl", "{\"a\":1}\n{\"a\":\"", kTenMegabytes,
                      "\"}\n{\"a\":3}\n");
  auto reader = OpenJsonl(file.path());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_THAT(Drain(**reader),
              ElementsAre("row 1: a=1", "error 2: line longer than 1048576 bytes", "row 3: a=3"));
}

TEST(JsonlReaderTest, MissingFileIsNotFoundNamingThePath) {
  const auto reader = OpenJsonl("/nonexistent/calls.jsonl");
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr("/nonexistent/calls.jsonl"));
}

TEST(JsonlReaderTest, EmptyInputHasNoRows) {
  EXPECT_THAT(ReadJsonl(""), IsEmpty());
  EXPECT_THAT(ReadJsonl("\n\n"), IsEmpty());
}

}  // namespace
}  // namespace trafnet::engine
