//! Link codes: the portal issues a code for a child's record, the parent types it (with a typo
//! first), the portal finds the record from the code and redeems it; a code dies with the data it
//! was issued for, and only the latest code of a record counts.

use portal_codes::link::{self, Child, FIELD_BIRTH_DATE, FIELD_FULL_NAME, FIELD_SEX, FIELD_SNILS};
use portal_codes::{Context, Error, STATE_BYTES};

use crate::tour;

/// The names of the fields `Child::check` reports missing.
fn missing(bits: u32) -> String {
    let names = [
        (FIELD_FULL_NAME, "full name"),
        (FIELD_BIRTH_DATE, "birth date"),
        (FIELD_SEX, "sex"),
        (FIELD_SNILS, "SNILS"),
    ];
    names.iter().filter(|(bit, _)| bits & bit != 0).map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
}

pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "Link codes: attach a child's record to a parent's account",
        "The portal issues a code for the child's record; the parent types it within 10 minutes.",
    );
    let now = portal_codes::now();
    let record_id = 4_815_162_342;
    let child = Child::new("Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 95");

    let incomplete = Child::new("Иванов Иван Иванович", "2015-03-08", "М", "");
    match incomplete.check() {
        Err(bits) => println!(
            "  a record without a SNILS → no code, missing: {} (expected: a code needs the full data)",
            missing(bits)
        ),
        Ok(()) => tour::off_script("Child::check without a SNILS", "OK", "the SNILS reported missing"),
    }

    // The record's state blob, stored next to the record (all zeros = nothing issued yet).
    let mut state = [0u8; STATE_BYTES];
    let code = tour::ok(
        &format!("issue a code for record {record_id}"),
        link::issue(ctx, record_id, &child, now, &mut state),
    );
    println!("  the code shown to the parent: {}", code.as_str());

    // The parent types it in lower case, without hyphens, and swaps two symbols.
    let mut typed: Vec<char> = code.as_str().to_lowercase().chars().filter(|&c| c != '-').collect();
    let i = (0..24).find(|&i| typed[i] != typed[i + 1]).unwrap_or(0);
    typed.swap(i, i + 1);
    let typo: String = typed.iter().collect();
    tour::refused(
        &format!("the parent types {typo:?} (two symbols swapped)"),
        link::parse(&typo),
        Error::Mistyped,
        "the check symbol catches the typo before any lookup",
    );

    // Second try, correct this time (case and spacing do not matter); a minute later.
    let typed = code.as_str().to_lowercase().replace('-', " ");
    let found = tour::ok(&format!("the parent types {typed:?}"), link::parse(&typed));
    println!("  the code names record {found}; the portal loads that record's child data and blob");
    tour::ok(
        "redeem it a minute later: the child is now linked",
        link::redeem(ctx, &typed, &child, now + 60, &mut state),
    );
    tour::refused(
        "the same code again",
        link::redeem(ctx, &typed, &child, now + 90, &mut state),
        Error::AlreadyUsed,
        "single use; ALREADY_USED is never a success",
    );

    // Another record: the child's name is corrected after the code was issued. The code is then
    // dead for good, even if the edit is undone; a new code works.
    println!("Another record: the child's name is corrected after its code was issued.");
    let mut record = [0u8; STATE_BYTES];
    let old = link::issue(ctx, record_id + 1, &child, now, &mut record)?;
    let edited = Child::new("Иванов Иван Петрович", "2015-03-08", "М", "112-233-445 95");
    tour::refused(
        "the code after the name edit",
        link::redeem(ctx, old.as_str(), &edited, now + 10, &mut record),
        Error::DataChanged,
        "a code dies with the data it was issued for",
    );
    tour::refused(
        "the same code after the edit is undone",
        link::redeem(ctx, old.as_str(), &child, now + 20, &mut record),
        Error::DataChanged,
        "it stays dead",
    );
    let new = link::issue(ctx, record_id + 1, &child, now + 30, &mut record)?;
    tour::ok(
        "a new code for the current data",
        link::redeem(ctx, new.as_str(), &child, now + 40, &mut record),
    );
    tour::refused(
        "the old code now",
        link::redeem(ctx, old.as_str(), &child, now + 50, &mut record),
        Error::Superseded,
        "only the latest code of a record counts",
    );

    // A record id is no secret: anyone can type well-formed codes for it (here a sibling's
    // genuine codes, which do not verify for this child). They lock out forged codes only.
    println!("A third record: someone types forged codes for its record id, waiting out each lock.");
    let mut attacked = [0u8; STATE_BYTES];
    let _ = link::issue(ctx, record_id + 2, &child, now, &mut attacked)?;
    let sibling = Child::new("Иванов Пётр Иванович", "2017-01-01", "M", "087-654-303 00");
    let mut t = now;
    let mut forged_codes = 0;
    while portal_codes::retry_at(&attacked, t)? != u64::MAX {
        t = t.max(portal_codes::retry_at(&attacked, t)?);
        let forged = link::issue(ctx, record_id + 2, &sibling, t, &mut [0u8; STATE_BYTES])?;
        let _ = link::redeem(ctx, forged.as_str(), &child, t, &mut attacked);
        forged_codes += 1;
    }
    println!("  {forged_codes} forged codes, then the record is blocked; a new issue does not clear it");
    let forged = link::issue(ctx, record_id + 2, &sibling, t, &mut [0u8; STATE_BYTES])?;
    tour::refused(
        "one more forged code",
        link::redeem(ctx, forged.as_str(), &child, t + 1, &mut attacked),
        Error::Blocked,
        "a code whose tag does not verify is refused, not counted",
    );
    let fresh = link::issue(ctx, record_id + 2, &child, t + 60, &mut attacked)?;
    tour::ok(
        "the parent's new code on the blocked record",
        link::redeem(ctx, fresh.as_str(), &child, t + 90, &mut attacked),
    );
    println!("  (the real code's tag verifies, so the forgers' block does not stand in its way; it stays)");
    Ok(())
}
