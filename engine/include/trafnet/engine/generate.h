// A synthetic world in the v1 input contract, for the demo, tests and benchmarks.
//
// Households, friendships, workplaces and calls among ordinary people, plus K planted
// recruitment networks: recruiters contacting young people from several towns who were not
// connected before, who later stay together at a few addresses; a controller's phone used by
// several of them; drivers; payments towards the controller. Networks exploit their victims
// sexually (young women in a flat or hotel) or for labour (mostly men at a worksite, employed by
// the controller and brought by van), at home or abroad. truth.csv names each planted network's
// members and roles, truth_networks.csv its shape. Innocent look-alikes (decoys) resemble pieces
// of a network: employment agencies, large families on one landline, landlords, van drivers,
// hostels; decoys.csv lists the persons in each, so an evaluator can tell what a false alarm
// was. The mess of real data is there too: Cyrillic and Latin spellings of the same names, phone
// numbers in several national and international formats, and some persons recorded by two
// agencies under different ids.
//
// Deterministic: the same options give byte-identical files.
#ifndef TRAFNET_ENGINE_GENERATE_H_
#define TRAFNET_ENGINE_GENERATE_H_

#include <cstdint>
#include <filesystem>
#include <functional>

#include "trafnet/base/status.h"

namespace trafnet::engine {

struct GenerateOptions {
  std::filesystem::path out_dir;  // created if missing; files in it are overwritten
  uint64_t persons = 10000;       // ordinary persons (planted members come on top)
  uint32_t networks = 5;          // planted recruitment networks
  uint64_t seed = 1;
};

struct GenerateSummary {
  uint64_t persons = 0;          // rows in persons.csv
  uint64_t addresses = 0;        // rows in addresses.csv
  uint64_t phones = 0;           // rows in phones.csv
  uint64_t links = 0;            // rows in links.csv
  uint64_t planted_members = 0;  // rows in truth.csv
  uint64_t decoys = 0;           // decoy instances (distinct `decoy` ids) in decoys.csv
};

// Called now and then with the fraction done in [0, 1].
using GenerateProgress = std::function<void(double fraction)>;

// Writes persons.csv, addresses.csv, phones.csv and links.csv (the v1 input contract) and the
// answer key truth.csv (`network,person_id,role`), truth_networks.csv
// (`network,exploitation,destination,known_victim`) and decoys.csv (`decoy,person_id,kind`) into
// out_dir. Ingest reads the first four and ignores the rest.
StatusOr<GenerateSummary> GenerateWorld(const GenerateOptions& options,
                                        const GenerateProgress& progress = {});

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_GENERATE_H_
