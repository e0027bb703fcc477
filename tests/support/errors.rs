//! The errors each function documents in its `# Errors` section, shared by the property tests
//! (`checks/tests/props/`) and the fuzz targets (`fuzz/fuzz_targets/common.rs` includes this file):
//! a result outside its list is a bug.

use portal_codes::Error;

pub const REDEEM_ERRORS: &[Error] = &[
    Error::InvalidArgument,
    Error::NoChallenge,
    Error::CorruptState,
    Error::Blocked,
    Error::Locked,
    Error::Mistyped,
    Error::UnknownKey,
    Error::Wrong,
    Error::DataChanged,
    Error::Superseded,
    Error::AlreadyUsed,
    Error::Expired,
];

pub const LINK_ISSUE_ERRORS: &[Error] = &[
    Error::CorruptState,
    Error::InvalidArgument,
    Error::MissingField,
    Error::InvalidBirthDate,
    Error::InvalidSnils,
];

pub const OTP_VERIFY_ERRORS: &[Error] = &[
    Error::InvalidArgument,
    Error::CorruptState,
    Error::Locked,
    Error::Blocked,
    Error::NoChallenge,
    Error::Mistyped,
    Error::UnknownKey,
    Error::AlreadyUsed,
    Error::Expired,
    Error::AttemptsExhausted,
    Error::Superseded,
    Error::Wrong,
];

pub const OTP_ISSUE_ERRORS: &[Error] =
    &[Error::InvalidArgument, Error::CorruptState, Error::Locked, Error::Blocked, Error::TooSoon];

pub const TOTP_VERIFY_ERRORS: &[Error] = &[
    Error::InvalidArgument,
    Error::CorruptState,
    Error::Blocked,
    Error::Locked,
    Error::Mistyped,
    Error::AlreadyUsed,
    Error::Wrong,
];

pub const PIN_VERIFY_ERRORS: &[Error] = &[
    Error::InvalidArgument,
    Error::CorruptState,
    Error::Locked,
    Error::Blocked,
    Error::MalformedHash,
    Error::UnknownKey,
    Error::PinFormat,
    Error::Wrong,
];

pub const CHILD_ERRORS: &[Error] =
    &[Error::MissingField, Error::InvalidBirthDate, Error::InvalidArgument, Error::InvalidSnils];

pub const RECOVERY_VERIFY_ERRORS: &[Error] = &[
    Error::InvalidArgument,
    Error::CorruptState,
    Error::MalformedHash,
    Error::UnknownKey,
    Error::Locked,
    Error::Blocked,
    Error::NoChallenge,
    Error::Superseded,
    Error::Mistyped,
    Error::Wrong,
    Error::AlreadyUsed,
];

pub const RECOVERY_GENERATE_ERRORS: &[Error] = &[Error::InvalidArgument, Error::CorruptState];

/// `device::check` (and the token step of `device::pin_verify`).
pub const DEVICE_CHECK_ERRORS: &[Error] = &[
    Error::InvalidArgument,
    Error::CorruptState,
    Error::DeviceUntrusted,
    Error::UnknownKey,
    Error::DeviceRevoked,
    Error::Expired,
];
