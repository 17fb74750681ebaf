//! Reading a request or response cell as people write them: "201 Appointment {id, status}",
//! "200 Page<Service>", "query: serviceId (required), cursor, limit", "{reason}", "-", and
//! the brace sketches inside ("deposit {amountCents, state: held}", "serviceIds[]").

/// A parameter named in a cell: `serviceId (required)`, `to (at most 14 days)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedParam {
    pub name: String,
    pub required: bool,
    /// The words in parentheses, other than "required".
    pub note: Option<String>,
}

/// One field of a brace sketch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    pub name: String,
    /// `name[]`, or `name: [ … ]`.
    pub array: bool,
    /// `name: value`: an example or the values it takes.
    pub value: Option<String>,
    /// Words after the name (`url (https)` → "(https)").
    pub note: Option<String>,
    /// `name {a, b}` or `name: [{a, b}]`.
    pub children: Option<Vec<Sketch>>,
}

/// What a cell says about a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Nothing written.
    Unstated,
    /// Explicitly no body: "-", "none", a 204.
    Empty,
    /// A named payload; `page` when it is a page of them (`Page<X>`, "a page of X"), `array`
    /// for `X[]` or "list of X".
    Named { key: String, page: bool, array: bool },
    /// A brace sketch of fields without a name.
    Inline(Vec<Sketch>),
    /// Words only: no named payload, no sketch.
    Words(String),
}

/// A request or response cell, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The first HTTP status code written (responses).
    pub status: Option<u16>,
    pub body: Body,
    pub query: Vec<NamedParam>,
    pub path: Vec<NamedParam>,
    /// `multipart/form-data` when the cell says "multipart" or "form".
    pub multipart: bool,
}

/// Reads a cell; `known` finds a named payload in a text.
pub fn read(text: &str, known: &super::types::Known) -> Cell {
    let text = text.trim();
    let mut cell = Cell {
        status: None,
        body: Body::Unstated,
        query: Vec::new(),
        path: Vec::new(),
        multipart: false,
    };
    if text.is_empty() {
        return cell;
    }
    let mut body_text: Option<&str> = None;
    for segment in split_top(text, ';') {
        let segment = segment.trim();
        let lower = segment.to_lowercase();
        if let Some(rest) = strip_label(segment, &lower, &["query:", "query parameters:", "query params:"]) {
            cell.query.extend(params(rest));
        } else if let Some(rest) = strip_label(segment, &lower, &["path:", "path parameters:", "path params:"]) {
            cell.path.extend(params(rest));
        } else if let Some(rest) = strip_label(segment, &lower, &["body:"]) {
            body_text.get_or_insert(rest);
        } else if !segment.is_empty() {
            body_text.get_or_insert(segment);
        }
    }
    let Some(body) = body_text else {
        // Only parameters: no body.
        cell.body = Body::Empty;
        return cell;
    };
    cell.status = status_in(body);
    let lower = body.to_lowercase();
    cell.multipart = lower.contains("multipart") || super::types::find_word(&lower, "form").is_some();
    let without_status = match cell.status {
        Some(code) => body.replacen(&code.to_string(), "", 1),
        None => body.to_string(),
    };
    let rest = without_status.trim().trim_start_matches([',', '-', ':']).trim();
    let rest_lower = rest.to_lowercase();
    if rest.is_empty()
        || matches!(rest_lower.as_str(), "-" | "—" | "none" | "no body" | "empty" | "n/a")
        || rest_lower.starts_with("no body")
        || cell.status == Some(204)
        || cell.status == Some(304)
    {
        cell.body = Body::Empty;
        return cell;
    }
    let paged = rest.contains("Page<") || super::types::find_word(&rest_lower, "page").is_some();
    if let Some((at, name, key)) = known.find(rest, &["Page"]) {
        let after = &rest[at + name.len()..];
        let before = rest_lower[..at].trim_end();
        let array = after.starts_with("[]") || before.ends_with("list of") || before.ends_with("array of");
        cell.body = Body::Named {
            key,
            page: paged,
            array: array && !paged,
        };
    } else if let Some(open) = rest.find('{') {
        cell.body = Body::Inline(sketch(&rest[open..]));
    } else {
        cell.body = Body::Words(rest.to_string());
    }
    cell
}

fn strip_label<'a>(segment: &'a str, lower: &str, labels: &[&str]) -> Option<&'a str> {
    labels
        .iter()
        .find(|l| lower.starts_with(**l))
        .map(|l| segment[l.len()..].trim())
}

/// The first HTTP status code (100–599) standing as a word.
pub fn status_in(text: &str) -> Option<u16> {
    codes_in(text).into_iter().next()
}

/// Every HTTP status code (100–599) standing as a word, in order, once each.
pub fn codes_in(text: &str) -> Vec<u16> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let word_end = i >= bytes.len() || !bytes[i].is_ascii_alphanumeric();
            if i - start == 3
                && word_end
                && let Ok(code) = text[start..i].parse::<u16>()
                && (100..600).contains(&code)
                && !out.contains(&code)
            {
                out.push(code);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Splits at `sep` outside braces, brackets, parentheses and angle brackets.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' | '[' | '(' | '<' => depth += 1,
            '}' | ']' | ')' | '>' => depth = (depth - 1).max(0),
            c if c == sep && depth == 0 => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// `a, b (required), c (at most 14 days)`.
fn params(text: &str) -> Vec<NamedParam> {
    split_top(text, ',')
        .into_iter()
        .filter_map(|part| {
            let part = part.trim();
            let name: String = part
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
                .collect();
            if name.is_empty() {
                return None;
            }
            let rest = part[name.len()..].trim();
            let inner = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .map_or(rest, str::trim);
            let required = inner.to_lowercase().split(',').any(|w| w.trim() == "required");
            let note: Vec<&str> = inner
                .split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("required"))
                .collect();
            Some(NamedParam {
                name,
                required,
                note: (!note.is_empty()).then(|| note.join(", ")),
            })
        })
        .collect()
}

/// A brace sketch `{a, b: x, c {d}, e[]}` (the text from its opening brace).
pub fn sketch(text: &str) -> Vec<Sketch> {
    let inner = text.trim().strip_prefix('{').unwrap_or(text);
    let inner = match closing(inner) {
        Some(end) => &inner[..end],
        None => inner,
    };
    split_top(inner, ',').into_iter().filter_map(sketch_field).collect()
}

/// The index of the brace closing the one just before `text`.
fn closing(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' if depth == 0 => return Some(i),
            '}' | ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn sketch_field(part: &str) -> Option<Sketch> {
    let part = part.trim();
    let name: String = part
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
        .collect();
    if name.is_empty() {
        return None;
    }
    let mut rest = part[name.len()..].trim_start();
    let mut array = false;
    if let Some(r) = rest.strip_prefix("[]") {
        array = true;
        rest = r.trim_start();
    }
    let mut value = None;
    let mut children = None;
    let mut note = None;
    if let Some(r) = rest.strip_prefix(':') {
        let r = r.trim();
        if let Some(list) = r.strip_prefix('[') {
            array = true;
            let list = list.trim_start();
            if list.starts_with('{') {
                children = Some(sketch(list));
            }
        } else if r.starts_with('{') {
            children = Some(sketch(r));
        } else if !r.is_empty() {
            value = Some(r.to_string());
        }
    } else if rest.starts_with('{') {
        children = Some(sketch(rest));
    } else if !rest.is_empty() {
        note = Some(rest.to_string());
    }
    Some(Sketch {
        name,
        array,
        value,
        note,
        children,
    })
}

/// The fields a body's description names in code style, as a questionnaire asks for them in
/// prose: "`code`, a stable identifier; `message`, for people. A validation failure adds
/// `details[]`, naming the `field` and the `rule`". Each clause (up to a `;` or the end of a
/// sentence) may name several; a name ending in `[]` is a list whose entries are the names that
/// follow it in its clause, and `details[].field` names an entry's field directly. A field is
/// required unless its clause makes it conditional ("adds", "optional", "when", "if", …).
/// Returns the fields and the names of the required ones.
pub fn named_fields(text: &str) -> (Vec<Sketch>, Vec<String>) {
    const CONDITIONAL: &[&str] = &[
        "add",
        "adds",
        "added",
        "optional",
        "optionally",
        "may",
        "might",
        "when",
        "if",
        "unless",
        "only",
        "absent",
        "sometimes",
        "omitted",
    ];
    let mut fields: Vec<Sketch> = Vec::new();
    let mut required = Vec::new();
    for clause in clauses(text) {
        let lower = clause.to_lowercase();
        let conditional = CONDITIONAL.iter().any(|w| super::types::find_word(&lower, w).is_some());
        let spans = code_spans(clause);
        let mut list: Option<usize> = None;
        for (i, &(start, end)) in spans.iter().enumerate() {
            let raw = clause[start + 1..end - 1].trim();
            let next = spans.get(i + 1).map_or(clause.len(), |s| s.0);
            let words = describe(&clause[end..next]);
            let (parent, name) = match raw.split_once("[].") {
                Some((p, n)) => (Some(p.to_string()), n.to_string()),
                None => (None, raw.to_string()),
            };
            let (name, array) = match name.strip_suffix("[]") {
                Some(n) => (n.to_string(), true),
                None => (name, false),
            };
            if !is_field_name(&name) || parent.as_deref().is_some_and(|p| !is_field_name(p)) {
                continue;
            }
            let field = Sketch {
                name: name.clone(),
                array,
                value: None,
                note: words,
                children: array.then(Vec::new),
            };
            let holder = match parent {
                Some(p) => Some(if let Some(at) = fields.iter().position(|f| f.name == p) {
                    at
                } else {
                    fields.push(Sketch {
                        name: p,
                        array: true,
                        value: None,
                        note: None,
                        children: Some(Vec::new()),
                    });
                    fields.len() - 1
                }),
                None => list,
            };
            if let Some(at) = holder
                && let Some(children) = fields[at].children.as_mut()
            {
                if !children.iter().any(|c| c.name == field.name) {
                    children.push(field);
                }
                continue;
            }
            if fields.iter().any(|f| f.name == field.name) {
                continue;
            }
            if !conditional {
                required.push(name);
            }
            fields.push(field);
            if array {
                list = Some(fields.len() - 1);
            }
        }
    }
    (fields, required)
}

/// Clauses of a text: split at `;` and at the end of each sentence (outside code spans).
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ';' | '\n' if !in_code => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            '.' | '!' | '?' if !in_code && bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace) => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out.into_iter().filter(|c| !c.trim().is_empty()).collect()
}

/// The byte ranges of the single-backtick code spans of a text, backticks included.
fn code_spans(text: &str) -> Vec<(usize, usize)> {
    let ticks: Vec<usize> = text.match_indices('`').map(|(i, _)| i).collect();
    ticks.chunks_exact(2).map(|pair| (pair[0], pair[1] + 1)).collect()
}

fn is_field_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || matches!(c, '_' | '$' | '@'))
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$' | '@'))
}

/// The words between a field's name and the next name, without the joining words around
/// them: ", a stable identifier; and" → "a stable identifier".
fn describe(between: &str) -> Option<String> {
    const LEADING: &[&str] = &["and", "or", "with", "naming", "plus"];
    const JOINING: &[&str] = &["and", "or", "the", "a", "an", "with", "naming", "of", "its", "plus"];
    let text = between.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '(' | ')' | '-' | '—'));
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words
        .first()
        .is_some_and(|w| LEADING.contains(&w.to_lowercase().as_str()))
    {
        words.remove(0);
    }
    while words
        .last()
        .is_some_and(|w| JOINING.contains(&w.trim_end_matches([',', '(', ')']).to_lowercase().as_str()))
    {
        words.pop();
    }
    let joined = words.join(" ");
    let joined = joined.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '(' | ')'));
    (joined.split_whitespace().count() >= 3).then(|| joined.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn cell(text: &str) -> Cell {
        let names: BTreeMap<String, String> = ["Appointment", "Service", "Page", "RowError", "CreateImportRequest"]
            .into_iter()
            .map(|n| (n.to_string(), n.to_string()))
            .collect();
        read(text, &super::super::types::Known { names: &names })
    }

    #[test]
    fn responses_name_status_and_payload() {
        let c = cell("201 Appointment {id, status: booked}");
        assert_eq!(c.status, Some(201));
        assert_eq!(
            c.body,
            Body::Named {
                key: "Appointment".into(),
                page: false,
                array: false
            }
        );
        let c = cell("200 Page<Service {id, name}>");
        assert!(matches!(c.body, Body::Named { ref key, page: true, .. } if key == "Service"));
        let c = cell("A page of RowError with nextCursor, 200 OK");
        assert_eq!(c.status, Some(200));
        assert!(matches!(c.body, Body::Named { ref key, page: true, .. } if key == "RowError"));
        assert_eq!(cell("204 once the deposit is updated").body, Body::Empty);
        assert_eq!(cell("-").body, Body::Empty);
        assert_eq!(cell("").body, Body::Unstated);
        assert!(matches!(cell("200 {rules[]}").body, Body::Inline(ref s) if s[0].array && s[0].name == "rules"));
        assert!(matches!(cell("200 once done").body, Body::Words(_)));
        assert!(cell("CreateImportRequest (multipart form)").multipart);
    }

    #[test]
    fn requests_read_query_parameters_and_sketches() {
        let c = cell("query: serviceId (required), practitionerId, to (at most 14 days), cursor, limit");
        assert_eq!(c.body, Body::Empty);
        assert_eq!(c.query.len(), 5);
        assert!(c.query[0].required);
        assert_eq!(c.query[2].note.as_deref(), Some("at most 14 days"));
        let s = sketch("{clinicId, patient {name, phone}, rules: [{weekday, opensAt}], url (https)}");
        assert_eq!(s.len(), 4);
        assert_eq!(s[1].children.as_ref().map(Vec::len), Some(2));
        assert!(s[2].array);
        assert_eq!(s[3].note.as_deref(), Some("(https)"));
        assert_eq!(codes_in("400 VALIDATION_FAILED, 401, 4040, x500, 503"), [400, 401, 503]);
        let p = cell("path: id (UUID); query: limit, cursor");
        assert_eq!(p.path[0].note.as_deref(), Some("UUID"));
        assert_eq!(p.query.len(), 2);
    }
    #[test]
    fn bodies_described_in_prose_name_their_fields_in_code_style() {
        let (fields, required) = named_fields(
            "The body carries `code`, a stable upper-case identifier such as IMPORT_NOT_FOUND; `message`, a sentence for people; and `requestId`, which support uses to find the request in the logs. A validation failure adds `details[]`, one entry per broken rule, naming the `field` and the `rule` it broke.",
        );
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["code", "message", "requestId", "details"]);
        assert_eq!(required, ["code", "message", "requestId"]);
        assert_eq!(
            fields[0].note.as_deref(),
            Some("a stable upper-case identifier such as IMPORT_NOT_FOUND")
        );
        assert_eq!(fields[1].note.as_deref(), Some("a sentence for people"));
        assert!(fields[3].array);
        let entry: Vec<&str> = fields[3].children.iter().flatten().map(|f| f.name.as_str()).collect();
        assert_eq!(entry, ["field", "rule"]);
        assert_eq!(fields[3].note.as_deref(), Some("one entry per broken rule"));
        // Dotted names reach into a list from another sentence; a list ends with its clause.
        let (fields, required) =
            named_fields("Errors carry `errors[]`. `traceId` is optional. Each `errors[].pointer` names the input.");
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["errors", "traceId"]);
        assert_eq!(required, ["errors"]);
        let entry: Vec<&str> = fields[0].children.iter().flatten().map(|f| f.name.as_str()).collect();
        assert_eq!(entry, ["pointer"]);
        let (fields, _) = named_fields("`code` (stable). `message`, for people; and `retryAfter` when rate limited");
        assert_eq!(fields.len(), 3);
        // Code that is no field name, and prose without code spans, name nothing.
        assert!(
            named_fields("Send `GET /v1/x` or `a b`; see `https://x.y`.")
                .0
                .is_empty()
        );
        assert!(named_fields("A code, a message and the request id.").0.is_empty());
        assert!(named_fields("an unclosed `code").0.is_empty());
    }
}
