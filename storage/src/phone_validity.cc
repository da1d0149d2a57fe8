#include "phone_validity.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <boost/regex.hpp>
#include <charconv>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "phone_dialing_rules.h"

namespace trafnet::storage::phone_internal {
namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;

// The number types in the order GetNumberTypeHelper tries them; mobile last, skipped when the
// metadata says its pattern is the fixed line's.
constexpr std::array<int, 10> kTypeFields = {PhoneMetadata::kPremiumRateFieldNumber,
                                             PhoneMetadata::kTollFreeFieldNumber,
                                             PhoneMetadata::kSharedCostFieldNumber,
                                             PhoneMetadata::kVoipFieldNumber,
                                             PhoneMetadata::kPersonalNumberFieldNumber,
                                             PhoneMetadata::kPagerFieldNumber,
                                             PhoneMetadata::kUanFieldNumber,
                                             PhoneMetadata::kVoicemailFieldNumber,
                                             PhoneMetadata::kFixedLineFieldNumber,
                                             PhoneMetadata::kMobileFieldNumber};
constexpr size_t kMobile = kTypeFields.size() - 1;

// One PhoneNumberDesc. An absent description reads as PhoneNumberDesc's defaults: no pattern,
// no lengths, which matches nothing.
struct Description {
  std::string pattern;
  std::vector<int> lengths;
  std::string example;
  boost::regex compiled;  // of a non-empty pattern, once the region is compiled
};

struct Region {
  std::string id;  // "RS", or "001" for a non-geographic calling code
  int country_code = 0;
  bool same_mobile_and_fixed_line = false;
  Description general;
  std::array<Description, kTypeFields.size()> types;
  std::once_flag compile_once;
  bool compiled = false;  // every pattern compiled; false if Boost.Regex refused one
};

bool ReadDescription(std::string_view message, Description* description) {
  return ForEachField(message, [&](uint32_t field, uint32_t wire_type, WireReader& reader) {
    std::string_view bytes;
    uint64_t value = 0;
    if (field == PhoneNumberDesc::kNationalNumberPatternFieldNumber ||
        field == PhoneNumberDesc::kExampleNumberFieldNumber) {
      if (wire_type != 2 || !reader.ReadBytes(&bytes)) return FieldRead::kBad;
      (field == PhoneNumberDesc::kExampleNumberFieldNumber ? description->example
                                                           : description->pattern) = bytes;
      return FieldRead::kRead;
    }
    if (field != PhoneNumberDesc::kPossibleLengthFieldNumber) return FieldRead::kSkip;
    if (wire_type == 0) {
      if (!reader.ReadVarint(&value)) return FieldRead::kBad;
      description->lengths.push_back(static_cast<int>(static_cast<int32_t>(value)));
      return FieldRead::kRead;
    }
    if (wire_type != 2 || !reader.ReadBytes(&bytes)) return FieldRead::kBad;  // packed
    WireReader packed(bytes);
    while (!packed.done()) {
      if (!packed.ReadVarint(&value)) return FieldRead::kBad;
      description->lengths.push_back(static_cast<int>(static_cast<int32_t>(value)));
    }
    return FieldRead::kRead;
  });
}

bool ReadRegion(std::string_view message, Region* region) {
  const bool read =
      ForEachField(message, [&](uint32_t field, uint32_t wire_type, WireReader& reader) {
        std::string_view bytes;
        uint64_t value = 0;
        const auto type =
            std::find(kTypeFields.begin(), kTypeFields.end(), static_cast<int>(field));
        if (field == PhoneMetadata::kIdFieldNumber) {
          if (wire_type != 2 || !reader.ReadBytes(&bytes)) return FieldRead::kBad;
          region->id = bytes;
        } else if (field == PhoneMetadata::kCountryCodeFieldNumber ||
                   field == PhoneMetadata::kSameMobileAndFixedLinePatternFieldNumber) {
          if (wire_type != 0 || !reader.ReadVarint(&value)) return FieldRead::kBad;
          if (field == PhoneMetadata::kCountryCodeFieldNumber) {
            region->country_code = static_cast<int>(value);
          } else {
            region->same_mobile_and_fixed_line = value != 0;
          }
        } else if (field == PhoneMetadata::kGeneralDescFieldNumber || type != kTypeFields.end()) {
          Description* description = field == PhoneMetadata::kGeneralDescFieldNumber
                                         ? &region->general
                                         : &region->types[type - kTypeFields.begin()];
          if (wire_type != 2 || !reader.ReadBytes(&bytes) || !ReadDescription(bytes, description)) {
            return FieldRead::kBad;
          }
        } else {
          return FieldRead::kSkip;
        }
        return FieldRead::kRead;
      });
  return read && !region->id.empty() && region->country_code > 0;
}

// Immutable after construction but for each region's one-time compilation.
class Table {
 public:
  static Table& Get() {
    static Table table;
    return table;
  }

  // False when the metadata could not be read; then libphonenumber answers.
  bool ok() const { return !regions_.empty(); }

  // GetMetadataForRegionOrCallingCode; null when there is none.
  Region* Find(const std::string& region, int country_code) const {
    if (region == "001") {
      auto it = non_geographic_.find(country_code);
      return it == non_geographic_.end() ? nullptr : it->second;
    }
    auto it = by_id_.find(region);
    return it == by_id_.end() ? nullptr : it->second;
  }

  const std::vector<std::unique_ptr<Region>>& regions() const { return regions_; }

 private:
  Table() {
    if (!Read()) Clear();
  }

  bool Read() {
    return ForEachMetadata([&](std::string_view message) {
      auto region = std::make_unique<Region>();
      if (!ReadRegion(message, region.get())) return false;
      if (region->id == "001") {
        non_geographic_[region->country_code] = region.get();
      } else {
        by_id_[region->id] = region.get();
      }
      regions_.push_back(std::move(region));
      return true;
    });
  }

  void Clear() {
    regions_.clear();
    by_id_.clear();
    non_geographic_.clear();
  }

  std::vector<std::unique_ptr<Region>> regions_;
  std::unordered_map<std::string, Region*> by_id_;
  std::unordered_map<int, Region*> non_geographic_;
};

void Compile(Region& region) {
  try {
    if (!region.general.pattern.empty()) region.general.compiled.assign(region.general.pattern);
    for (Description& description : region.types) {
      if (!description.pattern.empty()) description.compiled.assign(description.pattern);
    }
    region.compiled = true;
  } catch (const std::exception&) {
    region.compiled = false;  // libphonenumber answers for this region
  }
}

// IsNumberMatchingDesc.
bool Matches(const Description& description, const std::string& national_number) {
  if (!description.lengths.empty() &&
      std::find(description.lengths.begin(), description.lengths.end(),
                static_cast<int>(national_number.size())) == description.lengths.end()) {
    return false;
  }
  return !description.pattern.empty() && boost::regex_match(national_number, description.compiled);
}

}  // namespace

PhoneNumber MakeNumber(int country_code, std::string_view national) {
  PhoneNumber number;
  number.set_country_code(country_code);
  // SetItalianLeadingZerosForPhoneNumber: an all-zero number keeps its last zero as the value.
  if (national.size() > 1 && national[0] == '0') {
    number.set_italian_leading_zero(true);
    int zeros = 1;
    while (static_cast<size_t>(zeros) < national.size() - 1 && national[zeros] == '0') ++zeros;
    if (zeros != 1) number.set_number_of_leading_zeros(zeros);
  }
  uint64_t value = 0;
  std::from_chars(national.data(), national.data() + national.size(), value);
  number.set_national_number(value);
  return number;
}

bool IsValidNumberForRegion(const PhoneNumber& number, const std::string& region) {
  const Table& table = Table::Get();
  if (!table.ok()) return PhoneNumberUtil::GetInstance()->IsValidNumberForRegion(number, region);
  Region* metadata = table.Find(region, number.country_code());
  if (metadata == nullptr) return false;
  if (region != "001" && number.country_code() != metadata->country_code) return false;
  std::call_once(metadata->compile_once, [metadata] { Compile(*metadata); });
  if (!metadata->compiled) {
    return PhoneNumberUtil::GetInstance()->IsValidNumberForRegion(number, region);
  }
  // GetNationalSignificantNumber.
  std::string national_number;
  if (number.italian_leading_zero()) {
    national_number.assign(static_cast<size_t>(std::max(number.number_of_leading_zeros(), 0)), '0');
  }
  national_number += std::to_string(number.national_number());
  try {
    if (!Matches(metadata->general, national_number)) return false;
    for (size_t i = 0; i < metadata->types.size(); ++i) {
      if (i == kMobile && metadata->same_mobile_and_fixed_line) continue;
      if (Matches(metadata->types[i], national_number)) return true;
    }
    return false;
  } catch (const std::exception&) {
    // Boost.Regex gives up on a match it finds too complex; libphonenumber does not.
    return PhoneNumberUtil::GetInstance()->IsValidNumberForRegion(number, region);
  }
}

std::vector<ExampleNumber> ExampleNumbers() {
  std::vector<ExampleNumber> examples;
  for (const auto& region : Table::Get().regions()) {
    auto add = [&](const Description& description) {
      if (!description.example.empty()) {
        examples.push_back({region->id, region->country_code, description.example});
      }
    };
    add(region->general);
    for (const Description& description : region->types) add(description);
  }
  return examples;
}

}  // namespace trafnet::storage::phone_internal
