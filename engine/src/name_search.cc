#include "name_search.h"

#include <algorithm>
#include <map>
#include <utility>

#include <absl/container/flat_hash_set.h>

#include "detect_resolve.h"

namespace trafnet::engine {

namespace {

using storage::NodeId;

// The name-word index. A stored word at least this similar to a word of the query, and
// sharing its first three letters, is taken as a spelling of it (at most kSpellingsPerPrefix
// stored words are read per prefix, one seek each).
constexpr double kSpellingSimilarity = 0.8;
constexpr size_t kSpellingsPerPrefix = 200;
// Index entries read per scan: of a word with the start of another, a bound no 1M-person
// store reaches; of a spelling with any other word, which on a large store lists thousands of
// persons the query does not mean, a tight one (like the prefix scans' 3 000 names).
constexpr size_t kWordScanEntries = 20'000;
constexpr size_t kSpellingScanEntries = 100;
constexpr size_t kSameStartEntries = 3'000;
// The index holds the first eight distinct words of a name.
constexpr size_t kMaxQueryWords = 8;

// The prefix scans of stores without the word index: names starting with a word and the
// initial of another, and, bounded so a lookup stays in milliseconds on a large store, names
// starting with the first three letters of a word.
constexpr size_t kNarrowCandidates = 20'000;
constexpr size_t kBroadCandidates = 3'000;

std::vector<std::string> Words(std::string_view key) {
  std::vector<std::string> words;
  for (size_t begin = 0; begin < key.size();) {
    size_t end = key.find(' ', begin);
    if (end == std::string_view::npos) end = key.size();
    if (end > begin) words.emplace_back(key.substr(begin, end - begin));
    begin = end + 1;
  }
  return words;
}

std::string SortedTokens(std::string_view key) {
  std::vector<std::string> tokens = Words(key);
  std::sort(tokens.begin(), tokens.end());
  std::string out;
  for (const std::string& token : tokens) {
    if (!out.empty()) out.push_back(' ');
    out.append(token);
  }
  return out;
}

// Reads candidates and keeps those that score, each node once.
class Scorer {
 public:
  Scorer(std::string_view key, double min_score)
      : key_(key),
        sorted_(SortedTokens(key)),
        single_word_(key.find(' ') == std::string_view::npos),
        min_score_(min_score) {}

  void Add(std::string_view candidate, NodeId node) {
    if (candidate == key_ || !seen_.insert(node).second) return;
    const double score = Score(candidate);
    if (score >= min_score_) near_.push_back(NearName{score, std::string(candidate), node});
  }

  std::vector<NearName> Ranked() && {
    std::sort(near_.begin(), near_.end(), [](const NearName& a, const NearName& b) {
      return a.score != b.score ? a.score > b.score : a.node < b.node;
    });
    return std::move(near_);
  }

 private:
  // The better of the key as written and its words sorted, against the query the same ways; for
  // a query of one word (a surname or a given name alone), the candidate's closest word.
  double Score(std::string_view candidate) {
    const double as_written = detect::JaroWinkler(key_, candidate);
    words_.clear();
    for (size_t begin = 0; begin < candidate.size();) {
      size_t end = candidate.find(' ', begin);
      if (end == std::string_view::npos) end = candidate.size();
      if (end > begin) words_.push_back(candidate.substr(begin, end - begin));
      begin = end + 1;
    }
    if (single_word_) {
      double best = as_written;
      for (std::string_view word : words_) best = std::max(best, detect::JaroWinkler(key_, word));
      return best;
    }
    if (std::is_sorted(words_.begin(), words_.end()) && key_ == sorted_) return as_written;
    std::sort(words_.begin(), words_.end());
    sorted_candidate_.clear();
    for (std::string_view word : words_) {
      if (!sorted_candidate_.empty()) sorted_candidate_.push_back(' ');
      sorted_candidate_.append(word);
    }
    return std::max(as_written, detect::JaroWinkler(sorted_, sorted_candidate_));
  }

  std::string_view key_;
  std::string sorted_;
  bool single_word_;
  double min_score_;
  absl::flat_hash_set<NodeId> seen_;
  std::vector<NearName> near_;
  std::vector<std::string_view> words_;  // reused from candidate to candidate
  std::string sorted_candidate_;
};

Status FromWordIndex(storage::StoreReader& store, const std::vector<std::string>& words,
                     Scorer& scorer) {
  auto scan = [&](std::string_view word, std::string_view partner_prefix, size_t limit) {
    return store.ForEachByNameWord(
        word, partner_prefix, limit,
        [&scorer](std::string_view name_key, NodeId node) { scorer.Add(name_key, node); });
  };
  // Each word's spellings: itself when some name has it, then the stored words like it.
  std::vector<std::vector<std::string>> spellings(words.size()), same_start(words.size());
  std::vector<bool> stored(words.size(), false);
  for (size_t i = 0; i < words.size(); ++i) {
    TRAFNET_ASSIGN_OR_RETURN(same_start[i],
                             store.NameWordsWithPrefix(words[i].substr(0, 3), kSpellingsPerPrefix));
    for (const std::string& word : same_start[i]) {
      if (word == words[i]) {
        stored[i] = true;
        spellings[i].insert(spellings[i].begin(), word);
      } else if (detect::JaroWinkler(words[i], word) >= kSpellingSimilarity) {
        spellings[i].push_back(word);
      }
    }
  }
  // The persons with any word of a query word's first three letters, bounded: what the prefix
  // scans' second pass reads, for a word misspelt beyond recognition or names close only as
  // wholes ("mirjana milenkovic" for "srdjan mirkovic"). The words most like the query word
  // are read first, so the budget goes to the likeliest names rather than to the
  // alphabetically first ("milan…" before "milos" for "milrad").
  for (size_t i = 0; i < words.size(); ++i) {
    std::vector<std::pair<double, const std::string*>> nearest;
    for (const std::string& word : same_start[i])
      nearest.emplace_back(detect::JaroWinkler(words[i], word), &word);
    std::stable_sort(nearest.begin(), nearest.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    size_t budget = kSameStartEntries;
    for (const auto& [similarity, stored_word] : nearest) {
      const std::string& word = *stored_word;
      if (budget == 0) break;
      size_t read = 0;
      TRAFNET_RETURN_IF_ERROR(store.ForEachByNameWord(
          word, "", budget, [&](std::string_view name_key, NodeId node) {
            ++read;
            scorer.Add(name_key, node);
          }));
      budget -= read;
    }
  }
  if (words.size() == 1) {
    for (const std::string& spelling : spellings[0]) {
      TRAFNET_RETURN_IF_ERROR(scan(spelling, "", spelling == words[0] ? kWordScanEntries
                                                                       : kSpellingScanEntries));
    }
    return Status::Ok();
  }
  for (size_t i = 0; i < words.size(); ++i) {
    for (size_t j = 0; j < words.size(); ++j) {
      if (j == i) continue;
      // A spelling of this word with one of that word (both orders are indexed: once per pair).
      if (i < j) {
        for (const std::string& spelling : spellings[i]) {
          for (const std::string& partner : spellings[j]) {
            TRAFNET_RETURN_IF_ERROR(scan(spelling, partner, kWordScanEntries));
          }
        }
      }
      // This word as written with any word starting like that word: a slip anywhere in the
      // rest of it.
      if (stored[i]) {
        TRAFNET_RETURN_IF_ERROR(
            scan(words[i], std::string_view(words[j]).substr(0, 1), kWordScanEntries));
      }
    }
    // A spelling of this word with any other word, bounded: the other word may be anything
    // that still leaves the names close ("biljana ristovska" for "biljana jovanovska").
    for (const std::string& spelling : spellings[i]) {
      TRAFNET_RETURN_IF_ERROR(scan(spelling, "", kSpellingScanEntries));
    }
  }
  return Status::Ok();
}

Status FromPrefixScans(const storage::Store& store, const std::vector<std::string>& words,
                       Scorer& scorer) {
  std::map<std::string, size_t> prefixes;  // prefix → how many candidates to scan
  for (size_t i = 0; i < words.size(); ++i) {
    if (words.size() == 1) prefixes[words[i]] = kNarrowCandidates;
    for (size_t j = 0; j < words.size(); ++j) {
      if (j != i) prefixes[words[i] + " " + words[j].substr(0, 1)] = kNarrowCandidates;
    }
    prefixes.try_emplace(words[i].substr(0, 3), kBroadCandidates);
  }
  for (const auto& [prefix, limit] : prefixes) {
    TRAFNET_ASSIGN_OR_RETURN(auto found, store.FindByNameKeyPrefix(prefix, limit));
    for (const auto& [candidate, node] : found) scorer.Add(candidate, node);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<NearName>> FindNearNames(const storage::Store& store, std::string_view key,
                                              double min_score, NameCandidates from) {
  Scorer scorer(key, min_score);
  if (from == NameCandidates::kWordIndex) {
    // Distinct words, as many as the index holds per name.
    std::vector<std::string> words;
    for (std::string& word : Words(key)) {
      if (words.size() < kMaxQueryWords && std::find(words.begin(), words.end(), word) == words.end())
        words.push_back(std::move(word));
    }
    TRAFNET_RETURN_IF_ERROR(FromWordIndex(*store.NewReader(), words, scorer));
  } else {
    TRAFNET_RETURN_IF_ERROR(FromPrefixScans(store, Words(key), scorer));
  }
  return std::move(scorer).Ranked();
}

}  // namespace trafnet::engine
