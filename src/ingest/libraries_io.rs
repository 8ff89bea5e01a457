//! Placeholder: being written.

use std::path::Path;

use super::{ReadOptions, Source};
use crate::error::{Error, Result};
use crate::model::Ingested;
use crate::progress::Progress;

/// Placeholder reader.
#[derive(Debug, Clone, Copy)]
pub struct Reader;

impl Source for Reader {
    fn read(&self, _path: &Path, _opts: &ReadOptions, _progress: &dyn Progress) -> Result<Ingested> {
        Err(Error::Invalid("not implemented yet".into()))
    }
}
