//! What Ctrl-S would do, per document: the section summary of the new revision, and any hand edit found on disk.
use crate::core::diff::{self, SectionChange, SectionStatus};
use crate::core::document::RenderedDocument;
use crate::core::history::{DiskState, Revision};
use crate::tui::keymap::{Action, Context, key_label};

/// At most this many lines of a hand edit's diff are shown (the rest is counted).
pub const DIFF_LINES: usize = 60;

/// A document as the shell found it when Ctrl-S was pressed: the update reads no files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentOnDisk {
    pub path: String,
    /// The latest revision and its text.
    pub latest: Option<(Revision, String)>,
    pub disk: DiskState,
    /// The file's text, when there is a file.
    pub disk_text: Option<String>,
}

/// One document saved by the shell (the core's saving is shared with the plain interview).
pub use crate::core::saving::SavedDocument;

/// A hand edit kept as a revision (the file on disk left as it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptEdit {
    pub path: String,
    pub revision: Revision,
    pub text: String,
}

/// A document changed outside spec-interview since its last save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandEdit {
    /// The latest revision, if there is one.
    pub since: Option<u32>,
    /// The latest revision → the file on disk, changed sections only.
    pub changes: Vec<SectionChange>,
    /// The unified diff of the hand edit.
    pub diff: String,
    /// The file on disk → the interview's version: what overwriting would change.
    pub overwrite: Vec<SectionChange>,
}

/// One document in the save overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDocument {
    pub path: String,
    pub latest: Option<u32>,
    /// The interview's version against the latest revision, changed sections only.
    pub changes: Vec<SectionChange>,
    /// The interview's version differs from the latest revision.
    pub changed: bool,
    /// Not hand edited, but the file is not the latest revision (missing, or an older one):
    /// saving writes it again. Says what is there.
    pub stale_file: Option<String>,
    pub hand_edit: Option<HandEdit>,
}

impl PlannedDocument {
    fn needs_save(&self) -> bool {
        self.changed || self.latest.is_none() || self.stale_file.is_some() || self.hand_edit.is_some()
    }
}

/// What Ctrl-S found: shown in the save overlay before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavePlan {
    pub documents: Vec<PlannedDocument>,
    /// Required questions still open: said before anything is written.
    pub required_open: usize,
}

/// What a piece of an overlay line means; the view picks the theme's style for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Heading,
    Text,
    Muted,
    Added,
    Removed,
    Changed,
    Warning,
    Key,
}

/// A line of the overlay as pieces of (untrusted, unsanitised) text with their meaning.
pub type PlanLine = Vec<(Role, String)>;

impl SavePlan {
    /// Compares each rendered document with what the shell found for it.
    pub fn new(rendered: &[RenderedDocument], found: &[DocumentOnDisk]) -> SavePlan {
        let documents = rendered
            .iter()
            .map(|doc| {
                let on_disk = found.iter().find(|f| f.path == doc.path);
                let latest = on_disk.and_then(|f| f.latest.as_ref());
                let old = latest.map_or("", |(_, text)| text.as_str());
                let disk = on_disk.map_or(DiskState::Missing, |f| f.disk.clone());
                let latest_number = latest.map(|(r, _)| r.number);
                let hand_edit = match (&disk, on_disk.and_then(|f| f.disk_text.as_deref())) {
                    (DiskState::EditedOutside { since }, Some(text)) => Some(HandEdit {
                        since: *since,
                        changes: only_changed(diff::section_changes(old, text)),
                        diff: diff::unified(old, text, &doc.path),
                        overwrite: only_changed(diff::section_changes(text, &doc.text)),
                    }),
                    _ => None,
                };
                let stale_file = match (&disk, latest_number) {
                    (DiskState::Missing, Some(_)) => Some("the file is missing".to_string()),
                    (DiskState::Saved(n), Some(latest)) if *n != latest => Some(format!("the file holds revision {n}")),
                    _ => None,
                };
                PlannedDocument {
                    path: doc.path.clone(),
                    latest: latest_number,
                    changes: only_changed(diff::section_changes(old, &doc.text)),
                    changed: latest.is_none_or(|(_, text)| *text != doc.text),
                    stale_file,
                    hand_edit,
                }
            })
            .collect();
        SavePlan {
            documents,
            required_open: 0,
        }
    }

    /// Every document equals its latest revision, on disk too: there is nothing to write.
    pub fn nothing_to_save(&self) -> bool {
        !self.documents.iter().any(PlannedDocument::needs_save)
    }

    pub fn has_hand_edit(&self) -> bool {
        self.documents.iter().any(|d| d.hand_edit.is_some())
    }

    /// The key context of the overlay showing this plan.
    pub fn context(&self) -> Context {
        if self.has_hand_edit() {
            Context::HandEdit
        } else {
            Context::SaveSummary
        }
    }

    /// The overlay's scrolling part: per document, its summary (and its hand edit).
    pub fn lines(&self) -> Vec<PlanLine> {
        let mut out: Vec<PlanLine> = Vec::new();
        if self.required_open > 0 {
            let n = self.required_open;
            out.push(vec![(
                Role::Warning,
                format!(
                    "! {n} required answer{} still open: saved as TODO in the document{}.",
                    if n == 1 { " is" } else { "s are" },
                    if self.documents.len() == 1 { "" } else { "s" }
                ),
            )]);
            out.push(Vec::new());
        }
        for (i, doc) in self.documents.iter().enumerate() {
            if i > 0 {
                out.push(Vec::new());
            }
            match &doc.hand_edit {
                Some(edit) => hand_edit_lines(&mut out, doc, edit),
                None => summary_lines(&mut out, doc),
            }
        }
        out
    }

    /// The choices, kept in view below the scrolling part; key names come from the keymap.
    pub fn choices(&self) -> Vec<PlanLine> {
        let context = self.context();
        let key = |action| (Role::Key, key_label(context, action));
        let text = |s: &str| (Role::Text, s.to_string());
        let cancel = vec![key(Action::Back), text("  cancel: nothing is written")];
        if context == Context::SaveSummary {
            return vec![
                vec![
                    key(Action::Confirm),
                    text("  save the new revisions and write the documents"),
                ],
                cancel,
            ];
        }
        let edited: Vec<&PlannedDocument> = self.documents.iter().filter(|d| d.hand_edit.is_some()).collect();
        let (keep, first) = match edited.as_slice() {
            [one] => {
                let n = one.latest.map_or(1, |n| n + 1);
                (
                    format!("keep your edit as revision {n}"),
                    format!("your edit is kept first, as revision {n}"),
                )
            }
            _ => (
                "keep each edit as a revision of its own".to_string(),
                "each edit is kept first, as a revision".to_string(),
            ),
        };
        vec![
            vec![
                key(Action::KeepHandEdit),
                text(&format!("  {keep}; nothing else is written")),
            ],
            vec![key(Action::Overwrite), text(&format!("  overwrite ({first})"))],
            cancel,
        ]
    }
}

fn only_changed(changes: Vec<SectionChange>) -> Vec<SectionChange> {
    changes
        .into_iter()
        .filter(|c| c.status != SectionStatus::Unchanged)
        // An empty text before the first heading (all an empty document has) is no change.
        .filter(|c| c.level > 0 || c.added + c.removed > 0)
        .collect()
}

fn summary_lines(out: &mut Vec<PlanLine>, doc: &PlannedDocument) {
    let what = match (doc.latest, doc.changed) {
        (None, _) => " — first revision".to_string(),
        (Some(n), true) => format!(" — will be revision {}", n + 1),
        (Some(n), false) if doc.stale_file.is_none() => format!(" — unchanged since revision {n} — nothing to save"),
        (Some(n), false) => format!(" — unchanged since revision {n}"),
    };
    out.push(vec![(Role::Heading, doc.path.clone()), (Role::Muted, what)]);
    if let Some(stale) = &doc.stale_file {
        out.push(vec![(Role::Warning, format!("  {stale}: saving writes it again"))]);
    }
    if doc.changed {
        change_lines(out, &doc.changes, "");
    }
}

fn hand_edit_lines(out: &mut Vec<PlanLine>, doc: &PlannedDocument, edit: &HandEdit) {
    let since = edit.since.map_or_else(
        || "before its first save".to_string(),
        |n| format!("since revision {n}"),
    );
    // Two lines, so that what happened is not cut off after a long path.
    out.push(vec![
        (Role::Warning, "! ".to_string()),
        (Role::Heading, doc.path.clone()),
    ]);
    out.push(vec![(
        Role::Warning,
        format!("  was edited outside spec-interview {since}"),
    )]);
    let from = edit
        .since
        .map_or_else(|| "nothing saved".to_string(), |n| format!("revision {n}"));
    out.push(vec![(Role::Muted, format!("  Your edit ({from} → the file on disk):"))]);
    change_lines(out, &edit.changes, "  ");
    // The file header names the path shown above: only the hunks are worth the room.
    let diff: Vec<&str> = edit.diff.lines().skip_while(|l| !l.starts_with("@@")).collect();
    for line in diff.iter().take(DIFF_LINES) {
        let role = if line.starts_with("@@") {
            Role::Changed
        } else if line.starts_with('+') {
            Role::Added
        } else if line.starts_with('-') {
            Role::Removed
        } else {
            Role::Text
        };
        out.push(vec![(Role::Muted, "  │ ".to_string()), (role, (*line).to_string())]);
    }
    if diff.len() > DIFF_LINES {
        out.push(vec![(
            Role::Muted,
            format!("  │ … {} more lines of diff", diff.len() - DIFF_LINES),
        )]);
    }
    out.push(vec![(
        Role::Muted,
        "  Overwriting would then change (the file on disk → the interview's version):".to_string(),
    )]);
    if edit.overwrite.is_empty() {
        out.push(vec![(Role::Muted, "    nothing: they are the same".to_string())]);
    } else {
        change_lines(out, &edit.overwrite, "  ");
    }
}

/// The changed sections indented by level, then the total.
fn change_lines(out: &mut Vec<PlanLine>, changes: &[SectionChange], indent: &str) {
    if changes.is_empty() {
        out.push(vec![(
            Role::Muted,
            format!("{indent}  no section changed (only blank lines or spacing)"),
        )]);
        return;
    }
    let (mut added, mut removed) = (0, 0);
    for c in changes {
        added += c.added;
        removed += c.removed;
        let role = match c.status {
            SectionStatus::Added => Role::Added,
            SectionStatus::Removed => Role::Removed,
            _ => Role::Changed,
        };
        let title = if c.title.is_empty() {
            "(before the first heading)".to_string()
        } else {
            c.title.clone()
        };
        let depth = "  ".repeat(usize::from(c.level.max(1)));
        out.push(vec![
            (Role::Text, format!("{indent}{depth}")),
            (role, c.mark().to_string()),
            (Role::Text, format!(" {title}")),
            (Role::Added, format!("  +{}", c.added)),
            (Role::Removed, format!(" -{}", c.removed)),
            (Role::Muted, format!("  {}", c.describe())),
        ]);
    }
    let sections = if changes.len() == 1 { "section" } else { "sections" };
    out.push(vec![
        (
            Role::Muted,
            format!("{indent}  {} {sections} changed, in all", changes.len()),
        ),
        (Role::Added, format!("  +{added}")),
        (Role::Removed, format!(" -{removed}")),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(number: u32) -> Revision {
        Revision {
            number,
            time: "2026-01-02T03:04:05Z".into(),
            author: "Ada".into(),
            questionnaire: "q".into(),
            questionnaire_version: "1".into(),
            document: "d.md".into(),
            sha256: String::new(),
            lines: 0,
            changed: None,
            git_commit: None,
            git_branch: None,
        }
    }

    fn rendered(text: &str) -> Vec<RenderedDocument> {
        vec![RenderedDocument {
            id: "d".into(),
            path: "d.md".into(),
            text: text.into(),
            kind: crate::core::questionnaire::DocumentKind::Markdown,
        }]
    }

    fn found(latest: Option<&str>, disk: DiskState, disk_text: Option<&str>) -> Vec<DocumentOnDisk> {
        vec![DocumentOnDisk {
            path: "d.md".into(),
            latest: latest.map(|t| (revision(2), t.to_string())),
            disk,
            disk_text: disk_text.map(str::to_string),
        }]
    }

    fn text(lines: &[PlanLine]) -> String {
        lines
            .iter()
            .map(|l| l.iter().map(|(_, s)| s.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_summary_lists_changed_sections_with_counts_and_the_next_number() {
        let old = "# T\nintro\n## A\none\n## B\ntwo\n";
        let new = "# T\nintro\n## A\none\nmore\n## B\ntwo\n## C\nthree\n";
        let plan = SavePlan::new(&rendered(new), &found(Some(old), DiskState::Saved(2), Some(old)));
        assert!(!plan.nothing_to_save());
        let shown = text(&plan.lines());
        assert!(shown.starts_with("d.md — will be revision 3\n"), "{shown}");
        assert!(shown.contains("    ~ A  +1 -0  edited"), "{shown}");
        assert!(shown.contains("    + C  +2 -0  added"), "{shown}");
        assert!(!shown.contains(" B "), "unchanged sections are left out: {shown}");
        assert!(shown.contains("2 sections changed, in all  +3 -0"), "{shown}");
        assert_eq!(plan.context(), Context::SaveSummary);
    }

    #[test]
    fn unchanged_first_and_stale_documents() {
        let same = SavePlan::new(
            &rendered("# T\n"),
            &found(Some("# T\n"), DiskState::Saved(2), Some("# T\n")),
        );
        assert!(same.nothing_to_save());
        assert!(text(&same.lines()).contains("unchanged since revision 2 — nothing to save"));
        let first = SavePlan::new(&rendered("# T\n"), &found(None, DiskState::Missing, None));
        let first = text(&first.lines());
        assert!(
            first.starts_with("d.md — first revision\n  + T  +1 -0  added\n"),
            "{first}"
        );
        assert!(!first.contains("before the first heading"), "{first}");
        let missing = SavePlan::new(&rendered("# T\n"), &found(Some("# T\n"), DiskState::Missing, None));
        assert!(!missing.nothing_to_save(), "a missing file is written again");
        assert!(text(&missing.lines()).contains("the file is missing: saving writes it again"));
    }

    #[test]
    fn a_hand_edit_shows_its_summary_its_diff_and_three_choices() {
        let old = "# T\n## A\none\n";
        let disk = "# T\n## A\none\nby hand\n";
        let plan = SavePlan::new(
            &rendered("# T\n## A\ntwo\n"),
            &found(Some(old), DiskState::EditedOutside { since: Some(2) }, Some(disk)),
        );
        assert_eq!(plan.context(), Context::HandEdit);
        let shown = text(&plan.lines());
        assert!(
            shown.starts_with("! d.md\n  was edited outside spec-interview since revision 2\n"),
            "{shown}"
        );
        assert!(shown.contains("Your edit (revision 2 → the file on disk):"), "{shown}");
        assert!(shown.contains("  │ @@ -1,3 +1,4 @@ ## A\n"), "{shown}");
        assert!(shown.contains("  │ +by hand"), "{shown}");
        assert!(!shown.contains("+++"), "no file header: {shown}");
        assert!(
            shown.contains("    ~ A  +1 -2  edited"),
            "overwriting undoes the edit: {shown}"
        );
        let choices = text(&plan.choices());
        assert!(choices.contains("k  keep your edit as revision 3"), "{choices}");
        assert!(
            choices.contains("o  overwrite (your edit is kept first, as revision 3)"),
            "{choices}"
        );
        assert!(choices.contains("Esc  cancel: nothing is written"), "{choices}");
    }
}
