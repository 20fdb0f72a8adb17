//! Text: an input's bytes decoded, its separator found, and its lines read as records with
//! their line numbers. The first 64 KiB are looked at before any record is read: the
//! layout is found from them.

use std::io::{self, BufRead, BufReader, Cursor, Read};

use crate::error::{Error, Location, Result};
use crate::load::LoadOptions;
use crate::load::decode::Guessed;
use crate::load::decode::{self, DecodeError, Decoder, Encoding};
use crate::load::layout::columns::{self, PREFIX};
use crate::load::layout::dialect::skip_line;
use crate::load::lines::{Counting, LineTooLong, Lines};
use crate::load::records::{Records, Row, Start};
use crate::load::refusal::too_long;

fn io_error(label: &str, source: io::Error) -> Error {
    Error::Io {
        path: label.into(),
        source,
    }
}

/// The error for a failed read: a decoding error names its line (and an encoding that
/// cannot be told, its candidates), others are I/O.
pub fn read_error(label: &str, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => {
            if let Some(d) = io.get_ref().and_then(|i| i.downcast_ref::<DecodeError>()) {
                let at = Location::line(label, d.line, None);
                let (problem, hint) = if d.guessed {
                    (
                        format!(
                            "bytes {} are not valid {}, the encoding guessed from the start of \
                             the file",
                            d.bytes, d.encoding
                        ),
                        "say the file's encoding with --encoding (utf-8, gb18030, shift_jis, \
                         euc-kr, big5, latin1, windows-1252...)",
                    )
                } else {
                    (
                        format!("bytes {} are not valid {}", d.bytes, d.encoding),
                        "check --encoding: utf-8, gb18030, latin1 or windows-1252",
                    )
                };
                return Error::input(at, problem, d.bytes.clone(), hint);
            }
            if let Some(r) = io
                .get_ref()
                .and_then(|i| i.downcast_ref::<crate::load::container::Refusal>())
            {
                return Error::Usage(format!("{label}: {r}"));
            }
            if let Some(u) = io
                .get_ref()
                .and_then(|i| i.downcast_ref::<decode::EncodingUnclear>())
            {
                return encoding_unclear(label, u);
            }
            if let Some(long) = io.get_ref().and_then(|i| i.downcast_ref::<LineTooLong>()) {
                return too_long(label, long.line);
            }
            io_error(label, io)
        }
        other => io_error(label, io::Error::other(format!("{other:?}"))),
    }
}

/// The refusal of text under auto that no one encoding decodes.
pub(super) fn encoding_unclear(label: &str, u: &decode::EncodingUnclear) -> Error {
    let at = Location::line(label, u.line, None);
    let names: Vec<&str> = u.candidates.iter().map(|e| e.name()).collect();
    let (problem, hint) = match names[..] {
        _ if u.mixed => (
            "UTF-8 text and bytes of another encoding in one file".to_owned(),
            "save the file in one encoding (UTF-8), or name the other with --encoding".to_owned(),
        ),
        [] => (
            "not UTF-8, nor any encoding popdelta knows".to_owned(),
            "save the file as UTF-8, or name its encoding with --encoding".to_owned(),
        ),
        _ => (
            format!("not UTF-8, and it reads as {} alike", names.join(" or ")),
            format!(
                "say which with --encoding {}",
                names
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(" or --encoding ")
            ),
        ),
    };
    Error::input(at, problem, u.bytes.clone(), hint)
}

/// The encoding a file is read in, and (for a file that is not UTF-8 under auto) the hint
/// its first bytes give.
#[derive(Clone, Debug)]
pub struct Enc {
    /// As declared (`auto` included).
    pub declared: Encoding,
    /// What the first bytes suggest, for a field that is not UTF-8.
    pub hint: Option<String>,
}

impl Enc {
    /// Text as read in this encoding: UTF-8 by now; the error says what else it may be.
    pub fn text<'r>(&self, bytes: &'r [u8], at: impl FnOnce() -> Location) -> Result<&'r str> {
        std::str::from_utf8(bytes).map_err(|_| self.not_text(bytes, at()))
    }

    /// The error for a field that is not UTF-8, with a hint at the likely encoding.
    pub fn not_text(&self, bytes: &[u8], at: Location) -> Error {
        let (start, len) = match std::str::from_utf8(bytes) {
            Ok(_) => (0, 0),
            Err(e) => (e.valid_up_to(), e.error_len().unwrap_or(1)),
        };
        let end = (start + len).min(bytes.len());
        let problem = if self.declared == Encoding::Auto {
            format!("not UTF-8 (bytes {})", decode::hex(&bytes[start..end]))
        } else {
            format!(
                "bytes {} are not valid UTF-8",
                decode::hex(&bytes[start..end])
            )
        };
        Error::input(
            at,
            problem,
            String::from_utf8_lossy(bytes),
            self.hint
                .clone()
                .unwrap_or_else(|| decode::not_utf8_hint(bytes)),
        )
    }
}

/// A text input opened: its first bytes decoded and looked at, the rest to be read.
pub struct Text<'a> {
    label: String,
    prefix: Vec<u8>,
    rest: Decoder<BufReader<Box<dyn Read + 'a>>>,
    /// Whether the prefix holds the whole input.
    pub complete: bool,
    /// The separator between fields.
    pub delimiter: u8,
    /// Whether the separator was found rather than said.
    pub sniffed: bool,
    /// The encoding, for messages.
    pub enc: Enc,
    /// Rows the input holds, about, from the length of its first lines (0 if unknown).
    pub rows_expected: u64,
    guessed: Guessed,
}

impl<'a> Text<'a> {
    /// Opens text named `label` in messages; `size`, its length in bytes when known.
    pub fn open(
        label: &str,
        reader: Box<dyn Read + 'a>,
        size: Option<u64>,
        opts: &LoadOptions,
    ) -> Result<Text<'a>> {
        let mut raw = BufReader::with_capacity(256 * 1024, reader);
        let start = raw.fill_buf().map_err(|e| io_error(label, e))?;
        // A UTF-16 byte-order mark says what the file is: read it as such under auto.
        let declared = match opts.encoding {
            Encoding::Auto if decode::is_utf16(start) => Encoding::Utf16,
            e => e,
        };
        if decode::is_utf16(start) && declared != Encoding::Utf16 {
            return Err(Error::input(
                Location::line(label, 1, None),
                "the file is UTF-16 (as Excel's \"Unicode text\" saves)",
                decode::hex(&start[..2]),
                "leave out --encoding to read it as UTF-16, or save it as \"CSV UTF-8\"",
            ));
        }
        let mut rest = Decoder::new(raw, declared);
        let guessed = rest.guessed();
        let mut prefix = Vec::with_capacity(PREFIX);
        (&mut rest)
            .take(PREFIX as u64)
            .read_to_end(&mut prefix)
            .map_err(|e| read_error(label, csv::Error::from(e)))?;
        let complete = prefix.len() < PREFIX;
        // Not UTF-8 (past a character cut at the end of what was read): the first bytes
        // say what it more likely is, better than one field would.
        let hint = match std::str::from_utf8(&prefix) {
            Err(e) if declared == Encoding::Auto && e.error_len().is_some() => {
                Some(decode::not_utf8_hint_for_file(&prefix))
            }
            _ => None,
        };
        let lines = memchr::memchr_iter(b'\n', &prefix).count() as u64;
        let rows_expected = match size {
            Some(size) if lines > 0 => size / (prefix.len() as u64 / lines).max(1),
            _ => 0,
        };
        let sniffed = opts.delimiter.is_none();
        let delimiter = opts
            .delimiter
            .unwrap_or_else(|| columns::sniff_delimiter(&prefix, complete));
        Ok(Text {
            label: label.to_owned(),
            prefix,
            rest,
            complete,
            delimiter,
            sniffed,
            enc: Enc { declared, hint },
            rows_expected,
            guessed,
        })
    }

    /// The first records (up to `n`), trimmed, with their lines: what the layout is found
    /// from.
    pub fn first_rows(&self, n: usize) -> Vec<(u64, Vec<String>)> {
        columns::first_rows(&self.prefix, self.complete, self.delimiter, n)
    }

    /// The start of the text.
    pub fn prefix(&self) -> &[u8] {
        &self.prefix
    }

    /// The encoding guessed under auto, which the decoder sets once it has guessed.
    pub fn guessed_handle(&self) -> Guessed {
        std::rc::Rc::clone(&self.guessed)
    }

    /// The records after the first `skip` lines (which may be anything: a preamble's
    /// stray quote does not run on into the table).
    pub fn records(self, skip: u64) -> Result<TextRecords<'a>> {
        let label = self.label;
        let mut rest = BufReader::new(Cursor::new(self.prefix).chain(self.rest));
        for skipped in 0..skip {
            let more = skip_line(&mut rest, skipped + 1)
                .map_err(|e| read_error(&label, csv::Error::from(e)))?;
            if !more {
                return Err(Error::input(
                    Location::line(&label, skipped + 1, None),
                    format!(
                        "the input ends after {skipped} line{}, before the {skip} lines to skip",
                        if skipped == 1 { "" } else { "s" }
                    ),
                    "",
                    "give --skip-rows the number of lines before the header",
                ));
            }
        }
        let (counted, lines) = Counting::new(rest);
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .buffer_capacity(256 * 1024)
            .from_reader(counted);
        Ok(TextRecords {
            label,
            rdr,
            lines,
            skip,
        })
    }
}

type Chained<'a> = std::io::Chain<Cursor<Vec<u8>>, Decoder<BufReader<Box<dyn Read + 'a>>>>;

/// A text's records, each with its line.
pub struct TextRecords<'a> {
    label: String,
    rdr: csv::Reader<Counting<BufReader<Chained<'a>>>>,
    lines: std::rc::Rc<std::cell::RefCell<Lines>>,
    skip: u64,
}

impl Records for TextRecords<'_> {
    fn next(&mut self, row: &mut Row) -> Result<bool> {
        let more = self
            .rdr
            .read_byte_record(&mut row.cells)
            .map_err(|e| read_error(&self.label, e))?;
        if more {
            let offset = row.cells.position().map_or(0, |p| p.byte());
            row.line = self.skip + self.lines.borrow_mut().line_at(offset);
        }
        Ok(more)
    }

    fn start(&self) -> Start {
        Start::Lines
    }
}
