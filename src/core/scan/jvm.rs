//! Java and Kotlin: Maven (pom.xml) and Gradle builds (Groovy and Kotlin DSL, version
//! catalogs), Spring configuration files, imports, and Spring, JAX-RS and Ktor routes.
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod as A, AuthzModel as Z, DataStyle as D, Fact, Finding, Strength};
use super::known::{Known as K, Library, findings_for, integration, lib, lookup};
use super::node::{language_version, short_version};
use super::{Family, SourceFile, config};

pub const LANGUAGE: &str = "Java";

pub const FAMILY: Family = Family {
    language: LANGUAGE,
    is_manifest,
    extensions: &["java", "kt"],
    manifest,
    source,
};

fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "pom.xml" | "build.gradle" | "build.gradle.kts" | "libs.versions.toml"
    ) || (name.starts_with("application") || name.starts_with("bootstrap"))
        && (name.ends_with(".properties") || name.ends_with(".yml") || name.ends_with(".yaml"))
}

pub static LIBRARIES: &[Library] = &[
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-web",
            "org.springframework.boot:spring-boot-starter-webflux",
            "org.springframework.boot:spring-boot-starter",
            "org.springframework.boot:spring-boot-starter-parent",
            "org.springframework.boot",
        ],
        &[K::Framework("Spring Boot")],
    ),
    lib(&["io.quarkus:*", "io.quarkus"], &[K::Framework("Quarkus")]),
    lib(&["io.micronaut*"], &[K::Framework("Micronaut")]),
    lib(&["io.ktor:*", "io.ktor"], &[K::Framework("Ktor")]),
    lib(&["io.vertx:*", "io.vertx"], &[K::Framework("Vert.x")]),
    lib(&["io.dropwizard:*", "io.dropwizard"], &[K::Framework("Dropwizard")]),
    lib(&["io.javalin:*", "io.javalin"], &[K::Framework("Javalin")]),
    lib(&["io.helidon*"], &[K::Framework("Helidon")]),
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-data-jpa",
            "jakarta.persistence",
            "javax.persistence",
            "org.hibernate*",
            "org.springframework.data.jpa",
        ],
        &[K::Data("JPA (Hibernate)", D::Orm)],
    ),
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-jdbc",
            "org.springframework.jdbc",
        ],
        &[K::Data("Spring JDBC", D::Driver)],
    ),
    lib(&["org.jooq*"], &[K::Data("jOOQ", D::QueryBuilder)]),
    lib(&["org.mybatis*"], &[K::Data("MyBatis", D::Driver)]),
    lib(&["org.jetbrains.exposed*"], &[K::Data("Exposed", D::Orm)]),
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-data-mongodb",
            "org.springframework.data.mongodb",
        ],
        &[K::Database("MongoDB"), K::Data("Spring Data MongoDB", D::Orm)],
    ),
    lib(&["org.mongodb*", "com.mongodb"], &[K::Database("MongoDB")]),
    lib(
        &["org.postgresql*", "io.r2dbc:r2dbc-postgresql", "org.postgresql"],
        &[K::Database("PostgreSQL")],
    ),
    lib(&["com.mysql*", "mysql:mysql-connector-java"], &[K::Database("MySQL")]),
    lib(&["org.mariadb.jdbc*"], &[K::Database("MariaDB")]),
    lib(&["com.microsoft.sqlserver*"], &[K::Database("SQL Server")]),
    lib(&["com.oracle.database.jdbc*"], &[K::Database("Oracle")]),
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-data-redis",
            "redis.clients*",
            "io.lettuce*",
            "org.redisson*",
        ],
        &[K::Queue("Redis")],
    ),
    lib(
        &["org.springframework.kafka*", "org.apache.kafka*"],
        &[K::Queue("Kafka")],
    ),
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-amqp",
            "com.rabbitmq*",
            "org.springframework.amqp",
        ],
        &[K::Queue("RabbitMQ")],
    ),
    lib(&["org.flywaydb*"], &[K::Migrations("Flyway")]),
    lib(&["org.liquibase*", "liquibase"], &[K::Migrations("Liquibase")]),
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-oauth2-resource-server",
            "org.springframework.security.oauth2.jwt",
            "org.springframework.security.oauth2.server.resource",
        ],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(
        &[
            "io.jsonwebtoken*",
            "com.auth0:java-jwt",
            "com.nimbusds*",
            "com.auth0.jwt",
        ],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-oauth2-client",
            "org.springframework.security.oauth2.client",
        ],
        &[K::Auth(A::OAuth, "OAuth")],
    ),
    lib(
        &["org.springframework.session*", "org.springframework.session"],
        &[K::Auth(A::Session, "sessions")],
    ),
    lib(
        &["org.keycloak*", "org.keycloak"],
        &[K::Auth(A::OAuth, "OAuth"), K::Idp("Keycloak")],
    ),
    lib(&["com.okta*"], &[K::Auth(A::OAuth, "OAuth"), K::Idp("Okta")]),
    lib(&["com.google.firebase*"], &[K::Idp("Firebase Authentication")]),
    lib(&["org.casbin*"], &[K::Authz(Z::Rbac, "Casbin")]),
    lib(
        &[
            "org.springframework.boot:spring-boot-starter-graphql",
            "com.graphql-java*",
            "com.netflix.graphql.dgs*",
            "graphql.schema",
            "org.springframework.graphql",
        ],
        &[K::Api(ApiStyle::GraphQl, "GraphQL server")],
    ),
    lib(&["io.grpc*", "net.devh*", "io.grpc"], &[K::Api(ApiStyle::Grpc, "gRPC")]),
    lib(
        &["org.springdoc*", "io.springfox*", "io.swagger*", "io.swagger.v3"],
        &[K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(&["org.quartz-scheduler*", "org.quartz"], &[K::Jobs("Quartz")]),
    lib(&["org.jobrunr*", "org.jobrunr"], &[K::Jobs("JobRunr")]),
    lib(&["net.javacrumbs.shedlock*"], &[K::Jobs("ShedLock schedules")]),
    lib(
        &[
            "com.bucket4j*",
            "com.github.vladimir-bukhtoyarov:bucket4j*",
            "io.github.bucket4j",
        ],
        &[K::RateLimit("Bucket4j")],
    ),
    lib(
        &[
            "io.github.resilience4j:resilience4j-ratelimiter",
            "io.github.resilience4j.ratelimiter",
        ],
        &[K::RateLimit("Resilience4j rate limiter")],
    ),
    lib(&["net.logstash.logback*"], &[K::Logging("Logback with JSON output")]),
    lib(&["org.apache.logging.log4j*"], &[K::Logging("Log4j 2")]),
    lib(
        &["io.opentelemetry*", "io.opentelemetry"],
        &[K::Tracing("OpenTelemetry")],
    ),
    lib(
        &["io.micrometer:micrometer-tracing*"],
        &[K::Tracing("Micrometer Tracing")],
    ),
    lib(&["io.sentry*"], &[K::Tracing("Sentry")]),
    lib(&["com.datadoghq*"], &[K::Tracing("Datadog APM")]),
    lib(
        &["io.micrometer:micrometer-registry-prometheus"],
        &[K::Metrics("Prometheus")],
    ),
    lib(
        &["org.springframework.boot:spring-boot-starter-actuator"],
        &[K::Metrics("Spring Boot Actuator")],
    ),
];

static GRADLE_DEP: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*(\w+)\s*\(?\s*(?:platform\()?["']([\w.-]+):([\w.-]+)(?::([\w.-]+))?["']"#).ok());
static GRADLE_PLUGIN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"id\s*\(?\s*["']org\.springframework\.boot["']\s*\)?\s*version\s*["']([\w.-]+)["']"#).ok()
});
static CATALOG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"["']([\w.-]+):([\w.-]+)(?::([\w.-]+))?["']"#).ok());
static JAVA_VERSION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?:<java\.version>|<maven\.compiler\.(?:release|source)>|JavaLanguageVersion\.of\(|JavaVersion\.VERSION_|sourceCompatibility\s*=\s*['\x22]?|jvmToolchain\()(\d+(?:[._]\d+)?)").ok()
});
static XML_TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"<(groupId|artifactId|version|scope)>\s*([^<\s]+)\s*</").ok());

struct Dependency<'a> {
    name: String,
    version: Option<String>,
    strength: Strength,
    line: u32,
    text: &'a str,
}

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    let name = file.name();
    if name.starts_with("application") || name.starts_with("bootstrap") {
        config::connection_urls(file, out);
        return;
    }
    let mut deps: Vec<Dependency> = Vec::new();
    let mut language = LANGUAGE;
    let mut java_version: Option<(String, u32, &str)> = None;
    if let Some(re) = JAVA_VERSION.as_ref()
        && let Some((n, line, cap)) = file.lines().find_map(|(n, l)| re.captures(l).map(|c| (n, l, c)))
    {
        java_version = language_version(&cap[1].replace('_', ".")).map(|v| (v, n, line));
    }
    if file.text.contains("kotlin(\"jvm\")")
        || file.text.contains("org.jetbrains.kotlin")
        || file.text.contains("kotlin-stdlib")
    {
        language = "Kotlin";
    }
    match name {
        "pom.xml" => pom(file, &mut deps),
        "libs.versions.toml" => {
            if let Some(re) = CATALOG.as_ref() {
                for (n, line) in file.lines() {
                    for cap in re.captures_iter(line) {
                        deps.push(Dependency {
                            name: format!("{}:{}", &cap[1], &cap[2]),
                            version: cap.get(3).map(|m| m.as_str().to_string()),
                            strength: Strength::Declared,
                            line: n,
                            text: line,
                        });
                    }
                }
            }
        }
        _ => {
            let (Some(dep), Some(plugin)) = (GRADLE_DEP.as_ref(), GRADLE_PLUGIN.as_ref()) else {
                return;
            };
            for (n, line) in file.lines() {
                if let Some(cap) = plugin.captures(line) {
                    deps.push(Dependency {
                        name: "org.springframework.boot:spring-boot-starter".into(),
                        version: Some(cap[1].to_string()),
                        strength: Strength::Declared,
                        line: n,
                        text: line,
                    });
                }
                if let Some(cap) = dep.captures(line) {
                    let configuration = &cap[1];
                    let strength = if configuration.starts_with("test") {
                        Strength::Hint
                    } else {
                        Strength::Declared
                    };
                    deps.push(Dependency {
                        name: format!("{}:{}", &cap[2], &cap[3]),
                        version: cap.get(4).map(|m| m.as_str().to_string()),
                        strength,
                        line: n,
                        text: line,
                    });
                }
            }
        }
    }
    let mut backend: Option<(u32, &str)> = None;
    for d in &deps {
        let evidence = file.evidence(d.line, d.text);
        if let Some(service) = integration(&d.name) {
            out.push(Finding::new(
                Fact::Integration { name: service.into() },
                d.strength,
                evidence.clone(),
            ));
        }
        let Some(library) = lookup(LIBRARIES, &d.name) else {
            continue;
        };
        for known in library.facts {
            let mut fact = known.fact(language, &d.name);
            if let Fact::Framework { version: v, .. } = &mut fact {
                *v = d.version.as_deref().and_then(short_version);
            }
            if known.is_backend()
                && d.strength == Strength::Declared
                && (backend.is_none() || matches!(known, K::Framework(_)))
            {
                backend = Some((d.line, d.text));
            }
            out.push(Finding::new(fact, d.strength, evidence.clone()));
        }
    }
    if let Some(at) = backend {
        out.push(file.language(language, at, java_version.filter(|_| language == LANGUAGE)));
    }
}

/// Dependencies (and the parent) of a pom.xml, evidence at the artifactId line.
fn pom<'a>(file: &SourceFile<'a>, deps: &mut Vec<Dependency<'a>>) {
    let Some(tag) = XML_TAG.as_ref() else { return };
    let (mut group, mut artifact, mut version, mut scope) =
        (String::new(), None::<(String, u32, &str)>, None, String::new());
    let mut depth_ok = false;
    for (n, line) in file.lines() {
        let t = line.trim();
        if t.starts_with("<dependency>") || t.starts_with("<parent>") || t.starts_with("<plugin>") {
            depth_ok = true;
            group.clear();
            artifact = None;
            version = None;
            scope.clear();
        }
        if depth_ok && let Some(cap) = tag.captures(t) {
            match &cap[1] {
                "groupId" => group = cap[2].to_string(),
                "artifactId" => artifact = Some((cap[2].to_string(), n, line)),
                "version" => version = Some(cap[2].to_string()),
                _ => scope = cap[2].to_string(),
            }
        }
        if (t.starts_with("</dependency>") || t.starts_with("</parent>") || t.starts_with("</plugin>")) && depth_ok {
            depth_ok = false;
            if let Some((a, ln, lt)) = artifact.take() {
                deps.push(Dependency {
                    name: format!("{group}:{a}"),
                    version: version.take().filter(|v| !v.starts_with("${")),
                    strength: if scope == "test" {
                        Strength::Hint
                    } else {
                        Strength::Declared
                    },
                    line: ln,
                    text: lt,
                });
            }
        }
    }
}

static IMPORT: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\s*import\s+(?:static\s+)?([\w.]+)").ok());
static MAPPING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"@(Get|Post|Put|Patch|Delete|Request)Mapping\b(?:\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*(?:"([^"]*)")?([^)]*))?"#).ok()
});
static JAXRS: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"@Path\(\s*"([^"]*)""#).ok());
static KTOR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*(get|post|put|patch|delete|route)\(\s*"(/[^"]*)"\s*\)"#).ok());
static REQUEST_METHOD: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"RequestMethod\.(\w+)").ok());

fn source(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(import), Some(mapping), Some(jaxrs), Some(ktor), Some(rm)) = (
        IMPORT.as_ref(),
        MAPPING.as_ref(),
        JAXRS.as_ref(),
        KTOR.as_ref(),
        REQUEST_METHOD.as_ref(),
    ) else {
        return;
    };
    let language = if file.rel.ends_with(".kt") { "Kotlin" } else { LANGUAGE };
    let mut prefix = String::new();
    let mut in_class = false;
    for (n, line) in file.lines() {
        let t = line.trim();
        if let Some(cap) = import.captures(line) {
            out.extend(findings_for(
                LIBRARIES,
                language,
                &cap[1],
                Strength::Used,
                &file.evidence(n, line),
            ));
            continue;
        }
        if !in_class
            && (t.contains("class ") || t.contains("interface "))
            && !t.starts_with("//")
            && !t.starts_with('*')
        {
            in_class = true;
        }
        if let Some(cap) = mapping.captures(t) {
            let path = cap.get(2).map_or("", |m| m.as_str());
            if !in_class && &cap[1] == "Request" {
                prefix = config::join_path("", path);
                config::version_prefix(&prefix, file.evidence(n, line), out);
            } else {
                let method = if &cap[1] == "Request" {
                    rm.captures(cap.get(3).map_or("", |m| m.as_str()))
                        .map_or("ANY".to_string(), |m| m[1].to_string())
                } else {
                    cap[1].to_string()
                };
                config::endpoint(&method, &config::join_path(&prefix, path), file.evidence(n, line), out);
            }
        }
        if let Some(cap) = jaxrs.captures(t) {
            config::version_prefix(&config::join_path("", &cap[1]), file.evidence(n, line), out);
        }
        if let Some(cap) = ktor.captures(line) {
            if &cap[1] == "route" {
                config::version_prefix(&cap[2], file.evidence(n, line), out);
            } else {
                config::endpoint(&cap[1], &cap[2], file.evidence(n, line), out);
            }
        }
        if t.starts_with("@CrossOrigin") || t.contains("CorsConfigurationSource") || t.contains("addCorsMappings") {
            out.push(Finding::new(
                Fact::Cors {
                    library: "Spring CORS configuration".into(),
                },
                Strength::Used,
                file.evidence(n, line),
            ));
        }
        if t.starts_with("@Scheduled") {
            out.push(Finding::new(
                Fact::Jobs {
                    library: "Spring @Scheduled tasks".into(),
                },
                Strength::Used,
                file.evidence(n, line),
            ));
        }
        if t.contains("extends JpaRepository") || t.contains("extends CrudRepository") || t.contains(": JpaRepository<")
        {
            out.push(Finding::new(Fact::Repositories, Strength::Used, file.evidence(n, line)));
        }
    }
    config::markers(file, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pom_dependencies_and_java_version() {
        let pom = "<project>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.2.5</version>\n  </parent>\n  <properties>\n    <java.version>21</java.version>\n  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>org.postgresql</groupId>\n      <artifactId>postgresql</artifactId>\n      <scope>runtime</scope>\n    </dependency>\n  </dependencies>\n</project>\n";
        let mut out = Vec::new();
        manifest(&SourceFile::new("pom.xml", pom), &mut out);
        assert!(out.iter().any(|f| f.fact
            == Fact::Framework {
                name: "Spring Boot".into(),
                language: "Java".into(),
                version: Some("3".into())
            }
            && f.evidence.line == 4));
        assert!(out.iter().any(|f| f.fact
            == Fact::Language {
                name: "Java".into(),
                version: Some("21".into())
            }));
        assert!(out.iter().any(
            |f| matches!(&f.fact, Fact::Database { engine, .. } if engine == "PostgreSQL") && f.evidence.line == 13
        ));
    }

    #[test]
    fn class_mapping_prefixes_method_mappings() {
        let java = "@RestController\n@RequestMapping(\"/api/v1/orders\")\npublic class OrderController {\n  @GetMapping(\"/{id}\")\n  Order get() {}\n  @PostMapping\n  Order create() {}\n}\n";
        let mut out = Vec::new();
        source(&SourceFile::new("OrderController.java", java), &mut out);
        let endpoints: Vec<_> = out
            .iter()
            .filter_map(|f| match &f.fact {
                Fact::Endpoint { method, path } => Some(format!("{method} {path}")),
                _ => None,
            })
            .collect();
        assert_eq!(endpoints, ["GET /api/v1/orders/{id}", "POST /api/v1/orders"]);
    }
}
