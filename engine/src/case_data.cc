#include "case_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <unordered_map>

#include "trafnet/storage/normalize.h"

namespace trafnet::engine::detect {

namespace {

constexpr std::array<std::pair<std::string_view, LinkType>, 10> kLinkTypes = {{
    {"USES", LinkType::kUses},
    {"LIVES_AT", LinkType::kLivesAt},
    {"STAYED_AT", LinkType::kStayedAt},
    {"CALLED", LinkType::kCalled},
    {"MESSAGED", LinkType::kMessaged},
    {"KNOWS", LinkType::kKnows},
    {"FAMILY", LinkType::kFamily},
    {"TRAVELED_WITH", LinkType::kTraveledWith},
    {"PAID", LinkType::kPaid},
    {"EMPLOYS", LinkType::kEmploys},
}};

constexpr std::array<std::pair<std::string_view, CaseStatus>, 4> kStatuses = {{
    {"victim", CaseStatus::kVictim},
    {"suspect", CaseStatus::kSuspect},
    {"convicted", CaseStatus::kConvicted},
    {"witness", CaseStatus::kWitness},
}};

constexpr std::array<std::pair<std::string_view, AddressKind>, 6> kAddressKinds = {{
    {"residential", AddressKind::kResidential},
    {"hostel", AddressKind::kHostel},
    {"dormitory", AddressKind::kDormitory},
    {"hotel", AddressKind::kHotel},
    {"shelter", AddressKind::kShelter},
    {"business", AddressKind::kBusiness},
}};

template <typename T, size_t N>
T Lookup(const std::array<std::pair<std::string_view, T>, N>& table, std::string_view name,
         T fallback) {
  for (const auto& [text, value] : table) {
    if (text == name) return value;
  }
  return fallback;
}

void CopyCode(std::string_view text, char (&code)[2]) {
  if (text.size() != 2) return;
  code[0] = text[0];
  code[1] = text[1];
}

// The fields ScanGraph hands over, in this order.
enum Field {
  kStatus,
  kGender,
  kBirthDate,
  kNationality,
  kNameKey,
  kKind,
  kCountry,
  kCity,
  kQuality,
  kRegion
};
const std::vector<std::string> kFields = {"status",   "gender", "birth_date", "nationality",
                                          "name_key", "kind",   "country",    "city",
                                          "quality",  "region"};

}  // namespace

Day ParseDay(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return kNoDay;
  auto digits = [&](size_t at, size_t n) {
    int value = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (year < 0 || month < 1 || day < 1) return kNoDay;
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return kNoDay;
  return static_cast<Day>(std::chrono::sys_days{date}.time_since_epoch().count());
}

std::string FormatDay(Day day) {
  if (day == kNoDay) return "";
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::string_view LinkTypeName(LinkType type) {
  for (const auto& [text, value] : kLinkTypes) {
    if (value == type) return text;
  }
  return "OTHER";
}

std::string_view CaseStatusName(CaseStatus status) {
  for (const auto& [text, value] : kStatuses) {
    if (value == status) return text;
  }
  return "";
}

StatusOr<CaseData> CaseData::Load(const storage::Store& store) {
  CaseData data;
  const std::vector<std::string> type_names = store.LinkTypeNames();
  std::vector<LinkType> type_of(type_names.size(), LinkType::kOther);
  for (size_t t = 0; t < type_names.size(); ++t)
    type_of[t] = Lookup(kLinkTypes, type_names[t], LinkType::kOther);
  std::unordered_map<std::string, uint32_t> city_index;     // by folded name
  std::unordered_map<std::string, uint32_t> city_spelling;  // by the name as written
  storage::NameKeyer keyer;
  storage::LinkScanOptions scan;
  scan.node_fields = kFields;
  TRAFNET_RETURN_IF_ERROR(store.ScanGraph(
      scan,
      [&](storage::NodeId id, std::string_view kind, std::string_view key,
          const std::vector<std::string_view>& f) {
        // Node ids are dense from 0, so they index the arrays; a gap (never expected) stays kOther.
        if (id >= data.nodes_.size()) {
          data.nodes_.resize(id + 1);
          data.ids_.resize(id + 1);
          data.name_keys_.resize(id + 1);
        }
        Node& node = data.nodes_[id];
        data.ids_[id] = key;
        if (kind == storage::kPersonKind) {
          node.kind = NodeKind::kPerson;
          node.status = Lookup(kStatuses, f[kStatus], CaseStatus::kNone);
          node.gender = f[kGender].size() == 1 ? f[kGender][0] : 0;
          node.birth = ParseDay(f[kBirthDate]);
          CopyCode(f[kNationality], node.nationality);
          data.name_keys_[id] = f[kNameKey];
        } else if (kind == storage::kPhoneKind) {
          node.kind = NodeKind::kPhone;
          node.valid_phone = f[kQuality] != "invalid";
          CopyCode(f[kRegion].empty() ? f[kCountry] : f[kRegion], node.country);
        } else if (kind == storage::kAddressKind) {
          node.kind = NodeKind::kAddress;
          node.address_kind = Lookup(kAddressKinds, f[kKind], AddressKind::kOther);
          CopyCode(f[kCountry], node.country);
          if (!f[kCity].empty()) {
            auto spelled = city_spelling.find(std::string(f[kCity]));
            if (spelled == city_spelling.end()) {
              // "Beograd", "Београд" and "BEOGRAD" are one town, shown as first written.
              auto [it, added] = city_index.try_emplace(keyer.Key(f[kCity]),
                                                        static_cast<uint32_t>(data.cities_.size()));
              if (added) data.cities_.emplace_back(f[kCity]);
              spelled = city_spelling.emplace(std::string(f[kCity]), it->second).first;
            }
            node.city = spelled->second;
          }
        }
      },
      [&](const storage::LinkSummary& summary) {
        Link link;
        link.from = static_cast<NodeIndex>(summary.from);
        link.to = static_cast<NodeIndex>(summary.to);
        link.type = summary.type < type_of.size() ? type_of[summary.type] : LinkType::kOther;
        link.symmetric = summary.symmetric;
        link.count = static_cast<uint32_t>(std::min<uint64_t>(summary.count, UINT32_MAX));
        link.first = ParseDay(summary.first_start);
        link.last = ParseDay(summary.last_end);
        if (link.last == kNoDay) link.last = link.first;
        if (link.first == kNoDay) link.first = link.last;
        link.open_start = summary.open_start;
        link.open_end = summary.open_end;
        data.links_.push_back(link);
      }));
  if (data.nodes_.size() >= kNoNode)
    return InvalidArgumentError("too many nodes for detection's 32-bit indices");
  data.BuildIncidence();
  return data;
}

CaseData CaseData::FromParts(std::vector<Node> nodes, std::vector<std::string> ids,
                             std::vector<std::string> name_keys, std::vector<std::string> cities,
                             std::vector<Link> links) {
  CaseData data;
  data.nodes_ = std::move(nodes);
  data.ids_ = std::move(ids);
  data.name_keys_ = std::move(name_keys);
  data.name_keys_.resize(data.nodes_.size());
  data.cities_ = std::move(cities);
  if (data.cities_.empty()) data.cities_.emplace_back();
  data.links_ = std::move(links);
  data.BuildIncidence();
  return data;
}

void CaseData::BuildIncidence() {
  offsets_.assign(nodes_.size() + 1, 0);
  for (const Link& link : links_) {
    ++offsets_[link.from + 1];
    if (link.to != link.from) ++offsets_[link.to + 1];
  }
  for (size_t n = 0; n < nodes_.size(); ++n) offsets_[n + 1] += offsets_[n];
  incident_.resize(offsets_.back());
  std::vector<uint64_t> next(offsets_.begin(), offsets_.end() - 1);
  for (uint32_t l = 0; l < links_.size(); ++l) {
    incident_[next[links_[l].from]++] = l;
    if (links_[l].to != links_[l].from) incident_[next[links_[l].to]++] = l;
  }
}

}  // namespace trafnet::engine::detect
