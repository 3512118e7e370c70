//! The domain (scenario, catalog, engine, report) never depends on the terminal: every TUI
//! action needs a headless twin with the same answers. Checked by reading the sources.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::fs;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn domain_modules_import_no_terminal_code() {
    let mut files = Vec::new();
    for m in ["scenario", "catalog", "engine", "report"] {
        rust_files(&Path::new("src").join(m), &mut files);
    }
    assert!(files.len() >= 5, "found {files:?}");
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        for banned in ["ratatui", "crossterm", "tokio", "crate::tui"] {
            assert!(!text.contains(banned), "{} mentions {banned}", f.display());
        }
    }
}

fn rust_files_under(paths: &[&str]) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        let p = Path::new(p);
        if p.is_dir() {
            rust_files(p, &mut files);
        } else {
            files.push(p.to_path_buf());
        }
    }
    files
}

/// The Elm shape: the model and `update` never depend on drawing. What `update` needs from
/// the screen (rows, hit-tests, scroll bounds, chart data) is in tui/model and tui/chart,
/// which are held to the same rule because update reads them.
#[test]
fn update_imports_no_drawing_code() {
    let files = rust_files_under(&["src/tui/app.rs", "src/tui/update", "src/tui/model", "src/tui/chart.rs"]);
    assert!(
        files.iter().any(|f| f.ends_with("app.rs")) && files.iter().any(|f| f.starts_with("src/tui/update")),
        "found {files:?}"
    );
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        for banned in ["panes::", "view::"] {
            assert!(!text.contains(banned), "{} mentions {banned}", f.display());
        }
    }
}

/// The catalog is the bottom layer: scenarios refer to catalog entries, never the reverse.
#[test]
fn catalog_imports_no_scenario() {
    let files = rust_files_under(&["src/catalog"]);
    assert!(!files.is_empty(), "no catalog sources found");
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        assert!(
            !text.contains("crate::scenario"),
            "{} mentions crate::scenario",
            f.display()
        );
    }
}
