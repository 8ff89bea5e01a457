//! The CLI's [`Progress`]: an indicatif bar per phase (hidden when stderr is not a terminal),
//! and with `-v` each phase's wall time and the process's peak memory on stderr.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use keystone::progress::Progress;

/// Progress bars and timings on stderr.
pub struct CliProgress {
    verbose: bool,
    current: Mutex<Option<(String, Instant, ProgressBar)>>,
}

impl CliProgress {
    pub fn new(verbose: bool) -> Self {
        CliProgress { verbose, current: Mutex::new(None) }
    }

    /// Starts a phase the CLI itself runs.
    pub fn phase_start(&self, name: &str) {
        self.phase(name, None);
    }

    /// Prints a line above the bar.
    pub fn message(&self, text: &str) {
        match self.current.lock().expect("progress lock").as_ref() {
            Some((_, _, bar)) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// Ends the last phase.
    pub fn finish(&self) {
        self.end_phase();
    }

    fn end_phase(&self) {
        if let Some((name, start, bar)) = self.current.lock().expect("progress lock").take() {
            bar.finish_and_clear();
            if self.verbose {
                eprintln!("{name}: {:.3} s (peak memory {})", start.elapsed().as_secs_f64(), peak_memory());
            }
        }
    }
}

impl Progress for CliProgress {
    fn phase(&self, name: &str, total: Option<u64>) {
        self.end_phase();
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template("{msg:30} {wide_bar} {pos}/{len} ({per_sec}, {eta})").expect("template"),
            ),
            None => ProgressBar::new_spinner()
                .with_style(ProgressStyle::with_template("{spinner} {msg:30} {pos} ({per_sec})").expect("template")),
        };
        bar.set_message(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        *self.current.lock().expect("progress lock") = Some((name.to_string(), Instant::now(), bar));
    }

    fn advance(&self, amount: u64) {
        if let Some((_, _, bar)) = self.current.lock().expect("progress lock").as_ref() {
            bar.inc(amount);
        }
    }
}

/// Peak resident memory, from /proc where it exists.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l[6..].trim().to_string()))
        .unwrap_or_else(|| "unknown".to_string())
}
