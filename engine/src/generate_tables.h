// Fixed tables behind the synthetic world: countries and their numbering plans, towns, name
// lists per naming tradition, streets, named places and the agencies that keep records.
//
// Names and streets are stored once in Serbian Latin with diacritics; every other spelling an
// agency might use (Cyrillic, ASCII without diacritics, upper case) is derived when the tables
// are built, so a row only concatenates prepared strings.
#ifndef TRAFNET_ENGINE_SRC_GENERATE_TABLES_H_
#define TRAFNET_ENGINE_SRC_GENERATE_TABLES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trafnet::engine::gen {

enum class Country : uint8_t { kNone = 0, kRS, kBA, kME, kMK, kBG, kRO, kAL, kUA, kCount };

enum class NameSet : uint8_t {
  kSerbian = 0,
  kBosniak,
  kMacedonian,
  kBulgarian,
  kRomanian,
  kAlbanian,
  kUkrainian,
  kCount
};

// How one record spells a name or an address.
enum class Script : uint8_t { kLatin = 0, kCyrillic, kAscii, kUpper, kUpperAscii, kCount };

// How one row writes a phone number: "064/123-4567", "064 123 4567", "+381 64 1234567",
// "00381641234567", "0641234567", "+381641234567". Foreign numbers only get the
// international forms.
enum class PhoneStyle : uint8_t {
  kSlashDash = 0,
  kSpaced,
  kIntlSpaced,
  kDoubleZero,
  kNational,
  kIntl,
  kCount
};

// Numbering plans follow libphonenumber's metadata (8.12, as shipped by Debian 12), so every
// number the generator allocates is valid for it; see generate_phones.h for the few invalid
// mentions written on purpose.
struct CountryInfo {
  std::string_view iso;  // ISO 3166 alpha-2
  uint32_t calling_code;
  std::vector<uint32_t> mobile_prefixes;  // national destination codes of mobile networks
  uint8_t mobile_subscriber_digits;       // digits after the prefix
  std::string_view mobile_leads;          // digits a mobile subscriber number may start with
  NameSet name_set;
};

// A landline area: its code, how many digits follow it and which digits a subscriber number
// may start with (ranges outside these are unassigned, so not valid numbers).
struct AreaPlan {
  Country country;
  std::string_view code;  // national destination code without the trunk 0
  uint8_t subscriber_digits;
  std::string_view leads;
};

struct Town {
  std::string_view name;  // Serbian Latin, as Serbian agencies write it
  Country country;
  uint32_t population;    // thousands; where ordinary households live
  std::string_view area;  // landline area code without the trunk 0; listed in Tables::areas
  bool university;        // has student dormitories
  uint32_t destination;   // weight as the place a planted network operates from
};

// Every spelling of one name, street or town.
struct Spelling {
  std::string latin;     // with diacritics
  std::string cyrillic;  // empty when the text has no Serbian Cyrillic form
  std::string ascii;
  std::string upper;
  std::string upper_ascii;

  const std::string& In(Script script) const;
};

struct NameTable {
  std::vector<Spelling> female;
  std::vector<Spelling> male;
  std::vector<Spelling> surname_male;
  std::vector<Spelling> surname_female;
};

struct Agency {
  std::string_view name;       // the `source` column
  std::string_view id_prefix;  // "MUP-P" -> "MUP-P0000123"
  int id_width;
  uint32_t weight;                                           // share of primary records
  uint32_t script_weight[static_cast<int>(Script::kCount)];  // how its clerks spell names
  PhoneStyle phone_style;                                    // how its clerks write numbers
};

enum class PlaceKind : uint8_t {
  kResidential = 0,
  kHostel,
  kDormitory,
  kHotel,
  kShelter,
  kBusiness
};
std::string_view PlaceKindName(PlaceKind kind);

// Agency indexes, in the order of Tables::agencies.
enum AgencyIndex : uint8_t {
  kMup = 0,
  kBia,
  kBorderPolice,
  kSocialWork,
  kProsecutor,
  kAstra,
  kFinancialIntelligence,
  kAgencyCount
};

class Tables {
 public:
  // Built once, on first use; read-only afterwards (safe to share between threads).
  static const Tables& Get();

  const CountryInfo& country(Country c) const { return countries[static_cast<int>(c)]; }
  const NameTable& names(NameSet set) const { return name_tables[static_cast<int>(set)]; }

  std::vector<CountryInfo> countries;  // indexed by Country
  std::vector<Town> towns;
  std::vector<AreaPlan> areas;                     // every town's landline area, once
  std::vector<Spelling> town_names;                // parallel to towns
  std::vector<NameTable> name_tables;              // indexed by NameSet
  std::vector<std::vector<Spelling>> streets;      // indexed by Country
  std::vector<std::vector<Spelling>> place_names;  // indexed by PlaceKind (kResidential empty)
  std::vector<Spelling> worksite_names;            // businesses where labour is exploited
  std::vector<Agency> agencies;                    // indexed by AgencyIndex

 private:
  Tables();
};

}  // namespace trafnet::engine::gen

#endif  // TRAFNET_ENGINE_SRC_GENERATE_TABLES_H_
