#include "detect_indicators.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "trafnet/algorithms/betweenness.h"
#include "trafnet/algorithms/brokerage.h"
#include "trafnet/algorithms/csr_graph.h"

namespace trafnet::engine::detect {

namespace {

using algorithms::Vertex;

double Clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

std::string_view AddressKindName(AddressKind kind) {
  switch (kind) {
    case AddressKind::kResidential:
      return "residential";
    case AddressKind::kHostel:
      return "hostel";
    case AddressKind::kDormitory:
      return "dormitory";
    case AddressKind::kHotel:
      return "hotel";
    case AddressKind::kShelter:
      return "shelter";
    case AddressKind::kBusiness:
      return "business";
    case AddressKind::kOther:
      break;
  }
  return "address";
}

// What the indicators need to know about one member, gathered from all their records.
struct Profile {
  Vertex vertex = 0;
  Day birth = kNoDay;
  char gender = 0;
  std::string_view home_city;      // of a LIVES_AT address, "" unknown
  std::string home_country;        // of a LIVES_AT address, else nationality, "" unknown
  std::set<Vertex> family, knows;  // persons tied by FAMILY / KNOWS
  std::set<NodeIndex> homes;       // LIVES_AT addresses
  std::set<NodeIndex> phones;      // USES
  std::set<Vertex> employers;      // persons who EMPLOYS them
  CaseStatus status = CaseStatus::kNone;
};

int AgeAt(const Profile& p, Day day) {
  if (p.birth == kNoDay || day == kNoDay) return -1;
  return static_cast<int>(std::floor((day - p.birth) / 365.2425));
}

class GroupView {
 public:
  GroupView(const AssessContext& context, const std::vector<Vertex>& members)
      : c_(context), data_(*context.data), members_(members) {
    profiles_.resize(members.size());
    for (size_t i = 0; i < members.size(); ++i) index_[members[i]] = i;
    for (size_t i = 0; i < members.size(); ++i) BuildProfile(i);
    for (size_t i = 0; i < members.size(); ++i) {
      for (NodeIndex phone : profiles_[i].phones) phone_users_[phone].push_back(i);
    }
  }

  size_t size() const { return members_.size(); }
  const Profile& profile(size_t i) const { return profiles_[i]; }
  // Each phone a member used (USES), with the members who used it, in member order.
  const std::map<NodeIndex, std::vector<size_t>>& phone_users() const { return phone_users_; }
  const std::vector<NodeIndex>& records(size_t i) const { return c_.records[members_[i]]; }
  // The member index of a person node, or -1 when the node is not a member.
  long MemberOf(NodeIndex node) const {
    if (data_.node(node).kind != NodeKind::kPerson) return -1;
    const Vertex v = c_.graph->vertex_of[node];
    const auto it = v == kNoVertex ? index_.end() : index_.find(v);
    return it == index_.end() ? -1 : static_cast<long>(it->second);
  }
  bool Related(size_t i, size_t j) const {
    const Profile &a = profiles_[i], &b = profiles_[j];
    if (a.family.contains(b.vertex)) return true;
    for (NodeIndex home : a.homes) {
      if (b.homes.contains(home)) return true;
    }
    return false;
  }
  bool Acquainted(size_t i, size_t j) const {
    return Related(i, j) || profiles_[i].knows.contains(profiles_[j].vertex);
  }
  // Greedily keeps members of `candidates` none related (family, same home) to one kept before.
  std::vector<size_t> Unrelated(const std::vector<size_t>& candidates,
                                bool count_acquaintance = false) const {
    std::vector<size_t> kept;
    for (size_t i : candidates) {
      bool ok = true;
      for (size_t k : kept) ok = ok && !(count_acquaintance ? Acquainted(i, k) : Related(i, k));
      if (ok) kept.push_back(i);
    }
    return kept;
  }
  // Visits (member index of the other end, link) for every link of member i to another member.
  template <typename Fn>
  void ForEachLink(size_t i, Fn&& fn) const {
    for (NodeIndex r : records(i)) {
      for (uint32_t l : data_.links_of(r)) fn(data_.other(l, r), l, r);
    }
  }
  // Whether member i, at `day`, fits the profile of a recruit: young (sexual exploitation), or
  // of working age and employed by another member (labour exploitation).
  bool Recruitable(size_t i, Day day) const {
    const int age = AgeAt(profiles_[i], day);
    const DetectConfig& config = *c_.config;
    if (age >= config.young_min_age && age <= config.young_max_age) return true;
    if (age < config.young_min_age || age > config.worker_max_age) return false;
    for (Vertex employer : profiles_[i].employers) {
      if (employer != profiles_[i].vertex && index_.contains(employer)) return true;
    }
    return false;
  }
  const CaseData& data() const { return data_; }
  const std::vector<Vertex>& members() const { return members_; }

 private:
  void BuildProfile(size_t i) {
    Profile& p = profiles_[i];
    p.vertex = members_[i];
    for (NodeIndex r : records(i)) {
      const Node& node = data_.node(r);
      if (p.birth == kNoDay) p.birth = node.birth;
      if (p.gender == 0) p.gender = node.gender;
      if (p.status == CaseStatus::kNone) p.status = node.status;
      if (p.home_country.empty() && node.nationality[0] != 0)
        p.home_country.assign(node.nationality, 2);
    }
    std::string address_country;
    ForEachLink(i, [&](NodeIndex other, uint32_t l, NodeIndex) {
      const Link& link = data_.link(l);
      const Node& node = data_.node(other);
      if (node.kind == NodeKind::kPerson) {
        const Vertex v = c_.graph->vertex_of[other];
        if (link.type == LinkType::kFamily) p.family.insert(v);
        if (link.type == LinkType::kKnows) p.knows.insert(v);
        if (link.type == LinkType::kEmploys && link.from == other) p.employers.insert(v);
      } else if (node.kind == NodeKind::kAddress && link.type == LinkType::kLivesAt) {
        p.homes.insert(other);
        if (p.home_city.empty()) p.home_city = data_.city(other);
        if (address_country.empty() && node.country[0] != 0)
          address_country.assign(node.country, 2);
      } else if (node.kind == NodeKind::kPhone && link.type == LinkType::kUses) {
        p.phones.insert(other);
      }
    });
    if (!address_country.empty()) p.home_country = address_country;
  }

  const AssessContext& c_;
  const CaseData& data_;
  const std::vector<Vertex>& members_;
  std::vector<Profile> profiles_;
  std::map<Vertex, size_t> index_;
  std::map<NodeIndex, std::vector<size_t>> phone_users_;
};

std::string People(const GroupView& view, const std::vector<size_t>& who) {
  size_t women = 0, men = 0;
  for (size_t i : who) {
    women += view.profile(i).gender == 'F';
    men += view.profile(i).gender == 'M';
  }
  if (women == who.size()) return "women";
  if (men == who.size()) return "men";
  if (women * 4 >= who.size() * 3) return "people, mostly women,";
  return "people";
}

std::string AgeRange(const GroupView& view, const std::vector<size_t>& who,
                     const std::vector<Day>& when) {
  int lo = 1000, hi = -1;
  for (size_t k = 0; k < who.size(); ++k) {
    const int age = AgeAt(view.profile(who[k]), when[k]);
    if (age < 0) continue;
    lo = std::min(lo, age);
    hi = std::max(hi, age);
  }
  if (hi < 0) return "";
  return lo == hi ? fmt::format(" aged {}", lo) : fmt::format(" aged {}–{}", lo, hi);
}

// " from 3 towns", " from 1 town", or "" when no one's home town is known.
std::string FromTowns(size_t towns) {
  if (towns == 0) return "";
  return fmt::format(" from {} town{}", towns, towns == 1 ? "" : "s");
}

size_t Towns(const GroupView& view, const std::vector<size_t>& who) {
  std::set<std::string_view> towns;
  for (size_t i : who) {
    if (!view.profile(i).home_city.empty()) towns.insert(view.profile(i).home_city);
  }
  return towns.size();
}

// Everything found about one group, filled indicator by indicator.
struct Findings {
  std::map<std::string, double> strength;
  std::map<std::string, std::string> sentence;
  std::vector<std::vector<std::string>> member_reasons;
  std::vector<double> recruiter, controller, driver, victim;
  std::set<NodeIndex> phones, addresses;
  // The strongest convergence: its address, the arrivals and their arrival days.
  NodeIndex meeting_address = kNoNode;
  std::vector<size_t> arrivals;
  std::vector<Day> arrival_days;
  // Every member who arrived at the meeting address within those arrival days' span, young or
  // not, related to the others or not: who shared the place at the time.
  std::vector<size_t> cohabitants;
  // Young strangers who arrived there after earlier ones had left (Turnover).
  std::vector<size_t> replacements;
  NodeIndex shared_phone = kNoNode;
  // Members each member called or messaged, with the first day (see Contacts); the strongest
  // recruiter and the strangers he contacted.
  std::vector<std::map<size_t, Day>> contacts;
  size_t recruiter_member = static_cast<size_t>(-1);
  std::vector<size_t> contacted;

  void Set(const std::string& name, double value, std::string text) {
    if (value <= strength[name]) return;
    strength[name] = value;
    sentence[name] = std::move(text);
  }
};

void SharedPhone(const GroupView& view, Findings& f) {
  const std::map<NodeIndex, std::vector<size_t>>& users = view.phone_users();
  for (const auto& [phone, who] : users) {
    if (who.size() < 3) continue;
    const std::vector<size_t> unrelated = view.Unrelated(who);
    if (unrelated.size() < 3) continue;
    const double s = Clamp01((static_cast<double>(unrelated.size()) - 2.0) / 2.0);
    if (s > f.strength["shared_phone"]) f.shared_phone = phone;
    f.Set("shared_phone", s,
          fmt::format("phone {} was used by {} members with no family tie or home in common",
                      view.data().id(phone), unrelated.size()));
    f.phones.insert(phone);
    for (size_t i : who)
      f.member_reasons[i].push_back(fmt::format("used the shared phone {}", view.data().id(phone)));
  }
}

void Convergence(const GroupView& view, const DetectConfig& config, Findings& f) {
  // Arrivals (first day of a stay) of members at each address.
  std::map<NodeIndex, std::vector<std::pair<Day, size_t>>> arrivals;
  for (size_t i = 0; i < view.size(); ++i) {
    std::map<NodeIndex, Day> first;
    view.ForEachLink(i, [&](NodeIndex other, uint32_t l, NodeIndex) {
      const Link& link = view.data().link(l);
      if (view.data().node(other).kind != NodeKind::kAddress || link.first == kNoDay) return;
      if (link.type != LinkType::kStayedAt && link.type != LinkType::kLivesAt) return;
      if (view.profile(i).homes.contains(other) && link.type == LinkType::kLivesAt)
        return;  // their own home
      auto [it, added] = first.try_emplace(other, link.first);
      if (!added) it->second = std::min(it->second, link.first);
    });
    for (const auto& [address, day] : first) arrivals[address].emplace_back(day, i);
  }
  for (auto& [address, list] : arrivals) {
    if (list.size() < 3) continue;
    std::sort(list.begin(), list.end());
    const AddressKind kind = view.data().node(address).address_kind;
    if (kind == AddressKind::kShelter)
      continue;  // victims are brought there: aftermath, not pattern
    // The widest window of young, unrelated arrivals.
    for (size_t begin = 0; begin < list.size(); ++begin) {
      std::vector<size_t> young;
      std::vector<Day> days;
      for (size_t k = begin;
           k < list.size() && list[k].first - list[begin].first <= config.convergence_window_days;
           ++k) {
        if (view.Recruitable(list[k].second, list[k].first)) young.push_back(list[k].second);
      }
      std::vector<size_t> who = view.Unrelated(young, /*count_acquaintance=*/true);
      if (who.size() < 3) continue;
      for (size_t i : who) {
        for (const auto& [day, member] : list) {
          if (member == i) {
            days.push_back(day);
            break;
          }
        }
      }
      const size_t towns = Towns(view, who);
      double s = Clamp01((static_cast<double>(who.size()) - 2.0) / 3.0) * (towns >= 2 ? 1.0 : 0.5);
      // Meeting strangers is what hostels and dormitories are for.
      if (kind == AddressKind::kHostel || kind == AddressKind::kDormitory) s *= 0.5;
      const std::string where =
          fmt::format("{} ({}{}{})", view.data().id(address), AddressKindName(kind),
                      view.data().city(address).empty() ? "" : ", ", view.data().city(address));
      const Day lo = *std::min_element(days.begin(), days.end()),
                hi = *std::max_element(days.begin(), days.end());
      if (s > f.strength["convergence"]) {
        f.meeting_address = address;
        f.arrivals = who;
        f.arrival_days = days;
        f.cohabitants.clear();
        for (const auto& [day, member] : list) {
          if (day >= lo && day <= hi) f.cohabitants.push_back(member);
        }
      }
      f.Set("convergence", s,
            fmt::format("{} unrelated {}{}{} arrived at {} {}", who.size(), People(view, who),
                        AgeRange(view, who, days), FromTowns(towns), where,
                        lo == hi ? "on " + FormatDay(lo)
                                 : fmt::format("between {} and {}", FormatDay(lo), FormatDay(hi))));
    }
  }
  if (f.meeting_address == kNoNode) return;
  f.addresses.insert(f.meeting_address);
  for (size_t k = 0; k < f.arrivals.size(); ++k) {
    f.victim[f.arrivals[k]] += 0.5;
    f.member_reasons[f.arrivals[k]].push_back(
        fmt::format("arrived at {} on {} with other unrelated young people",
                    view.data().id(f.meeting_address), FormatDay(f.arrival_days[k])));
  }
  // Strangers under one roof: of every pair of members who arrived there in that span (the
  // young strangers and whoever came with them), the share with no tie before — not family, no
  // shared home, not known to each other. A family moving in beside them lowers it.
  const std::vector<size_t>& here = f.cohabitants;
  size_t pairs = 0, strangers = 0;
  for (size_t a = 0; a < here.size(); ++a) {
    for (size_t b = a + 1; b < here.size(); ++b) {
      ++pairs;
      strangers += view.Acquainted(here[a], here[b]) ? 0 : 1;
    }
  }
  if (pairs == 0 || strangers == 0) return;
  const double share = static_cast<double>(strangers) / static_cast<double>(pairs);
  f.Set("unrelated_cohabitants", share,
        strangers == pairs
            ? fmt::format(
                  "none of the {} who arrived at {} are family or known to have known each other",
                  here.size(), view.data().id(f.meeting_address))
            : fmt::format(
                  "{} of the {} pairs who arrived at {} are neither family nor known to each other",
                  strangers, pairs, view.data().id(f.meeting_address)));
}

// Turnover at the meeting address: young strangers who arrived after earlier ones had left,
// within `kTurnoverDays` of a departure — recruits rotated through a flat. Hostels,
// dormitories, hotels and shelters turn over by nature and are not considered; nor is a
// member's own home, nor anyone related to or known by the one they replaced.
constexpr Day kTurnoverDays = 120;

void Turnover(const GroupView& view, Findings& f) {
  if (f.meeting_address == kNoNode) return;
  if (IsCommunal(view.data().node(f.meeting_address).address_kind)) return;
  struct Stay {
    size_t member;
    Day first, last;
  };
  std::vector<Stay> stays;
  for (size_t i = 0; i < view.size(); ++i) {
    Day first = kNoDay, last = kNoDay;
    bool open = false;
    view.ForEachLink(i, [&](NodeIndex other, uint32_t l, NodeIndex) {
      const Link& link = view.data().link(l);
      if (other != f.meeting_address || link.first == kNoDay) return;
      if (link.type != LinkType::kStayedAt && link.type != LinkType::kLivesAt) return;
      if (link.type == LinkType::kLivesAt && view.profile(i).homes.contains(other)) return;
      first = first == kNoDay ? link.first : std::min(first, link.first);
      open = open || link.open_end || link.last == kNoDay;
      if (link.last != kNoDay) last = last == kNoDay ? link.last : std::max(last, link.last);
    });
    if (first == kNoDay || !view.Recruitable(i, first)) continue;
    stays.push_back({i, first, open ? kNoDay : last});
  }
  std::vector<size_t> replacements;
  Day lo = kNoDay, hi = kNoDay;
  for (const Stay& in : stays) {
    for (const Stay& out : stays) {
      if (out.last == kNoDay || out.member == in.member) continue;
      if (in.first <= out.last || in.first - out.last > kTurnoverDays) continue;
      if (view.Acquainted(in.member, out.member)) continue;
      replacements.push_back(in.member);
      lo = lo == kNoDay ? out.last : std::min(lo, out.last);
      hi = hi == kNoDay ? in.first : std::max(hi, in.first);
      break;
    }
  }
  const std::vector<size_t> who = view.Unrelated(replacements, /*count_acquaintance=*/true);
  if (who.empty()) return;
  f.replacements = who;
  for (size_t i : who) {
    f.member_reasons[i].push_back(fmt::format("arrived at {} after earlier recruits had left",
                                              view.data().id(f.meeting_address)));
    if (std::find(f.arrivals.begin(), f.arrivals.end(), i) == f.arrivals.end())
      f.victim[i] += 0.5;  // as much as arriving with the first ones
  }
  f.Set("turnover", Clamp01(static_cast<double>(who.size()) / 3.0),
        fmt::format("turnover at {}: {} young {} arrived after earlier ones had left, between {} "
                    "and {}",
                    view.data().id(f.meeting_address), who.size(),
                    who.size() == 1 ? "stranger" : "strangers", FormatDay(lo), FormatDay(hi)));
}

// Members each member was in touch with by calls or messages (directly or between their
// phones), with the first day: `any` whoever made the call, `reached` only calls the member
// made and messages either way (a message thread is a conversation; a call has a caller, and
// being called by many — an agency's or a shop's number — is not reaching them).
struct ContactMaps {
  std::vector<std::map<size_t, Day>> any, reached;
};

ContactMaps Contacts(const GroupView& view) {
  ContactMaps out;
  out.any.resize(view.size());
  out.reached.resize(view.size());
  auto note = [&](std::vector<std::map<size_t, Day>>& contacts, size_t i, size_t j, Day day) {
    if (i == j) return;
    auto [it, added] = contacts[i].try_emplace(j, day);
    if (!added && day != kNoDay && (it->second == kNoDay || day < it->second)) it->second = day;
  };
  auto both = [&](size_t i, size_t j, const Link& link, NodeIndex mine) {
    note(out.any, i, j, link.first);
    if (link.type == LinkType::kMessaged || link.from == mine) note(out.reached, i, j, link.first);
  };
  // Phones used by one member only: a call on a shared phone says nothing about who made it.
  const std::map<NodeIndex, std::vector<size_t>>& users = view.phone_users();
  for (size_t i = 0; i < view.size(); ++i) {
    view.ForEachLink(i, [&](NodeIndex other, uint32_t l, NodeIndex self) {
      const Link& link = view.data().link(l);
      if (link.type != LinkType::kCalled && link.type != LinkType::kMessaged) return;
      const long j = view.MemberOf(other);
      if (j >= 0) both(i, static_cast<size_t>(j), link, self);
    });
    for (NodeIndex phone : view.profile(i).phones) {
      if (users.at(phone).size() != 1) continue;
      for (uint32_t l : view.data().links_of(phone)) {
        const Link& link = view.data().link(l);
        if (link.type != LinkType::kCalled && link.type != LinkType::kMessaged) continue;
        auto them = users.find(view.data().other(l, phone));
        if (them == users.end() || them->second.size() != 1) continue;
        both(i, them->second[0], link, phone);
      }
    }
  }
  return out;
}

void RecruiterContacts(const GroupView& view, Findings& f) {
  ContactMaps maps = Contacts(view);
  f.contacts = std::move(maps.any);
  const std::vector<std::map<size_t, Day>>& contacts = maps.reached;
  for (size_t r = 0; r < view.size(); ++r) {
    std::vector<size_t> young;
    std::vector<Day> days;
    for (const auto& [j, day] : contacts[r]) {
      if (!view.Recruitable(j, day) || view.Related(r, j)) continue;
      // Contact before the move: recruitment precedes the stay.
      auto arrival = std::find(f.arrivals.begin(), f.arrivals.end(), j);
      if (arrival != f.arrivals.end() && day != kNoDay &&
          day > f.arrival_days[arrival - f.arrivals.begin()])
        continue;
      young.push_back(j);
    }
    const std::vector<size_t> strangers = view.Unrelated(young, /*count_acquaintance=*/true);
    if (strangers.size() < 3) continue;
    for (size_t j : strangers) days.push_back(contacts[r].at(j));
    const size_t towns = Towns(view, strangers);
    const double s =
        Clamp01((static_cast<double>(strangers.size()) - 2.0) / 3.0) * (towns >= 2 ? 1.0 : 0.5);
    if (s > f.strength["recruiter_contacts"]) {
      f.recruiter_member = r;
      f.contacted = strangers;
    }
    f.recruiter[r] = std::max(f.recruiter[r], s);
    const std::string text =
        fmt::format("contacted {} {}{}{} who had no tie to each other", strangers.size(),
                    People(view, strangers), AgeRange(view, strangers, days), FromTowns(towns));
    f.member_reasons[r].push_back(text);
    f.Set("recruiter_contacts", s,
          fmt::format("{} {}", view.data().id(view.records(r).front()), text));
    for (size_t j : strangers) {
      f.victim[j] += 0.25;
      f.member_reasons[j].push_back(
          fmt::format("was contacted by {}", view.data().id(view.records(r).front())));
    }
  }
}

// The members' ties before `cutoff` (kNoDay: all of them), as an unweighted graph whose vertex
// i is member i: family and shared homes, direct person–person links and calls or messages
// first recorded before then (undated ones count as old). What the recruits came to share after
// the move — the flat, the phone — is not among them.
algorithms::CsrGraph TiesBefore(const GroupView& view,
                                const std::vector<std::map<size_t, Day>>& contacts, Day cutoff) {
  auto before = [&](Day day) { return cutoff == kNoDay || day == kNoDay || day < cutoff; };
  std::vector<algorithms::Edge> edges;
  auto add = [&](size_t i, size_t j) {
    if (i < j)
      edges.push_back({static_cast<Vertex>(i), static_cast<Vertex>(j), 1.0f});
    else if (j < i)
      edges.push_back({static_cast<Vertex>(j), static_cast<Vertex>(i), 1.0f});
  };
  for (size_t i = 0; i < view.size(); ++i) {
    for (size_t j = i + 1; j < view.size(); ++j) {
      if (view.Related(i, j)) add(i, j);
    }
    view.ForEachLink(i, [&](NodeIndex other, uint32_t l, NodeIndex) {
      const long j = view.MemberOf(other);
      if (j >= 0 && before(view.data().link(l).first)) add(i, static_cast<size_t>(j));
    });
    for (const auto& [j, day] : contacts[i]) {
      if (before(day)) add(i, j);
    }
  }
  return algorithms::CsrGraph::FromEdgesMerged(static_cast<Vertex>(view.size()), std::move(edges),
                                               /*directed=*/false, /*weighted=*/false);
}

// The recruiter as a broker across structural holes (Burt 1992): he joins people who were not
// tied to each other. Measured on his ego network before the recruits arrived — the recruiter
// and the strangers he contacted, with the ties among them from before the first arrival
// (TiesBefore) — by ego betweenness (Everett & Borgatti 2005: the share of pairs of his
// contacts joined only through him; 1 for a star, 0 when they all know each other) and Burt's
// constraint (1/k for a star over k contacts, higher as they are tied). After the move the
// recruits share a flat and a phone and everyone is tied to everyone, so the structure that
// shows recruitment is the one before it; the whole group's betweenness would be swayed by
// relatives hanging off each member. Fires at ego betweenness ≥ 0.5 and constraint ≤ 0.5; the
// strength is the recruiter_contacts strength times the ego betweenness.
void Broker(const GroupView& view, Findings& f) {
  if (f.recruiter_member == static_cast<size_t>(-1) || f.contacted.size() < 3) return;
  const Day cutoff = f.arrival_days.empty()
                         ? kNoDay
                         : *std::min_element(f.arrival_days.begin(), f.arrival_days.end());
  const algorithms::CsrGraph ties = TiesBefore(view, f.contacts, cutoff);
  std::vector<Vertex> ego;
  ego.push_back(static_cast<Vertex>(f.recruiter_member));
  for (size_t j : f.contacted) ego.push_back(static_cast<Vertex>(j));
  std::sort(ego.begin(), ego.end());
  const algorithms::CsrGraph sub = ties.InducedSubgraph(ego);
  const auto betweenness = algorithms::Betweenness(sub);
  const auto holes = algorithms::StructuralHoles(sub);
  if (!betweenness.ok() || !holes.ok()) return;
  const size_t at = static_cast<size_t>(
      std::find(ego.begin(), ego.end(), static_cast<Vertex>(f.recruiter_member)) - ego.begin());
  const double between = betweenness->scores[at];
  const double constraint = holes->constraint[at];
  if (!(between >= 0.5) || !(constraint <= 0.5)) return;
  const std::string id = view.data().id(view.records(f.recruiter_member).front());
  f.member_reasons[f.recruiter_member].push_back(
      fmt::format("brokered between people not tied to each other before (ego betweenness "
                  "{:.2f}, constraint {:.2f})",
                  between, constraint));
  f.Set("broker", f.strength["recruiter_contacts"] * between,
        fmt::format("{} brokered between strangers: {}the {} people {} contacted were tied to "
                    "each other {}only through {} (ego betweenness {:.2f}, Burt's constraint "
                    "{:.2f})",
                    id, cutoff == kNoDay ? "" : "before the recruits arrived, ", f.contacted.size(),
                    id, between >= 1.0 ? "" : "mostly ", id, between, constraint));
}

void PaymentsAndController(const GroupView& view, Findings& f) {
  std::vector<std::set<size_t>> payers(view.size());
  for (size_t i = 0; i < view.size(); ++i) {
    view.ForEachLink(i, [&](NodeIndex other, uint32_t l, NodeIndex self) {
      const Link& link = view.data().link(l);
      if (link.type != LinkType::kPaid || link.from != self) return;
      const long j = view.MemberOf(other);
      if (j >= 0 && static_cast<size_t>(j) != i) payers[static_cast<size_t>(j)].insert(i);
    });
  }
  for (size_t i = 0; i < view.size(); ++i) {
    const std::vector<size_t> who(payers[i].begin(), payers[i].end());
    const std::vector<size_t> unrelated = view.Unrelated(who);
    if (unrelated.size() >= 2) {
      const double s = Clamp01((static_cast<double>(unrelated.size()) - 1.0) / 3.0);
      f.Set("payments", s,
            fmt::format("{} unrelated members paid {}", unrelated.size(),
                        view.data().id(view.records(i).front())));
      f.member_reasons[i].push_back(
          fmt::format("was paid by {} unrelated members", unrelated.size()));
      f.controller[i] += 0.34 * s;
      for (size_t j : unrelated) f.victim[j] += 0.15;
    }
  }
  // The controller: tied to where the recruits stayed and to the phone they shared; not one of
  // the recruits, whether they came first or later.
  for (size_t i = 0; i < view.size(); ++i) {
    if (std::find(f.arrivals.begin(), f.arrivals.end(), i) != f.arrivals.end()) continue;
    if (std::find(f.replacements.begin(), f.replacements.end(), i) != f.replacements.end())
      continue;
    std::vector<std::string> ties;
    bool address = false, phone = false;
    view.ForEachLink(i, [&](NodeIndex other, uint32_t l, NodeIndex) {
      const Link& link = view.data().link(l);
      if (other == f.meeting_address) address = true;
      if (other == f.shared_phone && link.type == LinkType::kUses) phone = true;
    });
    // Every user of the shared phone is tied to it: the phone alone does not tell the one who
    // holds it from those made to use it. Without the address, it counts for a member whom
    // unrelated members paid.
    if (phone && !address && f.controller[i] <= 0) phone = false;
    if (address)
      ties.push_back(fmt::format("linked to the address {} where they stayed",
                                 view.data().id(f.meeting_address)));
    // (Using the shared phone is already among their reasons: see SharedPhone.)
    if (ties.empty() && !phone) continue;
    // The address alone (0.25) stays below the 0.3 a role needs: a landlord, a relative who
    // moved in with a recruit or a late recruit are linked to the flat too. With the phone, or
    // with payments from unrelated members, it names the controller.
    f.controller[i] += address && phone ? 0.66 : address ? 0.25 : 0.33;
    for (const std::string& tie : ties) f.member_reasons[i].push_back(tie);
    if (address && phone) {
      f.Set("controller", 1.0,
            fmt::format(
                "{} is linked both to {} where the recruits stayed and to the phone {} they shared",
                view.data().id(view.records(i).front()), view.data().id(f.meeting_address),
                view.data().id(f.shared_phone)));
    } else {
      f.Set("controller", 0.4,
            address ? fmt::format("{} is linked to the address {} where they stayed",
                                  view.data().id(view.records(i).front()),
                                  view.data().id(f.meeting_address))
                    : fmt::format("{}, paid by unrelated members, uses the phone {} they shared",
                                  view.data().id(view.records(i).front()),
                                  view.data().id(f.shared_phone)));
    }
  }
}

void EscortedTravel(const GroupView& view, Findings& f) {
  for (size_t d = 0; d < view.size(); ++d) {
    std::set<size_t> on_arrival, others;
    view.ForEachLink(d, [&](NodeIndex other, uint32_t l, NodeIndex) {
      const Link& link = view.data().link(l);
      if (link.type != LinkType::kTraveledWith) return;
      const long j = view.MemberOf(other);
      if (j < 0) return;
      auto arrival = std::find(f.arrivals.begin(), f.arrivals.end(), static_cast<size_t>(j));
      if (arrival != f.arrivals.end() && link.first != kNoDay &&
          std::abs(link.first - f.arrival_days[arrival - f.arrivals.begin()]) <= 2) {
        on_arrival.insert(static_cast<size_t>(j));
      } else if (!view.Related(d, static_cast<size_t>(j))) {
        others.insert(static_cast<size_t>(j));
      }
    });
    if (on_arrival.size() >= 2) {
      const double s = Clamp01((static_cast<double>(on_arrival.size()) - 1.0) / 2.0);
      f.driver[d] = std::max(f.driver[d], s);
      f.member_reasons[d].push_back(fmt::format(
          "travelled with {} of the recruits on the day they arrived", on_arrival.size()));
      f.Set("escorted_travel", s,
            fmt::format("{} travelled with {} of the recruits on their arrival days",
                        view.data().id(view.records(d).front()), on_arrival.size()));
    } else if (others.size() >= 3) {
      const double s = 0.3 * Clamp01((static_cast<double>(others.size()) - 2.0) / 2.0);
      f.driver[d] = std::max(f.driver[d], s);
      f.Set("escorted_travel", s,
            fmt::format("{} travelled with {} unrelated members",
                        view.data().id(view.records(d).front()), others.size()));
    }
  }
}

// From this degree centralisation on, the group's reasons call it star-shaped.
constexpr double kStarShaped = 0.3;

void Centralisation(const GroupView& view, const PersonGraph& graph, Findings& f) {
  const size_t n = view.size();
  if (n < 3) return;
  std::vector<size_t> degree(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (Vertex w : graph.graph.neighbours(view.members()[i])) {
      degree[i] += std::binary_search(view.members().begin(), view.members().end(), w);
    }
  }
  const size_t top =
      static_cast<size_t>(std::max_element(degree.begin(), degree.end()) - degree.begin());
  double sum = 0;
  for (size_t d : degree) sum += static_cast<double>(degree[top] - d);
  const double centralisation = sum / static_cast<double>((n - 1) * (n - 2));
  f.Set(
      "centralisation", Clamp01(centralisation),
      fmt::format("star-shaped: {} is tied to {} of the other {} persons in the community (degree "
                  "centralisation {:.2f})",
                  view.data().id(view.records(top).front()), degree[top], n - 1, centralisation));
}

// Numbers registered in another country than a recruit's home that reached them: a group
// member's phone that called or messaged them, or the shared phone they were given. Their own
// numbers do not count (people abroad or from abroad keep their home numbers), nor do the
// phones of their family or housemates.
std::vector<NodeIndex> ForeignNumbers(const GroupView& view, size_t i,
                                      const std::map<NodeIndex, std::vector<size_t>>& users,
                                      NodeIndex shared_phone) {
  std::vector<NodeIndex> out;
  const std::string& home = view.profile(i).home_country;
  if (home.empty()) return out;
  auto foreign = [&](NodeIndex phone) {
    const Node& node = view.data().node(phone);
    return node.country[0] != 0 && std::string_view(node.country, 2) != home;
  };
  auto from_stranger = [&](NodeIndex phone) {
    auto it = users.find(phone);
    if (it == users.end()) return false;
    for (size_t j : it->second) {
      if (j != i && !view.Related(i, j)) return true;
    }
    return false;
  };
  for (NodeIndex own : view.profile(i).phones) {
    if (own == shared_phone) {
      if (foreign(own)) out.push_back(own);
      continue;
    }
    for (uint32_t l : view.data().links_of(own)) {
      const Link& link = view.data().link(l);
      if (link.type != LinkType::kCalled && link.type != LinkType::kMessaged) continue;
      const NodeIndex other = view.data().other(l, own);
      if (view.data().node(other).kind == NodeKind::kPhone && foreign(other) &&
          from_stranger(other)) {
        out.push_back(other);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void CrossBorder(const GroupView& view, const DetectConfig& config, Findings& f) {
  // The recruits: those who converged, else those the recruiter contacted (recruitment from
  // abroad shows before anyone has moved).
  const bool moved = f.meeting_address != kNoNode;
  const std::vector<size_t>& recruits = moved ? f.arrivals : f.contacted;
  if (recruits.empty()) return;
  const std::map<NodeIndex, std::vector<size_t>>& users = view.phone_users();
  std::string destination;
  if (moved) {
    const Node& place = view.data().node(f.meeting_address);
    destination = place.country[0] != 0 ? std::string(place.country, 2) : config.home_country;
  }
  size_t crossed = 0, called = 0, either = 0;
  std::set<NodeIndex> numbers;
  for (size_t i : recruits) {
    const std::string& home = view.profile(i).home_country;
    const bool border = moved && !home.empty() && home != destination;
    const std::vector<NodeIndex> foreign = ForeignNumbers(view, i, users, f.shared_phone);
    crossed += border;
    called += !foreign.empty();
    either += border || !foreign.empty();
    numbers.insert(foreign.begin(), foreign.end());
    if (!foreign.empty()) {
      f.member_reasons[i].push_back(
          fmt::format("was reached from a number of another country than their home ({}, {})",
                      view.data().id(foreign.front()),
                      std::string_view(view.data().node(foreign.front()).country, 2)));
    }
  }
  if (either == 0) return;
  std::vector<std::string> parts;
  if (crossed > 0) {
    parts.push_back(fmt::format("{} of the {} recruits crossed a border to reach {} ({})", crossed,
                                recruits.size(), view.data().id(f.meeting_address), destination));
  }
  if (called > 0) {
    std::string list;
    size_t shown = 0;
    for (NodeIndex phone : numbers) {
      if (shown++ == 2) {
        list += ", …";
        break;
      }
      if (!list.empty()) list += ", ";
      list += fmt::format("{} ({})", view.data().id(phone),
                          std::string_view(view.data().node(phone).country, 2));
    }
    parts.push_back(
        fmt::format("{} of the {} {} {} called from or given a number of another country than "
                    "their home: {}",
                    called, recruits.size(),
                    moved ? "recruits"
                          : fmt::format("people {} contacted",
                                        view.data().id(view.records(f.recruiter_member).front())),
                    called == 1 ? "was" : "were", list));
    for (NodeIndex phone : numbers) f.phones.insert(phone);
  }
  std::string text = parts[0];
  if (parts.size() > 1) text += "; " + parts[1];
  f.Set("cross_border", static_cast<double>(either) / static_cast<double>(recruits.size()),
        std::move(text));
}

void KnownCases(const GroupView& view, const AssessContext& context, Findings& f) {
  double best = 0;
  size_t who = 0;
  for (size_t i = 0; i < view.size(); ++i) {
    const CaseStatus status = view.profile(i).status;
    if (status == CaseStatus::kVictim || status == CaseStatus::kSuspect ||
        status == CaseStatus::kConvicted) {
      // A known case among those the other indicators point at is one of the lead; one who is
      // only in the community around it (a convict who knows the recruiter) is close to it.
      // The context member is named in the lead's reasons but not listed among its members.
      const bool in_lead = !f.member_reasons[i].empty();
      const std::string_view as = status == CaseStatus::kVictim    ? "a victim"
                                  : status == CaseStatus::kSuspect ? "a suspect"
                                                                   : "convicted";
      if (in_lead) {
        f.member_reasons[i].push_back(fmt::format("recorded as {} in an earlier case", as));
        f.Set("known_cases", 1.0,
              fmt::format("{} is recorded as {} in an earlier case",
                          view.data().id(view.records(i).front()), as));
      } else {
        f.Set("known_cases", 0.5,
              fmt::format("{}, recorded as {} in an earlier case, is tied to the group",
                          view.data().id(view.records(i).front()), as));
      }
    }
    const double proximity = context.known_case_proximity[view.members()[i]];
    if (proximity > best) {
      best = proximity;
      who = i;
    }
  }
  if (best > 0) {
    f.Set(
        "known_cases", 0.5 * best,
        fmt::format("{} is close to known victims or suspects in the graph (personalised PageRank)",
                    view.data().id(view.records(who).front())));
  }
}

}  // namespace

GroupAssessment AssessGroup(const AssessContext& context, const std::vector<Vertex>& members) {
  const DetectConfig& config = *context.config;
  const GroupView view(context, members);
  Findings f;
  const size_t n = members.size();
  f.member_reasons.resize(n);
  f.recruiter.assign(n, 0);
  f.controller.assign(n, 0);
  f.driver.assign(n, 0);
  f.victim.assign(n, 0);
  SharedPhone(view, f);
  Convergence(view, config, f);
  Turnover(view, f);
  RecruiterContacts(view, f);
  Broker(view, f);
  PaymentsAndController(view, f);
  EscortedTravel(view, f);
  Centralisation(view, *context.graph, f);
  CrossBorder(view, config, f);
  KnownCases(view, context, f);

  GroupAssessment out;
  double weighted = 0, total = 0;
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [name, weight] : config.weights) {
    const double s = f.strength.contains(name) ? f.strength[name] : 0.0;
    out.indicators[name] = s;
    weighted += weight * s;
    total += weight;
    // A group is only called star-shaped when it is noticeably so; a little centralisation
    // still counts in the score.
    const bool worth_saying = name != "centralisation" || s >= kStarShaped;
    if (s > 0 && worth_saying) ranked.emplace_back(weight * s, f.sentence[name]);
  }
  out.score = total > 0 ? weighted / total : 0.0;
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [w, text] : ranked) out.reasons.push_back(std::move(text));
  out.phones.assign(f.phones.begin(), f.phones.end());
  out.addresses.assign(f.addresses.begin(), f.addresses.end());
  for (size_t i = 0; i < n; ++i) {
    MemberAssessment m;
    m.vertex = members[i];
    const double organiser = std::max({f.recruiter[i], Clamp01(f.controller[i]), f.driver[i]});
    if (organiser >= 0.3) {
      if (f.controller[i] >= f.recruiter[i] && f.controller[i] >= f.driver[i])
        m.role = "controller";
      else if (f.recruiter[i] >= f.driver[i])
        m.role = "recruiter";
      else
        m.role = "driver";
      // Recruiters and controllers first: they are who an investigation starts with.
      m.risk = out.score * (0.4 + 0.6 * organiser) * (m.role == "driver" ? 0.85 : 1.0);
    } else if (f.victim[i] >= 0.5) {
      m.role = "victim";
      m.risk = out.score * 0.3;
    } else {
      m.risk = out.score * 0.2 * (1.0 + organiser);
    }
    m.reasons = std::move(f.member_reasons[i]);
    if (!m.reasons.empty()) out.members.push_back(std::move(m));
  }
  return out;
}

}  // namespace trafnet::engine::detect
