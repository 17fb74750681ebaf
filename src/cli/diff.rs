//! `diff`: the printed patch, `--stat`, the Markdown summary, or the full-screen reviewer.
use std::io::Write as _;

use super::config::Interactive;
use super::{CommandResult, Context, Failure, Outcome, plural, say_raw, warn};
use spec_interview::config::{Setting, resolve};
use spec_interview::core::history::{self, History};
use spec_interview::core::questionnaire::DEFAULT_ID;
use spec_interview::core::sanitize::{sanitize_line, shown_path};
use spec_interview::tui::app;
use spec_interview::tui::review::app as review_app;

/// What `diff` was asked for.
#[allow(clippy::struct_excessive_bools)] // one field per command-line switch
pub struct DiffRequest<'a> {
    pub doc: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub print: bool,
    pub stat: bool,
    pub side_by_side: bool,
    pub markdown: bool,
    pub no_color: bool,
    pub theme: Option<&'a str>,
    /// Who records notes and decisions (`--reviewer`).
    pub reviewer: Option<&'a str>,
}

/// One side of a comparison: a saved revision or the file on disk (`number` is `None`).
struct Side {
    label: String,
    text: String,
    number: Option<u32>,
}

fn resolve_side(
    ctx: &Context,
    history: &History,
    revisions: &[history::Revision],
    doc_path: &str,
    rev: &str,
) -> Result<Side, Failure> {
    let latest = revisions.last().map(|r| r.number);
    let number = match rev {
        "disk" | "file" => {
            let path = ctx.project.document_file(doc_path);
            let text = ctx
                .project
                .read_text(doc_path)
                .map_err(|e| Failure::in_file(e.to_string()))?
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "{}: cannot read it: no such file or folder.",
                        shown_path(&path)
                    ))
                })?;
            return Ok(Side {
                label: "the file on disk".into(),
                text,
                number: None,
            });
        }
        "latest" => latest,
        "previous" => {
            if revisions.len() < 2 {
                return Err(Failure::usage(format!(
                    "{doc_path} has only {} revision{}, so there is no previous one; compare with --from 1 --to disk, or save another revision.",
                    revisions.len(),
                    plural(revisions.len())
                )));
            }
            Some(revisions[revisions.len() - 2].number)
        }
        n => Some(n.trim_start_matches(['r', 'R']).parse::<u32>().map_err(|_| {
            Failure::usage(format!(
                "\"{n}\" is not a revision: give a number, latest, previous or disk."
            ))
        })?),
    };
    let Some(number) = number.filter(|n| revisions.iter().any(|r| r.number == *n)) else {
        let known: Vec<String> = revisions.iter().map(|r| r.number.to_string()).collect();
        return Err(Failure::usage(format!(
            "{doc_path} has no revision {rev}; its revisions are {}.",
            if known.is_empty() {
                "none yet".to_string()
            } else {
                known.join(", ")
            }
        )));
    };
    Ok(Side {
        label: format!("revision {number}"),
        text: history.content(number)?,
        number: Some(number),
    })
}

/// `diff`: the printed unified diff (git-style, section-named hunks), `--stat`, or a Markdown
/// review summary. Exit 0 when equal, 1 when different, 2 on error.
pub fn diff(ctx: &Context, req: &DiffRequest) -> CommandResult {
    use spec_interview::core::diff as d;
    use std::io::IsTerminal;
    let doc_path = match req.doc {
        Some(doc) => document_path(doc),
        None => default_document(ctx)?,
    };
    let history = History::find(&ctx.project, &doc_path)?;
    // A YAML document may have been named without its ending.
    let doc_path = history.document();
    let scan = history.scan()?;
    for problem in &scan.problems {
        warn(&format!("{problem} It was skipped."));
    }
    let revisions = scan.revisions;
    let to = req.to.unwrap_or("latest");
    // The file on disk is compared with what was last saved; two revisions, the latest with
    // the one before it.
    let from = req.from.unwrap_or(if matches!(to, "disk" | "file") {
        "latest"
    } else {
        "previous"
    });
    let terminal = std::io::stdout().is_terminal();
    let interactive = terminal && std::io::stdin().is_terminal() && !req.print && !req.stat && !req.markdown;
    // The full-screen reviewer is interactive: the configuration file counts here. When nothing
    // names the reviewer, git is asked (two processes, milliseconds): on a second thread, while
    // the two texts are read.
    let settings = interactive.then(Interactive::load);
    let reviewer = settings
        .as_ref()
        .map(|settings| -> Box<dyn FnOnce() -> Setting<String>> {
            if let Some(named) = resolve::reviewer_named(req.reviewer, &settings.config, &settings.env) {
                return Box::new(move || named);
            }
            let (env, root) = (settings.env.clone(), ctx.project.root.clone());
            Box::new(spec_interview::aside::aside(move || {
                resolve::reviewer_by_convention(&env, &root)
            }))
        });
    let old = resolve_side(ctx, &history, &revisions, &doc_path, from)?;
    let new = resolve_side(ctx, &history, &revisions, &doc_path, to)?;
    let equal = old.text == new.text;
    if let (Some(mut settings), Some(reviewer)) = (settings, reviewer) {
        let (theme, _) = settings.theme(ctx, req.theme, req.no_color)?;
        settings.install_keys();
        for notice in &settings.notices {
            warn(notice);
        }
        let reviewer = reviewer();
        let store = review_app::Store {
            project: ctx.project.clone(),
            document: doc_path.clone(),
            history,
            reviewer: Some(reviewer.value),
            reviewer_origin: format!("from {}", reviewer.origin.describe()),
        };
        let options = review_app::Options {
            theme,
            side_by_side: req.side_by_side,
            texts: Some((old.text, new.text)),
        };
        return match review_app::run(&store, old.number, new.number, options) {
            // Quitting the reviewer is the normal end: 0, whatever the comparison found.
            Ok(app::Ending::Quit) => Ok(Outcome::Fine),
            Ok(app::Ending::Signal(signal)) => Err(Failure {
                code: u8::try_from(128 + signal).unwrap_or(1),
                message: format!("stopped by signal {signal}."),
                located: false,
            }),
            Err(app::AppError::Input(message)) => Err(Failure::usage(message)),
            Err(e) => Err(Failure::usage(e.to_string())),
        };
    } else if req.side_by_side && !terminal {
        errln!("note: --side-by-side is a layout of the full-screen reviewer; printing a unified diff.");
    }
    let color = terminal && !req.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if req.markdown {
        say_raw(&review_summary(&history, &doc_path, &old, &new));
    } else if req.stat {
        use std::fmt::Write as _;
        let mut out = String::new();
        let changes = d::section_changes(&old.text, &new.text);
        let _ = writeln!(out, "{doc_path}: {} → {}", old.label, new.label);
        let (mut added, mut removed) = (0, 0);
        for c in changes.iter().filter(|c| c.status != d::SectionStatus::Unchanged) {
            added += c.added;
            removed += c.removed;
            let indent = "  ".repeat(usize::from(c.level.saturating_sub(1)));
            let title = if c.title.is_empty() {
                "(before the first heading)"
            } else {
                c.title.as_str()
            };
            let _ = writeln!(
                out,
                " {} {indent}{}  +{} -{}  {}",
                c.mark(),
                title.replace(['\n', '\t'], " "),
                c.added,
                c.removed,
                c.describe()
            );
        }
        let sections_changed = changes
            .iter()
            .filter(|c| c.status != d::SectionStatus::Unchanged)
            .count();
        let _ = writeln!(
            out,
            "{sections_changed} section{} changed, +{added} -{removed}",
            plural(sections_changed)
        );
        say_raw(&out);
    } else {
        let patch = d::unified(&old.text, &new.text, &doc_path);
        if terminal {
            // On a terminal, controls in the texts are shown as visible symbols, never run, and
            // the patch goes through the user's pager as git's does.
            page(&shown_patch(&patch, color));
        } else {
            // To a pipe or a file: byte for byte, so `patch` and `git apply` reproduce the newer
            // side exactly.
            let _ = std::io::stdout().lock().write_all(patch.as_bytes());
        }
    }
    Ok(if equal { Outcome::Fine } else { Outcome::Findings })
}

/// `DOC` as typed (`D04-…`, `…md`, or `.specflow/docs/…`), as the document's path.
fn document_path(doc: &str) -> String {
    history::document_path(&history::history_key(doc.trim_start_matches("./")))
}

/// The document `diff` compares when none is named: the project's only document with
/// revisions; when there are several, a usage error that lists them; when there is none, the
/// default questionnaire's document (whose missing history is then the error).
fn default_document(ctx: &Context) -> Result<String, Failure> {
    let known = history::documents_with_history(&ctx.project);
    match known.as_slice() {
        [only] => Ok(document_path(only)),
        [] => {
            let catalog = ctx.catalog();
            let q = ctx.questionnaire(&catalog, DEFAULT_ID)?;
            Ok(q.documents.first().map(|doc| doc.path.clone()).unwrap_or_default())
        }
        several => Err(Failure::usage(format!(
            "this project has revisions of {} documents, so name the one to compare: {} (for example `spec-interview diff {}`).",
            several.len(),
            several.join(", "),
            several[0]
        ))),
    }
}

/// The patch as shown on a terminal: each line on its own (controls made visible), coloured
/// unless colour is off.
fn shown_patch(patch: &str, color: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(patch.len() + patch.len() / 8);
    for line in patch.lines() {
        let code = match line.as_bytes().first() {
            _ if !color => "",
            Some(b'+') if !line.starts_with("+++") => "32",
            Some(b'-') if !line.starts_with("---") => "31",
            Some(b'@') => "36",
            Some(b'd') => "1",
            _ => "",
        };
        if code.is_empty() {
            let _ = writeln!(out, "{}", sanitize_line(line));
        } else {
            let _ = writeln!(out, "\u{1b}[{code}m{}\u{1b}[0m", sanitize_line(line));
        }
    }
    out
}

/// The pager `diff --print` uses on a terminal, as git chooses it: `$PAGER`, else `less -R`;
/// `None` when paging is off (`PAGER` empty or `cat`).
fn pager() -> Option<String> {
    match std::env::var("PAGER") {
        Ok(p) if p.trim().is_empty() || p.trim() == "cat" => None,
        Ok(p) => Some(p),
        Err(_) => Some("less -R".into()),
    }
}

/// Shows `text` through the pager (git's `LESS=FRX` unless the user set `LESS`: one screen or
/// less is printed and left in place); straight to standard output when there is none or it
/// cannot be started.
fn page(text: &str) {
    use std::process::{Command, Stdio};
    let direct = || {
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    };
    let Some(pager) = pager() else {
        return direct();
    };
    let mut command = Command::new("sh");
    command.arg("-c").arg(&pager).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        command.env("LESS", "FRX");
    }
    let Ok(mut child) = command.spawn() else {
        return direct();
    };
    if let Some(mut input) = child.stdin.take() {
        // A pager quit early closes the pipe: that is not an error.
        let _ = input.write_all(text.as_bytes());
    }
    let _ = child.wait();
}

/// A Markdown summary of a revision diff for a pull request: what changed, section by section,
/// then the newer revision's decisions (all of them, oldest first), where the review gate
/// stands, and the notes with the lines they quote and their answers.
fn review_summary(history: &History, doc_path: &str, old: &Side, new: &Side) -> String {
    use spec_interview::core::diff as d;
    use spec_interview::core::review::{self, Placement};
    use std::fmt::Write as _;
    let name = doc_path
        .strip_prefix(spec_interview::core::fsio::DOCS_PREFIX)
        .unwrap_or(doc_path);
    let changes = d::section_changes(&old.text, &new.text);
    let mut out = format!("### `{name}`: {} → {}\n\n", old.label, new.label);
    let edits: Vec<_> = changes
        .iter()
        .filter(|c| c.status != d::SectionStatus::Unchanged)
        .collect();
    if edits.is_empty() {
        out.push_str("No changes.\n");
    } else {
        out.push_str("| | Section | Change | Lines |\n|---|---|---|---|\n");
        for c in &edits {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | +{} −{} |",
                c.mark().trim(),
                cell(if c.title.is_empty() {
                    "(before the first heading)"
                } else {
                    &c.title
                }),
                cell(&c.describe()),
                c.added,
                c.removed
            );
        }
        let unchanged = changes.len() - edits.len();
        let _ = writeln!(
            out,
            "\n{} section{} changed, {unchanged} unchanged.",
            edits.len(),
            plural(edits.len())
        );
    }
    let Some(number) = new.number else {
        out.push_str("\nThe newer side is the file on disk, which has no review decisions.\n");
        return out;
    };
    let _ = writeln!(out, "\n#### Review of revision {number}\n");
    match history.decisions(number) {
        Ok(decisions) if decisions.is_empty() => out.push_str("Not reviewed yet.\n"),
        Ok(decisions) => {
            for d in &decisions {
                let _ = writeln!(
                    out,
                    "- **{}** by {} at {}{}",
                    d.verdict.describe(),
                    one_line(&d.reviewer),
                    one_line(&d.time),
                    match d.notes.len() {
                        0 => String::new(),
                        1 => " (1 note)".into(),
                        n => format!(" ({n} notes)"),
                    }
                );
            }
        }
        Err(e) => {
            let _ = writeln!(out, "The review file cannot be read: {}", one_line(&e.to_string()));
        }
    }
    if let Ok(gate) = history.gate() {
        let _ = writeln!(out, "\n{}", gate.describe());
    }
    let from = old.number.unwrap_or(number).min(number);
    let (threads, _) = review::threads(history, from, number);
    if threads.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n#### Notes\n");
    for t in &threads {
        let place = review::place(&t.note, &old.text, old.number, &new.text, new.number);
        let section = t
            .note
            .anchor
            .path
            .last()
            .map_or_else(|| "(top)".to_string(), |p| format!("`{}`", one_line(p)));
        let side = match place {
            Placement::New(line) => format!("{}, line {}", new.label, line + 1),
            Placement::Old(line) => format!("{}, line {} (the older side)", old.label, line + 1),
            Placement::Outdated => "outdated: the line is in neither revision".to_string(),
        };
        let _ = writeln!(
            out,
            "- **{}** on revision {} · {section} · {side}{}",
            one_line(&t.note.author),
            t.revision,
            if t.resolved() { " · resolved" } else { "" }
        );
        let quote = if t.note.anchor.quote.is_empty() {
            "(a blank line)".to_string()
        } else {
            one_line(&t.note.anchor.quote)
        };
        let _ = writeln!(out, "  > {quote}\n");
        for line in t.note.text.lines() {
            let _ = writeln!(out, "  {}", line.trim_end());
        }
        for r in &t.replies {
            let mark = match r.resolved {
                Some(true) => " (marked it resolved)",
                Some(false) => " (opened it again)",
                None => "",
            };
            let first = r.text.lines().next().unwrap_or_default();
            let _ = writeln!(out, "  - ↳ **{}**{mark}: {}", one_line(&r.reviewer), one_line(first));
        }
        out.push('\n');
    }
    out
}

/// Text on one line (a name, a quote).
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
}

/// Text in a Markdown table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}
