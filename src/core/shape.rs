//! Shapes an answer can have: it names a field, an HTTP status code, an action on a resource,
//! a number with its unit, a threshold; it is a real HTTP method, a plural kebab-case path
//! under the version prefix; it has a figure, a bound, a percentile or window, a target's
//! label, a reason, a specific name, the alternative it beat, a duration. Lint rules judge
//! vague answers by their shape, not by lists of bad phrases, so an answer nobody thought of
//! is judged the same way. Templates and rule conditions use the same shapes as tests
//! (`row.path is resource_path`).
use regex_lite::Regex;
use std::sync::OnceLock;

/// A shape an answer can be required to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    NamesField,
    NamesStatusCode,
    ActionOnResource,
    NumberWithUnit,
    Threshold,
    HttpMethod,
    ResourcePath,
    VersionedPath,
    CollectionPath,
    UrlExample,
    NamesCasing,
    NotDeferred,
    Quantified,
    Bounded,
    PercentileOrWindow,
    LabelledTarget,
    NamesReason,
    SpecificName,
    NamesAlternative,
    Duration,
}

impl Shape {
    pub const ALL: [Shape; 20] = [
        Shape::NamesField,
        Shape::NamesStatusCode,
        Shape::ActionOnResource,
        Shape::NumberWithUnit,
        Shape::Threshold,
        Shape::HttpMethod,
        Shape::ResourcePath,
        Shape::VersionedPath,
        Shape::CollectionPath,
        Shape::UrlExample,
        Shape::NamesCasing,
        Shape::NotDeferred,
        Shape::Quantified,
        Shape::Bounded,
        Shape::PercentileOrWindow,
        Shape::LabelledTarget,
        Shape::NamesReason,
        Shape::SpecificName,
        Shape::NamesAlternative,
        Shape::Duration,
    ];

    /// The name used in questionnaires (`shape = ["names_field"]`) and as a template test.
    pub fn name(self) -> &'static str {
        match self {
            Shape::NamesField => "names_field",
            Shape::NamesStatusCode => "names_status_code",
            Shape::ActionOnResource => "action_on_resource",
            Shape::NumberWithUnit => "number_with_unit",
            Shape::Threshold => "threshold",
            Shape::HttpMethod => "http_method",
            Shape::ResourcePath => "resource_path",
            Shape::VersionedPath => "versioned_path",
            Shape::CollectionPath => "collection_path",
            Shape::UrlExample => "url_example",
            Shape::NamesCasing => "names_casing",
            Shape::NotDeferred => "not_deferred",
            Shape::Quantified => "quantified",
            Shape::Bounded => "bounded",
            Shape::PercentileOrWindow => "percentile_or_window",
            Shape::LabelledTarget => "labelled_target",
            Shape::NamesReason => "names_reason",
            Shape::SpecificName => "specific_name",
            Shape::NamesAlternative => "names_alternative",
            Shape::Duration => "duration",
        }
    }

    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What `text` lacks to have this shape, as phrases that say what to add; empty when it
    /// has the shape.
    pub fn lacking(self, text: &str) -> Vec<String> {
        let text = text.trim();
        let missing = |ok: bool, what: &str| if ok { Vec::new() } else { vec![what.to_string()] };
        match self {
            Shape::NamesField => missing(
                names_field(text),
                "the names of its fields (such as `code` or `requestId`)",
            ),
            Shape::NamesStatusCode => missing(
                status_codes(text).next().is_some(),
                "the HTTP status codes it uses (such as 400, 404 or 422)",
            ),
            Shape::ActionOnResource => missing(
                action_on_resource(text),
                "what may be done to what: actions on named resources (such as \"approve invoices\" or invoices:approve)",
            ),
            Shape::NumberWithUnit => missing(
                number_with_unit(text),
                "a number with its unit (such as 15 minutes, 600 requests per minute or 30 days)",
            ),
            Shape::Threshold => missing(
                threshold(text),
                "a threshold: the measure, a limit and its number (such as \"error rate under 1% for 30 minutes\")",
            ),
            Shape::HttpMethod => missing(
                http_method(text),
                "a real HTTP method (GET, POST, PUT, PATCH or DELETE)",
            ),
            Shape::ResourcePath => path_problems(text),
            Shape::VersionedPath => missing(
                versioned_path(text),
                "the version prefix at the start of the path (such as /v1/…)",
            ),
            Shape::CollectionPath => missing(collection_path(text), "a path that ends in a collection"),
            Shape::UrlExample => missing(
                url_example(text),
                "an example path that shows the structure (such as /v1/invoices/{invoiceId}/lines)",
            ),
            Shape::NamesCasing => missing(
                names_casing(text),
                "the casing of names (camelCase, snake_case, kebab-case …) for paths and fields",
            ),
            Shape::NotDeferred => match deferral(text) {
                Some(phrase) => vec![format!("a decision made now instead of \"{phrase}\"")],
                None => Vec::new(),
            },
            Shape::Quantified => missing(
                quantified(text),
                "a figure (such as 150 requests per second, two teams or 500 GB a year)",
            ),
            Shape::Bounded => missing(
                bounded(text),
                "a bound: a number, a scope or a time (such as \"at most 50 requests per second\", \"EU merchants only\" or \"until the old system is switched off\")",
            ),
            Shape::PercentileOrWindow => missing(
                percentile_or_window(text),
                "a percentile or a measurement window (such as p95, 99% of requests, per calendar month or over 28 days)",
            ),
            Shape::LabelledTarget => missing(
                labelled_target(text),
                "whether it is a target or a commitment (such as \"target: p95 under 300 ms\" or \"committed in contracts: 99.9% per month\")",
            ),
            Shape::NamesReason => missing(
                names_reason(text),
                "the facts the reason turns on: a figure (two teams, 150 scans per second) or the drivers and mechanisms it weighs (team size, load, latency, consistency, transactions, cost, compliance, deployment …)",
            ),
            Shape::SpecificName => match catch_all(text) {
                Some(word) => vec![format!(
                    "the one thing it is responsible for, instead of the catch-all \"{word}\" (such as \"notifications\" or \"billing\")"
                )],
                None => Vec::new(),
            },
            Shape::NamesAlternative => missing(
                names_alternative(text),
                "the simpler option it was weighed against and why it lost (such as \"instead of a read replica, because …\")",
            ),
            Shape::Duration => missing(
                duration(text),
                "a length of time (such as 90 days, 6 months or two releases), not a date on which everyone switches",
            ),
        }
    }

    /// Whether `text` has this shape.
    pub fn holds(self, text: &str) -> bool {
        self.lacking(text).is_empty()
    }
}

impl serde::Serialize for Shape {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// A field name: an identifier in code style (`camelCase`, `snake_case`, `a.b`, `errors[]`), one
/// in backticks or quotes, or a list of names in braces (`{ type, title }`).
fn names_field(text: &str) -> bool {
    static CODE: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r#"(?x)
        `[A-Za-z_][A-Za-z0-9_.\[\]]*`                      # `code`
      | "[A-Za-z_][A-Za-z0-9_]*"\s*:                       # "code":
      | \{\s*[A-Za-z_][A-Za-z0-9_]*\s*[,:}]                # { type, ... } or { code: ... }
      | \b[a-z]+[A-Z][A-Za-z0-9]*\b                        # requestId
      | \b[a-z][a-z0-9]*_[a-z0-9_]+\b                      # error_code
      | \b[a-z][A-Za-z0-9]*\[\]                            # errors[]
      | \b[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*\b           # error.code
    "#;
    re(&CODE, pattern).is_some_and(|r| r.is_match(text))
}

/// The HTTP status codes named in `text`: three-digit numbers from 100 to 599 that are not a
/// quantity (not followed by a unit).
pub fn status_codes(text: &str) -> impl Iterator<Item = u16> + '_ {
    static CODE: OnceLock<Option<Regex>> = OnceLock::new();
    let found = re(&CODE, r"\b([1-5][0-9]{2})\b(\s*[A-Za-z%/]+)?");
    found.into_iter().flat_map(move |r| {
        r.captures_iter(text).filter_map(|c| {
            let unit = c.get(2).map(|u| u.as_str().trim().to_lowercase());
            if unit.as_deref().is_some_and(is_unit) {
                return None;
            }
            c.get(1)?.as_str().parse().ok()
        })
    })
}

/// Words that make a number a quantity rather than a status code.
const UNITS: &[&str] = &[
    "ms",
    "s",
    "sec",
    "secs",
    "second",
    "seconds",
    "min",
    "mins",
    "minute",
    "minutes",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "%",
    "percent",
    "rps",
    "rpm",
    "qps",
    "tps",
    "req",
    "reqs",
    "request",
    "requests",
    "kb",
    "mb",
    "gb",
    "tb",
    "kib",
    "mib",
    "gib",
    "tib",
    "bytes",
    "byte",
    "items",
    "item",
    "rows",
    "row",
    "users",
    "user",
    "records",
    "entries",
    "calls",
    "connections",
    "jobs",
    "messages",
    "events",
    "retries",
    "times",
    "per",
    "x",
    "k",
    "m",
];

fn is_unit(word: &str) -> bool {
    let word = word.trim_end_matches(['.', ',', ';']);
    UNITS.contains(&word) || word.starts_with("req/") || word.starts_with('/')
}

/// A number followed by a unit (`15 minutes`, `600 requests per minute`, `99.9%`, `30d`), or a
/// rate of anything over time (`400 reservations per second`, `20 orders/minute`).
fn number_with_unit(text: &str) -> bool {
    static NUM: OnceLock<Option<Regex>> = OnceLock::new();
    static RATE: OnceLock<Option<Regex>> = OnceLock::new();
    let unit = re(&NUM, r"(\d+(?:[.,]\d+)?)\s*([A-Za-z%/][A-Za-z/]*)").is_some_and(|r| {
        r.captures_iter(text).any(|c| {
            c.get(2)
                .is_some_and(|u| is_unit(&u.as_str().to_lowercase()) || short_unit(u.as_str()))
        })
    });
    unit || re(
        &RATE,
        r"(?i)\d\s*[a-z][a-z-]*(?:\s+(?:per|an?|each)\s+|\s*/\s*)(?:ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?)\b",
    )
    .is_some_and(|r| r.is_match(text))
}

/// Compact units written against the number: `30d`, `15m`, `2h`, `5s`.
fn short_unit(unit: &str) -> bool {
    matches!(unit, "d" | "m" | "h" | "s" | "w" | "y")
}

/// A limit held to a number: a comparison (under, at most, older than, reaches, `<`, `=`, …)
/// followed by a number, or a percentile with its number.
fn threshold(text: &str) -> bool {
    static CMP: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r"(?ix)
        (?:\b(?:under|below|over|above|within|exceeds?|exceeding|at\ most|at\ least|up\ to|no\ more\ than|not\ more\ than|no\ less\ than|less\ than|more\ than|fewer\ than|greater\ than|higher\ than|lower\ than|drops?\ below|rises?\ above|stays?\ (?:under|below|above|at)|remains?\ (?:under|below|above|at)|at\ or\ (?:above|below|under|over)|older\ than|newer\ than|longer\ than|shorter\ than|slower\ than|faster\ than|reach(?:es|ed)?|equals?)\b|<=?|>=?|≤|≥|==?)
        \s*(?:[a-z-]+\s+){0,2}?~?\d
      | \bp(?:50|75|90|95|99|999)\b[^.;]{0,20}?\d+\s*(?:ms|s|seconds?)\b";
    re(&CMP, pattern).is_some_and(|r| r.is_match(text))
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

fn http_method(text: &str) -> bool {
    METHODS.contains(&text.to_uppercase().as_str())
}

/// A path segment that is a parameter: `{clinicId}` or `:clinicId`.
fn is_parameter(segment: &str) -> bool {
    (segment.starts_with('{') && segment.ends_with('}')) || segment.starts_with(':')
}

/// The path part of an endpoint cell (`/v1/clinics?status=open` → `/v1/clinics`).
fn path_of(text: &str) -> &str {
    let text = text.split_whitespace().next().unwrap_or("");
    text.split(['?', '#']).next().unwrap_or(text)
}

fn is_version(segment: &str) -> bool {
    let mut chars = segment.chars();
    matches!(chars.next(), Some('v' | 'V'))
        && !segment[1..].is_empty()
        && segment[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn kebab(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Plural nouns that do not end in "s".
const IRREGULAR: &[&str] = &[
    "people", "children", "data", "media", "criteria", "men", "women", "feet", "mice",
];

/// Singular nouns that end in "s".
const SINGULAR_IN_S: &[&str] = &[
    "status", "address", "access", "process", "business", "analysis", "bus", "class",
];

/// Whether a word reads as a plural noun (`clinics`, `time-slots`, `people`).
pub fn plural(word: &str) -> bool {
    let last = word.rsplit('-').next().unwrap_or(word).to_lowercase();
    IRREGULAR.contains(&last.as_str())
        || (last.len() > 2 && last.ends_with('s') && !last.ends_with("ss") && !SINGULAR_IN_S.contains(&last.as_str()))
}

/// The path starts with a version segment (`/v1/…`, `/v2.1/…`).
fn versioned_path(text: &str) -> bool {
    let path = path_of(text);
    path.starts_with('/') && path.trim_start_matches('/').split('/').next().is_some_and(is_version)
}

/// What keeps `text` from being a path of lowercase kebab-case segments whose collections are
/// plural nouns (the version prefix is judged by `versioned_path`).
fn path_problems(text: &str) -> Vec<String> {
    let path = path_of(text);
    let mut problems = Vec::new();
    if !path.starts_with('/') {
        return vec![format!("a path that starts with / (\"{path}\" does not)")];
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    for (i, segment) in segments.iter().enumerate() {
        if is_parameter(segment) || (i == 0 && is_version(segment)) {
            continue;
        }
        if !kebab(segment) {
            problems.push(format!(
                "lowercase kebab-case in \"{segment}\" (such as \"{}\")",
                to_kebab(segment)
            ));
            continue;
        }
        let names_collection = segments.get(i + 1).is_some_and(|next| is_parameter(next));
        if names_collection && !plural(segment) {
            problems.push(format!("a plural noun for the collection \"{segment}\""));
        }
    }
    problems
}

/// `timeSlots` → `time-slots`, `Clinic` → `clinic`, `time_slots` → `time-slots`.
fn to_kebab(segment: &str) -> String {
    let mut out = String::new();
    for (i, c) in segment.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' || c == ' ' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

/// The path ends in a collection: its last segment is a plural noun, not a parameter.
fn collection_path(text: &str) -> bool {
    let path = path_of(text);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .is_some_and(|last| !last.is_empty() && !is_parameter(last) && !is_version(last) && plural(last))
}

/// An example path with at least one segment (`/invoices`, `/v1/ledgers/{id}`).
fn url_example(text: &str) -> bool {
    static URL: OnceLock<Option<Regex>> = OnceLock::new();
    re(&URL, r"(?:^|[\s(`'])/[A-Za-z0-9{:_-]+").is_some_and(|r| r.is_match(text))
}

/// Names a casing convention, or shows one in a code-style identifier.
fn names_casing(text: &str) -> bool {
    static CASE: OnceLock<Option<Regex>> = OnceLock::new();
    re(
        &CASE,
        r"(?i)\b(?:camel[-_ ]?case|snake[-_ ]?case|kebab[-_ ]?case|pascal[-_ ]?case|screaming[-_ ]snake|lower[-_ ]?case|upper[-_ ]?case|dash-case|spinal[-_ ]case)\b",
    )
    .is_some_and(|r| r.is_match(text))
}

/// An action verb that a permission can grant.
fn is_action(word: &str) -> bool {
    const VERBS: &[&str] = &[
        "create",
        "read",
        "view",
        "see",
        "list",
        "search",
        "get",
        "update",
        "edit",
        "change",
        "modify",
        "rename",
        "delete",
        "remove",
        "archive",
        "restore",
        "approve",
        "reject",
        "close",
        "reopen",
        "open",
        "invite",
        "manage",
        "administer",
        "export",
        "import",
        "download",
        "upload",
        "publish",
        "unpublish",
        "book",
        "cancel",
        "refund",
        "assign",
        "unassign",
        "configure",
        "reconcile",
        "submit",
        "comment",
        "sign",
        "pay",
        "issue",
        "revoke",
        "rotate",
        "run",
        "schedule",
        "reschedule",
        "send",
        "write",
        "grant",
        "suspend",
        "reset",
        "merge",
        "review",
        "audit",
        "transfer",
        "charge",
        "void",
        "lock",
        "unlock",
        "add",
        "post",
        "share",
        "access",
    ];
    VERBS.contains(&word)
}

/// Words between an action and what it acts on.
fn is_filler_word(word: &str) -> bool {
    const SKIP: &[&str] = &[
        "and", "or", "the", "a", "an", "their", "own", "its", "his", "her", "your", "our", "any", "every", "each",
        "all", "of", "to", "on", "in", "for", "other", "others'", "team", "new", "existing",
    ];
    SKIP.contains(&word)
}

/// Words that name no resource: a permission on them says nothing.
fn is_vague_object(word: &str) -> bool {
    const VAGUE: &[&str] = &[
        "everything",
        "anything",
        "something",
        "all",
        "stuff",
        "things",
        "thing",
        "access",
        "it",
        "them",
        "whatever",
        "what",
        "needed",
        "necessary",
        "allowed",
        "required",
        "permitted",
        "standard",
        "full",
        "limited",
        "basic",
        "normal",
        "usual",
        "some",
        "most",
        "resources",
        "features",
        "functionality",
        "functions",
        "operations",
        "actions",
        "permissions",
        "rights",
        "privileges",
        "system",
        "app",
        "application",
        "platform",
        "data",
    ];
    VAGUE.contains(&word)
}

/// Names at least one action on a named resource: `invoices:approve`, or a verb followed by
/// what it acts on ("create and edit ledgers"), where that is not "everything" or "access".
fn action_on_resource(text: &str) -> bool {
    static PERMISSION: OnceLock<Option<Regex>> = OnceLock::new();
    if re(&PERMISSION, r"\b[a-z][a-z0-9_-]{2,}[:.][a-z*][a-z0-9_*-]{2,}\b").is_some_and(|r| r.is_match(text)) {
        return true;
    }
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        is_action(w)
            && words[i + 1..]
                .iter()
                .find(|next| !is_action(next) && !is_filler_word(next))
                .is_some_and(|object| !is_vague_object(object) && !object.chars().all(|c| c.is_ascii_digit()))
    })
}

/// The phrase that puts the decision off, if any: "later", "next sprint", "TBD", "phase 2" …
fn deferral(text: &str) -> Option<&str> {
    static LATER: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r"(?ix)
        \b(?:later|eventually|someday|tbd|tbc|todo|to\ be\ (?:decided|determined|defined|confirmed|designed|added)
        | not\ (?:yet\ )?(?:decided|designed|defined|determined)|undecided|postpone[sd]?|postponing|defer(?:red|s)?
        | (?:next|a\ later|a\ future|the\ following|another|future|subsequent)\ (?:sprint|release|phase|iteration|version|quarter|milestone|pass|cycle)s?
        | (?:phase|stage)\ ?[2-9]\b
        | (?:in|for|until|till|with|by)\ (?:the\ )?(?:v|version)\ ?[2-9]\b
        | after\ (?:launch|go-live|the\ mvp|release|the\ release|beta)
        | follow-?up|in\ the\ future|down\ the\ road|for\ now|revisit)\b";
    re(&LATER, pattern).and_then(|r| r.find(text)).map(|m| m.as_str())
}

/// Number words that count as a figure ("two teams", "a hundred orders").
const NUMBER_WORDS: &str = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half|twice|double|triple|twofold|threefold|tenfold";

/// A figure: a number in digits that is not part of a name (`S3`, `EC2` and `OAuth2` are
/// names), or a number word.
fn quantified(text: &str) -> bool {
    static FIGURE: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = format!(r"(?i)(?:^|[^A-Za-z0-9_])\d|\b(?:{NUMBER_WORDS})\b");
    FIGURE
        .get_or_init(|| Regex::new(&pattern).ok())
        .as_ref()
        .is_some_and(|r| r.is_match(text))
}

/// A time frame (`until …`, `within …`, `in the first year`, `by March`, `per month`) or a
/// scope that limits the claim (`only`, `at most`, `except`, `limited to`).
fn time_or_scope(text: &str) -> bool {
    static LIMIT: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r"(?ix)
        \b(?:until|till|before|after|during|while|within|throughout|by\ the\ end\ of|no\ later\ than)\b
      | \b(?:first|next|this|each|every|per|a|one|coming|current|whole)\ (?:day|night|week|month|quarter|year|season|release|sprint|phase|peak)s?\b
      | \b(?:daily|nightly|weekly|monthly|quarterly|yearly|annually)\b
      | \b(?:january|february|march|april|june|july|august|september|october|november|december|q[1-4])\b
      | \b(?:only|except|excluding|apart\ from|other\ than|limited\ to|restricted\ to|at\ most|at\ least|up\ to|no\ more\ than|no\ fewer\ than|fewer\ than|less\ than|more\ than)\b";
    re(&LIMIT, pattern).is_some_and(|r| r.is_match(text))
}

/// A bound on a claim: a figure, a time frame or a limited scope.
fn bounded(text: &str) -> bool {
    quantified(text) || time_or_scope(text)
}

/// A percentile (`p95`, `95th percentile`, `99% of scans`, the median) or the window a figure
/// is measured over (`monthly`, `per calendar month`, `over 28 days`).
fn percentile_or_window(text: &str) -> bool {
    static MEASURE: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r"(?ix)
        \bp(?:50|75|90|95|99|99\.9|999)\b
      | \b\d{2}(?:\.\d+)?(?:th|st|nd|rd)?\ percentile\b | \bmedian\b
      | \d(?:\.\d+)?\s?%\ of\b | \bpercent\ of\b
      | \b(?:hourly|daily|weekly|monthly|quarterly|yearly|annual(?:ly)?)\b
      | \b(?:per|each|every|a|an|over|in\ any|rolling|trailing|across)\s+(?:calendar\s+|rolling\s+|trailing\s+|the\s+(?:last\s+)?)?(?:\d+[-\ ]?)?(?:minute|hour|day|week|month|quarter|year)s?\b";
    re(&MEASURE, pattern).is_some_and(|r| r.is_match(text))
}

/// Says whether a figure is a target (aimed for) or a commitment (promised).
fn labelled_target(text: &str) -> bool {
    static LABEL: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r"(?i)\b(?:targets?|targeted|goals?|aims?|aimed|objectives?|slos?|slas?|commit(?:s|ted|ment|ments)?|contract(?:s|ed|ual|ually)?|promise[sd]?|guarantee[sd]?|assum(?:e|ed|es|ing|ption|ptions)|budgets?)\b";
    re(&LABEL, pattern).is_some_and(|r| r.is_match(text))
}

/// The drivers and mechanisms a design reason turns on: the team, the load, time, money,
/// consistency, rules from outside, and the parts that carry them.
fn drivers(text: &str) -> usize {
    static DRIVER: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r"(?ix)\b(
        teams? | engineers? | developers? | staff | on-?call | pipelines? | deploy(?:s|ed|ing|ment|ments|able|ables)? | releases?
      | transactions? | transactional | consisten(?:t|cy) | latenc(?:y|ies) | throughput | peaks? | bursts? | load | traffic
      | requests? | connections? | quer(?:y|ies) | databases? | postgres(?:ql)? | mysql | queues? | caches? | cached | replicas?
      | index(?:es)? | partitions? | schemas? | tables? | outbox | locks? | proxy | joins?
      | costs? | bills? | budgets? | spend | pric(?:e|es|ing) | expensive | cheap(?:er)? | licen[cs](?:e|es|ing) | vendors? | lock-in
      | complian(?:ce|t) | regulat(?:ed|ion|ions|or|ors) | audit(?:s|ors|ed|ing)? | gdpr | hipaa | pci | residency | regions?
      | tenants? | outages? | failures? | downtime | migrat(?:e|ed|ion|ions|ing) | backlog | cold\ starts? | memory | cpu | storage
      | bandwidth | reads? | writes? | written | clients? | partners? | contracts? | hops? | network | round-?trips?
      )\b";
    let Some(r) = re(&DRIVER, pattern) else {
        return 0;
    };
    let mut seen: Vec<String> = r
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase().trim_end_matches('s').to_string())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// A reason that names what it turns on: a figure, or at least two of the design's drivers
/// and mechanisms. "Too complex" and "not a good fit for the team" name neither.
fn names_reason(text: &str) -> bool {
    text.split_whitespace().count() >= 3 && (quantified(text) || drivers(text) >= 2)
}

/// The word that makes a component's name or responsibility a catch-all, if any: an object
/// that is everything and nothing ("anything", "misc"), or a name made only of catch-all and
/// generic words ("shared utils", "common-service", "core").
fn catch_all(text: &str) -> Option<String> {
    const NOTHING_IN_PARTICULAR: &[&str] = &[
        "anything",
        "everything",
        "whatever",
        "various",
        "misc",
        "miscellaneous",
        "stuff",
        "things",
        "etc",
    ];
    const CATCH_ALL: &[&str] = &[
        "common",
        "commons",
        "shared",
        "share",
        "util",
        "utils",
        "utility",
        "utilities",
        "helper",
        "helpers",
        "general",
        "generic",
        "core",
        "base",
        "lib",
        "libs",
        "library",
        "libraries",
        "tool",
        "tools",
        "toolkit",
        "toolbox",
        "other",
        "others",
        "global",
        "central",
        "functionality",
        "functions",
        "logic",
        "code",
        "infra",
        "infrastructure",
        "framework",
        "foundation",
        "plumbing",
        "purpose",
    ];
    const GENERIC: &[&str] = &[
        "service",
        "services",
        "svc",
        "module",
        "modules",
        "component",
        "components",
        "layer",
        "layers",
        "package",
        "packages",
        "pkg",
        "api",
        "apis",
        "system",
        "backend",
        "server",
        "app",
        "application",
        "manager",
        "handler",
        "handlers",
        "engine",
        "hub",
        "platform",
        "and",
        "or",
        "of",
        "the",
        "for",
        "a",
        "an",
        "to",
        "in",
        "on",
        "by",
        "with",
        "used",
        "across",
        "between",
        "all",
        "every",
        "each",
        "any",
        "that",
        "which",
        "is",
        "are",
        "we",
        "our",
        "needs",
        "need",
        "needed",
        "many",
        "several",
        "multiple",
        "two",
        "more",
        "than",
        "one",
        "it",
    ];
    // Split on anything but letters and digits, and between a lower-case and an upper-case
    // letter (`SharedUtils` is two words).
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_lowercase();
            word.extend(c.to_lowercase());
        } else {
            prev_lower = false;
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    if let Some(w) = words.iter().find(|w| NOTHING_IN_PARTICULAR.contains(&w.as_str())) {
        return Some(w.clone());
    }
    let content = words
        .iter()
        .any(|w| !CATCH_ALL.contains(&w.as_str()) && !GENERIC.contains(&w.as_str()));
    if content {
        return None;
    }
    words
        .iter()
        .find(|w| CATCH_ALL.contains(&w.as_str()))
        .cloned()
        .or_else(|| {
            // Only generic words: "service", "platform layer".
            (!words.is_empty()).then(|| text.trim().to_string())
        })
}

/// Names the option a choice was weighed against: "instead of", "rather than", "than",
/// "compared with", "would need …" (what the other option would have cost).
fn names_alternative(text: &str) -> bool {
    static AGAINST: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = r"(?ix)\b(?:instead\ of|rather\ than|than|compared\ (?:with|to)|versus|vs|alternatives?|unlike|beats?
        | would\ (?:need|mean|require|cost|add|force|take|double))\b";
    re(&AGAINST, pattern).is_some_and(|r| r.is_match(text))
}

/// A length of time: a number (digits or a word, or "a") with a time unit or a count of
/// releases (`90 days`, `6 months`, `one full release`, `a quarter`). The short units (`30d`)
/// follow digits only, and a word is apart from its unit, so "and" and "any" are not "an d"
/// and "an y".
fn duration(text: &str) -> bool {
    static LENGTH: OnceLock<Option<Regex>> = OnceLock::new();
    let units = "minutes?|hours?|days?|weeks?|months?|quarters?|years?|releases?|versions?|sprints?";
    let pattern = format!(
        r"(?i)\d+(?:[.,]\d+)?[\s-]*(?:full\s+|calendar\s+|whole\s+)?(?:{units}|d|w|mo|y)\b|\b(?:{NUMBER_WORDS}|a|an)[\s-]+(?:full\s+|calendar\s+|whole\s+)?(?:{units})\b"
    );
    LENGTH
        .get_or_init(|| Regex::new(&pattern).ok())
        .as_ref()
        .is_some_and(|r| r.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(shape: Shape, text: &str) -> bool {
        shape.holds(text)
    }

    #[test]
    fn fields_are_code_style_names_not_prose() {
        for good in [
            "RFC 9457 problem details: { type, title, status, detail, instance }",
            "a JSON body with `code` and `message`",
            "errors[] with field and code",
            "the requestId of the call",
            "an error_code string",
        ] {
            assert!(holds(Shape::NamesField, good), "{good}");
        }
        for vague in [
            "Standard error responses.",
            "Errors are returned consistently in a clear format.",
        ] {
            assert!(!holds(Shape::NamesField, vague), "{vague}");
        }
    }

    #[test]
    fn status_codes_are_not_quantities() {
        assert!(holds(Shape::NamesStatusCode, "422 for validation failures"));
        assert!(holds(Shape::NamesStatusCode, "HTTP 404 when missing"));
        assert!(!holds(
            Shape::NamesStatusCode,
            "p95 under 300 ms and 200 requests per second"
        ));
        assert!(!holds(Shape::NamesStatusCode, "Standard error responses."));
    }

    #[test]
    fn permissions_name_an_action_on_a_resource() {
        for good in [
            "create, edit and close ledgers; read reports",
            "appointments:book, appointments:cancel",
            "approve refunds",
            "read their own invoices",
        ] {
            assert!(holds(Shape::ActionOnResource, good), "{good}");
        }
        for vague in [
            "full access",
            "standard access",
            "everything",
            "manage everything",
            "all permissions",
            "admin rights",
            "can do most things",
        ] {
            assert!(!holds(Shape::ActionOnResource, vague), "{vague}");
        }
    }

    #[test]
    fn numbers_need_units_and_thresholds_need_limits() {
        assert!(holds(Shape::NumberWithUnit, "15 minutes, refreshed for 30 days"));
        assert!(holds(Shape::NumberWithUnit, "600 requests per minute"));
        assert!(holds(Shape::NumberWithUnit, "99.9% monthly"));
        assert!(holds(Shape::NumberWithUnit, "400 reservations per second at peak"));
        assert!(holds(Shape::NumberWithUnit, "20 orders/minute"));
        assert!(!holds(Shape::NumberWithUnit, "short-lived tokens, refreshed regularly"));
        assert!(!holds(Shape::NumberWithUnit, "3 replicas per region"));
        assert!(holds(Shape::Threshold, "error rate under 1% for 30 minutes"));
        assert!(holds(Shape::Threshold, "p95 latency stays below 300 ms"));
        assert!(holds(Shape::Threshold, "5xx > 2%"));
        assert!(holds(Shape::Threshold, "oldest pending event older than 10 minutes"));
        assert!(holds(Shape::Threshold, "mismatches stay at 0 for three nights"));
        assert!(holds(Shape::Threshold, "disk usage reaches 80% of its budget"));
        assert!(holds(Shape::Threshold, "queue depth = 0 after the drain"));
        assert!(!holds(Shape::Threshold, "metrics look healthy"));
        assert!(!holds(Shape::Threshold, "the backlog is older than usual"));
        assert!(!holds(Shape::Threshold, "no errors in the dashboards"));
    }

    #[test]
    fn methods_are_real_http_methods() {
        assert!(holds(Shape::HttpMethod, "get"));
        assert!(holds(Shape::HttpMethod, "PATCH"));
        assert!(!holds(Shape::HttpMethod, "FETCH"));
        assert!(!holds(Shape::HttpMethod, "UPSERT"));
    }

    #[test]
    fn paths_are_plural_kebab_case_under_the_version_prefix() {
        assert!(holds(Shape::VersionedPath, "/v1/clinics"));
        assert!(!holds(Shape::VersionedPath, "/clinics/v1"));
        assert!(holds(Shape::ResourcePath, "/v1/clinics/{clinicId}/time-slots"));
        assert!(holds(
            Shape::ResourcePath,
            "/v1/appointments/{appointmentId}/cancellation"
        ));
        assert!(holds(Shape::ResourcePath, "/v2/me"));
        let problems = Shape::ResourcePath.lacking("/v1/Clinic/{clinicId}/timeSlots");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("\"clinic\""), "{problems:?}");
        assert!(problems[1].contains("time-slots"), "{problems:?}");
        assert!(!holds(Shape::ResourcePath, "/v1/clinic/{clinicId}"));
        assert!(holds(Shape::ResourcePath, "/clinics"));
        assert!(!holds(Shape::VersionedPath, "/clinics"));
        assert!(!holds(Shape::ResourcePath, "/v1/time_slots"));
        assert!(holds(Shape::CollectionPath, "/v1/clinics/{clinicId}/time-slots"));
        assert!(!holds(Shape::CollectionPath, "/v1/clinics/{clinicId}"));
        assert!(!holds(Shape::CollectionPath, "/v1/me"));
    }

    #[test]
    fn conventions_show_a_path_and_a_casing() {
        let vague = "Endpoints follow the usual REST conventions that the team already knows well.";
        assert!(!holds(Shape::UrlExample, vague));
        assert!(!holds(Shape::NamesCasing, vague));
        let concrete = "Plural kebab-case nouns (/ledger-entries); camelCase JSON fields.";
        assert!(holds(Shape::UrlExample, concrete));
        assert!(holds(Shape::NamesCasing, concrete));
    }

    #[test]
    fn deferrals_are_found_by_their_shape() {
        for later in [
            "add authentication in the next sprint",
            "auth TBD",
            "we will decide this later",
            "in phase 2",
            "after launch",
            "to be determined with security",
            "add rate limiting in v2",
        ] {
            assert!(!holds(Shape::NotDeferred, later), "{later}");
        }
        // A version named as a thing, not as a time, decides nothing later.
        assert!(holds(
            Shape::NotDeferred,
            "consumers move to the v2 envelope one at a time"
        ));
        assert!(holds(
            Shape::NotDeferred,
            "JWT from Auth0, 15 minutes; refresh tokens rotate on use"
        ));
    }

    #[test]
    fn figures_are_numbers_not_names() {
        for good in [
            "150 scans per second",
            "two teams of five",
            "about 500 GB a year",
            "TLS 1.2",
        ] {
            assert!(holds(Shape::Quantified, good), "{good}");
        }
        for vague in [
            "Busy in the mornings and growing fast.",
            "Thousands of users",
            "Stored in S3 behind EC2",
        ] {
            assert!(!holds(Shape::Quantified, vague), "{vague}");
        }
    }

    #[test]
    fn bounds_are_a_figure_a_scope_or_a_time() {
        for good in [
            "At most 50 requests per second in the first year",
            "EU merchants only",
            "The dispatch system keeps sending nightly files until it is replaced",
            "Partners can switch endpoints within a week of notice",
        ] {
            assert!(holds(Shape::Bounded, good), "{good}");
        }
        for vague in [
            "Traffic will stay manageable.",
            "The team can handle the load.",
            "Partners may cooperate with the migration.",
            "Users will not mind some downtime.",
        ] {
            assert!(!holds(Shape::Bounded, vague), "{vague}");
        }
    }

    #[test]
    fn targets_have_a_percentile_or_window_and_a_label() {
        for good in [
            "p95 under 300 ms",
            "99.9% per calendar month",
            "99% of scans within 2 minutes",
            "over 28 days",
        ] {
            assert!(holds(Shape::PercentileOrWindow, good), "{good}");
        }
        for vague in ["under 200 ms", "99.9% uptime", "fast and always available"] {
            assert!(!holds(Shape::PercentileOrWindow, vague), "{vague}");
        }
        for good in [
            "Target: p95 under 300 ms",
            "committed in merchant contracts",
            "SLO",
            "an assumption",
        ] {
            assert!(holds(Shape::LabelledTarget, good), "{good}");
        }
        assert!(!holds(Shape::LabelledTarget, "p95 under 300 ms and 99.9% monthly"));
    }

    #[test]
    fn reasons_name_a_figure_or_two_drivers() {
        for good in [
            "Four pipelines and more on-call load for two teams.",
            "Each invocation opens database connections that exhaust PostgreSQL at peak.",
            "Replicas relieve reads but not writes, whose importer falls 40 minutes behind.",
        ] {
            assert!(holds(Shape::NamesReason, good), "{good}");
        }
        for vague in [
            "Too complex.",
            "Not a good fit for the team.",
            "Overkill for what we need right now.",
            "It adds too many moving parts.",
        ] {
            assert!(!holds(Shape::NamesReason, vague), "{vague}");
        }
    }

    #[test]
    fn names_are_specific_not_catch_alls() {
        for good in [
            "ingestion",
            "merchant-api",
            "support-console",
            "shared-auth",
            "Apply scans to shipments",
        ] {
            assert!(holds(Shape::SpecificName, good), "{good}");
        }
        for vague in [
            "Shared Utils",
            "common-service",
            "core",
            "SharedUtils",
            "helpers",
            "platform",
            "Anything two modules need",
            "Misc jobs",
        ] {
            assert!(!holds(Shape::SpecificName, vague), "{vague}");
        }
        assert!(Shape::SpecificName.lacking("common-service")[0].contains("\"common\""));
    }

    #[test]
    fn alternatives_and_durations() {
        assert!(holds(
            Shape::NamesAlternative,
            "Kubernetes instead of ECS, because the platform team runs it"
        ));
        assert!(holds(
            Shape::NamesAlternative,
            "a read replica would need a second cache"
        ));
        assert!(!holds(
            Shape::NamesAlternative,
            "Kubernetes is where the industry is going."
        ));
        for good in ["90 days", "one full release", "6 months after v2", "a quarter", "30d"] {
            assert!(holds(Shape::Duration, good), "{good}");
        }
        for vague in [
            "All clients switch on a flag day in March.",
            "until everyone has moved",
            "None.",
            "Old and new versions run side by side until clients move.",
            "We follow semantic versioning and announce removals in the changelog.",
            "Any client may stay on it for a while.",
        ] {
            assert!(!holds(Shape::Duration, vague), "{vague}");
        }
    }
}
