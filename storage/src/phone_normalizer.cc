// Phone numbers to E.164 through libphonenumber.
//
// libphonenumber is lenient on purpose: it extracts the first number-like run from free text,
// reads vanity letters as keypad digits ("064 ABC 4567" parses as a valid +381642224567),
// drops trailing junk ("064 123 4567, 065" parses as +381641234567) and stops at an ill-formed
// UTF-8 byte. For an identifier that decides which records merge, a silent guess is worse
// than a rejection, so the text is screened first: it must be well-formed UTF-8 made only of
// digits (any script's decimal digits), white space, dashes and the separators + ( ) [ ] . /,
// optionally after a leading "tel:". Anything else, letters included, is not a phone number.
// The screened text is rewritten in ASCII before parsing so libphonenumber sees one spelling.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "trafnet/storage/normalize.h"

namespace trafnet::storage {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// Longer than any real spelling of a number (E.164 has at most 15 digits) with room for
// separators; beyond this the text is something else pasted into a phone column.
constexpr int32_t kMaxCodePoints = 64;
constexpr size_t kMaxRawBytes = 4096;

std::string_view TrimUnicodeSpace(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  int32_t begin = 0;
  int32_t end = static_cast<int32_t>(text.size());
  while (begin < end) {
    int32_t next = begin;
    UChar32 c;
    U8_NEXT(bytes, next, end, c);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    begin = next;
  }
  while (end > begin) {
    int32_t previous = end;
    UChar32 c;
    U8_PREV(bytes, begin, previous, c);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    end = previous;
  }
  return text.substr(begin, end - begin);
}

bool StartsWithTelScheme(std::string_view text) {
  if (text.size() < 4) return false;
  static constexpr std::string_view kScheme = "tel:";
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return false;
  }
  return true;
}

std::string DescribeCodePoint(UChar32 c) {
  char buffer[16];
  if (c > 0x20 && c < 0x7F) {
    std::snprintf(buffer, sizeof(buffer), "'%c'", static_cast<char>(c));
  } else {
    std::snprintf(buffer, sizeof(buffer), "U+%04X", static_cast<unsigned>(c));
  }
  return buffer;
}

// Screens `text` (trimmed, without "tel:") and writes the ASCII spelling libphonenumber gets.
Status ToAsciiDialString(std::string_view text, std::string* ascii) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t size = static_cast<int32_t>(text.size());
  int32_t code_points = 0;
  int digits = 0;
  ascii->clear();
  ascii->reserve(text.size());
  for (int32_t i = 0; i < size;) {
    UChar32 c;
    U8_NEXT(bytes, i, size, c);
    if (++code_points > kMaxCodePoints) {
      return InvalidArgumentError("not a phone number: longer than 64 characters");
    }
    if (c < 0) return InvalidArgumentError("not a phone number: ill-formed UTF-8");
    if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      ascii->push_back(static_cast<char>('0' + u_charDigitValue(c)));
      ++digits;
    } else if (c == '+' || c == 0xFF0B) {  // FULLWIDTH PLUS SIGN, common in CJK input
      ascii->push_back('+');
    } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == '.' || c == '/') {
      ascii->push_back(static_cast<char>(c));
    } else if (u_charType(c) == U_DASH_PUNCTUATION) {
      ascii->push_back('-');
    } else if (u_isUWhiteSpace(c)) {
      ascii->push_back(' ');
    } else if (u_isUAlphabetic(c)) {
      return InvalidArgumentError("not a phone number: contains letters");
    } else {
      return InvalidArgumentError("not a phone number: unexpected character " +
                                  DescribeCodePoint(c));
    }
  }
  if (digits == 0) return InvalidArgumentError("not a phone number: no digits");
  return Status::Ok();
}

std::string_view DescribeParseError(PhoneNumberUtil::ErrorType error) {
  switch (error) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return "not a phone number: unknown country calling code";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return "not a phone number: too short after the international prefix";
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return "not a phone number: too short";
    case PhoneNumberUtil::TOO_LONG_NSN:
      return "not a phone number: too long";
    default:
      return "not a phone number";
  }
}

// libphonenumber answers "ZZ" for an unknown region and "001" for non-geographic numbers
// (+800, +882, ...); neither is an ISO 3166 alpha-2 code.
std::string RegionOf(const PhoneNumberUtil& util, const PhoneNumber& number) {
  std::string region;
  util.GetRegionCodeForNumber(number, &region);
  if (region.size() != 2 || region == "ZZ") region.clear();
  return region;
}

}  // namespace

PhoneNormalizer::PhoneNormalizer(std::string default_region)
    : default_region_(std::move(default_region)) {
  // libphonenumber only knows upper-case region codes; "rs" is an easy mistake to forgive.
  // An unknown region is kept as is: numbers then parse only with an international prefix.
  for (char& c : default_region_) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
}

StatusOr<NormalizedPhone> PhoneNormalizer::Normalize(std::string_view raw) const {
  // Bounds the work on a pasted document before decoding it. Generous, because padding around
  // a number is allowed: the 64-character limit applies to the trimmed text below.
  if (raw.size() > kMaxRawBytes) {
    return InvalidArgumentError("not a phone number: longer than 64 characters");
  }
  if (!IsValidUtf8(raw)) return InvalidArgumentError("not a phone number: ill-formed UTF-8");
  const std::string_view trimmed = TrimUnicodeSpace(raw);
  if (trimmed.empty()) return InvalidArgumentError("not a phone number: empty");

  std::string_view dial = trimmed;
  if (StartsWithTelScheme(dial)) dial = TrimUnicodeSpace(dial.substr(4));
  std::string ascii;
  TRAFNET_RETURN_IF_ERROR(ToAsciiDialString(dial, &ascii));

  // GetInstance is a thread-safe singleton and Parse/IsValidNumber/Format are const.
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  const PhoneNumberUtil::ErrorType error = util.Parse(ascii, default_region_, &number);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
    return InvalidArgumentError(std::string(DescribeParseError(error)));
  }

  NormalizedPhone result;
  result.region = RegionOf(util, number);
  if (util.IsValidNumber(number)) {
    result.quality = PhoneQuality::kValid;
    util.Format(number, PhoneNumberUtil::E164, &result.key);
  } else {
    result.quality = PhoneQuality::kInvalid;
    result.key.reserve(trimmed.size() + 1);
    result.key.push_back('?');
    result.key.append(trimmed);
  }
  return result;
}

}  // namespace trafnet::storage
