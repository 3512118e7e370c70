//! The workbench's targets: a keystroke that edits a field, recomputes the plan and renders a
//! full 200x60 frame (under 5 ms median), and start-up to the first frame (under 100 ms).
//! Run: `cargo bench --bench tui`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: fail loudly

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use llmcap::catalog::Catalog;
use llmcap::tui::app::Msg;
use llmcap::tui::fields::{self, FieldId};
use llmcap::tui::{ThemeKind, app_for, dispatch};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

const CASES: [&str; 3] = [
    "scenarios/support-chatbot.ron",
    "scenarios/rag-assistant-1m.ron",
    "scenarios/factory-floor-air-gapped.ron",
];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tui");
    for case in CASES {
        let name = Path::new(case).file_stem().unwrap().to_string_lossy().into_owned();
        let mut app = app_for(
            Catalog::embedded().unwrap(),
            "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
            Some(Path::new(case)),
            ThemeKind::Color,
        )
        .unwrap();
        app.size = (200, 60);
        app.field = fields::index_of(FieldId::RequestsPerDay);
        let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
        let mut up = true;
        group.bench_function(
            format!("keystroke: step requests/day, recompute, draw 200x60 ({name})"),
            |b| {
                b.iter(|| {
                    // Up and down in turn, so every press changes the scenario.
                    dispatch(&mut app, key(if up { '+' } else { '-' }));
                    up = !up;
                    term.draw(|f| llmcap::tui::view::view(black_box(&app), f)).unwrap();
                })
            },
        );
    }
    let mut app = app_for(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Some(Path::new(CASES[0])),
        ThemeKind::Color,
    )
    .unwrap();
    app.size = (200, 60);
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    group.bench_function("draw only, 200x60 (support-chatbot)", |b| {
        b.iter(|| {
            term.draw(|f| llmcap::tui::view::view(black_box(&app), f)).unwrap();
        })
    });
    group.bench_function(
        "start-up: catalog, open file, evaluate, first 200x60 frame (support-chatbot)",
        |b| {
            b.iter(|| {
                let catalog = Catalog::load(None).unwrap();
                let app = app_for(
                    catalog,
                    "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
                    Some(Path::new(CASES[0])),
                    ThemeKind::Color,
                )
                .unwrap();
                let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
                term.draw(|f| llmcap::tui::view::view(&app, f)).unwrap();
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
