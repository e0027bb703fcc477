//! UTF-8 checks for the C strings every function takes.
//!
//! The Rust API takes `&str`, so each C string is checked once at the boundary. The portal's
//! strings are short ASCII (codes, dates, SNILS) or Cyrillic names, so the fast check accepts
//! exactly the UTF-8 made of ASCII and two-byte sequences (U+0000–U+07FF); anything else (a
//! three- or four-byte character, or invalid bytes) is decided by `core::str::from_utf8`.
//!
//! On x86-64 strings of 16 bytes or more are checked 16 byte pairs at a time with SSE2 (part
//! of every x86-64 CPU, so there is no run-time detection); shorter ones, and other targets,
//! eight bytes at a time and then pair by pair.

/// Whether the text `s` of a C string is ASCII and two-byte UTF-8 sequences only. `false`
/// means "not known" (the caller then asks [`is_utf8`]).
///
/// # Safety
/// The byte after `s` must be readable: `s` is the text of a NUL-terminated string, without
/// the NUL.
#[inline(always)]
pub(super) unsafe fn is_short_utf8_cstr(s: &[u8]) -> bool {
    if s.len() >= 16 {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: at least 16 bytes, followed by a readable byte (this function's contract).
        return unsafe { sse2::is_short_utf8(s) };
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        return is_ascii(s) || is_short_utf8(s);
    }
    is_ascii_below_16(s) || is_short_utf8(s)
}

/// Whether `s` is UTF-8 (`core::str::from_utf8`; out of line, it is the rare case).
#[inline(never)]
pub(super) fn is_utf8(s: &[u8]) -> bool {
    core::str::from_utf8(s).is_ok()
}

/// Whether `s`, of fewer than 16 bytes, is ASCII: two overlapping words, no loop.
#[inline(always)]
fn is_ascii_below_16(s: &[u8]) -> bool {
    let word = |b: &[u8]| b.first_chunk::<8>().map_or(0, |w| u64::from_ne_bytes(*w));
    let half = |b: &[u8]| b.first_chunk::<4>().map_or(0, |w| u64::from(u32::from_ne_bytes(*w)));
    let n = s.len();
    let acc = if n >= 8 {
        word(s) | word(&s[n - 8..])
    } else if n >= 4 {
        half(s) | half(&s[n - 4..])
    } else {
        s.iter().fold(0, |a, &b| a | u64::from(b))
    };
    acc & 0x8080_8080_8080_8080 == 0
}

/// Whether `s` is ASCII, eight bytes at a time (16 bytes and more where there is no SSE2).
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn is_ascii(s: &[u8]) -> bool {
    let mut words = s.chunks_exact(8);
    let mut acc = 0u64;
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        acc |= u64::from_ne_bytes(b);
    }
    let tail = words.remainder().iter().fold(0u8, |a, &b| a | b);
    (acc & 0x8080_8080_8080_8080) | u64::from(tail & 0x80) == 0
}

/// A lead byte of a two-byte sequence: C2–DF (C0 and C1 would be overlong).
const fn lead(b: u8) -> bool {
    b.wrapping_sub(0xC2) < 0x1E
}

/// A continuation byte: 80–BF.
const fn cont(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// C0, C1 (overlong leads) and E0–FF (leads of longer sequences, invalid bytes).
const fn other(b: u8) -> bool {
    b >= 0xE0 || b.wrapping_sub(0xC0) < 2
}

/// Whether `s` consists only of ASCII bytes and well-formed two-byte UTF-8 sequences (lead
/// byte C2–DF, then one continuation byte 80–BF). Branch-free over adjacent pairs: every byte
/// is a lead exactly when the next one is a continuation.
#[inline(always)]
fn is_short_utf8(s: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (s.first(), s.last()) else {
        return true;
    };
    // A continuation first, a lead last (truncated), or another byte last.
    let edges = cont(first) | lead(last) | other(last);
    let bad = s
        .iter()
        .zip(&s[1..])
        .fold(0u8, |acc, (&a, &b)| acc | u8::from(lead(a) != cont(b)) | u8::from(other(a)));
    !edges && bad == 0
}

/// The pair check of [`is_short_utf8`] sixteen pairs at a time.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_xor_si128,
    };

    /// Bytes per vector.
    pub(super) const LANES: usize = 16;

    /// A lane mask of the pairs `(a[i], b[i])` that break the rule: `a[i]` is a lead exactly
    /// when `b[i]` is a continuation, and `a[i]` is not C0, C1 or E0–FF.
    #[inline(always)]
    fn bad_pairs(a: __m128i, b: __m128i) -> i32 {
        // SAFETY: these intrinsics only need SSE2, which this module is compiled for
        // (`target_feature = "sse2"`, part of every x86-64 target); none touches memory.
        unsafe {
            // Unsigned order as signed order: x = a ^ 0x80 maps 00–FF to -128..=127.
            let x = _mm_xor_si128(a, _mm_set1_epi8(i8::MIN));
            // a >= C0 (x >= 0x40): a lead or another byte.
            let high = _mm_cmpgt_epi8(x, _mm_set1_epi8(0x3F));
            // a in C2–DF (x in 0x42..=0x5F).
            let lead =
                _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x41)), _mm_cmplt_epi8(x, _mm_set1_epi8(0x60)));
            // b & C0 == 80 (C0 is -0x40 as a signed byte).
            let cont = _mm_cmpeq_epi8(_mm_and_si128(b, _mm_set1_epi8(-0x40)), _mm_set1_epi8(i8::MIN));
            // Another byte is `high` and not `lead` (`lead` lies inside `high`).
            let bad = _mm_or_si128(_mm_xor_si128(lead, cont), _mm_xor_si128(high, lead));
            _mm_movemask_epi8(bad)
        }
    }

    /// [`super::is_short_utf8`] for `s` of at least 16 bytes followed by a NUL. The pairs are
    /// `(s[i], s[i + 1])` for every `i < s.len()`, the last one with the NUL (which is not a
    /// continuation, so a lead at the end is caught and no edge case is left but the first byte).
    ///
    /// # Safety
    /// `s.len() >= 16`, and the byte after `s` is readable.
    #[inline(always)]
    pub(super) unsafe fn is_short_utf8(s: &[u8]) -> bool {
        let n = s.len();
        let p = s.as_ptr();
        // SAFETY (both loads): `i + 1 + 16 <= n + 1`, so the 16 bytes at `i` and at `i + 1` lie
        // within `s` and the byte after it, all readable (this function's contract);
        // `_mm_loadu_si128` has no alignment requirement.
        let block = |i: usize| unsafe {
            bad_pairs(_mm_loadu_si128(p.add(i).cast()), _mm_loadu_si128(p.add(i + 1).cast()))
        };
        let mut bad = 0;
        let mut i = 0;
        while i + LANES < n {
            bad |= block(i);
            i += LANES;
        }
        // The last 16 pairs, overlapping the loop's when `n` is not a multiple of 16.
        bad |= block(n - LANES);
        bad == 0 && !super::cont(s[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast check of a C string's text (the NUL after it is added here).
    fn fast(s: &[u8]) -> bool {
        let mut c = std::vec::Vec::from(s);
        c.push(0);
        // SAFETY: `c[..s.len()]` is followed by the NUL.
        unsafe { is_short_utf8_cstr(&c[..s.len()]) }
    }

    /// Sound (accepts only UTF-8) and complete for ASCII and two-byte UTF-8.
    fn agrees(s: &[u8]) {
        let std_ok = core::str::from_utf8(s).is_ok();
        let f = fast(s);
        assert!(!f || std_ok, "accepted invalid {s:02x?}");
        if s.iter().all(|&b| b < 0xE0) {
            assert_eq!(f, std_ok, "{s:02x?}");
        }
        assert_eq!(is_utf8(s), std_ok);
        // The portable path (other targets) decides exactly as the one used here.
        assert_eq!(is_ascii(s) || is_short_utf8(s), f, "{s:02x?}");
    }

    /// Every string of up to three bytes (the scalar path), as [`agrees`] without allocating.
    #[test]
    fn every_string_of_up_to_three_bytes_agrees() {
        let a = [b'a'; 16];
        assert!((0..=16).all(|n| is_ascii(&a[..n]) && is_ascii_below_16(&a[..n.min(15)])));
        let check = |s: &[u8]| {
            let mut c = [0u8; 4];
            c[..s.len()].copy_from_slice(s);
            // SAFETY: `c[..s.len()]` is followed by a NUL within `c`.
            let f = unsafe { is_short_utf8_cstr(&c[..s.len()]) };
            let std_ok = core::str::from_utf8(s).is_ok();
            assert!(!f || std_ok, "accepted invalid {s:02x?}");
            if s.iter().all(|&b| b < 0xE0) {
                assert_eq!(f, std_ok, "{s:02x?}");
            }
        };
        check(&[]);
        for a in 0..=255u8 {
            check(&[a]);
            for b in 0..=255u8 {
                check(&[a, b]);
                for c in 0..=255u8 {
                    check(&[a, b, c]);
                }
            }
        }
    }

    /// Every length up to 48 (both sides of the 16-byte vector path and its overlapping last
    /// block), with every byte value at every position of an ASCII and of a Cyrillic string.
    #[test]
    fn every_byte_at_every_position_agrees() {
        let cyr = "жёлтый".repeat(10);
        for len in 0..=48 {
            let ascii: std::vec::Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let cyrillic = &cyr.as_bytes()[..len]; // odd lengths cut a character
            for base in [&ascii[..], cyrillic] {
                agrees(base);
                for at in 0..len {
                    for v in 1..=255u8 {
                        let mut s = base.to_vec();
                        s[at] = v;
                        agrees(&s);
                    }
                }
            }
        }
    }

    /// Random strings over the bytes that matter (ASCII, continuation, lead and other bytes at
    /// their boundaries), 1–80 bytes long (xorshift, fixed seed).
    #[test]
    fn random_strings_agree() {
        const BYTES: [u8; 14] =
            [b'a', b' ', 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xD0, 0xDF, 0xE0, 0xED, 0xF4, 0xFF];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..50_000 {
            let len = 1 + (next() % 80) as usize;
            let mut s = std::vec::Vec::with_capacity(len + 1);
            while s.len() < len {
                let r = next();
                match r % 4 {
                    // Mostly well-formed characters, so that long valid runs occur.
                    0 => s.push(BYTES[(r >> 8) as usize % BYTES.len()]),
                    1 => s.push(b'a' + (r >> 8) as u8 % 26),
                    _ => s.extend_from_slice(
                        "бЯ"
                            .as_bytes()
                            .get((r >> 8) as usize % 2 * 2..)
                            .unwrap_or_default()
                            .get(..2)
                            .unwrap_or_default(),
                    ),
                }
            }
            s.truncate(len);
            agrees(&s);
        }
    }
}
