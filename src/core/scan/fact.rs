//! What the scan finds: facts about the project (runtime, database, auth…), each with the
//! file, line and text that shows it, and how strongly it shows it.
use serde::{Deserialize, Serialize};

use crate::core::fsio::sanitize;

/// How a caller proves who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    Jwt,
    Session,
    OAuth,
    ApiKeys,
}

/// How permissions are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthzModel {
    Rbac,
    Abac,
    Ownership,
}

/// The style of API the backend exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiStyle {
    Rest,
    GraphQl,
    Grpc,
    Trpc,
}

/// How code reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataStyle {
    /// An ORM that maps rows to objects kept apart from persistence (`Hibernate`, `SQLAlchemy`, `Prisma`).
    Orm,
    /// Models that save themselves (`ActiveRecord`, `Eloquent`, the Django ORM, `Mongoose`).
    ActiveRecord,
    QueryBuilder,
    /// A driver with hand-written SQL.
    Driver,
}

/// One fact about the project. Names are the technology's usual spelling (`PostgreSQL`,
/// `FastAPI`), never the text found, so facts from different files agree.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "concern", rename_all = "snake_case")]
pub enum Fact {
    Language {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<String>,
    },
    Framework {
        name: String,
        language: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<String>,
    },
    Database {
        engine: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<String>,
    },
    /// A broker or cache: Redis, `RabbitMQ`, Kafka, SQS, NATS.
    Queue {
        name: String,
    },
    DataAccess {
        library: String,
        style: DataStyle,
    },
    Migrations {
        tool: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        folder: Option<String>,
    },
    Auth {
        method: AuthMethod,
        library: String,
    },
    IdentityProvider {
        name: String,
    },
    Authz {
        model: AuthzModel,
        library: String,
    },
    /// A repository-layer convention (classes or folders named for repositories).
    Repositories,
    Api {
        style: ApiStyle,
        library: String,
    },
    Endpoint {
        method: String,
        path: String,
    },
    /// A version segment at the start of routes: "/v1", "/api/v2".
    VersionPrefix {
        prefix: String,
    },
    Jobs {
        library: String,
    },
    RateLimit {
        library: String,
    },
    Cors {
        library: String,
    },
    RequestId {
        library: String,
    },
    Logging {
        library: String,
    },
    Tracing {
        library: String,
    },
    Metrics {
        library: String,
    },
    Integration {
        name: String,
    },
}

/// How strongly a finding shows its fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// A hint only: a development-only dependency, a folder name, a version file.
    Hint,
    /// Declared in a manifest, or used in code, but not both.
    Declared,
    /// Used in code (an import, a route, a call).
    Used,
    /// Stated by configuration: a compose service, a connection URL, a schema file.
    Configured,
}

/// Where a fact was seen: a file relative to the project root, a line (1-based) and the text
/// on it, sanitised and shortened. Documents also name the heading the text stands under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub file: String,
    pub line: u32,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
}

/// The longest piece of found text kept as evidence, in characters.
pub const EVIDENCE_CHARS: usize = 160;

impl Evidence {
    /// Evidence from untrusted text: sanitised, trimmed, and cut to `EVIDENCE_CHARS`.
    pub fn new(file: &str, line: u32, text: &str) -> Evidence {
        Evidence {
            file: sanitize(file).into_owned(),
            line,
            text: bounded(text),
            heading: None,
        }
    }
}

/// `text` on one line, sanitised and at most `EVIDENCE_CHARS` characters (with an ellipsis when cut).
pub fn bounded(text: &str) -> String {
    let one = sanitize(text.trim()).replace(['\n', '\t'], " ");
    if one.chars().count() <= EVIDENCE_CHARS {
        return one;
    }
    let mut cut: String = one.chars().take(EVIDENCE_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// A fact and what shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    pub fact: Fact,
    pub strength: Strength,
    pub evidence: Evidence,
}

impl Fact {
    /// The fact with every name in it sanitised and bounded: paths, versions and prefixes are
    /// repository text.
    fn sanitised(mut self) -> Fact {
        let clean = |s: &mut String| *s = bounded(s);
        match &mut self {
            Fact::Language { name, version } | Fact::Database { engine: name, version } => {
                clean(name);
                if let Some(v) = version {
                    clean(v);
                }
            }
            Fact::Framework {
                name,
                language,
                version,
            } => {
                clean(name);
                clean(language);
                if let Some(v) = version {
                    clean(v);
                }
            }
            Fact::Migrations { tool, folder } => {
                clean(tool);
                if let Some(f) = folder {
                    clean(f);
                }
            }
            Fact::Endpoint { method, path } => {
                clean(method);
                clean(path);
            }
            Fact::Queue { name } | Fact::IdentityProvider { name } | Fact::Integration { name } => clean(name),
            Fact::VersionPrefix { prefix } => clean(prefix),
            Fact::DataAccess { library, .. }
            | Fact::Auth { library, .. }
            | Fact::Authz { library, .. }
            | Fact::Api { library, .. }
            | Fact::Jobs { library }
            | Fact::RateLimit { library }
            | Fact::Cors { library }
            | Fact::RequestId { library }
            | Fact::Logging { library }
            | Fact::Tracing { library }
            | Fact::Metrics { library } => clean(library),
            Fact::Repositories => {}
        }
        self
    }
}

impl Finding {
    pub fn new(fact: Fact, strength: Strength, evidence: Evidence) -> Finding {
        Finding {
            fact: fact.sanitised(),
            strength,
            evidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_sanitised_and_bounded() {
        let e = Evidence::new("a\u{1b}b.js", 3, &format!("x\u{1b}[31m{}", "y".repeat(400)));
        assert!(!e.file.contains('\u{1b}'));
        assert!(!e.text.contains('\u{1b}'));
        assert_eq!(e.text.chars().count(), EVIDENCE_CHARS);
        assert!(e.text.ends_with('…'));
    }
}
