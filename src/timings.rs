//! Phase timings for performance work: built with `--features timings`, each mark prints
//! the time since the first mark and the resident memory to stderr; otherwise nothing.

/// Notes that the phase `what` has ended.
#[cfg(feature = "timings")]
pub fn mark(what: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let elapsed = START.get_or_init(std::time::Instant::now).elapsed();
    // The second field of /proc/self/statm is the resident set, in pages.
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    eprintln!(
        "popdelta: timing: {what:<10} {:>8.3} s {:>6} MiB",
        elapsed.as_secs_f64(),
        (pages * 4096) >> 20
    );
}

/// Notes that the phase `what` has ended (timings are not built in).
#[cfg(not(feature = "timings"))]
#[inline(always)]
pub fn mark(_what: &str) {}
