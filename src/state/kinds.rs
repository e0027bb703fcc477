//! The registry of blob kinds: for each [`Kind`], its flow's payload codec ([`Payload`]: decode
//! and encode, the rules between payload and header, what [`super::reset`] clears, what
//! [`super::revoke`] kills, what [`super::events`] reads, how a blob of an earlier layout is
//! read). Through it [`State::decode_any`], [`super::retry_at`], [`super::reset`],
//! [`super::revoke`] and [`super::events`] treat a payload as its flow does. A new family adds
//! its `Kind` value in `src/blob.rs` and one row here; the compiler refuses a `Kind` without a
//! row.

use crate::blob::{Kind, PAYLOAD_BYTES, Payload, State, VERSION, payload_of};
use crate::error::Result;

/// What the registry does with a payload besides checking it (and bringing an earlier layout up
/// to date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// Only check it.
    Check,
    /// Apply the kind's reset rule.
    Reset,
    /// Apply the kind's revocation rule for these `state::REVOKE_*` flags.
    Revoke(u32),
}

/// A recovery set's id and its codes left (`Payload::recovery_left`).
type SetLeft = Option<([u8; 8], u32)>;

/// Device tokens issued and the latest issue time (`Payload::devices_issued`).
type Issued = Option<(u32, u64)>;

/// One kind's row: its codec, with a rule, and what its payload says about a recovery set and
/// about issued device tokens.
struct Row {
    revisit: fn(&mut State, u8, Rule) -> Result<()>,
    recovery_left: fn(&State) -> SetLeft,
    devices_issued: fn(&State) -> Issued,
}

/// The registry: one row per kind.
fn row(kind: Kind) -> Row {
    match kind {
        Kind::Link => row_of::<crate::link::Payload>(),
        Kind::Pin => row_of::<crate::pin::Payload>(),
        Kind::Otp => row_of::<crate::otp::Payload>(),
        Kind::Totp => row_of::<crate::totp::TotpPayload>(),
        Kind::Hotp => row_of::<crate::totp::HotpPayload>(),
        Kind::Recovery => row_of::<crate::recovery::Payload>(),
        Kind::Device => row_of::<crate::device::Payload>(),
    }
}

fn row_of<P: Payload>() -> Row {
    Row { revisit: revisit::<P>, recovery_left: left_of::<P>, devices_issued: issued_of::<P> }
}

/// Checks (and, for an earlier layout `version`, upgrades into `s.payload`) the payload of `s`
/// with its kind's codec.
pub(super) fn validate(s: &mut State, version: u8) -> Result<()> {
    (row(s.kind()).revisit)(s, version, Rule::Check)
}

/// Applies the kind's reset or revocation `rule` to the (valid, current-layout) payload of `s`.
pub(super) fn apply(s: &mut State, rule: Rule) {
    let r = (row(s.kind()).revisit)(s, VERSION, rule);
    debug_assert!(r.is_ok(), "a rule is applied to a validated state");
}

/// The recovery set the (valid, current-layout) payload of `s` records, and its codes left.
pub(super) fn recovery_left(s: &State) -> SetLeft {
    (row(s.kind()).recovery_left)(s)
}

/// The device tokens the (valid, current-layout) payload of `s` records as issued, and the
/// latest issue time.
pub(super) fn devices_issued(s: &State) -> Issued {
    (row(s.kind()).devices_issued)(s)
}

/// Decodes the payload of `s` as `P` (from layout `version`), applies `rule`, and writes it back
/// in the current layout.
fn revisit<P: Payload>(s: &mut State, version: u8, rule: Rule) -> Result<()> {
    debug_assert_eq!(P::KIND, s.kind(), "a registry row names another kind's codec");
    let mut p = payload_of::<P>(s, version)?;
    match rule {
        Rule::Check => {}
        Rule::Reset => p.reset(),
        Rule::Revoke(what) => p.revoke(what),
    }
    if version != VERSION || rule != Rule::Check {
        s.payload = [0; PAYLOAD_BYTES];
        p.encode(&mut s.payload);
    }
    Ok(())
}

fn left_of<P: Payload>(s: &State) -> SetLeft {
    payload_of::<P>(s, VERSION).ok()?.recovery_left()
}

fn issued_of<P: Payload>(s: &State) -> Issued {
    payload_of::<P>(s, VERSION).ok()?.devices_issued()
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
            assert_eq!((row(k).revisit)(&mut s, VERSION, Rule::Check), Ok(()), "{k:?}");
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
