//! Line numbers of CSV records.
//!
//! The csv crate's own line count lags after blank lines and CRLF endings, and errors must
//! name the true line. A record's byte offset is exact but points just past the previous
//! record's terminator; the true start is the first byte after it that is not CR or LF.
//! [`Counting`] remembers where the CRs and LFs are, and [`Lines::line_at`] turns a
//! record's offset into its line, in one forward pass.
//!
//! A line ends at `\n`, `\r\n` or a lone `\r`, as the csv crate ends records: a CR counts
//! as a line break, and so does an LF unless a CR comes right before it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

/// The longest line read: past it, an input is refused (it is not a table of figures, or
/// its lines do not end), so that memory never grows with one endless line.
pub const MAX_LINE: u64 = 64 * 1024 * 1024;

/// A line longer than [`MAX_LINE`], at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} is longer than {} MiB", MAX_LINE >> 20)]
pub struct LineTooLong {
    /// The line.
    pub line: u64,
}

/// The lines of a text, each without its ending (LF, CRLF or a lone CR).
pub fn split(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => {
                (&rest[..i], &rest[i + 2..])
            }
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = after;
        Some(line)
    })
}

/// Positions of line-break bytes not yet passed, and the line breaks already passed.
#[derive(Debug, Default)]
pub struct Lines {
    /// Runs of CR and LF bytes read but not yet passed, as (offset, bytes, line breaks);
    /// the LF of a CRLF does not end another line. Blank lines make one run however many
    /// there are (the csv reader asks nothing while it skips them), so memory holds a run
    /// per record read ahead, never one per blank line.
    pending: VecDeque<(u64, u64, u64)>,
    /// Line breaks before the last offset asked about.
    passed: u64,
    /// Bytes read so far.
    read: u64,
    /// Whether the last byte read was a CR.
    after_cr: bool,
    /// Line breaks read so far.
    breaks: u64,
    /// Bytes read since the last line break.
    since_break: u64,
}

impl Lines {
    /// The 1-based line of the record whose position is `offset`; offsets must not go back.
    pub fn line_at(&mut self, offset: u64) -> u64 {
        // Runs before the record, and the run its offset stands in or at (the terminator's
        // rest and the blank lines before it): runs are whole, as a record's bytes come
        // after the run before it has been read.
        let mut pos = offset;
        while let Some(&(at, len, ends)) = self.pending.front() {
            if at > pos {
                break;
            }
            self.passed += ends;
            self.pending.pop_front();
            pos = pos.max(at + len);
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
        let mut last = None;
        for i in memchr::memchr2_iter(b'\n', b'\r', &buf[..n]) {
            let after_cr = match i.checked_sub(1) {
                Some(before) => buf[before] == b'\r',
                None => lines.after_cr,
            };
            let ends = u64::from(buf[i] == b'\r' || !after_cr);
            let at = base + i as u64;
            match lines.pending.back_mut() {
                Some((start, len, n)) if *start + *len == at => {
                    *len += 1;
                    *n += ends;
                }
                _ => lines.pending.push_back((at, 1, ends)),
            }
            lines.breaks += ends;
            last = Some(i);
        }
        if n > 0 {
            lines.after_cr = buf[n - 1] == b'\r';
        }
        lines.read += n as u64;
        // A read is far shorter than the cap: a line is caught within a read of it.
        lines.since_break = match last {
            Some(i) => (n - i - 1) as u64,
            None => lines.since_break + n as u64,
        };
        if lines.since_break > MAX_LINE {
            let line = lines.breaks + 1;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                LineTooLong { line },
            ));
        }
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

    #[test]
    fn a_line_past_the_cap_is_an_error_naming_it() {
        let mut text = b"a,b\n1,2\n".to_vec();
        text.resize(text.len() + MAX_LINE as usize + 10, b'x');
        let (mut reader, _) = Counting::new(&text[..]);
        let err = std::io::copy(&mut reader, &mut std::io::sink()).unwrap_err();
        let inner = err.get_ref().and_then(|e| e.downcast_ref::<LineTooLong>());
        assert_eq!(inner, Some(&LineTooLong { line: 3 }));
    }

    #[test]
    fn blank_lines_take_one_run_however_many() {
        let mut text = b"a,b\n".to_vec();
        text.resize(text.len() + 1_000_000, b'\n');
        text.extend_from_slice(b"c,d\n\r\n\r\ne,f\n");
        let (mut reader, lines) = Counting::new(&text[..]);
        std::io::copy(&mut reader, &mut std::io::sink()).unwrap();
        // The header's LF and the million blank lines are one run, then c,d's ending and
        // the blank CRLF lines, then e,f's.
        assert_eq!(lines.borrow().pending.len(), 3);
        assert_eq!(record_lines(&text), vec![1, 1_000_002, 1_000_005]);
    }

    #[test]
    fn split_ends_lines_at_lf_crlf_and_cr() {
        let lines: Vec<&[u8]> = split(b"a\r\n\r\nb\rc\nd").collect();
        assert_eq!(lines, [&b"a"[..], b"", b"b", b"c", b"d"]);
    }

    #[test]
    fn a_lone_cr_ends_a_line_wherever_it_is() {
        assert_eq!(record_lines(b"a\rb\rc\r"), vec![1, 2, 3]);
        assert_eq!(record_lines(b"h\rx\ny\r\nz"), vec![1, 2, 3, 4]);
        assert_eq!(record_lines(b"a\r\r\nb\n\rc"), vec![1, 3, 5]);
    }
}
