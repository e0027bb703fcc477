//! Batched HMACs: several short messages whose compressions are issued together so that the
//! CPU overlaps them instead of waiting for each result (two messages under possibly different
//! keys: [`HmacKey::mac_pair`]; many messages under one key, e.g. the candidate counters of a
//! TOTP window: [`HmacKey::mac_blocks`]). Portable code, no CPU-specific instructions.

use zeroize::Zeroize;

use super::HmacKey;
use super::sha::Algorithm;

impl<A: Algorithm> HmacKey<A> {
    /// Two HMACs, `(key, parts)` each (the keys may differ), with their compressions
    /// interleaved as in [`HmacKey::mac_blocks`] when both messages take the short path (the
    /// SHA-NI kernel for two SHA-256 lanes was no faster for one pair:
    /// benches/issue-23-speed-2.md, "Interleaved SHA-1 for the TOTP window").
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
}

#[cfg(test)]
mod tests {
    use super::super::{Sha1, Sha256};
    use super::*;

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
}
