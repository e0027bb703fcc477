//! PINs the portal issues ("Get PIN"): a PIN of the requested length drawn uniformly from the
//! PINs that [`check`](super::check) accepts for this holder.
//!
//! # How a PIN is drawn
//!
//! Rejection sampling, twice, in one bounded loop:
//!
//! 1. one 32-bit draw `v` from the caller's [`CryptoRng`]; a draw above the largest multiple of
//!    `10^length` below 2^32 is thrown away (so `v mod 10^length` has no modulo bias: every
//!    string of `length` digits is equally likely);
//! 2. the candidate's digits go through [`weakness`](super::weakness) with the parsed birth date,
//!    the same function [`check`](super::check) answers from; a weak candidate is thrown away.
//!
//! Conditioned on acceptance, a uniform candidate is uniform over the accepted set, so the
//! result is exactly uniform over the PINs that `check(ctx, pin, pin, birth_date)` accepts. No
//! PIN is ever adjusted into another ("the next acceptable PIN" would give the PIN after a run
//! of refused ones their weight too).
//!
//! The loop makes at most [`GENERATE_MAX_DRAWS`] (64) draws. With the real blocklist and rules
//! 8,938 of the 10,000 4-digit PINs (89.4 %) and 892,367 of the 1,000,000 6-digit PINs (89.2 %)
//! are accepted, and a birth date removes at most 7 resp. 10 more (its forms), so at least 89.2 %
//! whatever the birth date (`src/pin/generate_tests.rs::acceptance_rates_bound_the_loop`
//! computes these figures). A working generator needs 1.12 draws on average and runs out of
//! draws with probability below 2^-200 (`0.108^64`). Running out therefore means a broken
//! generator: the call answers [`Error::RngFailure`] and writes nothing; it never loops forever
//! and never returns a PIN from outside the uniform choice.
//!
//! Every candidate and the raw draw are zeroized when dropped (the candidate lives in the same
//! zeroize-on-drop digits as SMS codes). Details recorded for a refused argument are fixed
//! sentences: no PIN ever appears in one.

use zeroize::Zeroize;

use crate::context::Context;
use crate::digits::Digits;
use crate::error::{Error, Result};
use crate::rng::CryptoRng;

use super::policy::{BirthDate, weakness};

/// Buffer size for a generated PIN in C, including the terminating NUL (`PCODES_PIN_GENERATE_BYTES`:
/// the longest PIN any policy allows is 6 digits).
pub const GENERATE_BYTES: usize = super::policy::MAX_PIN_LEN + 1;

/// Draws one generation may make before it gives up with [`Error::RngFailure`] (see the module
/// docs: with a working generator this happens with probability below 2^-200).
pub const GENERATE_MAX_DRAWS: u32 = 64;

/// A PIN [`generate`] drew, to be shown to the person. Its `Debug` output hides the digits and
/// its memory is zeroized on drop.
pub struct GeneratedPin(Digits);

impl GeneratedPin {
    /// The PIN as ASCII digits, zero-padded (`"0472"`).
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Number of digits (4 or 6).
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: a PIN has 4 or 6 digits.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }
}

impl core::fmt::Debug for GeneratedPin {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "GeneratedPin({} digits)", self.0.len())
    }
}

/// The checks [`generate_with_rng`] makes before it draws: the length (4 or 6, allowed by
/// `PIN_LENGTHS`) and the birth date. Returns the parsed birth date.
///
/// # Errors
/// [`Error::InvalidArgument`] for a length other than 4 or 6 or one `PIN_LENGTHS` does not
/// allow; [`Error::InvalidBirthDate`] as [`check`](super::check).
fn generate_check(ctx: &Context, length: u32, birth_date: Option<&str>) -> Result<Option<BirthDate>> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    if length != 4 && length != 6 {
        return Err(Error::InvalidArgument.because(c"length: must be 4 or 6"));
    }
    if ctx.policy().pin_lengths >> length & 1 == 0 {
        return Err(Error::InvalidArgument.because(c"length: not allowed by PCODES_SETTING_PIN_LENGTHS"));
    }
    birth_date.map(BirthDate::parse).transpose()
}

/// Draws a PIN of `length` digits (4 or 6, allowed by the context's `PIN_LENGTHS`) uniformly
/// from the PINs that [`check`](super::check)`(ctx, pin, pin, birth_date)` accepts: never on
/// the blocklist, never a pattern, never read off `birth_date` (`YYYY-MM-DD`) in any form the
/// policy checks. Randomness comes from `rng` (see the module docs for the bounded rejection
/// sampling).
///
/// # Errors
/// [`Error::InvalidArgument`] (length), [`Error::InvalidBirthDate`]; [`Error::RngFailure`] if
/// [`GENERATE_MAX_DRAWS`] draws in a row were refused (a broken generator).
pub fn generate_with_rng<R: CryptoRng + ?Sized>(
    ctx: &Context,
    length: u32,
    birth_date: Option<&str>,
    rng: &mut R,
) -> Result<GeneratedPin> {
    let birth = generate_check(ctx, length, birth_date)?;
    let space = 10u32.pow(length);
    // The largest multiple of `space` that fits in u32, minus one: draws above it are refused.
    let zone = u32::MAX - (u32::MAX - space + 1) % space;
    for _ in 0..GENERATE_MAX_DRAWS {
        let mut v = rng.next_u32();
        let in_zone = v <= zone;
        let candidate = Digits::new(v % space, length);
        v.zeroize();
        if in_zone && weakness(candidate.as_str(), birth).is_none() {
            return Ok(GeneratedPin(candidate));
        }
        // `candidate` is zeroized here, when dropped.
    }
    Err(Error::RngFailure)
}

/// [`generate_with_rng`] with this thread's OS-seeded generator
/// ([`crate::rng::with_system_rng`]).
///
/// # Errors
/// As [`generate_with_rng`]; [`Error::RngFailure`] also if the operating system's randomness
/// is unavailable.
#[cfg(feature = "std")]
pub fn generate(ctx: &Context, length: u32, birth_date: Option<&str>) -> Result<GeneratedPin> {
    // Budget the bytes the bounded loop may draw, for the reseed accounting.
    let budget = 4 * u64::from(GENERATE_MAX_DRAWS);
    crate::rng::with_system_rng(budget, |r| generate_with_rng(ctx, length, birth_date, r))?
}

#[cfg(test)]
#[path = "generate_tests.rs"]
mod tests;
