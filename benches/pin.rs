//! PINs: PBKDF2-HMAC-SHA256 (this crate, two compressions per iteration) next to the RustCrypto
//! `pbkdf2` crate in the same group, and the weak-PIN check (target: under 200 ns).

use criterion::{Criterion, criterion_group, criterion_main};
use portal_codes::pin;
use std::hint::black_box;

fn pbkdf2_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("pin-pbkdf2-10000");
    let salt = [7u8; 16];
    g.bench_function("portal-codes", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            pin::pbkdf2::pbkdf2_hmac_sha256(black_box(b"385027"), &salt, 10_000, &mut out);
            out
        });
    });
    g.bench_function("pbkdf2-crate", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(black_box(b"385027"), &salt, 10_000, &mut out);
            out
        });
    });
    g.finish();
    let ctx = portal_codes::Context::new(&[1; 32], 0).unwrap();
    c.bench_function("pin-check (6 digits, birth date)", |b| {
        b.iter(|| pin::check(&ctx, black_box("385027"), "385027", Some("1987-05-25")));
    });
}

criterion_group!(benches, pbkdf2_group);
criterion_main!(benches);
