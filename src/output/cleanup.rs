//! Temporary output files removed on SIGINT, SIGTERM and SIGHUP: an interrupted run
//! leaves nothing behind. (On other ends, the temporary file's own drop removes it.)

use std::ffi::CString;
use std::path::Path;
use std::ptr::null_mut;
use std::sync::Once;
use std::sync::atomic::{AtomicPtr, Ordering};

/// Temporary files that may exist at once (an output and an SVG, with room to spare).
const SLOTS: usize = 4;

/// The paths to remove, as C strings owned by whoever takes them out of the slot.
static PATHS: [AtomicPtr<libc::c_char>; SLOTS] = [const { AtomicPtr::new(null_mut()) }; SLOTS];

static INSTALL: Once = Once::new();

/// A temporary file's path, removed if a signal ends the run while this is alive.
pub struct Registered(Option<usize>);

/// The signals that remove the registered files.
#[cfg(unix)]
const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Makes a temporary file with `make` and registers it for removal on a signal. The
/// signals wait while it is made and registered, so none can fall between the two and
/// leave the file behind.
pub fn create(
    make: impl FnOnce() -> std::io::Result<tempfile::NamedTempFile>,
) -> std::io::Result<(tempfile::NamedTempFile, Registered)> {
    #[cfg(unix)]
    {
        INSTALL.call_once(install);
        // SAFETY: the sets are initialised by sigemptyset before use, and
        // pthread_sigmask only changes this thread's mask; the old mask is restored below.
        let old = unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for sig in SIGNALS {
                libc::sigaddset(&mut set, sig);
            }
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
            old
        };
        let made = make().map(|tmp| {
            let registered = register(tmp.path());
            (tmp, registered)
        });
        // SAFETY: `old` is the mask pthread_sigmask gave back above; a signal that came
        // meanwhile is handled now, with the file registered.
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &old, null_mut()) };
        made
    }
    #[cfg(not(unix))]
    make().map(|tmp| {
        let registered = register(tmp.path());
        (tmp, registered)
    })
}

/// Registers `path` for removal on a signal, until the returned value is dropped.
fn register(path: &Path) -> Registered {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        INSTALL.call_once(install);
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            return Registered(None);
        };
        let raw = c.into_raw();
        for (i, slot) in PATHS.iter().enumerate() {
            if slot
                .compare_exchange(null_mut(), raw, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return Registered(Some(i));
            }
        }
        // SAFETY: `raw` came from `CString::into_raw` above and was stored nowhere.
        drop(unsafe { CString::from_raw(raw) });
    }
    #[cfg(not(unix))]
    let _ = path;
    Registered(None)
}

impl Drop for Registered {
    fn drop(&mut self) {
        let Some(i) = self.0 else { return };
        let p = PATHS[i].swap(null_mut(), Ordering::SeqCst);
        if !p.is_null() {
            // SAFETY: every pointer in a slot came from `CString::into_raw`, and the swap
            // gave this one to us alone.
            drop(unsafe { CString::from_raw(p) });
        }
    }
}

/// Removes the registered files, then ends the process as the signal would have.
#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    for slot in &PATHS {
        let p = slot.swap(null_mut(), Ordering::SeqCst);
        if !p.is_null() {
            // SAFETY: `p` is a NUL-terminated path from `CString::into_raw`; unlink is
            // async-signal-safe. The string is not freed: the process ends now.
            unsafe { libc::unlink(p) };
        }
    }
    // SAFETY: restoring the default action and raising the signal again are
    // async-signal-safe; the default action ends the process with this signal.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

#[cfg(unix)]
fn install() {
    for sig in SIGNALS {
        // SAFETY: a zeroed sigaction is a valid empty one; the handler only does
        // async-signal-safe work (see `on_signal`).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, null_mut());
        }
    }
}
