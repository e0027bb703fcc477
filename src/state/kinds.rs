//! The registry of blob kinds: one row per flow that keeps a state blob, naming its stored kind
//! byte and its payload codec ([`super::Payload`]: decode and encode, the rules between payload
//! and header, what [`super::reset`] clears, how a blob of an earlier layout is read). From the
//! rows come [`Kind`], [`Kind::ALL`], the kind byte's decoding and the dispatch that lets
//! [`super::State::decode_any`], [`super::retry_at`] and [`super::reset`] check a payload with
//! its own flow's codec. A new family adds one row here (and its `Payload` impl).

use super::{Payload, State, payload_of};
use crate::error::Result;

macro_rules! kinds {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $byte:literal => $payload:ty
    ),* $(,)?) => {
        /// Which flow a state blob belongs to. The values are stored and never reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[repr(u8)]
        pub enum Kind {
            $($(#[$doc])* $variant = $byte,)*
        }

        impl Kind {
            /// Every kind, in the order of their stored values (for tests, fuzz targets and
            /// tools that must cover every flow).
            pub const ALL: [Kind; [$($byte),*].len()] = [$(Kind::$variant),*];

            /// The kind stored as `v` (byte 0 of a blob).
            #[must_use]
            pub const fn from_u8(v: u8) -> Option<Self> {
                match v {
                    $($byte => Some(Kind::$variant),)*
                    _ => None,
                }
            }
        }

        /// Checks (and, for an earlier layout `version`, upgrades into `s.payload`) the
        /// payload of `s` with its kind's codec.
        pub(super) fn validate(s: &mut State, version: u8) -> Result<()> {
            match s.kind() {
                $(Kind::$variant => revisit::<$payload>(s, version, false),)*
            }
        }

        /// Applies the kind's reset rule to the (valid, current-layout) payload of `s`.
        pub(super) fn reset_payload(s: &mut State) {
            let r = match s.kind() {
                $(Kind::$variant => revisit::<$payload>(s, super::VERSION, true),)*
            };
            debug_assert!(r.is_ok(), "reset_payload is called on a validated state");
        }
    };
}

kinds! {
    /// A child record's link codes.
    Link = 1 => crate::link::Payload,
    /// An account's PIN verifications.
    Pin = 2 => crate::pin::Payload,
    /// SMS / e-mail one-time codes.
    Otp = 3 => crate::otp::Payload,
    /// An authenticator app, time-based (TOTP).
    Totp = 4 => crate::totp::TotpPayload,
    /// An authenticator app, counter-based (HOTP).
    Hotp = 5 => crate::totp::HotpPayload,
}

/// Decodes the payload of `s` as `P` (from layout `version`), applies `P`'s reset rule if
/// asked, and writes it back in the current layout.
fn revisit<P: Payload>(s: &mut State, version: u8, reset: bool) -> Result<()> {
    let mut p = payload_of::<P>(s, version)?;
    if reset {
        p.reset();
    }
    if version != super::VERSION || reset {
        s.payload = [0; super::PAYLOAD_BYTES];
        p.encode(&mut s.payload);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row's kind byte comes back, and no other byte names a kind.
    #[test]
    fn kind_bytes_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_u8(k as u8), Some(k));
        }
        let named = (0..=255u8).filter(|&b| Kind::from_u8(b).is_some()).count();
        assert_eq!(named, Kind::ALL.len());
        assert_eq!(Kind::from_u8(0), None, "0 is the fresh blob's, never a kind");
    }
}
