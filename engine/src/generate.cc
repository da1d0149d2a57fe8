// GenerateWorld: validates the options, then runs the phases over one World, streaming rows to
// the seven files as it goes. Memory is a few dozen bytes per person plus fixed-size buffers.
#include "trafnet/engine/generate.h"

#include <string>

#include "generate_world.h"

namespace trafnet::engine {
namespace {

// Person indexes are 32-bit; stay well clear of the limit (planted members come on top).
constexpr uint64_t kMaxPersons = 1'000'000'000;
constexpr uint32_t kMaxNetworks = 100'000;

}  // namespace

StatusOr<GenerateSummary> GenerateWorld(const GenerateOptions& options,
                                        const GenerateProgress& progress) {
  if (options.out_dir.empty()) {
    return InvalidArgumentError("no output folder: name the directory to write the CSV files into");
  }
  if (options.persons == 0) {
    return InvalidArgumentError("--persons is 0: ask for at least one person");
  }
  if (options.persons > kMaxPersons) {
    return InvalidArgumentError("--persons is " + std::to_string(options.persons) + ": at most " +
                                std::to_string(kMaxPersons) + " are supported");
  }
  if (options.networks > kMaxNetworks) {
    return InvalidArgumentError("--networks is " + std::to_string(options.networks) + ": at most " +
                                std::to_string(kMaxNetworks) + " are supported");
  }

  gen::World world(options, progress);
  TRAFNET_RETURN_IF_ERROR(world.Open());
  world.Progress(0.0);
  world.ordinary = options.persons;
  world.people.resize(options.persons);

  gen::WritePlaces(world);
  gen::PlanNetworks(world);
  gen::PlanDecoys(world);
  gen::GeneratePopulation(world);
  Status status = world.status();
  uint64_t decoys = 0;
  if (status.ok()) {
    gen::GroupByTown(world);
    world.StartDeferringLinks();
    gen::GenerateNetworks(world);
    gen::Rng rng(options.seed, gen::Stream::kDuplicates);
    // Ordinary social life writes about five links per person; planted links land among them.
    world.ScheduleDeferredLinks(options.persons * 5, rng);
    gen::GenerateSocialLife(world);
    gen::GenerateLookAlikes(world);
    gen::GenerateDecoys(world);
    world.ReleaseDeferredLinks();
    world.FlushDuplicatesDue(true);
    decoys = world.WriteDecoys();
    status = world.status();
  }
  Status closed = world.Close();
  if (!status.ok()) return status;
  if (!closed.ok()) return closed;

  GenerateSummary summary;
  summary.persons = world.persons_csv.rows();
  summary.addresses = world.addresses_csv.rows();
  summary.phones = world.phones_csv.rows();
  summary.links = world.links_csv.rows();
  summary.planted_members = world.truth_csv.rows();
  summary.decoys = decoys;
  world.Progress(1.0);
  return summary;
}

}  // namespace trafnet::engine
