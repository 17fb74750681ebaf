//! The one list of filler phrases every questionnaire is checked against: words that sound
//! like a decision but name no mechanism ("robust", "best practices", "ensure scalability").
//! `check` reports each as the built-in finding `filler`.
use regex_lite::Regex;
use std::sync::OnceLock;

/// The phrases, as regular expressions matched case-insensitively on word boundaries. Each
/// stands for a decision left unmade: the answer should name the mechanism instead.
const PHRASES: &[&str] = &[
    r"best[- ]practices?",
    r"industry[- ]standards?",
    r"state[- ]of[- ]the[- ]art",
    r"world[- ]class",
    r"cutting[- ]edge",
    r"enterprise[- ]grade",
    r"future[- ]proof(?:ed|ing)?",
    r"robust(?:ly|ness)?",
    r"seamless(?:ly)?",
    r"leverag(?:e|es|ed|ing)",
    r"as (?:needed|appropriate|necessary|required)",
    r"where (?:appropriate|needed|necessary)",
    r"when (?:appropriate|needed|necessary)",
    r"if (?:appropriate|needed|necessary)",
    r"(?:ensure|ensures|ensuring|guarantee|guarantees|guaranteeing|provide|provides|providing) (?:high |good |optimal |maximum )?(?:scalability|security|reliability|performance|robustness|availability|quality|resilience)",
    r"(?:proper|appropriate|adequate|sufficient|necessary) (?:error handling|validation|security|logging|monitoring|measures|controls|safeguards|checks)",
    r"highly (?:scalable|available|performant|secure|reliable)",
    r"scalable and (?:secure|reliable|maintainable)",
    r"and so on",
    r"(?:,\s*|and\s+)etc\.?",
];

/// The phrases as one expression over lower-case text, anchored: it is tried only where a
/// phrase can start (see `Heads`). Case is folded on the text instead of in the expression,
/// and the expression is built by `regex-lite` (a few hundred thousand instructions, against
/// millions for `regex`, whose searches this one's anchored tries replace).
fn regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!(r"^(?:{})(?:\b|$)", PHRASES.join("|"))).ok())
        .as_ref()
}

/// How the phrases can begin, by first byte: the literal text each one starts with ("best",
/// "as ", "ensure", …; the alternatives of a leading group each give theirs). An empty head
/// means "anywhere", so a phrase whose start cannot be read this way is tried everywhere.
struct Heads([Vec<String>; 128], bool);

impl Heads {
    fn get() -> &'static Heads {
        static HEADS: OnceLock<Heads> = OnceLock::new();
        HEADS.get_or_init(|| {
            let mut by_byte: [Vec<String>; 128] = std::array::from_fn(|_| Vec::new());
            let mut anywhere = false;
            for head in PHRASES.iter().flat_map(|p| heads(p)) {
                match head.bytes().next() {
                    Some(b) if b.is_ascii() => by_byte[usize::from(b)].push(head),
                    _ => anywhere = true,
                }
            }
            Heads(by_byte, anywhere)
        })
    }

    /// Whether a phrase can start at the beginning of `rest`.
    fn may_start(&self, rest: &str) -> bool {
        self.1
            || rest
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii() && self.0[usize::from(b)].iter().any(|h| rest.starts_with(h.as_str())))
    }
}

/// The literal texts `pattern` can start with (one empty text when that cannot be told).
fn heads(pattern: &str) -> Vec<String> {
    if let Some(rest) = pattern.strip_prefix("(?:") {
        let (mut depth, mut from, mut alternatives, mut end) = (0usize, 0, Vec::new(), None);
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    alternatives.push(&rest[from..i]);
                    end = Some(i);
                    break;
                }
                ')' => depth -= 1,
                '|' if depth == 0 => {
                    alternatives.push(&rest[from..i]);
                    from = i + 1;
                }
                _ => {}
            }
        }
        let optional = end.is_none_or(|e| rest[e + 1..].starts_with(['?', '*', '{']));
        if optional {
            return vec![String::new()];
        }
        return alternatives.into_iter().flat_map(heads).collect();
    }
    let literal: String = pattern
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | ',' | '-'))
        .collect();
    let mut literal = literal;
    // A quantifier after the literal applies to its last character.
    if pattern[literal.len()..].starts_with(['?', '*', '{']) {
        literal.pop();
    }
    vec![literal]
}

/// A letter, digit or underscore in any script: what a word is made of.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The first filler phrase in `text`, as written there.
pub fn find(text: &str) -> Option<&str> {
    let re = regex()?;
    let heads = Heads::get();
    // ASCII lower-casing keeps every byte offset, so the match is cut from the original text.
    let lower = text.to_ascii_lowercase();
    let mut before: Option<char> = None;
    for (at, c) in lower.char_indices() {
        let after_word = before.is_some_and(is_word);
        before = Some(c);
        // Every phrase starts a word with an ASCII letter, but ", etc." with its comma, which
        // ends a word.
        let start = if c == ',' {
            after_word
        } else {
            c.is_ascii_alphabetic() && !after_word
        };
        if !start || !heads.may_start(&lower[at..]) {
            continue;
        }
        let Some(found) = re.find(&lower[at..]) else { continue };
        let end = at + found.end();
        // The expression's word boundary is ASCII's: a letter of another script right after
        // the phrase continues the word.
        let glued = lower[..end].chars().next_back().is_some_and(is_word)
            && lower[end..].chars().next().is_some_and(|n| !n.is_ascii() && is_word(n));
        if !glued {
            return text.get(at..end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_filler_of_each_kind_and_leaves_mechanisms_alone() {
        for (text, phrase) in [
            ("We follow best practices for auth.", "best practices"),
            ("A robust retry policy.", "robust"),
            ("Scales seamlessly.", "seamlessly"),
            ("Caching to ensure performance.", "ensure performance"),
            ("Logs are kept as needed.", "as needed"),
            ("Proper error handling everywhere.", "Proper error handling"),
            ("A highly available setup.", "highly available"),
            ("Stripe, Postmark, etc.", ", etc."),
            ("We follow BEST Practices.", "BEST Practices"),
            ("Über-fast and Robust.", "Robust"),
            ("Größe: ROBUSTLY ✓", "ROBUSTLY"),
            ("Hochverfügbar, robust.", "robust"),
            ("Über robust", "robust"),
        ] {
            assert_eq!(find(text), Some(phrase), "{text}");
        }
        for text in [
            "600 requests per minute per user, 429 with Retry-After.",
            "Retries: 5, exponential backoff from 1 s, then a dead-letter queue.",
            "Robustness tests run nightly".replace("Robustness", "Soak").as_str(),
            "The etcd cluster holds leases.",
            "Config files live in /etc/app.",
            "Überrobust und unrobust",
            "robustä",
            "Asbest practices",
            "Stripe , etc",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }

    #[test]
    fn every_phrase_has_a_head_to_look_for() {
        let h = Heads::get();
        assert!(!h.1, "a phrase whose start cannot be read would be tried at every word");
        assert!(h.0[usize::from(b'b')].contains(&"best".to_string()));
        assert!(h.0[usize::from(b'g')].contains(&"guarantee".to_string()));
        assert!(h.0[usize::from(b',')].contains(&",".to_string()));
        assert_eq!(heads("ab?c"), vec!["a".to_string()]);
        assert_eq!(heads("(?:x|y)?z"), vec![String::new()]);
    }

    proptest::proptest! {
        /// The anchored search finds what one search with the full Unicode expression finds.
        #[test]
        fn finds_what_the_unanchored_expression_finds(
            words in proptest::collection::vec(proptest::sample::select(&[
                "best", "practice", "practices", "robust", "robustly", "ly", "as", "needed", "ensure",
                "high", "security", "and", "so", "on", "etc", "etc.", ",", ", ", ".", " ", "  ", "-",
                "ä", "é", "Über", "BEST", "Robust", "state", "of", "the", "art", "x", "_", "42",
                "highly", "available", "proper", "error handling", "leverage", "\n", "δ",
            ][..]), 0..12)
        ) {
            let text: String = words.concat();
            let reference = regex::Regex::new(&format!(r"\b(?:{})(?:\b|$)", PHRASES.join("|"))).unwrap();
            let lower = text.to_ascii_lowercase();
            let expected = reference.find(&lower).map(|m| &text[m.range()]);
            proptest::prop_assert_eq!(find(&text), expected, "{:?}", text);
        }
    }
}
