// Innocent patterns that resemble pieces of a recruitment network, so that no single link type
// or shape gives the planted networks away: landlords paid by several unrelated young tenants,
// van drivers who travel with many unrelated passengers, and sales callers who phone many young
// people in many towns. (Hostels and dormitories, where unrelated young people from different
// towns stay at the same time, come from the social phase; company phones used by several
// colleagues from the workplaces; the harder decoys from generate_decoys.cc.) Each is recorded
// as a decoy for decoys.csv; recording draws nothing.
#include <algorithm>

#include "generate_world.h"

namespace trafnet::engine::gen {
namespace {

void Landlords(World& world, Rng& rng) {
  std::vector<uint32_t> last_landlord(world.tables.towns.size(), kNone);
  std::vector<uint32_t> landlord_decoy(world.tables.towns.size(), kNone);
  uint64_t i = 0;
  while (i < world.ordinary) {
    if (!world.people[i].renter) {
      ++i;
      continue;
    }
    uint64_t j = i;
    while (j < world.ordinary && world.people[j].renter &&
           world.people[j].home == world.people[i].home) {
      ++j;
    }
    const uint32_t town = world.people[i].town;
    // Landlords often let more than one flat.
    uint32_t landlord = last_landlord[town];
    if (landlord == kNone || rng.Chance(0.7)) landlord = world.FindPerson(town, 40, 80, rng);
    if (landlord != kNone) {
      if (landlord != last_landlord[town]) {
        landlord_decoy[town] = world.AddDecoy(DecoyKind::kLandlord);
        world.decoys[landlord_decoy[town]].persons.push_back(landlord);
      }
      last_landlord[town] = landlord;
      std::vector<uint32_t>& decoy = world.decoys[landlord_decoy[town]].persons;
      const int32_t start = World::RandomDay(rng, kWindowStart - 365, kWindowEnd - 90);
      for (uint64_t k = i; k < j; ++k) {
        const uint32_t tenant = static_cast<uint32_t>(k);
        if (tenant == landlord) continue;
        decoy.push_back(tenant);
        const uint32_t months = static_cast<uint32_t>(rng.Range(3, 24));
        Span rent;
        rent.start = start + static_cast<int32_t>(rng.Range(0, 60));
        rent.end = std::min(kWindowEnd, rent.start + static_cast<int32_t>(months) * 30);
        world.PersonToPerson(LinkType::kPaid, tenant, landlord, rent, months,
                             rng.Chance(0.5) ? kFinancialIntelligence : kMup, rng);
        world.Talk(tenant, landlord, 0.5, 0.3, 20, rng);
      }
    }
    i = j;
  }
}

void VanDrivers(World& world, Rng& rng) {
  const uint64_t drivers = std::max<uint64_t>(2, world.ordinary / 5000);
  for (uint64_t d = 0; d < drivers; ++d) {
    const uint32_t driver = world.FindPerson(kNone, 25, 60, rng);
    if (driver == kNone) continue;
    const uint32_t decoy = world.AddDecoy(DecoyKind::kVanDriver);
    world.decoys[decoy].persons.push_back(driver);
    const int64_t trips = rng.Range(2, 8);
    for (int64_t t = 0; t < trips; ++t) {
      Span trip;
      trip.start = trip.end = World::RandomDay(rng, kWindowStart, kWindowEnd);
      trip.start_time = static_cast<int32_t>(rng.Range(0, 70000));
      trip.end_time = trip.start_time + static_cast<int32_t>(rng.Range(3600, 4 * 3600));
      const int64_t passengers = rng.Range(2, 8);
      for (int64_t k = 0; k < passengers; ++k) {
        const uint32_t passenger = world.FindPerson(kNone, 16, 80, rng);
        if (passenger == kNone || passenger == driver) continue;
        world.decoys[decoy].persons.push_back(passenger);
        world.PersonToPerson(LinkType::kTraveledWith, driver, passenger, trip, 1, kBorderPolice,
                             rng);
        // Seats are booked by phone.
        if (rng.Chance(0.6)) world.Talk(passenger, driver, 1.0, 0.2, 3, rng);
      }
    }
  }
}

void SalesCallers(World& world, Rng& rng) {
  const uint64_t callers = std::max<uint64_t>(2, world.ordinary / 20000);
  for (uint64_t c = 0; c < callers; ++c) {
    const uint32_t caller = world.FindPerson(kNone, 20, 50, rng);
    if (caller == kNone || world.people[caller].mobile[0] == 0) continue;
    const uint32_t decoy = world.AddDecoy(DecoyKind::kSalesCaller);
    world.decoys[decoy].persons.push_back(caller);
    const int64_t targets = rng.Range(20, 60);
    for (int64_t k = 0; k < targets; ++k) {
      const uint32_t target = world.FindPerson(kNone, 16, 35, rng);
      if (target == kNone || target == caller || world.people[target].mobile[0] == 0) continue;
      world.decoys[decoy].persons.push_back(target);
      const uint32_t count = static_cast<uint32_t>(rng.Range(1, 3));
      const Span span = world.CallSpan(rng, kWindowStart, kWindowEnd, count);
      const uint8_t source = World::CallSource(rng);
      world.PhoneToPhone(LinkType::kCalled, world.people[caller].mobile[0],
                         world.people[target].mobile[0], span, count, source, rng);
      if (rng.Chance(0.3)) {
        const Span message = world.CallSpan(rng, kWindowStart, kWindowEnd, 1);
        world.PhoneToPhone(LinkType::kMessaged, world.people[caller].mobile[0],
                           world.people[target].mobile[0], message, 1, source, rng);
      }
    }
  }
}

}  // namespace

void GenerateLookAlikes(World& world) {
  Rng rng(world.options.seed, Stream::kLookAlikes);
  Landlords(world, rng);
  VanDrivers(world, rng);
  SalesCallers(world, rng);
  world.Progress(0.98);
}

}  // namespace trafnet::engine::gen
