// The generator's shared state: a few compact arrays per person, the open output files and the
// helpers that write one row of each file. The phases (places and population, social life,
// planted networks, look-alikes and decoys) live in their own files and all work on one World.
#ifndef TRAFNET_ENGINE_SRC_GENERATE_WORLD_H_
#define TRAFNET_ENGINE_SRC_GENERATE_WORLD_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "generate_phones.h"
#include "generate_random.h"
#include "generate_tables.h"
#include "generate_text.h"
#include "trafnet/engine/generate.h"

namespace trafnet::engine::gen {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr int32_t kNoDate = std::numeric_limits<int32_t>::min();
constexpr uint8_t kNoAgency = 0xFF;

// The dates everything happens in, and the day ages are counted from.
inline const int32_t kWindowStart = DaysFromCivil(2024, 1, 1);
inline const int32_t kWindowEnd = DaysFromCivil(2026, 6, 30);
inline const int32_t kReferenceDay = DaysFromCivil(2025, 1, 1);

enum class CaseStatus : uint8_t { kNone = 0, kVictim, kSuspect, kConvicted, kWitness };

enum class LinkType : uint8_t {
  kUses = 0,
  kLivesAt,
  kStayedAt,
  kCalled,
  kMessaged,
  kKnows,
  kFamily,
  kTraveledWith,
  kPaid,
  kEmploys,
};

enum class Role : uint8_t { kRecruiter = 0, kController, kDriver, kVictim };

// What a planted network exploits its victims for: young women in a flat or hotel, or workers
// (mostly men) at a worksite who owe the controller.
enum class Exploitation : uint8_t { kSexual = 0, kLabour };

// The kinds of innocent pattern listed in decoys.csv (the `kind` column).
enum class DecoyKind : uint8_t {
  kHostel = 0,
  kDormitory,
  kEmploymentAgency,
  kLandlord,
  kVanDriver,
  kSalesCaller,
  kLargeFamily,
  kServiceNumber,
  kCompanyPhone,
};
std::string_view DecoyKindName(DecoyKind kind);

// What the world knows about one person. The row in persons.csv is rendered from this.
struct Person {
  uint32_t seq = 0;       // number in the agency's register, the id's digits
  uint32_t dup_seq = 0;   // the second agency's number, when dup_agency != kNoAgency
  uint32_t home = kNone;  // address index of the household
  int32_t birth = 0;      // days since 1970-01-01
  uint16_t town = 0;
  uint16_t first = 0;  // index into the gender's first-name list
  uint16_t surname = 0;
  NameSet name_set = NameSet::kSerbian;
  Country nationality = Country::kRS;
  uint8_t agency = 0;
  uint8_t dup_agency = kNoAgency;
  char gender = 'F';
  Script script = Script::kLatin;
  CaseStatus status = CaseStatus::kNone;
  bool record_birth = true;  // the primary record states the birth date
  bool record_gender = true;
  bool record_nationality = true;
  bool renter = false;  // shares a rented flat with unrelated flatmates
  PhoneNumber mobile[2] = {0, 0};

  int32_t AgeAt(int32_t day) const { return (day - birth) / 365; }
};

// start/end of a link: dates, optionally with a time of day (seconds), or absent.
struct Span {
  int32_t start = kNoDate;
  int32_t end = kNoDate;
  int32_t start_time = -1;
  int32_t end_time = -1;
};

// Hotels, hostels, dormitories, shelters and businesses: addresses many people pass through.
struct Place {
  uint32_t address = 0;
  uint32_t town = 0;
  PlaceKind kind = PlaceKind::kHotel;
};

struct PlannedNetwork {
  Exploitation exploitation = Exploitation::kSexual;
  uint32_t town = 0;  // where the victims are kept
  int32_t recruit_start = 0;
  int32_t stay_start = 0;
  std::vector<uint32_t> recruiters;
  uint32_t controller = 0;
  std::vector<uint32_t> drivers;
  std::vector<uint32_t> victims;
  std::vector<uint32_t> stay_addresses;  // address indexes; planted flats fill in when written
  std::vector<PlaceKind> stay_kinds;     // parallel to stay_addresses
  bool rotation = false;  // a second wave of victims replaces the first at the first address
};

// An address that exists only for a planted network or a large family, written among the
// household addresses.
struct PlannedFlat {
  uint64_t household_slot = 0;  // written just before this household's address
  uint32_t network = 0;         // with stay_index, when family == kNone
  uint32_t stay_index = 0;
  uint32_t family = kNone;  // index into World::families for a large family's home
  uint32_t town = 0;
  PlaceKind kind = PlaceKind::kResidential;
  bool worksite = false;  // a business named like a building site, farm or plant
};

// A household of six to ten over three or four generations, planted as a decoy: its persons
// come after the planted members in World::people and their rows are slotted among the ordinary
// ones; everything else about them is written by the decoy phase.
struct PlannedFamily {
  uint32_t town = 0;
  uint32_t home = kNone;          // address index, once written
  std::vector<uint32_t> members;  // oldest generation first
};

// One decoy instance: the persons at its centre first, then those involved.
struct Decoy {
  DecoyKind kind = DecoyKind::kHostel;
  std::vector<uint32_t> persons;
};

// A stay at a hostel or dormitory, or a call to a service number, kept so that the decoy phase
// can list the guests or callers who were there at the same time.
struct Visit {
  uint32_t place = 0;  // index into World::places, or the service number's index
  uint32_t person = 0;
  int32_t start = 0;
  int32_t end = 0;
};

class World {
 public:
  World(const GenerateOptions& options, const GenerateProgress& progress);

  Status Open();
  Status Close();
  Status status() const;

  // Reports `fraction` to the callback when it moved on by at least a percent.
  void Progress(double fraction);

  // Rows. Persons and addresses get their ids when written.
  // Second records (drawn from their own stream) are written when their row comes up.
  void WritePerson(uint32_t person, Rng& rng);
  void FlushDuplicatesDue(bool all);
  // A named place takes its name from `names` when given, else from the kind's list.
  uint32_t WriteAddress(uint32_t town, PlaceKind kind, Rng& rng,
                        const std::vector<Spelling>* names = nullptr);
  void WritePhone(PhoneNumber phone, std::string_view kind, Rng& rng);
  void WriteTruth(uint32_t network, uint32_t person, Role role);
  // The network's row in truth_networks.csv: its shape, once its members are known.
  void WriteNetworkShape(uint32_t network);
  // decoys.csv: every recorded decoy with persons, DEC-0001 onwards, each person once per
  // decoy. Returns how many decoys it wrote.
  uint64_t WriteDecoys();

  // Links. `agency` is the source; a person with a second record is referred to by that
  // record now and then when `allow_duplicate`.
  void PersonToPerson(LinkType type, uint32_t from, uint32_t to, const Span& span, uint32_t count,
                      uint8_t agency, Rng& rng, bool allow_duplicate = true);
  void PersonToAddress(LinkType type, uint32_t person, uint32_t address, const Span& span,
                       uint8_t agency, Rng& rng, bool allow_duplicate = true);
  void PersonToPhone(uint32_t person, PhoneNumber phone, const Span& span, uint8_t agency, Rng& rng,
                     bool allow_duplicate = true);
  void PhoneToPhone(LinkType type, PhoneNumber from, PhoneNumber to, const Span& span,
                    uint32_t count, uint8_t agency, Rng& rng);

  // Calls (probability `call`) and messages (`message`) between two persons' mobiles, each with
  // a count up to `max_count` in the observation window.
  void Talk(uint32_t a, uint32_t b, double call, double message, uint32_t max_count, Rng& rng);

  // Planted networks' links are generated before ordinary social life and released one by one
  // at random points of it, so that the row order of links.csv does not set them apart.
  void StartDeferringLinks() { links_csv.StartCapture(); }
  // Spreads the deferred rows over the next `spread` link rows.
  void ScheduleDeferredLinks(uint64_t spread, Rng& rng);
  void ReleaseDeferredLinks();  // writes whatever is still pending

  // Helpers shared by the phases.
  static uint8_t CallSource(Rng& rng) { return rng.Chance(0.75) ? kMup : kBia; }
  uint8_t PickAgency(Rng& rng, uint8_t excluded = kNoAgency) const;
  Script PickScript(uint8_t agency, Rng& rng) const;
  uint32_t PickTown(Rng& rng, bool foreign_too) const;
  // A random ordinary person of `town` (any town when kNone) aged [min_age, max_age], or kNone
  // after a few misses.
  uint32_t FindPerson(uint32_t town, int32_t min_age, int32_t max_age, Rng& rng) const;
  // Starts a decoy instance; its persons are added through the returned index.
  uint32_t AddDecoy(DecoyKind kind) {
    decoys.push_back({kind, {}});
    return static_cast<uint32_t>(decoys.size() - 1);
  }
  Span CallSpan(Rng& rng, int32_t from, int32_t to, uint32_t count) const;
  Country PickNationality(uint32_t town, Rng& rng) const;
  NameSet PickNameSet(Country nationality, uint32_t town, Rng& rng) const;
  void PickFirstName(Person& person, Rng& rng) const;
  void PickSurname(Person& person, Rng& rng) const;
  // Which agency keeps the record, how it spells it, what it leaves out and whether a second
  // agency also has one (probability `duplicate`).
  void PickRecordKeeping(Person& person, double duplicate, Rng& rng) const;
  static int32_t RandomDay(Rng& rng, int32_t from, int32_t to) {
    return static_cast<int32_t>(rng.Range(from, to));
  }

  const GenerateOptions& options;
  const Tables& tables;
  PhoneBook phone_book;

  std::vector<Person> people;  // ordinary persons, planted members, then large families
  uint64_t ordinary = 0;
  uint32_t first_family_person = kNone;  // people index of the first large-family member
  std::vector<Place> places;
  std::vector<PlannedNetwork> networks;
  std::vector<PlannedFamily> families;
  std::vector<PlannedFlat> flats;  // sorted by household_slot
  // Row positions among the ordinary ones of planted members and large families: (ordinary
  // index, person).
  std::vector<std::pair<uint64_t, uint32_t>> planted_rows;
  // Landline of each household, by address index (0 for addresses without one).
  std::vector<PhoneNumber> home_landline;
  // Ordinary persons grouped by town (built by the social phase).
  std::vector<uint32_t> town_begin;
  std::vector<uint32_t> town_members;
  // Decoy instances in the order they arose, and the visits they are later picked from.
  std::vector<Decoy> decoys;
  std::vector<Visit> guest_stays;    // at hostels and dormitories
  std::vector<Visit> service_calls;  // place: index of the service number

  CsvFile persons_csv;
  CsvFile addresses_csv;
  CsvFile phones_csv;
  CsvFile links_csv;
  CsvFile truth_csv;
  CsvFile truth_networks_csv;
  CsvFile decoys_csv;

 private:
  void AppendPersonId(std::string& out, uint8_t agency, uint32_t seq) const;
  void PersonRef(std::string& out, uint32_t person, Rng& rng, bool allow_duplicate);
  void WritePersonRecord(uint32_t person, bool duplicate, Rng& rng);
  void EmitLink(LinkType type, const Span& span, uint32_t count, uint8_t agency);

  GenerateProgress progress_;
  Rng duplicates_rng_;
  double reported_ = -1.0;
  uint32_t agency_next_[kAgencyCount] = {};
  uint32_t agency_weight_total_ = 0;
  std::vector<uint64_t> town_weight_cumulative_;      // all towns
  std::vector<uint64_t> domestic_weight_cumulative_;  // Serbian towns only
  // Second records not yet written: (row count at which to write, person), earliest first.
  std::priority_queue<std::pair<uint64_t, uint32_t>, std::vector<std::pair<uint64_t, uint32_t>>,
                      std::greater<>>
      duplicates_due_;
  std::vector<std::string> deferred_links_;
  std::vector<uint64_t> deferred_slots_;  // links.csv row count at which each is released
  size_t next_deferred_ = 0;
  std::string from_;
  std::string to_;
  std::string decoy_id_;
  std::string text_;
};

// Phases, in the order GenerateWorld runs them.
void WritePlaces(World& world);
void PlanNetworks(World& world);
void PlanDecoys(World& world);
void GeneratePopulation(World& world);
void GroupByTown(World& world);
void GenerateNetworks(World& world);
void GenerateSocialLife(World& world);
void GenerateLookAlikes(World& world);
void GenerateDecoys(World& world);

}  // namespace trafnet::engine::gen

#endif  // TRAFNET_ENGINE_SRC_GENERATE_WORLD_H_
