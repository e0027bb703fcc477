//! The C ABI (`extern "C"` functions, called from Rust exactly as C would call them: C strings,
//! pointer + length, status codes) next to the Rust API for the same work, in one group per
//! operation: what the C boundary (string conversion and UTF-8 check, NULL checks, the panic
//! boundary) adds to a realistic call. For scale; no target (benches/README.md).

use criterion::{Criterion, criterion_group, criterion_main};
use portal_codes::ffi::ctx::{pcodes_ctx, pcodes_ctx_free, pcodes_ctx_new};
use portal_codes::ffi::link::{pcodes_child, pcodes_link_redeem};
use portal_codes::ffi::totp::{PCODES_ALGORITHM_SHA1, pcodes_totp_verify};
use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::totp::{self, Params};
use portal_codes::{Context, STATE_BYTES};
use std::ffi::CString;
use std::hint::black_box;

const NOW: u64 = 1_750_000_000;
const KEY: [u8; 32] = [0x42; 32];
const SECRET: [u8; 20] = *b"12345678901234567890";

fn c_ctx() -> *mut pcodes_ctx {
    let mut p = std::ptr::null_mut();
    // SAFETY: KEY is 32 readable bytes; `p` is a writable slot.
    let rc = unsafe { pcodes_ctx_new(KEY.as_ptr(), KEY.len(), 1, &raw mut p) };
    assert_eq!(rc, 0);
    p
}

/// The Rust context, on the heap like the C one (and like a service's long-lived context): on
/// the bench's stack it shifted the ratio by up to ±3 % from run to run with the stack's address.
fn rust_ctx() -> Box<Context> {
    Box::new(Context::new(&KEY, 1).unwrap())
}

fn link_redeem(c: &mut Criterion) {
    let ctx = rust_ctx();
    let cctx = c_ctx();
    let kid = Child::new("Иванова Мария Петровна", "2015-01-01", "Ж", "112-233-445 95");
    let mut issued = [0u8; STATE_BYTES];
    let code =
        link::issue_with_rng(&ctx, 123_456, &kid, NOW, &mut issued, &mut ChaCha20Rng::from_seed([9; 32]))
            .unwrap();
    let c_code = CString::new(code.as_str()).unwrap();
    let name = CString::new(kid.full_name).unwrap();
    let date = CString::new(kid.birth_date).unwrap();
    let sex = CString::new(kid.sex).unwrap();
    let snils = CString::new(kid.snils).unwrap();
    let c_kid = pcodes_child {
        full_name: name.as_ptr(),
        birth_date: date.as_ptr(),
        sex: sex.as_ptr(),
        snils: snils.as_ptr(),
    };

    let mut g = c.benchmark_group("capi-link-redeem");
    let typed = code.as_str(); // made once, as `c_code` is
    g.bench_function("rust", |b| {
        b.iter(|| {
            let mut st = issued;
            let r = link::redeem(&ctx, black_box(typed), &kid, NOW + 60, &mut st);
            (r, st)
        });
    });
    g.bench_function("c-abi", |b| {
        b.iter(|| {
            let mut st = issued;
            // SAFETY: live context, NUL-terminated strings, a 64-byte state.
            let rc = unsafe {
                pcodes_link_redeem(
                    cctx,
                    black_box(c_code.as_ptr()),
                    &raw const c_kid,
                    NOW + 60,
                    st.as_mut_ptr(),
                    STATE_BYTES,
                )
            };
            (rc, st)
        });
    });
    g.finish();
    // SAFETY: made by pcodes_ctx_new, freed once.
    unsafe { pcodes_ctx_free(cctx) };
}

fn totp_verify(c: &mut Criterion) {
    let ctx = rust_ctx();
    let cctx = c_ctx();
    let params = Params::default();
    let wrong = c"000000";
    let mut g = c.benchmark_group("capi-totp-verify");
    g.bench_function("rust", |b| {
        b.iter(|| {
            let mut st = [0u8; STATE_BYTES];
            let r = totp::time::verify(&ctx, black_box(&SECRET), &params, black_box("000000"), NOW, &mut st);
            (r, st)
        });
    });
    g.bench_function("c-abi", |b| {
        b.iter(|| {
            let mut st = [0u8; STATE_BYTES];
            let mut drift = 0i32;
            // SAFETY: live context, 20 secret bytes, a NUL-terminated code, a 64-byte state.
            let rc = unsafe {
                pcodes_totp_verify(
                    cctx,
                    black_box(SECRET.as_ptr()),
                    SECRET.len(),
                    PCODES_ALGORITHM_SHA1,
                    6,
                    30,
                    black_box(wrong.as_ptr()),
                    NOW,
                    st.as_mut_ptr(),
                    STATE_BYTES,
                    &raw mut drift,
                )
            };
            (rc, st)
        });
    });
    g.finish();
    // SAFETY: made by pcodes_ctx_new, freed once.
    unsafe { pcodes_ctx_free(cctx) };
}

criterion_group!(benches, link_redeem, totp_verify);
criterion_main!(benches);
