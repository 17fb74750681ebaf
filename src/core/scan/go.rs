//! Go: go.mod (the go directive, direct and indirect requirements), sqlc configuration,
//! imports, and routes of net/http, gin, chi, echo, fiber and gorilla/mux.
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod as A, AuthzModel as Z, DataStyle as D, Fact, Finding, Strength};
use super::known::{Known as K, Library, findings_for, integration, lib, lookup};
use super::node::{language_version, short_version};
use super::{Family, SourceFile, config};

pub const LANGUAGE: &str = "Go";

pub const FAMILY: Family = Family {
    language: LANGUAGE,
    is_manifest,
    extensions: &["go"],
    manifest,
    source,
};

fn is_manifest(name: &str) -> bool {
    matches!(name, "go.mod" | "go.work" | "sqlc.yaml" | "sqlc.yml" | "sqlc.json")
}

pub static LIBRARIES: &[Library] = &[
    lib(&["github.com/gin-gonic/gin"], &[K::Framework("gin")]),
    lib(&["github.com/go-chi/chi"], &[K::Framework("chi")]),
    lib(&["github.com/labstack/echo"], &[K::Framework("Echo")]),
    lib(&["github.com/gofiber/fiber"], &[K::Framework("Fiber")]),
    lib(&["github.com/gorilla/mux"], &[K::Framework("gorilla/mux")]),
    lib(&["github.com/julienschmidt/httprouter"], &[K::Framework("httprouter")]),
    lib(&["github.com/beego/beego"], &[K::Framework("Beego")]),
    lib(&["github.com/go-kratos/kratos"], &[K::Framework("Kratos")]),
    lib(&["github.com/zeromicro/go-zero"], &[K::Framework("go-zero")]),
    lib(
        &["github.com/danielgtaylor/huma"],
        &[K::Framework("Huma"), K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(&["goa.design/goa"], &[K::Framework("Goa")]),
    lib(
        &[
            "github.com/jackc/pgx",
            "github.com/lib/pq",
            "gorm.io/driver/postgres",
            "github.com/jackc/pgconn",
        ],
        &[K::Database("PostgreSQL"), K::Data("pgx", D::Driver)],
    ),
    lib(
        &["github.com/go-sql-driver/mysql", "gorm.io/driver/mysql"],
        &[K::Database("MySQL"), K::Data("database/sql", D::Driver)],
    ),
    lib(
        &["go.mongodb.org/mongo-driver"],
        &[K::Database("MongoDB"), K::Data("MongoDB driver", D::Driver)],
    ),
    lib(
        &[
            "github.com/mattn/go-sqlite3",
            "modernc.org/sqlite",
            "gorm.io/driver/sqlite",
        ],
        &[K::Database("SQLite")],
    ),
    lib(
        &[
            "github.com/microsoft/go-mssqldb",
            "github.com/denisenkom/go-mssqldb",
            "gorm.io/driver/sqlserver",
        ],
        &[K::Database("SQL Server")],
    ),
    lib(
        &["github.com/aws/aws-sdk-go-v2/service/dynamodb"],
        &[K::Database("DynamoDB")],
    ),
    lib(&["github.com/gocql/gocql"], &[K::Database("Cassandra")]),
    lib(
        &[
            "github.com/redis/go-redis",
            "github.com/go-redis/redis",
            "github.com/gomodule/redigo",
            "github.com/redis/rueidis",
        ],
        &[K::Queue("Redis")],
    ),
    lib(
        &["github.com/rabbitmq/amqp091-go", "github.com/streadway/amqp"],
        &[K::Queue("RabbitMQ")],
    ),
    lib(
        &[
            "github.com/segmentio/kafka-go",
            "github.com/IBM/sarama",
            "github.com/Shopify/sarama",
            "github.com/confluentinc/confluent-kafka-go",
            "github.com/twmb/franz-go",
        ],
        &[K::Queue("Kafka")],
    ),
    lib(&["github.com/nats-io/nats.go"], &[K::Queue("NATS")]),
    lib(&["github.com/aws/aws-sdk-go-v2/service/sqs"], &[K::Queue("Amazon SQS")]),
    lib(&["gorm.io/gorm", "github.com/jinzhu/gorm"], &[K::Data("GORM", D::Orm)]),
    lib(&["entgo.io/ent"], &[K::Data("ent", D::Orm)]),
    lib(&["github.com/uptrace/bun"], &[K::Data("Bun", D::QueryBuilder)]),
    lib(&["github.com/jmoiron/sqlx"], &[K::Data("sqlx", D::Driver)]),
    lib(
        &[
            "github.com/Masterminds/squirrel",
            "github.com/doug-martin/goqu",
            "github.com/go-jet/jet",
        ],
        &[K::Data("query builder", D::QueryBuilder)],
    ),
    lib(
        &["github.com/volatiletech/sqlboiler", "github.com/aarondl/sqlboiler"],
        &[K::Data("SQLBoiler", D::Orm)],
    ),
    lib(
        &["github.com/golang-migrate/migrate"],
        &[K::Migrations("golang-migrate")],
    ),
    lib(&["github.com/pressly/goose"], &[K::Migrations("goose")]),
    lib(&["github.com/rubenv/sql-migrate"], &[K::Migrations("sql-migrate")]),
    lib(&["ariga.io/atlas"], &[K::Migrations("Atlas")]),
    lib(
        &[
            "github.com/golang-jwt/jwt",
            "github.com/dgrijalva/jwt-go",
            "github.com/lestrrat-go/jwx",
            "github.com/go-chi/jwtauth",
            "github.com/appleboy/gin-jwt",
            "github.com/go-jose/go-jose",
            "gopkg.in/square/go-jose.v2",
        ],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(
        &["github.com/auth0/go-jwt-middleware"],
        &[K::Auth(A::Jwt, "JWT"), K::Idp("Auth0")],
    ),
    lib(
        &[
            "github.com/gorilla/sessions",
            "github.com/alexedwards/scs",
            "github.com/gin-contrib/sessions",
        ],
        &[K::Auth(A::Session, "sessions")],
    ),
    lib(
        &[
            "golang.org/x/oauth2",
            "github.com/coreos/go-oidc",
            "github.com/markbates/goth",
            "github.com/zitadel/oidc",
        ],
        &[K::Auth(A::OAuth, "OAuth")],
    ),
    lib(
        &["github.com/Nerzal/gocloak"],
        &[K::Auth(A::OAuth, "OAuth"), K::Idp("Keycloak")],
    ),
    lib(&["firebase.google.com/go"], &[K::Idp("Firebase Authentication")]),
    lib(&["github.com/casbin/casbin"], &[K::Authz(Z::Rbac, "Casbin")]),
    lib(&["github.com/osohq/go-oso"], &[K::Authz(Z::Rbac, "Oso")]),
    lib(
        &["github.com/open-policy-agent/opa"],
        &[K::Authz(Z::Abac, "Open Policy Agent")],
    ),
    lib(&["github.com/cerbos/cerbos-sdk-go"], &[K::Authz(Z::Abac, "Cerbos")]),
    lib(
        &[
            "github.com/99designs/gqlgen",
            "github.com/graph-gophers/graphql-go",
            "github.com/graphql-go/graphql",
        ],
        &[K::Api(ApiStyle::GraphQl, "GraphQL server")],
    ),
    lib(
        &[
            "google.golang.org/grpc",
            "github.com/grpc-ecosystem/grpc-gateway",
            "connectrpc.com/connect",
        ],
        &[K::Api(ApiStyle::Grpc, "gRPC")],
    ),
    lib(
        &[
            "github.com/swaggo/swag",
            "github.com/swaggo/gin-swagger",
            "github.com/swaggo/http-swagger",
            "github.com/getkin/kin-openapi",
            "github.com/oapi-codegen/oapi-codegen",
            "github.com/deepmap/oapi-codegen",
            "github.com/go-openapi/runtime",
        ],
        &[K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(&["github.com/hibiken/asynq"], &[K::Jobs("Asynq"), K::Queue("Redis")]),
    lib(&["github.com/riverqueue/river"], &[K::Jobs("River")]),
    lib(
        &["github.com/robfig/cron", "github.com/go-co-op/gocron"],
        &[K::Jobs("cron schedules")],
    ),
    lib(
        &["github.com/gocraft/work", "github.com/RichardKnop/machinery"],
        &[K::Jobs("background workers")],
    ),
    lib(&["go.temporal.io/sdk"], &[K::Jobs("Temporal")]),
    lib(
        &[
            "golang.org/x/time/rate",
            "github.com/ulule/limiter",
            "github.com/go-chi/httprate",
            "github.com/didip/tollbooth",
            "github.com/throttled/throttled",
        ],
        &[K::RateLimit("rate limiter")],
    ),
    lib(
        &[
            "github.com/rs/cors",
            "github.com/go-chi/cors",
            "github.com/gin-contrib/cors",
        ],
        &[K::Cors("CORS middleware")],
    ),
    lib(
        &["github.com/gin-contrib/requestid"],
        &[K::RequestId("request-id middleware")],
    ),
    lib(&["go.uber.org/zap"], &[K::Logging("zap")]),
    lib(&["github.com/rs/zerolog"], &[K::Logging("zerolog")]),
    lib(&["github.com/sirupsen/logrus"], &[K::Logging("logrus")]),
    lib(&["log/slog"], &[K::Logging("slog")]),
    lib(
        &["go.opentelemetry.io/otel", "go.opentelemetry.io/contrib"],
        &[K::Tracing("OpenTelemetry")],
    ),
    lib(&["github.com/getsentry/sentry-go"], &[K::Tracing("Sentry")]),
    lib(
        &["gopkg.in/DataDog/dd-trace-go.v1", "github.com/DataDog/dd-trace-go"],
        &[K::Tracing("Datadog APM")],
    ),
    lib(&["github.com/prometheus/client_golang"], &[K::Metrics("Prometheus")]),
];

static REQUIRE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:require\s+)?([\w.-]+\.[\w.-]+/[\w./~-]+)\s+(v[\w.+-]+)(\s*//\s*indirect)?").ok()
});

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    if file.name().starts_with("sqlc.") {
        out.push(Finding::new(
            Fact::DataAccess {
                library: "sqlc".into(),
                style: D::Driver,
            },
            Strength::Configured,
            file.evidence_at("engine"),
        ));
        if file.text.contains("postgresql") {
            out.push(Finding::new(
                Fact::Database {
                    engine: "PostgreSQL".into(),
                    version: None,
                },
                Strength::Configured,
                file.evidence_at("postgresql"),
            ));
        }
        return;
    }
    if file.name() != "go.mod" {
        return;
    }
    let Some(require) = REQUIRE.as_ref() else { return };
    let mut version = None;
    let mut version_line = None;
    let mut backend = None;
    for (n, line) in file.lines() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("go ") {
            version = language_version(v);
            version_line = Some((n, line));
            continue;
        }
        let Some(cap) = require.captures(line) else { continue };
        let path = &cap[1];
        let strength = if cap.get(3).is_some() {
            Strength::Hint
        } else {
            Strength::Declared
        };
        let evidence = file.evidence(n, line);
        if let Some(service) = integration(path) {
            out.push(Finding::new(
                Fact::Integration { name: service.into() },
                strength,
                evidence.clone(),
            ));
        }
        let Some(library) = lookup(LIBRARIES, path) else {
            continue;
        };
        for known in library.facts {
            let mut fact = known.fact(LANGUAGE, path);
            if let Fact::Framework { version: v, .. } = &mut fact {
                *v = short_version(&cap[2]);
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
    if let Some((n, line)) = backend {
        let (n, line) = if version.is_some() {
            version_line.unwrap_or((n, line))
        } else {
            (n, line)
        };
        out.push(Finding::new(
            Fact::Language {
                name: LANGUAGE.into(),
                version,
            },
            Strength::Declared,
            file.evidence(n, line),
        ));
    }
}

static IMPORT_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*(?:import\s+)?(?:[\w.]+\s+)?"([\w./~-]+)"\s*$"#).ok());
static ROUTE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"\b\w+\.(GET|POST|PUT|PATCH|DELETE|Get|Post|Put|Patch|Delete|HandleFunc|Handle|Any|Options)\(\s*"((?:[A-Z]+ )?/[^"]*)""#).ok()
});
static GROUP: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"\.(?:Group|Route|Mount|PathPrefix)\(\s*"(/[^"]*)""#).ok());

fn source(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(import), Some(route), Some(group)) = (IMPORT_LINE.as_ref(), ROUTE.as_ref(), GROUP.as_ref()) else {
        return;
    };
    let mut in_imports = false;
    for (n, line) in file.lines() {
        let t = line.trim();
        if t.starts_with("import (") {
            in_imports = true;
            continue;
        }
        if in_imports && t.starts_with(')') {
            in_imports = false;
            continue;
        }
        if (in_imports || t.starts_with("import "))
            && let Some(cap) = import.captures(line)
        {
            out.extend(findings_for(
                LIBRARIES,
                LANGUAGE,
                &cap[1],
                Strength::Used,
                &file.evidence(n, line),
            ));
            continue;
        }
        if let Some(cap) = route.captures(line) {
            let pattern = &cap[2];
            let (method, path) = match pattern.split_once(' ') {
                Some((m, p)) => (m.to_string(), p),
                None => (cap[1].to_string(), pattern),
            };
            config::endpoint(&method, path, file.evidence(n, line), out);
        }
        if let Some(cap) = group.captures(line) {
            config::version_prefix(&cap[1], file.evidence(n, line), out);
        }
        if t.contains("middleware.RequestID") {
            out.push(Finding::new(
                Fact::RequestId {
                    library: "RequestID middleware".into(),
                },
                Strength::Used,
                file.evidence(n, line),
            ));
        }
    }
    config::markers(file, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indirect_requirements_are_only_hints() {
        let mut out = Vec::new();
        manifest(
            &SourceFile::new(
                "go.mod",
                "module x\n\ngo 1.22.1\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/jackc/pgx/v5 v5.5.5\n\tgithub.com/golang-jwt/jwt/v5 v5.2.0 // indirect\n)\n",
            ),
            &mut out,
        );
        let chi = out
            .iter()
            .find(|f| matches!(&f.fact, Fact::Framework { name, .. } if name == "chi"))
            .unwrap();
        assert_eq!(chi.strength, Strength::Declared);
        assert_eq!(chi.evidence.line, 6);
        let jwt = out.iter().find(|f| matches!(&f.fact, Fact::Auth { .. })).unwrap();
        assert_eq!(jwt.strength, Strength::Hint);
        assert!(out.contains(&Finding::new(
            Fact::Language {
                name: "Go".into(),
                version: Some("1.22".into())
            },
            Strength::Declared,
            SourceFile::new("go.mod", "").evidence(3, "go 1.22.1")
        )));
    }

    #[test]
    fn method_patterns_of_go_1_22_are_routes() {
        let mut out = Vec::new();
        source(
            &SourceFile::new("main.go", "mux.HandleFunc(\"GET /v1/items/{id}\", getItem)\n"),
            &mut out,
        );
        assert!(out.iter().any(|f| f.fact
            == Fact::Endpoint {
                method: "GET".into(),
                path: "/v1/items/{id}".into()
            }));
    }
}
