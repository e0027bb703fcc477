//! The status and settings tables of `docs/c-api.md` agree with the library and with the
//! committed C header: every row's value and name is a status (setting) the library has under
//! that name, every status (setting) the library knows is in the table, a setting's row states its
//! default and allowed values, and the header defines each `PCODES_STATUS_*` (`PCODES_SETTING_*`)
//! with that value.

use portal_codes::{Error, Policy, Setting};

fn root(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The cells of each row of the table whose header row starts with `head`.
fn table(head: &str) -> Vec<Vec<String>> {
    let doc = root("docs/c-api.md");
    let mut lines = doc.lines().skip_while(|l| !l.starts_with(head));
    assert!(lines.next().is_some(), "docs/c-api.md has no table `{head}`");
    lines
        .skip(1) // |---|
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim().trim_matches('|').split('|').map(|c| c.trim().trim_matches('`').to_owned()).collect()
        })
        .collect()
}

/// `(value, name)` of each row of the status table.
fn doc_rows() -> Vec<(i32, String)> {
    table("| value | name (`PCODES_STATUS_…`)")
        .iter()
        .map(|r| (r[0].parse().unwrap(), r[1].clone()))
        .collect()
}

fn assert_header_defines(prefix: &str, rows: &[(i32, String)]) {
    let header = root("include/portal_codes.h");
    for (value, name) in rows {
        let define = format!("#define {prefix}{name} {value}");
        assert!(header.lines().any(|l| l.trim() == define), "header lacks `{define}`");
    }
}

#[test]
fn status_table_matches_the_library_and_the_header() {
    let rows = doc_rows();
    assert_eq!(rows.len(), Error::ALL.len() + 1, "one row per status, and OK");
    assert!(rows.contains(&(0, "OK".to_owned())));
    for e in Error::ALL {
        let name = e.name().strip_prefix("PCODES_STATUS_").unwrap().to_owned();
        assert!(rows.contains(&(e.code(), name.clone())), "{name} = {} missing from docs/c-api.md", e.code());
    }
    assert_header_defines("PCODES_STATUS_", &rows);
}

/// `600000`, `0x50`; `None` for anything else.
fn number(cell: &str) -> Option<u64> {
    let cell = cell.trim();
    cell.strip_prefix("0x").map_or_else(|| cell.parse(), |h| u64::from_str_radix(h, 16)).ok()
}

#[test]
fn settings_table_matches_the_library_and_the_header() {
    let rows = table("| id | name (`PCODES_SETTING_…`)");
    assert_eq!(rows.len(), Setting::ALL.len(), "one row per setting");
    let mut ids = Vec::new();
    for (s, row) in Setting::ALL.into_iter().zip(&rows) {
        let id: i32 = row[0].parse().unwrap();
        assert_eq!((id, Setting::from_id(id)), (s as i32, Some(s)), "rows in id order: {row:?}");
        // The C name is the variant's in SCREAMING_SNAKE_CASE (`tests/tables.rs` checks the `_`s).
        assert_eq!(row[1].replace('_', ""), format!("{s:?}").to_uppercase(), "the C name of {s:?}");
        assert_eq!(number(&row[2]), Some(s.default_value()), "{}: default", row[1]);
        let (lo, hi) = s.range();
        match row[3].split_once('–') {
            Some((a, b)) => assert_eq!((number(a), number(b)), (Some(lo), Some(hi)), "{}: range", row[1]),
            None => {
                let listed: Vec<u64> = row[3].split([',', ' ']).filter_map(number).collect();
                let allowed: Vec<u64> = (lo..=hi).filter(|&v| Policy::default().set(s, v).is_ok()).collect();
                assert_eq!(listed, allowed, "{}: allowed values", row[1]);
            }
        }
        ids.push((id, row[1].clone()));
    }
    assert_header_defines("PCODES_SETTING_", &ids);
}
