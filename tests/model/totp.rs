//! The TOTP and HOTP section of the model (`tests/model.rs`): the TOTP and HOTP tables of
//! `docs/verdicts.md` as reference models, driven with random sequences.

use super::*;

#[derive(Default)]
pub(crate) struct TotpModel {
    pub(crate) accepted: Option<u64>,
    pub(crate) lock: Lock,
}

impl TotpModel {
    /// `matches`: the steps of the window `current − 1 ..= current + 1` whose code is the input.
    pub(crate) fn verify(
        &mut self,
        mistyped: bool,
        matches: &[u64],
        current: u64,
        now: u64,
    ) -> Result<i32, Error> {
        self.lock.check(now)?;
        if mistyped {
            return Err(Error::Mistyped);
        }
        let new = matches.iter().copied().filter(|&s| self.accepted.is_none_or(|a| s > a)).min();
        if let Some(s) = new {
            self.accepted = Some(s);
            self.lock.success();
            return Ok(i32::try_from(s as i64 - current as i64).unwrap());
        }
        if !matches.is_empty() {
            return Err(Error::AlreadyUsed);
        }
        self.lock.fail(now);
        Err(Error::Wrong)
    }
}

/// A typed TOTP code at step `current`: five digits, six random ones, or the code of a step up to
/// `spread` away; and the steps of the window `current − 1 ..= current + 1` whose code it is.
pub(crate) fn totp_input(
    r: &mut ChaCha20Rng,
    secret: &[u8],
    current: u64,
    spread: u32,
) -> (String, Vec<u64>) {
    let p = Params::default();
    let input = match r.next_u32() % 6 {
        0 => "12345".to_owned(),
        1 => format!("{:06}", r.next_u32() % 1_000_000),
        _ => {
            let s = (current + u64::from(r.next_u32() % (2 * spread + 1))).saturating_sub(u64::from(spread));
            totp::time::code(secret, &p, s * 30).unwrap().as_str().to_owned()
        }
    };
    let matches = (current - 1..=current + 1)
        .filter(|&s| totp::time::code(secret, &p, s * 30).unwrap().as_str() == input)
        .collect();
    (input, matches)
}

#[test]
fn totp_follows_the_model() {
    let ctx = with_policy(Context::new(&[0x42; 32], 1).unwrap());
    let p = Params::default();
    let mut free_answers = 0u64;
    for seq in 0..sequences() {
        let mut r = ChaCha20Rng::seed_from_u64(3 << 32 | seq);
        let secret: Vec<u8> = (0..20).map(|_| r.next_u32() as u8).collect();
        let mut real: Blob = [0; STATE_BYTES];
        let mut model = TotpModel::default();
        let mut now = T0 + u64::from(r.next_u32() % 1000);
        for call in 0..(6 + r.next_u32() % 30) {
            now = match r.next_u32() % 40 {
                0..=9 => now - u64::from(r.next_u32() % 90),
                10..=38 => now + u64::from(r.next_u32() % 120),
                _ => now + u64::from(r.next_u32() % (3 * DRAIN as u32)), // days: fade, drain
            };
            let what = format!("sequence {seq}, call {call}");
            if r.next_u32() % 12 == 0 {
                portal_codes::reset(&mut real).unwrap();
                model.lock = Lock::default();
                continue;
            }
            let current = now / 30;
            let (input, matches) = totp_input(&mut r, &secret, current, 3);
            let before = State::decode(&real, Kind::Totp).unwrap();
            let got = totp::time::verify(&ctx, &secret, &p, &input, now, &mut real);
            let want = model.verify(input.len() != 6, &matches, current, now);
            assert_eq!(got, want, "{what}: totp {input}");
            let counted = counted(&before, &real, Kind::Totp);
            free_answers += free_answer(&got, !matches.is_empty(), counted, APP_INDEPENDENT);
            same_counters(&real, Kind::Totp, &model.lock, 0, now, &what);
            assert_eq!(totp::time::last_step(&real), Ok(model.accepted), "{what}: last step");
        }
    }
    assert_eq!(free_answers, 0, "answers to non-matching codes that were not counted");
    assert_rules_exercised("totp");
}

#[derive(Default)]
struct HotpModel {
    next: u64,
    accepted: bool,
    lock: Lock,
}

impl HotpModel {
    /// `matches`: the counters `next − 1 ..= next + 10` whose code is the input.
    fn verify(&mut self, mistyped: bool, matches: &[u64], now: u64) -> Result<u64, Error> {
        self.lock.check(now)?;
        if mistyped {
            return Err(Error::Mistyped);
        }
        let replay = self.accepted && self.next > 0 && matches.contains(&(self.next - 1));
        if let Some(k) = matches.iter().copied().filter(|&k| k >= self.next && k <= self.next + 10).min() {
            self.next = k + 1;
            self.accepted = true;
            self.lock.success();
            return Ok(k);
        }
        if replay {
            return Err(Error::AlreadyUsed);
        }
        self.lock.fail(now);
        Err(Error::Wrong)
    }
}

#[test]
fn hotp_follows_the_model() {
    let ctx = with_policy(Context::new(&[0x42; 32], 1).unwrap());
    let mut free_answers = 0u64;
    for seq in 0..sequences() {
        let mut r = ChaCha20Rng::seed_from_u64(4 << 32 | seq);
        let secret: Vec<u8> = (0..20).map(|_| r.next_u32() as u8).collect();
        let code = |k: u64| totp::hotp::code(&secret, Algorithm::Sha1, 6, k).unwrap().as_str().to_owned();
        let mut real: Blob = [0; STATE_BYTES];
        let mut model = HotpModel::default();
        let mut now = T0;
        for call in 0..(6 + r.next_u32() % 30) {
            now += u64::from(r.next_u32() % if r.next_u32() % 40 == 0 { 3 * DRAIN as u32 } else { 400 });
            let what = format!("sequence {seq}, call {call}");
            if r.next_u32() % 12 == 0 {
                portal_codes::reset(&mut real).unwrap();
                model.lock = Lock::default();
                continue;
            }
            let input = match r.next_u32() % 6 {
                0 => "12345".to_owned(),
                1 => format!("{:06}", r.next_u32() % 1_000_000),
                _ => code((model.next + u64::from(r.next_u32() % 16)).saturating_sub(2)),
            };
            let lo = model.next.saturating_sub(1);
            let matches: Vec<u64> = (lo..=model.next + 10).filter(|&k| code(k) == input).collect();
            let before = State::decode(&real, Kind::Hotp).unwrap();
            let got = totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, &input, now, &mut real);
            let want = model.verify(input.len() != 6, &matches, now);
            assert_eq!(got, want, "{what}: hotp {input}");
            let counted = counted(&before, &real, Kind::Hotp);
            free_answers += free_answer(&got, !matches.is_empty(), counted, APP_INDEPENDENT);
            same_counters(&real, Kind::Hotp, &model.lock, 0, now, &what);
        }
    }
    assert_eq!(free_answers, 0, "answers to non-matching codes that were not counted");
    assert_rules_exercised("hotp");
}
