// Hard decoys: innocent patterns built to resemble pieces of a recruitment network closely, so
// that detection is measured on more than the easy cases.
//
//  - Large families: six to ten people over three or four generations at one address, all using
//    one landline, tied by FAMILY links, now and then crossing a border together. Many people on
//    one phone and one address is what a controller's flat looks like too.
//  - Employment agencies: an agency number and one or two staff, called and written to by many
//    young people from many towns (a recruiter's shape); a few of the clients really move abroad,
//    each alone, at a different time, to a different place, with no shared phone and no payments.
//  - Landlords with a record: a convicted or suspected person who lets a flat to young tenants
//    from other towns, each staying months and paying rent (victims paying a controller).
//  - Festival crowds: young people from many towns at one hostel in the same few days.
//
// Old case labels sit near decoys: a family's grandfather convicted long ago, a mother with a
// victim status from an old domestic case, an agency clerk or landlord who was once a suspect.
// Large families are planned before the population is written (their rows are slotted among the
// households); everything else, and the crowds at hostels, dormitories and service numbers that
// the social phase recorded, comes in the decoy phase at the end. Both draw from streams of their
// own, so no other phase draws differently because of them.
#include <algorithm>

#include "generate_world.h"

namespace trafnet::engine::gen {
namespace {

int32_t BirthForAge(Rng& rng, int32_t age) {
  return kReferenceDay - age * 365 - static_cast<int32_t>(rng.Range(10, 355));
}

char OtherGender(char gender) { return gender == 'F' ? 'M' : 'F'; }

// One member of a large family; `surname_of` is someone whose surname the member shares.
uint32_t NewRelative(World& world, const PlannedFamily& family, int32_t age, char gender,
                     uint32_t surname_of, Rng& rng) {
  Person p;
  p.town = static_cast<uint16_t>(family.town);
  if (surname_of != kNone) {
    const Person& kin = world.people[surname_of];
    p.nationality = kin.nationality;
    p.name_set = kin.name_set;
    p.surname = kin.surname;
  } else {
    p.nationality = world.PickNationality(family.town, rng);
    p.name_set = world.PickNameSet(p.nationality, family.town, rng);
    world.PickSurname(p, rng);
  }
  p.gender = gender;
  p.birth = BirthForAge(rng, std::max<int32_t>(0, age));
  world.PickFirstName(p, rng);
  world.PickRecordKeeping(p, 0.025, rng);
  world.people.push_back(p);
  return static_cast<uint32_t>(world.people.size() - 1);
}

// Grandparents, their grown children (some married, sons' wives taking the family name, a
// daughter's husband bringing his), and grandchildren, up to `size` people; now and then a
// great-grandchild.
void ShapeFamily(World& world, PlannedFamily& family, uint32_t size, Rng& rng) {
  const auto add = [&](uint32_t person) { family.members.push_back(person); };
  const auto age_of = [&](uint32_t person) { return world.people[person].AgeAt(kReferenceDay); };
  const int32_t head_age = static_cast<int32_t>(rng.Range(64, 88));
  const uint32_t head =
      NewRelative(world, family, head_age, rng.Chance(0.6) ? 'M' : 'F', kNone, rng);
  add(head);
  if (rng.Chance(0.8)) {
    const int32_t age = head_age + static_cast<int32_t>(rng.Range(-5, 4));
    add(NewRelative(world, family, age, OtherGender(world.people[head].gender), head, rng));
  }
  // Couples of the middle generation: (parent of the family line, the parent whose surname the
  // children carry).
  std::vector<std::pair<uint32_t, uint32_t>> couples;
  const int64_t children = rng.Range(1, 3);
  // Room is kept for at least two grandchildren.
  for (int64_t c = 0; c < children && family.members.size() + 3 <= size; ++c) {
    const int32_t age = head_age - static_cast<int32_t>(rng.Range(22, 34));
    const char gender = rng.Chance(0.5) ? 'M' : 'F';
    if (gender == 'F' && rng.Chance(0.3) && family.members.size() + 4 <= size) {
      // A married daughter whose husband moved in: their branch carries his surname.
      const uint32_t husband =
          NewRelative(world, family, age + static_cast<int32_t>(rng.Range(-2, 5)), 'M', kNone, rng);
      const uint32_t daughter = NewRelative(world, family, age, 'F', husband, rng);
      add(daughter);
      add(husband);
      couples.emplace_back(daughter, husband);
      continue;
    }
    const uint32_t child = NewRelative(world, family, age, gender, head, rng);
    add(child);
    if (family.members.size() + 3 <= size && rng.Chance(0.75)) {
      const int32_t spouse_age = age + static_cast<int32_t>(rng.Range(-4, 4));
      // A spouse marrying in takes the family name when she is the wife.
      const uint32_t spouse = NewRelative(world, family, spouse_age, OtherGender(gender),
                                          gender == 'M' ? head : kNone, rng);
      add(spouse);
      couples.emplace_back(child, gender == 'M' ? child : spouse);
    } else {
      couples.emplace_back(child, child);
    }
  }
  for (size_t k = 0; family.members.size() < size; ++k) {
    const auto [parent, name_giver] = couples[k % couples.size()];
    const int32_t oldest = std::min<int32_t>(age_of(parent) - 19, 32);
    const int32_t age = static_cast<int32_t>(rng.Range(0, std::max<int32_t>(0, oldest)));
    const uint32_t grandchild =
        NewRelative(world, family, age, rng.Chance(0.5) ? 'M' : 'F', name_giver, rng);
    add(grandchild);
    if (age >= 20 && family.members.size() < size && rng.Chance(0.3)) {
      add(NewRelative(world, family, static_cast<int32_t>(rng.Range(0, 3)),
                      rng.Chance(0.5) ? 'M' : 'F', grandchild, rng));
    }
  }
}

// Old, unrelated cases: the eldest's conviction, a mother's domestic-violence case, a grandson
// once suspected of something.
void GiveOldCases(World& world, const PlannedFamily& family, Rng& rng) {
  if (rng.Chance(0.3)) world.people[family.members[0]].status = CaseStatus::kConvicted;
  for (const uint32_t member : family.members) {
    Person& p = world.people[member];
    const int32_t age = p.AgeAt(kReferenceDay);
    if (p.gender == 'F' && age >= 30 && age < 64 && rng.Chance(0.08)) {
      p.status = CaseStatus::kVictim;
    }
    if (p.gender == 'M' && age >= 18 && age < 30 && rng.Chance(0.08)) {
      p.status = CaseStatus::kSuspect;
    }
  }
}

// The large families' links: home, phones, family ties, friends, a trip abroad.
void LargeFamilyLives(World& world, Rng& rng) {
  for (const PlannedFamily& family : world.families) {
    if (family.home == kNone) continue;
    const uint32_t decoy = world.AddDecoy(DecoyKind::kLargeFamily);
    const Country country = world.tables.towns[family.town].country;
    const PhoneNumber landline = world.phone_book.NewLandline(family.town);
    world.home_landline[family.home] = landline;
    world.WritePhone(landline, "landline", rng);
    for (const uint32_t member : family.members) {
      world.decoys[decoy].persons.push_back(member);
      Person& p = world.people[member];
      const int32_t age = p.AgeAt(kReferenceDay);
      Span lives;
      if (rng.Chance(0.5)) {
        lives.start = World::RandomDay(rng, std::max(p.birth, DaysFromCivil(1985, 1, 1)),
                                       DaysFromCivil(2024, 12, 31));
      }
      world.PersonToAddress(LinkType::kLivesAt, member, family.home, lives, p.agency, rng);
      if (age >= 12) {
        const bool own_country = p.nationality != Country::kNone && p.nationality != Country::kRS &&
                                 (country != Country::kRS || rng.Chance(0.5));
        p.mobile[0] = world.phone_book.NewMobile(own_country ? p.nationality : Country::kRS);
        if (age >= 18 && rng.Chance(0.15)) p.mobile[1] = world.phone_book.NewMobile(country);
      }
      for (const PhoneNumber phone : p.mobile) {
        if (phone == 0) continue;
        world.PersonToPhone(member, phone, Span(), World::CallSource(rng), rng);
        if (rng.Chance(0.12)) world.WritePhone(phone, "mobile", rng);
      }
      // Everyone in the house answers the one landline.
      Span uses;
      if (rng.Chance(0.3)) uses.start = std::max(p.birth, DaysFromCivil(2010, 1, 1));
      world.PersonToPhone(member, landline, uses, rng.Chance(0.8) ? kMup : kSocialWork, rng);
      if (p.mobile[0] != 0 && rng.Chance(0.4)) {
        const uint32_t count = rng.SkewedCount(60);
        world.PhoneToPhone(LinkType::kCalled, landline, p.mobile[0],
                           world.CallSpan(rng, kWindowStart, kWindowEnd, count), count, kMup, rng);
      }
      if (age >= 14) {
        const int64_t friends = rng.Range(1, 3);
        uint32_t chosen[3] = {kNone, kNone, kNone};
        for (int64_t f = 0; f < friends; ++f) {
          const uint32_t other = world.FindPerson(family.town, age - 10, age + 10, rng);
          if (other == kNone || std::find(chosen, chosen + 3, other) != chosen + 3) continue;
          chosen[f] = other;
          world.PersonToPerson(LinkType::kKnows, member, other, Span(), 1, kMup, rng);
          world.Talk(member, other, 0.55, 0.45, 120, rng);
        }
      }
    }
    for (size_t a = 0; a < family.members.size(); ++a) {
      for (size_t b = a + 1; b < family.members.size(); ++b) {
        world.PersonToPerson(LinkType::kFamily, family.members[a], family.members[b], Span(), 1,
                             rng.Chance(0.4) ? kSocialWork : kMup, rng);
        world.Talk(family.members[a], family.members[b], 0.6, 0.4, 300, rng);
      }
    }
    // A summer at the seaside: the driver of the family car crosses with everyone.
    if (rng.Chance(0.3)) {
      Span trip;
      trip.start = trip.end = World::RandomDay(rng, kWindowStart, kWindowEnd);
      trip.start_time = static_cast<int32_t>(rng.Range(0, 80000));
      trip.end_time = trip.start_time + static_cast<int32_t>(rng.Range(600, 6000));
      const uint32_t driver = family.members[family.members.size() > 2 ? 2 : 0];
      for (const uint32_t member : family.members) {
        if (member == driver || !rng.Chance(0.8)) continue;
        world.PersonToPerson(LinkType::kTraveledWith, driver, member, trip, 1, kBorderPolice, rng);
      }
    }
  }
}

// Ordinary persons with an old case of their own (suspect or convicted), in index order.
std::vector<uint32_t> OnRecord(const World& world) {
  std::vector<uint32_t> out;
  for (uint64_t i = 0; i < world.ordinary; ++i) {
    const CaseStatus status = world.people[i].status;
    if (status == CaseStatus::kSuspect || status == CaseStatus::kConvicted) {
      out.push_back(static_cast<uint32_t>(i));
    }
  }
  return out;
}

// Takes a random person aged [min_age, max_age] out of `pool`, or kNone when there is none.
uint32_t TakeFrom(const World& world, std::vector<uint32_t>& pool, int32_t min_age, int32_t max_age,
                  Rng& rng) {
  std::vector<size_t> fitting;
  for (size_t k = 0; k < pool.size(); ++k) {
    const int32_t age = world.people[pool[k]].AgeAt(kReferenceDay);
    if (age >= min_age && age <= max_age) fitting.push_back(k);
  }
  if (fitting.empty()) return kNone;
  const size_t k = fitting[rng.Below(fitting.size())];
  const uint32_t person = pool[k];
  pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(k));
  return person;
}

void EmploymentAgencies(World& world, std::vector<uint32_t>& on_record, Rng& rng) {
  std::vector<uint32_t> foreign;
  for (uint32_t t = 0; t < world.tables.towns.size(); ++t) {
    if (world.tables.towns[t].country != Country::kRS) foreign.push_back(t);
  }
  const uint64_t agencies = std::max<uint64_t>(1, world.ordinary / 10000);
  for (uint64_t a = 0; a < agencies; ++a) {
    const uint32_t town = world.PickTown(rng, false);
    const uint32_t owner = world.FindPerson(town, 35, 65, rng);
    if (owner == kNone) continue;
    const uint32_t decoy = world.AddDecoy(DecoyKind::kEmploymentAgency);
    world.decoys[decoy].persons.push_back(owner);
    const PhoneNumber number = world.phone_book.NewLandline(town);
    world.WritePhone(number, "landline", rng);
    Span since;
    since.start = World::RandomDay(rng, DaysFromCivil(2012, 1, 1), kWindowStart);
    world.PersonToPhone(owner, number, since, kMup, rng);

    // The staff who talk to the clients; the first agency's clerk once had a case of his own.
    std::vector<uint32_t> staff;
    const int64_t clerks = rng.Range(1, 2);
    for (int64_t c = 0; c < clerks; ++c) {
      uint32_t clerk = a == 0 && c == 0 ? TakeFrom(world, on_record, 22, 65, rng) : kNone;
      if (clerk == kNone) clerk = world.FindPerson(town, 22, 45, rng);
      if (clerk == kNone || clerk == owner || world.people[clerk].mobile[0] == 0) continue;
      staff.push_back(clerk);
      world.decoys[decoy].persons.push_back(clerk);
      Span hired;
      hired.start = World::RandomDay(rng, DaysFromCivil(2015, 1, 1), kWindowStart);
      world.PersonToPerson(LinkType::kEmploys, owner, clerk, hired, 1,
                           rng.Chance(0.6) ? kMup : kFinancialIntelligence, rng);
      world.PersonToPhone(clerk, number, hired, kMup, rng);
    }

    const int64_t clients = rng.Range(20, 45);
    const int64_t movers = std::min<int64_t>(rng.Range(3, 6), static_cast<int64_t>(foreign.size()));
    const size_t first_place = rng.Below(foreign.size());
    int64_t moved = 0;
    std::vector<int32_t> departures;
    for (int64_t k = 0; k < clients; ++k) {
      const uint32_t client = world.FindPerson(kNone, 18, 35, rng);
      const std::vector<uint32_t>& listed = world.decoys[decoy].persons;  // owner, staff, clients
      if (client == kNone || world.people[client].mobile[0] == 0 ||
          std::find(listed.begin(), listed.end(), client) != listed.end()) {
        continue;
      }
      world.decoys[decoy].persons.push_back(client);
      const PhoneNumber mobile = world.people[client].mobile[0];
      const int32_t contact = World::RandomDay(rng, kWindowStart, kWindowEnd - 200);
      Span calls;
      calls.start = contact;
      calls.end = contact + static_cast<int32_t>(rng.Range(0, 30));
      world.PhoneToPhone(LinkType::kCalled, mobile, number, calls,
                         static_cast<uint32_t>(rng.Range(1, 6)), World::CallSource(rng), rng);
      if (!staff.empty() && rng.Chance(0.7)) {
        const uint32_t clerk = staff[static_cast<size_t>(k) % staff.size()];
        const PhoneNumber clerk_phone = world.people[clerk].mobile[0];
        Span talk;
        talk.start = contact;
        talk.end = contact + static_cast<int32_t>(rng.Range(7, 60));
        const uint8_t source = World::CallSource(rng);
        world.PhoneToPhone(LinkType::kCalled, clerk_phone, mobile, talk,
                           static_cast<uint32_t>(rng.Range(1, 10)), source, rng);
        const bool client_writes = rng.Chance(0.5);
        world.PhoneToPhone(LinkType::kMessaged, client_writes ? mobile : clerk_phone,
                           client_writes ? clerk_phone : mobile, talk,
                           static_cast<uint32_t>(rng.Range(2, 30)), source, rng);
        if (rng.Chance(0.1))
          world.PersonToPerson(LinkType::kKnows, clerk, client, talk, 1, kMup, rng);
      }
      // Selection sampling: exactly `movers` of the clients (when there are enough) take a job
      // abroad, each in another town, by themselves.
      if (moved < movers &&
          static_cast<int64_t>(rng.Below(static_cast<uint64_t>(clients - k))) < movers - moved) {
        const uint32_t abroad =
            foreign[(first_place + static_cast<size_t>(moved)) % foreign.size()];
        const bool worksite = rng.Chance(0.5);
        const uint32_t address =
            world.WriteAddress(abroad, worksite ? PlaceKind::kBusiness : PlaceKind::kResidential,
                               rng, worksite ? &world.tables.worksite_names : nullptr);
        Span stay;
        stay.start = contact + static_cast<int32_t>(rng.Range(30, 120));
        // Each leaves on a day of their own, a week or more from any other's.
        while (std::any_of(departures.begin(), departures.end(), [&](int32_t day) {
          return day > stay.start - 7 && day < stay.start + 7;
        })) {
          stay.start += 7;
        }
        departures.push_back(stay.start);
        stay.end = std::min(kWindowEnd, stay.start + static_cast<int32_t>(rng.Range(60, 300)));
        world.PersonToAddress(LinkType::kStayedAt, client, address, stay, kMup, rng);
        ++moved;
      }
    }
  }
}

void LandlordsOnRecord(World& world, std::vector<uint32_t>& on_record, Rng& rng) {
  const uint64_t landlords = std::max<uint64_t>(1, world.ordinary / 20000);
  for (uint64_t l = 0; l < landlords; ++l) {
    uint32_t landlord = TakeFrom(world, on_record, 35, 80, rng);
    if (landlord == kNone) landlord = world.FindPerson(kNone, 40, 80, rng);
    if (landlord == kNone) continue;
    const uint32_t town = world.people[landlord].town;
    const uint32_t decoy = world.AddDecoy(DecoyKind::kLandlord);
    world.decoys[decoy].persons.push_back(landlord);
    const uint32_t flat = world.WriteAddress(town, PlaceKind::kResidential, rng);
    const int64_t tenants = rng.Range(2, 5);
    for (int64_t t = 0; t < tenants; ++t) {
      uint32_t tenant = kNone;
      for (int attempt = 0; attempt < 5 && tenant == kNone; ++attempt) {
        tenant = world.FindPerson(kNone, 19, 30, rng);
        if (tenant != kNone && world.people[tenant].town == town) tenant = kNone;
      }
      const std::vector<uint32_t>& listed = world.decoys[decoy].persons;
      if (tenant == kNone || std::find(listed.begin(), listed.end(), tenant) != listed.end()) {
        continue;
      }
      world.decoys[decoy].persons.push_back(tenant);
      // Students and young workers from out of town, each on their own lease.
      const uint32_t months = static_cast<uint32_t>(rng.Range(3, 10));
      Span lease;
      lease.start = World::RandomDay(rng, kWindowStart, kWindowEnd - 120);
      lease.end = std::min(kWindowEnd, lease.start + static_cast<int32_t>(months) * 30);
      world.PersonToAddress(LinkType::kStayedAt, tenant, flat, lease, kMup, rng);
      world.PersonToPerson(LinkType::kPaid, tenant, landlord, lease, months,
                           rng.Chance(0.5) ? kFinancialIntelligence : kMup, rng);
      world.Talk(tenant, landlord, 0.6, 0.3, 20, rng);
    }
  }
}

// A festival weekend: young people from all over at one hostel within a few days.
void FestivalCrowds(World& world, Rng& rng) {
  std::vector<uint32_t> hostels;
  for (uint32_t k = 0; k < world.places.size(); ++k) {
    if (world.places[k].kind == PlaceKind::kHostel) hostels.push_back(k);
  }
  if (hostels.empty()) return;
  const uint64_t crowds = std::max<uint64_t>(1, world.ordinary / 20000);
  for (uint64_t c = 0; c < crowds; ++c) {
    const uint32_t place = hostels[rng.Below(hostels.size())];
    const int32_t day = World::RandomDay(rng, kWindowStart + 3, kWindowEnd - 10);
    const int64_t guests = rng.Range(6, 15);
    std::vector<uint32_t> crowd;
    for (int64_t g = 0; g < guests; ++g) {
      const uint32_t guest = world.FindPerson(kNone, 18, 30, rng);
      if (guest == kNone || std::find(crowd.begin(), crowd.end(), guest) != crowd.end()) continue;
      crowd.push_back(guest);
      Span stay;
      stay.start = day + static_cast<int32_t>(rng.Range(-2, 1));
      stay.end = stay.start + static_cast<int32_t>(rng.Range(2, 5));
      world.PersonToAddress(LinkType::kStayedAt, guest, world.places[place].address, stay, kMup,
                            rng);
      world.guest_stays.push_back({place, guest, stay.start, stay.end});
    }
  }
}

// For each place (or service number) of `visits`: the busiest `window` days and, as one decoy,
// up to kCrowdSize of the visitors there then. `kind_of` names the decoy kind of a place.
template <typename KindOf>
void Crowds(World& world, std::vector<Visit>& visits, int32_t window, KindOf kind_of) {
  constexpr size_t kCrowdSize = 30;
  std::sort(visits.begin(), visits.end(), [](const Visit& a, const Visit& b) {
    if (a.place != b.place) return a.place < b.place;
    if (a.start != b.start) return a.start < b.start;
    return a.person < b.person;
  });
  std::vector<int32_t> active;
  for (size_t begin = 0; begin < visits.size();) {
    size_t end = begin;
    int32_t first = visits[begin].start;
    int32_t last = visits[begin].end;
    while (end < visits.size() && visits[end].place == visits[begin].place) {
      last = std::max(last, visits[end].end);
      ++end;
    }
    // A visit overlaps the window [d, d + window) when d lies in [start - window + 1, end].
    first -= window - 1;
    active.assign(static_cast<size_t>(last - first) + 2, 0);
    for (size_t k = begin; k < end; ++k) {
      ++active[static_cast<size_t>(visits[k].start - window + 1 - first)];
      --active[static_cast<size_t>(visits[k].end - first) + 1];
    }
    int32_t best_day = first;
    int32_t best = 0;
    int32_t running = 0;
    for (size_t d = 0; d + 1 < active.size(); ++d) {
      running += active[d];
      if (running > best) {
        best = running;
        best_day = first + static_cast<int32_t>(d);
      }
    }
    if (best >= 2) {
      const uint32_t decoy = world.AddDecoy(kind_of(visits[begin].place));
      std::vector<uint32_t>& persons = world.decoys[decoy].persons;
      for (size_t k = begin; k < end && persons.size() < kCrowdSize; ++k) {
        if (visits[k].start < best_day + window && visits[k].end >= best_day) {
          persons.push_back(visits[k].person);
        }
      }
    }
    begin = end;
  }
  std::vector<Visit>().swap(visits);
}

}  // namespace

void PlanDecoys(World& world) {
  Rng rng(world.options.seed, Stream::kDecoyPlan);
  world.first_family_person = static_cast<uint32_t>(world.people.size());
  const uint64_t households = world.ordinary * 10 / 34 + 1;
  const uint64_t families = std::max<uint64_t>(1, world.ordinary / 2500);
  for (uint64_t f = 0; f < families; ++f) {
    PlannedFamily family;
    family.town = world.PickTown(rng, false);
    ShapeFamily(world, family, static_cast<uint32_t>(rng.Range(6, 10)), rng);
    GiveOldCases(world, family, rng);
    // One slot for the whole household, as ordinary households are written together.
    const uint64_t slot = rng.Below(world.ordinary + 1);
    for (const uint32_t member : family.members) world.planted_rows.emplace_back(slot, member);
    world.flats.push_back({rng.Below(households), 0, 0, static_cast<uint32_t>(f), family.town,
                           PlaceKind::kResidential, false});
    world.families.push_back(std::move(family));
  }
  std::sort(world.planted_rows.begin(), world.planted_rows.end());
  std::stable_sort(world.flats.begin(), world.flats.end(),
                   [](const PlannedFlat& a, const PlannedFlat& b) {
                     return a.household_slot < b.household_slot;
                   });
}

void GenerateDecoys(World& world) {
  Rng rng(world.options.seed, Stream::kDecoys);
  LargeFamilyLives(world, rng);
  std::vector<uint32_t> on_record = OnRecord(world);
  EmploymentAgencies(world, on_record, rng);
  LandlordsOnRecord(world, on_record, rng);
  FestivalCrowds(world, rng);
  Crowds(world, world.guest_stays, 7, [&](uint32_t place) {
    return world.places[place].kind == PlaceKind::kHostel ? DecoyKind::kHostel
                                                          : DecoyKind::kDormitory;
  });
  Crowds(world, world.service_calls, 30, [](uint32_t) { return DecoyKind::kServiceNumber; });
  world.Progress(0.99);
}

}  // namespace trafnet::engine::gen
