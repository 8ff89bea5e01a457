//! Analyses over the compact graph. Each takes the CSR direction it walks, never a format:
//! [`reach`] (transitive dependents, exact or within a memory limit with HyperLogLog
//! sketches), [`floating`] (who a malicious next release reaches through fresh installs),
//! [`depth`] (dependents by shortest depth), [`pagerank`], [`paths`] (`blast` and `why`),
//! [`scenario`]s of what an [`incident`] names, [`gateways`], [`groups`] (projects and accounts), the [`score`], [`stats`],
//! [`rank`] which combines them, [`compare`] which sets two rankings side by side, and the candidate [`bindings`] of
//! raw inputs. The slow, obvious versions the fast ones
//! are tested against (`reference.rs`) are compiled for the crate's tests only.

pub mod bindings;
pub mod compare;
pub mod depth;
pub mod floating;
pub mod gateways;
pub mod groups;
pub mod incident;
pub mod pagerank;
pub mod paths;
pub mod rank;
pub mod reach;
#[cfg(test)]
pub(crate) mod reference;
pub mod report;
pub mod scenario;
pub mod score;
mod sketch;
pub mod stats;
