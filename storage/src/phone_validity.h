// PhoneNumberUtil::IsValidNumberForRegion, answered from libphonenumber's own metadata with its
// number patterns compiled once by Boost.Regex.
//
// A number is valid for a region when its national significant number matches the region's
// general description and at least one number type (premium rate, toll free, shared cost,
// VoIP, personal, pager, UAN, voicemail, fixed line, mobile): GetNumberTypeHelper's answer is
// not UNKNOWN. A description matches when the number's length is one of its possible lengths
// (if it lists any) and its pattern, not empty, matches the whole number (IsNumberMatchingDesc
// and RegexBasedMatcher::MatchNationalNumber without prefix matching).
//
// libphonenumber answers the same question through ICU regular expressions, building a matcher
// and a UTF-16 copy of the number for every pattern it tries: about 3 µs a number, which was
// the largest single cost of ingesting a links file (each number is validated once, on first
// sight, and a 1M-person world has 1.1M of them). The patterns here are the very strings
// libphonenumber loads (read from metadata_get(), as phone_dialing_rules.h reads its rules),
// compiled for a region the first time one of its numbers is checked; the answer is the same,
// in about a fifth of the time (bench/normalize_bench.cc, BM_PhoneValidity: 2.8 µs against
// 0.61 µs a number). Tests compare it with IsValidNumberForRegion for every region's example
// numbers and for digit strings near them.
#ifndef TRAFNET_STORAGE_PHONE_VALIDITY_H_
#define TRAFNET_STORAGE_PHONE_VALIDITY_H_

#include <phonenumbers/phonenumber.pb.h>

#include <string>
#include <string_view>
#include <vector>

namespace trafnet::storage::phone_internal {

// The PhoneNumber Parse builds from a country code and the national significant number's
// digits ("641234567"; leading zeros kept as Italian leading zeros). REQUIRES: `national` is
// 1 to 19 ASCII digits.
i18n::phonenumbers::PhoneNumber MakeNumber(int country_code, std::string_view national);

// IsValidNumberForRegion(number, region). Thread-safe.
bool IsValidNumberForRegion(const i18n::phonenumbers::PhoneNumber& number,
                            const std::string& region);

// Every example number the metadata holds, as (region or "001", country code, national
// significant number): what the tests check IsValidNumberForRegion against.
struct ExampleNumber {
  std::string region;
  int country_code = 0;
  std::string national_number;
};
std::vector<ExampleNumber> ExampleNumbers();

}  // namespace trafnet::storage::phone_internal

#endif  // TRAFNET_STORAGE_PHONE_VALIDITY_H_
