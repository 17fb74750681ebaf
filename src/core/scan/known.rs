//! Tables of known libraries: a dependency or import name and the facts it shows, and the
//! shared machinery that turns a matched name into findings. Each ecosystem keeps its table.
use super::fact::{ApiStyle, AuthMethod, AuthzModel, DataStyle, Evidence, Fact, Finding, Strength};

/// One fact a library shows, with the technology's usual spelling.
#[derive(Debug, Clone, Copy)]
pub enum Known {
    Framework(&'static str),
    Database(&'static str),
    Queue(&'static str),
    Data(&'static str, DataStyle),
    Migrations(&'static str),
    Auth(AuthMethod, &'static str),
    Idp(&'static str),
    Authz(AuthzModel, &'static str),
    Api(ApiStyle, &'static str),
    Jobs(&'static str),
    RateLimit(&'static str),
    Cors(&'static str),
    RequestId(&'static str),
    Logging(&'static str),
    Tracing(&'static str),
    Metrics(&'static str),
    Integration(&'static str),
}

impl Known {
    /// The fact, for a library found under `name` (middleware is named by its package).
    pub fn fact(self, language: &str, name: &str) -> Fact {
        let s = |v: &str| v.to_string();
        match self {
            Known::Framework(name) => Fact::Framework {
                name: s(name),
                language: s(language),
                version: None,
            },
            Known::Database(engine) => Fact::Database {
                engine: s(engine),
                version: None,
            },
            Known::Queue(name) => Fact::Queue { name: s(name) },
            Known::Data(library, style) => Fact::DataAccess {
                library: s(library),
                style,
            },
            Known::Migrations(tool) => Fact::Migrations {
                tool: s(tool),
                folder: None,
            },
            Known::Auth(method, library) => Fact::Auth {
                method,
                library: s(library),
            },
            Known::Idp(name) => Fact::IdentityProvider { name: s(name) },
            Known::Authz(model, library) => Fact::Authz {
                model,
                library: s(library),
            },
            Known::Api(style, library) => Fact::Api {
                style,
                library: s(library),
            },
            Known::Jobs(l) => Fact::Jobs { library: s(l) },
            Known::RateLimit(_) => Fact::RateLimit { library: s(name) },
            Known::Cors(_) => Fact::Cors { library: s(name) },
            Known::RequestId(_) => Fact::RequestId { library: s(name) },
            Known::Logging(l) => Fact::Logging { library: s(l) },
            Known::Tracing(l) => Fact::Tracing { library: s(l) },
            Known::Metrics(l) => Fact::Metrics { library: s(l) },
            Known::Integration(n) => Fact::Integration { name: s(n) },
        }
    }

    /// Whether this fact marks a backend (a logging library alone does not).
    pub fn is_backend(self) -> bool {
        !matches!(self, Known::Logging(_) | Known::Integration(_))
    }
}

/// A library: the names it is declared or imported under, and what it shows.
pub struct Library {
    pub names: &'static [&'static str],
    pub facts: &'static [Known],
}

/// Shorthand for table rows.
pub const fn lib(names: &'static [&'static str], facts: &'static [Known]) -> Library {
    Library { names, facts }
}

/// Whether dependency or import `name` is `pattern`: equal (ignoring ASCII case), a sub-module
/// of it (`pattern` followed by `/`, `.`, `:` or `::`), or, for a pattern ending in `*`, any
/// name starting with what comes before the star.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    // `_` and `-` are one character to package managers that fold them (pip, cargo).
    let same = |a: &str, b: &str| {
        a.len() == b.len()
            && a.bytes()
                .zip(b.bytes())
                .all(|(x, y)| x.eq_ignore_ascii_case(&y) || (matches!(x, b'_' | b'-') && matches!(y, b'_' | b'-')))
    };
    if let Some(prefix) = pattern.strip_suffix('*') {
        return name.len() >= prefix.len()
            && name.is_char_boundary(prefix.len())
            && same(&name[..prefix.len()], prefix);
    }
    if same(name, pattern) {
        return true;
    }
    name.len() > pattern.len()
        && name.is_char_boundary(pattern.len())
        && same(&name[..pattern.len()], pattern)
        && matches!(name.as_bytes()[pattern.len()], b'/' | b'.' | b':')
}

/// The first library in `table` that `name` names.
/// The most specific library in `table` that `name` names (the longest matching pattern,
/// so `…:spring-boot-starter-data-jpa` wins over `org.springframework.boot`).
pub fn lookup<'a>(table: &'a [Library], name: &str) -> Option<&'a Library> {
    table
        .iter()
        .filter_map(|l| {
            let best = l
                .names
                .iter()
                .filter(|p| name_matches(p, name))
                .map(|p| p.len())
                .max()?;
            Some((best, l))
        })
        .fold(None, |acc: Option<(usize, &Library)>, (len, l)| match acc {
            Some((best, _)) if best >= len => acc,
            _ => Some((len, l)),
        })
        .map(|(_, l)| l)
}

/// Findings for every fact of the library `name` names, if any.
pub fn findings_for(
    table: &[Library],
    language: &str,
    name: &str,
    strength: Strength,
    evidence: &Evidence,
) -> Vec<Finding> {
    lookup(table, name)
        .map(|l| {
            l.facts
                .iter()
                .map(|k| Finding::new(k.fact(language, name), strength, evidence.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Libraries every ecosystem shares by name (services reached through SDKs of the same name).
pub const INTEGRATIONS: &[(&str, &str)] = &[
    ("stripe", "Stripe"),
    ("twilio", "Twilio"),
    ("sendgrid", "SendGrid"),
    ("mailgun", "Mailgun"),
    ("postmark", "Postmark"),
    ("resend", "Resend"),
    ("algolia", "Algolia"),
    ("segment", "Segment"),
    ("slack", "Slack"),
    ("openai", "OpenAI"),
    ("anthropic", "Anthropic"),
    ("firebase", "Firebase"),
    ("paypal", "PayPal"),
    ("braintree", "Braintree"),
    ("adyen", "Adyen"),
    ("plaid", "Plaid"),
    ("pusher", "Pusher"),
    ("cloudinary", "Cloudinary"),
    ("mixpanel", "Mixpanel"),
    ("hubspot", "HubSpot"),
    ("salesforce", "Salesforce"),
    ("shopify", "Shopify"),
    ("aws-sdk", "AWS"),
    ("boto3", "AWS"),
];

/// The integration a dependency name points at: a known service name as a whole word of it
/// (`stripe`, `@sendgrid/mail`, `stripe-go`, `com.stripe:stripe-java`).
pub fn integration(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    INTEGRATIONS.iter().find_map(|(key, service)| {
        let hit = lower
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .any(|w| w == *key || w.strip_suffix("-go").or_else(|| w.strip_suffix("-java")) == Some(key))
            || lower.contains(&format!("/{key}"))
            || lower.starts_with(&format!("{key}-"));
        hit.then_some(*service)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whole_modules_only() {
        assert!(name_matches("express", "express"));
        assert!(!name_matches("express", "express-session"));
        assert!(name_matches("sqlalchemy", "sqlalchemy.orm"));
        assert!(name_matches(
            "github.com/gin-gonic/gin",
            "github.com/gin-gonic/gin/binding"
        ));
        assert!(name_matches("@nestjs/*", "@nestjs/core"));
        assert!(name_matches(
            "org.springframework.security",
            "org.springframework.security.config.Customizer"
        ));
        assert!(!name_matches("pg", "pgx"));
    }

    #[test]
    fn integrations_are_whole_words() {
        assert_eq!(integration("stripe"), Some("Stripe"));
        assert_eq!(integration("@sendgrid/mail"), Some("SendGrid"));
        assert_eq!(integration("github.com/stripe/stripe-go/v76"), Some("Stripe"));
        assert_eq!(integration("stripes-ui"), None);
    }
}
