//! Line-oriented inputs read in large batches on a read-ahead thread, so that decompression of
//! the next batch overlaps with parsing of the current one. Each batch ends at a line boundary
//! and knows the number of its first line, for error locations.

use std::io::{BufRead, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{BadRecords, ReadOptions, Stream};
use crate::error::{Error, Limit, Location, Result};
use crate::model::{Ingested, PackageRecord};

/// Bytes per batch (plus the rest of the last line).
const BATCH_BYTES: u64 = 8 << 20;

/// A run of whole lines.
pub(crate) struct Batch {
    /// 1-based number of the first line in `data`.
    pub first_line: u64,
    /// The lines, each ending in `\n` except perhaps the input's last.
    pub data: Vec<u8>,
}

impl Batch {
    /// The lines with their 1-based numbers, without line terminators.
    pub(crate) fn lines(&self) -> impl Iterator<Item = (u64, &[u8])> {
        self.spans().map(|(no, span)| (no, &self.data[span]))
    }

    /// Where each line lies in `data`, with its 1-based number, without line terminators.
    pub(crate) fn spans(&self) -> impl Iterator<Item = (u64, Range<usize>)> + '_ {
        let data = &self.data;
        let ends = memchr::memchr_iter(b'\n', data).chain((!data.ends_with(b"\n")).then_some(data.len()));
        let mut start = 0;
        ends.enumerate().map(move |(i, end)| {
            let span = start..end - usize::from(data[start..end].ends_with(b"\r"));
            start = end + 1;
            (self.first_line + i as u64, span)
        })
    }
}

/// Reads `reader` as batches of whole lines on a separate thread. A line longer than
/// `max_line` bytes is an error (so one crafted line cannot exhaust memory).
pub(crate) fn batches(mut reader: Stream, path: &Path, max_line: u64) -> impl Iterator<Item = Result<Batch>> {
    let (tx, rx) = mpsc::sync_channel::<Result<Batch>>(2);
    let path: PathBuf = path.to_path_buf();
    std::thread::spawn(move || {
        let mut first_line = 1;
        loop {
            let mut data = Vec::with_capacity(BATCH_BYTES as usize + (64 << 10));
            let read = (&mut reader).take(BATCH_BYTES).read_to_end(&mut data).and_then(|n| {
                if n > 0 && data.last() != Some(&b'\n') {
                    // The rest of the last line, up to the limit.
                    let started = data.len() - memchr::memrchr(b'\n', &data).map_or(0, |i| i + 1);
                    (&mut reader).take((max_line + 1).saturating_sub(started as u64)).read_until(b'\n', &mut data)
                } else {
                    Ok(0)
                }
            });
            // Count the lines, and find the first that is too long.
            let (mut lines, mut start, mut too_long) = (0u64, 0usize, None);
            for end in memchr::memchr_iter(b'\n', &data).chain([data.len()]) {
                if too_long.is_none() && (end - start) as u64 > max_line {
                    too_long = Some(first_line + lines);
                }
                lines += u64::from(end < data.len());
                start = end + 1;
            }
            let batch = match (read, too_long) {
                (Ok(_), _) if data.is_empty() => return,
                (Ok(_), Some(line)) => Err(Error::Limit {
                    at: Location::line(&path, line),
                    limit: Limit::Record { what: "line", max_bytes: max_line },
                }),
                (Ok(_), None) => {
                    let batch = Batch { first_line, data };
                    first_line += lines;
                    Ok(batch)
                }
                (Err(e), _) => Err(Error::io(&path, e)),
            };
            let failed = batch.is_err();
            if tx.send(batch).is_err() || failed {
                return;
            }
        }
    });
    rx.into_iter()
}

/// Reads an input whose lines each give package records (none for a blank or framing line,
/// several for a line holding many documents), parsing lines in parallel. A package seen
/// twice keeps its last record; a line's error becomes a bad record at that line.
pub(crate) fn records_per_line(
    reader: Stream,
    path: &Path,
    opts: &ReadOptions,
    parse: impl Fn(&[u8]) -> Vec<Result<PackageRecord, String>> + Sync,
) -> Result<Ingested> {
    let mut bad = BadRecords::new(opts);
    let mut packages: FxHashMap<String, PackageRecord> = FxHashMap::default();
    for batch in batches(reader, path, opts.max_record_bytes) {
        let batch = batch?;
        let lines: Vec<(u64, &[u8])> = batch.lines().filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace)).collect();
        let parsed: Vec<_> = lines.par_iter().map(|&(no, line)| (no, parse(line))).collect();
        for (no, records) in parsed {
            for record in records {
                match record {
                    Ok(record) => {
                        packages.insert(record.name.clone(), record);
                    }
                    Err(message) => bad.record(Error::parse(Location::line(path, no), message))?,
                }
            }
        }
    }
    let mut packages: Vec<PackageRecord> = packages.into_values().collect();
    packages.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(Ingested { packages, edges: Vec::new(), skipped: bad.finish() })
}
