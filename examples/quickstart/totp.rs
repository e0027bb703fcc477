//! Authenticator apps: enrol (secret, URI, SVG QR), then verify codes with replay protection
//! (time-based codes: `totp::time`), and a counter-based token (`totp::hotp`). Codes sent by SMS
//! or e-mail are the other module, `otp` (see otp.rs).

use portal_codes::totp::{self, Algorithm, Params, qr, uri};
use portal_codes::{Context, Error, STATE_BYTES};

pub fn run(ctx: &Context) -> Result<(), Error> {
    println!("\n== Authenticator app (TOTP) ==");
    // Enrolment: a new 20-byte secret, stored encrypted with the account.
    let mut secret = [0u8; totp::DEFAULT_SECRET_BYTES];
    totp::secret(&mut secret)?;
    let params = Params::default(); // SHA-1, 6 digits, 30 s: every app reads these
    let mut uri_buf = [0u8; uri::URI_BYTES];
    let link = uri::build(&secret, "Госуслуги Дети", "ivan@example.ru", &params, &mut uri_buf)?;
    println!("otpauth URI: {link}");
    let mut svg_buf = vec![0u8; qr::SVG_BYTES];
    let svg = qr::svg(link, &mut svg_buf)?;
    let path = std::env::temp_dir().join("portal-codes-totp-qr.svg");
    match std::fs::write(&path, svg) {
        Ok(()) => println!("QR code ({} bytes of SVG) written to {}", svg.len(), path.display()),
        Err(e) => println!("could not write {}: {e}", path.display()),
    }

    // The person scans it; from now on their app shows codes. The row's state blob starts at zeros.
    let mut state = [0u8; STATE_BYTES];
    let now = portal_codes::now();
    let code = |t: u64| totp::time::code(&secret, &params, t);

    let shown = code(now)?;
    let drift = totp::time::verify(ctx, &secret, &params, shown.as_str(), now, &mut state)?;
    println!("code from the app: accepted, drift {drift:+}");
    match totp::time::verify(ctx, &secret, &params, shown.as_str(), now + 5, &mut state) {
        Err(e) => println!("the same code again: {} ({})", e.name(), e.message(portal_codes::Lang::Ru)),
        Ok(_) => println!("the same code again: accepted?!"),
    }

    // 90 s later, the phone's clock is one step behind.
    let later = now + 90;
    let behind = code(later - 30)?;
    let drift = totp::time::verify(ctx, &secret, &params, behind.as_str(), later, &mut state)?;
    println!("a minute and a half later, phone clock 30 s slow: accepted, drift {drift:+}");
    // Later still, the phone runs 30 s fast.
    let later = now + 300;
    let ahead = code(later + 30)?;
    let drift = totp::time::verify(ctx, &secret, &params, ahead.as_str(), later, &mut state)?;
    println!("five minutes later, phone clock 30 s fast: accepted, drift {drift:+}");
    // A code from two steps ago is outside the window.
    let later = now + 600;
    let old = code(later - 60)?;
    let r = totp::time::verify(ctx, &secret, &params, old.as_str(), later, &mut state);
    println!("a code from two steps ago: {}", r.err().map_or("accepted?!", Error::name));
    println!(
        "a typo (5 digits): {}",
        totp::time::verify(ctx, &secret, &params, "12345", later, &mut state)
            .err()
            .map_or("accepted?!", Error::name)
    );

    // Re-enrolment: the person is moved to 60-second codes (same secret). The blob remembers
    // which enrolment it belongs to, so the new app's first code is not refused as "already used".
    let p60 = Params::new(Algorithm::Sha1, 6, 60)?;
    let new_code = totp::time::code(&secret, &p60, later)?;
    let r = totp::time::verify(ctx, &secret, &p60, new_code.as_str(), later, &mut state);
    println!("re-enrolled with 60-second codes, first code: {}", r.map_or_else(|e| e.name(), |_| "accepted"));

    // Someone guesses: after LOCK_AFTER_FAILURES wrong codes (one already counted) the account locks.
    let mut t = later;
    loop {
        t += 1;
        match totp::time::verify(ctx, &secret, &params, "000000", t, &mut state) {
            Err(Error::Wrong) => print!("WRONG "),
            Err(e) => {
                println!(
                    "\nthen: {} until {} (in {} s)",
                    e.name(),
                    portal_codes::retry_at(&state, t)?,
                    portal_codes::retry_at(&state, t)? - t
                );
                break;
            }
            Ok(_) => break,
        }
    }
    // Even the right code is refused while locked.
    let r = totp::time::verify(ctx, &secret, &params, code(t)?.as_str(), t, &mut state);
    println!("the right code while locked: {}", r.err().map_or("accepted?!", Error::name));

    // A counter-based token (HOTP) has its own blob. Its button was pressed three times without
    // logging in, so it shows the code for counter 3: verify accepts it (within HOTP_LOOK_AHEAD),
    // says which counter matched and expects the one after it from now on.
    println!("\n== Hardware token (HOTP) ==");
    let mut token = [0u8; STATE_BYTES];
    let pressed = totp::hotp::code(&secret, Algorithm::Sha1, 6, 3)?;
    let counter = totp::hotp::verify(ctx, &secret, Algorithm::Sha1, 6, pressed.as_str(), t, &mut token)?;
    println!("token code accepted at counter {counter}; next expected: {}", counter + 1);
    let again = totp::hotp::verify(ctx, &secret, Algorithm::Sha1, 6, pressed.as_str(), t, &mut token);
    println!("the same code again: {}", again.err().map_or("accepted?!", Error::name));
    Ok(())
}
