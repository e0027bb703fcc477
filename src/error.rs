//! The one error type of the crate, mapped 1:1 to the C ABI's status codes.
//!
//! Every variant's discriminant is its `PCODES_STATUS_*` value from the contract; the values are
//! stable and never reused (a test pins each one). `Display` is a short technical sentence in
//! English for logs; [`Error::message`] is the text to show the person, in Russian or English.
//! Neither ever contains a secret, a code or a PIN: errors carry no data at all.

/// Declares every status once: its variant (with its doc and `Display` text), number, C name,
/// class, the one-line meaning the C header and `docs/c-api.md` give, and the two user-facing
/// messages. From the rows come the enum, [`Error::ALL`], [`Error::class`] and the table behind
/// [`status_name`], [`status_message`] and [`status_class`]. The C layer (`src/ffi/status.rs`)
/// has its literal `PCODES_STATUS_*` constants generated from this table and checks itself
/// against it; nothing here knows about the C layer.
macro_rules! statuses {
    ($(
        $(#[$attr:meta])*
        $variant:ident = $code:literal => $c_name:ident, $class:ident {
            c: $c:literal, en: $en:literal, ru: $ru:literal $(,)?
        }
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

            /// Who has to act on it: the developer, the person who typed something, or nobody
            /// but time (a verdict), or it is internal. `docs/c-api.md` lists each status's
            /// class. (A `match`, not a search of the table: every failed C call and every
            /// verdict asks it.)
            #[must_use]
            pub const fn class(self) -> StatusClass {
                match self {
                    $(Error::$variant => StatusClass::$class,)*
                }
            }
        }

        /// One row per status. Index 0 is OK. Every string ends in NUL so that the C API can
        /// hand it out as is; [`strip`] removes it.
        const TABLE: &[Row] = &[
            Row {
                code: 0,
                name: "PCODES_STATUS_OK\0",
                class: StatusClass::Ok,
                c: "success",
                en: "Done.\0",
                ru: "Готово.\0",
            },
            $(Row {
                code: $code,
                name: concat!(stringify!($c_name), "\0"),
                class: StatusClass::$class,
                c: $c,
                en: concat!($en, "\0"),
                ru: concat!($ru, "\0"),
            },)*
        ];
    };
}

/// What kind of outcome a status is: who has to act on it. Stable numbers (`PCODES_CLASS_*` in
/// C, `pcodes_status_class`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(i32)]
pub enum StatusClass {
    /// `OK`.
    Ok = 0,
    /// The calling code passed something the function refuses (a NULL, a small buffer, a bad
    /// key or state blob, …): a bug to fix. Always comes with a developer detail
    /// ([`crate::diag`]).
    DeveloperError = 1,
    /// What a person typed (a PIN, a child's data) fails a check: ask them to correct it.
    DataCheck = 2,
    /// A verdict about a code or PIN (`WRONG`, `EXPIRED`, `LOCKED`, …): never a detail.
    Verdict = 3,
    /// Something failed inside the library or the system: try again later, report a bug.
    Internal = 4,
}

impl StatusClass {
    /// Every class, in number order.
    pub const ALL: [StatusClass; 5] = [
        StatusClass::Ok,
        StatusClass::DeveloperError,
        StatusClass::DataCheck,
        StatusClass::Verdict,
        StatusClass::Internal,
    ];

    /// The C value (`PCODES_CLASS_*`).
    #[must_use]
    pub const fn code(self) -> i32 {
        self as i32
    }
}

/// A row of `TABLE`.
struct Row {
    code: i32,
    /// `PCODES_STATUS_*`, NUL-terminated.
    name: &'static str,
    class: StatusClass,
    /// The one-line meaning of the C header and `docs/c-api.md` (no NUL; generated into both).
    #[cfg_attr(not(all(test, feature = "capi")), allow(dead_code))]
    c: &'static str,
    /// English message, NUL-terminated.
    en: &'static str,
    /// Russian message, NUL-terminated.
    ru: &'static str,
}

statuses! {
    /// A required pointer was NULL (C ABI only).
    #[error("a required pointer was NULL")]
    NullArgument = 100 => PCODES_STATUS_NULL_ARGUMENT, DeveloperError {
        c: "a required pointer was NULL",
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// The output buffer is too small.
    #[error("output buffer too small")]
    BufferTooSmall = 101 => PCODES_STATUS_BUFFER_TOO_SMALL, DeveloperError {
        c: "an output buffer is too small (nothing written)",
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// Bad UTF-8, an out-of-range setting or parameter.
    #[error("invalid argument")]
    InvalidArgument = 102 => PCODES_STATUS_INVALID_ARGUMENT, DeveloperError {
        c: "bad UTF-8, a value out of range (also `now`), a buffer length above `PTRDIFF_MAX`, overlapping buffers, a context configured after its first use",
        en: "The request could not be processed. Please check what you entered and try again.",
        ru: "Не удалось обработать запрос. Пожалуйста, проверьте введённые данные и попробуйте ещё раз.",
    },
    /// A master key shorter than 32 or longer than 64 bytes, or a key id over 15.
    #[error("bad key: 32 to 64 bytes and key id 0 to 15 required")]
    BadKey = 103 => PCODES_STATUS_BAD_KEY, DeveloperError {
        c: "a master key not 32–64 bytes, or a key id over 15",
        en: "The service is misconfigured. Please try again later.",
        ru: "Сервис настроен неверно. Пожалуйста, попробуйте позже.",
    },
    /// The code or hash names a key id this context does not hold.
    #[error("unknown key id")]
    UnknownKey = 104 => PCODES_STATUS_UNKNOWN_KEY, DeveloperError {
        c: "the code or hash names a key id the context does not hold",
        en: "This code is no longer valid. Please request a new one.",
        ru: "Этот код больше не действует. Пожалуйста, запросите новый.",
    },
    /// The state blob is of the wrong kind, version or length.
    #[error("corrupt state blob")]
    CorruptState = 105 => PCODES_STATUS_CORRUPT_STATE, DeveloperError {
        c: "a state blob of another flow, version or length, or with bytes its flow never writes (left unchanged)",
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// The child's data lacks a required field.
    #[error("required child data missing")]
    MissingField = 110 => PCODES_STATUS_MISSING_FIELD, DataCheck {
        c: "the child's data lacks a field (`pcodes_child_check` says which)",
        en: "Some of the child's details are missing. Please fill in the full name, date of birth, sex and SNILS.",
        ru: "Не хватает данных ребёнка. Пожалуйста, укажите ФИО, дату рождения, пол и СНИЛС.",
    },
    /// SNILS is not 11 digits or its control number is wrong.
    #[error("invalid SNILS")]
    InvalidSnils = 111 => PCODES_STATUS_INVALID_SNILS, DataCheck {
        c: "a SNILS that is not 11 digits, or has a wrong control number",
        en: "The SNILS number is incorrect. Please check it and enter all 11 digits.",
        ru: "Номер СНИЛС указан неверно. Пожалуйста, проверьте его и введите все 11 цифр.",
    },
    /// Not a real `YYYY-MM-DD` date, or in the future.
    #[error("invalid birth date")]
    InvalidBirthDate = 112 => PCODES_STATUS_INVALID_BIRTH_DATE, DataCheck {
        c: "a birth date that is not a real `YYYY-MM-DD`, or is in the future",
        en: "The date of birth is incorrect. Please check it.",
        ru: "Дата рождения указана неверно. Пожалуйста, проверьте её.",
    },
    /// The PIN is not exactly an allowed number of ASCII digits.
    #[error("PIN has the wrong format")]
    PinFormat = 120 => PCODES_STATUS_PIN_FORMAT, DataCheck {
        c: "a PIN that is not an allowed number of ASCII digits",
        en: "The PIN must consist of 4 or 6 digits.",
        ru: "ПИН-код должен состоять из 4 или 6 цифр.",
    },
    /// The PIN and its confirmation differ.
    #[error("PIN and confirmation differ")]
    PinMismatch = 121 => PCODES_STATUS_PIN_MISMATCH, DataCheck {
        c: "PIN and confirmation differ",
        en: "The PINs do not match. Please enter the same PIN twice.",
        ru: "ПИН-коды не совпадают. Пожалуйста, введите один и тот же ПИН-код дважды.",
    },
    /// The PIN is on the blocklist, a pattern, or the holder's birth date.
    #[error("PIN is too easy to guess")]
    PinWeak = 122 => PCODES_STATUS_PIN_WEAK, DataCheck {
        c: "a PIN on the blocklist, a pattern, or the birth date",
        en: "This PIN is too easy to guess. Please choose a different one.",
        ru: "Этот ПИН-код слишком легко угадать. Пожалуйста, выберите другой.",
    },
    /// The stored PIN hash string cannot be parsed.
    #[error("malformed PIN hash string")]
    MalformedHash = 123 => PCODES_STATUS_MALFORMED_HASH, DeveloperError {
        c: "a stored PIN hash that cannot be parsed",
        en: "Something went wrong on our side. Please set your PIN again.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, установите ПИН-код заново.",
    },
    /// The code fails its check symbol, length or alphabet: a typing error.
    #[error("code mistyped")]
    Mistyped = 200 => PCODES_STATUS_MISTYPED, Verdict {
        c: "a typing error (length, alphabet, check symbol); never counted",
        en: "The code seems to contain a typo. Please check it and enter it again.",
        ru: "Похоже, в коде опечатка. Пожалуйста, проверьте его и введите ещё раз.",
    },
    /// Well-formed but not the right code (or forged).
    #[error("wrong code")]
    Wrong = 201 => PCODES_STATUS_WRONG, Verdict {
        c: "well-formed but not the code; counted",
        en: "The code is incorrect. Please check it and try again.",
        ru: "Код неверный. Пожалуйста, проверьте его и попробуйте ещё раз.",
    },
    /// The code's validity period has passed.
    #[error("code expired")]
    Expired = 202 => PCODES_STATUS_EXPIRED, Verdict {
        c: "the validity period is over",
        en: "The code has expired. Please request a new one.",
        ru: "Срок действия кода истёк. Пожалуйста, запросите новый.",
    },
    /// A newer code has been issued since this one.
    #[error("code superseded by a newer one")]
    Superseded = 203 => PCODES_STATUS_SUPERSEDED, Verdict {
        c: "a newer code was issued",
        en: "A newer code has been issued. Please use the latest code.",
        ru: "Был выдан более новый код. Пожалуйста, используйте последний полученный код.",
    },
    /// The code was already redeemed (for TOTP: this step was already accepted).
    #[error("code already used")]
    AlreadyUsed = 204 => PCODES_STATUS_ALREADY_USED, Verdict {
        c: "the code (or TOTP step) was already accepted",
        en: "This code has already been used. Please request a new one.",
        ru: "Этот код уже был использован. Пожалуйста, запросите новый.",
    },
    /// The child's data changed after the code was issued.
    #[error("data changed since the code was issued")]
    DataChanged = 205 => PCODES_STATUS_DATA_CHANGED, Verdict {
        c: "the child's data changed after the code was issued",
        en: "The child's details have changed since the code was issued. Please get a new code.",
        ru: "Данные ребёнка изменились после выдачи кода. Пожалуйста, получите новый код.",
    },
    /// Too many failures; temporarily locked.
    #[error("temporarily locked after too many failures")]
    Locked = 206 => PCODES_STATUS_LOCKED, Verdict {
        c: "too many failures; see `pcodes_state_retry_at`",
        en: "Too many unsuccessful attempts. Please wait and try again later.",
        ru: "Слишком много неудачных попыток. Пожалуйста, подождите и повторите попытку позже.",
    },
    /// Locked until reset through another channel.
    #[error("blocked until reset")]
    Blocked = 207 => PCODES_STATUS_BLOCKED, Verdict {
        c: "locked until `pcodes_state_reset`",
        en: "Access is blocked after too many unsuccessful attempts. Please contact support to unblock it.",
        ru: "Доступ заблокирован из-за слишком большого числа неудачных попыток. Пожалуйста, обратитесь в службу поддержки.",
    },
    /// Resend cooldown or send limit.
    #[error("too soon; retry later")]
    TooSoon = 208 => PCODES_STATUS_TOO_SOON, Verdict {
        c: "resend cooldown or hourly send limit; see `pcodes_state_retry_at`",
        en: "Please wait a little before requesting a new code.",
        ru: "Пожалуйста, подождите немного, прежде чем запрашивать новый код.",
    },
    /// No code is outstanding for this state.
    #[error("no code outstanding")]
    NoChallenge = 209 => PCODES_STATUS_NO_CHALLENGE, Verdict {
        c: "nothing is outstanding for this state",
        en: "No code has been requested. Please request a code first.",
        ru: "Код не запрашивался. Пожалуйста, сначала запросите код.",
    },
    /// This code had its allowed wrong attempts; a new one must be requested.
    #[error("attempts for this code exhausted")]
    AttemptsExhausted = 210 => PCODES_STATUS_ATTEMPTS_EXHAUSTED, Verdict {
        c: "this code had its wrong tries; request a new one",
        en: "Too many wrong attempts for this code. Please request a new one.",
        ru: "Слишком много неверных попыток для этого кода. Пожалуйста, запросите новый.",
    },
    /// The device token is not a token for this account: malformed, forged or altered, or
    /// issued for another account (`crate::device`).
    #[error("device token not valid for this account")]
    DeviceUntrusted = 220 => PCODES_STATUS_DEVICE_UNTRUSTED, Verdict {
        c: "the device token is malformed, forged, or for another account; not counted",
        en: "This device is not recognised. Please sign in as usual.",
        ru: "Это устройство не распознано. Пожалуйста, войдите как обычно.",
    },
    /// The device token was issued before the account's trusted devices were revoked.
    #[error("device token revoked")]
    DeviceRevoked = 221 => PCODES_STATUS_DEVICE_REVOKED, Verdict {
        c: "the account's trusted devices were revoked after this token was issued; not counted",
        en: "This device is no longer trusted. Please sign in as usual.",
        ru: "Это устройство больше не считается доверенным. Пожалуйста, войдите как обычно.",
    },
    /// A bug was caught at the boundary.
    #[error("internal error")]
    Internal = 900 => PCODES_STATUS_INTERNAL, Internal {
        c: "a bug caught at the boundary",
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// The operating system's randomness was unavailable.
    #[error("system randomness unavailable")]
    RngFailure = 901 => PCODES_STATUS_RNG_FAILURE, Internal {
        c: "the operating system's randomness was unavailable",
        en: "Something went wrong on our side. Please try again later.",
        ru: "Что-то пошло не так на нашей стороне. Пожалуйста, попробуйте позже.",
    },
    /// The host's external pepper (HSM, KMS: [`crate::pin::Pepper`]) failed; nothing was decided.
    #[error("external pepper device failed")]
    PepperFailed = 902 => PCODES_STATUS_PEPPER_FAILED, Internal {
        c: "the host's pepper callback (HSM, KMS) failed; no verdict, not counted",
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
    TABLE.iter().find(|r| r.code == code)
}

fn strip(s: &'static str) -> &'static str {
    s.strip_suffix('\0').unwrap_or(s)
}

/// The name of a C status value, NUL-terminated (for the C API).
#[must_use]
pub(crate) fn status_name_nul(code: i32) -> &'static str {
    row(code).map_or("PCODES_STATUS_UNKNOWN\0", |r| r.name)
}

/// The user-facing message, NUL-terminated (for the C API).
#[must_use]
pub(crate) fn status_message_nul(code: i32, lang: Lang) -> &'static str {
    // An unknown value gets INTERNAL's text: "try again later".
    let r = row(code).or_else(|| row(Error::Internal.code())).unwrap_or(&TABLE[0]);
    match lang {
        Lang::Ru => r.ru,
        Lang::En => r.en,
    }
}

/// The name of a C status value (`"PCODES_STATUS_EXPIRED"`), or `"PCODES_STATUS_UNKNOWN"`.
#[must_use]
pub fn status_name(code: i32) -> &'static str {
    strip(status_name_nul(code))
}

/// The class of a C status value (0 is [`StatusClass::Ok`]); `None` for unknown values.
#[must_use]
pub fn status_class(code: i32) -> Option<StatusClass> {
    row(code).map(|r| r.class)
}

/// The one-line meaning the C header and `docs/c-api.md` state for a status value (generated
/// into both by `src/ffi/tables.rs`).
#[cfg(all(test, feature = "capi"))]
pub(crate) fn status_meaning(code: i32) -> Option<&'static str> {
    row(code).map(|r| r.c)
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
        let expected: [(Error, i32); 29] = [
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
            (Error::DeviceUntrusted, 220),
            (Error::DeviceRevoked, 221),
            (Error::Internal, 900),
            (Error::RngFailure, 901),
            (Error::PepperFailed, 902),
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

    /// Verdicts are exactly the 2xx statuses, developer errors and data checks are 1xx, the
    /// internal ones 9xx.
    #[test]
    fn classes_follow_the_number_ranges() {
        assert_eq!(status_class(0), Some(StatusClass::Ok));
        assert_eq!(status_class(-1), None);
        assert_eq!(status_class(199), None);
        for e in Error::ALL {
            let c = e.code();
            let want = match e.class() {
                StatusClass::Verdict => (200..300).contains(&c),
                StatusClass::DeveloperError | StatusClass::DataCheck => (100..200).contains(&c),
                StatusClass::Internal => (900..1000).contains(&c),
                _ => false,
            };
            assert!(want, "{e:?} is {:?}", e.class());
        }
        assert_eq!(Error::MalformedHash.class(), StatusClass::DeveloperError);
        assert_eq!(Error::PinFormat.class(), StatusClass::DataCheck);
        for (i, c) in StatusClass::ALL.iter().enumerate() {
            assert_eq!(c.code(), i32::try_from(i).unwrap());
        }
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
