//! Phase timings for performance work: built with `--features timings`, each mark prints
//! the time since the first mark, the resident memory and its peak so far to stderr;
//! otherwise nothing.

/// Notes that the phase `what` has ended.
#[cfg(feature = "timings")]
pub fn mark(what: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let elapsed = START.get_or_init(std::time::Instant::now).elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mib = |field: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .map_or(0, |kb: u64| kb >> 10)
    };
    eprintln!(
        "popdelta: timing: {what:<10} {:>8.3} s {:>6} MiB (peak {} MiB)",
        elapsed.as_secs_f64(),
        mib("VmRSS:"),
        mib("VmHWM:")
    );
}

/// Notes that the phase `what` has ended (timings are not built in).
#[cfg(not(feature = "timings"))]
#[inline(always)]
pub fn mark(_what: &str) {}
