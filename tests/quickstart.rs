//! Runs the quickstart the way the README tells a newcomer to (`cargo run --example quickstart`)
//! and checks that it reads as a guided tour: every flow in order, every provoked refusal marked
//! "(expected: …)", the compare-and-swap rule, the SMS timeline in time order, no debug dump, and
//! the QR code written where the reader asked (or into the current directory) and said so.
#![cfg(feature = "std")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `cargo run` of the quickstart, with this test's profile and features (so that nothing is
/// rebuilt), from `dir`, with `args` after `--`.
fn quickstart(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(dir).args(["run", "--quiet", "--manifest-path", manifest, "--example", "quickstart"]);
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    if cfg!(feature = "capi") {
        cmd.args(["--features", "capi"]);
    }
    let out = cmd.arg("--").args(args).output().expect("run cargo");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pcodes-quickstart-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `t+<seconds>s` of each line of the SMS section, in printed order.
fn sms_times(out: &str) -> Vec<u64> {
    let start = out.find("== Confirm a login with an SMS code ==").expect("SMS section");
    let section = &out[start..];
    let end = section[3..].find("\n== ").map_or(section.len(), |e| e + 3);
    section[..end]
        .lines()
        .filter_map(|l| l.strip_prefix("t+"))
        .map(|l| l.split('s').next().unwrap().parse().expect("t+<seconds>s"))
        .collect()
}

#[test]
fn the_quickstart_is_a_guided_tour_and_writes_its_qr_code_where_asked() {
    let dir = scratch("asked");
    let qr = dir.join("enrol.svg");
    let (code, out, err) = quickstart(&dir, &["--qr", qr.to_str().unwrap()]);
    assert_eq!(code, 0, "the quickstart failed:\n{out}\n{err}");

    // Every flow it shows, in order.
    let sections = [
        "== Set-up ==",
        "== Link codes",
        "== PINs ==",
        "== Get PIN ==",
        "== PIN hashes over the years, and the pepper in an HSM ==",
        "== Recovery codes ==",
        "== Trusted devices ==",
        "== Confirm a login with an SMS code ==",
        "== The one rule: compare-and-swap ==",
        "== Authenticator app (TOTP) ==",
        "== Hardware token (HOTP) ==",
        "== Revoke every outstanding code; events for notices ==",
    ];
    let at: Vec<usize> =
        sections.iter().map(|s| out.find(s).unwrap_or_else(|| panic!("no {s:?} in:\n{out}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sections out of order:\n{out}");

    // The compare-and-swap rule, and a lost write's answer discarded.
    assert!(
        out.contains("A verdict is final only after the compare-and-swap that stores its blob succeeded"),
        "{out}"
    );
    assert!(out.contains("B discards its answer"), "{out}");
    assert!(out.contains("device::otp_verify(the SMS code, with the cookie) → OK"), "{out}");
    assert!(
        out.contains("otp::verify(the same SMS code, no cookie) → Error::AlreadyUsed (expected"),
        "{out}"
    );
    assert!(out.contains("server B calls again → Error::AlreadyUsed (expected: never a success"), "{out}");

    // Every refusal the tour shows says why it is expected; nothing is a raw dump or bit mask.
    let refusals: Vec<&str> = out.lines().filter(|l| l.contains("→ Error::")).collect();
    assert!(refusals.len() >= 30, "only {} refusals shown:\n{out}", refusals.len());
    let unexplained: Vec<&&str> = refusals.iter().filter(|l| !l.contains("(expected: ")).collect();
    assert!(unexplained.is_empty(), "refusals without \"(expected: …)\":\n{unexplained:#?}");
    for dump in ["Context {", "Policy {", "Keyring", "(bits)", "PCODES_STATUS_", "Err(", "Ok(("] {
        assert!(!out.contains(dump), "{dump:?} in the tour:\n{out}");
    }
    assert!(out.contains("a developer error"), "the deliberate INVALID_ARGUMENT is not explained:\n{out}");
    assert!(out.contains("missing: SNILS (expected"), "{out}");
    assert!(out.contains("→ Error::DataChanged (expected: a code dies with the data"), "{out}");
    assert!(
        out.contains("the parent's new code on the blocked record → OK"),
        "forged link codes block forgers only:\n{out}"
    );
    assert!(
        out.contains("otp::verify(the SMS code sent before the reset) → Error::NoChallenge (expected"),
        "{out}"
    );
    assert!(out.contains("pin::verify of the old string → OK"), "a v=1 string no longer verifies:\n{out}");
    assert!(out.contains("identical strings; the HSM was called 1 time(s)"), "{out}");
    assert!(
        out.contains("pin::verify while the HSM is unreachable → Error::PepperFailed (expected"),
        "{out}"
    );
    assert!(out.contains("state::events → FAILURE_COUNTED, 4 left: notice «Кто-то пытается"), "{out}");

    // The SMS timeline in time order, from the first SMS to the expiry.
    let times = sms_times(&out);
    assert!(times.len() >= 15, "{times:?}");
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "SMS timeline out of order: {times:?}");
    assert_eq!((times[0], times[times.len() - 1]), (0, 900), "{times:?}");

    // The QR code: written where asked, and the tour says where.
    let svg = std::fs::read_to_string(&qr).unwrap_or_else(|e| panic!("{}: {e}\n{out}", qr.display()));
    assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
    assert!(out.contains(&format!("written to {}", qr.display())), "{out}");
    assert!(!dir.join("portal-codes-totp-qr.svg").exists(), "also written to the default place");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn by_default_the_qr_code_goes_to_the_current_directory() {
    let dir = scratch("default");
    let (code, out, err) = quickstart(&dir, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    // The tour prints the directory as the system reports it (symbolic links resolved).
    let qr = dir.canonicalize().unwrap().join("portal-codes-totp-qr.svg");
    assert!(
        std::fs::read_to_string(&qr).is_ok_and(|s| s.contains("<svg")),
        "{} missing:\n{out}",
        qr.display()
    );
    assert!(out.contains(&format!("written to {}", qr.display())), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wrong_argument_is_refused_with_the_usage() {
    let dir = scratch("usage");
    let (code, out, err) = quickstart(&dir, &["--qr"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("--qr needs a path") && err.contains("usage: cargo run"), "{err}");
    let (code, _, err) = quickstart(&dir, &["--frobnicate"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unexpected argument \"--frobnicate\""), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
