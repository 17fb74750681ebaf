//! Patterns from questionnaires (`validate.pattern`, a rule's `pattern` and `unless`): compiled
//! within a size limit, searched only in text of bounded length.
use regex::{Regex, RegexBuilder};

use crate::core::limits::{self, PATTERN_CACHE, PATTERN_REPEAT, PATTERN_SIZE, PATTERN_TEXT};

/// Compiles `source` within the limits, or says in part of a sentence why it cannot be used:
/// "is not a valid regular expression (…)", "repeats more than 1,000 times, …" or "is larger
/// than 1 MiB compiled, …".
pub fn compile(source: &str) -> Result<Regex, String> {
    if let Ok(hir) = regex_syntax::Parser::new().parse(source) {
        let repeats = repetitions(&hir, 1);
        if repeats > PATTERN_REPEAT {
            return Err(format!(
                "repeats more than {} times with counted repetitions such as {{1000}} (nested ones multiply), the limit on a pattern",
                limits::count(usize::try_from(PATTERN_REPEAT).unwrap_or(usize::MAX))
            ));
        }
    }
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

/// How many copies the counted repetitions of `hir` make, all told, each multiplied by the
/// repetitions around it (`around`): `a{30}` makes 30, `(a{30}){30}` 930. `*`, `+` and `?`
/// make none: they cost no copies.
fn repetitions(hir: &regex_syntax::hir::Hir, around: u64) -> u64 {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Repetition(r) => {
            let count = u64::from(r.max.unwrap_or(r.min));
            if count > 1 {
                let inside = around.saturating_mul(count);
                inside.saturating_add(repetitions(&r.sub, inside))
            } else {
                repetitions(&r.sub, around)
            }
        }
        HirKind::Capture(c) => repetitions(&c.sub, around),
        HirKind::Concat(all) | HirKind::Alternation(all) => all
            .iter()
            .fold(0u64, |sum, h| sum.saturating_add(repetitions(h, around))),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => 0,
    }
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
        assert!(e.contains("repeats more than 1,000 times"), "{e}");
        let e = compile("(?:a{40}){30}").unwrap_err();
        assert!(
            e.contains("repeats more than 1,000 times"),
            "nested repetitions multiply: {e}"
        );
        let e = compile("a{600}b{600}").unwrap_err();
        assert!(e.contains("repeats more than 1,000 times"), "repetitions add up: {e}");
        assert!(compile("(?:a{30}){30}b+c*").is_ok());
        let e = compile(r"\w{1000}").unwrap_err();
        assert!(e.contains("larger than 1 MiB compiled"), "{e}");
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
