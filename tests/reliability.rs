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
    // /dev/zero itself is bytes, not text: named at once.
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("popdelta"));
    cmd.args(["compare", "/dev/zero"]);
    let out = within(cmd, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with(
            "popdelta: error: /dev/zero:1: a NUL byte, which text never holds: a binary file"
        ),
        "{out:?}"
    );
    // An endless line of text (x after x), from a pipe: refused at the line cap.
    let bin = assert_cmd::cargo::cargo_bin("popdelta");
    for args in ["compare -", "compare --skip-rows 2 -", "compare /dev/stdin"] {
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c")
            .arg(format!("tr '\\0' x < /dev/zero | \"$0\" {args}"))
            .arg(&bin);
        let out = within(cmd, Duration::from_secs(60));
        assert_eq!(out.status.code(), Some(2), "{args}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(":1: a line longer than 64 MiB; "),
            "{args}: {err}"
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

/// The binary run through `sh -c`, for umask and closed descriptors.
fn shell(script: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("popdelta");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(bin)
        .output()
        .unwrap()
}

#[test]
fn output_files_take_the_umask_mode_and_keep_an_existing_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.csv");
    let old = write(dir.path(), "old.csv", "x");
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o664)).unwrap();
    let svg = dir.path().join("chart.svg");
    let out = shell(&format!(
        "umask 022 && \"$0\" compare -o '{}' && \"$0\" compare -o '{}' --svg '{}'",
        new.display(),
        old.display(),
        svg.display()
    ));
    assert!(out.status.success(), "{out:?}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&new), 0o644);
    assert_eq!(mode(&old), 0o664);
    assert_eq!(mode(&svg), 0o644);
}

#[test]
fn output_onto_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = write(dir.path(), "target.csv", "old");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("target.csv", &link).unwrap();
    popdelta()
        .args(["compare", "--format", "csv", "-o"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("level,region,group,pop_2016"), "{text}");
}

#[test]
fn output_onto_a_fifo_is_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let path = path.clone();
        std::thread::spawn(move || std::fs::read_to_string(path).unwrap())
    };
    popdelta()
        .args(["compare", "--format", "csv", "-o"])
        .arg(&path)
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    let read = reader.join().unwrap();
    assert_eq!(read.lines().count(), 35);
    assert!(
        std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn output_onto_a_device_is_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("null");
    // A null device of our own where we may make one (as root); /dev/null itself otherwise.
    let made = std::process::Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    let device = if made {
        node
    } else {
        PathBuf::from("/dev/null")
    };
    popdelta()
        .args(["compare", "-o"])
        .arg(&device)
        .assert()
        .success();
    let kind = std::fs::symlink_metadata(&device).unwrap().file_type();
    assert!(kind.is_char_device(), "{} was replaced", device.display());
}

#[test]
fn a_run_ended_by_a_signal_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // Enough regions that writing them takes a while (seconds, unoptimised).
    let mut text = String::from("region,2016,2017\n");
    for i in 0..400_000 {
        text.push_str(&format!("\"R{i}\",{i},{}\n", i + 1));
    }
    let input = write(dir.path(), "in.csv", &text);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("popdelta"))
            .arg("compare")
            .arg(&input)
            .arg("-o")
            .arg(out_dir.join("out.csv"))
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        let temp = || {
            std::fs::read_dir(&out_dir).unwrap().any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".popdelta-")
            })
        };
        while !temp() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no temporary file appeared"
            );
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        // SAFETY: kill sends a signal to our own child process.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().unwrap();
        let left: Vec<_> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            left.is_empty(),
            "signal {signal} ({status:?}) left {left:?}"
        );
    }
}

#[test]
fn a_closed_stdout_is_an_error_not_a_silent_success() {
    let out = shell("exec \"$0\" compare >&-");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "popdelta: error: standard output: it is closed, so the output would be lost\n"
    );
    // A pipe closed by its reader stays a quiet success.
    let out = shell("\"$0\" compare | head -1 > /dev/null");
    assert!(out.status.success());
    assert!(out.stderr.is_empty());
    // /dev/null opened for reading and writing (as Python's subprocess.DEVNULL is) is an
    // open standard output, where output is meant to vanish.
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("popdelta"))
        .arg("compare")
        .stdout(null)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty());
}

/// Region names that would act on a terminal or a browser.
const HOSTILE: &str = "region,2016,2017\n\
\"Evil\u{1b}[2J\u{1b}]0;title\u{7}\",1,2\n\
\"\u{202e}RTL\",3,4\n\
\"<script>alert(1)</script>\",5,6\n\
\"<img src=x onerror=alert(1)>\",7,\n\
\"ctl\u{1}\",9,10\n";

#[test]
fn names_with_escape_sequences_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "h.csv", HOSTILE);
    for extra in [&["--format", "table"][..], &["--chart"][..]] {
        let out = popdelta()
            .arg("compare")
            .arg(&data)
            .args(extra)
            .args(["--color", "never"])
            .output()
            .unwrap();
        assert!(out.status.success());
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{1}', '\u{202e}']),
                "{extra:?}: {text}"
            );
        }
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Evil\\u{1b}[2J\\u{1b}]0;title\\u{7}"),
            "{text}"
        );
        assert!(text.contains("\\u{202e}RTL"), "{text}");
    }
    // The note on stderr and an error quoting a name escape them too.
    let out = popdelta()
        .arg("compare")
        .arg(&data)
        .args(["--region", "\u{1b}[2Jx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.contains("\\u{1b}[2Jx"), "{err}");
}

#[test]
fn markdown_escapes_html_from_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "h.csv", HOSTILE);
    let out = popdelta()
        .arg("compare")
        .arg(&data)
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('<'), "{text}");
    assert!(
        text.contains("| &lt;script&gt;alert(1)&lt;/script&gt; |"),
        "{text}"
    );
    assert!(
        text.contains("lacking a year: &lt;img src=x onerror=alert(1)&gt; (no 2017)"),
        "{text}"
    );
}

#[test]
fn svg_with_control_characters_in_names_is_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "h.csv", HOSTILE);
    let svg = dir.path().join("c.svg");
    popdelta()
        .arg("compare")
        .arg(&data)
        .arg("--svg")
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
    let labels: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(labels.iter().any(|l| l.contains("ctl\\u{1}")), "{labels:?}");
}

#[test]
fn a_chart_of_millions_of_bars_is_refused_with_the_flag_that_narrows_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("region,2016,2017\n");
    for i in 0..2001 {
        text.push_str(&format!("R{i},{i},{}\n", i + 1));
    }
    let data = write(dir.path(), "d.csv", &text);
    popdelta()
        .arg("compare")
        .arg(&data)
        .arg("--chart")
        .assert()
        .code(2)
        .stderr(
            "popdelta: error: --chart: 2001 bars are too many for a chart (at most 2000); \
             chart fewer regions with --top N, --declining, --growing or --region\n",
        );
    popdelta()
        .arg("compare")
        .arg(&data)
        .args(["--chart", "--top", "3", "--color", "never"])
        .assert()
        .success();
}

#[test]
fn twelve_point_zero_zero_zero_in_persons_is_refused_not_read_as_twelve() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", "region,2016,2017\nA,12.000,13.500\n");
    popdelta()
        .arg("compare")
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            ":2:2016: bad population: a point before three digits may be a thousands \
             separator (found \"12.000\"); write 12000 or 12,000 for twelve thousand, 12 \
             for twelve",
        ));
    // In a stated unit the point is a decimal point.
    popdelta()
        .arg("compare")
        .arg(&data)
        .args(["--unit", "thousand"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "region,A,,12000,13500,1500,12.500",
        ));
}

#[test]
fn leading_zero_thousands_groups_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for value in ["0,100", "001,000"] {
        let data = write(
            dir.path(),
            "d.csv",
            &format!("region,2016,2017\nA,\"{value}\",5\n"),
        );
        popdelta()
            .arg("compare")
            .arg(&data)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "bad population: thousands separators must group digits by three, as in \
                 1,234,567 (found \"{value}\")"
            )));
    }
}

#[test]
fn rows_ending_in_a_comma_under_a_header_without_one_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "d.csv",
        "region,year,population\nA,2016,100,\nA,2017,90,\nB,2016,5,\nB,2017,6,\n",
    );
    popdelta()
        .arg("compare")
        .arg(&data)
        .assert()
        .success()
        .stdout(
            "level,region,group,pop_2016,pop_2017,change,change_pct\n\
             region,A,,100,90,-10,-10.000\n\
             region,B,,5,6,1,20.000\n\
             total,,,105,96,-9,-8.571\n",
        );
}

#[test]
fn a_claim_with_a_huge_tolerance_cannot_be_checked_rather_than_wrapping() {
    // value + tolerance, at the tolerance's nine decimals, is past 2^127.
    let dir = tempfile::tempdir().unwrap();
    let claims = write(
        dir.path(),
        "c.csv",
        "id,subject,from,to,metric,op,value,tolerance,quote\n\
         1,Beijing,2016,2017,change,<,170141183460469231731687303715,\
         999999999.999999999,\n",
    );
    popdelta()
        .arg("check")
        .arg(&claims)
        .args(["--format", "csv"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "the figures are too large to compare exactly",
        ));
}

#[test]
fn a_claims_file_from_dev_zero_is_refused_not_read_forever() {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("popdelta"));
    cmd.args(["check", "/dev/zero"]);
    let out = within(cmd, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "popdelta: error: /dev/zero: a claims file of more than 64 MiB; claims are a line each\n"
    );
}

/// (exit code, stdout, stderr) of a run.
fn outcome(args: &[&str]) -> (Option<i32>, String, String) {
    let out = popdelta().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn date_31_02_2013_is_no_day_and_names_its_cell() {
    // It was taken for a date of 2013.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "dates.csv",
        "region,year,population\nA,31.12.2012,10\nA,31.02.2013,12\n",
    );
    let (code, _, err) = outcome(&["compare", &path.display().to_string()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("dates.csv:3:year: not a year (found \"31.02.2013\")"),
        "{err}"
    );
}

#[test]
fn a_claim_the_data_states_exactly_holds_not_unverified_data() {
    // The north's sum holds figures below high confidence; a claim of exactly its change
    // (a difference of 0) was judged "unverified data".
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "claims.csv",
        "id,subject,from,to,metric,op,value,tolerance,quote\n\
         1,north,2016,2017,change,=,2193900,,\n",
    );
    let (code, out, err) = outcome(&["check", &path.display().to_string(), "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(",2193900,2193900,0,"), "{out}");
    assert!(out.contains(",holds,"), "{out}");
}

#[test]
fn trend_names_zh_prints_chinese_names_as_compare_does() {
    let (code, out, err) = outcome(&["trend", "--names", "zh", "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("\nregion,北京,north,2015,2018,21705000,21542000,"),
        "{out}"
    );
    let (_, out, _) = outcome(&["trend", "--names", "both", "--format", "csv"]);
    assert!(
        out.starts_with("level,region,region_zh,group,first_year"),
        "{out}"
    );
    assert!(
        out.contains("\nregion,Beijing,北京,north,2015,2018,"),
        "{out}"
    );
    let (_, out, _) = outcome(&["trend", "--names", "zh", "--yearly", "--format", "csv"]);
    assert!(out.contains("\nregion,北京,north,2015,2016,"), "{out}");
}

#[test]
fn columns_of_commas_alone_are_refused_not_a_table_of_one_column() {
    let (code, out, err) = outcome(&["compare", "--columns", ",,,"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("invalid value ',,,' for '--columns <COL[,COL...]>': no column named in \",,,\"; name one or more of region_zh, pop_from"),
        "{err}"
    );
}

#[test]
fn a_reversed_vintages_range_says_it_is_reversed() {
    let (code, _, err) = outcome(&["vintages", "--from", "2020", "--to", "2017"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "popdelta: error: --from 2020 comes after --to 2017; say --from 2017 --to 2020"
        ),
        "{err}"
    );
}

#[test]
fn an_odd_length_utf16_file_shows_the_byte_left_over() {
    // It said "bytes  are not valid", with nothing between.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.csv");
    std::fs::write(&path, b"\xff\xfer\x00e\x00g\x00,").unwrap();
    let (code, _, err) = outcome(&["compare", &path.display().to_string()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("odd.csv:1: bytes 2C are not valid utf-16"),
        "{err}"
    );
}

#[test]
fn ids_numbered_1_to_24_do_not_nest_so_every_region_is_summed() {
    // Before: "1" was taken to hold "10" to "19" (codes that nest by prefix), and since
    // their figures do not add up to it, the ten were set apart: a plausible total short
    // of ten regions. The tree is now trusted only where some code's parts add up to it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.csv");
    let mut text = String::from("region,code,2016,2017\n");
    for i in 1..=24 {
        text.push_str(&format!("State {i},{i},{},{}\n", 1000 + i, 1010 + i));
    }
    std::fs::write(&path, text).unwrap();
    let out = common::popdelta()
        .args(["compare", path.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.lines().filter(|l| l.starts_with("region,")).count(), 24);
    assert!(!out.contains("aggregate,"), "{out}");
    // 24 regions of 1000 + i: 24,300 in 2016, 24,540 in 2017.
    assert!(out.contains("\ntotal,,,24300,24540,240,0.988\n"), "{out}");
}
