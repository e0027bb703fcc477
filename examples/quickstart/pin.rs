//! PINs: choose one (weak ones refused with a reason), store its hash, verify, lock out after
//! five wrong tries, refuse a hash copied to another account, survive a pepper-key rotation.

use portal_codes::pin::{self, Weakness};
use portal_codes::{Context, Error, STATE_BYTES, Setting, state};

pub fn run(ctx: &Context) -> Result<(), Error> {
    println!("\n== PINs ==");
    // Demo speed; production keeps the default 600,000 iterations.
    let mut ctx = ctx.clone();
    ctx.set(Setting::PinIterations, 10_000)?;
    let birth = Some("1987-05-25");

    for (pin, confirm) in
        [("12a4", "12a4"), ("3861", "3816"), ("2580", "2580"), ("250587", "250587"), ("1987", "1987")]
    {
        match pin::check_reason(&ctx, pin, confirm, birth) {
            Ok(()) => println!("check {pin:>6}: accepted"),
            Err((e, why)) => {
                println!("check {pin:>6}: {} {}", e.name(), why.map_or("", Weakness::name));
            }
        }
    }
    let chosen = "385027";
    pin::check(&ctx, chosen, chosen, birth)?;
    println!("check {chosen:>6}: accepted");

    let stored = pin::hash(&ctx, "account-1001", chosen)?;
    println!("stored hash: {stored}");
    let mut blob = [0u8; STATE_BYTES];
    let now = portal_codes::now();
    let show = |r: Result<(), Error>| r.map_or_else(|e| e.name(), |()| "OK");
    println!(
        "verify right PIN: {}",
        show(pin::verify(&ctx, "account-1001", chosen, stored.as_str(), now, &mut blob))
    );
    println!(
        "verify 111111:    {}",
        show(pin::verify(&ctx, "account-1001", "111111", stored.as_str(), now, &mut blob))
    );
    for i in 1..5 {
        let _ = pin::verify(&ctx, "account-1001", "000000", stored.as_str(), now + i, &mut blob);
    }
    let r = pin::verify(&ctx, "account-1001", chosen, stored.as_str(), now + 5, &mut blob);
    let retry = state::retry_at(&blob, now + 5)?;
    println!("after five wrong: {} (retry in {} s)", show(r), retry - (now + 5));
    let later = retry;
    println!(
        "at retry time:    {}",
        show(pin::verify(&ctx, "account-1001", chosen, stored.as_str(), later, &mut blob))
    );

    let mut other = [0u8; STATE_BYTES];
    let copied = pin::verify(&ctx, "account-2002", chosen, stored.as_str(), later, &mut other);
    println!("hash copied to account-2002: {}", show(copied));
    // An unknown login: the same work, counted and locked in a blob kept for the typed name.
    let mut nobody = [0u8; STATE_BYTES];
    let first = pin::verify(&ctx, "nobody", chosen, pin::Stored::UnknownAccount, later, &mut nobody);
    for i in 1..5 {
        let _ = pin::verify(&ctx, "nobody", chosen, pin::Stored::UnknownAccount, later + i, &mut nobody);
    }
    let sixth = pin::verify(&ctx, "nobody", chosen, pin::Stored::UnknownAccount, later + 5, &mut nobody);
    println!("unknown account (dummy work): {}, 6th try {} — like a real account", show(first), show(sixth));

    // Rotation: a new master key (id 3) becomes current; the old one (id 2) still verifies.
    let mut rotated = Context::new(&[0x99; 32], 3)?;
    rotated.add_key(&[0x42; 32], 2)?;
    rotated.set(Setting::PinIterations, 10_000)?;
    let ok = pin::verify(&rotated, "account-1001", chosen, stored.as_str(), later, &mut blob);
    println!(
        "after key rotation: {}, needs rehash: {}",
        show(ok),
        pin::needs_rehash(&rotated, stored.as_str())?
    );
    let fresh = pin::hash(&rotated, "account-1001", chosen)?;
    println!("rehashed: {fresh} (needs rehash: {})", pin::needs_rehash(&rotated, fresh.as_str())?);
    Ok(())
}
