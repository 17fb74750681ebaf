//! `diff`: the printed patch, `--stat`, the Markdown summary, or the full-screen reviewer.
use std::io::Write as _;

use super::config::Interactive;
use super::{CommandResult, Context, Failure, Outcome, plural, say_raw, warn};
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
    let doc_path = if let Some(doc) = req.doc {
        history::document_path(&history::history_key(doc.trim_start_matches("./")))
    } else {
        let catalog = ctx.catalog();
        let q = ctx.questionnaire(&catalog, DEFAULT_ID)?;
        q.documents.first().map(|doc| doc.path.clone()).unwrap_or_default()
    };
    let history = History::find(&ctx.project, &doc_path)?;
    // A YAML document may have been named without its ending.
    let doc_path = history.document();
    let scan = history.scan()?;
    for problem in &scan.problems {
        warn(&format!("{problem} It was skipped."));
    }
    let revisions = scan.revisions;
    let old = resolve_side(ctx, &history, &revisions, &doc_path, req.from.unwrap_or("previous"))?;
    let new = resolve_side(ctx, &history, &revisions, &doc_path, req.to.unwrap_or("latest"))?;
    let terminal = std::io::stdout().is_terminal();
    let equal = old.text == new.text;
    if terminal && std::io::stdin().is_terminal() && !req.print && !req.stat && !req.markdown {
        // The full-screen reviewer is interactive: the configuration file counts here.
        let mut settings = Interactive::load();
        let (theme, _) = settings.theme(ctx, req.theme, req.no_color)?;
        settings.install_keys();
        for notice in &settings.notices {
            warn(notice);
        }
        let reviewer =
            spec_interview::config::resolve::reviewer(req.reviewer, &settings.config, &settings.env, &ctx.project.root);
        let store = review_app::Store {
            project: ctx.project.clone(),
            document: doc_path.clone(),
            history,
            reviewer: Some(reviewer.value),
        };
        let options = review_app::Options {
            theme,
            side_by_side: req.side_by_side,
        };
        return match review_app::run(&store, old.number, new.number, options) {
            Ok(app::Ending::Quit) => Ok(if equal { Outcome::Fine } else { Outcome::Findings }),
            Ok(app::Ending::Signal(signal)) => Err(Failure {
                code: u8::try_from(128 + signal).unwrap_or(1),
                message: format!("stopped by signal {signal}."),
                located: false,
            }),
            Err(app::AppError::Input(message)) => Err(Failure::usage(message)),
            Err(e) => Err(Failure::usage(e.to_string())),
        };
    } else if req.side_by_side && !terminal {
        eprintln!("note: --side-by-side is a layout of the full-screen reviewer; printing a unified diff.");
    }
    let color = terminal && !req.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if req.markdown {
        say_raw(&review_summary(&doc_path, &old, &new));
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
        let mut out = std::io::stdout().lock();
        let patch = d::unified(&old.text, &new.text, &doc_path);
        if terminal {
            // On a terminal, controls in the texts are shown as visible symbols, never run.
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
        } else {
            // To a pipe or a file: byte for byte, so `patch` and `git apply` reproduce the newer
            // side exactly.
            let _ = out.write_all(patch.as_bytes());
        }
    }
    Ok(if equal { Outcome::Fine } else { Outcome::Findings })
}

/// A Markdown summary of a revision diff for a pull request: what changed, section by section.
fn review_summary(doc_path: &str, old: &Side, new: &Side) -> String {
    use spec_interview::core::diff as d;
    use std::fmt::Write as _;
    let changes = d::section_changes(&old.text, &new.text);
    let mut out = format!("### `{doc_path}`: {} → {}\n\n", old.label, new.label);
    let edits: Vec<_> = changes
        .iter()
        .filter(|c| c.status != d::SectionStatus::Unchanged)
        .collect();
    if edits.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    out.push_str("| | Section | Change | Lines |\n|---|---|---|---|\n");
    for c in &edits {
        let title = if c.title.is_empty() {
            "(before the first heading)".to_string()
        } else {
            c.title.replace('|', "\\|").replace(['\n', '\t'], " ")
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | +{} −{} |",
            c.mark().trim(),
            title,
            c.describe(),
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
    out
}
