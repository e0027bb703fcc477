//! One source for every table, and no drift on the C side.
//!
//! The Rust tables are macros (`statuses!` in `src/error.rs`, `settings!` in `src/policy.rs`);
//! cbindgen cannot expand them, so the C constants are literals in `src/ffi/status.rs` and
//! `src/ffi/ctx.rs`, generated from the tables (with their docs, and the tables of
//! `docs/c-api.md`) by `src/ffi/tables.rs`, which fails when they are stale. These tests check
//! what no generator writes:
//!
//! - the committed header defines exactly OK and [`Error::ALL`] as `PCODES_STATUS_*`, and exactly
//!   [`Setting::ALL`] as `PCODES_SETTING_*` (no hand-written constant outside the generated
//!   blocks), and `pcodes_status_name`/[`Setting::name`] name each one;
//! - sizes: every `PCODES_*_BYTES` is tied to its Rust constant the one way (a `const _` assert
//!   on the next line) and has its `pcodes_*_bytes()` function;
//! - docs: every default or range the Markdown files' prose states for a setting is the
//!   setting's.
//!
//! What a binding's own test reads back through the C API (`pcodes_status_name` for every status,
//! `pcodes_setting_info` and `pcodes_ctx_get` on a fresh context for every default,
//! `pcodes_ctx_set` at and past the edges for every range) is tested for every row in
//! `src/ffi/status.rs` and `src/ffi/ctx.rs`.

use std::collections::BTreeMap;

use portal_codes::{Error, Setting, error::status_name};

fn read(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Every `#define NAME VALUE` of the header: name -> value.
fn header_defines() -> BTreeMap<String, String> {
    let mut defs = BTreeMap::new();
    for line in read("include/portal_codes.h").lines() {
        if let Some((name, value)) = line.trim().strip_prefix("#define ").and_then(|r| r.split_once(' ')) {
            assert!(defs.insert(name.to_owned(), value.trim().to_owned()).is_none(), "{name} defined twice");
        }
    }
    defs
}

/// Every `pub const NAME: TYPE = VALUE;` of a source file: name -> value (underscores removed).
fn source_consts(rel: &str) -> BTreeMap<String, String> {
    let mut defs = BTreeMap::new();
    for line in read(rel).lines() {
        if let Some(rest) = line.trim().strip_prefix("pub const ") {
            let (name, rest) = rest.split_once(':').unwrap();
            let value = rest.split_once('=').unwrap().1.trim().trim_end_matches(';').replace('_', "");
            assert!(defs.insert(name.to_owned(), value).is_none(), "{name} twice");
        }
    }
    defs
}

/// The entries whose name starts with `prefix`, as `(name, value)`.
fn named(defs: &BTreeMap<String, String>, prefix: &str) -> BTreeMap<String, String> {
    defs.iter().filter(|(n, _)| n.starts_with(prefix)).map(|(n, v)| (n.clone(), v.clone())).collect()
}

/// Fails with what is missing, extra or different.
fn assert_same(what: &str, found: &BTreeMap<String, String>, expected: &BTreeMap<String, String>) {
    let missing: Vec<_> = expected.iter().filter(|(n, _)| !found.contains_key(*n)).collect();
    let extra: Vec<_> = found.iter().filter(|(n, _)| !expected.contains_key(*n)).collect();
    let different: Vec<_> =
        expected.iter().filter_map(|(n, v)| found.get(n).filter(|f| *f != v).map(|f| (n, v, f))).collect();
    assert!(
        missing.is_empty() && extra.is_empty() && different.is_empty(),
        "{what} differ from the table:\n  missing: {missing:?}\n  not in the table: {extra:?}\n  \
         different (name, table, found): {different:?}"
    );
}

/// `LinkTtlSeconds` -> `LINK_TTL_SECONDS`.
fn screaming_snake(camel: &str) -> String {
    let mut s = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_uppercase());
    }
    s
}

fn status_table() -> BTreeMap<String, String> {
    let mut t: BTreeMap<_, _> =
        Error::ALL.iter().map(|e| (e.name().to_owned(), e.code().to_string())).collect();
    t.insert("PCODES_STATUS_OK".to_owned(), "0".to_owned());
    t
}

fn setting_name(s: Setting) -> String {
    format!("PCODES_SETTING_{}", screaming_snake(&format!("{s:?}")))
}

fn setting_table() -> BTreeMap<String, String> {
    Setting::ALL.iter().map(|&s| (setting_name(s), (s as i32).to_string())).collect()
}

#[test]
fn status_constants_are_the_error_table() {
    let table = status_table();
    assert_same("PCODES_STATUS_* in the header", &named(&header_defines(), "PCODES_STATUS_"), &table);
    for e in Error::ALL {
        // The C name is the variant's name in SCREAMING_SNAKE_CASE.
        assert_eq!(e.name(), format!("PCODES_STATUS_{}", screaming_snake(&format!("{e:?}"))));
    }
    for (name, value) in &table {
        // What `pcodes_status_name` returns (`src/ffi/status.rs` tests that it is this).
        assert_eq!(status_name(value.parse().unwrap()), name);
    }
}

/// A number as the docs write it: `86400`, `600,000`, `0x50`.
fn number(s: &str) -> Option<u64> {
    let s = s.trim().replace([',', '_'], "");
    match s.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

#[test]
fn setting_constants_are_the_policy_table() {
    let table = setting_table();
    assert_same("PCODES_SETTING_* in the header", &named(&header_defines(), "PCODES_SETTING_"), &table);
    for s in Setting::ALL {
        assert_eq!(s.name(), setting_name(s), "the C name is the variant's in SCREAMING_SNAKE_CASE");
    }
}

/// Every `PCODES_*_BYTES` in `src/ffi/`: tied to its Rust constant by a `const _` assert on the
/// next line, returned by `pcodes_*_bytes()`, and in the header as a macro and a function.
#[test]
fn every_size_constant_is_tied_one_way() {
    let header_text = read("include/portal_codes.h");
    let mut found = BTreeMap::new();
    let dir = format!("{}/src/ffi", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            continue; // unit tests of a module (src/ffi/pin/tests.rs): no exported constants
        }
        let rel = format!("src/ffi/{}", entry.file_name().to_str().unwrap());
        let text = read(&rel);
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(name) =
                line.strip_prefix("pub const ").and_then(|r| r.split_once(": usize")).map(|r| r.0)
            else {
                continue;
            };
            if !name.ends_with("_BYTES") {
                continue;
            }
            let tie = format!("const _: () = assert!({name} == ");
            assert!(
                lines.get(i + 1).is_some_and(|l| l.starts_with(&tie)),
                "{rel}: `{tie}…);` must follow {name}"
            );
            let function = name.to_lowercase();
            let body = format!("pub extern \"C\" fn {function}() -> usize {{\n    {name}\n}}");
            assert!(text.contains(&body), "{rel}: {name} lacks `{body}`");
            assert!(header_text.contains(&format!("size_t {function}(void);")), "header lacks {function}");
            found.insert(name.to_owned(), source_consts(&rel)[name].clone());
        }
    }
    assert!(found.len() >= 9, "{found:?}");
    let header: BTreeMap<_, _> =
        named(&header_defines(), "PCODES_").into_iter().filter(|(n, _)| n.ends_with("_BYTES")).collect();
    assert_same("PCODES_*_BYTES in the header", &header, &found);
}

/// Every place a Markdown file states a setting's default (`` `OTP_DIGITS` 6 ``,
/// `` `HOTP_LOOK_AHEAD` (default 10) ``, `` `LOCK_AFTER_FAILURES` (5) ``, `` `LOCK_FIRST_SECONDS`
/// (15 min) ``) or range
/// (`` `OTP_DIGITS` 6 (4–8) ``) agrees with the table.
#[test]
fn docs_state_the_table_s_defaults_and_ranges() {
    let mut files: Vec<String> = std::fs::read_dir(format!("{}/docs", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| format!("docs/{}", e.unwrap().file_name().to_str().unwrap()))
        .filter(|f| f.ends_with(".md"))
        .collect();
    files.push("README.md".to_owned());
    let mut checked = 0;
    for file in &files {
        let text = read(file).split_whitespace().collect::<Vec<_>>().join(" ");
        for s in Setting::ALL {
            let short = screaming_snake(&format!("{s:?}"));
            for (at, _) in text.match_indices(&format!("{short}`")) {
                if text[..at].ends_with(|c: char| c.is_ascii_uppercase() || c == '_')
                    && !text[..at].ends_with("PCODES_SETTING_")
                {
                    continue; // a longer name ending in this one
                }
                let after = &text[at + short.len() + 1..];
                let after = after.trim_start_matches('`').trim_start();
                let (default, range) = doc_statement(after);
                if let Some(d) = default {
                    assert_eq!(d, s.default_value(), "{file}: `{short}` {after:.40}");
                    checked += 1;
                }
                if let Some(r) = range {
                    assert_eq!(r, s.range(), "{file}: `{short}` {after:.40}");
                }
            }
        }
    }
    assert!(checked >= 13, "only {checked} statements found");
}

/// The default and range stated right after a setting's name, if any: `6 (4–8)`, `300,`,
/// `(default 600,000`, `(5)`, `(15 min)`. Anything else (`sends already…`) states nothing.
fn doc_statement(after: &str) -> (Option<u64>, Option<(u64, u64)>) {
    let digits = |s: &str| match s.strip_prefix("0x") {
        Some(hex) => 2 + hex.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(hex.len()),
        None => s.find(|c: char| !(c.is_ascii_digit() || c == ',')).unwrap_or(s.len()),
    };
    let num = |s: &str| number(s.trim_end_matches(','));
    if let Some(rest) = after.strip_prefix("(default ") {
        return (num(&rest[..digits(rest)]), None);
    }
    if let Some(rest) = after.strip_prefix('(') {
        let n = digits(rest);
        let scale = match &rest[n..] {
            r if r.starts_with(')') => 1,
            r if r.starts_with(" min)") => 60,
            _ => return (None, None),
        };
        return (num(&rest[..n]).map(|v| v * scale), None);
    }
    let n = digits(after);
    if n == 0 {
        return (None, None);
    }
    let default = num(&after[..n]);
    let range = after[n..].strip_prefix(" (").and_then(|r| {
        let (lo, r) = r.split_once('–')?;
        let (hi, _) = r.split_once(')')?;
        Some((number(lo)?, number(hi)?))
    });
    (default, range)
}
