//! The SMS/e-mail-code section of the model (`tests/model.rs`): the SMS table of
//! `docs/verdicts.md` as a reference model, driven with random sequences.

use super::*;

#[derive(Default)]
pub(crate) struct OtpModel {
    pub(crate) code: Option<String>,
    pub(crate) previous: Option<String>,
    pub(crate) issued: u64,
    pub(crate) attempts: u32,
    pub(crate) used: bool,
    /// `state::revoke` killed the code and the one it replaced; the sends still count.
    pub(crate) revoked: bool,
    pub(crate) sends: Vec<u64>,
    pub(crate) wait: u64,
    pub(crate) lock: Lock,
}

impl OtpModel {
    pub(crate) fn next_send(&self) -> u64 {
        let Some(&last) = self.sends.last() else { return 0 };
        let hourly = if self.sends.len() >= 5 { self.sends[self.sends.len() - 5] + 3600 } else { 0 };
        (last + 60).max(hourly)
    }

    pub(crate) fn issue(&mut self, now: u64, code: &str) -> Result<(), Error> {
        self.lock.check(now)?;
        let earliest = self.next_send();
        self.wait = earliest;
        if now < earliest {
            return Err(Error::TooSoon);
        }
        // The replaced code is remembered for SUPERSEDED while its age fits 16 bits.
        self.previous = if now - self.issued <= 65_535 && !self.revoked { self.code.take() } else { None };
        self.revoked = false;
        self.code = Some(code.to_owned());
        self.issued = now;
        self.attempts = 0;
        self.used = false;
        self.sends.push(now);
        self.wait = self.next_send();
        Ok(())
    }

    pub(crate) fn verify(&mut self, input: &str, right_purpose: bool, now: u64) -> Result<(), Error> {
        self.lock.check(now)?;
        let Some(code) = self.code.as_ref().filter(|_| !self.revoked) else { return Err(Error::NoChallenge) };
        if input.len() != code.len() || !input.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Mistyped);
        }
        // Expired, also when issued more than MAX_CLOCK_SKEW (300 s) after `now` (docs/verdicts.md).
        if now >= self.issued + 300 || self.issued > now + 300 {
            return Err(Error::Expired);
        }
        if self.attempts >= 3 {
            return Err(Error::AttemptsExhausted);
        }
        let right = right_purpose && input == code;
        if right && self.used {
            return Err(Error::AlreadyUsed);
        }
        if right {
            self.used = true;
            self.lock.success();
            return Ok(());
        }
        if right_purpose && self.previous.as_deref() == Some(input) {
            return Err(Error::Superseded);
        }
        self.attempts += 1;
        self.lock.fail(now);
        Err(Error::Wrong)
    }
}

#[test]
fn sms_codes_follow_the_model() {
    let mut free_answers = 0u64;
    for seq in 0..sequences() {
        let mut r = ChaCha20Rng::seed_from_u64(1 << 32 | seq);
        let mut ctx = with_policy(Context::new(&[0x42; 32], 1).unwrap());
        let mut key_id = 1;
        let mut real: Blob = [0; STATE_BYTES];
        let mut model = OtpModel::default();
        let mut now = T0 + u64::from(r.next_u32() % 1000);
        // Every tenth sequence is long: enough wrong codes across codes to fill the budget.
        let calls = (8 + r.next_u32() % 32) * if seq % 10 == 0 { 5 } else { 1 };
        for call in 0..calls {
            now = step(&mut r, now);
            let what = format!("sequence {seq}, call {call}");
            match r.next_u32() % 10 {
                0..=2 => {
                    let got = otp::issue_with_rng(&ctx, "login", now, &mut real, &mut r);
                    let text = got.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default();
                    assert_eq!(got.map(|_| ()), model.issue(now, &text), "{what}: issue");
                }
                3 => {
                    portal_codes::reset(&mut real).unwrap();
                    model.lock = Lock::default();
                }
                4 if key_id < 15 => {
                    key_id += 1;
                    ctx = rotated(&[0x42; 32], key_id);
                }
                9 => {
                    // A password reset (docs/revoke.md): codes die, counters and sends stay.
                    let what = 1 + r.next_u32() % 3;
                    portal_codes::state::revoke(&mut real, what).unwrap();
                    model.revoked |= what & 1 != 0 && model.code.is_some();
                }
                _ => {
                    let (input, purpose) = match (r.next_u32() % 8, &model.code, &model.previous) {
                        (0, _, _) => ("12345".to_owned(), "login"),
                        (1 | 2, Some(c), _) => (c.clone(), "login"),
                        (3, Some(c), _) => (c.clone(), "phone-change:+79990001122"),
                        (4, _, Some(p)) => (p.clone(), "login"),
                        _ => (format!("{:06}", r.next_u32() % 1_000_000), "login"),
                    };
                    let before = State::decode(&real, Kind::Otp).unwrap();
                    let got = otp::verify(&ctx, purpose, &input, now, &mut real);
                    let right_purpose = purpose == "login";
                    assert_eq!(got, model.verify(&input, right_purpose, now), "{what}: verify {input}");
                    let counted = counted(&before, &real, Kind::Otp);
                    let authentic = right_purpose
                        && (model.code.as_deref() == Some(&input)
                            || model.previous.as_deref() == Some(&input));
                    free_answers += free_answer(&got, authentic, counted, OTP_INDEPENDENT);
                }
            }
            same_counters(&real, Kind::Otp, &model.lock, model.wait, now, &what);
        }
    }
    assert_eq!(free_answers, 0, "answers to wrong codes that were not counted");
    assert_rules_exercised("sms");
}
