// Who lived at one address at the same time: the rule both person graphs (the `persons`
// projection and detection's) use to tie the users of an address.
//
// What makes an address say little about two of its residents is how many lived there at the
// same time, not how many did over the years: a hotel with 55 guests in two years ties the eight
// who stayed the same weeks, and a hostel full every night ties nobody. So each stay counts its
// co-residents, the other stays overlapping it (an undated stay overlaps every other: no date is
// no evidence of apart). Two overlapping stays are tied when each has fewer than `cap`
// co-residents; the tie is shared among k persons, k = 1 + the larger of their co-resident
// counts, and weighs 1/(k − 1) in both graphs. Without dates every stay overlaps every other and
// k is the address's number of users, as for a phone.
//
// O(n log n + n·cap) for n stays: co-residents by binary search in the sorted starts and ends,
// pairs by a sweep in start order that stops at each stay's end.
#ifndef TRAFNET_ENGINE_CO_RESIDENTS_H_
#define TRAFNET_ENGINE_CO_RESIDENTS_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace trafnet::engine {

// One person's stay at an address, in days; an undated stay spans all time (kAlways).
struct Stay {
  int64_t from = std::numeric_limits<int64_t>::min();
  int64_t to = std::numeric_limits<int64_t>::max();
};

// One person's several links to one address as one stay, from the earliest start to the latest
// end; undated when any of them is.
inline Stay MergeStays(Stay a, Stay b) { return Stay{std::min(a.from, b.from), std::max(a.to, b.to)}; }

// Where someone lives is a state, not an event: a residence (LIVES_AT) recorded with a start
// and no end lasts, as far as the records say, to this day, and one with an end and no start has
// lasted since always. (A stay — STAYED_AT — recorded on one date is a stay that day.)
inline Stay OpenResidence(Stay stay, bool open_start, bool open_end) {
  if (open_start) stay.from = Stay{}.from;
  if (open_end) stay.to = Stay{}.to;
  return stay;
}

// Whether two spans share a day (an undated span overlaps everything).
inline bool Overlap(Stay a, Stay b) { return a.from <= b.to && b.from <= a.to; }

// Calls fn(i, j, k) once for every tied pair of `stays` (i, j their indices), with k the number
// of persons the tie is shared among (k ≥ 2).
template <typename Fn>
void ForEachCoResidentPair(std::span<const Stay> stays, uint32_t cap, Fn&& fn) {
  const size_t n = stays.size();
  if (n < 2) return;
  std::vector<int64_t> starts(n), ends(n);
  for (size_t i = 0; i < n; ++i) {
    starts[i] = stays[i].from;
    ends[i] = stays[i].to;
  }
  std::sort(starts.begin(), starts.end());
  std::sort(ends.begin(), ends.end());
  // Stays overlapping i: those starting by its end, less those ended before its start.
  std::vector<size_t> co(n);
  for (size_t i = 0; i < n; ++i) {
    const auto started = std::upper_bound(starts.begin(), starts.end(), stays[i].to);
    const auto ended = std::lower_bound(ends.begin(), ends.end(), stays[i].from);
    co[i] = static_cast<size_t>((started - starts.begin()) - (ended - ends.begin())) - 1;
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return stays[a].from != stays[b].from ? stays[a].from < stays[b].from : a < b;
  });
  // Each stay meets the stays starting after it (in this order) that begin before it ends.
  for (size_t x = 0; x < n; ++x) {
    const size_t i = order[x];
    if (co[i] >= cap) continue;
    for (size_t y = x + 1; y < n && stays[order[y]].from <= stays[i].to; ++y) {
      const size_t j = order[y];
      if (co[j] >= cap) continue;
      fn(std::min(i, j), std::max(i, j), 1 + std::max(co[i], co[j]));
    }
  }
}

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_CO_RESIDENTS_H_
