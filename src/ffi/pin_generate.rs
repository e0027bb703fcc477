//! PINs the portal issues ("Get PIN"): `pcodes_pin_generate` (issue 23 §3), next to the PIN
//! family of `pin.rs` (a file of its own, so that the PIN module stays within its size).

use core::ffi::c_char;

use super::ctx::{ctx_ref, pcodes_ctx};
use super::{OutBuf, boundary, opt_text, pcodes_status, region_of, region_of_opt_text};
use crate::pin;

/// Buffer size for a generated PIN, including the terminating NUL: the longest PIN (6 digits)
/// plus NUL. `pcodes_pin_generate` asks for at least this much whatever the length.
pub const PCODES_PIN_GENERATE_BYTES: usize = 7;
const _: () = assert!(PCODES_PIN_GENERATE_BYTES == pin::GENERATE_BYTES);

/// `PCODES_PIN_GENERATE_BYTES` as a function (JNA cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_pin_generate_bytes() -> usize {
    PCODES_PIN_GENERATE_BYTES
}

/// Writes a PIN of `length` digits (4 or 6, allowed by `PCODES_SETTING_PIN_LENGTHS`), drawn
/// uniformly from the PINs that `pcodes_pin_check(ctx, pin, pin, birth_date)` accepts,
/// NUL-terminated, into `out`: never on the blocklist, never a pattern, never derived from
/// `birth_date` (`"YYYY-MM-DD"`, may be NULL) in any form the check refuses. For a "Get PIN"
/// button: show it to the person (e.g. after an SMS confirmation), then hash it with
/// `pcodes_pin_hash`. The PIN is a secret: clear `out` once it has been shown and hashed.
///
/// Randomness: the library's generator (ChaCha20 seeded from the operating system, per thread),
/// by rejection sampling (uniform digits without modulo bias, refused PINs drawn again), at most
/// 64 draws; with a working generator about 89 % of draws are accepted, so running out (then
/// `RNG_FAILURE`) means the generator is broken. `out_len` must be at least
/// `PCODES_PIN_GENERATE_BYTES` (7) whatever the length; nothing is drawn or written on a refusal.
///
/// Returns `OK`, `NULL_ARGUMENT` (`ctx`, `out`), `INVALID_ARGUMENT` (bad UTF-8 in `birth_date`,
/// `out` overlapping an input, `length` not 4 or 6 or not allowed by `PIN_LENGTHS`),
/// `BUFFER_TOO_SMALL`, `INVALID_BIRTH_DATE`, `RNG_FAILURE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_pin_generate(
    ctx: *const pcodes_ctx,
    length: u32,
    birth_date: *const c_char,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context and a NUL-terminated string or NULL.
        let (c, b) = unsafe { (ctx_ref(ctx)?, opt_text(birth_date, arg!(birth_date))?) };
        let o = OutBuf::new(out, out_len, arg!(out, out_len, "see PCODES_PIN_GENERATE_BYTES (7)"))?;
        no_overlap!(
            writes: [out: o.region()],
            reads: [ctx: region_of(ctx), birth_date: region_of_opt_text(b)],
        )?;
        o.room(PCODES_PIN_GENERATE_BYTES)?;
        let p = pin::generate(c, length, b)?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from the inputs (checked above).
        unsafe { o.put(p.as_str()) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::ctx::{pcodes_ctx_free, pcodes_ctx_set};
    use crate::ffi::pin::pcodes_pin_check;
    use crate::ffi::status::*;
    use crate::ffi::test_support::{Scratch, cstr, new_ctx};
    use core::ptr::{null, null_mut};

    #[test]
    fn size_constant() {
        assert_eq!(pcodes_pin_generate_bytes(), 7);
    }

    /// Generated PINs of both lengths, with and without a birth date, pass `pcodes_pin_check`.
    #[test]
    fn generated_pins_pass_the_check() {
        let ctx = new_ctx(0x42, 1);
        let mut buf = [0xAAu8; PCODES_PIN_GENERATE_BYTES];
        for length in [4u32, 6] {
            for birth in [null(), c"1987-05-25".as_ptr()] {
                for _ in 0..500 {
                    // SAFETY: a live context, a static string or NULL, a local buffer of 7 bytes.
                    unsafe {
                        assert_eq!(
                            pcodes_pin_generate(ctx, length, birth, buf.as_mut_ptr().cast(), buf.len()),
                            PCODES_STATUS_OK
                        );
                        let p = std::ffi::CString::new(cstr(&buf)).unwrap();
                        assert_eq!(p.as_bytes().len(), length as usize);
                        assert_eq!(pcodes_pin_check(ctx, p.as_ptr(), p.as_ptr(), birth), PCODES_STATUS_OK);
                    }
                }
            }
        }
        // SAFETY: made by `new_ctx`, freed once.
        unsafe { pcodes_ctx_free(ctx) };
    }

    /// Every refusal, and that a refused call writes nothing.
    #[test]
    fn refusals_write_nothing() {
        let ctx = new_ctx(0x42, 1);
        let mut buf = [0xAAu8; 16];
        let b = buf.as_mut_ptr().cast::<c_char>();
        // SAFETY: NULLs on purpose; otherwise a live context, static strings and a local buffer of
        // the stated size.
        unsafe {
            assert_eq!(pcodes_pin_generate(null(), 4, null(), b, 7), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_pin_generate(ctx, 4, null(), null_mut(), 7), PCODES_STATUS_NULL_ARGUMENT);
            for short in [0, 1, 5, 6] {
                assert_eq!(pcodes_pin_generate(ctx, 4, null(), b, short), PCODES_STATUS_BUFFER_TOO_SMALL);
                assert_eq!(
                    crate::diag::last_error_detail(),
                    "out_len: too small, see PCODES_PIN_GENERATE_BYTES (7)"
                );
            }
            for bad in [0, 3, 5, 7, u32::MAX] {
                assert_eq!(pcodes_pin_generate(ctx, bad, null(), b, 7), PCODES_STATUS_INVALID_ARGUMENT);
                assert_eq!(crate::diag::last_error_detail(), "length: must be 4 or 6");
            }
            let bad_utf8 = [0xC3u8, 0x28, 0];
            let not_utf8 = bad_utf8.as_ptr().cast();
            assert_eq!(pcodes_pin_generate(ctx, 4, not_utf8, b, 7), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(
                pcodes_pin_generate(ctx, 4, c"1987-02-30".as_ptr(), b, 7),
                PCODES_STATUS_INVALID_BIRTH_DATE
            );
            assert_eq!(pcodes_pin_generate(ctx, 6, c"".as_ptr(), b, 7), PCODES_STATUS_INVALID_BIRTH_DATE);
            assert!(buf.iter().all(|&x| x == 0xAA), "a refused call wrote");
            // A context allowing only 6 digits (configured before its first use).
            let only6 = new_ctx(0x42, 1);
            let lengths = crate::ffi::ctx::PCODES_SETTING_PIN_LENGTHS;
            assert_eq!(pcodes_ctx_set(only6, lengths, 1 << 6), PCODES_STATUS_OK);
            assert_eq!(pcodes_pin_generate(only6, 4, null(), b, 7), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(crate::diag::last_error_detail(), "length: not allowed by PCODES_SETTING_PIN_LENGTHS");
            assert!(buf.iter().all(|&x| x == 0xAA), "a refused call wrote");
            assert_eq!(pcodes_pin_generate(only6, 6, null(), b, 16), PCODES_STATUS_OK);
            assert_eq!(cstr(&buf).len(), 6);
            assert_eq!(crate::diag::last_error_detail(), "");
            pcodes_ctx_free(only6);
            pcodes_ctx_free(ctx);
        }
    }

    /// `out` over the birth date or the context is refused, and nothing is written.
    #[test]
    fn overlap_is_refused() {
        let ctx = new_ctx(0x42, 1);
        let mut s = Scratch::new(32);
        let birth = s.put(0, b"1987-05-25\0");
        // SAFETY: a live context; `birth` and the outputs lie inside the scratch buffer.
        unsafe {
            assert_eq!(pcodes_pin_generate(ctx, 4, birth, s.at(4).cast(), 7), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(s.bytes(0, 11), b"1987-05-25\0");
            assert_eq!(pcodes_pin_generate(ctx, 4, birth, s.at(16).cast(), 7), PCODES_STATUS_OK);
            pcodes_ctx_free(ctx);
        }
    }
}
