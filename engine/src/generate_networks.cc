// Planted recruitment networks, the pattern the engine is built to find.
//
// Each network: one or two recruiters contact five to twelve people from several towns who had
// no tie to each other; weeks later the victims stay at one or two addresses within a short
// window; a controller lives or stays there and several victims use the controller's phone; one
// or two drivers bring the victims; victims (and sometimes recruiters) pay the controller.
// Two shapes: sexual exploitation (young women, 18-25, in a flat, a hotel or a business with
// rooms, for weeks) and labour exploitation (mostly men, 18-45, at a worksite and sometimes a
// house for the workers, for months, employed by the controller, brought in by van in groups,
// paying off "debts"). Either operates at home or across the border. Every member also has an
// ordinary-looking life - a family home, friends, calls - so that the network is not an island.
// A minority are known to the police (status victim or suspect); about 30 % of the networks
// have a known victim.
#include <algorithm>
#include <limits>
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

// Shares of the networks' shapes.
constexpr double kLabourShare = 0.4;
constexpr double kKnownVictimShare = 0.3;
// Sexual-exploitation networks with six or more victims that rotate them: a second wave arrives
// at the first address in the weeks after the first one has left.
constexpr double kRotationShare = 0.35;

// Ages and genders of a shape's members.
struct MemberProfile {
  int32_t min_age;
  int32_t max_age;
  double female;
};
struct ShapeProfile {
  MemberProfile victim;
  MemberProfile recruiter;
  MemberProfile controller;
  MemberProfile driver;
};
constexpr ShapeProfile kSexualProfile = {
    {18, 25, 0.85}, {20, 40, 0.35}, {28, 55, 0.2}, {25, 55, 0.05}};
constexpr ShapeProfile kLabourProfile = {
    {18, 45, 0.15}, {25, 50, 0.25}, {30, 60, 0.1}, {25, 55, 0.05}};

uint32_t PlaceIn(const World& world, uint32_t town, PlaceKind kind, Rng& rng) {
  std::vector<uint32_t> found;
  for (const Place& place : world.places) {
    if (place.town == town && place.kind == kind) found.push_back(place.address);
  }
  return found.empty() ? kNone : found[rng.Below(found.size())];
}

// Drivers bring the victims in; border crossings are recorded by the border police. A sexual
// exploitation network brings them one by one, a labour network by the vanload: everyone of a
// load travels with one driver on the same day, at the same time.
void BringVictims(World& world, const PlannedNetwork& net, const std::vector<int32_t>& arrive,
                  const std::vector<int32_t>& batch_day, Rng& rng) {
  const auto trip_on = [&](int32_t day) {
    Span trip;
    trip.start = trip.end = day;
    trip.start_time = static_cast<int32_t>(rng.Range(0, 86399));
    trip.end_time =
        std::min<int32_t>(86399, trip.start_time + static_cast<int32_t>(rng.Range(1800, 5 * 3600)));
    return trip;
  };
  const auto ride = [&](size_t k, uint32_t driver, const Span& trip) {
    const uint32_t v = net.victims[k];
    const bool crossed =
        world.tables.towns[world.people[v].town].country != world.tables.towns[net.town].country;
    world.PersonToPerson(LinkType::kTraveledWith, driver, v, trip, 1,
                         crossed ? kBorderPolice : kMup, rng);
  };
  if (batch_day.empty()) {
    for (size_t k = 0; k < net.victims.size(); ++k) {
      if (!rng.Chance(0.8)) continue;
      ride(k, net.drivers[k % net.drivers.size()], trip_on(arrive[k]));
    }
    return;
  }
  for (size_t b = 0; b < batch_day.size(); ++b) {
    const Span trip = trip_on(batch_day[b]);
    const uint32_t driver = net.drivers[b % net.drivers.size()];
    for (size_t k = b; k < net.victims.size(); k += batch_day.size()) {
      if (rng.Chance(0.9)) ride(k, driver, trip);
    }
  }
}

}  // namespace

void PlanNetworks(World& world) {
  Rng rng(world.options.seed, Stream::kPlan);
  const Tables& tables = world.tables;
  std::vector<uint64_t> destination;
  std::vector<uint64_t> labour_destination;
  std::vector<uint64_t> origin;
  for (const Town& town : tables.towns) {
    destination.push_back(town.destination);
    // Worksites are anywhere with work, and more often across the border (about 40 %).
    labour_destination.push_back(town.country == Country::kRS
                                     ? town.destination + town.population / 60
                                     : 3 * town.destination + 3);
    // Victims come disproportionately from small towns and from across the border.
    origin.push_back(town.country == Country::kRS ? 40 + town.population / 4 : 25);
  }
  const std::vector<uint64_t> destination_cdf = Cumulative(destination);
  const std::vector<uint64_t> labour_destination_cdf = Cumulative(labour_destination);
  const std::vector<uint64_t> origin_cdf = Cumulative(origin);
  const uint64_t households = world.ordinary * 10 / 34 + 1;

  for (uint32_t n = 0; n < world.options.networks; ++n) {
    PlannedNetwork net;
    const bool labour = rng.Chance(kLabourShare);
    net.exploitation = labour ? Exploitation::kLabour : Exploitation::kSexual;
    const ShapeProfile& profile = labour ? kLabourProfile : kSexualProfile;
    net.town = Pick(labour ? labour_destination_cdf : destination_cdf, rng);
    net.recruit_start =
        World::RandomDay(rng, DaysFromCivil(2024, 2, 1), DaysFromCivil(2025, 10, 31));
    net.stay_start = net.recruit_start + static_cast<int32_t>(rng.Range(45, 150));

    const int64_t victims = rng.Range(5, 12);
    std::vector<uint32_t> towns;
    for (int64_t v = 0; v < victims; ++v) towns.push_back(Pick(origin_cdf, rng));
    while (towns[1] == towns[0]) towns[1] = Pick(origin_cdf, rng);  // at least two towns
    const auto member = [&](uint32_t town, const MemberProfile& m, double duplicate,
                            uint32_t phones) {
      return NewMember(world, town, m.min_age, m.max_age, m.female, net.stay_start, duplicate,
                       phones, rng);
    };
    for (const uint32_t town : towns) net.victims.push_back(member(town, profile.victim, 0.12, 1));
    const int64_t recruiters = rng.Chance(0.35) ? 2 : 1;
    for (int64_t r = 0; r < recruiters; ++r) {
      const uint32_t town = rng.Chance(0.6) ? towns[rng.Below(towns.size())] : net.town;
      net.recruiters.push_back(member(town, profile.recruiter, 0.05, rng.Chance(0.5) ? 2 : 1));
    }
    // The controller's second phone is the one the victims end up using.
    net.controller = member(net.town, profile.controller, 0.05, 2);
    const int64_t drivers = rng.Chance(0.4) ? 2 : 1;
    for (int64_t d = 0; d < drivers; ++d) {
      const uint32_t town = rng.Chance(0.3) ? towns[rng.Below(towns.size())] : net.town;
      net.drivers.push_back(member(town, profile.driver, 0.05, 1));
    }

    // Known cases: a minority of members are on record; most networks have no known victim.
    if (rng.Chance(kKnownVictimShare)) {
      world.people[net.victims[rng.Below(net.victims.size())]].status = CaseStatus::kVictim;
      if (rng.Chance(0.3)) world.people[net.victims[0]].status = CaseStatus::kVictim;
    }
    if (rng.Chance(0.3)) {
      world.people[net.recruiters[0]].status =
          rng.Chance(0.3) ? CaseStatus::kConvicted : CaseStatus::kSuspect;
    }
    if (rng.Chance(0.2)) world.people[net.controller].status = CaseStatus::kSuspect;

    if (labour) {
      // A worksite, and for half of them a house nearby where the workers sleep.
      const uint32_t addresses = rng.Chance(0.5) ? 2 : 1;
      for (uint32_t a = 0; a < addresses; ++a) {
        const PlaceKind kind = a == 0 ? PlaceKind::kBusiness : PlaceKind::kResidential;
        net.stay_addresses.push_back(kNone);
        net.stay_kinds.push_back(kind);
        world.flats.push_back({rng.Below(households), n, a, kNone, net.town, kind, a == 0});
      }
      world.networks.push_back(std::move(net));
      continue;
    }
    net.rotation = net.victims.size() >= 6 && rng.Chance(kRotationShare);
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
      world.flats.push_back({rng.Below(households), n, a, kNone, net.town, kind, false});
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
  std::vector<int32_t> batch_day;  // labour: the day each van load arrives
  for (uint32_t n = 0; n < world.networks.size(); ++n) {
    const PlannedNetwork& net = world.networks[n];
    const bool labour = net.exploitation == Exploitation::kLabour;
    const uint32_t ctl = net.controller;
    const PhoneNumber shared_phone = world.people[ctl].mobile[1];
    const uint32_t first_address = net.stay_addresses[0];
    const bool flat = net.stay_kinds[0] == PlaceKind::kResidential;
    // The controller lives in the flat, or keeps a room at the hotel, business or worksite.
    if (flat) {
      world.people[ctl].home = first_address;
      Span since;
      since.start = net.stay_start - static_cast<int32_t>(rng.Range(30, 300));
      world.PersonToAddress(LinkType::kLivesAt, ctl, first_address, since, kMup, rng, false);
    } else {
      Span span;
      span.start = net.stay_start - static_cast<int32_t>(rng.Range(1, 10));
      span.end =
          net.stay_start + static_cast<int32_t>(labour ? rng.Range(120, 260) : rng.Range(60, 120));
      world.PersonToAddress(LinkType::kStayedAt, ctl, first_address, span, kMup, rng);
    }
    for (const uint32_t v : net.victims) GiveOrdinaryLife(world, v, 0.8, rng);
    for (const uint32_t r : net.recruiters) GiveOrdinaryLife(world, r, 0.5, rng);
    GiveOrdinaryLife(world, ctl, 0.4, rng);
    for (const uint32_t d : net.drivers) GiveOrdinaryLife(world, d, 0.5, rng);

    // Recruitment: calls and messages from the recruiter in the weeks before the move (a job
    // offer is talked through on the phone more than written).
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
      const uint32_t messages =
          static_cast<uint32_t>(labour ? rng.Range(2, 60) : rng.Range(5, 150));
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

    // The stay: arrivals within three weeks (labour: one to three van loads), a few weeks to a
    // few months each (labour: two to eight months).
    arrive.clear();
    leave.clear();
    batch_day.clear();
    if (labour) {
      const int64_t batches = rng.Range(1, std::min<int64_t>(3, net.victims.size()));
      for (int64_t b = 0; b < batches; ++b) {
        batch_day.push_back(net.stay_start + static_cast<int32_t>(rng.Range(0, 21)));
      }
    }
    // With rotation the later half of the victims arrive 3 to 30 days after the first of the
    // earlier half has left the first address.
    const size_t first_wave = net.rotation ? (net.victims.size() + 1) / 2 : net.victims.size();
    int32_t first_departure = std::numeric_limits<int32_t>::max();
    for (size_t k = 0; k < net.victims.size(); ++k) {
      const uint32_t v = net.victims[k];
      Span span;
      if (labour) {
        span.start = batch_day[k % batch_day.size()];
        span.end = span.start + static_cast<int32_t>(rng.Range(60, 240));
      } else {
        span.start = k < first_wave ? net.stay_start + static_cast<int32_t>(rng.Range(0, 21))
                                    : first_departure + static_cast<int32_t>(rng.Range(3, 30));
        span.end = span.start + static_cast<int32_t>(rng.Range(14, 75));
        if (k < first_wave) first_departure = std::min(first_departure, span.end);
      }
      world.PersonToAddress(LinkType::kStayedAt, v, first_address, span, kMup, rng);
      if (net.stay_addresses.size() > 1 && labour) {
        // The workers sleep at the house while they work at the site.
        if (rng.Chance(0.8)) {
          world.PersonToAddress(LinkType::kStayedAt, v, net.stay_addresses[1], span, kMup, rng);
        }
      } else if (net.stay_addresses.size() > 1 && rng.Chance(0.6)) {
        Span next;
        next.start = span.end;
        next.end = span.end + static_cast<int32_t>(rng.Range(10, 40));
        world.PersonToAddress(LinkType::kStayedAt, v, net.stay_addresses[1], next, kMup, rng);
        span.end = next.end;
      }
      arrive.push_back(span.start);
      leave.push_back(span.end);
    }
    if (net.stay_addresses.size() > 1 && !labour && rng.Chance(0.5)) {
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

    BringVictims(world, net, arrive, batch_day, rng);
    for (const uint32_t d : net.drivers) {
      const uint32_t count = static_cast<uint32_t>(rng.Range(5, 50));
      const Span span = world.CallSpan(rng, net.stay_start - 20, net.stay_start + 90, count);
      world.PhoneToPhone(LinkType::kCalled, world.people[d].mobile[0], shared_phone, span, count,
                         World::CallSource(rng), rng);
      if (rng.Chance(labour ? 0.6 : 0.3)) {
        Span span;
        span.start = net.stay_start - static_cast<int32_t>(rng.Range(10, 200));
        world.PersonToPerson(LinkType::kEmploys, ctl, d, span, 1, kMup, rng);
      }
    }

    // Work, payments towards the controller (labour: "debts" for the journey, the bed and the
    // food, taken week by week), and the known victims' way out through a shelter.
    for (size_t k = 0; k < net.victims.size(); ++k) {
      const uint32_t v = net.victims[k];
      Span stay;
      stay.start = arrive[k];
      stay.end = leave[k];
      if (labour && rng.Chance(0.85)) {
        world.PersonToPerson(LinkType::kEmploys, ctl, v, stay, 1,
                             rng.Chance(0.6) ? kMup : kFinancialIntelligence, rng);
      }
      if (rng.Chance(labour ? 0.8 : 0.7)) {
        const uint32_t count = static_cast<uint32_t>(labour ? rng.Range(4, 30) : rng.Range(2, 20));
        world.PersonToPerson(LinkType::kPaid, v, ctl, stay, count, kFinancialIntelligence, rng);
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
    world.WriteNetworkShape(n);
  }
}

}  // namespace trafnet::engine::gen
