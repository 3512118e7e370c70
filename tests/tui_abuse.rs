//! The workbench under random keys, pastes, mouse events, resizes (0x0 to 300x100) and timer
//! ticks, drawn after every event at whatever size the terminal has: never a panic, the
//! committed scenario always valid, a plan always on screen, the selection on a row shown. Effects are checked, not carried out, so nothing is
//! written. `LLMCAP_FUZZ_CASES=N` runs more sequences (CI runs 24).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::cases;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use llmcap::catalog::Catalog;
use llmcap::scenario::{Routing, RoutingPattern, Scenario, validate_with_catalog};
use llmcap::tui::ThemeKind;
use llmcap::tui::app::{App, Effect, Msg, update};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Keys people press, bound or not, with the characters that matter to numbers and paths.
const CHARS: &str = "qQ?+-=<>_hjklHLgGeistSoxuUbBT0123456789.,eE kKmM/ abcdz\u{e9}\u{1F600}";

fn code() -> impl Strategy<Value = KeyCode> {
    let chars: Vec<char> = CHARS.chars().collect();
    prop_oneof![
        6 => proptest::sample::select(chars).prop_map(KeyCode::Char),
        1 => Just(KeyCode::Enter),
        1 => Just(KeyCode::Esc),
        1 => Just(KeyCode::Tab),
        1 => Just(KeyCode::BackTab),
        1 => Just(KeyCode::Backspace),
        1 => Just(KeyCode::Delete),
        1 => Just(KeyCode::Up),
        1 => Just(KeyCode::Down),
        1 => Just(KeyCode::Left),
        1 => Just(KeyCode::Right),
        1 => Just(KeyCode::PageUp),
        1 => Just(KeyCode::PageDown),
        1 => Just(KeyCode::Home),
        1 => Just(KeyCode::End),
        1 => Just(KeyCode::F(1)),
    ]
}

fn modifiers() -> impl Strategy<Value = KeyModifiers> {
    prop_oneof![
        8 => Just(KeyModifiers::NONE),
        1 => Just(KeyModifiers::SHIFT),
        1 => Just(KeyModifiers::CONTROL),
        1 => Just(KeyModifiers::ALT),
    ]
}

fn msg() -> impl Strategy<Value = Msg> {
    prop_oneof![
        20 => (code(), modifiers()).prop_map(|(c, m)| Msg::Key(KeyEvent::new(c, m))),
        3 => (0u16..260, 0u16..90, 0u8..4).prop_map(|(x, y, k)| Msg::Mouse(MouseEvent {
            kind: match k {
                0 => MouseEventKind::Down(MouseButton::Left),
                1 => MouseEventKind::ScrollUp,
                2 => MouseEventKind::ScrollDown,
                _ => MouseEventKind::Moved,
            },
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })),
        2 => prop_oneof![
            3 => (80u16..=300, 24u16..=100),
            1 => (0u16..=80, 0u16..=30),
        ]
        .prop_map(|(w, h)| Msg::Resize(w, h)),
        1 => "(?s).{0,80}".prop_map(Msg::Paste),
        1 => Just(Msg::Tick),
    ]
}

proptest! {
    #![proptest_config(cases(24))]

    #[test]
    fn random_sessions_never_break_the_workbench(
        msgs in proptest::collection::vec(msg(), 1..150),
        routing in proptest::option::of(proptest::sample::select(RoutingPattern::ALL.to_vec())),
    ) {
        let catalog = Catalog::embedded().unwrap();
        // Half the sessions start with routing legs, whose rows come and go as they are edited.
        let mut start = Scenario::example();
        start.routing = routing.map(|p| Routing::starting(p, start.quality));
        let mut app = App::new(catalog, "2026-12-01".parse::<llmcap::date::Date>().unwrap(), start, None, ThemeKind::Color);
        app.state_dir = Some(std::env::temp_dir().join("llmcap-abuse-never-written"));
        for m in msgs {
            for effect in update(&mut app, m) {
                // Nothing is carried out; what would be written must be a real path.
                match effect {
                    Effect::Save { path, .. } | Effect::Write { path, .. } | Effect::Load(path) | Effect::Remove(path) => {
                        prop_assert!(!path.as_os_str().is_empty());
                    }
                    Effect::Complete(_) | Effect::Suspend | Effect::Quit => {}
                }
            }
            if app.quit {
                break;
            }
            let issues = validate_with_catalog(&app.scenario, &app.catalog);
            prop_assert!(issues.is_empty(), "committed an invalid scenario: {issues:?}");
            let selected = app.selected_field();
            prop_assert!(selected.applies(&app.scenario), "the selection is on a hidden row: {selected:?}");
            prop_assert!(app.plan.is_some());
            let (w, h) = app.size;
            let mut term = Terminal::new(TestBackend::new(w.max(1), h.max(1))).unwrap();
            term.draw(|f| llmcap::tui::view::view(&app, f)).unwrap();
        }
    }
}
