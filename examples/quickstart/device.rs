//! Trusted devices: after a successful login the portal sets a device token as a cookie; PIN
//! attempts that bring it are counted in the account's device blob, so an attacker who blocks
//! the PIN blob from elsewhere does not lock the owner out. The same cookie admits its holder to
//! the trusted lane of SMS/e-mail codes and TOTP/HOTP (one lane per account, shared by them all).

use portal_codes::{Context, Error, STATE_BYTES, Setting, device, otp, pin, state};

use crate::tour;

pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "Trusted devices",
        "A device token (a cookie) after a successful login: its PIN attempts have their own lockout, so a stranger cannot lock the owner out.",
    );
    let mut ctx = ctx.clone();
    ctx.set(Setting::PinIterations, 10_000)?; // demo speed, as in the PIN section
    let stored = pin::hash(&ctx, "account-6006", "385027")?;
    let stored = stored.as_str();
    let (mut pin_blob, mut device_blob) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let now = portal_codes::now();
    // After a successful verification, and only when the person asks to trust this device. The
    // issue is recorded in the device blob: store it with compare-and-swap, and set the cookie
    // only after that write succeeded.
    let before = device_blob;
    let token =
        tour::ok("device::issue(account-6006)", device::issue(&ctx, "account-6006", now, &mut device_blob));
    let e = state::events(&ctx, &before, &device_blob, now)?;
    assert!(e.has(state::EVENT_DEVICE_TRUSTED) && e.trusted_at == now);
    println!(
        "  state::events → DEVICE_TRUSTED at {}: tell the person a new device was trusted",
        e.trusted_at
    );
    println!("  set it as a cookie (Secure; HttpOnly; SameSite=Lax): {}…", &token.as_str()[..12]);
    println!(
        "  (each call below stores its blob with compare-and-swap: a verdict is final only after that write)"
    );
    // Someone who knows the login guesses from elsewhere, waiting out each lock, until blocked.
    let mut t = now;
    let mut guesses = 0;
    while state::retry_at(&pin_blob, t)? != u64::MAX {
        t = t.max(state::retry_at(&pin_blob, t)?);
        let _ = pin::verify(&ctx, "account-6006", "000000", stored, t, &mut pin_blob);
        guesses += 1;
    }
    println!("  a stranger without the cookie: {guesses} wrong PINs, then the PIN blob is blocked");
    tour::refused(
        "pin::verify(the right PIN, no cookie)",
        pin::verify(&ctx, "account-6006", "385027", stored, t, &mut pin_blob),
        Error::Blocked,
        "devices without a token are locked out",
    );
    tour::ok(
        "device::pin_verify(the right PIN, with the owner's cookie)",
        device::pin_verify(&ctx, "account-6006", "385027", stored, token.as_str(), t, &mut device_blob),
    );
    tour::refused(
        "device::pin_verify(a forged cookie)",
        device::pin_verify(&ctx, "account-6006", "385027", stored, "AAAA", t, &mut device_blob),
        Error::DeviceUntrusted,
        "drop the cookie and verify without it; nothing counted",
    );
    // The same cookie confirms an SMS code in the trusted lane: the SMS blob records the code
    // as used, the device blob counts. Both blobs are written: store them in one transaction,
    // with compare-and-swap on each; the verdict is final only after both writes succeeded.
    let mut sms_blob = [0u8; STATE_BYTES];
    let code = tour::ok(
        "device::otp_issue(login, with the cookie)",
        device::otp_issue(&ctx, "account-6006", "login", token.as_str(), t, &mut sms_blob, &device_blob),
    );
    tour::ok(
        "device::otp_verify(the SMS code, with the cookie)",
        device::otp_verify(
            &ctx,
            "account-6006",
            "login",
            code.as_str(),
            token.as_str(),
            t,
            &mut sms_blob,
            &mut device_blob,
        ),
    );
    println!("  (store sms_blob and device_blob in one transaction, compare-and-swap on each)");
    tour::refused(
        "otp::verify(the same SMS code, no cookie)",
        otp::verify(&ctx, "login", code.as_str(), t, &mut sms_blob),
        Error::AlreadyUsed,
        "a code accepted in one lane is used in both",
    );
    // "Sign out everywhere" (or after a PIN reset or a recovery): every token dies at once.
    device::revoke_all(&mut device_blob)?;
    println!("  device::revoke_all(account-6006) → OK");
    tour::refused(
        "device::check(the old cookie)",
        device::check(&ctx, "account-6006", token.as_str(), t, &device_blob),
        Error::DeviceRevoked,
        "tokens issued before revoke_all are dead",
    );
    Ok(())
}
