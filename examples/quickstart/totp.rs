//! Authenticator apps: enrol (secret, URI, SVG QR), then verify codes with replay protection
//! (time-based codes: `totp::time`), and a counter-based token (`totp::hotp`). Codes sent by SMS
//! or e-mail are the other module, `otp` (see otp.rs).

use std::path::Path;

use portal_codes::totp::{self, Algorithm, Params, qr, uri};
use portal_codes::{Context, Error, STATE_BYTES};

use crate::tour;

/// `accepted, drift +1 step(s)` for a verified TOTP code.
fn drift(what: &str, r: Result<i32, Error>, want: i32, why: &str) {
    match r {
        Ok(d) if d == want => println!("  {what} → OK, drift {d:+} step(s) ({why})"),
        r => tour::off_script(what, &tour::shown(&r), &format!("OK with drift {want:+}")),
    }
}

pub fn run(ctx: &Context, qr_path: &Path) -> Result<(), Error> {
    tour::section(
        "Authenticator app (TOTP)",
        "Enrolment: a new secret, its otpauth:// URI and a QR code; then the codes the app shows.",
    );
    // Enrolment: a new 20-byte secret, stored encrypted with the account.
    let mut secret = [0u8; totp::DEFAULT_SECRET_BYTES];
    totp::secret(&mut secret)?;
    let params = Params::default(); // SHA-1, 6 digits, 30 s: every app reads these
    let mut uri_buf = [0u8; uri::URI_BYTES];
    let link = uri::build(&secret, "Госуслуги Дети", "ivan@example.ru", &params, &mut uri_buf)?;
    println!("  otpauth URI (SHA-1, 6 digits, 30 s: what every app reads): {link}");
    let mut svg_buf = vec![0u8; qr::SVG_BYTES];
    let svg = qr::svg(link, &mut svg_buf)?;
    match std::fs::write(qr_path, svg) {
        Ok(()) => println!(
            "  QR code ({} bytes of SVG) written to {} (open it in a browser; choose the place with -- --qr PATH.svg)",
            svg.len(),
            qr_path.display()
        ),
        Err(e) => {
            eprintln!("quickstart: could not write the QR code to {}: {e}", qr_path.display());
            std::process::exit(1);
        }
    }

    // The person scans it; from now on their app shows codes. The row's state blob starts at zeros.
    let mut state = [0u8; STATE_BYTES];
    let now = portal_codes::now();
    let code = |t: u64| totp::time::code(&secret, &params, t);

    let shown = code(now)?;
    drift(
        "the code the app shows",
        totp::time::verify(ctx, &secret, &params, shown.as_str(), now, &mut state),
        0,
        "the phone's clock is right",
    );
    tour::refused(
        "the same code again, 5 s later",
        totp::time::verify(ctx, &secret, &params, shown.as_str(), now + 5, &mut state),
        Error::AlreadyUsed,
        "replay protection; never a success",
    );
    // 90 s later, the phone's clock is one step behind; later still, one step ahead.
    let behind = code(now + 90 - 30)?;
    drift(
        "90 s later, a phone whose clock is 30 s slow",
        totp::time::verify(ctx, &secret, &params, behind.as_str(), now + 90, &mut state),
        -1,
        "one step either way is accepted",
    );
    let ahead = code(now + 300 + 30)?;
    drift(
        "300 s later, a phone whose clock is 30 s fast",
        totp::time::verify(ctx, &secret, &params, ahead.as_str(), now + 300, &mut state),
        1,
        "one step either way is accepted",
    );
    let later = now + 600;
    let old = code(later - 60)?;
    tour::refused(
        "600 s later, a code from two steps ago",
        totp::time::verify(ctx, &secret, &params, old.as_str(), later, &mut state),
        Error::Wrong,
        "outside the window; counted",
    );
    tour::refused(
        "a typo (5 digits)",
        totp::time::verify(ctx, &secret, &params, "12345", later, &mut state),
        Error::Mistyped,
        "not counted",
    );

    // Re-enrolment: the person is moved to 60-second codes (same secret). The blob remembers
    // which enrolment it belongs to, so the new app's first code is not refused as "already used".
    let p60 = Params::new(Algorithm::Sha1, 6, 60)?;
    let new_code = totp::time::code(&secret, &p60, later)?;
    drift(
        "re-enrolled with 60-second codes (same secret): the first code",
        totp::time::verify(ctx, &secret, &p60, new_code.as_str(), later, &mut state),
        0,
        "a new enrolment, not a replay; a success clears the failure count",
    );

    // Someone guesses: after LOCK_AFTER_FAILURES (5) wrong codes the authenticator locks.
    let mut t = later;
    let mut wrong = 0;
    let locked = loop {
        t += 1;
        match totp::time::verify(ctx, &secret, &p60, "000000", t, &mut state) {
            Err(Error::Wrong) => wrong += 1,
            r => break r,
        }
    };
    let wait = portal_codes::retry_at(&state, t)? - t;
    tour::refused(
        &format!("someone guesses \"000000\": {wrong} × Error::Wrong, then"),
        locked,
        Error::Locked,
        &format!("five failures lock for 15 minutes; retry in {wait} s"),
    );
    tour::refused(
        "the right code while locked",
        totp::time::verify(ctx, &secret, &p60, totp::time::code(&secret, &p60, t)?.as_str(), t, &mut state),
        Error::Locked,
        "nothing is checked while locked",
    );

    // A counter-based token (HOTP) has its own blob. Its button was pressed three times without
    // logging in, so it shows the code for counter 3: verify accepts it (within HOTP_LOOK_AHEAD),
    // says which counter matched and expects the one after it from now on.
    tour::section(
        "Hardware token (HOTP)",
        "A counter-based token with its own blob; its button was pressed three times without logging in.",
    );
    let mut token = [0u8; STATE_BYTES];
    let pressed = totp::hotp::code(&secret, Algorithm::Sha1, 6, 3)?;
    let counter = tour::ok(
        "the code for counter 3",
        totp::hotp::verify(ctx, &secret, Algorithm::Sha1, 6, pressed.as_str(), t, &mut token),
    );
    println!(
        "  it matched counter {counter} (within the look-ahead); the next code expected is counter {}",
        counter + 1
    );
    tour::refused(
        "the same code again",
        totp::hotp::verify(ctx, &secret, Algorithm::Sha1, 6, pressed.as_str(), t, &mut token),
        Error::AlreadyUsed,
        "single use; never a success",
    );
    Ok(())
}
