//! Bounds on what one render may produce. Fuel bounds the number of instructions, but one
//! instruction can build a huge value (`s ~ s` doubles a string; `dump` of a list that holds
//! the same list many times grows exponentially), so sizes are bounded too.

use std::cell::Cell;

use minijinja::{Error, ErrorKind};

/// Largest string one operator, filter or method may produce (and the most `dump` or printing
/// a value writes before it stops).
pub const MAX_VALUE_BYTES: usize = 16 * 1024 * 1024;

/// Most items one filter or method may put into a list.
pub const MAX_LIST_ITEMS: usize = 1_000_000;

/// Largest output of one render (one skeleton file, one path, one input string).
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;

/// Most bytes the operators, filters and methods of one render may produce in total, so a
/// loop that rebuilds a large string on every pass stops early.
pub const MAX_WORK_BYTES: usize = 256 * 1024 * 1024;

thread_local! {
    /// Bytes produced so far by the render running on this thread (renders do not nest
    /// across threads, and minijinja runs a render on the calling thread).
    static WORK: Cell<usize> = const { Cell::new(0) };
}

/// Starts the accounting of a new render.
pub(crate) fn reset() {
    WORK.with(|w| w.set(0));
}

fn limit_error(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

/// Records that an operation is about to produce `bytes`; an error (which stops the render)
/// when one value or the render's total would exceed its bound. Call before allocating.
pub(crate) fn charge(bytes: usize) -> Result<(), Error> {
    if bytes > MAX_VALUE_BYTES {
        return Err(limit_error(format!(
            "a value would be {bytes} bytes long, more than the {MAX_VALUE_BYTES}-byte limit for one template value"
        )));
    }
    WORK.with(|w| {
        let total = w.get().saturating_add(bytes);
        w.set(total);
        if total > MAX_WORK_BYTES {
            Err(limit_error(format!(
                "the template builds more than {MAX_WORK_BYTES} bytes of values in one render; simplify the loops that build strings"
            )))
        } else {
            Ok(())
        }
    })
}

/// Like [`charge`] for a list of `items` values.
pub(crate) fn charge_items(items: usize) -> Result<(), Error> {
    if items > MAX_LIST_ITEMS {
        return Err(limit_error(format!(
            "a list would have {items} items, more than the {MAX_LIST_ITEMS}-item limit for one template value"
        )));
    }
    charge(items.saturating_mul(std::mem::size_of::<minijinja::Value>()))
}

/// A writer that refuses to grow past [`MAX_OUTPUT_BYTES`] (minijinja then stops the render
/// with a write failure, which the caller turns into a clear message).
#[derive(Default)]
pub(crate) struct BoundedOutput {
    pub bytes: Vec<u8>,
    pub overflowed: bool,
}

impl std::io::Write for BoundedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.overflowed = true;
            return Err(std::io::Error::other("render output limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
