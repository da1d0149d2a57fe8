// Planted recruitment networks, the pattern the engine is built to find.
//
// Each network: one or two recruiters contact five to twelve young people (18-25, mostly
// women) from several towns who had no tie to each other; weeks later the victims stay at one
// or two addresses (a flat, a hotel or a business with rooms) within a short window; a
// controller lives or stays there and several victims use the controller's phone; one or two
// drivers travel with the victims; victims (and sometimes recruiters) pay the controller.
// Every member also has an ordinary-looking life - a family home, friends, calls - so that the
// network is not an island. A minority are known to the police (status victim or suspect).
#include <algorithm>
#include <string>

#include "generate_world.h"

namespace trafnet::engine::gen {
namespace {

std::vector<uint64_t> Cumulative(const std::vector<uint64_t>& weights) {
  std::vector<uint64_t> out;
  uint64_t sum = 0;
  for (const uint64_t w : weights) out.push_back(sum += w);
  return out;
}

uint32_t Pick(const std::vector<uint64_t>& cumulative, Rng& rng) {
  const uint64_t r = rng.Below(cumulative.back());
  return static_cast<uint32_t>(std::upper_bound(cumulative.begin(), cumulative.end(), r) -
                               cumulative.begin());
}

// A planted member: a young woman from a small town, a recruiter, a controller or a driver.
uint32_t NewMember(World& world, uint32_t town, int32_t min_age, int32_t max_age, double female,
                   int32_t on_day, double duplicate, uint32_t phones, Rng& rng) {
  Person p;
  p.town = static_cast<uint16_t>(town);
  p.nationality = world.PickNationality(town, rng);
  p.name_set = world.PickNameSet(p.nationality, town, rng);
  p.gender = rng.Chance(female) ? 'F' : 'M';
  const int32_t age = static_cast<int32_t>(rng.Range(min_age, max_age));
  // Offsets of 10-355 days keep the age exact in calendar years too, leap days included.
  p.birth = on_day - age * 365 - static_cast<int32_t>(rng.Range(10, 355));
  world.PickFirstName(p, rng);
  world.PickSurname(p, rng);
  world.PickRecordKeeping(p, duplicate, rng);
  const Country home = world.tables.towns[town].country;
  for (uint32_t k = 0; k < phones; ++k) p.mobile[k] = world.phone_book.NewMobile(home);
  world.people.push_back(p);
  return static_cast<uint32_t>(world.people.size() - 1);
}

// An ordinary person of `town` (or of anywhere, when the town has nobody), for family and
// friends of a planted member.
uint32_t SomeoneFrom(const World& world, uint32_t town, Rng& rng) {
  const uint32_t begin = world.town_begin[town];
  const uint32_t end = world.town_begin[town + 1];
  if (begin == end) return static_cast<uint32_t>(rng.Below(world.ordinary));
  return world.town_members[begin + rng.Below(end - begin)];
}

// Home, family and friends of a planted member, among the ordinary population of its town.
void GiveOrdinaryLife(World& world, uint32_t member, double family, Rng& rng) {
  Person& m = world.people[member];
  const bool has_neighbours = world.town_begin[m.town] != world.town_begin[m.town + 1];
  if (m.home == kNone) {
    Span since;
    if (rng.Chance(0.5)) {
      since.start = World::RandomDay(rng, DaysFromCivil(2005, 1, 1), kWindowStart);
    }
    if (has_neighbours) {
      const uint32_t relative = SomeoneFrom(world, m.town, rng);
      m.home = world.people[relative].home;
      world.PersonToAddress(LinkType::kLivesAt, member, m.home, since, m.agency, rng, false);
      if (rng.Chance(family)) {
        world.PersonToPerson(LinkType::kFamily, member, relative, Span(), 1, kSocialWork, rng);
        world.Talk(member, relative, 0.8, 0.5, 200, rng);
      }
    } else {
      // Nobody of the small world lives in that town: a home of the member's own.
      m.home = world.WriteAddress(m.town, PlaceKind::kResidential, rng);
      world.PersonToAddress(LinkType::kLivesAt, member, m.home, since, m.agency, rng, false);
    }
  }
  const int64_t friends = rng.Range(1, 4);
  for (int64_t k = 0; k < friends; ++k) {
    const uint32_t other = SomeoneFrom(world, m.town, rng);
    if (world.people[other].AgeAt(kReferenceDay) < 14) continue;
    world.PersonToPerson(LinkType::kKnows, member, other, Span(), 1, kMup, rng);
    world.Talk(member, other, 0.55, 0.45, 120, rng);
  }
}

uint32_t PlaceIn(const World& world, uint32_t town, PlaceKind kind, Rng& rng) {
  std::vector<uint32_t> found;
  for (const Place& place : world.places) {
    if (place.town == town && place.kind == kind) found.push_back(place.address);
  }
  return found.empty() ? kNone : found[rng.Below(found.size())];
}

}  // namespace

void PlanNetworks(World& world) {
  Rng rng(world.options.seed, Stream::kPlan);
  const Tables& tables = world.tables;
  std::vector<uint64_t> destination;
  std::vector<uint64_t> origin;
  for (const Town& town : tables.towns) {
    destination.push_back(town.destination);
    // Victims come disproportionately from small towns and from across the border.
    origin.push_back(town.country == Country::kRS ? 40 + town.population / 4 : 25);
  }
  const std::vector<uint64_t> destination_cdf = Cumulative(destination);
  const std::vector<uint64_t> origin_cdf = Cumulative(origin);
  const uint64_t households = world.ordinary * 10 / 34 + 1;

  for (uint32_t n = 0; n < world.options.networks; ++n) {
    PlannedNetwork net;
    net.town = Pick(destination_cdf, rng);
    net.recruit_start =
        World::RandomDay(rng, DaysFromCivil(2024, 2, 1), DaysFromCivil(2025, 10, 31));
    net.stay_start = net.recruit_start + static_cast<int32_t>(rng.Range(45, 150));

    const int64_t victims = rng.Range(5, 12);
    std::vector<uint32_t> towns;
    for (int64_t v = 0; v < victims; ++v) towns.push_back(Pick(origin_cdf, rng));
    while (towns[1] == towns[0]) towns[1] = Pick(origin_cdf, rng);  // at least two towns
    for (const uint32_t town : towns) {
      net.victims.push_back(NewMember(world, town, 18, 25, 0.85, net.stay_start, 0.12, 1, rng));
    }
    const int64_t recruiters = rng.Chance(0.35) ? 2 : 1;
    for (int64_t r = 0; r < recruiters; ++r) {
      const uint32_t town = rng.Chance(0.6) ? towns[rng.Below(towns.size())] : net.town;
      net.recruiters.push_back(
          NewMember(world, town, 20, 40, 0.35, net.stay_start, 0.05, rng.Chance(0.5) ? 2 : 1, rng));
    }
    // The controller's second phone is the one the victims end up using.
    net.controller = NewMember(world, net.town, 28, 55, 0.2, net.stay_start, 0.05, 2, rng);
    const int64_t drivers = rng.Chance(0.4) ? 2 : 1;
    for (int64_t d = 0; d < drivers; ++d) {
      const uint32_t town = rng.Chance(0.3) ? towns[rng.Below(towns.size())] : net.town;
      net.drivers.push_back(NewMember(world, town, 25, 55, 0.05, net.stay_start, 0.05, 1, rng));
    }

    // Known cases: a minority of members are on record.
    if (rng.Chance(0.5)) {
      world.people[net.victims[rng.Below(net.victims.size())]].status = CaseStatus::kVictim;
    }
    if (rng.Chance(0.2)) world.people[net.victims[0]].status = CaseStatus::kVictim;
    if (rng.Chance(0.3)) {
      world.people[net.recruiters[0]].status =
          rng.Chance(0.3) ? CaseStatus::kConvicted : CaseStatus::kSuspect;
    }
    if (rng.Chance(0.2)) world.people[net.controller].status = CaseStatus::kSuspect;

    const uint32_t addresses = rng.Chance(0.35) ? 2 : 1;
    for (uint32_t a = 0; a < addresses; ++a) {
      const uint64_t r = rng.Below(100);
      uint32_t hotel = kNone;
      if (r >= 55 && r < 85) hotel = PlaceIn(world, net.town, PlaceKind::kHotel, rng);
      if (hotel != kNone && (a == 0 || hotel != net.stay_addresses[0])) {
        net.stay_addresses.push_back(hotel);
        net.stay_kinds.push_back(PlaceKind::kHotel);
        continue;
      }
      const PlaceKind kind = r >= 85 ? PlaceKind::kBusiness : PlaceKind::kResidential;
      net.stay_addresses.push_back(kNone);
      net.stay_kinds.push_back(kind);
      world.flats.push_back({rng.Below(households), n, a, net.town, kind});
    }
    world.networks.push_back(std::move(net));
  }

  for (uint32_t person = static_cast<uint32_t>(world.ordinary); person < world.people.size();
       ++person) {
    world.planted_rows.emplace_back(rng.Below(world.ordinary + 1), person);
  }
  std::sort(world.planted_rows.begin(), world.planted_rows.end());
  std::stable_sort(world.flats.begin(), world.flats.end(),
                   [](const PlannedFlat& a, const PlannedFlat& b) {
                     return a.household_slot < b.household_slot;
                   });
}

void GenerateNetworks(World& world) {
  Rng rng(world.options.seed, Stream::kNetworks);
  std::vector<uint32_t> shelters;
  for (const Place& place : world.places) {
    if (place.kind == PlaceKind::kShelter) shelters.push_back(place.address);
  }
  std::vector<int32_t> arrive;
  std::vector<int32_t> leave;
  for (uint32_t n = 0; n < world.networks.size(); ++n) {
    const PlannedNetwork& net = world.networks[n];
    const uint32_t ctl = net.controller;
    const PhoneNumber shared_phone = world.people[ctl].mobile[1];
    const uint32_t first_address = net.stay_addresses[0];
    const bool flat = net.stay_kinds[0] == PlaceKind::kResidential;
    // The controller lives in the flat, or keeps a room at the hotel or the business.
    if (flat) {
      world.people[ctl].home = first_address;
      Span since;
      since.start = net.stay_start - static_cast<int32_t>(rng.Range(30, 300));
      world.PersonToAddress(LinkType::kLivesAt, ctl, first_address, since, kMup, rng, false);
    } else {
      Span span;
      span.start = net.stay_start - static_cast<int32_t>(rng.Range(1, 10));
      span.end = net.stay_start + static_cast<int32_t>(rng.Range(60, 120));
      world.PersonToAddress(LinkType::kStayedAt, ctl, first_address, span, kMup, rng);
    }
    for (const uint32_t v : net.victims) GiveOrdinaryLife(world, v, 0.8, rng);
    for (const uint32_t r : net.recruiters) GiveOrdinaryLife(world, r, 0.5, rng);
    GiveOrdinaryLife(world, ctl, 0.4, rng);
    for (const uint32_t d : net.drivers) GiveOrdinaryLife(world, d, 0.5, rng);

    // Recruitment: calls and messages from the recruiter in the weeks before the move.
    for (size_t k = 0; k < net.victims.size(); ++k) {
      const uint32_t v = net.victims[k];
      const Person& recruiter = world.people[net.recruiters[k % net.recruiters.size()]];
      const PhoneNumber recruiter_phone =
          (recruiter.mobile[1] != 0 && rng.Chance(0.3)) ? recruiter.mobile[1] : recruiter.mobile[0];
      Span contact;
      contact.start = net.recruit_start + static_cast<int32_t>(rng.Range(0, 40));
      contact.end = net.stay_start + static_cast<int32_t>(rng.Range(-5, 10));
      const uint8_t source = World::CallSource(rng);
      const uint32_t calls = static_cast<uint32_t>(rng.Range(3, 40));
      world.PhoneToPhone(LinkType::kCalled, recruiter_phone, world.people[v].mobile[0], contact,
                         calls, source, rng);
      const bool victim_writes = rng.Chance(0.4);
      const uint32_t messages = static_cast<uint32_t>(rng.Range(5, 150));
      world.PhoneToPhone(LinkType::kMessaged,
                         victim_writes ? world.people[v].mobile[0] : recruiter_phone,
                         victim_writes ? recruiter_phone : world.people[v].mobile[0], contact,
                         messages, source, rng);
      if (rng.Chance(0.3)) {
        Span since;
        since.start = contact.start;
        world.PersonToPerson(LinkType::kKnows, net.recruiters[k % net.recruiters.size()], v, since,
                             1, kMup, rng);
      }
    }

    // The stay: arrivals within three weeks, a few weeks to a few months each.
    arrive.clear();
    leave.clear();
    for (const uint32_t v : net.victims) {
      Span span;
      span.start = net.stay_start + static_cast<int32_t>(rng.Range(0, 21));
      span.end = span.start + static_cast<int32_t>(rng.Range(14, 75));
      world.PersonToAddress(LinkType::kStayedAt, v, first_address, span, kMup, rng);
      if (net.stay_addresses.size() > 1 && rng.Chance(0.6)) {
        Span next;
        next.start = span.end;
        next.end = span.end + static_cast<int32_t>(rng.Range(10, 40));
        world.PersonToAddress(LinkType::kStayedAt, v, net.stay_addresses[1], next, kMup, rng);
        span.end = next.end;
      }
      arrive.push_back(span.start);
      leave.push_back(span.end);
    }
    if (net.stay_addresses.size() > 1 && rng.Chance(0.5)) {
      Span span;
      span.start = net.stay_start + static_cast<int32_t>(rng.Range(20, 60));
      span.end = span.start + static_cast<int32_t>(rng.Range(10, 60));
      world.PersonToAddress(LinkType::kStayedAt, ctl, net.stay_addresses[1], span, kMup, rng);
    }

    // The shared phone: several victims use the controller's second number while they stay.
    const size_t users =
        static_cast<size_t>(rng.Range(3, static_cast<int64_t>(net.victims.size())));
    const size_t offset = rng.Below(net.victims.size());
    for (size_t k = 0; k < users; ++k) {
      const size_t v = (offset + k) % net.victims.size();
      Span span;
      span.start = arrive[v];
      span.end = leave[v];
      world.PersonToPhone(net.victims[v], shared_phone, span, World::CallSource(rng), rng,
                          /*allow_duplicate=*/false);
    }
    for (const uint32_t r : net.recruiters) {
      const Span span = world.CallSpan(rng, net.recruit_start, net.stay_start + 60, 2);
      const PhoneNumber to = rng.Chance(0.5) ? shared_phone : world.people[ctl].mobile[0];
      const uint32_t count = static_cast<uint32_t>(rng.Range(5, 60));
      world.PhoneToPhone(LinkType::kCalled, world.people[r].mobile[0], to, span, count,
                         World::CallSource(rng), rng);
      if (rng.Chance(0.5)) world.PersonToPerson(LinkType::kKnows, r, ctl, Span(), 1, kMup, rng);
      if (rng.Chance(0.4)) {
        world.PersonToPerson(LinkType::kPaid, r, ctl, span, static_cast<uint32_t>(rng.Range(1, 6)),
                             kFinancialIntelligence, rng);
      }
    }

    // Drivers bring the victims in; border crossings are recorded by the border police.
    for (size_t k = 0; k < net.victims.size(); ++k) {
      if (!rng.Chance(0.8)) continue;
      const uint32_t v = net.victims[k];
      const uint32_t d = net.drivers[k % net.drivers.size()];
      const bool crossed =
          world.tables.towns[world.people[v].town].country != world.tables.towns[net.town].country;
      Span trip;
      trip.start = trip.end = arrive[k];
      trip.start_time = static_cast<int32_t>(rng.Range(0, 86399));
      trip.end_time = std::min<int32_t>(
          86399, trip.start_time + static_cast<int32_t>(rng.Range(1800, 5 * 3600)));
      world.PersonToPerson(LinkType::kTraveledWith, d, v, trip, 1, crossed ? kBorderPolice : kMup,
                           rng);
    }
    for (const uint32_t d : net.drivers) {
      const uint32_t count = static_cast<uint32_t>(rng.Range(5, 50));
      const Span span = world.CallSpan(rng, net.stay_start - 20, net.stay_start + 90, count);
      world.PhoneToPhone(LinkType::kCalled, world.people[d].mobile[0], shared_phone, span, count,
                         World::CallSource(rng), rng);
      if (rng.Chance(0.3)) {
        Span span;
        span.start = net.stay_start - static_cast<int32_t>(rng.Range(10, 200));
        world.PersonToPerson(LinkType::kEmploys, ctl, d, span, 1, kMup, rng);
      }
    }

    // Payments towards the controller, and the known victims' way out through a shelter.
    for (size_t k = 0; k < net.victims.size(); ++k) {
      const uint32_t v = net.victims[k];
      if (rng.Chance(0.7)) {
        Span span;
        span.start = arrive[k];
        span.end = leave[k];
        world.PersonToPerson(LinkType::kPaid, v, ctl, span, static_cast<uint32_t>(rng.Range(2, 20)),
                             kFinancialIntelligence, rng);
      }
      if (world.people[v].status == CaseStatus::kVictim && !shelters.empty()) {
        Span span;
        span.start = leave[k] + static_cast<int32_t>(rng.Range(1, 30));
        span.end = span.start + static_cast<int32_t>(rng.Range(30, 120));
        const uint32_t shelter = shelters[rng.Below(shelters.size())];
        const uint8_t source = rng.Chance(0.5) ? kAstra : kSocialWork;
        world.PersonToAddress(LinkType::kStayedAt, v, shelter, span, source, rng);
      }
    }

    for (const uint32_t r : net.recruiters) world.WriteTruth(n, r, Role::kRecruiter);
    world.WriteTruth(n, ctl, Role::kController);
    for (const uint32_t d : net.drivers) world.WriteTruth(n, d, Role::kDriver);
    for (const uint32_t v : net.victims) world.WriteTruth(n, v, Role::kVictim);
  }
}

}  // namespace trafnet::engine::gen
