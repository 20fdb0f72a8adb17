//! The extent of an xlsx workbook's shared parts, read before calamine is given it:
//! calamine holds every shared string and every style as it opens the file, so a 620 KB
//! file of 15 million empty strings took 827 MB, and an 11 MB styles part 750 MB. This
//! counts their items as the parts inflate, holding none.

use std::io::{BufReader, Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

/// Most shared strings a workbook may hold: a sheet of a million rows of names holds
/// a million.
pub const MAX_STRINGS: u64 = 4_000_000;

/// Most records of each kind a styles part may hold (cell formats, number formats, fonts,
/// fills, borders): Excel itself keeps at most 64,000 cell formats.
pub const MAX_STYLES: u64 = 65_536;

/// Most bytes calamine may copy into its cell formats: each cell format copies its font,
/// fill and border, so 60,000 formats of a font with a long name ask for gigabytes.
pub const MAX_STYLE_COPIES: u64 = 64 << 20;

/// Most text a shared part may inflate to.
pub const MAX_PART: u64 = 512 << 20;

/// What makes a workbook's shared parts too large, in words; `None` where they are
/// within bounds (or the file is no xlsx: calamine says what it is).
pub fn too_large(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else {
            continue;
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let lower = name.to_ascii_lowercase().replace('\\', "/");
        let why = if lower.ends_with("sharedstrings.xml") {
            match count(part) {
                Count::Items(counted) => counted
                    .get("si")
                    .filter(|n| n.count > MAX_STRINGS)
                    .map(|_| format!("holds more than {MAX_STRINGS} shared strings")),
                Count::TooLong => Some(too_long()),
            }
        } else if lower.ends_with("/styles.xml") || lower == "styles.xml" {
            match count(part) {
                Count::Items(counted) => styles_too_large(&counted),
                Count::TooLong => Some(too_long()),
            }
        } else {
            continue;
        };
        if let Some(why) = why {
            return Some(format!(
                "part {name} {why}, more than a table of figures needs; save the table as CSV"
            ));
        }
    }
    None
}

fn too_long() -> String {
    format!("inflates past {} MiB", MAX_PART >> 20)
}

/// What makes a styles part's records too many or too large, if anything.
fn styles_too_large(counted: &Counted) -> Option<String> {
    for kind in ["xf", "numFmt", "font", "fill", "border", "dxf"] {
        if let Some(n) = counted.get(kind).filter(|n| n.count > MAX_STYLES) {
            return Some(format!(
                "holds {} {kind} records (at most {MAX_STYLES})",
                n.count
            ));
        }
    }
    let largest = |kind: &str| counted.get(kind).map_or(0, |n| n.largest);
    let xfs = counted.get("xf").map_or(0, |n| n.count);
    let copied = xfs.saturating_mul(largest("font") + largest("fill") + largest("border"));
    (copied > MAX_STYLE_COPIES).then(|| {
        format!(
            "holds {xfs} cell formats, each of which would copy a font, fill and border of up \
             to {} bytes ({} MiB in all, past {} MiB)",
            largest("font") + largest("fill") + largest("border"),
            copied >> 20,
            MAX_STYLE_COPIES >> 20
        )
    })
}

/// Of each element's local name: how many there are, and the largest's bytes.
#[derive(Default, Clone, Copy)]
struct Items {
    count: u64,
    largest: u64,
}

/// The items of a part, by local name.
#[derive(Default)]
struct Counted(std::collections::HashMap<String, Items>);

impl Counted {
    fn get(&self, name: &str) -> Option<&Items> {
        self.0.get(name)
    }
}

/// What counting a part's items found.
enum Count {
    /// The items (an unreadable part's as far as it reads: calamine says what is wrong).
    Items(Counted),
    /// The part's text is longer than [`MAX_PART`].
    TooLong,
}

/// The names the counts keep: those of shared strings and styles, so that a part of
/// many names holds no more than these.
const COUNTED: &[&str] = &["si", "xf", "numFmt", "font", "fill", "border", "dxf"];

/// Counts the elements of `part` by local name, with the bytes of the largest of each;
/// stops once one kind passes [`MAX_STRINGS`] (the greatest of the caps).
fn count(part: impl Read) -> Count {
    let mut limited = part.take(MAX_PART + 1);
    let mut reader = Reader::from_reader(BufReader::new(&mut limited));
    let mut buf = Vec::new();
    let mut counted = Counted::default();
    // The elements open, with where each began.
    let mut open: Vec<(String, u64)> = Vec::new();
    loop {
        let start = reader.buffer_position();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_owned();
                if COUNTED.contains(&name.as_str()) {
                    open.push((name, start));
                }
            }
            Ok(Event::Empty(e)) => {
                let name = e.local_name().as_ref().to_owned();
                if COUNTED.contains(&name.as_str()) {
                    let bytes = reader.buffer_position() - start;
                    if counted.add(name, bytes) > MAX_STRINGS {
                        break;
                    }
                }
            }
            Ok(Event::End(e)) => {
                let local = e.local_name();
                if open
                    .last()
                    .is_some_and(|(n, _)| n.as_str() == local.as_ref())
                    && let Some((name, began)) = open.pop()
                    && counted.add(name, reader.buffer_position() - began) > MAX_STRINGS
                {
                    break;
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    if reader.buffer_position() > MAX_PART {
        return Count::TooLong;
    }
    Count::Items(counted)
}

impl Counted {
    /// Counts one element of `bytes`; returns how many of its name there are now.
    fn add(&mut self, name: String, bytes: u64) -> u64 {
        let items = self.0.entry(name).or_default();
        items.count += 1;
        items.largest = items.largest.max(bytes);
        items.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn book(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, text) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn items_are_counted_by_local_name_with_the_largest_of_each() {
        let strings = format!("<sst>{}</sst>", "<si/>".repeat(3));
        assert_eq!(
            too_large(&book(&[("xl/sharedStrings.xml", &strings)])),
            None
        );
        let many = format!("<x:sst>{}</x:sst>", "<x:si><x:t>a</x:t></x:si>".repeat(10));
        let Count::Items(counted) = count(Cursor::new(many.as_bytes())) else {
            panic!("counted");
        };
        assert_eq!(
            counted.get("si").map(|n| (n.count, n.largest)),
            Some((10, 25))
        );
        assert!(too_large(b"not a zip").is_none());
    }

    #[test]
    fn cell_formats_that_would_copy_a_long_font_each_are_refused() {
        let font = format!("<font><name val=\"{}\"/></font>", "F".repeat(100_000));
        let styles = format!(
            "<styleSheet><fonts>{font}</fonts><cellXfs>{}</cellXfs></styleSheet>",
            "<xf fontId=\"0\"/>".repeat(1_000)
        );
        let why = too_large(&book(&[("xl/styles.xml", &styles)])).unwrap();
        assert!(
            why.starts_with(
                "part xl/styles.xml holds 1000 cell formats, each of which would copy a font"
            ),
            "{why}"
        );
        let few = styles.replace(&"<xf fontId=\"0\"/>".repeat(1_000), "<xf/>");
        assert_eq!(too_large(&book(&[("xl/styles.xml", &few)])), None);
    }
}
