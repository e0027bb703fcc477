//! Model-based tests: for link codes, SMS/e-mail codes, PINs, TOTP, HOTP and recovery codes
//! (in `tests/model/link.rs`, `sms.rs`, `pin.rs`, `totp.rs`, `recovery.rs`) and device trust
//! (`tests/model/device.rs`, its SMS/TOTP lane in `tests/model/device_lanes.rs`), a small reference model
//! written from the tables of `docs/verdicts.md` (not from the code) is driven with the same
//! random call sequences as the real API — issue, resend, verify, redeem, reset, revoke, data change,
//! key rotation, time jumps forwards and backwards — and every status, the lockout counters and
//! `retry_at` must agree after every call. Each flow also counts the answers an attacker got
//! for a *non-authentic* input without it being counted, which the docs bound at zero.
//!
//! `cargo test --release --test model` runs 10,000 sequences per flow (CI does); a debug build
//! runs 500 (set `PCODES_MODEL_SEQUENCES` to change either).

use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, Rng, SeedableRng};
use portal_codes::state::{Kind, State};
use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Context, Error, STATE_BYTES, Setting, otp, pin, retry_at};

type Blob = [u8; STATE_BYTES];
const T0: u64 = 1_780_000_000;

fn sequences() -> u64 {
    if let Ok(v) = std::env::var("PCODES_MODEL_SEQUENCES") {
        return v.parse().expect("PCODES_MODEL_SEQUENCES is a number");
    }
    if cfg!(debug_assertions) { 500 } else { 10_000 }
}

#[path = "model/lockout.rs"]
mod lockout_model;
use lockout_model::*;

/// Checks the real blob's counters and `retry_at` against the model.
fn same_counters(real: &Blob, kind: Kind, lock: &Lock, wait: u64, now: u64, what: &str) {
    let s = State::decode(real, kind).unwrap();
    assert_eq!(u32::from(s.failures), lock.failures, "{what}: failures");
    assert_eq!(u64::from(s.budget), lock.budget, "{what}: budget");
    assert_eq!(retry_at(real, now), Ok(lock.retry_at(wait, now)), "{what}: retry_at");
}

/// Whether the call that turned `before` into `after` counted a failure: the run grew, or (a
/// faded run starts again at 1) the last failure moved.
fn counted(before: &State, after: &Blob, kind: Kind) -> bool {
    let a = State::decode(after, kind).unwrap();
    a.failures > before.failures || a.last_failure != before.last_failure
}

/// A time step: mostly forwards (seconds to an hour), sometimes backwards by up to two minutes
/// (servers whose clocks differ).
fn step(r: &mut ChaCha20Rng, now: u64) -> u64 {
    match r.next_u32() % 40 {
        0..=3 => now - u64::from(r.next_u32() % 120),
        4..=23 => now + u64::from(r.next_u32() % 60),
        24..=35 => now + u64::from(r.next_u32() % 700),
        36..=38 => now + u64::from(r.next_u32() % 4000),
        // Days: runs fade, budget guesses drain.
        _ => now + u64::from(r.next_u32() % (3 * DRAIN as u32)),
    }
}

/// A rotated context: current key `key_id`, still holding `first` (id 1) and ids 2 .. key_id.
fn rotated(first: &[u8; 32], key_id: u32) -> Context {
    let mut next = with_policy(Context::new(&[key_id as u8; 32], key_id).unwrap());
    next.add_key(first, 1).unwrap();
    for k in 2..key_id {
        next.add_key(&[k as u8; 32], k).unwrap();
    }
    next
}

/// 1 if `got` answered a non-authentic input without counting it and with a status that
/// depends on the input (anything but the flow's input-independent statuses), else 0.
fn free_answer<T>(got: &Result<T, Error>, authentic: bool, counted: bool, independent: &[Error]) -> u64 {
    let input_independent = matches!(got, Err(e) if independent.contains(e));
    u64::from(!authentic && !counted && !input_independent)
}

// ---------------------------------------------------------------- shared by the flows' models

/// Link statuses that do not depend on the typed code's value (docs/verdicts.md rows 1–4).
const LINK_INDEPENDENT: &[Error] =
    &[Error::Locked, Error::Blocked, Error::NoChallenge, Error::Mistyped, Error::UnknownKey];
/// SMS statuses decided before the input is compared (rows 1–6).
const OTP_INDEPENDENT: &[Error] = &[
    Error::Locked,
    Error::Blocked,
    Error::NoChallenge,
    Error::Mistyped,
    Error::Expired,
    Error::AttemptsExhausted,
];
/// TOTP/HOTP statuses that do not look at the code's value.
const APP_INDEPENDENT: &[Error] = &[Error::Locked, Error::Blocked, Error::Mistyped];

const NAMES: [&str; 2] = ["Иванова Мария Петровна", "Иванова Мария Павловна"];

fn child(version: usize) -> Child<'static> {
    Child::new(NAMES[version], "2015-03-08", "F", "112-233-445 95")
}

// ---------------------------------------------------------------- link codes, SMS/e-mail codes, PINs, TOTP and HOTP

#[path = "model/link.rs"]
mod link_model;

#[path = "model/sms.rs"]
mod sms_model;
use sms_model::OtpModel;

#[path = "model/pin.rs"]
mod pin_model;

#[path = "model/totp.rs"]
mod totp_model;
use totp_model::{TotpModel, totp_input};

// ---------------------------------------------------------------- recovery codes

#[path = "model/recovery.rs"]
mod recovery_model;

// ---------------------------------------------------------------- device trust

#[path = "model/device.rs"]
mod device_model;

#[path = "model/device_lanes.rs"]
mod device_lanes_model;
