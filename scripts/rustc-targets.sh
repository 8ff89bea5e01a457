#!/usr/bin/env bash
# Writes the default cfg set of every built-in rustc target, one target a line: its name, then
# each `--print cfg` line, tab-separated. keystone's crates.io readers take a target-specific
# dependency as built when its target holds on at least one of these (src/ingest/cargo_targets.rs).
# Usage: scripts/rustc-targets.sh > src/ingest/rustc-targets.tsv
set -euo pipefail
echo "# $(rustc --version): rustc --print cfg --target T for each T of rustc --print target-list"
for target in $(rustc --print target-list); do
    cfg=$(rustc --print cfg --target "$target" 2>/dev/null | paste -sd '\t') || continue
    printf '%s\t%s\n' "$target" "$cfg"
done
