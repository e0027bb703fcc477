//! A numeric code held as ASCII digits, shared by [`otp::OtpCode`](crate::otp::OtpCode) and
//! [`totp::Code`](crate::totp::Code): the last `len` of eight decimal digits, computed without
//! a branch or table on the (secret) value, and zeroized on drop.

use zeroize::Zeroize;

/// The last `len` (1–8) decimal digits of a value, as ASCII; zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Digits {
    /// The value's eight decimal digits; the code is the last `len` of them.
    ascii: [u8; 8],
    len: u8,
}

impl Digits {
    /// The last `len` (1–8) decimal digits of `value`, leading zeros kept.
    #[allow(clippy::cast_possible_truncation)] // len ≤ 8
    pub(crate) fn new(value: u32, len: u32) -> Self {
        debug_assert!((1..=8).contains(&len));
        Self { ascii: ascii8(value), len: len.clamp(1, 8) as u8 }
    }

    /// The digits, e.g. `"094287"`.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored; len is 1–8.
        let start = self.ascii.len() - usize::from(self.len);
        core::str::from_utf8(&self.ascii[start..]).unwrap_or("")
    }

    /// The number of digits.
    pub(crate) fn len(&self) -> usize {
        usize::from(self.len)
    }
}

impl Drop for Digits {
    fn drop(&mut self) {
        self.ascii.zeroize();
    }
}

/// The last eight decimal digits of `v` as ASCII, most significant first. Each digit is
/// computed on its own (`v / 10^k % 10`; constant divisors, so multiplications), so the eight
/// computations run in parallel instead of as one chain of divisions; no branch or table
/// depends on the (secret) value.
#[allow(clippy::cast_possible_truncation)] // each digit < 10
fn ascii8(v: u32) -> [u8; 8] {
    const POW: [u32; 8] = [10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
    let mut out = [0u8; 8];
    for (o, p) in out.iter_mut().zip(POW) {
        *o = b'0' + (v / p % 10) as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ascii8` against `format!` on every value below 10^6 and on values of every magnitude.
    #[test]
    fn ascii8_is_decimal_formatting() {
        let check = |v: u32| {
            let want = std::format!("{:08}", v % 100_000_000);
            assert_eq!(&ascii8(v), want.as_bytes(), "{v}");
        };
        (0..1_000_000).for_each(check);
        (0..u32::MAX).step_by(9_973).for_each(check);
        for k in 0..10 {
            let p = 10u32.pow(k);
            [p - 1, p, p + 1, u32::MAX, u32::MAX - p].into_iter().for_each(check);
        }
    }

    #[test]
    fn last_digits_with_leading_zeros() {
        for len in 1..=8u32 {
            for v in [0, 7, 4_287, 99_999_999, u32::MAX] {
                let d = Digits::new(v, len);
                let full = std::format!("{:08}", v % 100_000_000);
                assert_eq!(d.as_str(), &full[8 - len as usize..], "{v} {len}");
                assert_eq!(d.len(), len as usize);
            }
        }
    }
}
