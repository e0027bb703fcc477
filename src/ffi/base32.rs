//! RFC 4648 base32 (the encoding of authenticator-app secrets).

use core::ffi::c_char;

use super::{
    boundary, bytes, bytes_mut, pcodes_status, region_of, region_of_buf, region_of_bytes, region_of_text,
    room, text,
};
use crate::base32;
use crate::error::Error;

/// Encodes `len` bytes as RFC 4648 base32 without padding, NUL-terminated (needs
/// `ceil(8 * len / 5) + 1` bytes). Not in place: `out` must not overlap `data`.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (`out` overlaps `data`; `out` untouched),
/// `BUFFER_TOO_SMALL` (`out` untouched).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_base32_encode(
    data: *const u8,
    len: usize,
    out: *mut c_char,
    out_len: usize,
) -> pcodes_status {
    boundary(|| {
        const OUT: &super::Arg = arg!(out, out_len, "needs ceil(8 * len / 5) + 1 bytes");
        // SAFETY: caller passes `len` readable bytes.
        let d = unsafe { bytes(data, len, arg!(data, len)) }?;
        no_overlap!(writes: [out: region_of_buf(out, out_len, OUT)?], reads: [data: region_of_bytes(d)])?;
        // SAFETY: caller passes `out_len` writable bytes, disjoint from `d` (checked above).
        let o = unsafe { bytes_mut(out, out_len, OUT) }?;
        let n = base32::encoded_len(len);
        room(n + 1, o.len(), OUT)?;
        base32::encode(d, &mut o[..n])?;
        o[n] = 0;
        Ok(())
    })
}

/// Decodes RFC 4648 base32 (either case; spaces, tabs, line breaks and trailing `=` ignored)
/// into `out`; `*written_out` = bytes written.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, a character outside the alphabet,
/// impossible length, `out` or `*written_out` overlaps `text_in` or each other),
/// `BUFFER_TOO_SMALL` (`out` untouched).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_base32_decode(
    text_in: *const c_char,
    out: *mut u8,
    out_len: usize,
    written_out: *mut usize,
) -> pcodes_status {
    boundary(|| {
        const OUT: &super::Arg = arg!(out, out_len, "needs 5 bytes for every 8 characters");
        // SAFETY: caller passes a NUL-terminated string.
        let t = unsafe { text(text_in, arg!(text_in)) }?;
        no_overlap!(
            writes: [out: region_of_buf(out, out_len, OUT)?, written_out: region_of(written_out)],
            reads: [text_in: region_of_text(t)],
        )?;
        // SAFETY: caller passes `out_len` writable bytes and a writable size_t, disjoint from
        // each other and from `t` (checked above).
        let (o, w) = unsafe { (bytes_mut(out, out_len, OUT)?, super::out(written_out, arg!(written_out))?) };
        // `decode` checks the whole text before the buffer, and writes nothing on an error.
        *w = base32::decode(t, o).map_err(|e| match e {
            Error::BufferTooSmall => e.because(OUT.small),
            _ => {
                e.because(c"text_in: not base32 (a character outside the alphabet, or an impossible length)")
            }
        })?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::status::*;
    use crate::ffi::test_support::{Scratch, cstr};
    use core::ptr::{null, null_mut};

    #[test]
    fn base32_functions() {
        let mut out = [0u8; 17];
        let mut w = 0usize;
        // SAFETY: pointers are live locals of the stated sizes.
        unsafe {
            assert_eq!(
                pcodes_base32_encode(b"foobar".as_ptr(), 6, out.as_mut_ptr().cast(), 11),
                PCODES_STATUS_OK
            );
            assert_eq!(cstr(&out), "MZXW6YTBOI");
            let mut small = [7u8; 10];
            assert_eq!(
                pcodes_base32_encode(b"foobar".as_ptr(), 6, small.as_mut_ptr().cast(), 10),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(small, [7; 10]);
            assert_eq!(pcodes_base32_encode(b"".as_ptr(), 0, out.as_mut_ptr().cast(), 1), PCODES_STATUS_OK);
            assert_eq!(out[0], 0);
            assert_eq!(
                pcodes_base32_encode(null(), 0, out.as_mut_ptr().cast(), 1),
                PCODES_STATUS_NULL_ARGUMENT
            );
            let mut d = [0u8; 6];
            assert_eq!(
                pcodes_base32_decode(c"mzxw 6ytb oi======".as_ptr(), d.as_mut_ptr(), 6, &raw mut w),
                PCODES_STATUS_OK
            );
            assert_eq!((&d[..], w), (&b"foobar"[..], 6));
            let mut d5 = [7u8; 5];
            assert_eq!(
                pcodes_base32_decode(c"MZXW6YTBOI".as_ptr(), d5.as_mut_ptr(), 5, &raw mut w),
                PCODES_STATUS_BUFFER_TOO_SMALL
            );
            assert_eq!(d5, [7; 5]);
            assert_eq!(
                pcodes_base32_decode(c"MZXW1".as_ptr(), d.as_mut_ptr(), 6, &raw mut w),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_base32_decode(c"MZXW".as_ptr(), d.as_mut_ptr(), 6, null_mut()),
                PCODES_STATUS_NULL_ARGUMENT
            );
            let bad = [b'M', 0xff, 0];
            assert_eq!(
                pcodes_base32_decode(bad.as_ptr().cast(), d.as_mut_ptr(), 6, &raw mut w),
                PCODES_STATUS_INVALID_ARGUMENT
            );
        }
    }

    /// The bug: `pcodes_base32_encode` with `out` over `data` returned OK with a wrong encoding.
    /// Now every overlap is refused and `out` is left as it was; touching buffers still work.
    #[test]
    fn base32_encode_refuses_overlapping_buffers() {
        for data_at in 0..16 {
            for out_at in 0..16 {
                let mut b = Scratch::new(64);
                let data = b.put(data_at, b"foobar").cast::<u8>();
                let out = b.at(out_at).cast::<c_char>();
                let before = b.bytes(0, 64);
                // SAFETY: both regions lie inside the scratch buffer.
                let rc = unsafe { pcodes_base32_encode(data, 6, out, 11) };
                let overlaps = out_at < data_at + 6 && data_at < out_at + 11;
                if overlaps {
                    assert_eq!(rc, PCODES_STATUS_INVALID_ARGUMENT, "data at {data_at}, out at {out_at}");
                    assert_eq!(b.bytes(0, 64), before, "nothing written");
                } else {
                    assert_eq!(rc, PCODES_STATUS_OK, "data at {data_at}, out at {out_at}");
                    assert_eq!(b.bytes(out_at, 11), b"MZXW6YTBOI\0");
                }
            }
        }
    }
}
