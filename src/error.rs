//! The one error type of the crate, mapped 1:1 to the C ABI's status codes.
//!
//! Every variant's discriminant is its `PCODES_STATUS_*` value from the contract; the values are
//! stable and never reused (a test pins each one). `Display` is a short technical sentence in
//! English for logs; [`Error::message`] is the text to show the person, in Russian or English.
//! Neither ever contains a secret, a code or a PIN: errors carry no data at all.

/// Declares every status once: its variant (with its doc and `Display` text), number, C name and
/// the two user-facing messages. From the rows come the enum, [`Error::ALL`], the name/message
/// table behind [`status_name`] and [`status_message`], and (with the C API) a compile-time check
/// that each `PCODES_STATUS_*` constant of `src/ffi/status.rs` exists with that number.
macro_rules! statuses {
    ($(
        $(#[$attr:meta])*
        $variant:ident = $code:literal => $c_name:ident { en: $en:literal, ru: $ru:literal $(,)? }
    ),* $(,)?) => {
        /// A failed operation. `Copy`, no allocation, no secret inside.
        ///
        /// The numeric value ([`Error::code`]) is the C status code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
        #[non_exhaustive]
        #[repr(i32)]
        pub enum Error {
            $($(#[$attr])* $variant = $code,)*
        }

        impl Error {
            /// Every variant, in status-code order.
            pub const ALL: [Error; [$($code),*].len()] = [$(Error::$variant),*];
        }

        /// One row per status: (code, C name, English message, Russian message). Index 0 is OK.
        /// Every string ends in NUL so that the C API can hand it out as is; [`strip`] removes it.
        const TABLE: &[Row] = &[
            (0, "PCODES_STATUS_OK\0", "Done.\0", "Готово.\0"),
            $((
                $code,
                concat!(stringify!($c_name), "\0"),
                concat!($en, "\0"),
                concat!($ru, "\0"),
            ),)*
        ];

        // The C constants are literals (cbindgen cannot expand this macro): each must exist with
        // its number. `tests/tables.rs` checks that there are no others.
        #[cfg(feature = "capi")]
        const _: () = {
            use crate::ffi::status::*;
            $(assert!($c_name == $code);)*
        };
    };
}

/// A row of `TABLE`: (code, C name, English message, Russian message).
type Row = (i32, &'static str, &'static str, &'static str);

statuses! {
    /// A required pointer was NULL (C ABI only).
    #[error("a required pointer was NULL")]
    NullArgument = 100 => PCODES_STATUS_NULL_ARGUMENT {
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// The output buffer is too small.
    #[error("output buffer too small")]
    BufferTooSmall = 101 => PCODES_STATUS_BUFFER_TOO_SMALL {
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// Bad UTF-8, an out-of-range setting or parameter.
    #[error("invalid argument")]
    InvalidArgument = 102 => PCODES_STATUS_INVALID_ARGUMENT {
        en: "The request could not be processed. Please check what you entered and try again.",
        ru: "Не удалось обработать запрос. Пожалуйста, проверьте введённые данные и попробуйте ещё раз.",
    },
    /// A master key shorter than 32 or longer than 64 bytes, or a key id over 15.
    #[error("bad key: 32 to 64 bytes and key id 0 to 15 required")]
    BadKey = 103 => PCODES_STATUS_BAD_KEY {
        en: "The service is misconfigured. Please try again later.",
        ru: "Сервис настроен неверно. Пожалуйста, попробуйте позже.",
    },
    /// The code or hash names a key id this context does not hold.
    #[error("unknown key id")]
    UnknownKey = 104 => PCODES_STATUS_UNKNOWN_KEY {
        en: "This code is no longer valid. Please request a new one.",
        ru: "Этот код больше не действует. Пожалуйста, запросите новый.",
    },
    /// The state blob is of the wrong kind, version or length.
    #[error("corrupt state blob")]
    CorruptState = 105 => PCODES_STATUS_CORRUPT_STATE {
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// The child's data lacks a required field.
    #[error("required child data missing")]
    MissingField = 110 => PCODES_STATUS_MISSING_FIELD {
        en: "Some of the child's details are missing. Please fill in the full name, date of birth, sex and SNILS.",
        ru: "Не хватает данных ребёнка. Пожалуйста, укажите ФИО, дату рождения, пол и СНИЛС.",
    },
    /// SNILS is not 11 digits or its control number is wrong.
    #[error("invalid SNILS")]
    InvalidSnils = 111 => PCODES_STATUS_INVALID_SNILS {
        en: "The SNILS number is incorrect. Please check it and enter all 11 digits.",
        ru: "Номер СНИЛС указан неверно. Пожалуйста, проверьте его и введите все 11 цифр.",
    },
    /// Not a real `YYYY-MM-DD` date, or in the future.
    #[error("invalid birth date")]
    InvalidBirthDate = 112 => PCODES_STATUS_INVALID_BIRTH_DATE {
        en: "The date of birth is incorrect. Please check it.",
        ru: "Дата рождения указана неверно. Пожалуйста, проверьте её.",
    },
    /// The PIN is not exactly an allowed number of ASCII digits.
    #[error("PIN has the wrong format")]
    PinFormat = 120 => PCODES_STATUS_PIN_FORMAT {
        en: "The PIN must consist of 4 or 6 digits.",
        ru: "ПИН-код должен состоять из 4 или 6 цифр.",
    },
    /// The PIN and its confirmation differ.
    #[error("PIN and confirmation differ")]
    PinMismatch = 121 => PCODES_STATUS_PIN_MISMATCH {
        en: "The PINs do not match. Please enter the same PIN twice.",
        ru: "ПИН-коды не совпадают. Пожалуйста, введите один и тот же ПИН-код дважды.",
    },
    /// The PIN is on the blocklist, a pattern, or the holder's birth date.
    #[error("PIN is too easy to guess")]
    PinWeak = 122 => PCODES_STATUS_PIN_WEAK {
        en: "This PIN is too easy to guess. Please choose a different one.",
        ru: "Этот ПИН-код слишком легко угадать. Пожалуйста, выберите другой.",
    },
    /// The stored PIN hash string cannot be parsed.
    #[error("malformed PIN hash string")]
    MalformedHash = 123 => PCODES_STATUS_MALFORMED_HASH {
        en: "Something went wrong on our side. Please set your PIN again.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, установите ПИН-код заново.",
    },
    /// The code fails its check symbol, length or alphabet: a typing error.
    #[error("code mistyped")]
    Mistyped = 200 => PCODES_STATUS_MISTYPED {
        en: "The code seems to contain a typo. Please check it and enter it again.",
        ru: "Похоже, в коде опечатка. Пожалуйста, проверьте его и введите ещё раз.",
    },
    /// Well-formed but not the right code (or forged).
    #[error("wrong code")]
    Wrong = 201 => PCODES_STATUS_WRONG {
        en: "The code is incorrect. Please check it and try again.",
        ru: "Код неверный. Пожалуйста, проверьте его и попробуйте ещё раз.",
    },
    /// The code's validity period has passed.
    #[error("code expired")]
    Expired = 202 => PCODES_STATUS_EXPIRED {
        en: "The code has expired. Please request a new one.",
        ru: "Срок действия кода истёк. Пожалуйста, запросите новый.",
    },
    /// A newer code has been issued since this one.
    #[error("code superseded by a newer one")]
    Superseded = 203 => PCODES_STATUS_SUPERSEDED {
        en: "A newer code has been issued. Please use the latest code.",
        ru: "Был выдан более новый код. Пожалуйста, используйте последний полученный код.",
    },
    /// The code was already redeemed (for TOTP: this step was already accepted).
    #[error("code already used")]
    AlreadyUsed = 204 => PCODES_STATUS_ALREADY_USED {
        en: "This code has already been used. Please request a new one.",
        ru: "Этот код уже был использован. Пожалуйста, запросите новый.",
    },
    /// The child's data changed after the code was issued.
    #[error("data changed since the code was issued")]
    DataChanged = 205 => PCODES_STATUS_DATA_CHANGED {
        en: "The child's details have changed since the code was issued. Please get a new code.",
        ru: "Данные ребёнка изменились после выдачи кода. Пожалуйста, получите новый код.",
    },
    /// Too many failures; temporarily locked.
    #[error("temporarily locked after too many failures")]
    Locked = 206 => PCODES_STATUS_LOCKED {
        en: "Too many unsuccessful attempts. Please wait and try again later.",
        ru: "Слишком много неудачных попыток. Пожалуйста, подождите и повторите попытку позже.",
    },
    /// Locked until reset through another channel.
    #[error("blocked until reset")]
    Blocked = 207 => PCODES_STATUS_BLOCKED {
        en: "Access is blocked after too many unsuccessful attempts. Please contact support to unblock it.",
        ru: "Доступ заблокирован из-за слишком большого числа неудачных попыток. Пожалуйста, обратитесь в службу поддержки.",
    },
    /// Resend cooldown or send limit.
    #[error("too soon; retry later")]
    TooSoon = 208 => PCODES_STATUS_TOO_SOON {
        en: "Please wait a little before requesting a new code.",
        ru: "Пожалуйста, подождите немного, прежде чем запрашивать новый код.",
    },
    /// No code is outstanding for this state.
    #[error("no code outstanding")]
    NoChallenge = 209 => PCODES_STATUS_NO_CHALLENGE {
        en: "No code has been requested. Please request a code first.",
        ru: "Код не запрашивался. Пожалуйста, сначала запросите код.",
    },
    /// This code had its allowed wrong attempts; a new one must be requested.
    #[error("attempts for this code exhausted")]
    AttemptsExhausted = 210 => PCODES_STATUS_ATTEMPTS_EXHAUSTED {
        en: "Too many wrong attempts for this code. Please request a new one.",
        ru: "Слишком много неверных попыток для этого кода. Пожалуйста, запросите новый.",
    },
    /// A bug was caught at the boundary.
    #[error("internal error")]
    Internal = 900 => PCODES_STATUS_INTERNAL {
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// The operating system's randomness was unavailable.
    #[error("system randomness unavailable")]
    RngFailure = 901 => PCODES_STATUS_RNG_FAILURE {
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
}

/// `Error::ALL` is in increasing status-code order (so no number is used twice).
const _: () = {
    let mut i = 1;
    while i < Error::ALL.len() {
        assert!(Error::ALL[i - 1].code() < Error::ALL[i].code());
        i += 1;
    }
};

/// `Result` with the crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Language of user-facing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// `"ru"`, `"ru-RU"`, `"ru_RU"` (any case) are Russian; anything else is English.
    #[must_use]
    pub fn from_tag(tag: &str) -> Self {
        let b = tag.as_bytes();
        let ru = b.len() >= 2
            && b[..2].eq_ignore_ascii_case(b"ru")
            && (b.len() == 2 || b[2] == b'-' || b[2] == b'_');
        if ru { Lang::Ru } else { Lang::En }
    }
}

/// The name and messages of any status value, including 0 (OK) and unknown values.
fn row(code: i32) -> Option<&'static Row> {
    TABLE.iter().find(|r| r.0 == code)
}

fn strip(s: &'static str) -> &'static str {
    s.strip_suffix('\0').unwrap_or(s)
}

/// The name of a C status value, NUL-terminated (for the C API).
#[must_use]
pub(crate) fn status_name_nul(code: i32) -> &'static str {
    row(code).map_or("PCODES_STATUS_UNKNOWN\0", |r| r.1)
}

/// The user-facing message, NUL-terminated (for the C API).
#[must_use]
pub(crate) fn status_message_nul(code: i32, lang: Lang) -> &'static str {
    // An unknown value gets INTERNAL's text: "try again later".
    let r = row(code).or_else(|| row(Error::Internal.code())).unwrap_or(&TABLE[0]);
    match lang {
        Lang::Ru => r.3,
        Lang::En => r.2,
    }
}

/// The name of a C status value (`"PCODES_STATUS_EXPIRED"`), or `"PCODES_STATUS_UNKNOWN"`.
#[must_use]
pub fn status_name(code: i32) -> &'static str {
    strip(status_name_nul(code))
}

/// The user-facing message for a C status value; an unknown value gets a generic message.
#[must_use]
pub fn status_message(code: i32, lang: Lang) -> &'static str {
    strip(status_message_nul(code, lang))
}

impl Error {
    /// The C status code (`PCODES_STATUS_*`).
    #[must_use]
    pub const fn code(self) -> i32 {
        self as i32
    }

    /// The error for a C status code; `None` for 0 (OK) and unknown values.
    #[must_use]
    pub fn from_code(code: i32) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.code() == code)
    }

    /// The C name, e.g. `"PCODES_STATUS_EXPIRED"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        status_name(self.code())
    }

    /// A short, polite message for the person, saying what to do next.
    #[must_use]
    pub fn message(self, lang: Lang) -> &'static str {
        status_message(self.code(), lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract's table, value by value.
    #[test]
    fn numeric_values_are_pinned() {
        let expected: [(Error, i32); 26] = [
            (Error::NullArgument, 100),
            (Error::BufferTooSmall, 101),
            (Error::InvalidArgument, 102),
            (Error::BadKey, 103),
            (Error::UnknownKey, 104),
            (Error::CorruptState, 105),
            (Error::MissingField, 110),
            (Error::InvalidSnils, 111),
            (Error::InvalidBirthDate, 112),
            (Error::PinFormat, 120),
            (Error::PinMismatch, 121),
            (Error::PinWeak, 122),
            (Error::MalformedHash, 123),
            (Error::Mistyped, 200),
            (Error::Wrong, 201),
            (Error::Expired, 202),
            (Error::Superseded, 203),
            (Error::AlreadyUsed, 204),
            (Error::DataChanged, 205),
            (Error::Locked, 206),
            (Error::Blocked, 207),
            (Error::TooSoon, 208),
            (Error::NoChallenge, 209),
            (Error::AttemptsExhausted, 210),
            (Error::Internal, 900),
            (Error::RngFailure, 901),
        ];
        for (e, v) in expected {
            assert_eq!(e.code(), v, "{e:?}");
            assert_eq!(Error::from_code(v), Some(e));
        }
        assert_eq!(Error::ALL.len(), expected.len());
        assert_eq!(Error::from_code(0), None);
        assert_eq!(Error::from_code(199), None);
    }

    #[test]
    fn every_status_has_a_name_and_two_messages() {
        assert_eq!(TABLE.len(), Error::ALL.len() + 1);
        for e in Error::ALL {
            let name = e.name();
            assert!(name.starts_with("PCODES_STATUS_"), "{e:?}");
            assert_ne!(name, "PCODES_STATUS_UNKNOWN");
            let en = e.message(Lang::En);
            let ru = e.message(Lang::Ru);
            assert!(en.is_ascii() && en.ends_with('.'), "{e:?}: {en}");
            assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{e:?}: {ru}");
        }
        // The C name matches the variant's name in SCREAMING_SNAKE_CASE.
        assert_eq!(Error::AttemptsExhausted.name(), "PCODES_STATUS_ATTEMPTS_EXHAUSTED");
        assert_eq!(Error::NullArgument.name(), "PCODES_STATUS_NULL_ARGUMENT");
        assert_eq!(status_name(0), "PCODES_STATUS_OK");
        assert_eq!(status_name(-1), "PCODES_STATUS_UNKNOWN");
        assert_eq!(status_name(i32::MAX), "PCODES_STATUS_UNKNOWN");
        assert!(status_message(12345, Lang::Ru).contains("попробуйте"));
    }

    #[test]
    fn expired_tells_to_request_a_new_code() {
        assert!(Error::Expired.message(Lang::En).contains("request a new one"));
        assert!(Error::Expired.message(Lang::Ru).contains("запросите новый"));
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_tag("ru"), Lang::Ru);
        assert_eq!(Lang::from_tag("RU"), Lang::Ru);
        assert_eq!(Lang::from_tag("ru-RU"), Lang::Ru);
        assert_eq!(Lang::from_tag("ru_RU"), Lang::Ru);
        assert_eq!(Lang::from_tag("en"), Lang::En);
        assert_eq!(Lang::from_tag("rus"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
    }
}
