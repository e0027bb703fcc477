//! The C-side copies of the `statuses!` (`src/error.rs`) and `settings!` (`src/policy.rs`)
//! tables, GENERATED from them: the literal `PCODES_STATUS_*` block of `src/ffi/status.rs` and
//! `PCODES_SETTING_*` block of `src/ffi/ctx.rs` (cbindgen cannot expand macros, so the header
//! needs literals), and the status and settings tables of `docs/c-api.md`.
//!
//! Each block sits between a `BEGIN GENERATED: <name>` and an `END GENERATED: <name>` line. The
//! test fails when a block is not exactly what the tables give; refresh them with
//! `PCODES_BLESS=1 cargo test --all-features --lib tables`, then regenerate the header
//! (`PCODES_BLESS=1 cargo test --workspace --all-features --test header`). Each Rust block ends
//! in a `const _` that ties every literal to its row, so a hand edit also fails the build.

use std::format;
use std::string::String;
use std::vec::Vec;

use crate::error::{Error, StatusClass, status_meaning};
use crate::policy::Setting;

/// `"the code's…"` -> `"The code's…."`: a meaning as a doc sentence.
fn sentence(meaning: &str) -> String {
    let mut c = meaning.chars();
    let first = c.next().map(|f| f.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{}.", c.as_str())
}

/// `DeveloperError` -> `DEVELOPER_ERROR` (the `PCODES_CLASS_*` suffix).
fn class_name(c: StatusClass) -> String {
    let mut s = String::new();
    for (i, ch) in format!("{c:?}").chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(ch.to_ascii_uppercase());
    }
    s
}

/// OK and every status: (code, C name, class, meaning).
fn statuses() -> Vec<(i32, &'static str, StatusClass, &'static str)> {
    let row = |code| {
        let name = crate::error::status_name(code);
        let class = crate::error::status_class(code).unwrap();
        (code, name, class, status_meaning(code).unwrap())
    };
    core::iter::once(0).chain(Error::ALL.map(Error::code)).map(row).collect()
}

/// A setting's value as the docs write it (bitmasks in hex).
fn value(s: Setting, v: u64) -> String {
    if s == Setting::PinLengths { format!("{v:#x}") } else { format!("{v}") }
}

/// What a setting allows: `"60–86400"`, or for a bitmask its values, `"0x10, 0x40 or 0x50"`.
fn allowed(s: Setting) -> String {
    let (lo, hi) = s.range();
    let values: Vec<u64> = (lo..=hi).filter(|&v| s.allows(v)).collect();
    if values.len() as u64 == hi - lo + 1 {
        return format!("{}–{}", value(s, lo), value(s, hi));
    }
    let shown: Vec<String> = values.iter().map(|&v| value(s, v)).collect();
    let (last, rest) = shown.split_last().unwrap();
    format!("{} or {last}", rest.join(", "))
}

fn status_block() -> String {
    let mut out = String::new();
    for (code, name, _, meaning) in statuses() {
        out += &format!("/// {}\npub const {name}: pcodes_status = {code};\n", sentence(meaning));
    }
    out += "const _: () = {\n";
    for e in Error::ALL {
        out += &format!("    assert!({} == Error::{e:?}.code());\n", e.name());
    }
    out += &format!("    assert!(Error::ALL.len() == {});\n}};\n", Error::ALL.len());
    out
}

fn setting_block() -> String {
    let mut out = String::new();
    for s in Setting::ALL {
        let range = allowed(s);
        let range = if range.contains('–') { format!(", range {range}") } else { format!("; {range}") };
        out += &format!(
            "/// {} Default {}{range}.\npub const {}: pcodes_setting = {};\n",
            sentence(s.meaning()),
            value(s, s.default_value()),
            s.name(),
            s as i32
        );
    }
    out += "const _: () = {\n";
    for s in Setting::ALL {
        out += &format!("    assert!({} == Setting::{s:?} as pcodes_setting);\n", s.name());
    }
    out += &format!("    assert!(Setting::ALL.len() == {});\n}};\n", Setting::ALL.len());
    out
}

fn status_doc() -> String {
    let mut out = String::from(
        "| value | name (`PCODES_STATUS_…`) | class (`PCODES_CLASS_…`) | meaning |\n|---|---|---|---|\n",
    );
    for (code, name, class, meaning) in statuses() {
        let short = name.strip_prefix("PCODES_STATUS_").unwrap();
        out += &format!("| {code} | `{short}` | `{}` | {meaning} |\n", class_name(class));
    }
    out
}

fn setting_doc() -> String {
    let mut out = String::from(
        "| id | name (`PCODES_SETTING_…`) | default | allowed | meaning |\n|---|---|---|---|---|\n",
    );
    for s in Setting::ALL {
        let short = s.name().strip_prefix("PCODES_SETTING_").unwrap();
        let default = value(s, s.default_value());
        out += &format!("| {} | `{short}` | {default} | {} | {} |\n", s as i32, allowed(s), s.meaning());
    }
    out
}

/// `text` with the lines between its `BEGIN GENERATED: name` and `END GENERATED: name` lines
/// replaced by `block`.
fn splice(text: &str, name: &str, block: &str) -> String {
    let begin = format!("BEGIN GENERATED: {name}");
    let end = format!("END GENERATED: {name}");
    let at = |marker: &str| {
        let found: Vec<usize> = text
            .match_indices(marker)
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || text[..i].ends_with(' '))
            .collect();
        assert_eq!(found.len(), 1, "`{marker}` must be in the file exactly once");
        found[0]
    };
    let (b, e) = (at(&begin), at(&end));
    let after_begin = b + text[b..].find('\n').unwrap() + 1;
    let line_of_end = text[..e].rfind('\n').map_or(0, |i| i + 1);
    assert!(after_begin <= line_of_end, "`{end}` before `{begin}`");
    format!("{}{block}{}", &text[..after_begin], &text[line_of_end..])
}

#[test]
fn generated_tables_are_up_to_date() {
    let root = env!("CARGO_MANIFEST_DIR");
    let jobs: [(&str, &[(&str, String)]); 3] = [
        ("src/ffi/status.rs", &[("statuses", status_block())]),
        ("src/ffi/ctx.rs", &[("settings", setting_block())]),
        ("docs/c-api.md", &[("statuses", status_doc()), ("settings", setting_doc())]),
    ];
    let bless = std::env::var_os("PCODES_BLESS").is_some();
    let mut stale = Vec::new();
    for (rel, blocks) in jobs {
        let path = format!("{root}/{rel}");
        let old = std::fs::read_to_string(&path).unwrap();
        let mut new = old.clone();
        for (name, block) in blocks {
            new = splice(&new, name, block);
        }
        if new != old {
            if bless {
                std::fs::write(&path, &new).unwrap();
            } else {
                stale.push(rel);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?}: the generated tables differ from `statuses!`/`settings!`; refresh them with\n    \
         PCODES_BLESS=1 cargo test --all-features --lib tables\nthen the header with\n    \
         PCODES_BLESS=1 cargo test --workspace --all-features --test header"
    );
}

/// The generated sentences, on rows whose doc is easy to get wrong.
#[test]
fn generated_text() {
    assert_eq!(allowed(Setting::PinLengths), "0x10, 0x40 or 0x50");
    assert_eq!(allowed(Setting::OtpDigits), "4–8");
    let block = setting_block();
    assert!(block.contains(
        "/// Allowed PIN lengths, bit n = length n (4, 6, or both). Default 0x50; 0x10, 0x40 or 0x50.\n"
    ));
    assert!(block.contains("/// SMS/e-mail code length. Default 6, range 4–8.\n"));
    assert!(status_block().contains("/// Success.\npub const PCODES_STATUS_OK: pcodes_status = 0;\n"));
    assert_eq!(class_name(StatusClass::DeveloperError), "DEVELOPER_ERROR");
}
