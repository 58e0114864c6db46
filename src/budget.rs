//! Bounds on what one evaluation of content-supplied minijinja code may do: a scaffold
//! render (a skeleton file, a path, a step input) or a scorecard `expr` check. Both run
//! untrusted text, so both get the environment of [`bounded_environment`] and the limits
//! below. Fuel bounds the number of instructions, but one instruction can build a huge value
//! (`s ~ s` doubles a string; `dump` of a list that holds the same list many times grows
//! exponentially), so sizes are bounded too.

use std::cell::Cell;

use minijinja::{Environment, Error, ErrorKind};

/// Upper bound on executed template instructions per render (minijinja fuel):
/// stops runaway loops such as `{% for i in range(1000000000) %}`. Generous:
/// a large skeleton file with loops uses a few thousand.
pub const FUEL_LIMIT: u64 = 50_000_000;

/// Fuel of one scorecard `expr` evaluation. minijinja charges one fuel per instruction and
/// per 64 bytes of strings and list slots an operator, filter or literal produces (checked
/// before a large allocation), so this is [`MAX_WORK_BYTES`] of values, the same bound as a
/// render's work. An expression has no loops: a real one uses a few dozen fuel.
pub const EXPRESSION_FUEL: u64 = (MAX_WORK_BYTES / 64) as u64;

/// Maximum nesting of template recursion (macros calling macros, nested loops).
pub const RECURSION_LIMIT: usize = 200;

/// Most tokens (words and punctuation marks) one `${{ }}`, `{% %}` or scorecard `expr` may
/// hold. A chain such as `a + a + … + a` parses into a tree as deep as it is long, and
/// compiling, rendering and dropping that tree recurse once per level; a real expression has
/// a few dozen tokens.
pub const MAX_EXPRESSION_TOKENS: usize = 1_000;

/// Deepest nesting of calls, parentheses and brackets an expression may have once rewritten
/// for minijinja (`a + b + c` becomes `__nj_add(__nj_add(a, b), c)`: one level per operator).
/// minijinja's parser recurses several frames per level; 100 levels overflow a 2 MiB stack in
/// a debug build.
pub const MAX_EXPRESSION_DEPTH: usize = 48;

/// A minijinja environment with the bounds every evaluation of untrusted code gets: `fuel`
/// (instructions and, since minijinja 3, bytes produced) and [`RECURSION_LIMIT`]. No loader,
/// so nothing can read a file.
pub fn bounded_environment(fuel: u64) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(fuel));
    env.set_recursion_limit(RECURSION_LIMIT);
    env
}

/// Refuses an expression over [`MAX_EXPRESSION_TOKENS`], before it is parsed.
pub fn check_expression_tokens(expression: &str) -> Result<(), String> {
    let tokens = expression.split_whitespace().count()
        + expression.bytes().filter(u8::is_ascii_punctuation).count();
    if tokens > MAX_EXPRESSION_TOKENS {
        Err(format!(
            "an expression has more than {MAX_EXPRESSION_TOKENS} words and operators"
        ))
    } else {
        Ok(())
    }
}

/// Whether `err` is a breach of the fuel bound (the message then says which bound).
pub fn out_of_fuel(err: &Error) -> bool {
    err.kind() == ErrorKind::OutOfFuel
}

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

/// Most matching steps the regular expressions of one render may take, as bounded before each
/// search: `(n + 1)^(c + 1) * (m + 1)` for a subject of `n` UTF-16 code units, a pattern of
/// `m` characters and `c` choice points (variable repetitions, alternatives, back-references).
/// The matcher (`regress`) backtracks and has no step limit of its own; patterns that can take
/// exponential time are refused before this (scaffold/render/regexp.rs).
pub const MAX_REGEX_STEPS: f64 = 200_000_000.0;

thread_local! {
    /// Regular-expression steps charged so far by the render running on this thread.
    static REGEX_STEPS: Cell<f64> = const { Cell::new(0.0) };

    /// Bytes produced so far by the render running on this thread (renders do not nest
    /// across threads, and minijinja runs a render on the calling thread).
    static WORK: Cell<usize> = const { Cell::new(0) };
}

/// Starts the accounting of a new render.
pub(crate) fn reset() {
    WORK.with(|w| w.set(0));
    REGEX_STEPS.with(|w| w.set(0.0));
}

/// Records the most `steps` a regular-expression search may take, before it runs; an error
/// when the render's total would exceed [`MAX_REGEX_STEPS`].
pub(crate) fn charge_regex_steps(steps: f64) -> Result<(), Error> {
    REGEX_STEPS.with(|w| {
        let total = w.get() + steps;
        w.set(total);
        if total > MAX_REGEX_STEPS {
            Err(limit_error(format!(
                "the regular expressions of this render could take more than {MAX_REGEX_STEPS} matching steps on these strings; use a simpler pattern or a shorter string"
            )))
        } else {
            Ok(())
        }
    })
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
