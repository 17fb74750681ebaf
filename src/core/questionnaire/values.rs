//! Checking what answers must name: a column's fixed list of values, and references to another
//! table's column (`options_from = "question.column"`), once every question is known.
use std::collections::HashSet;
use std::ops::Range;
use toml::Spanned;

use super::load::{Checker, RawColumn};
use super::{QuestionKind, Section, ValueSource};

/// A reference to another table's column, checked once every question is known.
pub(super) struct Reference {
    pub(super) span: Range<usize>,
    /// What refers: `column "from" of "interactions"`, `question "owner"`.
    pub(super) owner: String,
    pub(super) text: String,
}

/// A fixed list of values must not be empty or name a value twice.
pub(super) fn check_list(c: &mut Checker, owner: &str, list: &Spanned<Vec<String>>) {
    let mut seen = HashSet::new();
    for value in list.get_ref() {
        if !value.trim().is_empty() && !seen.insert(value.trim().to_lowercase()) {
            c.at(&list.span(), format!("\"{owner}\" lists the value \"{value}\" twice."));
        }
    }
}

/// A column's `options` (a fixed list) or `options_from` (another table's column); not both.
pub(super) fn column_values(
    c: &mut Checker,
    question: &str,
    col: &RawColumn,
    references: &mut Vec<Reference>,
) -> Option<ValueSource> {
    match (&col.options, &col.options_from) {
        (Some(list), Some(from)) => {
            c.at(
                &from.span(),
                format!(
                    "column \"{}\" of \"{question}\" has both \"options\" and \"options_from\": give one.",
                    col.id
                ),
            );
            Some(ValueSource::List(list.get_ref().clone()))
        }
        (Some(list), None) => {
            if list.get_ref().iter().all(|v| v.trim().is_empty()) {
                c.at(
                    &list.span(),
                    format!("column \"{}\" of \"{question}\" needs at least one option.", col.id),
                );
            }
            check_list(c, &format!("{question}.{}", col.id), list);
            Some(ValueSource::List(list.get_ref().clone()))
        }
        (None, Some(from)) => {
            references.push(Reference {
                span: from.span(),
                owner: format!("column \"{}\" of \"{question}\"", col.id),
                text: from.get_ref().clone(),
            });
            let (q, column) = from.get_ref().split_once('.')?;
            Some(ValueSource::Column {
                question: q.to_string(),
                column: column.to_string(),
            })
        }
        (None, None) => None,
    }
}

/// Every `options_from` names a column of a table question: `question.column`.
pub(super) fn check_references(c: &mut Checker, sections: &[Section], references: &[Reference]) {
    let find = |id: &str| sections.iter().flat_map(|s| &s.questions).find(|q| q.id == id);
    for r in references {
        let problem = match r.text.split_once('.') {
            None => format!(
                "{} takes its options from \"{}\": write it as question.column, for example \"components.name\".",
                r.owner, r.text
            ),
            Some((q, column)) => match find(q) {
                None => format!(
                    "{} takes its options from \"{}\", but there is no question \"{q}\".",
                    r.owner, r.text
                ),
                Some(t) if t.kind != QuestionKind::Table => format!(
                    "{} takes its options from \"{}\", but \"{q}\" is a {} question, not a table.",
                    r.owner,
                    r.text,
                    t.kind.name()
                ),
                Some(t) if !t.columns.iter().any(|c| c.id == column) => format!(
                    "{} takes its options from \"{}\", but table \"{q}\" has no column \"{column}\" (it has {}).",
                    r.owner,
                    r.text,
                    t.columns.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
                Some(_) => continue,
            },
        };
        c.at(&r.span, problem);
    }
}
