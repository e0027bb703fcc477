//! Confirming a login with a code sent by SMS: the full life of a code, in time order.

use portal_codes::{Context, Error, Lang, STATE_BYTES, otp, retry_at};

use crate::tour;

/// One moment of the timeline: `t+…s  what → OK` or `→ Error::X (expected: why) «message»`.
fn at(t: u64, what: &str, r: Result<(), Error>, want: Option<(Error, &str)>) {
    let when = format!("t+{t}s");
    match (r, want) {
        (Ok(()), None) => println!("{when:<8}{what} → OK: confirmed"),
        (Err(e), Some((w, why))) if e == w => {
            println!("{when:<8}{what} → Error::{e:?} (expected: {why}) «{}»", e.message(Lang::Ru));
        }
        (r, want) => tour::off_script(
            what,
            &tour::shown(&r),
            &want.map_or("OK".into(), |(w, _)| format!("Error::{w:?}")),
        ),
    }
}

/// A well-formed code that is neither of `avoid` (to play a person guessing).
fn guess(avoid: &[&str]) -> &'static str {
    ["000000", "111111", "222222"].into_iter().find(|g| !avoid.contains(g)).unwrap_or("333333")
}

/// Issue, resend too soon, resend later (the first code superseded), a typo, wrong tries until
/// the code is exhausted, expiry, success, reuse refused, a code for another purpose refused.
pub fn run(ctx: &Context) -> Result<(), Error> {
    tour::section(
        "Confirm a login with an SMS code",
        "One blob per phone number and purpose; t+…s is the time since the first SMS. The portal shows the person the Russian message.",
    );
    let mut state = [0u8; STATE_BYTES];
    let login = "login";
    let t0 = portal_codes::now();
    let at_ = |s: u64| t0 + s;

    let first = otp::issue(ctx, login, at_(0), &mut state)?;
    println!("t+0s    send SMS «Код для входа: {}»; the blob keeps only a keyed hash of it", first.as_str());
    println!("        'send again' is enabled from t+{}s", retry_at(&state, at_(0))? - t0);
    match otp::issue(ctx, login, at_(20), &mut state) {
        Err(Error::TooSoon) => println!(
            "t+20s   'send again' → Error::TooSoon (expected: resend cooldown), retry at t+{}s",
            retry_at(&state, at_(20))? - t0
        ),
        r => tour::off_script("send again at t+20s", &tour::shown(&r), "Error::TooSoon"),
    }
    let second = otp::issue(ctx, login, at_(75), &mut state)?;
    println!("t+75s   'send again': SMS «{}»", second.as_str());
    at(
        80,
        "typed the first SMS's code",
        otp::verify(ctx, login, first.as_str(), at_(80), &mut state),
        Some((Error::Superseded, "only the latest code counts")),
    );
    at(
        85,
        "typed one digit short",
        otp::verify(ctx, login, &second.as_str()[1..], at_(85), &mut state),
        Some((Error::Mistyped, "not counted")),
    );
    let wrong = guess(&[first.as_str(), second.as_str()]);
    for (s, n) in [(90, 1), (95, 2), (100, 3)] {
        at(
            s,
            &format!("typed {wrong}"),
            otp::verify(ctx, login, wrong, at_(s), &mut state),
            Some((
                Error::Wrong,
                ["wrong attempt 1 of 3", "wrong attempt 2 of 3", "wrong attempt 3 of 3"][n - 1],
            )),
        );
    }
    at(
        105,
        "typed the right code, too late",
        otp::verify(ctx, login, second.as_str(), at_(105), &mut state),
        Some((Error::AttemptsExhausted, "three wrong attempts end a code")),
    );

    let third = otp::issue(ctx, login, at_(140), &mut state)?;
    println!("t+140s  new SMS «{}», left unread for five minutes", third.as_str());
    at(
        440,
        "typed it",
        otp::verify(ctx, login, third.as_str(), at_(440), &mut state),
        Some((Error::Expired, "a code lives 300 s")),
    );

    let fourth = otp::issue(ctx, login, at_(500), &mut state)?;
    println!("t+500s  new SMS «{}»", fourth.as_str());
    let spaced = format!("{} {}", &fourth.as_str()[..3], &fourth.as_str()[3..]);
    at(520, &format!("typed «{spaced}»"), otp::verify(ctx, login, &spaced, at_(520), &mut state), None);
    at(
        521,
        "the form submitted twice",
        otp::verify(ctx, login, fourth.as_str(), at_(521), &mut state),
        Some((Error::AlreadyUsed, "single use; never a success")),
    );
    // After use a wrong guess still counts.
    at(
        530,
        "a guess at the used code",
        otp::verify(ctx, login, "000000", at_(530), &mut state),
        Some((Error::Wrong, "a guess is counted even now")),
    );

    // A code sent to confirm a phone change does not log anyone in.
    let phone = "phone-change:+79990001122";
    let mut other = [0u8; STATE_BYTES];
    let c = otp::issue(ctx, phone, at_(600), &mut other)?;
    println!("t+600s  SMS «{}» to confirm {phone} (its own blob)", c.as_str());
    at(
        610,
        "that code used to log in",
        otp::verify(ctx, login, c.as_str(), at_(610), &mut other),
        Some((Error::Wrong, "a code works only for its purpose")),
    );
    at(
        611,
        "that code used for the phone change",
        otp::verify(ctx, phone, c.as_str(), at_(611), &mut other),
        None,
    );

    // Once the code has expired every input gets the same answer, the used code included (no
    // oracle).
    at(
        900,
        "the used login code, after expiry",
        otp::verify(ctx, login, fourth.as_str(), at_(900), &mut state),
        Some((Error::Expired, "after expiry every input gets the same answer")),
    );
    Ok(())
}
