//! PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) on this crate's precomputed HMAC states.
//!
//! The password's HMAC inner and outer states are computed once; each further iteration is
//! [`HmacKey::iterate`]: exactly two SHA-256 compressions on a block that already holds the
//! padding, plus the 32-byte XOR into the accumulator. Nothing else happens in the loop.

use zeroize::Zeroize;

use crate::mac::{HmacKey, Sha256};

/// PBKDF2-HMAC-SHA256 of `password` and `salt` with `iterations` (at least 1; 0 is treated as
/// 1), filling `out` (any length; blocks of 32 bytes, the last one truncated).
pub fn pbkdf2_hmac_sha256(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    let key = HmacKey::<Sha256>::new(password);
    let mut block = HmacKey::<Sha256>::digest_block();
    for (i, chunk) in out.chunks_mut(32).enumerate() {
        // Block index i + 1, big-endian (RFC 8018: INT(i)); out is far shorter than 2^32 blocks.
        #[allow(clippy::cast_possible_truncation)]
        let index = (i as u32 + 1).to_be_bytes();
        let mut u = key.mac(&[salt, &index]);
        let mut acc = u;
        block[..32].copy_from_slice(&u);
        for _ in 1..iterations {
            key.iterate(&mut block);
            for (a, b) in acc.iter_mut().zip(&block[..32]) {
                *a ^= b;
            }
        }
        chunk.copy_from_slice(&acc[..chunk.len()]);
        u.zeroize();
        acc.zeroize();
    }
    block.zeroize();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;
    use std::vec::Vec;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| std::format!("{x:02x}")).collect()
    }

    /// RFC 7914 §11, the two PBKDF2-HMAC-SHA256 vectors.
    #[test]
    fn rfc7914_vectors() {
        let mut out = [0u8; 64];
        pbkdf2_hmac_sha256(b"passwd", b"salt", 1, &mut out);
        assert_eq!(
            hex(&out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
             49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        );
        pbkdf2_hmac_sha256(b"Password", b"NaCl", 80_000, &mut out);
        assert_eq!(
            hex(&out),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56\
             a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"
        );
    }

    /// Against the `RustCrypto` `pbkdf2` crate (dev-dependency), over lengths and iterations.
    #[test]
    fn agrees_with_pbkdf2_crate() {
        let data: [u8; 200] = core::array::from_fn(|i| (i * 31 + 7) as u8);
        for (plen, slen, iters, outlen) in [
            (0, 0, 1, 32),
            (4, 16, 2, 32),
            (6, 16, 1000, 32),
            (64, 5, 3, 65),
            (65, 100, 17, 20),
            (150, 64, 5, 96),
        ] {
            let (p, s) = (&data[..plen], &data[50..50 + slen]);
            let mut ours = std::vec![0u8; outlen];
            let mut theirs = std::vec![0u8; outlen];
            pbkdf2_hmac_sha256(p, s, iters, &mut ours);
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(p, s, iters, &mut theirs);
            assert_eq!(ours, theirs, "{plen} {slen} {iters} {outlen}");
        }
    }

    /// Against Python's `hashlib.pbkdf2_hmac` on random inputs (python3 is required unless
    /// `PCODES_ALLOW_SKIP=1`).
    #[test]
    fn agrees_with_python_hashlib() {
        use crate::rng::{ChaCha20Rng, Rng, SeedableRng};
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        #[allow(clippy::cast_possible_truncation)]
        let mut rng = ChaCha20Rng::seed_from_u64(seed as u64);
        let mut cases: Vec<(Vec<u8>, Vec<u8>, u32, usize)> = Vec::new();
        for _ in 0..24 {
            let plen = rng.next_u32() as usize % 80;
            let slen = rng.next_u32() as usize % 40;
            let mut p = std::vec![0u8; plen];
            let mut s = std::vec![0u8; slen];
            rng.fill_bytes(&mut p);
            rng.fill_bytes(&mut s);
            let iters = 1 + rng.next_u32() % 3000;
            let outlen = 1 + rng.next_u32() as usize % 70;
            cases.push((p, s, iters, outlen));
        }
        let mut script = String::from("import hashlib\n");
        for (p, s, i, o) in &cases {
            script += &std::format!(
                "print(hashlib.pbkdf2_hmac('sha256', bytes.fromhex('{}'), bytes.fromhex('{}'), {i}, {o}).hex())\n",
                hex(p),
                hex(s)
            );
        }
        let run = std::process::Command::new("python3").arg("-c").arg(&script).output();
        let out = match run {
            Ok(o) if o.status.success() => String::from_utf8(o.stdout).unwrap(),
            other => {
                assert!(
                    std::env::var("PCODES_ALLOW_SKIP").as_deref() == Ok("1"),
                    "python3 required (set PCODES_ALLOW_SKIP=1 to skip): {other:?}"
                );
                std::println!("skipped: python3 not installed");
                return;
            }
        };
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), cases.len());
        for ((p, s, i, o), want) in cases.iter().zip(lines) {
            let mut got = std::vec![0u8; *o];
            pbkdf2_hmac_sha256(p, s, *i, &mut got);
            assert_eq!(hex(&got), want, "seed {seed}: p={} s={} i={i}", hex(p), hex(s));
        }
    }
}
