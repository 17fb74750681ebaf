//! Python: pyproject.toml (PEP 621 and Poetry), requirements files, Pipfile, lock files and
//! version files; imports, FastAPI/Flask/Django routes and settings.
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod as A, AuthzModel as Z, DataStyle as D, Fact, Finding, Strength};
use super::known::{Known as K, Library, findings_for, integration, lib, lookup};
use super::node::{language_version, short_version};
use super::{Family, SourceFile, config};

pub const LANGUAGE: &str = "Python";

pub const FAMILY: Family = Family {
    language: LANGUAGE,
    is_manifest,
    extensions: &["py"],
    manifest,
    source,
};

fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "pyproject.toml"
            | "Pipfile"
            | "Pipfile.lock"
            | "poetry.lock"
            | "uv.lock"
            | "setup.py"
            | "setup.cfg"
            | ".python-version"
            | "runtime.txt"
            | "alembic.ini"
    ) || (name.starts_with("requirements") && name.ends_with(".txt"))
}

pub static LIBRARIES: &[Library] = &[
    lib(&["fastapi"], &[K::Framework("FastAPI")]),
    lib(
        &["django"],
        &[K::Framework("Django"), K::Data("Django ORM", D::ActiveRecord)],
    ),
    lib(&["flask"], &[K::Framework("Flask")]),
    lib(&["starlette"], &[K::Framework("Starlette")]),
    lib(&["litestar"], &[K::Framework("Litestar")]),
    lib(&["sanic"], &[K::Framework("Sanic")]),
    lib(&["aiohttp"], &[K::Framework("aiohttp")]),
    lib(&["tornado"], &[K::Framework("Tornado")]),
    lib(&["falcon"], &[K::Framework("Falcon")]),
    lib(&["pyramid"], &[K::Framework("Pyramid")]),
    lib(&["quart"], &[K::Framework("Quart")]),
    lib(
        &["djangorestframework", "rest_framework"],
        &[K::Api(ApiStyle::Rest, "Django REST framework")],
    ),
    lib(&["django-ninja", "ninja"], &[K::Api(ApiStyle::Rest, "Django Ninja")]),
    lib(
        &["psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "asyncpg"],
        &[K::Database("PostgreSQL"), K::Data("psycopg", D::Driver)],
    ),
    lib(
        &[
            "pymysql",
            "mysqlclient",
            "mysqldb",
            "aiomysql",
            "mysql-connector-python",
            "asyncmy",
        ],
        &[K::Database("MySQL"), K::Data("MySQL driver", D::Driver)],
    ),
    lib(
        &["pymongo", "motor"],
        &[K::Database("MongoDB"), K::Data("PyMongo", D::Driver)],
    ),
    lib(
        &["beanie", "mongoengine", "odmantic"],
        &[K::Database("MongoDB"), K::Data("MongoDB ODM", D::ActiveRecord)],
    ),
    lib(&["cx-oracle", "oracledb"], &[K::Database("Oracle")]),
    lib(&["aiosqlite"], &[K::Database("SQLite")]),
    lib(&["redis", "aioredis"], &[K::Queue("Redis")]),
    lib(&["pika", "aio-pika", "aio_pika", "kombu"], &[K::Queue("RabbitMQ")]),
    lib(
        &[
            "kafka-python",
            "kafka",
            "confluent-kafka",
            "confluent_kafka",
            "aiokafka",
        ],
        &[K::Queue("Kafka")],
    ),
    lib(
        &["sqlalchemy", "flask-sqlalchemy", "flask_sqlalchemy"],
        &[K::Data("SQLAlchemy", D::Orm)],
    ),
    lib(&["sqlmodel"], &[K::Data("SQLModel", D::Orm)]),
    lib(
        &["tortoise-orm", "tortoise"],
        &[K::Data("Tortoise ORM", D::ActiveRecord)],
    ),
    lib(&["peewee"], &[K::Data("peewee", D::ActiveRecord)]),
    lib(&["ormar"], &[K::Data("ormar", D::Orm)]),
    lib(&["pypika", "databases"], &[K::Data("query builder", D::QueryBuilder)]),
    lib(
        &["alembic", "flask-migrate", "flask_migrate"],
        &[K::Migrations("Alembic")],
    ),
    lib(&["yoyo-migrations", "yoyo"], &[K::Migrations("yoyo")]),
    lib(
        &[
            "pyjwt",
            "jwt",
            "python-jose",
            "jose",
            "flask-jwt-extended",
            "flask_jwt_extended",
            "djangorestframework-simplejwt",
            "rest_framework_simplejwt",
            "fastapi-jwt-auth",
            "joserfc",
        ],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(&["fastapi-users", "fastapi_users"], &[K::Auth(A::Jwt, "JWT")]),
    lib(
        &["flask-login", "flask_login", "flask-session", "flask_session"],
        &[K::Auth(A::Session, "sessions")],
    ),
    lib(
        &[
            "authlib",
            "django-oauth-toolkit",
            "oauth2_provider",
            "social-auth-app-django",
            "social_django",
            "python-social-auth",
            "django-allauth",
            "allauth",
            "oauthlib",
            "requests-oauthlib",
            "flask-dance",
        ],
        &[K::Auth(A::OAuth, "OAuth")],
    ),
    lib(
        &["python-keycloak", "keycloak"],
        &[K::Auth(A::OAuth, "OAuth"), K::Idp("Keycloak")],
    ),
    lib(
        &["auth0-python", "auth0"],
        &[K::Auth(A::OAuth, "OAuth"), K::Idp("Auth0")],
    ),
    lib(&["msal"], &[K::Auth(A::OAuth, "OAuth"), K::Idp("Microsoft Entra ID")]),
    lib(
        &["firebase-admin", "firebase_admin"],
        &[K::Idp("Firebase Authentication")],
    ),
    lib(&["casbin", "pycasbin"], &[K::Authz(Z::Rbac, "Casbin")]),
    lib(&["oso"], &[K::Authz(Z::Rbac, "Oso")]),
    lib(
        &[
            "django-role-permissions",
            "rolepermissions",
            "flask-principal",
            "flask_principal",
        ],
        &[K::Authz(Z::Rbac, "role-based access control library")],
    ),
    lib(
        &["django-guardian", "guardian"],
        &[K::Authz(Z::Ownership, "django-guardian object permissions")],
    ),
    lib(
        &["django-rules", "rules", "py-abac", "cerbos", "opa-python-client"],
        &[K::Authz(Z::Abac, "policy rules")],
    ),
    lib(
        &[
            "strawberry-graphql",
            "strawberry",
            "graphene",
            "graphene-django",
            "ariadne",
        ],
        &[K::Api(ApiStyle::GraphQl, "GraphQL server")],
    ),
    lib(
        &["grpcio", "grpc", "grpcio-tools", "betterproto"],
        &[K::Api(ApiStyle::Grpc, "gRPC")],
    ),
    lib(
        &["drf-spectacular", "drf-yasg", "flasgger", "flask-smorest", "apispec"],
        &[K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(&["celery"], &[K::Jobs("Celery")]),
    lib(&["rq"], &[K::Jobs("RQ"), K::Queue("Redis")]),
    lib(&["dramatiq"], &[K::Jobs("Dramatiq")]),
    lib(&["huey"], &[K::Jobs("Huey")]),
    lib(&["arq"], &[K::Jobs("arq"), K::Queue("Redis")]),
    lib(&["apscheduler"], &[K::Jobs("APScheduler")]),
    lib(&["taskiq"], &[K::Jobs("Taskiq")]),
    lib(&["procrastinate"], &[K::Jobs("Procrastinate")]),
    lib(
        &[
            "slowapi",
            "flask-limiter",
            "flask_limiter",
            "django-ratelimit",
            "django_ratelimit",
            "fastapi-limiter",
            "fastapi_limiter",
        ],
        &[K::RateLimit("rate-limit middleware")],
    ),
    lib(
        &["flask-cors", "flask_cors", "django-cors-headers", "corsheaders"],
        &[K::Cors("CORS middleware")],
    ),
    lib(
        &[
            "asgi-correlation-id",
            "asgi_correlation_id",
            "django-request-id",
            "django-guid",
            "flask-request-id",
        ],
        &[K::RequestId("request-id middleware")],
    ),
    lib(&["structlog"], &[K::Logging("structlog")]),
    lib(&["loguru"], &[K::Logging("loguru")]),
    lib(
        &["python-json-logger", "pythonjsonlogger"],
        &[K::Logging("JSON logging")],
    ),
    lib(&["opentelemetry-*", "opentelemetry"], &[K::Tracing("OpenTelemetry")]),
    lib(&["sentry-sdk", "sentry_sdk"], &[K::Tracing("Sentry")]),
    lib(&["ddtrace"], &[K::Tracing("Datadog APM")]),
    lib(&["newrelic"], &[K::Tracing("New Relic")]),
    lib(
        &[
            "prometheus-client",
            "prometheus_client",
            "prometheus-fastapi-instrumentator",
            "django-prometheus",
        ],
        &[K::Metrics("Prometheus")],
    ),
];

/// A distribution name as pip compares them: lower case, `_` and `.` as `-`.
fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

static REQUIREMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:(?:[=<>!~^]=?|@)\s*([\w.*+-]+))?").ok()
});
static QUOTED_REQUIREMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"['"]([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[=<>!~]=?\s*([\w.*]+))?[^'"]*['"]"#).ok()
});
static TABLE_KEY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*(?:['"]([^'"]*)['"]|\{[^}]*version\s*=\s*['"]([^'"]*)['"])?"#)
        .ok()
});

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(req), Some(quoted), Some(key)) = (REQUIREMENT.as_ref(), QUOTED_REQUIREMENT.as_ref(), TABLE_KEY.as_ref())
    else {
        return;
    };
    let name = file.name();
    let mut deps: Vec<(String, Option<String>, Strength, u32, &str)> = Vec::new();
    let mut language_version_at: Option<(String, u32, &str)> = None;
    match name {
        ".python-version" | "runtime.txt" => {
            if let Some((n, l)) = file.lines().find(|(_, l)| !l.trim().is_empty())
                && let Some(v) = language_version(l)
            {
                out.push(Finding::new(
                    Fact::Language {
                        name: LANGUAGE.into(),
                        version: Some(v),
                    },
                    Strength::Hint,
                    file.evidence(n, l),
                ));
            }
            return;
        }
        "alembic.ini" => {
            out.push(Finding::new(
                Fact::Migrations {
                    tool: "Alembic".into(),
                    folder: None,
                },
                Strength::Configured,
                file.evidence_at("script_location"),
            ));
            config::connection_urls(file, out);
            return;
        }
        "pyproject.toml" | "Pipfile" => {
            let mut table = String::new();
            let mut array: Option<Strength> = None;
            for (n, line) in file.lines() {
                let t = line.trim();
                if let Some(strength) = array {
                    if !t.starts_with(']') {
                        for cap in quoted.captures_iter(t) {
                            deps.push((
                                cap[1].to_string(),
                                cap.get(2).map(|m| m.as_str().to_string()),
                                strength,
                                n,
                                line,
                            ));
                        }
                    }
                    if t.starts_with(']') || t.ends_with(']') {
                        array = None;
                    }
                    continue;
                }
                if t.starts_with('[') {
                    table = t.trim_matches(['[', ']']).to_string();
                    continue;
                }
                let key_name = t.split('=').next().unwrap_or("").trim().trim_matches('"');
                if key_name == "requires-python"
                    || key_name == "python_version"
                    || (key_name == "python" && table.ends_with("dependencies"))
                {
                    if let Some(v) = t.split_once('=').and_then(|(_, v)| language_version(v)) {
                        language_version_at = Some((v, n, line));
                    }
                    continue;
                }
                let dev = |s: &str| s.contains("dev") || s.contains("test") || s.contains("lint") || s.contains("doc");
                let strength = if dev(&table) || (table != "project" && dev(key_name)) {
                    Strength::Hint
                } else {
                    Strength::Declared
                };
                let list_table = table == "project" && key_name == "dependencies"
                    || table.ends_with("optional-dependencies")
                    || table == "dependency-groups";
                if list_table && let Some((_, rest)) = t.split_once('[') {
                    for cap in quoted.captures_iter(rest) {
                        deps.push((
                            cap[1].to_string(),
                            cap.get(2).map(|m| m.as_str().to_string()),
                            strength,
                            n,
                            line,
                        ));
                    }
                    if !rest.trim_end().ends_with(']') {
                        array = Some(strength);
                    }
                    continue;
                }
                if (table.ends_with("dependencies") || table == "packages" || table == "dev-packages")
                    && let Some(cap) = key.captures(t)
                {
                    let strength = if table == "dev-packages" {
                        Strength::Hint
                    } else {
                        strength
                    };
                    let version = cap.get(2).or_else(|| cap.get(3)).map(|m| m.as_str().to_string());
                    deps.push((cap[1].to_string(), version, strength, n, line));
                }
            }
        }
        "setup.py" | "setup.cfg" => {
            for (n, line) in file.lines() {
                for cap in quoted.captures_iter(line) {
                    deps.push((
                        cap[1].to_string(),
                        cap.get(2).map(|m| m.as_str().to_string()),
                        Strength::Declared,
                        n,
                        line,
                    ));
                }
            }
        }
        n if n.starts_with("requirements") => {
            let dev = n.contains("dev") || n.contains("test") || n.contains("lint");
            for (n, line) in file.lines() {
                let t = line.trim();
                if t.is_empty() || t.starts_with('#') || t.starts_with('-') {
                    continue;
                }
                if let Some(cap) = req.captures(t) {
                    let strength = if dev { Strength::Hint } else { Strength::Declared };
                    deps.push((
                        cap[1].to_string(),
                        cap.get(2).map(|m| m.as_str().to_string()),
                        strength,
                        n,
                        line,
                    ));
                }
            }
        }
        _ => return,
    }
    let mut backend: Option<(u32, &str)> = None;
    for (dep, version, strength, n, line) in deps {
        let dep = normalise(&dep);
        if dep == "python" {
            continue;
        }
        let evidence = file.evidence(n, line);
        if let Some(service) = integration(&dep) {
            out.push(Finding::new(
                Fact::Integration { name: service.into() },
                strength,
                evidence.clone(),
            ));
        }
        let Some(library) = lookup(LIBRARIES, &dep) else {
            continue;
        };
        for known in library.facts {
            let mut fact = known.fact(LANGUAGE, &dep);
            if let Fact::Framework { version: v, .. } = &mut fact {
                *v = version.as_deref().and_then(short_version);
            }
            if known.is_backend()
                && strength == Strength::Declared
                && (backend.is_none() || matches!(known, K::Framework(_)))
            {
                backend = Some((n, line));
            }
            out.push(Finding::new(fact, strength, evidence.clone()));
        }
    }
    if let Some(at) = backend {
        out.push(file.language(LANGUAGE, at, language_version_at));
    }
}

static IMPORT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*(?:from\s+([A-Za-z_][\w.]*)\s+import\b|import\s+([A-Za-z_][\w.]*))").ok());
static ROUTE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"^\s*@\s*(\w+)\.(get|post|put|patch|delete|route|api_route|websocket)\(\s*(?:path\s*=\s*)?['"]([^'"]*)['"]([^)]*)"#).ok()
});
static DJANGO_PATH: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*(?:re_)?path\(\s*r?['"]\^?([^'"$]*)\$?['"]"#).ok());
static METHODS: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"methods\s*=\s*\[\s*['"](\w+)['"]"#).ok());
static SETTINGS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"django\.db\.backends\.(postgresql|postgresql_psycopg2|mysql|sqlite3|oracle)").ok());
static MARKERS: &[(&str, Known2)] = &[
    ("CORSMiddleware", Known2::Cors),
    ("OAuth2PasswordBearer", Known2::OAuth),
    ("OAuth2AuthorizationCodeBearer", Known2::OAuth),
    ("SessionMiddleware", Known2::Session),
];

#[derive(Clone, Copy)]
enum Known2 {
    Cors,
    OAuth,
    Session,
}

fn source(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(import), Some(route), Some(django), Some(methods), Some(settings)) = (
        IMPORT.as_ref(),
        ROUTE.as_ref(),
        DJANGO_PATH.as_ref(),
        METHODS.as_ref(),
        SETTINGS.as_ref(),
    ) else {
        return;
    };
    let urls = file.name() == "urls.py";
    for (n, line) in file.lines() {
        if let Some(cap) = import.captures(line) {
            let module = cap.get(1).or_else(|| cap.get(2)).map_or("", |m| m.as_str());
            let top = module.split('.').next().unwrap_or(module);
            out.extend(findings_for(
                LIBRARIES,
                LANGUAGE,
                top,
                Strength::Used,
                &file.evidence(n, line),
            ));
        }
        if let Some(cap) = route.captures(line) {
            let verb = &cap[2];
            let method = if matches!(verb, "route" | "api_route") {
                methods
                    .captures(&cap[4])
                    .map_or("GET".to_string(), |m| m[1].to_string())
            } else if verb == "websocket" {
                "WEBSOCKET".to_string()
            } else {
                verb.to_string()
            };
            config::endpoint(&method, &cap[3], file.evidence(n, line), out);
        }
        if urls && let Some(cap) = django.captures(line) {
            config::endpoint("ANY", &cap[1], file.evidence(n, line), out);
        }
        if let Some(cap) = settings.captures(line) {
            let engine = match &cap[1] {
                "mysql" => "MySQL",
                "sqlite3" => "SQLite",
                "oracle" => "Oracle",
                _ => "PostgreSQL",
            };
            out.push(Finding::new(
                Fact::Database {
                    engine: engine.into(),
                    version: None,
                },
                Strength::Configured,
                file.evidence(n, line),
            ));
        }
        for (needle, what) in MARKERS {
            if line.contains(needle)
                && !line.trim_start().starts_with("from ")
                && !line.trim_start().starts_with("import ")
            {
                let fact = match what {
                    Known2::Cors => Fact::Cors {
                        library: "CORSMiddleware".into(),
                    },
                    Known2::OAuth => Fact::Auth {
                        method: A::OAuth,
                        library: "OAuth2 bearer".into(),
                    },
                    Known2::Session => Fact::Auth {
                        method: A::Session,
                        library: "sessions".into(),
                    },
                };
                out.push(Finding::new(fact, Strength::Used, file.evidence(n, line)));
            }
        }
    }
    config::markers(file, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(name: &str, text: &str) -> Vec<Fact> {
        let mut out = Vec::new();
        manifest(&SourceFile::new(name, text), &mut out);
        out.into_iter().map(|f| f.fact).collect()
    }

    #[test]
    fn poetry_and_pep621_dependencies_are_read() {
        let pep621 = facts(
            "pyproject.toml",
            "[project]\nname = \"x\"\nrequires-python = \">=3.12\"\ndependencies = [\n  \"fastapi>=0.110\",\n  \"SQLAlchemy[asyncio]~=2.0\",\n]\n",
        );
        assert!(pep621.contains(&Fact::Framework {
            name: "FastAPI".into(),
            language: "Python".into(),
            version: Some("0.110".into())
        }));
        assert!(
            pep621
                .iter()
                .any(|f| matches!(f, Fact::DataAccess { library, .. } if library == "SQLAlchemy"))
        );
        assert!(pep621.contains(&Fact::Language {
            name: "Python".into(),
            version: Some("3.12".into())
        }));
        let poetry = facts(
            "pyproject.toml",
            "[tool.poetry.dependencies]\npython = \"^3.11\"\ndjango = \"^5.0\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n",
        );
        assert!(
            poetry
                .iter()
                .any(|f| matches!(f, Fact::Framework { name, .. } if name == "Django"))
        );
    }

    #[test]
    fn requirements_lines_with_extras_and_markers() {
        let found = facts(
            "requirements.txt",
            "# web\nuvicorn[standard]==0.29\nFlask>=3.0 ; python_version>'3.8'\n-r base.txt\npsycopg2-binary\n",
        );
        assert!(
            found
                .iter()
                .any(|f| matches!(f, Fact::Framework { name, .. } if name == "Flask"))
        );
        assert!(
            found
                .iter()
                .any(|f| matches!(f, Fact::Database { engine, .. } if engine == "PostgreSQL"))
        );
    }
}
