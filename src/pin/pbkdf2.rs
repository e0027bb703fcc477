//! PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) on this crate's precomputed HMAC states.
//!
//! The password's HMAC inner and outer states are computed once; each further iteration is
//! exactly two SHA-256 compressions on a block that already holds the padding, plus the
//! 32-byte XOR into the accumulator. Nothing else happens in the loop.
//!
//! An output of several 32-byte blocks (`dkLen = L × 32`: T1..TL, independent chains) is
//! computed up to four blocks at a time with their compressions interleaved
//! (`crate::mac::shani`, on SHA-NI), so that L blocks cost about the wall time of one; on a CPU
//! without SHA-NI the blocks run one after the other, with the same result.

use zeroize::Zeroize;

use crate::mac::shani::{self, MAX_LANES, State};
use crate::mac::{HmacKey, Sha256};

/// PBKDF2-HMAC-SHA256 of `password` and `salt` with `iterations` (at least 1; 0 is treated as
/// 1), filling `out` (any length; blocks of 32 bytes, the last one truncated). Up to four
/// blocks are computed together (see the module documentation).
pub fn pbkdf2_hmac_sha256(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    pbkdf2_with(password, salt, iterations, out, Path::Dispatch);
}

/// Which implementation of the rounds runs (the portable one is forced by tests only).
#[derive(Clone, Copy)]
enum Path {
    Dispatch,
    #[cfg_attr(not(test), allow(dead_code))]
    Portable,
}

/// Test builds only: the PBKDF2 work done on this thread (iterations × output blocks), so that
/// unit tests compare the work of two paths exactly instead of their wall time (which a busy
/// machine distorts; the timing itself is `tests/timing.rs`'s, in release).
#[cfg(test)]
pub(crate) mod work {
    use core::cell::Cell;

    std::thread_local!(static DONE: Cell<u64> = const { Cell::new(0) });

    pub(crate) fn add(n: u64) {
        DONE.with(|d| d.set(d.get() + n));
    }

    /// The work `f` did on this thread.
    pub(crate) fn of(f: impl FnOnce()) -> u64 {
        let before = DONE.with(Cell::get);
        f();
        DONE.with(Cell::get) - before
    }
}

fn pbkdf2_with(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8], path: Path) {
    #[cfg(test)]
    work::add(u64::from(iterations.max(1)) * out.len().div_ceil(32) as u64);
    let key = HmacKey::<Sha256>::new(password);
    let mut first = 1u32;
    for group in out.chunks_mut(32 * MAX_LANES) {
        match group.len().div_ceil(32) {
            1 => blocks::<1>(&key, salt, first, iterations, group, path),
            2 => blocks::<2>(&key, salt, first, iterations, group, path),
            3 => blocks::<3>(&key, salt, first, iterations, group, path),
            _ => blocks::<4>(&key, salt, first, iterations, group, path),
        }
        // Block indexes: `out` is far shorter than 2^32 blocks.
        #[allow(clippy::cast_possible_truncation)]
        {
            first = first.wrapping_add(MAX_LANES as u32);
        }
    }
}

/// Blocks `first..first + L` (RFC 8018's `T_i = F(P, S, c, i)`) into `out` (`L` blocks, the last
/// one possibly truncated).
fn blocks<const L: usize>(
    key: &HmacKey<Sha256>,
    salt: &[u8],
    first: u32,
    iterations: u32,
    out: &mut [u8],
    path: Path,
) {
    let mut u: [State; L] = [[0; 8]; L];
    for (l, ul) in u.iter_mut().enumerate() {
        // l < 4.
        #[allow(clippy::cast_possible_truncation)]
        let index = first.wrapping_add(l as u32).to_be_bytes();
        // U_1 = PRF(P, S || INT(i)).
        let mut u1 = key.mac(&[salt, &index]);
        for (w, c) in ul.iter_mut().zip(u1.chunks_exact(4)) {
            *w = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        u1.zeroize();
    }
    let mut acc = u;
    let rounds = iterations.max(1) - 1;
    match path {
        Path::Dispatch => shani::pbkdf2_rounds(key, &mut u, &mut acc, rounds),
        Path::Portable => shani::pbkdf2_rounds_portable(key, &mut u, &mut acc, rounds),
    }
    let mut t = [0u8; 32];
    for (a, chunk) in acc.iter().zip(out.chunks_mut(32)) {
        <Sha256 as crate::mac::Algorithm>::write_digest(a, &mut t);
        chunk.copy_from_slice(&t[..chunk.len()]);
    }
    t.zeroize();
    u.zeroize();
    acc.zeroize();
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::string::String;
    use std::vec::Vec;

    pub(crate) fn hex(b: &[u8]) -> String {
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
        let Some(out) = python_stdin(&script, "") else { return };
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), cases.len());
        for ((p, s, i, o), want) in cases.iter().zip(lines) {
            let mut got = std::vec![0u8; *o];
            pbkdf2_hmac_sha256(p, s, *i, &mut got);
            assert_eq!(hex(&got), want, "seed {seed}: p={} s={} i={i}", hex(p), hex(s));
        }
    }

    /// Issue 23: multi-block outputs (`dkLen = L × 32` for L = 1..4, 1,000 random inputs each,
    /// and 1,000 more of 1..200 bytes: several groups of lanes, truncated last blocks), against
    /// Python's `hashlib.pbkdf2_hmac` and the `pbkdf2` crate, through the dispatched path (the
    /// SHA-NI kernels on this machine, see `mac::shani`) and the portable one. python3 is
    /// required unless `PCODES_ALLOW_SKIP=1`.
    #[test]
    fn lanes_agree_with_python_and_pbkdf2_crate() {
        use crate::rng::{ChaCha20Rng, Rng, SeedableRng};
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        #[allow(clippy::cast_possible_truncation)]
        let mut rng = ChaCha20Rng::seed_from_u64(seed as u64);
        let mut cases: Vec<(Vec<u8>, Vec<u8>, u32, usize)> = Vec::new();
        for n in 0..5000 {
            let mut p = std::vec![0u8; rng.next_u32() as usize % 100];
            let mut s = std::vec![0u8; rng.next_u32() as usize % 60];
            rng.fill_bytes(&mut p);
            rng.fill_bytes(&mut s);
            let iters = 1 + rng.next_u32() % 300;
            // Mostly whole blocks, L = 1..4 in turn; every fifth case 1..200 bytes.
            let outlen = if n % 5 == 4 { 1 + rng.next_u32() as usize % 200 } else { 32 * (1 + n % 4) };
            cases.push((p, s, iters, outlen));
        }
        let mut script =
            String::from("import hashlib, sys\nfor line in sys.stdin:\n    p, s, i, o = line.split()\n");
        script += "    print(hashlib.pbkdf2_hmac('sha256', bytes.fromhex(p), bytes.fromhex(s), int(i), int(o)).hex())\n";
        let mut input = String::new();
        for (p, s, i, o) in &cases {
            // `fromhex` of an empty string is the empty input; "-" stands for it.
            let (hp, hs) = (hex(p), hex(s));
            input += &std::format!(
                "{} {} {i} {o}\n",
                if hp.is_empty() { "-" } else { &hp },
                if hs.is_empty() { "-" } else { &hs }
            );
        }
        let script = script
            .replace("bytes.fromhex(p)", "bytes.fromhex(p.strip('-'))")
            .replace("bytes.fromhex(s)", "bytes.fromhex(s.strip('-'))");
        for lanes in 1..=4 {
            assert!(cases.iter().filter(|c| c.3 == 32 * lanes).count() >= 1000, "{lanes} lanes");
        }
        let Some(out) = python_stdin(&script, &input) else { return };
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), cases.len());
        for ((p, s, i, o), want) in cases.iter().zip(lines) {
            let mut got = std::vec![0u8; *o];
            let mut portable = std::vec![0u8; *o];
            let mut crate_ = std::vec![0u8; *o];
            pbkdf2_hmac_sha256(p, s, *i, &mut got);
            pbkdf2_with(p, s, *i, &mut portable, Path::Portable);
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(p, s, *i, &mut crate_);
            let ctx = std::format!("seed {seed}: p={} s={} i={i} dkLen={o}", hex(p), hex(s));
            assert_eq!(hex(&got), want, "{ctx}");
            assert_eq!(portable, got, "portable path, {ctx}");
            assert_eq!(crate_, got, "pbkdf2 crate, {ctx}");
        }
    }

    /// Runs `python3 -c script` with `input` on its standard input (a script that fails is a
    /// test failure). python3 is required: if it cannot be run the test fails, unless
    /// `PCODES_ALLOW_SKIP=1`, which prints `skipped: …` and gives `None`.
    pub(crate) fn python_stdin(script: &str, input: &str) -> Option<String> {
        use std::io::Write;
        let spawned = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => {
                assert!(
                    std::env::var("PCODES_ALLOW_SKIP").as_deref() == Ok("1"),
                    "python3 required (set PCODES_ALLOW_SKIP=1 to skip): {e}"
                );
                std::println!("skipped: python3 not installed");
                return None;
            }
        };
        // Written from another thread: python3 answers line by line, and both pipes are finite.
        let mut stdin = child.stdin.take().unwrap();
        let input = String::from(input);
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let o = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert!(o.status.success(), "python3 failed: {o:?}");
        Some(String::from_utf8(o.stdout).unwrap())
    }
}
