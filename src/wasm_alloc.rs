//! The heap allocator of the wasm build: dlmalloc (what Rust's standard library uses there),
//! with a system layer that grows the wasm memory in large steps (a quarter of its size,
//! between 1 and 64 MiB at a time) instead of 64 KiB at a time.
//!
//! Why: every `memory.grow` makes the JS engine account more external memory and, soon, run a
//! full garbage collection. Loading the large `/registry` sample (≈600 MB over three members)
//! took about ten thousand grows that way, and most of its time went to those collections.
//! Owns: nothing but the allocator. Must not touch: any playground state.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr;

/// wasm's page size.
const PAGE: usize = 64 * 1024;
/// Smallest and largest growth, in pages (1 MiB and 64 MiB).
const MIN_GROW: usize = 16;
const MAX_GROW: usize = 1024;

/// dlmalloc's source of memory: `memory.grow`, geometrically. Memory is never given back
/// (wasm cannot shrink), as with the standard library's.
struct GrowInSteps;

unsafe impl dlmalloc::Allocator for GrowInSteps {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let needed = size.div_ceil(PAGE);
        let current = wasm32::memory_size::<0>();
        let mut pages = needed.max((current / 4).clamp(MIN_GROW, MAX_GROW));
        loop {
            let prev = wasm32::memory_grow::<0>(pages);
            if prev != usize::MAX {
                let base = prev.wrapping_mul(PAGE);
                let len = pages * PAGE;
                // The last bytes of the address space must not be handed out (a pointer may
                // not wrap to 0).
                let len = if base.wrapping_add(len) == 0 {
                    len - 16
                } else {
                    len
                };
                return (base as *mut u8, len, 0);
            }
            if pages <= needed {
                return (ptr::null_mut(), 0, 0);
            }
            pages = needed.max(pages / 2);
        }
    }

    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        PAGE
    }
}

struct Heap(UnsafeCell<dlmalloc::Dlmalloc<GrowInSteps>>);

// SAFETY: the page's wasm runs on one thread (no shared memory, no threads using this heap).
unsafe impl Sync for Heap {}

unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).malloc(layout.size(), layout.align())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).calloc(layout.size(), layout.align())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).free(ptr, layout.size(), layout.align())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}

#[global_allocator]
static HEAP: Heap = Heap(UnsafeCell::new(dlmalloc::Dlmalloc::new_with_allocator(
    GrowInSteps,
)));
