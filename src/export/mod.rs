//! Outputs: typed tables ([`table`]: columns, formats, the writer), the tables keystone writes
//! ([`tables`], and [`movements`] for two rankings side by side), the summary of a [`blast`], and where they came from
//! ([`provenance`]). Column names, order and
//! types are a public contract. Files are written atomically
//! ([`write_atomic`](crate::atomic::write_atomic)).

pub mod blast;
pub mod movements;
pub mod provenance;
pub mod report;
pub mod table;
pub mod tables;
