//! The one list of filler phrases every questionnaire is checked against: words that sound
//! like a decision but name no mechanism ("robust", "best practices", "ensure scalability").
//! `check` reports each as the built-in finding `filler`.
use regex::Regex;
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

/// The phrases as one expression over lower-case text. Case is folded on the text instead of
/// in the expression: `(?i)` over twenty alternatives multiplies the literal prefixes the
/// regex compiler extracts, and made compiling it cost more than a whole `render`.
fn regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!(r"\b(?:{})(?:\b|$)", PHRASES.join("|"))).ok())
        .as_ref()
}

/// The first filler phrase in `text`, as written there.
pub fn find(text: &str) -> Option<&str> {
    // ASCII lower-casing keeps every byte offset, so the match is cut from the original text.
    let lower = text.to_ascii_lowercase();
    let found = regex()?.find(&lower)?;
    text.get(found.range())
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
        ] {
            assert_eq!(find(text), Some(phrase), "{text}");
        }
        for text in [
            "600 requests per minute per user, 429 with Retry-After.",
            "Retries: 5, exponential backoff from 1 s, then a dead-letter queue.",
            "Robustness tests run nightly".replace("Robustness", "Soak").as_str(),
            "The etcd cluster holds leases.",
            "Config files live in /etc/app.",
        ] {
            assert_eq!(find(text), None, "{text}");
        }
    }
}
