//! The C-side copies of the `statuses!` (`src/error.rs`) and `settings!` (`src/policy.rs`)
//! tables, GENERATED from them: the literal `PCODES_STATUS_*` block of `src/ffi/status.rs` and
//! `PCODES_SETTING_*` block of `src/ffi/ctx.rs` (cbindgen cannot expand macros, so the header
//! needs literals), the status and settings tables of `docs/c-api.md`, and the worst case of
//! every setting at its extreme allowed values in `docs/security.md` (computed from the ranges).
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

/// Millionths as a percentage: `2000` -> `"0.2 %"`.
fn percent(ppm: u64) -> String {
    let s = format!("{}.{:04}", ppm / 10_000, ppm % 10_000);
    format!("{} %", s.trim_end_matches('0').trim_end_matches('.'))
}

/// What each setting does to the guess limits at its extreme allowed values, computed from the
/// ranges of `settings!` (for `docs/security.md`).
fn worst_case(s: Setting) -> String {
    use crate::policy::{CODES_PER_GUESS, GUESSES_PER_RUN};
    let (lo, hi) = s.range();
    let run = Setting::BlockAfterFailures.range().1;
    debug_assert_eq!(run, u64::from(GUESSES_PER_RUN));
    let still = format!("the run still ends after {run} counted guesses");
    match s {
        Setting::LinkTtlSeconds => {
            // While a record is locked, guesses are not counted, and one is the live code with
            // chance 2⁻⁵² (its 12 random bits and its 40-bit tag; docs/link-code.md, "Lockout").
            #[allow(clippy::cast_precision_loss)] // at most 86,400,000: exact in an f64
            let per_code = (hi * 1000) as f64 / 4_503_599_627_370_496.0;
            format!(
                "a wrong code is counted whatever its age ({run} guesses a run at 2⁻⁴⁰ each, under 2 × 10⁻¹¹); \
                 on a locked record a guess is not counted and is the live code with chance 2⁻⁵²: at {hi} s \
                 and 1,000 guesses a second for one record, at most {per_code:.1e} per code; at {hi} s a code \
                 someone else saw stays usable {} h",
                hi / 3600
            )
        }
        Setting::OtpTtlSeconds => format!(
            "none on guessing (guesses are counted across codes); at {hi} s an intercepted code stays usable {} min",
            hi / 60
        ),
        Setting::OtpDigits => {
            let values = 10u64.pow(u32::try_from(lo).unwrap_or(u32::MAX).min(19));
            format!(
                "at {lo} digits a guess is right with chance 1 in {values}; {run} guesses a run: {} \
                 (the worst case of all settings)",
                percent(run * 1_000_000 / values)
            )
        }
        Setting::OtpMaxAttempts => {
            format!("at {hi}: {hi} wrong tries per code, each counted; {still}")
        }
        Setting::OtpResendSeconds => {
            format!(
                "at {lo}: a new code on every send allowed by `OTP_MAX_SENDS_PER_HOUR`; a new code does not clear the count, {still}"
            )
        }
        Setting::OtpMaxSendsPerHour => {
            format!("at {hi}: {hi} messages an hour (cost, nuisance); no extra guess")
        }
        Setting::PinIterations => format!(
            "at {lo}: an offline guess costs {}× less than at the default, and is possible only with the master key (the pepper); online, {run} guesses a run",
            Setting::PinIterations.default_value() / lo
        ),
        Setting::PinLanes => format!(
            "none on guessing: every lane count keeps the attacker's work at `PIN_ITERATIONS`; at {lo}: the server spends single-lane PBKDF2's time, as for `v=1` hashes"
        ),
        Setting::PinLengths => format!(
            "4 digits only: 10⁴ PINs, fewer after the blocklist; {run} guesses a run: {} for a PIN drawn uniformly (the blocklist takes out the guessable ones)",
            percent(run * 100)
        ),
        Setting::LockAfterFailures => {
            format!("at {hi}: no lock before the block; {still}; at {lo}: a lock after every failure")
        }
        Setting::LockFirstSeconds | Setting::LockRepeatSeconds => {
            format!("at {lo} s the guesses of a run come almost at once; {still}")
        }
        Setting::BlockAfterFailures => format!(
            "at {hi}: {hi} counted guesses a run, then `BLOCKED` until `pcodes_state_reset` (a success of the holder, or a reset, starts a new run)"
        ),
        Setting::TotpWindowSteps => format!(
            "at {hi}: a guess matches any of {} codes (≤ {CODES_PER_GUESS}); at 6 digits {run} guesses a run: {}",
            2 * hi + 1,
            percent(run * (2 * hi + 1))
        ),
        Setting::HotpLookAhead => format!(
            "at {hi}: a guess matches any of {} counters (≤ {CODES_PER_GUESS}); at 6 digits {run} guesses a run: {} (at 1,000, before this bound: about 1.5 % with 15 guesses)",
            hi + 1,
            percent(run * (hi + 1))
        ),
        Setting::FailureResetSeconds => format!(
            "at 1 s a run fades as soon as its lock ends, so locks never add up to a block; at 0 (never) or {hi} s occasional typos add up to `BLOCKED`; either way {}",
            year_bound()
        ),
        Setting::BudgetGuesses | Setting::BudgetDrainSeconds => format!(
            "at capacity {} and one guess drained every {} days: {}; at capacity {} an owner whose failures are one drain period apart is still never refused",
            Setting::BudgetGuesses.range().1,
            Setting::BudgetDrainSeconds.range().0 / 86_400,
            year_bound(),
            Setting::BudgetGuesses.range().0
        ),
        Setting::DeviceTrustSeconds => format!(
            "at {hi} s a stolen device token works {} days unless `pcodes_device_revoke_all` ran; its guesses are the trusted lane's own run ({run} at most, then `BLOCKED`), no extra guess without a token",
            hi / 86_400
        ),
    }
}

/// The budget's yearly bound at the extreme allowed values (issue 22 §2).
fn year_bound() -> String {
    use crate::policy::{GUESSES_PER_YEAR, YEAR_SECONDS};
    let c = Setting::BudgetGuesses.range().1;
    let per_year = c + YEAR_SECONDS.div_ceil(Setting::BudgetDrainSeconds.range().0);
    debug_assert!(per_year <= u64::from(GUESSES_PER_YEAR));
    format!(
        "at most {per_year} counted guesses in any 365 days (≤ {GUESSES_PER_YEAR}): {} of a 4-digit PIN's values",
        percent(per_year * 100)
    )
}

fn worst_doc() -> String {
    let mut out = String::from(
        "| setting (`PCODES_SETTING_…`) | allowed | worst case at the extreme allowed values |\n|---|---|---|\n",
    );
    for s in Setting::ALL {
        let short = s.name().strip_prefix("PCODES_SETTING_").unwrap();
        out += &format!(
            "| `{short}` | {} | {} |
",
            allowed(s),
            worst_case(s)
        );
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
    let jobs: [(&str, &[(&str, String)]); 4] = [
        ("src/ffi/status.rs", &[("statuses", status_block())]),
        ("src/ffi/ctx.rs", &[("settings", setting_block())]),
        ("docs/c-api.md", &[("statuses", status_doc()), ("settings", setting_doc())]),
        ("docs/security.md", &[("worst cases", worst_doc())]),
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
    assert_eq!(
        (percent(2000), percent(420), percent(1)),
        ("0.2 %".into(), "0.042 %".into(), "0.0001 %".into())
    );
    let doc = worst_doc();
    assert!(doc.contains("| `BLOCK_AFTER_FAILURES` | 1–20 | at 20: 20 counted guesses a run,"), "{doc}");
    assert!(
        doc.contains("a guess matches any of 21 counters (≤ 21); at 6 digits 20 guesses a run: 0.042 %"),
        "{doc}"
    );
}
