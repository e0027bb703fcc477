//! Key material is wiped when a context is freed (`pcodes_ctx_free`, or dropping a boxed
//! `Context`).
//!
//! How: this test binary's global allocator forwards to the system allocator, except that when
//! the one block under watch is freed it first copies the block's bytes. Freeing a `Box` runs the
//! destructors (`HmacKey`'s `Drop` zeroizes its chaining states) and only then calls `dealloc`,
//! and `dealloc` runs before the system allocator gets the memory back, so the copy is exactly
//! what the library left behind: nothing can have reused or overwritten the block in between,
//! and reading it is reading memory the process still owns. Because it is the compiled library
//! that runs, the test also shows that the wipe was not optimised away as a dead store before
//! the free.
//!
//! What to look for is computed without knowing the context's layout: a separate `Context`
//! built through the Rust API from the same master keys holds byte-identical derived keys
//! (derivation is deterministic), and the in-memory bytes of each of its `HmacKey`s are the
//! pattern. The test first checks that every pattern *is* in the live context (so the search
//! can fail) and that the master key itself is not stored, then that no 16-byte piece of any of
//! them survives the free.
#![cfg(feature = "capi")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use portal_codes::Purpose;
use portal_codes::context::Context;
use portal_codes::ffi::ctx::{pcodes_ctx, pcodes_ctx_add_key, pcodes_ctx_free, pcodes_ctx_new};

struct Inspecting;

/// Address of the block whose bytes are copied when it is freed (0 = none).
static WATCH: AtomicUsize = AtomicUsize::new(0);
/// The copy; its capacity is reserved before the watched block is freed, so `dealloc` never
/// allocates.
static FREED: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// One watched free at a time.
static SERIAL: Mutex<()> = Mutex::new(());

// SAFETY: every call is forwarded unchanged to `System`; `dealloc` additionally reads the block
// it is given, which is valid for `layout.size()` bytes until it is passed on.
unsafe impl GlobalAlloc for Inspecting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr as usize == WATCH.load(Ordering::SeqCst)
            && WATCH.compare_exchange(ptr as usize, 0, Ordering::SeqCst, Ordering::SeqCst).is_ok()
        {
            // SAFETY: `ptr` is a live block of `layout.size()` bytes (we have not freed it yet).
            let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            let mut f = FREED.lock().unwrap();
            assert!(f.capacity() >= bytes.len(), "reserve enough before freeing");
            f.clear();
            f.extend_from_slice(bytes); // within capacity: no allocation
        }
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Inspecting = Inspecting;

const MASTER_A: [u8; 32] = *b"zeroize-test master key A 32 byt";
const MASTER_B: [u8; 48] = *b"zeroize-test master key B, forty-eight bytes lng";

/// The in-memory bytes of every derived key of `reference` (ids 0 and 5, all purposes).
fn key_patterns(reference: &Context) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for p in [Purpose::Link, Purpose::Pin, Purpose::Otp] {
        for id in [0, 5] {
            let k = reference.keys().get(p, id).unwrap();
            // SAFETY: reading the bytes of a live, initialised value through a shared reference.
            let bytes =
                unsafe { std::slice::from_raw_parts(std::ptr::from_ref(k).cast::<u8>(), size_of_val(k)) };
            assert!(bytes.len() >= 32 && bytes.iter().any(|&b| b != 0));
            out.push(bytes.to_vec());
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Watches `ptr` (a block of `size` bytes holding the keys of `patterns`), frees it with
/// `free`, and checks what was left behind.
fn check_wiped(what: &str, ptr: *const u8, size: usize, patterns: &[Vec<u8>], free: impl FnOnce()) {
    // SAFETY: `ptr` is a live block of `size` bytes that nothing mutates during this read.
    let live = unsafe { std::slice::from_raw_parts(ptr, size) }.to_vec();
    for p in patterns {
        assert!(contains(&live, p), "{what}: a derived key is not where the test looks for it");
    }
    assert!(!contains(&live, &MASTER_A) && !contains(&live, &MASTER_B[..32]), "{what}: master key stored");

    FREED.lock().unwrap().reserve(size);
    WATCH.store(ptr as usize, Ordering::SeqCst);
    free();
    assert_eq!(WATCH.load(Ordering::SeqCst), 0, "{what}: the block was not freed");
    let freed = FREED.lock().unwrap().clone();
    assert_eq!(freed.len(), size, "{what}");
    for p in patterns {
        for piece in p.chunks(16) {
            let pos = freed.windows(piece.len()).position(|w| w == piece);
            assert!(pos.is_none(), "{what}: key material survived the free at offset {pos:?} of {size}");
        }
    }
}

#[test]
fn key_material_is_zeroized_when_a_context_is_freed() {
    let _one = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut reference = Context::new(&MASTER_A, 0).unwrap();
    reference.add_key(&MASTER_B, 5).unwrap();
    let patterns = key_patterns(&reference);

    // Through the C ABI, as a C host does it. Building a context first leaves copies of its
    // derived keys in dead stack memory, where the next context's construction may pick them up
    // into bytes its destructor never visits (the unused payload of empty key slots).
    drop(std::hint::black_box(Box::new(reference.clone())));
    let mut ctx: *mut pcodes_ctx = std::ptr::null_mut();
    // SAFETY: valid key buffers and out slot; the context is freed once, by `check_wiped`.
    unsafe {
        assert_eq!(pcodes_ctx_new(MASTER_A.as_ptr(), 32, 0, &raw mut ctx), 0);
        assert_eq!(pcodes_ctx_add_key(ctx, MASTER_B.as_ptr(), 48, 5), 0);
    }
    let size = size_of::<pcodes_ctx>();
    // SAFETY: `ctx` came from `pcodes_ctx_new` and is freed exactly once here.
    check_wiped("pcodes_ctx_free", ctx.cast(), size, &patterns, || unsafe { pcodes_ctx_free(ctx) });
}

/// Dropping a boxed `Context` through the Rust API. This failed while the keyring was an
/// `[Option<Slot>; 16]`: the payload bytes of empty (`None`) slots are never visited by a
/// destructor, and moves (e.g. `Box::new(ctx.clone())`) copied stale stack bytes, including
/// derived keys, into them. The keyring now stores `[Slot; 16]` plus a bitmask of present ids,
/// so every byte belongs to a value that zeroizes on drop.
#[test]
fn key_material_is_zeroized_when_a_boxed_context_is_dropped() {
    let _one = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut reference = Context::new(&MASTER_A, 0).unwrap();
    reference.add_key(&MASTER_B, 5).unwrap();
    let patterns = key_patterns(&reference);
    let boxed = Box::new(reference.clone());
    let p = std::ptr::from_ref::<Context>(&boxed).cast::<u8>();
    check_wiped("drop(Box<Context>)", p, size_of::<Context>(), &patterns, || drop(boxed));
}
