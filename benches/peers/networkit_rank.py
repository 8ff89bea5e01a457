#!/usr/bin/env python3
"""The NetworKit script that keystone's whole `rank` is timed against (benches/peers/run.py):
from a `dependent,dependency` edge list to a CSV of every package's reach and PageRank.

    python3 benches/peers/networkit_rank.py EDGES.csv OUT.csv

Prints to stderr the seconds from reading the CSV to the written output (imports excluded).
"""
import sys
import time

import networkit as nk
import numpy as np
import pandas as pd

start = time.perf_counter()
edges = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, na_filter=False)
codes, names = pd.factorize(pd.concat([edges.iloc[:, 0], edges.iloc[:, 1]], ignore_index=True))
m = len(edges)
dependents, dependencies = codes[:m].astype(np.uint64), codes[m:].astype(np.uint64)
# Reach: the packages that can reach each one along dependency → dependent edges.
upward = nk.GraphFromCoo((dependencies, dependents), n=len(names), directed=True)
upward.removeMultiEdges()
reachable = nk.reachability.ReachableNodes(upward, exact=True)
reachable.run()
reach = np.array([reachable.numberOfReachableNodes(v) - 1 for v in range(len(names))])
downward = nk.GraphFromCoo((dependents, dependencies), n=len(names), directed=True)
downward.removeMultiEdges()
pagerank = nk.centrality.PageRank(downward, damp=0.85, tol=1e-10)
pagerank.run()
table = pd.DataFrame({"package": names, "reach": reach, "pagerank": pagerank.scores()})
table.sort_values(["reach", "package"], ascending=[False, True]).to_csv(sys.argv[2], index=False)
print(f"{time.perf_counter() - start:.3f}", file=sys.stderr)
