//! SHA-256 compression of `L` = 1..=4 independent chaining states at once, with the rounds of
//! the lanes interleaved instruction by instruction inside one routine, so that the CPU's
//! SHA unit works on the `L` dependency chains together (a compression is a chain of 32
//! dependent `sha256rnds2` instructions; calling a one-state compression `L` times leaves each
//! call its own island of dependencies). Used by multi-block PBKDF2 ([`pbkdf2_rounds`],
//! `crate::pin::pbkdf2`), where the `L` output blocks T1..TL are independent chains. The same
//! for SHA-1, used by `Algorithm::compress_lanes` for the TOTP/HOTP window: [`sha1`].
//!
//! On x86-64 with the SHA extensions (SHA-NI, with SSSE3 and SSE4.1) the kernels in `x86` run;
//! on every other CPU or architecture the portable path (the `sha2` crate's `compress256`, one
//! lane after the other) gives the same results. The CPU is asked at run time with `std`; a
//! `no_std` build uses the kernels only when it is compiled for a CPU that has the extensions
//! (`-C target-feature=+sha,+ssse3,+sse4.1` or a `target-cpu` that implies them) and the
//! portable path otherwise.
//!
//! This module is the only place outside `src/ffi` where the crate allows `unsafe`: the
//! intrinsics need it. Every `unsafe` block says why it is sound; the only ones with pointers
//! are unaligned 16-byte loads and stores of whole `[u32; 8]` / `[u8; 64]` arrays.
//!
//! Miri implements the SHA-NI intrinsics but cannot ask the CPU: its `is_x86_feature_detected!`
//! answers from the build's target features. So `cargo +nightly miri test --lib mac::shani`
//! checks the portable path, and the same with `RUSTFLAGS="-C target-feature=+sha,+ssse3,+sse4.1"`
//! checks the kernels (loads, stores and all) against the `sha2` crate.

use super::HmacKey;
use super::sha::{Algorithm, Sha256};

// SHA-1 on the same lanes: the TOTP/HOTP window's candidate MACs (issue 23 §4).
pub(crate) mod sha1;

/// A SHA-256 chaining state (or a digest as eight big-endian words).
pub(crate) type State = [u32; 8];

/// The most lanes the kernels take.
pub(crate) const MAX_LANES: usize = 4;

/// Whether this CPU runs the SHA-NI kernels (asked once per call; `std` caches the answer).
#[must_use]
#[inline]
pub(crate) fn available() -> bool {
    #[cfg(all(target_arch = "x86_64", feature = "std"))]
    {
        std::is_x86_feature_detected!("sha")
            && std::is_x86_feature_detected!("sse4.1")
            && std::is_x86_feature_detected!("ssse3")
    }
    #[cfg(all(target_arch = "x86_64", not(feature = "std")))]
    {
        cfg!(all(target_feature = "sha", target_feature = "sse4.1", target_feature = "ssse3"))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Compresses `blocks[l]` into `states[l]` for every lane `l`: interleaved on SHA-NI, one lane
/// after the other otherwise. (The library itself uses the PBKDF2 kernel, [`pbkdf2_rounds`],
/// built from the same rounds: for one batch of SHA-256 HMACs this was no faster than separate
/// calls, benches/issue-23-speed-2.md; this entry point, compiled for the tests only, is the one
/// tested against the `sha2` crate.)
#[cfg(test)]
pub(crate) fn compress<const L: usize>(states: &mut [State; L], blocks: &[[u8; 64]; L]) {
    #[cfg(target_arch = "x86_64")]
    if available() {
        // SAFETY: `available()` found SHA, SSSE3 and SSE4.1 on this CPU, the features
        // `x86::compress` is compiled with; it touches only the two arrays it is given.
        unsafe { x86::compress(states, blocks) };
        return;
    }
    compress_portable(states, blocks);
}

/// [`compress`] without the kernels: the `sha2` crate's compression, lane after lane.
#[cfg(test)]
pub(crate) fn compress_portable<const L: usize>(states: &mut [State; L], blocks: &[[u8; 64]; L]) {
    for (s, b) in states.iter_mut().zip(blocks) {
        Sha256::compress(s, b);
    }
}

/// `rounds` further PBKDF2-HMAC-SHA256 iterations on `L` lanes (RFC 8018 §5.2, the loop of
/// `F`): for each lane, `u[l]` (the last `U_i`, as digest words) becomes `HMAC(key, u[l])` and is
/// XORed into `acc[l]`, `rounds` times. Two compressions per lane and round, the lanes
/// interleaved on SHA-NI; the caller wipes `u` and `acc`.
pub(crate) fn pbkdf2_rounds<const L: usize>(
    key: &HmacKey<Sha256>,
    u: &mut [State; L],
    acc: &mut [State; L],
    rounds: u32,
) {
    #[cfg(target_arch = "x86_64")]
    if available() {
        // SAFETY: as in `compress`: the CPU has the kernel's features, and it touches only the
        // arrays it is given.
        unsafe { x86::pbkdf2_rounds(&key.inner, &key.outer, u, acc, rounds) };
        return;
    }
    pbkdf2_rounds_portable(key, u, acc, rounds);
}

/// [`pbkdf2_rounds`] without the kernels: [`HmacKey::iterate`] lane after lane (the single-lane
/// PBKDF2 loop of earlier releases).
pub(crate) fn pbkdf2_rounds_portable<const L: usize>(
    key: &HmacKey<Sha256>,
    u: &mut [State; L],
    acc: &mut [State; L],
    rounds: u32,
) {
    let mut block = HmacKey::<Sha256>::digest_block();
    for (ul, al) in u.iter_mut().zip(acc.iter_mut()) {
        Sha256::write_digest(ul, &mut block[..32]);
        for _ in 0..rounds {
            key.iterate(&mut block);
            for (a, w) in al.iter_mut().zip(block[..32].chunks_exact(4)) {
                *a ^= u32::from_be_bytes([w[0], w[1], w[2], w[3]]);
            }
        }
        for (x, w) in ul.iter_mut().zip(block[..32].chunks_exact(4)) {
            *x = u32::from_be_bytes([w[0], w[1], w[2], w[3]]);
        }
    }
    zeroize::Zeroize::zeroize(&mut block[..32]);
}

// The pointer casts feed unaligned loads and stores (`loadu`/`storeu`), which have no alignment
// requirement.
#[allow(clippy::cast_ptr_alignment)]
#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::State;
    use core::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_alignr_epi8, _mm_blend_epi16, _mm_loadu_si128, _mm_set_epi32,
        _mm_sha256msg1_epu32, _mm_sha256msg2_epu32, _mm_sha256rnds2_epu32, _mm_shuffle_epi32,
        _mm_storeu_si128, _mm_xor_si128,
    };
    #[cfg(test)]
    use core::arch::x86_64::{_mm_set_epi64x, _mm_shuffle_epi8};

    /// FIPS 180-4 §4.2.2, four constants per quad of rounds.
    #[allow(clippy::unreadable_literal)]
    static K: [[u32; 4]; 16] = [
        [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5],
        [0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5],
        [0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3],
        [0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174],
        [0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc],
        [0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da],
        [0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7],
        [0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967],
        [0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13],
        [0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85],
        [0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3],
        [0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070],
        [0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5],
        [0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3],
        [0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208],
        [0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2],
    ];

    /// The 64 rounds of one compression on every lane, the lanes' instructions interleaved:
    /// `$abef`/`$cdgh` hold the states in the SHA-NI order (updated, feed-forward included),
    /// `$m0..$m3` the message words W0..W15 in native order (read only). A macro rather than a
    /// function so that it is always expanded inside the `#[target_feature]` kernels.
    ///
    /// The message schedule (W16..W63, plus the constants) is computed first, lane by lane,
    /// into an array on the stack; the rounds then keep only the lanes' states in registers.
    /// Interleaving the schedule into the rounds needs seven vector registers per lane, more
    /// than the sixteen SHA-NI can use for three or four lanes, and the spills land on the
    /// rounds' dependency chains. What limits three and four lanes is the schedule's work itself
    /// (about 60 vector instructions and 16 stores and reloads per compression), not the SHA
    /// unit: with its `sha256msg1`/`sha256msg2` replaced by adds the kernel was no faster
    /// (benches/issue-23-lanes.md, "Multi-lane PBKDF2, third round").
    ///
    /// One or two lanes are the exception: their schedule fits in four registers per lane beside
    /// the states, so it is computed quad by quad between the rounds (`compress_rolling!`), which
    /// runs at the cost of the rounds alone (in an interleaved probe 1.2–1.25 × faster than the
    /// stack array for one and for two lanes); three or four lanes computed that way spill
    /// registers and lose 1.7 × (benches/issue-23-lanes.md, "Multi-lane PBKDF2, third round").
    macro_rules! compress_lanes {
        ($L:expr, $abef:ident, $cdgh:ident, $m0:ident, $m1:ident, $m2:ident, $m3:ident) => {{
            if $L <= 2 {
                compress_rolling!($L, $abef, $cdgh, $m0, $m1, $m2, $m3);
            } else {
                compress_scheduled!($L, $abef, $cdgh, $m0, $m1, $m2, $m3);
            }
        }};
    }

    /// `compress_lanes!` with the message schedule computed first, into an array on the stack.
    macro_rules! compress_scheduled {
        ($L:expr, $abef:ident, $cdgh:ident, $m0:ident, $m1:ident, $m2:ident, $m3:ident) => {{
            let (save_abef, save_cdgh) = ($abef, $cdgh);
            let kp = K.as_ptr().cast::<__m128i>();
            let mut wk = [[_mm_set_epi32(0, 0, 0, 0); 16]; $L];
            for l in 0..$L {
                let (mut a, mut b, mut c, mut d) = ($m0[l], $m1[l], $m2[l], $m3[l]);
                wk[l][0] = _mm_add_epi32(a, _mm_loadu_si128(kp));
                wk[l][1] = _mm_add_epi32(b, _mm_loadu_si128(kp.add(1)));
                wk[l][2] = _mm_add_epi32(c, _mm_loadu_si128(kp.add(2)));
                wk[l][3] = _mm_add_epi32(d, _mm_loadu_si128(kp.add(3)));
                for q in 4..16 {
                    // W[q] from W[q-4] (a), W[q-3] (b), W[q-2] (c), W[q-1] (d).
                    let x = _mm_add_epi32(_mm_sha256msg1_epu32(a, b), _mm_alignr_epi8(d, c, 4));
                    let n = _mm_sha256msg2_epu32(x, d);
                    (a, b, c, d) = (b, c, d, n);
                    wk[l][q] = _mm_add_epi32(n, _mm_loadu_si128(kp.add(q)));
                }
            }
            for q in 0..16 {
                for l in 0..$L {
                    $cdgh[l] = _mm_sha256rnds2_epu32($cdgh[l], $abef[l], wk[l][q]);
                }
                for l in 0..$L {
                    // The two roles swap after every two rounds: `$cdgh` holds ABEF here.
                    $abef[l] = _mm_sha256rnds2_epu32($abef[l], $cdgh[l], _mm_shuffle_epi32(wk[l][q], 0x0E));
                }
            }
            for l in 0..$L {
                $abef[l] = _mm_add_epi32($abef[l], save_abef[l]);
                $cdgh[l] = _mm_add_epi32($cdgh[l], save_cdgh[l]);
            }
        }};
    }

    /// `compress_lanes!` with the message schedule in registers: the next quad W[4q+16..4q+20]
    /// is computed while quad q's rounds run (the SHA-NI order of Intel's reference code).
    macro_rules! compress_rolling {
        ($L:expr, $abef:ident, $cdgh:ident, $m0:ident, $m1:ident, $m2:ident, $m3:ident) => {{
            let (save_abef, save_cdgh) = ($abef, $cdgh);
            let kp = K.as_ptr().cast::<__m128i>();
            // W[4q..4q+16] of each lane, oldest quad first.
            let (mut w0, mut w1, mut w2, mut w3) = ($m0, $m1, $m2, $m3);
            for q in 0..16 {
                let mut wk = w0;
                for l in 0..$L {
                    wk[l] = _mm_add_epi32(w0[l], _mm_loadu_si128(kp.add(q)));
                    $cdgh[l] = _mm_sha256rnds2_epu32($cdgh[l], $abef[l], wk[l]);
                }
                for l in 0..$L {
                    // W[4q+16..] from W[4q..] (w0), W[4q+4..] (w1), W[4q+8..] (w2), W[4q+12..] (w3).
                    let next = if q < 12 {
                        let x = _mm_add_epi32(
                            _mm_sha256msg1_epu32(w0[l], w1[l]),
                            _mm_alignr_epi8(w3[l], w2[l], 4),
                        );
                        _mm_sha256msg2_epu32(x, w3[l])
                    } else {
                        w3[l]
                    };
                    (w0[l], w1[l], w2[l], w3[l]) = (w1[l], w2[l], w3[l], next);
                    $abef[l] = _mm_sha256rnds2_epu32($abef[l], $cdgh[l], _mm_shuffle_epi32(wk[l], 0x0E));
                }
            }
            for l in 0..$L {
                $abef[l] = _mm_add_epi32($abef[l], save_abef[l]);
                $cdgh[l] = _mm_add_epi32($cdgh[l], save_cdgh[l]);
            }
        }};
    }

    /// State words A..D and E..H (element 0 = A, E) into the SHA-NI order (ABEF, CDGH).
    macro_rules! to_shani {
        ($abcd:expr, $efgh:expr) => {{
            let t = _mm_shuffle_epi32($abcd, 0xB1); // B A D C
            let h = _mm_shuffle_epi32($efgh, 0x1B); // H G F E
            (_mm_alignr_epi8(t, h, 8), _mm_blend_epi16(h, t, 0xF0))
        }};
    }

    /// The inverse of `to_shani!`: (ABCD, EFGH), element 0 = A, E; as message words, the
    /// digest's first eight words W0..W7.
    macro_rules! from_shani {
        ($abef:expr, $cdgh:expr) => {{
            let t = _mm_shuffle_epi32($abef, 0x1B);
            let s = _mm_shuffle_epi32($cdgh, 0xB1);
            (_mm_blend_epi16(t, s, 0xF0), _mm_alignr_epi8(s, t, 8))
        }};
    }

    /// Loads a state's two halves (element 0 = word 0, word 4).
    macro_rules! load_state {
        ($s:expr) => {{
            let s: &State = $s;
            // Two 16-byte loads inside the 32-byte array (unaligned loads are allowed).
            let p = s.as_ptr().cast::<__m128i>();
            (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)))
        }};
    }

    /// Stores two halves into a state.
    macro_rules! store_state {
        ($s:expr, $lo:expr, $hi:expr) => {{
            let s: &mut State = $s;
            let p = s.as_mut_ptr().cast::<__m128i>();
            _mm_storeu_si128(p, $lo);
            _mm_storeu_si128(p.add(1), $hi);
        }};
    }

    /// [`super::compress`] on SHA-NI.
    ///
    /// # Safety
    /// The CPU must have SHA, SSSE3 and SSE4.1.
    #[cfg(test)]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) unsafe fn compress<const L: usize>(states: &mut [State; L], blocks: &[[u8; 64]; L]) {
        // SAFETY: the caller guarantees the target features; every pointer is derived from a
        // reference to a whole array and stays inside it (two 16-byte halves of a 32-byte
        // state, four 16-byte quarters of a 64-byte block, the 16 rows of 16 bytes of `K`,
        // indexed by a quad number below 16); unaligned loads and stores are what
        // `loadu`/`storeu` are for.
        unsafe {
            let zero = _mm_set_epi32(0, 0, 0, 0);
            let bswap = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203);
            let (mut abef, mut cdgh) = ([zero; L], [zero; L]);
            let (mut m0, mut m1, mut m2, mut m3) = ([zero; L], [zero; L], [zero; L], [zero; L]);
            for l in 0..L {
                let (lo, hi) = load_state!(&states[l]);
                (abef[l], cdgh[l]) = to_shani!(lo, hi);
                let p = blocks[l].as_ptr().cast::<__m128i>();
                m0[l] = _mm_shuffle_epi8(_mm_loadu_si128(p), bswap);
                m1[l] = _mm_shuffle_epi8(_mm_loadu_si128(p.add(1)), bswap);
                m2[l] = _mm_shuffle_epi8(_mm_loadu_si128(p.add(2)), bswap);
                m3[l] = _mm_shuffle_epi8(_mm_loadu_si128(p.add(3)), bswap);
            }
            compress_lanes!(L, abef, cdgh, m0, m1, m2, m3);
            for l in 0..L {
                let (lo, hi) = from_shani!(abef[l], cdgh[l]);
                store_state!(&mut states[l], lo, hi);
            }
        }
    }

    /// [`super::pbkdf2_rounds`] on SHA-NI: the lanes' `U` and accumulators stay in registers
    /// for the whole loop; the digest of one compression is the next one's message words
    /// W0..W7 directly (W8..W15 are the constant padding of a 32-byte message after a key
    /// block), so nothing is converted to bytes inside the loop.
    ///
    /// # Safety
    /// The CPU must have SHA, SSSE3 and SSE4.1.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) unsafe fn pbkdf2_rounds<const L: usize>(
        inner: &State,
        outer: &State,
        u: &mut [State; L],
        acc: &mut [State; L],
        rounds: u32,
    ) {
        // SAFETY: as in `compress`: the caller guarantees the target features, and every
        // pointer is a 16-byte half of a `[u32; 8]` the function was given a reference to, or
        // one of the 16 rows of `K` (quad number below 16).
        unsafe {
            let zero = _mm_set_epi32(0, 0, 0, 0);
            let (ilo, ihi) = load_state!(inner);
            let (olo, ohi) = load_state!(outer);
            let (in_abef, in_cdgh) = to_shani!(ilo, ihi);
            let (out_abef, out_cdgh) = to_shani!(olo, ohi);
            // W8 = 0x80000000 (the padding bit), W9..W14 = 0, W15 = (64 + 32) × 8 bits.
            let pad2 = _mm_set_epi32(0, 0, 0, i32::MIN);
            let pad3 = _mm_set_epi32(768, 0, 0, 0);
            let (mut x0, mut x1, mut a0, mut a1) = ([zero; L], [zero; L], [zero; L], [zero; L]);
            for l in 0..L {
                (x0[l], x1[l]) = load_state!(&u[l]);
                (a0[l], a1[l]) = load_state!(&acc[l]);
            }
            for _ in 0..rounds {
                for (key_abef, key_cdgh) in [(in_abef, in_cdgh), (out_abef, out_cdgh)] {
                    let (mut abef, mut cdgh) = ([key_abef; L], [key_cdgh; L]);
                    let (m2, m3) = ([pad2; L], [pad3; L]);
                    compress_lanes!(L, abef, cdgh, x0, x1, m2, m3);
                    for l in 0..L {
                        (x0[l], x1[l]) = from_shani!(abef[l], cdgh[l]);
                    }
                }
                for l in 0..L {
                    a0[l] = _mm_xor_si128(a0[l], x0[l]);
                    a1[l] = _mm_xor_si128(a1[l], x1[l]);
                }
            }
            for l in 0..L {
                store_state!(&mut u[l], x0[l], x1[l]);
                store_state!(&mut acc[l], a0[l], a1[l]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{ChaCha20Rng, Rng, SeedableRng};

    fn random_lanes<const L: usize>(rng: &mut ChaCha20Rng) -> ([State; L], [[u8; 64]; L]) {
        let mut states = [[0u32; 8]; L];
        let mut blocks = [[0u8; 64]; L];
        for (s, b) in states.iter_mut().zip(blocks.iter_mut()) {
            for w in s.iter_mut() {
                *w = rng.next_u32();
            }
            rng.fill_bytes(b);
        }
        (states, blocks)
    }

    /// Against the `sha2` crate's `compress256` (called directly, not through this crate's
    /// `Algorithm`), for each lane count, both paths, several compressions in a row.
    fn check_lanes<const L: usize>(seed: u64) {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        for _ in 0..if cfg!(miri) { 3 } else { 500 } {
            let (mut states, blocks) = random_lanes::<L>(&mut rng);
            let mut want = states;
            let mut portable = states;
            for (w, b) in want.iter_mut().zip(&blocks) {
                sha2::block_api::compress256(w, core::slice::from_ref(b));
            }
            compress(&mut states, &blocks);
            compress_portable(&mut portable, &blocks);
            assert_eq!(states, want, "dispatched path, {L} lanes, seed {seed}");
            assert_eq!(portable, want, "portable path, {L} lanes, seed {seed}");
        }
    }

    /// A fresh seed per run (printed on failure), like the Python cross-checks; fixed under Miri
    /// and without `std`. Also used by `sha1`'s tests.
    pub(super) fn seed() -> u64 {
        #[cfg(all(feature = "std", not(miri)))]
        #[allow(clippy::cast_possible_truncation)]
        return std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
        #[cfg(any(not(feature = "std"), miri))]
        return 23;
    }

    #[test]
    fn every_lane_count_agrees_with_sha2() {
        let s = seed();
        check_lanes::<1>(s);
        check_lanes::<2>(s ^ 2);
        check_lanes::<3>(s ^ 3);
        check_lanes::<4>(s ^ 4);
    }

    /// The kernels are what the tests above exercised on this machine: on a CPU with SHA-NI
    /// (as this project's machines have) a test that only ever ran the portable path would
    /// prove nothing about them. `PCODES_NO_SHANI=1` states that the machine has none.
    #[cfg(all(feature = "std", target_arch = "x86_64", not(miri)))]
    #[test]
    fn kernels_are_the_ones_tested_here() {
        let has = std::is_x86_feature_detected!("sha");
        assert_eq!(available(), has);
        assert!(
            has || std::env::var("PCODES_NO_SHANI").as_deref() == Ok("1"),
            "no SHA-NI on this CPU: the kernels are untested here (set PCODES_NO_SHANI=1 to accept)"
        );
    }

    /// Under Miri the CPU cannot be asked: `is_x86_feature_detected!` answers from the features
    /// the build enables, so the default build runs the portable path and one with
    /// `RUSTFLAGS="-C target-feature=+sha,+ssse3,+sse4.1"` the kernels (see the module).
    #[cfg(miri)]
    #[test]
    fn miri_runs_the_path_it_was_built_for() {
        let built = cfg!(all(
            target_arch = "x86_64",
            target_feature = "sha",
            target_feature = "sse4.1",
            target_feature = "ssse3"
        ));
        assert_eq!(available(), built);
    }

    fn check_pbkdf2<const L: usize>(rng: &mut ChaCha20Rng) {
        use hmac::{KeyInit, Mac};
        let mut pw = [0u8; 80];
        rng.fill_bytes(&mut pw);
        let pw = &pw[..rng.next_u32() as usize % 80];
        let key = HmacKey::<Sha256>::new(pw);
        let (u0, _) = random_lanes::<L>(rng);
        let (acc0, _) = random_lanes::<L>(rng);
        let rounds = rng.next_u32() % if cfg!(miri) { 3 } else { 50 };
        let (mut u, mut acc) = (u0, acc0);
        pbkdf2_rounds(&key, &mut u, &mut acc, rounds);
        // The definition, with HMAC from the `hmac` crate.
        for l in 0..L {
            let mut x = [0u8; 32];
            Sha256::write_digest(&u0[l], &mut x);
            let mut a = acc0[l];
            for _ in 0..rounds {
                let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(pw).unwrap();
                m.update(&x);
                x.copy_from_slice(&m.finalize().into_bytes());
                for (w, c) in a.iter_mut().zip(x.chunks_exact(4)) {
                    *w ^= u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
                }
            }
            let mut xw = [0u32; 8];
            for (w, c) in xw.iter_mut().zip(x.chunks_exact(4)) {
                *w = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
            }
            assert_eq!((u[l], acc[l]), (xw, a), "lane {l} of {L}, {rounds} rounds");
        }
        let (mut pu, mut pacc) = (u0, acc0);
        pbkdf2_rounds_portable(&key, &mut pu, &mut pacc, rounds);
        assert_eq!((pu, pacc), (u, acc), "portable path, {L} lanes");
    }

    #[test]
    fn pbkdf2_rounds_agree_with_hmac() {
        let mut rng = ChaCha20Rng::seed_from_u64(seed());
        for _ in 0..if cfg!(miri) { 1 } else { 20 } {
            check_pbkdf2::<1>(&mut rng);
            check_pbkdf2::<2>(&mut rng);
            check_pbkdf2::<3>(&mut rng);
            check_pbkdf2::<4>(&mut rng);
        }
    }
}
