//! Recovery codes: a set the person writes down when the phone is lost, stored as one string of
//! keyed tags plus a blob of used codes; each code works once.

use portal_codes::recovery;
use portal_codes::{Context, Error, STATE_BYTES};

use crate::tour;

pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "Recovery codes",
        "Single-use codes to write down: shown once, stored only as keyed tags bound to the account; each works once.",
    );
    let now = portal_codes::now();
    let mut blob = [0u8; STATE_BYTES];
    // The codes are zeroized when dropped and hidden from Debug; show them to the person once.
    let set = tour::ok(
        "recovery::generate(10 codes for account-4004)",
        recovery::generate(ctx, "account-4004", recovery::DEFAULT_COUNT, &mut blob),
    );
    let first = set.codes()[0].as_str();
    let shown = &set.stored().as_str()[..30];
    println!("  the person writes down e.g. {}-…; the portal stores {shown}… (tags only)", &first[..4]);
    println!("  (store that string and the blob in one row, with one compare-and-swap)");
    let stored = set.stored().as_str();
    let typed = first.to_lowercase().replace('-', "");
    // As every verdict: final only once the host's compare-and-swap has stored `blob`.
    let left = tour::ok(
        "recovery::verify(code 1, typed in lower case without dashes)",
        recovery::verify(ctx, "account-4004", stored, &typed, now, &mut blob),
    );
    println!("  codes left: {left}");
    tour::refused(
        "recovery::verify(code 1 again)",
        recovery::verify(ctx, "account-4004", stored, first, now, &mut blob),
        Error::AlreadyUsed,
        "each code works once; ALREADY_USED is never a success",
    );
    let mut typo = first.to_owned().into_bytes();
    typo[1] = if typo[1] == b'7' { b'8' } else { b'7' };
    tour::refused(
        "recovery::verify(code 1 with one symbol changed)",
        recovery::verify(ctx, "account-4004", stored, &String::from_utf8_lossy(&typo), now, &mut blob),
        Error::Mistyped,
        "the check symbol catches a typo; not counted",
    );
    tour::refused(
        "recovery::verify(code 2 for account-5005)",
        recovery::verify(ctx, "account-5005", stored, set.codes()[1].as_str(), now, &mut blob),
        Error::Wrong,
        "the tags are bound to the account; counted toward the lockout",
    );
    let mut renewed = blob;
    let next = tour::ok(
        "recovery::generate(a new set of 5)",
        recovery::generate(ctx, "account-4004", 5, &mut renewed),
    );
    tour::refused(
        "recovery::verify(code 2 of the old set, new string)",
        recovery::verify(
            ctx,
            "account-4004",
            next.stored().as_str(),
            set.codes()[1].as_str(),
            now,
            &mut renewed,
        ),
        Error::Wrong,
        "regenerating makes the old set dead",
    );
    tour::refused(
        "recovery::verify(code 2, the old string with the new blob)",
        recovery::verify(ctx, "account-4004", stored, set.codes()[1].as_str(), now, &mut renewed),
        Error::Superseded,
        "a string and a blob of different sets refuse every code",
    );
    println!("  codes left in the new set: {}", recovery::remaining(&renewed)?);
    Ok(())
}
