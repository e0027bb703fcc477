//! "Get PIN": the portal issues a PIN itself (after an SMS confirmation), drawn uniformly from
//! the PINs the policy accepts for this holder, shown once and stored only as its hash.

use portal_codes::pin;
use portal_codes::{Context, Error, STATE_BYTES, Setting};

use crate::tour;

pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "Get PIN",
        "The portal issues a PIN itself: uniform over the PINs the policy accepts for this holder, shown once, stored as its hash.",
    );
    let mut ctx = ctx.clone();
    ctx.set(Setting::PinIterations, 10_000)?; // tour speed; production keeps 600,000
    let birth = Some("1987-05-25");
    // Zeroized when dropped; its Debug form hides the digits. Show it to the person once.
    let issued = tour::ok("pin::generate(6 digits, birth date 1987-05-25)", pin::generate(&ctx, 6, birth));
    tour::ok(
        "pin::check of the issued PIN (always passes)",
        pin::check(&ctx, issued.as_str(), issued.as_str(), birth),
    );
    let stored = tour::ok(
        "pin::hash → the string the portal stores",
        pin::hash(&ctx, "account-3003", issued.as_str()),
    );
    let mut blob = [0u8; STATE_BYTES];
    // As every verdict: final only once the host's compare-and-swap has stored `blob`.
    tour::ok(
        "pin::verify with the issued PIN",
        pin::verify(&ctx, "account-3003", issued.as_str(), stored.as_str(), portal_codes::now(), &mut blob),
    );
    tour::refused(
        "pin::generate(5 digits)",
        pin::generate(&ctx, 5, birth),
        Error::InvalidArgument,
        "PINs have 4 or 6 digits; a wrong length is the developer's error, with a detail",
    );
    Ok(())
}
