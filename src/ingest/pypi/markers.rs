//! The PEP 508 environment that PyPI requirements' markers are evaluated in: Linux on x86_64
//! with CPython 3.12 unless overridden.

use pep508_rs::{MarkerEnvironment, MarkerEnvironmentBuilder};

use crate::error::{Error, Result};

/// The environment markers are evaluated in, and the Python version whose sdist requirements
/// are read. The default is Linux on x86_64 with CPython 3.12 (see the module docs of
/// [`super`]).
#[derive(Debug, Clone)]
pub struct Markers {
    env: MarkerEnvironment,
}

impl Default for Markers {
    fn default() -> Self {
        Markers::new(&[]).expect("the default environment is valid")
    }
}

impl Markers {
    /// The default environment with `overrides` (`("python_version", "3.11")`) applied.
    /// Overriding `python_version` alone also sets `python_full_version` and
    /// `implementation_version` to it with `.0` added. An unknown variable, or one that takes
    /// a version given something else, is an error.
    pub fn new(overrides: &[(String, String)]) -> Result<Markers> {
        environment(overrides).map(|env| Markers { env })
    }

    pub(super) fn env(&self) -> &MarkerEnvironment {
        &self.env
    }

    /// The `(major, minor)` Python version.
    pub(super) fn python(&self) -> (u64, u64) {
        let release = self.env.python_version().version.release();
        (release.first().copied().unwrap_or(0), release.get(1).copied().unwrap_or(0))
    }
}

/// The marker variables with their default values.
const MARKERS: [(&str, &str); 11] = [
    ("implementation_name", "cpython"),
    ("implementation_version", "3.12.0"),
    ("os_name", "posix"),
    ("platform_machine", "x86_64"),
    ("platform_python_implementation", "CPython"),
    ("platform_release", ""),
    ("platform_system", "Linux"),
    ("platform_version", ""),
    ("python_full_version", "3.12.0"),
    ("python_version", "3.12"),
    ("sys_platform", "linux"),
];

/// The default environment with `overrides` applied.
fn environment(overrides: &[(String, String)]) -> Result<MarkerEnvironment> {
    let mut values: Vec<(&str, &str)> = MARKERS.to_vec();
    for (name, value) in overrides {
        let slot = values.iter_mut().find(|(n, _)| n == name).ok_or_else(|| {
            let names: Vec<&str> = MARKERS.iter().map(|(n, _)| *n).collect();
            Error::Invalid(format!("unknown marker variable `{name}` (expected one of: {})", names.join(", ")))
        })?;
        slot.1 = value;
    }
    let value = |name: &str| values.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v);
    let given = |name: &str| overrides.iter().any(|(n, _)| n == name);
    // Versions that follow `python_version` when only it is given.
    let python = format!("{}.0", value("python_version"));
    let follows = |name: &str| if given("python_version") && !given(name) { python.as_str() } else { value(name) };
    MarkerEnvironment::try_from(MarkerEnvironmentBuilder {
        implementation_name: value("implementation_name"),
        implementation_version: follows("implementation_version"),
        os_name: value("os_name"),
        platform_machine: value("platform_machine"),
        platform_python_implementation: value("platform_python_implementation"),
        platform_release: value("platform_release"),
        platform_system: value("platform_system"),
        platform_version: value("platform_version"),
        python_full_version: follows("python_full_version"),
        python_version: value("python_version"),
        sys_platform: value("sys_platform"),
    })
    .map_err(|e| {
        Error::Invalid(format!(
            "marker variables python_version, python_full_version and implementation_version take versions: {e}"
        ))
    })
}
