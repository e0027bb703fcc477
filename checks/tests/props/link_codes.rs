//! Link codes and child data.

use super::*;

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn link_parse_takes_any_text(s in hostile()) {
        match link::parse(&s) {
            Ok(id) => prop_assert!(id <= link::MAX_RECORD_ID),
            Err(e) => prop_assert_eq!(e, Error::Mistyped),
        }
    }

    /// 25 random symbols parse exactly when the independent check says the code is valid, and
    /// then give the record id in bits 76..116 of the data.
    #[test]
    fn link_parse_agrees_with_an_independent_check(
        values in proptest::array::uniform25(0u8..32),
        fix in any::<bool>(),
    ) {
        let values = if fix { support::with_check(values[..24].try_into().unwrap()) } else { values };
        let text = support::render(&values);
        let want = (support::checksum(&values) == 0)
            .then(|| u64::try_from((support::bits(&values) >> 76) & u128::from(link::MAX_RECORD_ID)).unwrap());
        prop_assert_eq!(link::parse(&text).ok(), want);
        prop_assert_eq!(link::parse(&text.to_lowercase()).ok(), want);
        prop_assert_eq!(link::parse(&text.replace('-', "")).ok(), want);
        if fix {
            prop_assert!(want.is_some());
        }
    }

    /// issue → parse gives the record id; the display form is five groups of the alphabet;
    /// sloppy typing parses the same; redeem works once.
    #[test]
    fn link_issue_parse_redeem_round_trip(
        record_id in prop_oneof![Just(0u64), Just(link::MAX_RECORD_ID), 0..=link::MAX_RECORD_ID],
        now in (link::EPOCH + 16 * 366 * 86_400)..(link::EPOCH + 31 * 365 * 86_400),
        seed in any::<u64>(),
    ) {
        let ctx = ctx();
        let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
        let mut st = [0u8; STATE_BYTES];
        let code = link::issue_with_rng(&ctx, record_id, &kid, now, &mut st, &mut rng(seed)).unwrap();
        let text = code.as_str().to_owned();
        prop_assert!(support::symbols(&text).is_some_and(|v| support::checksum(&v) == 0), "{}", text);
        prop_assert_eq!(text.len(), link::DISPLAY_LEN);
        prop_assert!(text.split('-').all(|g| g.len() == 5));
        prop_assert_eq!(link::parse(&text), Ok(record_id));
        let sloppy = text.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        prop_assert_eq!(link::parse(&sloppy), Ok(record_id));
        prop_assert_eq!(link::redeem(&ctx, &sloppy, &kid, now + 1, &mut st), Ok(()));
        prop_assert_eq!(link::redeem(&ctx, &text, &kid, now + 2, &mut st), Err(Error::AlreadyUsed));
    }

    /// Any single substitution and any transposition of neighbours is caught by the check
    /// symbol, and redeem then reports MISTYPED without counting or changing anything.
    #[test]
    fn link_typos_are_always_detected(
        record_id in 0..=link::MAX_RECORD_ID,
        seed in any::<u64>(),
        pos in 0usize..25,
        delta in 1u8..32,
    ) {
        let ctx = ctx();
        let kid = Child::new("Петрова Анна", "2018-12-31", "F", "11223344595");
        let mut st = [0u8; STATE_BYTES];
        let code = link::issue_with_rng(&ctx, record_id, &kid, T0, &mut st, &mut rng(seed)).unwrap();
        let good = support::symbols(code.as_str()).unwrap();
        let mut sub = good;
        sub[pos] ^= delta;
        let typo = support::render(&sub);
        prop_assert_eq!(link::parse(&typo), Err(Error::Mistyped));
        let before = st;
        prop_assert_eq!(link::redeem(&ctx, &typo, &kid, T0 + 1, &mut st), Err(Error::Mistyped));
        prop_assert_eq!(State::decode(&st, Kind::Link).unwrap().failures, 0);
        prop_assert_eq!(State::decode(&before, Kind::Link).unwrap(), State::decode(&st, Kind::Link).unwrap());
        let p = pos.min(23);
        if good[p] != good[p + 1] {
            let mut swapped = good;
            swapped.swap(p, p + 1);
            prop_assert_eq!(link::parse(&support::render(&swapped)), Err(Error::Mistyped));
        }
        // Dropping or repeating a symbol changes the length.
        let mut dropped = support::render(&good).replace('-', "");
        dropped.remove(pos);
        prop_assert_eq!(link::parse(&dropped), Err(Error::Mistyped));
    }

    #[test]
    fn link_redeem_takes_any_input(
        code in prop_oneof![hostile(), any::<u128>().prop_map(|b| support::code_of(b >> 8))],
        fields in child_fields(),
        now in time(),
        st in blob(),
    ) {
        let _ = redeem_checked(&ctx(), &code, &fields, now, st)?;
    }

    /// A real blob with bytes flipped, redeemed with the real code or a forged one.
    #[test]
    fn link_redeem_with_damaged_real_blobs(
        seed in any::<u64>(),
        forged in any::<bool>(),
        flips in flips(),
        later in 0u64..2_000,
        fields in child_fields(),
    ) {
        let ctx = ctx();
        let kid = Child::new("Иванов Иван", "2015-03-01", "M", "112-233-445 95");
        let mut st = [0u8; STATE_BYTES];
        let code = link::issue_with_rng(&ctx, 42, &kid, T0, &mut st, &mut rng(seed)).unwrap();
        let _ = link::issue_with_rng(&ctx, 42, &child(&fields), T0 + 1, &mut st, &mut rng(seed + 1));
        let text = if forged {
            let v = support::symbols(code.as_str()).unwrap();
            support::code_of(support::bits(&v) ^ 1)
        } else {
            code.as_str().to_owned()
        };
        let damaged = flip(st, &flips);
        let (r, _) = redeem_checked(&ctx, &text, &fields, T0 + later, damaged)?;
        if forged {
            prop_assert_ne!(r, Ok(()), "a forged tag was accepted");
        }
    }

    #[test]
    fn link_issue_takes_any_input(
        record_id in prop_oneof![0..=link::MAX_RECORD_ID, any::<u64>()],
        fields in child_fields(),
        now in time(),
        st in blob(),
        seed in any::<u64>(),
    ) {
        let ctx = ctx();
        let before = st;
        let mut st = st;
        let r = link::issue_with_rng(&ctx, record_id, &child(&fields), now, &mut st, &mut rng(seed));
        let r = r.map(|c| c.as_str().to_owned());
        check_flow(&r, LINK_ISSUE_ERRORS, Kind::Link, &before, &st, true, now)?;
        if let Ok(text) = &r {
            prop_assert_eq!(link::parse(text), Ok(record_id));
            prop_assert_eq!(link::redeem(&ctx, text, &child(&fields), now, &mut st), Ok(()));
        }
    }

    /// The name's canonical form (docs/link-code.md, "Child data: validation and
    /// canonicalisation"), seen through the fingerprint: a name has the fingerprint of its
    /// canonical form as computed here from the docs (white space trimmed and collapsed to one
    /// space, `char::to_lowercase`, ё → е, и + U+0306 → й, е + U+0308 → е), and of itself with
    /// every space a tab. The canonical form and most drawn names take the library's plain-name
    /// path; names with tabs, no-break spaces, combining marks or double spaces take its
    /// character loop.
    #[test]
    fn child_name_has_the_fingerprint_of_its_canonical_form(name in name_tokens()) {
        let canon = canonical_name(&name);
        prop_assume!(!canon.is_empty());
        let ctx = Context::new(&[0x42; 32], 1).unwrap();
        let fp = |n: &str| Child::new(n, "2015-03-01", "Ж", "112-233-445 95").fingerprint(&ctx, 1_750_000_000);
        let f = fp(&name);
        prop_assert!(f.is_ok(), "{name:?}: {f:?}");
        prop_assert_eq!(f, fp(&canon), "{:?} against {:?}", name, canon);
        prop_assert_eq!(f, fp(&name.replace(' ', "\t")), "{:?} with tabs", name);
    }

    /// Child data: documented errors, validate and fingerprint agree, Debug shows presence only.
    #[test]
    fn child_data_takes_any_text(fields in child_fields(), now in time()) {
        let c = child(&fields);
        let v = c.validate(now);
        let f = c.fingerprint(&Context::new(&[0x42; 32], 1).unwrap(), now);
        if let Err(e) = v {
            prop_assert!(CHILD_ERRORS.contains(&e), "{e:?}");
        }
        prop_assert_eq!(v, f.map(|_| ()));
        let m = c.check().err().unwrap_or(0);
        prop_assert_ne!(c.check(), Err(0));
        prop_assert_eq!(m & !0xF, 0);
        if m != 0 {
            prop_assert_eq!(v, Err(Error::MissingField));
        }
        let shown = |bit: u32| if m & bit == 0 { "present" } else { "missing" };
        let want = format!(
            "Child {{ full_name: {:?}, birth_date: {:?}, sex: {:?}, snils: {:?} }}",
            shown(link::FIELD_FULL_NAME), shown(link::FIELD_BIRTH_DATE), shown(link::FIELD_SEX), shown(link::FIELD_SNILS),
        );
        prop_assert_eq!(format!("{c:?}"), want);
    }
}

/// Names as tokens: every basic Cyrillic letter, some Latin ones and punctuation, spaces (single,
/// double, tab, no-break) and the decomposed й and ё.
fn name_tokens() -> impl Strategy<Value = String> {
    let mut pool: Vec<String> =
        ('А'..='я').chain(['Ё', 'ё', 'A', 'Z', 'q', '0', '-', '\'']).map(String::from).collect();
    for t in [" ", " ", " ", " ", "  ", "\t", "\u{a0}", "и\u{306}", "И\u{306}", "Е\u{308}", "е\u{308}"] {
        pool.push(t.to_owned());
    }
    vec(proptest::sample::select(pool), 0..40).prop_map(|v| v.concat())
}

/// The canonical form of a name as docs/link-code.md states it, written here independently of
/// the library.
fn canonical_name(name: &str) -> String {
    let composed = name.replace("и\u{306}", "й").replace("И\u{306}", "Й").replace('\u{308}', "");
    let words: Vec<&str> = composed.split_whitespace().collect();
    words.join(" ").chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}
