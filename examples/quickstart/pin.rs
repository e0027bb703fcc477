//! PINs: choose one (weak ones refused with a reason), store its hash, verify, lock out after
//! five wrong tries, refuse a hash copied to another account, lock an unknown login like a real
//! one, survive a pepper-key rotation.

use portal_codes::pin::{self, Weakness};
use portal_codes::{Context, Error, STATE_BYTES, Setting, state};

use crate::tour;

pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "PINs",
        "A person chooses a PIN (typed twice); the portal stores a peppered, salted hash and verifies with lockout.",
    );
    // Demo speed; production keeps the default 600,000 iterations.
    let mut ctx = ctx.clone();
    ctx.set(Setting::PinIterations, 10_000)?;
    println!("  (10,000 PBKDF2 iterations for a quick tour; production keeps the default 600,000)");
    let birth = Some("1987-05-25");
    println!("Choosing a PIN; the person's birth date, 1987-05-25, is known:");

    let weak = [
        ("12a4", "12a4", Error::PinFormat, None, "digits only"),
        ("3861", "3816", Error::PinMismatch, None, "the two entries differ"),
        ("2580", "2580", Error::PinWeak, Some(Weakness::KeypadLine), "a line on the keypad"),
        ("250587", "250587", Error::PinWeak, Some(Weakness::BirthDate), "the birth date"),
        ("1987", "1987", Error::PinWeak, Some(Weakness::BirthDate), "the birth year"),
    ];
    for (pin, confirm, want, weakness, why) in weak {
        let r = pin::check_reason(&ctx, pin, confirm, birth);
        let what =
            if pin == confirm { format!("{pin:?}") } else { format!("{pin:?}, confirmed as {confirm:?}") };
        match r {
            Err((e, w)) if e == want && w == weakness => {
                let reason = w.map_or(String::new(), |w| format!(" ({})", w.name()));
                println!("  {what} → Error::{e:?}{reason} (expected: {why})");
            }
            Err((e, _)) => tour::off_script(&what, &format!("Error::{e:?}"), &format!("Error::{want:?}")),
            Ok(()) => tour::off_script(&what, "OK", &format!("Error::{want:?}")),
        }
    }
    let chosen = "385027";
    tour::ok(&format!("{chosen:?}"), pin::check(&ctx, chosen, chosen, birth));

    let stored = pin::hash(&ctx, "account-1001", chosen)?;
    println!("Stored with account-1001 (the hash string names its key, iterations and length):");
    println!("  {stored}");
    let mut blob = [0u8; STATE_BYTES];
    let now = portal_codes::now();
    tour::ok("the right PIN", pin::verify(&ctx, "account-1001", chosen, stored.as_str(), now, &mut blob));
    tour::refused(
        "\"111111\"",
        pin::verify(&ctx, "account-1001", "111111", stored.as_str(), now, &mut blob),
        Error::Wrong,
        "counted, failure 1 of 5",
    );
    for i in 1..5 {
        let _ = pin::verify(&ctx, "account-1001", "000000", stored.as_str(), now + i, &mut blob);
    }
    let r = pin::verify(&ctx, "account-1001", chosen, stored.as_str(), now + 5, &mut blob);
    let retry = state::retry_at(&blob, now + 5)?;
    tour::refused(
        "four more wrong PINs, then the right one",
        r,
        Error::Locked,
        &format!(
            "five failures lock for 15 minutes; retry in {} s, nothing is checked before",
            retry - (now + 5)
        ),
    );
    let later = retry;
    tour::ok(
        "the right PIN at the retry time",
        pin::verify(&ctx, "account-1001", chosen, stored.as_str(), later, &mut blob),
    );

    let mut other = [0u8; STATE_BYTES];
    tour::refused(
        "account-1001's hash copied into account-2002's row",
        pin::verify(&ctx, "account-2002", chosen, stored.as_str(), later, &mut other),
        Error::Wrong,
        "a hash is bound to its account",
    );
    // An unknown login: the same work, counted and locked in a blob kept for the typed name.
    println!("An unknown login, \"nobody\": the same work, counted in a blob kept for the typed name:");
    let mut nobody = [0u8; STATE_BYTES];
    tour::refused(
        "first try",
        pin::verify(&ctx, "nobody", chosen, pin::Stored::UnknownAccount, later, &mut nobody),
        Error::Wrong,
        "like a wrong PIN of a real account",
    );
    for i in 1..5 {
        let _ = pin::verify(&ctx, "nobody", chosen, pin::Stored::UnknownAccount, later + i, &mut nobody);
    }
    tour::refused(
        "sixth try",
        pin::verify(&ctx, "nobody", chosen, pin::Stored::UnknownAccount, later + 5, &mut nobody),
        Error::Locked,
        "locked like a real account, so logins cannot be probed",
    );

    // Rotation: a new master key (id 3) becomes current; the old one (id 2) still verifies.
    println!("Key rotation: a new master key (id 3) becomes current; id 2 still verifies:");
    let mut rotated = Context::new(&[0x99; 32], 3)?;
    rotated.add_key(&[0x42; 32], 2)?;
    rotated.set(Setting::PinIterations, 10_000)?;
    tour::ok(
        "the right PIN against the hash made with key 2",
        pin::verify(&rotated, "account-1001", chosen, stored.as_str(), later, &mut blob),
    );
    println!("  needs a rehash (made with an older key): {}", pin::needs_rehash(&rotated, stored.as_str())?);
    let fresh = pin::hash(&rotated, "account-1001", chosen)?;
    println!("  rehashed at that login: {fresh}");
    println!("  needs a rehash now: {}", pin::needs_rehash(&rotated, fresh.as_str())?);
    Ok(())
}
