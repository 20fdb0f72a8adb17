//! SDMX-CSV, with labels or without, laid out as the ordinary reader reads long files.
//!
//! Offices write labels two ways: `CODE: Label` in the header and in each cell (SDMX-CSV
//! 1.0, the ABS, the OECD), or a label column after each code column (Eurostat's
//! SDMX-CSV 2.0: `geo,Geopolitical entity (reporting)`). Both are read as the codes, with
//! the geographic dimension's labels as the region's name (`region`) and its codes beside
//! it (`code`): the layout a JSON-stat dataset is given too.

use std::io::{self, Read};

/// The geographic dimension's id, among SDMX's and the offices' usual ones.
pub fn is_geo(id: &str) -> bool {
    const GEO: &[&str] = &[
        "geo",
        "ref_area",
        "region",
        "location",
        "country",
        "cou",
        "area",
        "state",
        "reporter",
        "asgs_2016",
        "asgs_2021",
        "lga_2021",
        "sa2",
        "nuts",
    ];
    GEO.iter().any(|g| id.trim().eq_ignore_ascii_case(g))
}

/// Columns an SDMX-CSV file has that are no dimension of the figures: the observation's
/// own (time, value, flags, multiplier) and the dataflow's.
pub const NOT_DIMENSIONS: &[&str] = &[
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
    "OBS_STATUS",
    "UNIT_MULT",
    "DATAFLOW",
    "STRUCTURE",
    "STRUCTURE_ID",
    "STRUCTURE_NAME",
    "ACTION",
    "LAST UPDATE",
    "LAST_UPDATE",
    "CONF_STATUS",
    "OBS_CONF",
    "OBS_COMMENT",
    "OBS_PRE_BREAK",
    "DECIMALS",
    "TIME_FORMAT",
    "UNIT_MEASURE",
];

/// An id as SDMX writes them: one word of letters, digits and `_`, in one case.
fn is_id(h: &str) -> bool {
    let h = h.trim();
    !h.is_empty()
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b' ')
        && !h.contains("  ")
        && (h == h.to_lowercase() || h == h.to_uppercase())
}

/// The code of a `CODE: Label` text, and its label (the code itself without one).
fn split(text: &str) -> (&str, &str) {
    match text.split_once(": ") {
        Some((code, label)) if is_id(code) => (code.trim(), label.trim()),
        _ => (text.trim(), text.trim()),
    }
}

/// What a header column becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Dropped: a label column, or no dimension.
    Drop,
    /// A dimension, written as its code.
    Code,
    /// The geographic dimension: its label, then its code; with the label in the next
    /// column (Eurostat's form), that column's index.
    Geo(Option<usize>),
    /// The period, the figure.
    Keep,
    /// The flag: its code.
    Flag,
    /// The multiplier of the figures (10^n).
    UnitMult,
}

/// Whether a header line is SDMX-CSV: it begins with DATAFLOW or STRUCTURE and holds
/// OBS_VALUE (with labels or without).
pub fn is_sdmx(header: &[u8]) -> bool {
    let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    let line = header.split(|&b| b == b'\n').next().unwrap_or(header);
    let Ok(line) = std::str::from_utf8(line) else {
        return false;
    };
    let fields = parse_line(line);
    let first = fields.first().map(|f| split(f).0.to_uppercase());
    matches!(first.as_deref(), Some("DATAFLOW" | "STRUCTURE"))
        && fields
            .iter()
            .any(|f| split(f).0.eq_ignore_ascii_case("OBS_VALUE"))
}

fn parse_line(line: &str) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// SDMX-CSV with labels read as the layout of codes: a [`Read`] of the rewritten text.
pub struct Relabel<R: Read> {
    rdr: csv::Reader<R>,
    roles: Vec<Role>,
    header: Option<Vec<String>>,
    header_written: bool,
    out: Vec<u8>,
    at: usize,
    /// The multiplier of the first row, which every row must share.
    mult: Option<String>,
    done: bool,
}

impl<R: Read> Relabel<R> {
    /// Reads `inner`, whose first line is the SDMX-CSV header.
    pub fn new(inner: R) -> Relabel<R> {
        Relabel {
            rdr: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(inner),
            roles: Vec::new(),
            header: None,
            header_written: false,
            out: Vec::new(),
            at: 0,
            mult: None,
            done: false,
        }
    }

    /// The roles of the header's columns, and the header written.
    fn plan(&mut self, fields: &[String]) -> Vec<String> {
        let n = fields.len();
        let mut roles = vec![Role::Drop; n];
        let mut header = Vec::new();
        let mut i = 0;
        while i < n {
            let (id, _) = split(fields[i].trim_start_matches('\u{feff}'));
            // Eurostat's form: a label column follows its code column.
            let label_next =
                is_id(id) && i + 1 < n && !fields[i + 1].contains(": ") && !is_id(&fields[i + 1]);
            let upper = id.to_uppercase();
            let role = if !is_id(id) {
                Role::Drop
            } else if upper == "TIME_PERIOD" || upper == "OBS_VALUE" {
                Role::Keep
            } else if upper == "OBS_FLAG" || upper == "OBS_STATUS" {
                Role::Flag
            } else if upper == "UNIT_MULT" {
                Role::UnitMult
            } else if NOT_DIMENSIONS.contains(&upper.as_str()) {
                Role::Drop
            } else if is_geo(id) && !header.iter().any(|h| h == "region") {
                Role::Geo(label_next.then_some(i + 1))
            } else {
                Role::Code
            };
            match role {
                Role::Geo(_) => header.extend(["region".to_owned(), "code".to_owned()]),
                Role::Code | Role::Keep => header.push(id.to_owned()),
                // SDMX 2.1's OBS_STATUS is the flag too, where OBS_FLAG is not.
                Role::Flag => header.push("OBS_FLAG".to_owned()),
                Role::Drop | Role::UnitMult => {}
            }
            roles[i] = role;
            i += if label_next { 2 } else { 1 };
        }
        self.roles = roles;
        header
    }

    /// The header, after the unit the first row's multiplier states.
    fn write_header(&mut self, w: &mut csv::Writer<Vec<u8>>, mult: Option<&str>) -> io::Result<()> {
        let unit = match mult.unwrap_or("") {
            "" | "0" => None,
            "3" => Some("in thousands"),
            "4" => Some("万人"),
            "6" => Some("in millions"),
            other => {
                return Err(io::Error::other(format!(
                    "UNIT_MULT {other}: figures in units of 10^{other}, which popdelta does \
                     not convert; ask the office for them in persons"
                )));
            }
        };
        if let Some(u) = unit {
            w.write_record([format!("UNIT_MULT {} ({u})", mult.unwrap_or(""))])
                .map_err(io::Error::other)?;
        }
        if let Some(header) = &self.header {
            w.write_record(header).map_err(io::Error::other)?;
        }
        self.header_written = true;
        Ok(())
    }

    /// The next record rewritten into `out`; false at the end.
    fn next(&mut self) -> io::Result<bool> {
        let mut rec = csv::StringRecord::new();
        if !self.rdr.read_record(&mut rec).map_err(io::Error::other)? {
            return Ok(false);
        }
        let fields: Vec<String> = rec.iter().map(str::to_owned).collect();
        if self.header.is_none() {
            let header = self.plan(&fields);
            self.header = Some(header);
            return Ok(true);
        }
        let mut row: Vec<String> = Vec::with_capacity(self.roles.len() + 1);
        let mut mult = None;
        for (i, role) in self.roles.iter().enumerate() {
            let cell = fields.get(i).map_or("", String::as_str);
            match role {
                Role::Drop => {}
                Role::Code | Role::Flag => row.push(split(cell).0.to_owned()),
                Role::Keep => row.push(cell.trim().to_owned()),
                Role::Geo(label_at) => {
                    let (code, label) = split(cell);
                    let label = label_at
                        .and_then(|l| fields.get(l))
                        .map_or(label, |l| l.trim());
                    row.push(if label.is_empty() { code } else { label }.to_owned());
                    row.push(code.to_owned());
                }
                Role::UnitMult => mult = Some(split(cell).0.to_owned()),
            }
        }
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        if !self.header_written {
            self.write_header(&mut w, mult.as_deref())?;
            self.mult = mult;
        } else if mult != self.mult {
            return Err(io::Error::other(format!(
                "UNIT_MULT changes from {} to {}: the figures are in different units; keep \
                 rows of one with --where",
                self.mult.as_deref().unwrap_or(""),
                mult.as_deref().unwrap_or("")
            )));
        }
        w.write_record(&row).map_err(io::Error::other)?;
        self.out = w
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        self.at = 0;
        Ok(true)
    }
}

impl<R: Read> Read for Relabel<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.out.clear();
            self.at = 0;
            if !self.next()? {
                self.done = true;
                // A header with no rows still reads as a header.
                if !self.header_written && self.header.is_some() {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    self.write_header(&mut w, None)?;
                    self.out = w
                        .into_inner()
                        .map_err(|e| io::Error::other(e.to_string()))?;
                }
            }
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relabel(text: &str) -> String {
        let mut out = String::new();
        Relabel::new(text.as_bytes())
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn code_colon_label_cells_become_codes_and_the_regions_labels() {
        let text = "DATAFLOW,MEASURE: Measure,SEX: Sex,REGION: Region,FREQ: Frequency,\
                    TIME_PERIOD: Time Period,OBS_VALUE,UNIT_MULT: Unit of Multiplier,\
                    OBS_STATUS: Observation Status\n\
                    ABS:ERP_Q(1.0.0),1: Estimated Resident Population,3: Persons,\
                    1: New South Wales,Q: Quarterly,2019-Q2,8089526,0: Units,\n";
        assert!(is_sdmx(text.as_bytes()));
        assert_eq!(
            relabel(text),
            "MEASURE,SEX,region,code,FREQ,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n\
             1,3,New South Wales,1,Q,2019-Q2,8089526,\n"
        );
    }

    #[test]
    fn eurostats_label_columns_are_read_beside_their_codes() {
        let text = "STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,freq,Time frequency,indic_de,\
                    Demographic indicator,geo,Geopolitical entity (reporting),TIME_PERIOD,\
                    Time,OBS_VALUE,Observation value,OBS_FLAG,Observation status (Flag) V2 \
                    structure,CONF_STATUS,Confidentiality status (flag)\n\
                    dataflow,ESTAT:DEMO_GIND(1.0),Population change,A,Annual,JAN,\
                    Population on 1 January - total,DE,Germany,2015,,81197537,,b,\
                    Break in time series,,\n";
        assert!(is_sdmx(text.as_bytes()));
        assert_eq!(
            relabel(text),
            "freq,indic_de,region,code,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n\
             A,JAN,Germany,DE,2015,81197537,b\n"
        );
    }

    #[test]
    fn a_multiplier_is_a_unit_and_must_not_change() {
        let text = "DATAFLOW,REF_AREA: Area,TIME_PERIOD: Time,OBS_VALUE,UNIT_MULT: Mult\n\
                    X,AU: Australia,2019,25365.7,3: Thousands\n\
                    X,AU: Australia,2020,25.7,6: Millions\n";
        let mut out = String::new();
        let err = Relabel::new(text.as_bytes())
            .read_to_string(&mut out)
            .unwrap_err();
        assert!(out.starts_with("UNIT_MULT 3 (in thousands)\nregion,code,TIME_PERIOD,OBS_VALUE\n"));
        assert!(
            err.to_string().contains("UNIT_MULT changes from 3 to 6"),
            "{err}"
        );
        assert!(is_sdmx(b"DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\n"));
        assert!(!is_sdmx(b"region,TIME_PERIOD,OBS_VALUE\n"));
    }
}
