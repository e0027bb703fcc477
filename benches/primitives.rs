//! The physical floor: the SHA-1/SHA-256/SHA-512 compression functions, next to the same block
//! hashed through this crate's HMAC states. Later groups report their ratios against these.

use criterion::{Criterion, criterion_group, criterion_main};
use portal_codes::mac::{Algorithm, HmacKey, Sha1, Sha256, Sha512};
use std::hint::black_box;

fn floor(c: &mut Criterion) {
    let mut g = c.benchmark_group("compression-floor");
    let block = [0x5au8; 64];
    let mut s256 = Sha256::IV;
    g.bench_function("sha256-compress", |b| {
        b.iter(|| Sha256::compress(black_box(&mut s256), black_box(&block)));
    });
    let mut s1 = Sha1::IV;
    g.bench_function("sha1-compress", |b| b.iter(|| Sha1::compress(black_box(&mut s1), black_box(&block))));
    let block512 = [0x5au8; 128];
    let mut s512 = Sha512::IV;
    g.bench_function("sha512-compress", |b| {
        b.iter(|| Sha512::compress(black_box(&mut s512), black_box(&block512)));
    });
    let key = HmacKey::<Sha256>::new(b"bench key");
    let mut blk = HmacKey::<Sha256>::digest_block();
    g.bench_function("hmac-sha256-iterate (2 compressions)", |b| b.iter(|| key.iterate(black_box(&mut blk))));
    g.finish();
}

criterion_group!(benches, floor);
criterion_main!(benches);
