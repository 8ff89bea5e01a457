//! Placeholder: being written.

use super::ReqCheck;

pub(super) fn check(req: &str, _latest: Option<&str>) -> Result<ReqCheck, String> {
    Err(format!("`{req}`: not implemented yet"))
}
