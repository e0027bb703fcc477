//! Helpers shared by the hostile-input and timing tests: an independent reading of link codes
//! (Crockford base32 symbols, the GF(32) check written from the spec in `docs/link-code.md`,
//! not from the library's code).

#![allow(dead_code)]

pub mod errors;

/// Crockford's base32 alphabet.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// GF(32) = GF(2)[x]/(x^5 + x^2 + 1): carry-less product, then reduction by long division.
pub fn gf_mul(a: u8, b: u8) -> u8 {
    let mut p: u16 = 0;
    for i in 0..5 {
        if (b >> i) & 1 == 1 {
            p ^= u16::from(a) << i;
        }
    }
    for bit in (5..9).rev() {
        if (p >> bit) & 1 == 1 {
            p ^= 0b10_0101 << (bit - 5);
        }
    }
    u8::try_from(p).unwrap()
}

/// Σ αⁱ·sᵢ over the 25 symbol values (0 for a valid code).
pub fn checksum(values: &[u8; 25]) -> u8 {
    let mut w = 1u8;
    let mut s = 0u8;
    for &v in values {
        s ^= gf_mul(v, w);
        w = gf_mul(w, 2);
    }
    s
}

/// 24 data values completed with the check symbol found by trying all 32 (not the library's formula).
pub fn with_check(data: &[u8; 24]) -> [u8; 25] {
    let mut v = [0u8; 25];
    v[..24].copy_from_slice(data);
    for c in 0..32 {
        v[24] = c;
        if checksum(&v) == 0 {
            return v;
        }
    }
    unreachable!("every check value is reachable: w24 != 0")
}

/// The values of a code in display form (`XXXXX-XXXXX-...`); `None` if it is not one.
pub fn symbols(code: &str) -> Option<[u8; 25]> {
    let mut v = [0u8; 25];
    let mut n = 0;
    for c in code.bytes().filter(|&c| c != b'-') {
        let s = ALPHABET.iter().position(|&a| a == c)?;
        *v.get_mut(n)? = u8::try_from(s).unwrap();
        n += 1;
    }
    (n == 25).then_some(v)
}

/// The display form of 25 values.
pub fn render(values: &[u8; 25]) -> String {
    let mut s = String::new();
    for (i, &v) in values.iter().enumerate() {
        if i > 0 && i % 5 == 0 {
            s.push('-');
        }
        s.push(char::from(ALPHABET[usize::from(v)]));
    }
    s
}

/// The 120 data bits of a code's values (most significant first).
pub fn bits(values: &[u8; 25]) -> u128 {
    values[..24].iter().fold(0u128, |a, &v| (a << 5) | u128::from(v))
}

/// 24 data values of 120 bits.
pub fn data_of(bits: u128) -> [u8; 24] {
    core::array::from_fn(|j| u8::try_from((bits >> (5 * (23 - j))) & 31).unwrap())
}

/// A valid code (check symbol included) carrying `bits`.
pub fn code_of(bits: u128) -> String {
    render(&with_check(&data_of(bits)))
}
