//! The interview's state: answers, drafts, focus, the editor, overlays, and everything derived
//! from the answers (visibility, states, the rendered documents, findings). No terminal here.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use crate::core::document::{Engine, QuestionState, RenderedDocument, Visibility};
use crate::core::fsio::Project;
use crate::core::history::Revision;
use crate::core::lint::Finding;
use crate::core::questionnaire::{DocumentKind, Question, Questionnaire, Section};
use crate::core::review::ReviewState;
use crate::core::session::{Answers, AnswersFile, SessionState};
use crate::tui::editor::Editor;
use crate::tui::keymap::Context;
use crate::tui::markdown::Preview;
use crate::tui::save::SavePlan;
use crate::tui::theme::Theme;

/// Below this the interface cannot be used; a notice asks for more room, and keys wait.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Which list an overlay shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Search,
    Sections,
    Findings,
    Outline,
    /// Answers kept aside from earlier versions of the questionnaire.
    Kept,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    /// Something the user must read before going on (a damaged session moved aside, say).
    Alert {
        lines: Vec<String>,
    },
    Picker {
        kind: PickerKind,
        query: String,
        /// Index into `items`: the best match after each change of the query.
        cursor: usize,
        /// The entries matching the query, best first.
        items: Vec<PickerItem>,
    },
    /// After the last question: how much is decided, what is wrong, and what to do next.
    Finish {
        scroll: u16,
    },
    /// Ctrl-S: what saving would change (and any hand edit on disk), before anything is written.
    Save {
        plan: SavePlan,
        /// Lines scrolled.
        scroll: u16,
    },
}

/// One line of a picker: what to show and where Enter goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerItem {
    pub label: String,
    pub detail: String,
    pub target: String,
    /// Drawn dimmed (a hidden question, say) but still reachable.
    pub inactive: bool,
    /// What is drawn before the label.
    pub mark: ItemMark,
    /// Characters of the label that matched the query (drawn emphasised).
    pub label_hits: Vec<usize>,
    /// Characters of the detail that matched the query.
    pub detail_hits: Vec<usize>,
}

/// The mark before a picker entry: the question's state badge, or a finding's severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemMark {
    None,
    Question(String),
    Severity(crate::core::questionnaire::Severity),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RightPane {
    Preview,
    Changes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub level: Level,
    /// When it was given: a notice goes after [`Notice::lasts`].
    pub since: Instant,
}

impl Notice {
    /// How long a notice stays: long enough to read, longer for what went wrong.
    pub fn lasts(&self) -> std::time::Duration {
        let seconds = 4 + u64::try_from(self.text.chars().count() / 20).unwrap_or(8).min(8);
        match self.level {
            Level::Info | Level::Success => std::time::Duration::from_secs(seconds),
            Level::Warning | Level::Error => std::time::Duration::from_secs(seconds * 2),
        }
    }
}

/// The last Markdown rendering of the preview. Moving between questions or through a choice
/// list redraws the screen without changing the document: parsing it again would be waste on
/// the keystroke path. (A cache is view state, hence the cell behind `&Model`.)
#[derive(Default)]
pub struct PreviewCache(
    std::cell::RefCell<Option<CachedPreview>>,
    std::cell::RefCell<crate::tui::markdown::Parts>,
);

/// What the preview was rendered from (text, width, theme) and the result.
type CachedPreview = (String, u16, &'static str, std::rc::Rc<Preview>);

impl PreviewCache {
    /// The rendering of `text` (of `kind`) at `width` with `theme`, from the cache when nothing
    /// changed.
    pub fn get(&self, text: &str, kind: DocumentKind, width: u16, theme: &Theme) -> std::rc::Rc<Preview> {
        let mut slot = self.0.borrow_mut();
        if let Some((t, w, name, preview)) = slot.as_ref()
            && t == text
            && *w == width
            && *name == theme.name
        {
            return std::rc::Rc::clone(preview);
        }
        // Markdown is rendered (a typed character changes one part of it: the others are
        // reused); YAML is shown as written.
        let preview = std::rc::Rc::new(match kind {
            DocumentKind::Markdown => {
                crate::tui::markdown::render_reusing(text, width, theme, &mut self.1.borrow_mut())
            }
            DocumentKind::Yaml => crate::tui::yaml_preview::render(text, width, theme),
        });
        *slot = Some((text.to_string(), width, theme.name, std::rc::Rc::clone(&preview)));
        preview
    }
}

/// What the right pane showed at the last draw, so paging goes from where it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaneView {
    /// The first line drawn.
    pub top: usize,
    /// Lines the pane has room for.
    pub height: usize,
    /// Lines of the whole pane content.
    pub lines: usize,
}

/// The review state of a document's latest revision, as the shell last read it from the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewStatus {
    pub revision: u32,
    pub state: ReviewState,
    /// The document's requests for changes in the current cycle reach the review gate's limit.
    pub limit_reached: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub answered: usize,
    pub assumed: usize,
    pub required_open: usize,
    pub shown: usize,
}

/// What the answers currently produce.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub visibility: Visibility,
    pub states: Vec<(String, QuestionState)>,
    pub documents: Vec<RenderedDocument>,
    pub findings: Vec<Finding>,
    /// A template that failed to render, shown instead of the preview.
    pub render_error: Option<String>,
}

pub struct Model {
    pub engine: Arc<Engine>,
    pub project: Project,
    /// Committed answers, including answers hidden by conditions (kept, never rendered).
    pub answers: Answers,
    /// Answers the questionnaire no longer takes, kept from earlier versions (never dropped).
    pub kept: BTreeMap<String, toml::Value>,
    /// Another process holds the session: nothing is written, nothing is saved.
    pub read_only: bool,
    /// Text typed into questions that could not become an answer yet (or not committed yet).
    pub drafts: BTreeMap<String, String>,
    /// The focused question's id.
    pub focus: String,
    pub editor: Editor,
    /// Esc stopped editing the focused text field: keys do not type until Enter or a letter.
    pub resting: bool,
    /// Lines of the focused question's help scrolled past.
    pub help_scroll: usize,
    pub overlay: Option<Overlay>,
    pub derived: Derived,
    /// The answers `derived` was worked out from (none before the first time).
    derived_from: Option<Answers>,
    pub right_pane: RightPane,
    /// Lines scrolled by hand; `None` follows the line of the answer being typed.
    pub preview_scroll: Option<u16>,
    /// What the right pane showed at the last draw (view state, hence the cell behind `&Model`).
    pub preview_view: std::cell::Cell<PaneView>,
    /// The document the user picked for the right pane (F3); `None` shows the one the current
    /// question's section feeds.
    pub document: Option<usize>,
    pub notice: Option<Notice>,
    /// The latest saved revision of each document, by path.
    pub revisions: BTreeMap<String, Revision>,
    /// Text of the latest revision of each document, for the changes pane and the save summary.
    pub saved_text: BTreeMap<String, String>,
    /// The review state of each document's latest revision, by path (read by the shell at
    /// start-up and after each save; a document without revisions has no entry).
    pub review: HashMap<String, ReviewStatus>,
    /// Rows the save overlay's scrolling part had at the last draw, so scrolling stops at the
    /// end (view state, hence the cell behind `&Model`).
    pub save_rows: std::cell::Cell<u16>,
    /// Typing not yet written to the session, and when the last key came.
    pub unsaved_typing: Option<Instant>,
    pub session_written: Option<String>,
    pub theme: Theme,
    /// The terminal's size as the shell last reported it; `None` until it does.
    pub size: Option<(u16, u16)>,
    /// The preview's rendered Markdown, reused while text, width and theme stay the same.
    pub preview_cache: PreviewCache,
    /// Proposed answers and the Quick Start line.
    pub assistant: crate::tui::proposals::Assistant,
    pub quit: bool,
    /// The questionnaire's content hash for the session file, worked out once: the session
    /// is snapshotted on every turn of the loop.
    questionnaire_hash: String,
    /// The documents' parts as last rendered, reused while their inputs stay the same.
    part_cache: crate::core::sections::PartCache,
}

impl Model {
    /// A model on `engine`'s questionnaire, resuming `session` if given.
    pub fn new(engine: Arc<Engine>, project: Project, session: Option<AnswersFile>, theme: Theme) -> Model {
        let q = Arc::clone(engine.questionnaire());
        let (answers, state, provenance) = match session {
            Some(file) => (file.answers, file.session.unwrap_or_default(), file.provenance),
            None => (Answers::new(), SessionState::default(), BTreeMap::new()),
        };
        let assistant = crate::tui::proposals::Assistant {
            sources: provenance
                .into_iter()
                .filter_map(|(id, source)| answers.get(&id).map(|a| (id, (source, a.clone()))))
                .collect(),
            rejected: state.rejected.clone(),
            ..Default::default()
        };
        let first = q.questions().next().map(|x| x.id.clone()).unwrap_or_default();
        let focus = state.focus.filter(|f| q.question(f).is_some()).unwrap_or(first);
        let mut model = Model {
            engine,
            project,
            answers,
            kept: state.kept,
            read_only: false,
            drafts: state.drafts,
            focus: focus.clone(),
            editor: Editor::YesNo { value: None },
            resting: false,
            help_scroll: 0,
            overlay: None,
            derived: Derived::default(),
            derived_from: None,
            right_pane: RightPane::Preview,
            // A scroll position from another window size would be wrong: follow the answer.
            preview_scroll: None,
            preview_view: std::cell::Cell::default(),
            document: None,
            notice: None,
            revisions: BTreeMap::new(),
            saved_text: BTreeMap::new(),
            review: HashMap::new(),
            save_rows: std::cell::Cell::new(0),
            unsaved_typing: None,
            session_written: state.updated,
            theme,
            size: None,
            preview_cache: PreviewCache::default(),
            assistant,
            quit: false,
            questionnaire_hash: q.content_hash(),
            part_cache: crate::core::sections::PartCache::default(),
        };
        model.editor = model.open_editor(&focus);
        if let Some([row, column]) = state.cursor {
            model.editor.set_cursor(row, column);
        }
        model.recompute();
        model
    }

    pub fn questionnaire(&self) -> &Arc<Questionnaire> {
        self.engine.questionnaire()
    }

    pub fn question(&self) -> &Question {
        let q = self.engine.questionnaire();
        match q.question(&self.focus) {
            Some(question) => question,
            // The focus is always a question id; fall back to the first rather than panic.
            None => q
                .sections
                .iter()
                .flat_map(|s| s.questions.iter())
                .next()
                .unwrap_or_else(|| unreachable_question()),
        }
    }

    pub fn section(&self) -> Option<&Section> {
        self.engine.questionnaire().section_of(&self.focus)
    }

    pub fn open_editor(&self, id: &str) -> Editor {
        let q = self.engine.questionnaire();
        match q.question(id) {
            Some(question) => {
                let answer = self.answers.get(id).or(question.default.as_ref());
                let mut editor = Editor::open(question, answer, self.drafts.get(id).map(String::as_str));
                if let (Editor::Choice(c), Some((table, column))) = (&mut editor, &question.options_from) {
                    c.sourced = crate::core::reference::column_values(&self.answers, table, column);
                }
                editor
            }
            None => Editor::YesNo { value: None },
        }
    }

    /// The key context for the focused editor or the open overlay.
    pub fn context(&self) -> Context {
        if self.assistant.quick.is_some() {
            return Context::QuickLine;
        }
        match &self.overlay {
            Some(Overlay::Help { .. }) => return Context::HelpOverlay,
            Some(Overlay::Alert { .. }) => return Context::Alert,
            Some(Overlay::Picker { .. }) => return Context::Picker,
            Some(Overlay::Save { plan, .. }) => return plan.context(),
            Some(Overlay::Finish { .. }) => return Context::Finish,
            None => {}
        }
        match &self.editor {
            Editor::Text { .. } | Editor::Checklist { .. } if self.resting => Context::FieldAtRest,
            Editor::Text { .. } if self.question().kind == crate::core::questionnaire::QuestionKind::Multiline => {
                Context::Multiline
            }
            Editor::Text { .. } => Context::Text,
            Editor::Checklist { .. } => Context::Checklist,
            Editor::Choice(c) if c.multi => Context::MultiChoice,
            Editor::Choice(_) => Context::Choice,
            Editor::YesNo { .. } => Context::YesNo,
            Editor::Rows(r) if r.editing.is_some() => Context::RowEdit,
            Editor::Rows(_) => Context::Rows,
        }
    }

    /// Whether `value`, what the editor holds for `question`, is only its default shown and
    /// never confirmed: the question has no answer yet and the editor holds the default.
    pub fn shows_unconfirmed_default(&self, question: &Question, value: &crate::core::answer::Answer) -> bool {
        !self.answers.contains_key(&question.id) && question.default.as_ref() == Some(value)
    }

    /// Committed answers with what the editor holds now laid over them (the preview follows
    /// the typing; an invalid draft leaves the committed answer in place). A default the
    /// editor only shows stays a default.
    pub fn live_answers(&self) -> Answers {
        let mut live = self.answers.clone();
        let question = self.question();
        match self.editor.value(question) {
            Ok(Some(a)) if self.shows_unconfirmed_default(question, &a) => {}
            Ok(Some(a)) => {
                live.insert(question.id.clone(), a);
            }
            Ok(None) => {
                live.remove(&question.id);
            }
            Err(_) => {}
        }
        live
    }

    /// Re-derives visibility, states, documents and findings from the live answers.
    pub fn recompute(&mut self) {
        let live = self.live_answers();
        let engine = &self.engine;
        let visibility = match &self.derived_from {
            Some(earlier) => engine.visibility_since(earlier, &self.derived.visibility, &live),
            None => engine.visibility(&live),
        };
        // A template that fails (a limit, say) is among the findings; the preview keeps the last
        // documents that rendered and says why it is not current.
        let report = engine.evaluate_cached(&live, &visibility, &mut self.part_cache);
        let (documents, render_error) = match report.failure {
            None => (report.documents, None),
            Some(e) => (self.derived.documents.clone(), Some(e.to_string())),
        };
        let (findings, states) = (report.findings, report.states);
        self.derived = Derived {
            visibility,
            states,
            documents,
            findings,
            render_error,
        };
        self.derived_from = Some(live);
    }

    /// The index of the document the right pane shows: the one picked with F3, else the one
    /// the current question feeds.
    pub fn shown_document(&self) -> usize {
        self.document.unwrap_or_else(|| self.feeds_document(&self.focus))
    }

    /// The index of the document question `id` feeds (through its section).
    pub fn feeds_document(&self, id: &str) -> usize {
        let q = self.engine.questionnaire();
        let section_doc = q.section_of(id).map(|s| s.document.as_str()).unwrap_or_default();
        q.documents.iter().position(|d| d.id == section_doc).unwrap_or(0)
    }

    /// The rendered document the right pane shows.
    pub fn shown_rendered(&self) -> Option<&RenderedDocument> {
        // By id: a document whose condition does not hold is not rendered.
        let id = self
            .engine
            .questionnaire()
            .documents
            .get(self.shown_document())
            .map(|d| d.id.as_str());
        self.derived
            .documents
            .iter()
            .find(|d| Some(d.id.as_str()) == id)
            .or(self.derived.documents.first())
    }

    pub fn state_of(&self, id: &str) -> Option<&QuestionState> {
        self.derived.states.iter().find(|(q, _)| q == id).map(|(_, s)| s)
    }

    pub fn is_visible(&self, id: &str) -> bool {
        self.derived.visibility.visible.contains(id)
    }

    /// The message for an answer that could not be taken, if the focused editor holds one.
    pub fn draft_problem(&self) -> Option<String> {
        self.editor.value(self.question()).err()
    }

    /// Shown questions, in order.
    pub fn visible_questions(&self) -> Vec<&Question> {
        self.engine
            .questionnaire()
            .questions()
            .filter(|q| self.is_visible(&q.id))
            .collect()
    }

    /// Counts over the shown questions, for "12/31 answered · 7 assumed · 3 required open".
    pub fn progress(&self) -> Progress {
        let mut p = Progress::default();
        for (id, state) in &self.derived.states {
            let drafted = self.drafts.contains_key(id);
            match state {
                QuestionState::Hidden { .. } => continue,
                QuestionState::Answered if !drafted => p.answered += 1,
                QuestionState::Assumed if !drafted => p.assumed += 1,
                QuestionState::Open { required: true } => p.required_open += 1,
                _ => {}
            }
            p.shown += 1;
        }
        p
    }

    /// Findings about question `id`.
    pub fn findings_for(&self, id: &str) -> Vec<&Finding> {
        // Open and assumed questions already show as such; these are the problems to fix.
        self.derived
            .findings
            .iter()
            .filter(|f| f.question.as_deref() == Some(id) && f.rule != "assumed" && f.rule != "required")
            .collect()
    }

    /// The session file's content: answers, drafts (the focused editor's too) and the focus.
    pub fn session_file(&self) -> AnswersFile {
        let mut drafts = self.drafts.clone();
        let question = self.question();
        // Choices, yes/no, lists and tables have no text draft: what they hold now is kept as
        // the answer, so a crash or a dropped connection loses none of it.
        let answers = if self.editor.draft_text().is_none() {
            self.live_answers()
        } else {
            self.answers.clone()
        };
        if let Some(text) = self.editor.draft_text() {
            let committed = self
                .answers
                .get(&question.id)
                .map(crate::tui::editor::answer_text)
                .unwrap_or_default();
            if text != committed || self.editor.value(question).is_err() {
                drafts.insert(question.id.clone(), text);
            }
        }
        let q = self.engine.questionnaire();
        AnswersFile {
            questionnaire: Some(q.id.clone()),
            provenance: self.assistant.provenance(&answers),
            answers,
            session: Some(SessionState {
                questionnaire_version: Some(q.version.clone()),
                questionnaire_hash: Some(self.questionnaire_hash.clone()),
                focus: Some(self.focus.clone()),
                updated: None,
                cursor: self.editor.cursor(),
                scroll: None,
                questions: q.questions().map(|x| x.id.clone()).collect(),
                drafts,
                kept: self.kept.clone(),
                rejected: self.assistant.rejected.clone(),
            }),
        }
    }

    /// While a cell whose column names something is edited: the values it may take that match
    /// what is typed, best first (all of them before anything is typed).
    pub fn cell_values(&self) -> Option<Vec<String>> {
        let Editor::Rows(r) = &self.editor else { return None };
        let area = r.editing.as_ref()?;
        let source = self.question().columns.get(r.column)?.values.as_ref()?;
        let values = crate::core::reference::values(&self.answers, source);
        let typed = crate::tui::editor::area_text(area);
        let candidates: Vec<Vec<crate::core::matcher::Field>> = values
            .iter()
            .map(|v| vec![crate::core::matcher::Field::name(v)])
            .collect();
        let ranked = crate::core::matcher::rank(&typed, &candidates);
        Some(ranked.into_iter().map(|hit| values[hit.index].clone()).collect())
    }

    /// The value Enter puts in the cell being edited, if any: the one chosen with ↑↓, else the
    /// best match when nothing is typed or it contains what is typed (a loose fuzzy match is
    /// not taken over what the user typed).
    pub fn cell_pick(&self, values: &[String]) -> Option<usize> {
        let Editor::Rows(r) = &self.editor else { return None };
        if let Some(pick) = r.pick {
            return (pick < values.len()).then_some(pick);
        }
        let typed = r.editing.as_ref().map(crate::tui::editor::area_text)?;
        let typed = typed.trim().to_lowercase();
        values
            .first()
            .filter(|v| typed.is_empty() || v.to_lowercase().contains(&typed))
            .map(|_| 0)
    }

    /// The first shown question, in questionnaire order, that is required and still open.
    pub fn first_required_open(&self) -> Option<String> {
        self.engine
            .questionnaire()
            .questions()
            .find(|q| matches!(self.state_of(&q.id), Some(QuestionState::Open { required: true })))
            .map(|q| q.id.clone())
    }

    /// Whether the window is below the size the interface needs (keys then wait).
    pub fn too_small(&self) -> bool {
        self.size.is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            level,
            since: Instant::now(),
        });
    }
}

#[allow(clippy::panic)] // a questionnaire always has a question: load refuses one without
fn unreachable_question() -> &'static Question {
    panic!("a questionnaire without questions was loaded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_is_rendered_again_only_when_text_width_or_theme_change() {
        let cache = PreviewCache::default();
        let dark = Theme::dark();
        let a = cache.get("# A\n", DocumentKind::Markdown, 40, &dark);
        assert!(std::rc::Rc::ptr_eq(
            &a,
            &cache.get("# A\n", DocumentKind::Markdown, 40, &dark)
        ));
        assert!(!std::rc::Rc::ptr_eq(
            &a,
            &cache.get("# B\n", DocumentKind::Markdown, 40, &dark)
        ));
        let b = cache.get("# B\n", DocumentKind::Markdown, 40, &dark);
        assert!(!std::rc::Rc::ptr_eq(
            &b,
            &cache.get("# B\n", DocumentKind::Markdown, 41, &dark)
        ));
        assert!(!std::rc::Rc::ptr_eq(
            &cache.get("# B\n", DocumentKind::Markdown, 41, &dark),
            &cache.get("# B\n", DocumentKind::Markdown, 41, &Theme::light())
        ));
    }
}
