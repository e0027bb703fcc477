//! The status table of `docs/c-api.md` agrees with the library and with the committed C header:
//! every row's value and name is a status the library returns under that name, every status the
//! library knows is in the table, and the header defines each `PCODES_STATUS_*` with that value.

use portal_codes::Error;

fn root(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// `(value, name)` of each row of the status table.
fn doc_rows() -> Vec<(i32, String)> {
    root("docs/c-api.md")
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(str::trim).collect();
            let value = cells.first()?.parse::<i32>().ok()?;
            Some((value, cells.get(1)?.trim_matches('`').to_owned()))
        })
        .collect()
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
    let header = root("include/portal_codes.h");
    for (value, name) in &rows {
        let define = format!("#define PCODES_STATUS_{name} {value}");
        assert!(header.lines().any(|l| l.trim() == define), "header lacks `{define}`");
    }
}
