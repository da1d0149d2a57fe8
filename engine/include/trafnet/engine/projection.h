// Graph projections: from the store's records to the immutable CSR graph the algorithms run on.
//
// `full` keeps every node (optionally of some kinds only) and every link (optionally of some
// types, in a time window). `persons` keeps persons only and joins two of them when they are
// linked directly (KNOWS, FAMILY, PAID, …), use the same phone, live or stay at the same address
// at overlapping times, or when one's phone called or messaged the other's. Identifiers shared
// by many people — a hostel, a taxi number, a family landline — say little about any two of
// them: a tie through an identifier with k users is worth 1/(k-1) of a direct one, and past
// `shared_cap` users the identifier joins nobody, so one pizza number does not make a city one
// community.
//
// Both are built from one consistent snapshot of the store in a single scan of its nodes and
// observations, with no per-edge heap objects: edges go into flat arrays, are sorted, and
// parallel ones are merged (weights summed). Self-loops are dropped. Vertices are numbered in
// node id order, so the same store gives the same graph.
#ifndef TRAFNET_ENGINE_PROJECTION_H_
#define TRAFNET_ENGINE_PROJECTION_H_

#include <filesystem>
#include <string>
#include <vector>

#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/base/status.h"
#include "trafnet/engine/vertex_strings.h"
#include "trafnet/storage/store.h"

namespace trafnet::engine {

enum class GraphKind { kFull, kPersons };

// How much each kind of tie between two persons weighs in the `persons` graph.
struct PersonTieWeights {
  double direct = 1.0;          // a person–person link of any type
  double shared_phone = 1.0;    // both linked to one phone (discounted by its users)
  double shared_address = 1.0;  // both linked to one address at overlapping times (discounted)
  double call = 1.0;            // a call or message between phones they use (discounted)
};

struct ProjectionOptions {
  GraphKind kind = GraphKind::kFull;
  // Directed: links keep their direction (symmetric types give both arcs). Undirected: one
  // edge per linked pair.
  bool directed = false;
  // Weighted: an edge weighs the sum of its links' observation counts (full), or the sum of its
  // ties' weights (persons). Unweighted: every edge weighs 1.
  bool weighted = false;
  // `full` only: node kinds to keep; empty keeps all.
  std::vector<std::string> node_kinds;
  // Link types to use; empty uses all.
  std::vector<std::string> link_types;
  // Observations outside the window are ignored (see storage::LinkScanOptions).
  storage::LinkScanOptions window;
  PersonTieWeights ties;
  // `persons` only: a phone or address linked to more persons than this joins none of them.
  uint32_t shared_cap = 25;
  // Persons only: a phone in touch with more distinct phones than this (a service number)
  // joins nobody by its calls.
  uint32_t call_hub_cap = 100;
  // Threads reading the store's links side by side (storage::Store::ScanGraphInParts); the
  // graph is the same for any number.
  unsigned threads = 1;
};

struct Projection {
  algorithms::CsrGraph graph;
  // Per vertex: the store's node id, its kind and its record id as ingested (E.164 for phones).
  std::vector<storage::NodeId> node;
  LabelColumn kind;
  StringColumn id;
  // Per vertex: the person's known status (victim, suspect, convicted, witness) or "".
  LabelColumn status;
  // How it was made, for reports ("persons, undirected, unweighted, cap 25").
  std::string description;
};

// Builds the projection from one snapshot of the store.
StatusOr<Projection> BuildProjection(const storage::Store& store, const ProjectionOptions& options);

// A compact binary file holding the graph and the vertex map, so repeated analyses skip the
// store scan. The file is for this machine (native byte order) and names its format version.
Status SaveProjection(const Projection& projection, const std::filesystem::path& path);
StatusOr<Projection> LoadProjection(const std::filesystem::path& path);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_PROJECTION_H_
