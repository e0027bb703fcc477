//! A counting global allocator proves that the issue/verify/redeem/hash/check paths allocate
//! nothing: every call below runs with the counter of its own thread armed, and the test fails
//! on the first allocation (the counter is per thread, so the test harness's own allocations on
//! other threads do not count).
//!
//! The core functions take a pre-seeded `ChaCha20Rng`. The std conveniences (`link::issue`,
//! `otp::issue`, `pin::hash`, `totp::secret`) seed a thread-local generator from the
//! OS: they are checked too, after one call per thread (see `std_conveniences`).

use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Context, STATE_BYTES, Setting, base32, otp, pin};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the thread-locals are const-initialised `Cell`s
// without destructors, so touching them never allocates or re-enters the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

fn note() {
    let _ = ARMED.try_with(|a| {
        if a.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` with this thread's counter armed; returns the number of allocations it made.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    COUNT.with(|c| c.set(0));
    ARMED.with(|a| a.set(true));
    let r = f();
    ARMED.with(|a| a.set(false));
    (COUNT.with(Cell::get), r)
}

#[track_caller]
fn none<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let (n, r) = allocations(f);
    assert_eq!(n, 0, "{what} allocated {n} times");
    r
}

const NOW: u64 = 1_750_000_000;

fn ctx() -> Context {
    let mut ctx = Context::new(&[0x42; 32], 1).unwrap();
    ctx.set(Setting::PinIterations, 10_000).unwrap();
    ctx
}

#[test]
fn the_counter_sees_allocations() {
    let (n, v) = allocations(|| std::vec![1u8; 10]);
    assert!(n >= 1 && v.len() == 10, "the allocator is not counting");
}

#[test]
fn link_issue_parse_redeem() {
    let ctx = ctx();
    let mut rng = ChaCha20Rng::from_seed([1; 32]);
    let kid = Child::new("Иванова Мария Петровна", "2015-01-01", "Ж", "112-233-445 95");
    let decomposed = Child::new("  Ёлкина   Мари\u{306}я ", "2015-01-01", "F", "11223344595");
    let mut st = [0u8; STATE_BYTES];
    let code = none("link::issue_with_rng", || link::issue_with_rng(&ctx, 42, &kid, NOW, &mut st, &mut rng))
        .unwrap();
    assert_eq!(none("link::parse", || link::parse(code.as_str())), Ok(42));
    none("Child::validate", || kid.validate(NOW)).unwrap();
    none("Child::fingerprint", || decomposed.fingerprint(&ctx, NOW)).unwrap();
    let mut wrong_st = st;
    let r = none("link::redeem (data changed)", || {
        link::redeem(&ctx, code.as_str(), &decomposed, NOW, &mut wrong_st)
    });
    assert_eq!(r, Err(portal_codes::Error::DataChanged));
    none("link::redeem", || link::redeem(&ctx, code.as_str(), &kid, NOW + 60, &mut st)).unwrap();
    let r = none("link::redeem (again)", || link::redeem(&ctx, code.as_str(), &kid, NOW + 61, &mut st));
    assert_eq!(r, Err(portal_codes::Error::AlreadyUsed));
    let r = none("link::redeem (mistyped)", || link::redeem(&ctx, "00000-00000", &kid, NOW, &mut st));
    assert_eq!(r, Err(portal_codes::Error::Mistyped));
}

#[test]
fn otp_issue_verify() {
    let ctx = ctx();
    let mut rng = ChaCha20Rng::from_seed([2; 32]);
    let mut st = [0u8; STATE_BYTES];
    none("otp::issue_with_rng", || otp::issue_with_rng(&ctx, "login", NOW - 120, &mut st, &mut rng)).unwrap();
    let code =
        none("otp::issue_with_rng (resend)", || otp::issue_with_rng(&ctx, "login", NOW, &mut st, &mut rng))
            .unwrap();
    let wrong = if code.as_str() == "000000" { "000001" } else { "000000" };
    let r = none("otp::verify (wrong)", || otp::verify(&ctx, "login", wrong, NOW + 5, &mut st));
    assert_eq!(r, Err(portal_codes::Error::Wrong));
    none("otp::verify", || otp::verify(&ctx, "login", code.as_str(), NOW + 6, &mut st)).unwrap();
}

#[test]
fn totp_hotp_base32_uri_qr() {
    let ctx = ctx();
    let secret = *b"12345678901234567890";
    let p = Params::default();
    let mut rng = ChaCha20Rng::from_seed([3; 32]);
    let mut fresh = [0u8; 20];
    none("totp::secret_with_rng", || totp::secret_with_rng(&mut fresh, &mut rng)).unwrap();
    let c = none("totp::time::code", || totp::time::code(&secret, &p, NOW)).unwrap();
    let mut st = [0u8; STATE_BYTES];
    let r =
        none("totp::time::verify (wrong)", || totp::time::verify(&ctx, &secret, &p, "000000", NOW, &mut st));
    assert!(r.is_err());
    assert_eq!(
        none("totp::time::verify", || totp::time::verify(&ctx, &secret, &p, c.as_str(), NOW, &mut st)),
        Ok(0)
    );
    let h = none("totp::hotp::code", || totp::hotp::code(&secret, Algorithm::Sha1, 6, 3)).unwrap();
    let k = none("totp::HotpKey::new", || totp::HotpKey::new(&secret, Algorithm::Sha1)).unwrap();
    assert_eq!(none("HotpKey::code", || k.code(6, 3)).unwrap().as_str(), h.as_str());
    let mut hs = [0u8; STATE_BYTES];
    let r = none("totp::hotp::verify", || {
        totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, h.as_str(), NOW, &mut hs)
    });
    assert_eq!(r, Ok(3));
    let mut text = [0u8; 64];
    let enc = none("base32::encode", || base32::encode(&secret, &mut text).map(str::len)).unwrap();
    let mut back = [0u8; 40];
    let s = std::str::from_utf8(&text[..enc]).unwrap();
    assert_eq!(none("base32::decode", || base32::decode(s, &mut back)), Ok(20));
    let mut uri = [0u8; totp::uri::URI_BYTES];
    let u =
        none("totp::uri::build", || totp::uri::build(&secret, "Госуслуги", "user@example.ru", &p, &mut uri))
            .unwrap()
            .to_owned();
    let e = none("totp::uri::parse", || totp::uri::parse(&u)).unwrap();
    assert_eq!(e.secret(), &secret);
    let mut svg = std::vec![0u8; totp::qr::SVG_BYTES]; // allocated here, outside the check
    none("totp::qr::svg_len", || totp::qr::svg_len(&u)).unwrap();
    none("totp::qr::svg", || totp::qr::svg(&u, &mut svg).map(str::len)).unwrap();
}

#[test]
fn pin_check_hash_verify() {
    let ctx = ctx();
    let mut rng = ChaCha20Rng::from_seed([4; 32]);
    none("pin::check", || pin::check(&ctx, "385027", "385027", Some("1987-05-25"))).unwrap();
    assert!(none("pin::check (weak)", || pin::check(&ctx, "123456", "123456", None)).is_err());
    let h = none("pin::hash_with_rng", || pin::hash_with_rng(&ctx, "account-1", "385027", &mut rng)).unwrap();
    let stored = h.as_str();
    let mut st = [0u8; STATE_BYTES];
    let r = none("pin::verify (wrong)", || pin::verify(&ctx, "account-1", "385028", stored, NOW, &mut st));
    assert_eq!(r, Err(portal_codes::Error::Wrong));
    none("pin::verify", || pin::verify(&ctx, "account-1", "385027", stored, NOW, &mut st)).unwrap();
    none("pin::verify_begin", || pin::verify_begin(&ctx, "385027", stored, NOW, &mut st)).unwrap();
    none("pin::verify_finish", || pin::verify_finish(&ctx, "account-1", "385027", stored, NOW, &mut st))
        .unwrap();
    let mut unknown = [0u8; STATE_BYTES];
    let r = none("pin::verify (unknown account)", || {
        pin::verify(&ctx, "account-2", "385027", pin::Stored::UnknownAccount, NOW, &mut unknown)
    });
    assert_eq!(r, Err(portal_codes::Error::Wrong));
    none("pin::needs_rehash", || pin::needs_rehash(&ctx, stored)).unwrap();
}

/// The std conveniences seed a thread-local ChaCha20 generator from the OS. Measured on
/// Linux/glibc: even the first call on a thread allocates nothing (printed with
/// `--nocapture`); the first call is not asserted, since registering a thread-local's
/// destructor may allocate on other platforms. Every later call must allocate nothing.
#[test]
fn std_conveniences() {
    let ctx = ctx();
    let kid = Child::new("Иванова Мария Петровна", "2015-01-01", "Ж", "112-233-445 95");
    let mut st = [0u8; STATE_BYTES];
    let (first, r) = allocations(|| link::issue(&ctx, 42, &kid, NOW, &mut st));
    r.unwrap();
    println!("first std convenience call on this thread: {first} allocation(s)");
    let mut st = [0u8; STATE_BYTES];
    none("link::issue", || link::issue(&ctx, 42, &kid, NOW, &mut st)).unwrap();
    let mut st = [0u8; STATE_BYTES];
    none("otp::issue", || otp::issue(&ctx, "login", NOW, &mut st)).unwrap();
    none("pin::hash", || pin::hash(&ctx, "account-1", "385027")).unwrap();
    let mut s = [0u8; 20];
    none("totp::secret", || totp::secret(&mut s)).unwrap();
}
