// Entity resolution's string measures: Jaro–Winkler against hand-worked values, and the cheap
// bound that lets resolution skip pairs, which must never fall below the measure itself.
#include "detect_resolve.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace trafnet::engine::detect {
namespace {

TEST(JaroWinklerTest, MatchesWorkedValues) {
  // Winkler's classic pairs.
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 1e-4);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_EQ(JaroWinkler("abc", ""), 0.0);
  EXPECT_EQ(JaroWinkler("abc", "xyz"), 0.0);
}

double Bound(const std::string& a, const std::string& b) {
  return JaroWinklerBound(a, ByteSketch(a), b, ByteSketch(b));
}

// The bound is an upper bound: on random strings over small and large alphabets (so bins
// collide and counts repeat), on name keys, and on long repetitive strings whose counts
// saturate.
TEST(JaroWinklerTest, BoundIsNeverBelowTheMeasure) {
  std::mt19937_64 random(7);
  for (const std::string alphabet : {"ab", "abcde ", "abcdefghijklmnopqrstuvwxyz ", "aA!1 \x80\xc3"}) {
    for (int trial = 0; trial < 20000; ++trial) {
      auto draw = [&] {
        std::string s(random() % 14, ' ');
        for (char& c : s) c = alphabet[random() % alphabet.size()];
        return s;
      };
      const std::string a = draw(), b = draw();
      EXPECT_GE(Bound(a, b) + 1e-12, JaroWinkler(a, b)) << '"' << a << "\" / \"" << b << '"';
    }
  }
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"djordje jovanovic", "djordje jovanovich"},
           {"ana petrovic", "milena kovac"},
           {"jovanovic milan", "milan jovanovic"},
           {std::string(400, 'a'), std::string(300, 'a') + "b"}}) {
    EXPECT_GE(Bound(a, b) + 1e-12, JaroWinkler(a, b)) << a << " / " << b;
  }
}

// It is also tight enough to be worth having: names with few letters in common are bounded
// well below the 0.75 similarity a report needs.
TEST(JaroWinklerTest, BoundSeparatesDifferentNames) {
  EXPECT_LT(Bound("bojan zivkovic", "ana lee"), 0.75);
  EXPECT_GE(Bound("djordje jovanovic", "djordje jovanovich"), 0.9);
}

}  // namespace
}  // namespace trafnet::engine::detect
