//! The documents a project already has at the top of `.specflow/docs/`, by file name, so that
//! a template can refer to a sibling document (D04 to D01, D02, D03) by the name it has.
use std::path::Path;

use crate::core::fsio::{Kind, Project};

/// File names of the Markdown files directly in the project's `.specflow/docs/`, sorted; none
/// when it is missing or cannot be read. Only regular files count: a link is not followed.
pub fn list(project: &Project) -> Vec<String> {
    let Ok(Some(folder)) = project.folder(".specflow/docs", false) else {
        return Vec::new();
    };
    let mut names: Vec<String> = folder
        .entries()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.kind == Kind::File)
        .filter_map(|e| e.name().map(str::to_string))
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
        let project = Project::new(dir.path());
        assert!(list(&project).is_empty(), "no .specflow/docs yet");
        let docs = dir.path().join(".specflow/docs");
        std::fs::create_dir_all(&docs).unwrap();
        for name in ["D02-stack.md", "D01-requirements.md", "notes.txt"] {
            std::fs::write(docs.join(name), "x").unwrap();
        }
        std::fs::create_dir(docs.join("D03-folder.md")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(docs.join("D02-stack.md"), docs.join("D05-link.md")).unwrap();
        assert_eq!(list(&project), ["D01-requirements.md", "D02-stack.md"]);
    }
}
