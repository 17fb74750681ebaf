//! Keys → named actions. One table: the event handler, the footer and the F1 help overlay all
//! read it, so what is listed is what works. The user's `[keys]` overrides are laid over the
//! built-in table once, at start-up, and every reader sees the result.
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::OnceLock;

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Next,
    Previous,
    Save,
    TogglePane,
    NextDocument,
    Help,
    ExternalEditor,
    Quit,
    Suspend,
    Search,
    Sections,
    Findings,
    Outline,
    Kept,
    PreviewUp,
    PreviewDown,
    PreviewTop,
    PreviewBottom,
    /// Scroll the focused question's help when it is longer than its room.
    HelpUp,
    HelpDown,
    NextSection,
    PreviousSection,
    /// Enter: confirm a choice, leave a single-line field, start or finish editing a row.
    Confirm,
    /// Enter in a multi-line field.
    Newline,
    Toggle,
    Up,
    Down,
    Left,
    Right,
    NewRow,
    DeleteRow,
    MoveRowUp,
    MoveRowDown,
    ToggleAssumption,
    /// Answer a list, table or multiple choice with "none" (there are none), or take it back.
    ToggleNone,
    /// Readline's editing keys in text fields (and, for the deleting ones, in filters).
    LineStart,
    LineEnd,
    WordBack,
    WordForward,
    DeleteToLineStart,
    DeleteWordBack,
    DeleteWordForward,
    /// Put back what the last deleting key took (readline's yank).
    Yank,
    Undo,
    Redo,
    /// Go back to editing a text field after Esc.
    Edit,
    /// From the finish line: the first required question still open.
    FirstOpen,
    /// Esc: close an overlay or stop editing a row; never drops an answer.
    Back,
    Yes,
    No,
    /// A page up / down (the reviewer, and overlays that scroll).
    PageUp,
    PageDown,
    /// Record a hand-edited document as it is on disk as a new revision.
    KeepHandEdit,
    /// Save the interview's version over a hand-edited document (the edit is recorded first).
    Overwrite,
    // The reviewer.
    Top,
    Bottom,
    NextHunk,
    PreviousHunk,
    ToggleFold,
    ToggleContext,
    MarkViewed,
    SwitchLayout,
    ToggleOutline,
    PickRevisions,
    AddNote,
    Approve,
    RequestChanges,
    CopyHunk,
    CopySection,
    /// The reviewer: change your own note waiting for the decision.
    EditNote,
    /// The reviewer: delete your own note waiting for the decision.
    DeleteNote,
    /// The reviewer: mark a recorded note resolved, or open again.
    ResolveNote,
    /// The reviewer: say who is reviewing (two people at one terminal).
    SetReviewer,
    /// The reviewer: every decision on the newer revision, and the review gate.
    ReviewHistory,
    NextNote,
    PreviousNote,
    // The assistant.
    /// Take the proposal shown for this question as its answer.
    AcceptProposal,
    RejectProposal,
    /// Take every proposal from the source of the one shown.
    AcceptSource,
    /// Show this question's next proposal (when several disagree).
    NextProposal,
    /// Open the one-line Quick Start field.
    QuickStart,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Anywhere, before anything else.
    Global,
    /// Single-line text and numbers.
    Text,
    Multiline,
    Choice,
    MultiChoice,
    YesNo,
    /// Lists and tables when no row is being edited.
    Rows,
    /// A row or cell being edited.
    RowEdit,
    /// Keys shared by every text field being edited (text, numbers, checklist items, cells).
    Editing,
    /// A text field after Esc: not being edited, the answer kept.
    FieldAtRest,
    Checklist,
    /// A list overlay: search, sections, findings, outline.
    Picker,
    /// The help overlay.
    HelpOverlay,
    /// An alert to acknowledge.
    Alert,
    /// The save overlay: what saving would change, before anything is written.
    SaveSummary,
    /// The save overlay when a document was edited outside the tool.
    HandEdit,
    /// The finish line after the last question.
    Finish,
    /// The diff reviewer.
    Review,
    /// The reviewer's revision list.
    ReviewRevisions,
    /// Writing a review note.
    ReviewNote,
    /// Confirming a review decision.
    ReviewDecide,
    /// Saying who is reviewing.
    ReviewName,
    /// The one-line Quick Start field.
    QuickLine,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Text => "Single-line text and numbers",
            Context::Multiline => "Multi-line text",
            Context::Choice => "Choices",
            Context::MultiChoice => "Multiple choices",
            Context::YesNo => "Yes / no",
            Context::Rows => "Lists and tables",
            Context::RowEdit => "Editing a row or cell",
            Context::Editing => "Editing text, in every text field (readline's keys)",
            Context::FieldAtRest => "A text field after Esc",
            Context::Checklist => "Checklist items",
            Context::Picker => "Search, sections, findings, outline",
            Context::HelpOverlay => "Help",
            Context::Alert => "Alerts",
            Context::SaveSummary => "Saving: what will change, shown before anything is written",
            Context::HandEdit => "Saving over a document edited outside spec-interview",
            Context::Finish => "The finish line, after the last question",
            Context::Review => "Reviewing a diff",
            Context::ReviewRevisions => "Choosing revisions",
            Context::ReviewNote => "Writing a review note",
            Context::ReviewDecide => "Recording a decision, deleting a note",
            Context::ReviewName => "Saying who is reviewing",
            Context::QuickLine => "The Quick Start line: what it places is shown before Enter applies it",
        }
    }

    /// Whether the context belongs to the diff reviewer (whose help lists only its own keys).
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Context::Review
                | Context::ReviewRevisions
                | Context::ReviewNote
                | Context::ReviewDecide
                | Context::ReviewName
        )
    }

    /// Overlays take their own keys first; only a few global ones pass through.
    pub fn is_overlay(self) -> bool {
        matches!(
            self,
            Context::Picker
                | Context::HelpOverlay
                | Context::Alert
                | Context::SaveSummary
                | Context::HandEdit
                | Context::QuickLine
                | Context::Finish
        )
    }
}

/// A key with its modifiers, written the way the help shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn key(code: KeyCode, modifiers: KeyModifiers) -> Chord {
    Chord { code, modifiers }
}

const fn ctrl(c: char) -> Chord {
    key(KeyCode::Char(c), CTRL)
}

impl Chord {
    /// Whether a key event is this chord. Shift on a character is part of the character.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let mut mods = event.modifiers & (CTRL | ALT | SHIFT);
        if let KeyCode::Char(_) = event.code {
            mods.remove(SHIFT);
        }
        let code = match (event.code, self.code) {
            // A terminal sends Ctrl-_ as the byte 0x1F, which also stands for Ctrl-7 and Ctrl-/.
            (KeyCode::Char('_' | '7' | '/'), KeyCode::Char('_')) if self.modifiers == CTRL => {
                return mods == CTRL;
            }
            // Terminals report Shift-Tab as BackTab, with or without SHIFT.
            (KeyCode::BackTab, KeyCode::BackTab) => return true,
            // An upper-case letter in the table means Shift and that letter; a lower-case one either.
            (KeyCode::Char(a), KeyCode::Char(b)) if b.is_ascii_uppercase() => return a == b && mods == self.modifiers,
            (KeyCode::Char(a), KeyCode::Char(b)) => return a.eq_ignore_ascii_case(&b) && mods == self.modifiers,
            (code, _) => code,
        };
        code == self.code && mods == self.modifiers
    }

    pub fn label(&self) -> String {
        if self.code == KeyCode::BackTab {
            return "Shift-Tab".to_string();
        }
        let mut s = String::new();
        if self.modifiers.contains(CTRL) {
            s.push_str("Ctrl-");
        }
        if self.modifiers.contains(ALT) {
            s.push_str("Alt-");
        }
        if self.modifiers.contains(SHIFT) || matches!(self.code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
            s.push_str("Shift-");
        }
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            // A plain letter reads as typed (`n`, and `Shift-N` for the upper case); with Ctrl or
            // Alt it reads the way menus write it (`Ctrl-S`).
            KeyCode::Char(c) if self.modifiers.is_empty() => c.to_string(),
            KeyCode::Char(c) => c.to_ascii_uppercase().to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Insert => "Ins".to_string(),
            other => format!("{other:?}"),
        };
        s.push_str(&name);
        s
    }
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub chords: &'static [Chord],
    pub action: Action,
    pub help: &'static str,
    /// Shown in the footer when its context is active.
    pub footer: bool,
}

const fn bind(context: Context, chords: &'static [Chord], action: Action, help: &'static str, footer: bool) -> Binding {
    Binding {
        context,
        chords,
        action,
        help,
        footer,
    }
}

use Action as A;
use Context as C;

/// The keymap. Order matters within a context: the first match wins.
pub const BINDINGS: &[Binding] = &[
    bind(
        C::Global,
        &[key(KeyCode::Tab, NONE)],
        A::Next,
        "next question (keeps what you typed)",
        true,
    ),
    bind(
        C::Global,
        &[key(KeyCode::BackTab, SHIFT)],
        A::Previous,
        "previous question",
        true,
    ),
    bind(
        C::Global,
        &[ctrl('s')],
        A::Save,
        "save the document as a new revision",
        true,
    ),
    bind(C::Global, &[key(KeyCode::F(1), NONE)], A::Help, "help: every key", true),
    bind(
        C::Global,
        &[key(KeyCode::F(2), NONE)],
        A::TogglePane,
        "right pane: preview / changes since the last revision",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::F(3), NONE)],
        A::NextDocument,
        "right pane: the next document (questionnaires with several)",
        false,
    ),
    bind(
        C::Global,
        &[ctrl('e')],
        A::ExternalEditor,
        "edit this answer in $VISUAL / $EDITOR",
        false,
    ),
    bind(
        C::Global,
        &[ctrl('q'), ctrl('c')],
        A::Quit,
        "quit (the session is already saved)",
        true,
    ),
    bind(
        C::Global,
        &[ctrl('z')],
        A::Suspend,
        "suspend to the shell (fg to return)",
        false,
    ),
    bind(
        C::Global,
        &[ctrl('f')],
        A::Search,
        "search questions, answers and help",
        false,
    ),
    // Before Alt-a: a lower-case letter in the table also matches its upper case.
    bind(
        C::Global,
        &[key(KeyCode::Char('A'), ALT)],
        A::AcceptSource,
        "accept every proposal from the same source (answered questions and contradictions are left to you)",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::Char('a'), ALT)],
        A::AcceptProposal,
        "accept the answer proposed for this question (its evidence is shown with it)",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::Char('r'), ALT)],
        A::RejectProposal,
        "reject the proposed answer (it is not proposed again)",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::Char('n'), ALT)],
        A::NextProposal,
        "show this question's next proposal (when sources disagree)",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::Char('q'), ALT)],
        A::QuickStart,
        "Quick Start line: describe the backend in one sentence to fill the options it names",
        false,
    ),
    bind(C::Global, &[ctrl('g')], A::Sections, "jump to a section", false),
    bind(
        C::Global,
        &[ctrl('l')],
        A::Findings,
        "findings: lint and required gaps, jump to one",
        false,
    ),
    bind(C::Global, &[ctrl('o')], A::Outline, "move through the outline", false),
    bind(
        C::Global,
        &[ctrl('k')],
        A::Kept,
        "answers kept from an earlier version of the questionnaire: copy one into this answer",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::PageUp, NONE)],
        A::PreviewUp,
        "the preview a page up, from where it is (typing brings it back to the answer)",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::PageDown, NONE)],
        A::PreviewDown,
        "the preview a page down",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::Home, CTRL)],
        A::PreviewTop,
        "the preview's top (Home too, outside text fields)",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::End, CTRL)],
        A::PreviewBottom,
        "the preview's end (End too, outside text fields)",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::PageUp, ALT)],
        A::HelpUp,
        "scroll the question's help up (when it is longer than its room)",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::PageDown, ALT)],
        A::HelpDown,
        "scroll the question's help down",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::PageDown, CTRL)],
        A::NextSection,
        "next section",
        false,
    ),
    bind(
        C::Global,
        &[key(KeyCode::PageUp, CTRL)],
        A::PreviousSection,
        "previous section",
        false,
    ),
    // Single-line text and numbers: everything else edits the text.
    bind(
        C::Text,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "keep the answer and go on",
        true,
    ),
    bind(
        C::Text,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "stop editing (what you typed is kept)",
        false,
    ),
    // Multi-line text.
    bind(C::Multiline, &[key(KeyCode::Enter, NONE)], A::Newline, "new line", true),
    bind(
        C::Multiline,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "stop editing (what you typed is kept)",
        false,
    ),
    // Checklist items.
    bind(
        C::Checklist,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "keep the answer and go on",
        true,
    ),
    bind(
        C::Checklist,
        &[ctrl('t')],
        A::ToggleAssumption,
        "answer it / leave it as a labelled assumption",
        true,
    ),
    bind(
        C::Checklist,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "stop editing (what you typed is kept)",
        false,
    ),
    // Every text field: readline's keys. Ctrl-E stays $EDITOR (as in every field), so End
    // alone goes to the end of the line.
    bind(C::Editing, &[key(KeyCode::Left, NONE)], A::Left, "cursor left", false),
    bind(
        C::Editing,
        &[key(KeyCode::Right, NONE)],
        A::Right,
        "cursor right",
        false,
    ),
    bind(
        C::Editing,
        &[key(KeyCode::Up, NONE)],
        A::Up,
        "line up (multi-line text)",
        false,
    ),
    bind(
        C::Editing,
        &[key(KeyCode::Down, NONE)],
        A::Down,
        "line down (multi-line text)",
        false,
    ),
    bind(
        C::Editing,
        &[ctrl('a'), key(KeyCode::Home, NONE)],
        A::LineStart,
        "start of the line",
        false,
    ),
    bind(
        C::Editing,
        &[key(KeyCode::End, NONE)],
        A::LineEnd,
        "end of the line (Ctrl-E opens $EDITOR)",
        false,
    ),
    bind(
        C::Editing,
        &[key(KeyCode::Char('b'), ALT), key(KeyCode::Left, CTRL)],
        A::WordBack,
        "a word back",
        false,
    ),
    bind(
        C::Editing,
        &[key(KeyCode::Char('f'), ALT), key(KeyCode::Right, CTRL)],
        A::WordForward,
        "a word forward",
        false,
    ),
    bind(
        C::Editing,
        &[ctrl('u')],
        A::DeleteToLineStart,
        "delete to the start of the line",
        false,
    ),
    bind(
        C::Editing,
        &[ctrl('w'), key(KeyCode::Backspace, ALT)],
        A::DeleteWordBack,
        "delete the word before the cursor",
        false,
    ),
    bind(
        C::Editing,
        &[key(KeyCode::Char('d'), ALT), key(KeyCode::Delete, ALT)],
        A::DeleteWordForward,
        "delete the word after the cursor",
        false,
    ),
    bind(
        C::Editing,
        &[ctrl('y')],
        A::Yank,
        "put back what the last delete took",
        false,
    ),
    bind(C::Editing, &[ctrl('_')], A::Undo, "undo", false),
    bind(C::Editing, &[key(KeyCode::Char('_'), ALT)], A::Redo, "redo", false),
    // A text field after Esc.
    bind(
        C::FieldAtRest,
        &[key(KeyCode::Enter, NONE)],
        A::Edit,
        "edit the answer again (typing does too)",
        true,
    ),
    bind(
        C::FieldAtRest,
        &[key(KeyCode::Home, NONE)],
        A::PreviewTop,
        "the preview's top",
        false,
    ),
    bind(
        C::FieldAtRest,
        &[key(KeyCode::End, NONE)],
        A::PreviewBottom,
        "the preview's end",
        false,
    ),
    // Choices: typing filters the options.
    bind(C::Choice, &[key(KeyCode::Up, NONE)], A::Up, "previous option", false),
    bind(C::Choice, &[key(KeyCode::Down, NONE)], A::Down, "next option", false),
    bind(
        C::Choice,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "choose and go on",
        true,
    ),
    bind(
        C::Choice,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "clear the filter",
        false,
    ),
    bind(C::Choice, &[ctrl('u')], A::DeleteToLineStart, "clear the filter", false),
    bind(
        C::Choice,
        &[ctrl('w')],
        A::DeleteWordBack,
        "delete the filter's last word",
        false,
    ),
    bind(
        C::Choice,
        &[key(KeyCode::Home, NONE)],
        A::PreviewTop,
        "the preview's top",
        false,
    ),
    bind(
        C::Choice,
        &[key(KeyCode::End, NONE)],
        A::PreviewBottom,
        "the preview's end",
        false,
    ),
    bind(
        C::MultiChoice,
        &[key(KeyCode::Up, NONE)],
        A::Up,
        "previous option",
        false,
    ),
    bind(
        C::MultiChoice,
        &[key(KeyCode::Down, NONE)],
        A::Down,
        "next option",
        false,
    ),
    bind(
        C::MultiChoice,
        &[key(KeyCode::Char(' '), NONE)],
        A::Toggle,
        "tick / untick",
        true,
    ),
    bind(
        C::MultiChoice,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "keep the ticks and go on",
        true,
    ),
    bind(
        C::MultiChoice,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "clear the filter",
        false,
    ),
    bind(
        C::MultiChoice,
        &[ctrl('t')],
        A::ToggleNone,
        "answer \"none\" (none applies) / take it back",
        false,
    ),
    bind(
        C::MultiChoice,
        &[ctrl('u')],
        A::DeleteToLineStart,
        "clear the filter",
        false,
    ),
    bind(
        C::MultiChoice,
        &[ctrl('w')],
        A::DeleteWordBack,
        "delete the filter's last word",
        false,
    ),
    bind(
        C::MultiChoice,
        &[key(KeyCode::Home, NONE)],
        A::PreviewTop,
        "the preview's top",
        false,
    ),
    bind(
        C::MultiChoice,
        &[key(KeyCode::End, NONE)],
        A::PreviewBottom,
        "the preview's end",
        false,
    ),
    // Yes / no.
    bind(C::YesNo, &[key(KeyCode::Char('y'), NONE)], A::Yes, "yes", true),
    bind(C::YesNo, &[key(KeyCode::Char('n'), NONE)], A::No, "no", true),
    bind(
        C::YesNo,
        &[
            key(KeyCode::Left, NONE),
            key(KeyCode::Right, NONE),
            key(KeyCode::Char(' '), NONE),
        ],
        A::Toggle,
        "switch",
        false,
    ),
    bind(
        C::YesNo,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "keep and go on",
        true,
    ),
    bind(
        C::YesNo,
        &[key(KeyCode::Home, NONE)],
        A::PreviewTop,
        "the preview's top",
        false,
    ),
    bind(
        C::YesNo,
        &[key(KeyCode::End, NONE)],
        A::PreviewBottom,
        "the preview's end",
        false,
    ),
    // Lists and tables.
    bind(C::Rows, &[key(KeyCode::Up, NONE)], A::Up, "previous row", false),
    bind(C::Rows, &[key(KeyCode::Down, NONE)], A::Down, "next row", false),
    bind(C::Rows, &[key(KeyCode::Left, NONE)], A::Left, "previous column", false),
    bind(C::Rows, &[key(KeyCode::Right, NONE)], A::Right, "next column", false),
    bind(
        C::Rows,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "edit the row or cell",
        true,
    ),
    bind(
        C::Rows,
        &[ctrl('n'), key(KeyCode::Insert, NONE)],
        A::NewRow,
        "add a row",
        true,
    ),
    bind(
        C::Rows,
        &[ctrl('d'), key(KeyCode::Delete, NONE)],
        A::DeleteRow,
        "delete the row",
        true,
    ),
    bind(
        C::Rows,
        &[key(KeyCode::Up, ALT), key(KeyCode::Up, SHIFT)],
        A::MoveRowUp,
        "move the row up",
        false,
    ),
    bind(
        C::Rows,
        &[key(KeyCode::Down, ALT), key(KeyCode::Down, SHIFT)],
        A::MoveRowDown,
        "move the row down",
        false,
    ),
    bind(
        C::Rows,
        &[ctrl('t')],
        A::ToggleNone,
        "answer \"none\" (there are none) / take it back",
        false,
    ),
    bind(
        C::Rows,
        &[key(KeyCode::Home, NONE)],
        A::PreviewTop,
        "the preview's top",
        false,
    ),
    bind(
        C::Rows,
        &[key(KeyCode::End, NONE)],
        A::PreviewBottom,
        "the preview's end",
        false,
    ),
    bind(
        C::RowEdit,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "keep the cell",
        true,
    ),
    bind(
        C::RowEdit,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "stop editing (keeps the text)",
        true,
    ),
    // The reviewer.
    bind(
        C::Review,
        &[key(KeyCode::Down, NONE), key(KeyCode::Char('j'), NONE)],
        A::Down,
        "next line",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Up, NONE), key(KeyCode::Char('k'), NONE)],
        A::Up,
        "previous line",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::PageDown, NONE), key(KeyCode::Char(' '), NONE)],
        A::PageDown,
        "page down",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::PageUp, NONE), key(KeyCode::Char('b'), NONE)],
        A::PageUp,
        "page up",
        false,
    ),
    bind(C::Review, &[key(KeyCode::Home, NONE)], A::Top, "first line", false),
    bind(C::Review, &[key(KeyCode::End, NONE)], A::Bottom, "last line", false),
    bind(
        C::Review,
        &[key(KeyCode::Char('N'), NONE)],
        A::PreviousHunk,
        "previous hunk",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('n'), NONE)],
        A::NextHunk,
        "next hunk",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Tab, NONE), key(KeyCode::Char(']'), NONE)],
        A::NextSection,
        "next changed section",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::BackTab, SHIFT), key(KeyCode::Char('['), NONE)],
        A::PreviousSection,
        "previous changed section",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Enter, NONE)],
        A::ToggleFold,
        "fold: open or fold the section",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('x'), NONE)],
        A::ToggleContext,
        "show every line of the section, or only its hunks",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('v'), NONE)],
        A::MarkViewed,
        "viewed: mark the section viewed (folds it, goes to the next)",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('s'), NONE)],
        A::SwitchLayout,
        "layout: unified or side by side",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('o'), NONE)],
        A::ToggleOutline,
        "show or hide the outline",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('R'), NONE)],
        A::ResolveNote,
        "mark the note resolved, or open again",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('r'), NONE)],
        A::PickRevisions,
        "revisions: choose the two to compare",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Left, NONE)],
        A::Left,
        "side by side: the older side (notes go on its line)",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Right, NONE)],
        A::Right,
        "side by side: the newer side",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('m'), NONE)],
        A::AddNote,
        "note: write a note on this line (a removed line's note is on the older revision); on a note, answer it",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('e'), NONE)],
        A::EditNote,
        "edit your note (before it is recorded)",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('d'), NONE)],
        A::DeleteNote,
        "delete your note (before it is recorded; asks first)",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('\''), NONE)],
        A::NextNote,
        "next note",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('"'), NONE)],
        A::PreviousNote,
        "previous note",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('a'), NONE)],
        A::Approve,
        "approve the newer revision (asks first, and says so when it is yours or not all viewed)",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('c'), NONE)],
        A::RequestChanges,
        "request changes (with your notes; says where the review gate stands first)",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('h'), NONE)],
        A::ReviewHistory,
        "history: every decision on the newer revision, and the review gate",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('w'), NONE)],
        A::SetReviewer,
        "who: say who is reviewing (notes and decisions carry the name)",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('Y'), NONE)],
        A::CopySection,
        "copy the section as plain text (OSC 52: works over ssh and tmux)",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('y'), NONE)],
        A::CopyHunk,
        "copy: the hunk's lines as plain text (OSC 52)",
        true,
    ),
    bind(
        C::Review,
        &[key(KeyCode::F(1), NONE), key(KeyCode::Char('?'), NONE)],
        A::Help,
        "help",
        true,
    ),
    bind(C::Review, &[ctrl('z')], A::Suspend, "suspend (fg to come back)", false),
    bind(
        C::Review,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "close what is open (never quits)",
        false,
    ),
    bind(
        C::Review,
        &[key(KeyCode::Char('q'), NONE), ctrl('q')],
        A::Quit,
        "quit (asks first while notes are not recorded)",
        true,
    ),
    bind(
        C::ReviewRevisions,
        &[key(KeyCode::Up, NONE), key(KeyCode::Char('k'), NONE)],
        A::Up,
        "previous",
        false,
    ),
    bind(
        C::ReviewRevisions,
        &[key(KeyCode::Down, NONE), key(KeyCode::Char('j'), NONE)],
        A::Down,
        "next",
        false,
    ),
    bind(
        C::ReviewRevisions,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "choose",
        true,
    ),
    bind(C::ReviewRevisions, &[key(KeyCode::Esc, NONE)], A::Back, "cancel", true),
    bind(
        C::ReviewNote,
        &[ctrl('s')],
        A::Confirm,
        "keep the note (Enter starts a new line)",
        true,
    ),
    bind(
        C::ReviewNote,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "close, keeping what is written (d deletes a note)",
        true,
    ),
    bind(
        C::ReviewDecide,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "confirm: record the decision, or delete the note",
        true,
    ),
    bind(
        C::ReviewDecide,
        &[key(KeyCode::Char('y'), NONE)],
        A::Yes,
        "yes, even so: record it after reading what it says first",
        true,
    ),
    bind(C::ReviewDecide, &[key(KeyCode::Esc, NONE)], A::Back, "cancel", true),
    bind(
        C::ReviewName,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "review under this name",
        true,
    ),
    bind(C::ReviewName, &[key(KeyCode::Esc, NONE)], A::Back, "cancel", true),
    // Pickers.
    bind(C::Picker, &[key(KeyCode::Up, NONE)], A::Up, "previous", false),
    bind(C::Picker, &[key(KeyCode::Down, NONE)], A::Down, "next", false),
    bind(C::Picker, &[key(KeyCode::Enter, NONE)], A::Confirm, "go there", true),
    bind(C::Picker, &[key(KeyCode::Esc, NONE)], A::Back, "close", true),
    bind(C::Picker, &[ctrl('u')], A::DeleteToLineStart, "clear the filter", false),
    bind(
        C::Picker,
        &[ctrl('w')],
        A::DeleteWordBack,
        "delete the filter's last word",
        false,
    ),
    bind(C::HelpOverlay, &[key(KeyCode::Up, NONE)], A::Up, "scroll up", false),
    bind(
        C::HelpOverlay,
        &[key(KeyCode::Down, NONE)],
        A::Down,
        "scroll down",
        false,
    ),
    bind(
        C::HelpOverlay,
        &[key(KeyCode::Esc, NONE), key(KeyCode::F(1), NONE)],
        A::Back,
        "close help",
        true,
    ),
    bind(
        C::QuickLine,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "apply what the line placed (shown below it)",
        true,
    ),
    bind(
        C::QuickLine,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "close without applying",
        true,
    ),
    bind(
        C::Alert,
        &[key(KeyCode::Enter, NONE), key(KeyCode::Esc, NONE)],
        A::Back,
        "go on (Ctrl-Q quits)",
        true,
    ),
    // The finish line.
    bind(
        C::Finish,
        &[key(KeyCode::Char('s'), NONE)],
        A::Save,
        "save the documents (as Ctrl-S)",
        true,
    ),
    bind(
        C::Finish,
        &[key(KeyCode::Char('o'), NONE), key(KeyCode::Enter, NONE)],
        A::FirstOpen,
        "go to the first required question still open",
        true,
    ),
    bind(
        C::Finish,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "keep going: back to the last question",
        true,
    ),
    bind(C::Finish, &[key(KeyCode::Up, NONE)], A::Up, "scroll up", false),
    bind(C::Finish, &[key(KeyCode::Down, NONE)], A::Down, "scroll down", false),
    // The save overlay.
    bind(
        C::SaveSummary,
        &[key(KeyCode::Enter, NONE)],
        A::Confirm,
        "save: record the new revisions and write the documents",
        true,
    ),
    bind(
        C::SaveSummary,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "cancel: nothing is written",
        true,
    ),
    bind(C::SaveSummary, &[key(KeyCode::Up, NONE)], A::Up, "scroll up", false),
    bind(
        C::SaveSummary,
        &[key(KeyCode::Down, NONE)],
        A::Down,
        "scroll down",
        false,
    ),
    bind(
        C::SaveSummary,
        &[key(KeyCode::PageUp, NONE)],
        A::PageUp,
        "scroll a page up",
        false,
    ),
    bind(
        C::SaveSummary,
        &[key(KeyCode::PageDown, NONE)],
        A::PageDown,
        "scroll a page down",
        false,
    ),
    bind(
        C::HandEdit,
        &[key(KeyCode::Char('k'), NONE)],
        A::KeepHandEdit,
        "keep the hand edit: record the file on disk as a new revision, write nothing else",
        true,
    ),
    bind(
        C::HandEdit,
        &[key(KeyCode::Char('o'), NONE)],
        A::Overwrite,
        "overwrite: record the hand edit, then save the interview's version over it",
        true,
    ),
    bind(
        C::HandEdit,
        &[key(KeyCode::Esc, NONE)],
        A::Back,
        "cancel: nothing is written",
        true,
    ),
    bind(C::HandEdit, &[key(KeyCode::Up, NONE)], A::Up, "scroll up", false),
    bind(C::HandEdit, &[key(KeyCode::Down, NONE)], A::Down, "scroll down", false),
    bind(
        C::HandEdit,
        &[key(KeyCode::PageUp, NONE)],
        A::PageUp,
        "scroll a page up",
        false,
    ),
    bind(
        C::HandEdit,
        &[key(KeyCode::PageDown, NONE)],
        A::PageDown,
        "scroll a page down",
        false,
    ),
];

/// The label of the first key bound to `action` in `context`, for hints drawn beside the
/// footer (so a hint never names a key the table does not bind).
pub fn key_label(context: Context, action: Action) -> String {
    bindings()
        .iter()
        .find(|b| b.context == context && b.action == action)
        .and_then(|b| b.chords.first())
        .map(Chord::label)
        .unwrap_or_default()
}

/// The action for `event` in `context`: the context's own bindings first for overlays (so
/// Esc and arrows work there), the global ones first everywhere else.
pub fn lookup(context: Context, event: &KeyEvent) -> Option<Action> {
    lookup_in(bindings(), context, event)
}

/// `lookup` in a given table.
pub fn lookup_in(table: &[Binding], context: Context, event: &KeyEvent) -> Option<Action> {
    let find = |ctx: Context| {
        table
            .iter()
            .filter(|b| b.context == ctx)
            .find(|b| b.chords.iter().any(|c| c.matches(event)))
            .map(|b| b.action)
    };
    match context {
        // An alert must be read first: only quitting passes it.
        Context::Alert => find(context).or_else(|| find(Context::Global).filter(|a| *a == Action::Quit)),
        Context::Review
        | Context::ReviewRevisions
        | Context::ReviewNote
        | Context::ReviewDecide
        | Context::ReviewName => {
            find(context).or_else(|| {
                // Ctrl-Q and Ctrl-Z work from the reviewer's overlays too.
                find(Context::Review)
                    .filter(|a| matches!(a, Action::Quit | Action::Suspend) && event.modifiers.contains(CTRL))
            })
        }
        Context::Picker | Context::HelpOverlay | Context::Finish => {
            find(context).or_else(|| match find(Context::Global) {
                // In an overlay only the keys that make sense there pass through.
                Some(a @ (Action::Quit | Action::Help | Action::Save | Action::Suspend)) => Some(a),
                _ => None,
            })
        }
        // Deciding what to save: nothing else happens until it is decided (quitting aside).
        Context::QuickLine => find(context).or_else(|| find(Context::Global).filter(|a| *a == Action::Quit)),
        Context::SaveSummary | Context::HandEdit => {
            find(context).or_else(|| find(Context::Global).filter(|a| matches!(a, Action::Quit | Action::Suspend)))
        }
        Context::Text | Context::Multiline | Context::Checklist | Context::RowEdit => find(Context::Global)
            .or_else(|| find(context))
            .or_else(|| find(Context::Editing)),
        _ => find(Context::Global).or_else(|| find(context)),
    }
}

/// The footer's keys for a context: its own, then the global ones marked for the footer.
pub fn footer(context: Context) -> Vec<(String, &'static str)> {
    footer_with(context, !context.is_review())
}

/// The footer's keys for a context, with or without the interview's global keys (the reviewer
/// shares the help and alert overlays but not the interview's keys).
pub fn footer_with(context: Context, with_global: bool) -> Vec<(String, &'static str)> {
    footer_actions(context, with_global)
        .into_iter()
        .map(|(keys, help, _)| (keys, help))
        .collect()
}

/// The footer's keys with the action each stands for (so a footer can keep some when short of
/// room).
pub fn footer_actions(context: Context, with_global: bool) -> Vec<(String, &'static str, Action)> {
    let short = |b: &Binding| {
        (
            b.chords.first().map(Chord::label).unwrap_or_default(),
            short_help(b.help),
            b.action,
        )
    };
    let table = bindings();
    let own = table.iter().filter(|b| b.context == context && b.footer).map(short);
    // Only the global keys that work here: an overlay lets few of them through.
    let works = |b: &&Binding| {
        b.chords
            .first()
            .is_some_and(|c| lookup_in(table, context, &KeyEvent::new(c.code, c.modifiers)) == Some(b.action))
    };
    let global = table
        .iter()
        .filter(|b| b.context == Context::Global && b.footer && with_global)
        .filter(works)
        .map(short);
    own.chain(global).collect()
}

/// The first words of a help text, for the footer.
fn short_help(help: &'static str) -> &'static str {
    help.split([':', '(', '/']).next().unwrap_or(help).trim_end()
}

/// The key table in force: `BINDINGS` until `install` lays the user's overrides over it.
static ACTIVE: OnceLock<Vec<Binding>> = OnceLock::new();

/// The key table every reader uses: the handler, the footer, the help overlay.
pub fn bindings() -> &'static [Binding] {
    ACTIVE.get().map_or(BINDINGS, Vec::as_slice)
}

/// Makes `table` the key table for the rest of the program (once; a second call is refused).
pub fn install(table: Vec<Binding>) -> bool {
    ACTIVE.set(table).is_ok()
}

/// What `[keys]` may name besides actions: the key does nothing any more.
pub const UNBIND: &str = "none";

/// Contexts where a plain character is typed text, so it cannot be a command there.
const TYPING: &[Context] = &[
    Context::Global,
    Context::Text,
    Context::Multiline,
    Context::Checklist,
    Context::Choice,
    Context::MultiChoice,
    Context::Rows,
    Context::RowEdit,
    Context::Editing,
    Context::FieldAtRest,
    Context::Picker,
];

/// The interview's field contexts: their keys meet the global ones.
const FIELDS: &[Context] = &[
    Context::Text,
    Context::Multiline,
    Context::Checklist,
    Context::Choice,
    Context::MultiChoice,
    Context::YesNo,
    Context::Rows,
    Context::RowEdit,
    Context::Editing,
    Context::FieldAtRest,
];

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The name of an action as `[keys]` and the help write it (`Undo`, `NextHunk`).
pub fn action_name(action: Action) -> String {
    format!("{action:?}")
}

/// Every action the key table binds, each once, in table order.
pub fn actions() -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    for b in BINDINGS {
        if !out.contains(&b.action) {
            out.push(b.action);
        }
    }
    out
}

/// The action a name means (`Undo`, `undo`, `next-hunk`, `next_hunk` alike).
pub fn action_named(name: &str) -> Option<Action> {
    let wanted = normalise(name);
    actions().into_iter().find(|a| normalise(&action_name(*a)) == wanted)
}

impl Chord {
    /// Reads a key the way the help writes it: `Ctrl-S`, `Alt-↑` (or `Alt-Up`), `Shift-Tab`,
    /// `F2`, `Esc`, `Space`, `x`, `Shift-N`. `+` may stand for `-`, and case does not matter in
    /// the modifiers and key names.
    pub fn parse(text: &str) -> Result<Chord, String> {
        let text = text.trim();
        let mut modifiers = NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (found, len) = [
                ("ctrl-", CTRL),
                ("ctrl+", CTRL),
                ("control-", CTRL),
                ("alt-", ALT),
                ("alt+", ALT),
                ("meta-", ALT),
                ("shift-", SHIFT),
                ("shift+", SHIFT),
            ]
            .iter()
            .find(|(p, _)| lower.starts_with(p) && rest.len() > p.len())
            .map_or((NONE, 0), |(p, m)| (*m, p.len()));
            if len == 0 {
                break;
            }
            modifiers |= found;
            rest = &rest[len..];
        }
        let named = match rest.to_ascii_lowercase().as_str() {
            "tab" if modifiers.contains(SHIFT) => Some(KeyCode::BackTab),
            "backtab" => Some(KeyCode::BackTab),
            "tab" => Some(KeyCode::Tab),
            "enter" | "return" => Some(KeyCode::Enter),
            "esc" | "escape" => Some(KeyCode::Esc),
            "space" => Some(KeyCode::Char(' ')),
            "backspace" => Some(KeyCode::Backspace),
            "del" | "delete" => Some(KeyCode::Delete),
            "ins" | "insert" => Some(KeyCode::Insert),
            "home" => Some(KeyCode::Home),
            "end" => Some(KeyCode::End),
            "pgup" | "pageup" => Some(KeyCode::PageUp),
            "pgdn" | "pagedown" => Some(KeyCode::PageDown),
            "up" | "↑" => Some(KeyCode::Up),
            "down" | "↓" => Some(KeyCode::Down),
            "left" | "←" => Some(KeyCode::Left),
            "right" | "→" => Some(KeyCode::Right),
            f if f.len() >= 2 && f.starts_with('f') && f[1..].chars().all(|c| c.is_ascii_digit()) => {
                match f[1..].parse::<u8>() {
                    Ok(n @ 1..=24) => Some(KeyCode::F(n)),
                    _ => None,
                }
            }
            _ => None,
        };
        let code = match named {
            Some(KeyCode::BackTab) => return Ok(key(KeyCode::BackTab, SHIFT)),
            Some(code) => code,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => {
                        // Alt-Shift-A is Alt and the upper-case letter, as the table writes it.
                        if modifiers.contains(SHIFT) && !modifiers.contains(CTRL) && c.is_ascii_alphabetic() {
                            modifiers.remove(SHIFT);
                            KeyCode::Char(c.to_ascii_uppercase())
                        } else if modifiers.intersects(CTRL | ALT) {
                            KeyCode::Char(c.to_ascii_lowercase())
                        } else if modifiers.contains(SHIFT) && c.is_ascii_alphabetic() {
                            modifiers.remove(SHIFT);
                            KeyCode::Char(c.to_ascii_uppercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => {
                        return Err(format!(
                            "\"{}\" is not a key; write keys as the help shows them, such as Ctrl-S, Alt-↑, Shift-Tab, F2, Esc or x",
                            crate::core::fsio::sanitize(text)
                        ));
                    }
                }
            }
        };
        // Shift on a character is the character itself (`Shift-N` is `N`).
        if let KeyCode::Char(c) = code
            && modifiers.contains(SHIFT)
            && modifiers.intersects(CTRL | ALT)
            && !c.is_ascii_alphabetic()
        {
            modifiers.remove(SHIFT);
        }
        Ok(key(code, modifiers))
    }
}

/// One `[keys]` line that could not be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideProblem {
    /// The index of the override in the list given.
    pub index: usize,
    pub problem: String,
}

/// `base` with each override (`key`, `action`) applied in order: the key does that action in
/// every context the action has, and nothing else there; `none` takes the key away. Overrides
/// that cannot be applied are skipped and reported; the others still apply.
pub fn with_overrides(base: &[Binding], overrides: &[(String, String)]) -> (Vec<Binding>, Vec<OverrideProblem>) {
    let mut table = base.to_vec();
    let mut problems = Vec::new();
    for (index, (key_text, action_text)) in overrides.iter().enumerate() {
        let mut report = |problem: String| problems.push(OverrideProblem { index, problem });
        let chord = match Chord::parse(key_text) {
            Ok(chord) => chord,
            Err(problem) => {
                report(problem);
                continue;
            }
        };
        if normalise(action_text) == UNBIND {
            for b in &mut table {
                remove_chord(b, chord);
            }
            continue;
        }
        let Some(action) = action_named(action_text) else {
            report(format!(
                "\"{}\" is not an action; the actions are {}, or \"{UNBIND}\" to take the key away",
                crate::core::fsio::sanitize(action_text),
                actions().into_iter().map(action_name).collect::<Vec<_>>().join(", ")
            ));
            continue;
        };
        let contexts: Vec<Context> = {
            let mut seen = Vec::new();
            for b in base.iter().filter(|b| b.action == action) {
                if !seen.contains(&b.context) {
                    seen.push(b.context);
                }
            }
            seen
        };
        let plain_char = matches!(chord.code, KeyCode::Char(_)) && !chord.modifiers.intersects(CTRL | ALT);
        if plain_char && contexts.iter().any(|c| TYPING.contains(c)) {
            report(format!(
                "{} is typed as text in the interview, so it cannot be {}; use Ctrl or Alt with it",
                chord.label(),
                action_name(action)
            ));
            continue;
        }
        for context in contexts {
            // What would hide the new key: other bindings of the context, and the global keys
            // that fields look up first (or the field keys a global one makes dead).
            let reach: Vec<Context> = if context == Context::Global {
                let mut r = vec![Context::Global];
                r.extend_from_slice(FIELDS);
                r
            } else if FIELDS.contains(&context) {
                vec![context, Context::Global]
            } else {
                vec![context]
            };
            for b in table
                .iter_mut()
                .filter(|b| reach.contains(&b.context) && b.action != action)
            {
                remove_chord(b, chord);
            }
            if let Some(b) = table.iter_mut().find(|b| b.context == context && b.action == action)
                && !b.chords.contains(&chord)
            {
                let mut chords = vec![chord];
                chords.extend_from_slice(b.chords);
                b.chords = Box::leak(chords.into_boxed_slice());
            }
        }
    }
    (table, problems)
}

fn remove_chord(b: &mut Binding, chord: Chord) {
    if b.chords.contains(&chord) {
        let kept: Vec<Chord> = b.chords.iter().copied().filter(|c| *c != chord).collect();
        b.chords = Box::leak(kept.into_boxed_slice());
    }
}

/// The key table as Markdown, one table per part of the program, for the README (a test keeps
/// the README's copy equal to this).
pub fn markdown(table: &[Binding], review: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut last = None;
    for b in table.iter().filter(|b| b.context.is_review() == review) {
        if last != Some(b.context) {
            if last.is_some() {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "**{}**\n\n| key | action | does |\n|---|---|---|",
                b.context.title()
            );
            last = Some(b.context);
        }
        let keys = if b.chords.is_empty() {
            "(none)".to_string()
        } else {
            b.chords
                .iter()
                .map(|c| format!("`{}`", c.label().replace('|', "\\|")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| {keys} | `{}` | {} |",
            action_name(b.action),
            b.help.replace('|', "\\|")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, modifiers, KeyEventKind::Press)
    }

    #[test]
    fn fixed_keys_are_global() {
        for ctx in [Context::Text, Context::Multiline, Context::Choice, Context::Rows] {
            assert_eq!(lookup(ctx, &ev(KeyCode::Tab, NONE)), Some(Action::Next));
            assert_eq!(lookup(ctx, &ev(KeyCode::BackTab, SHIFT)), Some(Action::Previous));
            assert_eq!(lookup(ctx, &ev(KeyCode::Char('s'), CTRL)), Some(Action::Save));
            assert_eq!(lookup(ctx, &ev(KeyCode::F(2), NONE)), Some(Action::TogglePane));
            assert_eq!(lookup(ctx, &ev(KeyCode::F(1), NONE)), Some(Action::Help));
            assert_eq!(lookup(ctx, &ev(KeyCode::Char('e'), CTRL)), Some(Action::ExternalEditor));
            assert_eq!(lookup(ctx, &ev(KeyCode::Char('q'), CTRL)), Some(Action::Quit));
        }
    }

    #[test]
    fn enter_depends_on_the_field() {
        assert_eq!(lookup(Context::Text, &ev(KeyCode::Enter, NONE)), Some(Action::Confirm));
        assert_eq!(
            lookup(Context::Multiline, &ev(KeyCode::Enter, NONE)),
            Some(Action::Newline)
        );
        assert_eq!(
            lookup(Context::Choice, &ev(KeyCode::Enter, NONE)),
            Some(Action::Confirm)
        );
    }

    #[test]
    fn plain_letters_are_left_to_the_field() {
        assert_eq!(lookup(Context::Text, &ev(KeyCode::Char('y'), NONE)), None);
        assert_eq!(lookup(Context::Choice, &ev(KeyCode::Char('g'), SHIFT)), None);
        assert_eq!(lookup(Context::YesNo, &ev(KeyCode::Char('y'), NONE)), Some(Action::Yes));
    }

    #[test]
    fn overlays_take_esc_and_arrows_but_not_tab() {
        assert_eq!(lookup(Context::Picker, &ev(KeyCode::Esc, NONE)), Some(Action::Back));
        assert_eq!(lookup(Context::Picker, &ev(KeyCode::Tab, NONE)), None);
        assert_eq!(
            lookup(Context::HelpOverlay, &ev(KeyCode::F(1), NONE)),
            Some(Action::Back)
        );
    }

    #[test]
    fn no_chord_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let clash = a.context == b.context && a.chords.iter().any(|c| b.chords.contains(c));
                assert!(
                    !clash,
                    "{:?} and {:?} share a key in {:?}",
                    a.action, b.action, a.context
                );
            }
        }
    }

    #[test]
    fn every_reviewer_key_reaches_its_own_action() {
        // `R` (resolve) must not be taken by `r` (revisions), nor Esc by quitting.
        for b in BINDINGS.iter().filter(|b| b.context.is_review()) {
            for c in b.chords {
                assert_eq!(
                    lookup(b.context, &ev(c.code, c.modifiers)),
                    Some(b.action),
                    "{} in {:?}",
                    c.label(),
                    b.context
                );
            }
        }
        assert_eq!(lookup(Context::Review, &ev(KeyCode::Esc, NONE)), Some(Action::Back));
        assert_eq!(
            lookup(Context::ReviewNote, &ev(KeyCode::Enter, NONE)),
            None,
            "a new line"
        );
    }

    #[test]
    fn no_field_binding_is_shadowed_by_a_global_one() {
        let globals: Vec<&Chord> = BINDINGS
            .iter()
            .filter(|b| b.context == Context::Global)
            .flat_map(|b| b.chords.iter())
            .collect();
        for b in BINDINGS
            .iter()
            .filter(|b| b.context != Context::Global && !b.context.is_overlay() && !b.context.is_review())
        {
            for c in b.chords {
                assert!(
                    !globals.contains(&c),
                    "{} in {:?} is taken by a global binding",
                    c.label(),
                    b.context
                );
            }
        }
    }

    #[test]
    fn the_save_overlay_takes_its_keys_and_lets_only_quitting_through() {
        let hand = Context::HandEdit;
        assert_eq!(lookup(hand, &ev(KeyCode::Char('k'), NONE)), Some(Action::KeepHandEdit));
        assert_eq!(lookup(hand, &ev(KeyCode::Char('O'), NONE)), Some(Action::Overwrite));
        assert_eq!(lookup(hand, &ev(KeyCode::Enter, NONE)), None, "Enter never overwrites");
        assert_eq!(lookup(hand, &ev(KeyCode::Char('s'), CTRL)), None);
        assert_eq!(lookup(hand, &ev(KeyCode::Char('q'), CTRL)), Some(Action::Quit));
        let summary = Context::SaveSummary;
        assert_eq!(lookup(summary, &ev(KeyCode::Enter, NONE)), Some(Action::Confirm));
        assert_eq!(lookup(summary, &ev(KeyCode::Char('k'), NONE)), None);
        assert_eq!(lookup(summary, &ev(KeyCode::PageDown, NONE)), Some(Action::PageDown));
        assert_eq!(lookup(summary, &ev(KeyCode::Tab, NONE)), None);
        assert_eq!(key_label(hand, Action::KeepHandEdit), "k");
    }

    #[test]
    fn labels_read_like_the_help() {
        assert_eq!(ctrl('s').label(), "Ctrl-S");
        assert_eq!(key(KeyCode::BackTab, SHIFT).label(), "Shift-Tab");
        assert_eq!(key(KeyCode::F(1), NONE).label(), "F1");
    }

    #[test]
    fn keys_read_back_as_the_help_writes_them() {
        for b in BINDINGS {
            for c in b.chords {
                assert_eq!(Chord::parse(&c.label()), Ok(*c), "{}", c.label());
            }
        }
        assert_eq!(Chord::parse("ctrl+z"), Ok(ctrl('z')));
        assert_eq!(Chord::parse("Alt-Up"), Ok(key(KeyCode::Up, ALT)));
        assert!(Chord::parse("Hyper-Q").is_err());
        assert!(Chord::parse("").is_err());
    }

    #[test]
    fn an_override_moves_a_key_and_everything_reads_the_result() {
        let overrides = vec![
            ("Ctrl-Z".to_string(), "Undo".to_string()),
            ("Alt-S".to_string(), "save".to_string()),
            ("Ctrl-Y".to_string(), "Frobnicate".to_string()),
            ("Hyper-Q".to_string(), "Quit".to_string()),
            ("x".to_string(), "Save".to_string()),
        ];
        let (table, problems) = with_overrides(BINDINGS, &overrides);
        let indexes: Vec<usize> = problems.iter().map(|p| p.index).collect();
        assert_eq!(indexes, vec![2, 3, 4], "{problems:?}");
        assert!(problems[0].problem.contains("\"Frobnicate\" is not an action"));
        assert!(problems[2].problem.contains("typed as text"));
        let z = ev(KeyCode::Char('z'), CTRL);
        assert_eq!(lookup_in(&table, Context::Text, &z), Some(Action::Undo));
        assert_eq!(lookup_in(&table, Context::Multiline, &z), Some(Action::Undo));
        // Ctrl-Z left Suspend, which the old key still reaches nowhere else.
        assert!(
            table
                .iter()
                .filter(|b| b.action == Action::Suspend && b.context == Context::Global)
                .all(|b| !b.chords.contains(&ctrl('z')))
        );
        assert_eq!(
            lookup_in(&table, Context::Text, &ev(KeyCode::Char('s'), ALT)),
            Some(Action::Save)
        );
        assert_eq!(
            lookup_in(&table, Context::Text, &ev(KeyCode::Char('s'), CTRL)),
            Some(Action::Save)
        );
        // The table the footer and help read shows the new key first.
        let save = table
            .iter()
            .find(|b| b.action == Action::Save && b.context == Context::Global);
        assert_eq!(
            save.and_then(|b| b.chords.first()).map(Chord::label).as_deref(),
            Some("Alt-S")
        );
        let (unbound, _) = with_overrides(BINDINGS, &[("Ctrl-Q".to_string(), "none".to_string())]);
        assert_eq!(lookup_in(&unbound, Context::Text, &ev(KeyCode::Char('q'), CTRL)), None);
        assert_eq!(
            lookup_in(&unbound, Context::Text, &ev(KeyCode::Char('c'), CTRL)),
            Some(Action::Quit)
        );
    }
}
