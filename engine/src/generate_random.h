// A small, portable random source for the world generator.
//
// The standard distributions (uniform_int_distribution and friends) are implementation-defined,
// so the same seed would give different worlds with different standard libraries. Everything
// here is plain integer arithmetic (plus exact IEEE multiplication for reals), so a seed gives
// the same bytes everywhere. The engine is xoshiro256** seeded through splitmix64
// (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2021).
#ifndef TRAFNET_ENGINE_SRC_GENERATE_RANDOM_H_
#define TRAFNET_ENGINE_SRC_GENERATE_RANDOM_H_

#include <cstdint>

namespace trafnet::engine::gen {

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Independent streams: each phase of the generator draws from its own stream, so changing one
// phase does not shift the numbers every later phase sees. New streams go at the end: a stream's
// number is its seed.
enum class Stream : uint64_t {
  kPlan = 1,
  kPlaces,
  kPopulation,
  kFriends,
  kWork,
  kServices,
  kStays,
  kNetworks,
  kPhones,
  kRegisters,
  kDuplicates,
  kLookAlikes,
  kPlantedRows,       // planted members' person rows, phones and flats, slotted among households
  kDuplicateRecords,  // second records: when they are written and how they are spelled
  kDecoyPlan,         // who is in the large families, where they live
  kDecoyRows,         // the large families' person rows and homes, slotted among households
  kDecoys,            // the decoys' links
};

class Rng {
 public:
  Rng(uint64_t seed, Stream stream) {
    uint64_t sm = seed ^ (static_cast<uint64_t>(stream) * 0xD1B54A32D192ED03ULL);
    for (uint64_t& word : s_) word = SplitMix64(sm);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n). REQUIRES: n > 0. Rejection keeps it unbiased.
  uint64_t Below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;
    uint64_t r = Next();
    while (r < threshold) r = Next();
    return r % n;
  }

  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  bool Chance(double p) { return Unit() < p; }

  // Skewed towards small values in [1, max]: most pairs call a few times, some hundreds.
  uint32_t SkewedCount(uint32_t max) {
    const uint64_t a = Below(max);
    const uint64_t b = Below(max);
    const uint64_t c = Below(max);
    return static_cast<uint32_t>(1 + (a * b / max) * c / max);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace trafnet::engine::gen

#endif  // TRAFNET_ENGINE_SRC_GENERATE_RANDOM_H_
