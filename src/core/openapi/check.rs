//! The in-process structural check of an `OpenAPI` document: every `$ref` resolves, the required
//! fields are there, operation ids are unique, every path parameter is declared (and only
//! those), every security requirement names a scheme; and where `x-todo` marks a gap.
use oas3::Spec;
use oas3::spec::{ObjectOrReference, Operation, Parameter, ParameterIn, PathItem};
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};

/// What keeps `spec` from being a valid `OpenAPI` 3.1 document, one sentence each.
pub fn problems(spec: &Spec) -> Vec<String> {
    let mut out = Vec::new();
    if !spec.openapi.starts_with("3.1.") {
        out.push(format!("openapi is \"{}\", not 3.1.x", spec.openapi));
    }
    if spec.info.title.trim().is_empty() {
        out.push("info.title is empty".into());
    }
    if spec.info.version.trim().is_empty() {
        out.push("info.version is empty".into());
    }
    let schemes: HashSet<&str> = spec
        .components
        .as_ref()
        .map(|c| c.security_schemes.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut ids = HashSet::new();
    for (path, item) in spec.paths.iter().flatten() {
        if !path.starts_with('/') {
            out.push(format!("path \"{path}\" does not start with /"));
        }
        for (method, op) in item.methods() {
            let at = format!("{method} {path}");
            match &op.operation_id {
                Some(id) if !ids.insert(id.clone()) => out.push(format!("{at}: operationId \"{id}\" is used twice")),
                Some(_) => {}
                None => out.push(format!("{at} has no operationId")),
            }
            match &op.responses {
                Some(r) if !r.is_empty() => {
                    for (status, response) in r {
                        if let ObjectOrReference::Object(resp) = response
                            && resp.description.is_none()
                        {
                            out.push(format!("{at}: response {status} has no description"));
                        }
                    }
                }
                _ => out.push(format!("{at} has no response")),
            }
            out.extend(path_parameters(spec, path, item, op, &at));
            for requirement in &op.security {
                for name in requirement.0.keys() {
                    if !schemes.contains(name.as_str()) {
                        out.push(format!(
                            "{at}: security names \"{name}\", which is not a security scheme"
                        ));
                    }
                }
            }
        }
    }
    for requirement in &spec.security {
        for name in requirement.0.keys() {
            if !schemes.contains(name.as_str()) {
                out.push(format!("security names \"{name}\", which is not a security scheme"));
            }
        }
    }
    match serde_json::to_value(spec) {
        Ok(tree) => unresolved(&tree, &tree, &mut out),
        Err(e) => out.push(format!("the document does not serialise: {e}")),
    }
    out
}

fn path_parameters(spec: &Spec, path: &str, item: &PathItem, op: &Operation, at: &str) -> Vec<String> {
    let mut out = Vec::new();
    let declared: Vec<Parameter> = item
        .parameters
        .iter()
        .chain(&op.parameters)
        .filter_map(|p| p.resolve(spec).ok())
        .collect();
    let unresolved = item.parameters.len() + op.parameters.len() - declared.len();
    if unresolved > 0 {
        out.push(format!("{at}: {unresolved} parameter reference(s) do not resolve"));
    }
    let in_path: BTreeSet<&str> = declared
        .iter()
        .filter(|p| p.location == ParameterIn::Path)
        .map(|p| p.name.as_str())
        .collect();
    let template = crate::core::placeholder::names(path);
    for name in &template {
        match declared
            .iter()
            .find(|p| p.location == ParameterIn::Path && p.name == *name)
        {
            None => out.push(format!("{at}: path parameter \"{name}\" is not declared")),
            Some(p) if p.required != Some(true) => {
                out.push(format!("{at}: path parameter \"{name}\" is not marked required"));
            }
            Some(_) => {}
        }
    }
    for name in in_path {
        if !template.iter().any(|t| t == name) {
            out.push(format!("{at}: path parameter \"{name}\" is not in the path"));
        }
    }
    let mut seen = HashSet::new();
    for p in &declared {
        if !seen.insert((p.name.as_str(), format!("{:?}", p.location))) {
            out.push(format!("{at}: parameter \"{}\" is declared twice", p.name));
        }
        if p.schema.is_none() && p.content.is_none() {
            out.push(format!("{at}: parameter \"{}\" has neither schema nor content", p.name));
        }
    }
    out
}

/// Every local `$ref` must point at something in the document.
fn unresolved(root: &Value, node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                match target.strip_prefix('#') {
                    Some(pointer) if root.pointer(pointer).is_some() => {}
                    Some(_) => out.push(format!("$ref \"{target}\" points at nothing in the document")),
                    None => out.push(format!("$ref \"{target}\" is not a reference inside the document")),
                }
            }
            for value in map.values() {
                unresolved(root, value, out);
            }
        }
        Value::Array(items) => {
            for value in items {
                unresolved(root, value, out);
            }
        }
        _ => {}
    }
}

/// The `x-todo` marks in the document, each with where it stands (a JSON pointer).
pub fn todos(spec: &Spec) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(tree) = serde_json::to_value(spec) {
        collect_todos(&tree, "", &mut out);
    }
    out
}

fn collect_todos(node: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                if key == "x-todo" {
                    match value {
                        Value::Array(items) => {
                            for item in items {
                                out.push((at.to_string(), item.as_str().unwrap_or_default().to_string()));
                            }
                        }
                        other => out.push((at.to_string(), other.as_str().unwrap_or_default().to_string())),
                    }
                } else {
                    collect_todos(value, &here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                collect_todos(value, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}
