//! The `{name}` placeholders of a path template: a document's path (`{epic_key}`) and an `OpenAPI`
//! path (`/v1/clinics/{clinicSlug}`) write them alike.

/// The names between braces in `path`, in order; an unclosed brace ends the list.
pub fn names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        out.push(rest[open + 1..open + close].to_string());
        rest = &rest[open + close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_order_and_an_unclosed_brace_ends_them() {
        assert_eq!(names("/v1/{a}/x/{b_c}"), vec!["a", "b_c"]);
        assert_eq!(names("docs/{epic}/{feature}.md"), vec!["epic", "feature"]);
        assert_eq!(names("/v1/{a}/{b"), vec!["a"]);
        assert!(names("/plain").is_empty());
    }
}
