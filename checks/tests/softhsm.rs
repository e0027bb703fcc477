//! The PIN pepper in a real PKCS#11 token (SoftHSM2, Debian package `softhsm2`): the keyed step
//! of PIN hashing runs as `C_Sign` with `CKM_SHA256_HMAC` (issue 23 §2, `docs/pin.md`).
//!
//! (a) A pepper key generated inside the token as non-extractable hashes and verifies PINs (right
//!     PIN `Ok`, wrong PIN `WRONG`, unknown account `WRONG` after a device call) and its value
//!     cannot be read out; a failing token is `PEPPER_FAILED`, uncounted.
//! (b) The in-memory pepper's key material (derived from a master key as `docs/pin.md` says,
//!     computed here with the `hmac` crate), imported into the token, gives byte-identical hash
//!     strings through the token as in memory, in Rust and (with `capi`) through the C callback.
//!
//! The token lives in a temporary `SOFTHSM2_CONF` directory; the test installs nothing. Without
//! SoftHSM2 it fails, unless `PCODES_ALLOW_SKIP=1` (set `PCODES_SOFTHSM2_LIB` for a module
//! outside the Debian paths).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use hmac::{KeyInit, Mac};
use portal_codes::pin::{self, Pepper, PepperError, Stored};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::{Context, Error, Setting};

const USER_PIN: &str = "4711-user";
const SO_PIN: &str = "4711-so";
const T0: u64 = 1_750_000_000;
const MASTER: [u8; 32] = [0x42; 32];

/// The loaded module and its initialised token.
struct Hsm {
    pkcs11: Pkcs11,
    slot: Slot,
}

/// Where Debian (and a few other systems) put the module.
fn module() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("PCODES_SOFTHSM2_LIB") {
        return Some(PathBuf::from(p));
    }
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib64/pkcs11/libsofthsm2.so",
        "/usr/local/lib/softhsm/libsofthsm2.so",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Loads SoftHSM2 with a fresh token directory, initialises a token and its user PIN; `None`
/// (skip) only with `PCODES_ALLOW_SKIP=1`, otherwise a missing SoftHSM2 fails the test.
fn hsm() -> Option<&'static Hsm> {
    static HSM: OnceLock<Option<Hsm>> = OnceLock::new();
    HSM.get_or_init(|| {
        let Some(lib) = module() else {
            assert!(
                std::env::var("PCODES_ALLOW_SKIP").as_deref() == Ok("1"),
                "SoftHSM2 required: apt-get install softhsm2 (or set PCODES_SOFTHSM2_LIB; \
                 PCODES_ALLOW_SKIP=1 to skip)"
            );
            println!("skipped: SoftHSM2 not installed");
            return None;
        };
        // Under cargo's scratch folder for tests (inside target/), replaced on every run: nothing
        // is left in /tmp.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("softhsm");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tokens")).unwrap();
        let conf = dir.join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                dir.join("tokens").display()
            ),
        )
        .unwrap();
        // SAFETY (std): set before the module is loaded, while no other thread of this test
        // binary reads the environment (the one `OnceLock` initialiser runs first).
        unsafe { std::env::set_var("SOFTHSM2_CONF", &conf) };
        let pkcs11 = Pkcs11::new(&lib).unwrap_or_else(|e| panic!("load {}: {e}", lib.display()));
        pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)).unwrap();
        let slot = *pkcs11.get_all_slots().unwrap().first().expect("SoftHSM2 offers an empty slot");
        pkcs11.init_token(slot, &AuthPin::from(SO_PIN), "portal-codes-test").unwrap();
        // The token moves to a slot of its own once initialised.
        let slot = *pkcs11.get_slots_with_initialized_token().unwrap().first().unwrap();
        let so = pkcs11.open_rw_session(slot).unwrap();
        so.login(UserType::So, Some(&AuthPin::from(SO_PIN))).unwrap();
        so.init_pin(&AuthPin::from(USER_PIN)).unwrap();
        so.logout().unwrap();
        drop(so);
        Some(Hsm { pkcs11, slot })
    })
    .as_ref()
}

/// The token as a [`Pepper`]: `C_Sign(CKM_SHA256_HMAC)` under the key object labelled
/// `pin-pepper-<key id>` (looked up on each call, as a host maps key ids to labels; handles do not
/// survive a new login). One session behind a mutex (a deployment would keep one per thread, or a
/// pool); it counts calls.
struct Token {
    session: Mutex<Session>,
    calls: AtomicU32,
}

impl Token {
    fn new(session: Session) -> Arc<Self> {
        Arc::new(Token { session: Mutex::new(session), calls: AtomicU32::new(0) })
    }
}

impl Pepper for Token {
    fn mac(&self, key_id: u32, message: &[u8], out: &mut [u8; 32]) -> Result<(), PepperError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let session = self.session.lock().map_err(|_| PepperError)?;
        let label = format!("pin-pepper-{key_id}").into_bytes();
        let found = session
            .find_objects(&[Attribute::Class(ObjectClass::SECRET_KEY), Attribute::Label(label)])
            .map_err(|_| PepperError)?;
        let [key] = found[..] else { return Err(PepperError) };
        let mac = session.sign(&Mechanism::Sha256Hmac, key, message).map_err(|_| PepperError)?;
        if mac.len() != 32 {
            return Err(PepperError);
        }
        out.copy_from_slice(&mac);
        Ok(())
    }
}

fn user_session(hsm: &Hsm) -> Session {
    let s = hsm.pkcs11.open_rw_session(hsm.slot).unwrap();
    match s.login(UserType::User, Some(&AuthPin::from(USER_PIN))) {
        // Another test's session already logged the user in (login state is per token).
        Ok(()) | Err(cryptoki::error::Error::Pkcs11(cryptoki::error::RvError::UserAlreadyLoggedIn, _)) => {}
        Err(e) => panic!("login: {e}"),
    }
    s
}

/// The attributes of a pepper key: an HMAC key that can only sign, never leave the token.
fn pepper_template(label: &str) -> Vec<Attribute> {
    vec![
        Attribute::Class(ObjectClass::SECRET_KEY),
        Attribute::KeyType(KeyType::GENERIC_SECRET),
        Attribute::Token(true),
        Attribute::Private(true),
        Attribute::Sign(true),
        Attribute::Verify(true),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
        Attribute::Label(label.as_bytes().to_vec()),
    ]
}

fn ctx(master: &[u8], key_id: u32) -> Context {
    let mut c = Context::new(master, key_id).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

fn rng(seed: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([seed; 32])
}

/// The in-memory PIN pepper of master key `master` with id `id`, computed independently of the
/// library: `HMAC-SHA256(master, "portal-codes/v1/pin-pepper" ‖ 0x00 ‖ id)` (docs/pin.md).
fn in_memory_pepper(master: &[u8], id: u8) -> Vec<u8> {
    let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(master).unwrap();
    m.update(b"portal-codes/v1/pin-pepper\x00");
    m.update(&[id]);
    m.finalize().into_bytes().to_vec()
}

/// The tests take turns: the login state is the token's (test (a) logs the user out).
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// (a) A pepper key generated in the token, non-extractable.
#[test]
fn generated_non_extractable_key_hashes_and_verifies() {
    let _turn = serial();
    let Some(hsm) = hsm() else { return };
    let session = user_session(hsm);
    let mut template = pepper_template("pin-pepper-7");
    template.push(Attribute::ValueLen(32.into()));
    let key = session.generate_key(&Mechanism::GenericSecretKeyGen, &template).unwrap();
    // The token says it is sensitive and was never extractable, and refuses to give out its value.
    let attrs = session
        .get_attributes(
            key,
            &[AttributeType::Sensitive, AttributeType::Extractable, AttributeType::NeverExtractable],
        )
        .unwrap();
    assert!(attrs.contains(&Attribute::Sensitive(true)), "{attrs:?}");
    assert!(attrs.contains(&Attribute::Extractable(false)), "{attrs:?}");
    assert!(attrs.contains(&Attribute::NeverExtractable(true)), "{attrs:?}");
    let value = session.get_attributes(key, &[AttributeType::Value]).unwrap();
    assert!(!value.iter().any(|a| matches!(a, Attribute::Value(_))), "the value left the token: {value:?}");

    let token = Token::new(session);
    let mut c = ctx(&MASTER, 7);
    c.set_pepper(token.clone(), &[7]).unwrap();

    let h = pin::hash_with_rng(&c, "user@example.org", "385027", &mut rng(1)).unwrap();
    assert!(h.as_str().starts_with("$pcodes-pin$v=2,k=7,l=3,i=3334,n=6$"), "{h}");
    assert_eq!(token.calls.load(Ordering::Relaxed), 1);
    let mut st = [0u8; 64];
    assert_eq!(pin::verify(&c, "user@example.org", "385027", h.as_str(), T0, &mut st), Ok(()));
    assert_eq!(pin::verify(&c, "user@example.org", "385028", h.as_str(), T0, &mut st), Err(Error::Wrong));
    let mut unknown = [0u8; 64];
    assert_eq!(
        pin::verify(&c, "nobody", "385027", Stored::UnknownAccount, T0, &mut unknown),
        Err(Error::Wrong)
    );
    assert_eq!(st, unknown, "the unknown account's blob is a real one's after one wrong PIN");
    assert_eq!(pin::verify(&c, "other@example.org", "385027", h.as_str(), T0, &mut st), Err(Error::Wrong));
    assert_eq!(token.calls.load(Ordering::Relaxed), 5, "one token call per hash and per verification");

    // The pepper is the token's, not the master key's: a context with another master key (for the
    // link codes and OTPs) and the same token verifies the hash; one without the token does not.
    let mut other = ctx(&[0x99; 32], 7);
    other.set_pepper(token.clone(), &[7]).unwrap();
    assert_eq!(pin::verify(&other, "user@example.org", "385027", h.as_str(), T0, &mut [0u8; 64]), Ok(()));
    let memory = ctx(&MASTER, 7);
    assert_eq!(
        pin::verify(&memory, "user@example.org", "385027", h.as_str(), T0, &mut [0u8; 64]),
        Err(Error::Wrong)
    );

    // A token that fails (here: the user logged out, so C_Sign is refused): PEPPER_FAILED, no
    // verdict, the blob untouched; logged in again, the same call decides.
    token.session.lock().unwrap().logout().unwrap();
    let mut st = [0u8; 64];
    for stored in [Stored::Hash(h.as_str()), Stored::UnknownAccount] {
        assert_eq!(
            pin::verify(&c, "user@example.org", "385027", stored, T0, &mut st),
            Err(Error::PepperFailed)
        );
        assert_eq!(st, [0u8; 64]);
    }
    assert_eq!(pin::hash_with_rng(&c, "a", "3861", &mut rng(2)).err(), Some(Error::PepperFailed));
    token.session.lock().unwrap().login(UserType::User, Some(&AuthPin::from(USER_PIN))).unwrap();
    assert_eq!(pin::verify(&c, "user@example.org", "385027", h.as_str(), T0, &mut st), Ok(()));
}

/// (b) The in-memory pepper's key material imported into the token: byte-identical results.
#[test]
fn imported_key_gives_the_in_memory_hashes() {
    let _turn = serial();
    let Some(hsm) = hsm() else { return };
    let session = user_session(hsm);
    let mut template = pepper_template("pin-pepper-3");
    template.push(Attribute::Value(in_memory_pepper(&MASTER, 3)));
    session.create_object(&template).unwrap();
    let token = Token::new(session);

    let memory = ctx(&MASTER, 3);
    let mut device = ctx(&MASTER, 3);
    device.set_pepper(token.clone(), &[3]).unwrap();
    let cases = [
        ("user@example.org", "846204"),
        ("acct-1", "3861"),
        ("Иванов", "583196"),
        (&*"x".repeat(300), "2719"),
    ];
    for (i, (acct, p)) in cases.iter().enumerate() {
        let seed = u8::try_from(i).unwrap();
        let a = pin::hash_with_rng(&memory, acct, p, &mut rng(seed)).unwrap();
        let b = pin::hash_with_rng(&device, acct, p, &mut rng(seed)).unwrap();
        assert_eq!(a.as_str(), b.as_str(), "{acct}");
        for (c, h) in [(&memory, &b), (&device, &a)] {
            assert_eq!(pin::verify(c, acct, p, h.as_str(), T0, &mut [0u8; 64]), Ok(()));
            assert_eq!(pin::verify(c, acct, "000000", h.as_str(), T0, &mut [0u8; 64]), Err(Error::Wrong));
        }
    }
    // The unknown account's dummy gives the same blobs on both paths.
    let (mut m, mut d) = ([0u8; 64], [0u8; 64]);
    for i in 0..6 {
        let r1 = pin::verify(&memory, "nobody", "385027", Stored::UnknownAccount, T0 + i, &mut m);
        let r2 = pin::verify(&device, "nobody", "385027", Stored::UnknownAccount, T0 + i, &mut d);
        assert_eq!((r1, m), (r2, d));
    }
    // Per case one call for the device's hash and two for its verifications; five dummies (the
    // sixth attempt meets the lock, before any work).
    assert_eq!(token.calls.load(Ordering::Relaxed), 4 * 3 + 5);

    // What one device call costs (printed, for docs/pin.md's sizing note; not a pass criterion).
    let mut out = [0u8; 32];
    let start = std::time::Instant::now();
    for _ in 0..200 {
        token.mac(3, &[0x5a; 120], &mut out).unwrap();
    }
    println!("SoftHSM2 C_Sign(CKM_SHA256_HMAC) with a label lookup: {:?} per call", start.elapsed() / 200);

    #[cfg(feature = "capi")]
    through_the_c_callback(&token, &memory);
}

/// The same token behind the C callback (`pcodes_pepper_set_callback`): hashes the C API makes
/// verify in memory and the other way round (the tags are equal bytes).
#[cfg(feature = "capi")]
fn through_the_c_callback(token: &Arc<Token>, memory: &Context) {
    use core::ffi::c_void;
    use portal_codes::ffi::ctx::{
        PCODES_SETTING_PIN_ITERATIONS, pcodes_ctx, pcodes_ctx_free, pcodes_ctx_new, pcodes_ctx_set,
    };
    use portal_codes::ffi::pepper::pcodes_pepper_set_callback;
    use portal_codes::ffi::pin::{pcodes_pin_hash, pcodes_pin_verify};
    use portal_codes::ffi::status::{PCODES_STATUS_OK, PCODES_STATUS_WRONG};

    /// Forwards to the token; what a C host writes around `C_Sign`.
    unsafe extern "C" fn forward(user: *mut c_void, k: u32, m: *const u8, len: usize, out: *mut u8) -> i32 {
        // SAFETY: `user` is the `Token` below, alive for the context's life; `m`/`len` and the
        // 32 bytes at `out` are valid during the call (the callback's contract).
        let (token, message, out) = unsafe {
            (&*user.cast::<Token>(), std::slice::from_raw_parts(m, len), &mut *out.cast::<[u8; 32]>())
        };
        if token.mac(k, message, out).is_ok() { 0 } else { 1 }
    }

    let mut ctx: *mut pcodes_ctx = std::ptr::null_mut();
    let user = Arc::as_ptr(token).cast_mut().cast::<c_void>();
    let (acct, p) = (c"user@example.org", c"846204");
    let mut out = [0u8; 128];
    let mut st = [0u8; 64];
    // SAFETY: live buffers of the sizes passed; the token outlives the context.
    unsafe {
        assert_eq!(pcodes_ctx_new(MASTER.as_ptr(), 32, 3, &raw mut ctx), PCODES_STATUS_OK);
        assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10_000), PCODES_STATUS_OK);
        assert_eq!(pcodes_pepper_set_callback(ctx, Some(forward), user, 1 << 3), PCODES_STATUS_OK);
        assert_eq!(
            pcodes_pin_hash(ctx, acct.as_ptr(), p.as_ptr(), out.as_mut_ptr().cast(), 128),
            PCODES_STATUS_OK
        );
        let from_c = std::ffi::CStr::from_bytes_until_nul(&out).unwrap().to_str().unwrap().to_owned();
        assert_eq!(
            pin::verify(memory, "user@example.org", "846204", from_c.as_str(), T0, &mut [0u8; 64]),
            Ok(())
        );
        let in_memory = pin::hash_with_rng(memory, "user@example.org", "846204", &mut rng(9)).unwrap();
        let stored = std::ffi::CString::new(in_memory.as_str()).unwrap();
        let v = |pin: &std::ffi::CStr, st: &mut [u8; 64]| {
            pcodes_pin_verify(ctx, acct.as_ptr(), pin.as_ptr(), stored.as_ptr(), T0, st.as_mut_ptr(), 64)
        };
        assert_eq!(v(p, &mut st), PCODES_STATUS_OK);
        assert_eq!(v(c"846205", &mut st), PCODES_STATUS_WRONG);
        pcodes_ctx_free(ctx);
    }
}
