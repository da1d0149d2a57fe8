// The store as detection reads it: every node with the few attributes the indicators look at,
// and every link folded to its ends, type, total count and time span, loaded in one scan of a
// consistent snapshot into flat arrays (about 60 bytes per node and 40 per link).
//
// Detection asks many small local questions (who else uses this phone, who stayed at this
// address in that month, whom did this person call before the stay), so it works on this
// in-memory copy rather than on the store, and keeps the store's node ids as indices.
#ifndef TRAFNET_ENGINE_CASE_DATA_H_
#define TRAFNET_ENGINE_CASE_DATA_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/storage/store.h"

namespace trafnet::engine::detect {

using NodeIndex = uint32_t;  // the store's node id (node ids are dense from 0)
inline constexpr NodeIndex kNoNode = std::numeric_limits<NodeIndex>::max();

// Days since 1970-01-01; kNoDay when a record has no date.
using Day = int32_t;
inline constexpr Day kNoDay = std::numeric_limits<Day>::min();

// The day of an ISO date or datetime ("2024-07-19", "2024-07-19T16:06:48"), or kNoDay.
Day ParseDay(std::string_view text);
// "2024-07-19".
std::string FormatDay(Day day);

enum class NodeKind : uint8_t { kPerson, kPhone, kAddress, kOther };

enum class LinkType : uint8_t {
  kUses,
  kLivesAt,
  kStayedAt,
  kCalled,
  kMessaged,
  kKnows,
  kFamily,
  kTraveledWith,
  kPaid,
  kEmploys,
  kOther,
};
std::string_view LinkTypeName(LinkType type);

// Known casework recorded on a person.
enum class CaseStatus : uint8_t { kNone, kVictim, kSuspect, kConvicted, kWitness };
std::string_view CaseStatusName(CaseStatus status);

// Address kinds that ordinarily house many unrelated people.
enum class AddressKind : uint8_t {
  kResidential,
  kHostel,
  kDormitory,
  kHotel,
  kShelter,
  kBusiness,
  kOther,
};

// Hostels, dormitories, hotels and shelters: places for strangers to stay.
inline bool IsCommunal(AddressKind kind) {
  return kind == AddressKind::kHostel || kind == AddressKind::kDormitory ||
         kind == AddressKind::kHotel || kind == AddressKind::kShelter;
}

struct Node {
  NodeKind kind = NodeKind::kOther;
  // Persons.
  CaseStatus status = CaseStatus::kNone;
  char gender = 0;  // 'F', 'M', 'X' or 0
  Day birth = kNoDay;
  // Addresses: kind; phones and addresses: country (ISO alpha-2, "" unknown) in `country`.
  AddressKind address_kind = AddressKind::kOther;
  bool valid_phone = true;
  char country[2] = {0, 0};
  char nationality[2] = {0, 0};
  uint32_t city = 0;  // addresses: index into CaseData::cities (0 is "")
};

struct Link {
  NodeIndex from = 0;  // for symmetric types, from < to
  NodeIndex to = 0;
  LinkType type = LinkType::kOther;
  bool symmetric = false;
  uint32_t count = 0;  // observations' counts summed (saturating)
  Day first = kNoDay;  // earliest start among the observations
  Day last = kNoDay;   // latest end (or start) among them
  bool open_start = false;  // an observation has an end and no start
  bool open_end = false;    // an observation has a start and no end
};

class CaseData {
 public:
  // Loads every node and link of the store from one snapshot.
  static StatusOr<CaseData> Load(const storage::Store& store);

  size_t num_nodes() const { return nodes_.size(); }
  const Node& node(NodeIndex n) const { return nodes_[n]; }
  // The record id as ingested (E.164 for valid phones).
  const std::string& id(NodeIndex n) const { return ids_[n]; }
  // Persons: the name match key ("djordje jovanovic"), "" when none.
  const std::string& name_key(NodeIndex n) const { return name_keys_[n]; }
  // Addresses: the city as written in the record, "" when none.
  std::string_view city(NodeIndex n) const { return cities_[nodes_[n].city]; }

  const std::vector<Link>& links() const { return links_; }
  const Link& link(uint32_t l) const { return links_[l]; }
  // Indices into links() of every link touching n, in link order.
  std::span<const uint32_t> links_of(NodeIndex n) const {
    return {incident_.data() + offsets_[n], incident_.data() + offsets_[n + 1]};
  }
  // The other end of link l seen from n.
  NodeIndex other(uint32_t l, NodeIndex n) const {
    return links_[l].from == n ? links_[l].to : links_[l].from;
  }

  // For tests: builds the indexes of data assembled by hand.
  static CaseData FromParts(std::vector<Node> nodes, std::vector<std::string> ids,
                            std::vector<std::string> name_keys, std::vector<std::string> cities,
                            std::vector<Link> links);

 private:
  void BuildIncidence();

  std::vector<Node> nodes_;
  std::vector<std::string> ids_;
  std::vector<std::string> name_keys_;
  std::vector<std::string> cities_{""};
  std::vector<Link> links_;
  std::vector<uint64_t> offsets_;
  std::vector<uint32_t> incident_;
};

}  // namespace trafnet::engine::detect

#endif  // TRAFNET_ENGINE_CASE_DATA_H_
