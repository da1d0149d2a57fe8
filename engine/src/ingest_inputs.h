// Finding the input files of an ingest and the order to read them in.
#ifndef TRAFNET_ENGINE_SRC_INGEST_INPUTS_H_
#define TRAFNET_ENGINE_SRC_INGEST_INPUTS_H_

#include <filesystem>
#include <string>
#include <vector>

#include "trafnet/base/status.h"

namespace trafnet::engine {

struct InputFile {
  std::filesystem::path path;
  bool jsonl = false;
  // "person", "address", "phone", "link", a generic node kind, or "mixed" for a JSONL file whose
  // rows carry their own `kind`.
  std::string kind;
};

struct InputPlan {
  std::vector<InputFile> files;  // in reading order: persons, addresses, phones, others, links
  std::vector<std::string> ignored;
};

// Expands folders (their persons, addresses, phones, <kind>s and links files, CSV or JSONL) and
// orders the result so that links come after the records they refer to.
StatusOr<InputPlan> PlanInputs(const std::vector<std::filesystem::path>& inputs);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_SRC_INGEST_INPUTS_H_
