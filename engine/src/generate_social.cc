// Ordinary social life beyond the household: friendships (mostly neighbours in the same town,
// some across the country, so the graph is small-world), workplaces with an employer and
// colleagues, service numbers called by hundreds, and stays at hotels, hostels and student
// dormitories where many unrelated young people pass through. Company phones are recorded as
// decoys, stays at hostels and dormitories and calls to service numbers as visits the decoy
// phase picks the crowds from; recording draws nothing.
#include <algorithm>

#include "generate_world.h"

namespace trafnet::engine::gen {
namespace {

void Friendships(World& world, double progress_from, double progress_to) {
  Rng rng(world.options.seed, Stream::kFriends);
  const uint64_t n = world.ordinary;
  uint64_t done = 0;
  for (size_t t = 0; t + 1 < world.town_begin.size(); ++t) {
    const uint32_t begin = world.town_begin[t];
    const uint32_t end = world.town_begin[t + 1];
    for (uint32_t pos = begin; pos < end; ++pos, ++done) {
      const uint32_t person = world.town_members[pos];
      const Person& p = world.people[person];
      const int32_t age = p.AgeAt(kReferenceDay);
      if (age < 14) continue;
      uint32_t chosen[6];
      uint32_t n_chosen = 0;
      const uint32_t wanted = static_cast<uint32_t>(rng.Range(2, 6));
      for (uint32_t attempt = 0; attempt < wanted * 3 && n_chosen < wanted; ++attempt) {
        const uint64_t r = rng.Below(100);
        uint32_t other;
        if (r < 65) {
          const uint32_t offset = static_cast<uint32_t>(rng.Range(1, 25));
          if (pos + offset >= end) continue;
          other = world.town_members[pos + offset];  // a neighbour: friends of friends overlap
        } else if (r < 90) {
          other = world.town_members[begin + rng.Below(end - begin)];
        } else {
          other = static_cast<uint32_t>(rng.Below(n));  // the long-range tie
        }
        const Person& o = world.people[other];
        const int32_t other_age = o.AgeAt(kReferenceDay);
        if (other == person || o.home == p.home || other_age < 14) continue;
        if (other_age - age > 15 || age - other_age > 15) continue;
        if (std::find(chosen, chosen + n_chosen, other) != chosen + n_chosen) continue;
        chosen[n_chosen++] = other;
        Span since;
        if (rng.Chance(0.3)) {
          since.start = World::RandomDay(rng, DaysFromCivil(2015, 1, 1), kWindowStart);
        }
        world.PersonToPerson(LinkType::kKnows, person, other, since, 1,
                             rng.Chance(0.6) ? kMup : kBia, rng);
        world.Talk(person, other, 0.55, 0.45, 120, rng);
        if (rng.Chance(0.01)) {
          Span trip;
          trip.start = trip.end = World::RandomDay(rng, kWindowStart, kWindowEnd);
          trip.start_time = static_cast<int32_t>(rng.Range(0, 80000));
          trip.end_time = trip.start_time + static_cast<int32_t>(rng.Range(600, 6000));
          world.PersonToPerson(LinkType::kTraveledWith, person, other, trip, 1, kBorderPolice, rng);
        }
      }
      if ((done & 0xFFFF) == 0) {
        world.Progress(progress_from + (progress_to - progress_from) * static_cast<double>(done) /
                                           static_cast<double>(n));
      }
    }
  }
}

void Workplaces(World& world) {
  Rng rng(world.options.seed, Stream::kWork);
  const uint64_t n = world.ordinary;
  std::vector<uint32_t> workplace(n, kNone);
  std::vector<uint32_t> employer;
  for (size_t t = 0; t + 1 < world.town_begin.size(); ++t) {
    const uint32_t begin = world.town_begin[t];
    const uint32_t end = world.town_begin[t + 1];
    if (begin == end) continue;
    uint32_t workers = 0;
    for (uint32_t pos = begin; pos < end; ++pos) {
      const uint32_t person = world.town_members[pos];
      const int32_t age = world.people[person].AgeAt(kReferenceDay);
      if (age >= 20 && age <= 64 && rng.Chance(0.62)) {
        workplace[person] = 0;
        ++workers;
      }
    }
    // A skewed size distribution: a few big employers, many small shops.
    const uint32_t count = std::max<uint32_t>(1, workers / 12);
    const uint32_t first = static_cast<uint32_t>(employer.size());
    for (uint32_t w = 0; w < count; ++w) {
      uint32_t boss = world.town_members[begin + rng.Below(end - begin)];
      for (int attempt = 0; attempt < 10; ++attempt) {
        const int32_t age = world.people[boss].AgeAt(kReferenceDay);
        if (age >= 30 && age <= 67) break;
        boss = world.town_members[begin + rng.Below(end - begin)];
      }
      employer.push_back(boss);
      if (rng.Chance(0.1)) {
        world.places.push_back(
            {world.WriteAddress(static_cast<uint32_t>(t), PlaceKind::kBusiness, rng),
             static_cast<uint32_t>(t), PlaceKind::kBusiness});
      }
    }
    for (uint32_t pos = begin; pos < end; ++pos) {
      const uint32_t person = world.town_members[pos];
      if (workplace[person] == kNone) continue;
      workplace[person] = first + static_cast<uint32_t>(rng.Below(rng.Below(count) + 1));
    }
  }

  // Group workers by workplace, then write employment and colleague ties.
  std::vector<uint32_t> begin(employer.size() + 1, 0);
  for (uint64_t i = 0; i < n; ++i) {
    if (workplace[i] != kNone) ++begin[workplace[i] + 1];
  }
  for (size_t w = 0; w < employer.size(); ++w) begin[w + 1] += begin[w];
  std::vector<uint32_t> staff(begin.back());
  {
    std::vector<uint32_t> cursor(begin.begin(), begin.end() - 1);
    for (uint64_t i = 0; i < n; ++i) {
      if (workplace[i] != kNone) staff[cursor[workplace[i]]++] = static_cast<uint32_t>(i);
    }
  }
  std::vector<uint32_t>().swap(workplace);
  const int32_t earliest = DaysFromCivil(2008, 1, 1);
  const int32_t latest = DaysFromCivil(2025, 6, 30);
  for (size_t w = 0; w < employer.size(); ++w) {
    const uint32_t boss = employer[w];
    // A company phone, used by the boss and a few of the staff.
    if (begin[w + 1] - begin[w] >= 3 && rng.Chance(0.04)) {
      const PhoneNumber phone = world.phone_book.NewMobile(Country::kRS);
      world.WritePhone(phone, "mobile", rng);
      world.PersonToPhone(boss, phone, Span(), kMup, rng);
      const uint32_t decoy = world.AddDecoy(DecoyKind::kCompanyPhone);
      world.decoys[decoy].persons.push_back(boss);
      const uint32_t users =
          static_cast<uint32_t>(std::min<int64_t>(rng.Range(2, 5), begin[w + 1] - begin[w]));
      for (uint32_t k = 0; k < users; ++k) {
        Span span;
        span.start = World::RandomDay(rng, kWindowStart - 365, kWindowEnd - 30);
        world.PersonToPhone(staff[begin[w] + k], phone, span, kMup, rng);
        world.decoys[decoy].persons.push_back(staff[begin[w] + k]);
      }
    }
    for (uint32_t k = begin[w]; k < begin[w + 1]; ++k) {
      const uint32_t worker = staff[k];
      if (worker == boss) continue;
      Span span;
      span.start = World::RandomDay(rng, earliest, latest);
      if (rng.Chance(0.08)) {
        span.end = World::RandomDay(rng, std::max(span.start, kWindowStart), kWindowEnd);
      }
      world.PersonToPerson(LinkType::kEmploys, boss, worker, span, 1,
                           rng.Chance(0.7) ? kMup : kFinancialIntelligence, rng);
      if (rng.Chance(0.25)) world.Talk(boss, worker, 1.0, 0.3, 40, rng);
      // Colleagues from one household are family already (checked after the draw, so that
      // the draws stay as they were).
      if (k > begin[w] && staff[k - 1] != boss && rng.Chance(0.3) &&
          world.people[staff[k - 1]].home != world.people[worker].home) {
        world.PersonToPerson(LinkType::kKnows, staff[k - 1], worker, Span(), 1, kMup, rng);
        world.Talk(staff[k - 1], worker, 0.5, 0.4, 60, rng);
      }
    }
  }
}

void ServiceNumbers(World& world) {
  Rng rng(world.options.seed, Stream::kServices);
  const size_t towns = world.tables.towns.size();
  std::vector<std::vector<PhoneNumber>> by_town(towns);
  std::vector<std::vector<uint32_t>> index_by_town(towns);  // each number's place in the order
  const uint64_t services = std::max<uint64_t>(3, world.ordinary / 4000);
  for (uint64_t s = 0; s < services; ++s) {
    const uint32_t town = world.PickTown(rng, false);
    const PhoneNumber number = world.phone_book.NewService(town);
    by_town[town].push_back(number);
    index_by_town[town].push_back(static_cast<uint32_t>(s));
    world.WritePhone(number, "service", rng);
  }
  for (uint64_t i = 0; i < world.ordinary; ++i) {
    const Person& p = world.people[i];
    if (p.mobile[0] == 0 || p.AgeAt(kReferenceDay) < 16 || !rng.Chance(0.3)) continue;
    const std::vector<PhoneNumber>& local = by_town[p.town];
    const std::vector<PhoneNumber>& list = local.empty() ? by_town[0] : local;
    if (list.empty()) continue;
    const uint32_t count = rng.SkewedCount(40);
    const uint64_t pick = rng.Below(list.size());
    const PhoneNumber service = list[pick];
    const Span span = world.CallSpan(rng, kWindowStart, kWindowEnd, count);
    world.PhoneToPhone(LinkType::kCalled, p.mobile[0], service, span, count, kMup, rng);
    if (span.start != kNoDate) {
      const uint32_t index = index_by_town[local.empty() ? 0 : p.town][pick];
      world.service_calls.push_back({index, static_cast<uint32_t>(i), span.start, span.end});
    }
  }
}

void Stays(World& world) {
  Rng rng(world.options.seed, Stream::kStays);
  std::vector<std::vector<uint32_t>> by_kind(6);
  for (uint32_t k = 0; k < world.places.size(); ++k) {
    by_kind[static_cast<size_t>(world.places[k].kind)].push_back(k);
  }
  const auto stay = [&](uint32_t person, PlaceKind kind, int32_t min_nights, int32_t max_nights) {
    const std::vector<uint32_t>& pool = by_kind[static_cast<size_t>(kind)];
    if (pool.empty()) return;
    uint32_t place = pool[rng.Below(pool.size())];
    if (world.places[place].town == world.people[person].town) place = pool[rng.Below(pool.size())];
    Span span;
    if (kind == PlaceKind::kDormitory) {
      const int32_t year = static_cast<int32_t>(rng.Range(2024, 2025));
      span.start = DaysFromCivil(year, 9, 1) + static_cast<int32_t>(rng.Range(0, 40));
      span.end = DaysFromCivil(year + 1, 6, 30) - static_cast<int32_t>(rng.Range(0, 30));
    } else {
      span.start = World::RandomDay(rng, kWindowStart, kWindowEnd - max_nights);
      span.end = span.start + static_cast<int32_t>(rng.Range(min_nights, max_nights));
    }
    world.PersonToAddress(LinkType::kStayedAt, person, world.places[place].address, span,
                          kind == PlaceKind::kShelter ? kAstra : kMup, rng);
    if (kind == PlaceKind::kHostel || kind == PlaceKind::kDormitory) {
      world.guest_stays.push_back({place, person, span.start, span.end});
    }
  };
  for (uint64_t i = 0; i < world.ordinary; ++i) {
    const uint32_t person = static_cast<uint32_t>(i);
    const Person& p = world.people[i];
    const int32_t age = p.AgeAt(kReferenceDay);
    if (age >= 18 && age <= 30 && rng.Chance(0.05)) {
      if (age <= 26 && rng.Chance(0.5)) {
        stay(person, PlaceKind::kDormitory, 0, 0);
      } else {
        stay(person, rng.Chance(0.6) ? PlaceKind::kHostel : PlaceKind::kHotel, 1, 6);
      }
    } else if (age > 30 && age <= 65 && rng.Chance(0.02)) {
      stay(person, PlaceKind::kHotel, 1, 4);
    }
    if (age >= 20 && age <= 60 && rng.Chance(0.003)) stay(person, PlaceKind::kBusiness, 1, 3);
    if (p.status == CaseStatus::kVictim && rng.Chance(0.8)) {
      stay(person, PlaceKind::kShelter, 7, 90);
    }
  }
}

}  // namespace

// Counting sort of ordinary persons by home town; members keep index order, so neighbours in a
// town's list are neighbouring households.
void GroupByTown(World& world) {
  const size_t towns = world.tables.towns.size();
  world.town_begin.assign(towns + 1, 0);
  for (uint64_t i = 0; i < world.ordinary; ++i) ++world.town_begin[world.people[i].town + 1];
  for (size_t t = 0; t < towns; ++t) world.town_begin[t + 1] += world.town_begin[t];
  world.town_members.resize(world.ordinary);
  std::vector<uint32_t> cursor(world.town_begin.begin(), world.town_begin.end() - 1);
  for (uint64_t i = 0; i < world.ordinary; ++i) {
    world.town_members[cursor[world.people[i].town]++] = static_cast<uint32_t>(i);
  }
}

void GenerateSocialLife(World& world) {
  Friendships(world, 0.45, 0.75);
  Workplaces(world);
  world.Progress(0.85);
  ServiceNumbers(world);
  world.Progress(0.9);
  Stays(world);
  world.Progress(0.95);
}

}  // namespace trafnet::engine::gen
