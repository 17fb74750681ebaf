//! Document templates cut at their top-level `## ` headings, each part compiled apart, and
//! what each part read when it was last rendered, so that the interview renders again only
//! the parts whose answers, states or findings changed and reuses the others' text.
use std::collections::HashSet;
use std::sync::Arc;

use crate::core::answer::Answer;
use crate::core::finding::Finding;
use crate::core::session::Answers;
use crate::core::state::QuestionState;
use crate::core::template_env::{Reads, RenderData};

/// The parts of a document template: the first holds everything before the first top-level
/// `## ` heading, each other starts at one; every part after the first begins with the
/// template's top-level macros, so that it calls them as the whole template does. `None`
/// when the template cannot be cut safely (see [`split`]).
pub fn split(template: &str) -> Option<Vec<String>> {
    let bytes = template.as_bytes();
    let mut depth: i32 = 0;
    let mut cuts: Vec<usize> = Vec::new();
    let mut macros: Vec<(usize, usize)> = Vec::new();
    let mut macro_start: Option<usize> = None;
    // Names set outside macros, with the part they are set in.
    let mut set_names: Vec<(String, usize)> = Vec::new();
    let mut in_macro = false;
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let here = &bytes[i..];
        if line_start && depth == 0 && here.starts_with(b"## ") {
            cuts.push(i);
        }
        line_start = false;
        // Tags start with ASCII, so `i` is then on a character boundary.
        if here.starts_with(b"{#") {
            let end = template[i..].find("#}")? + i + 2;
            i = end;
            continue;
        }
        if here.starts_with(b"{{") {
            i = template[i..].find("}}")? + i + 2;
            continue;
        }
        if here.starts_with(b"{%") {
            let end = template[i..].find("%}")? + i + 2;
            let inner = template[i + 2..end - 2].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
            let word: String = inner
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            match word.as_str() {
                // Whole-template structure: not cut.
                "extends" | "include" | "import" | "from" | "block" | "raw" | "endraw" => return None,
                "if" | "for" | "call" | "filter" | "with" | "autoescape" => depth += 1,
                "macro" => {
                    if depth == 0 {
                        macro_start = Some(i);
                        in_macro = true;
                    }
                    depth += 1;
                }
                "endmacro" => {
                    depth -= 1;
                    if depth == 0 {
                        macros.push((macro_start?, end));
                        in_macro = false;
                    }
                }
                "set" => {
                    let rest = inner["set".len()..].trim_start();
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !in_macro {
                        set_names.push((name, cuts.len()));
                    }
                    if !rest.contains('=') {
                        depth += 1;
                    }
                }
                w if w.starts_with("end") => depth -= 1,
                _ => {}
            }
            if depth < 0 {
                return None;
            }
            i = end;
            continue;
        }
        if bytes[i] == b'\n' {
            line_start = true;
        }
        i += 1;
    }
    if depth != 0 || cuts.is_empty() {
        return None;
    }
    let prelude: String = macros.iter().map(|&(a, b)| &template[a..b]).collect();
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for &cut in &cuts {
        parts.push(template[from..cut].to_string());
        from = cut;
    }
    parts.push(template[from..].to_string());
    // A part must not read what another part set (looked for as a word, to be safe).
    for (name, own) in &set_names {
        let named = |part: &String| {
            part.match_indices(name.as_str()).any(|(at, _)| {
                let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
                !part[..at].ends_with(word) && !part[at + name.len()..].starts_with(word)
            })
        };
        if name.is_empty() || parts.iter().enumerate().any(|(j, part)| j != *own && named(part)) {
            return None;
        }
    }
    for part in parts.iter_mut().skip(1) {
        *part = format!("{prelude}{part}");
    }
    Some(parts)
}

/// The inputs one part read when it was rendered, as they were then.
#[derive(Debug, Clone)]
struct Inputs {
    /// Each question read, with its answer and whether it was shown.
    questions: Vec<(String, Option<Answer>, bool)>,
    /// All answers and the shown questions, when the part looked over all of them.
    everything: Option<Arc<(Answers, HashSet<String>)>>,
    /// Every question's state, when the part looked over them (`todos()`, `checks()`,
    /// `coverage()`): a typed character that leaves every state as it was leaves it alone.
    states: Option<Arc<Vec<(String, QuestionState)>>>,
    findings: Option<Arc<Vec<Finding>>>,
    path: String,
}

/// One part's last rendering.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub text: String,
    /// Steps and work it took, charged again when the text is reused.
    pub steps: u64,
    pub work: usize,
    inputs: Inputs,
}

/// What the parts of every document last rendered, kept by the interview between keys.
#[derive(Debug, Default)]
pub struct PartCache {
    /// Per document id: whether its parts were compared once with the whole template (and
    /// matched), and each part's last rendering.
    documents: std::collections::HashMap<String, DocumentParts>,
}

#[derive(Debug, Default)]
pub struct DocumentParts {
    /// Whether the document was rendered once (whole) already.
    pub seen: bool,
    /// `None` until the parts' text has been compared with the whole template's once; then
    /// whether they matched.
    pub verified: Option<bool>,
    pub parts: Vec<Option<Rendered>>,
}

impl PartCache {
    pub fn document(&mut self, id: &str) -> &mut DocumentParts {
        self.documents.entry(id.to_string()).or_default()
    }
}

/// What the parts of one render read against: the answers, the shown questions, the
/// findings, and one shared snapshot of each for the parts that read all of them.
pub struct Now<'a> {
    pub answers: &'a Answers,
    pub visible: &'a HashSet<String>,
    pub findings: &'a [Finding],
    pub path: &'a str,
    data: &'a RenderData,
    everything: std::cell::OnceCell<Arc<(Answers, HashSet<String>)>>,
    states: std::cell::OnceCell<Arc<Vec<(String, QuestionState)>>>,
    all_findings: std::cell::OnceCell<Arc<Vec<Finding>>>,
}

impl<'a> Now<'a> {
    pub fn new(data: &'a RenderData, path: &'a str) -> Now<'a> {
        Now {
            answers: &data.answers,
            visible: &data.visible,
            findings: &data.findings,
            path,
            data,
            everything: std::cell::OnceCell::new(),
            states: std::cell::OnceCell::new(),
            all_findings: std::cell::OnceCell::new(),
        }
    }

    fn states(&self) -> &Arc<Vec<(String, QuestionState)>> {
        self.states.get_or_init(|| Arc::new(self.data.states()))
    }

    /// Whether `rendered` was rendered from inputs equal to these.
    pub fn still(&self, rendered: &Rendered) -> bool {
        let inputs = &rendered.inputs;
        inputs.path == self.path
            && inputs.questions.iter().all(|(id, answer, shown)| {
                self.answers.get(id) == answer.as_ref() && self.visible.contains(id) == *shown
            })
            && inputs
                .everything
                .as_ref()
                .is_none_or(|all| all.0 == *self.answers && all.1 == *self.visible)
            && inputs.states.as_ref().is_none_or(|s| s == self.states())
            && inputs.findings.as_ref().is_none_or(|f| f.as_slice() == self.findings)
    }

    /// A part's rendering, with what it read (`variables`: the question ids the part names;
    /// `reads`: what its function calls read).
    pub fn rendered(&self, text: String, steps: u64, work: usize, variables: &[String], reads: &Reads) -> Rendered {
        let mut ids: Vec<&String> = variables.iter().collect();
        for id in &reads.questions {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let questions = ids
            .into_iter()
            .map(|id| (id.clone(), self.answers.get(id).cloned(), self.visible.contains(id)))
            .collect();
        let everything = reads.all_questions.then(|| {
            Arc::clone(
                self.everything
                    .get_or_init(|| Arc::new((self.answers.clone(), self.visible.clone()))),
            )
        });
        let states = reads.all_states.then(|| Arc::clone(self.states()));
        let findings = reads
            .findings
            .then(|| Arc::clone(self.all_findings.get_or_init(|| Arc::new(self.findings.to_vec()))));
        Rendered {
            text,
            steps,
            work,
            inputs: Inputs {
                questions,
                everything,
                states,
                findings,
                path: self.path.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_top_level_headings_and_repeats_the_macros() {
        let t = "{% macro m(x) %}<{{ x }}>{% endmacro %}\n# T\n## A\n{% if a %}\n## not a cut\n{% endif %}\n## B\n{{ m(b) }}\n";
        let parts = split(t).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], "{% macro m(x) %}<{{ x }}>{% endmacro %}\n# T\n");
        assert_eq!(
            parts[1],
            "{% macro m(x) %}<{{ x }}>{% endmacro %}## A\n{% if a %}\n## not a cut\n{% endif %}\n"
        );
        assert_eq!(parts[2], "{% macro m(x) %}<{{ x }}>{% endmacro %}## B\n{{ m(b) }}\n");
    }

    #[test]
    fn does_not_cut_what_would_change_the_meaning() {
        assert!(split("{% set x = 1 %}\n## A\n{{ x }}\n").is_none());
        assert!(split("# T\n## A\n{% set x = 1 %}{{ x }}\n## B\n{{ x }}\n").is_none());
        assert_eq!(
            split("# T\n## A\n{% set x = 1 %}{{ x }}\n## B\n{{ y }}\n").map(|p| p.len()),
            Some(3)
        );
        assert!(split("{% include \"a\" %}\n## A\n").is_none());
        assert!(split("{% if a %}\n## A\n").is_none());
        assert!(split("# Only a title\n").is_none());
    }
}
