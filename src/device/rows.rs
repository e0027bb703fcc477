//! `decide` and the token check against the device-trust table of `docs/verdicts.md`, row by
//! row (`crate::flow::rows`).

use std::vec;
use std::vec::Vec;

use super::{
    Payload, check, decide, hotp_verify, issue_with_rng, otp_issue_with_rng, otp_verify, revoke_all,
    totp_verify,
};
use crate::blob::{Kind, STATE_BYTES, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::rows::{self, Got};
use crate::flow::{Count, Gate};
use crate::rng::{ChaCha20Rng, SeedableRng};

const NOW: u64 = 1_700_000_000;
const SECRET: &[u8] = b"12345678901234567890";

/// A trusted call of another flow through the public API: its status, what the device blob shows
/// of the count (its failures up: counted; down: a success), and whether both blobs stayed as
/// they were.
fn got_lanes<T>(r: &Result<T>, before: [&[u8; STATE_BYTES]; 2], after: [&[u8; STATE_BYTES]; 2]) -> Got {
    let g = got_api(r, before[1], after[1]);
    let failures = |b: &[u8; STATE_BYTES]| State::decode(b, Kind::Device).unwrap().failures;
    let counted = match failures(after[1]).cmp(&failures(before[1])) {
        core::cmp::Ordering::Greater => Count::Failure,
        core::cmp::Ordering::Less => Count::Success,
        core::cmp::Ordering::Equal => Count::No,
    };
    Got { counted, unchanged: before == after, ..g }
}

/// The three trusted verifications of other flows (SMS code, TOTP, HOTP) with `code` on
/// `flow` (the flow's blob, of its kind) and `dev`; what each got.
fn lanes(
    ctx: &Context,
    token: &str,
    code: [&str; 3],
    now: u64,
    flow: [[u8; STATE_BYTES]; 3],
    dev: &[u8; STATE_BYTES],
) -> Vec<Got> {
    let p = crate::totp::Params::default();
    let mut out = Vec::new();
    for (i, mut st) in flow.into_iter().enumerate() {
        let (before, mut d) = (st, *dev);
        let r = match i {
            0 => otp_verify(ctx, "acc", "login", code[0], token, now, &mut st, &mut d),
            1 => totp_verify(ctx, "acc", SECRET, &p, code[1], token, now, &mut st, &mut d).map(drop),
            _ => hotp_verify(
                ctx,
                "acc",
                SECRET,
                crate::totp::Algorithm::Sha1,
                6,
                code[2],
                token,
                now,
                &mut st,
                &mut d,
            )
            .map(drop),
        };
        out.push(got_lanes(&r, [&before, dev], [&st, &d]));
    }
    out
}

/// What a call through the public API did to `before`, as the harness reports it.
fn got_api<T>(r: &Result<T>, before: &[u8; STATE_BYTES], after: &[u8; STATE_BYTES]) -> Got {
    let status = match r {
        Ok(_) => "OK",
        Err(e) => e.name().strip_prefix("PCODES_STATUS_").unwrap_or(""),
    };
    let (b, a) = (State::decode(before, Kind::Device).unwrap(), State::decode(after, Kind::Device).unwrap());
    let counted = if a.failures > b.failures { Count::Failure } else { Count::No };
    Got { status, counted, unchanged: before == after }
}

/// A token for `account` issued at `now` on a copy of the device blob `st` (the rows compare
/// `st` before and after the call they test, so the issue's record is not kept).
fn token_for(ctx: &Context, account: &str, now: u64, st: &[u8; STATE_BYTES]) -> super::Token {
    issue_with_rng(ctx, account, now, &mut st.clone(), &mut ChaCha20Rng::from_seed([1; 32])).unwrap()
}

#[test]
fn decide_follows_the_device_rows() {
    let ctx = Context::new(&[7; 32], 3).unwrap();
    let h = rows::header(Kind::Device, 2);
    let p = Payload { generation: 4, issued: 2, issued_at: NOW - 60 };
    let run = |m: Result<bool>| rows::got(&h, &p, Gate::Lockout, NOW, |h, p| decide(h, p, m)).0;
    let mut blob = h.clone();
    crate::blob::Payload::encode(&p, &mut blob.payload);
    let blob = blob.encode();
    // Issued against a copy of `st` (the issue's record is not what these rows are about).
    let token = |account: &str, now: u64, st: &[u8; STATE_BYTES]| token_for(&ctx, account, now, st);
    rows::check(
        "Device trust",
        2,
        &[
            (1, &|| {
                let good = token("acc", NOW, &blob);
                let other = token("other", NOW, &blob);
                let stale = token("acc", NOW, &State::fresh(Kind::Device).encode());
                let foreign = Context::new(&[7; 32], 5).unwrap();
                let ttl = ctx.policy().device_trust_seconds;
                let mut out = Vec::new();
                for (c, t, now) in [
                    (&ctx, "not a token", NOW),
                    (&ctx, other.as_str(), NOW),
                    (&foreign, good.as_str(), NOW),
                    (&ctx, stale.as_str(), NOW),
                    (&ctx, good.as_str(), NOW + ttl),
                ] {
                    let mut st = blob;
                    let r = super::pin_verify(c, "acc", "385027", "$pcodes-pin$junk", t, now, &mut st);
                    out.push(got_api(&r, &blob, &st));
                    out.push(got_api(&check(c, "acc", t, now, &blob), &blob, &blob));
                    let (mut sms, mut d) = ([0u8; STATE_BYTES], blob);
                    let r = otp_issue_with_rng(
                        c,
                        "acc",
                        "login",
                        t,
                        now,
                        &mut sms,
                        &d,
                        &mut ChaCha20Rng::from_seed([2; 32]),
                    );
                    out.push(got_lanes(&r, [&[0; STATE_BYTES], &blob], [&sms, &d]));
                    out.extend(lanes(c, t, ["123456"; 3], now, [[0; STATE_BYTES]; 3], &blob));
                    let r = otp_verify(c, "acc", "login", "123456", t, now, &mut sms, &mut d);
                    out.push(got_lanes(&r, [&[0; STATE_BYTES], &blob], [&sms, &d]));
                }
                out
            }),
            (2, &|| {
                let mut out = rows::gate_rows(&h, &p, NOW, |h, p| decide(h, p, Ok(true)));
                let t = token("acc", NOW, &blob);
                for blocked in [false, true] {
                    let mut locked = rows::locked(h.clone(), NOW, blocked);
                    crate::blob::Payload::encode(&p, &mut locked.payload);
                    let fresh = [[0u8; STATE_BYTES]; 3];
                    out.extend(lanes(&ctx, t.as_str(), ["123456"; 3], NOW, fresh, &locked.encode()));
                }
                out
            }),
            (3, &|| {
                [Error::PinFormat, Error::MalformedHash, Error::UnknownKey]
                    .into_iter()
                    .map(|e| run(Err(e)))
                    .collect()
            }),
            (4, &|| vec![run(Ok(false))]),
            (5, &|| vec![run(Ok(true))]),
            (7, &|| uncounted_rows(&ctx, &blob)),
            (8, &|| wrong_row(&ctx, &blob)),
            (9, &|| right_row(&ctx, &blob)),
            (10, &|| send_row(&ctx, &blob)),
            (6, &|| {
                let mut locked = rows::locked(h.clone(), NOW, true);
                crate::blob::Payload::encode(&p, &mut locked.payload);
                [blob, locked.encode()]
                    .into_iter()
                    .map(|before| {
                        let mut st = before;
                        let r = revoke_all(&mut st);
                        let (b, a) = (
                            State::decode(&before, Kind::Device).unwrap(),
                            State::decode(&st, Kind::Device).unwrap(),
                        );
                        assert_eq!(
                            (a.failures, a.locked_until),
                            (b.failures, b.locked_until),
                            "lockout kept"
                        );
                        assert_eq!(super::generation(&st), Ok(5));
                        got_api(&r, &before, &st)
                    })
                    .collect()
            }),
            (11, &|| issue_row(&ctx, &h, &p, &blob)),
        ],
    );
}

/// Row 10 of the device-trust table (the trusted lane of the other flows).
fn uncounted_rows(ctx: &Context, blob: &[u8; STATE_BYTES]) -> Vec<Got> {
    let blob = *blob;
    let t = token_for(ctx, "acc", NOW, &blob);
    let t = t.as_str();
    let sms = |c: &Context, at: u64| {
        let mut st = [0u8; STATE_BYTES];
        let code = crate::otp::issue_with_rng(c, "login", at, &mut st, &mut ChaCha20Rng::from_seed([3; 32]))
            .unwrap();
        (st, std::string::String::from(code.as_str()))
    };
    let totp_code = crate::totp::time::code(SECRET, &crate::totp::Params::default(), NOW).unwrap();
    let (accepted, mut totp_used, mut hotp_used) = (sms(ctx, NOW), [0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let p = crate::totp::Params::default();
    crate::totp::time::verify(ctx, SECRET, &p, totp_code.as_str(), NOW, &mut totp_used).unwrap();
    crate::totp::hotp::verify(ctx, SECRET, crate::totp::Algorithm::Sha1, 6, "755224", NOW, &mut hotp_used)
        .unwrap();
    let (mut used, code) = accepted.clone();
    crate::otp::verify(ctx, "login", &code, NOW, &mut used).unwrap();
    let fresh = [[0u8; STATE_BYTES]; 3];
    // Nothing issued (SMS); not the code's number of digits (all three).
    let mut out = lanes(ctx, t, ["123456", "12", "12"], NOW, fresh, &blob);
    // Used: the SMS code, the TOTP step, the HOTP counter.
    out.extend(lanes(
        ctx,
        t,
        [&code, totp_code.as_str(), "755224"],
        NOW,
        [used, totp_used, hotp_used],
        &blob,
    ));
    // Expired; spent by three wrong tries; superseded; issued under a key not held.
    let (st, code) = sms(ctx, NOW);
    let ttl = ctx.policy().otp_ttl_seconds;
    out.extend(
        lanes(ctx, t, [&code, "12", "12"], NOW + ttl, [st, fresh[1], fresh[2]], &blob).into_iter().take(1),
    );
    let mut spent = st;
    for _ in 0..3 {
        let _ = crate::otp::verify(ctx, "login", "000000", NOW, &mut spent);
    }
    out.extend(
        lanes(ctx, t, [&code, "12", "12"], NOW, [spent, fresh[1], fresh[2]], &blob).into_iter().take(1),
    );
    let mut again = st;
    let _ =
        crate::otp::issue_with_rng(ctx, "login", NOW + 60, &mut again, &mut ChaCha20Rng::from_seed([4; 32]));
    out.extend(
        lanes(ctx, t, [&code, "12", "12"], NOW + 61, [again, fresh[1], fresh[2]], &blob).into_iter().take(1),
    );
    let mut other = Context::new(&[9; 32], 5).unwrap();
    other.add_key(&[7; 32], 3).unwrap();
    let (st, code) = sms(&other, NOW);
    out.extend(lanes(ctx, t, [&code, "12", "12"], NOW, [st, fresh[1], fresh[2]], &blob).into_iter().take(1));
    out
}

/// Row 8 of the device-trust table (the trusted lane of the other flows).
fn wrong_row(ctx: &Context, blob: &[u8; STATE_BYTES]) -> Vec<Got> {
    let blob = *blob;
    let t = token_for(ctx, "acc", NOW, &blob);
    let mut sms = [0u8; STATE_BYTES];
    crate::otp::issue_with_rng(ctx, "login", NOW, &mut sms, &mut ChaCha20Rng::from_seed([3; 32])).unwrap();
    let out = lanes(ctx, t.as_str(), ["000000"; 3], NOW, [sms, [0; STATE_BYTES], [0; STATE_BYTES]], &blob);
    // The SMS code's wrong tries went up by one; the SMS blob's lockout header is kept.
    let (mut st, mut d) = (sms, blob);
    let _ = otp_verify(ctx, "acc", "login", "000000", t.as_str(), NOW, &mut st, &mut d);
    let (b, a) = (State::decode(&sms, Kind::Otp).unwrap(), State::decode(&st, Kind::Otp).unwrap());
    assert_eq!((a.payload[3], a.failures), (b.payload[3] + 1, b.failures));
    out
}

/// Row 9 of the device-trust table (the trusted lane of the other flows).
fn right_row(ctx: &Context, blob: &[u8; STATE_BYTES]) -> Vec<Got> {
    let blob = *blob;
    let t = token_for(ctx, "acc", NOW, &blob);
    let mut sms = [0u8; STATE_BYTES];
    let code = crate::otp::issue_with_rng(ctx, "login", NOW, &mut sms, &mut ChaCha20Rng::from_seed([3; 32]))
        .unwrap();
    let totp_code = crate::totp::time::code(SECRET, &crate::totp::Params::default(), NOW).unwrap();
    let flows = [sms, [0; STATE_BYTES], [0; STATE_BYTES]];
    lanes(ctx, t.as_str(), [code.as_str(), totp_code.as_str(), "755224"], NOW, flows, &blob)
}

/// Row 10 of the device-trust table (the trusted lane of the other flows).
fn send_row(ctx: &Context, blob: &[u8; STATE_BYTES]) -> Vec<Got> {
    let blob = *blob;
    let t = token_for(ctx, "acc", NOW, &blob);
    let mut locked = rows::locked(rows::header(Kind::Otp, 0), NOW, true);
    locked.payload = [0; crate::blob::PAYLOAD_BYTES];
    let before = locked.encode();
    let mut sms = before;
    let r = otp_issue_with_rng(
        ctx,
        "acc",
        "login",
        t.as_str(),
        NOW,
        &mut sms,
        &blob,
        &mut ChaCha20Rng::from_seed([5; 32]),
    );
    let h = State::decode(&sms, Kind::Otp).unwrap();
    assert_eq!(h.locked_until, crate::blob::BLOCKED, "the SMS blob's lockout header kept");
    vec![got_lanes(&r, [&before, &blob], [&sms, &blob])]
}

/// Row 11: issuing on a free, a locked and a blocked trusted lane records the issue and keeps the
/// generation and the lockout.
fn issue_row(ctx: &Context, h: &State, p: &Payload, blob: &[u8; STATE_BYTES]) -> Vec<Got> {
    [false, true]
        .into_iter()
        .map(|blocked| {
            let mut locked = rows::locked(h.clone(), NOW, blocked);
            crate::blob::Payload::encode(p, &mut locked.payload);
            locked.encode()
        })
        .chain([*blob])
        .map(|before| {
            let mut st = before;
            let r = issue_with_rng(ctx, "acc", NOW + 7, &mut st, &mut ChaCha20Rng::from_seed([2; 32]));
            let (b, a) =
                (State::decode(&before, Kind::Device).unwrap(), State::decode(&st, Kind::Device).unwrap());
            assert_eq!(
                (a.failures, a.locked_until, a.budget, a.last_failure),
                (b.failures, b.locked_until, b.budget, b.last_failure),
                "lockout kept"
            );
            let next = crate::blob::payload_of::<Payload>(&a, crate::blob::VERSION).unwrap();
            assert_eq!(next, Payload { generation: p.generation, issued: p.issued + 1, issued_at: NOW + 7 });
            got_api(&r, &before, &st)
        })
        .collect()
}
