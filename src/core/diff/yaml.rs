//! Sections of an `OpenAPI` YAML document for the section-aware diff: each top-level key, each
//! `paths` entry (one per path), each `components` group and each `components.schemas` entry.
use super::Section;

/// Whether `text` is a YAML API description (its first line is `openapi:`, `asyncapi:` or
/// `swagger:`), whose sections are its keys rather than Markdown headings.
pub fn is_api_yaml(text: &str) -> bool {
    let first = text.lines().find(|l| !l.trim().is_empty());
    first.is_some_and(|l| ["openapi:", "asyncapi:", "swagger:"].iter().any(|k| l.starts_with(k)))
}

/// Splits a YAML document at the keys that make sections: level 1 for a top-level key, level
/// 2 for a path or a components group, level 3 for a component schema.
pub fn sections(text: &str) -> Vec<Section> {
    let mut out = vec![Section {
        title: String::new(),
        level: 0,
        start: 0,
        body: String::new(),
    }];
    let mut top = String::new();
    let mut group = String::new();
    // Inside a block scalar (`|`, `>`): lines indented deeper than its key are its text.
    let mut block: Option<usize> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = &content[indent..];
        if let Some(key_indent) = block {
            if rest.is_empty() || indent > key_indent {
                push_body(&mut out, line);
                continue;
            }
            block = None;
        }
        let key = (!rest.starts_with('-') && !rest.starts_with('#'))
            .then(|| key_of(rest))
            .flatten();
        if let Some((_, value)) = &key
            && is_block_indicator(value)
        {
            block = Some(indent);
        }
        let level = match (&key, indent) {
            (Some((k, _)), 0) => {
                top.clone_from(k);
                group.clear();
                Some(1)
            }
            (Some((k, _)), 2) if top == "paths" || top == "components" || top == "webhooks" => {
                group.clone_from(k);
                Some(2)
            }
            (Some(_), 4) if top == "components" && group == "schemas" => Some(3),
            _ => None,
        };
        match (level, key) {
            (Some(level), Some((title, _))) => out.push(Section {
                title,
                level,
                start: i,
                body: String::new(),
            }),
            _ => push_body(&mut out, line),
        }
    }
    if out.len() > 1 && out[0].body.trim().is_empty() {
        out.remove(0);
    }
    out
}

fn push_body(out: &mut [Section], line: &str) {
    if let Some(last) = out.last_mut() {
        last.body.push_str(line);
    }
}

fn is_block_indicator(value: &str) -> bool {
    let v = value.trim();
    let mut chars = v.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '-' | '+') || c.is_ascii_digit())
}

/// The key of a mapping line (`key: value`, `'quoted: key':`, `"key"`), and what follows it.
fn key_of(line: &str) -> Option<(String, String)> {
    let (key, after) = if let Some(quoted) = line.strip_prefix('\'') {
        let mut key = String::new();
        let mut chars = quoted.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    key.push('\'');
                    chars.next();
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                key.push(c);
            }
        }
        (key, &quoted[end?..])
    } else if line.starts_with('"') {
        let end = closing_quote(line)?;
        let key: String = serde_json::from_str(&line[..=end]).unwrap_or_else(|_| line[1..end].to_string());
        (key, &line[end + 1..])
    } else {
        let colon = line.find(": ").or_else(|| line.strip_suffix(':').map(str::len))?;
        (line[..colon].to_string(), &line[colon..])
    };
    let value = after.strip_prefix(':')?;
    (value.is_empty() || value.starts_with(' ')).then(|| (key, value.to_string()))
}

/// The index of the quote closing a double-quoted scalar that starts `line`.
fn closing_quote(line: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in line.char_indices().skip(1) {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.1.0\ninfo:\n  title: Shop\n  description: |-\n    two\n\n    lines: here\npaths:\n  /v1/orders:\n    get:\n      summary: x\n  '/v1/it''s: odd':\n    post: {}\ncomponents:\n  schemas:\n    Order:\n      type: object\n    \"Pa\\u0067e\":\n      type: object\n  responses:\n    NotFound:\n      description: gone\n";

    #[test]
    fn paths_and_schemas_are_sections() {
        assert!(is_api_yaml(SPEC));
        assert!(!is_api_yaml("# Title\n\nopenapi: no\n"));
        let found = sections(SPEC);
        let titles: Vec<(u8, &str)> = found.iter().map(|s| (s.level, s.title.as_str())).collect();
        assert_eq!(
            titles,
            [
                (1, "openapi"),
                (1, "info"),
                (1, "paths"),
                (2, "/v1/orders"),
                (2, "/v1/it's: odd"),
                (1, "components"),
                (2, "schemas"),
                (3, "Order"),
                (3, "Page"),
                (2, "responses"),
            ]
        );
        // The block scalar's "lines: here" stays in info's body.
        assert!(found[1].body.contains("lines: here"));
        // Every line is in exactly one section.
        let total: usize = found.iter().map(|s| s.body.lines().count() + 1).sum();
        assert_eq!(total, SPEC.lines().count());
    }
}
