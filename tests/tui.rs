//! The workbench driven by messages, as the runtime drives it, and drawn into a `TestBackend`.
//! Effects that touch files are carried out by the real runtime function (`run_effect`) in a
//! temporary folder, so saving, conflicts and recovery are tested end to end without a terminal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use llmcap::catalog::Catalog;
use llmcap::scenario::{self, Scenario, Tier};
use llmcap::tui::app::{App, Confirm, Effect, Mode, Msg, Overlay, Purpose};
use llmcap::tui::fields::{self, FieldId};
use llmcap::tui::layout::Pane;
use llmcap::tui::{ThemeKind, app_for, dispatch};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

fn app() -> App {
    App::new(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Scenario::example(),
        None,
        ThemeKind::Color,
    )
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Sends messages one by one as the runtime does; returns every effect carried out.
fn drive(app: &mut App, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|m| dispatch(app, m)).collect()
}

fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(ch).collect()
}

fn select(app: &mut App, id: FieldId) {
    app.focus = Pane::Scenario;
    app.field = fields::index_of(id);
}

fn recommended(app: &App) -> String {
    let r = app.plan.as_ref().unwrap().recommendation.as_ref().unwrap();
    format!("{}:{}", r.option, r.model)
}

fn screen(app: &App, w: u16, h: u16) -> (String, Terminal<TestBackend>) {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| llmcap::tui::view::view(app, f)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    (out, term)
}

fn text(app: &App, w: u16, h: u16) -> String {
    screen(app, w, h).0
}

#[test]
fn quit_asks_only_when_there_are_unsaved_changes() {
    let mut a = app();
    assert!(!a.dirty());
    let fx = drive(&mut a, [ch('q')]);
    assert!(a.quit);
    assert_eq!(fx, vec![Effect::Quit]);

    let mut a = app();
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), ch('q')]);
    assert!(a.dirty());
    assert!(!a.quit, "unsaved changes: must ask");
    assert!(matches!(
        a.overlays.last(),
        Some(Overlay::Confirm(Confirm::QuitUnsaved))
    ));
    drive(&mut a, [key(KeyCode::Esc)]);
    assert!(!a.quit && a.overlays.is_empty(), "Esc stays");
    drive(&mut a, [ch('q'), ch('d')]);
    assert!(a.quit, "d discards and quits");
}

#[test]
fn q_in_a_text_field_is_typed_not_quit() {
    let mut a = app();
    select(&mut a, FieldId::Name);
    drive(&mut a, [key(KeyCode::Enter), ctrl('u')]);
    drive(&mut a, typed("quarterly q&a"));
    assert!(!a.quit);
    drive(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(a.scenario.name, "quarterly q&a");
    assert_eq!(a.mode, Mode::Normal);
}

#[test]
fn invalid_input_is_not_committed_and_the_plan_goes_stale() {
    let mut a = app();
    let before = a.scenario.clone();
    let plan_before = a.plan.clone();
    select(&mut a, FieldId::CachedInputShare);
    drive(&mut a, [key(KeyCode::Enter), ctrl('u')]);
    drive(&mut a, typed("1.5"));
    let Mode::Editing(e) = &a.mode else {
        panic!("still editing")
    };
    assert!(
        e.error.as_deref().unwrap().contains("1.5 is too large"),
        "{:?}",
        e.error
    );
    assert!(a.stale.as_deref().unwrap().starts_with("Cached input: "));
    // The panes show the plan of the last valid input ("1"), not a blank.
    assert!(a.plan.as_ref().unwrap().recommendation.is_some());
    drive(&mut a, [key(KeyCode::Enter)]);
    assert!(
        matches!(a.mode, Mode::Editing(_)),
        "Enter on invalid input does not commit"
    );
    assert_eq!(a.scenario, before);
    // The inline message is on screen, in words (not colour alone).
    let t = text(&a, 120, 40);
    assert!(t.contains("✗ 1.5 is too large"), "{t}");
    assert!(t.contains("STALE"), "{t}");
    drive(&mut a, [key(KeyCode::Esc)]);
    assert_eq!(a.mode, Mode::Normal);
    assert!(a.stale.is_none());
    assert!(a.plan == plan_before, "Esc puts back the committed scenario's plan");
    assert_eq!(a.scenario, before);
    assert!(a.undo.is_empty(), "nothing was committed");

    drive(&mut a, [key(KeyCode::Enter), ctrl('u')]);
    drive(&mut a, typed("abc"));
    let Mode::Editing(e) = &a.mode else { panic!() };
    assert!(e.error.as_deref().unwrap().contains("not a number"));
}

#[test]
fn typing_into_a_number_replaces_it_and_cursor_keys_edit_it() {
    // The workshop review's trap: Enter, then `1m`, gave 1000001m.
    let mut a = app();
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [key(KeyCode::Enter)]);
    drive(&mut a, typed("1m"));
    assert_eq!(
        a.plan.as_ref().unwrap().demand.requests_per_day,
        1e6,
        "the preview follows 1m"
    );
    drive(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(a.scenario.workload.requests_per_day, 1e6);
    // After a cursor key the old value is edited in place.
    drive(
        &mut a,
        [key(KeyCode::Enter), key(KeyCode::End), ch('0'), key(KeyCode::Enter)],
    );
    assert_eq!(a.scenario.workload.requests_per_day, 1e7);
    // A paste replaces it too.
    drive(
        &mut a,
        [key(KeyCode::Enter), Msg::Paste("250k".into()), key(KeyCode::Enter)],
    );
    assert_eq!(a.scenario.workload.requests_per_day, 250_000.0);
    // Text fields still append: a name is extended more often than retyped.
    select(&mut a, FieldId::Name);
    drive(&mut a, [key(KeyCode::Enter)]);
    drive(&mut a, typed(" v2"));
    drive(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(a.scenario.name, "Customer-support chatbot v2");
}

#[test]
fn every_keystroke_recomputes_while_typing() {
    let mut a = app();
    select(&mut a, FieldId::RequestsPerDay);
    let small = recommended(&a);
    drive(&mut a, [key(KeyCode::Enter), ctrl('u')]);
    drive(&mut a, typed("1000"));
    // Not committed yet, but the panes already show the plan for what is typed.
    assert_eq!(a.scenario.workload.requests_per_day, 100_000.0);
    assert_eq!(a.plan.as_ref().unwrap().demand.requests_per_day, 1e3);
    assert_ne!(recommended(&a), small, "1k requests/day changes the answer");
    drive(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(a.scenario.workload.requests_per_day, 1e3);
}

#[test]
fn pastes_go_into_text_and_never_act_as_keys() {
    let mut a = app();
    // Outside a text field a paste does nothing: "q" in it does not quit, "x" does not export.
    drive(&mut a, [Msg::Paste("qx+".into())]);
    assert!(!a.quit && a.overlays.is_empty());
    assert_eq!(a.scenario, Scenario::example());
    select(&mut a, FieldId::RequestsPerDay);
    drive(
        &mut a,
        [key(KeyCode::Enter), ctrl('u'), Msg::Paste("2,500,000\n".into())],
    );
    let Mode::Editing(e) = &a.mode else { panic!() };
    assert_eq!(e.input, "2,500,000 ");
    assert_eq!(
        a.plan.as_ref().unwrap().demand.requests_per_day,
        2.5e6,
        "previewed like typing"
    );
    drive(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(a.scenario.workload.requests_per_day, 2.5e6);
    // Into the open prompt.
    drive(&mut a, [ch('o'), ctrl('u'), Msg::Paste("/tmp/some where.ron".into())]);
    let Some(Overlay::Prompt(p)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(p.input, "/tmp/some where.ron");
}

#[test]
fn undo_and_redo_every_edit() {
    let mut a = app();
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), ch('+')]);
    assert_eq!(a.scenario.workload.requests_per_day, 120_000.0);
    select(&mut a, FieldId::Quality);
    drive(&mut a, [key(KeyCode::Enter), key(KeyCode::Up), key(KeyCode::Enter)]);
    assert_eq!(a.scenario.quality, Tier::Strong);
    drive(&mut a, [ch('u')]);
    assert_eq!(a.scenario.quality, Tier::Efficient);
    drive(&mut a, [ch('u'), ch('u')]);
    assert_eq!(a.scenario, Scenario::example());
    assert!(!a.dirty(), "undone back to the start: nothing to save");
    drive(&mut a, [ctrl('r'), ctrl('r'), ctrl('r')]);
    assert_eq!(a.scenario.workload.requests_per_day, 120_000.0);
    assert_eq!(a.scenario.quality, Tier::Strong);
    drive(&mut a, [ctrl('r')]);
    assert!(a.message.as_ref().unwrap().1.contains("nothing to redo"));
    // A new edit after undo drops the redo history.
    drive(&mut a, [ch('u'), ch('+')]);
    assert!(a.redo.is_empty());
}

#[test]
fn baseline_deltas_show_in_every_pane() {
    let mut a = app();
    drive(&mut a, [ch('b')]);
    let base_cost = a
        .baseline
        .as_ref()
        .unwrap()
        .plan
        .recommendation
        .as_ref()
        .unwrap()
        .monthly_cost_usd;
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [key(KeyCode::Enter), ctrl('u')]);
    drive(&mut a, typed("1000"));
    drive(&mut a, [key(KeyCode::Enter)]);
    let now = a
        .plan
        .as_ref()
        .unwrap()
        .recommendation
        .as_ref()
        .unwrap()
        .monthly_cost_usd;
    assert!(now < base_cost);
    let t = text(&a, 200, 60);
    assert!(t.contains("Δ was 100,000"), "scenario delta\n{t}");
    assert!(t.contains("vs baseline $8,044"), "recommendation delta\n{t}");
    assert!(
        t.contains("Δ changed: baseline recommended foundry/managed-compute"),
        "{t}"
    );
    assert!(t.contains("Δ baseline"), "options delta column\n{t}");
    assert!(t.contains("baseline pinned"), "{t}");
    drive(&mut a, [ch('B')]);
    assert!(a.baseline.is_none());
    assert!(!text(&a, 200, 60).contains("Δ"));
}

#[test]
fn pickers_choose_and_filter() {
    let mut a = app();
    select(&mut a, FieldId::Gpus);
    drive(&mut a, [key(KeyCode::Enter)]);
    drive(&mut a, typed("h100-s"));
    let Some(Overlay::Picker(p)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(p.visible().len(), 1);
    drive(&mut a, [ch(' '), key(KeyCode::Enter)]);
    assert_eq!(a.scenario.self_hosting.gpus, vec!["h100-sxm".to_string()]);
    select(&mut a, FieldId::Residency);
    drive(&mut a, [key(KeyCode::Enter)]);
    drive(&mut a, typed("westeu"));
    drive(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(a.scenario.residency, scenario::Residency::Region("westeurope".into()));
    // Esc leaves the field as it was.
    drive(&mut a, [key(KeyCode::Enter), key(KeyCode::Down), key(KeyCode::Esc)]);
    assert_eq!(a.scenario.residency, scenario::Residency::Region("westeurope".into()));
}

#[test]
fn pickers_move_with_ctrl_n_and_p_and_letters_filter() {
    let mut a = app();
    select(&mut a, FieldId::Quality);
    // Efficient is selected; Ctrl-N moves to Compact, then Ctrl-P twice up to Strong.
    drive(&mut a, [key(KeyCode::Enter), ctrl('n'), key(KeyCode::Enter)]);
    assert_eq!(a.scenario.quality, Tier::Compact);
    drive(&mut a, [key(KeyCode::Enter), ctrl('p'), ctrl('p'), key(KeyCode::Enter)]);
    assert_eq!(a.scenario.quality, Tier::Strong);
    // j and k are letters of ids (japaneast, koreacentral): they filter.
    select(&mut a, FieldId::Region);
    drive(&mut a, [key(KeyCode::Enter), ch('j')]);
    let Some(Overlay::Picker(p)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(p.filter, "j");
}

#[test]
fn save_refuses_to_clobber_a_file_changed_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chat.ron");
    std::fs::copy("scenarios/support-chatbot.ron", &path).unwrap();
    let mut a = app_for(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Some(&path),
        ThemeKind::Color,
    )
    .unwrap();
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+')]);
    assert!(a.dirty());
    // Someone else edits the file meanwhile.
    std::fs::write(
        &path,
        std::fs::read_to_string(&path).unwrap().replace("Customer", "Other"),
    )
    .unwrap();
    let theirs = std::fs::read(&path).unwrap();
    drive(&mut a, [ctrl('s')]);
    assert!(matches!(
        a.overlays.last(),
        Some(Overlay::Confirm(Confirm::SaveChanged(_)))
    ));
    assert_eq!(std::fs::read(&path).unwrap(), theirs, "nothing written without a yes");
    drive(&mut a, [ch('n')]);
    assert!(a.dirty());
    drive(&mut a, [ctrl('s'), ch('y')]);
    assert!(!a.dirty(), "{:?} {:?}", a.overlays, a.message);
    let back = scenario::load_file(&path, &a.catalog).unwrap();
    assert_eq!(back.scenario, a.scenario);
    // A plain save now goes through without asking.
    drive(&mut a, [ch('+'), ctrl('s')]);
    assert!(a.overlays.is_empty() && !a.dirty(), "{:?} {:?}", a.overlays, a.message);
}

#[test]
fn save_as_open_and_export_go_through_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    a.cwd = dir.path().to_path_buf();
    let target = dir.path().join("mine.ron");
    // Untitled: Ctrl-S asks for a name.
    drive(&mut a, [ctrl('s')]);
    let Some(Overlay::Prompt(_)) = a.overlays.last() else {
        panic!()
    };
    drive(&mut a, [ctrl('u')]);
    drive(&mut a, typed(target.to_str().unwrap()));
    drive(&mut a, [key(KeyCode::Enter)]);
    assert!(target.exists(), "{:?}", a.message);
    assert_eq!(a.file.as_ref().unwrap().path, target);

    // Export HTML next to it, with the default name.
    let fx = drive(
        &mut a,
        [ch('x'), key(KeyCode::Down), key(KeyCode::Enter), key(KeyCode::Enter)],
    );
    let html = dir.path().join("mine.summary.html");
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Write { purpose: Purpose::Export(_), path, .. } if *path == html))
    );
    assert!(std::fs::read_to_string(&html).unwrap().contains("<svg"));
    // Again: the file exists, so it asks.
    drive(
        &mut a,
        [ch('x'), key(KeyCode::Down), key(KeyCode::Enter), key(KeyCode::Enter)],
    );
    assert!(matches!(
        a.overlays.last(),
        Some(Overlay::Confirm(Confirm::ExportExists { .. }))
    ));
    drive(&mut a, [ch('y')]);
    assert!(a.message.as_ref().unwrap().1.starts_with("exported"));

    // Open another file; unsaved changes are asked about first.
    let other = dir.path().join("other.ron");
    std::fs::copy("scenarios/content-moderation.ron", &other).unwrap();
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), ch('o'), ctrl('u')]);
    drive(&mut a, typed(other.to_str().unwrap()));
    drive(&mut a, [key(KeyCode::Enter)]);
    assert!(matches!(
        a.overlays.last(),
        Some(Overlay::Confirm(Confirm::OpenUnsaved(_)))
    ));
    drive(&mut a, [ch('y')]);
    assert_eq!(a.file.as_ref().unwrap().path, other);
    assert!(!a.dirty());
    assert!(a.undo.is_empty());

    // A broken file: a clear message, nothing lost.
    std::fs::write(dir.path().join("bad.ron"), "Scenario(version: 1, name: 3)").unwrap();
    let keep = a.scenario.clone();
    drive(&mut a, [ch('o'), ctrl('u')]);
    drive(&mut a, typed(dir.path().join("bad.ron").to_str().unwrap()));
    drive(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(a.scenario, keep);
    let msg = &a.message.as_ref().unwrap().1;
    assert!(msg.contains("bad.ron:1:"), "{msg}");
}

#[test]
fn path_completion_fills_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("alpha-scenario.ron"), "").unwrap();
    std::fs::create_dir(dir.path().join("archive")).unwrap();
    let mut a = app();
    drive(&mut a, [ch('o'), ctrl('u')]);
    let base = format!("{}/al", dir.path().display());
    drive(&mut a, typed(&base));
    drive(&mut a, [key(KeyCode::Tab)]);
    let Some(Overlay::Prompt(p)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(p.input, format!("{}/alpha-scenario.ron", dir.path().display()));
    drive(&mut a, [ctrl('u')]);
    drive(&mut a, typed(&format!("{}/a", dir.path().display())));
    drive(&mut a, [key(KeyCode::Tab)]);
    let Some(Overlay::Prompt(p)) = a.overlays.last() else {
        panic!()
    };
    assert_eq!(p.completions.len(), 2, "{:?}", p.completions);
    assert!(p.completions.iter().any(|c| c.ends_with("archive/")));
}

#[test]
fn unsaved_work_is_autosaved_and_offered_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chat.ron");
    std::fs::copy("scenarios/support-chatbot.ron", &path).unwrap();
    let state = dir.path().join("state");
    let mut a = app_for(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Some(&path),
        ThemeKind::Color,
    )
    .unwrap();
    a.state_dir = Some(state.clone());
    a.cwd = dir.path().to_path_buf();
    assert!(drive(&mut a, [Msg::Tick]).is_empty(), "nothing to keep while clean");
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), Msg::Tick]);
    let recovery = a.recovery_path().unwrap();
    assert!(recovery.starts_with(&state));
    let kept = scenario::parse_str(&std::fs::read_to_string(&recovery).unwrap(), "r").unwrap();
    assert_eq!(kept.workload.requests_per_day, 110_000.0);
    assert!(drive(&mut a, [Msg::Tick]).is_empty(), "unchanged: not written again");
    // The process dies here. The next start finds the recovery file.
    let mut b = app_for(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Some(&path),
        ThemeKind::Color,
    )
    .unwrap();
    b.state_dir = Some(state.clone());
    b.cwd = dir.path().to_path_buf();
    drive(
        &mut b,
        [Msg::RecoveryFound {
            recovery: recovery.clone(),
            scenario: Box::new(kept),
        }],
    );
    assert!(matches!(
        b.overlays.last(),
        Some(Overlay::Confirm(Confirm::Recover { .. }))
    ));
    drive(&mut b, [ch('r')]);
    assert_eq!(b.scenario.workload.requests_per_day, 110_000.0);
    assert!(b.dirty(), "recovered work is unsaved until saved");
    drive(&mut b, [ctrl('s')]);
    assert!(!recovery.exists(), "saving retires the recovery file");
    assert_eq!(
        scenario::load_file(&path, &b.catalog)
            .unwrap()
            .scenario
            .workload
            .requests_per_day,
        110_000.0
    );
}

#[test]
fn an_invalid_recovery_file_is_reported_not_offered() {
    let mut a = app();
    let mut bad = Scenario::example();
    bad.workload.input_tokens = 0.0;
    drive(
        &mut a,
        [Msg::RecoveryFound {
            recovery: "/tmp/r.ron".into(),
            scenario: Box::new(bad),
        }],
    );
    assert!(a.overlays.is_empty());
    let msg = &a.message.as_ref().unwrap().1;
    assert!(
        msg.contains("is not valid (kept)") && msg.contains("workload.input_tokens"),
        "{msg}"
    );
}

#[test]
fn recovery_kept_for_later_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    a.state_dir = Some(dir.path().to_path_buf());
    // An earlier session's recovery file for the same (untitled) scenario.
    let recovery = llmcap::tui::app::recovery_path(dir.path(), &a.cwd, None, "4242-abcdef");
    std::fs::create_dir_all(recovery.parent().unwrap()).unwrap();
    let mut earlier = Scenario::example();
    earlier.workload.requests_per_day = 777.0;
    let text = format!("// earlier\n{}", scenario::to_ron_string(&earlier).unwrap());
    std::fs::write(&recovery, &text).unwrap();
    drive(
        &mut a,
        [Msg::RecoveryFound {
            recovery: recovery.clone(),
            scenario: Box::new(earlier),
        }],
    );
    drive(&mut a, [ch('n')]);
    assert!(a.message.as_ref().unwrap().1.contains("autosaves to its own file"));
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), Msg::Tick, Msg::Tick]);
    assert_eq!(
        std::fs::read_to_string(&recovery).unwrap(),
        text,
        "not overwritten by autosave"
    );
    let own = a.recovery_path().unwrap();
    assert_ne!(own, recovery);
    assert!(
        std::fs::read_to_string(&own)
            .unwrap()
            .contains("requests_per_day: 110000"),
        "this session's work is autosaved beside it, not lost"
    );
    drive(&mut a, [ch('q'), ch('d')]);
    assert!(a.quit);
    assert_eq!(
        std::fs::read_to_string(&recovery).unwrap(),
        text,
        "not removed by a discard"
    );
}

#[test]
fn terminate_keeps_unsaved_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    a.state_dir = Some(dir.path().to_path_buf());
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), Msg::Terminate]);
    assert!(a.quit);
    let kept = std::fs::read_to_string(a.recovery_path().unwrap()).unwrap();
    assert!(kept.starts_with("// llmcap recovery file"));
    assert!(kept.contains("requests_per_day: 110000"));
}

#[test]
fn mouse_focuses_panes_and_selects_rows() {
    let mut a = app();
    a.size = (200, 60);
    // Click on the Options pane, third data row.
    let t = text(&a, 200, 60);
    let (row, line) = t.lines().enumerate().find(|(_, l)| l.contains("Option ")).unwrap();
    let col = line.find("Option ").unwrap() as u16;
    let click = |x: u16, y: u16| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    drive(&mut a, [click(col, row as u16 + 3)]);
    assert_eq!(a.focus, Pane::Options);
    assert_eq!(a.option, 2);
    // Click on the Quality row of the Scenario pane.
    let (row, _) = t.lines().enumerate().find(|(_, l)| l.contains("  Quality ")).unwrap();
    drive(&mut a, [click(4, row as u16)]);
    assert_eq!(a.focus, Pane::Scenario);
    assert_eq!(a.selected_field(), FieldId::Quality);
    // The wheel scrolls the pane under the pointer.
    drive(
        &mut a,
        [Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 4,
            row: row as u16,
            modifiers: KeyModifiers::NONE,
        })],
    );
    assert_eq!(a.selected_field(), FieldId::PlatformEngineers);
}

#[test]
fn no_feasible_option_keeps_the_last_plan_and_names_the_constraint() {
    let mut a = app();
    let good = a.plan.clone();
    select(&mut a, FieldId::TtftMs);
    drive(&mut a, [key(KeyCode::Enter), ctrl('u')]);
    drive(&mut a, typed("1"));
    drive(&mut a, [key(KeyCode::Enter)]);
    assert_eq!(a.scenario.latency.ttft_ms, 1.0, "a valid value is committed");
    assert!(a.plan == good, "the last plan with a feasible option stays");
    assert!(
        a.stale.as_deref().unwrap().starts_with("no feasible option"),
        "{:?}",
        a.stale
    );
    assert!(a.current.as_ref().unwrap().recommendation.is_none());
    let t = text(&a, 200, 60);
    assert!(t.contains("STALE"), "{t}");
    drive(&mut a, [ch('b')]);
    assert!(a.baseline.is_none(), "a stale plan is not pinned");
}

#[test]
fn tiny_screens_only_say_so_and_live_resizes_never_panic() {
    let mut a = app();
    for (w, h) in [(1, 1), (10, 5), (79, 24), (80, 23), (2, 100), (300, 2)] {
        drive(&mut a, [Msg::Resize(w, h)]);
        let t = text(&a, w, h);
        if w >= 20 {
            assert!(t.contains("too small") || t.contains("Terminal"), "{w}x{h}: {t}");
        }
        drive(&mut a, [ch('+'), key(KeyCode::Tab), ch('x')]);
        assert!(
            a.overlays.is_empty(),
            "keys other than quit do nothing on a tiny screen"
        );
    }
    // Every pane, every overlay, at a ladder of sizes.
    for (w, h) in [(80, 24), (81, 25), (119, 35), (120, 36), (157, 43), (200, 60)] {
        drive(&mut a, [Msg::Resize(w, h)]);
        for i in 0..5 {
            a.focus = llmcap::tui::layout::PANES[i];
            text(&a, w, h);
        }
        drive(&mut a, [ch('?')]);
        text(&a, w, h);
        drive(&mut a, [key(KeyCode::Esc), ch('x')]);
        text(&a, w, h);
        drive(&mut a, [key(KeyCode::Esc)]);
    }
}

fn snap(name: &str, a: &App, w: u16, h: u16) {
    insta::assert_snapshot!(name, text(a, w, h));
}

#[test]
fn snapshots_at_every_size() {
    let mut a = app();
    snap("tui_200x60", &a, 200, 60);
    a.size = (120, 40);
    snap("tui_120x40", &a, 120, 40);
    a.size = (80, 24);
    snap("tui_80x24_scenario", &a, 80, 24);
    drive(&mut a, [ch('2')]);
    snap("tui_80x24_recommendation", &a, 80, 24);
    drive(&mut a, [ch('3')]);
    snap("tui_80x24_options", &a, 80, 24);
    drive(&mut a, [ch('4')]);
    snap("tui_80x24_sizing", &a, 80, 24);
    drive(&mut a, [ch('5')]);
    snap("tui_80x24_cost", &a, 80, 24);
    a.size = (10, 5);
    snap("tui_10x5", &a, 10, 5);
}

#[test]
fn overlays_snapshots() {
    let mut a = app();
    drive(&mut a, [ch('?')]);
    snap("tui_help", &a, 120, 40);
    drive(&mut a, [key(KeyCode::Esc), ch('3'), key(KeyCode::Enter)]);
    snap("tui_detail", &a, 120, 40);
    drive(&mut a, [key(KeyCode::Esc), ch('1')]);
    select(&mut a, FieldId::Gpus);
    drive(&mut a, [key(KeyCode::Enter)]);
    drive(&mut a, typed("a10"));
    snap("tui_picker", &a, 120, 40);
}

#[test]
fn monochrome_theme_uses_no_colour() {
    let mut a = App::new(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Scenario::example(),
        None,
        ThemeKind::Mono,
    );
    drive(&mut a, [ch('b')]);
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('>')]);
    let (t, term) = screen(&a, 120, 40);
    insta::assert_snapshot!("tui_mono_120x40", t);
    let buf = term.backend().buffer();
    for cell in buf.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    // State still shows: the selection marker and the baseline deltas are in the text.
    assert!(t.contains("› Requests"));
    assert!(t.contains("Δ was 100,000"));
}

#[test]
fn estimates_are_marked_with_a_tilde() {
    let a = app();
    let plan = a.plan.as_ref().unwrap();
    let mut marked = 0;
    for o in &plan.options {
        let price_estimate = a
            .catalog
            .prices
            .iter()
            .any(|p| p.model == o.model && Some(p.deployment) == o.option.deployment() && p.estimate);
        let mark = o.estimate;
        if price_estimate && o.monthly_cost_usd.is_some() {
            assert!(mark, "{}:{}", o.option, o.model);
        }
        marked += usize::from(mark);
    }
    assert!(marked > 0 && marked < plan.options.len());
    let t = text(&a, 200, 60);
    assert!(
        t.contains("~$12,623"),
        "Foundry serverless mistral-small-24b rests on the estimated Content Safety price\n{t}"
    );
}

#[test]
fn help_is_generated_from_the_keymap() {
    let help = llmcap::tui::view::help_lines();
    for b in llmcap::tui::keymap::KEYMAP {
        assert!(
            help.iter().any(|(k, d)| k.trim() == b.label && d == b.desc),
            "{}",
            b.label
        );
    }
}

#[test]
fn a_missing_file_starts_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.ron");
    let mut a = app_for(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Some(Path::new(&path)),
        ThemeKind::Color,
    )
    .unwrap();
    assert!(a.dirty(), "not on disk yet");
    drive(&mut a, [ctrl('s')]);
    assert!(path.exists());
    assert!(!a.dirty());
    // An invalid file is refused before any terminal is touched.
    std::fs::write(&path, "Scenario(version: 9)").unwrap();
    let e = app_for(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Some(&path),
        ThemeKind::Color,
    )
    .unwrap_err();
    assert!(e.to_string().contains("new.ron:1:"), "{e}");
}

fn chat_app(dir: &Path, path: &Path) -> App {
    let mut a = app_for(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        Some(path),
        ThemeKind::Color,
    )
    .unwrap();
    a.state_dir = Some(dir.join("state"));
    a.cwd = dir.to_path_buf();
    a
}

fn recovery_dir_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir.join("state/recovery"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn two_sessions_on_one_file_keep_their_own_recovery_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.ron");
    std::fs::copy("scenarios/support-chatbot.ron", &path).unwrap();
    let mut a = chat_app(dir.path(), &path);
    let mut b = chat_app(dir.path(), &path);
    select(&mut a, FieldId::RequestsPerDay);
    select(&mut b, FieldId::OutputTokens);
    drive(&mut b, [ch('+'), ch('+'), Msg::Tick]);
    drive(&mut a, [ch('+'), Msg::Tick]);
    assert_ne!(a.recovery_path(), b.recovery_path());
    assert_eq!(
        recovery_dir_files(dir.path()).len(),
        2,
        "one each: A did not overwrite B's"
    );
    drive(&mut a, [ctrl('s')]);
    assert!(!a.recovery_path().unwrap().exists(), "A's own file goes with A's save");
    let b_file = b.recovery_path().unwrap();
    assert_eq!(recovery_dir_files(dir.path()), vec![b_file.clone()], "B's stays");
    // B is killed; a third session on the file is offered B's work.
    let offered = llmcap::tui::recovery_msgs(&dir.path().join("state"), dir.path(), Some(&path));
    let [Msg::RecoveryFound { recovery, scenario }] = offered.as_slice() else {
        panic!("{offered:?}")
    };
    assert_eq!(recovery, &b_file);
    assert_eq!(scenario.workload.output_tokens, b.scenario.workload.output_tokens);
    // The third session recovers it: it becomes that session's, and B's old file goes once
    // the third has written its own.
    let mut c = chat_app(dir.path(), &path);
    drive(&mut c, offered);
    drive(&mut c, [ch('r'), Msg::Tick]);
    assert_eq!(c.scenario.workload.output_tokens, b.scenario.workload.output_tokens);
    assert_eq!(recovery_dir_files(dir.path()), vec![c.recovery_path().unwrap()]);
}

#[test]
fn every_recovery_file_for_the_path_is_offered_newest_on_top() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.ron");
    std::fs::copy("scenarios/support-chatbot.ron", &path).unwrap();
    let state = dir.path().join("state");
    let mut older = chat_app(dir.path(), &path);
    select(&mut older, FieldId::RequestsPerDay);
    drive(&mut older, [ch('+'), Msg::Tick]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut newer = chat_app(dir.path(), &path);
    select(&mut newer, FieldId::RequestsPerDay);
    drive(&mut newer, [ch('-'), Msg::Tick]);
    // Found under another spelling of the same path.
    let mut c = chat_app(dir.path(), Path::new("./many.ron"));
    drive(
        &mut c,
        llmcap::tui::recovery_msgs(&state, dir.path(), Some(Path::new("./many.ron"))),
    );
    let offered: Vec<f64> = c
        .overlays
        .iter()
        .rev()
        .map(|o| match o {
            Overlay::Confirm(Confirm::Recover { scenario, .. }) => scenario.workload.requests_per_day,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        offered,
        vec![
            newer.scenario.workload.requests_per_day,
            older.scenario.workload.requests_per_day
        ]
    );
    // Deciding later on both leaves both as they are.
    drive(&mut c, [ch('n'), ch('n')]);
    assert!(c.overlays.is_empty());
    assert_eq!(recovery_dir_files(dir.path()).len(), 2);
}

#[test]
fn recovery_files_that_are_fifos_devices_or_not_scenarios_are_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.ron");
    std::fs::copy("scenarios/support-chatbot.ron", &path).unwrap();
    let state = dir.path().join("state");
    let key = llmcap::tui::app::recovery_key(dir.path(), Some(&path));
    let rec = state.join("recovery");
    std::fs::create_dir_all(&rec).unwrap();
    let fifo = rec.join(format!("{key}.fifo.recovery.ron"));
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("/dev/zero", rec.join(format!("{key}.zero.recovery.ron"))).unwrap();
    let newer = rec.join(format!("{key}.v2.recovery.ron"));
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("version: 1", "version: 2");
    std::fs::write(&newer, &text).unwrap();
    let start = std::time::Instant::now();
    let msgs = llmcap::tui::recovery_msgs(&state, dir.path(), Some(&path));
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "nothing waited on");
    let [Msg::Notice(_, notice)] = msgs.as_slice() else {
        panic!("{msgs:?}")
    };
    assert!(notice.starts_with("3 recovery files cannot be read (kept)"), "{notice}");
    assert!(
        notice.contains("named pipe") && notice.contains("character device"),
        "{notice}"
    );
    // A session on the file edits and autosaves: none of the three is touched.
    let mut a = chat_app(dir.path(), &path);
    drive(&mut a, msgs);
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), Msg::Tick, ch('+'), Msg::Tick, Msg::Terminate]);
    assert_eq!(std::fs::read_to_string(&newer).unwrap(), text, "never overwritten");
    assert_eq!(
        recovery_dir_files(dir.path()).len(),
        4,
        "the three, and this session's own"
    );
}

#[test]
fn opening_a_fifo_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.ron");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let a = app();
    let start = std::time::Instant::now();
    let out = llmcap::tui::run_effect(&a, Effect::Load(fifo));
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    let [Msg::Loaded(Err(why))] = out.as_slice() else {
        panic!("{out:?}")
    };
    assert!(why.contains("named pipe"), "{why}");
}

#[test]
fn a_recovery_file_removed_behind_the_sessions_back_is_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app();
    a.state_dir = Some(dir.path().to_path_buf());
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), Msg::Tick]);
    let own = a.recovery_path().unwrap();
    std::fs::remove_file(&own).unwrap();
    assert!(
        drive(&mut a, [Msg::Tick]).is_empty(),
        "unchanged, and the app cannot know"
    );
    // The runtime looks on each tick and says so.
    drive(&mut a, [Msg::RecoveryGone, Msg::Tick]);
    assert!(own.exists());
}

#[test]
fn a_signal_whose_recovery_write_fails_says_why() {
    let dir = tempfile::tempdir().unwrap();
    // The state folder is a file: no recovery folder can be made in it.
    let state = dir.path().join("state");
    std::fs::write(&state, "").unwrap();
    let mut a = app();
    a.state_dir = Some(state);
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('+'), Msg::Terminate]);
    assert!(a.quit);
    let lost = a.lost.clone().unwrap();
    assert!(lost.starts_with("unsaved changes could not be written to "), "{lost}");
    // Clean: nothing to keep, nothing lost.
    let mut b = app();
    b.state_dir = Some(dir.path().join("state"));
    drive(&mut b, [Msg::Terminate]);
    assert!(b.quit && b.lost.is_none());
    // No state folder at all.
    let mut c = app();
    c.state_dir = None;
    drive(&mut c, [ch('+'), Msg::Terminate]);
    assert!(c.lost.unwrap().contains("no state folder"));
}

#[test]
fn undo_entries_do_not_copy_a_huge_name() {
    let mut s = Scenario::example();
    s.name = "N".repeat(4 << 20);
    s.notes = "n".repeat(1 << 20);
    let mut a = App::new(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        s,
        None,
        ThemeKind::Color,
    );
    select(&mut a, FieldId::RequestsPerDay);
    for _ in 0..50 {
        drive(&mut a, [ch('+'), ch('-')]);
    }
    assert_eq!(a.undo.len(), 100);
    assert_eq!(a.undo.iter().map(|e| e.text_bytes()).sum::<usize>(), 0);
    drive(&mut a, std::iter::repeat_n(ch('u'), 100));
    assert_eq!(a.scenario.name.len(), 4 << 20, "undo puts the name back whole");
    assert_eq!(a.redo.iter().map(|e| e.text_bytes()).sum::<usize>(), 0);
    assert!(!a.dirty());
}

#[test]
fn opening_another_file_keeps_the_baseline_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.ron");
    std::fs::copy("scenarios/rag-assistant-1m.ron", &other).unwrap();
    let mut a = app();
    drive(&mut a, [ch('b')]);
    assert!(a.baseline.is_some());
    let out = llmcap::tui::run_effect(&a, Effect::Load(other));
    drive(&mut a, out);
    assert!(a.baseline.is_some(), "pin A, open B: the panes compare them");
    let t = text(&a, 200, 60);
    assert!(t.contains("deltas are against the baseline"), "{t}");
    drive(&mut a, [ch('B')]);
    assert!(a.baseline.is_none());
}

#[test]
fn undo_says_what_it_undid_and_shows_the_field() {
    let mut a = app();
    select(&mut a, FieldId::OutputTokens);
    drive(&mut a, [ch('+')]);
    select(&mut a, FieldId::Discount);
    drive(&mut a, [key(KeyCode::Tab)]);
    drive(&mut a, [ch('u')]);
    assert_eq!(
        a.field,
        fields::index_of(FieldId::OutputTokens),
        "the undone field is selected"
    );
    assert_eq!(a.focus, Pane::Scenario);
    let t = text(&a, 200, 60);
    assert!(t.contains("undone: Output 510 → 500 (0 more)"), "{t}");
    drive(&mut a, [ctrl('r')]);
    assert!(text(&a, 200, 60).contains("redone: Output 500 → 510"));
}

#[test]
fn the_sizing_pane_shows_a_platform_run_winner_in_its_own_words() {
    // A Databricks shop's nightly job: the recommended fleet is a Databricks GPU endpoint,
    // and the sizing pane shows that fleet (not the cheapest self-hosted one) as endpoints.
    let catalog = Catalog::embedded().unwrap();
    let s = llmcap::scenario::load_file(std::path::Path::new("scenarios/databricks-shop-serving.ron"), &catalog)
        .unwrap()
        .scenario;
    let a = App::new(
        catalog,
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        s,
        None,
        ThemeKind::Color,
    );
    assert!(
        recommended(&a).contains("databricks/serving-gpu"),
        "{}",
        recommended(&a)
    );
    let screen = text(&a, 160, 48);
    assert!(screen.contains("(GPU_LARGE)"), "{screen}");
    assert!(screen.contains("1 GPU on 1 endpoint;"), "{screen}");
    // Every family's name fits before its bar in the Cost pane.
    assert!(screen.contains("managed-compute █"), "{screen}");
}
