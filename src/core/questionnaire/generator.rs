//! Documents that are not Markdown: their kind, the built-in generator that writes them, and the
//! mapping a questionnaire declares to tell the generator which answers mean what (checked at
//! load, so a project that overrides a questionnaire keeps its generated documents working).
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use toml::Spanned;

use super::load::Checker;
use super::{Question, QuestionKind, Severity};

/// What a document is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Rendered from the document's template.
    #[default]
    Markdown,
    /// Written by a built-in generator from the answers.
    Yaml,
}

impl DocumentKind {
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::Markdown => "markdown",
            DocumentKind::Yaml => "yaml",
        }
    }

    /// The file name endings a document of this kind may have.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            DocumentKind::Markdown => &["md"],
            DocumentKind::Yaml => &["yaml", "yml"],
        }
    }

    /// The kind a document path names by its ending (Markdown unless it ends in `.yaml`/`.yml`).
    pub fn of_path(path: &str) -> DocumentKind {
        let yaml = std::path::Path::new(path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if yaml {
            DocumentKind::Yaml
        } else {
            DocumentKind::Markdown
        }
    }
}

/// The built-in generators, by the name a questionnaire gives (`generator = "openapi"`).
pub const GENERATORS: &[&str] = &["openapi"];

/// Which answers feed an `OpenAPI` document: single questions by id, tables by question id and
/// the role of each column (`endpoints = { question = "endpoints", method = "method", … }`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenApiMapping {
    /// `info.title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `info.description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `info.version`; without it, the version prefix the paths share (`/v1` gives `v1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How the API is versioned, for `info.description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versioning: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servers: Option<TableMap>,
    pub endpoints: TableMap,
    /// Request and response per endpoint, when they are not columns of the endpoints table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payloads: Option<TableMap>,
    /// The fields of every named payload (the component schemas).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<TableMap>,
    /// Path and query parameters, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<TableMap>,
    /// The body every error shares: prose, with a fenced JSON example when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_codes: Option<TableMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size_max: Option<String>,
    /// How callers authenticate (JWT bearer tokens, session cookies, API keys, `OpenID` Connect …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
    /// How each credential reaches the API (header, cookie or query names, discovery URLs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_schemes: Option<TableMap>,
    /// Lists of requirements (FR-ID first) that must each have an endpoint or a deferral.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// Lists of requirements endpoints may trace to without being owed one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub later_requirements: Vec<String>,
    /// A list of what is knowingly left out: an FR-ID named there is deferred.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferred: Option<String>,
    /// How `check` reports a gap of the document: a warning (the default, when the document is
    /// an artifact of a gate) or a note.
    pub gaps: Severity,
}

/// A table question and what its columns mean: role → column id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TableMap {
    pub question: String,
    #[serde(flatten)]
    pub columns: BTreeMap<String, String>,
}

impl TableMap {
    /// The column playing `role`, if the mapping names one.
    pub fn column(&self, role: &str) -> Option<&str> {
        self.columns.get(role).map(String::as_str)
    }
}

/// A document's generator and what feeds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "generator", rename_all = "snake_case")]
pub enum Generator {
    #[serde(rename = "openapi")]
    OpenApi { mapping: OpenApiMapping },
}

impl Generator {
    pub fn name(&self) -> &'static str {
        match self {
            Generator::OpenApi { .. } => "openapi",
        }
    }
}

/// The mapping as written in the questionnaire, with positions for messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOpenApiMapping {
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    versioning: Option<Spanned<String>>,
    servers: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    endpoints: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    payloads: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    fields: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    parameters: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    error_format: Option<Spanned<String>>,
    status_codes: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    pagination: Option<Spanned<String>>,
    page_size: Option<Spanned<String>>,
    page_size_max: Option<Spanned<String>>,
    auth: Option<Spanned<String>>,
    security_schemes: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    #[serde(default)]
    requirements: Vec<Spanned<String>>,
    #[serde(default)]
    later_requirements: Vec<Spanned<String>>,
    deferred: Option<Spanned<String>>,
    gaps: Option<Spanned<String>>,
}

impl Default for OpenApiMapping {
    fn default() -> Self {
        OpenApiMapping {
            title: None,
            summary: None,
            version: None,
            versioning: None,
            servers: None,
            endpoints: TableMap::default(),
            payloads: None,
            fields: None,
            parameters: None,
            error_format: None,
            status_codes: None,
            pagination: None,
            page_size: None,
            page_size_max: None,
            auth: None,
            security_schemes: None,
            requirements: Vec::new(),
            later_requirements: Vec::new(),
            deferred: None,
            gaps: Severity::Warning,
        }
    }
}

/// The roles each mapped table may give its columns; the first ones listed are required.
struct TableRoles {
    key: &'static str,
    required: &'static [&'static str],
    optional: &'static [&'static str],
}

const SERVERS: TableRoles = TableRoles {
    key: "servers",
    required: &["url"],
    optional: &["description"],
};
const ENDPOINTS: TableRoles = TableRoles {
    key: "endpoints",
    required: &["method", "path"],
    optional: &[
        "summary",
        "description",
        "requirements",
        "auth",
        "paginated",
        "errors",
        "parameters",
        "request",
        "response",
    ],
};
const PAYLOADS: TableRoles = TableRoles {
    key: "payloads",
    required: &["endpoint"],
    optional: &["request", "response"],
};
const FIELDS: TableRoles = TableRoles {
    key: "fields",
    required: &["schema", "name", "type"],
    optional: &["required", "format", "example", "description"],
};
const PARAMETERS: TableRoles = TableRoles {
    key: "parameters",
    required: &["name", "type"],
    optional: &["format", "example", "description"],
};
const STATUS_CODES: TableRoles = TableRoles {
    key: "status_codes",
    required: &["code"],
    optional: &["meaning"],
};
const SECURITY_SCHEMES: TableRoles = TableRoles {
    key: "security_schemes",
    required: &["name", "kind"],
    optional: &["key", "description"],
};

/// What kinds a single mapped question may be.
const TEXTUAL: &[QuestionKind] = &[QuestionKind::Text, QuestionKind::Multiline, QuestionKind::Choice];
const LISTS: &[QuestionKind] = &[QuestionKind::List, QuestionKind::MultiChoice];

/// Checks a mapping against the questionnaire's questions and builds it.
pub(super) fn openapi_mapping(
    c: &mut Checker,
    raw: RawOpenApiMapping,
    whole: &Range<usize>,
    questions: &HashMap<String, &Question>,
) -> OpenApiMapping {
    let single = |c: &mut Checker, key: &str, value: Option<Spanned<String>>, kinds: &[QuestionKind]| {
        value.and_then(|v| question_of(c, key, &v, kinds, questions).map(|_| v.into_inner()))
    };
    let title = single(c, "title", raw.title, TEXTUAL);
    let summary = single(c, "summary", raw.summary, TEXTUAL);
    let version = single(c, "version", raw.version, TEXTUAL);
    let versioning = single(c, "versioning", raw.versioning, TEXTUAL);
    let error_format = single(c, "error_format", raw.error_format, TEXTUAL);
    let pagination = single(c, "pagination", raw.pagination, TEXTUAL);
    let page_size = single(c, "page_size", raw.page_size, &[QuestionKind::Number]);
    let page_size_max = single(c, "page_size_max", raw.page_size_max, &[QuestionKind::Number]);
    let auth = single(
        c,
        "auth",
        raw.auth,
        &[
            QuestionKind::MultiChoice,
            QuestionKind::Choice,
            QuestionKind::Text,
            QuestionKind::Multiline,
            QuestionKind::Checklist,
            QuestionKind::List,
        ],
    );
    let deferred = single(c, "deferred", raw.deferred, LISTS);
    let gaps = match raw.gaps {
        None => Severity::Warning,
        Some(g) => match g.get_ref().as_str() {
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            other => {
                c.at(
                    &g.span(),
                    format!("the openapi mapping's \"gaps\" is \"{other}\"; it is \"warning\" or \"info\"."),
                );
                Severity::Warning
            }
        },
    };
    let lists = |c: &mut Checker, key: &str, values: Vec<Spanned<String>>| {
        values
            .into_iter()
            .filter_map(|v| question_of(c, key, &v, LISTS, questions).map(|_| v.into_inner()))
            .collect::<Vec<_>>()
    };
    let requirements = lists(c, "requirements", raw.requirements);
    let later_requirements = lists(c, "later_requirements", raw.later_requirements);
    let endpoints = if let Some(t) = raw.endpoints { table(c, &ENDPOINTS, &t, questions) } else {
        c.at(
            whole,
            "the openapi mapping names no \"endpoints\": it needs the table of endpoints (endpoints = { question = \"…\", method = \"…\", path = \"…\" }).",
        );
        None
    }
    .unwrap_or_default();
    let payloads = raw.payloads.and_then(|t| table(c, &PAYLOADS, &t, questions));
    let fields = raw.fields.and_then(|t| table(c, &FIELDS, &t, questions));
    let parameters = raw.parameters.and_then(|t| table(c, &PARAMETERS, &t, questions));
    let servers = raw.servers.and_then(|t| table(c, &SERVERS, &t, questions));
    let status_codes = raw.status_codes.and_then(|t| table(c, &STATUS_CODES, &t, questions));
    let security_schemes = raw
        .security_schemes
        .and_then(|t| table(c, &SECURITY_SCHEMES, &t, questions));
    OpenApiMapping {
        title,
        summary,
        version,
        versioning,
        servers,
        endpoints,
        payloads,
        fields,
        parameters,
        error_format,
        status_codes,
        pagination,
        page_size,
        page_size_max,
        auth,
        security_schemes,
        requirements,
        later_requirements,
        deferred,
        gaps,
    }
}

/// The question a single mapping key names, if it exists and has a fitting kind.
fn question_of<'q>(
    c: &mut Checker,
    key: &str,
    value: &Spanned<String>,
    kinds: &[QuestionKind],
    questions: &HashMap<String, &'q Question>,
) -> Option<&'q Question> {
    let id = value.get_ref();
    let Some(q) = questions.get(id.as_str()) else {
        c.at(
            &value.span(),
            format!("the openapi mapping's \"{key}\" names question \"{id}\", which does not exist."),
        );
        return None;
    };
    if !kinds.contains(&q.kind) {
        let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
        c.at(
            &value.span(),
            format!(
                "the openapi mapping's \"{key}\" names question \"{id}\", a {} question; it must be {}.",
                q.kind.name(),
                spoken_or(&names)
            ),
        );
        return None;
    }
    Some(q)
}

/// A mapped table: a table question, known roles, the required ones given, existing columns.
fn table(
    c: &mut Checker,
    roles: &TableRoles,
    raw: &Spanned<BTreeMap<String, Spanned<String>>>,
    questions: &HashMap<String, &Question>,
) -> Option<TableMap> {
    let entries = raw.get_ref();
    let key = roles.key;
    let Some(question) = entries.get("question") else {
        c.at(
            &raw.span(),
            format!("the openapi mapping's \"{key}\" names no question (question = \"…\")."),
        );
        return None;
    };
    let q = question_of(c, key, question, &[QuestionKind::Table], questions)?;
    let mut ok = true;
    for role in roles.required {
        if !entries.contains_key(*role) {
            c.at(
                &raw.span(),
                format!(
                    "the openapi mapping's \"{key}\" does not say which column is the {role} ({role} = \"column\")."
                ),
            );
            ok = false;
        }
    }
    let mut columns = BTreeMap::new();
    for (role, column) in entries.iter().filter(|(r, _)| r.as_str() != "question") {
        if !roles.required.contains(&role.as_str()) && !roles.optional.contains(&role.as_str()) {
            let known: Vec<&str> = roles.required.iter().chain(roles.optional).copied().collect();
            c.at(
                &column.span(),
                format!(
                    "the openapi mapping's \"{key}\" has no role \"{role}\"; the roles are {}.",
                    known.join(", ")
                ),
            );
            ok = false;
            continue;
        }
        if !q.columns.iter().any(|col| col.id == *column.get_ref()) {
            let have: Vec<&str> = q.columns.iter().map(|col| col.id.as_str()).collect();
            c.at(
                &column.span(),
                format!(
                    "the openapi mapping's \"{key}\" takes the {role} from column \"{}\", which table \"{}\" does not have (it has {}).",
                    column.get_ref(),
                    q.id,
                    have.join(", ")
                ),
            );
            ok = false;
            continue;
        }
        columns.insert(role.clone(), column.get_ref().clone());
    }
    ok.then(|| TableMap {
        question: q.id.clone(),
        columns,
    })
}

fn spoken_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
