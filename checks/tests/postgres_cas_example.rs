//! Runs `checks/examples/postgres_cas.rs` the way the README tells a reader to
//! (`cargo run -p portal-codes-checks --example postgres_cas`) and checks what it prints: for the
//! SMS code and for the link code, eight servers race through compare-and-swap on a real
//! PostgreSQL and exactly one stored verdict is `OK`, the seven others `ALREADY_USED`.
//!
//! Fails when PostgreSQL is not installed, unless `PCODES_ALLOW_SKIP=1` (then it skips, saying so).

use std::process::Command;

/// `cargo run` of the example, with the features this test was built with (so that the library
/// is not rebuilt), in this workspace and target directory.
fn run_example() -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    cmd.args(["run", "--quiet", "-p", "portal-codes-checks", "--example", "postgres_cas"]);
    if cfg!(feature = "capi") {
        cmd.args(["--features", "capi"]);
    }
    let out = cmd.output().expect("run cargo");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn postgres_cas_example_accepts_each_code_exactly_once() {
    let (ok, stdout, stderr) = run_example();
    if stdout.contains("PostgreSQL is not installed") {
        assert_eq!(
            std::env::var("PCODES_ALLOW_SKIP").as_deref(),
            Ok("1"),
            "the example found no PostgreSQL yet did not fail:\n{stdout}"
        );
        eprintln!("skipped: PostgreSQL not installed (Debian package `postgresql`)");
        return;
    }
    assert!(ok, "the example failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("a verdict is final only after that compare-and-swap succeeded"), "{stdout}");

    // Two races, each introduced by its code and followed by eight server lines and a summary.
    let sms = stdout.find("SMS code ").unwrap_or_else(|| panic!("no SMS race:\n{stdout}"));
    let link = stdout.find("link code ").unwrap_or_else(|| panic!("no link race:\n{stdout}"));
    assert!(sms < link, "{stdout}");
    for (name, part) in [("SMS", &stdout[sms..link]), ("link", &stdout[link..])] {
        let verdicts: Vec<&str> = part
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("server "))
            .map(|l| l.split_whitespace().nth(1).unwrap_or(""))
            .collect();
        assert_eq!(verdicts.len(), 8, "{name}: eight servers expected:\n{part}");
        assert_eq!(verdicts.iter().filter(|v| **v == "OK").count(), 1, "{name}: one OK expected:\n{part}");
        assert_eq!(
            verdicts.iter().filter(|v| **v == "PCODES_STATUS_ALREADY_USED").count(),
            7,
            "{name}: the seven others must be ALREADY_USED:\n{part}"
        );
        assert!(part.contains("stored verdicts: 1 OK, 7 ALREADY_USED, 0 other"), "{name}:\n{part}");
    }
}
