// The person graph detection runs communities on, and the candidate groups it yields.
//
// Vertices are resolved persons (one per accepted same-person cluster). Two persons are tied by
// a direct person–person link (weight 1), by a phone both use (1/(k-1) for a phone with k
// users), by an address both live or stay at at overlapping times (1/(k-1), times
// `communal_address_factor` for hostels, dormitories, hotels and shelters), and by calls or
// messages between their phones (1 split over the pairs of users). A phone or address with more
// than `shared_cap` users ties nobody. Ties add up; the graph is undirected and weighted.
//
// Groups are Leiden communities (modularity, seeded) at several scales: the resolution is the
// number of persons over each of kGroupScales, so communities are about as large in a store of
// 20 000 persons as in one of a million (modularity's own scale grows with the graph). A
// community larger than `max_group_size` is split by running Leiden again on its own subgraph,
// recursively, so that large communities are examined in parts rather than flagged whole. A
// network cut in two at one scale is usually whole at another; the groups overlap, and the
// ranking keeps the best of overlapping ones.
#ifndef TRAFNET_ENGINE_DETECT_GROUPS_H_
#define TRAFNET_ENGINE_DETECT_GROUPS_H_

#include <array>
#include <vector>

#include "case_data.h"
#include "trafnet/algorithms/csr_graph.h"
#include "trafnet/engine/detect.h"

namespace trafnet::engine::detect {

struct PersonGraph {
  algorithms::CsrGraph graph;
  std::vector<NodeIndex> person;              // per vertex: the representative record
  std::vector<algorithms::Vertex> vertex_of;  // per node: its person's vertex, or kNoVertex
};
inline constexpr algorithms::Vertex kNoVertex = static_cast<algorithms::Vertex>(-1);

// The person graph of `data` (persons merged into their representatives), tied by the
// analysis core's rule (person_ties.h) on up to `threads` threads; the same graph for any count.
PersonGraph BuildPersonGraph(const CaseData& data, const std::vector<NodeIndex>& representative,
                             const DetectConfig& config, unsigned threads = 1);

inline constexpr std::array<double, 3> kGroupScales = {2000.0, 1000.0, 500.0};

struct Groups {
  std::vector<std::vector<algorithms::Vertex>> groups;  // each sorted; groups in a stable order
  uint64_t communities = 0;  // of the first scale's whole-graph Leiden run
  double modularity = 0.0;
};

// The scales run side by side on up to `threads` workers (Leiden's own passes on the threads
// left over), each seeded on its own; the groups do not depend on the thread count.
StatusOr<Groups> FindGroups(const PersonGraph& graph, const DetectConfig& config, uint64_t seed,
                            int threads);

// The communities of one group's own subgraph and the ties between them.
struct GroupParts {
  std::vector<std::vector<algorithms::Vertex>> members;  // per part, sorted
  std::vector<double> internal;            // per part: weight of the ties inside it
  std::vector<std::vector<double>> ties;   // [a][b]: weight of the ties between parts a and b
};

// Leiden (modularity, resolution 1, seeded) on the subgraph of `group` (sorted); one part when
// it does not split.
StatusOr<GroupParts> SplitGroup(const PersonGraph& graph,
                                const std::vector<algorithms::Vertex>& group, uint64_t seed);

// Which flagged parts of a group are separate networks. Two flagged parts belong to one network
// when the ties directly between them weigh at least `separate_tie` of the smaller one's inner
// ties (transitively); parts that are not flagged are context and join none. Returns each
// network's members (sorted), or nothing when the flagged parts form fewer than two networks —
// then the group is one lead, as it was found.
std::vector<std::vector<algorithms::Vertex>> SeparateNetworks(const GroupParts& parts,
                                                              const std::vector<bool>& flagged,
                                                              double separate_tie);

}  // namespace trafnet::engine::detect

#endif  // TRAFNET_ENGINE_DETECT_GROUPS_H_
