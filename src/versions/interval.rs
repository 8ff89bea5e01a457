//! The interval notation Maven and NuGet share for version ranges: `[1.0,2.0)` (from 1.0, up
//! to but not including 2.0), `(,1.0]`, `[1.5,)`, `[1.5]` (exactly 1.5), and, for Maven,
//! several intervals joined by commas (`(,1.0],[1.2,)`: any of them).

use std::cmp::Ordering;

/// One interval: its bounds, each a version and whether it is included.
pub(super) struct Interval<V> {
    low: Option<(V, bool)>,
    high: Option<(V, bool)>,
}

impl<V: Ord> Interval<V> {
    pub(super) fn contains(&self, v: &V) -> bool {
        let above = self.low.as_ref().is_none_or(|(low, inclusive)| match v.cmp(low) {
            Ordering::Greater => true,
            Ordering::Equal => *inclusive,
            Ordering::Less => false,
        });
        let below = self.high.as_ref().is_none_or(|(high, inclusive)| match v.cmp(high) {
            Ordering::Less => true,
            Ordering::Equal => *inclusive,
            Ordering::Greater => false,
        });
        above && below
    }
}

/// Whether `req` is written in interval notation (starts with `[` or `(`).
pub(super) fn is_interval(req: &str) -> bool {
    req.trim_start().starts_with(['[', '('])
}

/// The intervals of `req`, their versions read by `parse`.
pub(super) fn parse<V>(req: &str, parse: impl Fn(&str) -> Result<V, String>) -> Result<Vec<Interval<V>>, String> {
    let bad = |why: &str| format!("`{req}` is not a version range ({why})");
    let mut out = Vec::new();
    let mut rest = req.trim();
    while !rest.is_empty() {
        let open = rest.chars().next().expect("not empty");
        if open != '[' && open != '(' {
            return Err(bad("each interval starts with `[` or `(`"));
        }
        let end = rest.find([']', ')']).ok_or_else(|| bad("an interval is not closed"))?;
        let close = rest.as_bytes()[end];
        let inner = &rest[1..end];
        let bound = |text: &str| -> Result<Option<V>, String> {
            let text = text.trim();
            if text.is_empty() {
                Ok(None)
            } else {
                parse(text).map(Some)
            }
        };
        let interval = match inner.split_once(',') {
            None => {
                if open != '[' || close != b']' || inner.trim().is_empty() {
                    return Err(bad("one version goes in `[…]`"));
                }
                // An exact version: both bounds, included (read twice rather than cloned).
                Interval { low: Some((parse(inner.trim())?, true)), high: Some((parse(inner.trim())?, true)) }
            }
            Some((low, high)) => {
                Interval { low: bound(low)?.map(|v| (v, open == '[')), high: bound(high)?.map(|v| (v, close == b']')) }
            }
        };
        out.push(interval);
        rest = rest[end + 1..].trim_start();
        if !rest.is_empty() {
            rest = rest.strip_prefix(',').ok_or_else(|| bad("intervals are joined by commas"))?.trim_start();
            if rest.is_empty() {
                return Err(bad("a comma with no interval after it"));
            }
        }
    }
    if out.is_empty() {
        return Err(bad("no interval"));
    }
    Ok(out)
}
