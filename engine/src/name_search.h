// Near misses of a name key, for Lookup: candidates from the store's name indexes, ranked by
// Jaro–Winkler similarity (Winkler 1990) of the keys — the better of the key as written and
// its words in sorted order, so a surname written first scores as written last.
//
// Two ways to find candidates (docs/queries.md, "lookup"):
// - the name-word index (stores that have one). Each word of the query has its spellings: the
//   word itself when some name has it, and the stored words sharing its first three letters
//   that score at least 0.8 against it. Candidates are the persons with a spelling of one word
//   and a spelling of another (in any order), and the persons with a spelling of one word and
//   any word starting with another's first letter (a slip anywhere in the rest of it; bounded
//   per scan for spellings other than the word as written);
// - prefix scans of whole name keys (stores written before the index): names starting with a
//   word of the query and the first letter of another, and, bounded, names starting with the
//   first three letters of a word.
#ifndef TRAFNET_ENGINE_SRC_NAME_SEARCH_H_
#define TRAFNET_ENGINE_SRC_NAME_SEARCH_H_

#include <string>
#include <string_view>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/storage/store.h"

namespace trafnet::engine {

enum class NameCandidates { kWordIndex, kPrefixScan };

struct NearName {
  double score = 0;
  std::string key;  // the person's name key
  storage::NodeId node = 0;
};

// Persons whose name key differs from `key` and scores at least `min_score`, best first, then
// by node id. `key` is a name key (NameKeyer), not empty.
StatusOr<std::vector<NearName>> FindNearNames(const storage::Store& store, std::string_view key,
                                              double min_score, NameCandidates from);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_SRC_NAME_SEARCH_H_
