// Phone numbers for the synthetic world: allocation of unique numbers that follow each
// country's numbering plan, and the many ways clerks write the same number.
#ifndef TRAFNET_ENGINE_SRC_GENERATE_PHONES_H_
#define TRAFNET_ENGINE_SRC_GENERATE_PHONES_H_

#include <cstdint>
#include <string>
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

// Hands out distinct numbers: mobiles per country, landlines and service numbers per area code.
// Numbers stay distinct until a numbering plan runs out (tens of millions of mobiles per
// country; 700 000 landlines per small-town area code), after which they wrap around.
class PhoneBook {
 public:
  explicit PhoneBook(uint64_t seed);

  PhoneNumber NewMobile(Country country);
  PhoneNumber NewLandline(uint32_t town);
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
    uint64_t subscriber_base = 0;
    Plan landline;
    Plan service;
  };

  std::vector<Plan> mobile_;         // indexed by Country
  std::vector<Area> areas_;          // distinct (country, area code)
  std::vector<uint32_t> town_area_;  // town -> areas_ index
};

}  // namespace trafnet::engine::gen

#endif  // TRAFNET_ENGINE_SRC_GENERATE_PHONES_H_
