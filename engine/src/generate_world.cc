#include "generate_world.h"

#include <algorithm>
#include <system_error>

namespace trafnet::engine::gen {
namespace {

constexpr std::string_view kPersonsHeader = "id,name,birth_date,gender,nationality,status,source";
constexpr std::string_view kAddressesHeader = "id,text,city,country,kind";
constexpr std::string_view kPhonesHeader = "number,country,kind";
constexpr std::string_view kLinksHeader = "from,to,type,start,end,count,source";
constexpr std::string_view kTruthHeader = "network,person_id,role";
constexpr std::string_view kTruthNetworksHeader =
    "network,exploitation,destination,known_victim,rotation";
constexpr std::string_view kDecoysHeader = "decoy,person_id,kind";

std::string_view LinkTypeName(LinkType type) {
  switch (type) {
    case LinkType::kUses:
      return "USES";
    case LinkType::kLivesAt:
      return "LIVES_AT";
    case LinkType::kStayedAt:
      return "STAYED_AT";
    case LinkType::kCalled:
      return "CALLED";
    case LinkType::kMessaged:
      return "MESSAGED";
    case LinkType::kKnows:
      return "KNOWS";
    case LinkType::kFamily:
      return "FAMILY";
    case LinkType::kTraveledWith:
      return "TRAVELED_WITH";
    case LinkType::kPaid:
      return "PAID";
    case LinkType::kEmploys:
      return "EMPLOYS";
  }
  return "KNOWS";
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kRecruiter:
      return "recruiter";
    case Role::kController:
      return "controller";
    case Role::kDriver:
      return "driver";
    case Role::kVictim:
      return "victim";
  }
  return "victim";
}

std::string_view CaseStatusName(CaseStatus status) {
  switch (status) {
    case CaseStatus::kNone:
      return "";
    case CaseStatus::kVictim:
      return "victim";
    case CaseStatus::kSuspect:
      return "suspect";
    case CaseStatus::kConvicted:
      return "convicted";
    case CaseStatus::kWitness:
      return "witness";
  }
  return "";
}

uint32_t PickCumulative(const std::vector<uint64_t>& cumulative, Rng& rng) {
  const uint64_t r = rng.Below(cumulative.back());
  uint32_t lo = 0;
  uint32_t hi = static_cast<uint32_t>(cumulative.size() - 1);
  while (lo < hi) {
    const uint32_t mid = (lo + hi) / 2;
    if (cumulative[mid] > r) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

// Writes one mention of a number: almost always as it is, now and then cut short on purpose
// (the generator's only invalid numbers; see kTruncatedMentionShare).
void AppendMention(std::string& out, PhoneNumber phone, PhoneStyle style, Rng& rng) {
  if (rng.Chance(kTruncatedMentionShare)) {
    AppendTruncatedPhone(out, phone, style);
  } else {
    AppendPhone(out, phone, style);
  }
}

void AppendNetworkId(std::string& out, uint32_t network) {
  out.assign("NET-");
  AppendUint(out, network + 1, 3);
}

}  // namespace

std::string_view DecoyKindName(DecoyKind kind) {
  switch (kind) {
    case DecoyKind::kHostel:
      return "hostel";
    case DecoyKind::kDormitory:
      return "dormitory";
    case DecoyKind::kEmploymentAgency:
      return "employment_agency";
    case DecoyKind::kLandlord:
      return "landlord";
    case DecoyKind::kVanDriver:
      return "van_driver";
    case DecoyKind::kSalesCaller:
      return "sales_caller";
    case DecoyKind::kLargeFamily:
      return "large_family";
    case DecoyKind::kServiceNumber:
      return "service_number";
    case DecoyKind::kCompanyPhone:
      return "company_phone";
  }
  return "hostel";
}

World::World(const GenerateOptions& opts, const GenerateProgress& progress)
    : options(opts),
      tables(Tables::Get()),
      phone_book(opts.seed),
      progress_(progress),
      duplicates_rng_(opts.seed, Stream::kDuplicateRecords) {
  for (const Agency& agency : tables.agencies) agency_weight_total_ += agency.weight;
  uint64_t all = 0;
  uint64_t domestic = 0;
  for (const Town& town : tables.towns) {
    all += town.population;
    if (town.country == Country::kRS) domestic += town.population;
    town_weight_cumulative_.push_back(all);
    domestic_weight_cumulative_.push_back(domestic);
  }
  // Register numbers start somewhere in the middle, as in any long-running register.
  Rng rng(opts.seed, Stream::kRegisters);
  for (uint32_t& next : agency_next_) next = static_cast<uint32_t>(rng.Range(1000, 40000));
}

Status World::Open() {
  std::error_code error;
  std::filesystem::create_directories(options.out_dir, error);
  if (error) {
    return IoError("cannot create directory " + options.out_dir.string() + ": " + error.message());
  }
  TRAFNET_RETURN_IF_ERROR(persons_csv.Open(options.out_dir / "persons.csv", kPersonsHeader));
  TRAFNET_RETURN_IF_ERROR(addresses_csv.Open(options.out_dir / "addresses.csv", kAddressesHeader));
  TRAFNET_RETURN_IF_ERROR(phones_csv.Open(options.out_dir / "phones.csv", kPhonesHeader));
  TRAFNET_RETURN_IF_ERROR(links_csv.Open(options.out_dir / "links.csv", kLinksHeader));
  TRAFNET_RETURN_IF_ERROR(truth_csv.Open(options.out_dir / "truth.csv", kTruthHeader));
  TRAFNET_RETURN_IF_ERROR(
      truth_networks_csv.Open(options.out_dir / "truth_networks.csv", kTruthNetworksHeader));
  TRAFNET_RETURN_IF_ERROR(decoys_csv.Open(options.out_dir / "decoys.csv", kDecoysHeader));
  return Status::Ok();
}

Status World::Close() {
  // Close every file even after a failure, then report the first error.
  Status first;
  for (CsvFile* file : {&persons_csv, &addresses_csv, &phones_csv, &links_csv, &truth_csv,
                        &truth_networks_csv, &decoys_csv}) {
    Status s = file->Close();
    if (first.ok() && !s.ok()) first = std::move(s);
  }
  return first;
}

Status World::status() const {
  for (const CsvFile* file : {&persons_csv, &addresses_csv, &phones_csv, &links_csv, &truth_csv,
                              &truth_networks_csv, &decoys_csv}) {
    if (!file->status().ok()) return file->status();
  }
  return Status::Ok();
}

void World::Progress(double fraction) {
  if (!progress_) return;
  if (fraction < reported_ + 0.01 && fraction < 1.0) return;
  reported_ = fraction;
  progress_(fraction > 1.0 ? 1.0 : fraction);
}

uint8_t World::PickAgency(Rng& rng, uint8_t excluded) const {
  while (true) {
    uint64_t r = rng.Below(agency_weight_total_);
    uint8_t a = 0;
    while (r >= tables.agencies[a].weight) r -= tables.agencies[a++].weight;
    if (a != excluded) return a;
  }
}

Script World::PickScript(uint8_t agency, Rng& rng) const {
  const uint32_t* weights = tables.agencies[agency].script_weight;
  uint32_t total = 0;
  for (int s = 0; s < static_cast<int>(Script::kCount); ++s) total += weights[s];
  uint64_t r = rng.Below(total);
  int s = 0;
  while (r >= weights[s]) r -= weights[s++];
  return static_cast<Script>(s);
}

uint32_t World::PickTown(Rng& rng, bool foreign_too) const {
  return PickCumulative(foreign_too ? town_weight_cumulative_ : domestic_weight_cumulative_, rng);
}

uint32_t World::FindPerson(uint32_t town, int32_t min_age, int32_t max_age, Rng& rng) const {
  for (int attempt = 0; attempt < 20; ++attempt) {
    uint32_t person;
    if (town == kNone) {
      person = static_cast<uint32_t>(rng.Below(ordinary));
    } else {
      const uint32_t begin = town_begin[town];
      const uint32_t end = town_begin[town + 1];
      if (begin == end) return kNone;
      person = town_members[begin + rng.Below(end - begin)];
    }
    const int32_t age = people[person].AgeAt(kReferenceDay);
    if (age >= min_age && age <= max_age) return person;
  }
  return kNone;
}

Span World::CallSpan(Rng& rng, int32_t from, int32_t to, uint32_t count) const {
  Span span;
  if (rng.Chance(0.04)) return span;  // the record gives no dates
  span.start = RandomDay(rng, from, to);
  if (count == 1) {
    span.end = span.start;
    span.start_time = static_cast<int32_t>(rng.Range(7 * 3600, 23 * 3600));
    span.end_time = span.start_time + static_cast<int32_t>(rng.Range(5, 900));
    return span;
  }
  span.end = span.start + static_cast<int32_t>(rng.Range(1, 20 + 4 * static_cast<int64_t>(count)));
  if (span.end > to) span.end = to;
  return span;
}

Country World::PickNationality(uint32_t town, Rng& rng) const {
  const Country home = tables.towns[town].country;
  if (home != Country::kRS) return home;
  // Serbia's foreign residents: mostly from the neighbours, some Ukrainians since 2022.
  const uint64_t r = rng.Below(1000);
  if (r < 958) return Country::kRS;
  if (r < 970) return Country::kBA;
  if (r < 976) return Country::kME;
  if (r < 981) return Country::kMK;
  if (r < 984) return Country::kBG;
  if (r < 988) return Country::kRO;
  if (r < 990) return Country::kAL;
  return Country::kUA;
}

NameSet World::PickNameSet(Country nationality, uint32_t town, Rng& rng) const {
  const std::string_view town_name = tables.towns[town].name;
  switch (nationality) {
    case Country::kRS:
      if (town_name == "Novi Pazar") return rng.Chance(0.7) ? NameSet::kBosniak : NameSet::kSerbian;
      return rng.Chance(0.03) ? NameSet::kBosniak : NameSet::kSerbian;
    case Country::kBA:
      return rng.Chance(0.45) ? NameSet::kBosniak : NameSet::kSerbian;
    case Country::kMK:
      return rng.Chance(0.2) ? NameSet::kAlbanian : NameSet::kMacedonian;
    default:
      return tables.country(nationality).name_set;
  }
}

void World::PickFirstName(Person& person, Rng& rng) const {
  const NameTable& names = tables.names(person.name_set);
  const size_t n = person.gender == 'M' ? names.male.size() : names.female.size();
  person.first = static_cast<uint16_t>(rng.Below(n));
}

void World::PickSurname(Person& person, Rng& rng) const {
  person.surname =
      static_cast<uint16_t>(rng.Below(tables.names(person.name_set).surname_male.size()));
}

void World::PickRecordKeeping(Person& person, double duplicate, Rng& rng) const {
  person.agency = PickAgency(rng);
  person.script = PickScript(person.agency, rng);
  person.dup_agency = rng.Chance(duplicate) ? PickAgency(rng, person.agency) : kNoAgency;
  person.record_birth = rng.Chance(0.97);
  person.record_gender = rng.Chance(0.985);
  person.record_nationality = rng.Chance(0.97);
}

void World::AppendPersonId(std::string& out, uint8_t agency, uint32_t seq) const {
  out.append(tables.agencies[agency].id_prefix);
  AppendUint(out, seq, tables.agencies[agency].id_width);
}

void World::PersonRef(std::string& out, uint32_t person, Rng& rng, bool allow_duplicate) {
  const Person& p = people[person];
  out.assign("person:");
  if (allow_duplicate && p.dup_agency != kNoAgency && rng.Chance(0.3)) {
    AppendPersonId(out, p.dup_agency, p.dup_seq);
  } else {
    AppendPersonId(out, p.agency, p.seq);
  }
}

void World::WritePerson(uint32_t person, Rng& rng) {
  FlushDuplicatesDue(false);
  Person& p = people[person];
  p.seq = agency_next_[p.agency]++;
  if (p.dup_agency != kNoAgency) {
    p.dup_seq = agency_next_[p.dup_agency]++;
    duplicates_due_.emplace(persons_csv.rows() + duplicates_rng_.Range(1, 5000), person);
  }
  WritePersonRecord(person, false, rng);
}

void World::FlushDuplicatesDue(bool all) {
  while (!duplicates_due_.empty() && (all || duplicates_due_.top().first <= persons_csv.rows())) {
    const uint32_t person = duplicates_due_.top().second;
    duplicates_due_.pop();
    WritePersonRecord(person, true, duplicates_rng_);
  }
}

void World::WritePersonRecord(uint32_t person, bool duplicate, Rng& rng) {
  const Person& p = people[person];
  const uint8_t agency = duplicate ? p.dup_agency : p.agency;
  text_.clear();
  AppendPersonId(text_, agency, duplicate ? p.dup_seq : p.seq);
  persons_csv.Field(text_);

  // A second agency spells the name in the other script: that is what makes it a duplicate
  // a naive join misses.
  Script script = p.script;
  if (duplicate) {
    if (p.script == Script::kCyrillic) {
      do {
        script = PickScript(agency, rng);
      } while (script == Script::kCyrillic);
    } else {
      script = rng.Chance(0.85) ? Script::kCyrillic : Script::kUpper;
    }
  }
  const NameTable& names = tables.names(p.name_set);
  const Spelling& first = (p.gender == 'M' ? names.male : names.female)[p.first];
  const Spelling& last = (p.gender == 'F' ? names.surname_female : names.surname_male)[p.surname];
  text_.clear();
  const uint64_t order = rng.Below(100);
  if (order < 4) {
    text_.append(last.In(script)).append(", ").append(first.In(script));
  } else if (agency == kBorderPolice && script == Script::kUpperAscii && order < 50) {
    text_.append(last.In(script)).append(" ").append(first.In(script));
  } else {
    text_.append(first.In(script)).append(" ").append(last.In(script));
  }
  persons_csv.Field(text_);

  text_.clear();
  if (duplicate || p.record_birth) AppendDate(text_, p.birth);
  persons_csv.Field(text_);
  const bool gender = duplicate ? rng.Chance(0.9) : p.record_gender;
  persons_csv.Field(gender ? std::string_view(&p.gender, 1) : std::string_view());
  const bool nationality = duplicate ? rng.Chance(0.85) : p.record_nationality;
  persons_csv.Field(nationality ? tables.country(p.nationality).iso : std::string_view());
  CaseStatus status = p.status;
  if (duplicate &&
      !(status == CaseStatus::kVictim && (agency == kAstra || agency == kSocialWork))) {
    status = CaseStatus::kNone;
  }
  persons_csv.Field(CaseStatusName(status));
  persons_csv.Field(tables.agencies[agency].name);
  persons_csv.EndRow();
}

uint32_t World::WriteAddress(uint32_t town, PlaceKind kind, Rng& rng,
                             const std::vector<Spelling>* names) {
  const uint32_t index = static_cast<uint32_t>(addresses_csv.rows());
  const Town& t = tables.towns[town];
  text_.assign("ADR-");
  AppendUint(text_, index + 1, 7);
  addresses_csv.Field(text_);

  const uint64_t r = rng.Below(100);
  const Script script = (t.country == Country::kRS && r < 12) ? Script::kCyrillic
                        : (r < 16)                            ? Script::kUpperAscii
                                                              : Script::kLatin;
  const std::vector<Spelling>& streets = tables.streets[static_cast<size_t>(t.country)];
  const Spelling& street = streets[rng.Below(streets.size())];
  text_.clear();
  if (kind != PlaceKind::kResidential) {
    const std::vector<Spelling>& list =
        names != nullptr ? *names : tables.place_names[static_cast<size_t>(kind)];
    text_.append(list[rng.Below(list.size())].In(script)).append(", ");
  } else if (script == Script::kLatin && rng.Chance(0.05) && street.latin[0] != 'B' &&
             street.latin[0] != 'T') {
    text_.append("ul. ");
  }
  text_.append(street.In(script)).push_back(' ');
  if (rng.Chance(0.03)) {
    text_.append(script == Script::kCyrillic ? "бб" : "bb");
  } else {
    AppendUint(text_, static_cast<uint64_t>(rng.Range(1, rng.Range(12, 160))));
    if (rng.Chance(0.06)) text_.push_back(static_cast<char>('a' + rng.Below(3)));
    if (kind == PlaceKind::kResidential && rng.Chance(0.4)) {
      text_.push_back('/');
      AppendUint(text_, rng.Range(1, 60));
    }
  }
  addresses_csv.Field(text_);
  const Spelling& city = tables.town_names[town];
  addresses_csv.Field(script == Script::kCyrillic && rng.Chance(0.5) ? city.In(script)
                                                                     : city.latin);
  addresses_csv.Field(tables.country(t.country).iso);
  addresses_csv.Field(PlaceKindName(kind));
  addresses_csv.EndRow();
  home_landline.push_back(0);
  return index;
}

void World::WritePhone(PhoneNumber phone, std::string_view kind, Rng& rng) {
  text_.clear();
  const PhoneStyle style = rng.Chance(0.5) ? tables.agencies[PickAgency(rng)].phone_style
                                           : static_cast<PhoneStyle>(rng.Below(6));
  AppendMention(text_, phone, style, rng);
  phones_csv.Field(text_);
  phones_csv.Field(tables.country(PhoneCountry(phone)).iso);
  phones_csv.Field(kind);
  phones_csv.EndRow();
}

void World::WriteTruth(uint32_t network, uint32_t person, Role role) {
  AppendNetworkId(text_, network);
  truth_csv.Field(text_);
  text_.clear();
  AppendPersonId(text_, people[person].agency, people[person].seq);
  truth_csv.Field(text_);
  truth_csv.Field(RoleName(role));
  truth_csv.EndRow();
}

void World::WriteNetworkShape(uint32_t network) {
  const PlannedNetwork& net = networks[network];
  AppendNetworkId(text_, network);
  truth_networks_csv.Field(text_);
  truth_networks_csv.Field(net.exploitation == Exploitation::kLabour ? "labour" : "sexual");
  truth_networks_csv.Field(tables.towns[net.town].country == Country::kRS ? "home" : "abroad");
  const bool known = std::any_of(net.victims.begin(), net.victims.end(), [&](uint32_t v) {
    return people[v].status == CaseStatus::kVictim;
  });
  truth_networks_csv.Field(known ? "yes" : "no");
  truth_networks_csv.Field(net.rotation ? "yes" : "no");
  truth_networks_csv.EndRow();
}

uint64_t World::WriteDecoys() {
  std::vector<uint32_t> seen;
  uint64_t number = 0;
  for (const Decoy& decoy : decoys) {
    if (decoy.persons.empty()) continue;
    decoy_id_.assign("DEC-");
    AppendUint(decoy_id_, ++number, 4);
    seen.clear();
    for (const uint32_t person : decoy.persons) {
      // A person can turn up twice in one pattern (a tenant of two flats, a repeat guest).
      if (std::find(seen.begin(), seen.end(), person) != seen.end()) continue;
      seen.push_back(person);
      decoys_csv.Field(decoy_id_);
      text_.clear();
      AppendPersonId(text_, people[person].agency, people[person].seq);
      decoys_csv.Field(text_);
      decoys_csv.Field(DecoyKindName(decoy.kind));
      decoys_csv.EndRow();
    }
  }
  return number;
}

void World::EmitLink(LinkType type, const Span& span, uint32_t count, uint8_t agency) {
  links_csv.Field(from_);
  links_csv.Field(to_);
  links_csv.Field(LinkTypeName(type));
  text_.clear();
  if (span.start != kNoDate) AppendDate(text_, span.start, span.start_time);
  links_csv.Field(text_);
  text_.clear();
  if (span.end != kNoDate) AppendDate(text_, span.end, span.end_time);
  links_csv.Field(text_);
  links_csv.Field(uint64_t{count});
  links_csv.Field(tables.agencies[agency].name);
  links_csv.EndRow();
  while (next_deferred_ < deferred_links_.size() &&
         links_csv.rows() >= deferred_slots_[next_deferred_]) {
    links_csv.WriteRow(deferred_links_[next_deferred_++]);
  }
}

void World::ScheduleDeferredLinks(uint64_t spread, Rng& rng) {
  // Link fields never hold quotes or line breaks, so rows split at '\n'.
  const std::string captured = links_csv.FinishCapture();
  size_t begin = 0;
  while (begin < captured.size()) {
    const size_t end = captured.find('\n', begin) + 1;
    deferred_links_.push_back(captured.substr(begin, end - begin));
    begin = end;
  }
  for (size_t k = 0; k < deferred_links_.size(); ++k) {
    deferred_slots_.push_back(links_csv.rows() + rng.Below(spread + 1));
  }
  std::sort(deferred_slots_.begin(), deferred_slots_.end());
}

void World::ReleaseDeferredLinks() {
  while (next_deferred_ < deferred_links_.size()) {
    links_csv.WriteRow(deferred_links_[next_deferred_++]);
  }
  deferred_links_.clear();
  deferred_slots_.clear();
  next_deferred_ = 0;
}

void World::PersonToPerson(LinkType type, uint32_t from, uint32_t to, const Span& span,
                           uint32_t count, uint8_t agency, Rng& rng, bool allow_duplicate) {
  PersonRef(from_, from, rng, allow_duplicate);
  PersonRef(to_, to, rng, allow_duplicate);
  EmitLink(type, span, count, agency);
}

void World::PersonToAddress(LinkType type, uint32_t person, uint32_t address, const Span& span,
                            uint8_t agency, Rng& rng, bool allow_duplicate) {
  PersonRef(from_, person, rng, allow_duplicate);
  to_.assign("address:ADR-");
  AppendUint(to_, address + 1, 7);
  EmitLink(type, span, 1, agency);
}

void World::PersonToPhone(uint32_t person, PhoneNumber phone, const Span& span, uint8_t agency,
                          Rng& rng, bool allow_duplicate) {
  PersonRef(from_, person, rng, allow_duplicate);
  to_.assign("phone:");
  const PhoneStyle style = rng.Chance(0.55) ? tables.agencies[agency].phone_style
                                            : static_cast<PhoneStyle>(rng.Below(6));
  AppendMention(to_, phone, style, rng);
  EmitLink(LinkType::kUses, span, 1, agency);
}

void World::PhoneToPhone(LinkType type, PhoneNumber from, PhoneNumber to, const Span& span,
                         uint32_t count, uint8_t agency, Rng& rng) {
  // Call records come from one export, but the numbers in them were typed by different
  // clerks: each side gets its own style.
  const PhoneStyle preferred = tables.agencies[agency].phone_style;
  from_.assign("phone:");
  AppendMention(from_, from, rng.Chance(0.55) ? preferred : static_cast<PhoneStyle>(rng.Below(6)),
                rng);
  to_.assign("phone:");
  AppendMention(to_, to, rng.Chance(0.55) ? preferred : static_cast<PhoneStyle>(rng.Below(6)), rng);
  EmitLink(type, span, count, agency);
}

void World::Talk(uint32_t a, uint32_t b, double call, double message, uint32_t max_count,
                 Rng& rng) {
  const Person& pa = people[a];
  const Person& pb = people[b];
  if (pa.mobile[0] == 0 || pb.mobile[0] == 0) return;
  for (const LinkType type : {LinkType::kCalled, LinkType::kMessaged}) {
    if (!rng.Chance(type == LinkType::kCalled ? call : message)) continue;
    const bool forward = rng.Chance(0.5);
    const Person& from = forward ? pa : pb;
    const Person& to = forward ? pb : pa;
    // Some people keep a second phone; the call may come from either.
    const PhoneNumber from_phone =
        (from.mobile[1] != 0 && rng.Chance(0.3)) ? from.mobile[1] : from.mobile[0];
    const uint32_t count = rng.SkewedCount(max_count);
    const Span span = CallSpan(rng, kWindowStart, kWindowEnd, count);
    PhoneToPhone(type, from_phone, to.mobile[0], span, count, CallSource(rng), rng);
  }
}

}  // namespace trafnet::engine::gen
