#!/usr/bin/python3
"""Times trafnet's graph kernels beside igraph, graph-tool and networkx on the same graphs.

Run it with Debian's /usr/bin/python3: the python3-igraph, python3-graph-tool and
python3-networkx packages install into its dist-packages, not into another python on PATH.

    peers.py compare --driver build/release/bench/peers_driver --graphs build/bench/graphs/...
    peers.py worker --lib igraph --graph FILE --kernels pagerank,bfs [--threads 2] [--repeats 3]

`compare` (what scripts/bench-peers runs) reads uniform.txt, planted.txt and ba.txt from the
graphs folder (edge lists written by `peers_driver generate`), runs trafnet's kernels through the
C++ driver and each library's kernels in a `worker` subprocess of its own (so one library's memory
never sits under another's timings), checks the results agree and prints a table.

Only the kernel call is timed on every side: loading the file and building each library's graph
come first and are excluded. Each kernel runs up to --repeats times (fewer once the runs add up to
--repeat-seconds) and the fastest run is reported, the least disturbed one on a shared machine.
networkx is pure Python: it runs only on graphs of at most --networkx-max-edges edges, once per
kernel, and each of its kernels is abandoned after --networkx-budget seconds.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np

# Which kernels run on which graph: the cheap traversals on the uniform graph, community
# detection where there are communities to find, exact betweenness where it is affordable.
PLAN = {
    # Sampled betweenness from 1000 sources is not run here: at a full Brandes pass per
    # source it takes 7-13 minutes on this graph (docs/algorithms.md); sampled paths do it.
    "uniform": ["pagerank", "components", "bfs", "coreness", "triangles", "betweenness_paths"],
    "planted": ["leiden", "louvain"],
    "ba": ["betweenness", "betweenness_sampled", "betweenness_paths", "closeness"],
}
# trafnet kernels with a thread count; the others are sequential and run once, at 1 thread.
THREADED = {"pagerank", "triangles", "leiden", "betweenness", "betweenness_sampled", "betweenness_paths",
            "closeness"}
ALL_KERNELS = {k for kernels in PLAN.values() for k in kernels}
LIBRARIES = ["igraph", "graph-tool", "networkx"]
SHORT = {"igraph": "ig", "graph-tool": "gt", "networkx": "nx"}
# Kernels a library lacks: graph-tool has no modularity optimiser (its community detection fits
# stochastic block models), networkx 2.8 has no Leiden.
# Sampled betweenness is trafnet's alone here: its check is against trafnet's exact scores.
SAMPLED = {"betweenness_sampled", "betweenness_paths"}
MISSING = {"igraph": SAMPLED, "graph-tool": {"leiden", "louvain"} | SAMPLED,
           "networkx": {"leiden"} | SAMPLED}


# ---------------------------------------------------------------------------------------------
# Loading

def read_edge_list(path):
    """Returns (n, edges as an (m, 2) int64 array) from a peers_driver edge-list file."""
    cache = path + ".npy"
    with open(path, "rb") as f:
        header = f.readline().decode()
        n = int(header.split(" n=")[1].split()[0])
        if os.path.exists(cache) and os.path.getmtime(cache) >= os.path.getmtime(path):
            return n, np.load(cache)
        edges = np.fromfile(f, dtype=np.int64, sep=" ").reshape(-1, 2)
    np.save(cache, edges)
    return n, edges


def top_ids(scores, k=10):
    """The k highest-scoring vertex ids, ties to the smaller id (as peers_driver does)."""
    scores = np.asarray(scores, dtype=float)
    order = np.lexsort((np.arange(len(scores)), -scores))
    return [int(v) for v in order[:k]]


def betweenness_top(scores):
    return [float(x) for x in sorted(scores, reverse=True)[:10]]


# ---------------------------------------------------------------------------------------------
# One library's kernels. Each maker returns {kernel: fn}; fn() runs the kernel and returns a
# zero-argument function that computes the digest, so the digest stays outside the timing.

def igraph_kernels(n, edges, threads):
    import igraph as ig

    g = ig.Graph(n=n, edges=edges, directed=False)

    def pagerank():
        scores = g.pagerank(damping=0.85)  # PRPACK: solved to machine precision, no tolerance
        return lambda: {"top10": top_ids(scores)}

    def components():
        parts = g.connected_components()
        return lambda: {"count": len(parts), "largest": max(parts.sizes())}

    def bfs():
        vids, layers, _ = g.bfs(0)
        return lambda: {"reached": len(vids), "depth": len(layers) - 2}

    def coreness():
        core = g.coreness()
        return lambda: {"max": max(core), "sum": int(sum(core))}

    def triangles():
        found = g.list_triangles()
        return lambda: {"triangles": len(found)}

    def leiden():
        # n_iterations=-1: iterate until the partition is stable (trafnet's max_iterations=0 with
        # tolerance 0; its default tolerance stops once an iteration's local moving gains < 1e-4).
        part = g.community_leiden(objective_function="modularity", n_iterations=-1)
        return lambda: {"modularity": g.modularity(part.membership), "communities": len(part)}

    def louvain():
        part = g.community_multilevel()
        return lambda: {"modularity": g.modularity(part.membership), "communities": len(part)}

    def betweenness():
        raw = g.betweenness(directed=False)  # each unordered pair once
        scale = 2.0 / ((n - 1) * (n - 2))
        return lambda: {"top10_values": betweenness_top(np.asarray(raw) * scale)}

    def closeness():
        scores = g.closeness()  # (reached - 1) / sum of distances; the BA graph is connected
        return lambda: {"top10_values": betweenness_top(scores)}

    return {k: v for k, v in locals().items() if k in ALL_KERNELS}


def graph_tool_kernels(n, edges, threads):
    import graph_tool.all as gt

    gt.openmp_set_num_threads(threads)
    g = gt.Graph(directed=False)
    g.add_vertex(n)
    g.add_edge_list(edges)

    def pagerank():
        # epsilon is the L1 change of the whole vector, trafnet's tolerance.
        scores = gt.pagerank(g, damping=0.85, epsilon=1e-6)
        return lambda: {"top10": top_ids(scores.a)}

    def components():
        _, hist = gt.label_components(g)
        return lambda: {"count": len(hist), "largest": int(hist.max())}

    def bfs():
        dist = gt.shortest_distance(g, source=g.vertex(0))
        def digest():
            d = dist.a
            reached = d < np.iinfo(d.dtype).max
            return {"reached": int(reached.sum()), "depth": int(d[reached].max())}
        return digest

    def coreness():
        core = gt.kcore_decomposition(g)
        return lambda: {"max": int(core.a.max()), "sum": int(core.a.sum())}

    def triangles():
        # ret_counts gives ((c, c_err), triangles, connected triples).
        result = gt.global_clustering(g, ret_counts=True)
        return lambda: {"triangles": int(result[1])}

    def betweenness():
        vertex_bc, _ = gt.betweenness(g, norm=True)  # 2/((n-1)(n-2)) when undirected
        return lambda: {"top10_values": betweenness_top(vertex_bc.a)}

    def closeness():
        scores = gt.closeness(g)  # 1 / mean distance to the reached vertices
        return lambda: {"top10_values": betweenness_top(scores.a)}

    return {k: v for k, v in locals().items() if k in ALL_KERNELS}


def networkx_kernels(n, edges, threads):
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges.tolist())

    def pagerank():
        scores = nx.pagerank(g, alpha=0.85, tol=1e-6 / n)  # its test is L1 < n * tol
        return lambda: {"top10": top_ids([scores[v] for v in range(n)])}

    def components():
        parts = list(nx.connected_components(g))
        return lambda: {"count": len(parts), "largest": max(len(p) for p in parts)}

    def bfs():
        dist = nx.single_source_shortest_path_length(g, 0)
        return lambda: {"reached": len(dist), "depth": max(dist.values())}

    def coreness():
        core = nx.core_number(g)
        return lambda: {"max": max(core.values()), "sum": sum(core.values())}

    def triangles():
        per_vertex = nx.triangles(g)
        return lambda: {"triangles": sum(per_vertex.values()) // 3}

    def louvain():
        parts = nx.community.louvain_communities(g, seed=1)
        return lambda: {"modularity": nx.community.modularity(g, parts), "communities": len(parts)}

    def betweenness():
        scores = nx.betweenness_centrality(g, normalized=True)
        return lambda: {"top10_values": betweenness_top(scores.values())}

    def closeness():
        scores = nx.closeness_centrality(g)
        return lambda: {"top10_values": betweenness_top(scores.values())}

    return {k: v for k, v in locals().items() if k in ALL_KERNELS}


MAKERS = {"igraph": igraph_kernels, "graph-tool": graph_tool_kernels, "networkx": networkx_kernels}


class Timeout(Exception):
    pass


def worker(args):
    n, edges = read_edge_list(args.graph)
    kernels = MAKERS[args.lib](n, edges, args.threads)
    del edges
    # Only networkx is pure Python, so only it can be interrupted by an alarm mid-kernel. Its runs
    # take seconds to minutes, where repeating buys little accuracy for a lot of time.
    budget = args.budget if args.lib == "networkx" else 0
    repeats = 1 if args.lib == "networkx" else args.repeats

    def on_alarm(signum, frame):
        raise Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    for name in args.kernels.split(","):
        line = {"library": args.lib, "kernel": name, "threads": args.threads}
        if name not in kernels:
            line["status"] = "n/a"
        else:
            seconds, digest = [], None
            try:
                for _ in range(repeats):
                    signal.alarm(budget)
                    start = time.perf_counter()
                    make_digest = kernels[name]()
                    seconds.append(time.perf_counter() - start)
                    signal.alarm(0)
                    digest = make_digest()
                    if sum(seconds) > args.repeat_seconds:
                        break
                line.update(seconds=seconds, digest=digest)
            except Timeout:
                line["status"] = f"over {budget}s"
        print(json.dumps(line), flush=True)


# ---------------------------------------------------------------------------------------------
# Comparing

def run_lines(command):
    print("  $ " + " ".join(command), file=sys.stderr, flush=True)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        # Keep what finished (one line per kernel) and carry on: the table shows the gap.
        print(f"  failed with exit code {done.returncode}", file=sys.stderr, flush=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def agreement(kernel, reference, other):
    """Whether `other`'s digest agrees with trafnet's, and a short note saying how closely."""
    if kernel == "pagerank":
        overlap = len(set(reference["top10"]) & set(other["top10"]))
        return overlap >= 9, f"top10 {overlap}/10"
    if kernel in ("leiden", "louvain"):
        diff = other["modularity"] - reference["modularity"]
        return abs(diff) <= 0.01, f"Q {other['modularity']:.4f} ({diff:+.4f})"
    if kernel in ("betweenness", "closeness"):
        worst = max(abs(a - b) for a, b in zip(reference["top10_values"], other["top10_values"]))
        return worst <= 1e-6, f"max|diff| {worst:.1e}"
    same = all(other.get(k) == v for k, v in reference.items())
    return same, "equal" if same else f"{other} vs {reference}"


def summary(kernel, digest):
    """trafnet's result in a few words, for the table."""
    if kernel == "pagerank":
        return f"{digest['iterations']} iterations"
    if kernel == "components":
        return f"{digest['count']} components"
    if kernel == "bfs":
        return f"{digest['reached']} reached, depth {digest['depth']}"
    if kernel == "coreness":
        return f"max core {digest['max']}"
    if kernel == "triangles":
        return f"{digest['triangles']} triangles"
    if kernel in ("leiden", "louvain"):
        return f"Q {digest['modularity']:.4f}, {digest['communities']} comms"
    if kernel == "betweenness_sampled":
        overlap = digest.get("top100_overlap_with_exact")
        return (f"{digest['sources']} sources, bound {digest['error_bound']:.3f}" +
                (f", top-100 overlap {overlap}" if overlap is not None else ""))
    if kernel == "betweenness_paths":
        overlap = digest.get("top100_overlap_with_exact")
        return (f"{digest['paths']} paths, bound {digest['error_bound']:.3f}" +
                (f", top-100 overlap {overlap}" if overlap is not None else ""))
    return f"top {digest['top10_values'][0]:.6f}"


def fmt_seconds(x):
    if x is None:
        return "-"
    if x < 0.01:
        return f"{x * 1000:.2f} ms"
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def fmt_ratio(peer, ours):
    return "-" if peer is None or ours is None else f"{peer / ours:.2f}x"


def compare(args):
    here = os.path.abspath(__file__)
    results = []  # every JSON line, for the record
    rows = []
    problems = []
    for graph_name, kernels in PLAN.items():
        path = os.path.join(args.graphs, graph_name + ".txt")
        with open(path) as f:
            header = f.readline().strip()
        m = int(header.split(" m=")[1].split()[0])
        print(f"== {graph_name}: {header.lstrip('# ')}", file=sys.stderr, flush=True)
        runs = {}  # (library, threads) -> {kernel: line}

        def record(key, lines):
            results.extend(dict(line, graph=graph_name) for line in lines)
            runs.setdefault(key, {}).update({line["kernel"]: line for line in lines})

        repeat_flags = ["--repeats", str(args.repeats), "--repeat-seconds", str(args.repeat_seconds)]
        record(("trafnet", 1), run_lines([args.driver, "run", "--graph", path, "--kernels",
                                          ",".join(kernels), "--threads", "1"] + repeat_flags))
        threaded = [k for k in kernels if k in THREADED]
        if threaded:
            record(("trafnet", 2), run_lines([args.driver, "run", "--graph", path, "--kernels",
                                              ",".join(threaded), "--threads", "2"] + repeat_flags))
        for lib in LIBRARIES:
            if lib == "networkx" and m > args.networkx_max_edges:
                continue
            if not set(kernels) - MISSING[lib]:  # nothing to run: do not load the graph
                record((lib, 0), [{"kernel": k, "library": lib, "status": "n/a"} for k in kernels])
                continue
            threads = 2 if lib == "graph-tool" else 1  # igraph and networkx are sequential
            record((lib, threads), run_lines(
                [sys.executable, here, "worker", "--lib", lib, "--graph", path, "--kernels",
                 ",".join(kernels), "--threads", str(threads), "--budget",
                 str(args.networkx_budget)] + repeat_flags))

        def best(key, kernel):
            line = runs.get(key, {}).get(kernel)
            return min(line["seconds"]) if line and "seconds" in line else None

        for kernel in kernels:
            ours_1 = best(("trafnet", 1), kernel)
            ours_2 = best(("trafnet", 2), kernel)
            if kernel not in runs.get(("trafnet", 1), {}):
                problems.append(f"{graph_name}/{kernel}: trafnet failed")
                continue
            reference = runs[("trafnet", 1)][kernel]["digest"]
            notes = []
            cells = {}
            for lib, threads in (("igraph", 1), ("graph-tool", 2), ("networkx", 1)):
                line = runs.get((lib, threads), runs.get((lib, 0), {})).get(kernel)
                if line is None:
                    cells[lib] = "skipped"
                    continue
                if "seconds" not in line:
                    cells[lib] = line["status"]
                    continue
                cells[lib] = fmt_seconds(min(line["seconds"]))
                ok, note = agreement(kernel, reference, line["digest"])
                notes.append(f"{SHORT[lib]} {note}")
                if not ok:
                    problems.append(f"{graph_name}/{kernel}: {lib} disagrees: {note}")
            # Ratio = peer time / trafnet time, >1 means trafnet is faster. graph-tool runs 2
            # threads, so it is set against trafnet at 2 threads where trafnet has threads.
            ours_for_gt = ours_2 if ours_2 is not None else ours_1
            rows.append([
                graph_name, kernel, fmt_seconds(ours_1), fmt_seconds(ours_2),
                cells["igraph"], cells["graph-tool"], cells["networkx"],
                fmt_ratio(best(("igraph", 1), kernel), ours_1),
                fmt_ratio(best(("graph-tool", 2), kernel), ours_for_gt),
                fmt_ratio(best(("networkx", 1), kernel), ours_1),
                "; ".join(notes),
            ])
            rows[-1].insert(2, summary(kernel, reference))

    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    headers = ["graph", "kernel", "trafnet result", "trafnet 1t", "trafnet 2t", "igraph 1t",
               "graph-tool 2t", "networkx", "ig/tn", "gt/tn", "nx/tn", "agreement with trafnet"]
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    for r in [headers, ["-" * w for w in widths]] + rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
    print("\nratios: peer time / trafnet time (>1: trafnet faster); gt/tn uses trafnet 2t where "
          "the kernel is threaded. Times: fastest of the repeats, kernel only.")
    if problems:
        print("\nDISAGREEMENTS:\n  " + "\n  ".join(problems))
        return 1
    print("\nall libraries agree with trafnet on every kernel they ran")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--driver", required=True)
    c.add_argument("--graphs", required=True)
    c.add_argument("--out", default="peers-results.json")
    w = sub.add_parser("worker")
    w.add_argument("--lib", choices=LIBRARIES, required=True)
    w.add_argument("--graph", required=True)
    w.add_argument("--kernels", required=True)
    w.add_argument("--threads", type=int, default=1)
    for p in (c, w):
        p.add_argument("--repeats", type=int, default=3)
        p.add_argument("--repeat-seconds", type=float, default=30.0,
                       help="stop repeating a kernel once its runs add up to this")
        p.add_argument("--budget", "--networkx-budget", dest="networkx_budget", type=int,
                       default=300, help="seconds before a networkx kernel is abandoned")
    c.add_argument("--networkx-max-edges", type=int, default=2_000_000)
    args = parser.parse_args()
    if args.mode == "worker":
        args.budget = args.networkx_budget
        worker(args)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
