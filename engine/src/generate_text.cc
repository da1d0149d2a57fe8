#include "generate_text.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace trafnet::engine::gen {
namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;

// Decodes one UTF-8 code point at text[i], advancing i. The generator's own tables are valid
// UTF-8, so malformed input only needs to not crash: a stray byte decodes as itself.
char32_t NextCodePoint(std::string_view text, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  const size_t extra = (lead >= 0xF0) ? 3 : (lead >= 0xE0) ? 2 : (lead >= 0xC0) ? 1 : 0;
  if (extra == 0 || i + extra >= text.size()) {
    ++i;
    return lead;
  }
  char32_t cp = lead & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  i += extra + 1;
  return cp;
}

void AppendCodePoint(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsUpperLetter(char32_t cp) {
  return (cp >= 'A' && cp <= 'Z') || cp == 0x010C || cp == 0x0106 || cp == 0x0110 || cp == 0x0160 ||
         cp == 0x017D;
}

// Lower-case Serbian Latin letter -> lower-case Cyrillic; 0 when there is none.
char32_t CyrillicLower(char32_t cp) {
  switch (cp) {
    case 'a':
      return 0x0430;
    case 'b':
      return 0x0431;
    case 'v':
      return 0x0432;
    case 'g':
      return 0x0433;
    case 'd':
      return 0x0434;
    case 0x0111:
      return 0x0452;  // đ
    case 'e':
      return 0x0435;
    case 0x017E:
      return 0x0436;  // ž
    case 'z':
      return 0x0437;
    case 'i':
      return 0x0438;
    case 'j':
      return 0x0458;
    case 'k':
      return 0x043A;
    case 'l':
      return 0x043B;
    case 'm':
      return 0x043C;
    case 'n':
      return 0x043D;
    case 'o':
      return 0x043E;
    case 'p':
      return 0x043F;
    case 'r':
      return 0x0440;
    case 's':
      return 0x0441;
    case 't':
      return 0x0442;
    case 0x0107:
      return 0x045B;  // ć
    case 'u':
      return 0x0443;
    case 'f':
      return 0x0444;
    case 'h':
      return 0x0445;
    case 'c':
      return 0x0446;
    case 0x010D:
      return 0x0447;  // č
    case 0x0161:
      return 0x0448;  // š
    default:
      return 0;
  }
}

char32_t LowerLatin(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp == 0x010C || cp == 0x0106 || cp == 0x0110 || cp == 0x0160 || cp == 0x017D) {
    return cp + 1;
  }
  return cp;
}

char32_t UpperCyrillic(char32_t cp) { return cp >= 0x0450 ? cp - 0x50 : cp - 0x20; }

}  // namespace

bool ToCyrillic(std::string_view latin, std::string& out) {
  out.clear();
  size_t i = 0;
  while (i < latin.size()) {
    const char32_t cp = NextCodePoint(latin, i);
    const bool upper = IsUpperLetter(cp);
    const char32_t lower = LowerLatin(cp);
    // Digraphs: lj, nj, dž. Peek at the next letter without consuming on a miss.
    size_t peek = i;
    const char32_t next = (i < latin.size()) ? LowerLatin(NextCodePoint(latin, peek)) : 0;
    char32_t cyr = 0;
    if (lower == 'l' && next == 'j') {
      cyr = 0x0459;
    } else if (lower == 'n' && next == 'j') {
      cyr = 0x045A;
    } else if (lower == 'd' && next == 0x017E) {
      cyr = 0x045F;
    }
    if (cyr != 0) {
      i = peek;
    } else if (lower < 0x80 && !((lower >= 'a' && lower <= 'z'))) {
      AppendCodePoint(out, cp);  // spaces, digits, punctuation
      continue;
    } else {
      cyr = CyrillicLower(lower);
      if (cyr == 0) return false;
    }
    AppendCodePoint(out, upper ? UpperCyrillic(cyr) : cyr);
  }
  return true;
}

std::string ToAscii(std::string_view latin) {
  std::string out;
  out.reserve(latin.size() + 2);
  size_t i = 0;
  while (i < latin.size()) {
    const char32_t cp = NextCodePoint(latin, i);
    switch (cp) {
      case 0x010C:
      case 0x0106:
        out.push_back('C');
        break;
      case 0x010D:
      case 0x0107:
        out.push_back('c');
        break;
      case 0x0160:
        out.push_back('S');
        break;
      case 0x0161:
        out.push_back('s');
        break;
      case 0x017D:
        out.push_back('Z');
        break;
      case 0x017E:
        out.push_back('z');
        break;
      case 0x0111:
        out += "dj";
        break;
      case 0x0110: {
        size_t peek = i;
        const char32_t next = (i < latin.size()) ? NextCodePoint(latin, peek) : 0;
        out += IsUpperLetter(next) ? "DJ" : "Dj";
        break;
      }
      default:
        AppendCodePoint(out, cp);
    }
  }
  return out;
}

std::string ToUpper(std::string_view latin) {
  std::string out;
  out.reserve(latin.size());
  size_t i = 0;
  while (i < latin.size()) {
    char32_t cp = NextCodePoint(latin, i);
    if (cp >= 'a' && cp <= 'z') {
      cp -= 32;
    } else if (cp == 0x010D || cp == 0x0107 || cp == 0x0111 || cp == 0x0161 || cp == 0x017E) {
      cp -= 1;
    }
    AppendCodePoint(out, cp);
  }
  return out;
}

// Howard Hinnant's civil-calendar algorithms ("chrono-Compatible Low-Level Date Algorithms").
int32_t DaysFromCivil(int32_t year, int32_t month, int32_t day) {
  year -= month <= 2 ? 1 : 0;
  const int32_t era = (year >= 0 ? year : year - 399) / 400;
  const int32_t yoe = year - era * 400;
  const int32_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int32_t days, int32_t& year, int32_t& month, int32_t& day) {
  days += 719468;
  const int32_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int32_t doe = days - era * 146097;
  const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int32_t mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = yoe + era * 400 + (month <= 2 ? 1 : 0);
}

void AppendUint(std::string& out, uint64_t value, int min_width) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (int k = n; k < min_width; ++k) out.push_back('0');
  while (n > 0) out.push_back(digits[--n]);
}

void AppendDate(std::string& out, int32_t days, int32_t seconds_of_day) {
  int32_t year = 0;
  int32_t month = 0;
  int32_t day = 0;
  CivilFromDays(days, year, month, day);
  AppendUint(out, static_cast<uint64_t>(year), 4);
  out.push_back('-');
  AppendUint(out, static_cast<uint64_t>(month), 2);
  out.push_back('-');
  AppendUint(out, static_cast<uint64_t>(day), 2);
  if (seconds_of_day < 0) return;
  out.push_back('T');
  AppendUint(out, static_cast<uint64_t>(seconds_of_day / 3600), 2);
  out.push_back(':');
  AppendUint(out, static_cast<uint64_t>(seconds_of_day / 60 % 60), 2);
  out.push_back(':');
  AppendUint(out, static_cast<uint64_t>(seconds_of_day % 60), 2);
}

CsvFile::~CsvFile() {
  if (file_ != nullptr) std::fclose(file_);
}

Status CsvFile::Open(const std::filesystem::path& path, std::string_view header) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    status_ = IoError("cannot create " + path.string() + ": " + std::strerror(errno));
    return status_;
  }
  buffer_.reserve(kFlushBytes + 64 * 1024);
  buffer_.append(header);
  buffer_.push_back('\n');
  return Status::Ok();
}

void CsvFile::Separator() {
  if (row_started_) buffer_.push_back(',');
  row_started_ = true;
}

void CsvFile::Field(std::string_view value) {
  Separator();
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    buffer_.append(value);
    return;
  }
  buffer_.push_back('"');
  for (const char c : value) {
    if (c == '"') buffer_.push_back('"');
    buffer_.push_back(c);
  }
  buffer_.push_back('"');
}

void CsvFile::Field(uint64_t value) {
  Separator();
  AppendUint(buffer_, value);
}

void CsvFile::EndRow() {
  buffer_.push_back('\n');
  row_started_ = false;
  ++rows_;
  if (buffer_.size() >= kFlushBytes && !capturing_) Flush();
}

void CsvFile::StartCapture() {
  capturing_ = true;
  capture_from_ = buffer_.size();
  capture_rows_ = rows_;
}

std::string CsvFile::FinishCapture() {
  std::string captured = buffer_.substr(capture_from_);
  buffer_.resize(capture_from_);
  rows_ = capture_rows_;
  capturing_ = false;
  return captured;
}

void CsvFile::WriteRow(std::string_view row_with_line_end) {
  buffer_.append(row_with_line_end);
  ++rows_;
  if (buffer_.size() >= kFlushBytes && !capturing_) Flush();
}

void CsvFile::Flush() {
  if (file_ != nullptr && status_.ok() && !buffer_.empty()) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      status_ = IoError("cannot write " + path_.string() + ": " + std::strerror(errno));
    }
  }
  buffer_.clear();
}

Status CsvFile::Close() {
  Flush();
  if (file_ != nullptr) {
    if (std::fclose(file_) != 0 && status_.ok()) {
      status_ = IoError("cannot write " + path_.string() + ": " + std::strerror(errno));
    }
    file_ = nullptr;
  }
  return status_;
}

}  // namespace trafnet::engine::gen
