//! Patterns from questionnaires (`validate.pattern`, a rule's `pattern` and `unless`): compiled
//! within a size limit, searched only in text of bounded length.
use regex::{Regex, RegexBuilder};

use crate::core::limits::{self, PATTERN_CACHE, PATTERN_SIZE, PATTERN_TEXT};

/// Compiles `source` within the limits, or says in part of a sentence why it cannot be used:
/// "is not a valid regular expression (…)" or "is larger than 256 KiB compiled, …".
pub fn compile(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .size_limit(PATTERN_SIZE)
        .dfa_size_limit(PATTERN_CACHE)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => format!(
                "is larger than {} compiled, the limit on a pattern (a repetition such as {{1000}} or a Unicode class such as \\w makes it large; (?-u:\\w) is smaller)",
                limits::bytes(PATTERN_SIZE)
            ),
            other => {
                let first = other.to_string().lines().last().unwrap_or("invalid").trim().to_string();
                format!("is not a valid regular expression ({first})")
            }
        })
}

/// The part of `text` a pattern searches: all of it, or its first [`PATTERN_TEXT`] bytes (cut
/// at a character boundary) and `true` when it is longer.
pub fn searched(text: &str) -> (&str, bool) {
    if text.len() <= PATTERN_TEXT {
        return (text, false);
    }
    let mut end = PATTERN_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

/// The sentence for a text longer than a pattern searches.
pub fn cut_note() -> String {
    format!(
        "longer than {}, the most a pattern searches, so only its beginning was searched",
        limits::bytes(PATTERN_TEXT)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_too_large_is_refused_by_name() {
        let e = compile("a{100000}").unwrap_err();
        assert!(e.contains("larger than 256 KiB compiled"), "{e}");
        assert!(
            compile("(")
                .unwrap_err()
                .starts_with("is not a valid regular expression")
        );
        assert!(compile(r"(?i)\b(tbd|todo)\b").is_ok());
    }

    #[test]
    fn long_text_is_searched_up_to_the_limit_on_a_char_boundary() {
        let short = "é".repeat(10);
        assert_eq!(searched(&short), (short.as_str(), false));
        let long = "é".repeat(PATTERN_TEXT);
        let (part, cut) = searched(&long);
        assert!(cut);
        assert!(part.len() <= PATTERN_TEXT && part.len() > PATTERN_TEXT - 2);
    }
}
