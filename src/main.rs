//! The `keystone` command: parses arguments and hands over to `cli`.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Faster than the system allocator for ingest's many small strings (see Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            match cli::limit_hint(&err) {
                Some(hint) => eprintln!("error: {}; {hint}", message(&err)),
                None => eprintln!("error: {}", message(&err)),
            }
            ExitCode::from(2)
        }
    }
}

/// The error and its causes joined by `: `, leaving out a cause whose text the message already
/// holds (a library error shows its I/O source itself).
fn message(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&cause);
        }
    }
    text
}
