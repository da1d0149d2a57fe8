// ForEachIdentifierTie (engine/src/person_ties.h) against an obviously-correct reference that
// applies the rule as its comment states it — pair by pair, with maps and full counts — on many
// small random inputs where the caps bite, and the same sequence of ties for 1, 2 and 3 threads.
#include "person_ties.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>
#include <vector>

namespace trafnet::engine {
namespace {

struct Tie {
  uint32_t u, v;
  double weight;
  TieKind kind;
  auto operator<=>(const Tie&) const = default;
};

// A person's uses of one identifier, merged into one stay.
using UsersOf = std::map<uint64_t, std::map<uint32_t, Stay>>;

UsersOf Merge(const std::vector<IdentifierUse>& uses) {
  UsersOf users;
  for (const IdentifierUse& use : uses) {
    auto [it, added] = users[use.identifier].try_emplace(use.person, use.stay);
    if (!added) it->second = MergeStays(it->second, use.stay);
  }
  return users;
}

// Ties among the users of each identifier with at most `user_cap` users: two users whose stays
// overlap, each overlapping fewer than rule.cap others, share 1 / (1 + the larger count − 1).
void CoUserTies(const UsersOf& users, const std::map<uint64_t, double>& factor, uint64_t user_cap,
                uint32_t cap, double weight, TieKind kind, std::vector<Tie>& out) {
  for (const auto& [identifier, stays] : users) {
    if (stays.size() > user_cap) continue;
    std::vector<std::pair<uint32_t, Stay>> list(stays.begin(), stays.end());
    std::vector<size_t> co(list.size(), 0);
    for (size_t i = 0; i < list.size(); ++i) {
      for (size_t j = 0; j < list.size(); ++j)
        co[i] += i != j && Overlap(list[i].second, list[j].second);
    }
    for (size_t i = 0; i < list.size(); ++i) {
      for (size_t j = i + 1; j < list.size(); ++j) {
        if (!Overlap(list[i].second, list[j].second) || co[i] >= cap || co[j] >= cap) continue;
        const size_t k = 1 + std::max(co[i], co[j]);
        out.push_back(Tie{list[i].first, list[j].first,
                          weight * factor.at(identifier) / static_cast<double>(k - 1), kind});
      }
    }
  }
}

std::vector<Tie> Reference(const std::vector<IdentifierUse>& phone_uses,
                           const std::vector<IdentifierUse>& address_uses,
                           const std::vector<PhoneCall>& calls, const PersonTieRule& rule) {
  std::map<uint64_t, double> factor;
  for (const auto* uses : {&phone_uses, &address_uses}) {
    for (const IdentifierUse& use : *uses) factor[use.identifier] = use.factor;
  }
  std::vector<Tie> ties;
  const UsersOf phones = Merge(phone_uses);
  CoUserTies(phones, factor, rule.cap, rule.cap, rule.shared_phone, TieKind::kSharedPhone, ties);
  CoUserTies(Merge(address_uses), factor, std::numeric_limits<uint64_t>::max(), rule.cap,
             rule.shared_address, TieKind::kSharedAddress, ties);
  std::map<uint64_t, std::set<uint64_t>> counterparts;
  for (const PhoneCall& call : calls) {
    if (call.from == call.to) continue;
    counterparts[call.from].insert(call.to);
    counterparts[call.to].insert(call.from);
  }
  for (const PhoneCall& call : calls) {
    if (!phones.contains(call.from) || !phones.contains(call.to)) continue;
    const auto& from = phones.at(call.from);
    const auto& to = phones.at(call.to);
    if (from.size() > rule.cap || to.size() > rule.cap) continue;
    if (counterparts[call.from].size() > rule.call_hub_cap ||
        counterparts[call.to].size() > rule.call_hub_cap)
      continue;
    std::vector<uint32_t> callers, callees;
    for (const auto& [person, stay] : from) {
      if (Overlap(stay, call.when)) callers.push_back(person);
    }
    for (const auto& [person, stay] : to) {
      if (Overlap(stay, call.when)) callees.push_back(person);
    }
    for (uint32_t u : callers) {
      for (uint32_t v : callees) {
        ties.push_back(Tie{
            u, v, rule.call * call.weight / static_cast<double>(callers.size() * callees.size()),
            TieKind::kCall});
      }
    }
  }
  return ties;
}

Stay RandomStay(std::mt19937_64& rng) {
  if (rng() % 4 == 0) return Stay{};  // undated
  const auto from = static_cast<int64_t>(rng() % 100);
  return Stay{from, from + static_cast<int64_t>(rng() % 30)};
}

struct Input {
  std::vector<IdentifierUse> phone_uses, address_uses;
  std::vector<PhoneCall> calls;
};

Input RandomInput(uint64_t seed) {
  std::mt19937_64 rng(seed);
  Input in;
  const uint32_t persons = 5 + rng() % 40;
  const uint64_t phones = 2 + rng() % 25, addresses = 1 + rng() % 10;
  // Phone and address ids interleave as node ids do; an identifier's factor is its own.
  auto factor_of = [](uint64_t id) { return 0.25 + static_cast<double>(id % 4) * 0.25; };
  for (int i = 0, uses = static_cast<int>(rng() % 120); i < uses; ++i) {
    const uint64_t phone = 2 * (rng() % phones);
    in.phone_uses.push_back(IdentifierUse{phone, static_cast<uint32_t>(rng() % persons),
                                          RandomStay(rng), factor_of(phone)});
  }
  for (int i = 0, uses = static_cast<int>(rng() % 120); i < uses; ++i) {
    const uint64_t address = 2 * (rng() % addresses) + 1;
    in.address_uses.push_back(IdentifierUse{address, static_cast<uint32_t>(rng() % persons),
                                            RandomStay(rng), factor_of(address)});
  }
  for (int i = 0, calls = static_cast<int>(rng() % 300); i < calls; ++i) {
    // Now and then a number no one is known to use, or a phone calling itself.
    const uint64_t from = 2 * (rng() % (phones + 2));
    const uint64_t to = rng() % 10 == 0 ? from : 2 * (rng() % (phones + 2));
    in.calls.push_back(PhoneCall{from, to, static_cast<double>(1 + rng() % 3), RandomStay(rng)});
  }
  return in;
}

// The ties of `in` piece by piece, joined in piece order.
std::vector<Tie> Fast(Input in, const PersonTieRule& rule, unsigned threads) {
  std::vector<std::vector<Tie>> pieces(kTiePieces);
  ForEachIdentifierTie(in.phone_uses, in.address_uses, in.calls, rule, threads,
                       [&](size_t piece, uint32_t u, uint32_t v, double w, TieKind kind) {
                         pieces.at(piece).push_back(Tie{u, v, w, kind});
                       });
  std::vector<Tie> joined;
  for (const std::vector<Tie>& piece : pieces)
    joined.insert(joined.end(), piece.begin(), piece.end());
  return joined;
}

TEST(PersonTies, MatchTheRuleAsStatedOnRandomInputs) {
  size_t ties = 0, calls = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(seed);
    const Input in = RandomInput(seed);
    PersonTieRule rule;
    rule.cap = 2 + static_cast<uint32_t>(seed % 5);
    rule.call_hub_cap = 1 + static_cast<uint32_t>(seed % 7);
    rule.shared_phone = 1.5;
    rule.shared_address = 0.75;
    rule.call = 2.0;
    std::vector<Tie> expected = Reference(in.phone_uses, in.address_uses, in.calls, rule);
    std::vector<Tie> got = Fast(in, rule, 1);
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, expected);
    ties += got.size();
    calls += std::count_if(got.begin(), got.end(),
                           [](const Tie& t) { return t.kind == TieKind::kCall; });
  }
  // The inputs exercise every kind of tie, not only the caps.
  EXPECT_GT(ties, 3000u);
  EXPECT_GT(calls, 500u);
}

TEST(PersonTies, TheSameSequenceForAnyThreadCount) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    SCOPED_TRACE(seed);
    Input in = RandomInput(seed);
    // Enough calls that every call piece holds some.
    for (int copy = 0; copy < 3; ++copy) {
      const size_t n = in.calls.size();
      for (size_t c = 0; c < n; ++c) in.calls.push_back(in.calls[c]);
    }
    PersonTieRule rule;
    rule.cap = 6;
    rule.call_hub_cap = 8;
    const std::vector<Tie> one = Fast(in, rule, 1);
    EXPECT_EQ(Fast(in, rule, 2), one);
    EXPECT_EQ(Fast(in, rule, 3), one);
  }
}

}  // namespace
}  // namespace trafnet::engine
