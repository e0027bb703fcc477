//! After a password reset, a recovery or a phone-number change, every outstanding code of the
//! account dies at once (`state::revoke` on every blob, in one transaction); and the events a
//! call caused, which the portal turns into notices (`state::events`). docs/revoke.md.

use portal_codes::state::{self, EVENT_CLEARED, EVENT_FAILURE_COUNTED, REVOKE_CODES, REVOKE_RECOVERY};
use portal_codes::{Context, Error, STATE_BYTES, Setting, otp, pin, recovery};

use crate::tour;

pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "Revoke every outstanding code; events for notices",
        "After a password reset, a recovery or a phone-number change, one switch kills what is outstanding.",
    );
    let now = portal_codes::now();
    let mut sms = [0u8; STATE_BYTES];
    let sent = tour::ok("otp::issue(\"login\")", otp::issue(ctx, "login", now, &mut sms));
    let mut codes = [0u8; STATE_BYTES];
    let set = tour::ok("recovery::generate(3 codes)", recovery::generate(ctx, "account-6006", 3, &mut codes));
    println!("  the password is reset: in the same transaction, every blob of the account goes through");
    println!("  state::revoke(REVOKE_CODES | REVOKE_RECOVERY), each stored with compare-and-swap;");
    println!("  the revocation counts only once every one of those writes succeeded");
    for blob in [&mut sms, &mut codes] {
        state::revoke(blob, REVOKE_CODES | REVOKE_RECOVERY)?;
    }
    tour::refused(
        "otp::verify(the SMS code sent before the reset)",
        otp::verify(ctx, "login", sent.as_str(), now + 5, &mut sms),
        Error::NoChallenge,
        "revoked: no code outstanding, not counted",
    );
    tour::refused(
        "recovery::verify(a code of the revoked set)",
        recovery::verify(
            ctx,
            "account-6006",
            set.stored().as_str(),
            set.codes()[0].as_str(),
            now,
            &mut codes,
        ),
        Error::NoChallenge,
        "the set died with REVOKE_RECOVERY; generate a new one",
    );
    tour::refused(
        "otp::issue(\"login\") at once",
        otp::issue(ctx, "login", now + 5, &mut sms),
        Error::TooSoon,
        "the resend cooldown survives a revocation: it limits SMS pumping",
    );

    println!("Events: compare the blob a call read with the blob it stored, and tell the person.");
    let mut ctx = ctx.clone();
    ctx.set(Setting::PinIterations, 10_000)?; // demo speed, as in the PIN section
    let stored = pin::hash(&ctx, "account-6006", "385027")?;
    let mut blob = [0u8; STATE_BYTES];
    let before = blob;
    tour::refused(
        "pin::verify(\"111111\")",
        pin::verify(&ctx, "account-6006", "111111", stored.as_str(), now, &mut blob),
        Error::Wrong,
        "a wrong PIN, counted",
    );
    let e = state::events(&ctx, &before, &blob, now)?;
    if !e.has(EVENT_FAILURE_COUNTED) {
        tour::off_script("state::events after a wrong PIN", "no FAILURE_COUNTED", "FAILURE_COUNTED");
    }
    println!(
        "  state::events → FAILURE_COUNTED, {} left: notice «Кто-то пытается войти с вашим PIN-кодом: ещё {} неверные попытки — и вход заблокируется на 15 минут.»",
        e.failures_left, e.failures_left
    );
    let before = blob;
    tour::ok(
        "pin::verify(\"385027\")",
        pin::verify(&ctx, "account-6006", "385027", stored.as_str(), now + 10, &mut blob),
    );
    let e = state::events(&ctx, &before, &blob, now + 10)?;
    if e.flags != EVENT_CLEARED {
        tour::off_script("state::events after the right PIN", &format!("{e:?}"), "CLEARED");
    }
    println!("  state::events → CLEARED: the failure run is over (for monitoring; no notice needed)");
    Ok(())
}
