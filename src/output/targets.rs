//! The outputs of one run, checked together before anything is written: none is one of
//! the inputs (by device and inode, so links, `/dev/stdin` and standard input itself are
//! caught), and no two outputs are one file.

use std::fs::{File, Metadata};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What `-` names as an output: standard output.
pub const STDOUT: &str = "-";

/// The inputs a run reads, and the outputs claimed so far.
#[derive(Default)]
pub struct Targets {
    /// Each input's name in messages and its identity.
    inputs: Vec<(String, Metadata)>,
    /// Each output claimed: the option that names it, and where it writes.
    claimed: Vec<(String, Place)>,
}

/// Where an output writes, as two outputs are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// Standard output.
    Stdout,
    /// A file that exists: its device and inode (any path to it compares equal).
    Existing(u64, u64),
    /// A file to be made: its absolute path, links followed.
    New(PathBuf),
}

impl Targets {
    /// The inputs of a run: `paths`, and standard input where `stdin` is read (`-`).
    pub fn new(paths: &[PathBuf], stdin: bool) -> Targets {
        let mut inputs: Vec<(String, Metadata)> = paths
            .iter()
            .filter_map(|p| Some((p.display().to_string(), std::fs::metadata(p).ok()?)))
            .collect();
        if stdin && let Some(m) = stdin_metadata() {
            inputs.push(("on standard input".to_owned(), m));
        }
        Targets {
            inputs,
            claimed: Vec::new(),
        }
    }

    /// Claims `path` as the output of `flag`: refused if it is an input, or the output of
    /// another option of the run.
    pub fn claim(&mut self, flag: &str, path: &Path) -> Result<()> {
        self.check_input(path)?;
        let place = place(path);
        if let Some((other, _)) = self.claimed.iter().find(|(_, p)| *p == place) {
            return Err(Error::OutputTwice {
                output: path.to_owned(),
                other: other.clone(),
            });
        }
        self.claimed.push((flag.to_owned(), place));
        Ok(())
    }

    /// Refuses `path` if it is one of the inputs.
    pub fn check_input(&self, path: &Path) -> Result<()> {
        if path.as_os_str() == STDOUT {
            return Ok(());
        }
        let Ok(out) = std::fs::metadata(path) else {
            return Ok(());
        };
        match self.inputs.iter().find(|(_, m)| same_file(&out, m)) {
            Some((input, _)) => Err(Error::OutputIsInput {
                output: path.to_owned(),
                input: input.into(),
            }),
            None => Ok(()),
        }
    }
}

/// Standard input's identity (what it was opened on: a file, a pipe, a terminal).
fn stdin_metadata() -> Option<Metadata> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
        File::from(fd).metadata().ok()
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Where `path` writes: standard output, an existing file's identity, or the absolute
/// path of a file to be made.
fn place(path: &Path) -> Place {
    if path.as_os_str() == STDOUT {
        return Place::Stdout;
    }
    if let Ok(m) = std::fs::metadata(path) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            return Place::Existing(m.dev(), m.ino());
        }
        #[cfg(not(unix))]
        let _ = m;
    }
    let target = super::resolve(path).unwrap_or_else(|_| path.to_owned());
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    Place::New(match target.file_name() {
        Some(name) => dir.join(name),
        None => target,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_outputs_on_one_new_file_are_refused_however_the_path_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("r.xlsx");
        let b = dir.path().join(".").join("r.xlsx");
        let mut t = Targets::new(&[], false);
        t.claim("--output", &a).unwrap();
        let e = t.claim("--map", &b).unwrap_err();
        assert!(
            e.to_string().contains("is also the file of --output"),
            "{e}"
        );
        t.claim("--svg", &dir.path().join("r.svg")).unwrap();
    }

    #[test]
    fn standard_output_is_claimed_once() {
        let mut t = Targets::new(&[], false);
        t.claim("--output", Path::new("-")).unwrap();
        assert!(t.claim("--svg", Path::new("-")).is_err());
    }
}
