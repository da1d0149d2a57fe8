// Phone numbers for the synthetic world: allocation of unique numbers that follow each
// country's numbering plan, and the many ways clerks write the same number.
#ifndef TRAFNET_ENGINE_SRC_GENERATE_PHONES_H_
#define TRAFNET_ENGINE_SRC_GENERATE_PHONES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "generate_random.h"
#include "generate_tables.h"

namespace trafnet::engine::gen {

// A number packed in 64 bits: (calling code * 10 + digits of the national destination code)
// * 10^13 + national significant number. 0 means "no number".
using PhoneNumber = uint64_t;

PhoneNumber PackPhone(uint32_t calling_code, uint32_t prefix_digits, uint64_t national_number);
Country PhoneCountry(PhoneNumber phone);

// Appends the number as a clerk writing in `style` would. Serbian numbers get every style;
// foreign numbers are always written internationally.
void AppendPhone(std::string& out, PhoneNumber phone, PhoneStyle style);

// Deliberately invalid mentions, the only invalid numbers the generator writes: every number
// PhoneBook hands out is valid for libphonenumber, but about kTruncatedMentionShare of the
// mentions are written cut short, keeping only the first kTruncatedDigits digits of the national
// number ("064/123", "+381 11 234", "+387 65 123"). No numbering plan of the generator's
// countries has numbers that short, so ingest keeps such a mention as an invalid phone, flagged
// and never merged with the number it was meant to be.
inline constexpr double kTruncatedMentionShare = 0.002;
inline constexpr uint32_t kTruncatedDigits = 5;
void AppendTruncatedPhone(std::string& out, PhoneNumber phone, PhoneStyle style);

// A bijection of [0, modulus): consecutive allocations look scattered but never collide.
class AffinePermutation {
 public:
  AffinePermutation() = default;
  AffinePermutation(uint64_t modulus, Rng& rng);
  uint64_t operator()(uint64_t x) const {
    return (multiplier_ * (x % modulus_) + offset_) % modulus_;
  }
  uint64_t modulus() const { return modulus_; }

 private:
  uint64_t modulus_ = 1;
  uint64_t multiplier_ = 1;
  uint64_t offset_ = 0;
};

// Hands out distinct valid numbers: mobiles per country, landlines per area code, following the
// plans in Tables. Numbers stay distinct until a numbering plan runs out (tens of millions of
// mobiles per country; 400 000 to 700 000 landlines per small-town area code), after which they
// wrap around.
class PhoneBook {
 public:
  explicit PhoneBook(uint64_t seed);

  PhoneNumber NewMobile(Country country);
  PhoneNumber NewLandline(uint32_t town);
  // A taxi, pizza or other service line: an ordinary landline of the town, or, for one Serbian
  // service in four, a Serbian mobile. Never the same number as any landline or mobile.
  PhoneNumber NewService(uint32_t town);

 private:
  struct Plan {
    AffinePermutation permutation;
    uint64_t next = 0;
  };
  struct Area {
    uint32_t calling_code = 0;
    uint32_t area_digits = 0;
    uint64_t area = 0;
    uint32_t subscriber_digits = 6;
    std::string_view leads;  // first digits of subscriber numbers
    Plan landline;
  };

  std::vector<Plan> mobile_;         // indexed by Country
  std::vector<Area> areas_;          // parallel to Tables::areas
  std::vector<uint32_t> town_area_;  // town -> areas_ index
  uint64_t serbian_services_ = 0;
};

}  // namespace trafnet::engine::gen

#endif  // TRAFNET_ENGINE_SRC_GENERATE_PHONES_H_
