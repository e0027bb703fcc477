//! The state blobs of the PIN, TOTP, HOTP and recovery-code flows read back by an independent reader in Python,
//! written from the layout tables of the docs (`src/state/mod.rs` header; the payloads in
//! `src/pin/mod.rs`, `src/totp/mod.rs` and `src/recovery/mod.rs`; the recovery string in
//! `src/recovery/stored.rs`), not from the code's offsets: each blob comes from
//! real calls of the public API, and the fields Python reads must be what those calls mean.
//! (Link blobs: `tests/link.rs`; SMS / e-mail blobs: `tests/otp.rs`.)

#[path = "support/python.rs"]
mod python;

use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Context, Error, STATE_BYTES, Setting, pin, recovery};

const NOW: u64 = 1_750_000_000;

/// Reads the header and the payload of the given kind; prints one line of fields.
const READER: &str = r#"
import sys
blob = bytes.fromhex(sys.argv[1])
le = lambda b: int.from_bytes(b, 'little')
assert len(blob) == 64 and blob[1] == 4, 'length, layout 4'
kind, version, failures = blob[0], blob[1], le(blob[2:4])
# Layout 4: budget u8, lock u24 after the last failure (0xFFFFFF blocked), last failure u40, the
# budget's clock u24 before the last failure.
budget, lock, last, lag = blob[4], le(blob[5:8]), le(blob[8:13]), le(blob[13:16])
assert budget != 0 or lag == 0, 'a clock without a budget'
locked_until = 0 if lock == 0 else 2**64 - 1 if lock == 0xFFFFFF else last + lock
wait_until, p = le(blob[16:24]), blob[24:]
head = f'kind={kind} version={version} failures={failures} locked_until={locked_until} wait_until={wait_until}'
head += f' budget={budget} last_failure={last}'
if kind == 2:  # PIN: pending attempts u16, the rest zero
    assert p[2:] == bytes(38)
    print(head, f'pending={le(p[0:2])}')
elif kind in (4, 5):  # TOTP: last step, HOTP: next counter; byte 8: bit 0 accepted, bit 1 spent;
    # bytes 9..17: the enrolment digest
    assert p[17:] == bytes(23)
    print(head, f'value={le(p[0:8])} accepted={p[8] & 1} spent={p[8] >> 1 & 1} enrolment={p[9:17].hex()}')
elif kind == 6:  # recovery codes: set id, count, used bits u16; the rest zero
    assert p[11:] == bytes(29)
    print(head, f'set={p[0:8].hex()} count={p[8]} used={le(p[9:11]):#x}')
else:
    sys.exit(f'kind {kind}')
"#;

/// The enrolment digest of docs/totp.md, computed by Python's hashlib from the formula:
/// SHA-256("portal-codes/enrolment/v1" ‖ kind ‖ algorithm id ‖ digits ‖ period u32 BE ‖ secret)[..8].
const ENROLMENT: &str = r#"
import hashlib, sys
kind, alg, digits, period = (int(x) for x in sys.argv[1:5])
m = b'portal-codes/enrolment/v1' + bytes([kind, alg, digits]) + period.to_bytes(4, 'big') + bytes.fromhex(sys.argv[5])
print(hashlib.sha256(m).digest()[:8].hex())
"#;

fn enrolment(kind: u8, alg: u8, digits: u8, period: u32, secret: &[u8]) -> String {
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let args = [kind.to_string(), alg.to_string(), digits.to_string(), period.to_string(), hex];
    let mut argv = vec!["-c", ENROLMENT];
    argv.extend(args.iter().map(String::as_str));
    python::run(&argv).unwrap().trim().to_string()
}

/// The reader's line for `blob`; `None` if python3 is missing and `PCODES_ALLOW_SKIP=1`.
fn read(blob: &[u8; STATE_BYTES]) -> Option<String> {
    let hex: String = blob.iter().map(|b| format!("{b:02x}")).collect();
    python::run(&["-c", READER, &hex]).map(|o| o.trim().to_string())
}

fn ctx() -> Context {
    let mut c = Context::new(&[0x42; 32], 1).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    c
}

/// Failures, the lock and the pending-attempt credits of a PIN blob.
#[test]
fn pin_blob() {
    let ctx = ctx();
    let stored = pin::hash(&ctx, "acct", "385027").unwrap();
    let mut st = [0u8; STATE_BYTES];
    pin::verify_begin(&ctx, "000000", stored.as_str(), NOW, &mut st).unwrap();
    let Some(got) = read(&st) else { return };
    assert_eq!(
        got,
        "kind=2 version=4 failures=1 locked_until=0 wait_until=0 budget=1 last_failure=1750000000 pending=1"
    );
    pin::verify_begin(&ctx, "000000", stored.as_str(), NOW, &mut st).unwrap();
    assert_eq!(
        read(&st).unwrap(),
        "kind=2 version=4 failures=2 locked_until=0 wait_until=0 budget=2 last_failure=1750000000 pending=2"
    );
    assert_eq!(pin::verify_finish(&ctx, "acct", "000000", stored.as_str(), NOW, &mut st), Err(Error::Wrong));
    assert_eq!(
        read(&st).unwrap(),
        "kind=2 version=4 failures=2 locked_until=0 wait_until=0 budget=2 last_failure=1750000000 pending=1"
    );
    for _ in 0..2 {
        assert_eq!(pin::verify(&ctx, "acct", "000000", stored.as_str(), NOW, &mut st), Err(Error::Wrong));
    }
    // The fifth failure locks for LOCK_FIRST_SECONDS (900).
    pin::verify_begin(&ctx, "000000", stored.as_str(), NOW, &mut st).unwrap();
    let want = format!(
        "kind=2 version=4 failures=5 locked_until={} wait_until=0 budget=5 last_failure=1750000000 pending=2",
        NOW + 900
    );
    assert_eq!(read(&st).unwrap(), want);
}

/// The last accepted step of a TOTP blob and the next counter of a HOTP blob.
#[test]
fn totp_and_hotp_blobs() {
    let ctx = ctx();
    let secret = [7u8; 20];
    let params = Params::new(Algorithm::Sha256, 8, 60).unwrap();
    let mut st = [0u8; STATE_BYTES];
    let code = totp::time::code(&secret, &params, NOW).unwrap();
    totp::time::verify(&ctx, &secret, &params, code.as_str(), NOW, &mut st).unwrap();
    let Some(got) = read(&st) else { return };
    let step = NOW / 60;
    let e = enrolment(4, 2, 8, 60, &secret);
    assert_eq!(
        got,
        format!(
            "kind=4 version=4 failures=0 locked_until=0 wait_until=0 budget=0 last_failure=0 value={step} accepted=1 spent=0 enrolment={e}"
        )
    );
    assert_eq!(totp::time::verify(&ctx, &secret, &params, "00000000", NOW, &mut st), Err(Error::Wrong));
    let want = format!(
        "kind=4 version=4 failures=1 locked_until=0 wait_until=0 budget=1 last_failure=1750000000 value={step} accepted=1 spent=0 enrolment={e}"
    );
    assert_eq!(read(&st).unwrap(), want);

    let mut st = [0u8; STATE_BYTES];
    let code = totp::hotp::code(&secret, Algorithm::Sha1, 6, 3).unwrap();
    assert_eq!(totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, code.as_str(), NOW, &mut st), Ok(3));
    let e = enrolment(5, 1, 6, 0, &secret);
    let want = format!(
        "kind=5 version=4 failures=0 locked_until=0 wait_until=0 budget=0 last_failure=0 value=4 accepted=1 spent=0 enrolment={e}"
    );
    assert_eq!(read(&st).unwrap(), want);
}

/// A HOTP blob written by hand from the tables (kind 5, version 3, next counter 2⁶⁴ − 2,
/// accepted), read by the library, and the spent flag it writes after accepting counter 2⁶⁴ − 1.
#[test]
fn hotp_blob_at_the_end_of_the_counter_space() {
    let ctx = ctx();
    let secret = [7u8; 20];
    let hex = format!("0503{}feffffffffffffff01{}", "00".repeat(22), "00".repeat(31));
    let mut st = [0u8; STATE_BYTES];
    for (i, b) in st.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    let last = totp::hotp::code(&secret, Algorithm::Sha1, 6, u64::MAX).unwrap();
    assert_eq!(
        totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, last.as_str(), NOW, &mut st),
        Ok(u64::MAX)
    );
    let Some(got) = read(&st) else { return };
    let want = format!(
        "kind=5 version=4 failures=0 locked_until=0 wait_until=0 budget=0 last_failure=0 value={} accepted=1 spent=1 enrolment={}",
        u64::MAX,
        enrolment(5, 1, 6, 0, &secret)
    );
    assert_eq!(got, want);
}

/// The recovery string and codes checked by Python from the formula of `src/recovery/stored.rs`:
/// the pepper derived from the master key as `src/keys.rs` says, each code's 55 bits read from
/// its Crockford symbols, each tag recomputed with `hmac`; the blob's set id is the string's.
const RECOVERY: &str = r#"
import base64, hashlib, hmac, sys
master, account, stored, blob = bytes.fromhex(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], bytes.fromhex(sys.argv[4])
codes = sys.argv[5:]
_, _, params, set_t, tags_t = stored.split('$')
v, k, n = (int(f.split('=')[1]) for f in params.split(','))
b64 = lambda t: base64.b64decode(t + '=' * (-len(t) % 4))
set_id, tags = b64(set_t), b64(tags_t)
assert (v, len(set_id), len(tags), len(codes)) == (1, 8, 8 * n, n)
pepper = hmac.new(master, b'portal-codes/v1/pin-pepper\x00' + bytes([k]), hashlib.sha256).digest()
A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
for i, c in enumerate(codes):
    s = c.replace('-', '')
    assert len(s) == 12 and len(c) == 14 and c[4] == c[9] == '-'
    value = 0
    for ch in s[:11]:
        value = value * 32 + A.index(ch)
    m = b'portal-codes/recovery/v1\x00' + len(account).to_bytes(4, 'big') + account + bytes([v, k, n]) + set_id + value.to_bytes(8, 'big')
    assert hmac.new(pepper, m, hashlib.sha256).digest()[:8] == tags[8 * i:8 * i + 8], i
assert blob[24:32] == set_id and blob[32] == n
print('ok', n, set_id.hex())
"#;

/// A recovery blob (set id, count, used codes) and its stored string, read by Python.
#[test]
fn recovery_blob_and_string() {
    let ctx = Context::new(&[0x42; 32], 5).unwrap();
    let mut st = [0u8; STATE_BYTES];
    let set = recovery::generate(&ctx, "acct-7", 10, &mut st).unwrap();
    let stored = set.stored().as_str();
    let codes: Vec<&str> = set.codes().iter().map(|c| c.as_str()).collect();
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let mut argv = vec!["-c", RECOVERY];
    let (master, blob) = (hex(&[0x42; 32]), hex(&st));
    argv.extend([master.as_str(), "acct-7", stored, blob.as_str()]);
    argv.extend(&codes);
    let Some(out) = python::run(&argv) else { return };
    let set_hex = hex(&st[24..32]);
    assert_eq!(out.trim(), format!("ok 10 {set_hex}"));
    assert_eq!(
        read(&st).unwrap(),
        format!(
            "kind=6 version=4 failures=0 locked_until=0 wait_until=0 budget=0 last_failure=0 set={set_hex} count=10 used=0x0"
        )
    );
    assert_eq!(recovery::verify(&ctx, "acct-7", stored, codes[9], NOW, &mut st), Ok(9));
    assert_eq!(recovery::verify(&ctx, "acct-7", stored, codes[0], NOW, &mut st), Ok(8));
    assert_eq!(recovery::verify(&ctx, "acct-7", stored, "0000-0000-0000", NOW, &mut st), Err(Error::Wrong));
    assert_eq!(
        read(&st).unwrap(),
        format!(
            "kind=6 version=4 failures=1 locked_until=0 wait_until=0 budget=1 last_failure=1750000000 set={set_hex} count=10 used=0x201"
        )
    );
}
