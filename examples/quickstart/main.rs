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
    // Stored state outlives releases: a PIN blob written by an earlier release (layout 1,
    // locked after five wrong PINs at 1750000000, from tests/data/v1_blobs.txt) is still read,
    // its lock kept; the next write is the current layout.
    let mut old_blob = [0u8; portal_codes::STATE_BYTES];
    old_blob[..16].copy_from_slice(&[2, 1, 5, 0, 0, 0, 0, 0, 0x04, 0xe5, 0x4e, 0x68, 0, 0, 0, 0]);
    let locked_at = 1_750_000_000;
    let (layout, wait) = (old_blob[1], state::retry_at(&old_blob, locked_at)? - locked_at);
    state::reset(&mut old_blob)?; // the support desk unlocks it: written as the current layout
    println!(
        "a blob from an earlier release (layout {layout}): still locked for {wait} s; reset -> {}",
        if old_blob == [0; portal_codes::STATE_BYTES] { "fresh (all zeros)" } else { "rewritten" }
    );
    link::run(&ctx)?;
    pin::run(&ctx)?;
    otp::run(&ctx)?;
    totp::run(&ctx)?;
    Ok(())
}
