//! Answers → the `oas3` model: info, servers, one path item per path with an operation per
//! endpoint (parameters, request body, responses, security, FR-IDs, tags), and the components
//! (payload schemas, the error envelope and error responses, security schemes). Every part the
//! answers leave out is marked `x-todo` where it stands and recorded as a gap.
use oas3::Map;
use oas3::Spec;
use oas3::spec::{
    Components, Info, MediaType, MediaTypeExamples, ObjectOrReference, ObjectSchema, Operation, Parameter, ParameterIn,
    PathItem, RequestBody, Response, Schema, SchemaType, SecurityRequirement, SecurityScheme, Server, Tag,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::payload::{self, Body, NamedParam, Sketch};
use super::types::{self, Known, ObjectOrRef, component_key, inline, reference, typed};
use super::{Answers, Gap};
use crate::core::answer::{Answer, Row};
use crate::core::questionnaire::{OpenApiMapping, TableMap};
use crate::core::sanitize::sanitize;

const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// Methods of a GraphQL field listed in the same inventory: not REST, so not in this document.
const GRAPHQL: &[&str] = &["query", "mutation", "subscription"];

/// One row of a mapped table, with its 1-based number.
struct TableRow<'a> {
    number: usize,
    row: &'a Row,
    map: &'a TableMap,
}

impl TableRow<'_> {
    /// The cell playing `role`, sanitised and trimmed; empty when unmapped or blank.
    fn cell(&self, role: &str) -> String {
        self.map
            .column(role)
            .and_then(|c| self.row.get(c))
            .map(|v| sanitize(v.trim()).into_owned())
            .unwrap_or_default()
    }

    fn has(&self, role: &str) -> bool {
        self.map.column(role).is_some()
    }
}

/// A security scheme as the answers give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Credential {
    Bearer,
    Cookie,
    HeaderKey,
    QueryKey,
    OpenIdConnect,
}

impl Credential {
    fn default_key(self) -> &'static str {
        match self {
            Credential::Bearer => "bearerAuth",
            Credential::Cookie => "cookieAuth",
            Credential::HeaderKey => "apiKeyAuth",
            Credential::QueryKey => "apiKeyQuery",
            Credential::OpenIdConnect => "openIdConnect",
        }
    }

    /// The kinds of credential a text names ("JWT bearer tokens", "partner API key", "session
    /// cookie", "OAuth 2.0 / OIDC identity provider"), in the order they appear.
    fn named_in(text: &str) -> Vec<Credential> {
        let lower = text.to_lowercase();
        let mut found: Vec<(usize, Credential)> = Vec::new();
        let mut at = |words: &[&str], kind: Credential| {
            if let Some(i) = words.iter().filter_map(|w| lower.find(w)).min() {
                found.push((i, kind));
            }
        };
        at(&["bearer", "jwt", "access token"], Credential::Bearer);
        at(&["cookie", "session"], Credential::Cookie);
        if lower.contains("query") && lower.contains("key") {
            at(&["api key", "api-key", "apikey", "key"], Credential::QueryKey);
        } else {
            at(
                &["api key", "api-key", "apikey", "signature", "header"],
                Credential::HeaderKey,
            );
        }
        at(&["openid", "oidc", "oauth"], Credential::OpenIdConnect);
        found.sort_by_key(|(i, _)| *i);
        let mut out = Vec::new();
        for (_, k) in found {
            if !out.contains(&k) {
                out.push(k);
            }
        }
        // Session tokens sent as bearer tokens are bearer tokens.
        if out.contains(&Credential::Bearer) && out.contains(&Credential::Cookie) && !lower.contains("cookie") {
            out.retain(|k| *k != Credential::Cookie);
        }
        out
    }
}

struct SchemeDef {
    kind: Credential,
    /// Header, cookie or query name; discovery URL; bearer format.
    detail: String,
    description: String,
    /// Where its missing detail would be written.
    owner: (Option<String>, Option<usize>),
}

/// The page envelope: its component key and the field that holds the items.
struct PageEnvelope {
    key: String,
    items: String,
}

struct Builder<'a> {
    m: &'a OpenApiMapping,
    src: &'a dyn Answers,
    gaps: Vec<Gap>,
    /// Payload name as written → component key.
    names: BTreeMap<String, String>,
    schemas: BTreeMap<String, Schema>,
    params: HashMap<String, TableRow<'a>>,
    statuses: BTreeMap<u16, Vec<String>>,
    used_errors: BTreeSet<u16>,
    schemes: BTreeMap<String, SchemeDef>,
    /// The schemes callers authenticate with, for an endpoint that needs a permission.
    user_schemes: Vec<String>,
    /// Gaps of the components that carry no `x-todo` of their own (security schemes).
    component_todos: Vec<String>,
    envelope_key: String,
    envelope_media: String,
    envelope_example: Option<Value>,
    page: Option<PageEnvelope>,
}

fn table_rows<'a>(src: &'a dyn Answers, map: &'a TableMap) -> Vec<TableRow<'a>> {
    match src.answer(&map.question) {
        Some(Answer::Table(rows)) => rows
            .iter()
            .enumerate()
            .map(|(i, row)| TableRow {
                number: i + 1,
                row,
                map,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn text_of(src: &dyn Answers, id: Option<&String>) -> Option<String> {
    let text = match src.answer(id?)? {
        Answer::Text(s) => s.clone(),
        Answer::List(items) => items.join(", "),
        Answer::Integer(n) => n.to_string(),
        Answer::Float(f) => f.to_string(),
        Answer::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Answer::Table(_) | Answer::Assumption { .. } => return None,
    };
    let text = sanitize(text.trim()).into_owned();
    (!text.is_empty()).then_some(text)
}

fn number_of(src: &dyn Answers, id: Option<&String>) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    match src.answer(id?)? {
        Answer::Integer(n) => Some(*n as f64),
        Answer::Float(f) => Some(*f),
        _ => None,
    }
}

/// `x-todo` with `messages`, and the same in the description.
fn mark(extensions: &mut Map<String, Value>, description: &mut Option<String>, messages: &[String]) {
    if messages.is_empty() {
        return;
    }
    extensions.insert(
        "todo".into(),
        Value::Array(messages.iter().cloned().map(Value::String).collect()),
    );
    let missing = format!("Missing: {}.", messages.join("; ").trim_end_matches('.'));
    *description = Some(match description.take() {
        Some(d) if !d.is_empty() => format!("{d}\n\n{missing}"),
        _ => missing,
    });
}

pub(super) fn build(m: &OpenApiMapping, src: &dyn Answers, fallback_title: &str) -> (Spec, Vec<Gap>) {
    let mut b = Builder {
        m,
        src,
        gaps: Vec::new(),
        names: BTreeMap::new(),
        schemas: BTreeMap::new(),
        params: HashMap::new(),
        statuses: BTreeMap::new(),
        used_errors: BTreeSet::new(),
        schemes: BTreeMap::new(),
        user_schemes: Vec::new(),
        component_todos: Vec::new(),
        envelope_key: "Error".into(),
        envelope_media: "application/json".into(),
        envelope_example: None,
        page: None,
    };
    let mut top_todos = Vec::new();
    b.payloads();
    b.parameters();
    b.status_codes();
    b.envelope();
    b.security();
    let (paths, tags, prefixes) = b.paths(&mut top_todos);
    let info = b.info(fallback_title, &prefixes);
    let servers = b.servers(&mut top_todos);
    let components = b.components();
    let mut extensions = Map::new();
    if !top_todos.is_empty() {
        extensions.insert(
            "todo".into(),
            Value::Array(top_todos.into_iter().map(Value::String).collect()),
        );
    }
    let spec = Spec {
        openapi: "3.1.0".into(),
        info,
        servers,
        paths: Some(paths),
        components: Some(components),
        security: Vec::new(),
        tags: tags
            .into_iter()
            .map(|name| Tag {
                name,
                description: None,
                extensions: Map::new(),
            })
            .collect(),
        webhooks: Map::new(),
        external_docs: None,
        extensions,
    };
    (spec, b.gaps)
}

impl Builder<'_> {
    fn gap(&mut self, question: Option<&str>, row: Option<usize>, message: impl Into<String>) -> String {
        let message = message.into();
        self.gaps.push(Gap {
            question: question.map(str::to_string),
            row,
            message: message.clone(),
        });
        message
    }

    fn known(&self) -> Known<'_> {
        Known { names: &self.names }
    }

    fn info(&mut self, fallback_title: &str, prefixes: &BTreeSet<String>) -> Info {
        let mut extensions = Map::new();
        let mut missing = Vec::new();
        let title = if let Some(t) = text_of(self.src, self.m.title.as_ref()) {
            t.lines().next().unwrap_or_default().to_string()
        } else {
            missing.push(self.gap(self.m.title.as_deref(), None, "the API has no name (info.title)"));
            fallback_title.to_string()
        };
        let mut description = text_of(self.src, self.m.summary.as_ref());
        if let Some(v) = text_of(self.src, self.m.versioning.as_ref()) {
            let sentence = format!("Versioning: {v}.");
            description = Some(match description {
                Some(d) => format!("{d}\n\n{sentence}"),
                None => sentence,
            });
        }
        let version = match text_of(self.src, self.m.version.as_ref()) {
            Some(v) => v.lines().next().unwrap_or_default().to_string(),
            None if prefixes.len() == 1 && prefixes.iter().all(|p| !p.is_empty()) => {
                prefixes.iter().next().cloned().unwrap_or_default()
            }
            None => {
                missing.push(self.gap(
                    self.m.version.as_deref(),
                    None,
                    "the API's version is not stated, and the paths share no version prefix (/v1)",
                ));
                "unversioned".into()
            }
        };
        mark(&mut extensions, &mut description, &missing);
        Info {
            title,
            summary: None,
            description,
            terms_of_service: None,
            version,
            contact: None,
            license: None,
            extensions,
        }
    }

    fn servers(&mut self, todos: &mut Vec<String>) -> Vec<Server> {
        let Some(map) = &self.m.servers else { return Vec::new() };
        let rows = table_rows(self.src, map);
        let mut out = Vec::new();
        for r in &rows {
            let url = r.cell("url");
            if url.is_empty() {
                let msg = format!("server {} has no URL", r.number);
                self.gap(Some(&map.question), Some(r.number), msg);
                continue;
            }
            let description = r.cell("description");
            out.push(Server {
                url: url.lines().next().unwrap_or_default().to_string(),
                description: (!description.is_empty()).then_some(description),
                variables: Map::new(),
                extensions: Map::new(),
            });
        }
        if out.is_empty() {
            todos.push(self.gap(
                Some(&map.question),
                None,
                "no server URL is given, so clients do not know where the API is served",
            ));
        }
        out
    }

    /// The fields table: one component schema per payload name.
    fn payloads(&mut self) {
        let Some(map) = &self.m.fields else { return };
        let rows = table_rows(self.src, map);
        let mut order: Vec<String> = Vec::new();
        let mut by_name: HashMap<String, Vec<&TableRow>> = HashMap::new();
        for r in &rows {
            let name = r.cell("schema");
            if name.is_empty() {
                let msg = format!("field row {} names no payload", r.number);
                self.gap(Some(&map.question), Some(r.number), msg);
                continue;
            }
            if !by_name.contains_key(&name) {
                order.push(name.clone());
            }
            by_name.entry(name).or_default().push(r);
        }
        let mut used_keys = BTreeSet::new();
        for name in &order {
            let mut key = component_key(name);
            let base = key.clone();
            let mut n = 2;
            while !used_keys.insert(key.clone()) {
                key = format!("{base}{n}");
                n += 1;
            }
            self.names.insert(name.clone(), key);
        }
        for name in order {
            let fields = by_name.remove(&name).unwrap_or_default();
            let key = self.names[&name].clone();
            if name == "Page" {
                let items = fields.iter().find(|f| {
                    let t = f.cell("type").to_lowercase();
                    t.ends_with("[]") || t.starts_with("array") || t.starts_with("list")
                });
                if let Some(f) = items {
                    self.page = Some(PageEnvelope {
                        key: key.clone(),
                        items: f.cell("name"),
                    });
                }
            }
            let schema = self.object_from_fields(&name, &fields);
            self.schemas.insert(key, inline(schema));
        }
    }

    fn object_from_fields(&mut self, name: &str, fields: &[&TableRow]) -> ObjectSchema {
        let mut schema = typed(SchemaType::Object);
        let mut missing = Vec::new();
        for f in fields {
            let question = f.map.question.clone();
            let field = f.cell("name");
            if field.is_empty() {
                missing.push(self.gap(
                    Some(&question),
                    Some(f.number),
                    format!("a field of {name} has no name"),
                ));
                continue;
            }
            let type_text = f.cell("type");
            let generic_items = name == "Page" && matches!(type_text.to_lowercase().as_str(), "array" | "list");
            let parsed = if generic_items {
                // The page's items: each paged response narrows them to its payload.
                Ok(ObjectOrRef::Object(typed(SchemaType::Array)))
            } else {
                types::schema_of(&type_text, &self.known())
            };
            let mut property = match parsed {
                Ok(s) => s,
                Err(why) => {
                    missing.push(self.gap(
                        Some(&question),
                        Some(f.number),
                        format!("{name}.{field} has no usable type: {why}"),
                    ));
                    ObjectOrRef::Object(ObjectSchema::default())
                }
            };
            let format = f.cell("format");
            let description = f.cell("description");
            let example = f.cell("example");
            let mut notes = Vec::new();
            if !description.is_empty() {
                notes.push(description);
            }
            if let ObjectOrRef::Object(s) = &mut property {
                if !format.is_empty() {
                    types::apply_format(s, &format);
                }
                if !example.is_empty() {
                    s.examples = vec![types::example(&example, s)];
                }
            }
            if !format.is_empty() && !looks_like_bare_format(&format) {
                notes.push(sentence(&format));
            }
            let property = match property {
                ObjectOrRef::Object(mut s) => {
                    if let Some(said) = s.description.take() {
                        notes.insert(0, sentence(&said));
                    }
                    if !notes.is_empty() {
                        s.description = Some(notes.join(". "));
                    }
                    inline(s)
                }
                ObjectOrRef::Ref(key) => Schema::Object(Box::new(ObjectOrReference::Ref {
                    ref_path: format!("#/components/schemas/{key}"),
                    summary: None,
                    description: (!notes.is_empty()).then(|| notes.join(". ")),
                })),
            };
            if f.has("required") {
                let req = f.cell("required").to_lowercase();
                let first = req.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                match first {
                    "yes" | "y" | "true" | "required" | "always" | "mandatory" if !schema.required.contains(&field) => {
                        schema.required.push(field.clone());
                    }
                    "" => missing.push(self.gap(
                        Some(&question),
                        Some(f.number),
                        format!("whether {name}.{field} is required is not stated"),
                    )),
                    _ => {}
                }
            }
            schema.properties.insert(field, property);
        }
        mark(&mut schema.extensions, &mut schema.description, &missing);
        schema
    }

    fn parameters(&mut self) {
        let Some(map) = &self.m.parameters else { return };
        for r in table_rows(self.src, map) {
            let name = r.cell("name");
            if !name.is_empty() {
                self.params.entry(name).or_insert(r);
            }
        }
    }

    fn status_codes(&mut self) {
        let Some(map) = &self.m.status_codes else { return };
        for r in table_rows(self.src, map) {
            let meaning = r.cell("meaning");
            for code in payload::codes_in(&r.cell("code")) {
                let list = self.statuses.entry(code).or_default();
                if !meaning.is_empty() && !list.contains(&meaning) {
                    list.push(meaning.clone());
                }
            }
        }
    }

    /// The body every error shares: a named payload, or one read from the JSON example.
    fn envelope(&mut self) {
        let question = self.m.error_format.clone();
        let text = text_of(self.src, self.m.error_format.as_ref()).unwrap_or_default();
        let lower = text.to_lowercase();
        if lower.contains("problem+json") {
            self.envelope_media = "application/problem+json".into();
        }
        self.envelope_example = json_example(&text);
        if let Some((_, _, key)) = self.known().find(&text, &["Page"]) {
            self.envelope_key = key;
            return;
        }
        let key = if lower.contains("problem") { "Problem" } else { "Error" };
        self.envelope_key = self.names.get(key).cloned().unwrap_or_else(|| key.to_string());
        if self.schemas.contains_key(&self.envelope_key) {
            return;
        }
        let mut schema = typed(SchemaType::Object);
        if let Some(Value::Object(example)) = &self.envelope_example {
            for (field, value) in example {
                let t = match value {
                    Value::String(_) => SchemaType::String,
                    Value::Number(n) if n.is_i64() || n.is_u64() => SchemaType::Integer,
                    Value::Number(_) => SchemaType::Number,
                    Value::Bool(_) => SchemaType::Boolean,
                    Value::Array(_) => SchemaType::Array,
                    Value::Object(_) => SchemaType::Object,
                    Value::Null => SchemaType::Null,
                };
                let mut property = typed(t);
                if t == SchemaType::Array {
                    property.items = Some(Box::new(inline(ObjectSchema::default())));
                }
                schema.properties.insert(field.clone(), inline(property));
                schema.required.push(field.clone());
            }
            schema.description = Some("The body every error response shares.".into());
            schema.examples = vec![Value::Object(example.clone())];
        } else if let Some(fields) = text
            .find('{')
            .map(|at| payload::sketch(&text[at..]))
            .filter(|f| !f.is_empty())
        {
            // A brace sketch: {type, title, status, detail, instance}.
            schema = sketch_schema(&fields);
            schema.description = Some("The body every error response shares.".into());
        } else if let (fields, required) = payload::named_fields(&text)
            && !fields.is_empty()
        {
            // The fields named in code style in the prose.
            schema = sketch_schema(&fields);
            schema.required = required;
            schema.description = Some("The body every error response shares.".into());
        } else {
            let msg = self.gap(
                question.as_deref(),
                None,
                "the fields of the error body are not given: name each field in code style (`code`, `message`), sketch the body as {code, message}, write it as a JSON example, or list it as a payload",
            );
            mark(&mut schema.extensions, &mut schema.description, &[msg]);
        }
        self.schemas.insert(self.envelope_key.clone(), inline(schema));
    }

    fn security(&mut self) {
        let question = self
            .m
            .security_schemes
            .as_ref()
            .map(|t| t.question.clone())
            .or_else(|| self.m.auth.clone());
        if let Some(map) = &self.m.security_schemes {
            for r in table_rows(self.src, map) {
                let name = r.cell("name");
                let kind_text = r.cell("kind");
                if name.is_empty() {
                    continue;
                }
                let Some(kind) = Credential::named_in(&kind_text).into_iter().next() else {
                    let msg = format!(
                        "security scheme {name}: \"{kind_text}\" is not a kind of credential (bearer token, API key in a header or the query, cookie, OpenID Connect)"
                    );
                    self.gap(Some(&map.question), Some(r.number), msg);
                    continue;
                };
                let mut detail = r.cell("key");
                if kind == Credential::Bearer && detail.is_empty() && kind_text.to_lowercase().contains("jwt") {
                    detail = "JWT".into();
                }
                self.schemes.insert(
                    component_key(&name),
                    SchemeDef {
                        kind,
                        detail,
                        description: r.cell("description"),
                        owner: (Some(map.question.clone()), Some(r.number)),
                    },
                );
            }
        }
        let strategy = text_of(self.src, self.m.auth.as_ref()).unwrap_or_default();
        let mut kinds = Credential::named_in(&strategy);
        if kinds.contains(&Credential::Bearer) {
            // The identity provider issues the bearer tokens the API checks.
            kinds.retain(|k| *k != Credential::OpenIdConnect);
        }
        for kind in kinds {
            if let Some((key, _)) = self.schemes.iter().find(|(_, s)| s.kind == kind) {
                self.user_schemes.push(key.clone());
                continue;
            }
            let key = kind.default_key().to_string();
            let jwt = strategy.to_lowercase().contains("jwt");
            let provider = strategy.to_lowercase().contains("oidc") || strategy.to_lowercase().contains("oauth");
            self.schemes.insert(
                key.clone(),
                SchemeDef {
                    kind,
                    detail: if kind == Credential::Bearer && jwt {
                        "JWT".into()
                    } else {
                        String::new()
                    },
                    description: if kind == Credential::Bearer && provider {
                        "Access tokens issued by the OAuth 2.0 / OpenID Connect identity provider.".into()
                    } else {
                        String::new()
                    },
                    owner: (question.clone(), None),
                },
            );
            self.user_schemes.push(key);
        }
    }

    /// The security requirements of an endpoint from its Auth cell.
    fn requirements(&mut self, auth: &str, owner: (&str, usize), todo: &mut Vec<String>) -> Vec<SecurityRequirement> {
        let (question, row) = owner;
        let lower = auth.to_lowercase();
        if auth.is_empty() {
            todo.push(self.gap(Some(question), Some(row), "who may call it is not stated (Auth)"));
            return Vec::new();
        }
        if ["public", "anonymous", "anyone", "unauthenticated", "no auth"]
            .iter()
            .any(|w| lower.starts_with(w))
        {
            return vec![SecurityRequirement(Map::new())];
        }
        let first = auth.split_whitespace().next().unwrap_or_default();
        if let Some(key) = self
            .schemes
            .keys()
            .find(|k| k.eq_ignore_ascii_case(&component_key(first.trim_end_matches([',', ';']))))
            .cloned()
        {
            return vec![requirement(&key, Vec::new())];
        }
        if first.contains(':') {
            let permission = first.trim_end_matches([',', ';']).to_string();
            if self.user_schemes.is_empty() {
                let question = self.m.auth.clone().unwrap_or_else(|| question.to_string());
                todo.push(self.gap(
                    Some(&question),
                    None,
                    "no authentication scheme is chosen, so endpoints that need a permission have no security scheme",
                ));
                return Vec::new();
            }
            return self
                .user_schemes
                .iter()
                .map(|key| requirement(key, vec![permission.clone()]))
                .collect();
        }
        if !auth.contains(char::is_whitespace) {
            // A mechanism named by one word (stripe-signature): a scheme of its own.
            let key = component_key(first.trim_end_matches([',', ';']));
            let owner_q = self.m.security_schemes.as_ref().map(|t| t.question.clone());
            self.schemes.entry(key.clone()).or_insert(SchemeDef {
                kind: Credential::HeaderKey,
                detail: String::new(),
                description: format!("The mechanism the inventory calls {first}."),
                owner: (owner_q.or_else(|| Some(question.to_string())), None),
            });
            return vec![requirement(&key, Vec::new())];
        }
        let kinds = Credential::named_in(auth);
        if kinds.is_empty() {
            todo.push(self.gap(
                Some(question),
                Some(row),
                format!("the Auth cell \"{auth}\" names neither a permission (resource:action), \"public\", nor a credential"),
            ));
            return Vec::new();
        }
        kinds
            .into_iter()
            .map(|kind| {
                let key = if let Some((k, _)) = self.schemes.iter().find(|(_, s)| s.kind == kind) {
                    k.clone()
                } else {
                    let key = kind.default_key().to_string();
                    let owner_q = self
                        .m
                        .security_schemes
                        .as_ref()
                        .map_or_else(|| question.to_string(), |t| t.question.clone());
                    self.schemes.insert(
                        key.clone(),
                        SchemeDef {
                            kind,
                            detail: if lower.contains("jwt") {
                                "JWT".into()
                            } else {
                                String::new()
                            },
                            description: String::new(),
                            owner: (Some(owner_q), None),
                        },
                    );
                    key
                };
                requirement(&key, Vec::new())
            })
            .collect()
    }

    #[allow(clippy::too_many_lines)]
    fn paths(&mut self, top: &mut Vec<String>) -> (Map<String, PathItem>, BTreeSet<String>, BTreeSet<String>) {
        let mut items: BTreeMap<String, PathItem> = BTreeMap::new();
        let mut tags = BTreeSet::new();
        let mut prefixes = BTreeSet::new();
        let mut operation_ids: BTreeSet<String> = BTreeSet::new();
        let endpoints = &self.m.endpoints;
        let question = endpoints.question.clone();
        let rows = table_rows(self.src, endpoints);
        let payload_rows: Vec<TableRow> = self
            .m
            .payloads
            .as_ref()
            .map(|p| table_rows(self.src, p))
            .unwrap_or_default();
        let mut rest_endpoints = 0usize;
        // A path parameter typed in one row's parameters ("path: id (UUID)") is typed for all.
        let path_notes: Vec<NamedParam> = rows
            .iter()
            .flat_map(|r| payload::read(&r.cell("parameters"), &self.known()).path)
            .filter(|p| p.note.is_some())
            .collect();
        for r in &rows {
            let method_text = r.cell("method");
            let method = method_text.to_lowercase();
            let path_text = r.cell("path");
            if GRAPHQL.contains(&method.as_str()) {
                continue;
            }
            if path_text.is_empty() || method.is_empty() {
                let msg = format!(
                    "endpoint {} has no {}",
                    r.number,
                    if method.is_empty() { "method" } else { "path" }
                );
                top.push(self.gap(Some(&question), Some(r.number), format!("{msg}, so it is left out")));
                continue;
            }
            if !HTTP_METHODS.contains(&method.as_str()) {
                top.push(self.gap(
                    Some(&question),
                    Some(r.number),
                    format!("\"{method_text}\" on {path_text} is not an HTTP method, so the endpoint is left out"),
                ));
                continue;
            }
            rest_endpoints += 1;
            let shown = format!("{} {path_text}", method.to_uppercase());
            let mut todo = Vec::new();
            let path = if path_text.starts_with('/') {
                path_text.lines().next().unwrap_or_default().to_string()
            } else {
                todo.push(self.gap(
                    Some(&question),
                    Some(r.number),
                    format!("{shown}: a path starts with /"),
                ));
                format!("/{}", path_text.lines().next().unwrap_or_default())
            };
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let versioned = segments.first().filter(|s| is_version(s)).copied();
            if let Some(v) = versioned {
                prefixes.insert(v.to_string());
            } else {
                prefixes.insert(String::new());
            }
            let statics: Vec<&str> = segments
                .iter()
                .skip(usize::from(versioned.is_some()))
                .filter(|s| !s.starts_with('{'))
                .copied()
                .collect();
            let tag = statics.first().map_or_else(|| "root".to_string(), |s| (*s).to_string());
            tags.insert(tag.clone());
            let paginated = r.cell("paginated").to_lowercase().starts_with("yes");
            let mut op = Operation {
                tags: vec![tag],
                operation_id: Some(unique_id(
                    &operation_name(
                        &method,
                        &statics,
                        segments.last().is_some_and(|s| s.starts_with('{')),
                        paginated,
                    ),
                    &mut operation_ids,
                )),
                responses: Some(Map::new()),
                ..Operation::default()
            };
            let summary = r.cell("summary");
            if !summary.is_empty() {
                op.summary = Some(summary.lines().next().unwrap_or_default().to_string());
            }
            let description = r.cell("description");
            if !description.is_empty() {
                op.description = Some(description);
            }
            // Requirements.
            if r.has("requirements") {
                let ids = fr_ids(&r.cell("requirements"));
                if ids.is_empty() {
                    todo.push(self.gap(
                        Some(&question),
                        Some(r.number),
                        format!("{shown} traces to no requirement (FR-ID)"),
                    ));
                } else {
                    op.extensions.insert(
                        "fr-ids".into(),
                        Value::Array(ids.into_iter().map(Value::String).collect()),
                    );
                }
            }
            // Request and response: columns of this table, or the payloads table's row.
            let (request_text, response_text, owner) = if let Some(p) = &self.m.payloads {
                let wanted = endpoint_key(&shown);
                if let Some(pr) = payload_rows
                    .iter()
                    .find(|pr| endpoint_key(&pr.cell("endpoint")) == wanted)
                {
                    (pr.cell("request"), pr.cell("response"), (p.question.clone(), pr.number))
                } else {
                    todo.push(self.gap(
                        Some(&question),
                        Some(r.number),
                        format!("{shown} has no row in the request and response shapes"),
                    ));
                    (String::new(), String::new(), (p.question.clone(), 0))
                }
            } else {
                (r.cell("request"), r.cell("response"), (question.clone(), r.number))
            };
            let owner_row = (owner.1 > 0).then_some(owner.1);
            let request = payload::read(&request_text, &self.known());
            let response = payload::read(&response_text, &self.known());
            let params_cell = payload::read(&r.cell("parameters"), &self.known());
            // Parameters: the path's, then the query's.
            let mut parameters = Vec::new();
            let mut declared = BTreeSet::new();
            for name in crate::core::placeholder::names(&path) {
                if !declared.insert(name.clone()) {
                    continue;
                }
                let note = params_cell
                    .path
                    .iter()
                    .find(|p| p.name == name && p.note.is_some())
                    .or_else(|| path_notes.iter().find(|p| p.name == name))
                    .cloned();
                let p = self.parameter(&name, ParameterIn::Path, note.as_ref(), &shown, &mut todo);
                parameters.push(ObjectOrReference::Object(p));
            }
            let mut query: Vec<NamedParam> = Vec::new();
            for p in params_cell.query.iter().chain(&request.query) {
                if !query.iter().any(|q| q.name == p.name) {
                    query.push(p.clone());
                }
            }
            if paginated {
                for name in self.pagination_names(&shown, &mut todo) {
                    if !query.iter().any(|q| q.name == name) {
                        query.push(NamedParam {
                            name,
                            required: false,
                            note: None,
                        });
                    }
                }
            }
            for q in &query {
                if declared.contains(&q.name) {
                    continue;
                }
                let p = self.parameter(&q.name, ParameterIn::Query, Some(q), &shown, &mut todo);
                parameters.push(ObjectOrReference::Object(p));
            }
            op.parameters = parameters;
            // Request body.
            let mutation = matches!(method.as_str(), "post" | "put" | "patch");
            let media = if request.multipart {
                "multipart/form-data"
            } else {
                "application/json"
            };
            match &request.body {
                Body::Unstated if mutation && owner_row.is_some() => {
                    todo.push(self.gap(
                        Some(&owner.0),
                        owner_row,
                        format!("{shown} accepts input, but its request body is not given"),
                    ));
                }
                Body::Unstated | Body::Empty => {}
                body => {
                    let schema = self.body_schema(body, &shown, (&owner.0, owner_row), &mut todo);
                    op.request_body = Some(ObjectOrReference::Object(RequestBody {
                        description: None,
                        content: content(media, schema, None),
                        required: Some(true),
                    }));
                }
            }
            // Success response.
            let mut responses = Map::new();
            let status = match (response.status, &response.body) {
                (Some(code), _) => code.to_string(),
                (None, Body::Unstated) => {
                    if owner_row.is_some() {
                        todo.push(self.gap(
                            Some(&owner.0),
                            owner_row,
                            format!("{shown} has no success response: give its status and body"),
                        ));
                    }
                    "default".to_string()
                }
                (None, _) => {
                    todo.push(self.gap(
                        Some(&owner.0),
                        owner_row,
                        format!("{shown}: the success response names no status code"),
                    ));
                    "default".to_string()
                }
            };
            let said = match response.status {
                Some(code) => without_word(&response_text, &code.to_string()),
                None => response_text.clone(),
            };
            let mut success = Response {
                description: Some(if said.is_empty() {
                    response
                        .status
                        .and_then(|c| self.statuses.get(&c).and_then(|m| m.first().cloned()))
                        .unwrap_or_else(|| "Not given yet.".to_string())
                } else {
                    said
                }),
                ..Response::default()
            };
            match &response.body {
                Body::Unstated | Body::Empty => {}
                body => {
                    let schema = self.body_schema(body, &shown, (&owner.0, owner_row), &mut todo);
                    success.content = content("application/json", schema, None);
                }
            }
            responses.insert(status, ObjectOrReference::Object(success));
            // Errors.
            if r.has("errors") {
                let codes = payload::codes_in(&r.cell("errors"));
                if codes.is_empty() {
                    todo.push(self.gap(
                        Some(&question),
                        Some(r.number),
                        format!("{shown} lists no error responses"),
                    ));
                }
                for code in codes {
                    self.used_errors.insert(code);
                    responses.insert(
                        code.to_string(),
                        ObjectOrReference::Ref {
                            ref_path: format!("#/components/responses/{}", response_name(code)),
                            summary: None,
                            description: None,
                        },
                    );
                }
            }
            let mut sorted: Vec<(String, ObjectOrReference<Response>)> = responses.into_iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            op.responses = Some(sorted.into_iter().collect());
            // Security.
            if r.has("auth") {
                op.security = self.requirements(&r.cell("auth"), (&question, r.number), &mut todo);
            }
            mark(&mut op.extensions, &mut op.description, &todo);
            let item = items.entry(path.clone()).or_default();
            let slot = match method.as_str() {
                "get" => &mut item.get,
                "put" => &mut item.put,
                "post" => &mut item.post,
                "delete" => &mut item.delete,
                "options" => &mut item.options,
                "head" => &mut item.head,
                "patch" => &mut item.patch,
                _ => &mut item.trace,
            };
            if slot.is_some() {
                // The first row stands; a duplicate would silently replace it.
                top.push(self.gap(
                    Some(&question),
                    Some(r.number),
                    format!("{shown} is listed twice; the first row is the one in the document"),
                ));
            } else {
                *slot = Some(op);
            }
        }
        if rest_endpoints == 0 {
            top.push(self.gap(
                Some(&question),
                None,
                "the inventory has no REST endpoint (an HTTP method and a path), so the document has no operations",
            ));
        }
        (items.into_iter().collect(), tags, prefixes)
    }

    /// The names of the paging parameters the pagination style gives.
    fn pagination_names(&mut self, shown: &str, todo: &mut Vec<String>) -> Vec<String> {
        let style = text_of(self.src, self.m.pagination.as_ref())
            .unwrap_or_default()
            .to_lowercase();
        if style.contains("cursor") {
            vec!["cursor".into(), "limit".into()]
        } else if style.contains("offset") {
            vec!["offset".into(), "limit".into()]
        } else if style.contains("page") && !style.contains("relay") {
            vec!["page".into(), "pageSize".into()]
        } else {
            let question = self.m.pagination.clone();
            todo.push(self.gap(
                question.as_deref(),
                None,
                format!("{shown} is paged, but the pagination style does not name its parameters"),
            ));
            Vec::new()
        }
    }

    fn parameter(
        &mut self,
        name: &str,
        location: ParameterIn,
        named: Option<&NamedParam>,
        shown: &str,
        todo: &mut Vec<String>,
    ) -> Parameter {
        let mut description = Vec::new();
        let mut schema = None;
        let mut extensions = Map::new();
        let mut example = None;
        let row = self.params.get(name).map(|row| {
            (
                row.cell("type"),
                row.cell("format"),
                row.cell("example"),
                row.cell("description"),
                row.map.question.clone(),
                row.number,
            )
        });
        if let Some((type_text, format, ex, d, q, n)) = row {
            match types::schema_of(&type_text, &self.known()) {
                Ok(mut s) => {
                    if let ObjectOrRef::Object(o) = &mut s {
                        if !format.is_empty() {
                            types::apply_format(o, &format);
                        }
                        if !ex.is_empty() {
                            example = Some(types::example(&ex, o));
                        }
                    }
                    schema = Some(s.into_schema());
                }
                Err(why) => {
                    todo.push(self.gap(Some(&q), Some(n), format!("parameter {name} has no usable type: {why}")));
                }
            }
            if !d.is_empty() {
                description.push(d);
            }
        }
        if let Some(note) = named.and_then(|n| n.note.as_deref()) {
            if schema.is_none()
                && let Ok(s) = types::schema_of(note, &self.known())
            {
                schema = Some(s.into_schema());
            }
            if !description.iter().any(|d| d.contains(note)) {
                description.push(sentence(note));
            }
        }
        if schema.is_none() && location == ParameterIn::Query {
            schema = self.paging_schema(name);
        }
        let schema = schema.unwrap_or_else(|| {
            let kind = if location == ParameterIn::Path { "path" } else { "query" };
            let where_ = if self.m.parameters.is_some() {
                "add it to the parameters table"
            } else {
                "give its type"
            };
            let msg = self.gap(
                self.m.parameters.as_ref().map(|p| p.question.as_str()),
                None,
                format!("{kind} parameter {name} of {shown} has no type: {where_}"),
            );
            extensions.insert("todo".into(), Value::Array(vec![Value::String(msg.clone())]));
            description.push(format!("Missing: {msg}."));
            inline(ObjectSchema::default())
        });
        Parameter {
            name: name.to_string(),
            location,
            description: (!description.is_empty()).then(|| description.join(". ")),
            required: Some(location == ParameterIn::Path || named.is_some_and(|n| n.required)),
            deprecated: None,
            allow_empty_value: None,
            style: None,
            explode: None,
            allow_reserved: None,
            schema: Some(schema),
            example,
            examples: Map::new(),
            content: None,
            extensions,
        }
    }

    /// The schema of a paging parameter the pagination answers define.
    fn paging_schema(&self, name: &str) -> Option<Schema> {
        let size = number_of(self.src, self.m.page_size.as_ref());
        let max = number_of(self.src, self.m.page_size_max.as_ref());
        match name {
            "cursor" => {
                let mut s = typed(SchemaType::String);
                s.description = Some("The opaque cursor of the page to read, from the previous page.".into());
                Some(inline(s))
            }
            "limit" | "pageSize" => {
                let mut s = typed(SchemaType::Integer);
                s.minimum = Some(1.into());
                s.maximum = max.and_then(json_integer);
                s.default = size.and_then(json_integer).map(Value::Number);
                Some(inline(s))
            }
            "offset" => {
                let mut s = typed(SchemaType::Integer);
                s.minimum = Some(0.into());
                Some(inline(s))
            }
            "page" => {
                let mut s = typed(SchemaType::Integer);
                s.minimum = Some(1.into());
                Some(inline(s))
            }
            _ => None,
        }
    }

    fn body_schema(
        &mut self,
        body: &Body,
        shown: &str,
        owner: (&str, Option<usize>),
        todo: &mut Vec<String>,
    ) -> Schema {
        match body {
            Body::Named { key, page: true, .. } => {
                if let Some(page) = &self.page {
                    let mut items = typed(SchemaType::Array);
                    items.items = Some(Box::new(reference(key)));
                    let mut narrowed = typed(SchemaType::Object);
                    narrowed.properties.insert(page.items.clone(), inline(items));
                    let s = ObjectSchema {
                        all_of: vec![reference(&page.key), inline(narrowed)],
                        ..ObjectSchema::default()
                    };
                    inline(s)
                } else {
                    let msg = self.gap(
                    self.m.fields.as_ref().map(|f| f.question.as_str()),
                    None,
                    "a response is a page, but the page envelope is not given: add a payload named Page with its array of items and paging fields",
                );
                    todo.push(msg);
                    let mut s = typed(SchemaType::Array);
                    s.items = Some(Box::new(reference(key)));
                    inline(s)
                }
            }
            Body::Named { key, array: true, .. } => {
                let mut s = typed(SchemaType::Array);
                s.items = Some(Box::new(reference(key)));
                inline(s)
            }
            Body::Named { key, .. } => reference(key),
            Body::Inline(fields) => {
                let listed: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                todo.push(self.gap(
                    Some(owner.0),
                    owner.1,
                    format!(
                        "{shown}: the body {{{}}} is a sketch without types: name a payload and list its fields with their types",
                        listed.join(", ")
                    ),
                ));
                inline(sketch_schema(fields))
            }
            Body::Words(words) => {
                todo.push(self.gap(
                    Some(owner.0),
                    owner.1,
                    format!("{shown}: the body \"{words}\" names no payload and no fields"),
                ));
                let mut s = ObjectSchema {
                    description: Some(words.clone()),
                    ..ObjectSchema::default()
                };
                s.extensions.insert(
                    "todo".into(),
                    Value::Array(vec![Value::String(format!(
                        "the body \"{words}\" names no payload and no fields"
                    ))]),
                );
                inline(s)
            }
            Body::Unstated | Body::Empty => inline(ObjectSchema::default()),
        }
    }

    fn components(&mut self) -> Components {
        let mut responses = Map::new();
        for code in self.used_errors.clone() {
            let meanings = self.statuses.get(&code).cloned().unwrap_or_default();
            let mut extensions = Map::new();
            let mut description = Some(if meanings.is_empty() {
                reason(code).to_string()
            } else {
                meanings.join("; ")
            });
            if meanings.is_empty()
                && let Some(question) = self.m.status_codes.as_ref().map(|s| s.question.clone())
            {
                let msg = self.gap(
                    Some(&question),
                    None,
                    format!("status {code} is returned but the status codes do not say when"),
                );
                mark(&mut extensions, &mut description, &[msg]);
            }
            // The example shows this status, or none at all.
            let example = self.envelope_example.clone().filter(|e| {
                e.get("status")
                    .is_none_or(|s| s.as_u64() == Some(u64::from(code)) || s.as_str() == Some(&code.to_string()))
            });
            responses.insert(
                response_name(code),
                ObjectOrReference::Object(Response {
                    description,
                    content: content(&self.envelope_media, reference(&self.envelope_key), example),
                    extensions,
                    ..Response::default()
                }),
            );
        }
        let mut security_schemes = Map::new();
        let schemes = std::mem::take(&mut self.schemes);
        for (key, def) in &schemes {
            let mut todo = None;
            let (detail, what) = match def.kind {
                Credential::Bearer => (def.detail.clone(), "the bearer token format"),
                Credential::Cookie => (def.detail.clone(), "the cookie's name"),
                Credential::HeaderKey => (def.detail.clone(), "the header's name"),
                Credential::QueryKey => (def.detail.clone(), "the query parameter's name"),
                Credential::OpenIdConnect => (def.detail.clone(), "the OpenID Connect discovery URL"),
            };
            let detail = if detail.is_empty() {
                let msg = self.gap(
                    def.owner.0.as_deref(),
                    def.owner.1,
                    format!("security scheme {key}: {what} is not stated"),
                );
                self.component_todos.push(format!("securitySchemes/{key}: {msg}"));
                todo = Some(msg);
                "not stated".to_string()
            } else {
                detail
            };
            let mut description = def.description.clone();
            if let Some(t) = &todo {
                description = if description.is_empty() {
                    format!("Missing: {t}.")
                } else {
                    format!("{description}\n\nMissing: {t}.")
                };
            }
            let description = (!description.is_empty()).then_some(description);
            let scheme = match def.kind {
                Credential::Bearer => SecurityScheme::Http {
                    description,
                    scheme: "bearer".into(),
                    // Optional in the specification: left out rather than filled with a placeholder.
                    bearer_format: todo.is_none().then_some(detail),
                },
                Credential::Cookie => SecurityScheme::ApiKey {
                    description,
                    name: detail,
                    location: "cookie".into(),
                },
                Credential::HeaderKey => SecurityScheme::ApiKey {
                    description,
                    name: detail,
                    location: "header".into(),
                },
                Credential::QueryKey => SecurityScheme::ApiKey {
                    description,
                    name: detail,
                    location: "query".into(),
                },
                Credential::OpenIdConnect => SecurityScheme::OpenIdConnect {
                    description,
                    open_id_connect_url: detail,
                },
            };
            security_schemes.insert(key.clone(), ObjectOrReference::Object(scheme));
        }
        let mut extensions = Map::new();
        if !self.component_todos.is_empty() {
            extensions.insert(
                "todo".into(),
                Value::Array(self.component_todos.iter().cloned().map(Value::String).collect()),
            );
        }
        Components {
            schemas: std::mem::take(&mut self.schemas).into_iter().collect(),
            responses,
            security_schemes,
            extensions,
            ..Components::default()
        }
    }
}

fn requirement(key: &str, scopes: Vec<String>) -> SecurityRequirement {
    let mut m = Map::new();
    m.insert(key.to_string(), scopes);
    SecurityRequirement(m)
}

fn content(media: &str, schema: Schema, example: Option<Value>) -> Map<String, MediaType> {
    let mut m = Map::new();
    m.insert(
        media.to_string(),
        MediaType {
            schema: Some(schema),
            examples: example.map(|example| MediaTypeExamples::Example { example }),
            ..MediaType::default()
        },
    );
    m
}

/// A schema from a brace sketch: its properties as named, without types.
fn sketch_schema(fields: &[Sketch]) -> ObjectSchema {
    let mut s = typed(SchemaType::Object);
    for f in fields {
        let mut property = match &f.children {
            Some(children) => sketch_schema(children),
            None => ObjectSchema::default(),
        };
        let notes: Vec<&str> = [f.value.as_deref(), f.note.as_deref()].into_iter().flatten().collect();
        if !notes.is_empty() {
            property.description = Some(notes.join(" "));
        }
        let property = if f.array {
            let mut a = typed(SchemaType::Array);
            a.items = Some(Box::new(inline(property)));
            a
        } else {
            property
        };
        s.properties.insert(f.name.clone(), inline(property));
    }
    s
}

/// The first JSON object written in a text (in a fenced JSON block, or bare).
fn json_example(text: &str) -> Option<Value> {
    let start = text.find('{')?;
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text[start..].char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return serde_json::from_str::<Value>(&text[start..=start + i])
                        .ok()
                        .filter(Value::is_object);
                }
            }
            _ => {}
        }
    }
    None
}

fn json_integer(n: f64) -> Option<serde_json::Number> {
    #[allow(clippy::cast_possible_truncation)]
    (n.fract() == 0.0 && n.abs() < 9.0e15).then(|| serde_json::Number::from(n as i64))
}

/// "METHOD /path" compared without case or spaces.
fn endpoint_key(text: &str) -> String {
    text.split_whitespace().collect::<String>().to_uppercase()
}

/// FR-IDs in a cell ("FR-3, FR-6"), upper-cased, in order, once each.
pub(super) fn fr_ids(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '/' | ':')) {
        let w = word.trim().trim_matches('.').to_uppercase();
        if w.len() > 3 && w.starts_with("FR-") && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

fn is_version(segment: &str) -> bool {
    let rest = segment.strip_prefix('v').or_else(|| segment.strip_prefix('V'));
    rest.is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `listClinicsServices`, `getAppointments`, `createAppointmentsCancellation`: a verb for the
/// method, then the path's fixed segments.
fn operation_name(method: &str, statics: &[&str], ends_in_param: bool, paginated: bool) -> String {
    let verb = match method {
        "get" if !ends_in_param && paginated => "list",
        "get" => "get",
        "post" => "create",
        "put" => "replace",
        "patch" => "update",
        "delete" => "delete",
        other => other,
    };
    let mut name = verb.to_string();
    for segment in statics {
        for part in segment.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                name.extend(first.to_uppercase());
                name.push_str(chars.as_str());
            }
        }
    }
    if statics.is_empty() {
        name.push_str("Root");
    }
    name
}

fn unique_id(name: &str, used: &mut BTreeSet<String>) -> String {
    let mut id = name.to_string();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{name}{n}");
        n += 1;
    }
    id
}

/// The component name of an error response by its status.
fn response_name(code: u16) -> String {
    match code {
        400 => "BadRequest".into(),
        401 => "Unauthorized".into(),
        402 => "PaymentRequired".into(),
        403 => "Forbidden".into(),
        404 => "NotFound".into(),
        405 => "MethodNotAllowed".into(),
        406 => "NotAcceptable".into(),
        408 => "RequestTimeout".into(),
        409 => "Conflict".into(),
        410 => "Gone".into(),
        412 => "PreconditionFailed".into(),
        413 => "ContentTooLarge".into(),
        415 => "UnsupportedMediaType".into(),
        422 => "UnprocessableContent".into(),
        423 => "Locked".into(),
        428 => "PreconditionRequired".into(),
        429 => "TooManyRequests".into(),
        500 => "InternalServerError".into(),
        501 => "NotImplemented".into(),
        502 => "BadGateway".into(),
        503 => "ServiceUnavailable".into(),
        504 => "GatewayTimeout".into(),
        other => format!("Status{other}"),
    }
}

/// The standard reason phrase of a status.
fn reason(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        423 => "Locked",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

/// `text` without the first `word`, and the space and commas it leaves.
fn without_word(text: &str, word: &str) -> String {
    let removed = text.replacen(word, "", 1);
    let joined = removed.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.replace(" ,", ",").trim_matches([',', ' ', ';']).to_string()
}

/// A note as a sentence of its own: a capital first letter.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A format cell that is only a format name (uuid, date-time): already in `format`.
fn looks_like_bare_format(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    types::format_word(&lower).is_some() && !lower.contains(' ')
}
