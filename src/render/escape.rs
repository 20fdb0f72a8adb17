//! Text from the data made safe for where it is shown: no control or bidi character from
//! a file reaches a terminal as itself (it is shown as `\u{1b}`), Markdown holds no raw
//! HTML, and SVG only characters XML allows. CSV and JSON keep names exactly: they are data.

use std::borrow::Cow;

/// Whether a character would act on a terminal instead of being shown: C0 and C1
/// controls, DEL, and the bidirectional controls that reorder what follows.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text for a terminal: every character that would act on it written as `\u{HEX}`.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for Markdown: shown as on a terminal, with `&`, `<` and `>` as entities so that
/// no HTML from the data is run by a Markdown viewer.
pub fn markdown(text: &str) -> String {
    terminal(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text for XML (SVG) character data and attributes: shown as on a terminal (so only
/// characters XML 1.0 allows remain), with markup characters as entities.
pub fn xml(text: &str) -> String {
    let shown = terminal(text);
    // The two characters XML forbids that a terminal shows: U+FFFE and U+FFFF.
    let allowed = if shown.contains(['\u{FFFE}', '\u{FFFF}']) {
        Cow::Owned(
            shown
                .replace('\u{FFFE}', "\\u{fffe}")
                .replace('\u{FFFF}', "\\u{ffff}"),
        )
    } else {
        shown
    };
    allowed
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_shown_not_obeyed() {
        assert_eq!(terminal("Beijing"), "Beijing");
        assert_eq!(terminal("北京"), "北京");
        assert_eq!(terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            terminal("x\u{7}\u{8}\u{7f}\u{85}"),
            "x\\u{7}\\u{8}\\u{7f}\\u{85}"
        );
        assert_eq!(terminal("\u{202e}abc"), "\\u{202e}abc");
        assert_eq!(terminal("a\nb\tc"), "a\\u{a}b\\u{9}c");
        assert_eq!(markdown("<img onerror=x>&"), "&lt;img onerror=x&gt;&amp;");
        assert_eq!(xml("a\u{1}<b>\"&"), "a\\u{1}&lt;b&gt;&quot;&amp;");
        assert_eq!(xml("a\u{FFFE}b\u{FFFF}"), "a\\u{fffe}b\\u{ffff}");
    }
}
