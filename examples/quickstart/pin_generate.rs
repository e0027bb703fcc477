//! "Get PIN": the portal issues a PIN itself (after an SMS confirmation), drawn uniformly from
//! the PINs the policy accepts for this holder, shown once and stored only as its hash.

use portal_codes::pin;
use portal_codes::{Context, Error, STATE_BYTES, Setting};

pub fn run(ctx: &Context) -> Result<(), Error> {
    println!("\n== Get PIN ==");
    let mut ctx = ctx.clone();
    ctx.set(Setting::PinIterations, 10_000)?; // demo speed; production keeps 600,000
    let birth = Some("1987-05-25");
    let issued = pin::generate(&ctx, 6, birth)?; // zeroized when dropped; `{issued:?}` hides it
    pin::check(&ctx, issued.as_str(), issued.as_str(), birth)?; // always passes
    let stored = pin::hash(&ctx, "account-3003", issued.as_str())?;
    let mut blob = [0u8; STATE_BYTES];
    pin::verify(&ctx, "account-3003", issued.as_str(), stored.as_str(), portal_codes::now(), &mut blob)?;
    println!("generated {issued:?}: passes the policy, hashed, verifies");
    let e = pin::generate(&ctx, 5, birth).map(drop).unwrap_err();
    println!("length 5 -> {}, detail: {:?}", e.name(), portal_codes::last_error_detail());
    Ok(())
}
