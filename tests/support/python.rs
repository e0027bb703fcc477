//! Runs the independent Python checkers (standard library only) for the integration tests.

/// The interpreter the cross-checks run: `$PCODES_PYTHON` (tools/test.sh sets Debian's
/// `/usr/bin/python3`, which sees Debian's `python3-pyotp`), else `python3` from PATH.
#[allow(dead_code)] // not every test file that includes this module calls both functions
pub fn interpreter() -> String {
    std::env::var("PCODES_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Runs `python3 <args>` (see [`interpreter`]) and returns its standard output, asserting that it
/// succeeded. `None` (after printing `skipped: …`) only when python3 is missing and
/// `PCODES_ALLOW_SKIP=1`; otherwise a missing python3 fails the test.
#[allow(dead_code)]
pub fn run(args: &[&str]) -> Option<String> {
    let out = match std::process::Command::new(interpreter()).args(args).output() {
        Ok(o) => o,
        Err(e) => {
            assert!(std::env::var("PCODES_ALLOW_SKIP").as_deref() == Ok("1"), "python3 required: {e}");
            println!("skipped: python3 not installed");
            return None;
        }
    };
    let stdout = String::from_utf8(out.stdout).expect("python3 prints UTF-8");
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    Some(stdout)
}
