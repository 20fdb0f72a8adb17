//! Legacy encodings under `--encoding auto` (the default): guessed from the text after its
//! first byte that is not ASCII, said in the guesses note, refused only when unclear.

mod common;

use std::io::Write;

use common::{popdelta, run};

/// Writes `text` in `encoding` to a file in `dir`, returning its path.
fn written(
    dir: &tempfile::TempDir,
    name: &str,
    text: &str,
    enc: &'static encoding_rs::Encoding,
) -> String {
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "{text} in {}", enc.name());
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).unwrap();
    path.display().to_string()
}

#[test]
fn gbk_export_in_ten_thousands_needs_no_flag() {
    let dir = tempfile::tempdir().unwrap();
    let text = "地区,2016年,2017年\r\n北京市,2172.9,2170.7\r\n吉林省,2733.03,2717.43\r\n";
    let path = written(&dir, "省.csv", text, encoding_rs::GBK);
    let (out, err) = run(&["compare", &path, "--unit", "10k", "--format", "csv"]);
    assert!(
        out.contains("region,北京市,,21729000,21707000,-22000,"),
        "{out}"
    );
    assert!(
        out.contains("region,吉林省,,27330300,27174300,-156000,"),
        "{out}"
    );
    assert!(
        err.contains("encoding gb18030 (guessed) (say --encoding otherwise)"),
        "{err}"
    );
}

#[test]
fn big5_shift_jis_euc_kr_and_windows_1252_are_each_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &'static encoding_rs::Encoding, &str, &str); 4] = [
        (
            "region,2016,2017\n臺北市,100,90\n高雄市,50,60\n",
            encoding_rs::BIG5,
            "big5",
            "臺北市",
        ),
        (
            "region,2016,2017\n東京都,100,90\n大阪府,50,60\n",
            encoding_rs::SHIFT_JIS,
            "shift_jis",
            "東京都",
        ),
        (
            "region,2016,2017\n서울특별시,100,90\n부산광역시,50,60\n",
            encoding_rs::EUC_KR,
            "euc-kr",
            "서울특별시",
        ),
        (
            "region,2016,2017\nMünchen,100,90\nKöln,50,60\n",
            encoding_rs::WINDOWS_1252,
            "windows-1252",
            "München",
        ),
    ];
    for (i, (text, enc, name, first)) in cases.into_iter().enumerate() {
        let path = written(&dir, &format!("{i}.csv"), text, enc);
        let (out, err) = run(&["compare", &path, "--format", "csv"]);
        assert!(
            out.contains(&format!("region,{first},,100,90,-10,-10.000")),
            "{name}: {out}"
        );
        assert!(
            err.contains(&format!("encoding {name} (guessed)")),
            "{name}: {err}"
        );
    }
}

#[test]
fn a_legacy_byte_far_into_the_file_is_guessed_where_it_stands() {
    // 300,000 ASCII rows first: the guess is made at the first byte that is not ASCII,
    // wherever it is, with the text before it read as it is (ASCII in every candidate).
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("region,2016,2017\n");
    for i in 0..300_000 {
        text.push_str(&format!("r{i},1,2\n"));
    }
    text.push_str("Doña Ana,10,12\n");
    let path = written(&dir, "far.csv", &text, encoding_rs::WINDOWS_1252);
    let (out, err) = run(&["compare", &path, "--format", "csv"]);
    assert!(out.contains("region,Doña Ana,,10,12,2,20.000"), "{err}");
    assert!(out.contains("total,,,300010,600012,300002,"), "{err}");
    assert!(err.contains("encoding windows-1252 (guessed)"), "{err}");
}

#[test]
fn gzip_of_a_gbk_file_is_guessed_too() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _, _) = encoding_rs::GBK.encode("地区,2016,2017\n北京市,21729000,21707000\n");
    let path = dir.path().join("p.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let (out, err) = run(&["compare", &path.display().to_string(), "--format", "csv"]);
    assert!(
        out.contains("region,北京市,,21729000,21707000,-22000,"),
        "{out}"
    );
    assert!(err.contains("encoding gb18030 (guessed)"), "{err}");
}

#[test]
fn utf8_text_is_never_guessed_another_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u.csv");
    std::fs::write(&path, "地区,2016,2017\n北京市,21729000,21707000\n").unwrap();
    let (out, err) = run(&["compare", &path.display().to_string(), "--format", "csv"]);
    assert!(out.contains("region,北京市,"), "{out}");
    assert!(!err.contains("guessed"), "{err}");
}

#[test]
fn bytes_the_guessed_encoding_cannot_read_are_named_with_their_line() {
    // GBK at the start; a lead byte with no second byte it allows (0x81 0x20) 90 KB on,
    // past the window the guess looks at.
    let dir = tempfile::tempdir().unwrap();
    let (mut bytes, _, _) = encoding_rs::GBK.encode("地区,2016,2017\n北京市,1,2\n");
    let mut bytes = bytes.to_mut().clone();
    for i in 0..6_000 {
        bytes.extend_from_slice(format!("region{i:05},1,2\n").as_bytes());
    }
    bytes.extend_from_slice(b"x\x81 y,1,2\n");
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, &bytes).unwrap();
    let out = popdelta()
        .args(["compare", &path.display().to_string()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "bad.csv:6003: bytes 81 are not valid gb18030, the encoding guessed from the start \
             of the file"
        ),
        "{err}"
    );
    assert!(
        err.contains("say the file's encoding with --encoding"),
        "{err}"
    );
}

#[test]
fn text_two_encodings_read_alike_is_refused_naming_both() {
    // A4 40 81 40: two characters in GBK and in Shift_JIS alike, and chardetng's own guess
    // reads neither cleanly.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.csv");
    std::fs::write(&path, b"region,2016,2017\n\xA4\x40\x81\x40,1,2\n").unwrap();
    let out = popdelta()
        .args(["compare", &path.display().to_string()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "two.csv:2: not UTF-8, and it reads as gb18030 or shift_jis alike (found \"A4 40 81 \
             40 2C 31 2C 32\"); say which with --encoding gb18030 or --encoding shift_jis"
        ),
        "{err}"
    );
}

#[test]
fn text_no_candidate_reads_cleanly_is_refused_naming_the_flag() {
    // Windows-1252 by its letters, but 0x81 is a byte it leaves undefined.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.csv");
    std::fs::write(&path, b"region,2016,2017\nK\xF6ln \x81,1,2\n").unwrap();
    let out = popdelta()
        .args(["compare", &path.display().to_string()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "odd.csv:2: not UTF-8, nor any encoding popdelta knows (found \"F6 6C 6E 20 81 2C \
             31 2C\"); save the file as UTF-8, or name its encoding with --encoding"
        ),
        "{err}"
    );
}
