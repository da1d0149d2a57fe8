// The ties between persons that shared phones, shared addresses and calls between phones make:
// the rule of the analysis core's `persons` projection (projection.cc), which detection's person
// graph (detect_groups.cc) builds through the same code, so the two graphs cannot drift apart.
//
// - A phone or address with at most `cap` persons ties those who used it at the same time
//   (co_residents.h): two overlapping uses are tied among k persons, k − 1 the larger of their
//   numbers of co-users, with weight (tie weight × the identifier's factor) / (k − 1). An
//   undated use overlaps every other, so a phone recorded without dates ties all its users.
//   Phones with more than `cap` users tie nobody; addresses are capped by co-residents only.
// - A call (any phone–phone link) ties every user of the calling phone at the time of the call
//   to every user of the called one at that time, both phones having at most `cap` users and
//   at most `call_hub_cap` distinct counterparts (a number called by hundreds is a service);
//   its weight (tie weight × the call's own weight) is shared among those pairs.
//
// Uses are grouped first: one per identifier and person, spanning all that person's links to
// it. Ties come out in fixed pieces, each in a fixed order (phones, addresses, calls, each in
// identifier or input order), so a caller that joins the pieces in order and sums parallel
// ties gets the same sums every run, whatever the thread count.
#ifndef TRAFNET_ENGINE_PERSON_TIES_H_
#define TRAFNET_ENGINE_PERSON_TIES_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "co_residents.h"
#include "parallel_for.h"

namespace trafnet::engine {

// One person's use of a phone or address (`identifier`, a node id), with when; `factor`
// multiplies the ties it makes (detection discounts hostels and hotels with it).
struct IdentifierUse {
  uint64_t identifier = 0;
  uint32_t person = 0;
  Stay stay;
  double factor = 1.0;
};

// A phone–phone link, with its own weight (1, or its count) and the span of its observations.
struct PhoneCall {
  uint64_t from = 0, to = 0;
  double weight = 1.0;
  Stay when;
};

struct PersonTieRule {
  uint32_t cap = 25;
  // A phone in touch (calls or messages, either way) with more distinct phones than this is a
  // service number — a taxi, a pizza place, a switchboard — and its calls tie nobody, even when
  // its user is known.
  uint32_t call_hub_cap = 100;
  double shared_phone = 1.0, shared_address = 1.0, call = 1.0;
};

enum class TieKind { kSharedPhone, kSharedAddress, kCall };

// Sorts uses by identifier then person and folds one person's several uses of one identifier
// into one spanning them all.
inline void GroupUses(std::vector<IdentifierUse>& uses) {
  std::sort(uses.begin(), uses.end(), [](const IdentifierUse& x, const IdentifierUse& y) {
    return x.identifier != y.identifier ? x.identifier < y.identifier : x.person < y.person;
  });
  size_t kept = 0;
  for (size_t i = 0; i < uses.size(); ++i) {
    if (kept > 0 && uses[kept - 1].identifier == uses[i].identifier &&
        uses[kept - 1].person == uses[i].person) {
      uses[kept - 1].stay = MergeStays(uses[kept - 1].stay, uses[i].stay);
      continue;
    }
    uses[kept++] = uses[i];
  }
  uses.resize(kept);
}

// The ties come in kTiePieces fixed pieces: the shared phones' (piece 0), the shared addresses'
// (piece 1), then the calls' in kCallPieces ranges of `calls` (pieces 2, 3, …), cut by the
// number of calls alone.
inline constexpr size_t kCallPieces = 32;
inline constexpr size_t kTiePieces = 2 + kCallPieces;

// Calls emit(piece, u, v, weight, kind) for every tie, u and v persons (a call's u is a user of
// the calling phone), on up to `threads` threads: never for one piece on two threads at once,
// and each piece's ties in a fixed order, so the pieces taken in order are the same sequence
// for any thread count. Groups the uses (GroupUses) first.
template <typename Emit>
void ForEachIdentifierTie(std::vector<IdentifierUse>& phone_uses,
                          std::vector<IdentifierUse>& address_uses,
                          std::span<const PhoneCall> calls, const PersonTieRule& rule,
                          unsigned threads, Emit&& emit) {
  ForEachIndex(2, threads, [&](size_t i) { GroupUses(i == 0 ? phone_uses : address_uses); });
  auto each_identifier = [](const std::vector<IdentifierUse>& uses, auto&& fn) {
    for (size_t begin = 0; begin < uses.size();) {
      size_t end = begin;
      while (end < uses.size() && uses[end].identifier == uses[begin].identifier) ++end;
      fn(begin, end);
      begin = end;
    }
  };
  // Phones under the cap, by identifier: [begin, end) of their users, for the calls.
  struct Users {
    uint64_t phone;
    uint32_t begin, end;
  };
  std::vector<Users> users_of;
  each_identifier(phone_uses, [&](size_t begin, size_t end) {
    if (end - begin > rule.cap) return;
    users_of.push_back(Users{phone_uses[begin].identifier, static_cast<uint32_t>(begin),
                             static_cast<uint32_t>(end)});
  });
  // The co-users of each identifier with at most `user_cap` users, tied by the co-residence
  // rule, into `piece`.
  auto tie_co_users = [&](size_t piece, const std::vector<IdentifierUse>& uses, uint64_t user_cap,
                          double weight, TieKind kind) {
    std::vector<Stay> spans;
    each_identifier(uses, [&](size_t begin, size_t end) {
      if (end - begin > user_cap) return;
      spans.clear();
      for (size_t i = begin; i < end; ++i) spans.push_back(uses[i].stay);
      ForEachCoResidentPair(spans, rule.cap, [&](size_t i, size_t j, size_t k) {
        const IdentifierUse& a = uses[begin + i];
        emit(piece, a.person, uses[begin + j].person,
             weight * a.factor / static_cast<double>(k - 1), kind);
      });
    });
  };
  // Each call's two phones among those that could tie (under the user cap), by index into
  // users_of, looked up once; then each such phone's number of distinct counterparts. Links
  // touching a phone bound its distinct counterparts from above, so only phones with more
  // links than the hub cap are counted exactly.
  constexpr uint32_t kNone = static_cast<uint32_t>(-1);
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<uint32_t> counterparts;
  auto index_calls = [&] {
    // Phone → its entry in users_of. Node ids are dense, so a table indexed by id answers in
    // one read (a binary search per call end costs more than the rest of the calls' work); ids
    // past kDenseIds fall back to the search.
    constexpr uint64_t kDenseIds = uint64_t{1} << 28;
    std::vector<uint32_t> dense;
    if (!users_of.empty() && users_of.back().phone < kDenseIds) {
      dense.assign(users_of.back().phone + 1, kNone);
      for (size_t i = 0; i < users_of.size(); ++i)
        dense[users_of[i].phone] = static_cast<uint32_t>(i);
    }
    auto find = [&](uint64_t phone) -> uint32_t {
      if (!dense.empty() || users_of.empty()) return phone < dense.size() ? dense[phone] : kNone;
      auto it = std::lower_bound(users_of.begin(), users_of.end(), phone,
                                 [](const Users& u, uint64_t p) { return u.phone < p; });
      return it != users_of.end() && it->phone == phone
                 ? static_cast<uint32_t>(it - users_of.begin())
                 : kNone;
    };
    ends.assign(calls.size(), {kNone, kNone});
    counterparts.assign(users_of.size(), 0);
    for (size_t c = 0; c < calls.size(); ++c) {
      const PhoneCall& call = calls[c];
      ends[c] = {find(call.from), find(call.to)};
      if (call.from == call.to) continue;  // a phone is not its own counterpart
      if (ends[c].first != kNone) ++counterparts[ends[c].first];
      if (ends[c].second != kNone) ++counterparts[ends[c].second];
    }
    std::vector<std::pair<uint32_t, uint64_t>> pairs;  // (busy phone's index, counterpart)
    for (size_t c = 0; c < calls.size(); ++c) {
      const PhoneCall& call = calls[c];
      if (call.from == call.to) continue;
      const auto [f, t] = ends[c];
      if (f != kNone && counterparts[f] > rule.call_hub_cap) pairs.emplace_back(f, call.to);
      if (t != kNone && counterparts[t] > rule.call_hub_cap) pairs.emplace_back(t, call.from);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    for (const auto& [phone, other] : pairs) counterparts[phone] = 0;
    for (const auto& [phone, other] : pairs) ++counterparts[phone];
  };
  ForEachIndex(3, threads, [&](size_t task) {
    if (task == 0) {
      tie_co_users(0, phone_uses, rule.cap, rule.shared_phone, TieKind::kSharedPhone);
    } else if (task == 1) {
      tie_co_users(1, address_uses, std::numeric_limits<uint64_t>::max(), rule.shared_address,
                   TieKind::kSharedAddress);
    } else {
      index_calls();
    }
  });
  ForEachIndex(kCallPieces, threads, [&](size_t piece) {
    std::vector<uint32_t> callers, callees;
    const size_t first = calls.size() * piece / kCallPieces;
    const size_t last = calls.size() * (piece + 1) / kCallPieces;
    for (size_t c = first; c < last; ++c) {
      const PhoneCall& call = calls[c];
      const auto [f, t] = ends[c];
      if (f == kNone || t == kNone) continue;
      if (counterparts[f] > rule.call_hub_cap || counterparts[t] > rule.call_hub_cap) continue;
      auto at_the_time = [&](const Users& users, std::vector<uint32_t>& who) {
        who.clear();
        for (uint32_t i = users.begin; i < users.end; ++i) {
          if (Overlap(phone_uses[i].stay, call.when)) who.push_back(i);
        }
      };
      at_the_time(users_of[f], callers);
      at_the_time(users_of[t], callees);
      if (callers.empty() || callees.empty()) continue;
      const double w =
          rule.call * call.weight / static_cast<double>(callers.size() * callees.size());
      for (uint32_t i : callers) {
        for (uint32_t j : callees)
          emit(2 + piece, phone_uses[i].person, phone_uses[j].person, w, TieKind::kCall);
      }
    }
  });
}

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_PERSON_TIES_H_
