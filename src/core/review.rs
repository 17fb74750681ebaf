//! Review decisions on saved revisions (`review.toml` beside each revision), the review gate's
//! revision-cycle limit, and anchors that let a note find its line again in later revisions.
use serde::{Deserialize, Serialize};
use similar::TextDiff;
use std::path::PathBuf;

use crate::core::diagnostic::toml_detail;
use crate::core::diff::sections;
use crate::core::fsio::Privacy;
use crate::core::history::{History, HistoryError, Revision};
use crate::core::schema::{self, SchemaProblem};

/// The file beside a revision's `document.md` that holds its review decisions.
pub const REVIEW_FILE: &str = "review.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approved,
    ChangesRequested,
}

/// Where a note points: the heading path (top-level heading first, down to the section) and a
/// short quoted snippet of the line, so the note survives later revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub path: Vec<String>,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub anchor: Anchor,
    pub text: String,
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
}

/// Seed 001's review gate: at most this many revision cycles; on the last, escalate.
pub const REVISION_CYCLE_LIMIT: usize = 3;

/// What recording a decision led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecorded {
    pub requests_in_cycle: usize,
    pub limit_reached: bool,
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
            },
        }
    }

    /// One line for humans: "approved by Ada", "changes requested by Ada (2 notes)",
    /// "not reviewed". The reviewer's name is as stored: sanitise before printing.
    pub fn describe(&self) -> String {
        match self {
            ReviewState::Unreviewed => "not reviewed".into(),
            ReviewState::Approved { reviewer, .. } => format!("approved by {reviewer}"),
            ReviewState::ChangesRequested { reviewer, notes, .. } => match notes {
                0 => format!("changes requested by {reviewer}"),
                1 => format!("changes requested by {reviewer} (1 note)"),
                n => format!("changes requested by {reviewer} ({n} notes)"),
            },
        }
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
        let decisions = history
            .decisions(revision.number)
            .map_err(|e| problems.push(format!("{e} Its review decisions are skipped.")))
            .unwrap_or_default();
        let number = revision.number;
        out.push(RevisionSummary {
            revision,
            lines,
            answers: changes,
            decisions,
            problems,
        });
        previous = Some((number, answers));
    }
    Ok(out)
}

// ───────────────────────────── storage ─────────────────────────────

/// `review.toml` as written: the revision number comes from the folder, so it is not repeated.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewFile {
    /// Checked before parsing (`schema::check`); written by hand in front of the rest.
    #[serde(default, skip_serializing, rename = "schema")]
    _schema: Option<i64>,
    #[serde(default)]
    decision: Vec<StoredDecision>,
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
    #[serde(default)]
    path: Vec<String>,
    #[serde(default)]
    quote: String,
    text: String,
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
                    path: n.anchor.path.clone(),
                    quote: n.anchor.quote.clone(),
                    text: n.text.clone(),
                })
                .collect(),
        }
    }

    fn into_decision(self, revision: u32) -> ReviewDecision {
        ReviewDecision {
            revision,
            verdict: self.verdict,
            reviewer: self.reviewer,
            time: self.time,
            notes: self
                .note
                .into_iter()
                .map(|n| Note {
                    anchor: Anchor {
                        path: n.path,
                        quote: n.quote,
                    },
                    text: n.text,
                })
                .collect(),
        }
    }
}

/// The lock reviewers of one document take turns on, in its history folder.
const REVIEW_LOCK: &str = ".review.lock";

const FILE_HEADER: &str = "# Review decisions on this revision, oldest first; the last one is its state.\n\n";

impl History {
    fn review_file(&self, number: u32) -> PathBuf {
        self.revision_dir(number).join(REVIEW_FILE)
    }

    /// Every decision recorded on revision `number`, oldest first (empty when none). A file
    /// that does not parse is `Corrupt`; one from a newer spec-interview is `Newer`.
    pub fn decisions(&self, number: u32) -> Result<Vec<ReviewDecision>, HistoryError> {
        let text = match self.revision_folder(number)? {
            Some(folder) => folder.read_text(REVIEW_FILE)?,
            None => None,
        };
        let Some(text) = text else {
            return Ok(Vec::new());
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
        let file: ReviewFile = toml::from_str(&text).map_err(|e| HistoryError::Corrupt {
            detail: toml_detail(&text, &e),
            path,
        })?;
        Ok(file.decision.into_iter().map(|d| d.into_decision(number)).collect())
    }

    /// The latest decision on revision `number`, as a state.
    pub fn review_state(&self, number: u32) -> Result<ReviewState, HistoryError> {
        Ok(ReviewState::of_latest(&self.decisions(number)?))
    }

    /// Appends a decision to its revision (the revision must exist: error otherwise). Returns
    /// how many requests for changes the document has had in the current review cycle (since
    /// its last approval, this one included) and whether that reaches `REVISION_CYCLE_LIMIT`.
    /// A damaged `review.toml`, or one from a newer spec-interview, is reported, never
    /// overwritten.
    pub fn record_decision(&self, decision: &ReviewDecision) -> Result<DecisionRecorded, HistoryError> {
        let number = decision.revision;
        let unknown = || HistoryError::UnknownRevision {
            dir: self.dir().to_path_buf(),
            number,
        };
        if !self.has_revision(number) {
            return Err(unknown());
        }
        // Two reviewers deciding at once take turns: each reads what the other wrote.
        let lock = self.folder(false)?.ok_or_else(unknown)?.lock(REVIEW_LOCK)?;
        let folder = self.revision_folder(number)?.ok_or_else(unknown)?;
        folder.remove_interrupted_writes(REVIEW_FILE);
        let mut stored: Vec<StoredDecision> = self
            .decisions(number)?
            .iter()
            .map(StoredDecision::from_decision)
            .collect();
        stored.push(StoredDecision::from_decision(decision));
        let path = self.review_file(number);
        let body = toml::to_string(&ReviewFile {
            _schema: None,
            decision: stored,
        })
        .map_err(|e| HistoryError::Corrupt {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        let text = format!("{FILE_HEADER}schema = {}\n\n{}\n", schema::REVIEW, body.trim_end());
        folder
            .write(REVIEW_FILE, text.as_bytes(), Privacy::Shared)
            .map_err(HistoryError::from)?;
        let requests_in_cycle = self.requests_in_cycle()?;
        drop(lock);
        Ok(DecisionRecorded {
            requests_in_cycle,
            limit_reached: requests_in_cycle >= REVISION_CYCLE_LIMIT,
        })
    }

    /// Requests for changes since the last approval, over all revisions of the document.
    /// Decisions count in revision order, then in the order they were recorded; a review file
    /// that cannot be read counts as none.
    pub fn requests_in_cycle(&self) -> Result<usize, HistoryError> {
        let mut requests = 0;
        for revision in self.revisions()? {
            for d in self.decisions(revision.number).unwrap_or_default() {
                match d.verdict {
                    Verdict::Approved => requests = 0,
                    Verdict::ChangesRequested => requests += 1,
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
            "This is request for changes {requests} of {REVISION_CYCLE_LIMIT} on {document}: the review gate's revision limit is reached, so escalate the decision instead of revising again."
        )
    } else {
        format!(
            "This is request for changes {requests} on {document}, past the review gate's limit of {REVISION_CYCLE_LIMIT}: escalate the decision instead of revising again."
        )
    })
}

// ───────────────────────────── anchors ─────────────────────────────

/// At most this many characters of a line are quoted in an anchor.
const QUOTE_CHARS: usize = 80;
/// The least similarity for an edited line to count as the quoted one, inside its section.
const SIMILAR_IN_SECTION: f32 = 0.6;
/// Elsewhere in the document a near match is more likely another line, so ask for more.
const SIMILAR_ELSEWHERE: f32 = 0.8;

/// A section with its full heading path and its line range (heading line included, sub-sections
/// excluded).
struct Place {
    path: Vec<String>,
    start: usize,
    end: usize,
    /// False for the text before the first heading, which has no heading line.
    heading: bool,
}

fn places(text: &str) -> Vec<Place> {
    let line_count = text.lines().count();
    let found = sections(text);
    let mut out = Vec::with_capacity(found.len() + 1);
    if found.first().is_some_and(|s| s.level > 0 && s.start > 0) {
        // `sections` drops blank text before the first heading; it still has no path.
        out.push(Place {
            path: Vec::new(),
            start: 0,
            end: found[0].start,
            heading: false,
        });
    }
    let mut stack: Vec<(u8, String)> = Vec::new();
    for (i, s) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(line_count, |next| next.start);
        if s.level == 0 {
            out.push(Place {
                path: Vec::new(),
                start: s.start,
                end,
                heading: false,
            });
            continue;
        }
        while stack.last().is_some_and(|(level, _)| *level >= s.level) {
            stack.pop();
        }
        stack.push((s.level, s.title.clone()));
        out.push(Place {
            path: stack.iter().map(|(_, t)| t.clone()).collect(),
            start: s.start,
            end: end.max(s.start + 1),
            heading: true,
        });
    }
    out
}

fn cut(text: &str) -> String {
    text.chars().take(QUOTE_CHARS).collect()
}

/// What a line offers to a quote: a heading line its heading text, any other line itself,
/// trimmed.
fn quotable_lines(text: &str, places: &[Place]) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
    for p in places.iter().filter(|p| p.heading) {
        if let (Some(line), Some(title)) = (lines.get_mut(p.start), p.path.last()) {
            line.clone_from(title);
        }
    }
    lines
}

/// The anchor for 0-based line `line` of `text`: the heading path of the section holding it
/// (empty before the first heading) and the line trimmed, cut to at most 80 characters (a
/// heading line quotes its heading text).
pub fn anchor_at(text: &str, line: usize) -> Anchor {
    let places = places(text);
    let path = places
        .iter()
        .rev()
        .find(|p| p.start <= line)
        .map(|p| p.path.clone())
        .unwrap_or_default();
    let quote = quotable_lines(text, &places)
        .get(line)
        .map(|l| cut(l))
        .unwrap_or_default();
    Anchor { path, quote }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Located {
    /// The quoted line, 0-based.
    Exact(usize),
    /// The quote is gone; the section's heading line (0 for the text before the first heading).
    InSection(usize),
    Lost,
}

/// The section an anchor names: by its full heading path, else by its last title alone (the
/// candidate sharing most of the path's tail, the first on a tie).
fn find_section<'a>(places: &'a [Place], path: &[String]) -> Option<&'a Place> {
    if let Some(p) = places.iter().find(|p| p.path == path) {
        return Some(p);
    }
    let last = path.last()?;
    let shared_tail = |p: &Place| {
        p.path
            .iter()
            .rev()
            .zip(path.iter().rev())
            .take_while(|(a, b)| a == b)
            .count()
    };
    places
        .iter()
        .rev()
        .filter(|p| p.path.last() == Some(last))
        .max_by_key(|p| shared_tail(p))
}

/// The line in `range` that holds `quote`: equal, else starting with it, else containing it,
/// else the most similar one at or above `threshold`.
fn find_quote(lines: &[String], range: std::ops::Range<usize>, quote: &str, threshold: f32) -> Option<usize> {
    let range = range.start.min(lines.len())..range.end.min(lines.len());
    let candidates = || range.clone().filter(|&i| !lines[i].is_empty());
    let exact = candidates()
        .find(|&i| lines[i] == quote)
        .or_else(|| candidates().find(|&i| lines[i].starts_with(quote)))
        .or_else(|| candidates().find(|&i| lines[i].contains(quote)));
    if exact.is_some() {
        return exact;
    }
    let mut best: Option<(f32, usize)> = None;
    for i in candidates() {
        let line = cut(&lines[i]);
        let ratio = TextDiff::from_chars(quote, line.as_str()).ratio();
        if ratio >= threshold && best.is_none_or(|(b, _)| ratio > b) {
            best = Some((ratio, i));
        }
    }
    best.map(|(_, i)| i)
}

/// Finds an anchor in another revision's text: the section by full heading path, else by its
/// last title alone; the quote inside that section (an exact match first, then the most
/// similar line), else anywhere in the document (a stricter similarity); else the section's
/// heading; else `Lost`.
pub fn locate(text: &str, anchor: &Anchor) -> Located {
    let places = places(text);
    let lines = quotable_lines(text, &places);
    let section = find_section(&places, &anchor.path);
    let quote = anchor.quote.trim();
    if !quote.is_empty() {
        if let Some(p) = section
            && let Some(i) = find_quote(&lines, p.start..p.end, quote, SIMILAR_IN_SECTION)
        {
            return Located::Exact(i);
        }
        if let Some(i) = find_quote(&lines, 0..lines.len(), quote, SIMILAR_ELSEWHERE) {
            return Located::Exact(i);
        }
    }
    match section {
        Some(p) => Located::InSection(p.start),
        None => Located::Lost,
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
            anchor: Anchor {
                path: path.iter().map(|s| (*s).to_string()).collect(),
                quote: quote.into(),
            },
            text: text.into(),
        }
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
        h.record_decision(&first).unwrap();
        h.record_decision(&second).unwrap();
        assert_eq!(h.decisions(1).unwrap(), [first, second]);
        let text = fs::read_to_string(h.revision_dir(1).join(REVIEW_FILE)).unwrap();
        assert!(text.ends_with("\"\n") && !text.ends_with("\n\n"), "{text}");
        assert!(
            text.contains("[[decision]]\nverdict = \"changes_requested\"\nreviewer = "),
            "{text}"
        );
        assert!(
            text.contains("[[decision.note]]\npath = [\"Doc\", \"Security\"]\nquote = "),
            "{text}"
        );
        // A hand-written file reads too.
        fs::write(
            h.revision_dir(1).join(REVIEW_FILE),
            "[[decision]]\nverdict = \"approved\"\nreviewer = \"Eve\"\ntime = \"2026-03-01T00:00:00Z\"\n",
        )
        .unwrap();
        let mut eve = decision(1, Verdict::Approved, "Eve", Vec::new());
        eve.time = "2026-03-01T00:00:00Z".into();
        assert_eq!(h.decisions(1).unwrap(), [eve]);
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
            message.contains("3 of 3 on D04-x.md") && message.contains("escalate"),
            "{message}"
        );
        assert!(limit_message("D04-x.md", 4).unwrap().contains("escalate"));
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

    const TEXT: &str = "intro\n# Doc\nOverview.\n## Security\nTokens expire after 15 minutes of inactivity.\nPasswords are hashed with argon2id.\n## Storage\nPostgreSQL 16.\n";

    #[test]
    fn anchor_at_gives_the_heading_path_and_the_line() {
        assert_eq!(
            anchor_at(TEXT, 5),
            Anchor {
                path: vec!["Doc".into(), "Security".into()],
                quote: "Passwords are hashed with argon2id.".into()
            }
        );
        assert_eq!(anchor_at(TEXT, 3).quote, "Security");
        assert_eq!(anchor_at(TEXT, 3).path, ["Doc", "Security"]);
        assert_eq!(anchor_at(TEXT, 2).path, ["Doc"]);
        assert_eq!(anchor_at(TEXT, 0).path, Vec::<String>::new());
        let long = format!("# T\n  {}é{}  \n", "a".repeat(79), "b".repeat(10));
        let quote = anchor_at(&long, 1).quote;
        assert_eq!(quote.chars().count(), 80);
        assert!(quote.ends_with('é'));
        // Sibling sections at the same level do not nest.
        assert_eq!(anchor_at(TEXT, 7).path, ["Doc", "Storage"]);
    }

    #[test]
    fn locate_follows_a_moved_section_and_an_edited_line() {
        let anchor = anchor_at(TEXT, 4);
        assert_eq!(locate(TEXT, &anchor), Located::Exact(4));
        // The section moved below Storage.
        let moved = "# Doc\nOverview.\n## Storage\nPostgreSQL 16.\n## Security\nPasswords are hashed with argon2id.\nTokens expire after 15 minutes of inactivity.\n";
        assert_eq!(locate(moved, &anchor), Located::Exact(6));
        // The line was edited slightly.
        let edited = moved.replace("after 15 minutes", "after 30 minutes");
        assert_eq!(locate(&edited, &anchor), Located::Exact(6));
        // A heading anchor finds its heading line.
        assert_eq!(locate(moved, &anchor_at(TEXT, 3)), Located::Exact(4));
    }

    #[test]
    fn locate_falls_back_to_the_section_then_gives_up() {
        let anchor = anchor_at(TEXT, 4);
        // The quote is gone: the section's heading.
        let gone = "# Doc\n## Security\nSessions use opaque cookies.\n## Storage\nPostgreSQL 16.\n";
        assert_eq!(locate(gone, &anchor), Located::InSection(1));
        // The parent heading was renamed: found by the last title.
        let renamed =
            "# Design\n## Storage\nPostgreSQL 16.\n## Security\nTokens expire after 15 minutes of idle time.\n";
        assert_eq!(locate(renamed, &anchor), Located::Exact(4));
        let renamed_gone = "# Design\n## Security\nmTLS everywhere.\n";
        assert_eq!(locate(renamed_gone, &anchor), Located::InSection(1));
        // The section is gone, and the quote with it.
        assert_eq!(locate("# Doc\n## Storage\nPostgreSQL 16.\n", &anchor), Located::Lost);
        // The quote moved to another section: still found.
        let elsewhere = "# Doc\n## Storage\nTokens expire after 15 minutes of inactivity.\n";
        assert_eq!(locate(elsewhere, &anchor), Located::Exact(2));
    }
}
