//! The range of `now` every flow accepts.
//!
//! Every flow takes the current time from the caller as unix seconds. A value outside
//! [`MIN_NOW`]`..=`[`MAX_NOW`] is refused with [`Error::InvalidArgument`] before the state blob
//! is read or written: `0` is what an unset variable gives, and values near `u64::MAX` would
//! let sums such as "now + lock period" saturate, so that limits silently stop holding. Inside
//! the range no sum a flow makes can overflow (every period is at most a few days).
//!
//! Clocks that go backwards (servers whose clocks differ by seconds to minutes) are handled by
//! each flow as its docs say; in short, a time earlier than one stored in the blob never
//! shortens a wait, a lock or a code's validity window, and never revives anything:
//!
//! | flow | `now` earlier than a stored time |
//! |---|---|
//! | lockout (every flow) | a lock holds until `locked_until`; from an earlier `now` it simply lasts longer |
//! | link codes | a code is not expired while `now` is before its issue time + TTL (also before the issue, by up to [`MAX_CLOCK_SKEW`]) |
//! | SMS / e-mail codes | a resend before the last send is `TOO_SOON`; a code is not expired (as link codes) |
//! | TOTP | steps at or before the last accepted one are `ALREADY_USED` whatever the clock says |
//! | HOTP, PIN | do not use stored times except the lock |

//!
//! # Clock skew between servers
//!
//! Hosts keep their servers' clocks within [`MAX_CLOCK_SKEW`] (300 s) of each other (NTP does
//! far better). A code issued by a server whose clock runs ahead by `d` lives `TTL + d` on the
//! others; a code whose issue time is more than `MAX_CLOCK_SKEW` after the verifying server's
//! `now` was issued by a clock outside the tolerance and is `EXPIRED`, so no code lives longer
//! than its TTL + 300 s. A lock written by a server whose clock runs behind by `d` ends `d`
//! early on the others (and one written by a fast server lasts `d` longer): the library cannot
//! see which clock is right, so the skew bounds the error (`tests/time_edges.rs::clock_skew_is_bounded`).

use crate::error::{Error, Result};

/// The largest difference between servers' clocks the flows tolerate (seconds): a link or SMS
/// code issued more than this after the verifying `now` is `EXPIRED`.
pub const MAX_CLOCK_SKEW: u64 = 300;

/// The earliest `now` accepted: 1 (1970-01-01 00:00:01 UTC). `0` is refused.
pub const MIN_NOW: u64 = 1;
/// The latest `now` accepted: 9999-12-31 23:59:59 UTC.
pub const MAX_NOW: u64 = 253_402_300_799;

/// Refuses a `now` outside [`MIN_NOW`]`..=`[`MAX_NOW`].
///
/// # Errors
/// [`Error::InvalidArgument`].
pub fn check(now: u64) -> Result<()> {
    if (MIN_NOW..=MAX_NOW).contains(&now) {
        Ok(())
    } else {
        Err(Error::InvalidArgument
            .because(c"now: must be 1 ..= 253402300799 (unix seconds, UTC; 0 is refused)"))
    }
}
