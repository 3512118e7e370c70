//! The workbench with a panic on the key `Z`, for tests/tui_tmux.rs: it checks in a real
//! terminal that a panic inside the event loop still gives the terminal back (raw mode off,
//! normal screen, mouse reporting off) and leaves the message readable.
//!
//! Usage: `cargo run --example panic_probe -- FILE`, then press Z.

#![allow(clippy::panic, clippy::unwrap_used)] // a test fixture that exists to panic

use std::path::PathBuf;

use crossterm::event::KeyCode;
use llmcap::catalog::Catalog;
use llmcap::tui::app::Msg;
use llmcap::tui::{ThemeKind, app_for, run_observed};

fn main() {
    let file = std::env::args().nth(1).map(PathBuf::from);
    let app = app_for(
        Catalog::embedded().unwrap(),
        llmcap::date::Date::today(),
        file.as_deref(),
        ThemeKind::Color,
    )
    .unwrap();
    let result = run_observed(app, &mut |msg| {
        if let Msg::Key(k) = msg
            && k.code == KeyCode::Char('Z')
        {
            panic!("panic_probe: Z pressed");
        }
    });
    match result {
        Ok(code) => std::process::exit(i32::from(code)),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
