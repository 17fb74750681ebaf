//! The one sanitiser: untrusted text on its way to a terminal has its control characters and
//! bidirectional overrides made visible, and on its way into JSON has them `\u`-escaped.
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// Makes untrusted text safe to show or store: control characters (other than newline and
/// tab) become visible symbols instead of reaching a terminal as escape sequences; CRLF and
/// lone CR become LF. Also neutralises bidirectional overrides, which can hide text.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    clean(text, false)
}

/// [`sanitize`] for text that must stay on one line (a file name inside a sentence, a line of
/// a patch): newline and carriage return become visible symbols too (␊, ␍); tab stays.
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    clean(text, true)
}

/// A path as it may be shown inside a one-line message: lossy UTF-8, sanitised, on one line.
pub fn shown_path(path: &Path) -> String {
    let lossy = path.to_string_lossy();
    sanitize_line(&lossy).into_owned()
}

fn clean(text: &str, one_line: bool) -> Cow<'_, str> {
    let needs_work = text
        .chars()
        .any(|c| is_unsafe(c) || c == '\r' || (one_line && c == '\n'));
    if !needs_work {
        return Cow::Borrowed(text);
    }
    if one_line {
        return Cow::Owned(
            text.chars()
                .map(|c| {
                    if is_unsafe(c) || matches!(c, '\n' | '\r') {
                        visible(c)
                    } else {
                        c
                    }
                })
                .collect(),
        );
    }
    let normalised = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(normalised.len());
    for c in normalised.chars() {
        match c {
            '\r' => out.push('\n'),
            c if is_unsafe(c) => out.push(visible(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` must not reach a terminal as it is: a C0 control other than newline, tab and
/// carriage return (those are handled apart), DEL, a C1 control, or a bidirectional
/// embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r') || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn visible(c: char) -> char {
    match c as u32 {
        // C0 controls have a picture each: U+2400 + code.
        n @ 0..=0x1F => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// `value` as pretty-printed JSON in which every control character (C0, DEL, C1) and every
/// bidirectional control is a `\u` escape, so printing it cannot drive a terminal. The one
/// JSON writer of the command line.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let text = serde_json::to_string_pretty(value)?;
    Ok(escape_json(&text).into_owned())
}

/// Escapes what `serde_json` leaves raw (DEL, C1 controls, bidirectional controls) in JSON
/// text. Outside strings JSON holds only ASCII punctuation, digits, letters and spaces, so
/// every such character is inside a string, where `\uXXXX` means the same character.
fn escape_json(json: &str) -> Cow<'_, str> {
    let raw = |c: char| c.is_control() || is_bidi_control(c);
    if !json.chars().any(raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // serde_json already escapes C0 inside strings; the layout's newlines stay newlines.
        if raw(c) && !matches!(c, '\n' | ' ') {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_left_alone() {
        assert!(matches!(sanitize("plain\ttext\nok"), Cow::Borrowed(_)));
        assert!(matches!(sanitize_line("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_become_visible() {
        let s = sanitize("a\u{1b}[31mred\u{7}\r\nb\u{202E}c\u{9b}d\u{2066}e\u{7f}");
        assert_eq!(s, "a\u{241B}[31mred\u{2407}\nb\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{2421}");
        assert!(!s.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn one_line_text_shows_its_breaks() {
        assert_eq!(sanitize_line("a\nb\tc\rd\u{1b}"), "a\u{240A}b\tc\u{240D}d\u{241B}");
        assert_eq!(shown_path(Path::new("x/\u{1b}[2Jy\n.md")), "x/\u{241B}[2Jy\u{240A}.md");
    }

    #[test]
    fn json_escapes_every_control_and_bidi_character() {
        let value = serde_json::json!({"k\u{202E}": ["\u{1b}[31m", "\u{85}\u{9b}\u{7f}", "\u{2067}x\n"]});
        let text = to_json(&value).unwrap();
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text:?}");
        assert!(
            text.contains("\\u202e") && text.contains("\\u009b") && text.contains("\\u007f"),
            "{text}"
        );
        // The same value comes back.
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
