//! The link-code section of the model (`tests/model.rs`): the link table of `docs/verdicts.md`
//! as a reference model, driven with random sequences.

use super::*;

#[derive(Default)]
struct LinkModel {
    /// Data version at each issue (index = issue number − 1) and the issue time.
    issues: Vec<(usize, u64)>,
    used: bool,
    stale: bool,
    /// `state::revoke` killed the latest code ("fresh or revoked": `NO_CHALLENGE`).
    revoked: bool,
    lock: Lock,
}

/// What was typed: which issue's code (0-based), or a class.
enum LinkInput {
    Issue(usize),
    Forged,
    Mistyped,
    ForeignKey,
}

impl LinkModel {
    /// Row 1 refuses a locked record only inputs whose tag does not verify: the latest and the
    /// previous issue's codes of an outstanding record are decided on their merits (rows 6–12),
    /// and none of those rows touches the lockout (issue 22 §3).
    fn redeem(&mut self, input: &LinkInput, data: usize, now: u64) -> Result<(), Error> {
        let n = self.issues.len();
        let verifies = matches!(input, LinkInput::Issue(i) if i + 2 >= n) && !self.revoked;
        if !verifies {
            self.lock.check(now)?;
        }
        if n == 0 || self.revoked {
            return Err(Error::NoChallenge);
        }
        let i = match input {
            LinkInput::Mistyped => return Err(Error::Mistyped),
            LinkInput::ForeignKey => return Err(Error::UnknownKey),
            LinkInput::Forged => None,
            LinkInput::Issue(i) => Some(*i),
        };
        match i {
            Some(i) if i + 1 == n => {
                let (at_issue, issued) = self.issues[i];
                if at_issue != data {
                    self.stale = true;
                    Err(Error::DataChanged)
                } else if self.stale {
                    Err(Error::DataChanged)
                } else if self.used {
                    Err(Error::AlreadyUsed)
                } else if now.saturating_sub(issued) >= 600 || issued > now + 300 {
                    Err(Error::Expired)
                } else {
                    self.used = true;
                    Ok(())
                }
            }
            Some(i) if i + 2 == n => {
                if self.issues[i].0 == data {
                    Err(Error::Superseded)
                } else {
                    Err(Error::DataChanged)
                }
            }
            _ => {
                self.lock.fail(now);
                Err(Error::Wrong)
            }
        }
    }
}

#[test]
fn link_codes_follow_the_model() {
    let key = [0x42u8; 32];
    let mut free_answers = 0u64;
    // Real codes redeemed on a locked and on a blocked record (the new rule must be exercised).
    let mut redeemed_while = [0u64; 2];
    for seq in 0..sequences() {
        let mut r = ChaCha20Rng::seed_from_u64(seq);
        let mut ctx = with_policy(Context::new(&key, 1).unwrap());
        let foreign = Context::new(&[7; 32], 9).unwrap();
        let mut key_id = 1;
        let mut real: Blob = [0; STATE_BYTES];
        let mut model = LinkModel::default();
        let mut codes: Vec<String> = Vec::new();
        let mut data = 0usize;
        let mut now = T0 + u64::from(r.next_u32() % 1000);
        for call in 0..(8 + r.next_u32() % 40) {
            now = step(&mut r, now);
            let what = format!("sequence {seq}, call {call}");
            match r.next_u32() % 12 {
                0..=2 => {
                    let code = link::issue_with_rng(&ctx, 42, &child(data), now, &mut real, &mut r).unwrap();
                    codes.push(code.as_str().to_owned());
                    model.issues.push((data, now));
                    model.used = false;
                    model.stale = false;
                    model.revoked = false;
                }
                11 => {
                    // A password reset (docs/revoke.md): codes die, counters stay.
                    let what = 1 + r.next_u32() % 3;
                    portal_codes::state::revoke(&mut real, what).unwrap();
                    model.revoked |= what & 1 != 0 && !model.issues.is_empty();
                }
                3 => data ^= 1,
                // Rarely (a reset empties the budget, which the sequences must also fill).
                4 if r.next_u32() % 4 == 0 => {
                    portal_codes::reset(&mut real).unwrap();
                    model.lock = Lock::default();
                }
                5 if key_id < 8 => {
                    // Rotation: a new current key; the old ones still verify (ids stay below the
                    // foreign context's 9).
                    key_id += 1;
                    ctx = rotated(&key, key_id);
                }
                _ => {
                    let (input, text) = match r.next_u32() % 8 {
                        0 => (LinkInput::Mistyped, "XXXXX-XXXXX".to_owned()),
                        1 => {
                            let c =
                                link::issue_with_rng(&foreign, 42, &child(data), now, &mut [0; 64], &mut r);
                            (LinkInput::ForeignKey, c.unwrap().as_str().to_owned())
                        }
                        2 => {
                            // A genuine code of this record for another child's data (a sibling's).
                            let sibling =
                                Child::new("Иванов Пётр Петрович", "2017-01-01", "M", "087-654-303 00");
                            let c = link::issue_with_rng(&ctx, 42, &sibling, now, &mut [0; 64], &mut r);
                            (LinkInput::Forged, c.unwrap().as_str().to_owned())
                        }
                        _ if codes.is_empty() => (LinkInput::Forged, forge(&mut r)),
                        3 => (LinkInput::Forged, forge(&mut r)),
                        4 | 5 => (LinkInput::Issue(codes.len() - 1), codes[codes.len() - 1].clone()),
                        6 if codes.len() >= 2 => {
                            (LinkInput::Issue(codes.len() - 2), codes[codes.len() - 2].clone())
                        }
                        _ => {
                            let i = (r.next_u32() as usize) % codes.len();
                            (LinkInput::Issue(i), codes[i].clone())
                        }
                    };
                    let before = State::decode(&real, Kind::Link).unwrap();
                    let lock = model.lock.check(now);
                    let got = link::redeem(&ctx, &text, &child(data), now, &mut real);
                    let want = model.redeem(&input, data, now);
                    assert_eq!(got, want, "{what}: redeem");
                    match (lock, &got) {
                        (Err(Error::Locked), Ok(())) => redeemed_while[0] += 1,
                        (Err(Error::Blocked), Ok(())) => redeemed_while[1] += 1,
                        _ => {}
                    }
                    let counted = counted(&before, &real, Kind::Link);
                    let authentic = matches!(input, LinkInput::Issue(i) if i + 2 >= codes.len());
                    free_answers += free_answer(&got, authentic, counted, LINK_INDEPENDENT);
                }
            }
            same_counters(&real, Kind::Link, &model.lock, 0, now, &what);
        }
    }
    assert_eq!(free_answers, 0, "answers to non-authentic codes that were not counted");
    // (The model's budget of 8 locks a run long before its 15th failure, so blocks are rare
    // here; `tests/link.rs::fifteen_forged_codes_do_not_block_the_holder_of_the_real_code`.)
    assert!(redeemed_while[0] > 0, "no real code redeemed while locked: {redeemed_while:?}");
    println!("link: real codes redeemed while locked {}, blocked {}", redeemed_while[0], redeemed_while[1]);
    assert_rules_exercised("link");
}

/// A well-formed random code (valid check symbol, key id 1) that no issue produced.
fn forge(r: &mut ChaCha20Rng) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    loop {
        // First symbol: key id 1 (held by every context here) and one bit of the record id.
        let first = A[(2 | (r.next_u32() & 1)) as usize] as char;
        let s: String =
            std::iter::once(first).chain((1..25).map(|_| A[(r.next_u32() % 32) as usize] as char)).collect();
        if link::parse(&s).is_ok() {
            return s;
        }
    }
}
