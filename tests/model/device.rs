//! The device-trust section of the model (`tests/model.rs`): the "Device trust" table of
//! `docs/verdicts.md` as a reference model — two lanes, each its own lockout (the trusted one
//! blocking at `min(15, 2 × 5)` = 10), tokens with an issue time and a generation — driven with
//! random sequences: tokens issued, presented (current, revoked, forged, another account's,
//! expired), right, wrong and malformed PINs with and without a token, `revoke_all`, resets of
//! either blob, time steps. Every status, both blobs' counters and `retry_at` must agree, and
//! so must the device blob's record of issued tokens (read from the payload bytes as
//! `src/device/mod.rs` documents them) and `state::events`' `DEVICE_TRUSTED`, which only an
//! issue for the account raises.

use super::*;
use portal_codes::{device, state};

/// The issue record of a device blob, read from the documented payload bytes 8..17 (the
/// payload starts at byte 24): tokens issued (u32 LE) and the latest issue time (u40 LE).
fn issue_record(b: &Blob) -> (u32, u64) {
    let p = &b[24..];
    let mut t = [0u8; 8];
    t[..5].copy_from_slice(&p[12..17]);
    (u32::from_le_bytes(p[8..12].try_into().unwrap()), u64::from_le_bytes(t))
}

/// The trusted lane's lockout: the rows of `Lock` (fade and budget included) with the block at
/// 10 (docs/verdicts.md, "Device trust").
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct TrustedLock(pub(super) Lock);

impl TrustedLock {
    pub(super) fn fail(&mut self, now: u64) {
        self.0.fail_blocking_at(now, 10);
    }
}

/// A token the model knows: for which account, when, and under which generation.
#[derive(Clone, Copy)]
struct ModelToken {
    own_account: bool,
    issued: u64,
    generation: u64,
    forged: bool,
}

const TTL: u64 = 3_600;

#[test]
fn device_trust_follows_the_model() {
    let mut ctx = with_policy(Context::new(&[0x42; 32], 1).unwrap());
    ctx.set(Setting::PinIterations, 10_000).unwrap();
    ctx.set(Setting::DeviceTrustSeconds, TTL).unwrap();
    let stored = pin::hash(&ctx, "acct", "385027").unwrap();
    let stored = stored.as_str();
    let mut free_answers = 0u64;
    for seq in 0..sequences() {
        let mut r = ChaCha20Rng::seed_from_u64(7 << 32 | seq);
        let (mut pin_blob, mut dev_blob): (Blob, Blob) = ([0; STATE_BYTES], [0; STATE_BYTES]);
        // Another account's device blob (its tokens are issued against it), and the model's
        // record of this account's issues: (tokens issued, latest issue time).
        let mut other_blob: Blob = [0; STATE_BYTES];
        let mut issued = (0u32, 0u64);
        let (mut untrusted, mut trusted, mut generation) = (Lock::default(), TrustedLock::default(), 0u64);
        let mut now = T0 + u64::from(r.next_u32() % 1000);
        let mut tokens: Vec<(ModelToken, String)> = Vec::new();
        for call in 0..(6 + r.next_u32() % 30) {
            now = step(&mut r, now);
            let dev_before = dev_blob;
            let what = format!("sequence {seq}, call {call}");
            let is_right = r.next_u32() % 3 == 0;
            let typed = match r.next_u32() % 10 {
                0 => "38x0",
                _ if is_right => "385027",
                _ => "385028",
            };
            let format_ok = typed != "38x0";
            match r.next_u32() % 12 {
                0..=2 => {
                    // Issue a token (for this account, or another one's), or a forged one.
                    let own = r.next_u32() % 4 != 0;
                    let (account, blob) =
                        if own { ("acct", &mut dev_blob) } else { ("other", &mut other_blob) };
                    let mut t = device::issue(&ctx, account, now, blob).unwrap().as_str().to_string();
                    if own {
                        issued = (issued.0 + 1, now);
                    }
                    let forged = r.next_u32() % 5 == 0;
                    if forged {
                        // Any symbol after the key id (symbols 1–3 carry it: an altered id is
                        // UNKNOWN_KEY first, src/device/tests.rs covers that).
                        let i = 4 + (r.next_u32() % 76) as usize;
                        let c = if t.as_bytes()[i] == b'A' { "B" } else { "A" };
                        t.replace_range(i..=i, c);
                    }
                    tokens.push((ModelToken { own_account: own, issued: now, generation, forged }, t));
                }
                3 => {
                    device::revoke_all(&mut dev_blob).unwrap();
                    generation += 1;
                }
                4 if r.next_u32() % 2 == 0 => {
                    portal_codes::reset(&mut dev_blob).unwrap();
                    trusted = TrustedLock::default();
                }
                5 if r.next_u32() % 2 == 0 => {
                    portal_codes::reset(&mut pin_blob).unwrap();
                    untrusted = Lock::default();
                }
                6..=7 => {
                    // Without a token: the untrusted lane, exactly `pin::verify`. A call that
                    // runs PBKDF2 is made one time in four (the model's cost is PBKDF2).
                    if untrusted.check(now).is_ok() && format_ok && r.next_u32() % 4 != 0 {
                        continue;
                    }
                    let want = untrusted.check(now).and_then(|()| {
                        if !format_ok {
                            Err(Error::PinFormat)
                        } else if is_right {
                            // One call = begin (a counted charge) + finish (its refund).
                            untrusted.fail(now);
                            untrusted.clear(true);
                            Ok(())
                        } else {
                            untrusted.fail(now);
                            Err(Error::Wrong)
                        }
                    });
                    let got = pin::verify(&ctx, "acct", typed, stored, now, &mut pin_blob);
                    assert_eq!(got, want, "{what}: untrusted");
                }
                _ if !tokens.is_empty() => {
                    let (m, t) = &tokens[(r.next_u32() as usize) % tokens.len()];
                    let token_ok = if m.forged || !m.own_account {
                        Err(Error::DeviceUntrusted)
                    } else if m.generation != generation {
                        Err(Error::DeviceRevoked)
                    } else if now.saturating_sub(m.issued) >= TTL || m.issued > now + 300 {
                        Err(Error::Expired)
                    } else {
                        Ok(())
                    };
                    if r.next_u32() % 3 == 0 {
                        let got = device::check(&ctx, "acct", t, now, &dev_blob).map(drop);
                        assert_eq!(got, token_ok, "{what}: check");
                    } else {
                        let computes = token_ok.is_ok() && trusted.0.check(now).is_ok() && format_ok;
                        if computes && r.next_u32() % 4 != 0 {
                            continue; // PBKDF2: one time in four, as above
                        }
                        let before = State::decode(&dev_blob, Kind::Device).unwrap();
                        let want = token_ok.and_then(|()| trusted.0.check(now)).and_then(|()| {
                            if !format_ok {
                                Err(Error::PinFormat)
                            } else if is_right {
                                trusted.0.success();
                                Ok(())
                            } else {
                                trusted.fail(now);
                                Err(Error::Wrong)
                            }
                        });
                        let got = device::pin_verify(&ctx, "acct", typed, stored, t, now, &mut dev_blob);
                        assert_eq!(got, want, "{what}: trusted");
                        // A faded run restarts at 1: counted is "the last failure moved" too.
                        let counted = counted(&before, &dev_blob, Kind::Device);
                        let independent = [
                            Error::Locked,
                            Error::Blocked,
                            Error::PinFormat,
                            Error::DeviceUntrusted,
                            Error::DeviceRevoked,
                            Error::Expired,
                        ];
                        free_answers += free_answer(&got, is_right, counted, &independent);
                    }
                }
                _ => continue,
            }
            // DEVICE_TRUSTED exactly when this account's blob recorded an issue, with its time.
            let e = state::events(&ctx, &dev_before, &dev_blob, now).unwrap();
            let trusted_now = issue_record(&dev_before).0 != issued.0;
            assert_eq!(e.has(state::EVENT_DEVICE_TRUSTED), trusted_now, "{what}: {e:?}");
            assert_eq!(e.trusted_at, if trusted_now { now } else { 0 }, "{what}: {e:?}");
            assert_eq!(issue_record(&dev_blob), issued, "{what}: issue record");
            same_counters(&pin_blob, Kind::Pin, &untrusted, 0, now, &what);
            same_counters(&dev_blob, Kind::Device, &trusted.0, 0, now, &what);
            assert_eq!(device::generation(&dev_blob), Ok(generation), "{what}: generation");
        }
    }
    assert_eq!(free_answers, 0, "answers to wrong PINs that were not counted");
}
