//! Review decisions on saved revisions (`review.toml` beside each revision): verdicts, notes and
//! their answers, the review gate's revision-cycle limit and its escalation.
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub use crate::core::anchor::{Anchor, Located, anchor_at, locate, locate_same};
use crate::core::diagnostic::toml_detail;
use crate::core::fsio::{HeldLock, Privacy};
use crate::core::history::{History, HistoryError, Revision, sha256_hex};
use crate::core::schema::{self, SchemaProblem};

/// The file beside a revision's `document.md` that holds its review decisions.
pub const REVIEW_FILE: &str = "review.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approved,
    ChangesRequested,
    /// A request for changes past the review gate's limit: recorded for someone to decide.
    Escalated,
}

impl Verdict {
    /// "approved", "changes requested", "escalated".
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "changes requested",
            Verdict::Escalated => "escalated",
        }
    }

    /// The word stored in `review.toml` and printed in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "changes_requested",
            Verdict::Escalated => "escalated",
        }
    }
}

/// A review note: on a line of a revision's text (the older side's for a removed line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// What answers name it by; empty until the note is recorded.
    pub id: String,
    pub anchor: Anchor,
    /// The revision whose text the anchor quotes; `None` before it is recorded means the
    /// revision the decision is on.
    pub on: Option<u32>,
    /// Who wrote it.
    pub author: String,
    /// The text, possibly several lines.
    pub text: String,
}

/// An answer to a recorded note, or a change of its resolved mark (or both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The id of the note answered.
    pub note: String,
    pub reviewer: String,
    /// RFC 3339, UTC.
    pub time: String,
    /// May be empty when the reply only marks the note resolved or open again.
    pub text: String,
    /// `Some(true)` marks the note resolved, `Some(false)` open again.
    pub resolved: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDecision {
    pub revision: u32,
    pub verdict: Verdict,
    pub reviewer: String,
    /// RFC 3339, UTC.
    pub time: String,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ReviewState {
    Unreviewed,
    Approved {
        reviewer: String,
        time: String,
    },
    ChangesRequested {
        reviewer: String,
        time: String,
        notes: usize,
    },
    Escalated {
        reviewer: String,
        time: String,
        notes: usize,
    },
}

/// Seed 001's review gate: at most this many revision cycles; on the last, escalate.
pub const REVISION_CYCLE_LIMIT: usize = 3;

/// What recording a decision led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecorded {
    /// The verdict recorded: a request for changes past the gate's limit becomes `Escalated`.
    pub verdict: Verdict,
    /// The ids given to the decision's notes, in order.
    pub note_ids: Vec<String>,
    pub requests_in_cycle: usize,
    pub limit_reached: bool,
}

/// Where a document stands in the review gate: requests for changes (escalations included)
/// since its last approval, against the limit of [`REVISION_CYCLE_LIMIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gate {
    pub requests: usize,
}

impl Gate {
    /// The verdict a request for changes would be recorded with now.
    pub fn next_request(self) -> Verdict {
        if self.requests >= REVISION_CYCLE_LIMIT {
            Verdict::Escalated
        } else {
            Verdict::ChangesRequested
        }
    }

    /// A few words for a status line: "gate 1/3", "gate 3/3", "escalated".
    pub fn short(self) -> String {
        if self.requests > REVISION_CYCLE_LIMIT {
            "gate: escalated".into()
        } else {
            format!("gate {}/{REVISION_CYCLE_LIMIT}", self.requests)
        }
    }

    /// Where the gate stands, in a sentence short enough for a status line.
    pub fn describe(self) -> String {
        let limit = REVISION_CYCLE_LIMIT;
        match self.requests {
            n if n < limit => format!("Review gate: {n} of {limit} change requests since the last approval."),
            n if n == limit => format!("Review gate: {n} of {limit} change requests: the next one is an escalation."),
            n => format!("Review gate: escalated after {n} change requests (limit {limit})."),
        }
    }

    /// What a request for changes recorded now would mean, said before it is recorded.
    pub fn before_request(self) -> String {
        let limit = REVISION_CYCLE_LIMIT;
        let n = self.requests + 1;
        match n.cmp(&limit) {
            std::cmp::Ordering::Less => format!("This is request for changes {n} of {limit} since the last approval."),
            std::cmp::Ordering::Equal => format!(
                "This is request for changes {n} of {limit}: the review gate's limit. After it, a further request is recorded as an escalation."
            ),
            std::cmp::Ordering::Greater => format!(
                "The review gate's limit of {limit} requests is reached: this is recorded as an escalation (verdict escalated), for someone to decide; an approval restarts the count."
            ),
        }
    }
}

impl ReviewState {
    /// The state the latest of `decisions` (oldest first) leaves a revision in.
    pub fn of_latest(decisions: &[ReviewDecision]) -> ReviewState {
        match decisions.last() {
            None => ReviewState::Unreviewed,
            Some(d) => match d.verdict {
                Verdict::Approved => ReviewState::Approved {
                    reviewer: d.reviewer.clone(),
                    time: d.time.clone(),
                },
                Verdict::ChangesRequested => ReviewState::ChangesRequested {
                    reviewer: d.reviewer.clone(),
                    time: d.time.clone(),
                    notes: d.notes.len(),
                },
                Verdict::Escalated => ReviewState::Escalated {
                    reviewer: d.reviewer.clone(),
                    time: d.time.clone(),
                    notes: d.notes.len(),
                },
            },
        }
    }

    /// One line for humans: "approved by Ada", "changes requested by Ada (2 notes)",
    /// "not reviewed". The reviewer's name is as stored: sanitise before printing.
    pub fn describe(&self) -> String {
        match self {
            ReviewState::Unreviewed => "not reviewed".into(),
            ReviewState::Approved { reviewer, .. } => format!("approved by {reviewer}"),
            ReviewState::ChangesRequested { reviewer, notes, .. } => {
                format!("changes requested by {reviewer}{}", notes_suffix(*notes))
            }
            ReviewState::Escalated { reviewer, notes, .. } => {
                format!("escalated by {reviewer}{}", notes_suffix(*notes))
            }
        }
    }
}

fn notes_suffix(notes: usize) -> String {
    match notes {
        0 => String::new(),
        1 => " (1 note)".into(),
        n => format!(" ({n} notes)"),
    }
}

impl ReviewDecision {
    /// One line for a history: "changes requested by Bob at 2026-11-21T09:00:00Z (2 notes)".
    /// Names are as stored: sanitise before printing.
    pub fn describe(&self) -> String {
        format!(
            "{} by {} at {}{}",
            self.verdict.describe(),
            self.reviewer,
            self.time,
            notes_suffix(self.notes.len())
        )
    }
}

// ──────────────────────────── summaries ─────────────────────────────

/// Which answers changed against the previous revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerChanges {
    /// The first revision: nothing to compare with.
    First,
    /// This or the previous answers file cannot be read.
    Unknown,
    Ids(Vec<String>),
}

impl AnswerChanges {
    /// Up to `shown` ids, then how many more; `—` for the first revision, `?` when unknown.
    pub fn describe(&self, shown: usize) -> String {
        match self {
            AnswerChanges::First => "—".into(),
            AnswerChanges::Unknown => "?".into(),
            AnswerChanges::Ids(ids) if ids.is_empty() => "none".into(),
            AnswerChanges::Ids(ids) => {
                let listed = ids.iter().take(shown).cloned().collect::<Vec<_>>().join(", ");
                match ids.len().saturating_sub(shown) {
                    0 => listed,
                    more => format!("{listed} +{more} more"),
                }
            }
        }
    }
}

/// One revision as the revision lists show it: what changed since the one before, and its
/// review decisions.
#[derive(Debug, Clone)]
pub struct RevisionSummary {
    pub revision: Revision,
    /// Lines added and removed against the previous revision (the first counts all as added);
    /// `None` when a text cannot be read.
    pub lines: Option<(usize, usize)>,
    pub answers: AnswerChanges,
    pub decisions: Vec<ReviewDecision>,
    /// Answers to the notes of its decisions, oldest first.
    pub replies: Vec<Reply>,
    /// Texts or answers files that could not be read (the summary shows `?` for them).
    pub problems: Vec<String>,
}

impl RevisionSummary {
    pub fn state(&self) -> ReviewState {
        ReviewState::of_latest(&self.decisions)
    }
}

/// Every revision of `history`, oldest first, compared with the one before. An unreadable
/// document, answers file or review file of a revision is noted in `problems` (a review file
/// that cannot be read counts as no decision).
pub fn summaries(history: &History) -> Result<Vec<RevisionSummary>, HistoryError> {
    let revisions = history.revisions()?;
    let mut out = Vec::with_capacity(revisions.len());
    let mut previous: Option<(u32, Option<toml::Table>)> = None;
    for revision in revisions {
        let mut problems = Vec::new();
        let answers = history
            .answer_table(revision.number)
            .map_err(|e| problems.push(format!("{e} Changed answers that compare with it show as ?.")))
            .ok();
        let mut text = |number: u32| {
            history
                .content(number)
                .map_err(|e| problems.push(format!("{e} Line counts that compare with it show as ?.")))
                .ok()
        };
        // Counted when it was recorded; older records are counted now.
        let lines = match (revision.changed, &previous) {
            (Some(c), _) => Some((c.added, c.removed)),
            (None, None) => text(revision.number).map(|t| (t.lines().count(), 0)),
            (None, Some((before, _))) => text(*before)
                .zip(text(revision.number))
                .map(|(old, new)| crate::core::diff::line_counts(&old, &new)),
        };
        let changes = match &previous {
            None => AnswerChanges::First,
            Some((_, old_answers)) => match (old_answers, &answers) {
                (Some(old), Some(new)) => AnswerChanges::Ids(crate::core::diff::changed_answers(old, new)),
                _ => AnswerChanges::Unknown,
            },
        };
        let record = history
            .review(revision.number)
            .map_err(|e| problems.push(format!("{e} Its review decisions are skipped.")))
            .unwrap_or_default();
        let number = revision.number;
        out.push(RevisionSummary {
            revision,
            lines,
            answers: changes,
            decisions: record.decisions,
            replies: record.replies,
            problems,
        });
        previous = Some((number, answers));
    }
    Ok(out)
}

// ───────────────────────────── storage ─────────────────────────────

/// `review.toml` as written: the revision number comes from the folder, so it is not repeated.
/// Its format is `schema::REVIEW` (2: notes keep their id, author, side and place; answers to
/// notes; the verdict `escalated`); format 1 reads too.
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReviewFile {
    /// Checked before parsing (`schema::check`); written by hand in front of the rest.
    #[serde(default, skip_serializing, rename = "schema")]
    _schema: Option<i64>,
    #[serde(default)]
    decision: Vec<StoredDecision>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    reply: Vec<StoredReply>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredDecision {
    verdict: Verdict,
    reviewer: String,
    time: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    note: Vec<StoredNote>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredNote {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    id: String,
    /// The revision whose text the quote is from, when not the one decided on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revision: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    author: String,
    #[serde(default)]
    path: Vec<String>,
    #[serde(default)]
    quote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offset: Option<usize>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    after: String,
    text: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredReply {
    note: String,
    reviewer: String,
    time: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resolved: Option<bool>,
}

/// The id a note without one is known by: from where it is and what it says, so it stays the
/// same between readings.
fn derived_id(revision: u32, decision: usize, note: usize, text: &str) -> String {
    sha256_hex(format!("{revision}\n{decision}\n{note}\n{text}").as_bytes())[..12].to_string()
}

impl StoredDecision {
    fn from_decision(d: &ReviewDecision) -> StoredDecision {
        StoredDecision {
            verdict: d.verdict,
            reviewer: d.reviewer.clone(),
            time: d.time.clone(),
            note: d
                .notes
                .iter()
                .map(|n| StoredNote {
                    id: n.id.clone(),
                    revision: n.on.filter(|on| *on != d.revision),
                    author: if n.author == d.reviewer {
                        String::new()
                    } else {
                        n.author.clone()
                    },
                    path: n.anchor.path.clone(),
                    quote: n.anchor.quote.clone(),
                    offset: n.anchor.offset,
                    after: n.anchor.after.clone(),
                    text: n.text.clone(),
                })
                .collect(),
        }
    }

    fn into_decision(self, revision: u32, index: usize) -> ReviewDecision {
        let reviewer = self.reviewer;
        ReviewDecision {
            revision,
            verdict: self.verdict,
            time: self.time,
            notes: self
                .note
                .into_iter()
                .enumerate()
                .map(|(k, n)| Note {
                    id: if n.id.is_empty() {
                        derived_id(revision, index, k, &n.text)
                    } else {
                        n.id
                    },
                    anchor: Anchor {
                        path: n.path,
                        quote: n.quote,
                        offset: n.offset,
                        after: n.after,
                    },
                    on: Some(n.revision.unwrap_or(revision)),
                    author: if n.author.is_empty() {
                        reviewer.clone()
                    } else {
                        n.author
                    },
                    text: n.text,
                })
                .collect(),
            reviewer,
        }
    }
}

impl StoredReply {
    fn from_reply(r: &Reply) -> StoredReply {
        StoredReply {
            note: r.note.clone(),
            reviewer: r.reviewer.clone(),
            time: r.time.clone(),
            text: r.text.clone(),
            resolved: r.resolved,
        }
    }

    fn into_reply(self) -> Reply {
        Reply {
            note: self.note,
            reviewer: self.reviewer,
            time: self.time,
            text: self.text,
            resolved: self.resolved,
        }
    }
}

/// The lock reviewers of one document take turns on, in its history folder.
const REVIEW_LOCK: &str = ".review.lock";

const FILE_HEADER: &str = "# Review decisions on this revision, oldest first; the last one is its state.\n# Answers to notes follow, oldest first.\n\n";

/// What is recorded on one revision: its decisions, and the answers to its notes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewRecord {
    pub decisions: Vec<ReviewDecision>,
    pub replies: Vec<Reply>,
}

impl History {
    fn review_file(&self, number: u32) -> PathBuf {
        self.revision_dir(number).join(REVIEW_FILE)
    }

    /// `review.toml` of revision `number` as stored (empty when there is none). A file that
    /// does not parse is `Corrupt`; one from a newer spec-interview is `Newer`.
    fn read_review_file(&self, number: u32) -> Result<ReviewFile, HistoryError> {
        let text = match self.revision_folder(number)? {
            Some(folder) => folder.read_text(REVIEW_FILE)?,
            None => None,
        };
        let Some(text) = text else {
            return Ok(ReviewFile::default());
        };
        let path = self.review_file(number);
        match schema::check(schema::declared(&text), schema::REVIEW) {
            Ok(()) => {}
            Err(problem @ SchemaProblem::Newer { .. }) => return Err(HistoryError::Newer { path, problem }),
            Err(problem) => {
                return Err(HistoryError::Corrupt {
                    path,
                    detail: problem.to_string(),
                });
            }
        }
        toml::from_str(&text).map_err(|e| HistoryError::Corrupt {
            detail: toml_detail(&text, &e),
            path,
        })
    }

    fn write_review_file(&self, number: u32, file: &ReviewFile) -> Result<(), HistoryError> {
        let unknown = || self.unknown_revision(number);
        let folder = self.revision_folder(number)?.ok_or_else(unknown)?;
        folder.remove_interrupted_writes(REVIEW_FILE);
        let body = toml::to_string(file).map_err(|e| HistoryError::Corrupt {
            path: self.review_file(number),
            detail: e.to_string(),
        })?;
        let text = format!("{FILE_HEADER}schema = {}\n\n{}\n", schema::REVIEW, body.trim_end());
        folder
            .write(REVIEW_FILE, text.as_bytes(), Privacy::Shared)
            .map_err(HistoryError::from)
    }

    fn unknown_revision(&self, number: u32) -> HistoryError {
        HistoryError::UnknownRevision {
            dir: self.dir().to_path_buf(),
            number,
        }
    }

    /// Two reviewers recording at once take turns: each reads what the other wrote.
    fn lock_reviews(&self, number: u32) -> Result<HeldLock, HistoryError> {
        let folder = self.folder(false)?.ok_or_else(|| self.unknown_revision(number))?;
        Ok(folder.lock(REVIEW_LOCK)?)
    }

    /// Everything recorded on revision `number`: decisions and answers, oldest first.
    pub fn review(&self, number: u32) -> Result<ReviewRecord, HistoryError> {
        let file = self.read_review_file(number)?;
        Ok(ReviewRecord {
            decisions: file
                .decision
                .into_iter()
                .enumerate()
                .map(|(k, d)| d.into_decision(number, k))
                .collect(),
            replies: file.reply.into_iter().map(StoredReply::into_reply).collect(),
        })
    }

    /// Every decision recorded on revision `number`, oldest first (empty when none).
    pub fn decisions(&self, number: u32) -> Result<Vec<ReviewDecision>, HistoryError> {
        Ok(self.review(number)?.decisions)
    }

    /// The latest decision on revision `number`, as a state.
    pub fn review_state(&self, number: u32) -> Result<ReviewState, HistoryError> {
        Ok(ReviewState::of_latest(&self.decisions(number)?))
    }

    /// Where the document stands in the review gate now.
    pub fn gate(&self) -> Result<Gate, HistoryError> {
        Ok(Gate {
            requests: self.requests_in_cycle()?,
        })
    }

    /// Appends a decision to its revision (the revision must exist: error otherwise). A request
    /// for changes past the review gate's limit is recorded as an escalation. Notes without an
    /// id get one. Returns the verdict recorded, the notes' ids, how many requests for changes
    /// the document has had in the current review cycle (since its last approval, this one
    /// included) and whether that reaches `REVISION_CYCLE_LIMIT`. A damaged `review.toml` is
    /// reported, never overwritten.
    pub fn record_decision(&self, decision: &ReviewDecision) -> Result<DecisionRecorded, HistoryError> {
        let number = decision.revision;
        if !self.has_revision(number) {
            return Err(self.unknown_revision(number));
        }
        let lock = self.lock_reviews(number)?;
        let mut file = self.read_review_file(number)?;
        let mut decision = decision.clone();
        if decision.verdict == Verdict::ChangesRequested && self.requests_in_cycle()? >= REVISION_CYCLE_LIMIT {
            decision.verdict = Verdict::Escalated;
        }
        let index = file.decision.len();
        for (k, note) in decision.notes.iter_mut().enumerate() {
            if note.id.is_empty() {
                let seed = format!("{}\n{}\n{}", decision.reviewer, decision.time, note.author);
                note.id = derived_id(number, index, k, &format!("{seed}\n{}", note.text));
            }
            if note.author.is_empty() {
                note.author.clone_from(&decision.reviewer);
            }
        }
        file.decision.push(StoredDecision::from_decision(&decision));
        self.write_review_file(number, &file)?;
        let requests_in_cycle = self.requests_in_cycle()?;
        drop(lock);
        Ok(DecisionRecorded {
            verdict: decision.verdict,
            note_ids: decision.notes.iter().map(|n| n.id.clone()).collect(),
            requests_in_cycle,
            limit_reached: requests_in_cycle >= REVISION_CYCLE_LIMIT,
        })
    }

    /// Appends an answer (or a resolved mark) to a note recorded on revision `number`; the note
    /// must be there.
    pub fn record_reply(&self, number: u32, reply: &Reply) -> Result<(), HistoryError> {
        if !self.has_revision(number) {
            return Err(self.unknown_revision(number));
        }
        let lock = self.lock_reviews(number)?;
        let known = self
            .review(number)?
            .decisions
            .iter()
            .flat_map(|d| &d.notes)
            .any(|n| n.id == reply.note);
        if !known {
            return Err(HistoryError::Corrupt {
                path: self.review_file(number),
                detail: format!("it holds no note {}", reply.note),
            });
        }
        let mut file = self.read_review_file(number)?;
        file.reply.push(StoredReply::from_reply(reply));
        self.write_review_file(number, &file)?;
        drop(lock);
        Ok(())
    }

    /// Requests for changes (escalations included) since the last approval, over all revisions
    /// of the document. Decisions count in revision order, then in the order they were
    /// recorded; a review file that cannot be read counts as none.
    pub fn requests_in_cycle(&self) -> Result<usize, HistoryError> {
        let mut requests = 0;
        for revision in self.revisions()? {
            for d in self.decisions(revision.number).unwrap_or_default() {
                match d.verdict {
                    Verdict::Approved => requests = 0,
                    Verdict::ChangesRequested | Verdict::Escalated => requests += 1,
                }
            }
        }
        Ok(requests)
    }
}

/// The sentence to show when a request for changes reaches the limit of the review gate
/// (seed 001: at most 3 revision cycles; on the 3rd, escalate). None below the limit.
pub fn limit_message(document: &str, requests: usize) -> Option<String> {
    if requests < REVISION_CYCLE_LIMIT {
        return None;
    }
    Some(if requests == REVISION_CYCLE_LIMIT {
        format!(
            "This is request for changes {requests} of {REVISION_CYCLE_LIMIT} on {document}: the review gate's revision limit is reached, so a further request is recorded as an escalation; an approval restarts the count."
        )
    } else {
        format!(
            "Request for changes {requests} on {document} is past the review gate's limit of {REVISION_CYCLE_LIMIT}: it is recorded as an escalation (verdict escalated) for someone to decide; an approval restarts the count."
        )
    })
}

/// A recorded note with where it was recorded, its answers and whether it is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteThread {
    pub note: Note,
    /// The revision whose decision holds the note.
    pub revision: u32,
    /// The decision's verdict and time.
    pub verdict: Verdict,
    pub time: String,
    pub replies: Vec<Reply>,
}

impl NoteThread {
    /// Resolved when the latest answer that changed the mark resolved it.
    pub fn resolved(&self) -> bool {
        self.replies.iter().rev().find_map(|r| r.resolved) == Some(true)
    }
}

/// Every note recorded on the revisions `from..=to` of `history`, oldest first, with its
/// answers. A review file that cannot be read is skipped and reported in the second list.
pub fn threads(history: &History, from: u32, to: u32) -> (Vec<NoteThread>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let Ok(revisions) = history.revisions() else {
        return (out, problems);
    };
    for revision in revisions.iter().filter(|r| (from..=to).contains(&r.number)) {
        let record = match history.review(revision.number) {
            Ok(r) => r,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        for decision in record.decisions {
            for note in decision.notes {
                let replies = record.replies.iter().filter(|r| r.note == note.id).cloned().collect();
                out.push(NoteThread {
                    note,
                    revision: revision.number,
                    verdict: decision.verdict,
                    time: decision.time.clone(),
                    replies,
                });
            }
        }
    }
    (out, problems)
}

/// Where a note shows in a comparison of two texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// On this 0-based line of the newer text.
    New(usize),
    /// On this 0-based line of the older text (a removed line, or the older side's own line).
    Old(usize),
    /// Its line is in neither text any more.
    Outdated,
}

/// Where `note` shows when `older` (revision `older_number`) is compared with `newer`
/// (`newer_number`): a note written on one of the two sides shows on that side's line; a note
/// written on another revision shows where its line is now: the same words in the newer text,
/// else in the older, else a line much like it (newer first).
pub fn place(note: &Note, older: &str, older_number: Option<u32>, newer: &str, newer_number: Option<u32>) -> Placement {
    let in_new = |strict| locate_in(newer, &note.anchor, strict).map(Placement::New);
    let in_old = |strict| locate_in(older, &note.anchor, strict).map(Placement::Old);
    let found = match note.on {
        Some(on) if Some(on) == newer_number => in_new(false),
        Some(on) if Some(on) == older_number => in_old(false),
        _ => in_new(true)
            .or_else(|| in_old(true))
            .or_else(|| in_new(false))
            .or_else(|| in_old(false)),
    };
    found.unwrap_or(Placement::Outdated)
}

fn locate_in(text: &str, anchor: &Anchor, strict: bool) -> Option<usize> {
    if strict {
        locate_same(text, anchor).line()
    } else {
        locate(text, anchor).line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fsio::Project;
    use crate::core::history::Provenance;
    use std::fs;

    const DOC: &str = ".specflow/docs/D04-x.md";

    fn history_with(revisions: usize) -> (tempfile::TempDir, History) {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        let h = History::open(&project, DOC);
        let provenance = Provenance {
            time: "2026-01-02T03:04:05Z".into(),
            author: "Ada".into(),
            git: None,
        };
        for n in 0..revisions {
            h.record(DOC, &format!("# Doc\nrevision {n}\n"), "", ("q", "1"), &provenance)
                .unwrap();
        }
        (dir, h)
    }

    fn decision(revision: u32, verdict: Verdict, reviewer: &str, notes: Vec<Note>) -> ReviewDecision {
        ReviewDecision {
            revision,
            verdict,
            reviewer: reviewer.into(),
            time: "2026-02-03T04:05:06Z".into(),
            notes,
        }
    }

    #[test]
    fn summaries_count_lines_for_records_written_before_counts_were_kept() {
        let (_dir, history) = history_with(2);
        let counted = summaries(&history).unwrap()[1].lines;
        assert!(counted.is_some());
        let record = history.dir().join("0002/revision.toml");
        let text = fs::read_to_string(&record).unwrap();
        let old_format: String = text.split("\n[changed]").next().unwrap().to_string();
        assert_ne!(old_format, text, "the record keeps its counts");
        fs::write(&record, old_format).unwrap();
        assert_eq!(history.revisions().unwrap()[1].changed, None);
        assert_eq!(summaries(&history).unwrap()[1].lines, counted);
    }

    #[test]
    fn reviewers_deciding_at_once_lose_nothing() {
        let (_dir, history) = history_with(1);
        std::thread::scope(|scope| {
            for k in 0..8 {
                let history = &history;
                scope.spawn(move || {
                    history
                        .record_decision(&decision(1, Verdict::ChangesRequested, &format!("r{k}"), Vec::new()))
                        .unwrap();
                });
            }
        });
        assert_eq!(history.decisions(1).unwrap().len(), 8);
    }

    fn note(path: &[&str], quote: &str, text: &str) -> Note {
        Note {
            id: String::new(),
            anchor: Anchor {
                path: path.iter().map(|s| (*s).to_string()).collect(),
                quote: quote.into(),
                offset: Some(1),
                after: String::new(),
            },
            on: None,
            author: String::new(),
            text: text.into(),
        }
    }

    /// `decision` as it reads back: notes with their id, revision and author.
    fn as_recorded(mut d: ReviewDecision, ids: &[String]) -> ReviewDecision {
        for (n, id) in d.notes.iter_mut().zip(ids) {
            n.id.clone_from(id);
            n.on = n.on.or(Some(d.revision));
            if n.author.is_empty() {
                n.author.clone_from(&d.reviewer);
            }
        }
        d
    }

    #[test]
    fn decisions_round_trip_through_review_toml() {
        let (_dir, h) = history_with(1);
        assert!(h.decisions(1).unwrap().is_empty());
        let first = decision(
            1,
            Verdict::ChangesRequested,
            "Bob \u{1b}[31m",
            vec![
                note(&["Doc", "Security"], "Tokens last \"forever\"", "Too long.\nSay why."),
                note(&[], "", "General remark"),
            ],
        );
        let second = decision(1, Verdict::Approved, "Ada", Vec::new());
        let ids = h.record_decision(&first).unwrap().note_ids;
        assert_eq!(ids.len(), 2);
        assert!(ids.iter().all(|id| id.len() == 12) && ids[0] != ids[1], "{ids:?}");
        h.record_decision(&second).unwrap();
        assert_eq!(h.decisions(1).unwrap(), [as_recorded(first, &ids), second]);
        let text = fs::read_to_string(h.revision_dir(1).join(REVIEW_FILE)).unwrap();
        assert!(text.ends_with("\"\n") && !text.ends_with("\n\n"), "{text}");
        assert!(text.contains(&format!("\nschema = {}\n", schema::REVIEW)), "{text}");
        assert!(
            text.contains("[[decision]]\nverdict = \"changes_requested\"\nreviewer = "),
            "{text}"
        );
        assert!(text.contains("path = [\"Doc\", \"Security\"]\nquote = "), "{text}");
        // A hand-written file of the first format reads too: notes get an id, their revision and
        // their author from the decision.
        fs::write(
            h.revision_dir(1).join(REVIEW_FILE),
            "[[decision]]\nverdict = \"changes_requested\"\nreviewer = \"Eve\"\ntime = \"2026-03-01T00:00:00Z\"\n[[decision.note]]\npath = [\"Doc\"]\nquote = \"x\"\ntext = \"y\"\n",
        )
        .unwrap();
        let read = h.decisions(1).unwrap();
        let old_note = &read[0].notes[0];
        assert_eq!((old_note.author.as_str(), old_note.on), ("Eve", Some(1)));
        assert_eq!(old_note.anchor.offset, None);
        assert_eq!(
            old_note.id,
            h.decisions(1).unwrap()[0].notes[0].id,
            "the same id every time"
        );
        // A file from a newer spec-interview is refused, not taken for damage, and left alone.
        let newer = "schema = 99\n[[decision]]\nverdict = \"deferred\"\n";
        fs::write(h.revision_dir(1).join(REVIEW_FILE), newer).unwrap();
        let err = h.decisions(1).unwrap_err().to_string();
        assert!(err.contains("newer spec-interview"), "{err}");
    }

    #[test]
    fn notes_keep_their_side_and_author_and_take_answers() {
        let (_dir, h) = history_with(2);
        let mut on_old = note(&["Doc"], "revision 0", "Why was this removed?");
        on_old.on = Some(1);
        on_old.author = "Ada".into();
        let recorded = h
            .record_decision(&decision(2, Verdict::ChangesRequested, "Bob", vec![on_old.clone()]))
            .unwrap();
        let read = &h.decisions(2).unwrap()[0].notes[0];
        assert_eq!(
            (read.on, read.author.as_str()),
            (Some(1), "Ada"),
            "the older side, Ada's"
        );
        let id = recorded.note_ids[0].clone();
        let reply = |text: &str, resolved| Reply {
            note: id.clone(),
            reviewer: "Cleo".into(),
            time: "2026-02-04T00:00:00Z".into(),
            text: text.into(),
            resolved,
        };
        h.record_reply(2, &reply("It moved to Storage.", None)).unwrap();
        h.record_reply(2, &reply("", Some(true))).unwrap();
        let (threads, problems) = threads(&h, 1, 2);
        assert!(problems.is_empty());
        assert_eq!(threads.len(), 1);
        assert_eq!(threads[0].replies.len(), 2);
        assert!(threads[0].resolved());
        h.record_reply(2, &reply("Not quite.", Some(false))).unwrap();
        assert!(!super::threads(&h, 2, 2).0[0].resolved(), "open again");
        // An answer to a note that is not there is refused.
        let mut stray = reply("?", None);
        stray.note = "nothing".into();
        assert!(h.record_reply(2, &stray).is_err());
    }

    #[test]
    fn notes_are_placed_on_their_own_side_or_are_outdated() {
        let old = "# Doc\n## A\nkept\nKafka carries the events.\n";
        let new = "# Doc\n## A\nkept\nNightly batch jobs copy rows over.\n";
        let on = |text: &str, line: usize, revision: u32| Note {
            on: Some(revision),
            anchor: anchor_at(text, line),
            ..note(&[], "", "x")
        };
        assert_eq!(place(&on(old, 3, 1), old, Some(1), new, Some(2)), Placement::Old(3));
        assert_eq!(place(&on(new, 3, 2), old, Some(1), new, Some(2)), Placement::New(3));
        // Written on an earlier revision: where its line is now, the newer text first.
        assert_eq!(place(&on(old, 2, 0), old, Some(1), new, Some(2)), Placement::New(2));
        assert_eq!(place(&on(old, 3, 0), old, Some(1), new, Some(2)), Placement::Old(3));
        let later = "# Doc\n## A\nkept\nWebhooks retry with backoff.\n";
        assert_eq!(place(&on(old, 3, 0), new, Some(2), later, Some(3)), Placement::Outdated);
        // A heading and a blank line are placed like any other line.
        let blank = "# Doc\n\n## A\n\nkept\n";
        assert_eq!(
            place(&on(blank, 2, 1), blank, Some(1), blank, Some(2)),
            Placement::Old(2)
        );
        assert_eq!(
            place(&on(blank, 3, 2), blank, Some(1), blank, Some(2)),
            Placement::New(3)
        );
    }

    #[test]
    fn review_state_is_the_latest_decision() {
        let (_dir, h) = history_with(1);
        assert_eq!(h.review_state(1).unwrap(), ReviewState::Unreviewed);
        assert_eq!(h.review_state(1).unwrap().describe(), "not reviewed");
        h.record_decision(&decision(1, Verdict::Approved, "Ada", Vec::new()))
            .unwrap();
        assert_eq!(h.review_state(1).unwrap().describe(), "approved by Ada");
        let notes = vec![note(&["Doc"], "a", "x"), note(&["Doc"], "b", "y")];
        h.record_decision(&decision(1, Verdict::ChangesRequested, "Bob", notes))
            .unwrap();
        let state = h.review_state(1).unwrap();
        assert_eq!(
            state,
            ReviewState::ChangesRequested {
                reviewer: "Bob".into(),
                time: "2026-02-03T04:05:06Z".into(),
                notes: 2
            }
        );
        assert_eq!(state.describe(), "changes requested by Bob (2 notes)");
    }

    #[test]
    fn the_cycle_resets_after_an_approval_and_the_third_request_reaches_the_limit() {
        let (_dir, h) = history_with(3);
        let request = |n| decision(n, Verdict::ChangesRequested, "Bob", Vec::new());
        assert_eq!(h.requests_in_cycle().unwrap(), 0);
        assert_eq!(h.record_decision(&request(1)).unwrap().requests_in_cycle, 1);
        let approved = h
            .record_decision(&decision(1, Verdict::Approved, "Ada", Vec::new()))
            .unwrap();
        assert_eq!(
            approved,
            DecisionRecorded {
                verdict: Verdict::Approved,
                note_ids: Vec::new(),
                requests_in_cycle: 0,
                limit_reached: false
            }
        );
        let first = h.record_decision(&request(2)).unwrap();
        let second = h.record_decision(&request(2)).unwrap();
        assert_eq!((first.requests_in_cycle, first.limit_reached), (1, false));
        assert_eq!((second.requests_in_cycle, second.limit_reached), (2, false));
        assert_eq!(limit_message("D04-x.md", 2), None);
        let third = h.record_decision(&request(3)).unwrap();
        assert_eq!((third.requests_in_cycle, third.limit_reached), (3, true));
        assert_eq!(h.requests_in_cycle().unwrap(), 3);
        let message = limit_message("D04-x.md", third.requests_in_cycle).unwrap();
        assert!(
            message.contains("3 of 3 on D04-x.md") && message.contains("escalation"),
            "{message}"
        );
        assert!(limit_message("D04-x.md", 4).unwrap().contains("escalation"));
        assert_eq!(third.verdict, Verdict::ChangesRequested);
        assert!(h.gate().unwrap().describe().contains("3 of 3"));
        assert_eq!(h.gate().unwrap().next_request(), Verdict::Escalated);
        assert!(h.gate().unwrap().before_request().contains("escalation"));
        // The fourth request is recorded as an escalation, and stays one in the history.
        let fourth = h.record_decision(&request(3)).unwrap();
        assert_eq!((fourth.verdict, fourth.requests_in_cycle), (Verdict::Escalated, 4));
        assert_eq!(h.decisions(3).unwrap().last().unwrap().verdict, Verdict::Escalated);
        assert!(h.review_state(3).unwrap().describe().starts_with("escalated by Bob"));
        assert_eq!(h.gate().unwrap().short(), "gate: escalated");
        // An approval is still possible after it and restarts the count.
        let approved = h
            .record_decision(&decision(3, Verdict::Approved, "Ada", Vec::new()))
            .unwrap();
        assert_eq!((approved.verdict, approved.requests_in_cycle), (Verdict::Approved, 0));
        assert_eq!(h.gate().unwrap().next_request(), Verdict::ChangesRequested);
        assert!(
            Gate { requests: 2 }.before_request().contains("3 of 3"),
            "the third says so before"
        );
    }

    #[test]
    fn recording_on_a_missing_revision_is_an_error() {
        let (_dir, h) = history_with(1);
        let err = h
            .record_decision(&decision(7, Verdict::Approved, "Ada", Vec::new()))
            .unwrap_err();
        assert!(
            matches!(err, HistoryError::UnknownRevision { number: 7, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("no saved revision 7"), "{err}");
        assert!(!h.revision_dir(7).exists());
    }

    #[test]
    fn a_damaged_review_file_is_a_clear_error_and_is_not_overwritten() {
        let (_dir, h) = history_with(1);
        let path = h.revision_dir(1).join(REVIEW_FILE);
        for damaged in [
            "[[decision]]\nverdict = \"maybe\"\nreviewer = \"Ada\"\ntime = \"t\"\n",
            "[[decision]\n",
            "[[decision]]\nverdict = \"approved\"\ntime = \"t\"\n",
            "decision = 3\n",
        ] {
            fs::write(&path, damaged).unwrap();
            let err = h.review_state(1).unwrap_err();
            assert!(matches!(err, HistoryError::Corrupt { .. }), "{err:?}");
            let message = err.to_string();
            assert!(message.starts_with(&path.display().to_string()), "{message}");
            assert!(message.contains("line ") && message.lines().count() == 1, "{message}");
            assert!(
                h.record_decision(&decision(1, Verdict::Approved, "Ada", Vec::new()))
                    .is_err()
            );
            assert_eq!(fs::read_to_string(&path).unwrap(), damaged);
        }
    }
}
