//! Every kind of refusal popdelta has, through the binary, in one snapshot: so that all
//! the messages can be read and reviewed together. Each is one line that names the file,
//! the place, what was found (escaped, cut at 200 characters) and the fix.

mod common;

use std::path::Path;

use common::popdelta;

/// A file the gallery reads: its name (in a scratch folder) and bytes.
fn files() -> Vec<(&'static str, Vec<u8>)> {
    let text = |s: &str| s.as_bytes().to_vec();
    vec![
        ("ok.csv", text("region,2016,2017\nA,1,2\nB,3,4\n")),
        ("ragged.csv", text("region,2016,2017\nA,1,2\n1970,  73, \"Hi, Mom!\"\n")),
        ("cr-only.csv", text("region,2016,2017\rA,1,2\rB,x,4\r")),
        ("colons.txt", text("region:2016:2017\nA:1:2\n")),
        ("preamble.csv", text("Table,geo\n\nregion,2016,2017\nA,1,2\nB,3,4\n")),
        ("seps.csv", text("region,2016,2017\nA,\"1,2\",3\n")),
        ("twelve.csv", text("region,2016,2017\nA,12.000,13.000\n")),
        ("negative.csv", text("region,2016,2017\nA,-5,3\n")),
        ("fraction.csv", text("region,2016,2017\nA,1.5,3\n")),
        ("noregion.csv", text("place,kind,2016,2017\nA,x,1,2\n")),
        ("unnamed.csv", text(",,2016,2017\nA,x,1,2\n")),
        ("nolayout.csv", text("region,a,b\nA,1,2\n")),
        ("dupcol.csv", text("region,year,year,population\nA,2016,2016,1\n")),
        ("badyear.csv", text("region,year,population\nA,20x6,1\n")),
        ("empty.csv", Vec::new()),
        ("twice.csv", text("region,year,population\nA,2016,1\nA,2016,2\nA,2017,3\n")),
        ("groups.csv", text("region,g,year,population\nA,x,2016,1\nA,y,2017,2\n")),
        ("two-encodings.csv", b"region,2016,2017\n\xa4\x40\x81\x40,1,2\n".to_vec()),
        ("no-encoding.csv", b"region,2016,2017\nK\xf6ln \x81,1,2\n".to_vec()),
        ("mixed.csv", b"region,2016,2017\nM\xc3\xbcnchen,1,2\nK\xf6ln,1,2\n".to_vec()),
        ("data.json", text("[{\"region\": \"A\"}]")),
        ("data.parquet", b"PAR1\x15\x04\x15\x10\x15\x14".to_vec()),
        ("binary.bin", b"\x7fELF\x02\x01\x01\0\0\0".to_vec()),
        ("levels.csv", text("SUMLEV,NAME,POPESTIMATE2016,POPESTIMATE2017\n010,Nation,10,12\n040,A,4,5\n040,B,6,7\n")),
        ("dims.tsv", text("indic,geo\\time\t2017 \t2016 \nJAN,DE\t10 \t9 \nGROW,DE\t1 e\t2 \n")),
        ("claims-op.csv", text("id,subject,from,to,metric,op,value,tolerance,quote\n1,Beijing,2016,2017,change,~,5,,\n")),
        ("claims-metric.csv", text("id,subject,from,to,metric,op,value,tolerance,quote\n1,Beijing,2016,2017,growth,=,5,,\n")),
        ("claims-two.csv", b"id,subject,from,to,metric,op,value,tolerance,quote\n1,\xa4\x40\x81\x40,2016,2017,change,=,5,,\n".to_vec()),
    ]
}

/// The refusals: each run's arguments (files are in the scratch folder).
const CASES: &[&str] = &[
    // Files that are not tables of text.
    "compare data.json",
    "compare data.parquet",
    "compare binary.bin",
    // The shape of the table.
    "compare colons.txt",
    "compare ragged.csv",
    "compare cr-only.csv",
    "compare noregion.csv",
    "compare unnamed.csv",
    "compare nolayout.csv",
    "compare dupcol.csv",
    "compare empty.csv",
    "compare ok.csv --skip-rows 10",
    "compare preamble.csv --region-col geo",
    "compare ok.csv --region-col NAME",
    // Cells.
    "compare seps.csv",
    "compare twelve.csv",
    "compare negative.csv",
    "compare fraction.csv --fractions error",
    "compare badyear.csv",
    "compare two-encodings.csv",
    "compare no-encoding.csv",
    "compare mixed.csv",
    // Rows that cannot be summed as they are.
    "compare twice.csv",
    "compare groups.csv --group-by g",
    "compare levels.csv",
    "compare dims.tsv",
    "compare levels.csv --where SUMLEV=99",
    // Years, regions, options.
    "compare ok.csv --from 2017 --to 2016",
    "compare ok.csv --from 2015 --to 2017",
    "compare --region Bejing",
    "compare ok.csv --groups ok.csv --group-by g",
    "compare ok.csv --dataset china",
    "compare --group-by provinces",
    "compare ok.csv --births-col b",
    // Outputs.
    "compare ok.csv --output ok.csv",
    "compare ok.csv --svg ok.csv",
    "compare ok.csv --output .",
    // Claims.
    "check claims-op.csv",
    "check claims-metric.csv",
    "check claims-two.csv",
];

#[test]
fn every_refusal_in_one_place() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files() {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let mut gallery = String::new();
    for case in CASES {
        gallery.push_str(&format!(
            "$ popdelta {case}\n{}\n",
            refusal(dir.path(), case)
        ));
    }
    insta::assert_snapshot!(gallery);
}

/// The stderr of a run that must be refused: exit 2, nothing on stdout, one line (notes
/// before it aside).
fn refusal(dir: &Path, case: &str) -> String {
    let out = popdelta()
        .current_dir(dir)
        .args(case.split(' '))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{case}: {err}");
    assert!(out.stdout.is_empty(), "{case}: stdout");
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("popdelta: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{case}: {err}");
    assert!(
        err.lines().all(|l| l.starts_with("popdelta: ")),
        "{case}: one line each: {err}"
    );
    assert!(errors[0].len() < 600, "{case}: {}", errors[0]);
    errors[0].to_owned()
}
