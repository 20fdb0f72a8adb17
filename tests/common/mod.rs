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

/// Runs popdelta, expecting success: (stdout, stderr).
#[allow(dead_code)]
pub fn run(args: &[&str]) -> (String, String) {
    let out = popdelta().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    (String::from_utf8(out.stdout).unwrap(), err)
}

/// Runs popdelta, expecting it to refuse (exit 2, nothing on stdout): its one error line,
/// the last (notes may come first), of at most 600 characters.
#[allow(dead_code)]
pub fn refused(args: &[&str]) -> String {
    let out = popdelta().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("popdelta: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error: {err}");
    let last = err.lines().last().unwrap_or_default();
    assert_eq!(last, errors[0], "the error comes last: {err}");
    assert!(last.len() < 600, "{last}");
    last.to_owned()
}

/// The CSV row of `level` and `region`, by field.
#[allow(dead_code)]
pub fn row<'a>(csv: &'a str, level: &str, region: &str) -> Vec<&'a str> {
    let start = format!("{level},{region},");
    csv.lines()
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("no {start} in {csv}"))
        .split(',')
        .collect()
}
