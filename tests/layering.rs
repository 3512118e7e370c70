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
