//! The one rule: a verdict is final only after the compare-and-swap that stores its blob
//! succeeded. Two servers check the same SMS code at once, each on its own read of the row; the
//! row here is a variable, in production a `bytea` column written with
//! `UPDATE … SET state = $new WHERE id = $1 AND state = $old` (`checks/examples/postgres_cas.rs`
//! shows it against PostgreSQL).

use portal_codes::{Context, Error, STATE_BYTES, otp};

use crate::tour;

/// `UPDATE … WHERE state = old`: stores `new` and answers true only if the row still holds `old`.
fn compare_and_swap(row: &mut [u8; STATE_BYTES], old: &[u8; STATE_BYTES], new: &[u8; STATE_BYTES]) -> bool {
    let won = row == old;
    if won {
        *row = *new;
    }
    won
}

pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "The one rule: compare-and-swap",
        "A verdict is final only after the compare-and-swap that stores its blob succeeded; on a lost write, discard it, read the row again, call again.",
    );
    let now = portal_codes::now();
    let mut row = [0u8; STATE_BYTES];
    let mut issued = row;
    let code = otp::issue(ctx, "login", now, &mut issued)?;
    if !compare_and_swap(&mut row, &[0; STATE_BYTES], &issued) {
        tour::off_script("storing the issued code", "a lost write", "a stored blob");
    }
    println!(
        "  SMS code {} issued and stored; two servers receive the form at the same moment",
        code.as_str()
    );

    let old = row; // both servers read the row before either writes
    let (mut a, mut b) = (old, old);
    let answer_a = otp::verify(ctx, "login", code.as_str(), now + 5, &mut a);
    let answer_b = otp::verify(ctx, "login", code.as_str(), now + 5, &mut b);
    println!(
        "  server A's call → {}, server B's call → {}: both look like a success",
        tour::shown(&answer_a),
        tour::shown(&answer_b)
    );
    if !compare_and_swap(&mut row, &old, &a) || answer_a.is_err() {
        tour::off_script("server A's write", "a lost write or a refusal", "a stored OK");
    }
    println!("  server A's compare-and-swap succeeds → its OK is final: the person is logged in");
    if compare_and_swap(&mut row, &old, &b) {
        tour::off_script("server B's write", "a stored blob", "a lost write");
    }
    println!(
        "  server B's compare-and-swap fails (A wrote first) → B discards its answer and reads the row again"
    );
    let reread = row;
    let mut again = reread;
    let retried = otp::verify(ctx, "login", code.as_str(), now + 5, &mut again);
    if !compare_and_swap(&mut row, &reread, &again) {
        tour::off_script("server B's second write", "a lost write", "a stored blob");
    }
    tour::refused(
        "server B calls again",
        retried,
        Error::AlreadyUsed,
        "never a success: the proof was A's stored OK",
    );
    Ok(())
}
