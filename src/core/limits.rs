//! The limits on what a questionnaire may make spec-interview do: how much its templates may
//! build and spend, how large its patterns may be and how much text they search. Each limit has
//! a name users read in messages and in the questionnaire guide.
use std::fmt;
use std::time::Duration;

/// The longest string a template may build (with `~`, `+`, `*`, a filter or a function).
pub const MAX_STRING: usize = 1 << 20;
/// The longest text one template may produce: a document, a condition or a rule message.
pub const MAX_OUTPUT: usize = 1 << 20;
/// The most items in one list a template builds (with `+`, `*` or a filter).
pub const MAX_ITEMS: usize = 100_000;
/// Bytes one template evaluation may build, compare, search or write, all told.
pub const WORK_PER_TEMPLATE: usize = 64 << 20;
/// Bytes all the templates of one pass (the conditions, the documents, or the rules of one
/// check) may build, compare, search or write together.
pub const WORK_PER_PASS: usize = 128 << 20;
/// Steps (minijinja's instructions) one template evaluation may take.
pub const STEPS_PER_TEMPLATE: u64 = 2_000_000;
/// Steps all the templates of one pass may take together.
pub const STEPS_PER_PASS: u64 = 4_000_000;

/// The largest compiled form of a pattern (`validate.pattern`, a rule's `pattern` or `unless`).
pub const PATTERN_SIZE: usize = 1 << 20;
/// How many times the counted repetitions of one pattern (`x{1000}`) may repeat, all told;
/// nested ones multiply. Beyond it a search can take seconds on one long line.
pub const PATTERN_REPEAT: u64 = 1000;
/// The memory each pattern's search cache may take.
pub const PATTERN_CACHE: usize = 1 << 20;
/// The most patterns one questionnaire may hold.
pub const MAX_PATTERNS: usize = 100;
/// The longest text (a line of an answer or of a document, or a whole answer for
/// `validate.pattern`) a pattern is searched in.
pub const PATTERN_TEXT: usize = 64 << 10;
/// How long the pattern rules of one check may search, all told.
pub const PATTERN_TIME: Duration = Duration::from_millis(500);

/// A limit that stopped something, to name it in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`MAX_STRING`]
    String,
    /// [`MAX_OUTPUT`]
    Output,
    /// [`MAX_ITEMS`]
    Items,
    /// [`WORK_PER_TEMPLATE`]
    Work,
    /// [`WORK_PER_PASS`]
    PassWork,
    /// [`STEPS_PER_TEMPLATE`]
    Steps,
    /// [`STEPS_PER_PASS`]
    PassSteps,
}

impl Limit {
    /// What was about to happen, and the limit it met: "a string it builds would be longer
    /// than 1 MiB, the limit on any one string a template builds".
    pub fn sentence(self) -> String {
        match self {
            Limit::String => format!(
                "a string it builds would be longer than {}, the limit on any one string a template builds",
                bytes(MAX_STRING)
            ),
            Limit::Output => format!(
                "its text would be longer than {}, the limit on what one template writes",
                bytes(MAX_OUTPUT)
            ),
            Limit::Items => format!(
                "a list it builds would have more than {} items, the limit on any one list a template builds",
                count(MAX_ITEMS)
            ),
            Limit::Work => format!(
                "it would build, compare or write more than {} of text, the limit for one template",
                bytes(WORK_PER_TEMPLATE)
            ),
            Limit::PassWork => format!(
                "the questionnaire's templates would build, compare or write more than {} of text in one pass, the limit for all of them together",
                bytes(WORK_PER_PASS)
            ),
            Limit::Steps => format!(
                "it did not finish within {} steps, the limit for one template",
                count(usize::try_from(STEPS_PER_TEMPLATE).unwrap_or(usize::MAX))
            ),
            Limit::PassSteps => format!(
                "the questionnaire's templates used up the {} steps one pass may take, the limit for all of them together",
                count(usize::try_from(STEPS_PER_PASS).unwrap_or(usize::MAX))
            ),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence())
    }
}

/// A size for people: "1 MiB", "256 KiB", "100 bytes".
pub fn bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{} bytes", count(n))
    }
}

/// A count with thousands separators: "100,000".
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_counts_read_like_prose() {
        assert_eq!(bytes(1 << 20), "1 MiB");
        assert_eq!(bytes(256 << 10), "256 KiB");
        assert_eq!(bytes(1000), "1,000 bytes");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(7), "7");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn every_limit_names_its_size() {
        assert!(Limit::String.sentence().contains("1 MiB"));
        assert!(Limit::Items.sentence().contains("100,000 items"));
        assert!(Limit::Steps.sentence().contains("2,000,000 steps"));
        assert!(Limit::PassWork.sentence().contains("128 MiB"));
    }
}
