#include "detect_resolve.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <set>
#include <sstream>

namespace trafnet::engine::detect {

namespace {

// Past this many records one birth date holds (a placeholder date, a huge store), only equal
// names are compared: pairwise similarity would be quadratic.
constexpr size_t kMaxPairwiseBlock = 1000;

std::string SortedWords(std::string_view key) {
  std::vector<std::string> words;
  std::istringstream in{std::string(key)};
  for (std::string word; in >> word;) words.push_back(word);
  std::sort(words.begin(), words.end());
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), NodeIndex{0});
  }
  NodeIndex Find(NodeIndex x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  // The smaller root wins, so a cluster's representative is its lowest node id.
  void Join(NodeIndex a, NodeIndex b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<NodeIndex> parent_;
};

// Per node, whether it is a telling identifier: a phone or address that says something about
// who its persons are. Valid phones and addresses linked to at most `cap` distinct persons, and
// no hostel, dormitory, hotel or shelter (two strangers of one birth date with similar names
// meet there). One pass over every identifier's links, shared by both rules below.
std::vector<bool> TellingIdentifiers(const CaseData& data, uint32_t cap) {
  const auto n = static_cast<NodeIndex>(data.num_nodes());
  std::vector<bool> telling(n, false);
  std::vector<NodeIndex> persons;
  for (NodeIndex id = 0; id < n; ++id) {
    const Node& node = data.node(id);
    if (!(node.kind == NodeKind::kPhone && node.valid_phone) &&
        !(node.kind == NodeKind::kAddress && !IsCommunal(node.address_kind))) {
      continue;
    }
    persons.clear();
    for (uint32_t l : data.links_of(id)) {
      const NodeIndex other = data.other(l, id);
      if (data.node(other).kind == NodeKind::kPerson) persons.push_back(other);
    }
    std::sort(persons.begin(), persons.end());
    telling[id] = std::unique(persons.begin(), persons.end()) - persons.begin() <= cap;
  }
  return telling;
}

// The telling identifiers a person is linked to, sorted.
std::vector<NodeIndex> Identifiers(const CaseData& data, NodeIndex person,
                                   const std::vector<bool>& telling) {
  std::vector<NodeIndex> out;
  for (uint32_t l : data.links_of(person)) {
    const NodeIndex other = data.other(l, person);
    if (telling[other]) out.push_back(other);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

NodeIndex FirstShared(const std::vector<NodeIndex>& a, const std::vector<NodeIndex>& b) {
  auto i = a.begin(), j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return *i;
    if (*i < *j)
      ++i;
    else
      ++j;
  }
  return kNoNode;
}

}  // namespace

namespace {

// Jaro–Winkler with the caller's match flags (zeroed, one per byte of each string).
double JaroWinklerWith(std::string_view a, std::string_view b, bool* a_match, bool* b_match) {
  const size_t window =
      std::max(a.size(), b.size()) / 2 == 0 ? 0 : std::max(a.size(), b.size()) / 2 - 1;
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t lo = i > window ? i - window : 0, hi = std::min(b.size(), i + window + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (b_match[j] || a[i] != b[j]) continue;
      a_match[i] = b_match[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  size_t transpositions = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_match[i]) continue;
    while (!b_match[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) /
                      3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

}  // namespace

double JaroWinkler(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  // Names are short: their flags fit on the stack, which spares two allocations a call (a name
  // lookup scores thousands of candidates).
  constexpr size_t kOnStack = 64;
  if (a.size() <= kOnStack && b.size() <= kOnStack) {
    bool a_match[kOnStack] = {}, b_match[kOnStack] = {};
    return JaroWinklerWith(a, b, a_match, b_match);
  }
  std::unique_ptr<bool[]> flags(new bool[a.size() + b.size()]());
  return JaroWinklerWith(a, b, flags.get(), flags.get() + a.size());
}

ByteSketch::ByteSketch(std::string_view text) {
  for (unsigned char c : text) {
    uint8_t& bin = bins[c & 31];
    saturated |= bin == 255;
    bin = static_cast<uint8_t>(bin + (bin < 255));
  }
}

// Jaro is (m/|a| + m/|b| + (m - t/2)/m) / 3 for m matched bytes and t transpositions: at most
// (m/|a| + m/|b| + 1) / 3, rising with m, and m is at most the bytes the bins share (a merged
// bin's minimum is at least the sum of its bytes' minimums), or the shorter length when a
// sketch saturated.
// Winkler's bonus p * 0.1 * (1 - jaro) for the common prefix p (<= 4) keeps the result rising
// with jaro, so the bound holds for the same p.
double JaroWinklerBound(std::string_view a, const ByteSketch& sa, std::string_view b,
                        const ByteSketch& sb) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  const double shorter = static_cast<double>(std::min(a.size(), b.size()));
  double m = shorter;
  if (!sa.saturated && !sb.saturated) {
    unsigned shared = 0;
    for (int i = 0; i < 32; ++i) shared += std::min(sa.bins[i], sb.bins[i]);
    m = std::min<double>(shared, shorter);
  }
  if (m == 0.0) return 0.0;
  const double jaro =
      (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + 1.0) / 3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

Resolution ResolvePersons(const CaseData& data, const DetectConfig& config) {
  Resolution result;
  const auto n = static_cast<NodeIndex>(data.num_nodes());
  std::vector<NodeIndex> dated;
  for (NodeIndex p = 0; p < n; ++p) {
    if (data.node(p).kind == NodeKind::kPerson && data.node(p).birth != kNoDay &&
        !data.name_key(p).empty()) {
      dated.push_back(p);
    }
  }
  std::sort(dated.begin(), dated.end(), [&](NodeIndex x, NodeIndex y) {
    return data.node(x).birth != data.node(y).birth ? data.node(x).birth < data.node(y).birth
                                                    : x < y;
  });
  UnionFind clusters(n);
  const std::vector<bool> telling = TellingIdentifiers(data, config.shared_cap);
  std::set<std::pair<NodeIndex, NodeIndex>> listed;
  // Scores the pair x < y (sorted-word name keys sx, sy) and lists it from `threshold`.
  // `via` is an identifier both are known to share, or kNoNode to look for one.
  auto consider = [&](NodeIndex x, NodeIndex y, const std::string& sx, const std::string& sy,
                      NodeIndex via, double threshold) {
    const Node &a = data.node(x), &b = data.node(y);
    if (a.gender != 0 && b.gender != 0 && a.gender != b.gender) return;
    const double similarity = sx == sy ? 1.0 : JaroWinkler(sx, sy);
    // In tenths, so that equal names and birth date score exactly 0.9, not 0.8999….
    const double without_shared = (6.0 * similarity + 3.0) / 10.0;
    if (without_shared + 0.1 < threshold) return;
    NodeIndex shared = via;
    if (shared == kNoNode && without_shared < 1.0)
      shared = FirstShared(Identifiers(data, x, telling), Identifiers(data, y, telling));
    const double score = (6.0 * similarity + 3.0 + (shared != kNoNode ? 1.0 : 0.0)) / 10.0;
    if (score < threshold) return;
    SamePerson pair;
    pair.ids = {data.id(x), data.id(y)};
    pair.score = std::min(1.0, score);
    pair.evidence.push_back("same birth date " + FormatDay(a.birth));
    pair.evidence.push_back(similarity == 1.0
                                ? fmt::format("same name key \"{}\"", sx)
                                : fmt::format("{} names \"{}\" / \"{}\" (Jaro–Winkler {:.2f})",
                                              similarity >= 0.8 ? "similar" : "different",
                                              data.name_key(x), data.name_key(y), similarity));
    if (shared != kNoNode) {
      pair.evidence.push_back(fmt::format(
          "both linked to {} {}", data.node(shared).kind == NodeKind::kPhone ? "phone" : "address",
          data.id(shared)));
    }
    if (a.gender != 0 && a.gender == b.gender)
      pair.evidence.push_back(fmt::format("same gender {}", a.gender));
    pair.accepted = pair.score >= config.accept_same_person;
    if (pair.accepted) clusters.Join(x, y);
    listed.emplace(x, y);
    result.pairs.push_back(std::move(pair));
  };
  auto consider_by_name = [&](NodeIndex x, NodeIndex y, const std::string& sx,
                              const std::string& sy) {
    consider(x, y, sx, sy, kNoNode, config.report_same_person);
  };
  // Most pairs of one birth date have names far apart. A pair whose Jaro–Winkler bound already
  // keeps it under the reporting threshold (with a shared identifier too) is not scored: the
  // same pairs are listed, for a fraction of the cost. The margin absorbs rounding.
  auto could_report = [&](const std::string& sx, const ByteSketch& kx, const std::string& sy,
                          const ByteSketch& ky) {
    if (sx == sy) return true;
    const double bound = JaroWinklerBound(sx, kx, sy, ky);
    return (6.0 * bound + 3.0) / 10.0 + 0.1 >= config.report_same_person - 1e-9;
  };
  for (size_t begin = 0; begin < dated.size();) {
    size_t end = begin;
    while (end < dated.size() && data.node(dated[end]).birth == data.node(dated[begin]).birth)
      ++end;
    std::vector<std::string> keys;
    keys.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) keys.push_back(SortedWords(data.name_key(dated[i])));
    if (end - begin <= kMaxPairwiseBlock) {
      std::vector<ByteSketch> sketches(keys.begin(), keys.end());
      for (size_t i = begin; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j) {
          const size_t a = i - begin, b = j - begin;
          if (!could_report(keys[a], sketches[a], keys[b], sketches[b])) continue;
          consider_by_name(dated[i], dated[j], keys[a], keys[b]);
        }
      }
    } else {
      std::vector<size_t> order(end - begin);
      std::iota(order.begin(), order.end(), size_t{0});
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t x, size_t y) { return keys[x] < keys[y]; });
      for (size_t i = 0; i < order.size(); ++i) {
        for (size_t j = i + 1; j < order.size() && keys[order[j]] == keys[order[i]]; ++j) {
          NodeIndex x = dated[begin + order[i]], y = dated[begin + order[j]];
          if (y < x) std::swap(x, y);
          consider_by_name(x, y, keys[order[i]], keys[order[j]]);
        }
      }
    }
    begin = end;
  }
  // Same birth date and a phone or address in common, whatever the names: perhaps one person
  // under another name (an alias, a maiden name, a transliteration the name key does not
  // fold). Candidates are the users of each telling identifier, not every pair of a birth
  // date: an identifier of more than `shared_cap` persons, and hostels, dormitories, hotels and
  // shelters, pair nobody (strangers born the same day meet there).
  std::vector<std::pair<Day, NodeIndex>> users;
  for (NodeIndex id = 0; id < n; ++id) {
    if (!telling[id]) continue;
    users.clear();
    for (uint32_t l : data.links_of(id)) {
      const LinkType type = data.link(l).type;
      if (type != LinkType::kUses && type != LinkType::kLivesAt && type != LinkType::kStayedAt)
        continue;
      const NodeIndex p = data.other(l, id);
      if (data.node(p).kind == NodeKind::kPerson && data.node(p).birth != kNoDay &&
          !data.name_key(p).empty()) {
        users.emplace_back(data.node(p).birth, p);
      }
    }
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    if (users.size() < 2) continue;
    for (size_t i = 0; i < users.size(); ++i) {
      for (size_t j = i + 1; j < users.size() && users[j].first == users[i].first; ++j) {
        const NodeIndex x = users[i].second, y = users[j].second;  // x < y: sorted by id
        if (listed.contains({x, y})) continue;
        consider(x, y, SortedWords(data.name_key(x)), SortedWords(data.name_key(y)), id,
                 std::min(config.report_same_person, config.report_shared_identifier));
      }
    }
  }
  result.representative.resize(n);
  for (NodeIndex v = 0; v < n; ++v) result.representative[v] = clusters.Find(v);
  std::sort(result.pairs.begin(), result.pairs.end(), [](const SamePerson& x, const SamePerson& y) {
    return x.score != y.score ? x.score > y.score : x.ids < y.ids;
  });
  return result;
}

}  // namespace trafnet::engine::detect
