//! Link codes: child data check, issue, parse, redeem.

use core::ffi::c_char;

use super::ctx::{ctx_ref, pcodes_ctx};
use super::{
    OutBuf, Region, boundary, opt_text, out, pcodes_status, region_of, region_of_opt_text, region_of_state,
    region_of_text, state_blob, text,
};
use crate::error::{Error, Result};
use crate::link::{self, Child};

/// A child's data. Every field is a NUL-terminated UTF-8 string; a NULL, empty or blank field
/// is missing.
#[repr(C)]
pub struct pcodes_child {
    /// Full name, e.g. "Иванов Иван Иванович".
    pub full_name: *const c_char,
    /// Birth date, "YYYY-MM-DD".
    pub birth_date: *const c_char,
    /// "M" or "F" (Cyrillic "М"/"Ж" and lower case accepted).
    pub sex: *const c_char,
    /// SNILS, "112-233-445 95" or "11223344595".
    pub snils: *const c_char,
}

/// Bit of `pcodes_child_check`'s result: the full name is missing.
pub const PCODES_FIELD_FULL_NAME: u32 = 1;
/// Bit of `pcodes_child_check`'s result: the birth date is missing.
pub const PCODES_FIELD_BIRTH_DATE: u32 = 2;
/// Bit of `pcodes_child_check`'s result: the sex is missing.
pub const PCODES_FIELD_SEX: u32 = 4;
/// Bit of `pcodes_child_check`'s result: the SNILS is missing.
pub const PCODES_FIELD_SNILS: u32 = 8;

/// Buffer size for a link code: "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX" and a NUL (30).
pub const PCODES_LINK_CODE_BYTES: usize = 30;
const _: () = assert!(PCODES_LINK_CODE_BYTES == link::CODE_BYTES);

/// `PCODES_LINK_CODE_BYTES` as a function (for bindings that cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_link_code_bytes() -> usize {
    PCODES_LINK_CODE_BYTES
}

/// The details of the child's fields (they are parts of the argument `child`).
const FULL_NAME: &super::Arg = &super::Arg { utf8: c"child: full_name is not UTF-8", ..*arg!(child) };
const BIRTH_DATE: &super::Arg = &super::Arg { utf8: c"child: birth_date is not UTF-8", ..*arg!(child) };
const SEX: &super::Arg = &super::Arg { utf8: c"child: sex is not UTF-8", ..*arg!(child) };
const SNILS: &super::Arg = &super::Arg { utf8: c"child: snils is not UTF-8", ..*arg!(child) };

/// The child behind a pointer; NULL fields are blank. Also returns the memory it was read from
/// (the struct and its four strings), for `writes_disjoint`.
///
/// # Safety
/// `p` is NULL or points to a `pcodes_child` whose fields are NULL or NUL-terminated strings,
/// all valid for the call.
#[inline(always)]
unsafe fn child_ref<'a>(p: *const pcodes_child) -> Result<(Child<'a>, [Region; 5])> {
    // SAFETY: NULL is checked by `as_ref`; validity is the caller's contract.
    let c = unsafe { p.as_ref() }.ok_or_else(|| Error::NullArgument.because(arg!(child).null))?;
    // SAFETY: each field is NULL or a NUL-terminated string by the caller's contract.
    let field = |f: *const c_char, a| unsafe { opt_text(f, a) };
    let fields = [
        field(c.full_name, FULL_NAME)?,
        field(c.birth_date, BIRTH_DATE)?,
        field(c.sex, SEX)?,
        field(c.snils, SNILS)?,
    ];
    let regions = [
        region_of(p),
        region_of_opt_text(fields[0]),
        region_of_opt_text(fields[1]),
        region_of_opt_text(fields[2]),
        region_of_opt_text(fields[3]),
    ];
    let [name, birth, sex, snils] = fields.map(Option::unwrap_or_default);
    Ok((Child::new(name, birth, sex, snils), regions))
}

/// Reports which of the child's fields are missing (NULL, empty or blank): `*missing_out` gets
/// the `PCODES_FIELD_*` bits (0 if none). Validity (SNILS, date, sex) is checked by
/// `pcodes_link_issue`.
///
/// Returns `OK` if nothing is missing, `MISSING_FIELD` with the bits set, `NULL_ARGUMENT`,
/// `INVALID_ARGUMENT` (a field is not UTF-8; `missing_out` overlaps the child or its strings).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_child_check(
    child: *const pcodes_child,
    missing_out: *mut u32,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a valid child or NULL.
        let (c, [c0, c1, c2, c3, c4]) = unsafe { child_ref(child) }?;
        no_overlap!(writes: [missing_out: region_of(missing_out)], reads: [child: c0, child: c1, child: c2, child: c3, child: c4])?;
        // SAFETY: caller passes a writable u32 or NULL, disjoint from the child (checked above).
        let o = unsafe { out(missing_out, arg!(missing_out)) }?;
        let r = c.check();
        *o = r.err().unwrap_or(0);
        r.map_err(|_| Error::MissingField)
    })
}

/// Issues a new link code for record `record_id` (0 to 2^40-1) and `child` at `now`, writing
/// it NUL-terminated to `code_out` (`PCODES_LINK_CODE_BYTES`), and records it in the record's
/// state as its latest code (earlier codes are superseded). Randomness comes from the operating
/// system.
///
/// Returns `NULL_ARGUMENT`; `BUFFER_TOO_SMALL` (checked first: nothing issued, state and buffer
/// untouched); `CORRUPT_STATE` (untouched); `INVALID_ARGUMENT` (bad UTF-8, record id too large,
/// `now` before 2020 or after 2051, sex not M/F/М/Ж, overlapping buffers); `MISSING_FIELD`; `INVALID_BIRTH_DATE`;
/// `INVALID_SNILS`; `RNG_FAILURE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_link_issue(
    ctx: *const pcodes_ctx,
    record_id: u64,
    child: *const pcodes_child,
    now: u64,
    state: *mut u8,
    state_len: usize,
    code_out: *mut c_char,
    code_out_len: usize,
) -> pcodes_status {
    const OUT: &super::Arg = arg!(code_out, code_out_len, "see PCODES_LINK_CODE_BYTES");
    boundary(|| {
        // SAFETY: caller passes a live context and a valid child (or NULLs).
        let (ctx, (c, [c0, c1, c2, c3, c4])) = unsafe { (ctx_ref(ctx)?, child_ref(child)?) };
        let o = OutBuf::new(code_out, code_out_len, OUT)?;
        o.room(link::CODE_BYTES)?;
        no_overlap!(
            writes: [state: region_of_state(state, state_len), code_out: o.region()],
            reads: [ctx: region_of(ctx), child: c0, child: c1, child: c2, child: c3, child: c4],
        )?;
        // SAFETY: caller passes a readable and writable blob of `state_len` bytes, disjoint from
        // the other arguments (checked above).
        let code = link::issue(ctx, record_id, &c, now, unsafe { state_blob(state, state_len) }?)?;
        // SAFETY: caller passes `code_out_len` writable bytes, disjoint from the rest (checked above).
        unsafe { o.put(code.as_str()) }
    })
}

/// The record id a typed code names (no key needed), for finding the record before
/// `pcodes_link_redeem`. Lower case, spaces and hyphens anywhere, O for 0, I/L for 1 and
/// Cyrillic look-alike letters are accepted. `*record_id_out` is written only on success.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8; `record_id_out` overlaps `code`),
/// `MISTYPED` (wrong length, a character outside the alphabet, or a failed check symbol: a
/// typing error).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_link_parse(code: *const c_char, record_id_out: *mut u64) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a NUL-terminated string or NULL.
        let code = unsafe { text(code, arg!(code)) }?;
        no_overlap!(writes: [record_id_out: region_of(record_id_out)], reads: [code: region_of_text(code)])?;
        // SAFETY: caller passes a writable u64 or NULL, disjoint from `code` (checked above).
        let o = unsafe { out(record_id_out, arg!(record_id_out)) }?;
        *o = link::parse(code)?;
        Ok(())
    })
}

/// Redeems a typed code for the record whose current data is `child` and whose state is
/// `state`, at `now`. On `OK` the code is marked used; the state is written back on every
/// return after it was read (a failed attempt is recorded). Only `WRONG` changes the lockout
/// counters: a redeem does not clear them (they count forged codes).
///
/// Returns, the first that applies (the full table of states and inputs: docs/verdicts.md):
/// `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, `now` out of range,
/// overlapping buffers), `CORRUPT_STATE`
/// (untouched), `BLOCKED`/`LOCKED` (only for a code whose tag does not verify: the real code
/// is answered on its merits below also on a locked or blocked record, so forged codes
/// cannot lock its holder out), `NO_CHALLENGE` (no code was issued for this state),
/// `MISTYPED` (typing error; not counted),
/// `UNKNOWN_KEY` (the code's key id is not in the context), `WRONG` (not a code of ours for this
/// record: counted for the lockout), `DATA_CHANGED` (the child's data changed since the code
/// was issued; the code then stays dead even if the data changes back), `SUPERSEDED` (a newer
/// code was issued), `ALREADY_USED`, `EXPIRED` (`LINK_TTL_SECONDS` passed), `OK`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_link_redeem(
    ctx: *const pcodes_ctx,
    code: *const c_char,
    child: *const pcodes_child,
    now: u64,
    state: *mut u8,
    state_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context, a NUL-terminated string and a valid child (or NULLs).
        let (ctx, code, (c, [c0, c1, c2, c3, c4])) =
            unsafe { (ctx_ref(ctx)?, text(code, arg!(code))?, child_ref(child)?) };
        no_overlap!(
            writes: [state: region_of_state(state, state_len)],
            reads: [ctx: region_of(ctx), code: region_of_text(code), child: c0, child: c1, child: c2, child: c3, child: c4],
        )?;
        // SAFETY: caller passes a readable and writable blob of `state_len` bytes, disjoint from
        // the inputs (checked above).
        link::redeem(ctx, code, &c, now, unsafe { state_blob(state, state_len) }?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::ctx::pcodes_ctx_free;
    use crate::ffi::status::*;
    use core::ptr::{null, null_mut};

    const NOW: u64 = 1_750_000_000;

    fn new_ctx() -> *mut pcodes_ctx {
        crate::ffi::test_support::new_ctx(3, 4)
    }

    fn ivan() -> pcodes_child {
        pcodes_child {
            full_name: c"Иванов Иван Иванович".as_ptr(),
            birth_date: c"2015-03-08".as_ptr(),
            sex: c"M".as_ptr(),
            snils: c"112-233-445 95".as_ptr(),
        }
    }

    #[test]
    fn flow_through_the_c_functions() {
        let ctx = new_ctx();
        let child = ivan();
        let mut st = [0u8; 64];
        let mut buf = [0u8; PCODES_LINK_CODE_BYTES];
        // SAFETY: every pointer is a live local of the stated size, or NULL on purpose.
        unsafe {
            assert_eq!(pcodes_link_code_bytes(), 30);
            let rc = pcodes_link_issue(
                ctx,
                77,
                &raw const child,
                NOW,
                st.as_mut_ptr(),
                64,
                buf.as_mut_ptr().cast(),
                30,
            );
            assert_eq!(rc, PCODES_STATUS_OK);
            assert_eq!(buf[29], 0);
            let mut rec = 0u64;
            assert_eq!(pcodes_link_parse(buf.as_ptr().cast(), &raw mut rec), PCODES_STATUS_OK);
            assert_eq!(rec, 77);
            let mut typo = buf;
            typo[0] = if typo[0] == b'A' { b'B' } else { b'A' };
            let mut rec2 = 5u64;
            assert_eq!(pcodes_link_parse(typo.as_ptr().cast(), &raw mut rec2), PCODES_STATUS_MISTYPED);
            assert_eq!(rec2, 5, "untouched on failure");
            assert_eq!(
                pcodes_link_redeem(ctx, typo.as_ptr().cast(), &raw const child, NOW, st.as_mut_ptr(), 64),
                PCODES_STATUS_MISTYPED
            );
            assert_eq!(
                pcodes_link_redeem(ctx, buf.as_ptr().cast(), &raw const child, NOW, st.as_mut_ptr(), 64),
                PCODES_STATUS_OK
            );
            assert_eq!(
                pcodes_link_redeem(ctx, buf.as_ptr().cast(), &raw const child, NOW, st.as_mut_ptr(), 64),
                PCODES_STATUS_ALREADY_USED
            );
            pcodes_ctx_free(ctx);
        }
    }

    #[test]
    fn constants_match_the_rust_api() {
        assert_eq!(
            [PCODES_FIELD_FULL_NAME, PCODES_FIELD_BIRTH_DATE, PCODES_FIELD_SEX, PCODES_FIELD_SNILS],
            [link::FIELD_FULL_NAME, link::FIELD_BIRTH_DATE, link::FIELD_SEX, link::FIELD_SNILS]
        );
    }

    #[test]
    fn child_check_reports_missing_bits() {
        let mut m = 99u32;
        let mut c = ivan();
        // SAFETY: pointers are live locals or NULL on purpose.
        unsafe {
            assert_eq!(pcodes_child_check(&raw const c, &raw mut m), PCODES_STATUS_OK);
            assert_eq!(m, 0);
            c.snils = c"  ".as_ptr();
            c.sex = null();
            assert_eq!(pcodes_child_check(&raw const c, &raw mut m), PCODES_STATUS_MISSING_FIELD);
            assert_eq!(m, PCODES_FIELD_SNILS | PCODES_FIELD_SEX);
            let all_null = pcodes_child { full_name: null(), birth_date: null(), sex: null(), snils: null() };
            assert_eq!(pcodes_child_check(&raw const all_null, &raw mut m), PCODES_STATUS_MISSING_FIELD);
            assert_eq!(m, 15);
            assert_eq!(pcodes_child_check(null(), &raw mut m), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_child_check(&raw const c, null_mut()), PCODES_STATUS_NULL_ARGUMENT);
            let bad = [0xC3u8, 0x28, 0];
            c.full_name = bad.as_ptr().cast();
            assert_eq!(pcodes_child_check(&raw const c, &raw mut m), PCODES_STATUS_INVALID_ARGUMENT);
        }
    }

    #[test]
    fn nulls_short_buffers_bad_utf8_and_bad_state() {
        let ctx = new_ctx();
        let child = ivan();
        let mut st = [0u8; 64];
        let mut buf = [7u8; 40];
        let bad = [0xffu8, 0];
        // SAFETY: every pointer is a live local of the stated size, or NULL on purpose.
        unsafe {
            let issue = |ctx, child, st: *mut u8, len, out: *mut u8, out_len| {
                pcodes_link_issue(ctx, 1, child, NOW, st, len, out.cast(), out_len)
            };
            let (s, b) = (st.as_mut_ptr(), buf.as_mut_ptr());
            assert_eq!(issue(null(), &raw const child, s, 64, b, 40), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(issue(ctx, null(), s, 64, b, 40), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(issue(ctx, &raw const child, null_mut(), 64, b, 40), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(issue(ctx, &raw const child, s, 64, null_mut(), 40), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(issue(ctx, &raw const child, s, 64, b, 29), PCODES_STATUS_BUFFER_TOO_SMALL);
            assert_eq!(buf, [7; 40], "untouched");
            assert_eq!(st, [0; 64], "nothing issued");
            assert_eq!(issue(ctx, &raw const child, s, 63, b, 40), PCODES_STATUS_CORRUPT_STATE);
            let mut pin_state = [0u8; 64];
            pin_state[0] = 2;
            pin_state[1] = crate::state::VERSION;
            let before = pin_state;
            assert_eq!(
                issue(ctx, &raw const child, pin_state.as_mut_ptr(), 64, b, 40),
                PCODES_STATUS_CORRUPT_STATE
            );
            assert_eq!(pin_state, before);
            let mut c = ivan();
            c.snils = c"112-233-445 96".as_ptr();
            assert_eq!(issue(ctx, &raw const c, s, 64, b, 40), PCODES_STATUS_INVALID_SNILS);
            c.snils = null();
            assert_eq!(issue(ctx, &raw const c, s, 64, b, 40), PCODES_STATUS_MISSING_FIELD);
            let mut c = ivan();
            c.birth_date = c"2015-02-29".as_ptr();
            assert_eq!(issue(ctx, &raw const c, s, 64, b, 40), PCODES_STATUS_INVALID_BIRTH_DATE);
            c.birth_date = bad.as_ptr().cast();
            assert_eq!(issue(ctx, &raw const c, s, 64, b, 40), PCODES_STATUS_INVALID_ARGUMENT);
            assert_eq!(
                pcodes_link_issue(ctx, 1 << 40, &raw const child, NOW, s, 64, b.cast(), 40),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(issue(ctx, &raw const child, s, 64, b, 40), PCODES_STATUS_OK);

            let mut rec = 0u64;
            assert_eq!(pcodes_link_parse(null(), &raw mut rec), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_link_parse(buf.as_ptr().cast(), null_mut()), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(pcodes_link_parse(bad.as_ptr().cast(), &raw mut rec), PCODES_STATUS_INVALID_ARGUMENT);

            let code = buf.as_ptr().cast();
            assert_eq!(
                pcodes_link_redeem(null(), code, &raw const child, NOW, s, 64),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_link_redeem(ctx, null(), &raw const child, NOW, s, 64),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(pcodes_link_redeem(ctx, code, null(), NOW, s, 64), PCODES_STATUS_NULL_ARGUMENT);
            assert_eq!(
                pcodes_link_redeem(ctx, code, &raw const child, NOW, null_mut(), 64),
                PCODES_STATUS_NULL_ARGUMENT
            );
            assert_eq!(
                pcodes_link_redeem(ctx, bad.as_ptr().cast(), &raw const child, NOW, s, 64),
                PCODES_STATUS_INVALID_ARGUMENT
            );
            assert_eq!(
                pcodes_link_redeem(ctx, code, &raw const child, NOW, s, 65),
                PCODES_STATUS_CORRUPT_STATE
            );
            assert_eq!(
                pcodes_link_redeem(ctx, code, &raw const child, NOW + 601, s, 64),
                PCODES_STATUS_EXPIRED
            );
            pcodes_ctx_free(ctx);
        }
    }
}
