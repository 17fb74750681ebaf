//! The pickers' entries (search, sections, findings, outline, kept answers), narrowed and ordered
//! for a query by the one matcher the choice lists use.
use crate::core::document::QuestionState;
use crate::core::matcher::{self, Field};
use crate::tui::editor::answer_text;
use crate::tui::model::{ItemMark, Model, PickerItem, PickerKind};

/// Picker targets that are kept answers, not questions.
pub const KEPT: &str = "kept:";

/// An entry before matching: what is shown, and the further texts it can be found by.
struct Entry {
    item: PickerItem,
    /// Whether the label is a name (matched fuzzily) or a sentence (matched by its words).
    label_is_name: bool,
    /// Whether the detail can be searched (a count such as "3/5 answered" cannot).
    detail_searchable: bool,
    /// Further texts: what to call them in the detail when they are what matched, and the text.
    extra: Vec<(&'static str, String)>,
}

/// The entries of a picker that match `query`, best first (all of them, in order, for an empty
/// query), with the matched characters marked.
pub fn picker_items(model: &Model, kind: PickerKind, query: &str) -> Vec<PickerItem> {
    let entries = entries(model, kind);
    let candidates: Vec<Vec<Field>> = entries
        .iter()
        .map(|e| {
            let mut fields = vec![Field {
                text: &e.item.label,
                fuzzy: e.label_is_name,
            }];
            // A placeholder keeps the field numbers the same for every entry.
            fields.push(Field::words(if e.detail_searchable { &e.item.detail } else { "" }));
            fields.extend(e.extra.iter().map(|(_, text)| Field::words(text)));
            fields
        })
        .collect();
    let hits = matcher::rank(query, &candidates);
    let mut entries: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    hits.into_iter()
        .filter_map(|hit| {
            let entry = entries.get_mut(hit.index)?.take()?;
            let mut item = entry.item;
            match hit.field {
                0 => item.label_hits = hit.positions,
                1 => item.detail_hits = hit.positions,
                n => {
                    if let Some((name, text)) = entry.extra.get(n - 2) {
                        let (snippet, hits) = snippet(name, text, &hit.positions);
                        item.detail = snippet;
                        item.detail_hits = hits;
                    }
                }
            }
            Some(item)
        })
        .collect()
}

/// `name: …text…` around the first match, and the matched positions within it.
fn snippet(name: &str, text: &str, positions: &[usize]) -> (String, Vec<usize>) {
    const BEFORE: usize = 8;
    let flat: Vec<char> = text.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
    let first = positions.first().copied().unwrap_or(0);
    let start = first.saturating_sub(BEFORE);
    let mut out = format!("{name}: ");
    if start > 0 {
        out.push('…');
    }
    let offset = out.chars().count();
    out.extend(&flat[start.min(flat.len())..]);
    let hits = positions
        .iter()
        .filter(|p| **p >= start)
        .map(|p| p - start + offset)
        .collect();
    (out, hits)
}

fn item(label: String, detail: String, target: String, mark: ItemMark) -> PickerItem {
    PickerItem {
        label,
        detail,
        target,
        inactive: false,
        mark,
        label_hits: Vec::new(),
        detail_hits: Vec::new(),
    }
}

fn entries(model: &Model, kind: PickerKind) -> Vec<Entry> {
    let q = model.questionnaire();
    let section_title = |id: &str| q.section_of(id).map(|s| s.title.clone()).unwrap_or_default();
    match kind {
        PickerKind::Search | PickerKind::Outline => q
            .questions()
            .map(|question| {
                let mut item = item(
                    question.label.clone(),
                    section_title(&question.id),
                    question.id.clone(),
                    ItemMark::Question(question.id.clone()),
                );
                item.inactive = !model.is_visible(&question.id);
                let mut extra = vec![("id", question.id.clone())];
                if kind == PickerKind::Search {
                    extra.push(("question", question.prompt.clone()));
                    let answer = model
                        .drafts
                        .get(&question.id)
                        .cloned()
                        .or_else(|| model.answers.get(&question.id).map(answer_text));
                    if let Some(answer) = answer {
                        extra.push(("answer", answer));
                    }
                    if let Some(help) = &question.help {
                        extra.push(("help", help.clone()));
                    }
                }
                Entry {
                    item,
                    label_is_name: true,
                    detail_searchable: true,
                    extra,
                }
            })
            .collect(),
        PickerKind::Sections => q
            .sections
            .iter()
            .filter_map(|s| {
                let first = s
                    .questions
                    .iter()
                    .find(|x| model.is_visible(&x.id))
                    .or(s.questions.first())?;
                let shown = s.questions.iter().filter(|x| model.is_visible(&x.id)).count();
                let done = s
                    .questions
                    .iter()
                    .filter(|x| matches!(model.state_of(&x.id), Some(QuestionState::Answered)))
                    .count();
                let mut item = item(
                    s.title.clone(),
                    format!("{done}/{shown} answered"),
                    first.id.clone(),
                    ItemMark::None,
                );
                item.inactive = shown == 0;
                Some(Entry {
                    item,
                    label_is_name: true,
                    detail_searchable: false,
                    extra: Vec::new(),
                })
            })
            .collect(),
        PickerKind::Findings => model
            .derived
            .findings
            .iter()
            .filter(|f| f.rule != "assumed")
            .filter_map(|f| {
                let target = f
                    .question
                    .clone()
                    .or_else(|| q.questions().next().map(|x| x.id.clone()))?;
                let detail = match (&f.question, f.row) {
                    (Some(id), Some(row)) => format!("{id} row {row}"),
                    (Some(id), None) => id.clone(),
                    (None, _) => f.rule.clone(),
                };
                let label_of = f
                    .question
                    .as_deref()
                    .and_then(|id| q.question(id))
                    .map(|x| x.label.clone())
                    .unwrap_or_default();
                Some(Entry {
                    item: item(f.message.clone(), detail, target, ItemMark::Severity(f.severity)),
                    label_is_name: false,
                    detail_searchable: true,
                    extra: vec![("question", label_of)],
                })
            })
            .collect(),
        PickerKind::Kept => model
            .kept
            .iter()
            .map(|(id, value)| Entry {
                item: item(
                    toml_text(value).replace('\n', " "),
                    id.clone(),
                    format!("{KEPT}{id}"),
                    ItemMark::None,
                ),
                label_is_name: false,
                detail_searchable: true,
                extra: Vec::new(),
            })
            .collect(),
    }
}

/// A kept TOML value as plain text: strings as they are, lists one item a line.
pub fn toml_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => items.iter().map(toml_text).collect::<Vec<_>>().join("\n"),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| format!("{k}: {}", toml_text(v)))
            .collect::<Vec<_>>()
            .join(" | "),
        other => other.to_string(),
    }
}
