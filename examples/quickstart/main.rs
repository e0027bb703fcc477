//! The whole flow end to end: `cargo run --release --example quickstart`.
//!
//! A portal backend creates one context at start-up (keys from its secret store), then for each
//! request passes `now` and the row's 64-byte state blob, and stores the blob back with
//! compare-and-swap. Each module below shows one capability.

mod link;
mod otp;
mod pin;

use portal_codes::{Context, Setting, state};

mod totp;

fn main() -> Result<(), portal_codes::Error> {
    // In production: 32–64 random bytes from the secret store, and an id (0–15) per key.
    let current_key = [0x42u8; 32];
    let previous_key = [0x17u8; 32];
    let mut ctx = Context::new(&current_key, 2)?;
    ctx.add_key(&previous_key, 1)?; // rotation: old key still verifies
    ctx.set(Setting::OtpDigits, 6)?;
    println!("portal-codes {}", portal_codes::VERSION);
    println!("context: {ctx:?}");

    let now = portal_codes::now();
    let fresh = [0u8; portal_codes::STATE_BYTES];
    println!("fresh state blob: retry_at = {}", state::retry_at(&fresh, now)?);
    println!(
        "status messages: en = {:?}, ru = {:?}",
        portal_codes::Error::Expired.message(portal_codes::Lang::En),
        portal_codes::Error::Expired.message(portal_codes::Lang::Ru)
    );
    // A developer's mistake (an unset clock) is refused with the blob untouched; the status is
    // for the code, the detail for the log (never shown to the person).
    let mut blob = fresh;
    let e = portal_codes::otp::issue(&ctx, "login", 0, &mut blob).unwrap_err();
    println!("bug -> {e:?}, detail: {:?}", portal_codes::last_error_detail());
    link::run(&ctx)?;
    pin::run(&ctx)?;
    otp::run(&ctx)?;
    totp::run(&ctx)?;
    Ok(())
}
