//! Shared by the fuzz targets: a context with two keys and the checks every flow call must pass.

#![allow(dead_code)]

use portal_codes::state::{Kind, State};
use portal_codes::{Context, Error, STATE_BYTES};

pub type Blob = [u8; STATE_BYTES];

/// Issuing key 3 and a verify-only key 9, default policy.
pub fn ctx() -> Context {
    let mut c = Context::new(&[0x5a; 32], 3).expect("valid key");
    c.add_key(&[0xa5; 48], 9).expect("valid key");
    c
}

/// Every error is in `allowed`; `CorruptState` leaves the blob unchanged; a blob that does not
/// decode as `kind` gives `CorruptState` (when `args_ok`); a changed blob decodes as `kind`.
pub fn check<T>(
    r: &Result<T, Error>,
    allowed: &[Error],
    kind: Kind,
    before: &Blob,
    after: &Blob,
    args_ok: bool,
) {
    if let Err(e) = r {
        assert!(allowed.contains(e), "undocumented error {e:?}");
    }
    if matches!(r, Err(Error::CorruptState)) {
        assert_eq!(before, after, "CORRUPT_STATE changed the blob");
    }
    if args_ok && State::decode(before, kind).is_err() {
        assert!(matches!(r, Err(Error::CorruptState)), "an undecodable blob was used");
    }
    if before != after {
        assert!(State::decode(after, kind).is_ok(), "wrote a blob of another kind");
    }
}

pub const REDEEM_ERRORS: &[Error] = &[
    Error::CorruptState,
    Error::Blocked,
    Error::Locked,
    Error::Mistyped,
    Error::UnknownKey,
    Error::Wrong,
    Error::DataChanged,
    Error::Superseded,
    Error::AlreadyUsed,
    Error::Expired,
];

pub const LINK_ISSUE_ERRORS: &[Error] = &[
    Error::CorruptState,
    Error::InvalidArgument,
    Error::MissingField,
    Error::InvalidBirthDate,
    Error::InvalidSnils,
];

pub const OTP_VERIFY_ERRORS: &[Error] = &[
    Error::InvalidArgument,
    Error::CorruptState,
    Error::Locked,
    Error::Blocked,
    Error::NoChallenge,
    Error::Mistyped,
    Error::UnknownKey,
    Error::AlreadyUsed,
    Error::Expired,
    Error::AttemptsExhausted,
    Error::Superseded,
    Error::Wrong,
];

pub const OTP_ISSUE_ERRORS: &[Error] =
    &[Error::InvalidArgument, Error::CorruptState, Error::Locked, Error::Blocked, Error::TooSoon];

pub const TOTP_VERIFY_ERRORS: &[Error] = &[
    Error::InvalidArgument,
    Error::CorruptState,
    Error::Blocked,
    Error::Locked,
    Error::Mistyped,
    Error::AlreadyUsed,
    Error::Wrong,
];

pub const PIN_VERIFY_ERRORS: &[Error] = &[
    Error::CorruptState,
    Error::Locked,
    Error::Blocked,
    Error::MalformedHash,
    Error::UnknownKey,
    Error::PinFormat,
    Error::Wrong,
];
