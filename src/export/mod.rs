//! Outputs: CSV rows whose column names are a public contract ([`csv`], and [`movements`] for
//! two rankings side by side). Files are written atomically
//! ([`write_atomic`](crate::atomic::write_atomic)).

pub mod csv;
pub mod movements;
