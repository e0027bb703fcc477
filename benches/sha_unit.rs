//! `sha_unit [runs]`: what the message schedule costs next to the rounds of four interleaved
//! SHA-256 chains on this CPU (issue 23 §1; benches/issue-23-lanes.md, "What bounds the lanes").
//!
//! Each variant runs four independent chains of `sha256rnds2` (32 per chain and "compression",
//! the rounds of a compression without its schedule) and adds, per chain and quad of rounds, one
//! vector instruction of one kind, independent of the chains (its result goes into an
//! accumulator by a one-cycle add, so it never lengthens a dependency chain). A real compression
//! has 12–16 of each kind: 12 `sha256msg1`, 12 `sha256msg2`, 12 `palignr`, 12 adds of the
//! schedule and 16 adds of the round constants (14 in PBKDF2, whose W8..W15 are constant).
//! Printed: ns per compression-equivalent (one chain's 32 `sha256rnds2`), medians of the runs,
//! the variants alternated so that a busy machine slows them alike.
use std::hint::black_box;
use std::time::Instant;

#[cfg(target_arch = "x86_64")]
mod kernels {
    use core::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_alignr_epi8, _mm_set1_epi32, _mm_sha256msg1_epu32, _mm_sha256msg2_epu32,
        _mm_sha256rnds2_epu32, _mm_shuffle_epi32, _mm_xor_si128,
    };

    /// The extra instruction of a variant (a const parameter, so that each variant is its own
    /// loop without a branch).
    pub mod extra {
        /// Nothing: the second `sha256rnds2` of a quad reads another quad from memory.
        pub const NONE: u8 = 0;
        /// The second `sha256rnds2` of a quad reads `pshufd` of the first's quad (as the kernels do).
        pub const PSHUFD: u8 = 1;
        /// `pshufd`, plus one add of a quad into the accumulator.
        pub const ADD: u8 = 2;
        /// `pshufd`, plus `palignr` of two quads, added.
        pub const PALIGNR: u8 = 3;
        /// `pshufd`, plus `sha256msg1` of two quads, added.
        pub const MSG1: u8 = 4;
        /// `pshufd`, plus `sha256msg2` of two quads, added.
        pub const MSG2: u8 = 5;
    }
    use extra::{ADD, MSG1, MSG2, NONE, PALIGNR};

    /// `iters` × 16 quads of rounds on four chains, with `extra` per chain and quad.
    #[target_feature(enable = "sha,sse2,ssse3")]
    pub fn run<const E: u8>(iters: u32, wk: &[__m128i; 32]) -> __m128i {
        let mut a = [_mm_set1_epi32(1), _mm_set1_epi32(2), _mm_set1_epi32(3), _mm_set1_epi32(4)];
        let mut c = [_mm_set1_epi32(5), _mm_set1_epi32(6), _mm_set1_epi32(7), _mm_set1_epi32(8)];
        let mut acc = [_mm_set1_epi32(0); 4];
        for _ in 0..iters {
            for q in 0..16 {
                let mut w = [_mm_set1_epi32(0); 4];
                for l in 0..4 {
                    w[l] = wk[q + l];
                    c[l] = _mm_sha256rnds2_epu32(c[l], a[l], w[l]);
                }
                for l in 0..4 {
                    let hi = if E == NONE { wk[q + l + 1] } else { _mm_shuffle_epi32(w[l], 0x0E) };
                    a[l] = _mm_sha256rnds2_epu32(a[l], c[l], hi);
                    let w2 = wk[q + l + 2];
                    let x = match E {
                        ADD => w2,
                        PALIGNR => _mm_alignr_epi8(w[l], w2, 4),
                        MSG1 => _mm_sha256msg1_epu32(w2, w[l]),
                        MSG2 => _mm_sha256msg2_epu32(w2, w[l]),
                        _ => continue,
                    };
                    acc[l] = _mm_add_epi32(acc[l], x);
                }
            }
        }
        let s = _mm_xor_si128(_mm_xor_si128(a[0], a[1]), _mm_xor_si128(a[2], c[3]));
        _mm_xor_si128(s, _mm_xor_si128(_mm_xor_si128(acc[0], acc[1]), _mm_xor_si128(acc[2], acc[3])))
    }
}

#[cfg(target_arch = "x86_64")]
fn main() {
    use kernels::{extra::*, run};
    type Kernel = unsafe fn(u32, &[core::arch::x86_64::__m128i; 32]) -> core::arch::x86_64::__m128i;
    if !std::is_x86_feature_detected!("sha") || !std::is_x86_feature_detected!("ssse3") {
        eprintln!("sha_unit: this CPU has no SHA-NI; nothing to measure");
        std::process::exit(2);
    }
    let runs: usize = std::env::args().nth(1).map_or(31, |s| s.parse().expect("runs: a number"));
    let variants: [(&str, Kernel); 6] = [
        ("rounds only (4 chains)", run::<NONE>),
        ("+ pshufd", run::<PSHUFD>),
        ("+ pshufd + add", run::<ADD>),
        ("+ pshufd + palignr + add", run::<PALIGNR>),
        ("+ pshufd + sha256msg1 + add", run::<MSG1>),
        ("+ pshufd + sha256msg2 + add", run::<MSG2>),
    ];
    // SAFETY: SSE2 is part of x86-64.
    let wk = black_box([unsafe { core::arch::x86_64::_mm_set1_epi32(0x0123_4567) }; 32]);
    const ITERS: u32 = 5_000;
    let mut t = vec![Vec::with_capacity(runs); variants.len()];
    for _ in 0..runs {
        for (i, &(_, kernel)) in variants.iter().enumerate() {
            let s = Instant::now();
            // SAFETY: the CPU has SHA and SSSE3 (checked above), the features `run` is built for.
            black_box(unsafe { kernel(ITERS, &wk) });
            t[i].push(s.elapsed().as_secs_f64() * 1e9 / f64::from(ITERS * 4));
        }
    }
    for ((name, _), v) in variants.iter().zip(&mut t) {
        v.sort_by(f64::total_cmp);
        println!("{name:<30} {:6.1} ns per compression-equivalent (median of {runs})", v[runs / 2]);
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn main() {
    eprintln!("sha_unit: x86-64 only (SHA-NI)");
    std::process::exit(2);
}
