//! The PIN section of the model (`tests/model.rs`): the PIN table of `docs/verdicts.md` as a
//! reference model, a real and an unknown account driven with the same random sequences.

use super::*;

#[derive(Default, Clone, Copy)]
struct PinModel {
    lock: Lock,
    pending: u32,
}

impl PinModel {
    fn begin(&mut self, format_ok: bool, now: u64) -> Result<(), Error> {
        self.lock.check(now)?;
        if !format_ok {
            return Err(Error::PinFormat);
        }
        self.lock.fail(now);
        // Never more credits than counted failures (a faded run's credits fade with it).
        self.pending = (self.pending + 1).min(self.lock.failures);
        Ok(())
    }

    fn apply(&mut self, right: bool) -> Result<(), Error> {
        if self.pending == 0 {
            return Err(Error::NoChallenge);
        }
        self.pending -= 1;
        if right {
            self.lock.clear(true); // its begin charged the budget
            self.pending = 0;
            Ok(())
        } else {
            Err(Error::Wrong)
        }
    }
}

#[test]
fn pins_follow_the_model_and_unknown_accounts_look_the_same() {
    let mut ctx = with_policy(Context::new(&[0x42; 32], 1).unwrap());
    ctx.set(Setting::PinIterations, 10_000).unwrap();
    let stored = pin::hash(&ctx, "acct", "385027").unwrap();
    let stored = stored.as_str();
    let right = pin::verify_compute(&ctx, "acct", "385027", stored).unwrap();
    let wrong = pin::verify_compute(&ctx, "acct", "385028", stored).unwrap();
    let mut free_answers = 0u64;
    for seq in 0..sequences() {
        let mut r = ChaCha20Rng::seed_from_u64(2 << 32 | seq);
        // The real account, and an unknown account driven with the same calls: the model of the
        // unknown one is the real model with every PIN wrong.
        let (mut real, mut unknown): (Blob, Blob) = ([0; STATE_BYTES], [0; STATE_BYTES]);
        let (mut model, mut model_unknown) = (PinModel::default(), PinModel::default());
        let mut now = T0 + u64::from(r.next_u32() % 1000);
        for call in 0..(6 + r.next_u32() % 30) {
            now = step(&mut r, now);
            let what = format!("sequence {seq}, call {call}");
            let is_right = r.next_u32() % 4 == 0;
            let typed = match r.next_u32() % 10 {
                0 => "38x0",
                _ if is_right => "385027",
                _ => "385028",
            };
            let format_ok = typed != "38x0";
            let before = State::decode(&real, Kind::Pin).unwrap();
            let (got, got_unknown, want, want_unknown) = match r.next_u32() % 16 {
                0..=5 => (
                    pin::verify_begin(&ctx, typed, stored, now, &mut real),
                    pin::verify_begin(&ctx, typed, pin::Stored::UnknownAccount, now, &mut unknown),
                    model.begin(format_ok, now),
                    model_unknown.begin(format_ok, now),
                ),
                6..=10 => {
                    let v = if is_right { right } else { wrong };
                    (
                        pin::verify_apply(v, now, &mut real),
                        pin::verify_apply(wrong, now, &mut unknown),
                        model.apply(is_right),
                        model_unknown.apply(false),
                    )
                }
                11 => {
                    portal_codes::reset(&mut real).unwrap();
                    portal_codes::reset(&mut unknown).unwrap();
                    model = PinModel { pending: 0, lock: Lock::default() };
                    model_unknown = model;
                    (Ok(()), Ok(()), Ok(()), Ok(()))
                }
                12 | 13 if r.next_u32() % 4 == 0 => {
                    // The expensive calls (PBKDF2), less often. finish = NO_CHALLENGE without a
                    // pending attempt, PIN_FORMAT (nothing consumed), else apply.
                    let finish = |m: &mut PinModel, right: bool| {
                        if m.pending == 0 {
                            Err(Error::NoChallenge)
                        } else if !format_ok {
                            Err(Error::PinFormat)
                        } else {
                            m.apply(right)
                        }
                    };
                    (
                        pin::verify_finish(&ctx, "acct", typed, stored, now, &mut real),
                        pin::verify_finish(
                            &ctx,
                            "nobody",
                            typed,
                            pin::Stored::UnknownAccount,
                            now,
                            &mut unknown,
                        ),
                        finish(&mut model, is_right),
                        finish(&mut model_unknown, false),
                    )
                }
                14 if r.next_u32() % 4 == 0 => {
                    let w = model.begin(format_ok, now).and_then(|()| model.apply(is_right));
                    let wu = model_unknown.begin(format_ok, now).and_then(|()| model_unknown.apply(false));
                    (
                        pin::verify(&ctx, "acct", typed, stored, now, &mut real),
                        pin::verify(&ctx, "nobody", typed, pin::Stored::UnknownAccount, now, &mut unknown),
                        w,
                        wu,
                    )
                }
                _ => continue,
            };
            assert_eq!(got, want, "{what}: real account");
            assert_eq!(got_unknown, want_unknown, "{what}: unknown account");
            same_counters(&real, Kind::Pin, &model.lock, 0, now, &what);
            same_counters(&unknown, Kind::Pin, &model_unknown.lock, 0, now, &what);
            // An answer that tells right from wrong (OK / WRONG from finish or apply) must have
            // been paid for: never more such answers than counted failures since the last clear.
            let counted = counted(&before, &real, Kind::Pin);
            if matches!(got, Err(Error::Wrong)) && !counted && model.lock.failures == 0 {
                free_answers += 1;
            }
        }
    }
    assert_eq!(free_answers, 0, "WRONG answers not paid for by a counted failure");
    assert_rules_exercised("pins");
}
