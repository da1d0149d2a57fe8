// trafnet evaluate
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands.h"
#include "trafnet/engine/evaluate.h"

namespace trafnet::tools {

namespace {

struct EvaluateArgs {
  std::string truth;
  std::string report;
  std::string decoys;
  bool json = false;
};

nlohmann::ordered_json FindingJson(const std::optional<engine::Finding>& finding) {
  if (!finding) return nullptr;
  return {{"network", finding->network},
          {"rank", finding->rank},
          {"overlap", finding->overlap},
          {"members", finding->members}};
}

nlohmann::ordered_json EvaluationJson(const EvaluateArgs& args,
                                      const engine::Evaluation& evaluation) {
  nlohmann::ordered_json json;
  json["truth"] = args.truth;
  json["report"] = args.report;
  json["decoys"] =
      args.decoys.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(args.decoys);
  json["planted"] = evaluation.planted;
  json["reported"] = evaluation.reported;
  json["considered"] = evaluation.considered;
  json["found"] = evaluation.found;
  json["recall"] = evaluation.recall;
  json["matching"] = evaluation.matching;
  json["precision"] = evaluation.precision;
  json["key_role_hits"] = evaluation.key_role_hits;
  json["key_role_rate"] = evaluation.key_role_rate;
  if (evaluation.decoys_given) {
    auto flagged = nlohmann::ordered_json::array();
    for (const engine::DecoyFlag& flag : evaluation.decoys_in_top_k) {
      flagged.push_back({{"network", flag.network},
                         {"rank", flag.rank},
                         {"decoy", flag.decoy},
                         {"kind", flag.kind},
                         {"in_decoy", flag.in_decoy},
                         {"members", flag.members}});
    }
    json["decoys_in_top_k"] = {{"top_k", evaluation.decoy_window},
                               {"count", evaluation.decoys_in_top_k.size()},
                               {"networks", flagged}};
  } else {
    json["decoys_in_top_k"] = nullptr;
  }
  auto& networks = json["networks"] = nlohmann::ordered_json::array();
  for (const engine::PlantedOutcome& outcome : evaluation.networks) {
    const bool found = outcome.found_by.has_value();
    networks.push_back(
        {{"network", outcome.network},
         {"members", outcome.members},
         {"found", found},
         {"found_by", FindingJson(outcome.found_by)},
         {"key_role_in_top_three", found ? nlohmann::ordered_json(outcome.key_role_in_top_three)
                                         : nlohmann::ordered_json(nullptr)},
         {"found_beyond", FindingJson(outcome.found_beyond)}});
  }
  return json;
}

std::string FindingText(const engine::Finding& finding, size_t planted_members) {
  return fmt::format("{} (rank {}): {} of {} planted, {} of {} flagged", finding.network,
                     finding.rank, finding.overlap, planted_members, finding.overlap,
                     finding.members);
}

void PrintTable(const EvaluateArgs& args, const engine::Evaluation& evaluation) {
  std::printf("%s against %s\n", args.report.c_str(), args.truth.c_str());
  std::printf("  planted networks      %zu\n", evaluation.planted);
  std::printf("  reported networks     %zu (top %zu considered)\n", evaluation.reported,
              evaluation.considered);
  std::printf("  found                 %zu of %zu\n", evaluation.found, evaluation.planted);
  std::printf("  recall                %.3f\n", evaluation.recall);
  std::printf("  precision             %.3f (%zu of %zu considered match a planted network)\n",
              evaluation.precision, evaluation.matching, evaluation.considered);
  std::printf(
      "  key role rate         %.3f (%zu of %zu found with a recruiter or controller in the top "
      "three)\n",
      evaluation.key_role_rate, evaluation.key_role_hits, evaluation.found);
  const std::string decoy_label = fmt::format("decoys in top {}", evaluation.decoy_window);
  if (!evaluation.decoys_given) {
    std::printf("  %-21s not measured (no --decoys)\n", decoy_label.c_str());
  } else {
    std::printf("  %-21s %zu\n", decoy_label.c_str(), evaluation.decoys_in_top_k.size());
    for (const engine::DecoyFlag& flag : evaluation.decoys_in_top_k) {
      std::printf("    %s (rank %u): %zu of %zu members from %s %s\n", flag.network.c_str(),
                  flag.rank, flag.in_decoy, flag.members, flag.kind.c_str(), flag.decoy.c_str());
    }
  }
  for (const engine::PlantedOutcome& outcome : evaluation.networks) {
    std::string line = fmt::format("{}  {} members  ", outcome.network, outcome.members);
    if (outcome.found_by) {
      line += "found by " + FindingText(*outcome.found_by, outcome.members) + "; key role " +
              (outcome.key_role_in_top_three ? "in" : "not in") + " the top three";
    } else if (outcome.found_beyond) {
      line += fmt::format("not found; found below the top {} by {}", evaluation.considered,
                          FindingText(*outcome.found_beyond, outcome.members));
    } else {
      line += "not found";
    }
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace

Action AddEvaluateCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("evaluate",
                                 "Score a report's networks against a generated world's truth.csv");
  auto args = std::make_shared<EvaluateArgs>();
  cmd->add_option("--truth", args->truth, "truth.csv written by `trafnet generate`")->required();
  cmd->add_option("--report", args->report, "report.json written by `trafnet analyze`")->required();
  cmd->add_option(
      "--decoys", args->decoys,
      "decoys.csv written by `trafnet generate`: count innocent look-alikes in the top K");
  cmd->add_flag("--json", args->json, "Print JSON");
  return [=]() {
    engine::EvaluateOptions options;
    options.decoys_csv = args->decoys;
    auto evaluation = engine::Evaluate(args->truth, args->report, options);
    if (!evaluation.ok()) return Fail(evaluation.status().message());
    if (args->json) {
      std::printf("%s\n", EvaluationJson(*args, *evaluation).dump(1).c_str());
    } else {
      PrintTable(*args, *evaluation);
    }
    return kExitOk;
  };
}

}  // namespace trafnet::tools
