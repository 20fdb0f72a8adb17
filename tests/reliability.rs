//! Regression tests for the reliability defects: inputs that are not regular files,
//! endless lines, mixed line endings, long messages. Each test is named after the defect.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::popdelta;

/// Content that sends the fast path back to the ordinary reader (a quoted figure).
const FALLS_BACK: &str = "region,2016,2017\nA,\"1,000\",2000\nB,5,6\n";

const FALLS_BACK_CSV: &str = "level,region,group,pop_2016,pop_2017,change,change_pct\n\
region,A,,1000,2000,1000,100.000\n\
region,B,,5,6,1,20.000\n\
total,,,1005,2006,1001,99.602\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A FIFO at `path` that a thread fills with `text` once a reader opens it.
fn fifo(path: &Path, text: &'static str) -> std::thread::JoinHandle<()> {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
    let path = path.to_owned();
    std::thread::spawn(move || {
        // Opening for writing waits for the reader; a reader that never comes (a failed
        // test) leaves the thread blocked, which ends with the test process.
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) {
            let _ = f.write_all(text.as_bytes());
        }
    })
}

/// Runs `cmd` to its end, killing it (and failing) if it takes longer than `limit`.
fn within(mut cmd: std::process::Command, limit: Duration) -> std::process::Output {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_fifo_the_fast_path_gives_back_is_read_once_not_hung() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    let writer = fifo(&path, FALLS_BACK);
    popdelta()
        .arg("compare")
        .arg(&path)
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(FALLS_BACK_CSV);
    writer.join().unwrap();
}

#[test]
fn dev_stdin_with_content_the_fast_path_gives_back_is_not_empty() {
    popdelta()
        .args(["compare", "/dev/stdin"])
        .write_stdin(FALLS_BACK)
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(FALLS_BACK_CSV);
}

#[test]
fn dev_zero_is_refused_in_bounded_memory_not_aborted() {
    for args in [
        vec!["compare", "/dev/zero"],
        vec!["compare", "-"],
        vec!["compare", "--skip-rows", "2", "/dev/zero"],
    ] {
        // Standard input is /dev/zero itself (a test harness would buffer it first).
        let zero = std::fs::File::open("/dev/zero").unwrap();
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("popdelta"));
        cmd.args(&args).stdin(zero);
        let out = within(cmd, Duration::from_secs(60));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(":1: a line longer than 64 MiB; "),
            "{args:?}: {err}"
        );
        assert!(err.len() < 300, "{err}");
    }
}

#[test]
fn groups_from_dev_zero_are_refused_not_aborted() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", "region,2016,2017\nA,1,2\n");
    popdelta()
        .arg("compare")
        .arg(&data)
        .args(["--groups", "/dev/zero"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "/dev/zero:1: a line longer than 64 MiB; ",
        ));
}

#[test]
fn skip_rows_past_the_end_stops_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", "region,2016,2017\nA,1,2\nB,3,4\n");
    popdelta()
        .arg("compare")
        .arg(&data)
        .args(["--skip-rows", "1000000000"])
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(format!(
            "popdelta: error: {}:4: the input ends after 3 lines, before the 1000000000 \
             lines to skip; give --skip-rows the number of lines before the header\n",
            data.display()
        ));
}

#[test]
fn a_header_ended_by_a_lone_cr_does_not_swallow_the_first_row() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", "region,2016,2017\rA,1,2\nB,3,5\n");
    for extra in [None, Some("--single-threaded")] {
        popdelta()
            .arg("compare")
            .arg(&data)
            .args(extra)
            .assert()
            .success()
            .stdout(
                "level,region,group,pop_2016,pop_2017,change,change_pct\n\
                 region,A,,1,2,1,100.000\n\
                 region,B,,3,5,2,66.667\n\
                 total,,,4,7,3,75.000\n",
            );
    }
}

#[test]
fn errors_in_a_cr_only_file_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", "region,2016,2017\rA,1,2\rB,x,5\r");
    popdelta()
        .arg("compare")
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "{}:3:2016: bad population: not a number (found \"x\")",
            data.display()
        )));
}

#[test]
fn a_huge_bad_value_is_quoted_in_200_characters() {
    let dir = tempfile::tempdir().unwrap();
    let big = "9x".repeat(2_500_000);
    let data = write(
        dir.path(),
        "d.csv",
        &format!("region,2016,2017\nA,1,{big}\n"),
    );
    let out = popdelta().arg("compare").arg(&data).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.len() < 600, "{} bytes", err.len());
    assert!(
        err.contains(&format!(
            "(found \"{}\"... (5000000 bytes))",
            "9x".repeat(100)
        )),
        "{err}"
    );
}

#[test]
fn the_note_of_regions_left_out_names_ten_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("region,2016,2017\n");
    for i in 0..25 {
        text.push_str(&format!("R{i:02},{i},\n"));
    }
    text.push_str("Z,1,2\n");
    let data = write(dir.path(), "d.csv", &text);
    let out = popdelta().arg("compare").arg(&data).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let names: Vec<String> = (0..10).map(|i| format!("R{i:02} (no 2017)")).collect();
    assert_eq!(
        err,
        format!(
            "popdelta: note: 25 regions left out of the totals for lacking a year: {} and 15 \
             more (--format json lists them all)\n",
            names.join(", ")
        )
    );
}
