//! Decoding input bytes to UTF-8, strictly: a byte sequence that is not valid in the
//! chosen encoding is an error naming its line, never a silent replacement character.

use std::io::{self, Read};

/// The text encoding of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark; anything else is refused with a hint.
    #[default]
    Auto,
    /// UTF-8 (a BOM is skipped).
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030 (and its subset GBK), the encoding of Chinese Excel exports.
    #[value(alias = "gbk")]
    Gb18030,
    /// ISO-8859-1: every byte is the character of the same number.
    #[value(alias = "iso-8859-1")]
    Latin1,
    /// Windows-1252, the Western European Windows code page.
    #[value(name = "windows-1252", alias = "cp1252")]
    Windows1252,
    /// Shift_JIS (Windows code page 932), as Japanese offices (e-Stat) publish.
    #[value(name = "shift_jis", aliases = ["sjis", "cp932", "windows-31j"])]
    ShiftJis,
    /// EUC-JP, older Japanese Unix files.
    #[value(name = "euc-jp")]
    EucJp,
    /// EUC-KR (and its extension, code page 949), as Korean offices publish.
    #[value(name = "euc-kr", aliases = ["cp949", "uhc"])]
    EucKr,
    /// Big5, traditional Chinese (Taiwan, Hong Kong).
    #[value(name = "big5")]
    Big5,
    /// UTF-16 with a byte-order mark, as Excel's "Unicode text" saves (read by itself
    /// under auto).
    #[value(name = "utf-16", alias = "utf16")]
    Utf16,
}

impl Encoding {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
            Encoding::Latin1 => "latin1",
            Encoding::Windows1252 => "windows-1252",
            Encoding::ShiftJis => "shift_jis",
            Encoding::EucJp => "euc-jp",
            Encoding::EucKr => "euc-kr",
            Encoding::Big5 => "big5",
            Encoding::Utf16 => "utf-16",
        }
    }

    /// The decoder for encodings other than UTF-8 and Latin-1 (which need none).
    fn decoder(self) -> Option<encoding_rs::Decoder> {
        let encoding = match self {
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
            Encoding::ShiftJis => encoding_rs::SHIFT_JIS,
            Encoding::EucJp => encoding_rs::EUC_JP,
            Encoding::EucKr => encoding_rs::EUC_KR,
            Encoding::Big5 => encoding_rs::BIG5,
            // The byte-order mark says which: the decoder reads it and drops it.
            Encoding::Utf16 => encoding_rs::UTF_16LE,
            Encoding::Auto | Encoding::Utf8 | Encoding::Latin1 => return None,
        };
        Some(encoding.new_decoder())
    }

    /// Ours that decodes as a WHATWG encoding does (GB18030 for GBK, as it extends it).
    pub fn from_whatwg(e: &'static encoding_rs::Encoding) -> Option<Encoding> {
        [
            Encoding::Gb18030,
            Encoding::Windows1252,
            Encoding::ShiftJis,
            Encoding::EucJp,
            Encoding::EucKr,
            Encoding::Big5,
        ]
        .into_iter()
        .find(|ours| {
            ours.decoder().is_some_and(|d| {
                d.encoding() == e || (e == encoding_rs::GBK && *ours == Encoding::Gb18030)
            })
        })
    }

    /// Which of ours an encoding that `chardetng` names is, with a word on who writes it.
    fn from_detected(e: &'static encoding_rs::Encoding) -> (Encoding, &'static str) {
        if e == encoding_rs::GBK || e == encoding_rs::GB18030 {
            (Encoding::Gb18030, "the encoding of Chinese Excel exports")
        } else if e == encoding_rs::SHIFT_JIS {
            (Encoding::ShiftJis, "Japanese, as e-Stat files are")
        } else if e == encoding_rs::EUC_JP {
            (Encoding::EucJp, "Japanese")
        } else if e == encoding_rs::EUC_KR {
            (Encoding::EucKr, "Korean")
        } else if e == encoding_rs::BIG5 {
            (Encoding::Big5, "traditional Chinese")
        } else if e == encoding_rs::WINDOWS_1252 {
            (
                Encoding::Windows1252,
                "Western European, as Excel saves on Windows",
            )
        } else {
            (Encoding::Latin1, "a one-byte Western encoding")
        }
    }
}

/// The encoding a file that is not UTF-8 most likely is, from its first bytes.
pub fn likely(bytes: &[u8]) -> Encoding {
    likely_named(bytes).0
}

fn likely_named(bytes: &[u8]) -> (Encoding, &'static str) {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    Encoding::from_detected(detector.guess(None, chardetng::Utf8Detection::Deny))
}

/// The hint for a file (whose first bytes are `start`) that is not UTF-8.
pub fn not_utf8_hint_for_file(start: &[u8]) -> String {
    let (encoding, who) = likely_named(start);
    match encoding {
        Encoding::Latin1 | Encoding::Windows1252 => format!(
            "it looks like Latin-1 or Windows-1252 ({who}): add --encoding {} (or latin1), or \
             save the file as UTF-8",
            Encoding::Windows1252.name()
        ),
        e => format!(
            "it looks like {} ({who}): add --encoding {}",
            e.name(),
            e.name()
        ),
    }
}

/// A byte sequence not valid in the declared encoding, found at a line of the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: bytes {bytes} are not valid {encoding}")]
pub struct DecodeError {
    /// 1-based line of the decoded text where the bad bytes stand.
    pub line: u64,
    /// The offending bytes in hex.
    pub bytes: String,
    /// The encoding that refused them.
    pub encoding: &'static str,
    /// Whether that encoding was guessed (under auto) rather than declared.
    pub guessed: bool,
}

/// Hex bytes as "E4 B8 AD".
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The encoding some non-UTF-8 bytes most likely are, for the hint of an error.
///
/// Chinese text in GB18030 comes as pairs of high bytes; Latin-1 text has lone high bytes
/// between ASCII letters ("Do\xF1a").
pub fn guess(bytes: &[u8]) -> Encoding {
    let (mut pairs, mut lone) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] >= 0x81 && bytes.get(i + 1).is_some_and(|&b| b >= 0x81) {
            pairs += 1;
            i += 2;
        } else {
            lone += usize::from(bytes[i] >= 0x80);
            i += 1;
        }
    }
    if pairs > 0 && lone == 0 {
        Encoding::Gb18030
    } else {
        Encoding::Latin1
    }
}

/// The hint for bytes that are not UTF-8.
pub fn not_utf8_hint(bytes: &[u8]) -> String {
    match guess(bytes) {
        Encoding::Gb18030 => "it looks like GB18030, the encoding of Chinese Excel exports: \
                              add --encoding gb18030"
            .to_owned(),
        _ => "it looks like Latin-1 or Windows-1252: add --encoding latin1 (or windows-1252), \
              or save the file as UTF-8"
            .to_owned(),
    }
}

/// Whether the first bytes of a file are a UTF-16 byte-order mark.
pub fn is_utf16(start: &[u8]) -> bool {
    start.starts_with(&[0xFF, 0xFE]) || start.starts_with(&[0xFE, 0xFF])
}

const CHUNK: usize = 64 * 1024;

/// A reader that turns bytes in `encoding` into UTF-8 bytes.
///
/// UTF-8 input (`Auto`, `Utf8`) passes through with its BOM removed; its validity is
/// checked field by field where it is used, so an error can name the column.
pub struct Decoder<R> {
    inner: R,
    encoding: Encoding,
    decoder: Option<encoding_rs::Decoder>,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    at_start: bool,
    /// Newlines already handed out, to name the line of a decoding error.
    lines: u64,
    /// Under auto, until the first byte that is not ASCII has told UTF-8 from a legacy
    /// encoding.
    sniffing: bool,
    /// The legacy encoding guessed under auto, for the caller's note.
    guessed: Guessed,
    /// The last byte read, to show when the input ends inside a character.
    last_byte: u8,
}

/// Where a [`Decoder`] leaves the legacy encoding it guessed under auto, for whoever reads
/// through it to say so.
pub type Guessed = std::rc::Rc<std::cell::Cell<Option<&'static encoding_rs::Encoding>>>;

/// How many bytes from the first one that is not ASCII the guess looks at.
const WINDOW: usize = 64 * 1024;

/// The legacy encodings a guess may fall back on when chardetng's own does not decode.
const CANDIDATES: [&encoding_rs::Encoding; 6] = [
    encoding_rs::GBK,
    encoding_rs::BIG5,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_KR,
    encoding_rs::EUC_JP,
    encoding_rs::WINDOWS_1252,
];

/// Text under auto that is neither UTF-8 nor one legacy encoding that decodes it cleanly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: not UTF-8, and the encoding cannot be told")]
pub struct EncodingUnclear {
    /// 1-based line where the first byte that is not ASCII stands.
    pub line: u64,
    /// The encodings that decode the text cleanly (none, or several).
    pub candidates: Vec<Encoding>,
    /// The first bytes that are not ASCII, in hex.
    pub bytes: String,
    /// Whether UTF-8 characters stand among the bytes that are not UTF-8: two encodings
    /// mixed in one file.
    pub mixed: bool,
}

impl<R: Read> Decoder<R> {
    /// Wraps a reader.
    pub fn new(inner: R, encoding: Encoding) -> Decoder<R> {
        let decoder = encoding.decoder();
        Decoder {
            inner,
            encoding,
            decoder,
            input: vec![0; CHUNK],
            in_start: 0,
            in_end: 0,
            output: Vec::new(),
            out_start: 0,
            out_end: 0,
            eof: false,
            at_start: true,
            lines: 0,
            sniffing: encoding == Encoding::Auto,
            guessed: Guessed::default(),
            last_byte: 0,
        }
    }

    /// Where the encoding guessed under auto is left (`None` while the text is UTF-8).
    pub fn guessed(&self) -> Guessed {
        self.guessed.clone()
    }

    /// Reads more raw bytes; false at end of input.
    fn fill_input(&mut self) -> io::Result<bool> {
        if self.in_start > 0 {
            self.input.copy_within(self.in_start..self.in_end, 0);
            self.in_end -= self.in_start;
            self.in_start = 0;
        }
        if self.in_end == self.input.len() {
            self.input.resize(self.input.len() * 2, 0);
        }
        let n = self.inner.read(&mut self.input[self.in_end..])?;
        self.in_end += n;
        Ok(n > 0)
    }

    /// Decodes what is buffered into `output`.
    fn decode(&mut self) -> io::Result<()> {
        self.out_start = 0;
        self.out_end = 0;
        if self.sniffing && !self.sniff()? {
            return Ok(());
        }
        let src = &self.input[self.in_start..self.in_end];
        if let Some(&b) = src.last() {
            self.last_byte = b;
        }
        if let Some(decoder) = self.decoder.as_mut() {
            let need = decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len() * 4 + 16);
            self.output.resize(need.max(16), 0);
            let (result, read, written) =
                decoder.decode_to_utf8_without_replacement(src, &mut self.output, self.eof);
            if let encoding_rs::DecoderResult::Malformed(bad, after) = result {
                // The bad bytes end `after` bytes before `read`.
                let end = read.saturating_sub(usize::from(after));
                let start = end.saturating_sub(usize::from(bad));
                let line = self.lines
                    + 1
                    + memchr::memchr_iter(b'\n', &self.output[..written]).count() as u64;
                // A sequence cut off by the end of the input (a lone last byte of UTF-16)
                // is malformed with no bytes of its own: show the byte before it.
                let last = [self.last_byte];
                let shown = if start < end {
                    &src[start..end]
                } else if end > 0 {
                    &src[end - 1..end]
                } else {
                    &last[..]
                };
                let err = DecodeError {
                    line,
                    bytes: hex(shown),
                    encoding: self.guessed.get().map_or(self.encoding.name(), name_of),
                    guessed: self.guessed.get().is_some(),
                };
                return Err(io::Error::new(io::ErrorKind::InvalidData, err));
            }
            self.in_start += read;
            self.out_end = written;
        } else if self.encoding == Encoding::Latin1 {
            self.output.clear();
            for &b in src {
                let mut buf = [0; 2];
                self.output
                    .extend_from_slice(char::from(b).encode_utf8(&mut buf).as_bytes());
            }
            self.in_start = self.in_end;
            self.out_end = self.output.len();
        } else {
            self.output.clear();
            self.output.extend_from_slice(src);
            self.in_start = self.in_end;
            self.out_end = self.output.len();
        }
        if self.at_start && self.out_end > 0 {
            self.at_start = false;
            if self.output[..self.out_end].starts_with("\u{FEFF}".as_bytes()) {
                self.out_start = 3;
            }
        }
        Ok(())
    }

    /// Under auto, before any byte that is not ASCII: hands out the ASCII before the first
    /// such byte, then tells from the bytes after it (a window of [`WINDOW`]) whether the
    /// text is UTF-8 or which legacy encoding it is. Everything before was ASCII, which
    /// every candidate reads alike, so decoding may change here. Returns whether `decode`
    /// goes on with what is buffered (false: the output is ready, or more input is needed).
    fn sniff(&mut self) -> io::Result<bool> {
        let src = &self.input[self.in_start..self.in_end];
        // A UTF-8 byte-order mark says what the text is.
        if self.at_start && src.starts_with(b"\xEF\xBB\xBF") {
            self.sniffing = false;
            return Ok(true);
        }
        // `is_ascii` looks at a word at a time: most text is ASCII throughout.
        let first = if src.is_ascii() {
            None
        } else {
            src.iter().position(|b| !b.is_ascii())
        };
        match first {
            None => Ok(true),
            Some(p) if p > 0 => {
                self.output.clear();
                self.output.extend_from_slice(&src[..p]);
                self.in_start += p;
                self.out_end = p;
                // Past the start: a byte-order mark further on is text.
                self.at_start = false;
                Ok(false)
            }
            Some(_) if !self.eof && src.len() < WINDOW => Ok(false),
            Some(_) => {
                self.sniffing = false;
                let window = &src[..src.len().min(WINDOW)];
                let last = self.eof && window.len() == src.len();
                match judge(window, last) {
                    Ok(None) => {}
                    Ok(Some(e)) => {
                        self.decoder = Some(e.new_decoder_without_bom_handling());
                        self.guessed.set(Some(e));
                    }
                    Err((candidates, mixed)) => {
                        let shown = &window[..window.len().min(8)];
                        let err = EncodingUnclear {
                            line: self.lines + 1,
                            candidates,
                            bytes: hex(shown),
                            mixed,
                        };
                        return Err(io::Error::new(io::ErrorKind::InvalidData, err));
                    }
                }
                Ok(true)
            }
        }
    }
}

/// The name to say of an encoding guessed: ours, as `--encoding` takes it, where we have
/// one (gb18030 for GBK).
pub fn name_of(e: &'static encoding_rs::Encoding) -> &'static str {
    Encoding::from_whatwg(e).map_or(e.name(), Encoding::name)
}

/// What text that begins (at its first byte that is not ASCII) with `window` is: UTF-8
/// (`None`), a legacy encoding (chardetng's guess if it decodes the window cleanly, else
/// the one candidate that does), or, when none or several decode it, those that do (and
/// whether UTF-8 and a one-byte encoding are mixed).
#[allow(clippy::type_complexity)]
fn judge(
    window: &[u8],
    last: bool,
) -> std::result::Result<Option<&'static encoding_rs::Encoding>, (Vec<Encoding>, bool)> {
    match std::str::from_utf8(window) {
        Ok(_) => return Ok(None),
        // Cut inside a character at the window's end: UTF-8 so far.
        Err(e) if e.error_len().is_none() && !last => return Ok(None),
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(window, last);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    // One-byte text ("K\xF6ln") almost never holds a valid UTF-8 sequence by chance (a
    // letter from \xC2 to \xDF followed by a sign from \x80 to \xBF): one there means
    // UTF-8 text and another encoding's bytes in one file. (Double-byte text holds such
    // pairs by chance, so the test is for one-byte guesses only.)
    let utf8_inside = window.utf8_chunks().any(|c| !c.valid().is_ascii());
    if guess.is_single_byte() && utf8_inside {
        return Err((Vec::new(), true));
    }
    if decodes_cleanly(guess, window, last) {
        return Ok(Some(guess));
    }
    let clean: Vec<&'static encoding_rs::Encoding> = CANDIDATES
        .into_iter()
        .filter(|e| decodes_cleanly(e, window, last))
        .collect();
    match clean[..] {
        [one] => Ok(Some(one)),
        _ => Err((
            clean
                .into_iter()
                .filter_map(Encoding::from_whatwg)
                .collect(),
            false,
        )),
    }
}

/// Whether `window` is text in `encoding`: no malformed bytes and no C1 control characters
/// (what windows-1252 makes of the bytes it leaves undefined).
fn decodes_cleanly(encoding: &'static encoding_rs::Encoding, window: &[u8], last: bool) -> bool {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let Some(need) = decoder.max_utf8_buffer_length_without_replacement(window.len()) else {
        return false;
    };
    let mut out = String::with_capacity(need);
    let (result, _) = decoder.decode_to_string_without_replacement(window, &mut out, last);
    matches!(result, encoding_rs::DecoderResult::InputEmpty)
        && !out.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c))
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // UTF-8 past its byte-order mark needs no decoding here: read straight through.
        let utf8 = matches!(self.encoding, Encoding::Auto | Encoding::Utf8)
            && self.decoder.is_none()
            && !self.sniffing;
        if utf8 && !self.at_start && self.out_start == self.out_end && self.in_start == self.in_end
        {
            return self.inner.read(buf);
        }
        while self.out_start == self.out_end {
            if self.eof && self.in_start == self.in_end {
                return Ok(0);
            }
            if !self.eof && !self.fill_input()? {
                self.eof = true;
            }
            // A BOM split across reads is rare but possible: wait for three bytes.
            if self.at_start && !self.eof && self.in_end - self.in_start < 3 {
                continue;
            }
            self.decode()?;
            if self.eof && self.out_start == self.out_end && self.in_start == self.in_end {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        if self.decoder.is_some() || self.sniffing {
            // Only a decoder that can fail needs to know the line it is on.
            self.lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        }
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], enc: Encoding) -> io::Result<String> {
        let mut out = Vec::new();
        Decoder::new(bytes, enc).read_to_end(&mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn bom_is_removed() {
        assert_eq!(
            decode_all(b"\xEF\xBB\xBFa,b\n", Encoding::Auto).unwrap(),
            "a,b\n"
        );
        assert_eq!(decode_all(b"a,b\n", Encoding::Utf8).unwrap(), "a,b\n");
    }

    #[test]
    fn gb18030_and_latin1_decode() {
        let (gb, _, _) = encoding_rs::GB18030.encode("地区,常住人口\n北京,2170.7\n");
        assert_eq!(
            decode_all(&gb, Encoding::Gb18030).unwrap(),
            "地区,常住人口\n北京,2170.7\n"
        );
        assert_eq!(
            decode_all(b"Do\xF1a Ana\n", Encoding::Latin1).unwrap(),
            "Doña Ana\n"
        );
        assert_eq!(decode_all(b"\x80\n", Encoding::Windows1252).unwrap(), "€\n");
    }

    #[test]
    fn malformed_gb18030_names_the_line() {
        let err = decode_all(b"a\nb\n\x81\x20x\n", Encoding::Gb18030).unwrap_err();
        let inner = err
            .get_ref()
            .and_then(|e| e.downcast_ref::<DecodeError>())
            .unwrap();
        assert_eq!(inner.line, 3);
        assert_eq!(inner.bytes, "81");
    }

    #[test]
    fn guesses_gb18030_for_chinese_bytes() {
        let (gb, _, _) = encoding_rs::GB18030.encode("北京市");
        assert_eq!(guess(&gb), Encoding::Gb18030);
        assert_eq!(guess(b"Do\xF1a"), Encoding::Latin1);
    }
}
