// phone_internal::IsValidNumberForRegion against libphonenumber's own, which it stands in for.
#include "phone_validity.h"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "phone_dialing_rules.h"

namespace trafnet::storage::phone_internal {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

std::string Disagreement(const PhoneNumber& number, const std::string& region) {
  const bool expected = PhoneNumberUtil::GetInstance()->IsValidNumberForRegion(number, region);
  const bool actual = IsValidNumberForRegion(number, region);
  if (actual == expected) return "";
  return "+" + std::to_string(number.country_code()) + " " +
         std::to_string(number.national_number()) + " (leading zeros " +
         std::to_string(number.italian_leading_zero() ? number.number_of_leading_zeros() : 0) +
         ") in " + region + ": libphonenumber says " + (expected ? "valid" : "invalid");
}

TEST(PhoneValidityTest, AgreesWithLibphonenumberOnEveryExampleNumber) {
  const std::vector<ExampleNumber> examples = ExampleNumbers();
  ASSERT_GT(examples.size(), 1000u);  // every region's, from the metadata libphonenumber loads
  size_t valid = 0;
  std::set<std::string> regions;
  for (const ExampleNumber& example : examples) {
    regions.insert(example.region);
    const PhoneNumber number = MakeNumber(example.country_code, example.national_number);
    ASSERT_EQ(Disagreement(number, example.region), "");
    valid += IsValidNumberForRegion(number, example.region);
    // Asked for the wrong region, or for none libphonenumber knows.
    ASSERT_EQ(Disagreement(number, "ZZ"), "");
    ASSERT_EQ(Disagreement(number, "001"), "");
    ASSERT_EQ(Disagreement(number, example.region == "RS" ? "HR" : "RS"), "");
  }
  EXPECT_GT(regions.size(), 200u);
  // Nearly every example is valid (a few types list a number outside their own pattern).
  EXPECT_GT(valid, examples.size() * 9 / 10);
}

TEST(PhoneValidityTest, AgreesWithLibphonenumberOnNumbersNearTheExamples) {
  // Digit strings of every length around each region's examples: the same leading digits with
  // other endings, one digit changed, one added or dropped, and leading zeros.
  std::mt19937 random(20261207);
  auto digit = [&] { return static_cast<char>('0' + random() % 10); };
  size_t checked = 0, valid = 0;
  for (const ExampleNumber& example : ExampleNumbers()) {
    const std::string& base = example.national_number;
    std::vector<std::string> variants;
    for (int i = 0; i < 10; ++i) {
      std::string changed = base;
      changed[random() % changed.size()] = digit();
      variants.push_back(changed);
      std::string ending = base.substr(0, base.size() / 2);
      while (ending.size() < base.size()) ending += digit();
      variants.push_back(ending);
    }
    variants.push_back(base + digit());
    if (base.size() > 2) variants.push_back(base.substr(0, base.size() - 1));
    variants.push_back("0" + base);
    variants.push_back("00" + base.substr(1));
    for (const std::string& national : variants) {
      if (national.size() > 19) continue;
      const PhoneNumber number = MakeNumber(example.country_code, national);
      ASSERT_EQ(Disagreement(number, example.region), "");
      ++checked;
      valid += IsValidNumberForRegion(number, example.region);
    }
  }
  EXPECT_GT(checked, 20000u);
  // Both answers must be common for the comparison to mean something.
  EXPECT_GT(valid, checked / 5) << valid << " of " << checked;
  EXPECT_LT(valid, checked * 4 / 5) << valid << " of " << checked;
}

TEST(PhoneValidityTest, SerbianNumbers) {
  EXPECT_TRUE(IsValidNumberForRegion(MakeNumber(381, "641234567"), "RS"));
  EXPECT_FALSE(
      IsValidNumberForRegion(MakeNumber(381, "641234567"), "HR"));       // another code's region
  EXPECT_FALSE(IsValidNumberForRegion(MakeNumber(381, "64123"), "RS"));  // too short
  EXPECT_FALSE(IsValidNumberForRegion(MakeNumber(381, "641234567"), "ZZ"));
}

// The dialling rules come from the same metadata bytes, through the same field loop.
TEST(PhoneValidityTest, DialingRulesAreReadFromTheSameMetadata) {
  const DialingRulesTable& table = DialingRulesTable::Get();
  const DialingRules* rs = table.ForRegion("RS");
  ASSERT_NE(rs, nullptr);
  EXPECT_EQ(rs->country_code, 381);
  EXPECT_EQ(rs->international_prefix, "00");
  EXPECT_EQ(rs->national_prefix_rule, NationalPrefixRule::kLiteral);
  EXPECT_EQ(rs->national_prefix, "0");
  EXPECT_EQ(table.ForCountryCode(381), rs);
  ASSERT_NE(table.ForCountryCode(800), nullptr);  // non-geographic (+800 freephone)
  EXPECT_EQ(table.ForCountryCode(800)->id, "001");
  EXPECT_FALSE(table.IsKnownCountryCode(999));
}

}  // namespace
}  // namespace trafnet::storage::phone_internal
