//! A field's type as people write it ("string (UUID)", "ISO 8601 timestamp", "enum: a, b",
//! "array of Slot", "Deposit") turned into a JSON Schema, with its format, allowed values,
//! bounds and example; what cannot be read as a type is said, never guessed.
use oas3::spec::{ObjectOrReference, ObjectSchema, Schema, SchemaType, SchemaTypeSet};
use std::collections::BTreeMap;

/// A schema held inline.
pub fn inline(schema: ObjectSchema) -> Schema {
    Schema::Object(Box::new(ObjectOrReference::Object(schema)))
}

/// A reference to a component schema.
pub fn reference(key: &str) -> Schema {
    Schema::Object(Box::new(ObjectOrReference::Ref {
        ref_path: format!("#/components/schemas/{key}"),
        summary: None,
        description: None,
    }))
}

pub fn typed(t: SchemaType) -> ObjectSchema {
    ObjectSchema {
        schema_type: Some(SchemaTypeSet::Single(t)),
        ..ObjectSchema::default()
    }
}

/// The component key a payload name is filed under: components keys may only hold letters,
/// digits, `.`, `-` and `_`.
pub fn component_key(name: &str) -> String {
    let key: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if key.is_empty() { "_".to_string() } else { key }
}

/// The named payloads (component schemas), to recognise a reference to one.
pub struct Known<'a> {
    /// Name as written → component key.
    pub names: &'a BTreeMap<String, String>,
}

impl Known<'_> {
    /// The key of the first payload named as a whole word in `text` (case-sensitive), skipping
    /// `skip`, with the byte offset where it stands.
    pub fn find(&self, text: &str, skip: &[&str]) -> Option<(usize, String, String)> {
        let mut best: Option<(usize, String, String)> = None;
        for (name, key) in self.names {
            if skip.contains(&name.as_str()) || name.is_empty() {
                continue;
            }
            if let Some(at) = find_word(text, name)
                && best
                    .as_ref()
                    .is_none_or(|(b, n, _)| at < *b || (at == *b && name.len() > n.len()))
            {
                best = Some((at, name.clone(), key.clone()));
            }
        }
        best
    }

    pub fn key(&self, name: &str) -> Option<&str> {
        self.names.get(name.trim()).map(String::as_str)
    }
}

/// Byte offset of `word` in `text` as a whole word (letters, digits and `_` around it).
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|rest| rest.find(word)) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return Some(at);
        }
        from = at + word.len().max(1);
    }
    None
}

/// The schema a type cell describes, or why it describes none.
pub fn schema_of(text: &str, known: &Known) -> Result<ObjectOrRef, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("no type is given".into());
    }
    if let Some(key) = known.key(text) {
        return Ok(ObjectOrRef::Ref(key.to_string()));
    }
    if let Some(inner) = text.strip_suffix("[]") {
        let items = schema_of(inner, known)?;
        return Ok(ObjectOrRef::Object(array_of(items.into_schema())));
    }
    let lower = text.to_lowercase();
    for prefix in ["array of ", "list of ", "arrays of ", "lists of "] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let inner = &text[text.len() - rest.len()..];
            let items = schema_of(singular(inner), known)?;
            return Ok(ObjectOrRef::Object(array_of(items.into_schema())));
        }
    }
    if let Some(values) = enum_values(text) {
        let mut s = typed(SchemaType::String);
        s.enum_values = values.into_iter().map(serde_json::Value::String).collect();
        return Ok(ObjectOrRef::Object(s));
    }
    for prefix in ["map of ", "object of "] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let rest = &text[text.len() - rest.len()..];
            let (of, names) = rest.split_once(':').unwrap_or((rest, ""));
            let mut s = typed(SchemaType::Object);
            // "map of CSV header to contact field": a map whose values are described in words.
            let values = match schema_of(singular(of.trim()), known) {
                Ok(v) => v.into_schema(),
                Err(_) if prefix == "map of " => {
                    s.description = Some(text.to_string());
                    return Ok(ObjectOrRef::Object(s));
                }
                Err(e) => return Err(e),
            };
            let names: Vec<&str> = names.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
            if names.is_empty() {
                s.additional_properties = Some(values);
            } else {
                for n in names {
                    s.properties.insert(n.to_string(), values.clone());
                }
            }
            return Ok(ObjectOrRef::Object(s));
        }
    }
    let first = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let base = match first {
        "string" | "text" | "str" | "varchar" | "char" | "citext" => Some(SchemaType::String),
        "integer" | "int" | "int32" | "int64" | "smallint" | "bigint" | "long" | "short" => Some(SchemaType::Integer),
        "number" | "decimal" | "float" | "double" | "numeric" | "real" => Some(SchemaType::Number),
        "boolean" | "bool" => Some(SchemaType::Boolean),
        "object" | "map" | "json" | "dictionary" => Some(SchemaType::Object),
        "array" | "list" => {
            return Err(format!(
                "\"{text}\" does not say what the array holds (write \"array of X\" or \"X[]\")"
            ));
        }
        _ => None,
    };
    let format = format_word(&lower);
    match (base, format) {
        (Some(t), f) => {
            let mut s = typed(t);
            if let Some(f) = f.filter(|f| fits(t, f)) {
                s.format = Some(f.to_string());
            }
            if t == SchemaType::Integer && matches!(first, "int64" | "bigint" | "long") {
                s.format = Some("int64".into());
            }
            Ok(ObjectOrRef::Object(s))
        }
        (None, Some(f)) => {
            let mut s = typed(SchemaType::String);
            s.format = Some(f.to_string());
            Ok(ObjectOrRef::Object(s))
        }
        (None, None) => match known.find(text, &[]) {
            Some((_, _, key)) => Ok(ObjectOrRef::Ref(key)),
            None => Err(format!(
                "\"{text}\" is neither a JSON type (string, integer, number, boolean, object, array of …) nor the name of a payload"
            )),
        },
    }
}

/// A schema, or a reference to a named payload (which takes no keywords of its own).
#[allow(clippy::large_enum_variant)] // built and consumed at once, never stored in bulk
pub enum ObjectOrRef {
    Object(ObjectSchema),
    Ref(String),
}

impl ObjectOrRef {
    pub fn into_schema(self) -> Schema {
        match self {
            ObjectOrRef::Object(s) => inline(s),
            ObjectOrRef::Ref(key) => reference(&key),
        }
    }
}

fn array_of(items: Schema) -> ObjectSchema {
    let mut s = typed(SchemaType::Array);
    s.items = Some(Box::new(items));
    s
}

/// "integers" → "integer": the plural of a type word.
fn singular(text: &str) -> &str {
    let t = text.trim();
    match t.to_lowercase().as_str() {
        "integers" | "strings" | "numbers" | "booleans" | "objects" => &t[..t.len() - 1],
        _ => t,
    }
}

/// The JSON Schema format a text names for the field it describes, if any: named in the
/// text's first clause and not as something else the field refers to ("uuid v4, set by the
/// server" and "a valid email" name one; "a header of the file", "unique per email" and "not
/// after the start date" do not).
pub fn format_word(lower: &str) -> Option<&'static str> {
    const RELATION: &[&str] = &[
        "of", "per", "than", "as", "in", "on", "from", "to", "by", "for", "with", "after", "before", "until", "since",
        "match", "matches", "same", "like", "within", "into", "at",
    ];
    let end = [", ", "; ", ". "]
        .iter()
        .filter_map(|sep| lower.find(sep))
        .min()
        .unwrap_or(lower.len());
    let lead = &lower[..end];
    let has = |w: &str| {
        find_word(lead, w).is_some_and(|at| {
            !lead[..at]
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| RELATION.contains(&word))
        })
    };
    if has("date-time") || has("datetime") || has("timestamp") || has("timestamptz") || lower.contains("rfc 3339") {
        Some("date-time")
    } else if has("uuid") {
        Some("uuid")
    } else if has("email") || has("e-mail") {
        Some("email")
    } else if has("uri") || has("url") {
        Some("uri")
    } else if has("date") {
        Some("date")
    } else if has("binary") || has("file") {
        Some("binary")
    } else if has("int64") {
        Some("int64")
    } else if has("int32") {
        Some("int32")
    } else {
        None
    }
}

fn fits(t: SchemaType, format: &str) -> bool {
    match format {
        "int32" | "int64" => t == SchemaType::Integer,
        _ => t == SchemaType::String,
    }
}

/// "enum: a, b", "enum of a, b", "one of a, b or c", "one of: a, b" → the values.
pub fn enum_values(text: &str) -> Option<Vec<String>> {
    let lower = text.to_lowercase();
    let mut rest = None;
    for prefix in ["enum:", "enum of ", "enum ", "one of:", "one of the values ", "one of "] {
        if let Some(at) = lower.find(prefix)
            && (at == 0 || !lower[..at].ends_with(|c: char| c.is_alphanumeric()))
        {
            rest = Some(&text[at + prefix.len()..]);
            break;
        }
    }
    let rest = rest?.trim();
    let rest = rest.split(['(', ';']).next().unwrap_or(rest);
    let values: Vec<String> = rest
        .split([',', '|', '/'])
        .flat_map(|part| part.split(" or "))
        .map(|v| v.trim().trim_matches(['"', '\'', '`', '.']).trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    let simple = |v: &String| {
        v.len() <= 40
            && v.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '+'))
    };
    (values.len() >= 2 && values.iter().all(simple)).then_some(values)
}

/// Applies what a format or validation cell says that JSON Schema can hold: a format, allowed
/// values, bounds on numbers, lengths of strings.
pub fn apply_format(schema: &mut ObjectSchema, text: &str) {
    let lower = text.to_lowercase();
    let t = match &schema.schema_type {
        Some(SchemaTypeSet::Single(t)) => Some(*t),
        _ => None,
    };
    if schema.format.is_none()
        && let (Some(t), Some(f)) = (t, format_word(&lower))
        && fits(t, f)
    {
        schema.format = Some(f.to_string());
    }
    if t == Some(SchemaType::String)
        && schema.enum_values.is_empty()
        && let Some(values) = enum_values(text)
    {
        schema.enum_values = values.into_iter().map(serde_json::Value::String).collect();
    }
    let numbers = numbers_in(&lower);
    let number = t.is_some_and(|t| matches!(t, SchemaType::Integer | SchemaType::Number));
    let string = t == Some(SchemaType::String);
    if let Some(at) = lower.find("between ")
        && let [a, b, ..] = numbers_in(&lower[at..])[..]
    {
        if number {
            schema.minimum = serde_json::Number::from_f64(a);
            schema.maximum = serde_json::Number::from_f64(b);
        }
    } else if let Some(at) = lower.find("at most ").or_else(|| lower.find("<= "))
        && let Some(&n) = numbers_in(&lower[at..]).first()
    {
        if string && lower.contains("character") {
            schema.max_length = whole(n);
        } else if number {
            schema.maximum = serde_json::Number::from_f64(n);
        }
    } else if let Some(at) = lower.find("at least ").or_else(|| lower.find(">= "))
        && let Some(&n) = numbers_in(&lower[at..]).first()
    {
        if string && lower.contains("character") {
            schema.min_length = whole(n);
        } else if number {
            schema.minimum = serde_json::Number::from_f64(n);
        }
    } else if number
        && let [a, b] = numbers[..]
        && (lower.contains(" to ") || lower.contains('-'))
        && a <= b
    {
        schema.minimum = serde_json::Number::from_f64(a);
        schema.maximum = serde_json::Number::from_f64(b);
    }
    if let Some(t) = t
        && t == SchemaType::Integer
    {
        // Integer bounds print as integers.
        schema.minimum = schema.minimum.take().map(integral);
        schema.maximum = schema.maximum.take().map(integral);
    }
}

fn integral(n: serde_json::Number) -> serde_json::Number {
    match n.as_f64() {
        #[allow(clippy::cast_possible_truncation)]
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => serde_json::Number::from(f as i64),
        _ => n,
    }
}

fn whole(n: f64) -> Option<u64> {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (n >= 0.0 && n.fract() == 0.0 && n < 9.0e15).then_some(n as u64)
}

/// The numbers written in a text, in order ("0 to 50,000" → 0, 50000).
fn numbers_in(text: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let thousands = c == ','
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            && chars.get(i + 4).is_none_or(|d| !d.is_ascii_digit());
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) || thousands {
            if c != ',' {
                current.push(c);
            }
        } else if !current.is_empty() {
            if let Ok(n) = current.trim_end_matches('.').parse() {
                out.push(n);
            }
            current.clear();
        }
    }
    if let Ok(n) = current.trim_end_matches('.').parse() {
        out.push(n);
    }
    out
}

/// An example value as the schema's type reads it: a number, a boolean, JSON for objects and
/// arrays, else the text itself.
pub fn example(text: &str, schema: &ObjectSchema) -> serde_json::Value {
    let text = text.trim();
    let string = || serde_json::Value::String(text.trim_matches('"').to_string());
    match &schema.schema_type {
        Some(SchemaTypeSet::Single(SchemaType::Integer)) => text
            .replace([',', '_'], "")
            .parse::<i64>()
            .map_or_else(|_| string(), serde_json::Value::from),
        Some(SchemaTypeSet::Single(SchemaType::Number)) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(string, serde_json::Value::Number),
        Some(SchemaTypeSet::Single(SchemaType::Boolean)) => match text.to_lowercase().as_str() {
            "true" | "yes" => serde_json::Value::Bool(true),
            "false" | "no" => serde_json::Value::Bool(false),
            _ => string(),
        },
        Some(SchemaTypeSet::Single(SchemaType::Object | SchemaType::Array)) => {
            serde_json::from_str(text).unwrap_or_else(|_| string())
        }
        _ => string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeMap<String, String> {
        [("Deposit", "Deposit"), ("Slot", "Slot"), ("ImportJob", "ImportJob")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn json(text: &str) -> serde_json::Value {
        let names = known();
        let k = Known { names: &names };
        match schema_of(text, &k) {
            Ok(s) => serde_json::to_value(s.into_schema()).unwrap(),
            Err(e) => serde_json::Value::String(format!("error: {e}")),
        }
    }

    #[test]
    fn types_as_people_write_them() {
        assert_eq!(
            json("string (UUID)"),
            serde_json::json!({"type": "string", "format": "uuid"})
        );
        assert_eq!(
            json("ISO 8601 timestamp, UTC"),
            serde_json::json!({"type": "string", "format": "date-time"})
        );
        assert_eq!(json("integer"), serde_json::json!({"type": "integer"}));
        assert_eq!(
            json("Deposit"),
            serde_json::json!({"$ref": "#/components/schemas/Deposit"})
        );
        assert_eq!(
            json("Slot[]"),
            serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/Slot"}})
        );
        assert_eq!(
            json("array of strings"),
            serde_json::json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            json("enum: queued, running, completed, failed"),
            serde_json::json!({"type": "string", "enum": ["queued", "running", "completed", "failed"]})
        );
        assert_eq!(
            json("object of integers: created, updated"),
            serde_json::json!({"type": "object", "properties": {"created": {"type": "integer"}, "updated": {"type": "integer"}}})
        );
        assert!(json("money").as_str().unwrap().starts_with("error:"));
        assert!(json("array").as_str().unwrap().starts_with("error:"));
        assert!(json("").as_str().unwrap().starts_with("error:"));
    }

    #[test]
    fn a_format_is_the_fields_own_not_one_it_refers_to() {
        for (text, format) in [
            ("uuid v4, set by the server", Some("uuid")),
            ("a valid email, at most 254 characters", Some("email")),
            ("iso 8601 timestamp", Some("date-time")),
            ("string (uuid)", Some("uuid")),
            ("file (csv)", Some("binary")),
            ("a header of the file", None),
            ("unique per email", None),
            ("not after the start date", None),
            ("the same as the caller's url", None),
            ("at most 200 characters, names the uuid", None),
        ] {
            assert_eq!(format_word(text), format, "{text}");
        }
    }

    #[test]
    fn formats_bounds_and_examples() {
        let mut s = typed(SchemaType::Integer);
        apply_format(&mut s, "between 1 and 5");
        assert_eq!(serde_json::to_value(&s).unwrap()["maximum"], 5);
        let mut s = typed(SchemaType::String);
        apply_format(&mut s, "one of booked, cancelled or no_show");
        assert_eq!(s.enum_values.len(), 3);
        let mut s = typed(SchemaType::String);
        apply_format(&mut s, "at most 2000 characters");
        assert_eq!(s.max_length, Some(2000));
        let mut s = typed(SchemaType::Integer);
        apply_format(&mut s, "0 to 50,000");
        assert_eq!(serde_json::to_value(&s).unwrap()["maximum"], 50000);
        assert_eq!(example("42", &typed(SchemaType::Integer)), serde_json::json!(42));
        assert_eq!(example("yes", &typed(SchemaType::Boolean)), serde_json::json!(true));
        assert_eq!(example("abc", &typed(SchemaType::Integer)), serde_json::json!("abc"));
        assert_eq!(find_word("Page<Slot>", "Slot"), Some(5));
        assert_eq!(find_word("Slots", "Slot"), None);
    }
}
