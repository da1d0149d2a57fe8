#include "graph_generators.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string_view>
#include <system_error>
#include <utility>

namespace trafnet::bench {
namespace {

using algorithms::Edge;
using algorithms::Vertex;

// Uniform in [0, range) without modulo bias (Lemire 2019, "Fast random integer generation in an
// interval"), 32-bit variant: every range here is a vertex count.
uint32_t UniformBelow(std::mt19937_64& rng, uint32_t range) {
  uint64_t product = (rng() >> 32) * static_cast<uint64_t>(range);
  auto low = static_cast<uint32_t>(product);
  if (low < range) {
    const uint32_t threshold = static_cast<uint32_t>(-range) % range;
    while (low < threshold) {
      product = (rng() >> 32) * static_cast<uint64_t>(range);
      low = static_cast<uint32_t>(product);
    }
  }
  return static_cast<uint32_t>(product >> 32);
}

// Uniform in [0, 1) from the top 53 bits.
double UniformUnit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

uint64_t PairKey(Vertex a, Vertex b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | b;
}

// Draws keys until `target` distinct ones are held, sorted. Each round draws exactly the
// shortfall, so the set never overshoots and needs no biased trimming; with sparse graphs the
// first round has few duplicates and later rounds are tiny (merged, not re-sorted).
template <typename Draw>
std::vector<uint64_t> DistinctKeys(uint64_t target, Draw draw) {
  std::vector<uint64_t> keys;
  keys.reserve(target);
  while (keys.size() < target) {
    const size_t old_size = keys.size();
    for (uint64_t i = old_size; i < target; ++i) keys.push_back(draw());
    auto middle = keys.begin() + static_cast<std::ptrdiff_t>(old_size);
    std::sort(middle, keys.end());
    std::inplace_merge(keys.begin(), middle, keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  }
  return keys;
}

EdgeList FromKeys(Vertex num_vertices, const std::vector<uint64_t>& keys) {
  EdgeList graph;
  graph.num_vertices = num_vertices;
  graph.edges.reserve(keys.size());
  for (uint64_t key : keys) {
    graph.edges.push_back({static_cast<Vertex>(key >> 32), static_cast<Vertex>(key), 1.0f});
  }
  return graph;
}

}  // namespace

StatusOr<EdgeList> GenerateUniform(const UniformOptions& options) {
  const uint64_t n = options.vertices;
  if (n < 2 || n > UINT32_MAX) return InvalidArgumentError("uniform graph: need 2 <= vertices < 2^32");
  if (options.edges > n * (n - 1) / 2) {
    return InvalidArgumentError("uniform graph: more edges than vertex pairs");
  }
  std::mt19937_64 rng(options.seed);
  std::vector<uint64_t> keys = DistinctKeys(options.edges, [&] {
    Vertex a = UniformBelow(rng, options.vertices);
    Vertex b = UniformBelow(rng, options.vertices - 1);
    if (b >= a) ++b;  // a uniform vertex other than a: no self-loops, no rejection
    return PairKey(a, b);
  });
  return FromKeys(options.vertices, keys);
}

StatusOr<EdgeList> GeneratePreferentialAttachment(const PreferentialAttachmentOptions& options) {
  const uint32_t n = options.vertices;
  const uint32_t m = options.edges_per_vertex;
  if (m < 1 || m >= n) return InvalidArgumentError("preferential attachment: need 1 <= m < vertices");
  std::mt19937_64 rng(options.seed);
  // Each vertex appears once per incident edge, so a uniform pick is degree-proportional.
  std::vector<Vertex> repeated;
  repeated.reserve(2 * static_cast<size_t>(n) * m);
  std::vector<Vertex> targets(m);
  for (uint32_t i = 0; i < m; ++i) targets[i] = i;
  std::vector<uint64_t> keys;
  keys.reserve(static_cast<size_t>(n - m) * m);
  std::vector<Vertex> chosen;
  for (Vertex source = m; source < n; ++source) {
    for (Vertex t : targets) {
      keys.push_back(PairKey(t, source));
      repeated.push_back(t);
      repeated.push_back(source);
    }
    chosen.clear();
    while (chosen.size() < m) {
      Vertex pick = repeated[UniformBelow(rng, static_cast<uint32_t>(repeated.size()))];
      if (std::find(chosen.begin(), chosen.end(), pick) == chosen.end()) chosen.push_back(pick);
    }
    targets = chosen;
  }
  std::sort(keys.begin(), keys.end());
  return FromKeys(n, keys);
}

StatusOr<EdgeList> GeneratePlantedPartition(const PlantedPartitionOptions& options) {
  const uint32_t n = options.vertices;
  const uint32_t k = options.communities;
  if (k < 2 || n / k < 2) {
    return InvalidArgumentError("planted partition: need >= 2 communities of >= 2 vertices");
  }
  if (!(options.mixing >= 0.0 && options.mixing <= 1.0)) {
    return InvalidArgumentError("planted partition: mixing must be in [0, 1]");
  }
  const uint64_t smallest = n / k;
  const uint64_t intra_pairs = k * (smallest * (smallest - 1) / 2);
  const uint64_t inter_pairs = static_cast<uint64_t>(n) * (n - 1) / 2 - intra_pairs;
  // Keep well clear of saturation: near it, drawing distinct pairs by rejection stalls.
  if (static_cast<double>(options.edges) * (1.0 - options.mixing) > 0.5 * intra_pairs ||
      static_cast<double>(options.edges) * options.mixing > 0.5 * inter_pairs) {
    return InvalidArgumentError("planted partition: too many edges for the community sizes");
  }
  std::mt19937_64 rng(options.seed);
  std::vector<Vertex> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  for (uint32_t i = n - 1; i > 0; --i) std::swap(order[i], order[UniformBelow(rng, i + 1)]);
  // Community c holds order[start[c] .. start[c + 1]).
  std::vector<uint32_t> start(k + 1);
  for (uint32_t c = 0; c <= k; ++c) start[c] = static_cast<uint32_t>(uint64_t{c} * n / k);
  std::vector<uint32_t> community_of(n);
  for (uint32_t c = 0; c < k; ++c) {
    for (uint32_t i = start[c]; i < start[c + 1]; ++i) community_of[order[i]] = c;
  }
  std::vector<uint64_t> keys = DistinctKeys(options.edges, [&] {
    if (UniformUnit(rng) >= options.mixing) {
      const uint32_t c = UniformBelow(rng, k);
      const uint32_t size = start[c + 1] - start[c];
      uint32_t a = UniformBelow(rng, size);
      uint32_t b = UniformBelow(rng, size - 1);
      if (b >= a) ++b;
      return PairKey(order[start[c] + a], order[start[c] + b]);
    }
    Vertex a = UniformBelow(rng, n);
    Vertex b;
    do {
      b = UniformBelow(rng, n);
    } while (community_of[b] == community_of[a]);
    return PairKey(a, b);
  });
  return FromKeys(n, keys);
}

Status WriteEdgeList(const EdgeList& graph, const std::filesystem::path& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) return IoError("cannot create " + path.string());
  std::string buffer = "# trafnet edge list: n=" + std::to_string(graph.num_vertices) +
                       " m=" + std::to_string(graph.edges.size()) + " undirected\n";
  constexpr size_t kFlushAt = 1 << 20;
  auto append = [&buffer](Vertex v) {
    char digits[16];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    buffer.append(digits, end);
  };
  for (const Edge& e : graph.edges) {
    append(e.from);
    buffer.push_back(' ');
    append(e.to);
    buffer.push_back('\n');
    if (buffer.size() >= kFlushAt) {
      if (std::fwrite(buffer.data(), 1, buffer.size(), file.get()) != buffer.size()) {
        return IoError("cannot write " + path.string());
      }
      buffer.clear();
    }
  }
  if (std::fwrite(buffer.data(), 1, buffer.size(), file.get()) != buffer.size() ||
      std::fclose(file.release()) != 0) {
    return IoError("cannot write " + path.string());
  }
  return Status::Ok();
}

StatusOr<EdgeList> ReadEdgeList(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path.string());
  // One read of the whole file, then parsing in place: several times faster than iostreams.
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EdgeList graph;
  bool have_header_n = false;
  uint64_t max_id_plus_one = 0;
  const char* p = text.data();
  const char* const end = p + text.size();
  uint64_t line = 0;
  auto skip_blanks = [&] {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
  };
  while (p < end) {
    ++line;
    const char* eol = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (eol == nullptr) eol = end;
    if (*p == '#') {
      std::string_view comment(p, static_cast<size_t>(eol - p));
      const char* const comment_end = comment.data() + comment.size();
      size_t at = comment.find(" n=");
      if (!have_header_n && at != std::string_view::npos) {
        uint32_t n = 0;
        auto [ptr, ec] = std::from_chars(comment.data() + at + 3, comment_end, n);
        if (ec == std::errc()) {
          graph.num_vertices = n;
          have_header_n = true;
        }
      }
      at = comment.find(" m=");
      if (graph.edges.empty() && at != std::string_view::npos) {
        uint64_t m = 0;
        auto [ptr, ec] = std::from_chars(comment.data() + at + 3, comment_end, m);
        if (ec == std::errc()) graph.edges.reserve(m);  // a hint only: growth stays correct
      }
      p = eol + 1;
      continue;
    }
    skip_blanks();
    if (p == eol) {  // blank line
      p = eol + 1;
      continue;
    }
    Vertex u = 0;
    Vertex v = 0;
    auto first = std::from_chars(p, eol, u);
    p = first.ptr;
    skip_blanks();
    auto second = std::from_chars(p, eol, v);
    p = second.ptr;
    skip_blanks();
    if (first.ec != std::errc() || second.ec != std::errc() || p != eol) {
      return CorruptionError(path.string() + ":" + std::to_string(line) +
                             ": expected two vertex ids \"u v\"");
    }
    graph.edges.push_back({u, v, 1.0f});
    max_id_plus_one = std::max<uint64_t>(max_id_plus_one, std::max(u, v) + uint64_t{1});
    p = eol + 1;
  }
  if (!have_header_n) {
    graph.num_vertices = static_cast<Vertex>(max_id_plus_one);
  } else if (max_id_plus_one > graph.num_vertices) {
    return CorruptionError(path.string() + ": a vertex id is >= the header's n=" +
                           std::to_string(graph.num_vertices));
  }
  return graph;
}

algorithms::CsrGraph ToCsr(const EdgeList& graph) {
  return algorithms::CsrGraph::FromEdges(graph.num_vertices, graph.edges, /*directed=*/false,
                                         /*weighted=*/false);
}

}  // namespace trafnet::bench
