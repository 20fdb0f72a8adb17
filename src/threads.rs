//! Work shared among the machine's cores: one helper for the loader and compute alike.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads worth starting: the cores the system offers, at most 8.
pub fn count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Runs `work` on each item, on as many threads as items (this one among them), and gives
/// the results in the items' order; the first error, in that order, if any. Threads the
/// system cannot start leave their share to the others. `lost` is the error for a result
/// that never came (a worker that panicked, whose panic the scope passes on anyway).
pub fn map<T: Send, R: Send, E: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> Result<R, E> + Sync,
    lost: impl Fn() -> E,
) -> Result<Vec<R>, E> {
    let len = items.len();
    let items: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let results: Vec<Mutex<Option<Result<R, E>>>> = (0..len).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let (Some(item), Some(result)) = (items.get(i), results.get(i)) else {
                return;
            };
            // A lock is poisoned only by a panic, which the scope passes on anyway.
            if let (Ok(mut item), Ok(mut result)) = (item.lock(), result.lock())
                && let Some(item) = item.take()
            {
                *result = Some(work(item));
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..len {
            let _ = std::thread::Builder::new().spawn_scoped(scope, worker);
        }
        worker();
    });
    results
        .into_iter()
        .map(|r| r.into_inner().ok().flatten().unwrap_or_else(|| Err(lost())))
        .collect()
}

/// Runs `work` once on each of `threads` threads (this one among them) and collects what
/// each returns: for work that takes its items from a shared queue until none are left.
pub fn each<R: Send, E: Send>(
    threads: usize,
    work: impl Fn() -> Result<R, E> + Sync,
    lost: impl Fn() -> E,
) -> Result<Vec<R>, E> {
    map(vec![(); threads.max(1)], |()| work(), lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_items_order_and_the_first_error_wins() {
        let squares = map(
            (0..50u64).collect(),
            |i| Ok::<_, String>(i * i),
            String::new,
        );
        assert_eq!(squares, Ok((0..50u64).map(|i| i * i).collect::<Vec<_>>()));
        let failed = map(
            (0..10).collect(),
            |i| if i % 4 == 3 { Err(i) } else { Ok(i) },
            || -1,
        );
        assert_eq!(failed, Err(3));
        let next = AtomicUsize::new(0);
        let taken = each(
            3,
            || {
                let mut mine = 0;
                while next.fetch_add(1, Ordering::Relaxed) < 100 {
                    mine += 1;
                }
                Ok::<_, ()>(mine)
            },
            || (),
        );
        assert_eq!(taken.map(|t| t.iter().sum::<i32>()), Ok(100));
    }
}
