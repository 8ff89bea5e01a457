//! What `blast` writes besides its table: the summary of a scenario's outcome, as JSON (the
//! `--summary` file and `serve`'s API share its schema) and as the text the command prints.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::scenario::{Outcome, Scenario};
use crate::graph::Graph;

/// Gateways a summary lists.
pub const GATEWAYS: usize = 20;

/// The summary of a blast.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// `compromise`, `new_release`, `affected` or `removed`.
    pub scenario: &'static str,
    /// The scenario in words (`if compromised`).
    pub described: &'static str,
    /// The depth searched to, if bounded.
    pub max_depth: Option<u32>,
    /// What the incident names, in the order named.
    pub targets: Vec<TargetSummary>,
    /// Packages hit (targets that are sources excluded).
    pub affected: usize,
    /// Per depth (index 0: depth 1), packages hit by status.
    pub by_depth: Vec<BTreeMap<&'static str, u64>>,
    /// The packages hit that others reach the sources only through, most dominated first
    /// (at most [`GATEWAYS`]).
    pub gateways: Vec<Gateway>,
    /// Advisory packages that match nothing in the graph, and why.
    pub unmatched: Vec<String>,
}

/// One target in a summary.
#[derive(Debug, Clone, Serialize)]
pub struct TargetSummary {
    /// The package.
    pub package: String,
    /// The release the graph holds.
    pub version: Option<String>,
    /// Whether it is a source: compromised, or with a bad release.
    pub source: bool,
    /// Its releases considered.
    pub releases: usize,
    /// Those in the range or advisory (ranged scenarios only).
    pub releases_in_range: Option<Vec<String>>,
    /// Releases the input does not list that could fix a dependent (ranged scenarios only).
    pub fixes: Option<Vec<String>>,
    /// Requirements on it that could not be read, counted as hit (ranged scenarios only).
    pub unreadable_requirements: Option<u32>,
}

/// A gateway in a summary.
#[derive(Debug, Clone, Serialize)]
pub struct Gateway {
    /// The package.
    pub gateway: String,
    /// How many other packages hit reach the sources only through it.
    pub dominated: u32,
}

/// Words and JSON names of each scenario.
fn names(scenario: Scenario) -> (&'static str, &'static str) {
    match scenario {
        Scenario::Compromise => ("compromise", "if compromised"),
        Scenario::NewRelease => ("new_release", "by a malicious next release (fresh installs)"),
        Scenario::Affected => ("affected", "by the vulnerable releases"),
        Scenario::Removed => ("removed", "by the removal"),
    }
}

/// The summary of `outcome`.
pub fn summary(
    graph: &Graph,
    outcome: &Outcome,
    scenario: Scenario,
    max_depth: Option<u32>,
    unmatched: Vec<String>,
) -> Summary {
    let (name, described) = names(scenario);
    let ranged = matches!(scenario, Scenario::Affected | Scenario::Removed);
    let targets = outcome
        .targets
        .iter()
        .map(|t| TargetSummary {
            package: graph.display_name(t.package),
            version: graph.version(t.package).map(str::to_string),
            source: t.source,
            releases: t.releases,
            releases_in_range: ranged.then(|| t.in_range.clone()),
            fixes: ranged.then(|| t.fixes.clone()),
            unreadable_requirements: ranged.then_some(t.unreadable),
        })
        .collect();
    Summary {
        scenario: name,
        described,
        max_depth,
        targets,
        affected: outcome.search.reached.len(),
        by_depth: outcome.per_depth().iter().map(|row| row.iter().map(|&(s, c)| (s.as_str(), c)).collect()).collect(),
        gateways: outcome
            .gateways
            .iter()
            .take(GATEWAYS)
            .map(|&(g, dominated)| Gateway { gateway: graph.display_name(g), dominated })
            .collect(),
        unmatched,
    }
}

/// Targets a text summary names one by one.
const TEXT_TARGETS: usize = 8;

impl Summary {
    /// The summary as the command prints it.
    pub fn text(&self) -> String {
        let named = |t: &TargetSummary| match &t.version {
            Some(v) => format!("{} {v}", t.package),
            None => t.package.clone(),
        };
        let sources: Vec<&TargetSummary> = self.targets.iter().filter(|t| t.source).collect();
        let head = match sources.as_slice() {
            [] => format!("no bad release among the {} packages named", self.targets.len()),
            [one] => named(one),
            many => {
                let names: Vec<&str> = many.iter().take(3).map(|t| t.package.as_str()).collect();
                let more = if many.len() > 3 { ", …" } else { "" };
                format!("{} packages named ({}{more})", many.len(), names.join(", "))
            }
        };
        let plural = if self.affected == 1 { "package" } else { "packages" };
        let depth = self.max_depth.map(|d| format!(" within depth {d}")).unwrap_or_default();
        let mut out = format!("{head}: {} {plural} affected {}{depth}", self.affected, self.described);
        if self.targets.len() > 1 || self.releases_in_range().is_some() {
            for t in self.targets.iter().take(TEXT_TARGETS) {
                let _ = write!(out, "\n  {}", named(t));
                if let Some(in_range) = &t.releases_in_range {
                    let shown: Vec<&str> = in_range.iter().take(8).map(String::as_str).collect();
                    let _ = write!(out, ": {} of {} releases in range", in_range.len(), t.releases);
                    if !shown.is_empty() {
                        let more = in_range.len() - shown.len();
                        let more = if more > 0 { format!(", … {more} more") } else { String::new() };
                        let _ = write!(out, " ({}{more})", shown.join(", "));
                    }
                }
                if !t.source {
                    out.push_str(" — not a source: no bad release");
                }
                if let Some(fixes) = t.fixes.as_ref().filter(|f| !f.is_empty()) {
                    let _ = write!(
                        out,
                        "\n    fixed releases it could get (the input lists one release): {}",
                        fixes.join(", ")
                    );
                }
                if let Some(unreadable) = t.unreadable_requirements.filter(|&u| u > 0) {
                    let _ = write!(out, "\n    {unreadable} requirements on it could not be read; counted as hit");
                }
            }
            if self.targets.len() > TEXT_TARGETS {
                let _ = write!(out, "\n  … {} more targets", self.targets.len() - TEXT_TARGETS);
            }
        }
        for (i, row) in self.by_depth.iter().enumerate() {
            let total: u64 = row.values().sum();
            let _ = write!(out, "\n  depth {}: {total}", i + 1);
            if row.len() > 1 || self.scenario == "affected" {
                let parts: Vec<String> = row.iter().map(|(s, c)| format!("{s} {c}")).collect();
                let _ = write!(out, " ({})", parts.join(", "));
            }
        }
        if !self.gateways.is_empty() {
            out.push_str("\n  gateways (packages hit that others hit reach the named packages only through):");
            for g in self.gateways.iter().take(5) {
                let _ = write!(out, "\n    {}: {}", g.gateway, g.dominated);
            }
        }
        if sources.is_empty() && !self.targets.is_empty() {
            out.push_str("\n  (--compromise models a compromise of every release instead)");
        }
        for note in &self.unmatched {
            let _ = write!(out, "\n  {note}");
        }
        out
    }

    fn releases_in_range(&self) -> Option<&Vec<String>> {
        self.targets.first().and_then(|t| t.releases_in_range.as_ref())
    }
}
