// The dialling rules PhoneNormalizer's fast path needs, read from libphonenumber's own metadata.
//
// Parse reads a number written without '+' through two per-region regular expressions: the
// international prefix ("00" in RS, "011" in US) and the national prefix for parsing ("0" in
// RS, but "0?(?:(11|2(?:2(?:02?|..." in AR). PhoneNumberUtil keeps its metadata private and
// has no getter for either (GetNddPrefixForRegion returns the national prefix used for
// formatting, which is not what Parse strips). The library does export the serialized
// PhoneMetadataCollection it loads itself (metadata_get/metadata_size, declared in its
// internal metadata.h), so the few fields needed are read from those very bytes: the rules
// are the ones Parse applies, not a copy that could drift from it. Our targets do not link
// libprotobuf, hence the small wire-format reader instead of ParseFromArray.
//
// Only plain digit strings are interpreted; a rule that is a real pattern (or a national
// prefix with a transform rule, as for carrier codes in AR, BR, MX) is marked so and the
// caller hands such numbers to Parse. If the bytes cannot be read the table is empty, and
// every number takes that reference path.
#ifndef TRAFNET_STORAGE_PHONE_DIALING_RULES_H_
#define TRAFNET_STORAGE_PHONE_DIALING_RULES_H_

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace i18n::phonenumbers {
// Defined in libphonenumber (src/phonenumbers/metadata.cc); the header is not installed.
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace trafnet::storage::phone_internal {

// How Parse strips a national (trunk) prefix for one region.
enum class NationalPrefixRule {
  kNone,     // no national prefix: nothing is stripped (IT, non-geographic numbers)
  kLiteral,  // a plain digit string stripped from the front ("0", "1", "8")
  kPattern,  // a pattern or transform rule the fast path does not interpret
};

struct DialingRules {
  std::string id;  // "RS", or "001" for a non-geographic calling code
  int country_code = 0;
  // The international prefix when it is a plain digit string ("00", "011"), else empty.
  std::string international_prefix;
  NationalPrefixRule national_prefix_rule = NationalPrefixRule::kNone;
  std::string national_prefix;  // the digits for kLiteral
};

// Minimal protobuf wire-format reader: varints and length-delimited fields, the rest skipped.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes)
      : next_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(next_ + bytes.size()) {}

  bool done() const { return next_ == end_; }

  bool ReadTag(uint32_t* field, uint32_t* wire_type) {
    uint64_t tag = 0;
    if (!ReadVarint(&tag) || tag > UINT32_MAX) return false;
    *field = static_cast<uint32_t>(tag >> 3);
    *wire_type = static_cast<uint32_t>(tag & 7);
    return *field != 0;
  }

  bool ReadVarint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64 && next_ != end_; shift += 7) {
      const uint8_t byte = *next_++;
      *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  bool ReadBytes(std::string_view* bytes) {
    uint64_t size = 0;
    if (!ReadVarint(&size) || size > static_cast<uint64_t>(end_ - next_)) return false;
    *bytes = std::string_view(reinterpret_cast<const char*>(next_), size);
    next_ += size;
    return true;
  }

  bool Skip(uint32_t wire_type) {
    uint64_t ignored = 0;
    std::string_view ignored_bytes;
    switch (wire_type) {
      case 0:
        return ReadVarint(&ignored);
      case 1:
        return Advance(8);
      case 2:
        return ReadBytes(&ignored_bytes);
      case 5:
        return Advance(4);
      default:
        return false;  // groups do not occur in this schema
    }
  }

 private:
  bool Advance(size_t size) {
    if (size > static_cast<size_t>(end_ - next_)) return false;
    next_ += size;
    return true;
  }

  const uint8_t* next_;
  const uint8_t* end_;
};

// What a ForEachField callback did with a field.
enum class FieldRead { kRead, kSkip, kBad };

// Calls `handle(field, wire_type, reader)` for each field of `message`, in order: it reads the
// field's payload from `reader` (kRead), leaves it to be skipped (kSkip) or finds it malformed
// (kBad). False when the message is malformed.
template <typename Handle>
bool ForEachField(std::string_view message, Handle&& handle) {
  WireReader reader(message);
  while (!reader.done()) {
    uint32_t field = 0, wire_type = 0;
    if (!reader.ReadTag(&field, &wire_type)) return false;
    const FieldRead read = handle(field, wire_type, reader);
    if (read == FieldRead::kBad || (read == FieldRead::kSkip && !reader.Skip(wire_type))) {
      return false;
    }
  }
  return true;
}

// Calls `read(message)` for each PhoneMetadata message of libphonenumber's serialized
// collection (metadata_get()), in order. False when the bytes are malformed or `read` fails.
template <typename Read>
bool ForEachMetadata(Read&& read) {
  const std::string_view bytes(static_cast<const char*>(i18n::phonenumbers::metadata_get()),
                               static_cast<size_t>(i18n::phonenumbers::metadata_size()));
  return ForEachField(bytes, [&](uint32_t field, uint32_t wire_type, WireReader& reader) {
    if (field != i18n::phonenumbers::PhoneMetadataCollection::kMetadataFieldNumber) {
      return FieldRead::kSkip;
    }
    std::string_view message;
    if (wire_type != 2 || !reader.ReadBytes(&message) || !read(message)) return FieldRead::kBad;
    return FieldRead::kRead;
  });
}

inline bool IsDigitString(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads the fields of one PhoneMetadata message that DialingRules holds.
inline bool ReadDialingRules(std::string_view message, DialingRules* rules) {
  using i18n::phonenumbers::PhoneMetadata;
  std::string_view international_prefix, national_prefix, transform_rule;
  WireReader reader(message);
  while (!reader.done()) {
    uint32_t field = 0, wire_type = 0;
    if (!reader.ReadTag(&field, &wire_type)) return false;
    std::string_view* text = nullptr;
    switch (field) {
      case PhoneMetadata::kIdFieldNumber: {
        std::string_view id;
        if (wire_type != 2 || !reader.ReadBytes(&id)) return false;
        rules->id = std::string(id);
        continue;
      }
      case PhoneMetadata::kCountryCodeFieldNumber: {
        uint64_t value = 0;
        if (wire_type != 0 || !reader.ReadVarint(&value) || value > 999) return false;
        rules->country_code = static_cast<int>(value);
        continue;
      }
      case PhoneMetadata::kInternationalPrefixFieldNumber:
        text = &international_prefix;
        break;
      case PhoneMetadata::kNationalPrefixForParsingFieldNumber:
        text = &national_prefix;
        break;
      case PhoneMetadata::kNationalPrefixTransformRuleFieldNumber:
        text = &transform_rule;
        break;
      default:
        if (!reader.Skip(wire_type)) return false;
        continue;
    }
    if (wire_type != 2 || !reader.ReadBytes(text)) return false;
  }
  if (IsDigitString(international_prefix)) rules->international_prefix = international_prefix;
  if (national_prefix.empty() && transform_rule.empty()) {
    rules->national_prefix_rule = NationalPrefixRule::kNone;
  } else if (IsDigitString(national_prefix) && transform_rule.empty()) {
    rules->national_prefix_rule = NationalPrefixRule::kLiteral;
    rules->national_prefix = national_prefix;
  } else {
    rules->national_prefix_rule = NationalPrefixRule::kPattern;
  }
  return !rules->id.empty() && rules->country_code > 0;
}

// Immutable after construction; Get() is safe to call from any thread.
class DialingRulesTable {
 public:
  static const DialingRulesTable& Get() {
    static const DialingRulesTable table;
    return table;
  }

  // The rules Parse applies to numbers given without a country code in `region`; null when
  // the region has no metadata.
  const DialingRules* ForRegion(const std::string& region) const {
    auto it = by_region_.find(region);
    return it == by_region_.end() ? nullptr : &it->second;
  }

  // What ExtractCountryCode tests: libphonenumber maps the calling code to a region.
  bool IsKnownCountryCode(int country_code) const {
    return country_code > 0 && country_code < kCodes && main_region_[country_code] != "ZZ";
  }

  // The main region's (or the non-geographic entity's) rules, which Parse applies to a number
  // after its country code; null when unknown.
  const DialingRules* ForCountryCode(int country_code) const {
    return country_code > 0 && country_code < kCodes ? by_code_[country_code] : nullptr;
  }

  // GetRegionCodeForCountryCode: "RS", "001" for non-geographic codes, "ZZ" when unknown.
  const std::string& MainRegion(int country_code) const { return main_region_[country_code]; }

 private:
  static constexpr int kCodes = 1000;  // calling codes have at most three digits

  DialingRulesTable() {
    const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    std::map<int, DialingRules> non_geographic;
    if (!ReadCollection(&non_geographic)) {
      by_region_.clear();
      non_geographic.clear();
    }
    non_geographic_ = std::move(non_geographic);
    for (int code = 0; code < kCodes; ++code) {
      util.GetRegionCodeForCountryCode(code, &main_region_[code]);
      by_code_[code] = nullptr;
      if (main_region_[code] == "001") {
        auto it = non_geographic_.find(code);
        if (it != non_geographic_.end()) by_code_[code] = &it->second;
      } else if (const DialingRules* rules = ForRegion(main_region_[code]);
                 rules != nullptr && rules->country_code == code) {
        by_code_[code] = rules;
      }
    }
  }

  bool ReadCollection(std::map<int, DialingRules>* non_geographic) {
    const bool read = ForEachMetadata([&](std::string_view message) {
      DialingRules rules;
      if (!ReadDialingRules(message, &rules)) return false;
      if (rules.id == "001") {
        (*non_geographic)[rules.country_code] = std::move(rules);
      } else {
        std::string id = rules.id;
        by_region_[std::move(id)] = std::move(rules);
      }
      return true;
    });
    return read && !by_region_.empty();
  }

  std::unordered_map<std::string, DialingRules> by_region_;
  std::map<int, DialingRules> non_geographic_;
  std::array<std::string, kCodes> main_region_;
  std::array<const DialingRules*, kCodes> by_code_;
};

}  // namespace trafnet::storage::phone_internal

#endif  // TRAFNET_STORAGE_PHONE_DIALING_RULES_H_
