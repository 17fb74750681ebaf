//! `man`: the manual page, generated from the command-line definition (`clap_mangen`) with a
//! section per command, then the configuration file, themes, plain mode and the environment.
use clap::CommandFactory;
use std::io::Write as _;

use super::args::Cli;
use super::{CommandResult, Failure, Outcome};

/// Sections the command-line definition cannot say: (title, paragraphs).
const SECTIONS: &[(&str, &[&str])] = &[
    (
        "CONFIGURATION",
        &[
            "config.toml in the platform config folder ($XDG_CONFIG_HOME/spec-interview or ~/.config/spec-interview on Linux; SPEC_INTERVIEW_CONFIG names another file). It affects interactive use only: render, check, diff --print, list and show give the same output whatever it says.",
            "schema = 1\ntheme = \"light\"\nreviewer = \"Ada Lovelace\"\neditor = \"nvim\"\nquestionnaire = \"backend-design\"\n\n[keys]\n\"Ctrl-Z\" = \"Undo\"\n\"Ctrl-Y\" = \"Redo\"\n\"Ctrl-Q\" = \"none\"",
            "[keys] maps a key, written as the help writes it (Ctrl-S, Alt-Up, Shift-Tab, F2), to a named action of the key table (the F1 help lists them); \"none\" takes a key away. The footer and the help show the keys in force.",
            "Each setting comes from, in order: a command-line flag, a SPEC_INTERVIEW_* variable, this file, the general convention (git's user.name inside a git work tree, else user@host; $VISUAL, then $EDITOR; COLORFGBG for a light or dark terminal; NO_COLOR), then the built-in default. spec-interview config prints where each value came from. A bad file gives one sentence naming it and its line, and the defaults.",
        ],
    ),
    (
        "THEMES",
        &[
            "Built in: dark, light, high-contrast and 16-color, and monochrome (what NO_COLOR gives). A theme is a TOML file mapping roles (text, muted, focus, border, border_focus, title, heading1-3, emphasis, strong, code, link, added, removed, changed, error, warning, info, ok, assumption, todo, highlight, status_bar, key) to styles: { fg = \"#1f2328\", bg = \"#ffffff\", modifiers = [\"bold\"] }. inherits = \"dark\" starts from another theme; [palette] names colours.",
            "Your themes go in the themes folder beside config.toml, a project's in .specflow/themes/ (checked before use: a project's theme is untrusted); the later overrides the earlier by name. spec-interview validate checks a theme file. Colours are reduced to what the terminal shows: COLORTERM=truecolor or 24bit gives RGB, a TERM naming 256color 256 colours, anything else the 16 basic ones.",
        ],
    ),
    (
        "PLAIN MODE",
        &[
            "With --plain, ACCESSIBLE=1, TERM=dumb, or when standard input or output is not a terminal, the interview asks line by line: numbered choices, no cursor movement, every state in words. It reads and writes the same session file, so a session can move between plain and full screen.",
            "From a script: one line per single-line answer (a blank line keeps the current answer); an answer of several lines, a list, a multiple choice or a table ends with a line holding only a dot; a table row is column = value; column = value; a choice is its number or its text. The line save writes the documents as new revisions, as Ctrl-S does. The end of the input keeps the session and stops.",
        ],
    ),
    (
        "ENVIRONMENT",
        &[
            "SPEC_INTERVIEW_THEME, SPEC_INTERVIEW_REVIEWER, SPEC_INTERVIEW_EDITOR, SPEC_INTERVIEW_QUESTIONNAIRE: settings, above the configuration file. SPEC_INTERVIEW_CONFIG: another configuration file. NO_COLOR: no colours. ACCESSIBLE: plain mode. VISUAL, EDITOR: the editor for Ctrl-E. COLORTERM, TERM, COLORFGBG: colour depth and a light or dark terminal.",
        ],
    ),
    (
        "FILES",
        &[
            ".specflow/docs/ the documents; .specflow/history/ every revision and its review; .specflow/sessions/ the autosaved interviews; .specflow/questionnaires/ and .specflow/themes/ a project's own questionnaires and themes.",
        ],
    ),
    (
        "EXIT STATUS",
        &[
            "0 fine; 1 findings (check found an error, validate a broken file, diff --print a difference); 2 usage, I/O, or an input that cannot be used.",
        ],
    ),
];

/// Escapes text for roff: backslashes, dashes, and a leading dot or quote.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    escaped
        .lines()
        .map(|l| {
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole page.
pub fn page() -> Result<Vec<u8>, std::io::Error> {
    let command = Cli::command();
    let mut out = Vec::new();
    // The parts of clap_mangen's page that fit one page: the commands follow in full below
    // (its own list points at a page per command, which this program does not install).
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    if let Some(examples) = command.get_after_help() {
        let text = examples.to_string();
        let (examples, rest) = text.split_once("\n\n").unwrap_or((&text, ""));
        let examples = examples.trim_start_matches("Examples:\n");
        let _ = writeln!(out, ".SH EXAMPLES\n.nf\n{}\n.fi", roff(examples));
        if !rest.is_empty() {
            let _ = writeln!(out, ".PP\n{}", roff(&rest.replace('\n', " ")));
        }
    }
    let _ = writeln!(out, ".SH COMMANDS");
    for sub in command.get_subcommands() {
        let _ = writeln!(out, ".SS \"spec\\-interview {}\"", sub.get_name());
        if let Some(about) = sub.get_about() {
            let _ = writeln!(out, "{}", roff(&about.to_string()));
        }
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set() && !a.is_global_set()) {
            let name = match (arg.get_long(), arg.get_short()) {
                (Some(long), Some(short)) => format!("\\fB\\-{short}\\fR, \\fB\\-\\-{long}\\fR"),
                (Some(long), None) => format!("\\fB\\-\\-{}\\fR", roff(long)),
                (None, _) => format!("\\fI{}\\fR", arg.get_id().as_str().to_uppercase()),
            };
            let value = match (arg.get_long(), arg.get_value_names()) {
                (Some(_), Some(names)) if arg.get_action().takes_values() => {
                    format!(
                        " \\fI{}\\fR",
                        names.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
                    )
                }
                _ => String::new(),
            };
            let _ = writeln!(out, ".TP\n{name}{value}");
            if let Some(help) = arg.get_help() {
                let _ = writeln!(out, "{}", roff(&help.to_string()));
            }
        }
        if let Some(after) = sub.get_after_help() {
            let _ = writeln!(out, ".PP\n.nf\n{}\n.fi", roff(&after.to_string()));
        }
    }
    for (title, paragraphs) in SECTIONS {
        let _ = writeln!(out, ".SH \"{title}\"");
        for p in *paragraphs {
            if p.contains('\n') {
                let _ = writeln!(out, ".PP\n.nf\n.RS 4\n{}\n.RE\n.fi", roff(p));
            } else {
                let _ = writeln!(out, ".PP\n{}", roff(p));
            }
        }
    }
    man.render_version_section(&mut out)?;
    Ok(out)
}

pub fn man() -> CommandResult {
    let page = page().map_err(|e| Failure::usage(format!("cannot write the manual page: {e}.")))?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&page)
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::usage(format!("cannot write the manual page: {e}.")))?;
    Ok(Outcome::Fine)
}
