//! Rows that, by their names, are totals of other rows: World, Total, 全国, EU28.

/// Names that, in a table of regions, stand for the sum of the others.
const AGGREGATE_NAMES: &[&str] = &[
    "world",
    "total",
    "all",
    "grand total",
    "sum",
    "全国",
    "合计",
    "总计",
    "全国合计",
    "全國",
    "総数",
    "合計",
];

/// Whether a region's name says it is a total of others: "World", "Total", "全国",
/// "Total Australia", "Germany total".
pub fn is_aggregate_name(name: &str) -> bool {
    let n = name.trim();
    // Most names are longer than any of these and do not start or end with "total".
    if n.len() <= 12 && AGGREGATE_NAMES.iter().any(|a| n.eq_ignore_ascii_case(a)) {
        return true;
    }
    let bytes = n.as_bytes();
    bytes.len() > 6
        && (bytes[..6].eq_ignore_ascii_case(b"total ")
            || bytes[bytes.len() - 6..].eq_ignore_ascii_case(b" total"))
        || is_aggregate_code(n)
}

/// Eurostat's codes of country groups: EU28, EU27_2020, EA19, EEA31, EFTA, and the
/// `_TOT` codes (DE_TOT, Germany with the former GDR).
pub(super) fn is_aggregate_code(code: &str) -> bool {
    if code.len() > 12
        || !code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return false;
    }
    let group = ["EU", "EA", "EEA", "EFTA"].iter().any(|p| {
        code.strip_prefix(p)
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
    });
    group || code.ends_with("_TOT")
}

#[cfg(test)]
#[test]
fn aggregate_names_and_codes() {
    for name in [
        "World",
        "WORLD",
        "Total",
        "全国",
        "Total Australia",
        "Germany total",
        "EU28",
        "EU27_2020",
        "EA19",
        "EEA31",
        "EFTA",
        "DE_TOT",
    ] {
        assert!(is_aggregate_name(name), "{name}");
    }
    for name in [
        "Worldwide Inc",
        "Totalville",
        "DE",
        "FR",
        "Beijing",
        "EUR",
        "Estonia",
        "EE",
    ] {
        assert!(!is_aggregate_name(name), "{name}");
    }
}
