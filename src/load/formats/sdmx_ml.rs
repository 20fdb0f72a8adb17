//! SDMX-ML 2.1 data messages, generic and structure-specific: what Eurostat's SDMX 2.1 API,
//! ISTAT and the other NSI web services answer unless asked otherwise.
//!
//! A data message is observations: a series key (one code per dimension), the observation's
//! own dimension (its period), its value and attributes. This reader writes them as the
//! SDMX-CSV rows the same service would serve and hands those to the SDMX-CSV reader, so
//! that roles, units (`UNIT_MULT`), flags (`OBS_STATUS`) and the cube are decided once.

use crate::error::{Error, Result};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Most observations read from one message.
const MAX_OBSERVATIONS: usize = 10_000_000;

/// Whether the first bytes are an SDMX-ML data message.
pub fn is_sdmx_ml(head: &[u8]) -> bool {
    let text = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .trim_ascii_start();
    text.starts_with(b"<")
        && [
            &b"StructureSpecificData"[..],
            b"GenericData",
            b"GenericTimeSeriesData",
            b"StructureSpecificTimeSeriesData",
        ]
        .iter()
        .any(|root| head.windows(root.len()).any(|w| w == *root))
}

fn refuse(label: &str, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!(
        "{label}: an SDMX-ML message that popdelta cannot read: {why}"
    ))
}

/// A column name and value of one observation.
type Pair = (String, String);

/// An element's attributes, unescaped, by local name.
fn attributes(label: &str, e: &BytesStart) -> Result<Vec<Pair>> {
    e.attributes()
        .map(|a| {
            let a = a.map_err(|err| refuse(label, err))?;
            let key = a.key.local_name().as_ref().to_owned();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| refuse(label, err))?
                .into_owned();
            Ok((key, value))
        })
        .collect()
}

/// The value of attribute `name` among `pairs`.
fn get<'p>(pairs: &'p [Pair], name: &str) -> Option<&'p str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The message in `bytes` as SDMX-CSV text (a `DATAFLOW` column, then the series' and the
/// observations' columns). Read twice, so that no observation is held: once for the
/// columns, once to write the rows.
pub fn to_sdmx_csv(label: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    let mut columns: Vec<String> = Vec::new();
    let mut count = 0usize;
    let flow = walk(label, bytes, &mut |row| {
        count += 1;
        if count > MAX_OBSERVATIONS {
            return Err(refuse(
                label,
                format!("more than {MAX_OBSERVATIONS} observations; ask the service for fewer"),
            ));
        }
        for (k, _) in row {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
        Ok(())
    })?;
    if count == 0 {
        return Err(refuse(label, "no observation (no <Obs> element)"));
    }
    if !columns.iter().any(|c| c == "OBS_VALUE") {
        return Err(refuse(label, "observations without OBS_VALUE"));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| refuse(label, e);
    let mut header = vec!["DATAFLOW"];
    header.extend(columns.iter().map(String::as_str));
    w.write_record(&header).map_err(io)?;
    walk(label, bytes, &mut |row| {
        let mut record = vec![flow.as_str()];
        record.extend(columns.iter().map(|c| get(row, c).unwrap_or("")));
        w.write_record(&record).map_err(io)
    })?;
    w.into_inner().map_err(|e| refuse(label, e.error()))
}

/// Reads the message, giving each observation's pairs (its series' and its own) to
/// `on_row`; returns the dataflow's name.
fn walk(
    label: &str,
    bytes: &[u8],
    on_row: &mut dyn FnMut(&[Pair]) -> Result<()>,
) -> Result<String> {
    let mut reader = Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let (mut flow, mut at_obs) = (String::from("SDMX"), String::from("TIME_PERIOD"));
    // The series' pairs (structure-specific attributes, or generic SeriesKey and
    // Attributes values), and the observation being read (generic).
    let mut series: Vec<Pair> = Vec::new();
    let mut obs: Option<Vec<Pair>> = None;
    let mut in_key = false;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| refuse(label, format!("at byte {}: {e}", reader.buffer_position())))?;
        let (e, open) = match event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "Series" => series.clear(),
                    "SeriesKey" => in_key = false,
                    "Obs" => {
                        if let Some(row) = obs.take() {
                            on_row(&row)?;
                        }
                    }
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        let pairs = attributes(label, &e)?;
        match e.local_name().as_ref() {
            "Structure" => {
                if let Some(d) =
                    get(&pairs, "dimensionAtObservation").filter(|d| *d != "AllDimensions")
                {
                    d.clone_into(&mut at_obs);
                }
                if let Some(id) = get(&pairs, "structureID") {
                    id.clone_into(&mut flow);
                }
            }
            "Series" => {
                series = pairs;
            }
            "SeriesKey" => in_key = true,
            // Generic: a series key's or an attribute's value, or the observation's.
            "Value" => {
                if let (Some(id), Some(v)) = (get(&pairs, "id"), get(&pairs, "value")) {
                    let pair = (id.to_owned(), v.to_owned());
                    match obs.as_mut() {
                        Some(o) if !in_key => o.push(pair),
                        _ => series.push(pair),
                    }
                }
            }
            "ObsDimension" => {
                if let (Some(o), Some(v)) = (obs.as_mut(), get(&pairs, "value")) {
                    o.push((at_obs.clone(), v.to_owned()));
                }
            }
            "ObsValue" => {
                if let (Some(o), Some(v)) = (obs.as_mut(), get(&pairs, "value")) {
                    o.push(("OBS_VALUE".into(), v.to_owned()));
                }
            }
            "Obs" => {
                // Structure-specific: the observation is its attributes; generic: its
                // children follow.
                let mut row = series.clone();
                row.extend(pairs);
                if open {
                    obs = Some(row);
                } else {
                    on_row(&row)?;
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(flow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generic_message_is_the_same_rows_as_a_structure_specific_one() {
        let generic = br#"<?xml version="1.0"?><message:GenericData xmlns:message="m" xmlns:generic="g">
<message:Header><message:Structure structureID="S" dimensionAtObservation="TIME_PERIOD"/></message:Header>
<message:DataSet><generic:Series><generic:SeriesKey><generic:Value id="GEO" value="IT"/></generic:SeriesKey>
<generic:Attributes><generic:Value id="UNIT_MULT" value="3"/></generic:Attributes>
<generic:Obs><generic:ObsDimension value="2019"/><generic:ObsValue value="59816.673"/>
<generic:Attributes><generic:Value id="OBS_STATUS" value="e"/></generic:Attributes></generic:Obs>
</generic:Series></message:DataSet></message:GenericData>"#;
        let csv = String::from_utf8(to_sdmx_csv("g", generic).unwrap()).unwrap();
        assert_eq!(
            csv,
            "DATAFLOW,GEO,UNIT_MULT,TIME_PERIOD,OBS_VALUE,OBS_STATUS\nS,IT,3,2019,59816.673,e\n"
        );
        let specific = br#"<message:StructureSpecificData xmlns:message="m"><message:Header>
<message:Structure structureID="S" dimensionAtObservation="TIME_PERIOD"/></message:Header>
<message:DataSet><Series GEO="IT" UNIT_MULT="3"><Obs TIME_PERIOD="2019" OBS_VALUE="59816.673" OBS_STATUS="e"/></Series>
</message:DataSet></message:StructureSpecificData>"#;
        let csv2 = String::from_utf8(to_sdmx_csv("s", specific).unwrap()).unwrap();
        assert_eq!(csv2, csv);
    }
}
