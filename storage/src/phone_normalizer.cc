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
//
// Speed. Parse costs 10-30 µs, mostly regular expressions written for free text (viability,
// extensions, punctuation); IsValidNumber another 3-5 µs. Normalize gives the same answers for
// less in two steps, and NormalizeReference keeps the plain Parse route the tests compare with
// (bench/normalize_bench.cc times both). Validity itself is judged by phone_validity.h, on the
// same metadata with the patterns compiled once.
//
// 1. On screened text Parse depends only on whether the number starts with '+' and on its
//    digits. Its free-text steps find nothing else to act on: extensions need letters, '#',
//    ',' or ';', which screening rejects, and punctuation is dropped when it normalizes. The
//    exceptions are caught and sent to Parse as they are: fewer than three digits, and a '+'
//    after the leading ones (Parse rejects the text as no number).
// 2. Those digits are read as Parse reads them, up to the point where the country code is
//    known: '+' or the default region's international prefix ("00") followed by a calling
//    code (ExtractCountryCode's rule), or a national number of the default region. Every
//    spelling of one number then meets at (country code, national digits), and the memo maps
//    that pair to the answer. On a miss the national (trunk) prefix is stripped as Parse
//    would, the PhoneNumber is built directly, and libphonenumber still decides validity and
//    region. Whatever is not certain goes to Parse on the canonical text ("+<code><digits>"):
//    rules that are patterns rather than digit strings (AR, BR, MX, CN, ... see
//    phone_dialing_rules.h), a default region that shares its calling code without being its
//    main region, national digits that begin with the region's own calling code (Parse then
//    tries both readings), fewer than 4 or more than 17 digits, and a trunk prefix whose
//    removal leaves a number that is not valid (Parse's choice then hangs on a pattern test
//    this file cannot repeat). Those answers are memoized all the same.
#include <absl/container/flat_hash_map.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "phone_dialing_rules.h"
#include "phone_validity.h"
#include "trafnet/storage/normalize.h"

namespace trafnet::storage {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// Longer than any real spelling of a number (E.164 has at most 15 digits) with room for
// separators; beyond this the text is something else pasted into a phone column.
constexpr int32_t kMaxCodePoints = 64;
constexpr size_t kMaxRawBytes = 4096;

// What screening makes of one code point, in the order it asks.
enum class DialChar : uint8_t { kDigit, kPlus, kSeparator, kDash, kSpace, kLetter, kOther };

DialChar ClassifyWithIcu(UChar32 c) {
  if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) return DialChar::kDigit;
  if (c == '+' || c == 0xFF0B) return DialChar::kPlus;  // FULLWIDTH PLUS SIGN, common in CJK
  if (c == '(' || c == ')' || c == '[' || c == ']' || c == '.' || c == '/') {
    return DialChar::kSeparator;
  }
  if (u_charType(c) == U_DASH_PUNCTUATION) return DialChar::kDash;
  if (u_isUWhiteSpace(c)) return DialChar::kSpace;
  if (u_isUAlphabetic(c)) return DialChar::kLetter;
  return DialChar::kOther;
}

// ClassifyWithIcu for the ASCII code points, asked of ICU once: nearly every phone number is
// ASCII, and three or four ICU property lookups per character were a third of a memo hit.
const std::array<DialChar, 128>& AsciiClasses() {
  static const std::array<DialChar, 128> classes = [] {
    std::array<DialChar, 128> table{};
    for (UChar32 c = 0; c < 128; ++c) table[static_cast<size_t>(c)] = ClassifyWithIcu(c);
    return table;
  }();
  return classes;
}

DialChar Classify(UChar32 c) {
  return c >= 0 && c < 128 ? AsciiClasses()[static_cast<size_t>(c)] : ClassifyWithIcu(c);
}

std::string_view TrimUnicodeSpace(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  int32_t begin = 0;
  int32_t end = static_cast<int32_t>(text.size());
  while (begin < end) {
    int32_t next = begin;
    UChar32 c;
    U8_NEXT(bytes, next, end, c);
    if (c < 0 || Classify(c) != DialChar::kSpace) break;
    begin = next;
  }
  while (end > begin) {
    int32_t previous = end;
    UChar32 c;
    U8_PREV(bytes, begin, previous, c);
    if (c < 0 || Classify(c) != DialChar::kSpace) break;
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
    switch (Classify(c)) {
      case DialChar::kDigit:
        ascii->push_back(static_cast<char>('0' + (c < 128 ? c - '0' : u_charDigitValue(c))));
        ++digits;
        break;
      case DialChar::kPlus:
        ascii->push_back('+');
        break;
      case DialChar::kSeparator:
        ascii->push_back(static_cast<char>(c));
        break;
      case DialChar::kDash:
        ascii->push_back('-');
        break;
      case DialChar::kSpace:
        ascii->push_back(' ');
        break;
      case DialChar::kLetter:
        return InvalidArgumentError("not a phone number: contains letters");
      case DialChar::kOther:
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

// The text that passed screening: the trimmed input (kept in invalid keys) and its ASCII form.
struct ScreenedPhone {
  std::string_view trimmed;
  std::string ascii;
};

StatusOr<ScreenedPhone> Screen(std::string_view raw) {
  // Bounds the work on a pasted document before decoding it. Generous, because padding around
  // a number is allowed: the 64-character limit applies to the trimmed text below.
  if (raw.size() > kMaxRawBytes) {
    return InvalidArgumentError("not a phone number: longer than 64 characters");
  }
  if (!IsValidUtf8(raw)) return InvalidArgumentError("not a phone number: ill-formed UTF-8");
  ScreenedPhone screened;
  screened.trimmed = TrimUnicodeSpace(raw);
  if (screened.trimmed.empty()) return InvalidArgumentError("not a phone number: empty");

  std::string_view dial = screened.trimmed;
  if (StartsWithTelScheme(dial)) dial = TrimUnicodeSpace(dial.substr(4));
  TRAFNET_RETURN_IF_ERROR(ToAsciiDialString(dial, &screened.ascii));
  return screened;
}

// The reference: Parse, then IsValidNumber and Format.
StatusOr<NormalizedPhone> ParseAndValidate(const std::string& ascii, const std::string& region,
                                           std::string_view trimmed) {
  // GetInstance is a thread-safe singleton and Parse/IsValidNumber/Format are const.
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  const PhoneNumberUtil::ErrorType error = util.Parse(ascii, region, &number);
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

// Parse's bounds on a national significant number (kMinLengthForNsn, kMaxLengthForNsn).
constexpr size_t kMinNationalDigits = 2;
constexpr size_t kMaxNationalDigits = 17;
// Digits (country code included) the fast path reads; other lengths go to Parse.
constexpr size_t kMinFastDigits = 4;
constexpr size_t kMaxFastDigits = 17;
// The longest digit string that fits the memo key (10^19 - 1 < 2^64).
constexpr size_t kMaxMemoDigits = 19;

// What Parse reads in screened text (see the opening comment).
struct DialString {
  bool plus = false;
  std::string digits;
};

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Empty when Parse could read `ascii` as something other than its '+' and digits: with fewer
// than three digits (two bare digits are a short number, other short texts are none), or with
// a '+' between the leading ones and the last digit, which fails Parse's viability test. Like
// Parse, it ignores what precedes the first '+' or digit and what follows the last digit.
std::optional<DialString> ToDialString(std::string_view ascii) {
  const size_t start = ascii.find_first_of("+0123456789");
  const size_t end = ascii.find_last_of("0123456789");
  if (start == std::string_view::npos || end == std::string_view::npos) return std::nullopt;
  DialString dial;
  size_t i = start;
  while (i < end && ascii[i] == '+') ++i;
  dial.plus = i > start;
  for (; i <= end; ++i) {
    if (ascii[i] == '+') return std::nullopt;
    if (IsAsciiDigit(ascii[i])) dial.digits.push_back(ascii[i]);
  }
  if (dial.digits.size() < 3) return std::nullopt;
  return dial;
}

// A number once Parse knows its country code: the code and the digits after it, still with any
// national prefix ("0641234567" for "064/123-4567", "641234567" for "+381 64 1234567").
struct CountryAndNational {
  int country_code = 0;
  std::string_view national;
};

// The default region's rules when its national numbers can be read here: it is the main region
// of its calling code (so '+code' numbers meet the same rules) and its international prefix is
// a digit string. Null otherwise.
const phone_internal::DialingRules* HomeRules(const std::string& region) {
  const auto& table = phone_internal::DialingRulesTable::Get();
  const phone_internal::DialingRules* rules = table.ForRegion(region);
  if (rules == nullptr || rules->international_prefix.empty() ||
      table.ForCountryCode(rules->country_code) != rules) {
    return nullptr;
  }
  return rules;
}

// Parse's MaybeExtractCountryCode for the cases it settles without a pattern; empty otherwise.
std::optional<CountryAndNational> SplitCountryCode(const DialString& dial,
                                                   const phone_internal::DialingRules* home,
                                                   std::string_view home_code) {
  std::string_view digits = dial.digits;
  if (digits.size() < kMinFastDigits || digits.size() > kMaxFastDigits) return std::nullopt;
  if (!dial.plus) {
    if (home == nullptr) return std::nullopt;
    const std::string& idd = home->international_prefix;
    // ParsePrefixAsIdd: the prefix counts unless a 0 follows it (no calling code starts so).
    if (digits.starts_with(idd) && (digits.size() == idd.size() || digits[idd.size()] != '0')) {
      digits.remove_prefix(idd.size());
    } else if (digits.starts_with(home_code)) {
      return std::nullopt;  // Parse weighs reading these digits as code + number
    } else {
      return CountryAndNational{home->country_code, digits};
    }
  }
  // ExtractCountryCode: the shortest known calling code. Shorter remainders are Parse errors.
  if (digits.size() <= 2 || digits[0] == '0') return std::nullopt;
  const auto& table = phone_internal::DialingRulesTable::Get();
  for (size_t length = 1; length <= 3; ++length) {
    int code = 0;
    std::from_chars(digits.data(), digits.data() + length, code);
    if (!table.IsKnownCountryCode(code)) continue;
    digits.remove_prefix(length);
    if (digits.size() < kMinNationalDigits) return std::nullopt;
    return CountryAndNational{code, digits};
  }
  return std::nullopt;
}

// What the memo keeps for one number: enough to rebuild NormalizedPhone for any spelling.
struct MemoEntry {
  uint64_t national_number = 0;
  uint16_t country_code = 0;
  uint8_t leading_zeros = 0;  // Italian leading zeros of the national number
  uint8_t error = PhoneNumberUtil::NO_PARSING_ERROR;
  bool valid = false;
  std::array<char, 2> region = {0, 0};  // zeros when there is none
};

enum class MemoKind : uint8_t {
  kSplit,     // country code + national digits, whatever the spelling
  kPlus,      // '+' and digits that SplitCountryCode left to Parse
  kNational,  // digits without '+' that SplitCountryCode left to Parse
};

struct MemoKey {
  uint64_t digits = 0;
  uint16_t country_code = 0;
  uint8_t length = 0;  // of the digits, which keeps leading zeros apart
  MemoKind kind = MemoKind::kSplit;

  bool operator==(const MemoKey&) const = default;
};

struct MemoKeyHash {
  size_t operator()(const MemoKey& key) const {
    uint64_t h = key.digits ^ (uint64_t{key.country_code} << 48) ^ (uint64_t{key.length} << 40) ^
                 (uint64_t{static_cast<uint8_t>(key.kind)} << 38);
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;  // splitmix64's finalizer
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<size_t>(h ^ (h >> 31));
  }
};

std::optional<MemoKey> MakeMemoKey(MemoKind kind, int country_code, std::string_view digits) {
  if (digits.size() > kMaxMemoDigits) return std::nullopt;
  MemoKey key;
  std::from_chars(digits.data(), digits.data() + digits.size(), key.digits);
  key.country_code = static_cast<uint16_t>(country_code);
  key.length = static_cast<uint8_t>(digits.size());
  key.kind = kind;
  return key;
}

// A bounded map from MemoKey to MemoEntry, sharded so threads rarely wait on one another. A
// full shard is emptied rather than evicted entry by entry: simple, and a hot number is back
// after one miss.
class Memo {
 public:
  explicit Memo(size_t capacity) : shard_capacity_((capacity + kShards - 1) / kShards) {}

  std::optional<MemoEntry> Find(const MemoKey& key) {
    if (shard_capacity_ == 0) return std::nullopt;
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end()) return std::nullopt;
    return it->second;
  }

  void Insert(const MemoKey& key, const MemoEntry& entry) {
    if (shard_capacity_ == 0) return;
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (shard.entries.size() >= shard_capacity_) shard.entries.clear();
    shard.entries.emplace(key, entry);
  }

 private:
  static constexpr size_t kShards = 16;

  struct alignas(64) Shard {  // a cache line of its own, so threads on two shards do not meet
    std::mutex mutex;
    // Open addressing: a lookup is one cache miss into a slot holding key and entry, where a
    // node-based map took two or three (millions of lookups, one per phone end of a links.csv).
    absl::flat_hash_map<MemoKey, MemoEntry, MemoKeyHash> entries;
  };

  Shard& ShardOf(const MemoKey& key) { return shards_[(MemoKeyHash()(key) >> 60) & (kShards - 1)]; }

  const size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

// `raw_region` is GetRegionCodeForNumber's answer and `valid` IsValidNumber's.
MemoEntry EntryOf(const PhoneNumber& number, const std::string& raw_region, bool valid) {
  MemoEntry entry;
  entry.national_number = number.national_number();
  entry.country_code = static_cast<uint16_t>(number.country_code());
  if (number.italian_leading_zero()) {
    entry.leading_zeros = static_cast<uint8_t>(std::max(number.number_of_leading_zeros(), 0));
  }
  entry.valid = valid;
  if (raw_region.size() == 2 && raw_region != "ZZ") entry.region = {raw_region[0], raw_region[1]};
  return entry;
}

MemoEntry Evaluate(const PhoneNumberUtil& util, const PhoneNumber& number) {
  // IsValidNumber is IsValidNumberForRegion for GetRegionCodeForNumber's answer; asking for
  // the region once halves the work for calling codes shared by many regions (+1, +7, +44).
  std::string raw_region;
  util.GetRegionCodeForNumber(number, &raw_region);
  return EntryOf(number, raw_region, phone_internal::IsValidNumberForRegion(number, raw_region));
}

// The fallback: Parse on canonical text (screened, so it parses as the original would).
MemoEntry ParseEntry(const std::string& text, const std::string& region) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  const PhoneNumberUtil::ErrorType error = util.Parse(text, region, &number);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
    MemoEntry entry;
    entry.error = static_cast<uint8_t>(error);
    return entry;
  }
  return Evaluate(util, number);
}

// Text Parse reads as `split` ('+', code, national digits) or as `dial`.
std::string CanonicalText(const CountryAndNational& split) {
  std::string text(1, '+');
  text += std::to_string(split.country_code);
  text += split.national;
  return text;
}

std::string CanonicalText(const DialString& dial) {
  std::string text(dial.plus ? "+" : "");
  text += dial.digits;
  return text;
}

// True when `entry` is the valid number `number`, in the region `region_id` ("RS").
bool IsValidNumberOf(const MemoEntry& entry, const PhoneNumber& number,
                     const std::string& region_id) {
  return entry.valid && entry.region[0] != 0 &&
         std::string_view(entry.region.data(), entry.region.size()) == region_id &&
         entry.country_code == number.country_code() &&
         entry.national_number == number.national_number() &&
         entry.leading_zeros ==
             (number.italian_leading_zero() ? std::max(number.number_of_leading_zeros(), 0) : 0);
}

// The rest of ParseHelper after the country code, without its pattern tests: the national
// prefix of the code's main region is stripped when what remains has a possible length (the
// TestNumberLength check) and is valid there (which settles the general-description pattern
// test: a valid number matches it). Valid or not, the number is then judged by libphonenumber.
// "0641234567" and "+381 64 1234567" reach here as (381, "0641234567") and (381, "641234567");
// the memo entry of the second serves the first, so one number costs one validation.
MemoEntry SplitEntry(const CountryAndNational& split, const std::string& region, Memo* memo) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  const phone_internal::DialingRules* rules =
      phone_internal::DialingRulesTable::Get().ForCountryCode(split.country_code);
  if (rules == nullptr ||
      rules->national_prefix_rule == phone_internal::NationalPrefixRule::kPattern) {
    return ParseEntry(CanonicalText(split), region);
  }
  const std::string& prefix = rules->national_prefix;
  if (rules->national_prefix_rule == phone_internal::NationalPrefixRule::kLiteral &&
      split.national.starts_with(prefix)) {
    const std::string_view stripped = split.national.substr(prefix.size());
    if (stripped.size() < kMinNationalDigits) return ParseEntry(CanonicalText(split), region);
    const PhoneNumber candidate = phone_internal::MakeNumber(split.country_code, stripped);
    const PhoneNumberUtil::ValidationResult length = util.IsPossibleNumberWithReason(candidate);
    if (length != PhoneNumberUtil::TOO_SHORT && length != PhoneNumberUtil::INVALID_LENGTH &&
        length != PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY) {
      // Without a national prefix of its own, (code, stripped) is memoized as this very number.
      const std::optional<MemoKey> stripped_key =
          stripped.starts_with(prefix)
              ? std::nullopt
              : MakeMemoKey(MemoKind::kSplit, split.country_code, stripped);
      if (stripped_key) {
        const std::optional<MemoEntry> known = memo->Find(*stripped_key);
        if (known && IsValidNumberOf(*known, candidate, rules->id)) return *known;
      }
      std::string raw_region;
      util.GetRegionCodeForNumber(candidate, &raw_region);
      if (raw_region == rules->id &&
          phone_internal::IsValidNumberForRegion(candidate, raw_region)) {
        const MemoEntry entry = EntryOf(candidate, raw_region, true);
        if (stripped_key) memo->Insert(*stripped_key, entry);
        return entry;
      }
      return ParseEntry(CanonicalText(split), region);
    }
  }
  if (split.national.size() > kMaxNationalDigits) return ParseEntry(CanonicalText(split), region);
  return Evaluate(util, phone_internal::MakeNumber(split.country_code, split.national));
}

StatusOr<NormalizedPhone> ResultOf(const MemoEntry& entry, std::string_view trimmed) {
  if (entry.error != PhoneNumberUtil::NO_PARSING_ERROR) {
    return InvalidArgumentError(
        std::string(DescribeParseError(static_cast<PhoneNumberUtil::ErrorType>(entry.error))));
  }
  NormalizedPhone result;
  if (entry.region[0] != 0) result.region.assign(entry.region.data(), entry.region.size());
  if (entry.valid) {
    // Format(E164): '+', the code, then the national significant number.
    result.quality = PhoneQuality::kValid;
    char buffer[48];
    char* end = buffer;
    *end++ = '+';
    end = std::to_chars(end, buffer + sizeof(buffer), entry.country_code).ptr;
    for (int i = 0; i < entry.leading_zeros; ++i) *end++ = '0';
    end = std::to_chars(end, buffer + sizeof(buffer), entry.national_number).ptr;
    result.key.assign(buffer, end);
  } else {
    result.quality = PhoneQuality::kInvalid;
    result.key.reserve(trimmed.size() + 1);
    result.key.push_back('?');
    result.key.append(trimmed);
  }
  return result;
}

}  // namespace

struct PhoneNormalizer::State {
  State(const std::string& region, size_t memo_entries)
      : home(HomeRules(region)),
        home_code(home == nullptr ? "" : std::to_string(home->country_code)),
        memo(memo_entries) {}

  const phone_internal::DialingRules* const home;
  const std::string home_code;  // "381"
  Memo memo;
};

PhoneNormalizer::PhoneNormalizer(std::string default_region, size_t memo_entries)
    : default_region_(std::move(default_region)) {
  // libphonenumber only knows upper-case region codes; "rs" is an easy mistake to forgive.
  // An unknown region is kept as is: numbers then parse only with an international prefix.
  for (char& c : default_region_) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  state_ = std::make_shared<State>(default_region_, memo_entries);
}

StatusOr<NormalizedPhone> PhoneNormalizer::Normalize(std::string_view raw) const {
  StatusOr<ScreenedPhone> screened = Screen(raw);
  if (!screened.ok()) return screened.status();
  const std::optional<DialString> dial = ToDialString(screened->ascii);
  if (!dial) return ParseAndValidate(screened->ascii, default_region_, screened->trimmed);

  const std::optional<CountryAndNational> split =
      SplitCountryCode(*dial, state_->home, state_->home_code);
  const std::optional<MemoKey> key =
      split ? MakeMemoKey(MemoKind::kSplit, split->country_code, split->national)
            : MakeMemoKey(dial->plus ? MemoKind::kPlus : MemoKind::kNational, 0, dial->digits);
  if (key) {
    if (std::optional<MemoEntry> entry = state_->memo.Find(*key)) {
      return ResultOf(*entry, screened->trimmed);
    }
  }
  const MemoEntry entry = split ? SplitEntry(*split, default_region_, &state_->memo)
                                : ParseEntry(CanonicalText(*dial), default_region_);
  if (key) state_->memo.Insert(*key, entry);
  return ResultOf(entry, screened->trimmed);
}

StatusOr<NormalizedPhone> PhoneNormalizer::NormalizeReference(std::string_view raw) const {
  StatusOr<ScreenedPhone> screened = Screen(raw);
  if (!screened.ok()) return screened.status();
  return ParseAndValidate(screened->ascii, default_region_, screened->trimmed);
}

}  // namespace trafnet::storage
