//! Helpers shared by the integration tests.

use assert_cmd::Command;

/// The popdelta binary, with no colour or terminal surprises from the environment.
pub fn popdelta() -> Command {
    let mut cmd = Command::cargo_bin("popdelta").expect("binary builds");
    cmd.env_remove("NO_COLOR").env_remove("RUST_BACKTRACE");
    cmd
}

/// The Census state file.
#[allow(dead_code)]
pub const STATES: &str = "tests/data/us-census/nst-est2017-alldata.csv";

/// The options that read the Census state file: states only, by name, populations by
/// year, grouped by census region.
#[allow(dead_code)]
pub const STATE_OPTIONS: [&str; 8] = [
    "--where",
    "SUMLEV=40",
    "--region-col",
    "NAME",
    "--value-col",
    "POPESTIMATE{year}",
    "--group-by",
    "REGION",
];
