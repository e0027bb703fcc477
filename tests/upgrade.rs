//! Blobs written by an earlier release stay readable (docs/upgrading.md): the real bytes in
//! `tests/data/v1_blobs.txt` were written by release 6ed60a0 (state layout version 1), those in
//! `tests/data/v2_blobs.txt` by 4a0bf34 (layout version 2), the recovery blobs and string in
//! `tests/data/v3_recovery_blobs.txt` by 75e3a8a (layout 3, string v=1), the device blobs and tokens in
//! `tests/data/v4_device_blobs.txt` by aa567bf (layout 4); each file's header has the program
//! and commands that made them. Each one must answer `retry_at` as that release did, keep its
//! lock or block, verify, replay-protect and reset as it did before — and every write after the
//! upgrade is the current layout. Link blobs keep their lockout header and read as "nothing
//! outstanding" (both layouts changed the link payload).

use std::collections::HashMap;

use portal_codes::link::Child;
use portal_codes::state::{self, Kind, State};
use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Context, Error, STATE_BYTES, link, otp, pin};

type Blob = [u8; STATE_BYTES];

struct Line {
    blob: Blob,
    now: u64,
    retry_at: u64,
}

/// The blobs (`name hex now=… retry_at=…`) and values (`name value`) of the v1 data file.
fn data() -> (HashMap<String, Line>, HashMap<String, String>) {
    parse(include_str!("data/v1_blobs.txt"))
}

/// The same for the v2 data file.
fn data_v2() -> (HashMap<String, Line>, HashMap<String, String>) {
    parse(include_str!("data/v2_blobs.txt"))
}

fn parse(text: &str) -> (HashMap<String, Line>, HashMap<String, String>) {
    let (mut blobs, mut values) = (HashMap::new(), HashMap::new());
    for l in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut w = l.split_whitespace();
        let (name, first) = (w.next().unwrap().to_owned(), w.next().unwrap());
        if first.len() != 2 * STATE_BYTES {
            values.insert(name, first.to_owned());
            continue;
        }
        let mut blob = [0u8; STATE_BYTES];
        for (i, b) in blob.iter_mut().enumerate() {
            *b = u8::from_str_radix(&first[2 * i..2 * i + 2], 16).unwrap();
        }
        let field = |k: &str| -> u64 {
            l.split_whitespace().find_map(|f| f.strip_prefix(k)).unwrap().parse().unwrap()
        };
        blobs.insert(name, Line { blob, now: field("now="), retry_at: field("retry_at=") });
    }
    (blobs, values)
}

fn ctx() -> Context {
    Context::new(&[0x42; 32], 2).unwrap()
}

fn version(b: &Blob) -> u8 {
    b[1]
}

/// The checks every earlier-release blob passes: it carries its release's layout version, answers
/// `retry_at` as it did, decodes, and `reset` writes the current layout (or zeros) with the kind
/// kept and the failures and lock cleared. Returns the decoded state and the reset blob.
fn read_and_reset_as_before(name: &str, l: &Line, layout: u8) -> (State, Blob) {
    assert_eq!(version(&l.blob), layout, "{name}: written by the earlier release");
    assert_eq!(state::retry_at(&l.blob, l.now), Ok(l.retry_at), "{name}");
    let s = State::decode_any(&l.blob).unwrap_or_else(|e| panic!("{name}: {e}")).unwrap();
    let mut b = l.blob;
    state::reset(&mut b).unwrap();
    assert!(
        b == [0; STATE_BYTES] || version(&b) == state::VERSION,
        "{name}: reset writes the current layout"
    );
    if let Some(after) = State::decode_any(&b).unwrap() {
        assert_eq!((after.kind(), after.failures, after.locked_until), (s.kind(), 0, 0), "{name}");
    }
    (s, b)
}

#[test]
fn every_v1_blob_is_read_and_answers_retry_at_as_before() {
    let (blobs, _) = data();
    assert!(blobs.len() >= 15, "the data file lost its blobs");
    for (name, l) in &blobs {
        read_and_reset_as_before(name, l, 1);
    }
}

#[test]
fn pin_blobs_keep_their_failures_locks_and_credits() {
    let (blobs, v) = data();
    let (c, stored) = (ctx(), v["pin_hash"].as_str());
    let b = |n: &str| (blobs[n].blob, blobs[n].now);

    // One wrong PIN before the upgrade: the right one clears it, written as version 2 (fresh).
    let (mut st, now) = b("pin_wrong1");
    assert_eq!(State::decode(&st, Kind::Pin).unwrap().failures, 1);
    assert_eq!(pin::verify(&c, "alice", "4826", stored, now + 10, &mut st), Ok(()));
    assert_eq!(st, [0; STATE_BYTES]);

    // Locked stays locked until its second; the next wrong PIN is the 6th failure.
    let (mut st, now) = b("pin_locked");
    assert_eq!(pin::verify(&c, "alice", "4826", stored, now + 899, &mut st), Err(Error::Locked));
    assert_eq!(pin::verify(&c, "alice", "1357", stored, now + 900, &mut st), Err(Error::Wrong));
    assert_eq!((version(&st), State::decode(&st, Kind::Pin).unwrap().failures), (state::VERSION, 6));

    // Blocked stays blocked (the reproduction of issue 20: writing zeros unblocked it).
    let (mut st, now) = b("pin_blocked");
    assert_eq!(pin::verify(&c, "alice", "4826", stored, now + 86_400 * 365, &mut st), Err(Error::Blocked));
    state::reset(&mut st).unwrap();
    assert_eq!(pin::verify(&c, "alice", "4826", stored, now, &mut st), Ok(()));

    // A begin stored before the upgrade is finished after it.
    let (mut st, now) = b("pin_pending");
    assert_eq!(pin::verify_finish(&c, "alice", "4826", stored, now, &mut st), Ok(()));
    assert_eq!(st, [0; STATE_BYTES]);

    // Version 1's reset kept a credit without its failure: the upgrade drops it (it was never
    // paid for), so finish has nothing to consume.
    let (mut st, now) = b("pin_pending_reset");
    assert_eq!(State::decode(&st, Kind::Pin).unwrap().payload, [0; 40]);
    assert_eq!(pin::verify_finish(&c, "alice", "4826", stored, now, &mut st), Err(Error::NoChallenge));
}

#[test]
fn sms_blobs_keep_their_code_its_use_and_its_attempts() {
    let (blobs, v) = data();
    let c = ctx();
    let code = v["otp_code"].as_str();

    let mut st = blobs["otp_issued"].blob;
    let now = blobs["otp_issued"].now;
    assert_eq!(otp::verify(&c, "login", code, now + 30, &mut st), Ok(()));
    assert_eq!(otp::verify(&c, "login", code, now + 31, &mut st), Err(Error::AlreadyUsed));
    assert_eq!(version(&st), state::VERSION);

    let mut st = blobs["otp_used"].blob;
    assert_eq!(otp::verify(&c, "login", code, blobs["otp_used"].now + 1, &mut st), Err(Error::AlreadyUsed));

    let l = &blobs["otp_wrong2"];
    let mut st = l.blob;
    let right = v["otp_code_wrong2"].as_str();
    let wrong = if right == "000000" { "111111" } else { "000000" };
    assert_eq!(otp::verify(&c, "login", wrong, l.now + 1, &mut st), Err(Error::Wrong));
    assert_eq!(State::decode(&st, Kind::Otp).unwrap().failures, 3, "two before the upgrade, one after");
    // OTP_MAX_ATTEMPTS (3) counts the tries made before the upgrade too.
    assert_eq!(otp::verify(&c, "login", right, l.now + 2, &mut st), Err(Error::AttemptsExhausted));
    let mut st = l.blob;
    assert_eq!(otp::verify(&c, "login", right, l.now + 2, &mut st), Ok(()));

    let l = &blobs["otp_resent"];
    let mut st = l.blob;
    assert_eq!(otp::verify(&c, "login", code, l.now + 1, &mut st), Err(Error::Superseded));
    assert_eq!(otp::verify(&c, "login", &v["otp_code_resent"], l.now + 2, &mut st), Ok(()));
    // The resend cooldown written by the earlier release still holds.
    assert_eq!(otp::issue(&c, "login", l.now + 1, &mut st).map(|_| ()), Err(Error::TooSoon));
}

#[test]
fn authenticator_blobs_keep_their_replay_protection() {
    let (blobs, v) = data();
    let c = ctx();
    let secret: Vec<u8> = (0u8..20).collect();
    let params = Params::new(Algorithm::Sha1, 6, 30).unwrap();
    let l = &blobs["totp_accepted"];
    let mut st = l.blob;
    let r = totp::time::verify(&c, &secret, &params, &v["totp_code"], l.now, &mut st);
    assert_eq!(r, Err(Error::AlreadyUsed), "a code accepted before the upgrade is not accepted again");
    let l = &blobs["totp_locked"];
    let mut st = l.blob;
    let code = totp::time::code(&secret, &params, l.now).unwrap();
    assert_eq!(totp::time::verify(&c, &secret, &params, code.as_str(), l.now, &mut st), Err(Error::Locked));

    let l = &blobs["hotp_accepted"];
    let mut st = l.blob;
    let rfc = b"12345678901234567890";
    let hotp = |code: &str, st: &mut Blob| totp::hotp::verify(&c, rfc, Algorithm::Sha1, 6, code, l.now, st);
    assert_eq!(hotp(&v["hotp_code"], &mut st), Err(Error::AlreadyUsed), "counter 3 stays used");
    // RFC 4226 appendix D: counter 4 is 338314.
    assert_eq!(hotp("338314", &mut st), Ok(4));
    assert_eq!(version(&st), state::VERSION);
}

#[test]
fn link_blobs_keep_their_lock_and_drop_the_code() {
    let (blobs, v) = data();
    let c = ctx();
    let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
    for name in ["link_issued", "link_redeemed"] {
        let l = &blobs[name];
        let mut st = l.blob;
        // A version-1 code cannot be checked under version 2's tag: nothing is outstanding.
        assert_eq!(
            link::redeem(&c, &v["link_code"], &kid, l.now + 1, &mut st),
            Err(Error::NoChallenge),
            "{name}"
        );
    }
    let l = &blobs["link_locked"];
    let mut st = l.blob;
    assert_eq!(link::redeem(&c, &v["link_code"], &kid, l.now + 1, &mut st), Err(Error::Locked));
    assert_eq!(state::retry_at(&st, l.now), Ok(l.retry_at), "the lock is kept");
    // A new code after the upgrade redeems, and the record's failures are still counted.
    let code = link::issue(&c, 123_456_789, &kid, l.retry_at, &mut st).unwrap();
    assert_eq!(State::decode(&st, Kind::Link).unwrap().failures, 5);
    assert_eq!(link::redeem(&c, code.as_str(), &kid, l.retry_at + 1, &mut st), Ok(()));
}

/// The context of `tests/data/v2_blobs.txt`: key 2 current, key 1 verify-only.
fn ctx_v2() -> Context {
    let mut c = Context::new(&[0x42; 32], 2).unwrap();
    c.set(portal_codes::Setting::PinIterations, 10_000).unwrap();
    c.add_key(&[0x17; 32], 1).unwrap();
    c
}

fn ivan() -> Child<'static> {
    Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95")
}

fn maria() -> Child<'static> {
    Child::new("Иванова Мария", "2016-04-02", "F", "112-233-445 95")
}

/// Whether the 15 bytes `fp` appear anywhere in `b`.
fn holds(b: &Blob, fp: &[u8]) -> bool {
    b.windows(fp.len()).any(|w| w == fp)
}

#[test]
fn every_v2_blob_is_read_and_answers_retry_at_as_before() {
    let (blobs, _) = data_v2();
    assert!(blobs.len() >= 12, "the data file lost its blobs");
    for (name, l) in &blobs {
        let (s, b) = read_and_reset_as_before(name, l, 2);
        if s.kind() == Kind::Link {
            // The unkeyed fingerprint of layout 2 (bytes 10..25 of the payload) is not kept.
            assert_eq!(s.payload, [0; 40], "{name}: nothing outstanding");
            assert!(!holds(&b, &l.blob[34..49]), "{name}: reset drops the unkeyed fingerprint");
        }
    }
}

#[test]
fn v2_link_blobs_keep_their_lock_and_drop_the_code() {
    let (blobs, v) = data_v2();
    let c = ctx_v2();
    // Every code outstanding before the upgrade (latest, redeemed, stale, issue 2, issued under
    // the verify-only key 1) answers NO_CHALLENGE, uncounted, whatever the data.
    for (name, code, kid) in [
        ("link_issued", "link_code", ivan()),
        ("link_redeemed", "link_code", ivan()),
        ("link_issued2", "link_code2", maria()),
        ("link_issued2", "link_code", ivan()),
        ("link_stale", "link_code", ivan()),
        ("link_issued_key1", "link_code_key1", ivan()),
        ("link_issued", "link_wrong_code", ivan()),
    ] {
        let l = &blobs[name];
        let mut st = l.blob;
        assert_eq!(
            link::redeem(&c, &v[code], &kid, l.now + 1, &mut st),
            Err(Error::NoChallenge),
            "{name} {code}"
        );
        assert_eq!(state::retry_at(&st, l.now + 1), Ok(0), "{name}: not counted");
        // A new code after the upgrade redeems; the unkeyed fingerprints are gone from the blob.
        let fresh = link::issue(&c, 123_456_789, &kid, l.now + 2, &mut st).unwrap();
        assert_eq!(version(&st), state::VERSION, "{name}");
        for fp in [&l.blob[34..49], &l.blob[49..64]].into_iter().filter(|fp| fp.iter().any(|&x| x != 0)) {
            assert!(!holds(&st, fp), "{name}: an unkeyed fingerprint of layout 2 is kept");
        }
        assert_eq!(link::redeem(&c, fresh.as_str(), &kid, l.now + 3, &mut st), Ok(()), "{name}");
    }

    // Locked stays locked until its second, with its 5 failures; then a new code redeems.
    let l = &blobs["link_locked"];
    let mut st = l.blob;
    assert_eq!(link::redeem(&c, &v["link_code"], &ivan(), l.retry_at - 1, &mut st), Err(Error::Locked));
    assert_eq!(state::retry_at(&st, l.now), Ok(l.retry_at), "the lock is kept");
    let code = link::issue(&c, 123_456_789, &ivan(), l.retry_at, &mut st).unwrap();
    assert_eq!(State::decode(&st, Kind::Link).unwrap().failures, 5);
    assert_eq!(link::redeem(&c, &v["link_wrong_code"], &ivan(), l.retry_at + 1, &mut st), Err(Error::Wrong));
    assert_eq!(
        State::decode(&st, Kind::Link).unwrap().failures,
        6,
        "counted on from the earlier release's 5"
    );
    assert_eq!(link::redeem(&c, code.as_str(), &ivan(), l.retry_at + 2, &mut st), Ok(()));

    // Blocked stays blocked for codes whose tag does not verify, until reset; a new code
    // redeems on the blocked record (issue 22 §3), and the block stays.
    let l = &blobs["link_blocked"];
    let mut st = l.blob;
    let code = link::issue(&c, 123_456_789, &ivan(), l.now + 86_400, &mut st).unwrap();
    let wrong = &v["link_wrong_code"];
    assert_eq!(link::redeem(&c, wrong, &ivan(), l.now + 86_401, &mut st), Err(Error::Blocked));
    assert_eq!(link::redeem(&c, code.as_str(), &ivan(), l.now + 86_401, &mut st), Ok(()));
    assert_eq!(state::retry_at(&st, l.now + 86_402), Ok(u64::MAX), "still blocked");
    assert_eq!(link::redeem(&c, wrong, &ivan(), l.now + 86_402, &mut st), Err(Error::Blocked));
    state::reset(&mut st).unwrap();
    assert_eq!(link::redeem(&c, wrong, &ivan(), l.now + 86_403, &mut st), Err(Error::Wrong));
}

#[test]
fn v2_pin_sms_and_authenticator_blobs_are_read_losslessly() {
    let (blobs, v) = data_v2();
    let c = ctx_v2();
    let stored = v["pin_hash"].as_str();

    let l = &blobs["pin_locked"];
    let mut st = l.blob;
    assert_eq!(pin::verify(&c, "alice", "4826", stored, l.retry_at - 1, &mut st), Err(Error::Locked));
    assert_eq!(pin::verify(&c, "alice", "1357", stored, l.retry_at, &mut st), Err(Error::Wrong));
    assert_eq!((version(&st), State::decode(&st, Kind::Pin).unwrap().failures), (state::VERSION, 6));

    let l = &blobs["pin_pending"];
    let mut st = l.blob;
    assert_eq!(pin::verify_finish(&c, "alice", "4826", stored, l.now, &mut st), Ok(()));
    assert_eq!(st, [0; STATE_BYTES]);

    let l = &blobs["otp_issued"];
    let mut st = l.blob;
    assert_eq!(otp::issue(&c, "login", l.now + 1, &mut st).map(|_| ()), Err(Error::TooSoon), "cooldown kept");
    assert_eq!(otp::verify(&c, "login", &v["otp_code"], l.now + 30, &mut st), Ok(()));
    assert_eq!(otp::verify(&c, "login", &v["otp_code"], l.now + 31, &mut st), Err(Error::AlreadyUsed));
    assert_eq!(version(&st), state::VERSION);

    let secret: Vec<u8> = (0u8..20).collect();
    let params = Params::new(Algorithm::Sha1, 6, 30).unwrap();
    let l = &blobs["totp_accepted"];
    let mut st = l.blob;
    let r = totp::time::verify(&c, &secret, &params, &v["totp_code"], l.now, &mut st);
    assert_eq!(r, Err(Error::AlreadyUsed), "a code accepted before the upgrade is not accepted again");

    let l = &blobs["hotp_accepted"];
    let mut st = l.blob;
    let rfc = b"12345678901234567890";
    let hotp = |code: &str, st: &mut Blob| totp::hotp::verify(&c, rfc, Algorithm::Sha1, 6, code, l.now, st);
    assert_eq!(hotp("969429", &mut st), Err(Error::AlreadyUsed), "counter 3 stays used");
    assert_eq!(hotp("338314", &mut st), Ok(4));
    assert_eq!(version(&st), state::VERSION);
}

/// The recovery blobs and string of `tests/data/v3_recovery_blobs.txt` (written by the release
/// that introduced recovery codes) are still read, answer `retry_at` as they did, and verify,
/// count and lock as they did: a later layout or string version must keep this test passing.
#[test]
fn v3_recovery_blobs_and_string_still_verify_count_and_lock() {
    use portal_codes::recovery;
    let (blobs, values) = parse(include_str!("data/v3_recovery_blobs.txt"));
    assert_eq!(blobs.len(), 3);
    for (name, l) in &blobs {
        assert_eq!(portal_codes::retry_at(&l.blob, l.now), Ok(l.retry_at), "{name}");
    }
    let ctx = ctx_v2(); // the same keys: current 2, older 1
    let stored = values["recovery_stored"].as_str();
    let code = |i: usize| values[&format!("recovery_code{i}")].clone();
    let line = |n: &str| &blobs[n];

    let g = line("recovery_generated");
    assert_eq!(recovery::remaining(&g.blob), Ok(4));
    for i in 0..4 {
        let mut b = g.blob;
        assert_eq!(recovery::verify(&ctx, "account-1", stored, &code(i), g.now, &mut b), Ok(3), "code {i}");
        assert_eq!(
            recovery::verify(&ctx, "account-2", stored, &code(i), g.now, &mut g.blob.clone()),
            Err(Error::Wrong)
        );
    }

    let u = line("recovery_one_used");
    assert_eq!(recovery::remaining(&u.blob), Ok(3));
    let mut b = u.blob;
    assert_eq!(recovery::verify(&ctx, "account-1", stored, &code(1), u.now, &mut b), Err(Error::AlreadyUsed));
    // ALREADY_USED changes nothing: the same state (written in the current layout since layout 4).
    assert_eq!(State::decode_any(&b), State::decode_any(&u.blob), "ALREADY_USED changes nothing");
    assert_eq!(recovery::verify(&ctx, "account-1", stored, &code(3), u.now, &mut b), Ok(2));

    let k = line("recovery_locked");
    let mut b = k.blob;
    assert_eq!(recovery::verify(&ctx, "account-1", stored, &code(0), k.now, &mut b), Err(Error::Locked));
    assert_eq!(recovery::verify(&ctx, "account-1", stored, &code(0), k.retry_at, &mut b), Ok(2));
    assert_eq!(recovery::remaining(&b), Ok(2));
}

/// Issue 23: the `v=1` PIN hash strings of 6ed60a0 (600,000 iterations) and 4a0bf34 (10,000)
/// still verify (right PIN `Ok`, wrong `WRONG`, another account `WRONG`) under today's default
/// lanes, answer `needs_rehash`, and the rehash is a `v=2` string that verifies and needs none.
#[test]
fn earlier_releases_pin_hashes_verify_and_ask_for_a_rehash() {
    for (stored, c) in [(data().1["pin_hash"].clone(), ctx()), (data_v2().1["pin_hash"].clone(), ctx_v2())] {
        assert!(stored.starts_with("$pcodes-pin$v=1,k=2,"), "{stored}");
        assert_eq!(pin::params(&stored).map(|p| (p.version, p.lanes)), Ok((1, 1)));
        let mut st = [0u8; STATE_BYTES];
        assert_eq!(pin::verify(&c, "alice", "4826", stored.as_str(), 1_750_000_000, &mut st), Ok(()));
        assert_eq!(
            pin::verify(&c, "alice", "1357", stored.as_str(), 1_750_000_000, &mut st),
            Err(Error::Wrong)
        );
        assert_eq!(
            pin::verify(&c, "bob", "4826", stored.as_str(), 1_750_000_000, &mut st),
            Err(Error::Wrong)
        );
        assert_eq!(pin::needs_rehash(&c, &stored), Ok(true));
        let fresh = pin::hash(&c, "alice", "4826").unwrap();
        assert!(fresh.as_str().starts_with("$pcodes-pin$v=2,k=2,l=3,"), "{fresh}");
        assert_eq!(pin::needs_rehash(&c, fresh.as_str()), Ok(false));
        assert_eq!(pin::verify(&c, "alice", "4826", fresh.as_str(), 1_750_000_000, &mut st), Ok(()));
    }
}

/// The blobs of `tests/data/v3_blobs.txt`, written by 72bc010 (layout 3, the last before the
/// lockout header changed): each answers `retry_at` as it did and resets; a lock ends at exactly
/// its second and its run fades no earlier than `FAILURE_RESET_SECONDS` after the lock's last
/// second; a run without a lock fades only after its next failure; a block stays; codes
/// outstanding or used before the upgrade stay so; the budget starts empty.
#[test]
fn v3_blobs_keep_their_locks_blocks_and_runs() {
    let (blobs, v) = parse(include_str!("data/v3_blobs.txt"));
    assert!(blobs.len() >= 16, "the data file lost its blobs");
    for (name, l) in &blobs {
        let (s, _) = read_and_reset_as_before(name, l, 3);
        assert_eq!(s.budget, 0, "{name}: the budget starts empty");
    }
    let c = ctx_v2();
    let stored = v["pin_hash"].as_str();
    let fade = portal_codes::Setting::FailureResetSeconds.default_value();
    let pin = |p: &str, t: u64, st: &mut Blob| pin::verify(&c, "alice", p, stored, t, st);
    let failures = |st: &Blob| State::decode(st, Kind::Pin).unwrap().failures;

    // A lock: ends at its second; the run goes on, and fades a day after the lock's last second.
    let l = &blobs["pin_locked2"];
    let s = State::decode(&l.blob, Kind::Pin).unwrap();
    assert_eq!((s.failures, s.locked_until, s.last_failure), (10, l.retry_at, l.retry_at - 1));
    let mut st = l.blob;
    assert_eq!(pin("4826", l.retry_at - 1, &mut st), Err(Error::Locked));
    assert_eq!(pin("1357", l.retry_at, &mut st), Err(Error::Wrong));
    assert_eq!((version(&st), failures(&st)), (state::VERSION, 11));
    let mut st = l.blob;
    assert_eq!(pin("1357", l.retry_at - 1 + fade - 1, &mut st), Err(Error::Wrong));
    assert_eq!(failures(&st), 11, "one second before the fade");
    let mut st = l.blob;
    assert_eq!(pin("1357", l.retry_at - 1 + fade, &mut st), Err(Error::Wrong));
    assert_eq!(failures(&st), 1, "faded: a new run");

    // A run without a lock: its time is unknown, so it goes on a year later, then fades.
    let l = &blobs["pin_wrong3"];
    let mut st = l.blob;
    let later = l.now + 365 * 86_400;
    assert_eq!(pin("1357", later, &mut st), Err(Error::Wrong));
    assert_eq!(failures(&st), 4);
    assert_eq!(pin("1357", later + fade, &mut st), Err(Error::Wrong));
    assert_eq!(failures(&st), 1);

    // A block stays a block, years later; the first lock of pin_locked ends at its second.
    let mut st = blobs["pin_blocked"].blob;
    assert_eq!(pin("4826", l.now + 10 * 365 * 86_400, &mut st), Err(Error::Blocked));
    let l = &blobs["pin_locked"];
    let mut st = l.blob;
    assert_eq!(pin("4826", l.retry_at - 1, &mut st), Err(Error::Locked));
    assert_eq!(pin("4826", l.retry_at, &mut st), Ok(()));
    assert_eq!(st, [0; STATE_BYTES], "the success clears the run; nothing charged");

    // A begin stored before the upgrade is finished after it.
    let l = &blobs["pin_pending"];
    let mut st = l.blob;
    assert_eq!(pin::verify_finish(&c, "alice", "4826", stored, l.now, &mut st), Ok(()));
    assert_eq!(st, [0; STATE_BYTES]);

    // SMS: the outstanding code, its wait and its counted try are kept.
    let l = &blobs["otp_wrong1"];
    let mut st = l.blob;
    assert_eq!(State::decode(&st, Kind::Otp).unwrap().failures, 1);
    assert_eq!(otp::issue(&c, "login", l.now + 1, &mut st).map(|_| ()), Err(Error::TooSoon), "cooldown kept");
    assert_eq!(otp::verify(&c, "login", &v["otp_code"], l.now + 30, &mut st), Ok(()));
    assert_eq!(version(&st), state::VERSION);

    // Link: layout 3's payload is the current one, so the outstanding code still redeems.
    let l = &blobs["link_issued"];
    let mut st = l.blob;
    assert_eq!(link::redeem(&c, &v["link_code"], &ivan(), l.now + 60, &mut st), Ok(()));
    // The lock refuses codes whose tag does not verify; the outstanding code is answered on
    // its merits (issue 22 §3): within its 10 minutes it redeems and the lock stays, at the
    // lock's end it has expired (issued at T0): answered, not counted.
    let l = &blobs["link_locked"];
    let mut st = l.blob;
    let wrong = &v["link_wrong_code"];
    assert_eq!(link::redeem(&c, wrong, &ivan(), l.retry_at - 1, &mut st), Err(Error::Locked));
    assert_eq!(link::redeem(&c, &v["link_code"], &ivan(), l.retry_at - 1, &mut st), Err(Error::Expired));
    assert_eq!(link::redeem(&c, &v["link_code"], &ivan(), l.retry_at, &mut st), Err(Error::Expired));
    assert_eq!(State::decode(&st, Kind::Link).unwrap().failures, 5);
    let mut st = l.blob;
    assert_eq!(link::redeem(&c, &v["link_code"], &ivan(), l.now + 1, &mut st), Ok(()));
    assert_eq!(state::retry_at(&st, l.now + 1), Ok(l.retry_at), "the lock is kept");
    let mut st = blobs["link_blocked"].blob;
    assert_eq!(link::redeem(&c, wrong, &ivan(), l.now, &mut st), Err(Error::Blocked));
    assert_eq!(link::redeem(&c, &v["link_code"], &ivan(), l.now, &mut st), Ok(()), "the real code, blocked");
    assert_eq!(link::redeem(&c, wrong, &ivan(), l.now, &mut st), Err(Error::Blocked));

    // Authenticator apps: replay protection and counted failures kept.
    let secret: Vec<u8> = (0u8..20).collect();
    let params = Params::new(Algorithm::Sha1, 6, 30).unwrap();
    let l = &blobs["totp_accepted"];
    let r = totp::time::verify(&c, &secret, &params, &v["totp_code"], l.now, &mut l.blob.clone());
    assert_eq!(r, Err(Error::AlreadyUsed));
    assert_eq!(State::decode(&blobs["totp_wrong2"].blob, Kind::Totp).unwrap().failures, 2);
    let l = &blobs["hotp_accepted"];
    let mut st = l.blob;
    let rfc = b"12345678901234567890";
    assert_eq!(
        totp::hotp::verify(&c, rfc, Algorithm::Sha1, 6, "969429", l.now, &mut st),
        Err(Error::AlreadyUsed)
    );
    assert_eq!(totp::hotp::verify(&c, rfc, Algorithm::Sha1, 6, "338314", l.now, &mut st), Ok(4));
}

/// The device blobs, PIN hash and tokens of `tests/data/v4_device_blobs.txt`, written by the
/// release that introduced device trust (layout 4, the payload only the generation): each still
/// reads, answers `retry_at` as it did and keeps its generation and its trusted lane (the lock
/// ends at its second, the block stays, the tokens check or are revoked as they were); issuing
/// on one records the first issue (`EVENT_DEVICE_TRUSTED`) and keeps everything else.
#[test]
fn v4_device_blobs_keep_their_generation_lane_and_tokens() {
    use portal_codes::device;
    let (blobs, v) = parse(include_str!("data/v4_device_blobs.txt"));
    assert_eq!(blobs.len(), 5, "the data file lost its blobs");
    let mut c = ctx_v2();
    c.set(portal_codes::Setting::PinIterations, 10_000).unwrap();
    let (stored, token, token2) =
        (v["pin_hash"].as_str(), v["device_token"].as_str(), v["device_token2"].as_str());
    for (name, l) in &blobs {
        assert_eq!(state::retry_at(&l.blob, l.now), Ok(l.retry_at), "{name}");
        assert_eq!(version(&l.blob), 4, "{name}");
        assert!(l.blob[24 + 8..].iter().all(|&b| b == 0), "{name}: nothing recorded yet");
        let want = if name.starts_with("device_revoked") { 2 } else { 0 };
        assert_eq!(device::generation(&l.blob), Ok(want), "{name}");
        // The first issue on it: recorded, an event, the rest of the blob as it was.
        let mut b = l.blob;
        let t = device::issue(&c, "account-1", l.now + 1, &mut b).unwrap();
        let e = state::events(&c, &l.blob, &b, l.now + 1).unwrap();
        assert_eq!((e.flags, e.trusted_at), (state::EVENT_DEVICE_TRUSTED, l.now + 1), "{name}");
        assert_eq!(b[..24 + 8], l.blob[..24 + 8], "{name}: header and generation kept");
        assert_eq!(device::check(&c, "account-1", t.as_str(), l.now + 1, &b).map(|_| ()), Ok(()), "{name}");
    }
    let pv =
        |t: &str, p: &str, now: u64, b: &mut Blob| device::pin_verify(&c, "account-1", p, stored, t, now, b);

    // The tokens of that release: valid until revoked, for their account only.
    let l = &blobs["device_wrong2"];
    assert_eq!(device::check(&c, "account-1", token, l.now, &l.blob).map(|t| t.issued_at), Ok(1_780_000_000));
    assert_eq!(device::check(&c, "account-2", token, l.now, &l.blob).err(), Some(Error::DeviceUntrusted));
    let mut b = l.blob;
    assert_eq!(pv(token, "4826", l.now + 1, &mut b), Ok(()));
    assert_eq!(State::decode(&b, Kind::Device).unwrap().failures, 0, "the success clears the run");
    let mut b = l.blob;
    assert_eq!(pv(token, "1357", l.now + 1, &mut b), Err(Error::Wrong));
    assert_eq!(State::decode(&b, Kind::Device).unwrap().failures, 3);

    // The lock ends at its second; the block stays.
    let l = &blobs["device_locked"];
    let mut b = l.blob;
    assert_eq!(pv(token, "4826", l.retry_at - 1, &mut b), Err(Error::Locked));
    assert_eq!(pv(token, "4826", l.retry_at, &mut b), Ok(()));
    let l = &blobs["device_blocked"];
    let mut b = l.blob;
    assert_eq!(pv(token, "4826", l.now + 30 * 86_400, &mut b), Err(Error::Blocked));

    // Revoked: the first token is dead, the one issued after the revocation is not.
    let l = &blobs["device_revoked"];
    assert_eq!(device::check(&c, "account-1", token, l.now, &l.blob).err(), Some(Error::DeviceRevoked));
    assert_eq!(device::check(&c, "account-1", token2, l.now + 10, &l.blob).map(|_| ()), Ok(()));
    let l = &blobs["device_revoked_ok"];
    let mut b = l.blob;
    assert_eq!(pv(token2, "4826", l.now + 1, &mut b), Ok(()));
    assert_eq!(pv(token, "4826", l.now + 1, &mut b), Err(Error::DeviceRevoked));
}
