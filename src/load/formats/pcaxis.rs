//! PC-Axis (`.px`), the download format of PxWeb (Statistics Sweden, Finland, Norway, the
//! Swiss BFS, CSO Ireland, the Baltic offices): keywords, then `DATA=` and the figures.
//!
//! A PX file is one cube, written as PxWeb writes its JSON-stat answers: this reader turns
//! the keywords that carry the data into that JSON-stat (dimensions with codes and labels,
//! roles, units, the total a dimension's `ELIMINATION` names) and hands it to the JSON-stat
//! reader, so that the cube is built, sliced and checked once.

use crate::error::{Error, Result};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// One keyword statement: `NAME[lang]("sub",...)=value;`.
#[derive(Debug)]
struct Keyword {
    name: String,
    lang: Option<String>,
    subs: Vec<String>,
    value: String,
}

/// Whether the first bytes are a PC-Axis file's: a keyword it opens with.
pub fn is_pcaxis(head: &[u8]) -> bool {
    const OPENERS: &[&[u8]] = &[
        b"CHARSET=",
        b"AXIS-VERSION=",
        b"CODEPAGE=",
        b"LANGUAGE=",
        b"LANGUAGES=",
        b"MATRIX=",
        b"DECIMALS=",
        b"SUBJECT-AREA=",
        b"SUBJECT-CODE=",
        b"CREATION-DATE=",
        b"TITLE=",
        b"STUB=",
        b"HEADING=",
    ];
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    OPENERS.iter().any(|k| text.starts_with(k))
}

fn refuse(label: &str, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!(
        "{label}: a PC-Axis file that popdelta cannot read: {why}"
    ))
}

/// The text of the file, in the codepage it names (`CODEPAGE`; `CHARSET="ANSI"` and none:
/// Windows-1252, where the bytes are not UTF-8).
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(4096)];
    let named = head
        .windows(10)
        .position(|w| w == b"CODEPAGE=\"")
        .and_then(|at| {
            let rest = &head[at + 10..];
            let end = rest.iter().position(|&b| b == b'"')?;
            encoding_rs::Encoding::for_label(&rest[..end])
        });
    let encoding = match named {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The header's statements, and the text after `DATA=`.
fn statements(label: &str, text: &str) -> Result<(Vec<Keyword>, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let rest_trimmed = rest.trim_start();
        if rest_trimmed.is_empty() {
            return Err(refuse(label, "no DATA= keyword"));
        }
        if let Some(data) = rest_trimmed.strip_prefix("DATA=") {
            return Ok((out, data.to_owned()));
        }
        let end = statement_end(rest_trimmed)
            .ok_or_else(|| refuse(label, "a keyword with no ';' after its value"))?;
        out.push(keyword(label, &rest_trimmed[..end])?);
        rest = &rest_trimmed[end + 1..];
    }
}

/// Where a statement's `;` is: the first outside quotes.
fn statement_end(text: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// One statement: `NAME[lang]("sub1","sub2")=value`.
fn keyword(label: &str, text: &str) -> Result<Keyword> {
    let eq = {
        let mut quoted = false;
        text.char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '=' && !quoted
            })
            .map(|(i, _)| i)
    }
    .ok_or_else(|| refuse(label, format!("{:?} is no KEYWORD=value", clip(text))))?;
    let (head, value) = (&text[..eq], &text[eq + 1..]);
    let name_end = head.find(['[', '(']).unwrap_or(head.len());
    let name = head[..name_end].trim().to_owned();
    let lang = head.find('[').and_then(|a| {
        head[a + 1..]
            .find(']')
            .map(|b| head[a + 1..a + 1 + b].to_owned())
    });
    let subs = match (head.find('('), head.rfind(')')) {
        (Some(a), Some(b)) if b > a => items(&head[a + 1..b]),
        _ => Vec::new(),
    };
    Ok(Keyword {
        name,
        lang,
        subs,
        value: value.trim().to_owned(),
    })
}

/// A list of values: quoted strings (two quoted pieces with only space or a line break
/// between them are one string), or bare words, separated by commas.
fn items(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let skip_space = |chars: &mut std::iter::Peekable<std::str::Chars>| {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
    };
    loop {
        skip_space(&mut chars);
        let Some(&first) = chars.peek() else { break };
        let mut item = String::new();
        if first == '"' {
            while chars.peek() == Some(&'"') {
                chars.next();
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                    item.push(d);
                }
                skip_space(&mut chars);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                item.push(c);
                chars.next();
            }
            item = item.trim().to_owned();
        }
        out.push(item);
        skip_space(&mut chars);
        if chars.peek() == Some(&',') {
            chars.next();
        } else if chars.peek().is_some() {
            // Text after a value that is no list: kept as it is, apart.
            let rest: String = chars.by_ref().collect();
            out.push(rest.trim().to_owned());
        }
    }
    out
}

/// A text cut for a message.
fn clip(text: &str) -> String {
    text.chars().take(60).collect()
}

/// The keywords of the file's main language (those without `[lang]`, or in it).
struct Keywords {
    all: Vec<Keyword>,
    main: Option<String>,
}

impl Keywords {
    fn get(&self, name: &str, subs: &[&str]) -> Option<&Keyword> {
        self.all.iter().find(|k| {
            k.name == name
                && (k.lang.is_none() || k.lang == self.main)
                && k.subs.len() == subs.len()
                && k.subs.iter().zip(subs).all(|(a, b)| a == b)
        })
    }

    fn list(&self, name: &str, subs: &[&str]) -> Vec<String> {
        self.get(name, subs)
            .map(|k| items(&k.value))
            .unwrap_or_default()
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name, &[])
            .and_then(|k| items(&k.value).into_iter().next())
    }

    /// The variables named with this keyword (`MAP("region")`), in the main language.
    fn named_by(&self, name: &str) -> Vec<String> {
        self.all
            .iter()
            .filter(|k| k.name == name && (k.lang.is_none() || k.lang == self.main))
            .filter_map(|k| k.subs.first().cloned())
            .collect()
    }
}

/// A missing figure as PX writes it: dots (`..`, `...`), a dash, a colon.
fn is_missing(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| c == '.') || matches!(token, "-" | ":" | "")
}

/// One figure of the cube as JSON text: the file's own where it is JSON already (no copy),
/// `None` where it is missing.
type Cell<'a> = Option<Cow<'a, str>>;

/// A figure as JSON writes it, or `None` where the token is no number.
fn json_number(token: &str) -> Option<Cow<'_, str>> {
    let t = token.strip_prefix('+').unwrap_or(token);
    let (sign, digits) = match t.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", t),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    let trimmed = int.trim_start_matches('0');
    if token == t && (trimmed.len() == int.len() || int == "0") {
        return Some(Cow::Borrowed(token));
    }
    let int = if trimmed.is_empty() { "0" } else { trimmed };
    Some(Cow::Owned(match frac {
        "" => format!("{sign}{int}"),
        f => format!("{sign}{int}.{f}"),
    }))
}

/// The figures after `DATA=`, in the order of the cube (stub outermost, heading innermost);
/// with `KEYS`, each line begins with its stub keys and lines of zeros may be left out.
fn figures<'a>(
    label: &str,
    data: &'a str,
    sizes: &[usize],
    keyed: &[Vec<String>],
) -> Result<Vec<Cell<'a>>> {
    let total: usize = sizes.iter().product();
    let data = data.trim_end();
    let data = data.strip_suffix(';').unwrap_or(data);
    let token = |t: &'a str| -> Result<Cell<'a>> {
        let t = t.trim_matches('"');
        if is_missing(t) {
            return Ok(None);
        }
        json_number(t).map(Some).ok_or_else(|| {
            refuse(
                label,
                format!("DATA holds {:?}, which is no figure", clip(t)),
            )
        })
    };
    if keyed.is_empty() {
        let tokens: Vec<&str> = data
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.len() != total {
            return Err(refuse(
                label,
                format!(
                    "DATA holds {} figures where its variables make {total}",
                    tokens.len()
                ),
            ));
        }
        return tokens.into_iter().map(token).collect();
    }
    // KEYS: the keyed variables are the first of the stub; a line of the others' figures.
    let k = keyed.len();
    let row: usize = sizes[k..].iter().product();
    let mut out: Vec<Cell<'a>> = vec![Some(Cow::Borrowed("0")); total];
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = items_and_figures(line);
        if parts.len() != k + row {
            return Err(refuse(
                label,
                format!(
                    "a KEYS line of {} items where {} are due: {:?}",
                    parts.len(),
                    k + row,
                    clip(line)
                ),
            ));
        }
        let mut at = 0usize;
        for (i, key) in parts.drain(..k).enumerate() {
            let c = keyed[i].iter().position(|v| *v == key).ok_or_else(|| {
                refuse(
                    label,
                    format!("KEYS value {key:?} is none of the variable's"),
                )
            })?;
            at = at * sizes[i] + c;
        }
        for (j, t) in parts.iter().enumerate() {
            let t = t.trim_matches('"');
            let Some(slot) = out.get_mut(at * row + j) else {
                return Err(refuse(label, "a KEYS line past the cube"));
            };
            *slot = if is_missing(t) {
                None
            } else {
                let n = json_number(t).ok_or_else(|| {
                    refuse(
                        label,
                        format!("DATA holds {:?}, which is no figure", clip(t)),
                    )
                })?;
                Some(Cow::Owned(n.into_owned()))
            };
        }
    }
    Ok(out)
}

/// A KEYS line's items: quoted keys and figures, split at commas and spaces.
fn items_and_figures(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if !quoted && (c == ',' || c.is_whitespace()) => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A variable's `HIERARCHIES("var")="00","00":"01","01":"0114",...` as JSON-stat's
/// `child`: each parent's codes.
fn hierarchy(kw: &Keywords, v: &str) -> Option<Value> {
    let k = kw.get("HIERARCHIES", &[v])?;
    let mut child: Map<String, Value> = Map::new();
    let mut quoted = false;
    let mut pieces = Vec::new();
    let mut current = String::new();
    for c in k.value.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => pieces.push(std::mem::take(&mut current)),
            c if c.is_whitespace() && !quoted => {}
            c => current.push(c),
        }
    }
    pieces.push(current);
    for piece in pieces {
        if let Some((parent, part)) = piece.split_once(':')
            && let Some(list) = child
                .entry(parent.to_owned())
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
        {
            list.push(Value::String(part.to_owned()));
        }
    }
    (!child.is_empty()).then_some(Value::Object(child))
}

/// The code of the total added to a dimension that ELIMINATION=YES lets be summed.
const SUMMED: &str = "_SUM";

/// `figures` of a cube of `sizes` with one more category in dimension `d`, last: the sum
/// of the others, exactly, where every one has a figure.
fn with_total<'a>(figures: &[Cell<'a>], sizes: &[usize], d: usize) -> Vec<Cell<'a>> {
    let outer: usize = sizes[..d].iter().product();
    let inner: usize = sizes[d + 1..].iter().product();
    let n = sizes[d];
    let mut out = Vec::with_capacity(outer * (n + 1) * inner);
    for o in 0..outer {
        for k in 0..n {
            let at = (o * n + k) * inner;
            out.extend_from_slice(&figures[at..at + inner]);
        }
        for j in 0..inner {
            let parts = (0..n).map(|k| figures[(o * n + k) * inner + j].as_deref());
            out.push(decimal_sum(parts).map(Cow::Owned));
        }
    }
    out
}

/// The exact sum of decimal texts ("4039944.00"), or `None` where one is missing or the
/// sum does not fit.
fn decimal_sum<'a>(parts: impl Iterator<Item = Option<&'a str>>) -> Option<String> {
    let parts: Vec<&str> = parts.collect::<Option<Vec<_>>>()?;
    let scale = parts
        .iter()
        .map(|p| p.split_once('.').map_or(0, |(_, f)| f.len()))
        .max()?;
    let mut sum: i128 = 0;
    for p in &parts {
        let (int, frac) = p.split_once('.').unwrap_or((p, ""));
        let digits = format!("{int}{frac:0<scale$}");
        sum = sum.checked_add(digits.parse::<i128>().ok()?)?;
    }
    if scale == 0 {
        return Some(sum.to_string());
    }
    let sign = if sum < 0 { "-" } else { "" };
    let abs = sum.unsigned_abs().to_string();
    let abs = format!("{abs:0>width$}", width = scale + 1);
    let (int, frac) = abs.split_at(abs.len() - scale);
    Some(format!("{sign}{int}.{frac}"))
}

/// Adds the summed total to dimension `v`'s categories, named as such, and marks it as the
/// dimension's total.
fn add_total_category(dimension: &mut Map<String, Value>, v: &str) {
    let Some(dim) = dimension.get_mut(v) else {
        return;
    };
    if let Some(index) = dim["category"]["index"].as_array_mut() {
        index.push(Value::String(SUMMED.into()));
    }
    if let Some(labels) = dim["category"]["label"].as_object_mut() {
        labels.insert(
            SUMMED.into(),
            Value::String(format!(
                "total ({v} summed, as the file's ELIMINATION allows)"
            )),
        );
    }
    dim["extension"] = json!({"elimination": true, "eliminationValueCode": SUMMED});
}

/// A refusal of the JSON-stat the file was read as, in the file's own words: a PC-Axis
/// table, its variables, `TIMEVAL` and `MAP`.
pub fn in_its_words(e: Error) -> Error {
    match e {
        Error::Usage(m) => Error::Usage(
            m.replace("a JSON-stat dataset", "a PC-Axis table")
                .replace("(role \"geo\")", "(MAP, or a variable named so)")
                .replace(
                    "(role \"time\", or one of years)",
                    "(TIMEVAL, or a variable of years)",
                )
                .replace("dimension", "variable"),
        ),
        other => other,
    }
}

/// The PC-Axis file in `bytes` as the JSON-stat dataset PxWeb would serve for it.
pub fn to_jsonstat(label: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    let text = decode(bytes);
    let (all, data) = statements(label, &text)?;
    let mut kw = Keywords { all, main: None };
    kw.main = kw.text("LANGUAGE");
    let mut vars = kw.list("STUB", &[]);
    vars.extend(kw.list("HEADING", &[]));
    if vars.is_empty() {
        return Err(refuse(label, "no STUB or HEADING"));
    }
    let time_vars = kw.named_by("TIMEVAL");
    let map_vars = kw.named_by("MAP");
    let content = kw.text("CONTVARIABLE");
    let mut dimension = Map::new();
    let mut sizes = Vec::new();
    let mut keyed = Vec::new();
    for v in &vars {
        let values = kw.list("VALUES", &[v]);
        if values.is_empty() {
            return Err(refuse(label, format!("no VALUES(\"{v}\")")));
        }
        let codes = match kw.list("CODES", &[v]) {
            c if c.len() == values.len() => c,
            _ => values.clone(),
        };
        let labels: Map<String, Value> = codes
            .iter()
            .zip(&values)
            .map(|(c, l)| (c.clone(), Value::String(l.clone())))
            .collect();
        let mut category = json!({"index": codes, "label": labels});
        if let Some(child) = hierarchy(&kw, v) {
            category["child"] = child;
        }
        if content.as_deref() == Some(v.as_str()) {
            let units: Map<String, Value> = codes
                .iter()
                .zip(&values)
                .map(|(c, l)| {
                    let unit = kw
                        .text_of("UNITS", l)
                        .or_else(|| kw.text("UNITS"))
                        .unwrap_or_default();
                    (c.clone(), json!({"label": unit}))
                })
                .collect();
            category["unit"] = Value::Object(units);
        }
        let mut dim = json!({"label": v, "category": category});
        if let Some(total) = kw.text_of("ELIMINATION", v)
            && let Some(c) = values.iter().position(|l| *l == total)
        {
            dim["extension"] = json!({"elimination": true, "eliminationValueCode": codes[c]});
        }
        dimension.insert(v.clone(), dim);
        sizes.push(values.len());
        if kw.get("KEYS", &[v]).is_some() {
            // The keyed variables lead the stub: each line's first items.
            if keyed.len() + 1 != sizes.len() {
                return Err(refuse(
                    label,
                    format!("KEYS(\"{v}\") on a variable after unkeyed ones"),
                ));
            }
            // Keys are written as the values (VALUES) or the codes (CODES).
            let by = kw.text_of("KEYS", v).unwrap_or_default();
            keyed.push(if by == "CODES" { codes } else { values });
        }
    }
    let total: usize = sizes
        .iter()
        .try_fold(1usize, |a, &s| a.checked_mul(s))
        .unwrap_or(usize::MAX);
    if total > 10_000_000 {
        return Err(refuse(
            label,
            format!("{total} cells, more than popdelta reads in one cube"),
        ));
    }
    let mut figures = figures(label, &data, &sizes, &keyed)?;
    // A breakdown the file says may be eliminated by summing (ELIMINATION=YES) and that
    // holds no total: its total, the sum of its categories, is added as one.
    for (i, v) in vars.iter().enumerate() {
        let summable = kw.text_of("ELIMINATION", v).as_deref() == Some("YES")
            && !time_vars.contains(v)
            && !map_vars.contains(v)
            && content.as_deref() != Some(v.as_str())
            && !super::jsonstat::is_geo_name(v);
        if summable {
            figures = with_total(&figures, &sizes, i);
            sizes[i] += 1;
            add_total_category(&mut dimension, v);
        }
    }
    let mut role = Map::new();
    if let Some(t) = vars.iter().find(|v| time_vars.contains(v)) {
        role.insert("time".into(), json!([t]));
    }
    if let Some(g) = vars.iter().find(|v| map_vars.contains(v)) {
        role.insert("geo".into(), json!([g]));
    }
    if let Some(c) = content.as_ref().filter(|c| vars.contains(c)) {
        role.insert("metric".into(), json!([c]));
    }
    let mut dataset = json!({
        "version": "2.0",
        "class": "dataset",
        "label": kw.text("TITLE").or_else(|| kw.text("CONTENTS")).unwrap_or_default(),
        "id": vars,
        "size": sizes,
        "role": role,
        "dimension": dimension,
        "value": [],
    });
    if content.is_none()
        && let Some(u) = kw.text("UNITS")
    {
        dataset["extension"] = json!({"px": {"units": u}});
    }
    let mut text = serde_json::to_string(&dataset).map_err(|e| refuse(label, e))?;
    // The figures as written, exactly: spliced in as JSON numbers.
    let values: Vec<&str> = figures
        .iter()
        .map(|f| f.as_deref().unwrap_or("null"))
        .collect();
    let at = text
        .rfind("\"value\":[]")
        .ok_or_else(|| refuse(label, "no value"))?;
    text.replace_range(at..at + 10, &format!("\"value\":[{}]", values.join(",")));
    Ok(text.into_bytes())
}

impl Keywords {
    /// The first value of `name("sub")` in the main language.
    fn text_of(&self, name: &str, sub: &str) -> Option<String> {
        self.get(name, &[sub])
            .and_then(|k| items(&k.value).into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_strings_joined_across_lines() {
        assert_eq!(items("\"a\",\"b\",\n\"c\""), ["a", "b", "c"]);
        assert_eq!(items("\"long \"\n\"name\""), ["long name"]);
        assert_eq!(items("TLIST(A1),\"2007\""), ["TLIST(A1)", "2007"]);
        assert_eq!(items("YES"), ["YES"]);
    }

    #[test]
    fn a_summed_total_is_exact() {
        let sum = |p: &[&str]| decimal_sum(p.iter().map(|s| Some(*s)));
        assert_eq!(sum(&["1", "2"]).as_deref(), Some("3"));
        assert_eq!(sum(&["1.5", "2.25"]).as_deref(), Some("3.75"));
        assert_eq!(sum(&["-0.5", "0.25"]).as_deref(), Some("-0.25"));
        assert_eq!(decimal_sum([Some("1"), None].into_iter()), None);
        // Two regions by two sexes: each region's total last.
        let f: Vec<Cell> = ["1", "2", "3", "4"]
            .iter()
            .map(|s| Some(Cow::Borrowed(*s)))
            .collect();
        let t: Vec<Cell> = with_total(&f, &[2, 2], 1);
        let t: Vec<&str> = t.iter().map(|x| x.as_deref().unwrap_or("-")).collect();
        assert_eq!(t, ["1", "2", "3", "3", "4", "7"]);
    }

    #[test]
    fn figures_and_missing_markers() {
        assert_eq!(json_number("4039944.00").as_deref(), Some("4039944.00"));
        assert_eq!(json_number("007").as_deref(), Some("7"));
        assert_eq!(json_number("-12").as_deref(), Some("-12"));
        assert_eq!(json_number("1,5"), None);
        assert!(is_missing(".."));
        assert!(is_missing("...."));
        assert!(is_missing("-"));
        assert!(!is_missing("0"));
    }

    #[test]
    fn a_keyword_with_language_and_subkeys() {
        let k = keyword("t", "VALUES[sv](\"region\")=\"Österrike\",\"Belgien\"").unwrap();
        assert_eq!(
            (k.name.as_str(), k.lang.as_deref(), k.subs.as_slice()),
            ("VALUES", Some("sv"), &["region".to_owned()][..])
        );
        assert_eq!(items(&k.value), ["Österrike", "Belgien"]);
    }
}
