//! Randomness.
//!
//! Core functions take the caller's generator as `&mut R` with `R: CryptoRng` (re-exported from
//! `rand_core`), so a `no_std` user brings their own (for instance a [`ChaCha20Rng`] seeded from a
//! hardware source). With the `std` feature, [`with_system_rng`] lends a ChaCha20 generator that
//! lives in a thread-local and is seeded from the operating system (`getrandom`):
//!
//! - threads never share a generator, so sharing a context between threads needs no lock;
//! - after `fork()` the child would inherit the parent's generator state, so the generator
//!   remembers the process id it was seeded in and reseeds when it changes: parent and child
//!   never hand out the same values;
//! - it also reseeds after [`RESEED_AFTER_BYTES`] bytes, bounding what a memory disclosure
//!   reveals about past and future outputs.
//!
//! If the operating system refuses randomness, the operation fails with
//! [`Error::RngFailure`](crate::Error::RngFailure); nothing is ever generated from a weak seed.

pub use rand_chacha::ChaCha20Rng;
pub use rand_chacha::rand_core::{CryptoRng, Rng, SeedableRng};

/// Bytes one seed may produce before the thread-local generator reseeds.
pub const RESEED_AFTER_BYTES: u64 = 1 << 20;

/// Draws a uniformly random integer in `0..bound` by rejection sampling (no modulo bias).
/// `bound` must be non-zero.
pub fn uniform_below<R: CryptoRng + ?Sized>(rng: &mut R, bound: u32) -> u32 {
    debug_assert!(bound > 0);
    let bound = bound.max(1);
    // Largest multiple of `bound` that fits in u32's range, as the rejection threshold.
    let zone = u32::MAX - (u32::MAX - bound + 1) % bound;
    loop {
        let v = rng.next_u32();
        if v <= zone {
            return v % bound;
        }
    }
}

#[cfg(feature = "std")]
mod system {
    use core::cell::RefCell;

    use super::{ChaCha20Rng, RESEED_AFTER_BYTES, SeedableRng};
    use crate::error::{Error, Result};

    struct Seeded {
        rng: ChaCha20Rng,
        pid: u32,
        used: u64,
    }

    std::thread_local! {
        static RNG: RefCell<Option<Seeded>> = const { RefCell::new(None) };
    }

    fn seed() -> Result<Seeded> {
        let mut s = [0u8; 32];
        getrandom::fill(&mut s).map_err(|_| Error::RngFailure)?;
        let rng = ChaCha20Rng::from_seed(s);
        zeroize::Zeroize::zeroize(&mut s);
        Ok(Seeded { rng, pid: std::process::id(), used: 0 })
    }

    /// Runs `f` with this thread's OS-seeded ChaCha20 generator (see the module docs).
    /// `budget` is how many bytes `f` may draw, for the reseed accounting.
    ///
    /// # Errors
    /// [`Error::RngFailure`] if the operating system's randomness is unavailable.
    pub fn with_system_rng<T>(budget: u64, f: impl FnOnce(&mut ChaCha20Rng) -> T) -> Result<T> {
        RNG.with(|cell| {
            let mut slot = cell.try_borrow_mut().map_err(|_| Error::Internal)?;
            let pid = std::process::id();
            let stale = match slot.as_ref() {
                Some(s) => s.pid != pid || s.used >= RESEED_AFTER_BYTES,
                None => true,
            };
            if stale {
                *slot = Some(seed()?);
            }
            let s = slot.as_mut().ok_or(Error::Internal)?;
            s.used = s.used.saturating_add(budget);
            Ok(f(&mut s.rng))
        })
    }
}

#[cfg(feature = "std")]
pub use system::with_system_rng;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_below_covers_the_range_without_bias() {
        let mut rng = ChaCha20Rng::from_seed([7; 32]);
        let mut counts = [0u32; 10];
        for _ in 0..100_000 {
            counts[uniform_below(&mut rng, 10) as usize] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
        assert_eq!(uniform_below(&mut rng, 1), 0);
        for _ in 0..1000 {
            assert!(uniform_below(&mut rng, u32::MAX) < u32::MAX);
        }
    }

    #[cfg(feature = "std")]
    #[test]
    fn system_rng_gives_fresh_values() {
        let a = with_system_rng(8, Rng::next_u64).unwrap();
        let b = with_system_rng(8, Rng::next_u64).unwrap();
        assert_ne!(a, b);
        let other = std::thread::spawn(|| with_system_rng(8, Rng::next_u64).unwrap()).join().unwrap();
        assert_ne!(a, other);
        // Past the reseed budget it keeps working.
        for _ in 0..3 {
            with_system_rng(RESEED_AFTER_BYTES, Rng::next_u32).unwrap();
        }
    }
}
