// Sorting many byte-string keys (a commit's index entries) without chasing each key's bytes on
// every comparison.
//
// A most-significant-digit sort with 16-byte digits: references to the keys are sorted by their
// first 16 bytes (as two big-endian numbers) with how many bytes of the key the digit holds;
// each run of references that tie on a full digit is then sorted by the next 16 bytes, and so on.
// A key's bytes are read once per digit it needs, in a pass of their own, instead of at every
// comparison that ties on a prefix: name index keys share long prefixes ("\0marko\0jovanovi…"
// for every Marko Jovanović), so comparing whole keys on ties cost two cache misses each and was
// most of a node commit's time. O(n log n) comparisons of integers, plus O(total key bytes) reads.
#ifndef TRAFNET_STORAGE_SRC_KEY_SORT_H_
#define TRAFNET_STORAGE_SRC_KEY_SORT_H_

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "codec.h"

namespace trafnet::storage {

namespace key_sort_internal {

struct Ref {
  uint64_t high = 0, low = 0;  // bytes [depth, depth + 16) of the key, zero-padded
  uint32_t held = 0;           // how many of those 16 the key has; 17 when it goes on past them
  uint32_t index = 0;          // of the key, and the tie-break that keeps equal keys in order
};

inline bool operator<(const Ref& x, const Ref& y) {
  if (x.high != y.high) return x.high < y.high;
  if (x.low != y.low) return x.low < y.low;
  // Equal padded bytes: a key that ends sooner is a prefix of the other, so it comes first.
  if (x.held != y.held) return x.held < y.held;
  return x.index < y.index;
}

inline void SetDigit(Ref& ref, std::string_view key, size_t depth) {
  ref.high = codec::KeyPrefix(key, depth);
  ref.low = codec::KeyPrefix(key, depth + 8);
  ref.held =
      key.size() <= depth ? 0 : static_cast<uint32_t>(std::min<size_t>(key.size() - depth, 17));
}

template <class KeyOf>
void SortRange(Ref* begin, Ref* end, size_t depth, const KeyOf& key_of) {
  std::sort(begin, end);
  for (Ref* run = begin; run != end;) {
    Ref* next = run + 1;
    while (next != end && next->high == run->high && next->low == run->low &&
           next->held == run->held)
      ++next;
    // Keys that tie on a whole digit and go on past it are told apart by the next one.
    if (next - run > 1 && run->held == 17) {
      for (Ref* ref = run; ref != next; ++ref) SetDigit(*ref, key_of(ref->index), depth + 16);
      SortRange(run, next, depth + 16, key_of);
    }
    run = next;
  }
}

}  // namespace key_sort_internal

// The order (indices 0..n-1) in which `key_of(i)` ascends as unsigned bytes, a key before any
// key it is a prefix of; equal keys keep their index order. `key_of` returns a string_view.
template <class KeyOf>
std::vector<uint32_t> SortedKeyOrder(uint32_t n, const KeyOf& key_of) {
  std::vector<key_sort_internal::Ref> refs(n);
  for (uint32_t i = 0; i < n; ++i) {
    refs[i].index = i;
    key_sort_internal::SetDigit(refs[i], key_of(i), 0);
  }
  key_sort_internal::SortRange(refs.data(), refs.data() + refs.size(), 0, key_of);
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = refs[i].index;
  return order;
}

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_SRC_KEY_SORT_H_
