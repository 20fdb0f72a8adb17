//! `popdelta check`: reported figures against the data, claim by claim.

use std::io::{self, Read};

use popdelta::check;
use popdelta::load::decode::{Decoder, Encoding};
use popdelta::load::{self, bundled::Dataset};
use popdelta::render::table::Look;

use super::{load_data, pick_format, sink, terminal_width, want_color};
use crate::cli::CheckArgs;

/// Exit code when a claim does not hold or cannot be checked.
const EXIT_FAILED_CHECK: u8 = 1;

/// The most a claims file may hold: claims are a few lines each.
const MAX_CLAIMS_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a claims file (or standard input) whole, up to [`MAX_CLAIMS_BYTES`], in the
/// encoding the data is read in (guessed under auto, as the data's is).
fn read_claims(label: &str, reader: impl Read, encoding: Encoding) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    Decoder::new(reader.take(MAX_CLAIMS_BYTES + 1), encoding)
        .read_to_end(&mut bytes)
        .map_err(|e| popdelta::load::text::read_error(label, csv::Error::from(e)))?;
    if bytes.len() as u64 > MAX_CLAIMS_BYTES {
        return Err(popdelta::Error::Usage(format!(
            "{label}: a claims file of more than {} MiB; claims are a line each",
            MAX_CLAIMS_BYTES >> 20
        ))
        .into());
    }
    String::from_utf8(bytes).map_err(|_| {
        popdelta::Error::Usage(format!(
            "{label}: the claims file is not UTF-8; save it as UTF-8"
        ))
        .into()
    })
}

/// The claims file's label and text: the file named, standard input, or the bundled claims.
fn claims_text(args: &CheckArgs) -> anyhow::Result<(String, String)> {
    Ok(match &args.claims {
        Some(p) if p.as_os_str() == "-" => (
            "<stdin>".to_owned(),
            read_claims("<stdin>", io::stdin().lock(), args.data.encoding)?,
        ),
        Some(p) => {
            let label = p.display().to_string();
            let file = std::fs::File::open(p).map_err(|source| popdelta::Error::Io {
                path: p.clone(),
                source,
            })?;
            let text = read_claims(&label, file, args.data.encoding)?;
            (label, text)
        }
        None => (
            "bundled data/claims-2018-report.csv".to_owned(),
            check::BUNDLED_CLAIMS.to_owned(),
        ),
    })
}

/// Checks each claim against its data: the bundled dataset it names, or the data the
/// options give; each dataset is loaded once, and the verdicts keep the claims' order.
fn check_all(
    data: &crate::cli::DataArgs,
    claims: &[check::Claim],
) -> anyhow::Result<Vec<check::Checked>> {
    let mut datasets: Vec<Option<Dataset>> = Vec::new();
    for c in claims {
        if !datasets.contains(&c.dataset) {
            datasets.push(c.dataset);
        }
    }
    let mut checked: Vec<Option<check::Checked>> = vec![None; claims.len()];
    for dataset in datasets {
        let panel = match dataset {
            None => load_data(data)?,
            // With its default grouping, so that its groups can be named in claims.
            Some(d) => load::bundled::load(d, None)?,
        };
        if let Some(v) = &panel.info.values {
            anyhow::bail!(
                "{}: the figures are values in {}, not persons; check verifies claims about \
                 populations",
                panel.info.dataset,
                v.unit
            );
        }
        let (indices, theirs): (Vec<usize>, Vec<check::Claim>) = claims
            .iter()
            .enumerate()
            .filter(|(_, c)| c.dataset == dataset)
            .map(|(i, c)| (i, c.clone()))
            .unzip();
        for (i, c) in indices.into_iter().zip(check::check(&panel, &theirs)) {
            checked[i] = Some(c);
        }
    }
    Ok(checked.into_iter().flatten().collect())
}

/// Checks the claims; exit code 1 when one does not hold or cannot be checked, else 0.
pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    let mut inputs = args.data.input_paths();
    inputs.extend(args.claims.iter().filter(|p| p.as_os_str() != "-").cloned());
    let stdin =
        args.data.reads_stdin() || args.claims.as_ref().is_some_and(|p| p.as_os_str() == "-");
    let targets = super::claim_outputs(&inputs, stdin, &[("--output", args.output.as_deref())])?;
    let claims = if args.claim.is_empty() {
        // Free text where a claims file was expected: the claim was meant for --claim.
        if let Some(p) = &args.claims
            && !p.exists()
            && p.to_string_lossy().contains(char::is_whitespace)
        {
            return Err(popdelta::Error::Usage(format!(
                "{:?} is no claims file; to judge one claim, give it to --claim: SUBJECT \
                 METRIC FROM TO OP VALUE [TOLERANCE [DATASET]], e.g. --claim 'Beijing change \
                 2016 2017 = -22000'",
                p.display().to_string()
            ))
            .into());
        }
        let (label, text) = claims_text(args)?;
        check::parse_claims(&label, &text)?
    } else {
        check::parse_typed_claims(&args.claim)?
    };
    // With --claim, the first argument is data too.
    let mut data = args.data.clone();
    if !args.claim.is_empty()
        && let Some(p) = &args.claims
    {
        data.files.insert(0, p.display().to_string());
    }
    let checked = check_all(&data, &claims)?;
    let mut sink = sink("--output", args.output.as_deref(), &targets)?;
    let format = pick_format(args.format, &sink, args.output.as_deref());
    super::workbook_needs_a_file(format, args.output.as_deref())?;
    let look = Look {
        color: want_color(args.color, &sink),
        ascii: args.ascii,
        width: sink.is_terminal().then(terminal_width).flatten(),
        ..Look::default()
    };
    popdelta::render::check::write(&mut sink, &checked, format, look, &super::said())?;
    sink.finish()?;
    // The data refutes or cannot check a claim: 1. Within precision or on unverified data,
    // it cannot refute one.
    let refuted = checked.iter().any(|c| {
        matches!(
            c.verdict,
            check::Verdict::DoesNotHold | check::Verdict::CannotCheck(_)
        )
    });
    Ok(if refuted { EXIT_FAILED_CHECK } else { 0 })
}
