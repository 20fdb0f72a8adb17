//! The fast path for xlsx sheets: the sheet's XML scanned as it inflates, with no parse of
//! what a table of figures never holds (fonts, fills, borders, formulas' text).
//!
//! It reads a cell the way calamine does (a number parsed as a float and written as
//! [`super::cell_text`] writes it, a shared or inline string with calamine's trimming, a
//! boolean, an error as nothing), and only what it is sure of: a date format, a CDATA
//! section, Excel's `_xHHHH_` escapes, a carriage return in text or an element it does not
//! know make it hand over to calamine at the row it met them in, which reads the rest of
//! the sheet. So it differs from calamine only in how it splits the work; a differential
//! test (`tests/workbooks.rs`) holds them to the same rows.

use std::io::{Cursor, Read};

use memchr::memchr;

use super::{RowSender, Stop};

/// Why the fast path stops: calamine reads on from this row (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandOver(pub u32);

/// The parts of a workbook the fast path needs: the sheet's XML path, each cell style's
/// "may be a date" flag, the shared strings.
pub struct Parts {
    /// The sheet's path inside the zip.
    pub sheet: String,
    /// Per cell style (`s`): whether its number format may be a date or a time.
    dates: Vec<bool>,
    /// The shared strings, in order.
    strings: Vec<String>,
}

/// A zip member's text, if it is there and fits.
fn member(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, max: u64) -> Option<String> {
    let mut m = zip.by_name(name).ok()?;
    if m.size() > max {
        return None;
    }
    let mut text = String::new();
    m.read_to_string(&mut text).ok()?;
    Some(text)
}

/// An attribute's value in a tag's text (`name="value"` or with single quotes).
fn attr<'t>(tag: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
    let mut at = 0;
    while let Some(i) = find(&tag[at..], name) {
        let start = at + i;
        let before = start.checked_sub(1).map(|b| tag[b]);
        let rest = &tag[start + name.len()..];
        let rest_trim = rest.trim_ascii_start();
        if before.is_some_and(|b| b.is_ascii_whitespace())
            && let Some(after_eq) = rest_trim.strip_prefix(b"=")
        {
            let v = after_eq.trim_ascii_start();
            let quote = *v.first()?;
            if quote == b'"' || quote == b'\'' {
                let end = memchr(quote, &v[1..])?;
                return Some(&v[1..1 + end]);
            }
        }
        at = start + name.len();
    }
    None
}

/// A tag's attributes in one pass: each `name="value"` (or single-quoted) handed to
/// `each`, names as written (with any prefix).
fn each_attr<'t>(tag: &'t [u8], mut each: impl FnMut(&'t [u8], &'t [u8])) {
    // Past the tag's name.
    let mut at = tag
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(tag.len());
    while at < tag.len() {
        while at < tag.len() && tag[at].is_ascii_whitespace() {
            at += 1;
        }
        let Some(eq) = memchr(b'=', &tag[at..]) else {
            return;
        };
        let name = tag[at..at + eq].trim_ascii();
        let mut v = at + eq + 1;
        while v < tag.len() && tag[v].is_ascii_whitespace() {
            v += 1;
        }
        let Some(&quote) = tag.get(v) else { return };
        if quote != b'"' && quote != b'\'' {
            return;
        }
        let Some(end) = memchr(quote, &tag[v + 1..]) else {
            return;
        };
        each(name, &tag[v + 1..v + 1 + end]);
        at = v + 1 + end + 1;
    }
}

/// The first place `needle` stands in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// XML text with its five entities and character references decoded; `None` for one it
/// does not know.
fn unescape(raw: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    let text = std::str::from_utf8(raw).ok()?;
    if memchr(b'&', raw).is_none() {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';')?;
        let name = &after[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => name.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(std::borrow::Cow::Owned(out))
}

/// The sheets of a workbook, by name, with their paths: from `xl/workbook.xml` and its
/// relationships.
fn sheets(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<Vec<(String, String)>> {
    let book = member(zip, "xl/workbook.xml", 16 << 20)?;
    let rels = member(zip, "xl/_rels/workbook.xml.rels", 16 << 20)?;
    let mut targets = Vec::new();
    let mut at = 0;
    let rb = rels.as_bytes();
    while let Some(i) = find(&rb[at..], b"<Relationship ") {
        let start = at + i;
        let end = start + memchr(b'>', &rb[start..])?;
        let tag = &rb[start..end];
        let id = unescape(attr(tag, b"Id")?)?.into_owned();
        let target = unescape(attr(tag, b"Target")?)?.into_owned();
        targets.push((id, target));
        at = end;
    }
    let mut out = Vec::new();
    let bb = book.as_bytes();
    let mut at = 0;
    while let Some(i) = find(&bb[at..], b"<sheet ") {
        let start = at + i;
        let end = start + memchr(b'>', &bb[start..])?;
        let tag = &bb[start..end];
        let name = unescape(attr(tag, b"name")?)?.into_owned();
        let id = unescape(attr(tag, b"r:id")?)?.into_owned();
        let target = &targets.iter().find(|(i, _)| *i == id)?.1;
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_owned(),
            None => format!("xl/{target}"),
        };
        out.push((name, path));
        at = end;
    }
    Some(out)
}

/// Whether a number format may show a date or a time: a built-in one of dates and times,
/// or a code with a letter of one (d, m, y, h, s) outside quotes and brackets. Where in
/// doubt, yes: calamine reads those cells.
fn may_be_date(id: u32, code: Option<&str>) -> bool {
    if let Some(code) = code {
        let mut quoted = false;
        let mut brackets = 0u32;
        let mut escaped = false;
        for c in code.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' | '_' | '*' => escaped = true,
                '"' => quoted = !quoted,
                _ if quoted => {}
                '[' => brackets += 1,
                ']' => brackets = brackets.saturating_sub(1),
                'd' | 'm' | 'y' | 'h' | 's' | 'D' | 'M' | 'Y' | 'H' | 'S' | 'e' | 'b' | 'g'
                | 'a' | 'A' | 'p' | 'P'
                    if brackets == 0 =>
                {
                    return true;
                }
                _ => {}
            }
        }
        return false;
    }
    !matches!(id, 0..=13 | 37..=44 | 48 | 49)
}

/// Each cell style's "may be a date" flag, from `xl/styles.xml`; `None` where it cannot
/// be read (calamine reads the workbook then).
fn date_styles(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<Vec<bool>> {
    let Some(styles) = member(zip, "xl/styles.xml", 64 << 20) else {
        return Some(Vec::new());
    };
    let sb = styles.as_bytes();
    let mut codes: std::collections::HashMap<u32, String> = std::collections::HashMap::new();
    let mut at = 0;
    while let Some(i) = find(&sb[at..], b"<numFmt ") {
        let start = at + i;
        let end = start + memchr(b'>', &sb[start..])?;
        let tag = &sb[start..end];
        let id = std::str::from_utf8(attr(tag, b"numFmtId")?)
            .ok()?
            .parse()
            .ok()?;
        codes.insert(id, unescape(attr(tag, b"formatCode")?)?.into_owned());
        at = end;
    }
    let xfs_start = find(sb, b"<cellXfs")?;
    let xfs_end = xfs_start + find(&sb[xfs_start..], b"</cellXfs>").unwrap_or(sb.len() - xfs_start);
    let xfs = &sb[xfs_start..xfs_end];
    let mut dates = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&xfs[at..], b"<xf") {
        let start = at + i;
        let next = xfs.get(start + 3).copied();
        at = start + 3;
        if !matches!(next, Some(b' ' | b'>' | b'/')) {
            continue;
        }
        let end = start + memchr(b'>', &xfs[start..])?;
        let tag = &xfs[start..end];
        let id: u32 = match attr(tag, b"numFmtId") {
            Some(v) => std::str::from_utf8(v).ok()?.parse().ok()?,
            None => 0,
        };
        let code = codes.get(&id).map(String::as_str);
        dates.push(may_be_date(id, code));
    }
    Some(dates)
}

/// The shared strings of `xl/sharedStrings.xml`, read as calamine reads them; `None`
/// where one holds what the fast path does not read (calamine reads the workbook then).
fn shared_strings(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, max: u64) -> Option<Vec<String>> {
    let Some(text) = member(zip, "xl/sharedStrings.xml", max) else {
        // No part: no strings; a part too large or unreadable: calamine says what.
        return zip.by_name("xl/sharedStrings.xml").is_err().then(Vec::new);
    };
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&b[at..], b"<si") {
        let start = at + i;
        let open_end = start + memchr(b'>', &b[start..])?;
        if b[open_end - 1] == b'/' {
            out.push(String::new());
            at = open_end;
            continue;
        }
        let close = open_end + find(&b[open_end..], b"</si>")?;
        out.push(rich_text(&b[open_end + 1..close])?);
        at = close + 5;
    }
    Some(out)
}

/// The text of a string item (`<t>`, or runs `<r><t>`), phonetic runs left out, each `<t>`
/// trimmed of ASCII spaces unless `xml:space="preserve"`; `None` for what calamine
/// alone reads (CDATA, `_xHHHH_` escapes, carriage returns).
fn rich_text(inner: &[u8]) -> Option<String> {
    if find(inner, b"<![CDATA[").is_some() || memchr(b'\r', inner).is_some() {
        return None;
    }
    let mut out = String::new();
    let mut at = 0;
    while let Some(i) = memchr(b'<', &inner[at..]) {
        let start = at + i;
        let end = start + memchr(b'>', &inner[start..])?;
        let tag = &inner[start + 1..end];
        let name = tag
            .split(|b| b.is_ascii_whitespace() || *b == b'/')
            .next()?;
        let name = local(name);
        if name == b"rPh" {
            // A phonetic run's text is left out: on past its end.
            at = end + find(&inner[end..], b"rPh>")? + 4;
            continue;
        }
        if name == b"t" && !tag.ends_with(b"/") {
            let close = end + 1 + find(&inner[end + 1..], b"</")?;
            let raw = &inner[end + 1..close];
            let preserve = attr(tag, b"xml:space") == Some(b"preserve");
            let text = unescape(raw)?;
            if text.contains("_x") {
                return None;
            }
            if preserve {
                out.push_str(&text);
            } else {
                out.push_str(text.trim_matches([' ', '\t', '\r', '\n']));
            }
            at = close;
            continue;
        }
        at = end + 1;
    }
    Some(out)
}

/// A tag's name without its namespace prefix (`x:row` is `row`).
fn local(name: &[u8]) -> &[u8] {
    match memchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

impl Parts {
    /// The parts of the workbook in `bytes` for sheet `name` (or its only sheet), with the
    /// sheet's name and every sheet's; `None` where the fast path does not apply (several
    /// sheets to choose from, a part it does not read, more shared strings than
    /// `max_strings` bytes).
    pub fn of(
        bytes: &[u8],
        name: Option<&str>,
        max_strings: u64,
    ) -> Option<(String, Parts, Vec<String>)> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let sheets = sheets(&mut zip)?;
        let (sheet_name, path) = match (name, &sheets[..]) {
            (Some(n), _) => sheets.iter().find(|(s, _)| s == n)?.clone(),
            (None, [one]) => one.clone(),
            _ => return None,
        };
        zip.by_name(&path).ok()?;
        let dates = date_styles(&mut zip)?;
        let strings = shared_strings(&mut zip, max_strings)?;
        Some((
            sheet_name,
            Parts {
                sheet: path,
                dates,
                strings,
            },
            sheets.into_iter().map(|(n, _)| n).collect(),
        ))
    }
}

/// A cell's type (`t`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No type: a number, or text calamine keeps where it is none.
    Untyped,
    Number,
    Shared,
    Str,
    Inline,
    Bool,
    Error,
    Date,
    Unknown,
}

impl Kind {
    fn of(t: Option<&[u8]>) -> Kind {
        match t {
            None | Some(b"") => Kind::Untyped,
            Some(b"n") => Kind::Number,
            Some(b"s") => Kind::Shared,
            Some(b"str") => Kind::Str,
            Some(b"inlineStr" | b"is") => Kind::Inline,
            Some(b"b") => Kind::Bool,
            Some(b"e") => Kind::Error,
            Some(b"d") => Kind::Date,
            Some(_) => Kind::Unknown,
        }
    }
}

/// A cell being read: its place, type and style; its value's text is the scan's.
struct Cell {
    row: u32,
    col: u32,
    kind: Kind,
    style: Option<usize>,
    /// Whether it has an inline string (`<is>`).
    inline: bool,
}

/// Where the scanner stands inside a cell.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inside {
    Nothing,
    Value,
    Formula,
    Inline,
}

/// The 0-based (row, column) of a cell reference such as `AB12`.
fn cell_ref(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for &b in &r[..letters] {
        col = col * 26 + u32::from(b - b'A' + 1);
    }
    let row: u32 = std::str::from_utf8(&r[letters..]).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The text of a number as [`super::cell_text`] writes calamine's float of it, into
/// `out`; false for text that is no number.
fn number_text(v: &[u8], out: &mut String) -> bool {
    let Ok(text) = std::str::from_utf8(v) else {
        return false;
    };
    // Digits alone, as most figures are: the float writes them back the same.
    if !text.is_empty() && text.len() < 16 && text.bytes().all(|b| b.is_ascii_digit()) {
        let digits = text.trim_start_matches('0');
        out.push_str(if digits.is_empty() { "0" } else { digits });
        return true;
    }
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return false;
    }
    match text.parse::<f64>() {
        Ok(f) => {
            out.push_str(&super::cell_text(&calamine::Data::Float(f)));
            true
        }
        Err(_) => false,
    }
}

/// A scan of a sheet's XML, as it inflates.
struct Scan<'p> {
    parts: &'p Parts,
    row: u32,
    col: u32,
    cell: Option<Cell>,
    inside: Inside,
    /// Inside `<is>`: inside a phonetic run, and whether a `<t>` keeps its spaces.
    phonetic: bool,
    preserve: bool,
    in_t: bool,
    /// Text being read (a `<v>`'s or a `<t>`'s).
    text: Vec<u8>,
    /// The cell's value as read, and its inline string's text.
    value: Vec<u8>,
    inline: String,
    /// The cell's text as it goes to the row (kept for reuse).
    out: String,
}

/// The sheet's XML as it inflates: a window of it, and where the scan stands in it.
struct Input<R: Read> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

/// What the scan meets next: a tag, or the end.
enum Next {
    Tag(usize, usize),
    End,
}

impl<R: Read> Input<R> {
    /// Reads more of the XML, keeping what is from `keep` on; false at the end.
    fn fill(&mut self, keep: usize) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        self.buf.drain(..keep);
        self.pos -= keep;
        let len = self.buf.len();
        self.buf.resize(len + (256 << 10), 0);
        let n = self.src.read(&mut self.buf[len..])?;
        self.buf.truncate(len + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// The next tag (its start, after `<`, and end, at `>`), the text before it kept in
    /// `s` where a value or a text is being read.
    fn next_tag(&mut self, s: &mut Scan) -> std::io::Result<Next> {
        loop {
            if let Some(i) = memchr(b'<', &self.buf[self.pos..]) {
                let lt = self.pos + i;
                let text_end = lt;
                // The tag ends at the first '>' outside quotes (attribute values may hold
                // one). Tags are short: one pass over their bytes beats several searches.
                let quote_aware = |b: &[u8]| {
                    let mut q = 0u8;
                    for (k, &c) in b.iter().enumerate() {
                        if q == 0 {
                            if c == b'>' {
                                return Some(k);
                            }
                            if c == b'"' || c == b'\'' {
                                q = c;
                            }
                        } else if c == q {
                            q = 0;
                        }
                    }
                    None
                };
                if let Some(k) = quote_aware(&self.buf[lt..]) {
                    if s.in_t || s.inside == Inside::Value {
                        s.text.extend_from_slice(&self.buf[self.pos..text_end]);
                    }
                    self.pos = lt + k + 1;
                    return Ok(Next::Tag(lt + 1, lt + k));
                }
                if !self.fill(self.pos.min(lt))? {
                    return Ok(Next::End);
                }
                continue;
            }
            if s.in_t || s.inside == Inside::Value {
                s.text.extend_from_slice(&self.buf[self.pos..]);
            }
            self.pos = self.buf.len();
            if !self.fill(self.pos)? {
                return Ok(Next::End);
            }
        }
    }
}

/// Scans the sheet's XML from `src` into `rows`: `Ok(None)` at its end, a hand-over where
/// calamine must read on, or the sender's stop.
pub fn scan(src: impl Read, parts: &Parts, rows: &mut RowSender) -> Result<Option<HandOver>, Stop> {
    let mut input = Input {
        src,
        buf: Vec::with_capacity(512 << 10),
        pos: 0,
        eof: false,
    };
    let mut s = Scan {
        parts,
        row: 0,
        col: 0,
        cell: None,
        inside: Inside::Nothing,
        phonetic: false,
        preserve: false,
        in_t: false,
        text: Vec::new(),
        value: Vec::new(),
        inline: String::new(),
        out: String::new(),
    };
    let mut in_data = false;
    loop {
        let (start, end) = match input.next_tag(&mut s) {
            Ok(Next::Tag(a, b)) => (a, b),
            Ok(Next::End) => return Ok(Some(HandOver(s.row))),
            Err(_) => return Ok(Some(HandOver(s.row))),
        };
        match step(&mut s, &input.buf[start..end], &mut in_data, rows)? {
            Step::Go => {}
            Step::Done => return Ok(None),
            Step::HandOver => return Ok(Some(HandOver(s.cell.as_ref().map_or(s.row, |c| c.row)))),
        }
    }
}

/// What a tag leads to.
enum Step {
    Go,
    Done,
    HandOver,
}

/// One tag of the sheet.
fn step(s: &mut Scan, tag: &[u8], in_data: &mut bool, rows: &mut RowSender) -> Result<Step, Stop> {
    if tag.first() == Some(&b'?') || tag.starts_with(b"!--") {
        return Ok(if tag.starts_with(b"!--") && !tag.ends_with(b"--") {
            Step::HandOver
        } else {
            Step::Go
        });
    }
    if tag.first() == Some(&b'!') {
        return Ok(Step::HandOver);
    }
    let closing = tag.first() == Some(&b'/');
    let body = if closing { &tag[1..] } else { tag };
    let self_closing = body.last() == Some(&b'/');
    let name = local(
        body.split(|b| b.is_ascii_whitespace() || *b == b'/')
            .next()
            .unwrap_or(b""),
    );
    if !*in_data {
        if name == b"sheetData" && !closing {
            *in_data = !self_closing;
            return Ok(if self_closing { Step::Done } else { Step::Go });
        }
        return Ok(Step::Go);
    }
    match (name, closing) {
        (b"sheetData", true) => Ok(Step::Done),
        (b"row", false) => {
            if let Some(r) = attr(body, b"r") {
                let Some(r) = std::str::from_utf8(r)
                    .ok()
                    .and_then(|r| r.parse::<u32>().ok())
                else {
                    return Ok(Step::HandOver);
                };
                s.row = r.saturating_sub(1);
            }
            s.col = 0;
            if self_closing {
                s.row = s.row.saturating_add(1);
            }
            Ok(Step::Go)
        }
        (b"row", true) => {
            s.row = s.row.saturating_add(1);
            s.col = 0;
            Ok(Step::Go)
        }
        (b"c", false) => open_cell(s, body, self_closing),
        (b"c", true) => close_cell(s, rows),
        _ => inside_cell(s, name, body, closing, self_closing),
    }
}

/// A cell's opening tag: its place, type and style.
fn open_cell(s: &mut Scan, body: &[u8], self_closing: bool) -> Result<Step, Stop> {
    let (mut r, mut t, mut st) = (None, None, None);
    each_attr(body, |name, value| match name {
        b"r" => r = Some(value),
        b"t" => t = Some(value),
        b"s" => st = Some(value),
        _ => {}
    });
    let (row, col) = match r {
        Some(r) => match cell_ref(r) {
            Some(rc) => rc,
            None => return Ok(Step::HandOver),
        },
        None => (s.row, s.col),
    };
    s.col = col;
    if self_closing {
        s.col = s.col.saturating_add(1);
        return Ok(Step::Go);
    }
    let style = match st {
        Some(v) => match std::str::from_utf8(v)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            Some(st) => Some(st),
            None => return Ok(Step::HandOver),
        },
        None => None,
    };
    s.cell = Some(Cell {
        row,
        col,
        kind: Kind::of(t),
        style,
        inline: false,
    });
    s.value.clear();
    s.inline.clear();
    s.inside = Inside::Nothing;
    Ok(Step::Go)
}

/// A tag within a cell: its value, formula or inline string.
fn inside_cell(
    s: &mut Scan,
    name: &[u8],
    body: &[u8],
    closing: bool,
    self_closing: bool,
) -> Result<Step, Stop> {
    if s.cell.is_none() {
        return Ok(Step::HandOver);
    }
    match (name, closing, s.inside) {
        (b"v", false, Inside::Nothing) if !self_closing => {
            s.inside = Inside::Value;
            s.text.clear();
        }
        (b"v", false, Inside::Nothing) => {}
        (b"v", true, Inside::Value) => {
            std::mem::swap(&mut s.value, &mut s.text);
            s.inside = Inside::Nothing;
        }
        (b"f", false, Inside::Nothing) if !self_closing => s.inside = Inside::Formula,
        (b"f", false, Inside::Nothing) => {}
        (b"f", true, Inside::Formula) => s.inside = Inside::Nothing,
        (_, _, Inside::Formula) => {}
        (b"is", false, Inside::Nothing) => {
            if !self_closing {
                s.inside = Inside::Inline;
                s.phonetic = false;
            }
            if let Some(c) = s.cell.as_mut() {
                c.inline = true;
            }
        }
        (b"is", true, Inside::Inline) => s.inside = Inside::Nothing,
        (b"r" | b"rPr", _, Inside::Inline) => {}
        (b"rPh", false, Inside::Inline) => s.phonetic = !self_closing,
        (b"rPh", true, Inside::Inline) => s.phonetic = false,
        (b"t", false, Inside::Inline) if !s.phonetic && !self_closing => {
            s.in_t = true;
            s.preserve = attr(body, b"xml:space") == Some(b"preserve");
            s.text.clear();
        }
        (b"t", true, Inside::Inline) if s.in_t => {
            s.in_t = false;
            let raw = std::mem::take(&mut s.text);
            let read = unescape(&raw).filter(|t| !t.contains("_x") && !t.contains('\r'));
            let Some(text) = read else {
                return Ok(Step::HandOver);
            };
            let text = if s.preserve {
                &*text
            } else {
                text.trim_matches([' ', '\t', '\r', '\n'])
            };
            s.inline.push_str(text);
            // The buffer is kept for the next text.
            s.text = raw;
            s.text.clear();
        }
        (_, _, Inside::Inline) if s.phonetic => {}
        (b"t", _, Inside::Inline) => {}
        _ => return Ok(Step::HandOver),
    }
    Ok(Step::Go)
}

/// A cell's closing tag: its text, as calamine gives it, to the row.
fn close_cell(s: &mut Scan, rows: &mut RowSender) -> Result<Step, Stop> {
    let Some(cell) = s.cell.take() else {
        return Ok(Step::HandOver);
    };
    s.inside = Inside::Nothing;
    s.col = cell.col.saturating_add(1);
    let mut out = std::mem::take(&mut s.out);
    out.clear();
    let step = cell_text(s, &cell, &mut out);
    if let Ok(Step::Go) = step {
        rows.put(cell.row, cell.col, &out)?;
    }
    s.out = out;
    step
}

/// A cell's text as calamine gives it, into `out` (left empty for no value); a hand-over
/// where calamine alone reads it.
fn cell_text(s: &Scan, cell: &Cell, out: &mut String) -> Result<Step, Stop> {
    let v = &s.value[..];
    match cell.kind {
        Kind::Inline if cell.inline => out.push_str(&s.inline),
        Kind::Inline => {}
        Kind::Shared => {
            if v.is_empty() {
                return Ok(Step::Go);
            }
            let idx = std::str::from_utf8(v)
                .ok()
                .and_then(|i| i.parse::<usize>().ok());
            match idx.and_then(|i| s.parts.strings.get(i)) {
                Some(t) => out.push_str(t),
                None => return Ok(Step::HandOver),
            }
        }
        Kind::Str | Kind::Date => {
            match unescape(v).filter(|t| !t.contains("_x") && !t.contains('\r')) {
                Some(t) => out.push_str(&t),
                None => return Ok(Step::HandOver),
            }
        }
        Kind::Bool => match v.trim_ascii() {
            b"" => {}
            b"1" | b"true" => out.push_str("true"),
            b"0" | b"false" => out.push_str("false"),
            _ => return Ok(Step::HandOver),
        },
        // An error (#N/A) is no figure; calamine refuses a code it does not know.
        Kind::Error => {
            const ERRORS: &[&[u8]] = &[
                b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!",
            ];
            if !ERRORS.contains(&v.trim_ascii()) {
                return Ok(Step::HandOver);
            }
        }
        Kind::Number | Kind::Untyped => {
            if v.is_empty() {
                return Ok(Step::Go);
            }
            if cell
                .style
                .is_some_and(|st| s.parts.dates.get(st).copied().unwrap_or(false))
            {
                return Ok(Step::HandOver);
            }
            if !number_text(v, out) {
                // No type and no number: calamine keeps the text.
                match (cell.kind, std::str::from_utf8(v)) {
                    (Kind::Untyped, Ok(t)) => out.push_str(t),
                    _ => return Ok(Step::HandOver),
                }
            }
        }
        Kind::Unknown => return Ok(Step::HandOver),
    }
    Ok(Step::Go)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_attributes_and_entities_read_as_calamine_reads_them() {
        assert_eq!(cell_ref(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref(b"1A"), None);
        assert_eq!(attr(b"c r=\"B2\" t='s'", b"t"), Some(&b"s"[..]));
        assert_eq!(attr(b"c xr=\"B2\"", b"r"), None);
        assert_eq!(
            unescape(b"a &amp; b &#233;&#x41;").as_deref(),
            Some("a & b éA")
        );
        assert_eq!(unescape(b"plain").as_deref(), Some("plain"));
        assert_eq!(unescape(b"&bogus;"), None);
        let number = |v: &[u8]| {
            let mut out = String::new();
            number_text(v, &mut out).then_some(out)
        };
        assert_eq!(number(b"0652432").as_deref(), Some("652432"));
        assert_eq!(number(b"7713468.1").as_deref(), Some("7713468.1"));
        assert_eq!(number(b"1E3").as_deref(), Some("1000"));
        assert_eq!(number(b"x"), None);
        assert!(may_be_date(14, None) && !may_be_date(3, None));
        assert!(may_be_date(164, Some("dd/mm/yyyy")) && !may_be_date(164, Some("#,##0\" kg\"")));
        assert_eq!(
            rich_text(
                b"<r><t>a </t></r><r><t xml:space=\"preserve\"> b</t></r><rPh><t>x</t></rPh>"
            )
            .as_deref(),
            Some("a b")
        );
    }
}
