//! `suggest`: the answers the project's files and earlier documents propose, with the
//! evidence for each: as text for people, JSON (one object per proposal) or an answers file.
use std::fmt::Write as _;
use std::io::Write as _;

use super::{CommandResult, Context, Outcome, cache_dir};
use spec_interview::core::answer::Answer;
use spec_interview::core::fsio::sanitize;
use spec_interview::core::questionnaire::{DEFAULT_ID, Questionnaire};
use spec_interview::core::scan::{self, proposal::Proposal};
use spec_interview::core::session::SCHEMA;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Toml,
}

pub fn suggest(ctx: &Context, id: Option<&str>, format: Format) -> CommandResult {
    let catalog = ctx.catalog();
    let q = ctx.questionnaire(&catalog, id.unwrap_or(DEFAULT_ID))?;
    let found = scan::suggest(&ctx.project.root, &q, cache_dir().as_deref());
    if found.truncated {
        errln!("note: the project is large; the scan stopped at its budget, so some files were not looked at.");
    }
    let out = match format {
        Format::Json => serde_json::to_string_pretty(&found.proposals)
            .map(|s| s + "\n")
            .unwrap_or_default(),
        Format::Toml => answers_file(&q, &found.proposals),
        Format::Text => text(&q, &found.proposals),
    };
    // A reader that stops early (`| head`) is not an error.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(Outcome::Fine)
}

fn place(p: &Proposal) -> String {
    let e = &p.evidence;
    let mut s = if e.line > 0 {
        format!("{}:{}", e.file, e.line)
    } else {
        e.file.clone()
    };
    if let Some(h) = &e.heading {
        let _ = write!(s, " ({h})");
    }
    s
}

fn text(q: &Questionnaire, proposals: &[Proposal]) -> String {
    let mut out = String::new();
    if proposals.is_empty() {
        let _ = writeln!(
            out,
            "Nothing in this project's files or documents answers a question of {}: no proposals.",
            q.id
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{} proposed answer{} for {} (none is an answer until you accept it):\n",
        proposals.len(),
        if proposals.len() == 1 { "" } else { "s" },
        q.id
    );
    for p in proposals {
        let label = q
            .question(&p.question)
            .map_or(p.question.as_str(), |x| x.label.as_str());
        let _ = writeln!(
            out,
            "{label} ({}): {}  [{} confidence, {}]",
            p.question,
            sanitize(&p.value_text()),
            p.confidence.name(),
            p.source.name()
        );
        let _ = writeln!(out, "    {}: {}", sanitize(&place(p)), p.evidence.text);
        if !p.contradicts.is_empty() {
            let _ = writeln!(out, "    contradicts: {}", sanitize(&p.contradicts.join("; ")));
        }
    }
    let _ = writeln!(
        out,
        "\nAccept them in the interview (spec-interview interview {}), or write an answers file to edit: \
         spec-interview suggest -q {} --format toml > answers.toml",
        q.id, q.id
    );
    out
}

/// An answers file of the proposals, evidence as comments: several items of a list or
/// multiple choice are merged; of contradicting values the first (most confident) is kept
/// and the others are left commented out.
fn answers_file(q: &Questionnaire, proposals: &[Proposal]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Answers proposed from this project's files and documents for {} {}.",
        q.id, q.version
    );
    let _ = writeln!(
        out,
        "# Each comes with the place that shows it; check them, edit or delete what is wrong, then:"
    );
    let _ = writeln!(out, "#   spec-interview render -q {} --answers THIS_FILE", q.id);
    let _ = writeln!(out, "schema = {SCHEMA}");
    let _ = writeln!(out, "questionnaire = {}", toml::Value::String(q.id.clone()));
    out.push_str("\n[answers]\n");
    for question in q.questions() {
        let mine: Vec<&Proposal> = proposals.iter().filter(|p| p.question == question.id).collect();
        let Some(first) = mine.first() else { continue };
        out.push('\n');
        for p in &mine {
            let _ = writeln!(
                out,
                "# {}: {} ({} confidence, {})",
                place(p).replace('\n', " "),
                p.evidence.text,
                p.confidence.name(),
                p.source.name()
            );
        }
        match &first.value {
            Answer::List(_) => {
                let mut items: Vec<String> = Vec::new();
                for p in &mine {
                    if let Answer::List(more) = &p.value {
                        for item in more {
                            if !items.contains(item) {
                                items.push(item.clone());
                            }
                        }
                    }
                }
                let _ = writeln!(
                    out,
                    "{} = {}",
                    question.id,
                    toml::Value::Array(items.into_iter().map(toml::Value::String).collect())
                );
            }
            value => {
                let _ = writeln!(out, "{} = {}", question.id, value.to_toml());
                for other in mine.iter().skip(1) {
                    let _ = writeln!(
                        out,
                        "# contradicts the line above:\n# {} = {}",
                        question.id,
                        other.value.to_toml()
                    );
                }
            }
        }
    }
    out
}
