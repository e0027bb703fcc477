//! SHA-1 compression of `L` = 1..=4 independent chaining states at once, with the rounds of
//! the lanes interleaved instruction by instruction inside one routine (as the SHA-256 kernels
//! of the parent module): a SHA-1 compression on SHA-NI is a chain of 20 dependent
//! `sha1rnds4` instructions, and one call per state leaves each chain its own island, so the
//! SHA unit waits on one chain at a time. Used for the candidate codes of a TOTP/HOTP window
//! (`HmacKey::mac_short_lanes` through `Algorithm::compress_lanes`, issue 23 §4): three
//! candidates are three inner compressions, then three outer ones, each group one call here.
//!
//! The same dispatch as the parent module: the kernel in `x86` runs when [`super::available`]
//! finds SHA, SSSE3 and SSE4.1 (at run time with `std`, from the build's target features
//! without it); every other CPU or architecture takes the portable path, the `sha1` crate's
//! compression one lane after the other, with the same results. Per lane the instructions are
//! those of Intel's reference code (and of the `sha1` crate's SHA-NI backend): the first quad
//! adds E to W0..W3, every later one derives its E from the ABCD of two quads before with
//! `sha1nexte`; W16..W79 come from `sha1msg1`, a XOR and `sha1msg2`, computed quad by quad
//! between the rounds (`compress_lanes!`). The tests of the parent module have their twins
//! here. Miri (nightly of 2026-10-29) implements the SHA-256 intrinsics but not the SHA-1 ones:
//! `cargo +nightly miri test --lib mac::shani` checks the portable path here, and in the build
//! with `RUSTFLAGS="-C target-feature=+sha,+ssse3,+sse4.1"` (where the `sha1` crate, the tests'
//! reference, takes the same instructions) the SHA-1 tests are ignored: the kernel is checked on
//! the CPU only.
//!
//! Measured (2026-12-02, AMD EPYC with SHA-NI, shared with another job; ns per call, the best
//! of 40 alternating runs of 200,000 calls): one lane 44 (the `sha1` crate 44), two 49–50 (48–49
//! as two crate calls, which the CPU already overlaps), three 59–60 (73–74), four 71–72 (97–98).
//! Computing the schedule first into an array on the stack, as the SHA-256 kernels do for three
//! or four lanes, gave 48–49, 64 and 84 for two, three and four lanes, so every lane count
//! rolls it here: SHA-1's schedule is four registers per lane and its rounds need two, so four
//! lanes spill little. The TOTP window's three candidates gain most
//! (benches/issue-23-speed-2.md, "Interleaved SHA-1 for the TOTP window").

use super::super::sha::{Algorithm, Sha1};

/// A SHA-1 chaining state (or a digest as five big-endian words).
pub(crate) type State = [u32; 5];

/// The most lanes the kernel takes (a caller with more compresses them in groups).
pub(crate) const MAX_LANES: usize = 4;

/// Compresses `blocks[l]` into `states[l]` for every lane `l`: interleaved on SHA-NI, one lane
/// after the other otherwise.
#[inline]
pub(crate) fn compress<const L: usize>(states: &mut [State; L], blocks: &[[u8; 64]; L]) {
    #[cfg(target_arch = "x86_64")]
    if super::available() {
        // SAFETY: `available()` found SHA, SSSE3 and SSE4.1 on this CPU, the features
        // `x86::compress` is compiled with; it touches only the two arrays it is given.
        unsafe { x86::compress(states, blocks) };
        return;
    }
    compress_portable(states, blocks);
}

/// [`compress`] without the kernel: the `sha1` crate's compression, lane after lane.
pub(crate) fn compress_portable<const L: usize>(states: &mut [State; L], blocks: &[[u8; 64]; L]) {
    for (s, b) in states.iter_mut().zip(blocks) {
        Sha1::compress(s, b);
    }
}

// The pointer casts feed unaligned loads and stores (`loadu`/`storeu`), which have no alignment
// requirement.
#[allow(clippy::cast_ptr_alignment)]
#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::State;
    use core::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_extract_epi32, _mm_loadu_si128, _mm_set_epi32, _mm_set_epi64x,
        _mm_sha1msg1_epu32, _mm_sha1msg2_epu32, _mm_sha1nexte_epu32, _mm_sha1rnds4_epu32, _mm_shuffle_epi8,
        _mm_shuffle_epi32, _mm_storeu_si128, _mm_xor_si128,
    };

    /// W[4q+16..4q+20] from W[4q..] (`$a`), W[4q+4..] (`$b`), W[4q+8..] (`$c`), W[4q+12..] (`$d`).
    macro_rules! schedule {
        ($a:expr, $b:expr, $c:expr, $d:expr) => {
            _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32($a, $b), $c), $d)
        };
    }

    /// Slides the lanes' window of message quads (`$w0` oldest) by one after quad `$q`: the
    /// new newest quad is W[4q+16..4q+20] while there is one (q < 16).
    macro_rules! roll {
        ($L:expr, $q:expr, $w0:ident, $w1:ident, $w2:ident, $w3:ident) => {
            for l in 0..$L {
                let next = if $q < 16 { schedule!($w0[l], $w1[l], $w2[l], $w3[l]) } else { $w3[l] };
                ($w0[l], $w1[l], $w2[l], $w3[l]) = ($w1[l], $w2[l], $w3[l], next);
            }
        };
    }

    /// Quad `$q` (rounds 4q..4q+4, round function `$f`, a literal) on every lane: `$w[l]` holds
    /// lane `l`'s W[4q..4q+4]; `$prev[l]` the lane's ABCD before the previous quad (its A is this
    /// quad's E, `sha1nexte`), `$abcd[l]` its current ABCD; the first quad adds E (`$e`) itself.
    macro_rules! quad {
        ($L:expr, $q:expr, $f:literal, $abcd:ident, $prev:ident, $e:ident, $w:expr) => {
            for l in 0..$L {
                let ein =
                    if $q == 0 { _mm_add_epi32($e[l], $w[l]) } else { _mm_sha1nexte_epu32($prev[l], $w[l]) };
                $prev[l] = $abcd[l];
                $abcd[l] = _mm_sha1rnds4_epu32($abcd[l], ein, $f);
            }
        };
    }

    /// The 80 rounds of one compression on every lane, the lanes' instructions interleaved:
    /// `$abcd` (A in the top element) and `$e` (E in the top element, the rest zeros) hold the
    /// states (updated, feed-forward included), `$m0..$m3` the message words W0..W15 (W0 in the
    /// top element, read only). A macro so that it is expanded inside the `#[target_feature]`
    /// kernel. The message schedule stays in registers: W[4q+16..4q+20] is computed after quad
    /// q's rounds are issued, from the sliding window of the last four quads' words (computing
    /// it first into an array on the stack, as the SHA-256 kernels do for three or four lanes,
    /// was slower here at every lane count: module docs).
    macro_rules! compress_lanes {
        ($L:expr, $abcd:ident, $e:ident, $m0:ident, $m1:ident, $m2:ident, $m3:ident) => {{
            let (save_abcd, save_e) = ($abcd, $e);
            // W[4q..4q+16] of each lane, oldest quad first.
            let (mut w0, mut w1, mut w2, mut w3) = ($m0, $m1, $m2, $m3);
            let mut prev = $abcd;
            for q in 0..5 {
                quad!($L, q, 0, $abcd, prev, $e, w0);
                roll!($L, q, w0, w1, w2, w3);
            }
            for q in 5..10 {
                quad!($L, q, 1, $abcd, prev, $e, w0);
                roll!($L, q, w0, w1, w2, w3);
            }
            for q in 10..15 {
                quad!($L, q, 2, $abcd, prev, $e, w0);
                roll!($L, q, w0, w1, w2, w3);
            }
            for q in 15..20 {
                quad!($L, q, 3, $abcd, prev, $e, w0);
                roll!($L, q, w0, w1, w2, w3);
            }
            for l in 0..$L {
                $abcd[l] = _mm_add_epi32($abcd[l], save_abcd[l]);
                $e[l] = _mm_sha1nexte_epu32(prev[l], save_e[l]);
            }
        }};
    }

    /// [`super::compress`] on SHA-NI.
    ///
    /// # Safety
    /// The CPU must have SHA, SSSE3 and SSE4.1.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) unsafe fn compress<const L: usize>(states: &mut [State; L], blocks: &[[u8; 64]; L]) {
        // SAFETY: the caller guarantees the target features; every pointer is derived from a
        // reference to a whole array and stays inside it (the first 16 bytes of a 20-byte
        // state, four 16-byte quarters of a 64-byte block); unaligned loads and stores are what
        // `loadu`/`storeu` are for.
        unsafe {
            let zero = _mm_set_epi32(0, 0, 0, 0);
            // Reverses the 16 bytes: big-endian words, W0 (or A) in the top element.
            let bswap = _mm_set_epi64x(0x0001_0203_0405_0607, 0x0809_0a0b_0c0d_0e0f);
            let (mut abcd, mut e) = ([zero; L], [zero; L]);
            let (mut m0, mut m1, mut m2, mut m3) = ([zero; L], [zero; L], [zero; L], [zero; L]);
            for l in 0..L {
                abcd[l] = _mm_shuffle_epi32(_mm_loadu_si128(states[l].as_ptr().cast::<__m128i>()), 0x1B);
                e[l] = _mm_set_epi32(states[l][4].cast_signed(), 0, 0, 0);
                let p = blocks[l].as_ptr().cast::<__m128i>();
                m0[l] = _mm_shuffle_epi8(_mm_loadu_si128(p), bswap);
                m1[l] = _mm_shuffle_epi8(_mm_loadu_si128(p.add(1)), bswap);
                m2[l] = _mm_shuffle_epi8(_mm_loadu_si128(p.add(2)), bswap);
                m3[l] = _mm_shuffle_epi8(_mm_loadu_si128(p.add(3)), bswap);
            }
            compress_lanes!(L, abcd, e, m0, m1, m2, m3);
            for l in 0..L {
                _mm_storeu_si128(states[l].as_mut_ptr().cast::<__m128i>(), _mm_shuffle_epi32(abcd[l], 0x1B));
                states[l][4] = _mm_extract_epi32(e[l], 3).cast_unsigned();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mac::shani::tests::seed;
    use crate::rng::{ChaCha20Rng, Rng, SeedableRng};

    /// Against the `sha1` crate's `compress` (called directly, not through this crate's
    /// `Algorithm`), for each lane count, both paths, on random states and blocks.
    fn check_lanes<const L: usize>(seed: u64) {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        for _ in 0..if cfg!(miri) { 3 } else { 500 } {
            let mut states = [[0u32; 5]; L];
            let mut blocks = [[0u8; 64]; L];
            for (s, b) in states.iter_mut().zip(blocks.iter_mut()) {
                for w in s.iter_mut() {
                    *w = rng.next_u32();
                }
                rng.fill_bytes(b);
            }
            let mut want = states;
            let mut portable = states;
            for (w, b) in want.iter_mut().zip(&blocks) {
                ::sha1::block_api::compress(w, core::slice::from_ref(b));
            }
            compress(&mut states, &blocks);
            compress_portable(&mut portable, &blocks);
            assert_eq!(states, want, "dispatched path, {L} lanes, seed {seed}");
            assert_eq!(portable, want, "portable path, {L} lanes, seed {seed}");
        }
    }

    // Miri implements the SHA-256 intrinsics but not the SHA-1 ones (`llvm.x86.sha1rnds4` is
    // "unsupported"), and with `+sha` the `sha1` crate takes them too: that build checks the
    // SHA-256 kernels only (module docs).
    #[cfg_attr(all(miri, target_feature = "sha"), ignore = "Miri has no SHA-1 intrinsics")]
    #[test]
    fn every_lane_count_agrees_with_sha1() {
        let s = seed();
        check_lanes::<1>(s);
        check_lanes::<2>(s ^ 2);
        check_lanes::<3>(s ^ 3);
        check_lanes::<4>(s ^ 4);
    }

    /// FIPS 180-4's "abc" example (one block from the IV), through the kernel: a check that
    /// does not depend on the `sha1` crate.
    #[cfg_attr(all(miri, target_feature = "sha"), ignore = "Miri has no SHA-1 intrinsics")]
    #[test]
    fn abc_gives_the_fips_digest() {
        let mut block = [0u8; 64];
        block[..3].copy_from_slice(b"abc");
        block[3] = 0x80;
        block[63] = 24;
        let want = [0xa999_3e36, 0x4706_816a, 0xba3e_2571, 0x7850_c26c, 0x9cd0_d89d];
        let mut states = [Sha1::IV; 3];
        compress(&mut states, &[block; 3]);
        assert_eq!(states, [want; 3]);
        let mut one = [Sha1::IV];
        compress(&mut one, &[block]);
        assert_eq!(one, [want]);
    }
}
