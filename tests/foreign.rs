//! The C programs in `examples/c` and `tests/c`, built against the real static library and run
//! (the Java binding is `tests/java.rs`).
//!
//! The libraries are built with the README's command into `target/capi`:
//! `cargo rustc --lib --release --features capi --crate-type staticlib,cdylib`.
#![cfg(feature = "capi")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn capi_target() -> PathBuf {
    root().join("target/capi")
}

/// Builds `libportal_codes.a` and `libportal_codes.so` once per test run; returns their folder.
fn libs() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .current_dir(root())
            .args(["rustc", "--lib", "--release", "--features", "capi", "--crate-type", "staticlib,cdylib"])
            .arg("--target-dir")
            .arg(capi_target())
            .output()
            .expect("run cargo rustc");
        assert!(
            out.status.success(),
            "building the C libraries failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        capi_target().join("release")
    })
}

fn check_output(what: &str, out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what} failed ({}):\n{stdout}\n{stderr}", out.status);
    assert!(stdout.contains(" passed, 0 failed"), "{what} did not report its checks:\n{stdout}");
    stdout
}

/// Compiles the C program `src` (with any `extra` compiler flags, e.g. sanitizers; `-l…` flags
/// go after the library, where the linker needs them) against the static library with warnings
/// as errors, into `target/capi/c/<exe>`; returns the executable.
pub fn compile_c(srcs: &[PathBuf], exe: &str, extra: &[&str]) -> PathBuf {
    let (libs_after, extra): (Vec<&str>, Vec<&str>) = extra.iter().partition(|f| f.starts_with("-l"));
    let lib = libs().join("libportal_codes.a");
    let dir = capi_target().join("c");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join(exe);
    let out = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O1", "-g"])
        .args(extra)
        .arg("-I")
        .arg(root().join("include"))
        .args(srcs)
        .arg(&lib)
        .args(&libs_after)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .output()
        .expect("run cc");
    let names: Vec<_> = srcs.iter().map(|s| s.display().to_string()).collect();
    assert!(out.status.success(), "cc {}:\n{}", names.join(" "), String::from_utf8_lossy(&out.stderr));
    exe
}

/// Compiles `examples/c/<name>.c` against the static library with warnings as errors, runs it,
/// and returns its standard output (the program exits non-zero if any of its checks failed).
pub fn run_c(name: &str) -> String {
    run_c_with(name, &[])
}

/// [`run_c`] with extra compiler or linker flags (e.g. `-lcrypto`).
pub fn run_c_with(name: &str, extra: &[&str]) -> String {
    let exe = compile_c(&[root().join(format!("examples/c/{name}.c"))], name, extra);
    let run = Command::new(&exe).output().expect("run C program");
    check_output(name, &run)
}

/// Asserts that every line in `want` appears in the program's output.
fn expect(out: &str, want: &[&str]) {
    for w in want {
        assert!(out.contains(w), "missing {w:?} in:\n{out}");
    }
}

/// What the context demo prints.
const CONTEXT_STORY: &[&str] = &[
    "setting OTP_DIGITS",
    "-> PCODES_STATUS_INVALID_ARGUMENT",
    "ru: Срок действия кода истёк. Пожалуйста, запросите новый.",
    "en: The code has expired. Please request a new one.",
    "fresh state: retry_at = 0, reset -> OK",
    "after first use: set and add_key -> PCODES_STATUS_INVALID_ARGUMENT",
    "detail: ctx: already used; configure a context before its first use, or create a new one",
];

#[test]
fn c_context_demo() {
    expect(&run_c("ctx_demo"), CONTEXT_STORY);
}

/// What the PIN demo prints.
const PIN_STORY: &[&str] = &[
    "verify 111111 -> PCODES_STATUS_WRONG",
    "five wrong -> PCODES_STATUS_LOCKED, retry in 899 s",
    "hash copied to account-2002 -> PCODES_STATUS_WRONG",
];

#[test]
fn c_pin_demo() {
    let out = run_c("pin_demo");
    expect(&out, PIN_STORY);
    expect(
        &out,
        &[
            "check 2580   / 2580   -> PCODES_STATUS_PIN_WEAK KEYPAD_LINE",
            "check 250587 / 250587 -> PCODES_STATUS_PIN_WEAK BIRTH_DATE",
            "-> PCODES_STATUS_PIN_MISMATCH",
            "verify right PIN -> PCODES_STATUS_OK",
            "after rotation: verify -> PCODES_STATUS_OK, needs rehash: yes",
            "generated PIN: 6 digits, check -> PCODES_STATUS_OK, hashed and verified",
        ],
    );
}

/// The life of an SMS code, as the OTP demo tells it.
fn check_otp_story(out: &str) {
    expect(
        out,
        &[
            "verify before any code",
            "-> PCODES_STATUS_NO_CHALLENGE",
            "-> PCODES_STATUS_TOO_SOON; retry at t+60",
            "-> PCODES_STATUS_SUPERSEDED",
            "-> PCODES_STATUS_MISTYPED",
            "-> PCODES_STATUS_ATTEMPTS_EXHAUSTED",
            "-> PCODES_STATUS_EXPIRED",
            "-> PCODES_STATUS_ALREADY_USED",
            "ru: Срок действия кода истёк. Пожалуйста, запросите новый.",
            "state unchanged",
        ],
    );
    assert_eq!(out.matches("-> PCODES_STATUS_WRONG").count(), 4, "{out}");
    assert_eq!(out.matches("-> PCODES_STATUS_OK").count(), 3, "{out}");
    // The compare-and-swap rule: the answer of a lost write is discarded and the call redone.
    expect(
        out,
        &[
            "write lost, PCODES_STATUS_OK discarded: re-read and verify again",
            "verify with compare-and-swap -> PCODES_STATUS_OK (its blob stored)",
        ],
    );
}

#[test]
fn c_otp_demo() {
    check_otp_story(&run_c("otp_demo"));
}

/// The life of a set of recovery codes, as the recovery demo tells it.
const RECOVERY_STORY: &[&str] = &[
    "generated 10 codes",
    "verify code 4 (typed in lower case)   -> PCODES_STATUS_OK, 9 left",
    "verify code 4 again                   -> PCODES_STATUS_ALREADY_USED",
    "verify code 6 with a typo             -> PCODES_STATUS_MISTYPED",
    "verify code 6 for account-2002        -> PCODES_STATUS_WRONG",
    "(another server used the same code first)",
    "verify code 7 (racing another server) -> PCODES_STATUS_ALREADY_USED",
    "remaining -> 8",
    "verify old code 1 (new set)           -> PCODES_STATUS_WRONG",
    "verify old code 1 (old string)        -> PCODES_STATUS_SUPERSEDED",
];

#[test]
fn c_recovery_demo() {
    expect(&run_c("recovery_demo"), RECOVERY_STORY);
}

/// Events and revocation, as the revoke demo tells them: each status and its events only after
/// the compare-and-swap (a lost write's are discarded and the call redone).
const REVOKE_STORY: &[&str] = &[
    "device issue -> OK, stored; events DEVICE_TRUSTED (trusted_at = now): notice \"a new device was trusted\"; cookie set",
    "wrong PIN -> PCODES_STATUS_WRONG, stored; events FAILURE_COUNTED, 4 left: notice \"someone is trying your PIN\"",
    "  write lost: PCODES_STATUS_WRONG and its events discarded; re-read and call again",
    "wrong PIN -> PCODES_STATUS_WRONG, stored; events FAILURE_COUNTED, 2 left: notice \"someone is trying your PIN\"",
    "revoke pin    -> OK, same, no event",
    "revoke device -> OK, changed, no event",
    "revoke sms    -> OK, changed, no event",
    "after the commit: SMS code -> PCODES_STATUS_NO_CHALLENGE, device cookie -> PCODES_STATUS_DEVICE_REVOKED",
];

#[test]
fn c_revoke_demo() {
    expect(&run_c("revoke_demo"), REVOKE_STORY);
}

/// Device trust, as the device demo tells it (docs/device-trust.md): the attacker without a cookie
/// blocks the untrusted lane only; a forged cookie writes nothing; a revocation that commits while
/// the owner's attempt is in flight discards that attempt's OK, and the call made again on the
/// stored row finds the cookie revoked.
const DEVICE_STORY: &[&str] = &[
    "owner: PIN -> OK; trust this device -> OK, device blob stored, then cookie set (80 chars)",
    "attacker, no cookie: 15 wrong, LOCKED 2 times, then PCODES_STATUS_BLOCKED",
    "owner, right PIN: without cookie -> PCODES_STATUS_BLOCKED; with cookie -> PCODES_STATUS_OK",
    "owner with cookie: SMS code sent, confirmed -> PCODES_STATUS_OK (SMS and device blobs in one transaction)",
    "forged cookie: PIN -> PCODES_STATUS_DEVICE_UNTRUSTED, SMS send -> PCODES_STATUS_DEVICE_UNTRUSTED, nothing written; cookie dropped",
    "  (another server: sign out everywhere, committed first)\n  write lost: PCODES_STATUS_OK discarded; re-read the row and call again\nold cookie after revoke_all -> PCODES_STATUS_DEVICE_REVOKED",
    "PCODES_STATUS_DEVICE_UNTRUSTED\n  ru: Это устройство не распознано. Пожалуйста, войдите как обычно.\n  en: This device is not recognised. Please sign in as usual.",
    "PCODES_STATUS_DEVICE_REVOKED\n  ru: Это устройство больше не считается доверенным. Пожалуйста, войдите как обычно.\n  en: This device is no longer trusted. Please sign in as usual.",
];

/// The pepper in an "HSM" (OpenSSL's HMAC, linked with `-lcrypto`: tools/test.sh installs
/// libssl-dev) gives what the in-memory pepper gives, never sees the PIN, and fails as no verdict.
#[test]
fn c_pepper_demo() {
    let out = run_c_with("pepper_demo", &["-lcrypto"]);
    expect(
        &out,
        &[
            "hashed through the HSM: $pcodes-pin$v=2,k=2,l=3,",
            "in-memory hash verified through the HSM and back: OK; a wrong PIN -> WRONG",
            "HSM unreachable -> PCODES_STATUS_PEPPER_FAILED, blob unchanged",
            "5 device calls, none of them shown the PIN",
        ],
    );
}

#[test]
fn c_device_demo() {
    let out = run_c("device_demo");
    expect(&out, DEVICE_STORY);
    assert_eq!(out.matches("write lost").count(), 1, "{out}");
}

/// What the authenticator-app demo prints.
const TOTP_STORY: &[&str] = &[
    "URI: otpauth://totp/%D0%93%D0%BE%D1%81%D1%83%D1%81%D0%BB%D1%83%D0%B3%D0%B8:ivan%40example.ru?secret=",
    "QR code: ",
    "right code: OK, drift +0",
    "replay -> PCODES_STATUS_ALREADY_USED",
    "phone a step behind: OK, drift -1",
    "phone a step ahead: OK, drift +1",
    "code from two steps ago -> PCODES_STATUS_WRONG",
    "-> PCODES_STATUS_LOCKED, retry in 900 s",
    "HOTP: accepted at counter 2",
];

#[test]
fn c_totp_demo() {
    expect(&run_c("totp_demo"), TOTP_STORY);
}

/// Every verdict of a link code, as the link demo prints it.
const LINK_STORY: &[&str] = &[
    "issue without SNILS                      -> PCODES_STATUS_MISSING_FIELD",
    "typo: redeem                             -> PCODES_STATUS_MISTYPED",
    "wrong code                               -> PCODES_STATUS_WRONG",
    "forged code                              -> PCODES_STATUS_WRONG",
    "edited name                              -> PCODES_STATUS_DATA_CHANGED",
    "redeem                                   -> PCODES_STATUS_OK",
    "second redeem                            -> PCODES_STATUS_ALREADY_USED",
    "11 minutes later                         -> PCODES_STATUS_EXPIRED",
    "re-issued: old code                      -> PCODES_STATUS_SUPERSEDED",
    "key not held (1)                         -> PCODES_STATUS_UNKNOWN_KEY",
    "rotated key: old code                    -> PCODES_STATUS_OK",
    "after 5 wrong codes: wrong code          -> PCODES_STATUS_LOCKED",
    "after 5 wrong codes: right code          -> PCODES_STATUS_OK",
];

#[test]
fn c_link_demo() {
    let out = run_c("link_demo");
    expect(&out, LINK_STORY);
    expect(&out, &["missing fields: 0x8"]);
}

// ---- Hostile input, threads and fork through the C ABI (issue 8) ----
//
// The programs live in `tests/c/`. `hostile.c` (with its parts `hostile_*.c`) runs three ways: plain; under valgrind's
// memcheck, which checks every load and store of the uninstrumented Rust code too (reads and
// writes outside the exact-size heap buffers hostile.c passes, uninitialised reads, leaks);
// and compiled with AddressSanitizer + UBSan, which instruments only the C side but intercepts
// malloc/free and the libc memory functions for the whole process, Rust included.

/// Whether an external tool is usable; if not, the test fails, unless `PCODES_ALLOW_SKIP=1`,
/// where it says so and returns false.
fn have_tool(tool: &str, probe: &[&str], package: &str) -> bool {
    if Command::new(tool).args(probe).output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    let required = std::env::var("PCODES_ALLOW_SKIP").as_deref() != Ok("1");
    assert!(
        !required,
        "required (PCODES_ALLOW_SKIP is not 1) but {tool} is missing (Debian package {package})"
    );
    eprintln!("skipped: {tool} not installed (Debian package {package})");
    false
}

fn c_test(name: &str) -> PathBuf {
    root().join(format!("tests/c/{name}.c"))
}

/// The parts of the hostile-input program, compiled together: `tests/c/hostile.c` (the harness
/// and `main`) and every `tests/c/hostile_*.c` (one concern each; they share `hostile.h`).
fn hostile_sources() -> Vec<PathBuf> {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(root().join("tests/c"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("hostile_"))
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    parts.sort();
    assert!(parts.len() >= 5, "the parts of tests/c/hostile.c: {parts:?}");
    parts.insert(0, c_test("hostile"));
    parts
}

fn run_checked(what: &str, cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {what}: {e}"));
    check_output(what, &out)
}

/// `EVERY` function exported from `src/ffi/` (`#[unsafe(no_mangle)]`), by name.
fn exported_functions() -> Vec<String> {
    let mut names = Vec::new();
    let (mut dirs, mut files) = (vec![root().join("src/ffi")], Vec::new());
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() { dirs.push(p) } else { files.push(p) }
        }
    }
    for f in files {
        let src = std::fs::read_to_string(f).unwrap();
        let mut lines = src.lines();
        while let Some(l) = lines.next() {
            if l.trim() == "#[unsafe(no_mangle)]" {
                let sig = lines.next().unwrap();
                let name = sig.split("fn ").nth(1).unwrap().split('(').next().unwrap();
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    names
}

#[test]
fn c_hostile_covers_every_exported_function() {
    let names = exported_functions();
    assert!(names.len() > 30, "{names:?}");
    let src: String = hostile_sources().iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let missing: Vec<_> = names.iter().filter(|n| !src.contains(&format!("{n}("))).collect();
    assert!(missing.is_empty(), "tests/c/hostile.c and hostile_*.c do not call {missing:?}");
}

/// A host compiled against the previous release's header (`tests/data/abi-6ed60a0/`) runs on this
/// library's shared object without recompiling, and the previous header's promises hold
/// (issue 20 §2: its unknown-account form with `state = NULL` answered `NULL_ARGUMENT`).
#[test]
fn c_program_built_against_the_previous_header() {
    let dir = capi_target().join("c");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join("abi_previous");
    let out = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O1", "-g"])
        .arg("-I")
        .arg(root().join("tests/data/abi-6ed60a0"))
        .arg(c_test("abi_previous"))
        .arg("-L")
        .arg(libs())
        .args(["-lportal_codes", "-o"])
        .arg(&exe)
        .output()
        .expect("run cc");
    assert!(out.status.success(), "cc abi_previous.c:\n{}", String::from_utf8_lossy(&out.stderr));
    let run = Command::new(&exe).env("LD_LIBRARY_PATH", libs()).output().expect("run abi_previous");
    check_output("abi_previous", &run);
}

#[test]
fn c_hostile() {
    let exe = compile_c(&hostile_sources(), "hostile", &[]);
    let out = run_checked("hostile", &mut Command::new(&exe));
    println!("{}", out.lines().last().unwrap_or_default());
}

#[test]
fn c_hostile_valgrind() {
    if !have_tool("valgrind", &["--version"], "valgrind") {
        return;
    }
    let exe = compile_c(&hostile_sources(), "hostile_vg", &[]);
    run_checked(
        "hostile under valgrind",
        Command::new("valgrind").args(["--quiet", "--error-exitcode=1", "--leak-check=full"]).arg(&exe),
    );
}

#[test]
fn c_hostile_asan() {
    let exe = compile_c(
        &hostile_sources(),
        "hostile_asan",
        &["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all"],
    );
    // The Rust library is not instrumented, but ASan replaces malloc/free for the whole process,
    // so the Rust side's heap use is tracked too and LeakSanitizer stays on (detect_leaks=1): the
    // library must free everything it allocates (it allocates only the context and, when a panic
    // is caught, its payload). What ASan cannot see from uninstrumented code are individual
    // loads/stores inside Rust functions; valgrind (above) covers those. UBSan checks the C side.
    run_checked(
        "hostile with ASan+UBSan",
        Command::new(&exe)
            .env("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1")
            .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"),
    );
}

#[test]
fn c_threads() {
    let exe = compile_c(&[c_test("threads")], "threads", &[]);
    let out = run_checked("threads", Command::new(&exe).arg("200"));
    assert!(out.contains("8 threads x 200 rounds"), "{out}");
}

/// The threads test under helgrind, which instruments every memory access of the process —
/// the Rust library's included — and reports conflicting accesses not ordered by pthread or
/// futex synchronisation. `-fsanitize=thread` is not used: ThreadSanitizer sees only the
/// accesses of instrumented code, i.e. the C test itself, so with the uninstrumented Rust
/// library it could not find a race inside the library, which is the point of this test.
/// Helgrind cannot model atomics; `threads.c` explains how it keeps the library's three lazy
/// atomic caches out of the picture. Few rounds: helgrind is slow.
#[test]
fn c_threads_helgrind() {
    if !have_tool("valgrind", &["--version"], "valgrind") {
        return;
    }
    let exe = compile_c(&[c_test("threads")], "threads_hg", &[]);
    let out = run_checked(
        "threads under helgrind",
        Command::new("valgrind").args(["--tool=helgrind", "--error-exitcode=1"]).arg(&exe).arg("5"),
    );
    assert!(out.contains("8 threads x 5 rounds"), "{out}");
}

/// Revocation across every flow's blob in one transaction (a lost compare-and-swap redone) and
/// the events a host turns into notices (issue 22 §4, §5), from C.
#[test]
fn c_revoke_and_events() {
    let exe = compile_c(&[c_test("revoke")], "revoke", &[]);
    let out = run_checked("revoke", &mut Command::new(&exe));
    expect(
        &out,
        &[
            "revoked: sms changed, link changed, recovery changed, pin same, totp same",
            "sms      code after the revocation -> PCODES_STATUS_NO_CHALLENGE",
            "link     code after the revocation -> PCODES_STATUS_NO_CHALLENGE",
            "recovery code after the revocation -> PCODES_STATUS_NO_CHALLENGE",
            "failure  5: someone is trying your PIN; locked for 900 s, 5 more before the next lock",
            "failure 10: someone is trying your PIN; locked for 1800 s, 5 more before the next lock",
            "failure 15: blocked until the support desk resets it (0 left)",
            "support desk reset -> events CLEARED",
            "recovery code used -> 2 left",
        ],
    );
}

/// Failures that fade and the guess budget through the C ABI (issue 22 §2): the settings, a
/// fade at its boundary second, a budget a success does not renew (`tests/c/budget.c`).
#[test]
fn c_budget() {
    let exe = compile_c(&[c_test("budget")], "budget", &[]);
    let out = run_checked("budget", &mut Command::new(&exe));
    assert!(out.contains(" passed, 0 failed"), "{out}");
}

/// Parent and child of a `fork()` never hand out the same random values (the thread-local
/// generator reseeds when the process id changes; see `src/rng.rs`).
#[test]
fn c_fork() {
    let exe = compile_c(&[c_test("fork")], "fork", &[]);
    let out = run_checked("fork", &mut Command::new(&exe));
    assert!(out.contains("5 rounds"), "{out}");
}
