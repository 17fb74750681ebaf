//! The documents a project already has at the top of `.specflow/docs/`, by file name, so that
//! a template can refer to a sibling document (D04 to D01, D02, D03) by the name it has.
use std::path::Path;

/// File names of the Markdown files directly in `docs_dir`, sorted; none when it is missing.
/// Only regular files count (a link is not followed to decide).
pub fn list(docs_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(docs_dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| {
            Path::new(name)
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("md"))
        })
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_markdown_files_only_sorted() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["D02-stack.md", "D01-requirements.md", "notes.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("D03-folder.md")).unwrap();
        assert_eq!(list(dir.path()), ["D01-requirements.md", "D02-stack.md"]);
        assert!(list(&dir.path().join("missing")).is_empty());
    }
}
