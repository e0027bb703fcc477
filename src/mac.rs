//! HMAC (RFC 2104) with precomputed inner and outer states, over the raw SHA-1, SHA-256 and
//! SHA-512 compression functions of the RustCrypto `sha1`/`sha2` crates (SHA-NI or other
//! hardware support is used by those crates when the CPU has it).
//!
//! Why not the `hmac` crate on the hot paths: a keyed [`HmacKey`] here is two chaining states
//! (inner `H(K ^ ipad)` and outer `H(K ^ opad)`) computed once when a key is set up, so an
//! operation never re-keys, and iterating HMAC over its own output (PBKDF2, see
//! [`HmacKey::iterate`]) is exactly two compressions per round with nothing else in the loop.
//! The states are zeroized on drop. The tests check this module against the `hmac` crate and
//! against the RFC 4231 / RFC 2202 vectors.

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

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
    fn resume(state: A::State, absorbed: u64) -> Self {
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

    /// Pads (FIPS 180-4 §5.1) and returns the digest.
    #[must_use]
    pub fn finalize(mut self) -> A::Output {
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
        let mut out = A::ZERO_OUT;
        A::write_digest(&self.state, out.as_mut());
        out
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

/// An HMAC key as its precomputed inner and outer chaining states. Zeroized on drop; its
/// `Debug` output shows no key material.
#[derive(Clone)]
pub struct HmacKey<A: Algorithm> {
    inner: A::State,
    outer: A::State,
}

impl<A: Algorithm> core::fmt::Debug for HmacKey<A> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HmacKey(..)")
    }
}

impl<A: Algorithm> HmacKey<A> {
    /// Keys HMAC with `key` (any length; a key longer than a block is hashed first, RFC 2104 §2).
    #[must_use]
    pub fn new(key: &[u8]) -> Self {
        let mut k = A::ZERO_BLOCK;
        if key.len() > A::BLOCK {
            let mut d = hash::<A>(&[key]);
            k.as_mut()[..A::OUT].copy_from_slice(d.as_ref());
            d.as_mut().zeroize();
        } else {
            k.as_mut()[..key.len()].copy_from_slice(key);
        }
        // One buffer: K ^ ipad, then (K ^ ipad) ^ (ipad ^ opad) = K ^ opad; the two
        // compressions are independent, so the CPU can overlap them.
        for b in k.as_mut() {
            *b ^= 0x36;
        }
        let mut inner = A::IV;
        A::compress(&mut inner, &k);
        for b in k.as_mut() {
            *b ^= 0x36 ^ 0x5c;
        }
        let mut outer = A::IV;
        A::compress(&mut outer, &k);
        k.as_mut().zeroize();
        Self { inner, outer }
    }

    /// Starts a MAC computation; feed it with [`Hasher::update`], end it with [`HmacKey::finish`].
    #[must_use]
    pub fn start(&self) -> Hasher<A> {
        Hasher::resume(self.inner, A::BLOCK as u64)
    }

    /// Ends a computation begun with [`HmacKey::start`].
    #[must_use]
    pub fn finish(&self, inner: Hasher<A>) -> A::Output {
        let mut d = inner.finalize();
        let mut outer = Hasher::<A>::resume(self.outer, A::BLOCK as u64);
        outer.update(d.as_ref());
        d.as_mut().zeroize();
        outer.finalize()
    }

    /// HMAC over the concatenation of `parts`. A message that fits in one block with its
    /// padding (up to `BLOCK - 1 - LEN_BYTES` bytes: 55 for SHA-1/SHA-256) takes the short path:
    /// exactly two compressions on stack blocks, nothing else.
    #[must_use]
    pub fn mac(&self, parts: &[&[u8]]) -> A::Output {
        if let Some(mut block) = Self::short_block(parts) {
            let mut s = self.inner;
            self.mac_short(&mut block, &mut s);
            let mut out = A::ZERO_OUT;
            A::write_digest(&s, out.as_mut());
            s.zeroize();
            // Only the inner digest is secret: the rest of the block is the public padding
            // (the message was overwritten by `mac_short`).
            block.as_mut()[..A::OUT].zeroize();
            return out;
        }
        let mut h = self.start();
        for p in parts {
            h.update(p);
        }
        self.finish(h)
    }

    /// A block holding a one-digest message (left as zeros) and its final padding, for
    /// [`HmacKey::iterate`].
    #[must_use]
    pub fn digest_block() -> A::Block {
        let mut b = A::ZERO_BLOCK;
        b.as_mut()[A::OUT] = 0x80;
        let bits = ((A::BLOCK + A::OUT) as u64) * 8;
        b.as_mut()[A::BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
        b
    }

    /// The concatenation of `parts` padded into one block, if it fits.
    fn short_block(parts: &[&[u8]]) -> Option<A::Block> {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        if total >= A::BLOCK - A::LEN_BYTES {
            return None;
        }
        let mut block = A::ZERO_BLOCK;
        let b = block.as_mut();
        let mut n = 0;
        for p in parts {
            b[n..n + p.len()].copy_from_slice(p);
            n += p.len();
        }
        Self::pad_short(b, n);
        Some(block)
    }

    /// Two HMACs, `(key, parts)` each (the keys may differ), with their compressions
    /// interleaved as in [`HmacKey::mac_blocks`] when both messages take the short path.
    #[must_use]
    pub fn mac_pair(a: (&Self, &[&[u8]]), b: (&Self, &[&[u8]])) -> (A::Output, A::Output) {
        let (mut ox, mut oy) = (A::ZERO_OUT, A::ZERO_OUT);
        Self::mac_pair_into(a, b, &mut ox, &mut oy);
        (ox, oy)
    }

    /// [`HmacKey::mac_pair`] writing the MACs into `out_a` and `out_b`: the digests are
    /// stored once, where the caller reads them, instead of being returned and copied.
    pub fn mac_pair_into(
        a: (&Self, &[&[u8]]),
        b: (&Self, &[&[u8]]),
        out_a: &mut A::Output,
        out_b: &mut A::Output,
    ) {
        let (Some(mut x), Some(mut y)) = (Self::short_block(a.1), Self::short_block(b.1)) else {
            *out_a = a.0.mac(a.1);
            *out_b = b.0.mac(b.1);
            return;
        };
        let (mut sx, mut sy) = (a.0.inner, b.0.inner);
        A::compress(&mut sx, &x);
        A::compress(&mut sy, &y);
        for (s, blk) in [(&sx, &mut x), (&sy, &mut y)] {
            let blk = blk.as_mut();
            A::write_digest(s, &mut blk[..A::OUT]);
            blk[A::OUT..].fill(0);
            Self::pad_short(blk, A::OUT);
        }
        sx = a.0.outer;
        sy = b.0.outer;
        A::compress(&mut sx, &x);
        A::compress(&mut sy, &y);
        A::write_digest(&sx, out_a.as_mut());
        A::write_digest(&sy, out_b.as_mut());
        sx.zeroize();
        sy.zeroize();
        x.as_mut().zeroize();
        y.as_mut().zeroize();
    }

    /// Pads a message of `len` bytes at the start of `block` (the rest must be zeros) as the
    /// last block of an HMAC inner hash, for [`HmacKey::mac_blocks`]. `len` must be below
    /// `BLOCK - LEN_BYTES`.
    pub fn pad_short(block: &mut [u8], len: usize) {
        block[len] = 0x80;
        let bits = ((A::BLOCK + len) as u64) * 8;
        block[A::BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
    }

    /// HMACs of several one-block messages at once: each `blocks[i]` holds a message padded
    /// with [`HmacKey::pad_short`]; on return its first `OUT` bytes are that message's MAC
    /// (the rest is digest padding). Two compressions per message, issued message after
    /// message (the inner ones first, then the outer ones), so that the CPU overlaps the
    /// independent compressions instead of waiting for each one's result.
    pub fn mac_blocks(&self, blocks: &mut [A::Block]) {
        const LANES: usize = 8;
        for chunk in blocks.chunks_mut(LANES) {
            let mut st = [self.inner; LANES];
            for (s, b) in st.iter_mut().zip(chunk.iter()) {
                A::compress(s, b);
            }
            for (s, b) in st.iter().zip(chunk.iter_mut()) {
                let b = b.as_mut();
                A::write_digest(s, &mut b[..A::OUT]);
                b[A::OUT..].fill(0);
                Self::pad_short(b, A::OUT);
            }
            st = [self.outer; LANES];
            for (s, b) in st.iter_mut().zip(chunk.iter()) {
                A::compress(s, b);
            }
            for (s, b) in st.iter().zip(chunk.iter_mut()) {
                A::write_digest(s, &mut b.as_mut()[..A::OUT]);
            }
            for s in &mut st[..chunk.len()] {
                s.zeroize();
            }
        }
    }

    /// One block of [`HmacKey::mac_blocks`] without the lanes: `block` holds a message padded
    /// with [`HmacKey::pad_short`]; `s` receives the final state (the MAC is its digest, see
    /// [`Algorithm::write_digest`] and [`Algorithm::digest_u32_at`]; an out-parameter, so that
    /// the state is not copied once more on the way out) and `block[..OUT]` is left holding the
    /// inner digest. The caller wipes both.
    #[inline]
    pub(crate) fn mac_short(&self, block: &mut A::Block, s: &mut A::State) {
        *s = self.inner;
        A::compress(s, block);
        let b = block.as_mut();
        A::write_digest(s, &mut b[..A::OUT]);
        b[A::OUT..].fill(0);
        Self::pad_short(b, A::OUT);
        *s = self.outer;
        A::compress(s, block);
    }

    /// Replaces the digest in `block[..OUT]` by its HMAC: exactly two compressions.
    /// `block` must come from [`HmacKey::digest_block`] (only its first `OUT` bytes may change).
    #[inline(always)]
    pub fn iterate(&self, block: &mut A::Block) {
        let mut s = self.inner;
        A::compress(&mut s, block);
        A::write_digest(&s, &mut block.as_mut()[..A::OUT]);
        s = self.outer;
        A::compress(&mut s, block);
        A::write_digest(&s, &mut block.as_mut()[..A::OUT]);
        s.zeroize();
    }
}

impl<A: Algorithm> Drop for HmacKey<A> {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// Constant-time equality of two byte strings (the lengths are not secret).
#[must_use]
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{KeyInit, Mac};

    fn hex(s: &str) -> [u8; 64] {
        let mut out = [0u8; 64];
        for (i, o) in out.iter_mut().enumerate().take(s.len() / 2) {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    /// RFC 4231 §4.2 and §4.7 (test cases 1 and 6) for SHA-256 and SHA-512.
    #[test]
    fn rfc4231_vectors() {
        let k1 = [0x0bu8; 20];
        let m1 = b"Hi There";
        assert_eq!(
            HmacKey::<Sha256>::new(&k1).mac(&[m1])[..],
            hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")[..32]
        );
        assert_eq!(
            HmacKey::<Sha512>::new(&k1).mac(&[m1])[..],
            hex(
                "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
            )[..]
        );
        let k6 = [0xaau8; 131];
        let m6 = b"Test Using Larger Than Block-Size Key - Hash Key First";
        assert_eq!(
            HmacKey::<Sha256>::new(&k6).mac(&[&m6[..20], &m6[20..]])[..],
            hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")[..32]
        );
    }

    /// RFC 2202 §3 test case 1 for HMAC-SHA-1.
    #[test]
    fn rfc2202_vector() {
        assert_eq!(
            HmacKey::<Sha1>::new(&[0x0b; 20]).mac(&[b"Hi There"])[..],
            hex("b617318655057264e28bc0b6fb378c8ef146be00")[..20]
        );
    }

    /// Every key length around the block size, every message length over three blocks,
    /// against the `hmac` crate.
    #[test]
    fn agrees_with_hmac_crate() {
        let data: [u8; 300] = core::array::from_fn(|i| (i * 7 + 3) as u8);
        for klen in [0usize, 1, 20, 32, 63, 64, 65, 127, 128, 129, 200] {
            let key = &data[..klen];
            let k1 = HmacKey::<Sha1>::new(key);
            let k256 = HmacKey::<Sha256>::new(key);
            let k512 = HmacKey::<Sha512>::new(key);
            for mlen in 0..=260 {
                let m = &data[40..40 + mlen];
                let split = mlen / 3;
                let mut r = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
                r.update(m);
                assert_eq!(k256.mac(&[&m[..split], &m[split..]])[..], r.finalize().into_bytes()[..]);
                let mut r = hmac::Hmac::<sha2::Sha512>::new_from_slice(key).unwrap();
                r.update(m);
                assert_eq!(k512.mac(&[m])[..], r.finalize().into_bytes()[..]);
                let mut r = hmac::Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
                r.update(m);
                assert_eq!(k1.mac(&[m])[..], r.finalize().into_bytes()[..]);
            }
        }
    }

    #[test]
    fn plain_hash_agrees_with_sha2() {
        use sha2::Digest;
        let data: [u8; 300] = core::array::from_fn(|i| (i * 13) as u8);
        for n in 0..300 {
            assert_eq!(hash::<Sha256>(&[&data[..n]])[..], sha2::Sha256::digest(&data[..n])[..]);
            assert_eq!(hash::<Sha512>(&[&data[..n]])[..], sha2::Sha512::digest(&data[..n])[..]);
        }
    }

    #[test]
    fn iterate_is_hmac_of_the_digest() {
        let key = HmacKey::<Sha256>::new(b"pepper");
        let mut block = HmacKey::<Sha256>::digest_block();
        let start = hash::<Sha256>(&[b"x"]);
        block[..32].copy_from_slice(&start);
        key.iterate(&mut block);
        assert_eq!(block[..32], key.mac(&[&start])[..]);
        let mut b512 = HmacKey::<Sha512>::digest_block();
        let k512 = HmacKey::<Sha512>::new(b"k");
        let s512 = hash::<Sha512>(&[b"y"]);
        b512[..64].copy_from_slice(&s512);
        k512.iterate(&mut b512);
        assert_eq!(b512[..64], k512.mac(&[&s512])[..]);
    }

    /// `mac_pair` and `mac_blocks` agree with `mac` (short and long messages, equal and
    /// different keys); `mac` itself is checked against the `hmac` crate above.
    #[test]
    fn pair_and_blocks_agree_with_mac() {
        let k1 = HmacKey::<Sha256>::new(b"one");
        let k2 = HmacKey::<Sha256>::new(b"two");
        let data = [0x61u8; 100];
        for (la, lb) in [(0, 0), (8, 55), (55, 56), (20, 100), (100, 3)] {
            let (x, y) = HmacKey::mac_pair((&k1, &[&data[..la]]), (&k2, &[&data[..lb]]));
            assert_eq!((x, y), (k1.mac(&[&data[..la]]), k2.mac(&[&data[..lb]])), "{la} {lb}");
        }
        let k = HmacKey::<Sha1>::new(b"k");
        let mut blocks = [[0u8; 64]; 11];
        for (i, b) in blocks.iter_mut().enumerate() {
            b[..8].copy_from_slice(&(i as u64).to_be_bytes());
            HmacKey::<Sha1>::pad_short(b, 8);
        }
        k.mac_blocks(&mut blocks);
        for (i, b) in blocks.iter().enumerate() {
            assert_eq!(b[..20], k.mac(&[&(i as u64).to_be_bytes()])[..], "{i}");
        }
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

    #[test]
    fn debug_shows_no_key_material() {
        let k = HmacKey::<Sha256>::new(b"secret key");
        assert_eq!(std::format!("{k:?}"), "HmacKey(..)");
    }

    #[test]
    fn constant_time_eq() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
