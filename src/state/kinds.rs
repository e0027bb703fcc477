//! The registry of blob kinds: for each [`Kind`], its flow's payload codec ([`Payload`]: decode
//! and encode, the rules between payload and header, what [`super::reset`] clears, how a blob of
//! an earlier layout is read). Through it [`State::decode_any`], [`super::retry_at`] and
//! [`super::reset`] check a payload as its flow does. A new family adds its `Kind` value in
//! `src/blob.rs` and one row here; the compiler refuses a `Kind` without a row.

use crate::blob::{Kind, PAYLOAD_BYTES, Payload, State, VERSION, payload_of};
use crate::error::Result;

/// What the registry does with a payload: check it (and bring an earlier layout up to date), or
/// also apply the kind's reset rule.
type Codec = fn(&mut State, u8, bool) -> Result<()>;

/// The registry: one row per kind.
fn codec(kind: Kind) -> Codec {
    match kind {
        Kind::Link => revisit::<crate::link::Payload>,
        Kind::Pin => revisit::<crate::pin::Payload>,
        Kind::Otp => revisit::<crate::otp::Payload>,
        Kind::Totp => revisit::<crate::totp::TotpPayload>,
        Kind::Hotp => revisit::<crate::totp::HotpPayload>,
        Kind::Recovery => revisit::<crate::recovery::Payload>,
        Kind::Device => revisit::<crate::device::Payload>,
    }
}

/// Checks (and, for an earlier layout `version`, upgrades into `s.payload`) the payload of `s`
/// with its kind's codec.
pub(super) fn validate(s: &mut State, version: u8) -> Result<()> {
    codec(s.kind())(s, version, false)
}

/// Applies the kind's reset rule to the (valid, current-layout) payload of `s`.
pub(super) fn reset_payload(s: &mut State) {
    let r = codec(s.kind())(s, VERSION, true);
    debug_assert!(r.is_ok(), "reset_payload is called on a validated state");
}

/// Decodes the payload of `s` as `P` (from layout `version`), applies `P`'s reset rule if
/// asked, and writes it back in the current layout.
fn revisit<P: Payload>(s: &mut State, version: u8, reset: bool) -> Result<()> {
    debug_assert_eq!(P::KIND, s.kind(), "a registry row names another kind's codec");
    let mut p = payload_of::<P>(s, version)?;
    if reset {
        p.reset();
    }
    if version != VERSION || reset {
        s.payload = [0; PAYLOAD_BYTES];
        p.encode(&mut s.payload);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind's byte comes back, no other byte names a kind, and every registry row names
    /// the codec of its own kind.
    #[test]
    fn every_kind_has_its_own_row() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_u8(k as u8), Some(k));
            let mut s = State::fresh(k);
            assert_eq!(codec(k)(&mut s, VERSION, false), Ok(()), "{k:?}");
        }
        let named = (0..=255u8).filter(|&b| Kind::from_u8(b).is_some()).count();
        assert_eq!(named, Kind::ALL.len());
        assert_eq!(Kind::from_u8(0), None, "0 is the fresh blob's, never a kind");
        let kinds = [
            crate::link::Payload::KIND,
            crate::pin::Payload::KIND,
            crate::otp::Payload::KIND,
            crate::totp::TotpPayload::KIND,
            crate::totp::HotpPayload::KIND,
            crate::recovery::Payload::KIND,
            crate::device::Payload::KIND,
        ];
        assert_eq!(kinds, Kind::ALL);
    }
}
