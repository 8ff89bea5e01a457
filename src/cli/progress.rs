//! The CLI's [`Progress`]: a bar per phase on stderr, drawn only when stderr is a terminal,
//! in the phase's own units (bytes of the input as read from disk against the file's size,
//! items against their number, elapsed time alone for a phase that counts nothing); and with
//! `-v` each phase's wall time and the process's peak memory on stderr.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use keystone::progress::{Meter, Progress, Work};

/// How often a bar is redrawn, and a byte meter read.
const TICK: Duration = Duration::from_millis(200);

/// Progress bars and timings on stderr.
pub struct CliProgress {
    verbose: bool,
    target: fn() -> ProgressDrawTarget,
    current: Mutex<Option<Phase>>,
}

/// The phase being shown.
struct Phase {
    name: String,
    start: Instant,
    bar: ProgressBar,
    /// The thread that copies a byte meter into the bar, and the flag that stops it.
    watcher: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl CliProgress {
    pub fn new(verbose: bool) -> Self {
        CliProgress::drawing_on(verbose, ProgressDrawTarget::stderr)
    }

    fn drawing_on(verbose: bool, target: fn() -> ProgressDrawTarget) -> Self {
        CliProgress { verbose, target, current: Mutex::new(None) }
    }

    /// Starts a phase the CLI itself runs, which counts nothing.
    pub fn phase_start(&self, name: &str) {
        self.phase(name, Work::Unmeasured);
    }

    /// Prints a line above the bar.
    pub fn message(&self, text: &str) {
        match self.current.lock().expect("progress lock").as_ref() {
            Some(phase) => phase.bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// Ends the last phase.
    pub fn finish(&self) {
        self.end_phase();
    }

    fn end_phase(&self) {
        if let Some(Phase { name, start, bar, watcher }) = self.current.lock().expect("progress lock").take() {
            if let Some((stop, thread)) = watcher {
                stop.store(true, Ordering::Relaxed);
                thread.thread().unpark();
                thread.join().expect("meter watcher");
            }
            bar.finish_and_clear();
            if self.verbose {
                eprintln!("{name}: {:.3} s (peak memory {})", start.elapsed().as_secs_f64(), peak_memory());
            }
        }
    }
}

impl Progress for CliProgress {
    fn phase(&self, name: &str, work: Work) {
        self.end_phase();
        let (bar, meter) = match work {
            Work::Bytes(meter) => {
                let keys = ["{binary_bytes}", "{binary_total_bytes}", "", "{binary_bytes_per_sec}"];
                (bar(meter.total(), keys), Some(meter))
            }
            Work::Items { unit, total } => {
                (bar(total, ["{human_pos}", "{human_len}", &format!(" {unit}"), "{rate}"]), None)
            }
            Work::Unmeasured => (ProgressBar::new_spinner().with_style(style("{spinner} {msg:32} {elapsed}")), None),
        };
        bar.set_draw_target((self.target)());
        bar.set_message(name.to_string());
        bar.enable_steady_tick(TICK);
        let watcher = meter.map(|meter| watch(meter, bar.clone()));
        *self.current.lock().expect("progress lock") =
            Some(Phase { name: name.to_string(), start: Instant::now(), bar, watcher });
    }

    fn advance(&self, amount: u64) {
        if let Some(phase) = self.current.lock().expect("progress lock").as_ref() {
            phase.bar.inc(amount);
        }
    }
}

/// A bar out of `total` (a spinner with the count and elapsed time when it is unknown), showing
/// the position, the total, the unit after them and the rate with the given template keys.
fn bar(total: Option<u64>, [position, of, unit, rate]: [&str; 4]) -> ProgressBar {
    match total {
        Some(total) => ProgressBar::new(total).with_style(style(&format!(
            "{{msg:32}} {{wide_bar}} {position}/{of}{unit} {{percent:>3}}% {rate} {{eta}} left"
        ))),
        None => ProgressBar::new_spinner()
            .with_style(style(&format!("{{spinner}} {{msg:32}} {position}{unit} {rate} {{elapsed}}"))),
    }
}

/// The style of `template`, with `{rate}`: items per second as a whole number.
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).expect("progress template").with_key(
        "rate",
        |state: &ProgressState, out: &mut dyn std::fmt::Write| {
            let _ = write!(out, "{}/s", HumanCount(state.per_sec() as u64));
        },
    )
}

/// Copies `meter` into `bar` every tick, until the returned flag is set.
fn watch(meter: Meter, bar: ProgressBar) -> (Arc<AtomicBool>, JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    let thread = std::thread::spawn(move || loop {
        bar.set_position(meter.read());
        if stopped.load(Ordering::Relaxed) {
            return;
        }
        std::thread::park_timeout(TICK / 2);
    });
    (stop, thread)
}

/// Peak resident memory, from /proc where it exists.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l[6..].trim().to_string()))
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use indicatif::TermLike;

    use super::*;

    /// The last line drawn on [`Screen`].
    static SHOWN: Mutex<String> = Mutex::new(String::new());

    /// A terminal that keeps the last line drawn, in [`SHOWN`].
    #[derive(Debug)]
    struct Screen;

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            160
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            if !s.trim().is_empty() {
                *SHOWN.lock().unwrap() = s.to_string();
            }
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What the screen shows after a few redraws.
    fn shown() -> String {
        std::thread::sleep(TICK * 3);
        SHOWN.lock().unwrap().clone()
    }

    #[test]
    fn each_phase_is_shown_in_its_own_units() {
        let progress = CliProgress::drawing_on(false, || ProgressDrawTarget::term_like(Box::new(Screen)));

        let meter = Meter::new(Some(8 << 20));
        progress.phase("read the input", Work::Bytes(meter.clone()));
        meter.add(2 << 20);
        let line = shown();
        assert!(line.contains("read the input") && line.contains("2.00 MiB/8.00 MiB  25%"), "{line}");
        assert!(line.contains("MiB/s") && line.ends_with(" left"), "{line}");

        progress.phase("count", Work::Items { unit: "packages", total: Some(200_000) });
        progress.advance(50_000);
        let line = shown();
        assert!(line.contains("50,000/200,000 packages  25%") && line.contains("/s "), "{line}");
        assert!(!line.contains('.'), "a rate as a whole number: {line}");

        progress.phase("think", Work::Unmeasured);
        let line = shown();
        assert!(line.contains("think") && line.trim_end().ends_with('s') && !line.contains('/'), "{line}");
        progress.finish();
    }
}
