//! What every ecosystem shares: compose files, connection settings, Dockerfiles, `OpenAPI`,
//! GraphQL and protobuf schemas, migration and repository folders, endpoints and version
//! prefixes, and code patterns that mean the same in any language (role checks, request ids).
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod, AuthzModel, Evidence, Fact, Finding, Strength};
use super::node::{language_version, short_version};
use super::walk::FileEntry;
use super::{Family, SourceFile};

pub const FAMILY: Family = Family {
    language: "",
    is_manifest,
    extensions: &["graphql", "graphqls", "gql", "proto"],
    manifest,
    source: schema_file,
};

fn is_manifest(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let yaml_or_json = lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json");
    ((lower.starts_with("docker-compose") || lower.starts_with("compose"))
        && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
        || (lower.starts_with(".env.") && !lower.ends_with(".local"))
        || lower == "env.example"
        || ((lower.starts_with("openapi") || lower.starts_with("swagger") || lower.contains(".openapi."))
            && yaml_or_json)
        || lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || matches!(
            lower.as_str(),
            "config.yaml" | "config.yml" | "config.toml" | "config.json" | "settings.toml" | "settings.yaml"
        )
}

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    let lower = file.name().to_ascii_lowercase();
    if lower.contains("dockerfile") {
        dockerfile(file, out);
    } else if lower.starts_with("docker-compose") || lower.starts_with("compose") {
        compose(file, out);
    } else if lower.starts_with("openapi") || lower.starts_with("swagger") || lower.contains(".openapi.") {
        openapi(file, out);
    }
    connection_urls(file, out);
}

/// Images and what they are: compose services and Dockerfile base images.
const IMAGES: &[(&str, &str)] = &[
    ("postgres", "PostgreSQL"),
    ("postgis", "PostgreSQL"),
    ("timescaledb", "PostgreSQL"),
    ("mysql", "MySQL"),
    ("mariadb", "MariaDB"),
    ("mongo", "MongoDB"),
    ("mongodb", "MongoDB"),
    ("mssql", "SQL Server"),
    ("server", "SQL Server"),
    ("cockroach", "CockroachDB"),
    ("cassandra", "Cassandra"),
    ("redis", "Redis"),
    ("valkey", "Redis"),
    ("rabbitmq", "RabbitMQ"),
    ("kafka", "Kafka"),
    ("cp-kafka", "Kafka"),
    ("redpanda", "Kafka"),
    ("nats", "NATS"),
    ("keycloak", "Keycloak"),
    ("jaeger", "Jaeger"),
    ("all-in-one", "Jaeger"),
    ("opentelemetry-collector", "OpenTelemetry"),
    ("opentelemetry-collector-contrib", "OpenTelemetry"),
    ("prometheus", "Prometheus"),
];

fn image_fact(image: &str, tag: Option<&str>) -> Option<Fact> {
    let base = image.rsplit('/').next().unwrap_or(image).to_ascii_lowercase();
    // `mcr.microsoft.com/mssql/server` is SQL Server; a bare `server` image is not.
    if base == "server" && !image.contains("mssql") {
        return None;
    }
    let (_, what) = IMAGES.iter().find(|(name, _)| *name == base)?;
    let version = tag.filter(|t| *t != "latest").and_then(short_version);
    Some(match *what {
        "Redis" | "RabbitMQ" | "Kafka" | "NATS" => Fact::Queue { name: (*what).into() },
        "Keycloak" => Fact::IdentityProvider { name: (*what).into() },
        "Jaeger" | "OpenTelemetry" => Fact::Tracing {
            library: (*what).into(),
        },
        "Prometheus" => Fact::Metrics {
            library: (*what).into(),
        },
        engine => Fact::Database {
            engine: engine.into(),
            version,
        },
    })
}

static IMAGE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*image:\s*['"]?([\w./-]+)(?::([\w.-]+))?"#).ok());

fn compose(file: &SourceFile, out: &mut Vec<Finding>) {
    let Some(image) = IMAGE.as_ref() else { return };
    for (n, line) in file.lines() {
        if let Some(cap) = image.captures(line)
            && let Some(fact) = image_fact(&cap[1], cap.get(2).map(|m| m.as_str()))
        {
            out.push(Finding::new(fact, Strength::Configured, file.evidence(n, line)));
        }
    }
}

/// Language images in `FROM` lines give the runtime's version.
const LANGUAGE_IMAGES: &[(&str, &str)] = &[
    ("node", "Node.js"),
    ("python", "Python"),
    ("golang", "Go"),
    ("eclipse-temurin", "Java"),
    ("openjdk", "Java"),
    ("amazoncorretto", "Java"),
    ("rust", "Rust"),
    ("ruby", "Ruby"),
    ("php", "PHP"),
    ("aspnet", ".NET"),
    ("sdk", ".NET"),
    ("bun", "Bun"),
];

static FROM: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*FROM\s+(?:--platform=\S+\s+)?([\w./-]+):([\w.-]+)").ok());

fn dockerfile(file: &SourceFile, out: &mut Vec<Finding>) {
    let Some(from) = FROM.as_ref() else { return };
    for (n, line) in file.lines() {
        let Some(cap) = from.captures(line) else { continue };
        let base = cap[1].rsplit('/').next().unwrap_or(&cap[1]).to_ascii_lowercase();
        if let Some((_, language)) = LANGUAGE_IMAGES.iter().find(|(i, _)| *i == base)
            && (base != "sdk" && base != "aspnet" || cap[1].contains("dotnet"))
        {
            out.push(Finding::new(
                Fact::Language {
                    name: (*language).into(),
                    version: language_version(&cap[2]),
                },
                Strength::Hint,
                file.evidence(n, line),
            ));
        }
    }
}

static URL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:jdbc:)?(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|sqlite3?|sqlserver|mssql|cockroachdb|nats)(?:\+\w+)?(?::|://)")
        .ok()
});

/// Connection URLs in configuration (`DATABASE_URL=postgres://…`, `jdbc:mysql://…`).
pub fn connection_urls(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(url), Some(setting)) = (URL.as_ref(), SETTING.as_ref()) else {
        return;
    };
    for (n, line) in file.lines() {
        if let Some(cap) = setting.captures(line) {
            let engine = match cap[1].to_ascii_lowercase().as_str() {
                "postgresql" | "postgres" | "pgsql" => "PostgreSQL",
                "mysql" | "mysql2" => "MySQL",
                "mariadb" => "MariaDB",
                "sqlite" | "sqlite3" => "SQLite",
                "sqlserver" | "sqlsrv" => "SQL Server",
                "cockroachdb" => "CockroachDB",
                _ => "MongoDB",
            };
            out.push(Finding::new(
                Fact::Database {
                    engine: engine.into(),
                    version: None,
                },
                Strength::Configured,
                masked(file, n, line),
            ));
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') && !trimmed.contains('=') {
            continue;
        }
        for cap in url.captures_iter(line) {
            let scheme = cap[1].to_ascii_lowercase();
            let fact = match scheme.as_str() {
                "postgres" | "postgresql" => Fact::Database {
                    engine: "PostgreSQL".into(),
                    version: None,
                },
                "cockroachdb" => Fact::Database {
                    engine: "CockroachDB".into(),
                    version: None,
                },
                "mysql" => Fact::Database {
                    engine: "MySQL".into(),
                    version: None,
                },
                "mariadb" => Fact::Database {
                    engine: "MariaDB".into(),
                    version: None,
                },
                "sqlite" | "sqlite3" => Fact::Database {
                    engine: "SQLite".into(),
                    version: None,
                },
                "sqlserver" | "mssql" => Fact::Database {
                    engine: "SQL Server".into(),
                    version: None,
                },
                s if s.starts_with("mongodb") => Fact::Database {
                    engine: "MongoDB".into(),
                    version: None,
                },
                "redis" | "rediss" => Fact::Queue { name: "Redis".into() },
                "amqp" | "amqps" => Fact::Queue {
                    name: "RabbitMQ".into(),
                },
                "nats" => Fact::Queue { name: "NATS".into() },
                _ => continue,
            };
            out.push(Finding::new(fact, Strength::Configured, masked(file, n, line)));
        }
    }
}

static SETTING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:adapter|DB_CONNECTION|DB_DRIVER|DATABASE_ENGINE|DB_DIALECT|dialect|provider)\s*[:=]\s*['"]?(postgresql|postgres|pgsql|mysql2?|mariadb|sqlite3?|sqlserver|sqlsrv|mongodb|cockroachdb)\b"#).ok()
});

static CREDENTIALS: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"://([^:/@\s]+):([^@/\s]+)@").ok());

/// Evidence with any password in a URL replaced by `***`: configuration may hold real secrets.
pub fn masked(file: &SourceFile, line: u32, text: &str) -> Evidence {
    let text = CREDENTIALS
        .as_ref()
        .map_or(text.to_string(), |re| re.replace_all(text, "://$1:***@").into_owned());
    file.evidence(line, &text)
}

static OPENAPI_PATH: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s{2}['"]?(/[^'":\s]*)['"]?:\s*$"#).ok());
static OPENAPI_METHOD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s{4}(get|post|put|patch|delete|head|options):\s*$").ok());
static SERVER_URL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"url:\s*['"]?(?:https?://[^/\s'"]+)?(/[^\s'"]*)"#).ok());

fn openapi(file: &SourceFile, out: &mut Vec<Finding>) {
    let Some((n, line)) = file
        .lines()
        .find(|(_, l)| l.contains("openapi") || l.contains("swagger"))
        .filter(|(_, l)| {
            let t = l.trim_start().trim_start_matches(['"', '{']).trim_start();
            t.starts_with("openapi") || t.starts_with("swagger")
        })
    else {
        return;
    };
    out.push(Finding::new(
        Fact::Api {
            style: ApiStyle::Rest,
            library: "OpenAPI".into(),
        },
        Strength::Configured,
        file.evidence(n, line),
    ));
    if file.name().ends_with(".json") {
        openapi_json(file, out);
        return;
    }
    let (Some(path_re), Some(method_re), Some(server)) =
        (OPENAPI_PATH.as_ref(), OPENAPI_METHOD.as_ref(), SERVER_URL.as_ref())
    else {
        return;
    };
    let mut in_paths = false;
    let mut current: Option<String> = None;
    for (n, line) in file.lines() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            in_paths = line.starts_with("paths:");
            current = None;
        }
        if let Some(cap) = server.captures(line) {
            version_prefix(&cap[1], file.evidence(n, line), out);
        }
        if !in_paths {
            continue;
        }
        if let Some(cap) = path_re.captures(line) {
            current = Some(cap[1].to_string());
        } else if let (Some(path), Some(cap)) = (&current, method_re.captures(line)) {
            endpoint(&cap[1], path, file.evidence(n, line), out);
        }
    }
}

fn openapi_json(file: &SourceFile, out: &mut Vec<Finding>) {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(file.text) else {
        return;
    };
    if let Some(paths) = json.get("paths").and_then(serde_json::Value::as_object) {
        for (path, item) in paths {
            let evidence = file.evidence_at(&format!("\"{path}\""));
            for method in item.as_object().into_iter().flat_map(|o| o.keys()) {
                if matches!(method.as_str(), "get" | "post" | "put" | "patch" | "delete") {
                    endpoint(method, path, evidence.clone(), out);
                }
            }
        }
    }
    for url in json
        .pointer("/servers")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(u) = url.get("url").and_then(serde_json::Value::as_str) {
            let path = u
                .split_once("://")
                .map_or(u, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
            version_prefix(path, file.evidence_at(u), out);
        }
    }
}

/// GraphQL schema files and protobuf service definitions.
fn schema_file(file: &SourceFile, out: &mut Vec<Finding>) {
    let proto = file.name().ends_with(".proto");
    for (n, line) in file.lines() {
        let t = line.trim_start();
        let hit = if proto {
            t.starts_with("service ") && t.contains('{')
        } else {
            t.starts_with("type Query")
                || t.starts_with("type Mutation")
                || t.starts_with("schema {")
                || t.starts_with("extend type Query")
        };
        if hit {
            let (style, library) = if proto {
                (ApiStyle::Grpc, "protobuf service")
            } else {
                (ApiStyle::GraphQl, "GraphQL schema")
            };
            out.push(Finding::new(
                Fact::Api {
                    style,
                    library: library.into(),
                },
                Strength::Configured,
                file.evidence(n, line),
            ));
            return;
        }
    }
}

/// `a` and `b` joined with one slash, starting with one.
pub fn join_path(a: &str, b: &str) -> String {
    let joined = format!("{}/{}", a.trim_end_matches('/'), b.trim_start_matches('/'));
    let trimmed = joined.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

/// An endpoint found in code or a schema (and the version prefix it starts with, if any).
pub fn endpoint(method: &str, path: &str, evidence: Evidence, out: &mut Vec<Finding>) {
    if path.contains("://") || path.len() > 200 {
        return;
    }
    let method = match method.to_ascii_uppercase().as_str() {
        "HANDLEFUNC" | "HANDLE" | "ALL" | "ANY" | "ROUTE" | "REQUEST" => "ANY".to_string(),
        m => m.to_string(),
    };
    let path = join_path("", path);
    version_prefix(&path, evidence.clone(), out);
    out.push(Finding::new(Fact::Endpoint { method, path }, Strength::Used, evidence));
}

static VERSION: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^/?((?:[\w-]+/){0,2}?v\d+)(?:/|$)").ok());

/// A version segment near the start of a path: "/api/v1/users" → "/api/v1".
pub fn version_prefix(path: &str, evidence: Evidence, out: &mut Vec<Finding>) {
    if let Some(cap) = VERSION.as_ref().and_then(|re| re.captures(path.trim())) {
        out.push(Finding::new(
            Fact::VersionPrefix {
                prefix: join_path("", &cap[1]),
            },
            Strength::Used,
            evidence,
        ));
    }
}

static ROLE_CHECK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:hasRole|hasAnyRole|hasAuthority|hasAnyAuthority|requireRole|requireRoles|require_role|roles_required|role_required|checkRole|check_role|authorizeRoles|RolesGuard|RolesAllowed)\b|@Roles\(|@Secured\(|\[Authorize\(\s*Roles\s*=").ok()
});
static REQUEST_ID: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)x-(?:request|correlation)-id").ok());
static API_KEY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\bx-api-key\b|APIKeyHeader|api_key_header|ApiKeyAuth").ok());
static PREFIX: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"\b(?:prefix|basePath|base_path|url_prefix|root_path)\s*[:=]\s*['"`](/?[\w/.-]*)['"`]"#).ok()
});

/// Patterns that mean the same in every language: role checks, request-id headers, API-key
/// headers, route prefixes.
pub fn markers(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(role), Some(request_id), Some(api_key), Some(prefix)) = (
        ROLE_CHECK.as_ref(),
        REQUEST_ID.as_ref(),
        API_KEY.as_ref(),
        PREFIX.as_ref(),
    ) else {
        return;
    };
    for (n, line) in file.lines() {
        if role.is_match(line) {
            out.push(Finding::new(
                Fact::Authz {
                    model: AuthzModel::Rbac,
                    library: "role checks".into(),
                },
                Strength::Used,
                file.evidence(n, line),
            ));
        }
        if request_id.is_match(line) {
            out.push(Finding::new(
                Fact::RequestId {
                    library: "X-Request-Id header".into(),
                },
                Strength::Used,
                file.evidence(n, line),
            ));
        }
        if api_key.is_match(line) {
            out.push(Finding::new(
                Fact::Auth {
                    method: AuthMethod::ApiKeys,
                    library: "API key header".into(),
                },
                Strength::Used,
                file.evidence(n, line),
            ));
        }
        if let Some(cap) = prefix.captures(line) {
            version_prefix(&cap[1], file.evidence(n, line), out);
        }
    }
}

/// Migration tools by the folder they keep their scripts in.
const MIGRATION_FOLDERS: &[(&str, &str)] = &[
    ("prisma/migrations", "Prisma Migrate"),
    ("alembic/versions", "Alembic"),
    ("migrations/versions", "Alembic"),
    ("db/migrate", "Active Record migrations"),
    ("resources/db/migration", "Flyway"),
    ("db/changelog", "Liquibase"),
    ("database/migrations", "Laravel migrations"),
    ("drizzle", "Drizzle Kit"),
];

/// Migration folders and repository layers, from the listing alone.
pub fn folders(dirs: &[String], files: &[FileEntry], out: &mut Vec<Finding>) {
    let mut per_dir: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for f in files {
        *per_dir
            .entry(f.rel.rsplit_once('/').map_or("", |(d, _)| d))
            .or_default() += 1;
    }
    let count = |dir: &str| per_dir.get(dir).copied().unwrap_or(0);
    for dir in dirs {
        let lower = dir.to_ascii_lowercase();
        let name = dir.rsplit('/').next().unwrap_or(dir);
        let tool = MIGRATION_FOLDERS
            .iter()
            .find(|(suffix, _)| lower == *suffix || lower.ends_with(&format!("/{suffix}")))
            .map(|(_, tool)| (*tool).to_string())
            .or_else(|| (name == "Migrations").then(|| "Entity Framework Core migrations".to_string()))
            .or_else(|| {
                // Django keeps numbered migrations beside each app's models.
                (name == "migrations"
                    && files
                        .iter()
                        .any(|f| f.rel.starts_with(&format!("{dir}/0001_")) && f.rel.ends_with(".py")))
                .then(|| "Django migrations".to_string())
            });
        let generic = name.eq_ignore_ascii_case("migrations") || name.eq_ignore_ascii_case("migration");
        if tool.is_none() && !generic {
            if lower.split('/').next_back().is_some_and(|n| n.starts_with("repositor")) {
                out.push(Finding::new(
                    Fact::Repositories,
                    Strength::Declared,
                    Evidence::new(&format!("{dir}/"), 0, "repository folder"),
                ));
            }
            continue;
        }
        let files_in = count(dir);
        if files_in == 0 {
            continue;
        }
        out.push(Finding::new(
            Fact::Migrations {
                tool: tool.clone().unwrap_or_default(),
                folder: Some(dir.clone()),
            },
            if tool.is_some() {
                Strength::Configured
            } else {
                Strength::Hint
            },
            Evidence::new(
                &format!("{dir}/"),
                0,
                &format!(
                    "migration folder with {files_in} file{}",
                    if files_in == 1 { "" } else { "s" }
                ),
            ),
        ));
    }
    for f in files {
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
        if (stem.ends_with("repository") || stem.ends_with("_repository") || stem.ends_with("repo") && stem.len() > 4)
            && !stem.starts_with("test")
        {
            out.push(Finding::new(
                Fact::Repositories,
                Strength::Used,
                Evidence::new(&f.rel, 0, "repository module"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_found_at_the_start_of_paths() {
        let mut out = Vec::new();
        let e = Evidence::new("a", 1, "x");
        version_prefix("/api/v1/users", e.clone(), &mut out);
        version_prefix("/v2", e.clone(), &mut out);
        version_prefix("/users/v1x", e.clone(), &mut out);
        version_prefix("/a/b/c/v1", e, &mut out);
        let prefixes: Vec<_> = out
            .iter()
            .map(|f| match &f.fact {
                Fact::VersionPrefix { prefix } => prefix.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(prefixes, ["/api/v1", "/v2"]);
    }

    #[test]
    fn passwords_in_connection_urls_are_masked() {
        let file = SourceFile::new(".env.example", "DATABASE_URL=postgres://app:s3cret@db:5432/app\n");
        let mut out = Vec::new();
        connection_urls(&file, &mut out);
        assert_eq!(out.len(), 1);
        assert!(out[0].evidence.text.contains("app:***@"), "{}", out[0].evidence.text);
        assert!(!out[0].evidence.text.contains("s3cret"));
    }

    #[test]
    fn compose_images_name_stores_and_versions() {
        let file = SourceFile::new(
            "docker-compose.yml",
            "services:\n  db:\n    image: postgres:16-alpine\n  cache:\n    image: redis:7\n",
        );
        let mut out = Vec::new();
        compose(&file, &mut out);
        assert_eq!(
            out[0].fact,
            Fact::Database {
                engine: "PostgreSQL".into(),
                version: Some("16".into())
            }
        );
        assert_eq!(out[0].evidence.line, 3);
        assert_eq!(out[1].fact, Fact::Queue { name: "Redis".into() });
    }
}
