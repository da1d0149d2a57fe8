// Indicators, score and roles for one candidate group (docs/detection.md gives each indicator's
// rationale and sources). Each indicator is a strength in [0, 1] with a sentence naming the
// records a human can check; the group's score is their weighted mean; each member gets a role
// and a risk from the same evidence.
#ifndef TRAFNET_ENGINE_DETECT_INDICATORS_H_
#define TRAFNET_ENGINE_DETECT_INDICATORS_H_

#include <map>
#include <string>
#include <vector>

#include "case_data.h"
#include "detect_groups.h"
#include "trafnet/engine/detect.h"

namespace trafnet::engine::detect {

// What every group's assessment shares: the data, the person graph, each person's records, and
// proximity to known cases.
struct AssessContext {
  const CaseData* data = nullptr;
  const PersonGraph* graph = nullptr;
  std::vector<std::vector<NodeIndex>> records;  // per vertex, sorted
  std::vector<double> known_case_proximity;     // per vertex, in [0, 1]
  const DetectConfig* config = nullptr;
};
inline constexpr uint32_t kNoGroup = static_cast<uint32_t>(-1);

struct MemberAssessment {
  algorithms::Vertex vertex = 0;
  std::string role = "associate";
  double risk = 0.0;
  std::vector<std::string> reasons;  // empty: nothing found points at this member
};

struct GroupAssessment {
  double score = 0.0;
  std::map<std::string, double> indicators;
  std::vector<std::string> reasons;  // strongest first
  // The members some indicator points at (the lead as reported); the rest of the community is
  // only context.
  std::vector<MemberAssessment> members;
  std::vector<NodeIndex> phones, addresses;  // identifiers that tie the group
};

// Assesses the group `members` (sorted or not; groups found at several scales may overlap).
GroupAssessment AssessGroup(const AssessContext& context,
                            const std::vector<algorithms::Vertex>& members);

}  // namespace trafnet::engine::detect

#endif  // TRAFNET_ENGINE_DETECT_INDICATORS_H_
