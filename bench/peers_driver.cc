// The trafnet side of scripts/bench-peers: writes the benchmark graphs as edge-list files, and
// runs named kernels on such a file, printing one JSON line per kernel with its time and a
// digest of its result that bench/peers/peers.py compares with igraph, graph-tool and networkx.
//
//   peers_driver generate --kind uniform|planted|ba --vertices N [--edges M] [--communities K]
//                         [--mixing X] [--per-vertex P] [--seed S] --out FILE
//   peers_driver run --graph FILE --kernels pagerank,components,... [--threads T] [--repeats R]
//                    [--repeat-seconds S]
//
// Loading, CSR building and digests are not timed; each kernel runs R times (default 3, fewer
// once its runs add up to S seconds, default 30) and all wall times are printed, so the caller
// can take the minimum (the least disturbed run on a shared machine). Exit 1 on a failure, 2 on a bad command line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "graph_generators.h"
#include "trafnet/algorithms/betweenness.h"
#include "trafnet/algorithms/bfs.h"
#include "trafnet/algorithms/closeness.h"
#include "trafnet/algorithms/clustering.h"
#include "trafnet/algorithms/community.h"
#include "trafnet/algorithms/components.h"
#include "trafnet/algorithms/coreness.h"
#include "trafnet/algorithms/pagerank.h"

namespace {

namespace algo = trafnet::algorithms;
using nlohmann::json;
using trafnet::StatusOr;

[[noreturn]] void Fail(const std::string& message, int code = 1) {
  std::fprintf(stderr, "peers_driver: %s\n", message.c_str());
  std::exit(code);
}

template <typename T>
T OrFail(StatusOr<T> result) {
  if (!result.ok()) Fail(result.status().ToString());
  return std::move(result).value();
}

// "--name value" pairs after the mode word.
std::map<std::string, std::string> ParseFlags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; i += 2) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0 || i + 1 >= argc) Fail("expected --flag value, got " + name, 2);
    flags[name.substr(2)] = argv[i + 1];
  }
  return flags;
}

std::string Flag(const std::map<std::string, std::string>& flags, const std::string& name,
                 const std::string& fallback = "") {
  auto it = flags.find(name);
  if (it != flags.end()) return it->second;
  if (fallback.empty()) Fail("missing --" + name, 2);
  return fallback;
}

int Generate(const std::map<std::string, std::string>& flags) {
  const std::string kind = Flag(flags, "kind");
  const auto vertices = static_cast<uint32_t>(std::stoul(Flag(flags, "vertices")));
  const uint64_t seed = std::stoull(Flag(flags, "seed", "1"));
  StatusOr<trafnet::bench::EdgeList> graph = trafnet::InvalidArgumentError("unknown --kind " + kind);
  if (kind == "uniform") {
    graph = trafnet::bench::GenerateUniform(
        {.vertices = vertices, .edges = std::stoull(Flag(flags, "edges")), .seed = seed});
  } else if (kind == "planted") {
    graph = trafnet::bench::GeneratePlantedPartition(
        {.vertices = vertices,
         .edges = std::stoull(Flag(flags, "edges")),
         .communities = static_cast<uint32_t>(std::stoul(Flag(flags, "communities", "1000"))),
         .mixing = std::stod(Flag(flags, "mixing", "0.2")),
         .seed = seed});
  } else if (kind == "ba") {
    graph = trafnet::bench::GeneratePreferentialAttachment(
        {.vertices = vertices,
         .edges_per_vertex = static_cast<uint32_t>(std::stoul(Flag(flags, "per-vertex", "5"))),
         .seed = seed});
  }
  trafnet::bench::EdgeList list = OrFail(std::move(graph));
  trafnet::Status written = trafnet::bench::WriteEdgeList(list, Flag(flags, "out"));
  if (!written.ok()) Fail(written.ToString());
  return 0;
}

// Vertices of the k largest scores, ties to the smaller id (as the Python side sorts).
std::vector<algo::Vertex> TopIds(const std::vector<double>& scores, size_t k) {
  std::vector<algo::Vertex> ids(scores.size());
  std::iota(ids.begin(), ids.end(), 0);
  k = std::min(k, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k), ids.end(),
                    [&](algo::Vertex a, algo::Vertex b) {
                      return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
                    });
  ids.resize(k);
  return ids;
}

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text == nullptr ? fallback : std::strtoull(text, nullptr, 10);
}

// A sampled betweenness's top 10 values and, on a graph small enough for exact Brandes (run
// untimed, 2 threads, once per graph however many sampled kernels and repeats ask), how many of
// the exact top 100 the sample's top 100 keeps.
void AddSampleDigest(const algo::CsrGraph& g, const std::vector<double>& scores, json& digest) {
  digest["top10_values"] = json::array();
  for (algo::Vertex v : TopIds(scores, 10)) digest["top10_values"].push_back(scores[v]);
  if (g.num_arcs() > 2'000'000) return;
  static const algo::CsrGraph* exact_of = nullptr;
  static std::vector<algo::Vertex> exact_top;
  if (exact_of != &g) {
    algo::BetweennessOptions exact_options;
    exact_options.threads = 2;
    auto exact = algo::Betweenness(g, exact_options);
    if (!exact.ok()) return;
    exact_top = TopIds(exact->scores, 100);
    std::sort(exact_top.begin(), exact_top.end());
    exact_of = &g;
  }
  std::vector<algo::Vertex> sampled_top = TopIds(scores, 100);
  std::sort(sampled_top.begin(), sampled_top.end());
  std::vector<algo::Vertex> common;
  std::set_intersection(exact_top.begin(), exact_top.end(), sampled_top.begin(), sampled_top.end(),
                        std::back_inserter(common));
  digest["top100_overlap_with_exact"] = common.size();
}

json CommunityDigest(const algo::CommunityResult& result) {
  return {{"modularity", result.modularity}, {"communities", result.count}};
}

// Runs `call`, storing its wall time in `seconds`: only the kernel call is timed, not the
// digest made from its result.
template <typename Call>
auto Timed(double& seconds, Call call) {
  auto start = std::chrono::steady_clock::now();
  auto result = call();
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

// One kernel call on the graph: sets `seconds`, returns the digest of the result.
using Kernel = std::function<json(const algo::CsrGraph&, int threads, double& seconds)>;

const std::map<std::string, Kernel>& Kernels() {
  static const std::map<std::string, Kernel> kernels = {
      {"pagerank",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         // Converged: L1 change < 1e-6, graph-tool's epsilon and networkx's n * tol.
         algo::PageRankOptions options;
         options.tolerance = 1e-6;
         options.threads = threads;
         auto result = OrFail(Timed(seconds, [&] { return algo::PageRank(g, options); }));
         return json{{"top10", TopIds(result.scores, 10)}, {"iterations", result.iterations}};
       }},
      {"components",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         algo::ComponentsOptions options;
         options.threads = threads;
         algo::ComponentsResult result = OrFail(
             Timed(seconds, [&] { return algo::WeaklyConnectedComponents(g, options); }));
         uint64_t largest = result.sizes.empty()
                                ? 0
                                : *std::max_element(result.sizes.begin(), result.sizes.end());
         return json{{"count", result.count}, {"largest", largest}};
       }},
      {"bfs",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         algo::BfsOptions options;
         options.threads = threads;
         auto result = OrFail(Timed(seconds, [&] { return algo::BreadthFirstSearch(g, 0, options); }));
         return json{{"reached", result.reached}, {"depth", result.depth}};
       }},
      {"coreness",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         algo::CorenessOptions options;
         options.threads = threads;
         auto result = OrFail(Timed(seconds, [&] { return algo::Coreness(g, options); }));
         uint64_t sum = std::accumulate(result.coreness.begin(), result.coreness.end(), uint64_t{0});
         return json{{"max", result.max_coreness}, {"sum", sum}};
       }},
      {"triangles",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         algo::ClusteringOptions options;
         options.threads = threads;
         auto result = OrFail(Timed(seconds, [&] { return algo::Clustering(g, options); }));
         return json{{"triangles", result.total_triangles}};
       }},
      {"leiden",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         // The default tolerance (1e-4): the run ends at the first later iteration whose local
         // moving gains less modularity, where igraph's n_iterations=-1 repeats iterations until
         // nothing changes; the digest's modularity shows what each reached.
         algo::LeidenOptions options;
         options.threads = threads;
         return CommunityDigest(OrFail(Timed(seconds, [&] { return algo::Leiden(g, options); })));
       }},
      {"louvain",
       [](const algo::CsrGraph& g, int, double& seconds) {
         return CommunityDigest(OrFail(Timed(seconds, [&] { return algo::Louvain(g); })));
       }},
      {"betweenness",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         // Exact, networkx's normalized=True: the fraction of the (n-1)(n-2)/2 pairs.
         algo::BetweennessOptions options;
         options.threads = threads;
         auto result = OrFail(Timed(seconds, [&] { return algo::Betweenness(g, options); }));
         std::vector<double> top;
         for (algo::Vertex v : TopIds(result.scores, 10)) top.push_back(result.scores[v]);
         return json{{"top10_values", top}};
       }},
      {"closeness",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         // networkx's closeness_centrality (Wasserman & Faust's scaling by reach).
         algo::ClosenessOptions options;
         options.threads = threads;
         auto scores = OrFail(Timed(seconds, [&] { return algo::Closeness(g, options); }));
         std::vector<double> top;
         for (algo::Vertex v : TopIds(scores, 10)) top.push_back(scores[v]);
         return json{{"top10_values", top}};
       }},
      {"betweenness_sampled",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         // Sampled from 1000 sources (timed); on a graph small enough for exact Brandes (run
         // untimed, 2 threads) the digest says how many of the exact top 100 the sample keeps.
         algo::BetweennessOptions options;
         options.threads = threads;
         options.samples = std::min<uint32_t>(1000, g.num_vertices());
         auto sampled = OrFail(Timed(seconds, [&] { return algo::Betweenness(g, options); }));
         json digest = {{"sources", sampled.sources}, {"error_bound", sampled.error_bound}};
         AddSampleDigest(g, sampled.scores, digest);
         return digest;
       }},
      {"betweenness_paths",
       [](const algo::CsrGraph& g, int threads, double& seconds) {
         // Sampled shortest paths, with the same digest: to the error bound 0.01 (delta 0.1) on
         // a graph too big for exact Brandes; 100 000 paths on one small enough for the top-100
         // check (where 0.01 would ask for more paths than vertices, and so for exact);
         // TRAFNET_BENCH_BC_PATHS paths when set.
         algo::BetweennessOptions options;
         options.threads = threads;
         options.paths = EnvOr("TRAFNET_BENCH_BC_PATHS", uint64_t{0});
         if (options.paths == 0 && g.num_arcs() <= 2'000'000) options.paths = 100'000;
         if (options.paths == 0) options.epsilon = 0.01;
         auto sampled = OrFail(Timed(seconds, [&] { return algo::Betweenness(g, options); }));
         json digest = {{"paths", sampled.paths},
                        {"error_bound", sampled.error_bound},
                        {"vertex_diameter_bound", sampled.vertex_diameter}};
         AddSampleDigest(g, sampled.scores, digest);
         return digest;
       }},
  };
  return kernels;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    if (end > begin) parts.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return parts;
}

int Run(const std::map<std::string, std::string>& flags) {
  const std::vector<std::string> names = SplitCommas(Flag(flags, "kernels"));
  for (const std::string& name : names) {
    if (!Kernels().contains(name)) Fail("unknown kernel " + name, 2);
  }
  const int threads = std::stoi(Flag(flags, "threads", "1"));
  const int repeats = std::max(1, std::stoi(Flag(flags, "repeats", "3")));
  const double repeat_seconds = std::stod(Flag(flags, "repeat-seconds", "30"));
  const algo::CsrGraph graph =
      trafnet::bench::ToCsr(OrFail(trafnet::bench::ReadEdgeList(Flag(flags, "graph"))));
  for (const std::string& name : names) {
    std::vector<double> seconds;
    json digest;
    double total = 0.0;
    for (int r = 0; r < repeats && total <= repeat_seconds; ++r) {
      double run_seconds = 0.0;
      digest = Kernels().at(name)(graph, threads, run_seconds);
      seconds.push_back(run_seconds);
      total += run_seconds;
    }
    json line = {{"library", "trafnet"}, {"kernel", name},     {"threads", threads},
                 {"seconds", seconds},   {"digest", digest}};
    std::printf("%s\n", line.dump().c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "generate") return Generate(ParseFlags(argc, argv));
  if (mode == "run") return Run(ParseFlags(argc, argv));
  std::fprintf(stderr, "usage: peers_driver generate|run --flag value ... (see the source)\n");
  return 2;
}
