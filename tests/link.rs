//! Link codes end to end: every verdict with a real scenario, the exhaustive typo-detection
//! proof, and the test vectors of `docs/link-code.md` (checked against the library and against
//! an independent Python implementation, `tests/link_vectors.py`).

#[path = "support/python.rs"]
mod python;

use portal_codes::link::{self, Child, FIELD_SNILS};
use portal_codes::rng::{ChaCha20Rng, Rng, SeedableRng};
use portal_codes::{Context, Error, STATE_BYTES, Setting};
use rand_chacha::rand_core::{TryCryptoRng, TryRng};

/// A generator that hands out given values (for reproducible test vectors).
struct Fixed(&'static [u32], usize);

impl TryRng for Fixed {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let v = self.0[self.1 % self.0.len()];
        self.1 += 1;
        Ok(v)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(u64::from(self.try_next_u32()?))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            *b = self.try_next_u32()? as u8;
        }
        Ok(())
    }
}
impl TryCryptoRng for Fixed {}

const KEY_OLD: [u8; 32] = [0x17; 32];
const KEY_NEW: [u8; 32] = [0x42; 32];
/// 2025-06-15 13:46:40 UTC.
const NOW: u64 = 1_750_000_000;
const RECORD: u64 = 4_815_162_342;

fn ivan() -> Child<'static> {
    Child::new("Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 95")
}

fn ctx() -> Context {
    Context::new(&KEY_OLD, 1).unwrap()
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([5; 32])
}

/// The blob's lockout header (failures, lock, budget and their clocks).
fn header(state: &[u8; STATE_BYTES]) -> (u16, u64, u64, u8, u64) {
    let s = portal_codes::state::State::decode(state, portal_codes::state::Kind::Link).unwrap();
    (s.failures, s.locked_until, s.last_failure, s.budget, s.budget_at)
}

fn failures(state: &[u8; STATE_BYTES]) -> u16 {
    u16::from_le_bytes([state[2], state[3]])
}

#[test]
fn issue_parse_redeem() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let s = code.as_str();
    assert_eq!(s.len(), 29);
    assert!(s.split('-').all(|g| g.len() == 5), "{s}");
    assert!(s.bytes().all(|b| b == b'-' || b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b)));
    assert_eq!(link::parse(s), Ok(RECORD));
    // What a person might type: lower case, no hyphens, spaces in odd places.
    let typed: String =
        s.to_lowercase().replace('-', "").chars().enumerate().fold(String::new(), |mut a, (i, c)| {
            if i % 3 == 0 {
                a.push(' ');
            }
            a.push(c);
            a
        });
    assert_eq!(link::parse(&typed), Ok(RECORD));
    // Cosmetic differences in the record's data do not matter.
    let same = Child::new("  ИВАНОВ иван  иванович", "2015-03-08", "m", "11223344595");
    link::redeem(&ctx, &typed, &same, NOW + 30, &mut st).unwrap();
    assert_eq!(link::redeem(&ctx, s, &ivan(), NOW + 31, &mut st), Err(Error::AlreadyUsed));
}

#[test]
fn crockford_aliases_are_accepted() {
    let ctx = ctx();
    // Find a code with a 0 and a 1 in it, then type them as O and l.
    for i in 0..200u64 {
        let mut st = [0u8; STATE_BYTES];
        let code = link::issue_with_rng(&ctx, i, &ivan(), NOW, &mut st, &mut rng()).unwrap();
        let s = code.as_str();
        if s.contains('0') && s.contains('1') {
            let typed = s.replace('0', "O").replace('1', "l");
            assert_eq!(link::parse(&typed), Ok(i));
            link::redeem(&ctx, &typed, &ivan(), NOW, &mut st).unwrap();
            return;
        }
    }
    panic!("no code with both 0 and 1");
}

#[test]
fn typo_is_mistyped_and_not_counted() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let s = code.as_str();
    let mut b = s.as_bytes().to_vec();
    b.swap(0, 1);
    let swapped = String::from_utf8(b).unwrap();
    if swapped != s {
        for _ in 0..20 {
            assert_eq!(link::redeem(&ctx, &swapped, &ivan(), NOW, &mut st), Err(Error::Mistyped));
        }
    }
    assert_eq!(link::redeem(&ctx, &s[..28], &ivan(), NOW, &mut st), Err(Error::Mistyped), "one short");
    assert_eq!(link::redeem(&ctx, &format!("{s}0"), &ivan(), NOW, &mut st), Err(Error::Mistyped), "one long");
    assert_eq!(link::redeem(&ctx, &s.replace('-', "*"), &ivan(), NOW, &mut st), Err(Error::Mistyped));
    assert_eq!(link::redeem(&ctx, "", &ivan(), NOW, &mut st), Err(Error::Mistyped));
    assert_eq!(link::parse("UUUUU-UUUUU-UUUUU-UUUUU-UUUUU"), Err(Error::Mistyped), "U is not a symbol");
    assert_eq!(failures(&st), 0, "typing errors are not failures");
    link::redeem(&ctx, s, &ivan(), NOW, &mut st).unwrap();
}

/// Replaces the data symbols of `code` by those of `data` with a correct check symbol: a
/// well-formed code (what a forger or a random guess produces).
fn well_formed(data: &str) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    // GF(32) with x^5 + x^2 + 1, weights alpha^i: an independent little implementation.
    let mul = |mut a: u8, mut b: u8| {
        let mut r = 0u8;
        while b != 0 {
            if b & 1 != 0 {
                r ^= a;
            }
            b >>= 1;
            a <<= 1;
            if a & 32 != 0 {
                a ^= 0b100101;
            }
        }
        r
    };
    let vals: Vec<u8> = data
        .bytes()
        .filter(|&b| b != b'-')
        .take(24)
        .map(|b| A.iter().position(|&a| a == b).unwrap() as u8)
        .collect();
    let mut w = 1u8;
    let mut sum = 0u8;
    for &v in &vals {
        sum ^= mul(w, v);
        w = mul(w, 2);
    }
    // w is now alpha^24; find c with sum + w*c = 0.
    let c = (0..32u8).find(|&c| mul(w, c) == sum).unwrap();
    let mut out: Vec<u8> = vals.iter().map(|&v| A[v as usize]).collect();
    out.push(A[c as usize]);
    String::from_utf8(out).unwrap()
}

#[test]
fn wrong_and_forged_codes_count_as_failures() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let s = code.as_str().replace('-', "");
    // A forged code: the real one with the last tag symbol changed and the check symbol fixed.
    let mut forged = s[..24].to_string();
    let last = forged.pop().unwrap();
    forged.push(if last == 'Z' { 'Y' } else { 'Z' });
    let forged = well_formed(&forged);
    assert_eq!(link::parse(&forged), Ok(RECORD), "it parses: only the key can tell");
    assert_eq!(link::redeem(&ctx, &forged, &ivan(), NOW, &mut st), Err(Error::Wrong));
    assert_eq!(failures(&st), 1);
    // The host got it wrong and passed another record's state: a genuine code of record
    // RECORD + 1 (same data, same minute, same random) is never accepted for this record.
    let other =
        link::issue_with_rng(&ctx, RECORD + 1, &ivan(), NOW, &mut [0u8; STATE_BYTES], &mut rng()).unwrap();
    assert_eq!(link::redeem(&ctx, other.as_str(), &ivan(), NOW, &mut st), Err(Error::Superseded));
    assert_eq!(failures(&st), 1, "authentic: not counted");
    // A wrong code of the right form (another child's code for this record under a key id we hold).
    let mut st2 = [0u8; STATE_BYTES];
    let petya = Child::new("Петров Пётр", "2014-01-01", "M", "087-654-303 00");
    let wrong = link::issue_with_rng(&ctx, RECORD, &petya, NOW, &mut st2, &mut rng()).unwrap();
    assert_eq!(link::redeem(&ctx, wrong.as_str(), &ivan(), NOW, &mut st), Err(Error::Wrong));
    assert_eq!(failures(&st), 2);
    // The real code still works, and the count stays: it is the forged codes' (issue 22 §3).
    link::redeem(&ctx, &s, &ivan(), NOW, &mut st).unwrap();
    assert_eq!(failures(&st), 2);
}

#[test]
fn lockout_after_five_wrong_codes() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let s = code.as_str().replace('-', "");
    for i in 0..5u8 {
        let mut g = s[..23].to_string();
        g.push(['2', '3', '4', '5', '6'][usize::from(i)]);
        let g = well_formed(&g);
        if g == s {
            continue;
        }
        assert_eq!(link::redeem(&ctx, &g, &ivan(), NOW, &mut st), Err(Error::Wrong));
    }
    let forged = well_formed(&[&s[..23], if s.as_bytes()[23] == b'7' { "8" } else { "7" }].concat());
    assert_eq!(link::redeem(&ctx, &forged, &ivan(), NOW + 1, &mut st), Err(Error::Locked));
    assert_eq!(link::redeem(&ctx, "x", &ivan(), NOW + 1, &mut st), Err(Error::Locked), "also a typo");
    assert_eq!(failures(&st), 5, "refused while locked: not counted");
    assert_eq!(portal_codes::retry_at(&st, NOW + 1), Ok(NOW + 900));
    // The lock is the forged codes': the right code is decided on its merits, and the lock stays.
    let locked = st;
    assert_eq!(link::redeem(&ctx, &s, &ivan(), NOW + 1, &mut st), Ok(()), "the right code");
    assert_eq!(header(&st), header(&locked), "the lockout header as it was");
    assert_eq!(link::redeem(&ctx, &s, &ivan(), NOW + 2, &mut st), Err(Error::AlreadyUsed));
    assert_eq!(link::redeem(&ctx, &forged, &ivan(), NOW + 2, &mut st), Err(Error::Locked));
    assert_eq!(portal_codes::retry_at(&st, NOW + 2), Ok(NOW + 900));
    // After the lock the right code would have expired anyway (15 minutes > TTL).
    let mut late = locked;
    assert_eq!(link::redeem(&ctx, &s, &ivan(), NOW + 900, &mut late), Err(Error::Expired));
}

/// Issue 22 §3: anyone who knows a record id can forge well-formed codes for it. Fifteen of
/// them (waiting out both locks) block the record, and issuing a new code does not clear the
/// block; the parent who holds the real, latest code still redeems it, exactly once, and the
/// forgers stay blocked. (Before: `BLOCKED` for every code, the real one too, until
/// `state_reset`.)
#[test]
fn fifteen_forged_codes_do_not_block_the_holder_of_the_real_code() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let first = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let mut r = ChaCha20Rng::from_seed([9; 32]);
    let forge = |r: &mut ChaCha20Rng| {
        // The record id's symbols kept (the first 9 carry key id 1 and the record id), the rest random.
        const A: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let tail: String = (0..15).map(|_| A[(r.next_u32() % 32) as usize] as char).collect();
        let g = well_formed(&[&first.as_str().replace('-', "")[..9], &tail].concat());
        assert_eq!(link::parse(&g), Ok(RECORD));
        g
    };
    let mut now = NOW;
    for i in 1..=15u16 {
        now += 1;
        let got = link::redeem(&ctx, &forge(&mut r), &ivan(), now, &mut st);
        assert_eq!(got, Err(Error::Wrong), "forged code {i}");
        assert_eq!(failures(&st), i);
        if i == 5 || i == 10 {
            assert_eq!(link::redeem(&ctx, &forge(&mut r), &ivan(), now, &mut st), Err(Error::Locked));
            now = portal_codes::retry_at(&st, now).unwrap();
        }
    }
    assert_eq!(link::redeem(&ctx, &forge(&mut r), &ivan(), now, &mut st), Err(Error::Blocked));
    // The portal issues a new code (the first has expired by now): the block stays.
    now += 60;
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), now, &mut st, &mut rng()).unwrap();
    assert_eq!(failures(&st), 15);
    for _ in 0..20 {
        assert_eq!(link::redeem(&ctx, &forge(&mut r), &ivan(), now + 1, &mut st), Err(Error::Blocked));
    }
    assert_eq!(link::redeem(&ctx, "x", &ivan(), now + 1, &mut st), Err(Error::Blocked));
    assert_eq!(failures(&st), 15, "refused while blocked: not counted");
    assert_eq!(link::redeem(&ctx, first.as_str(), &ivan(), now + 1, &mut st), Err(Error::Superseded));
    let blocked = st;
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), now + 2, &mut st), Ok(()), "the real code redeems");
    assert_eq!(header(&st), header(&blocked), "the block is the forgers' and stays");
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), now + 3, &mut st), Err(Error::AlreadyUsed));
    assert_eq!(link::redeem(&ctx, &forge(&mut r), &ivan(), now + 3, &mut st), Err(Error::Blocked));
    assert_eq!(portal_codes::retry_at(&st, now + 3), Ok(u64::MAX));
}

#[test]
fn edited_name_is_data_changed() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let edited = Child::new("Иванов Иван Петрович", "2015-03-08", "М", "112-233-445 95");
    assert_eq!(link::redeem(&ctx, code.as_str(), &edited, NOW, &mut st), Err(Error::DataChanged));
    assert_eq!(failures(&st), 0, "an authentic code is not a failure");
    // Data now incomplete: also a change.
    let no_snils = Child::new("Иванов Иван Иванович", "2015-03-08", "М", "");
    assert_eq!(link::redeem(&ctx, code.as_str(), &no_snils, NOW, &mut st), Err(Error::DataChanged));
    // The portal re-issues after the edit: the old code is still recognised as authentic.
    let new = link::issue_with_rng(&ctx, RECORD, &edited, NOW + 60, &mut st, &mut rng()).unwrap();
    assert_eq!(link::redeem(&ctx, code.as_str(), &edited, NOW + 61, &mut st), Err(Error::DataChanged));
    // The edit undone: the old code is authentic for the data again, but superseded.
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), NOW + 62, &mut st), Err(Error::Superseded));
    link::redeem(&ctx, new.as_str(), &edited, NOW + 63, &mut st).unwrap();
}

#[test]
fn reissued_code_supersedes() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let mut r = rng();
    let first = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut r).unwrap();
    let second = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW + 5, &mut st, &mut r).unwrap();
    assert_ne!(first.as_str(), second.as_str());
    assert_eq!(link::redeem(&ctx, first.as_str(), &ivan(), NOW + 10, &mut st), Err(Error::Superseded));
    link::redeem(&ctx, second.as_str(), &ivan(), NOW + 10, &mut st).unwrap();
    // Superseded comes before already-used.
    assert_eq!(link::redeem(&ctx, first.as_str(), &ivan(), NOW + 11, &mut st), Err(Error::Superseded));
    assert_eq!(link::redeem(&ctx, second.as_str(), &ivan(), NOW + 11, &mut st), Err(Error::AlreadyUsed));
    // A fresh state knows of no code: nothing to redeem, whatever is typed (not counted).
    let mut fresh = [0u8; STATE_BYTES];
    assert_eq!(link::redeem(&ctx, second.as_str(), &ivan(), NOW, &mut fresh), Err(Error::NoChallenge));
    assert_eq!(link::redeem(&ctx, "x", &ivan(), NOW, &mut fresh), Err(Error::NoChallenge));
    assert_eq!(fresh, [0u8; STATE_BYTES]);
}

/// Each issue has its own number inside the tag: re-issues in one minute differ even if the
/// generator repeats itself.
#[test]
fn reissue_in_the_same_minute_always_differs() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let mut r = Fixed(&[0x123, 0x123], 0);
    let a = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut r).unwrap();
    let b = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW + 1, &mut st, &mut r).unwrap();
    assert_ne!(a.as_str(), b.as_str());
    assert_eq!(r.1, 2, "one draw each");
    assert_eq!(link::redeem(&ctx, a.as_str(), &ivan(), NOW + 2, &mut st), Err(Error::Superseded));
    link::redeem(&ctx, b.as_str(), &ivan(), NOW + 2, &mut st).unwrap();
}

/// Regression (issue 13, flaw 4): issues 1 and 3 in one minute with the same random part used
/// to produce the same code, so the superseded code of issue 1 was accepted again.
#[test]
fn superseded_code_never_becomes_the_latest_again() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let mut r = Fixed(&[0x123, 0x456, 0x123], 0);
    let first = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut r).unwrap();
    let _second = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW + 1, &mut st, &mut r).unwrap();
    let third = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW + 2, &mut st, &mut r).unwrap();
    assert_ne!(first.as_str(), third.as_str(), "same minute, same random, other issue");
    // Two issues old: indistinguishable from a forgery (counted).
    assert_eq!(link::redeem(&ctx, first.as_str(), &ivan(), NOW + 3, &mut st), Err(Error::Wrong));
    assert_eq!(failures(&st), 1);
    link::redeem(&ctx, third.as_str(), &ivan(), NOW + 3, &mut st).unwrap();
}

/// Regression (issue 13, flaw 3): once a redeem saw the data changed, changing the data back
/// does not revive the code.
#[test]
fn stale_code_stays_dead_when_the_data_changes_back() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let edited = Child::new("Иванов Иван Петрович", "2015-03-08", "М", "112-233-445 95");
    assert_eq!(link::redeem(&ctx, code.as_str(), &edited, NOW + 1, &mut st), Err(Error::DataChanged));
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), NOW + 2, &mut st), Err(Error::DataChanged));
    assert_eq!(failures(&st), 0, "authentic: not counted");
    // A new issue gives a live code again.
    let new = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW + 3, &mut st, &mut rng()).unwrap();
    link::redeem(&ctx, new.as_str(), &ivan(), NOW + 4, &mut st).unwrap();
}

#[test]
fn expiry_after_ten_minutes() {
    let mut ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let saved = st;
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), NOW + 11 * 60, &mut st), Err(Error::Expired));
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), NOW + 600, &mut st), Err(Error::Expired));
    assert_eq!(failures(&st), 0);
    let mut st = saved;
    link::redeem(&ctx, code.as_str(), &ivan(), NOW + 599, &mut st).unwrap();
    // Already used beats expired.
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), NOW + 5000, &mut st), Err(Error::AlreadyUsed));
    // A longer TTL.
    ctx.set(Setting::LinkTtlSeconds, 3600).unwrap();
    let mut st = saved;
    link::redeem(&ctx, code.as_str(), &ivan(), NOW + 11 * 60, &mut st).unwrap();
}

#[test]
fn rotated_key_still_redeems_unknown_key_does_not() {
    let old_ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&old_ctx, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    // Rotation: the new key issues, the old one (id 1) only verifies.
    let mut rotated = Context::new(&KEY_NEW, 2).unwrap();
    rotated.add_key(&KEY_OLD, 1).unwrap();
    let saved = st;
    link::redeem(&rotated, code.as_str(), &ivan(), NOW + 60, &mut st).unwrap();
    // A context without key 1.
    let new_only = Context::new(&KEY_NEW, 2).unwrap();
    let mut st = saved;
    assert_eq!(link::redeem(&new_only, code.as_str(), &ivan(), NOW + 60, &mut st), Err(Error::UnknownKey));
    assert_eq!(failures(&st), 0);
    // Key id 1 holding a different secret: the tag does not verify.
    let impostor = Context::new(&KEY_NEW, 1).unwrap();
    assert_eq!(link::redeem(&impostor, code.as_str(), &ivan(), NOW + 60, &mut st), Err(Error::Wrong));
    // New codes come from the new key.
    let fresh = link::issue_with_rng(&rotated, RECORD, &ivan(), NOW + 120, &mut st, &mut rng()).unwrap();
    assert_eq!(link::redeem(&old_ctx, fresh.as_str(), &ivan(), NOW + 121, &mut st), Err(Error::UnknownKey));
    link::redeem(&rotated, fresh.as_str(), &ivan(), NOW + 121, &mut st).unwrap();
}

#[test]
fn issue_refuses_incomplete_or_invalid_data() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    let missing = Child::new("Иванов Иван Иванович", "2015-03-08", "М", "  ");
    assert_eq!(missing.check(), Err(FIELD_SNILS));
    let e = link::issue_with_rng(&ctx, RECORD, &missing, NOW, &mut st, &mut rng()).unwrap_err();
    assert_eq!(e, Error::MissingField);
    let bad = |c: Child<'_>| {
        link::issue_with_rng(&ctx, RECORD, &c, NOW, &mut [0u8; STATE_BYTES], &mut rng()).unwrap_err()
    };
    assert_eq!(bad(Child::new("И", "2015-03-08", "М", "112-233-445 96")), Error::InvalidSnils);
    assert_eq!(bad(Child::new("И", "2015-02-29", "М", "112-233-445 95")), Error::InvalidBirthDate);
    assert_eq!(bad(Child::new("И", "2030-01-01", "М", "112-233-445 95")), Error::InvalidBirthDate);
    assert_eq!(bad(Child::new("И", "2015-03-08", "?", "112-233-445 95")), Error::InvalidArgument);
    let ok = |id: u64, now: u64| {
        link::issue_with_rng(&ctx, id, &ivan(), now, &mut [0u8; STATE_BYTES], &mut rng()).map(|_| ())
    };
    assert_eq!(ok(link::MAX_RECORD_ID + 1, NOW), Err(Error::InvalidArgument));
    assert_eq!(ok(link::MAX_RECORD_ID, NOW), Ok(()));
    assert_eq!(ok(0, link::EPOCH - 1), Err(Error::InvalidArgument));
    assert_eq!(ok(0, link::EPOCH), Ok(()));
}

#[test]
fn time_range_of_the_code() {
    let ctx = ctx();
    let old = Child::new("A", "1990-01-01", "F", "112-233-445 95");
    let ok =
        |now: u64| link::issue_with_rng(&ctx, 7, &old, now, &mut [0u8; STATE_BYTES], &mut rng()).map(|_| ());
    let last = link::EPOCH + u64::from(link::MAX_MINUTES) * 60 + 59;
    assert_eq!(ok(link::EPOCH), Ok(()));
    assert_eq!(ok(last), Ok(()));
    assert_eq!(ok(last + 1), Err(Error::InvalidArgument));
    assert!(last - link::EPOCH > 30 * 366 * 86_400, "at least 30 years");
}

#[test]
fn corrupt_state_is_left_untouched() {
    let ctx = ctx();
    let mut st = [0u8; STATE_BYTES];
    st[0] = 2; // a PIN blob
    st[1] = portal_codes::state::VERSION;
    let before = st;
    assert_eq!(
        link::issue_with_rng(&ctx, 1, &ivan(), NOW, &mut st, &mut rng()).unwrap_err(),
        Error::CorruptState
    );
    assert_eq!(link::redeem(&ctx, "x", &ivan(), NOW, &mut st), Err(Error::CorruptState));
    assert_eq!(st, before);
}

/// Every single-symbol substitution and every adjacent transposition of thousands of real codes
/// is caught by the check symbol: 4 000 codes × (25 positions × 31 substitutes + 24 swaps).
#[test]
fn check_symbol_catches_every_substitution_and_adjacent_swap() {
    const A: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let ctx = ctx();
    let mut r = rng();
    let (mut subs, mut swaps) = (0u64, 0u64);
    for i in 0..4000u64 {
        let record = (i * 0x9E37_79B9_7F4A) & link::MAX_RECORD_ID;
        let now = link::EPOCH + (i * 7919 % u64::from(link::MAX_MINUTES)) * 60;
        let code = link::issue_with_rng(&ctx, record, &ivan(), now, &mut [0u8; STATE_BYTES], &mut r).unwrap();
        let sym: Vec<u8> = code.as_str().bytes().filter(|&b| b != b'-').collect();
        assert_eq!(sym.len(), 25);
        assert_eq!(link::parse(std::str::from_utf8(&sym).unwrap()), Ok(record));
        let mut t = sym.clone();
        for p in 0..25 {
            for &c in A {
                if c == sym[p] {
                    continue;
                }
                t[p] = c;
                assert_eq!(link::parse(std::str::from_utf8(&t).unwrap()), Err(Error::Mistyped), "{i} {p}");
                subs += 1;
            }
            t[p] = sym[p];
        }
        for p in 0..24 {
            if sym[p] == sym[p + 1] {
                continue;
            }
            t.swap(p, p + 1);
            assert_eq!(link::parse(std::str::from_utf8(&t).unwrap()), Err(Error::Mistyped), "{i} swap {p}");
            swaps += 1;
            t.swap(p, p + 1);
        }
    }
    assert_eq!(subs, 4000 * 25 * 31);
    assert!(swaps > 4000 * 22, "{swaps}");
}

// ---- the test vectors of docs/link-code.md ----

struct Vector {
    key: Vec<u8>,
    key_id: u32,
    record: u64,
    name: String,
    date: String,
    sex: String,
    snils: String,
    now: u64,
    random: u32,
    issue: u32,
    fingerprint: String,
    code: String,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// The rows of the vector table: lines starting with `| v`.
fn doc_vectors() -> Vec<Vector> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/link-code.md")).unwrap();
    doc.lines()
        .filter(|l| l.starts_with("| v"))
        .map(|l| {
            let f: Vec<&str> = l.trim_matches('|').split('|').map(|c| c.trim().trim_matches('`')).collect();
            Vector {
                key: unhex(f[1]),
                key_id: f[2].parse().unwrap(),
                record: f[3].parse().unwrap(),
                name: f[4].to_string(),
                date: f[5].to_string(),
                sex: f[6].to_string(),
                snils: f[7].to_string(),
                now: f[8].parse().unwrap(),
                random: u32::from_str_radix(f[9].trim_start_matches("0x"), 16).unwrap(),
                issue: f[10].parse().unwrap(),
                fingerprint: f[11].to_string(),
                code: f[12].to_string(),
            }
        })
        .collect()
}

#[test]
fn doc_vectors_match_the_library() {
    let vs = doc_vectors();
    assert!(vs.len() >= 5, "vectors found: {}", vs.len());
    for v in vs {
        let ctx = Context::new(&v.key, v.key_id).unwrap();
        let child = Child::new(&v.name, &v.date, &v.sex, &v.snils);
        assert_eq!(hex(&child.fingerprint(&ctx, v.now).unwrap()), v.fingerprint, "{}", v.name);
        let mut st = [0u8; STATE_BYTES];
        // Earlier issues of the record (any data, any random part): only their number counts.
        for _ in 1..v.issue {
            link::issue_with_rng(&ctx, v.record, &ivan(), v.now, &mut st, &mut rng()).unwrap();
        }
        let rnd: &'static [u32] = Box::leak(Box::new([v.random]));
        let code = link::issue_with_rng(&ctx, v.record, &child, v.now, &mut st, &mut Fixed(rnd, 0)).unwrap();
        assert_eq!(code.as_str(), v.code, "{}", v.name);
        assert_eq!(link::parse(&v.code), Ok(v.record));
        link::redeem(&ctx, &v.code, &child, v.now, &mut st).unwrap();
    }
}

/// The same vectors recomputed by an independent implementation in Python (standard library
/// only: `hmac`, `hashlib`).
#[test]
fn doc_vectors_match_python() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/link_vectors.py");
    let doc = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/link-code.md");
    let Some(stdout) = python::run(&[script, doc]) else { return };
    let n = doc_vectors().len();
    assert_eq!(stdout.trim(), format!("ok {n}"));
}

/// The state blob written from the layout tables (`docs/link-code.md`, `src/state/mod.rs`) by the
/// Python implementation (`tests/link_vectors.py state …`), hex; `None` if python3 is missing
/// and `PCODES_ALLOW_SKIP=1`.
fn python_blob(args: &[&str]) -> Option<String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/link_vectors.py");
    let mut all = vec![script, "state"];
    all.extend_from_slice(args);
    python::run(&all).map(|o| o.trim().to_string())
}

/// Every byte of the blob after issues, a redeem, and a redeem that saw changed data, against
/// the blob the Python implementation builds from the documented layout (not from the code's
/// offsets): header, flags, issue number, issue id, both fingerprints.
#[test]
fn state_layout_matches_python() {
    let key = hex(&KEY_OLD);
    let ctx = ctx();
    let maria = Child::new("Королёва Мария  Ивановна", "2016-04-09", "Ж", "087-654-303 00");
    let maria_args = ["Королёва Мария  Ивановна", "2016-04-09", "Ж", "087-654-303 00"];
    let ivan_args = ["Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 95"];
    let now = NOW + 17; // second 57 of its minute
    let args = |issue: &str, flags: &'static str, prev: &[&'static str]| -> Vec<String> {
        let mut a: Vec<String> =
            [key.as_str(), "1", &RECORD.to_string(), &now.to_string(), "5a3", issue, flags]
                .iter()
                .map(|s| s.to_string())
                .collect();
        a.extend(maria_args.iter().chain(prev).map(|s| s.to_string()));
        a
    };
    let python = |a: Vec<String>| python_blob(&a.iter().map(String::as_str).collect::<Vec<_>>());

    // Issue 1 (Ivan), then issue 2 (Maria): the previous fingerprint is Ivan's.
    let mut st = [0u8; STATE_BYTES];
    link::issue_with_rng(&ctx, RECORD, &ivan(), NOW - 3000, &mut st, &mut rng()).unwrap();
    let code = link::issue_with_rng(&ctx, RECORD, &maria, now, &mut st, &mut Fixed(&[0x5a3], 0)).unwrap();
    let Some(want) = python(args("2", "-", &ivan_args)) else { return };
    assert_eq!(hex(&st), want, "after two issues");
    // A redeem that sees other data marks the blob stale.
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), now + 1, &mut st), Err(Error::DataChanged));
    assert_eq!(hex(&st), python(args("2", "stale", &ivan_args)).unwrap(), "stale");

    // A first issue, redeemed.
    let mut st = [0u8; STATE_BYTES];
    let code = link::issue_with_rng(&ctx, RECORD, &maria, now, &mut st, &mut Fixed(&[0x5a3], 0)).unwrap();
    assert_eq!(hex(&st), python(args("1", "-", &[])).unwrap(), "first issue");
    link::redeem(&ctx, code.as_str(), &maria, now + 1, &mut st).unwrap();
    assert_eq!(hex(&st), python(args("1", "redeemed", &[])).unwrap(), "redeemed");
}

/// The revoked link blob as docs/link-code.md describes it, read by Python from the documented
/// layout alone: byte 0 is `0x3F`, the issue number and the latest fingerprint are the ones the
/// blob held before, the issue id and the previous fingerprint are gone; the header is kept.
#[test]
fn revoked_layout_matches_an_independent_python_reading() {
    if python::run(&["-c", "pass"]).is_none() {
        return;
    }
    let ctx = ctx();
    let mut r = rng();
    let mut st = [0u8; STATE_BYTES];
    link::issue_with_rng(&ctx, RECORD, &ivan(), NOW, &mut st, &mut r).unwrap();
    let code = link::issue_with_rng(&ctx, RECORD, &ivan(), NOW + 1, &mut st, &mut r).unwrap();
    let mut forged = code.as_str().replace('-', "")[..24].to_string();
    let last = forged.pop().unwrap();
    forged.push(if last == 'Z' { 'Y' } else { 'Z' });
    assert_eq!(link::redeem(&ctx, &well_formed(&forged), &ivan(), NOW + 2, &mut st), Err(Error::Wrong));
    let before = st;
    portal_codes::state::revoke(&mut st, portal_codes::state::REVOKE_CODES).unwrap();
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let script = r#"
import sys
old, new = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
assert new[:24] == old[:24], 'header kept'
p, q = old[24:], new[24:]
assert q[0] == 0x3F and p[0] != 0x3F
assert q[1:5] == p[1:5] and q[10:25] == p[10:25], 'issue number and latest data kept'
assert q[5:10] == bytes(5) and q[25:40] == bytes(15) and p[25:40] != bytes(15)
print(int.from_bytes(q[1:5], 'little'), int.from_bytes(new[2:4], 'little'))
"#;
    let got = python::run(&["-c", script, &hex(&before), &hex(&st)]).expect("python3 was found above");
    assert_eq!(got, "2 1\n", "issue 2, one failure");
    assert_eq!(link::redeem(&ctx, code.as_str(), &ivan(), NOW + 3, &mut st), Err(Error::NoChallenge));
}
