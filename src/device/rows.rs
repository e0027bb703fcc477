//! `decide` and the token check against the device-trust table of `docs/verdicts.md`, row by
//! row (`crate::flow::rows`).

use std::vec;
use std::vec::Vec;

use super::{Payload, check, decide, issue_with_rng, revoke_all};
use crate::blob::{Kind, STATE_BYTES, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow::rows::{self, Got};
use crate::flow::{Count, Gate};
use crate::rng::{ChaCha20Rng, SeedableRng};

const NOW: u64 = 1_700_000_000;

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
    let token = |account: &str, now: u64, st: &[u8; STATE_BYTES]| {
        issue_with_rng(&ctx, account, now, &mut st.clone(), &mut ChaCha20Rng::from_seed([1; 32])).unwrap()
    };
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
                }
                out
            }),
            (2, &|| rows::gate_rows(&h, &p, NOW, |h, p| decide(h, p, Ok(true)))),
            (3, &|| {
                [Error::PinFormat, Error::MalformedHash, Error::UnknownKey]
                    .into_iter()
                    .map(|e| run(Err(e)))
                    .collect()
            }),
            (4, &|| vec![run(Ok(false))]),
            (5, &|| vec![run(Ok(true))]),
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
            (7, &|| issue_row(&ctx, &h, &p, &blob)),
        ],
    );
}

/// Row 7: issuing on a free, a locked and a blocked trusted lane records the issue and keeps the
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
