//! State-blob helpers shared by every flow.

use super::ctx::{ctx_ref, pcodes_ctx};
use super::{boundary, bytes, bytes_mut, out, pcodes_status, region_of, region_of_bytes};
use crate::state::{self, STATE_BYTES};

/// Size of every state blob, in bytes.
pub const PCODES_STATE_BYTES: usize = 64;
const _: () = assert!(PCODES_STATE_BYTES == STATE_BYTES);

/// `PCODES_STATE_BYTES` as a function (JNA cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_state_bytes() -> usize {
    PCODES_STATE_BYTES
}

/// When the holder of this state may try again, in unix seconds: 0 if not waiting (also for a
/// fresh all-zero blob), `UINT64_MAX` if blocked until `pcodes_state_reset`, otherwise the later
/// of the lock's end and the flow's own wait (for SMS codes: the earliest next send).
///
/// Returns `NULL_ARGUMENT`, `CORRUPT_STATE` (wrong length or not a valid blob of any kind),
/// `INVALID_ARGUMENT` (`retry_at_out` overlaps the blob).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_state_retry_at(
    state: *const u8,
    state_len: usize,
    now: u64,
    retry_at_out: *mut u64,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a readable blob of `state_len` bytes.
        let st = unsafe { bytes(state, state_len, arg!(state, state_len)) }?;
        no_overlap!(writes: [retry_at_out: region_of(retry_at_out)], reads: [state: region_of_bytes(st)])?;
        // SAFETY: caller passes a writable u64, disjoint from the blob (checked above).
        let o = unsafe { out(retry_at_out, arg!(retry_at_out)) }?;
        *o = crate::state::retry_at(st, now)?;
        Ok(())
    })
}

/// Clears the failure count and any lock, including `BLOCKED`, and the guess budget of
/// `PCODES_SETTING_BUDGET_GUESSES` (for a support desk or another channel that has
/// re-established who the person is). The flow's own data is kept. A fresh blob stays all zeros.
///
/// Returns `NULL_ARGUMENT`, `CORRUPT_STATE` (blob left unchanged).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_state_reset(state: *mut u8, state_len: usize) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a writable blob of `state_len` bytes.
        let st = unsafe { bytes_mut(state, state_len, arg!(state, state_len)) }?;
        crate::state::reset(st)
    })
}

/// `pcodes_state_revoke` flag: outstanding SMS/e-mail codes (with the code each replaced) and
/// link codes die.
pub const PCODES_REVOKE_CODES: u32 = 1;
const _: () = assert!(PCODES_REVOKE_CODES == state::REVOKE_CODES);
/// `pcodes_state_revoke` flag: the account's recovery-code set dies.
pub const PCODES_REVOKE_RECOVERY: u32 = 2;
const _: () = assert!(PCODES_REVOKE_RECOVERY == state::REVOKE_RECOVERY);
/// `pcodes_state_revoke` flag: every trusted device of the account (a device blob's generation
/// goes up by one, as `pcodes_device_revoke_all` does; each call kills the tokens issued before
/// it).
pub const PCODES_REVOKE_DEVICES: u32 = 4;
const _: () = assert!(PCODES_REVOKE_DEVICES == state::REVOKE_DEVICES);

/// Kills, in one blob of any kind, what `what` names (`PCODES_REVOKE_CODES`,
/// `PCODES_REVOKE_RECOVERY`, or both): afterwards the flow answers `NO_CHALLENGE` (not counted)
/// to every code it had outstanding, until it issues again. The failures, lock, block, the SMS
/// resend cooldown and send history, the TOTP/HOTP replay counters and the link issue number
/// are kept; PIN, TOTP and HOTP blobs, and the fresh blob, stay as they are. After a password
/// reset, a recovery or a phone-number change, apply it to every blob of the account and store
/// them all in one transaction with compare-and-swap: the revocation counts only once every
/// one of those writes succeeded (docs/revoke.md).
///
/// With `PCODES_REVOKE_DEVICES`, a device blob's generation goes up by one: every device token
/// issued before is `DEVICE_REVOKED` from then on.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (`what` is 0 or has a bit other than the three
/// flags), `CORRUPT_STATE` (the blob is left unchanged).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_state_revoke(state: *mut u8, state_len: usize, what: u32) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a writable blob of `state_len` bytes.
        let st = unsafe { bytes_mut(state, state_len, arg!(state, state_len)) }?;
        state::revoke(st, what)
    })
}

/// `pcodes_events.flags` bit: a failure was counted (`failures_left` tells how many more bring
/// the next lock or block).
pub const PCODES_EVENT_FAILURE_COUNTED: u32 = 1;
/// `pcodes_events.flags` bit: a lock started (`locked_until` tells until when).
pub const PCODES_EVENT_LOCK_STARTED: u32 = 2;
/// `pcodes_events.flags` bit: the blob became blocked (until `pcodes_state_reset`).
pub const PCODES_EVENT_BLOCKED: u32 = 4;
/// `pcodes_events.flags` bit: counted failures, a lock or a block were cleared (by a success or
/// `pcodes_state_reset`).
pub const PCODES_EVENT_CLEARED: u32 = 8;
/// `pcodes_events.flags` bit: a recovery code was used (`recovery_left` tells how many are left).
pub const PCODES_EVENT_RECOVERY_USED: u32 = 16;
/// `pcodes_events.flags` bit: a new device was trusted, i.e. `pcodes_device_issue` issued a
/// device token (`trusted_at` tells when); seen between two device blobs.
pub const PCODES_EVENT_DEVICE_TRUSTED: u32 = 32;
const _: () = assert!(
    PCODES_EVENT_FAILURE_COUNTED == state::EVENT_FAILURE_COUNTED
        && PCODES_EVENT_LOCK_STARTED == state::EVENT_LOCK_STARTED
        && PCODES_EVENT_BLOCKED == state::EVENT_BLOCKED
        && PCODES_EVENT_CLEARED == state::EVENT_CLEARED
        && PCODES_EVENT_RECOVERY_USED == state::EVENT_RECOVERY_USED
        && PCODES_EVENT_DEVICE_TRUSTED == state::EVENT_DEVICE_TRUSTED
);

/// What a call did to a flow's protection (`pcodes_state_events`). Each number is meaningful
/// only with its flag, and 0 without it.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct pcodes_events {
    /// `PCODES_EVENT_*` bits; 0 = nothing happened to the protection.
    pub flags: u32,
    /// With `PCODES_EVENT_FAILURE_COUNTED`: counted failures that bring the next lock or block
    /// (the one that reaches it included); 0 once blocked.
    pub failures_left: u32,
    /// With `PCODES_EVENT_LOCK_STARTED`: unix seconds at which the lock ends.
    pub locked_until: u64,
    /// With `PCODES_EVENT_RECOVERY_USED`: codes of the set left unused.
    pub recovery_left: u32,
    /// Zero.
    pub reserved: u32,
    /// With `PCODES_EVENT_DEVICE_TRUSTED`: unix seconds at which the device token was issued.
    pub trusted_at: u64,
}

/// Writes to `*events_out` what the call that turned the blob `old_state` into `new_state` at
/// `now` (that call's `now`, with that call's context `ctx`, whose lockout settings give
/// `failures_left`) did to the flow's protection: a failure counted, a lock started, a block,
/// a clear, a recovery code used, a device trusted. Both blobs are of the same flow; either may
/// be the all-zero fresh blob. It reads only the blobs' headers and payloads (no key, no code);
/// compute it from the blob the call read and the blob whose compare-and-swap succeeded (an
/// event is real only once that write went through). For a PIN verified in two phases, pass the
/// blob before `pcodes_pin_verify_begin` and the one after `_finish` / `_apply` (`begin` counts
/// every attempt in advance). docs/revoke.md has the table of events and the notices a portal
/// sends.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (`now` out of range, blobs of two different
/// flows, `events_out` overlapping an input), `CORRUPT_STATE` (either blob); `*events_out` is
/// written only on `OK`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_state_events(
    ctx: *const pcodes_ctx,
    old_state: *const u8,
    old_state_len: usize,
    new_state: *const u8,
    new_state_len: usize,
    now: u64,
    events_out: *mut pcodes_events,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a context from `pcodes_ctx_new` (or NULL).
        let c = unsafe { ctx_ref(ctx) }?;
        // SAFETY: caller passes readable blobs of the given lengths (or NULL).
        let old = unsafe { bytes(old_state, old_state_len, arg!(old_state, old_state_len)) }?;
        // SAFETY: as above.
        let new = unsafe { bytes(new_state, new_state_len, arg!(new_state, new_state_len)) }?;
        no_overlap!(
            writes: [events_out: region_of(events_out)],
            reads: [ctx: region_of(ctx), old_state: region_of_bytes(old), new_state: region_of_bytes(new)],
        )?;
        let e = state::events(c, old, new, now)?;
        // SAFETY: caller passes a writable `pcodes_events`, disjoint from the inputs (checked).
        let o = unsafe { out(events_out, arg!(events_out)) }?;
        *o = pcodes_events {
            flags: e.flags,
            failures_left: e.failures_left,
            locked_until: e.locked_until,
            recovery_left: e.recovery_left,
            reserved: 0,
            trusted_at: e.trusted_at,
        };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn state_bytes() {
        assert_eq!(super::pcodes_state_bytes(), 64);
    }
}
