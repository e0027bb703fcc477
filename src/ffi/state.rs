//! State-blob helpers shared by every flow.

use super::{boundary, bytes, bytes_mut, out, pcodes_status, region_of, region_of_bytes};
use crate::state::STATE_BYTES;

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

#[cfg(test)]
mod tests {
    #[test]
    fn state_bytes() {
        assert_eq!(super::pcodes_state_bytes(), 64);
    }
}
