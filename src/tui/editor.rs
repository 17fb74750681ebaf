//! The editing state of the focused question, one variant per question kind, and the
//! conversion between what is on screen and an answer.
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::core::answer::{Answer, Row};
use crate::core::matcher::{Field, rank as rank_by};
use crate::core::questionnaire::{Question, QuestionKind};

/// What the user is doing with the focused question.
pub enum Editor {
    /// text, multiline and number.
    Text {
        area: TextArea<'static>,
    },
    /// A checklist item: an answer, or an explicit assumption in the user's words.
    Checklist {
        area: TextArea<'static>,
        assumption: bool,
    },
    Choice(ChoiceState),
    YesNo {
        value: Option<bool>,
    },
    /// list (one column) and table.
    Rows(RowsState),
}

pub struct ChoiceState {
    pub multi: bool,
    pub filter: String,
    /// Index into `visible()`.
    pub cursor: usize,
    /// Chosen options (one at most for a single choice), in the order chosen.
    pub chosen: Vec<String>,
    /// A multiple choice answered "none": nothing applies, said on purpose.
    pub none: bool,
    /// Options taken from another table's column (`options_from`), as answered when opened.
    pub sourced: Vec<String>,
}

pub struct RowsState {
    /// Column ids; a list has one unnamed column.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    pub row: usize,
    pub column: usize,
    /// The cell being edited.
    pub editing: Option<TextArea<'static>>,
    /// Answered "none": there are none, said on purpose (not the same as not answered).
    pub none: bool,
    /// In a cell whose column names something: the value chosen with ↑↓ among those offered.
    pub pick: Option<usize>,
}

/// One entry of a choice list as shown: an option, or the filter text offered as "other".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Option(String),
    Other(String),
}

impl Entry {
    pub fn text(&self) -> &str {
        match self {
            Entry::Option(s) | Entry::Other(s) => s,
        }
    }
}

/// A single-line or multi-line text area holding `text`, cursor at the end.
pub fn text_area(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.split('\n').map(str::to_string).collect()
    };
    let mut area = TextArea::new(lines);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    area
}

pub fn area_text(area: &TextArea<'_>) -> String {
    area.lines().join("\n")
}

/// The single column a list's rows use.
const ITEM: &str = "item";

impl Editor {
    /// The editor for `question`, showing `draft` if there is one, else `answer`.
    pub fn open(question: &Question, answer: Option<&Answer>, draft: Option<&str>) -> Editor {
        match question.kind {
            QuestionKind::Text | QuestionKind::Multiline | QuestionKind::Number => {
                let text = draft
                    .map(str::to_string)
                    .or_else(|| answer.map(answer_text))
                    .unwrap_or_default();
                Editor::Text { area: text_area(&text) }
            }
            QuestionKind::Checklist => {
                let assumption = matches!(answer, Some(Answer::Assumption { .. })) && draft.is_none();
                let text = draft
                    .map(str::to_string)
                    .or_else(|| answer.map(answer_text))
                    .unwrap_or_default();
                Editor::Checklist {
                    area: text_area(&text),
                    assumption,
                }
            }
            QuestionKind::Choice | QuestionKind::MultiChoice => {
                let chosen = match answer {
                    Some(Answer::Text(s)) => vec![s.clone()],
                    Some(Answer::List(v)) => v.clone(),
                    _ => Vec::new(),
                };
                let mut state = ChoiceState {
                    multi: question.kind == QuestionKind::MultiChoice,
                    filter: String::new(),
                    cursor: 0,
                    chosen,
                    none: answer.is_some_and(Answer::is_none),
                    sourced: Vec::new(),
                };
                // Start on the current choice.
                if let Some(first) = state.chosen.first().cloned() {
                    state.cursor = state
                        .visible(question)
                        .iter()
                        .position(|e| e.text() == first)
                        .unwrap_or(0);
                }
                Editor::Choice(state)
            }
            QuestionKind::YesNo => Editor::YesNo {
                value: match answer {
                    Some(Answer::Bool(b)) => Some(*b),
                    _ => None,
                },
            },
            QuestionKind::List | QuestionKind::Table => {
                let columns: Vec<String> = if question.kind == QuestionKind::List {
                    vec![ITEM.to_string()]
                } else {
                    question.columns.iter().map(|c| c.id.clone()).collect()
                };
                let rows: Vec<Row> = match answer {
                    Some(Answer::List(items)) => items
                        .iter()
                        .map(|s| [(ITEM.to_string(), s.clone())].into_iter().collect())
                        .collect(),
                    Some(Answer::Table(rows)) => rows.clone(),
                    _ => Vec::new(),
                };
                Editor::Rows(RowsState {
                    columns,
                    rows,
                    row: 0,
                    column: 0,
                    editing: None,
                    none: answer.is_some_and(Answer::is_none),
                    pick: None,
                })
            }
        }
    }

    /// The answer the editor holds now: `Ok(None)` when empty, `Err` when it cannot be an
    /// answer of this kind (a draft to keep and mark).
    pub fn value(&self, question: &Question) -> Result<Option<Answer>, String> {
        match self {
            Editor::Text { area } => {
                let text = area_text(area);
                if text.trim().is_empty() {
                    return Ok(None);
                }
                match question.kind {
                    QuestionKind::Number => parse_number(text.trim()).map(Some),
                    QuestionKind::Text => Ok(Some(Answer::Text(text.trim().to_string()))),
                    _ => Ok(Some(Answer::Text(text.trim_end().to_string()))),
                }
            }
            Editor::Checklist { area, assumption } => {
                let text = area_text(area).trim_end().to_string();
                Ok(match (text.trim().is_empty(), assumption) {
                    (true, false) => None,
                    // An empty assumption stands for the questionnaire's own.
                    (true, true) => question.assume.clone().map(|a| Answer::Assumption { assumption: a }),
                    (false, true) => Some(Answer::Assumption { assumption: text }),
                    (false, false) => Some(Answer::Text(text)),
                })
            }
            Editor::Choice(c) => Ok(match (c.multi, c.chosen.as_slice()) {
                (true, []) if c.none => Some(Answer::List(Vec::new())),
                (_, []) => None,
                (false, [one, ..]) => Some(Answer::Text(one.clone())),
                (true, many) => Some(Answer::List(many.to_vec())),
            }),
            Editor::YesNo { value } => Ok(value.map(Answer::Bool)),
            Editor::Rows(r) => {
                let mut rows = r.rows.clone();
                if let Some(area) = &r.editing
                    && let (Some(row), Some(col)) = (rows.get_mut(r.row), r.columns.get(r.column))
                {
                    row.insert(col.clone(), area_text(area));
                }
                let rows: Vec<Row> = rows
                    .into_iter()
                    .map(|row| row.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect::<Row>())
                    .filter(|row| !row.is_empty())
                    .collect();
                if rows.is_empty() {
                    return Ok(match (r.none, question.kind) {
                        (true, QuestionKind::List) => Some(Answer::List(Vec::new())),
                        (true, _) => Some(Answer::Table(Vec::new())),
                        (false, _) => None,
                    });
                }
                Ok(Some(if question.kind == QuestionKind::List {
                    Answer::List(
                        rows.into_iter()
                            .filter_map(|mut r| r.remove(ITEM))
                            .map(|s| s.trim().to_string())
                            .collect(),
                    )
                } else {
                    Answer::Table(
                        rows.into_iter()
                            .map(|r| r.into_iter().map(|(k, v)| (k, v.trim().to_string())).collect())
                            .collect(),
                    )
                }))
            }
        }
    }

    /// The text kept as a draft when the value cannot be an answer yet.
    pub fn draft_text(&self) -> Option<String> {
        match self {
            Editor::Text { area } | Editor::Checklist { area, .. } => Some(area_text(area)),
            _ => None,
        }
    }

    /// Where the text cursor is (line, column), for the session.
    pub fn cursor(&self) -> Option<[u16; 2]> {
        match self {
            Editor::Text { area } | Editor::Checklist { area, .. } => {
                let ratatui_textarea::DataCursor(row, col) = area.cursor();
                Some([
                    u16::try_from(row).unwrap_or(u16::MAX),
                    u16::try_from(col).unwrap_or(u16::MAX),
                ])
            }
            _ => None,
        }
    }

    /// Puts the text cursor back where the session had it (clamped to the text).
    pub fn set_cursor(&mut self, row: u16, column: u16) {
        if let Some(area) = self.area_mut() {
            area.move_cursor(CursorMove::Jump(row, column));
        }
    }

    /// The line of the answer the cursor is on and the cursor's column in it (characters): what
    /// the preview keeps in view. A choice gives the option chosen last, a list or table the
    /// cell in focus; yes / no gives nothing.
    pub fn cursor_line(&self) -> Option<(String, usize)> {
        let in_area = |area: &TextArea<'_>| {
            let ratatui_textarea::DataCursor(row, col) = area.cursor();
            area.lines().get(row).map(|line| (line.clone(), col))
        };
        match self {
            Editor::Text { area } | Editor::Checklist { area, .. } => in_area(area),
            Editor::Rows(r) => {
                if let Some(area) = &r.editing {
                    return in_area(area);
                }
                let row = r.rows.get(r.row)?;
                let text = r
                    .columns
                    .get(r.column)
                    .and_then(|c| row.get(c))
                    .or_else(|| row.values().next())?;
                Some((text.clone(), text.chars().count()))
            }
            Editor::Choice(c) => c.chosen.last().map(|t| (t.clone(), t.chars().count())),
            Editor::YesNo { .. } => None,
        }
    }

    /// The text area being typed into, if any.
    pub fn area_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match self {
            Editor::Text { area } | Editor::Checklist { area, .. } => Some(area),
            Editor::Rows(r) => r.editing.as_mut(),
            Editor::Choice(_) | Editor::YesNo { .. } => None,
        }
    }
}

/// The answer as editable text (for text areas and the external editor).
pub fn answer_text(answer: &Answer) -> String {
    match answer {
        Answer::Text(s) | Answer::Assumption { assumption: s } => s.clone(),
        Answer::Integer(n) => n.to_string(),
        Answer::Float(n) => n.to_string(),
        Answer::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Answer::List(v) => v.join("\n"),
        Answer::Table(rows) => rows
            .iter()
            .map(|r| r.values().map(String::as_str).collect::<Vec<_>>().join(" | "))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// A table as text for an external editor: a comment naming the columns, then one row a line,
/// cells in column order separated by ` | ` (a `|` inside a cell is written `\|`).
pub fn table_text(question: &Question, r: &RowsState) -> String {
    let titles: Vec<&str> = question.columns.iter().map(|c| c.title.as_str()).collect();
    let mut out = format!(
        "# {} (one row a line; a | inside a cell is written \\|)\n",
        titles.join(" | ")
    );
    for row in &r.rows {
        let cells: Vec<String> = r
            .columns
            .iter()
            .map(|c| {
                row.get(c)
                    .map_or(String::new(), |v| v.replace('|', "\\|").replace('\n', " "))
            })
            .collect();
        out.push_str(&cells.join(" | "));
        out.push('\n');
    }
    out
}

/// Reads rows back from the external editor: lines starting with `#` are comments; a line
/// with more cells than there are columns is refused rather than guessed at.
pub fn parse_rows(columns: &[String], text: &str) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let cells: Vec<String> = if columns.len() > 1 {
            split_cells(line)
        } else {
            vec![line.to_string()]
        };
        if cells.len() > columns.len() {
            return Err(format!(
                "line {} has {} cells but there are {} columns",
                n + 1,
                cells.len(),
                columns.len()
            ));
        }
        let row: Row = columns
            .iter()
            .zip(cells)
            .map(|(c, v)| (c.clone(), v.trim().to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if !row.is_empty() {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Splits at `|` not written as `\|`.
fn split_cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cell.push('|');
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// A number as typed: `1_000` and `1,000` read as 1000; integers stay integers.
pub fn parse_number(text: &str) -> Result<Answer, String> {
    let compact: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    if let Ok(i) = compact.parse::<i64>() {
        return Ok(Answer::Integer(i));
    }
    match compact.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Answer::Float(f)),
        _ => Err(format!("\"{text}\" is not a number")),
    }
}

impl ChoiceState {
    /// The entries shown for the current filter: exact matches first, then prefix matches,
    /// then fuzzy ones; then the filter itself as "other" when the question allows it.
    pub fn visible(&self, question: &Question) -> Vec<Entry> {
        let options: Vec<&String> = question
            .options
            .iter()
            .chain(self.sourced.iter().filter(|s| !question.options.contains(s)))
            .collect();
        // Answers chosen earlier that are not options (an "other") stay visible and tickable.
        let extra = self.chosen.iter().filter(|c| !options.contains(c));
        let all: Vec<&String> = options.iter().copied().chain(extra).collect();
        let filter = self.filter.trim();
        let mut out: Vec<Entry> = if filter.is_empty() {
            all.iter().map(|o| Entry::Option((*o).clone())).collect()
        } else {
            rank(&all, filter)
                .into_iter()
                .map(|o| Entry::Option(o.clone()))
                .collect()
        };
        if question.other && !filter.is_empty() && !all.iter().any(|o| o.eq_ignore_ascii_case(filter)) {
            out.push(Entry::Other(filter.to_string()));
        }
        out
    }

    pub fn is_chosen(&self, text: &str) -> bool {
        self.chosen.iter().any(|c| c == text)
    }
}

/// Options matching `filter`, best first, by the one matcher of choices and pickers.
fn rank<'a>(options: &[&'a String], filter: &str) -> Vec<&'a String> {
    let candidates: Vec<Vec<Field>> = options.iter().map(|o| vec![Field::name(o)]).collect();
    rank_by(filter, &candidates)
        .into_iter()
        .map(|hit| options[hit.index])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::questionnaire::Validation;

    fn question(kind: QuestionKind, options: &[&str], other: bool) -> Question {
        Question {
            id: "q".into(),
            kind,
            prompt: "Q?".into(),
            label: "Q".into(),
            help: None,
            required: false,
            default: None,
            when: None,
            assume: Some("assumed".into()),
            feeds: None,
            options: options.iter().map(|s| (*s).to_string()).collect(),
            options_from: None,
            other,
            columns: Vec::new(),
            none: None,
            validate: Validation::default(),
            pattern: None,
        }
    }

    #[test]
    fn filter_ranks_exact_then_prefix_then_fuzzy() {
        let q = question(
            QuestionKind::Choice,
            &["gRPC", "GraphQL", "REST", "tRPC", "rest-ish"],
            true,
        );
        let state = ChoiceState {
            multi: false,
            filter: "rest".into(),
            cursor: 0,
            chosen: vec![],
            none: false,
            sourced: Vec::new(),
        };
        let texts: Vec<String> = state.visible(&q).iter().map(|e| e.text().to_string()).collect();
        assert_eq!(texts[0], "REST");
        assert_eq!(texts[1], "rest-ish");
        let state = ChoiceState {
            filter: "gql".into(),
            ..state
        };
        let v = state.visible(&q);
        assert_eq!(v[0], Entry::Option("GraphQL".into()));
        assert_eq!(v.last(), Some(&Entry::Other("gql".into())), "other is offered last");
    }

    #[test]
    fn numbers_accept_separators_and_refuse_words() {
        assert_eq!(parse_number("1_000"), Ok(Answer::Integer(1000)));
        assert_eq!(parse_number("2.5"), Ok(Answer::Float(2.5)));
        assert!(parse_number("lots").is_err());
    }

    #[test]
    fn checklist_marked_as_assumption_uses_the_questionnaires_words_when_empty() {
        let q = question(QuestionKind::Checklist, &[], false);
        let e = Editor::Checklist {
            area: text_area(""),
            assumption: true,
        };
        assert_eq!(
            e.value(&q),
            Ok(Some(Answer::Assumption {
                assumption: "assumed".into()
            }))
        );
        let e = Editor::Checklist {
            area: text_area("mine"),
            assumption: false,
        };
        assert_eq!(e.value(&q), Ok(Some(Answer::Text("mine".into()))));
    }

    #[test]
    fn tables_round_trip_through_the_external_editor_in_column_order() {
        let mut q = question(QuestionKind::Table, &[], false);
        q.columns = vec![
            crate::core::questionnaire::Column {
                id: "role".into(),
                title: "Role".into(),
                values: None,
            },
            crate::core::questionnaire::Column {
                id: "permissions".into(),
                title: "May do".into(),
                values: None,
            },
        ];
        let rows: Vec<Row> = vec![
            [
                ("role".to_string(), "admin".to_string()),
                ("permissions".to_string(), "read | write".to_string()),
            ]
            .into_iter()
            .collect(),
            [("permissions".to_string(), "only this".to_string())]
                .into_iter()
                .collect(),
        ];
        let Editor::Rows(r) = Editor::open(&q, Some(&Answer::Table(rows.clone())), None) else {
            panic!()
        };
        let text = table_text(&q, &r);
        assert!(text.contains("admin | read \\| write\n | only this\n"), "{text}");
        assert_eq!(parse_rows(&r.columns, &text), Ok(rows));
        assert!(
            parse_rows(&r.columns, "a | b | c\n").is_err(),
            "too many cells are refused"
        );
    }

    #[test]
    fn rows_drop_empty_cells_and_rows() {
        let q = question(QuestionKind::List, &[], false);
        let mut e = Editor::open(&q, Some(&Answer::List(vec!["a".into(), "b".into()])), None);
        if let Editor::Rows(r) = &mut e {
            r.rows.push(Row::new());
            r.row = 1;
            r.editing = Some(text_area("B"));
        }
        assert_eq!(e.value(&q), Ok(Some(Answer::List(vec!["a".into(), "B".into()]))));
    }
}
