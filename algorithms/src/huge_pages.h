// An allocator for the big per-node arrays that kernels read at random.
//
// A random read over tens of MiB in 4 KiB pages misses the TLB nearly every time, and the page
// walk costs about as much as the cache miss itself. Arrays of 2 MiB and more are placed on
// 2 MiB boundaries and marked MADV_HUGEPAGE, so the kernel backs them with transparent huge
// pages where it can (Debian's default THP mode is "madvise": nothing else gets them). Where
// it cannot, the array works the same, only slower. Smaller arrays take the usual path.
#ifndef TRAFNET_ALGORITHMS_SRC_HUGE_PAGES_H_
#define TRAFNET_ALGORITHMS_SRC_HUGE_PAGES_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace trafnet::algorithms::internal {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding is implicit

  static size_t Rounded(size_t n) {
    return (n * sizeof(T) + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  }
  T* allocate(size_t n) {
    if (n * sizeof(T) < kHugePageBytes) return std::allocator<T>().allocate(n);
    const size_t bytes = Rounded(n);
    void* p = std::aligned_alloc(kHugePageBytes, bytes);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, bytes, MADV_HUGEPAGE);  // advice only: if refused, 4 KiB pages serve as well
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePageBytes) {
      std::allocator<T>().deallocate(p, n);
    } else {
      std::free(p);
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace trafnet::algorithms::internal

#endif  // TRAFNET_ALGORITHMS_SRC_HUGE_PAGES_H_
