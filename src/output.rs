//! Where output goes: standard output, or a file written atomically.
//!
//! A file is written to a temporary file in the same folder and renamed over the target
//! only when the whole run succeeded, so an error never leaves a half-written file.

use std::fs::Metadata;
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
        /// The file it becomes.
        path: PathBuf,
    },
}

impl Sink {
    /// Standard output.
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(64 * 1024, io::stdout().lock()))
    }

    /// A file, refused if it is one of `inputs` (by identity, so links are caught).
    pub fn file(path: &Path, inputs: &[PathBuf]) -> Result<Sink> {
        if let Ok(out) = std::fs::metadata(path) {
            for input in inputs {
                if let Ok(inp) = std::fs::metadata(input)
                    && same_file(&out, &inp)
                {
                    return Err(Error::OutputIsInput {
                        output: path.to_owned(),
                        input: input.clone(),
                    });
                }
            }
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".popdelta-")
            .tempfile_in(dir)
            .map_err(|source| Error::Io {
                path: path.to_owned(),
                source,
            })?;
        Ok(Sink::File {
            tmp: BufWriter::new(tmp),
            path: path.to_owned(),
        })
    }

    /// What the output is called in messages.
    pub fn label(&self) -> String {
        match self {
            Sink::Stdout(_) => "standard output".to_owned(),
            Sink::File { path, .. } => path.display().to_string(),
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
            Sink::File { tmp, path } => {
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
        };
        r.map_err(|e| self.context(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File { tmp, .. } => tmp.flush(),
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

/// Whether two files are the same file (same device and inode where that is known).
pub fn same_file(a: &Metadata, b: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Writes a whole file atomically (for `--svg`).
pub fn write_file(path: &Path, inputs: &[PathBuf], bytes: &[u8]) -> Result<()> {
    let mut sink = Sink::file(path, inputs)?;
    sink.write_all(bytes).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    sink.finish()
}
