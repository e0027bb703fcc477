//! The hash engine: SHA-1, SHA-256 and SHA-512 as Merkle–Damgård hashes given by the raw
//! compression functions of the RustCrypto `sha1`/`sha2` crates (which use SHA-NI or other
//! hardware support when the CPU has it; there is no CPU-specific code here: several
//! independent SHA-1 compressions, [`Algorithm::compress_lanes`], go to the interleaving kernel
//! of `super::shani::sha1`), and a streaming [`Hasher`] that can resume from a
//! precomputed chaining state (what [`super::HmacKey`] keeps).

use zeroize::Zeroize;

use super::shani;

mod sealed {
    pub trait Sealed {}
}

/// A Merkle–Damgård hash given by its compression function.
pub trait Algorithm: sealed::Sealed {
    /// The chaining state.
    type State: Copy + Zeroize;
    /// One input block.
    type Block: Copy + AsRef<[u8]> + AsMut<[u8]>;
    /// The digest.
    type Output: Copy + AsRef<[u8]> + AsMut<[u8]>;
    /// Block size in bytes.
    const BLOCK: usize;
    /// Digest size in bytes.
    const OUT: usize;
    /// Size of the message-length field in the final padding.
    const LEN_BYTES: usize;
    /// The initial chaining value (FIPS 180-4 §5.3).
    const IV: Self::State;
    /// A block of zeros.
    const ZERO_BLOCK: Self::Block;
    /// A digest of zeros.
    const ZERO_OUT: Self::Output;
    /// Compresses one block into the state.
    fn compress(state: &mut Self::State, block: &Self::Block);
    /// Compresses `blocks[i]` into `states[i]` for each of the first
    /// `min(states.len(), blocks.len())` lanes (independent states): for SHA-1 on a CPU with
    /// SHA-NI the lanes' rounds are interleaved, up to four lanes per kernel call
    /// (`crate::mac::shani::sha1`); otherwise one [`Algorithm::compress`] after the other (for
    /// SHA-256 too: the SHA-256 lanes kernel was no faster than two or three separate calls for
    /// a single batch, benches/issue-23-speed-2.md, "Interleaved SHA-1 for the TOTP window"; it
    /// pays in PBKDF2's long chains).
    #[inline(always)]
    fn compress_lanes(states: &mut [Self::State], blocks: &[Self::Block]) {
        for (s, b) in states.iter_mut().zip(blocks) {
            Self::compress(s, b);
        }
    }
    /// Writes the state as the big-endian digest into `out[..OUT]`.
    fn write_digest(state: &Self::State, out: &mut [u8]);
    /// The four digest bytes `off..off + 4` (big-endian) read from the state, without writing
    /// the digest out; `off` must be at most `OUT - 4`. No branch or table depends on `off`.
    fn digest_u32_at(state: &Self::State, off: usize) -> u32;
}

/// Four words as 16 big-endian bytes at the start of `out`, written as one `u128` (two
/// byte swaps and two 8-byte stores on x86-64). Measured against the alternatives: four 4-byte
/// stores made PBKDF2 1.22 × its floor instead of 1.17 ×, and a vector byte swap with one
/// 16-byte store (SSE2 has no byte shuffle, so it takes seven instructions) 1.24 ×.
#[inline(always)]
fn put_be128(out: &mut [u8], w: [u32; 4]) {
    let x = (u128::from(w[0]) << 96) | (u128::from(w[1]) << 64) | (u128::from(w[2]) << 32) | u128::from(w[3]);
    out[..16].copy_from_slice(&x.to_be_bytes());
}

/// [`Algorithm::digest_u32_at`] for 32-bit state words.
#[allow(clippy::cast_possible_truncation)] // off % 4 < 4; the low 32 bits are the result
#[inline(always)]
fn u32_words_at(w: &[u32], off: usize) -> u32 {
    let (i, r) = (off / 4, (off % 4) as u32);
    let next = w[(i + 1).min(w.len() - 1)]; // not used when r = 0 (shift by 32 below)
    ((u64::from(w[i]) << 32 | u64::from(next)) >> (32 - 8 * r)) as u32
}

/// [`Algorithm::compress_lanes`] through a kernel `$k::<L>(&mut [State; L], &[Block; L])`
/// that interleaves up to four lanes: groups of four, then the remaining one to three lanes in
/// one call with their count as `L`.
macro_rules! compress_in_groups {
    ($($k:ident)::+, $states:expr, $blocks:expr) => {{
        let n = $states.len().min($blocks.len());
        let (mut s, mut b) = (&mut $states[..n], &$blocks[..n]);
        while s.len() >= 4 {
            // (`take`: the loop keeps the rest of the borrowed slice, not a reborrow of it.)
            let Some((s4, rest)) = core::mem::take(&mut s).split_first_chunk_mut::<4>() else { return };
            let Some((b4, brest)) = b.split_first_chunk::<4>() else { return };
            $($k)::+::<4>(s4, b4);
            (s, b) = (rest, brest);
        }
        match s.len() {
            3 => {
                if let (Some(s), Some(b)) = (s.first_chunk_mut::<3>(), b.first_chunk::<3>()) {
                    $($k)::+::<3>(s, b);
                }
            }
            2 => {
                if let (Some(s), Some(b)) = (s.first_chunk_mut::<2>(), b.first_chunk::<2>()) {
                    $($k)::+::<2>(s, b);
                }
            }
            1 => {
                if let (Some(s), Some(b)) = (s.first_chunk_mut::<1>(), b.first_chunk::<1>()) {
                    $($k)::+::<1>(s, b);
                }
            }
            _ => {}
        }
    }};
}

/// SHA-1 (FIPS 180-4), for RFC 4226/6238 authenticator apps.
#[derive(Debug, Clone, Copy)]
pub enum Sha1 {}
/// SHA-256 (FIPS 180-4).
#[derive(Debug, Clone, Copy)]
pub enum Sha256 {}
/// SHA-512 (FIPS 180-4).
#[derive(Debug, Clone, Copy)]
pub enum Sha512 {}

impl sealed::Sealed for Sha1 {}
impl sealed::Sealed for Sha256 {}
impl sealed::Sealed for Sha512 {}

#[allow(clippy::unreadable_literal)] // FIPS 180-4 constants, as printed there
impl Algorithm for Sha1 {
    type State = [u32; 5];
    type Block = [u8; 64];
    type Output = [u8; 20];
    const BLOCK: usize = 64;
    const OUT: usize = 20;
    const LEN_BYTES: usize = 8;
    const IV: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    const ZERO_BLOCK: [u8; 64] = [0; 64];
    const ZERO_OUT: [u8; 20] = [0; 20];
    #[inline(always)]
    fn compress(state: &mut [u32; 5], block: &[u8; 64]) {
        sha1::block_api::compress(state, core::slice::from_ref(block));
    }
    #[inline(always)]
    fn compress_lanes(states: &mut [[u32; 5]], blocks: &[[u8; 64]]) {
        const _: () = assert!(shani::sha1::MAX_LANES == 4);
        compress_in_groups!(shani::sha1::compress, states, blocks);
    }
    #[inline(always)]
    fn write_digest(state: &[u32; 5], out: &mut [u8]) {
        put_be128(out, [state[0], state[1], state[2], state[3]]);
        out[16..20].copy_from_slice(&state[4].to_be_bytes());
    }
    #[inline(always)]
    fn digest_u32_at(state: &[u32; 5], off: usize) -> u32 {
        u32_words_at(state, off)
    }
}

#[allow(clippy::unreadable_literal)]
impl Algorithm for Sha256 {
    type State = [u32; 8];
    type Block = [u8; 64];
    type Output = [u8; 32];
    const BLOCK: usize = 64;
    const OUT: usize = 32;
    const LEN_BYTES: usize = 8;
    const IV: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    const ZERO_BLOCK: [u8; 64] = [0; 64];
    const ZERO_OUT: [u8; 32] = [0; 32];
    #[inline(always)]
    fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
        sha2::block_api::compress256(state, core::slice::from_ref(block));
    }
    #[inline(always)]
    fn write_digest(state: &[u32; 8], out: &mut [u8]) {
        put_be128(out, [state[0], state[1], state[2], state[3]]);
        put_be128(&mut out[16..], [state[4], state[5], state[6], state[7]]);
    }
    #[inline(always)]
    fn digest_u32_at(state: &[u32; 8], off: usize) -> u32 {
        u32_words_at(state, off)
    }
}

#[allow(clippy::unreadable_literal)]
impl Algorithm for Sha512 {
    type State = [u64; 8];
    type Block = [u8; 128];
    type Output = [u8; 64];
    const BLOCK: usize = 128;
    const OUT: usize = 64;
    const LEN_BYTES: usize = 16;
    const IV: [u64; 8] = [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ];
    const ZERO_BLOCK: [u8; 128] = [0; 128];
    const ZERO_OUT: [u8; 64] = [0; 64];
    #[inline(always)]
    fn compress(state: &mut [u64; 8], block: &[u8; 128]) {
        sha2::block_api::compress512(state, core::slice::from_ref(block));
    }
    #[inline(always)]
    fn write_digest(state: &[u64; 8], out: &mut [u8]) {
        for (o, w) in out.chunks_exact_mut(8).zip(state) {
            o.copy_from_slice(&w.to_be_bytes());
        }
    }
    #[allow(clippy::cast_possible_truncation)] // off % 8 < 8; the low 32 bits are the result
    #[inline(always)]
    fn digest_u32_at(state: &[u64; 8], off: usize) -> u32 {
        let (i, r) = (off / 8, (off % 8) as u32);
        let next = state[(i + 1).min(7)]; // not used when r ≤ 4
        ((u128::from(state[i]) << 64 | u128::from(next)) >> (96 - 8 * r)) as u32
    }
}

/// A streaming hash that may start from a precomputed chaining state.
#[derive(Clone)]
pub struct Hasher<A: Algorithm> {
    state: A::State,
    buf: A::Block,
    buf_len: usize,
    /// Bytes hashed so far, including those already compressed into `state`.
    total: u64,
}

impl<A: Algorithm> Hasher<A> {
    /// A fresh hash.
    #[must_use]
    pub fn new() -> Self {
        Self::resume(A::IV, 0)
    }

    /// Continues from `state`, which has absorbed `absorbed` bytes (a multiple of the block size).
    pub(super) fn resume(state: A::State, absorbed: u64) -> Self {
        Self { state, buf: A::ZERO_BLOCK, buf_len: 0, total: absorbed }
    }

    /// Absorbs `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.buf_len > 0 {
            let take = (A::BLOCK - self.buf_len).min(data.len());
            self.buf.as_mut()[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
            if self.buf_len < A::BLOCK {
                return;
            }
            A::compress(&mut self.state, &self.buf);
            self.buf_len = 0;
        }
        while data.len() >= A::BLOCK {
            let mut block = A::ZERO_BLOCK;
            block.as_mut().copy_from_slice(&data[..A::BLOCK]);
            A::compress(&mut self.state, &block);
            data = &data[A::BLOCK..];
        }
        self.buf.as_mut()[..data.len()].copy_from_slice(data);
        self.buf_len = data.len();
    }

    /// Absorbs one whole block: [`Hasher::update`] without the copy into the buffer when no
    /// bytes are buffered (a caller that collects whole blocks itself, `src/link/name.rs`).
    #[inline(always)]
    pub(crate) fn update_block(&mut self, block: &A::Block) {
        if self.buf_len != 0 {
            self.update(block.as_ref());
            return;
        }
        self.total = self.total.wrapping_add(A::BLOCK as u64);
        A::compress(&mut self.state, block);
    }

    /// Pads (FIPS 180-4 §5.1) and returns the digest.
    #[must_use]
    pub fn finalize(self) -> A::Output {
        let mut out = A::ZERO_OUT;
        self.finalize_into(out.as_mut());
        out
    }

    /// [`Hasher::finalize`] writing the digest into `out[..OUT]` (e.g. straight into the
    /// block of HMAC's outer hash, [`super::HmacKey::finish`]).
    pub(crate) fn finalize_into(mut self, out: &mut [u8]) {
        self.finalize_in_place(out);
    }

    /// [`Hasher::finalize_into`] on a hasher the caller keeps (and drops, which wipes it): the
    /// hasher is not moved. Moving it copied its fields with 16-byte loads right after
    /// `update` had written its length and total with 8-byte stores, which the CPU cannot
    /// forward from its store buffer (issue 23, the link fingerprint). Leaves the hasher
    /// holding its final state and block: use it for nothing else.
    #[inline(always)]
    pub(crate) fn finalize_in_place(&mut self, out: &mut [u8]) {
        let bits = self.total.wrapping_mul(8);
        let n = self.buf_len;
        let buf = self.buf.as_mut();
        buf[n] = 0x80;
        buf[n + 1..].fill(0);
        if n + 1 > A::BLOCK - A::LEN_BYTES {
            A::compress(&mut self.state, &self.buf);
            self.buf.as_mut().fill(0);
        }
        self.buf.as_mut()[A::BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
        A::compress(&mut self.state, &self.buf);
        A::write_digest(&self.state, out);
    }
}

impl<A: Algorithm> Default for Hasher<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: Algorithm> Drop for Hasher<A> {
    fn drop(&mut self) {
        self.state.zeroize();
        self.buf.as_mut().zeroize();
    }
}

/// One-shot hash of the concatenation of `parts`.
#[must_use]
pub fn hash<A: Algorithm>(parts: &[&[u8]]) -> A::Output {
    let mut h = Hasher::<A>::new();
    for p in parts {
        h.update(p);
    }
    h.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_hash_agrees_with_sha2() {
        use sha2::Digest;
        let data: [u8; 300] = core::array::from_fn(|i| (i * 13) as u8);
        for n in 0..300 {
            assert_eq!(hash::<Sha256>(&[&data[..n]])[..], sha2::Sha256::digest(&data[..n])[..]);
            assert_eq!(hash::<Sha512>(&[&data[..n]])[..], sha2::Sha512::digest(&data[..n])[..]);
        }
    }

    /// Whole blocks through `update_block`, between `update`s of every length (so the hasher
    /// is at a block boundary or not), give `sha2`'s digest.
    #[test]
    fn update_block_agrees_with_sha2() {
        use sha2::Digest;
        let data: [u8; 400] = core::array::from_fn(|i| (i * 29 + 5) as u8);
        let block: [u8; 64] = core::array::from_fn(|i| data[300 + i]);
        for pre in 0..130 {
            for post in [0usize, 1, 55, 56, 64, 100] {
                let mut h = Hasher::<Sha256>::new();
                h.update(&data[..pre]);
                h.update_block(&block);
                h.update(&data[200..200 + post]);
                let mut want = sha2::Sha256::new();
                want.update(&data[..pre]);
                want.update(block);
                want.update(&data[200..200 + post]);
                assert_eq!(h.finalize()[..], want.finalize()[..], "{pre} {post}");
            }
        }
    }

    /// `compress_lanes` gives the crates' own compressions (called directly) for every lane
    /// count 0..=9 (groups of four and the rest), and leaves lanes past the shorter slice alone.
    #[test]
    fn compress_lanes_agrees_with_the_crates() {
        fn check<A: Algorithm>(crate_compress: fn(&mut A::State, &A::Block), iv: A::State)
        where
            A::State: PartialEq + core::fmt::Debug,
        {
            let mut blocks = [A::ZERO_BLOCK; 10];
            for (i, b) in blocks.iter_mut().enumerate() {
                for (j, x) in b.as_mut().iter_mut().enumerate() {
                    *x = (i * 31 + j * 7 + 1) as u8;
                }
            }
            for n in 0..=9 {
                let mut states = [iv; 10];
                let mut want = [iv; 10];
                for (i, (s, w)) in states.iter_mut().zip(want.iter_mut()).enumerate() {
                    // A different start per lane.
                    crate_compress(s, &blocks[9 - i]);
                    *w = *s;
                }
                for (w, b) in want[..n].iter_mut().zip(&blocks) {
                    crate_compress(w, b);
                }
                A::compress_lanes(&mut states[..=n], &blocks[..n]);
                assert_eq!(states, want, "{n} lanes");
            }
        }
        check::<Sha1>(|s, b| sha1::block_api::compress(s, core::slice::from_ref(b)), Sha1::IV);
        check::<Sha256>(|s, b| sha2::block_api::compress256(s, core::slice::from_ref(b)), Sha256::IV);
        check::<Sha512>(|s, b| sha2::block_api::compress512(s, core::slice::from_ref(b)), Sha512::IV);
    }

    /// `digest_u32_at` reads the same bytes as `write_digest` writes, at every offset.
    #[test]
    fn digest_words_agree_with_digest_bytes() {
        fn check<A: Algorithm>(state: &A::State) {
            let mut d = A::ZERO_OUT;
            A::write_digest(state, d.as_mut());
            let d = d.as_ref();
            for off in 0..=A::OUT - 4 {
                let want = u32::from_be_bytes([d[off], d[off + 1], d[off + 2], d[off + 3]]);
                assert_eq!(A::digest_u32_at(state, off), want, "{off}");
            }
        }
        let mut s1 = Sha1::IV;
        let mut s256 = Sha256::IV;
        let mut s512 = Sha512::IV;
        for i in 0..50u8 {
            Sha1::compress(&mut s1, &[i; 64]);
            Sha256::compress(&mut s256, &[i; 64]);
            Sha512::compress(&mut s512, &[i; 128]);
            check::<Sha1>(&s1);
            check::<Sha256>(&s256);
            check::<Sha512>(&s512);
        }
    }
}
