//! A guided tour of every flow: `cargo run --release --example quickstart` (add `-- --qr
//! PATH.svg` to choose where the authenticator-app QR code is written; by default
//! `portal-codes-totp-qr.svg` in the current directory).
//!
//! A portal backend creates one context at start-up (keys from its secret store), then for each
//! request passes `now` and the row's 64-byte state blob, and stores the blob back with
//! compare-and-swap. Each module below shows one capability; every refusal the tour provokes on
//! purpose is printed with "(expected: …)", and a result other than the one announced stops the
//! tour with exit status 1. `tests/quickstart.rs` runs it and checks its output.

mod cas;
mod device;
mod link;
mod otp;
mod pepper;
mod pin;
mod pin_generate;
mod recovery;
mod revoke;
mod totp;
mod tour;

use std::path::PathBuf;

use portal_codes::{Context, Error, Lang, STATE_BYTES, Setting, state};

const USAGE: &str = "usage: cargo run --release --example quickstart [-- --qr PATH.svg]";

/// Where the QR code goes: `--qr PATH` (or `--qr=PATH`), else the current directory; printed as
/// an absolute path, so that the reader finds the file.
fn qr_path() -> PathBuf {
    fn usage(why: &str) -> ! {
        eprintln!("quickstart: {why}\n{USAGE}");
        std::process::exit(2)
    }
    let mut args = std::env::args().skip(1);
    let mut path = PathBuf::from("portal-codes-totp-qr.svg");
    while let Some(a) = args.next() {
        match (a.as_str(), a.strip_prefix("--qr=")) {
            ("-h" | "--help", _) => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            ("--qr", _) => path = args.next().map_or_else(|| usage("--qr needs a path"), PathBuf::from),
            (_, Some(p)) if !p.is_empty() => path = PathBuf::from(p),
            _ => usage(&format!("unexpected argument {a:?}")),
        }
    }
    std::env::current_dir().map_or(path.clone(), |d| d.join(&path))
}

fn main() -> Result<(), Error> {
    let qr = qr_path();
    println!("portal-codes {}: a guided tour of every flow.", portal_codes::VERSION);
    println!("Each step says what it shows; \"(expected: …)\" marks a refusal the tour provokes on purpose.");

    tour::section(
        "Set-up",
        "One context per process, created at start-up and shared: the master keys and the settings.",
    );
    // In production: 32–64 random bytes from the secret store, and an id (0–15) per key.
    let current_key = [0x42u8; 32];
    let previous_key = [0x17u8; 32];
    let mut ctx = Context::new(&current_key, 2)?;
    ctx.add_key(&previous_key, 1)?; // rotation: what the old key made still verifies
    ctx.set(Setting::OtpDigits, 6)?;
    println!("  keys: id 2 (current: makes new codes and hashes), id 1 (older: still verifies)");
    println!(
        "  settings: SMS codes of {} digits, valid {} s, {} attempts (the rest keep their defaults)",
        ctx.get(Setting::OtpDigits),
        ctx.get(Setting::OtpTtlSeconds),
        ctx.get(Setting::OtpMaxAttempts)
    );
    let now = portal_codes::now();
    let fresh = [0u8; STATE_BYTES];
    println!("Every flow reads and writes a {STATE_BYTES}-byte state blob that you store next to your row.");
    println!("  a fresh blob is all zeros: not locked (state::retry_at = {})", state::retry_at(&fresh, now)?);
    println!("A refusal is an Error with a short message for the person, in Russian or English:");
    println!("  Error::Expired: «{}»", Error::Expired.message(Lang::Ru));
    println!("                  \"{}\"", Error::Expired.message(Lang::En));
    println!(
        "A programming mistake is refused too: the blob stays untouched, and a detail goes to your log."
    );
    let mut blob = fresh;
    tour::refused(
        "an SMS code issued with now = 0 (an unset clock)",
        portal_codes::otp::issue(&ctx, "login", 0, &mut blob),
        Error::InvalidArgument,
        "a developer error",
    );
    println!(
        "  its detail, for the log (never shown to the person): {:?}",
        portal_codes::last_error_detail()
    );
    // Stored state outlives releases: a PIN blob written by an earlier release (layout 1,
    // locked after five wrong PINs at 1750000000, from tests/data/v1_blobs.txt) is still read,
    // its lock kept.
    println!("Stored blobs outlive releases: a PIN blob written by an earlier release (layout 1),");
    println!("locked after five wrong PINs at t = 1750000000:");
    let mut old_blob = [0u8; STATE_BYTES];
    old_blob[..16].copy_from_slice(&[2, 1, 5, 0, 0, 0, 0, 0, 0x04, 0xe5, 0x4e, 0x68, 0, 0, 0, 0]);
    let locked_at = 1_750_000_000;
    let wait = state::retry_at(&old_blob, locked_at)? - locked_at;
    println!("  read by this release: still locked for {wait} s");
    state::reset(&mut old_blob)?;
    if old_blob != [0; STATE_BYTES] {
        tour::off_script("state::reset of a layout-1 blob", "a non-zero blob", "all zeros");
    }
    println!("  the support desk unlocks it (state::reset) → a fresh blob (all zeros)");

    link::run(&ctx)?;
    pin::run(&ctx)?;
    pin_generate::run(&ctx)?;
    pepper::run(&ctx)?;
    recovery::run(&ctx)?;
    device::run(&ctx)?;
    otp::run(&ctx)?;
    cas::run(&ctx)?;
    totp::run(&ctx, &qr)?;
    revoke::run(&ctx)?;

    println!("\nThat is every flow. Next: `cargo doc --open` (the crate's front page and its guides).");
    Ok(())
}
