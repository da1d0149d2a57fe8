#include "trafnet/storage/normalize.h"

#include <gtest/gtest.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace trafnet::storage {
namespace {

NormalizedPhone ValidPhone(const PhoneNormalizer& normalizer, std::string_view raw) {
  StatusOr<NormalizedPhone> phone = normalizer.Normalize(raw);
  EXPECT_TRUE(phone.ok()) << raw << ": " << phone.status().ToString();
  if (!phone.ok()) return {};
  EXPECT_EQ(phone->quality, PhoneQuality::kValid) << raw;
  return *phone;
}

std::string RejectionReason(const PhoneNormalizer& normalizer, std::string_view raw) {
  StatusOr<NormalizedPhone> phone = normalizer.Normalize(raw);
  EXPECT_FALSE(phone.ok()) << raw << " was accepted as " << (phone.ok() ? phone->key : "");
  if (phone.ok()) return "";
  EXPECT_EQ(phone.status().code(), StatusCode::kInvalidArgument);
  return phone.status().message();
}

TEST(PhoneNormalizerTest, SerbianMobileSpellingsShareOneE164Key) {
  PhoneNormalizer normalizer;
  for (std::string_view raw : {"064/123-4567", "+381 64 1234567", "00381641234567", "0641234567",
                               "(064) 123-4567", "+381 (0)64 123 4567", " 064 123 4567\t"}) {
    NormalizedPhone phone = ValidPhone(normalizer, raw);
    EXPECT_EQ(phone.key, "+381641234567") << raw;
    EXPECT_EQ(phone.region, "RS") << raw;
  }
}

TEST(PhoneNormalizerTest, ForeignNumbersWithInternationalPrefixKeepTheirRegion) {
  PhoneNormalizer normalizer;
  NormalizedPhone berlin = ValidPhone(normalizer, "+49 30 123456");
  EXPECT_EQ(berlin.key, "+4930123456");
  EXPECT_EQ(berlin.region, "DE");
  NormalizedPhone zurich = ValidPhone(normalizer, "0041 44 668 1800");
  EXPECT_EQ(zurich.key, "+41446681800");
  EXPECT_EQ(zurich.region, "CH");
}

// libphonenumber 8.12 treats the 555-01xx "fictional" US range as ordinary valid numbers.
TEST(PhoneNormalizerTest, UsFictionalRangeIsValidForLibphonenumber) {
  NormalizedPhone phone = ValidPhone(PhoneNormalizer(), "+1 202 555 0143");
  EXPECT_EQ(phone.key, "+12025550143");
  EXPECT_EQ(phone.region, "US");
}

// E.164 caps numbers at 15 digits, but German metadata allows direct-dial extensions, and
// libphonenumber's "E164" format then writes more.
TEST(PhoneNormalizerTest, GermanNumberWithExtensionMayExceedFifteenDigits) {
  NormalizedPhone phone = ValidPhone(PhoneNormalizer(), "+49 30 1234567890123");
  EXPECT_EQ(phone.key, "+49301234567890123");
  EXPECT_EQ(phone.region, "DE");
}

TEST(PhoneNormalizerTest, NonGeographicNumberHasNoRegion) {
  NormalizedPhone phone = ValidPhone(PhoneNormalizer(), "+800 1234 5678");
  EXPECT_EQ(phone.key, "+80012345678");
  EXPECT_EQ(phone.region, "");
}

TEST(PhoneNormalizerTest, DefaultRegionComesFromTheConstructor) {
  NormalizedPhone german = ValidPhone(PhoneNormalizer("DE"), "030 123456");
  EXPECT_EQ(german.key, "+4930123456");
  EXPECT_EQ(german.region, "DE");
  EXPECT_EQ(PhoneNormalizer("de").default_region(), "DE");
  EXPECT_EQ(PhoneNormalizer().default_region(), "RS");
}

TEST(PhoneNormalizerTest, ParseableButInvalidNumberIsFlaggedWithItsTrimmedText) {
  PhoneNormalizer normalizer;
  for (auto [raw, key] : {std::pair<std::string_view, std::string_view>{"123", "?123"},
                          {"  +381 64 123456789 ", "?+381 64 123456789"},
                          {"064", "?064"}}) {
    StatusOr<NormalizedPhone> phone = normalizer.Normalize(raw);
    ASSERT_TRUE(phone.ok()) << raw << ": " << phone.status().ToString();
    EXPECT_EQ(phone->quality, PhoneQuality::kInvalid) << raw;
    EXPECT_EQ(phone->key, key);
    EXPECT_EQ(phone->region, "RS") << raw;  // +381 has one region, so it is known anyway
  }
}

TEST(PhoneNormalizerTest, TextThatIsNoNumberIsRejectedWithAReason) {
  PhoneNormalizer normalizer;
  EXPECT_EQ(RejectionReason(normalizer, ""), "not a phone number: empty");
  EXPECT_EQ(RejectionReason(normalizer, " \t "), "not a phone number: empty");
  EXPECT_EQ(RejectionReason(normalizer, "-- / --"), "not a phone number: no digits");
  EXPECT_EQ(RejectionReason(normalizer, "abc"), "not a phone number: contains letters");
  EXPECT_EQ(RejectionReason(normalizer, "call me"), "not a phone number: contains letters");
  EXPECT_EQ(RejectionReason(normalizer, "тел 064 123 4567"),
            "not a phone number: contains letters");
  EXPECT_EQ(RejectionReason(normalizer, std::string(65, '1')),
            "not a phone number: longer than 64 characters");
  EXPECT_EQ(RejectionReason(normalizer, "064\xA0 123"), "not a phone number: ill-formed UTF-8");
  EXPECT_EQ(RejectionReason(normalizer, "+999 1234567"),
            "not a phone number: unknown country calling code");
  EXPECT_EQ(RejectionReason(normalizer, "12345678901234567890"), "not a phone number: too long");
}

// libphonenumber would read these as valid numbers; a guess is no identifier.
TEST(PhoneNormalizerTest, RejectsWhatLibphonenumberWouldSilentlyRepair) {
  PhoneNormalizer normalizer;
  EXPECT_EQ(RejectionReason(normalizer, "064 ABC 4567"), "not a phone number: contains letters");
  EXPECT_EQ(RejectionReason(normalizer, "064 123 4567 ext. 12"),
            "not a phone number: contains letters");
  EXPECT_EQ(RejectionReason(normalizer, "064 123 4567, 065 765 4321"),
            "not a phone number: unexpected character ','");
  EXPECT_EQ(RejectionReason(normalizer, "*100#"), "not a phone number: unexpected character '*'");
}

TEST(PhoneNormalizerTest, AcceptsTelUriScheme) {
  PhoneNormalizer normalizer;
  EXPECT_EQ(ValidPhone(normalizer, "tel:+381641234567").key, "+381641234567");
  EXPECT_EQ(ValidPhone(normalizer, "TEL: 064 123 4567").key, "+381641234567");
  EXPECT_FALSE(normalizer.Normalize("tel:").ok());
}

TEST(PhoneNormalizerTest, ReadsDigitsDashesAndSpacesOfOtherScripts) {
  PhoneNormalizer normalizer;
  for (std::string_view raw : {"０６４ １２３ ４５６７",              // full-width
                               "٠٦٤١٢٣٤٥٦٧",                          // Arabic-Indic
                               "064\u2013123\u20134567",              // en dash
                               "\u00A0064\u00A0123\u00A04567\u00A0",  // no-break space
                               "\uFF0B381641234567"}) {               // full-width plus
    EXPECT_EQ(ValidPhone(normalizer, raw).key, "+381641234567") << raw;
  }
}

TEST(PhoneNormalizerTest, ValidKeyNormalizesToItself) {
  PhoneNormalizer normalizer;
  for (std::string_view raw : {"064/123-4567", "+49 30 123456", "011 123 4567", "+800 1234 5678"}) {
    NormalizedPhone once = ValidPhone(normalizer, raw);
    NormalizedPhone twice = ValidPhone(normalizer, once.key);
    EXPECT_EQ(twice.key, once.key);
    EXPECT_EQ(twice.region, once.region);
  }
}

TEST(PhoneNormalizerTest, OneNormalizerServesManyThreads) {
  const PhoneNormalizer normalizer;
  std::vector<std::string> keys(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < keys.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        StatusOr<NormalizedPhone> phone =
            normalizer.Normalize(i % 2 ? "064/123-4567" : "0641234567");
        if (phone.ok()) keys[t] = phone->key;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& key : keys) EXPECT_EQ(key, "+381641234567");
}

std::string Describe(const StatusOr<NormalizedPhone>& phone) {
  if (!phone.ok()) return phone.status().ToString();
  return std::string(phone->quality == PhoneQuality::kValid ? "valid " : "invalid ") + phone->key +
         " " + phone->region;
}

// "" when Normalize agrees with `reference` (NormalizeReference's answer) on `raw`, else what
// differs. Status codes are compared too, as ToString shows only the message.
std::string Disagreement(const PhoneNormalizer& normalizer, std::string_view raw,
                         const StatusOr<NormalizedPhone>& reference) {
  const StatusOr<NormalizedPhone> fast = normalizer.Normalize(raw);
  if (Describe(fast) == Describe(reference) &&
      (fast.ok() || fast.status().code() == reference.status().code())) {
    return "";
  }
  return "in " + normalizer.default_region() + ", " + testing::PrintToString(std::string(raw)) +
         ": fast " + Describe(fast) + ", reference " + Describe(reference);
}

std::string Disagreement(const PhoneNormalizer& normalizer, std::string_view raw) {
  return Disagreement(normalizer, raw, normalizer.NormalizeReference(raw));
}

// Regions with simple rules, regions whose calling code is shared (CA, GG) or whose national
// prefix is a pattern (AR, BR, MX, CN), and no region at all.
const std::vector<std::string> kDifferentialRegions = {
    "RS", "BA", "DE", "US", "IT", "GB", "ME", "RU", "CA", "GG", "AR", "BR", "MX", "CN", "ZZ", "rs"};

// Screening reads ASCII from a table (filled from ICU's properties); every ASCII character is
// checked here against what the input contract says of it.
TEST(PhoneNormalizerTest, EveryAsciiCharacterInsideANumberIsScreenedAsDocumented) {
  PhoneNormalizer normalizer;
  for (int c = 0; c < 128; ++c) {
    const std::string raw = std::string("064 123") + static_cast<char>(c) + "4567";
    const StatusOr<NormalizedPhone> phone = normalizer.Normalize(raw);
    const bool space = c == ' ' || (c >= '\t' && c <= '\r');
    const bool separator = std::string_view("()[]./-").find(static_cast<char>(c)) !=
                           std::string_view::npos;
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if ((c >= '0' && c <= '9') || space || separator) {
      ASSERT_TRUE(phone.ok()) << c << ": " << phone.status().ToString();
      if (!(c >= '0' && c <= '9')) {
        EXPECT_EQ(phone->key, "+381641234567") << c;
      }
    } else if (c == '+') {
      // A '+' after the first digits is no number libphonenumber reads.
      EXPECT_FALSE(phone.ok()) << c;
    } else if (letter) {
      EXPECT_EQ(RejectionReason(normalizer, raw), "not a phone number: contains letters") << c;
    } else {
      ASSERT_FALSE(phone.ok()) << c;
      EXPECT_TRUE(phone.status().message().starts_with("not a phone number: unexpected character"))
          << c << ": " << phone.status().message();
    }
    EXPECT_EQ(Disagreement(normalizer, raw, normalizer.NormalizeReference(raw)), "") << c;
  }
}

TEST(PhoneNormalizerTest, FastPathAgreesWithReferenceOnTrickyInputs) {
  const std::vector<std::string> inputs = {
      // Serbian mobiles and landlines in every spelling, trunk prefix inside and outside.
      "064/123-4567", "+381 64 1234567", "00381641234567", "0641234567", "(064) 123-4567",
      "+381 (0)64 123 4567", "+3810641234567", "0038164 1234567", "0038 1641234567", "381641234567",
      "381 11 3123456", "064 12 34 567", "+381 64 123 456 7", "011 123 4567", "011/3123-456",
      "+381 11 3123456", "(011) 312-3456", "0113123456", "021 456 789", "021/456-7890",
      "034 123 456", "+381 21 456789", "00 381 21 456789", "0800 123 456", "0800123456",
      "0700 123 456", "0900 123 456", "+381 800 123456",
      // Short, service and odd numbers.
      "19822", "192", "194", "112", "06", "064", "0640", "0000", "00000", "00", "001", "000",
      "000641234567", "0", "12", "1 2", "123", "1234", "12345", "+12", "+123", "+1234", "00 0",
      "0000381641234567",
      // Foreign numbers after '+' and after the international prefix.
      "0012025550143", "00 1 202 555 0143", "011 1 202 555 0143", "+387 61 123 456",
      "00387 33 123 456", "+382 67 123 456", "+389 70 123 456", "+359 88 123 4567",
      "+40 721 234 567", "+49 30 123456", "+49 151 12345678", "0049 30 1234567890123",
      "+49 30 1234567890123", "+44 20 7946 0958", "+44 7911 123456", "+44 (0)20 7946 0958",
      "+44 1481 123456", "+44 01481 123456", "+1 202 555 0143", "+1 (202) 555-0143",
      "1 202 555 0143", "202 555 0143", "+1 416 555 0143", "1 416 555 0143", "+39 06 1234 5678",
      "+39 06 12345678", "0039 06 12345678", "+39 312 345 6789", "+39 0", "+39 00 1234", "+39 000",
      "+39 0000000", "06 1234 5678", "+7 495 123 45 67", "+7 8 495 123 45 67", "8 495 123 45 67",
      "+7 800 555 35 35", "8 800 555 35 35", "+86 10 1234 5678", "+86 138 0013 8000",
      "+54 9 11 1234 5678", "+54 11 1234 5678", "+52 1 55 1234 5678", "+55 11 91234 5678",
      "+800 1234 5678", "+882 1234 5678", "+979 123456789", "+999 1234567", "+0 123456",
      "+00381641234567", "+0381641234567", "+011 1 202 555 0143", "+381 381 64 1234567",
      // National spellings elsewhere, a trunk 0 of another region's number (GG in GB) included.
      "030 123456", "0151 12345678", "07911 123456", "020 7946 0958", "01481 123456",
      "0 61 123 456", "033 123 456", "0800 555 0100", "800 555 0100",
      // Plus signs, separators and junk in odd places.
      "++381641234567", "+ 381 64 123 4567", "+381+641234567", "064 123 4567+", "064+1234567",
      "(+381) 64 123 4567", "[064] 123.4567", "064.123.4567", "(((064)))1234567",
      "--064--1234567--", "/064/1234567/", ".064.1234567.", "+", "++", "-", "", " ",
      // Extensions and other text Parse would read but screening rejects.
      "064 123 4567 ext. 12", "064 123 4567 x12", "064 123 4567#", "064 123 4567;ext=12",
      "  064 123 4567  ", "\t+381641234567\n", "tel:+381-64-123-4567", "tel: 064 123 4567",
      // Lengths at and past the limits.
      "12345678901234567", "123456789012345678", "12345678901234567890", "+12345678901234567890",
      "+3816412345678901234", "0641234567890123456", "+381 64 1234567890123456", "064/1234567/8",
      // Other scripts.
      "０６４ １２３ ４５６７", "٠٦٤١٢٣٤٥٦٧", "064\u2013123\u20134567", "\uFF0B381641234567"};
  for (const std::string& region : kDifferentialRegions) {
    const PhoneNormalizer without_memo(region, 0);
    const PhoneNormalizer with_memo(region);
    for (int pass = 0; pass < 2; ++pass) {  // the second pass answers from the memo
      for (const std::string& raw : inputs) {
        EXPECT_EQ(Disagreement(without_memo, raw), "");
        EXPECT_EQ(Disagreement(with_memo, raw), "");
      }
    }
  }
}

// Deterministic numbers in the regions' own shapes, written the ways people write them.
class PhoneSpellingGenerator {
 public:
  explicit PhoneSpellingGenerator(uint32_t seed) : random_(seed) {}

  struct Plan {
    std::string region, code, trunk, idd;
    std::vector<std::string> prefixes;
    int min_length, max_length;  // of the national significant number
  };

  static const std::vector<Plan>& Plans() {
    static const std::vector<Plan> plans = {
        {"RS",
         "381",
         "0",
         "00",
         {"60", "61", "62", "63", "64", "65", "66", "677", "69", "11", "21", "31", "34", "18",
          "800", "19", "9", "7"},
         6,
         10},
        {"BA", "387", "0", "00", {"61", "62", "63", "65", "66", "33", "51", "35", "49", "8"}, 6, 9},
        {"DE",
         "49",
         "0",
         "00",
         {"151", "152", "157", "160", "170", "176", "30", "40", "89", "221", "69", "800", "180",
          "1"},
         5,
         13},
        {"US",
         "1",
         "1",
         "011",
         {"201", "202", "212", "312", "415", "646", "800", "900", "555"},
         10,
         10},
        {"IT", "39", "", "00", {"06", "02", "011", "3", "33", "34", "80", "89", "0", "00"}, 6, 11},
        {"GB",
         "44",
         "0",
         "00",
         {"20", "7", "74", "77", "79", "121", "131", "1632", "800", "845", "3", "1481"},
         7,
         10}};
    return plans;
  }

  // A number as a plan region, a country code and national digits, in 1 to 4 spellings.
  std::vector<std::string> Spellings(const Plan& plan) {
    std::string code = plan.code;
    std::string national = Pick(plan.prefixes);
    const int length = Uniform(plan.min_length, plan.max_length);
    if (Chance(0.1)) {  // some foreign number
      code = Pick(std::vector<std::string>{
          "381", "387", "382", "389", "359", "40",  "49", "44", "1",  "39", "7",  "86", "54",
          "52",  "55",  "800", "882", "999", "385", "43", "41", "33", "90", "61", "27"});
      national = Digit(1, 9);
    }
    while (static_cast<int>(national.size()) < length) national += Digit(0, 9);
    if (Chance(0.05)) national = Digits(Uniform(1, 19));  // digit soup
    const std::string trunk = code == plan.code ? plan.trunk : "0";
    std::vector<std::string> spellings;
    for (int n = Uniform(1, 4); n > 0; --n) {
      std::string digits;
      switch (Uniform(0, 9)) {
        case 0:
          digits = trunk + national;
          break;
        case 1:
          digits = national;
          break;
        case 2:
          digits = "+" + code + national;
          break;
        case 3:
          digits = plan.idd + code + national;
          break;
        case 4:
          digits = "+" + code + trunk + national;
          break;
        case 5:
          digits = code + national;
          break;
        case 6:
          digits = "00" + code + national;
          break;
        case 7:
          digits = "+" + code + code + national;
          break;
        case 8:
          digits = Chance(0.5) ? "+0" + code + national : "+00" + code + national;
          break;
        default:
          digits = trunk + national;
          break;
      }
      spellings.push_back(Format(digits));
    }
    return spellings;
  }

 private:
  // Groups the digits with separators and adds the junk people leave around numbers.
  std::string Format(const std::string& digits) {
    static const std::vector<std::string> kSeparators = {"",  "",    " ",      "-",     "/",
                                                         ".", " / ", "\u00A0", "\u2013"};
    static const std::vector<std::string> kBefore = {"", "", "", " ", "(", "tel:", "+", "[", "-"};
    static const std::vector<std::string> kAfter = {"", "", "", " ", ")", ".", "-", "+", "\t"};
    std::string text = Pick(kBefore);
    const bool parens = Chance(0.15);
    for (size_t i = 0; i < digits.size();) {
      const size_t group = static_cast<size_t>(Uniform(1, 4));
      if (i > 0) text += Chance(0.02) ? "+" : Pick(kSeparators);
      if (parens && i == 0) text += "(";
      text += digits.substr(i, group);
      if (parens && i == 0) text += ")";
      i += group;
    }
    return text + Pick(kAfter);
  }

  int Uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(random_); }
  std::string Digit(int low, int high) {
    return std::string(1, static_cast<char>('0' + Uniform(low, high)));
  }
  std::string Digits(int count) {
    std::string digits;
    while (count-- > 0) digits += Digit(0, 9);
    return digits;
  }
  const std::string& Pick(const std::vector<std::string>& choices) {
    return choices[static_cast<size_t>(Uniform(0, static_cast<int>(choices.size()) - 1))];
  }

  std::mt19937 random_;
};

TEST(PhoneNormalizerTest, FastPathAgreesWithReferenceOnGeneratedNumbers) {
  PhoneSpellingGenerator generator(20240917);
  size_t inputs = 0, valid = 0, invalid = 0, rejected = 0;
  for (const PhoneSpellingGenerator::Plan& plan : PhoneSpellingGenerator::Plans()) {
    // Spellings of one number are spread over the run so the memo sees them at random.
    std::vector<std::string> texts;
    for (int number = 0; number < 14000; ++number) {
      for (std::string& text : generator.Spellings(plan)) texts.push_back(std::move(text));
    }
    std::shuffle(texts.begin(), texts.end(), std::mt19937(7));
    const PhoneNormalizer with_memo(plan.region);
    const PhoneNormalizer without_memo(plan.region, 0);
    for (size_t i = 0; i < texts.size(); ++i) {
      const StatusOr<NormalizedPhone> phone = with_memo.NormalizeReference(texts[i]);
      ASSERT_EQ(Disagreement(with_memo, texts[i], phone), "");
      if (i % 8 == 0) {
        ASSERT_EQ(Disagreement(without_memo, texts[i], phone), "");
      }
      if (!phone.ok()) {
        ++rejected;
      } else {
        ++(phone->quality == PhoneQuality::kValid ? valid : invalid);
      }
    }
    inputs += texts.size();
  }
  EXPECT_GE(inputs, 200000u);
  // The generator must keep producing all three outcomes.
  EXPECT_GT(valid, inputs / 4) << valid << " valid of " << inputs;
  EXPECT_GT(invalid, inputs / 20) << invalid << " invalid of " << inputs;
  EXPECT_GT(rejected, inputs / 50) << rejected << " rejected of " << inputs;
}

TEST(PhoneNormalizerTest, MemoHitKeepsTheSpellingInAnInvalidKey) {
  const PhoneNormalizer normalizer;
  StatusOr<NormalizedPhone> first = normalizer.Normalize("064 12");
  StatusOr<NormalizedPhone> second = normalizer.Normalize("(064) 1-2");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->quality, PhoneQuality::kInvalid);
  EXPECT_EQ(first->key, "?064 12");
  EXPECT_EQ(second->key, "?(064) 1-2");
  EXPECT_EQ(second->region, "RS");
}

TEST(PhoneNormalizerTest, FullMemoStartsOverAndStaysCorrect) {
  const PhoneNormalizer normalizer("RS", 32);
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < 2000; ++i) {
      const std::string raw = "064 " + std::to_string(1000000 + i * 37);
      ASSERT_EQ(Disagreement(normalizer, raw), "");
    }
  }
}

TEST(PhoneNormalizerTest, CopiedAndMovedNormalizersKeepWorking) {
  PhoneNormalizer original("de");
  const PhoneNormalizer copy = original;
  const PhoneNormalizer moved = std::move(original);
  // Moving copies (there are no move operations), so `original` is still whole.
  for (const PhoneNormalizer* normalizer : {&std::as_const(original), &copy, &moved}) {
    EXPECT_EQ(normalizer->default_region(), "DE");
    EXPECT_EQ(ValidPhone(*normalizer, "030 123456").key, "+4930123456");
  }
}

TEST(PhoneNormalizerTest, ThreadsSharingTheMemoAgreeWithReference) {
  const PhoneNormalizer normalizer("RS", 64);  // small, so threads also clear shards
  std::vector<std::string> problems(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < problems.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3000 && problems[t].empty(); ++i) {
        const int number = 1000000 + (i * 7 + static_cast<int>(t)) % 500;
        const std::string raw = (i % 3 == 0   ? "064/"
                                 : i % 3 == 1 ? "+381 64 "
                                              : "00381 64 ") +
                                std::to_string(number);
        problems[t] = Disagreement(normalizer, raw);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& problem : problems) EXPECT_EQ(problem, "");
}

// The reference for IsValidUtf8: ICU's converter reports ill-formed input as an error.

}  // namespace
}  // namespace trafnet::storage
