//! Where output goes: standard output, or a file.
//!
//! A regular file (new or existing) is written to a temporary file in the same folder and
//! renamed over it only when the whole run succeeded, so an error never leaves a
//! half-written file; it gets the mode a new file gets under the umask, or the mode the
//! file had. A symbolic link's target is written, and the link kept. What is not a regular
//! file (a FIFO, a device) is written through, never replaced. A signal that ends the run
//! removes the temporary file. The outputs of a run are checked together first
//! ([`Targets`]).

mod cleanup;
mod targets;

pub use targets::{STDOUT, Targets, same_file};

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A destination for the rendered output.
pub enum Sink {
    /// Standard output, buffered.
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// A temporary file that becomes `path` on [`Sink::finish`].
    File {
        /// The temporary file, buffered.
        tmp: BufWriter<tempfile::NamedTempFile>,
        /// The file it becomes (a link's target).
        path: PathBuf,
        /// Removes the temporary file if a signal ends the run first.
        _cleanup: cleanup::Registered,
    },
    /// A FIFO or a device, written through.
    Through {
        /// The open file, buffered.
        file: BufWriter<File>,
        /// Its path.
        path: PathBuf,
    },
}

fn io_error(path: &Path, source: io::Error) -> Error {
    Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// The file a path names once symbolic links are followed (it may not exist yet).
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    // As many links as the system itself follows.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

impl Sink {
    /// Standard output.
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(64 * 1024, io::stdout().lock()))
    }

    /// A file, refused if it is one of the run's inputs (by identity, so links are caught);
    /// `-` is standard output.
    pub fn file(path: &Path, targets: &Targets) -> Result<Sink> {
        if path.as_os_str() == STDOUT {
            return Ok(Sink::stdout());
        }
        targets.check_input(path)?;
        // A pipe, a FIFO or a device, however it is reached (`/dev/stdout`, a process
        // substitution's `/dev/fd/63`, whose link reads "pipe:[...]", no path): written
        // through as it is; replacing it would destroy it.
        if let Ok(m) = std::fs::metadata(path)
            && !m.is_file()
        {
            if m.is_dir() {
                return Err(Error::OutputIsFolder {
                    output: path.to_owned(),
                });
            }
            return Sink::through(path);
        }
        let target = resolve(path).map_err(|e| io_error(path, e))?;
        let existing = std::fs::metadata(&target).ok();
        if existing.is_some() {
            // A file the user may not write is not replaced, though the folder allows it.
            match std::fs::OpenOptions::new().write(true).open(&target) {
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    return Err(Error::OutputNotWritable {
                        output: path.to_owned(),
                    });
                }
                _ => {}
            }
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".popdelta-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // A new file gets what the umask leaves of rw-rw-rw-, as any program's would.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let (tmp, guard) =
            cleanup::create(|| builder.tempfile_in(dir)).map_err(|e| io_error(path, e))?;
        if let Some(m) = &existing {
            // An existing file keeps its mode.
            std::fs::set_permissions(tmp.path(), m.permissions()).map_err(|e| io_error(path, e))?;
        }
        Ok(Sink::File {
            tmp: BufWriter::new(tmp),
            path: target,
            _cleanup: guard,
        })
    }

    /// A FIFO, a pipe or a device, opened for writing as it is.
    fn through(path: &Path) -> Result<Sink> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        Ok(Sink::Through {
            file: BufWriter::new(file),
            path: path.to_owned(),
        })
    }

    /// What the output is called in messages.
    pub fn label(&self) -> String {
        match self {
            Sink::Stdout(_) => "standard output".to_owned(),
            Sink::File { path, .. } | Sink::Through { path, .. } => path.display().to_string(),
        }
    }

    /// Whether the output is a terminal.
    pub fn is_terminal(&self) -> bool {
        use std::io::IsTerminal;
        matches!(self, Sink::Stdout(_)) && io::stdout().is_terminal()
    }

    /// Flushes, and for a file renames the temporary file over the target.
    pub fn finish(self) -> Result<()> {
        let label = self.label();
        let io_err = |source| Error::Io {
            path: label.clone().into(),
            source,
        };
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(io_err),
            Sink::Through { mut file, .. } => file.flush().map_err(io_err),
            Sink::File {
                tmp,
                path,
                _cleanup,
            } => {
                let tmp = tmp.into_inner().map_err(|e| io_err(e.into_error()))?;
                tmp.as_file().sync_all().map_err(io_err)?;
                tmp.persist(&path).map_err(|e| io_err(e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File { tmp, .. } => tmp.write(buf),
            Sink::Through { file, .. } => file.write(buf),
        };
        r.map_err(|e| self.context(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File { tmp, .. } => tmp.flush(),
            Sink::Through { file, .. } => file.flush(),
        };
        r.map_err(|e| self.context(e))
    }
}

impl Sink {
    /// Names the output in a write error, keeping its kind (a closed pipe stays one).
    fn context(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("writing {}: {e}", self.label()))
    }
}

/// Writes a whole file atomically (for `--svg`), or to standard output for `-`.
pub fn write_file(path: &Path, targets: &Targets, bytes: &[u8]) -> Result<()> {
    let mut sink = Sink::file(path, targets)?;
    sink.write_all(bytes).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    sink.finish()
}
