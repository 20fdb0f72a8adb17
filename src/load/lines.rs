//! Line numbers of CSV records.
//!
//! The csv crate's own line count lags after blank lines and CRLF endings, and errors must
//! name the true line. A record's byte offset is exact but points just past the previous
//! record's terminator; the true start is the first byte after it that is not CR or LF.
//! [`Counting`] remembers where the CRs and LFs are, and [`Lines::line_at`] turns a
//! record's offset into its line, in one forward pass.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

/// Positions of line-break bytes not yet passed, and the LFs already passed.
#[derive(Debug, Default)]
pub struct Lines {
    /// (offset, is LF) of every CR and LF read but not yet passed.
    pending: VecDeque<(u64, bool)>,
    /// LFs before the last offset asked about.
    passed: u64,
    /// Bytes read so far.
    read: u64,
}

impl Lines {
    /// The 1-based line of the record whose position is `offset`; offsets must not go back.
    pub fn line_at(&mut self, offset: u64) -> u64 {
        while let Some(&(at, lf)) = self.pending.front() {
            if at >= offset {
                break;
            }
            self.passed += u64::from(lf);
            self.pending.pop_front();
        }
        // Skip the terminator's rest and blank lines that precede the record.
        let mut pos = offset;
        while let Some(&(at, lf)) = self.pending.front() {
            if at != pos {
                break;
            }
            self.passed += u64::from(lf);
            self.pending.pop_front();
            pos += 1;
        }
        self.passed + 1
    }
}

/// A reader that records where line breaks are, for [`Lines`].
pub struct Counting<R> {
    inner: R,
    lines: Rc<RefCell<Lines>>,
}

impl<R: Read> Counting<R> {
    /// Wraps a reader; the returned handle answers line questions.
    pub fn new(inner: R) -> (Counting<R>, Rc<RefCell<Lines>>) {
        let lines = Rc::new(RefCell::new(Lines::default()));
        (
            Counting {
                inner,
                lines: Rc::clone(&lines),
            },
            lines,
        )
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.borrow_mut();
        let base = lines.read;
        for i in memchr::memchr2_iter(b'\n', b'\r', &buf[..n]) {
            lines.pending.push_back((base + i as u64, buf[i] == b'\n'));
        }
        lines.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record_lines(data: &[u8]) -> Vec<u64> {
        let (reader, lines) = Counting::new(data);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(8)
            .from_reader(reader);
        let mut out = Vec::new();
        for rec in rdr.byte_records() {
            let rec = rec.unwrap();
            let offset = rec.position().map_or(0, |p| p.byte());
            out.push(lines.borrow_mut().line_at(offset));
        }
        out
    }

    #[test]
    fn lines_count_blank_lines_crlf_and_quoted_newlines() {
        let data = b"a,b\r\n\r\nc,d\r\n\r\ne,f\n\ng,h\n\"x\ny\",z\nk,l\n";
        assert_eq!(record_lines(data), vec![1, 3, 5, 7, 8, 10]);
        assert_eq!(record_lines(b"a\nb\nc"), vec![1, 2, 3]);
        assert_eq!(record_lines(b"\n\na\n"), vec![3]);
    }
}
