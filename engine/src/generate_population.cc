// Places and households: the addresses many people pass through, then ordinary persons in
// households of two to five, with their family ties, phones and home address. Planted members'
// person rows and planted flats, and the large families' rows and homes, are slotted in among
// the ordinary ones so that neither the row order nor the id numbers give them away. They are
// written with streams of their own, so that the ordinary population draws the same whatever is
// planted.
#include <algorithm>

#include "generate_world.h"

namespace trafnet::engine::gen {
namespace {

enum class HouseholdKind : uint8_t { kFamily, kElderly, kRoommates };

int32_t BirthForAge(Rng& rng, int32_t age) {
  return kReferenceDay - age * 365 - static_cast<int32_t>(rng.Range(10, 355));
}

// Mobiles (allocated here for ordinary persons, at planning for planted ones), their USES
// links and, for some, a row in phones.csv.
void WritePhonesOf(World& world, uint32_t person, Rng& rng) {
  Person& p = world.people[person];
  if (person < world.ordinary && p.AgeAt(kReferenceDay) >= 12) {
    const Country home = world.tables.towns[p.town].country;
    const bool own_country = p.nationality != Country::kNone && p.nationality != Country::kRS &&
                             (home != Country::kRS || rng.Chance(0.5));
    p.mobile[0] = world.phone_book.NewMobile(own_country ? p.nationality : Country::kRS);
    if (p.AgeAt(kReferenceDay) >= 18 && rng.Chance(0.22)) {
      p.mobile[1] = world.phone_book.NewMobile(home == Country::kRS ? Country::kRS : home);
    }
  }
  for (const PhoneNumber phone : p.mobile) {
    if (phone == 0) continue;
    Span span;
    if (rng.Chance(0.4)) {
      span.start = World::RandomDay(rng, DaysFromCivil(2012, 1, 1), kWindowStart);
    }
    // Planted members' own phones are always under their primary record, which keeps the
    // shared-phone pattern checkable against truth.csv.
    world.PersonToPhone(person, phone, span, World::CallSource(rng), rng,
                        /*allow_duplicate=*/person < world.ordinary);
    if (rng.Chance(0.12)) world.WritePhone(phone, "mobile", rng);
  }
}

// The rows slotted among the households: planted members' and the large families'.
struct SlottedRows {
  explicit SlottedRows(uint64_t seed)
      : planted(seed, Stream::kPlantedRows), family(seed, Stream::kDecoyRows) {}
  Rng planted;
  Rng family;
  size_t next_person = 0;
  size_t next_flat = 0;
};

void WritePlantedRowsDue(World& world, SlottedRows& slotted, uint64_t ordinary_index) {
  while (slotted.next_person < world.planted_rows.size() &&
         world.planted_rows[slotted.next_person].first <= ordinary_index) {
    const uint32_t person = world.planted_rows[slotted.next_person++].second;
    if (person >= world.first_family_person) {
      // The decoy phase gives them phones and everything else.
      world.WritePerson(person, slotted.family);
      continue;
    }
    world.WritePerson(person, slotted.planted);
    WritePhonesOf(world, person, slotted.planted);
  }
}

void WriteFlatsDue(World& world, SlottedRows& slotted, uint64_t household) {
  while (slotted.next_flat < world.flats.size() &&
         world.flats[slotted.next_flat].household_slot <= household) {
    const PlannedFlat& flat = world.flats[slotted.next_flat++];
    if (flat.family != kNone) {
      PlannedFamily& family = world.families[flat.family];
      family.home = world.WriteAddress(flat.town, flat.kind, slotted.family);
      for (const uint32_t member : family.members) world.people[member].home = family.home;
      continue;
    }
    world.networks[flat.network].stay_addresses[flat.stay_index] =
        world.WriteAddress(flat.town, flat.kind, slotted.planted,
                           flat.worksite ? &world.tables.worksite_names : nullptr);
  }
}

// Ages and genders of one household's members, oldest first.
void ShapeHousehold(HouseholdKind kind, uint32_t size, Rng& rng, std::vector<int32_t>& ages,
                    std::vector<char>& genders) {
  ages.clear();
  genders.clear();
  const auto random_gender = [&] {
    return rng.Chance(0.001) ? 'X' : (rng.Chance(0.5) ? 'F' : 'M');
  };
  if (kind == HouseholdKind::kRoommates) {
    for (uint32_t k = 0; k < size; ++k) {
      ages.push_back(static_cast<int32_t>(rng.Range(19, 30)));
      genders.push_back(random_gender());
    }
    return;
  }
  const bool elderly = kind == HouseholdKind::kElderly;
  const int32_t head = static_cast<int32_t>(elderly ? rng.Range(62, 88) : rng.Range(28, 62));
  const char head_gender = rng.Chance(0.5) ? 'F' : 'M';
  ages.push_back(head);
  genders.push_back(head_gender);
  uint32_t adults = 1;
  if (size >= 2 && (elderly || rng.Chance(0.8))) {
    ages.push_back(std::max<int32_t>(20, head + static_cast<int32_t>(rng.Range(-5, 5))));
    genders.push_back(head_gender == 'F' ? 'M' : 'F');
    adults = 2;
  }
  for (uint32_t k = adults; k < size; ++k) {
    ages.push_back(static_cast<int32_t>(rng.Range(0, std::min<int32_t>(head - 20, 35))));
    genders.push_back(random_gender());
  }
}

uint32_t HouseholdSize(HouseholdKind kind, Rng& rng) {
  if (kind == HouseholdKind::kElderly) return 2;
  if (kind == HouseholdKind::kRoommates) return static_cast<uint32_t>(rng.Range(2, 4));
  const uint64_t r = rng.Below(100);
  return r < 25 ? 2 : r < 55 ? 3 : r < 85 ? 4 : 5;
}

CaseStatus OrdinaryStatus(Rng& rng) {
  const uint64_t r = rng.Below(100000);
  if (r < 50) return CaseStatus::kWitness;
  if (r < 80) return CaseStatus::kSuspect;
  if (r < 100) return CaseStatus::kConvicted;
  if (r < 115) return CaseStatus::kVictim;
  return CaseStatus::kNone;
}

}  // namespace

void WritePlaces(World& world) {
  Rng rng(world.options.seed, Stream::kPlaces);
  const uint64_t n = world.ordinary;
  for (uint32_t t = 0; t < world.tables.towns.size(); ++t) {
    const Town& town = world.tables.towns[t];
    const bool domestic = town.country == Country::kRS;
    const uint64_t pop = town.population;
    const auto add = [&](PlaceKind kind, uint64_t count) {
      for (uint64_t k = 0; k < count; ++k) {
        world.places.push_back({world.WriteAddress(t, kind, rng), t, kind});
      }
    };
    // A few per town, more in big towns and big worlds; sized so stays stay modest.
    add(PlaceKind::kHotel, 1 + (domestic ? pop * n / 60'000'000 : 0));
    if (pop >= 100 || town.destination > 0) {
      add(PlaceKind::kHostel, (t == 0 ? 1 : 0) + (domestic ? pop * n / 150'000'000 : 0));
    }
    if (town.university) add(PlaceKind::kDormitory, 1 + pop * n / 400'000'000);
    if (domestic && pop >= 180) add(PlaceKind::kShelter, t == 0 ? 2 : 1);
  }
}

void GeneratePopulation(World& world) {
  Rng rng(world.options.seed, Stream::kPopulation);
  const uint64_t n = world.ordinary;
  std::vector<int32_t> ages;
  std::vector<char> genders;
  SlottedRows slotted(world.options.seed);
  uint64_t household = 0;
  uint64_t next_report = 0;
  for (uint64_t first = 0; first < n; ++household) {
    WriteFlatsDue(world, slotted, household);
    const uint32_t town = world.PickTown(rng, true);
    const uint64_t r = rng.Below(100);
    const HouseholdKind kind = r < 68   ? HouseholdKind::kFamily
                               : r < 86 ? HouseholdKind::kElderly
                                        : HouseholdKind::kRoommates;
    const uint32_t size =
        static_cast<uint32_t>(std::min<uint64_t>(HouseholdSize(kind, rng), n - first));
    const uint32_t address = world.WriteAddress(town, PlaceKind::kResidential, rng);
    const Country nationality = world.PickNationality(town, rng);
    const NameSet name_set = world.PickNameSet(nationality, town, rng);
    ShapeHousehold(kind, size, rng, ages, genders);

    uint16_t surname = 0;
    for (uint32_t k = 0; k < size; ++k) {
      const uint32_t person = static_cast<uint32_t>(first + k);
      WritePlantedRowsDue(world, slotted, person);
      Person& p = world.people[person];
      p.town = static_cast<uint16_t>(town);
      p.home = address;
      p.nationality = nationality;
      p.name_set = name_set;
      p.gender = genders[k];
      p.birth = BirthForAge(rng, ages[k]);
      world.PickFirstName(p, rng);
      if (k == 0 || kind == HouseholdKind::kRoommates) {
        world.PickSurname(p, rng);
        surname = p.surname;
      } else {
        p.surname = surname;
      }
      world.PickRecordKeeping(p, 0.025, rng);
      p.status = OrdinaryStatus(rng);
      // Nobody under 14 is criminally responsible (decided after the draw, which stays the same).
      if (ages[k] < 14 &&
          (p.status == CaseStatus::kSuspect || p.status == CaseStatus::kConvicted)) {
        p.status = CaseStatus::kNone;
      }
      p.renter = kind == HouseholdKind::kRoommates;
      world.WritePerson(person, rng);
      WritePhonesOf(world, person, rng);
      Span lives;
      if (rng.Chance(0.5)) {
        lives.start = World::RandomDay(rng, std::max(p.birth, DaysFromCivil(1995, 1, 1)),
                                       DaysFromCivil(2024, 12, 31));
      }
      world.PersonToAddress(LinkType::kLivesAt, person, address, lives, p.agency, rng);
    }

    // Ties inside the household: family, or flatmates who know each other.
    for (uint32_t a = 0; a < size; ++a) {
      for (uint32_t b = a + 1; b < size; ++b) {
        const uint32_t pa = static_cast<uint32_t>(first + a);
        const uint32_t pb = static_cast<uint32_t>(first + b);
        const LinkType tie =
            kind == HouseholdKind::kRoommates ? LinkType::kKnows : LinkType::kFamily;
        world.PersonToPerson(tie, pa, pb, Span(), 1, rng.Chance(0.4) ? kSocialWork : kMup, rng);
        world.Talk(pa, pb, 0.7, 0.5, 300, rng);
      }
    }
    // A family trip abroad, as the border police records it: everyone crosses together.
    if (kind != HouseholdKind::kRoommates && size >= 2 && rng.Chance(0.08)) {
      Span trip;
      trip.start = trip.end = World::RandomDay(rng, kWindowStart, kWindowEnd);
      trip.start_time = static_cast<int32_t>(rng.Range(0, 80000));
      trip.end_time = trip.start_time + static_cast<int32_t>(rng.Range(600, 6000));
      for (uint32_t k = 1; k < size; ++k) {
        world.PersonToPerson(LinkType::kTraveledWith, static_cast<uint32_t>(first),
                             static_cast<uint32_t>(first + k), trip, 1, kBorderPolice, rng);
      }
    }
    if (kind != HouseholdKind::kRoommates &&
        rng.Chance(kind == HouseholdKind::kElderly ? 0.6 : 0.3)) {
      const PhoneNumber landline = world.phone_book.NewLandline(town);
      world.home_landline[address] = landline;
      world.WritePhone(landline, "landline", rng);
      for (uint32_t k = 0; k < size; ++k) {
        const uint32_t person = static_cast<uint32_t>(first + k);
        if (world.people[person].AgeAt(kReferenceDay) < 18 || !rng.Chance(0.8)) continue;
        world.PersonToPhone(person, landline, Span(), kMup, rng);
        const PhoneNumber mobile = world.people[person].mobile[0];
        if (mobile != 0 && rng.Chance(0.3)) {
          const uint32_t count = rng.SkewedCount(60);
          world.PhoneToPhone(LinkType::kCalled, landline, mobile,
                             world.CallSpan(rng, kWindowStart, kWindowEnd, count), count, kMup,
                             rng);
        }
      }
    }
    first += size;
    if (first >= next_report) {
      world.Progress(0.02 + 0.43 * static_cast<double>(first) / static_cast<double>(n));
      next_report = first + 65536;
    }
  }
  WritePlantedRowsDue(world, slotted, n);
  WriteFlatsDue(world, slotted, UINT64_MAX);
}

}  // namespace trafnet::engine::gen
