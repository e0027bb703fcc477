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

/// Every error is in `allowed`; a `now` outside the clock's range is `InvalidArgument` with the
/// blob unchanged; `CorruptState` leaves the blob unchanged; a blob that does not decode as
/// `kind` gives `CorruptState` (when `args_ok`); a changed blob decodes as `kind`.
pub fn check<T>(
    r: &Result<T, Error>,
    allowed: &[Error],
    kind: Kind,
    before: &Blob,
    after: &Blob,
    args_ok: bool,
    now: u64,
) {
    if let Err(e) = r {
        assert!(allowed.contains(e), "undocumented error {e:?}");
    }
    if portal_codes::clock::check(now).is_err() {
        assert!(matches!(r, Err(Error::InvalidArgument)), "now out of range was accepted");
        assert_eq!(before, after, "a refused now changed the blob");
        return;
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

#[path = "../../tests/support/errors.rs"]
mod errors;
pub use errors::*;
