//! No relative link reaches the pages rustdoc renders (docs.rs): the crate's front page, the
//! guides (`src/guide.rs`, the repository's `docs/*.md`) and every doc comment in `src/`.
//!
//! A link such as `[x](docs/verdicts.md)` or `[x](../src/clock.rs)` works on GitHub and is dead
//! on docs.rs. `RUSTDOCFLAGS="-D warnings" cargo doc` checks that every intra-doc link resolves;
//! this test checks that no link is a file path instead. It reads the Markdown the way rustdoc
//! assembles it (`//!` lines and `#![doc = include_str!(…)]` in order; for a guide, the link
//! definitions of `src/guide/links.md` first, then the page) and follows CommonMark's rule that
//! the first definition of a reference label wins.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `text` without its code spans (`` `…` ``), which rustdoc shows verbatim.
fn without_code_spans(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let ticks = "`".repeat(run);
        let after = &rest[start + run..];
        match after.find(&ticks) {
            Some(end) => {
                // A code span may run over a line break: keep the lines apart.
                out.extend(after[..end].chars().filter(|&c| c == '\n'));
                rest = &after[end + run..];
            }
            None => {
                rest = after;
                out.push_str(&ticks);
            }
        }
    }
    out.push_str(rest);
    out
}

/// The destinations of the links in Markdown `text`: every inline `[text](dest)` and the
/// effective (first) definition of every reference label, outside code blocks and code spans.
fn destinations(text: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else {
            prose.push_str(line);
        }
        prose.push('\n');
    }
    let mut found = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    for line in without_code_spans(&prose).lines() {
        let t = line.trim_start();
        let definition = t.strip_prefix('[').and_then(|r| r.split_once("]:"));
        if let Some((label, dest)) = definition.filter(|(l, _)| line.len() - t.len() <= 3 && !l.contains(']'))
        {
            let label = label.to_lowercase();
            if !labels.contains(&label) {
                labels.push(label);
                found.push(dest.split_whitespace().next().unwrap_or("").to_owned());
            }
            continue;
        }
        for (i, _) in line.match_indices("](") {
            let dest: String =
                line[i + 2..].chars().take_while(|&c| c != ')' && !c.is_whitespace()).collect();
            found.push(dest);
        }
    }
    found
}

/// A destination that names a file (a path relative to the Markdown file), not an item or a URL.
fn is_file_path(dest: &str) -> bool {
    let d = dest.trim_start_matches('<').trim_end_matches('>');
    if ["http://", "https://", "mailto:", "#"].iter().any(|p| d.starts_with(p)) {
        return false;
    }
    let path = d.split('#').next().unwrap_or("");
    path.contains('/')
        || path.starts_with('.')
        || [".md", ".rs", ".html", ".txt"].iter().any(|x| path.ends_with(x))
}

/// The relative links of one rendered page, as `page: dest` lines.
fn relative_links(page: &str, text: &str) -> Vec<String> {
    destinations(text).into_iter().filter(|d| is_file_path(d)).map(|d| format!("{page}: {d}")).collect()
}

/// The path inside the first `include_str!("…")` on `line`, if any.
fn included(line: &str) -> Option<&str> {
    let start = line.find("include_str!(\"")? + "include_str!(\"".len();
    let len = line[start..].find('"')?;
    Some(&line[start..start + len])
}

/// The crate-level documentation of `src/lib.rs` as rustdoc assembles it: its `//!` lines and
/// `#![doc = include_str!(…)]` files, in order.
fn front_page() -> String {
    let src = root().join("src");
    let mut page = String::new();
    for line in read(&src.join("lib.rs")).lines() {
        let t = line.trim_start();
        if let Some(doc) = t.strip_prefix("//!") {
            page.push_str(doc.strip_prefix(' ').unwrap_or(doc));
            page.push('\n');
        } else if let Some(file) = included(t).filter(|_| t.starts_with("#![doc")) {
            page.push_str(&read(&src.join(file)));
            page.push('\n');
        }
    }
    page
}

/// The guides of `src/guide.rs`: `(module, docs/ file)` from its `guide!(module, "file")` lines,
/// and the files the `guide!` macro puts before every page.
fn guides() -> (Vec<(String, String)>, Vec<PathBuf>) {
    let src = root().join("src");
    let text = read(&src.join("guide.rs"));
    let mut pages = Vec::new();
    let mut prefix = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(args) = t.strip_prefix("guide!(").and_then(|a| a.strip_suffix(");")) {
            let (name, file) = args.split_once(',').expect("guide!(name, \"file\")");
            pages.push((name.trim().to_owned(), file.trim().trim_matches('"').to_owned()));
        } else if let Some(file) = included(t).filter(|_| t.starts_with("#[doc") && !t.contains("concat!")) {
            prefix.push(src.join(file));
        }
    }
    (pages, prefix)
}

#[test]
fn the_scanner_finds_what_rustdoc_would_render_as_a_file_link() {
    let page = "\
[ok]: crate::guide::verdicts
See [the tables](docs/verdicts.md), [up](../README.md), [`clock`](../src/clock.rs) and
[ok] and [fine](crate::otp::verify) and [web](https://example.org/a.md) and [here](#rule).
`[not a link](docs/x.md)` in a code span, and [ok][ok], `a span over
a line break [not a link](docs/z.md)` and [`a span in a link`](docs/span.md).
```text
[in a code block](docs/y.md)
```
[ok]: verdicts.md
[late]: upgrading.md
";
    assert_eq!(
        relative_links("p", page),
        [
            "p: docs/verdicts.md",
            "p: ../README.md",
            "p: ../src/clock.rs",
            "p: docs/span.md",
            "p: upgrading.md"
        ]
    );
}

#[test]
fn the_crate_front_page_has_no_relative_links() {
    let page = front_page();
    assert!(page.contains("compare-and-swap"), "front page not found in src/lib.rs:\n{page}");
    let bad = relative_links("crate front page", &page);
    assert!(bad.is_empty(), "links that are dead on docs.rs (use intra-doc links):\n{}", bad.join("\n"));
}

#[test]
fn every_guide_renders_without_relative_links() {
    let (pages, prefix) = guides();
    assert!(!prefix.is_empty(), "src/guide.rs: the guide! macro's link definitions not found");
    let mut bad = relative_links("src/guide.rs", &read(&root().join("src/guide.rs")));
    for (name, file) in &pages {
        let mut text = String::new();
        for p in &prefix {
            text.push_str(&read(p));
            text.push('\n');
        }
        text.push_str(&read(&root().join("docs").join(file)));
        bad.extend(relative_links(&format!("guide::{name} (docs/{file})"), &text));
    }
    assert!(
        bad.is_empty(),
        "links that are dead on docs.rs: write them reference-style (`[verdicts.md]`, defined at \
         the end of the page) and define the label as an intra-doc link in src/guide/links.md:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_page_of_docs_is_a_guide() {
    let (pages, _) = guides();
    let mut missing = Vec::new();
    for e in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") && !pages.iter().any(|(_, f)| *f == name) {
            missing.push(name);
        }
    }
    assert!(pages.len() >= 9, "{pages:?}");
    assert!(missing.is_empty(), "docs/ pages missing from src/guide.rs (docs.rs): {missing:?}");
}

/// Every `//!` and `///` comment in `src/`, one file at a time.
#[test]
fn no_doc_comment_links_to_a_file() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    let mut bad = Vec::new();
    for f in &files {
        let docs: String = read(f)
            .lines()
            .filter_map(|l| {
                let t = l.trim_start();
                t.strip_prefix("//!").or_else(|| t.strip_prefix("///"))
            })
            .map(|d| format!("{}\n", d.strip_prefix(' ').unwrap_or(d)))
            .collect();
        bad.extend(relative_links(&f.strip_prefix(root()).unwrap().display().to_string(), &docs));
    }
    assert!(files.len() > 40, "{} files", files.len());
    assert!(bad.is_empty(), "links that are dead on docs.rs:\n{}", bad.join("\n"));
}
