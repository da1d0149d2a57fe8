#include "ingest_inputs.h"

#include <algorithm>

#include "row_rules.h"

namespace trafnet::engine {

namespace {

// The kind of records a file holds, from its name: "persons.csv", "2024-mup-persons.csv",
// "links.jsonl". Empty when the name says nothing; "mixed" for other .jsonl files.
std::string KindFromName(const std::filesystem::path& path, bool jsonl) {
  std::string stem = path.stem().string();
  std::transform(stem.begin(), stem.end(), stem.begin(), [](unsigned char c) { return std::tolower(c); });
  auto ends_with = [&](std::string_view word) {
    if (stem.size() < word.size() || stem.compare(stem.size() - word.size(), word.size(), word) != 0) {
      return false;
    }
    size_t before = stem.size() - word.size();
    return before == 0 || stem[before - 1] == '-' || stem[before - 1] == '_' || stem[before - 1] == '.';
  };
  if (ends_with("persons")) return "person";
  if (ends_with("addresses")) return "address";
  if (ends_with("phones")) return "phone";
  if (ends_with("links")) return "link";
  for (std::string_view kind : {"account", "vehicle", "email", "ad", "company", "document", "device"}) {
    if (ends_with(std::string(kind) + "s")) return std::string(kind);
  }
  return jsonl ? "mixed" : "";
}

int Rank(const std::string& kind) {
  if (kind == "person") return 0;
  if (kind == "address") return 1;
  if (kind == "phone") return 2;
  if (kind == "mixed") return 4;
  if (kind == "link") return 5;
  return 3;
}

}  // namespace

StatusOr<InputPlan> PlanInputs(const std::vector<std::filesystem::path>& inputs) {
  InputPlan plan;
  if (inputs.empty()) return InvalidArgumentError("no input given: name a dataset folder or files");
  for (const auto& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      std::vector<std::filesystem::path> entries;
      for (const auto& entry : std::filesystem::directory_iterator(input, ec)) {
        if (entry.is_regular_file()) entries.push_back(entry.path());
      }
      if (ec) return IoError("cannot list " + input.string() + ": " + ec.message());
      std::sort(entries.begin(), entries.end());
      for (const auto& path : entries) {
        auto ext = path.extension().string();
        bool jsonl = ext == ".jsonl" || ext == ".ndjson";
        std::string kind = (ext == ".csv" || jsonl) ? KindFromName(path, jsonl) : "";
        if (kind.empty()) {
          plan.ignored.push_back(path.string());
        } else {
          plan.files.push_back(InputFile{path, jsonl, kind});
        }
      }
    } else if (std::filesystem::is_regular_file(input, ec)) {
      auto ext = input.extension().string();
      bool jsonl = ext == ".jsonl" || ext == ".ndjson";
      if (!jsonl && ext != ".csv") {
        return InvalidArgumentError(input.string() + ": not a .csv or .jsonl file");
      }
      std::string kind = KindFromName(input, jsonl);
      if (kind.empty()) {
        return InvalidArgumentError(
            input.string() +
            ": cannot tell what records it holds; name it persons.csv, addresses.csv, "
            "phones.csv, links.csv (a prefix like mup-persons.csv is fine) or use JSONL with a "
            "kind field");
      }
      plan.files.push_back(InputFile{input, jsonl, kind});
    } else {
      return NotFoundError(input.string() + ": no such file or folder");
    }
  }
  std::stable_sort(plan.files.begin(), plan.files.end(),
                   [](const InputFile& a, const InputFile& b) { return Rank(a.kind) < Rank(b.kind); });
  if (plan.files.empty()) {
    return InvalidArgumentError("no input files found (expected persons.csv, addresses.csv, "
                                "phones.csv, links.csv or .jsonl files)");
  }
  return plan;
}

}  // namespace trafnet::engine
