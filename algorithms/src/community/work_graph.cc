// The working graph of the community kernels: building it from a CsrGraph, aggregating it by
// a partition (the "phase 2" of Louvain and Leiden), and the partition bookkeeping around it.
//
// Aggregation groups the nodes by community with a counting sort, then for each community
// sums the weights of its members' arcs per neighbouring community in a dense scratch array,
// so it runs in O(n + m) time and O(n) extra memory, and the arc order (hence every later
// random choice) depends only on the input. Leiden's first aggregation, of sub-communities of
// a few nodes each, leaves the arcs unmerged instead (see Aggregate in the header).
#include <algorithm>
#include <numeric>
#include <vector>

#include "community/community_internal.h"
#include "graph_transforms.h"
#include "parallel.h"

namespace trafnet::algorithms::community_internal {

namespace {
// Parallel passes are cut into at most this many chunks (of communities or nodes), whatever
// the thread count.
constexpr size_t kChunks = 256;
}  // namespace

WorkGraph BuildWorkGraph(const CsrGraph& input, QualityFunction quality, double resolution,
                         Objective& objective, double& total_weight, unsigned threads) {
  CsrGraph undirected_storage;
  const CsrGraph& graph = AsUndirected(input, undirected_storage);
  const Vertex n = graph.num_vertices();
  WorkGraph work;
  work.num_nodes = n;
  work.offsets.assign(static_cast<size_t>(n) + 1, 0);
  work.node_weight.assign(n, 1.0);
  // Two passes over chunks of nodes: each node's arcs other than self-loops counted and its
  // strength summed (self-loops included), then, at the offsets those counts give, the arcs
  // copied. Strengths and the total are summed in the same order whatever the thread count.
  std::vector<double> strength(n, 0.0);
  const internal::ChunkPlan plan = internal::PlanChunks(n, kChunks);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    for (auto v = static_cast<Vertex>(plan.begin(chunk)); v < plan.end(chunk); ++v) {
      std::span<const Vertex> targets = graph.neighbours(v);
      double sum = 0.0;
      uint64_t kept = 0;
      for (size_t i = 0; i < targets.size(); ++i) {
        sum += graph.weighted() ? graph.weights(v)[i] : 1.0;
        kept += targets[i] != v;
      }
      strength[v] = sum;
      work.offsets[v + 1] = kept;
    }
  });
  std::partial_sum(work.offsets.begin(), work.offsets.end(), work.offsets.begin());
  work.targets.resize(work.offsets[n]);
  if (graph.weighted()) work.weights.resize(work.offsets[n]);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    for (auto v = static_cast<Vertex>(plan.begin(chunk)); v < plan.end(chunk); ++v) {
      std::span<const Vertex> targets = graph.neighbours(v);
      uint64_t out = work.offsets[v];
      for (size_t i = 0; i < targets.size(); ++i) {
        if (targets[i] == v) continue;
        work.targets[out] = targets[i];
        if (graph.weighted()) work.weights[out] = graph.weights(v)[i];
        ++out;
      }
    }
  });
  total_weight = 0.0;
  for (Vertex v = 0; v < n; ++v) {
    total_weight += strength[v];
    if (quality == QualityFunction::kModularity) work.node_weight[v] = strength[v];
  }
  if (quality == QualityFunction::kModularity) {
    objective.lambda = total_weight > 0.0 ? resolution / total_weight : 0.0;
  } else {
    objective.lambda = resolution;
  }
  objective.min_sweep_gain = 1e-6 * total_weight / 2.0;
  return work;
}

Groups GroupMembers(const std::vector<uint32_t>& community, uint32_t count) {
  Groups groups;
  groups.first.assign(static_cast<size_t>(count) + 1, 0);
  for (uint32_t c : community) ++groups.first[c + 1];
  std::partial_sum(groups.first.begin(), groups.first.end(), groups.first.begin());
  groups.members.resize(community.size());
  std::vector<uint32_t> cursor(groups.first.begin(), groups.first.end() - 1);
  for (uint32_t v = 0; v < community.size(); ++v) groups.members[cursor[community[v]]++] = v;
  return groups;
}

void RenumberByCommunity(WorkGraph& graph, std::vector<uint32_t>& community, uint32_t count,
                         std::vector<uint32_t>& payload, unsigned threads) {
  const uint32_t n = graph.num_nodes;
  const Groups groups = GroupMembers(community, count);
  const std::vector<uint32_t>& old_of = groups.members;  // new id -> old id
  std::vector<uint32_t> new_of(n);
  for (uint32_t i = 0; i < n; ++i) new_of[old_of[i]] = i;

  WorkGraph renumbered;
  renumbered.num_nodes = n;
  renumbered.offsets.resize(static_cast<size_t>(n) + 1);
  renumbered.offsets[0] = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t v = old_of[i];
    renumbered.offsets[i + 1] = renumbered.offsets[i] + (graph.offsets[v + 1] - graph.offsets[v]);
  }
  renumbered.targets.resize(graph.targets.size());
  renumbered.weights.resize(graph.weights.size());
  renumbered.node_weight.resize(n);
  std::vector<uint32_t> renumbered_community(n);
  std::vector<uint32_t> renumbered_payload(n);
  const internal::ChunkPlan plan = internal::PlanChunks(n, kChunks);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    const size_t chunk_end = plan.end(chunk);
    for (size_t i = plan.begin(chunk); i < chunk_end; ++i) {
      const uint32_t v = old_of[i];
      // Nodes are read in their new order, i.e. all over the old arrays.
      PrefetchFarAhead(graph, old_of.data(), i, chunk_end, new_of.data());
      const uint64_t begin = graph.offsets[v];
      const uint64_t end = graph.offsets[v + 1];
      const uint64_t out = renumbered.offsets[i];
      for (uint64_t k = begin; k < end; ++k)
        renumbered.targets[out + k - begin] = new_of[graph.targets[k]];
      if (!graph.weights.empty()) {
        std::copy(graph.weights.begin() + static_cast<ptrdiff_t>(begin),
                  graph.weights.begin() + static_cast<ptrdiff_t>(end),
                  renumbered.weights.begin() + static_cast<ptrdiff_t>(out));
      }
      renumbered.node_weight[i] = graph.node_weight[v];
      renumbered_community[i] = community[v];
      renumbered_payload[i] = payload[v];
    }
  });
  graph = std::move(renumbered);
  community = std::move(renumbered_community);
  payload = std::move(renumbered_payload);
}

WorkGraph Aggregate(const WorkGraph& graph, const std::vector<uint32_t>& community, uint32_t count,
                    unsigned threads, bool merge_arcs) {
  const Groups groups = GroupMembers(community, count);
  const std::vector<uint32_t>& first = groups.first;
  const std::vector<uint32_t>& members = groups.members;

  WorkGraph aggregate;
  aggregate.num_nodes = count;
  aggregate.offsets.assign(static_cast<size_t>(count) + 1, 0);
  aggregate.node_weight.assign(count, 0.0);
  // Each chunk of communities collects its arcs apart; they are then laid end to end in chunk
  // order, so the arc order is the same for any thread count.
  struct Chunk {
    std::vector<uint32_t> targets;
    std::vector<double> weights;
  };
  struct Scratch {
    std::vector<double> weight_to;
    std::vector<uint32_t> seen_by;
    std::vector<uint32_t> touched;
    std::vector<uint32_t> around;
  };
  const internal::ChunkPlan plan = internal::PlanChunks(count, kChunks);
  std::vector<Chunk> chunks(plan.num_chunks);
  std::vector<Scratch> scratch(std::max(1u, threads));
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned worker) {
    Scratch& local = scratch[worker];
    if (merge_arcs && local.seen_by.empty()) {  // unmerged arcs need no per-neighbour sums
      local.weight_to.assign(count, 0.0);
      local.seen_by.assign(count, UINT32_MAX);
    }
    Chunk& out = chunks[chunk];
    // At most one arc per arc of the members: reserved, the chunk's arrays are never copied
    // as they grow (and the pages of what is not used are never touched).
    uint64_t bound = 0;
    for (uint32_t i = first[plan.begin(chunk)]; i < first[plan.end(chunk)]; ++i)
      bound += graph.offsets[members[i] + 1] - graph.offsets[members[i]];
    out.targets.reserve(bound);
    if (merge_arcs || !graph.weights.empty()) out.weights.reserve(bound);
    for (size_t cc = plan.begin(chunk); cc < plan.end(chunk); ++cc) {
      const auto c = static_cast<uint32_t>(cc);
      double node_weight = 0.0;
      const uint64_t before = out.targets.size();
      for (uint32_t i = first[c]; i < first[c + 1]; ++i) {
        const uint32_t v = members[i];
        PrefetchNodeArcs(graph, members.data(), i, members.size());
        if (i + 2 < members.size())
          PrefetchNeighbourEntries(graph, members[i + 2], community.data());
        node_weight += graph.node_weight[v];
        if (!merge_arcs) {
          // Each arc leaving the community is copied as it is: no scratch, no sums.
          for (uint64_t k = graph.offsets[v]; k < graph.offsets[v + 1]; ++k) {
            const uint32_t d = community[graph.targets[k]];
            if (d == c) continue;
            out.targets.push_back(d);
            if (!graph.weights.empty()) out.weights.push_back(graph.weights[k]);
          }
          continue;
        }
        // The neighbours' communities first: independent loads, which the processor can
        // overlap, where the bookkeeping below would chain each miss to the one before.
        const uint64_t begin = graph.offsets[v];
        const uint64_t degree = graph.offsets[v + 1] - begin;
        local.around.resize(degree);
        for (uint64_t k = 0; k < degree; ++k) local.around[k] = community[graph.targets[begin + k]];
        for (uint64_t k = 0; k < degree; ++k) {
          const uint32_t d = local.around[k];
          if (d == c) continue;
          const double w = graph.weights.empty() ? 1.0 : graph.weights[begin + k];
          if (local.seen_by[d] != c) {
            local.seen_by[d] = c;
            local.weight_to[d] = 0.0;
            local.touched.push_back(d);
          }
          local.weight_to[d] += w;
        }
      }
      aggregate.node_weight[c] = node_weight;
      if (!merge_arcs) {
        aggregate.offsets[c + 1] = out.targets.size() - before;
        continue;
      }
      for (uint32_t d : local.touched) {
        out.targets.push_back(d);
        out.weights.push_back(local.weight_to[d]);
      }
      aggregate.offsets[c + 1] = local.touched.size();
      local.touched.clear();
    }
  });
  std::partial_sum(aggregate.offsets.begin(), aggregate.offsets.end(), aggregate.offsets.begin());
  aggregate.targets.resize(aggregate.offsets[count]);
  if (merge_arcs || !graph.weights.empty()) aggregate.weights.resize(aggregate.offsets[count]);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned) {
    Chunk& in = chunks[chunk];
    const uint64_t at = aggregate.offsets[plan.begin(chunk)];
    std::copy(in.targets.begin(), in.targets.end(),
              aggregate.targets.begin() + static_cast<ptrdiff_t>(at));
    if (!in.weights.empty()) {
      std::copy(in.weights.begin(), in.weights.end(),
                aggregate.weights.begin() + static_cast<ptrdiff_t>(at));
    }
    in = Chunk();
  });
  return aggregate;
}

uint32_t Compact(std::vector<uint32_t>& labels, uint32_t bound) {
  std::vector<uint32_t> id_of(bound, UINT32_MAX);
  uint32_t count = 0;
  for (uint32_t& label : labels) {
    uint32_t& id = id_of[label];
    if (id == UINT32_MAX) id = count++;
    label = id;
  }
  return count;
}

uint32_t SplitDisconnected(const WorkGraph& graph, std::vector<uint32_t>& community,
                           unsigned threads, const std::vector<char>* suspect) {
  // A breadth-first search from each node not yet reached, along arcs inside its community,
  // finds one connected part. Communities are searched apart, in chunks on up to `threads`
  // workers; a part is first labelled by the node it was found from, its smallest (each
  // community's nodes are tried in increasing order), then parts are numbered in order of it.
  const uint32_t n = graph.num_nodes;
  constexpr uint32_t kUnseen = UINT32_MAX;
  uint32_t bound = 0;
  for (uint32_t c : community) bound = std::max(bound, c + 1);
  const Groups groups = GroupMembers(community, bound);
  std::vector<uint32_t> part(n, kUnseen);
  std::vector<std::vector<uint32_t>> frontiers(std::max(1u, threads));
  const internal::ChunkPlan plan = internal::PlanChunks(bound, kChunks);
  internal::ForEachChunk(plan.num_chunks, threads, [&](size_t chunk, unsigned worker) {
    std::vector<uint32_t>& frontier = frontiers[worker];
    for (size_t c = plan.begin(chunk); c < plan.end(chunk); ++c) {
      if (suspect != nullptr && !(*suspect)[c]) {
        // Known to be connected: one part, found from its smallest node, without a search.
        for (uint32_t i = groups.first[c]; i < groups.first[c + 1]; ++i)
          part[groups.members[i]] = groups.members[groups.first[c]];
        continue;
      }
      for (uint32_t i = groups.first[c]; i < groups.first[c + 1]; ++i) {
        const uint32_t start = groups.members[i];
        if (part[start] != kUnseen) continue;
        part[start] = start;
        frontier.assign(1, start);
        for (size_t f = 0; f < frontier.size(); ++f) {
          if (f + 2 < frontier.size())
            PrefetchNeighbourEntries(graph, frontier[f + 2], community.data());
          for (uint32_t u : graph.Neighbours(frontier[f])) {
            if (community[u] == c && part[u] == kUnseen) {
              part[u] = start;
              frontier.push_back(u);
            }
          }
        }
      }
    }
  });
  uint32_t count = 0;
  for (uint32_t v = 0; v < n; ++v) {
    if (part[v] == v) community[v] = count++;  // v found its part, whose nodes all follow it
  }
  for (uint32_t v = 0; v < n; ++v) community[v] = community[part[v]];
  return count;
}

StatusOr<CommunityResult> FinishResult(const CsrGraph& graph, std::vector<uint32_t> membership,
                                       QualityFunction quality, double resolution, int iterations,
                                       std::optional<KnownQuality> known) {
  const uint32_t n = graph.num_vertices();
  const uint32_t count = Compact(membership, n);
  // After Compact, community ids are in order of smallest vertex.
  std::vector<uint64_t> sizes(count, 0);
  for (uint32_t c : membership) ++sizes[c];
  std::vector<uint32_t> by_rank(count);
  std::iota(by_rank.begin(), by_rank.end(), 0);
  std::stable_sort(by_rank.begin(), by_rank.end(),
                   [&](uint32_t a, uint32_t b) { return sizes[a] > sizes[b]; });
  std::vector<uint32_t> rank_of(count);
  for (uint32_t r = 0; r < count; ++r) rank_of[by_rank[r]] = r;

  CommunityResult result;
  result.count = count;
  result.iterations = iterations;
  result.sizes.resize(count);
  for (uint32_t c = 0; c < count; ++c) result.sizes[rank_of[c]] = sizes[c];
  for (uint32_t& c : membership) c = rank_of[c];
  result.membership = std::move(membership);
  if (known.has_value()) {
    result.modularity = known->modularity;
    result.quality = known->quality;
    return result;
  }
  TRAFNET_ASSIGN_OR_RETURN(result.modularity, Modularity(graph, result.membership, 1.0));
  if (quality == QualityFunction::kModularity && resolution == 1.0) {
    result.quality = result.modularity;
  } else if (quality == QualityFunction::kModularity) {
    TRAFNET_ASSIGN_OR_RETURN(result.quality, Modularity(graph, result.membership, resolution));
  } else {
    TRAFNET_ASSIGN_OR_RETURN(result.quality, CpmQuality(graph, result.membership, resolution));
  }
  return result;
}

}  // namespace trafnet::algorithms::community_internal
