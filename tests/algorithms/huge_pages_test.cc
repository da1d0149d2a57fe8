// The allocator that puts big per-node arrays on huge pages (algorithms/src/huge_pages.h).
#include "huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace trafnet::algorithms::internal {
namespace {

TEST(HugePagesTest, BigArraysStartOnAHugePageBoundaryAndKeepTheirValues) {
  const size_t n = 3 * kHugePageBytes / sizeof(uint32_t) + 5;  // not a whole number of pages
  HugeVector<uint32_t> big(n);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(big.data()) % kHugePageBytes, 0u);
  std::iota(big.begin(), big.end(), 7u);
  HugeVector<uint32_t> copy = big;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(copy.data()) % kHugePageBytes, 0u);
  big.resize(2 * n);  // reallocates: the values move to the new array
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(big[i], 7u + i) << i;
    ASSERT_EQ(copy[i], 7u + i) << i;
  }
  for (size_t i = n; i < 2 * n; ++i) ASSERT_EQ(big[i], 0u) << i;
}

TEST(HugePagesTest, SmallArraysTakeTheUsualPath) {
  HugeVector<double> small(1000, 1.5);
  small.push_back(2.5);
  EXPECT_EQ(small.size(), 1001u);
  EXPECT_EQ(small.back(), 2.5);
  EXPECT_EQ(std::accumulate(small.begin(), small.end(), 0.0), 1500.0 + 2.5);
  HugeVector<double> none;
  none.shrink_to_fit();
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace trafnet::algorithms::internal
