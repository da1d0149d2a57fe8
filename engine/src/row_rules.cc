#include "row_rules.h"

#include <unicode/uloc.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <set>
#include <string>

namespace trafnet::engine {

namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

}  // namespace

std::string_view Trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

bool IsIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return false;
  std::chrono::year_month_day day{std::chrono::year(ToInt(y)),
                                  std::chrono::month(static_cast<unsigned>(ToInt(m))),
                                  std::chrono::day(static_cast<unsigned>(ToInt(d)))};
  return day.ok();
}

bool IsIsoDateOrDateTime(std::string_view text) {
  if (text.size() == 10) return IsIsoDate(text);
  if (text.size() < 16 || !IsIsoDate(text.substr(0, 10))) return false;
  if (text[10] != 'T' && text[10] != ' ') return false;
  std::string_view rest = text.substr(11);
  auto two_digits = [&](int max) {
    if (rest.size() < 2 || !AllDigits(rest.substr(0, 2)) || ToInt(rest.substr(0, 2)) > max) return false;
    rest.remove_prefix(2);
    return true;
  };
  if (!two_digits(23) || rest.empty() || rest[0] != ':') return false;
  rest.remove_prefix(1);
  if (!two_digits(59)) return false;
  if (!rest.empty() && rest[0] == ':') {
    rest.remove_prefix(1);
    if (!two_digits(60)) return false;
    if (!rest.empty() && rest[0] == '.') {
      rest.remove_prefix(1);
      size_t digits = 0;
      while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
      if (digits == 0 || digits > 9) return false;
      rest.remove_prefix(digits);
    }
  }
  if (rest.empty() || rest == "Z") return true;
  if (rest[0] != '+' && rest[0] != '-') return false;
  rest.remove_prefix(1);
  if (!two_digits(14) || rest.empty() || rest[0] != ':') return false;
  rest.remove_prefix(1);
  return two_digits(59) && rest.empty();
}

bool IsCountryCode(std::string_view text) {
  static const std::set<std::string, std::less<>> kCodes = [] {
    std::set<std::string, std::less<>> codes;
    for (const char* const* code = uloc_getISOCountries(); *code != nullptr; ++code) {
      codes.emplace(*code);
    }
    return codes;
  }();
  return text.size() == 2 && kCodes.contains(text);
}

bool HasControlCharacters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

std::optional<uint64_t> ParseCount(std::string_view text) {
  if (!AllDigits(text) || text.size() > 13) return std::nullopt;
  uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value == 0 || value > 1'000'000'000'000ULL) return std::nullopt;
  return value;
}

std::optional<ParsedRef> ParseRef(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  return ParsedRef{text.substr(0, colon), text.substr(colon + 1)};
}

std::optional<std::string_view> PhoneReference(std::string_view text) {
  auto ref = ParseRef(text);
  if (!ref || ref->kind != "phone") return std::nullopt;
  return Trim(ref->key);
}

bool IsGenericNodeKind(std::string_view kind) {
  static constexpr std::array<std::string_view, 7> kKinds = {
      "account", "vehicle", "email", "ad", "company", "document", "device"};
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

std::optional<std::string> CheckLinkEnds(std::string_view type, std::string_view from_kind,
                                         std::string_view to_kind) {
  auto is = [](std::string_view kind, std::string_view want) { return kind == want; };
  bool ok = true;
  std::string_view expected;
  if (type == "USES") {
    ok = is(from_kind, "person") && is(to_kind, "phone");
    expected = "person → phone";
  } else if (type == "LIVES_AT" || type == "STAYED_AT") {
    ok = is(from_kind, "person") && is(to_kind, "address");
    expected = "person → address";
  } else if (type == "CALLED" || type == "MESSAGED") {
    ok = (is(from_kind, "phone") && is(to_kind, "phone")) ||
         (is(from_kind, "person") && is(to_kind, "person"));
    expected = "phone → phone or person → person";
  } else if (type == "KNOWS" || type == "FAMILY" || type == "TRAVELED_WITH" || type == "PAID" ||
             type == "EMPLOYS") {
    ok = is(from_kind, "person") && is(to_kind, "person");
    expected = "person → person";
  } else {
    return std::nullopt;
  }
  if (ok) return std::nullopt;
  return std::string(type) + " links " + std::string(expected) + ", not " +
         std::string(from_kind) + " → " + std::string(to_kind);
}

}  // namespace trafnet::engine
