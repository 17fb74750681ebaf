//! Generated design documents for the benchmarks: two revisions of a long document, the newer
//! with about 1 % of its lines edited, one paragraph reflowed and sections moved, renamed and added.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

const WORDS: &[&str] = &[
    "service",
    "request",
    "tenant",
    "ledger",
    "account",
    "token",
    "cache",
    "queue",
    "retry",
    "latency",
    "budget",
    "replica",
    "schema",
    "migration",
    "endpoint",
    "handler",
    "payload",
    "idempotent",
    "timeout",
    "rollout",
    "the",
    "a",
    "of",
    "to",
    "and",
    "with",
    "every",
    "before",
    "after",
    "under",
    "each",
    "is",
    "must",
    "may",
    "stores",
    "reads",
    "writes",
    "rejects",
    "accepts",
    "returns",
    "records",
    "PostgreSQL",
    "Redis",
    "gRPC",
];

/// A small deterministic generator (xorshift), so every run compares the same documents.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }

    /// Prose of about `chars` characters, ending with a full stop.
    fn prose(&mut self, chars: usize) -> String {
        let mut s = String::from("The");
        while s.len() < chars {
            s.push(' ');
            s.push_str(self.word());
        }
        s.push('.');
        s
    }
}

/// A section: its heading line and its body lines.
struct Section {
    heading: String,
    body: Vec<String>,
}

/// A design document of about `lines` lines: a heading every ~40 lines (levels 2 and 3),
/// paragraphs of 60–200 character lines separated by blank lines, and now and then a long
/// single-line paragraph.
fn sections(lines: usize) -> Vec<Section> {
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut out = Vec::new();
    let mut total = 0;
    let mut n = 0;
    while total < lines {
        n += 1;
        let level = if n % 4 == 1 { "##" } else { "###" };
        let heading = format!("{level} {n}. {} {}", rng.word(), rng.word());
        let mut body = vec![String::new()];
        let target = 34 + rng.below(12);
        while body.len() < target {
            if rng.below(10) == 0 {
                let chars = 600 + rng.below(900);
                body.push(rng.prose(chars));
            } else {
                for _ in 0..2 + rng.below(5) {
                    let chars = 60 + rng.below(140);
                    body.push(rng.prose(chars));
                }
            }
            body.push(String::new());
        }
        total += body.len() + 1;
        out.push(Section { heading, body });
    }
    out
}

fn join(title: &str, sections: &[Section]) -> String {
    let mut s = format!("# {title}\n\n");
    for section in sections {
        s.push_str(&section.heading);
        s.push('\n');
        for line in &section.body {
            s.push_str(line);
            s.push('\n');
        }
    }
    s
}

/// The older revision and a newer one: ~1% of lines edited by a word or two, one paragraph
/// reflowed, one section moved, one renamed, one added.
pub fn revisions(lines: usize) -> (String, String) {
    let old = sections(lines);
    let old_text = join("Ledgerline backend architecture", &old);
    let mut new = sections(lines);
    let mut rng = Rng(0x0dd_ba11);
    let mut counter = 0;
    for section in &mut new {
        for line in &mut section.body {
            if line.is_empty() {
                continue;
            }
            counter += 1;
            if counter % 100 == 0 {
                let words: Vec<&str> = line.split(' ').collect();
                let at = 1 + rng.below(words.len().saturating_sub(2).max(1));
                let mut edited: Vec<String> = words.iter().map(|w| (*w).to_string()).collect();
                edited[at] = rng.word().to_string();
                if rng.below(2) == 0 && at + 1 < edited.len() - 1 {
                    edited[at + 1] = "carefully".to_string();
                }
                *line = edited.join(" ");
            }
        }
    }
    let count = new.len();
    // Reflow the first paragraph of a section a third of the way in, at 72 columns.
    let reflowed = &mut new[count / 3].body;
    let start = reflowed.iter().position(|l| !l.is_empty()).unwrap();
    let end = start + reflowed[start..].iter().position(String::is_empty).unwrap();
    let paragraph = reflowed[start..end].join(" ");
    let mut wrapped = vec![String::new()];
    for word in paragraph.split(' ') {
        let last = wrapped.last_mut().unwrap();
        if !last.is_empty() && last.len() + 1 + word.len() > 72 {
            wrapped.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    reflowed.splice(start..end, wrapped);
    // Move a section from the first quarter to the last.
    let moved = new.remove(count / 4);
    new.insert(count * 3 / 4, moved);
    // Rename one.
    new[count / 2].heading.push_str(" and failover");
    // Add one.
    let mut body = vec![String::new()];
    for _ in 0..30 {
        body.push(rng.prose(120));
    }
    new.insert(
        count * 2 / 3,
        Section {
            heading: "### Rate limiting per tenant".into(),
            body,
        },
    );
    (old_text, join("Ledgerline backend architecture", &new))
}
