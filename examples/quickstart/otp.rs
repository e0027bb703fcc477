//! Confirming a login with a code sent by SMS: the full life of a code.

use portal_codes::{Context, Error, Lang, STATE_BYTES, otp, retry_at};

/// What the login page would show for a verdict.
fn show(when: u64, what: &str, r: Result<(), Error>) {
    match r {
        Ok(()) => println!("t+{:<6}{what}: OK — confirmed", format!("{when}s")),
        Err(e) => println!("t+{:<6}{what}: {} — «{}»", format!("{when}s"), e.name(), e.message(Lang::Ru)),
    }
}

/// A well-formed code that is neither of `avoid` (to play a person guessing).
fn guess(avoid: &[&str]) -> &'static str {
    ["000000", "111111", "222222"].into_iter().find(|g| !avoid.contains(g)).unwrap_or("333333")
}

/// Issue, resend too soon, resend later (the first code superseded), a typo, wrong tries until
/// the code is exhausted, expiry, success, reuse refused, a code for another purpose refused.
pub fn run(ctx: &Context) -> Result<(), Error> {
    println!("\n== Confirm a login with an SMS code ==");
    // The row of this person's login attempt: 64 bytes, stored back with compare-and-swap.
    let mut state = [0u8; STATE_BYTES];
    let login = "login";
    let t0 = portal_codes::now();
    let at = |s: u64| t0 + s;

    let first = otp::issue(ctx, login, at(0), &mut state)?;
    println!("t+0s    send SMS «Код для входа: {}»; the state keeps only a keyed hash", first.as_str());
    println!("        'send again' is enabled at t+{}s", retry_at(&state, at(0))? - t0);
    if otp::issue(ctx, login, at(20), &mut state).err() == Some(Error::TooSoon) {
        println!("t+20s   'send again' too soon: TOO_SOON, retry at t+{}s", retry_at(&state, at(20))? - t0);
    }
    let second = otp::issue(ctx, login, at(75), &mut state)?;
    println!("t+75s   resend: SMS «{}»", second.as_str());
    show(80, "typed the first SMS", otp::verify(ctx, login, first.as_str(), at(80), &mut state));
    show(85, "typed one digit short", otp::verify(ctx, login, &second.as_str()[1..], at(85), &mut state));
    let wrong = guess(&[first.as_str(), second.as_str()]);
    for s in [90, 95, 100] {
        show(s, &format!("typed {wrong}"), otp::verify(ctx, login, wrong, at(s), &mut state));
    }
    show(
        105,
        "typed the right code, too late",
        otp::verify(ctx, login, second.as_str(), at(105), &mut state),
    );

    let third = otp::issue(ctx, login, at(140), &mut state)?;
    println!("t+140s  new SMS «{}», left unread for five minutes", third.as_str());
    show(440, "typed it", otp::verify(ctx, login, third.as_str(), at(440), &mut state));

    let fourth = otp::issue(ctx, login, at(500), &mut state)?;
    println!("t+500s  new SMS «{}»", fourth.as_str());
    let spaced = format!("{} {}", &fourth.as_str()[..3], &fourth.as_str()[3..]);
    show(520, &format!("typed «{spaced}»"), otp::verify(ctx, login, &spaced, at(520), &mut state));
    show(521, "form submitted twice", otp::verify(ctx, login, fourth.as_str(), at(521), &mut state));
    // After use a wrong guess still counts; once the code has expired every input gets the same
    // answer, the used code included (no oracle).
    show(530, "a guess at the used code", otp::verify(ctx, login, "000000", at(530), &mut state));
    show(900, "the used code, after expiry", otp::verify(ctx, login, fourth.as_str(), at(900), &mut state));

    // A code sent to confirm a phone change does not log anyone in.
    let phone = "phone-change:+79990001122";
    let mut other = [0u8; STATE_BYTES];
    let c = otp::issue(ctx, phone, at(600), &mut other)?;
    println!("t+600s  SMS «{}» to confirm {phone}", c.as_str());
    show(610, "used to log in", otp::verify(ctx, login, c.as_str(), at(610), &mut other));
    show(611, "used for the phone change", otp::verify(ctx, phone, c.as_str(), at(611), &mut other));

    // The one rule: a verdict counts only once the compare-and-swap that stores its blob
    // succeeded. Two servers check the same code at once, each on its copy of the row.
    let mut row = [0u8; STATE_BYTES];
    let code = otp::issue(ctx, login, at(700), &mut row)?;
    let (old, mut a, mut b) = (row, row, row);
    let answer_a = otp::verify(ctx, login, code.as_str(), at(705), &mut a);
    let answer_b = otp::verify(ctx, login, code.as_str(), at(705), &mut b);
    let cas = |row: &mut [u8; STATE_BYTES], new: &[u8; STATE_BYTES]| {
        *row == old && {
            *row = *new;
            true
        }
    };
    println!("t+705s  two servers check the same code; A stores first: {}", cas(&mut row, &a));
    show(705, "server A's answer (stored)", answer_a);
    if !cas(&mut row, &b) {
        println!(
            "        server B's write lost: its answer ({answer_b:?}) is discarded, it re-reads the row"
        );
        let mut again = row;
        show(
            705,
            "server B, again — never a success",
            otp::verify(ctx, login, code.as_str(), at(705), &mut again),
        );
    }
    Ok(())
}
