// Entity resolution for detection, proposed not imposed: person records that are probably the
// same person are scored, and pairs at or above the acceptance threshold are analysed as one
// person. Records are never merged in the store.
//
// Candidates share a birth date (the blocking key: records without one are never paired).
// A pair's score is 0.6 × name similarity + 0.3 for the shared birth date + 0.1 when the two
// records use a common phone or address (a valid phone or a non-communal address with at most
// `shared_cap` persons linked); name similarity is 1 for equal name keys (which
// already fold scripts, diacritics and case), else the Jaro–Winkler similarity of the keys
// with their words sorted (so "Last, First" meets "First Last"). A pair whose genders are
// both given and differ is never a candidate. With the defaults, equal names and birth date
// are accepted (0.9); a near miss needs a shared identifier as well.
//
// A second pass pairs the users of each phone and non-communal address who share a birth
// date, whatever their names (an alias), and lists them from `report_shared_identifier`; with
// different names they score below acceptance, so they are proposed only.
#ifndef TRAFNET_ENGINE_DETECT_RESOLVE_H_
#define TRAFNET_ENGINE_DETECT_RESOLVE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "case_data.h"
#include "trafnet/engine/detect.h"

namespace trafnet::engine::detect {

// Jaro–Winkler similarity in [0, 1] (Winkler 1990; prefix scale 0.1, up to 4 characters), on
// bytes.
double JaroWinkler(std::string_view a, std::string_view b);

// The bytes of a string counted in 32 bins (byte mod 32), for bounding Jaro–Winkler without
// running it: two strings cannot match more bytes than their bins share. A count past 255
// marks the sketch saturated, and then it bounds nothing.
struct ByteSketch {
  explicit ByteSketch(std::string_view text);
  uint8_t bins[32] = {};
  bool saturated = false;
};

// An upper bound on JaroWinkler(a, b), from the bytes the two can match at most (the sketches'
// shared counts), taking every match as untransposed, and their actual common prefix. O(32).
double JaroWinklerBound(std::string_view a, const ByteSketch& sa, std::string_view b,
                        const ByteSketch& sb);

struct Resolution {
  // Per node: the representative record of its person (the lowest node id of the accepted
  // cluster); every other node is its own.
  std::vector<NodeIndex> representative;
  std::vector<SamePerson> pairs;  // every pair scoring at least the reporting threshold
};

Resolution ResolvePersons(const CaseData& data, const DetectConfig& config);

}  // namespace trafnet::engine::detect

#endif  // TRAFNET_ENGINE_DETECT_RESOLVE_H_
