// Text helpers for the world generator: Serbian Latin to Cyrillic transliteration, the ASCII
// and upper-case spellings agencies use, ISO dates, and a buffered CSV file writer.
#ifndef TRAFNET_ENGINE_SRC_GENERATE_TEXT_H_
#define TRAFNET_ENGINE_SRC_GENERATE_TEXT_H_

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "trafnet/base/status.h"

namespace trafnet::engine::gen {

// Serbian Latin (with diacritics) to Serbian Cyrillic, digraphs included: "Ljiljana Đorđević"
// -> "Љиљана Ђорђевић". Returns false (and leaves `out` unspecified) when the text holds a
// letter with no Serbian Cyrillic counterpart (q, w, x, y, foreign diacritics).
bool ToCyrillic(std::string_view latin, std::string& out);

// "Đorđe Šarčević" -> "Djordje Sarcevic"; in upper-case words Đ becomes "DJ".
std::string ToAscii(std::string_view latin);

// Upper case for ASCII and the Serbian Latin letters č ć đ š ž.
std::string ToUpper(std::string_view latin);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int32_t DaysFromCivil(int32_t year, int32_t month, int32_t day);
void CivilFromDays(int32_t days, int32_t& year, int32_t& month, int32_t& day);

// Appends "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS" when seconds_of_day >= 0.
void AppendDate(std::string& out, int32_t days, int32_t seconds_of_day = -1);
void AppendUint(std::string& out, uint64_t value, int min_width = 0);

// Streams CSV rows to a file through a large buffer. Fields are quoted per RFC 4180 when they
// contain a comma, quote or line break. The first write error is kept (naming the file) and
// later writes are dropped, so callers check status() now and then instead of on every row.
class CsvFile {
 public:
  CsvFile() = default;
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile();

  // Creates (truncates) the file and writes the header row.
  Status Open(const std::filesystem::path& path, std::string_view header);

  void Field(std::string_view value);
  void Field(uint64_t value);
  void EmptyField() { Field(std::string_view()); }
  void EndRow();

  // Rows written between StartCapture and FinishCapture are handed back instead of written
  // (as one string, with their line ends); WriteRow puts one such row back later.
  void StartCapture();
  std::string FinishCapture();
  void WriteRow(std::string_view row_with_line_end);

  // Flushes and closes; returns the first error seen.
  Status Close();

  const Status& status() const { return status_; }
  uint64_t rows() const { return rows_; }

 private:
  void Separator();
  void Flush();

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool row_started_ = false;
  bool capturing_ = false;
  size_t capture_from_ = 0;
  uint64_t capture_rows_ = 0;
  uint64_t rows_ = 0;
  Status status_;
};

}  // namespace trafnet::engine::gen

#endif  // TRAFNET_ENGINE_SRC_GENERATE_TEXT_H_
