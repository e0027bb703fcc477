//! The recovery-code section of the model (`tests/model.rs`): the recovery table of
//! `docs/verdicts.md` as a reference model, with its own GF(32) check symbol, driven like the
//! other flows: generate (regenerate), verify with codes of the current and older sets, under
//! the current and older stored strings, for the account and for another one, typos, guesses,
//! reset, revocation, key rotation and time steps.

use super::*;
use portal_codes::recovery;

const A: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Multiplication in GF(2)[x]/(x⁵ + x² + 1), written here from the definition.
fn gf_mul(mut a: u8, b: u8) -> u8 {
    let mut r = 0;
    for i in 0..5 {
        if b >> i & 1 == 1 {
            r ^= a;
        }
        a <<= 1;
        if a & 32 != 0 {
            a ^= 0b10_0101;
        }
    }
    r
}

/// α^e with α = x.
fn alpha(e: usize) -> u8 {
    (0..e).fold(1, |v, _| gf_mul(v, 2))
}

/// Whether 12 typed symbols (dashes removed, any case) satisfy Σ α^(13+i)·sᵢ = 0 (the link
/// code's check with 13 leading zero symbols, `docs/verdicts.md` and `src/recovery`).
fn well_formed(input: &str) -> bool {
    let vals: Vec<Option<u8>> = input
        .chars()
        .filter(|&c| c != '-')
        .map(|c| A.iter().position(|&a| a == c.to_ascii_uppercase() as u8).map(|p| p as u8))
        .collect();
    vals.len() == 12
        && vals.iter().all(Option::is_some)
        && vals.iter().enumerate().fold(0, |s, (i, v)| s ^ gf_mul(alpha(13 + i), v.unwrap())) == 0
}

/// A well-formed code of 11 random symbols and its check symbol, computed here.
fn guess(r: &mut ChaCha20Rng) -> String {
    let vals: Vec<u8> = (0..11).map(|_| (r.next_u32() % 32) as u8).collect();
    let sum = vals.iter().enumerate().fold(0, |s, (i, &v)| s ^ gf_mul(alpha(13 + i), v));
    // α^24·c = sum, so c = sum·α^7 (α^31 = 1).
    let c = gf_mul(sum, alpha(7));
    vals.iter().chain([&c]).map(|&v| A[v as usize] as char).collect()
}

/// One generated set: its number, its codes, its stored string.
struct Set {
    n: usize,
    codes: Vec<String>,
    stored: String,
}

#[derive(Default)]
struct RecoveryModel {
    /// The set the blob records (its number) and the used codes of it.
    blob_set: Option<usize>,
    used: Vec<bool>,
    lock: Lock,
}

impl RecoveryModel {
    fn verify(&mut self, string_set: &Set, right_account: bool, input: &str, now: u64) -> Result<u32, Error> {
        self.lock.check(now)?;
        let Some(blob_set) = self.blob_set else { return Err(Error::NoChallenge) };
        if blob_set != string_set.n {
            return Err(Error::Superseded);
        }
        if !well_formed(input) {
            return Err(Error::Mistyped);
        }
        let typed = input.replace('-', "").to_ascii_uppercase();
        let hit = string_set.codes.iter().position(|c| c.replace('-', "") == typed);
        match hit {
            Some(i) if right_account && self.used[i] => Err(Error::AlreadyUsed),
            Some(i) if right_account => {
                self.used[i] = true;
                self.lock.success();
                Ok(self.used.iter().filter(|u| !**u).count() as u32)
            }
            _ => {
                self.lock.fail(now);
                Err(Error::Wrong)
            }
        }
    }
}

#[test]
fn recovery_codes_follow_the_model() {
    let mut free_answers = 0u64;
    let mut oks = 0u64;
    for seq in 0..sequences() {
        let mut r = ChaCha20Rng::seed_from_u64(5 << 32 | seq);
        let mut ctx = Context::new(&[0x42; 32], 1).unwrap();
        let mut key_id = 1;
        let mut real: Blob = [0; STATE_BYTES];
        let mut model = RecoveryModel::default();
        let mut sets: Vec<Set> = Vec::new();
        let mut now = T0 + u64::from(r.next_u32() % 1000);
        for call in 0..(8 + r.next_u32() % 40) {
            now = step(&mut r, now);
            let what = format!("sequence {seq}, call {call}");
            match r.next_u32() % 14 {
                0 | 1 if sets.len() < 4 || r.next_u32() % 4 == 0 => {
                    let count = 1 + r.next_u32() % 16;
                    let set = recovery::generate_with_rng(&ctx, "alice", count, &mut real, &mut r).unwrap();
                    let codes: Vec<String> = set.codes().iter().map(|c| c.as_str().to_owned()).collect();
                    assert_eq!(codes.len(), count as usize, "{what}");
                    assert!(codes.iter().all(|c| well_formed(c)), "{what}: {codes:?}");
                    sets.push(Set { n: sets.len(), codes, stored: set.stored().as_str().to_owned() });
                    model.blob_set = Some(sets.len() - 1);
                    model.used = vec![false; count as usize];
                }
                2 => {
                    portal_codes::reset(&mut real).unwrap();
                    model.lock = Lock::default();
                }
                3 if key_id < 15 => {
                    key_id += 1;
                    ctx = rotated(&[0x42; 32], key_id);
                }
                4 => {
                    // A revocation (docs/revoke.md): the set dies only with REVOKE_RECOVERY.
                    let what = 1 + r.next_u32() % 3;
                    portal_codes::state::revoke(&mut real, what).unwrap();
                    if what & 2 != 0 {
                        model.blob_set = None;
                        model.used.clear();
                    }
                }
                _ if sets.is_empty() => {
                    // No string yet: any string of another row refuses (fresh blob).
                    let other = Context::new(&[9; 32], 1).unwrap();
                    let mut other_blob: Blob = [0; STATE_BYTES];
                    let s = recovery::generate_with_rng(&other, "x", 2, &mut other_blob, &mut r).unwrap();
                    let got = recovery::verify(
                        &ctx,
                        "alice",
                        s.stored().as_str(),
                        s.codes()[0].as_str(),
                        now,
                        &mut real,
                    );
                    let want = model.lock.check(now).and(Err::<u32, _>(Error::NoChallenge));
                    assert_eq!(got, want, "{what}: fresh");
                }
                _ => {
                    // Mostly the current string; sometimes an older one (a stale string).
                    let latest = sets.len() - 1;
                    let si =
                        if r.next_u32() % 5 == 0 { (r.next_u32() as usize) % sets.len() } else { latest };
                    let from =
                        &sets[if r.next_u32() % 6 == 0 { (r.next_u32() as usize) % sets.len() } else { si }];
                    let mut input = match r.next_u32() % 8 {
                        0 => guess(&mut r),
                        1 => (0..12).map(|_| A[(r.next_u32() % 32) as usize] as char).collect(),
                        2 => {
                            // One substituted symbol of a real code.
                            let mut b =
                                from.codes[(r.next_u32() as usize) % from.codes.len()].clone().into_bytes();
                            let at = [0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13][(r.next_u32() % 12) as usize];
                            let old = b[at];
                            b[at] =
                                *A.iter().filter(|&&c| c != old).nth((r.next_u32() % 31) as usize).unwrap();
                            String::from_utf8(b).unwrap()
                        }
                        _ => from.codes[(r.next_u32() as usize) % from.codes.len()].clone(),
                    };
                    if r.next_u32() % 3 == 0 {
                        input = input.to_lowercase().replace('-', "");
                    }
                    let right_account = r.next_u32() % 8 != 0;
                    let account = if right_account { "alice" } else { "bob" };
                    let before = State::decode(&real, Kind::Recovery).unwrap().failures;
                    let got = recovery::verify(&ctx, account, &sets[si].stored, &input, now, &mut real);
                    let want = model.verify(&sets[si], right_account, &input, now);
                    assert_eq!(
                        got, want,
                        "{what}: verify {input} (string of set {si}, blob of {:?})",
                        model.blob_set
                    );
                    oks += u64::from(got.is_ok());
                    let counted = State::decode(&real, Kind::Recovery).unwrap().failures > before;
                    let typed = input.replace('-', "").to_ascii_uppercase();
                    let authentic =
                        right_account && sets[si].codes.iter().any(|c| c.replace('-', "") == typed);
                    free_answers += free_answer(&got, authentic, counted, RECOVERY_INDEPENDENT);
                    let left = model.used.iter().filter(|u| !**u).count() as u32;
                    assert_eq!(
                        recovery::remaining(&real),
                        Ok(if model.blob_set.is_some() { left } else { 0 })
                    );
                }
            }
            same_counters(&real, Kind::Recovery, &model.lock, 0, now, &what);
        }
    }
    assert_eq!(free_answers, 0, "answers to non-codes that were not counted");
    assert!(oks > sequences(), "the sequences reach OK ({oks})");
}

/// Recovery statuses that do not depend on the typed code's value (rows 1–4).
const RECOVERY_INDEPENDENT: &[Error] =
    &[Error::Locked, Error::Blocked, Error::NoChallenge, Error::Superseded, Error::Mistyped];
