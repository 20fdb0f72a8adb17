//! The `popdelta` binary: parses arguments, hands each subcommand to its module in
//! `commands/`, prints errors and maps them to exit codes.

mod cli;
mod commands;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// Exit code for usage errors, bad input and I/O failures.
const EXIT_ERROR: u8 = 2;

/// Whether standard output was closed when the process started (`popdelta >&-`). Rust's
/// runtime opens /dev/null in place of a closed descriptor before `main`, so this is asked
/// before it, from the program's initialisers.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
// SAFETY: a function pointer in .init_array is called once by the loader before `main`,
// with no arguments, as an initialiser; it only reads a descriptor's flags.
#[unsafe(link_section = ".init_array")]
static ASK_STDOUT: extern "C" fn() = {
    extern "C" fn ask() {
        // SAFETY: F_GETFD only asks whether descriptor 1 is open; it changes nothing.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    ask
};

fn run(cli: &Cli) -> anyhow::Result<u8> {
    match &cli.command {
        Command::Compare(args) => commands::compare::run(args),
        Command::Trend(args) => commands::trend::run(args),
        Command::Vintages(args) => commands::vintages::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Data(args) => commands::data::run(args),
        Command::Sources(args) => commands::sources::run(args),
        Command::Completions { shell } => commands::completions::run(*shell),
        Command::Man { subcommand } => commands::man::run(subcommand.as_deref()),
    }
}

/// Whether an error is a closed pipe downstream (`popdelta compare | head`).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    // A panic inside the workbook parser is caught and said as one line of refusal: the
    // default hook's message (and backtrace) would come before it.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !popdelta::load::formats::workbook::guarded() {
            default_hook(info);
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Our errors already name their cause; the chain would repeat it.
            let text = e.to_string();
            eprintln!(
                "popdelta: error: {}",
                popdelta::render::escape::terminal(&text)
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}
