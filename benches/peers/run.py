#!/usr/bin/env python3
"""Peer benchmark: keystone's exact all-node reach against NetworKit, igraph and networkx on
the same graphs, in the same run, with every package's count checked equal; and keystone's
whole `rank` against a NetworKit script (networkit_rank.py), both from the same edge list CSV
to a CSV, with every package's reach checked equal.

    python3 -m pip install -r benches/peers/requirements.txt
    cargo build --release
    python3 benches/peers/run.py [--graphs debian,crates,synthetic] [--repeat 3]

For each graph, keystone builds a snapshot (not timed) and exports it as an edge list; each
tool then computes, for every package, how many packages depend on it at any depth. keystone's
time is its `reach` phase (SCC and set unions) as `keystone -v` reports it, on 1 and on 2
threads; NetworKit's is `ReachableNodes(exact=True).run()` on one thread (a second barely
helps it); igraph's is `neighborhood_size(order=n)`; networkx's is `descendants` on a sample of
packages, extrapolated to all of them and labelled so. Times are the best of `--repeat` runs.
Prints a Markdown table with keystone/peer ratios (below 1 means keystone is faster).

End to end, each graph's edges are written as a plain `dependent,dependency` CSV; keystone's
time is the whole `keystone rank EDGES.csv -o OUT.csv` process (reading, every column of the
ranking, writing), on 2 threads; the NetworKit script's is its whole `python3` process, and
apart from that the time from reading the CSV to the written output that it prints itself
(interpreter start and imports excluded), on all cores as NetworKit chooses. Prints a second Markdown table with the ratios
(NetworKit/keystone: above 1 means keystone is faster).
"""
import argparse
import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATASETS = os.path.join(ROOT, "..", "shared", "datasets")
GRAPHS = {
    "debian": ["ingest", os.path.join(DATASETS, "debian", "bookworm_main_amd64_Packages.xz")],
    "crates": ["ingest", os.path.join(DATASETS, "cratesio", "crates-io-index-2025-09-28.nocksum.jsonl.zst")],
    "synthetic": ["synth"],
}


def keystone(binary, *args):
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True)


def keystone_reach(binary, snap, threads, out, repeat):
    """Best reach-phase time on `threads` threads, and the reach of every package by name."""
    best = float("inf")
    for _ in range(repeat):
        run = keystone(binary, "-v", "--threads", str(threads), "rank", snap, "-o", out)
        best = min(best, float(re.search(r"^reach: ([0-9.]+) s", run.stderr, re.M).group(1)))
    with open(out, newline="") as f:
        reach = {row["package"]: int(row["reach"]) for row in csv.DictReader(f)}
    return best, reach


def best_of(repeat, run):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keystone", default=os.path.join(ROOT, "target", "release", "keystone"))
    parser.add_argument("--graphs", default="debian,crates", help="any of debian, crates, synthetic (slow)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=200, help="packages networkx (and igraph past 1M) time")
    args = parser.parse_args()

    import igraph
    import networkit as nk
    import networkx as nx

    nk.setNumberOfThreads(1)
    rows, ends = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.graphs.split(","):
            snap, edges_csv, out = (os.path.join(tmp, f"{name}.{ext}") for ext in ("snap", "edges.csv", "rank.csv"))
            how = GRAPHS[name]
            keystone(args.keystone, *how[:1], *how[1:], "-o", snap)
            keystone(args.keystone, "edges", snap, "-o", edges_csv)
            k2, reach = keystone_reach(args.keystone, snap, 2, out, args.repeat)
            k1, _ = keystone_reach(args.keystone, snap, 1, out, args.repeat)

            # Every package (isolated ones too) gets an id; edges run dependency → dependent.
            ids = {package: i for i, package in enumerate(sorted(reach))}
            with open(edges_csv, newline="") as f:
                table = [(row["package"], row["dependency"]) for row in csv.DictReader(f) if row["dependency"]]
            edges = [(ids[dependency], ids[dependent]) for dependent, dependency in table]
            n = len(ids)
            ends.append(end_to_end(args, name, tmp, table))

            graph = nk.Graph(n, directed=True)
            for a, b in edges:
                graph.addEdge(a, b)
            def networkit_run():
                algorithm = nk.reachability.ReachableNodes(graph, True)
                algorithm.run()
                return algorithm
            nk_time, algorithm = best_of(args.repeat, networkit_run)
            mismatches = sum(algorithm.numberOfReachableNodes(ids[p]) - 1 != r for p, r in reach.items())

            ig = igraph.Graph(n=n, edges=edges, directed=True)
            if n <= 1_000_000:
                ig_time, sizes = best_of(1, lambda: ig.neighborhood_size(order=n, mode="out"))
                mismatches += sum(sizes[ids[p]] - 1 != r for p, r in reach.items())
                ig_label = f"{ig_time:.2f} s"
            else:
                sample = random.Random(1).sample(range(n), args.sample)
                ig_time, _ = best_of(1, lambda: ig.neighborhood_size(vertices=sample, order=n, mode="out"))
                ig_time *= n / len(sample)
                ig_label = f"{ig_time:.0f} s (extrapolated from {len(sample)})"

            nxg = nx.DiGraph()
            nxg.add_nodes_from(range(n))
            nxg.add_edges_from(edges)
            sample = random.Random(2).sample(range(n), min(args.sample, n))
            names = sorted(reach)
            start = time.perf_counter()
            for v in sample:
                mismatches += len(nx.descendants(nxg, v)) != reach[names[v]]
            nx_time = (time.perf_counter() - start) * n / len(sample)

            rows.append(
                f"| {name} | {n:,} | {len(edges):,} | {k2:.3f} s | {k1:.3f} s | {nk_time:.3f} s "
                f"| {k2 / nk_time:.2f} | {ig_label} | {k2 / ig_time:.3f} | {nx_time:.0f} s (extrapolated from "
                f"{len(sample)}) | {'all equal' if mismatches == 0 else f'{mismatches} DIFFER'} |"
            )
            print(rows[-1], file=sys.stderr, flush=True)

    print("| graph | packages | edges | keystone, 2 threads | keystone, 1 thread | NetworKit | keystone/NetworKit "
          "| igraph | keystone/igraph | networkx | counts |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print("| graph | edge list | keystone `rank`, whole process | NetworKit script, whole process "
          "| NetworKit script, read to write | NetworKit/keystone, whole / read to write | reach |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(ends))


def end_to_end(args, name, tmp, table):
    """keystone's whole `rank` and the NetworKit script, from the same edge list to a CSV."""
    edge_list, ours, theirs = (os.path.join(tmp, f"{name}.{ext}") for ext in ("list.csv", "e2e.csv", "nk.csv"))
    with open(edge_list, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["dependent", "dependency"])
        writer.writerows(table)
    keystone_time, _ = best_of(args.repeat, lambda: keystone(args.keystone, "rank", edge_list, "-o", ours))
    script = os.path.join(ROOT, "benches", "peers", "networkit_rank.py")
    inner = []

    def networkit():
        run = subprocess.run([sys.executable, script, edge_list, theirs], check=True, capture_output=True, text=True)
        inner.append(float(run.stderr.split()[-1]))

    whole, _ = best_of(args.repeat, networkit)
    reach = {}
    for path in (ours, theirs):
        with open(path, newline="") as f:
            reach[path] = {row["package"]: int(row["reach"]) for row in csv.DictReader(f)}
    equal = reach[ours] == reach[theirs]
    size = os.path.getsize(edge_list) / 2**20
    row = (f"| {name} | {len(table):,} edges, {size:.0f} MiB | {keystone_time:.2f} s | {whole:.2f} s | {min(inner):.2f} s "
           f"| {whole / keystone_time:.1f}× / {min(inner) / keystone_time:.1f}× "
           f"| {'all equal' if equal else 'DIFFER'} ({len(reach[ours]):,} packages) |")
    print(row, file=sys.stderr, flush=True)
    return row


if __name__ == "__main__":
    main()
