//! Every test or source the docs cite as evidence exists: a `path.rs` reference must name a file
//! of the repository, and `path.rs::name` a function in it (so a verdict table cannot point at a
//! test that was renamed or removed). The history in CHANGELOG.md and benches/ is left
//! out: it names files that are gone on purpose.

use std::path::Path;

const DOCS: &[&str] = &["README.md", "docs", "fuzz/README.md", "bindings/java/README.md"];

fn files(root: &Path, rel: &str, out: &mut Vec<std::path::PathBuf>) {
    let p = root.join(rel);
    if p.is_dir() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap().path();
            if e.extension().is_some_and(|x| x == "md") {
                out.push(e);
            }
        }
    } else {
        out.push(p);
    }
}

/// The `src/…rs`, `tests/…rs`, `checks/…rs` references in `text`, with the `::name` if any.
fn references(text: &str) -> Vec<(String, Option<String>)> {
    let mut refs = Vec::new();
    for (i, _) in text.match_indices(".rs") {
        let start = text[..i]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '/' || c == '-'))
            .map_or(0, |s| s + 1);
        let path = &text[start..i + 3];
        if !["src/", "tests/", "checks/", "benches/", "fuzz/"].iter().any(|p| path.starts_with(p)) {
            continue;
        }
        let rest = &text[i + 3..];
        let name = rest
            .strip_prefix("::")
            .map(|r| r.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>());
        refs.push((path.to_string(), name.filter(|n| !n.is_empty())));
    }
    refs
}

#[test]
fn cited_files_and_tests_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = Vec::new();
    for d in DOCS {
        files(root, d, &mut docs);
    }
    let mut missing = Vec::new();
    let mut seen = 0;
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap();
        for (path, name) in references(&text) {
            seen += 1;
            let Ok(src) = std::fs::read_to_string(root.join(&path)) else {
                missing.push(format!("{}: {path}", doc.display()));
                continue;
            };
            if let Some(n) = name {
                // A test or function (`fn name`), or a module-level item (`mod`, `struct`, …).
                let found = ["fn ", "mod ", "struct ", "enum ", "const ", "static ", "macro_rules! "]
                    .iter()
                    .any(|k| src.contains(&format!("{k}{n}")));
                if !found {
                    missing.push(format!("{}: {path}::{n}", doc.display()));
                }
            }
        }
    }
    assert!(seen > 50, "found only {seen} references: is the pattern still right?");
    assert!(missing.is_empty(), "cited but not found:\n{}", missing.join("\n"));
}
