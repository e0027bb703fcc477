//! HMAC (RFC 2104) with precomputed inner and outer states: [`HmacKey`].

use zeroize::Zeroize;

use super::sha::{Algorithm, Hasher, hash};

/// RFC 2104 §2: `ipad`, the byte 0x36 repeated `B` (the block size) times, XORed into the key
/// for the inner hash.
const IPAD: u8 = 0x36;
/// RFC 2104 §2: `opad`, the byte 0x5C repeated `B` times, XORed into the key for the outer hash.
const OPAD: u8 = 0x5c;

/// An HMAC key as its precomputed inner and outer chaining states. Zeroized on drop; its
/// `Debug` output shows no key material.
#[derive(Clone)]
pub struct HmacKey<A: Algorithm> {
    /// `H(K ^ ipad)` after one block.
    pub(super) inner: A::State,
    /// `H(K ^ opad)` after one block.
    pub(super) outer: A::State,
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
            *b ^= IPAD;
        }
        let mut inner = A::IV;
        A::compress(&mut inner, &k);
        for b in k.as_mut() {
            *b ^= IPAD ^ OPAD;
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

    /// Ends a computation begun with [`HmacKey::start`]. The inner digest is written straight
    /// into the outer hash's one block (a digest always fits in one block with its padding).
    #[must_use]
    pub fn finish(&self, mut inner: Hasher<A>) -> A::Output {
        self.finish_in_place(&mut inner) // `inner` is wiped when it drops here
    }

    /// [`HmacKey::finish`] on a computation the caller keeps (and drops, which wipes it): the
    /// hasher is not moved (see [`Hasher::finalize_in_place`]); use it for nothing else after.
    #[must_use]
    pub(crate) fn finish_in_place(&self, inner: &mut Hasher<A>) -> A::Output {
        let mut block = A::ZERO_BLOCK;
        inner.finalize_in_place(&mut block.as_mut()[..A::OUT]);
        Self::pad_short(block.as_mut(), A::OUT);
        let mut s = self.outer;
        A::compress(&mut s, &block);
        let mut out = A::ZERO_OUT;
        A::write_digest(&s, out.as_mut());
        s.zeroize();
        block.as_mut()[..A::OUT].zeroize(); // the inner digest; the rest is public padding
        out
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
    pub(super) fn short_block(parts: &[&[u8]]) -> Option<A::Block> {
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

    /// Pads a message of `len` bytes at the start of `block` (the rest must be zeros) as the
    /// last block of an HMAC inner hash, for [`HmacKey::mac_blocks`] and
    /// `HmacKey::mac_short_lanes`. `len` must be below
    /// `BLOCK - LEN_BYTES`.
    pub fn pad_short(block: &mut [u8], len: usize) {
        block[len] = 0x80;
        let bits = ((A::BLOCK + len) as u64) * 8;
        block[A::BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
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

    /// [`HmacKey::mac_short`] for several blocks at once, all inner compressions together, then
    /// all outer ones ([`Algorithm::compress_lanes`]: interleaved on SHA-NI for SHA-1, else
    /// issued lane after lane so that the CPU overlaps them): `states[i]`
    /// receives the final state of `blocks[i]`'s MAC (read it with
    /// [`Algorithm::digest_u32_at`]; the digest is never written out) and `blocks[i][..OUT]` is
    /// left holding its inner digest. The caller wipes both. Only the first
    /// `min(blocks.len(), states.len())` lanes are computed.
    #[inline(always)]
    pub(crate) fn mac_short_lanes(&self, blocks: &mut [A::Block], states: &mut [A::State]) {
        let n = states.len().min(blocks.len());
        let (states, blocks) = (&mut states[..n], &mut blocks[..n]);
        states.fill(self.inner);
        A::compress_lanes(states, blocks);
        for (s, b) in states.iter().zip(blocks.iter_mut()) {
            let b = b.as_mut();
            A::write_digest(s, &mut b[..A::OUT]);
            b[A::OUT..].fill(0);
            Self::pad_short(b, A::OUT);
        }
        states.fill(self.outer);
        A::compress_lanes(states, blocks);
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

#[cfg(test)]
mod tests {
    use super::super::{Sha1, Sha256, Sha512};
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

    /// `mac_short_lanes` gives `mac` for every lane count up to 8 and every message length
    /// of the short path, for each algorithm.
    #[test]
    fn short_lanes_agree_with_mac() {
        fn check<A: Algorithm>() {
            let key = HmacKey::<A>::new(b"lanes key");
            let data: [u8; 120] = core::array::from_fn(|i| (i * 11 + 1) as u8);
            for len in 0..A::BLOCK - A::LEN_BYTES {
                for lanes in 1..=8 {
                    let msg = |i: usize| &data[i..i + len];
                    let mut blocks = [A::ZERO_BLOCK; 8];
                    for (i, b) in blocks.iter_mut().enumerate() {
                        b.as_mut()[..len].copy_from_slice(msg(i));
                        HmacKey::<A>::pad_short(b.as_mut(), len);
                    }
                    let mut states = [A::IV; 8];
                    key.mac_short_lanes(&mut blocks[..lanes], &mut states);
                    for (i, s) in states.iter().enumerate() {
                        let mut got = A::ZERO_OUT;
                        A::write_digest(s, got.as_mut());
                        if i < lanes {
                            assert_eq!(got.as_ref(), key.mac(&[msg(i)]).as_ref(), "{len} {lanes} {i}");
                        } else {
                            let mut iv = A::ZERO_OUT;
                            A::write_digest(&A::IV, iv.as_mut());
                            assert_eq!(got.as_ref(), iv.as_ref(), "lane {i} of {lanes} untouched");
                        }
                    }
                }
            }
        }
        check::<Sha1>();
        check::<Sha256>();
        check::<Sha512>();
    }

    #[test]
    fn debug_shows_no_key_material() {
        let k = HmacKey::<Sha256>::new(b"secret key");
        assert_eq!(std::format!("{k:?}"), "HmacKey(..)");
    }
}
