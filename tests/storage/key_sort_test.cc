// The MSD key sort of commits (storage/src/key_sort.h) against std::stable_sort of the keys.
#include "key_sort.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace trafnet::storage {
namespace {

std::vector<uint32_t> ReferenceOrder(const std::vector<std::string>& keys) {
  std::vector<uint32_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&keys](uint32_t a, uint32_t b) {
    return std::string_view(keys[a]) < std::string_view(keys[b]);  // bytes compared unsigned
  });
  return order;
}

std::vector<uint32_t> Order(const std::vector<std::string>& keys) {
  return SortedKeyOrder(static_cast<uint32_t>(keys.size()),
                        [&keys](uint32_t i) { return std::string_view(keys[i]); });
}

TEST(KeySortTest, EdgeCasesOfLengthAndZeroBytes) {
  using namespace std::string_literals;
  // Keys that are prefixes of others, zero bytes where padding would be, bytes over 0x7f,
  // repeats, and ties running over several 16-byte digits.
  const std::string long_prefix(40, 'a');
  std::vector<std::string> keys = {"b",
                                   "",
                                   "a",
                                   "a\0"s,
                                   "a\0\0"s,
                                   "\0"s,
                                   "\xff",
                                   "\x80",
                                   "a",
                                   long_prefix,
                                   long_prefix + "b",
                                   long_prefix + '\0',
                                   long_prefix,
                                   std::string(16, 'a'),
                                   std::string(17, 'a'),
                                   std::string(15, 'a'),
                                   std::string(32, 'a') + "\xff",
                                   std::string(16, '\0'),
                                   std::string(17, '\0'),
                                   "\0marko\0jovanovic\0\0\0\0\0\0\0\0\x01"s,
                                   "\0marko\0jovanovic\0\0\0\0\0\0\0\0\x00"s};
  EXPECT_EQ(Order(keys), ReferenceOrder(keys));
}

TEST(KeySortTest, MatchesAStableSortOnRandomKeysWithLongSharedPrefixes) {
  std::mt19937 random(11);
  for (int round = 0; round < 200; ++round) {
    // Few distinct stems (names), many keys per stem (ids), lengths around the digit size.
    std::vector<std::string> stems;
    const int stem_count = 1 + static_cast<int>(random() % 8);
    for (int s = 0; s < stem_count; ++s) {
      std::string stem(random() % 40, 'x');
      for (char& c : stem) c = "\0abz\x7f\x80\xff"[random() % 7];
      stems.push_back(stem);
    }
    std::vector<std::string> keys(random() % 300);
    for (auto& key : keys) {
      key = stems[random() % stems.size()];
      const size_t tail = random() % 12;
      for (size_t i = 0; i < tail; ++i) key.push_back(static_cast<char>(random() % 4));
    }
    ASSERT_EQ(Order(keys), ReferenceOrder(keys)) << "round " << round;
  }
}

}  // namespace
}  // namespace trafnet::storage
