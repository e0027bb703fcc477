//! The code's text form: 24 data symbols and one check symbol in Crockford's base32 alphabet,
//! shown as five hyphen-separated groups of five.
//!
//! # The check symbol
//! Symbols are read as elements of GF(32) = GF(2)\[x\]/(x⁵ + x² + 1) (a symbol's 5-bit value
//! is a polynomial). With α = x, a primitive element (its order is 31), position *i* (0–24)
//! gets the weight wᵢ = αⁱ, and a valid code satisfies Σ wᵢ·sᵢ = 0. The weights are pairwise
//! distinct and non-zero because 25 ≤ 31. So:
//!
//! - substituting s by s′ at position *i* changes the sum by wᵢ·(s + s′) ≠ 0 (a product of
//!   non-zero field elements);
//! - swapping unequal neighbours sᵢ, sᵢ₊₁ changes it by (wᵢ + wᵢ₊₁)·(sᵢ + sᵢ₊₁)
//!   = αⁱ·(1 + α)·(sᵢ + sᵢ₊₁) ≠ 0, since α ≠ 1.
//!
//! (It also catches swaps across one symbol, since α² ≠ 1, and "twin" errors aa → bb.)
//! Only the 32 symbols of the alphabet are needed, unlike Crockford's own mod-37 check.
//!
//! # Not `crate::base32`
//! The code is read and written here, not with the project's base32 module: that one is RFC
//! 4648's alphabet (`A–Z 2–7`, for authenticator secrets), a different value for every symbol,
//! and it packs bytes, while a code is 25 fixed symbols read with Cyrillic look-alikes and
//! Unicode dashes, packed without data-dependent branches for the check above.

use zeroize::Zeroize;

use crate::error::{Error, Result};

/// Symbols in a code, the check symbol included.
pub const SYMBOLS: usize = 25;
/// Data symbols (120 bits).
pub const DATA_SYMBOLS: usize = 24;
/// Symbols per displayed group.
pub const GROUP: usize = 5;
/// Length of the display form `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`.
pub const DISPLAY_LEN: usize = SYMBOLS + SYMBOLS / GROUP - 1;

/// Crockford's base32 alphabet: value → symbol.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The reduction polynomial x⁵ + x² + 1.
const POLY: u8 = 0b10_0101;

/// Multiplication in GF(32), without branches on the operands (the symbols of a typed code are
/// secret until it is redeemed).
pub(crate) const fn gf_mul(a: u8, b: u8) -> u8 {
    let mut a = a & 31;
    let mut r = 0;
    let mut i = 0;
    while i < 5 {
        r ^= a & 0u8.wrapping_sub((b >> i) & 1);
        a <<= 1;
        a ^= POLY & 0u8.wrapping_sub((a >> 5) & 1);
        i += 1;
    }
    r
}

/// wᵢ = αⁱ for i in 0..31 (α = x = 2).
pub(crate) const WEIGHTS: [u8; 31] = {
    let mut w = [0u8; 31];
    let mut i = 0;
    let mut v = 1u8;
    while i < 31 {
        w[i] = v;
        v = gf_mul(v, 2);
        i += 1;
    }
    w
};

/// The 25 symbol values as one 125-bit number, symbol 0 in the most significant 5 bits
/// (the check symbol in the least significant). Five groups of five symbols are packed
/// independently and then joined, so that the shifts do not form one chain of 25.
pub(crate) fn pack(values: &[u8; SYMBOLS]) -> u128 {
    let group = |g: &[u8]| g.iter().fold(0u32, |a, &s| (a << 5) | u32::from(s & 31));
    let mut v = 0u128;
    for g in values.chunks_exact(GROUP) {
        v = (v << 25) | u128::from(group(g));
    }
    v
}

/// `MASKS[k]` selects the bits of a [`pack`]ed code that contribute to bit k of Σ wᵢ·sᵢ.
/// GF(32) multiplication is linear over GF(2): bit j of symbol i (the coefficient of xʲ)
/// contributes αⁱ⁺ʲ, so that bit is in `MASKS[k]` when bit k of αⁱ⁺ʲ is 1.
const MASKS: [u128; 5] = {
    let mut m = [0u128; 5];
    let mut i = 0;
    while i < SYMBOLS {
        let mut j = 0;
        while j < 5 {
            let e = WEIGHTS[i + j];
            let bit = 5 * (SYMBOLS - 1 - i) + j;
            let mut k = 0;
            while k < 5 {
                if (e >> k) & 1 == 1 {
                    m[k] |= 1 << bit;
                }
                k += 1;
            }
            j += 1;
        }
        i += 1;
    }
    m
};

/// Σ wᵢ·sᵢ of a [`pack`]ed code (0 for a valid one): five parities of masked bits,
/// independent of each other, instead of a chain of 25 multiply-and-add steps. No branch or
/// table look-up depends on the (secret) symbols.
#[allow(clippy::cast_possible_truncation)] // a parity is 0 or 1
pub(crate) fn syndrome(packed: u128) -> u8 {
    let mut s = 0u8;
    for (k, m) in MASKS.iter().enumerate() {
        s |= (((packed & m).count_ones() & 1) as u8) << k;
    }
    s
}

/// The check symbol's value for 120 bits of data (24 symbols): c with Σ wᵢ·sᵢ + w₂₄·c = 0,
/// i.e. c = (Σᵢ₌₀²³ wᵢ·sᵢ)·α⁻²⁴ = (…)·α⁷.
pub(crate) fn check_value(data: u128) -> u8 {
    gf_mul(syndrome(data << 5), WEIGHTS[31 - DATA_SYMBOLS])
}

/// The value of one typed character, or `None` if it is not a code symbol. Accepts the
/// alphabet in either case, Crockford's aliases O → 0 and I, L → 1, and the Cyrillic letters
/// that look like Latin ones (А В Е К М Н О Р С Т Х, either case), typed by people whose
/// keyboard is in the Russian layout.
pub(crate) fn symbol_value(c: char) -> Option<u8> {
    if c.is_ascii() {
        return match ASCII_VALUES[c as usize] {
            NOT_A_SYMBOL => None,
            v => Some(v),
        };
    }
    let c = match c {
        'А' | 'а' => 'A',
        'В' | 'в' => 'B',
        'Е' | 'е' => 'E',
        'К' | 'к' => 'K',
        'М' | 'м' => 'M',
        'Н' | 'н' => 'H',
        'О' | 'о' => '0',
        'Р' | 'р' => 'P',
        'С' | 'с' => 'C',
        'Т' | 'т' => 'T',
        'Х' | 'х' => 'X',
        _ => return None,
    };
    symbol_value(c)
}

const NOT_A_SYMBOL: u8 = 0xff;

/// The value of each ASCII character: the symbols of [`ALPHABET`] in either case and the
/// aliases O → 0, I and L → 1 (checked against the alphabet by a test).
const ASCII_VALUES: [u8; 128] = {
    let mut t = [NOT_A_SYMBOL; 128];
    let mut i = 0;
    while i < ALPHABET.len() {
        #[allow(clippy::cast_possible_truncation)] // i < 32
        {
            t[ALPHABET[i] as usize] = i as u8;
            t[ALPHABET[i].to_ascii_lowercase() as usize] = i as u8;
        }
        i += 1;
    }
    t[b'O' as usize] = 0;
    t[b'o' as usize] = 0;
    t[b'I' as usize] = 1;
    t[b'i' as usize] = 1;
    t[b'L' as usize] = 1;
    t[b'l' as usize] = 1;
    t
};
/// Characters ignored between symbols: white space, hyphen-minus and the Unicode dashes that
/// copy-and-paste tends to produce.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return c == '-' || c.is_ascii_whitespace() || c == '\u{b}';
    }
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Reads a typed code: its 25 symbols [`pack`]ed (the check symbol in the low 5 bits).
///
/// # Errors
/// [`Error::Mistyped`] for a character outside the alphabet, a length other than 25 symbols,
/// or a failed check symbol.
pub(crate) fn read_symbols(text: &str) -> Result<u128> {
    read_short(text, SYMBOLS)
}

/// Reads a typed code of `want` ≤ 25 symbols (the last one its check symbol), [`pack`]ed as if
/// 25 − `want` zero symbols came first: a shorter code is a link code whose leading symbols
/// are 0, so its check symbol is the same check with the weights α²⁵⁻ʷᵃⁿᵗ … α²⁴, which keep
/// every property above (recovery codes, `crate::recovery`, use 12).
///
/// # Errors
/// As [`read_symbols`], for a length other than `want` symbols.
pub(crate) fn read_short(text: &str, want: usize) -> Result<u128> {
    debug_assert!((1..=SYMBOLS).contains(&want));
    if text.is_ascii() { read_ascii_symbols(text.as_bytes(), want) } else { read_symbol_chars(text, want) }
}

/// The packed symbols if their check symbol holds.
fn checked(mut values: [u8; SYMBOLS]) -> Result<u128> {
    let mut packed = pack(&values);
    values.zeroize();
    if syndrome(packed) == 0 {
        Ok(packed)
    } else {
        packed.zeroize();
        Err(Error::Mistyped)
    }
}

/// A separator in [`ASCII_CLASSES`].
const SEPARATOR: u8 = 0x40;

/// [`ASCII_VALUES`] with the ASCII separators (white space and `-`) marked [`SEPARATOR`].
const ASCII_CLASSES: [u8; 128] = {
    let mut t = ASCII_VALUES;
    let seps = b"-\t\n\x0b\x0c\r ";
    let mut i = 0;
    while i < seps.len() {
        t[seps[i] as usize] = SEPARATOR;
        i += 1;
    }
    t
};

/// A full code typed in one of its two usual shapes: the display form (a hyphen after every
/// fifth symbol, [`DISPLAY_LEN`] bytes) or the 25 symbols with nothing between them. The
/// symbols are then at fixed places: 25 independent table look-ups packed straight into
/// [`pack`]'s five groups, with no running count of symbols from byte to byte (in the general
/// loop the place of every symbol depends on the class of each byte before it: a chain of 29
/// look-ups, issue 23) and no array of symbol values to wipe. Which shape the text has
/// depends on where its hyphens are, which is public (as in the general loop); no branch or
/// address depends on a symbol's value.
fn read_fixed_ascii(bytes: &[u8]) -> Option<Result<u128>> {
    let stride = match bytes.len() {
        DISPLAY_LEN if (1..SYMBOLS / GROUP).all(|g| bytes[g * (GROUP + 1) - 1] == b'-') => GROUP + 1,
        SYMBOLS => GROUP,
        _ => return None,
    };
    let mut bad = 0u8;
    let mut packed = 0u128;
    for g in 0..SYMBOLS / GROUP {
        let mut v = 0u32;
        for &b in &bytes[g * stride..g * stride + GROUP] {
            let c = ASCII_CLASSES[usize::from(b & 0x7f)];
            bad |= c; // a symbol is below 32; SEPARATOR and NOT_A_SYMBOL are not
            v = (v << 5) | u32::from(c & 31);
        }
        packed = (packed << 25) | u128::from(v);
        v.zeroize();
    }
    if bad >= 32 || syndrome(packed) != 0 {
        packed.zeroize();
        return Some(Err(Error::Mistyped));
    }
    Some(Ok(packed))
}

/// [`read_symbols`] for ASCII text: one table look-up per byte and no branch on its result
/// (the symbols are secret; which positions hold separators is not).
fn read_ascii_symbols(bytes: &[u8], want: usize) -> Result<u128> {
    if want == SYMBOLS
        && let Some(r) = read_fixed_ascii(bytes)
    {
        return r;
    }
    // Slot `want` absorbs the writes past the last symbol (that text is rejected anyway).
    let mut v = [0u8; SYMBOLS + 1];
    let mut n = 0usize;
    let mut bad = 0u8;
    for &b in bytes {
        let c = ASCII_CLASSES[usize::from(b & 0x7f)];
        bad |= u8::from(c == NOT_A_SYMBOL);
        // A separator is written too, but then overwritten by the next symbol (or rejected).
        v[n.min(want)] = c;
        n += usize::from(c < 32);
    }
    let mut out = [0u8; SYMBOLS];
    out[SYMBOLS - want..].copy_from_slice(&v[..want]);
    v.zeroize();
    if bad != 0 || n != want {
        out.zeroize();
        return Err(Error::Mistyped);
    }
    checked(out)
}

/// [`read_symbols`] a character at a time (Cyrillic look-alikes, Unicode dashes and spaces).
fn read_symbol_chars(text: &str, want: usize) -> Result<u128> {
    let mut v = [0u8; SYMBOLS];
    let first = SYMBOLS - want;
    let mut n = 0;
    for c in text.chars() {
        if is_separator(c) {
            continue;
        }
        let s = symbol_value(c).ok_or(Error::Mistyped)?;
        if n == want {
            v.zeroize();
            return Err(Error::Mistyped);
        }
        v[first + n] = s;
        n += 1;
    }
    if n != want {
        v.zeroize();
        return Err(Error::Mistyped);
    }
    checked(v)
}

/// The display form of 120 bits of data (24 symbols, most significant first) plus their
/// check symbol.
#[allow(clippy::cast_possible_truncation)] // masked to 5 bits
pub(crate) fn display(data: u128) -> [u8; DISPLAY_LEN] {
    let all = (data << 5) | u128::from(check_value(data));
    let mut out = [b'-'; DISPLAY_LEN];
    for i in 0..SYMBOLS {
        let v = (all >> (5 * (SYMBOLS - 1 - i))) as usize & 31;
        out[i + i / GROUP] = ALPHABET[v];
    }
    out
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation, clippy::needless_range_loop)]
mod tests {
    use super::*;

    /// αⁱ for i = 0..31 in GF(2)[x]/(x⁵ + x² + 1), as the powers of a primitive element are
    /// tabulated for this polynomial (e.g. Lin & Costello, *Error Control Coding*, the table of
    /// GF(2⁵) generated by p(X) = 1 + X² + X⁵; reproduced by `tests/link_vectors.py --powers`).
    /// The tests below take the field's arithmetic from this table, not from the code's.
    const POWERS: [u8; 31] = [
        1, 2, 4, 8, 16, 5, 10, 20, 13, 26, 17, 7, 14, 28, 29, 31, 27, 19, 3, 6, 12, 24, 21, 15, 30, 25, 23,
        11, 22, 9, 18,
    ];

    /// log_α of a non-zero element, from the table.
    fn log(a: u8) -> usize {
        POWERS.iter().position(|&p| p == a).unwrap()
    }

    /// a·b by logarithms: α^(log a + log b), or 0.
    fn table_mul(a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 { 0 } else { POWERS[(log(a) + log(b)) % 31] }
    }

    /// Σ αⁱ·sᵢ, the definition of the check, by the table.
    fn definition(values: &[u8]) -> u8 {
        values.iter().enumerate().fold(0, |acc, (i, &s)| acc ^ table_mul(POWERS[i % 31], s))
    }

    #[test]
    fn field_and_weights() {
        // The weights are αⁱ: the published powers.
        assert_eq!(WEIGHTS, POWERS);
        // α has order 31: all 31 powers distinct, non-zero, α³¹ = 1.
        for i in 0..31 {
            assert_ne!(WEIGHTS[i], 0);
            for j in 0..i {
                assert_ne!(WEIGHTS[i], WEIGHTS[j]);
            }
        }
        assert_eq!(gf_mul(WEIGHTS[30], 2), 1);
        // Every non-zero element has an inverse; multiplication commutes.
        for a in 1..32u8 {
            assert_eq!((1..32u8).filter(|&b| gf_mul(a, b) == 1).count(), 1);
            for b in 0..32u8 {
                assert_eq!(gf_mul(a, b), gf_mul(b, a));
            }
        }
        assert_eq!(gf_mul(WEIGHTS[24], WEIGHTS[7]), 1);
    }

    /// `syndrome(pack(v))` is Σ αⁱ·sᵢ computed from the published table: for every value at
    /// every position, and for random codes (whose check symbol then makes it 0).
    #[test]
    fn syndrome_is_the_weighted_sum() {
        for i in 0..SYMBOLS {
            for s in 0..32u8 {
                let mut v = [0u8; SYMBOLS];
                v[i] = s;
                assert_eq!(syndrome(pack(&v)), definition(&v), "{i} {s}");
                assert_eq!(syndrome(pack(&v)), table_mul(POWERS[i], s), "{i} {s}");
            }
        }
        let mut x = 99u32;
        for _ in 0..20_000 {
            let v: [u8; SYMBOLS] = core::array::from_fn(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8 & 31
            });
            assert_eq!(syndrome(pack(&v)), definition(&v));
            let data = pack(&v) >> 5;
            let mut with_check = v;
            with_check[SYMBOLS - 1] = check_value(data);
            assert_eq!(definition(&with_check), 0);
            assert_eq!(syndrome((data << 5) | u128::from(check_value(data))), 0);
        }
    }

    /// The field multiplication agrees with multiplication by logarithms in the published table,
    /// for every pair of elements.
    #[test]
    fn gf_mul_is_the_published_field() {
        for a in 0..32u8 {
            for b in 0..32u8 {
                assert_eq!(gf_mul(a, b), table_mul(a, b), "{a}·{b}");
            }
        }
    }

    /// The ASCII fast path of `is_separator` agrees with `char::is_whitespace`.
    #[test]
    fn ascii_separators() {
        for b in 0u8..128 {
            let c = b as char;
            assert_eq!(is_separator(c), c.is_whitespace() || c == '-', "{c:?}");
        }
    }

    /// The inverse table agrees with a search of the alphabet for every ASCII character.
    #[test]
    fn symbol_table_inverts_the_alphabet() {
        for b in 0u8..128 {
            let want = ALPHABET.iter().position(|&a| a == b.to_ascii_uppercase()).map(|p| p as u8);
            let c = b as char;
            let alias = matches!(c, 'O' | 'o' | 'I' | 'i' | 'L' | 'l');
            if !alias {
                assert_eq!(symbol_value(c), want, "{c:?}");
            }
        }
    }

    #[test]
    fn symbols_and_aliases() {
        for (i, &c) in ALPHABET.iter().enumerate() {
            assert_eq!(symbol_value(c as char), Some(i as u8));
            assert_eq!(symbol_value((c as char).to_ascii_lowercase()), Some(i as u8));
        }
        assert_eq!(symbol_value('O'), Some(0));
        assert_eq!(symbol_value('o'), Some(0));
        assert_eq!(symbol_value('I'), Some(1));
        assert_eq!(symbol_value('l'), Some(1));
        assert_eq!(symbol_value('U'), None);
        assert_eq!(symbol_value('u'), None);
        assert_eq!(symbol_value('*'), None);
        assert_eq!(symbol_value('Ж'), None);
        assert_eq!(symbol_value('С'), Some(12));
        assert_eq!(symbol_value('р'), Some(22));
    }

    /// The ASCII path gives what the character path gives, on valid codes, codes with typing
    /// errors, separators anywhere, and every ASCII character at every position.
    #[test]
    fn ascii_path_agrees_with_the_char_path() {
        let shown = display(0x0012_3456_789A_BCDE_F012_3456_789A_BCDE & ((1 << 120) - 1));
        let code = std::string::String::from_utf8(shown.to_vec()).unwrap();
        let same = |t: &str| {
            assert_eq!(read_ascii_symbols(t.as_bytes(), SYMBOLS), read_symbol_chars(t, SYMBOLS), "{t:?}");
        };
        same(&code);
        same(&code.to_lowercase());
        same(&code.replace('-', ""));
        same(&std::format!(" \t{}\n", code.replace('-', " - ")));
        same(&std::format!("{code}0"));
        same(&code[1..]);
        same("");
        same("-----");
        for at in 0..code.len() {
            for b in 0u8..128 {
                let mut t = code.clone().into_bytes();
                t[at] = b;
                let t = std::string::String::from_utf8(t).unwrap();
                same(&t);
                let mut longer = code.clone();
                longer.insert(at, b as char);
                same(&longer);
            }
        }
    }

    /// The fixed-place reader of the two usual shapes ([`read_fixed_ascii`]) gives what the
    /// character path gives: random codes in both shapes, in either case, with every ASCII
    /// byte at every position of the unhyphenated shape (the display shape is covered above),
    /// and it leaves every other shape to the general loop.
    #[test]
    fn fixed_places_agree_with_the_char_path() {
        let mut x = 11u128;
        for _ in 0..2_000 {
            x = x.wrapping_mul(0x2360_ED05_1FC6_5DA4_4385_DF64_9FCC_F645).wrapping_add(1);
            let code = std::string::String::from_utf8(display(x >> 8 & ((1 << 120) - 1)).to_vec()).unwrap();
            for t in [code.clone(), code.replace('-', ""), code.to_lowercase()] {
                assert!(read_fixed_ascii(t.as_bytes()).is_some(), "{t:?}");
                assert_eq!(
                    read_ascii_symbols(t.as_bytes(), SYMBOLS),
                    read_symbol_chars(&t, SYMBOLS),
                    "{t:?}"
                );
                assert!(read_symbols(&t).is_ok());
            }
        }
        let code = std::string::String::from_utf8(display(0x1234_5678_9ABC_DEF0_1234_5678).to_vec()).unwrap();
        let bare = code.replace('-', "");
        for at in 0..bare.len() {
            for b in 0u8..128 {
                let mut t = bare.clone().into_bytes();
                t[at] = b;
                let t = std::string::String::from_utf8(t).unwrap();
                assert_eq!(
                    read_ascii_symbols(t.as_bytes(), SYMBOLS),
                    read_symbol_chars(&t, SYMBOLS),
                    "{t:?}"
                );
            }
        }
        for t in [&code[1..], &bare[1..], "", "00000 00000 00000 00000 00000"] {
            assert!(read_fixed_ascii(t.as_bytes()).is_none(), "{t:?}");
        }
    }

    #[test]
    fn display_read_round_trip() {
        let x: u128 = 0x00AB_CDEF_0123_4567_89AB_CDEF_0123_4567 & ((1 << 120) - 1);
        let shown = display(x);
        assert_eq!(&shown[..6], b"NF6YY-"); // the first 25 bits, by hand (Python)
        let v = read_symbols(core::str::from_utf8(&shown).unwrap()).unwrap();
        assert_eq!(v >> 5, x);
        assert_eq!(v & 31, u128::from(check_value(x)));
    }
}
