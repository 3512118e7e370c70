//! Routing in the workbench: the Scenario pane shows a leg's rows only while the leg exists
//! (and a router's share or a cascade's escalation only under its pattern), `a` and `d` add
//! and remove legs through the undo history, the selection never rests on a hidden row, and
//! the Recommendation pane shows a hybrid plan's block. Driven by messages and drawn into a
//! `TestBackend`, as tests/tui.rs does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use llmcap::catalog::Catalog;
use llmcap::engine::plan::{Hybrid, LegLatency, LegResult, Plan, Pool, RouterCost, SingleModel};
use llmcap::scenario::{RouterStep, Routing, RoutingPattern, Scenario};
use llmcap::tui::app::{App, Msg, Overlay};
use llmcap::tui::fields::{self, FIELDS, FieldId, LegField};
use llmcap::tui::layout::{self, Pane};
use llmcap::tui::model::scenario::{Row, scenario_rows};
use llmcap::tui::{ThemeKind, dispatch};
use llmcap::vocab::OptionId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rust_decimal::Decimal;

fn app_with(s: Scenario) -> App {
    App::new(
        Catalog::embedded().unwrap(),
        "2026-12-01".parse::<llmcap::date::Date>().unwrap(),
        s,
        None,
        ThemeKind::Color,
    )
}

fn app() -> App {
    app_with(Scenario::example())
}

fn routed(pattern: RoutingPattern) -> Scenario {
    let mut s = Scenario::example();
    s.routing = Some(Routing::starting(pattern, s.quality));
    s
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

fn drive(app: &mut App, msgs: impl IntoIterator<Item = Msg>) {
    for m in msgs {
        dispatch(app, m);
    }
}

fn select(app: &mut App, id: FieldId) {
    app.focus = Pane::Scenario;
    app.field = fields::index_of(id);
    assert!(id.applies(&app.scenario), "{id:?} is not shown");
}

fn text(app: &App, w: u16, h: u16) -> String {
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
    out
}

/// Every row the Scenario pane lists, as text: headers as they read, fields by id.
fn headers(app: &App) -> Vec<String> {
    scenario_rows(app)
        .into_iter()
        .filter_map(|r| match r {
            Row::Header(h) => Some(h),
            _ => None,
        })
        .collect()
}

fn shown_ids(app: &App) -> Vec<FieldId> {
    scenario_rows(app)
        .into_iter()
        .filter_map(|r| match r {
            Row::Field(i) => Some(FIELDS[i].id),
            _ => None,
        })
        .collect()
}

fn legs(app: &App) -> Vec<String> {
    app.scenario
        .routing
        .as_ref()
        .map(|r| r.legs.iter().map(|l| l.name.clone()).collect())
        .unwrap_or_default()
}

fn message(app: &App) -> String {
    app.message.as_ref().map(|m| m.1.clone()).unwrap_or_default()
}

/// Picks `label` in the picker of the selected field.
fn pick(app: &mut App, label: &str) {
    drive(app, [key(KeyCode::Enter)]);
    let Some(Overlay::Picker(p)) = app.overlays.last() else {
        panic!("no picker for {:?}", app.selected_field())
    };
    let at = p.items.iter().position(|c| c.label == label).unwrap();
    let from = p.sel;
    let moves: Vec<Msg> = if at >= from {
        (from..at).map(|_| key(KeyCode::Down)).collect()
    } else {
        (at..from).map(|_| key(KeyCode::Up)).collect()
    };
    drive(app, moves);
    drive(app, [key(KeyCode::Enter)]);
    assert!(app.overlays.is_empty(), "the picker closed");
}

#[track_caller]
fn assert_on_a_shown_row(app: &App) {
    let id = app.selected_field();
    assert!(id.applies(&app.scenario), "selected {id:?}, which is hidden");
    assert!(shown_ids(app).contains(&id), "selected {id:?}, which is not a row");
}

#[test]
fn turning_routing_on_shows_leg_rows_and_off_hides_them() {
    let mut a = app();
    a.size = (200, 60);
    // Off: the group is only its pattern row; no leg, no router rows.
    assert_eq!(
        headers(&a).iter().filter(|h| h.starts_with("Leg")).count(),
        0,
        "{:?}",
        headers(&a)
    );
    assert!(headers(&a).contains(&"Routing".to_string()));
    assert!(
        !shown_ids(&a)
            .iter()
            .any(|id| matches!(id, FieldId::Leg(..) | FieldId::RouterKind))
    );

    select(&mut a, FieldId::RoutingPattern);
    pick(&mut a, "Router");
    assert_eq!(legs(&a), ["simple", "complex"]);
    assert!(a.dirty(), "turning routing on is an edit");
    let h = headers(&a);
    assert!(h.contains(&"Leg 1 · simple".to_string()), "{h:?}");
    assert!(h.contains(&"Leg 2 · complex".to_string()), "{h:?}");
    assert!(!h.iter().any(|h| h.starts_with("Leg 3")), "{h:?}");
    let ids = shown_ids(&a);
    assert!(ids.contains(&FieldId::Leg(1, LegField::Share)));
    assert!(ids.contains(&FieldId::RouterKind));
    // A router's legs have shares, not escalations; no classifier without one.
    assert!(!ids.iter().any(|id| matches!(id, FieldId::Leg(_, LegField::Escalation))));
    assert!(!ids.contains(&FieldId::RouterModel));
    // On screen: scroll to the end to see the legs (End lands on the last shown row).
    drive(&mut a, [key(KeyCode::End)]);
    assert_eq!(a.selected_field(), FieldId::Leg(1, LegField::Residency));
    let t = text(&a, 200, 60);
    assert!(t.contains("Leg 2 · complex"), "{t}");
    assert!(t.contains("Share          0.3"), "{t}");
    assert!(!t.contains("Escalation"), "{t}");
    assert!(!t.contains("Leg 3"), "{t}");

    // A cascade shows an escalation on the second leg, attempt tokens on the first.
    select(&mut a, FieldId::RoutingPattern);
    pick(&mut a, "Cascade");
    let ids = shown_ids(&a);
    assert!(ids.contains(&FieldId::Leg(1, LegField::Escalation)));
    assert!(!ids.contains(&FieldId::Leg(0, LegField::Escalation)));
    assert!(ids.contains(&FieldId::Leg(0, LegField::AttemptOutputTokens)));
    assert!(!ids.contains(&FieldId::Leg(1, LegField::AttemptOutputTokens)));
    assert!(!ids.iter().any(|id| matches!(id, FieldId::Leg(_, LegField::Share))));

    // Off again: every leg row and header is gone, on screen too.
    pick(&mut a, "Off");
    assert!(a.scenario.routing.is_none());
    assert!(!headers(&a).iter().any(|h| h.starts_with("Leg")));
    assert!(!shown_ids(&a).iter().any(|id| matches!(id, FieldId::Leg(..))));
    drive(&mut a, [key(KeyCode::End)]);
    assert_eq!(a.selected_field(), FieldId::RoutingPattern, "the last row shown");
    let t = text(&a, 200, 60);
    assert!(!t.contains("Leg 1") && !t.contains("Router input"), "{t}");
    assert!(t.contains("Routing        Off"), "{t}");
}

#[test]
fn a_router_with_a_classifier_or_a_fee_shows_that_kinds_rows() {
    let mut a = app_with(routed(RoutingPattern::Router));
    select(&mut a, FieldId::RouterKind);
    pick(&mut a, "Classifier");
    let ids = shown_ids(&a);
    assert!(ids.contains(&FieldId::RouterModel) && ids.contains(&FieldId::RouterInputTokens));
    assert!(!ids.contains(&FieldId::RouterFee));
    drive(&mut a, [key(KeyCode::Down), key(KeyCode::Down)]);
    assert_eq!(a.selected_field(), FieldId::RouterInputTokens);
    // Undo takes the classifier away while its row is selected: the selection moves to a
    // row that is still there.
    drive(&mut a, [ch('u')]);
    assert!(matches!(
        a.scenario.routing.as_ref().map(|r| &r.router),
        Some(RouterStep::None)
    ));
    assert_on_a_shown_row(&a);
    select(&mut a, FieldId::RouterKind);
    pick(&mut a, "PerRequest");
    let ids = shown_ids(&a);
    assert!(ids.contains(&FieldId::RouterFee) && !ids.contains(&FieldId::RouterModel));
}

#[test]
fn a_and_d_add_and_remove_legs_with_undo() {
    let mut a = app_with(routed(RoutingPattern::Router));
    a.size = (200, 60);
    assert!(!a.dirty());
    // From a Routing row, `a` adds at the end and selects the new leg's name.
    select(&mut a, FieldId::RoutingPattern);
    drive(&mut a, [ch('a')]);
    assert_eq!(legs(&a), ["simple", "complex", "leg 3"]);
    assert_eq!(a.selected_field(), FieldId::Leg(2, LegField::Name));
    assert!(a.dirty());
    assert!(message(&a).starts_with("added Leg 3 · leg 3"), "{}", message(&a));
    let t = text(&a, 200, 60);
    assert!(t.contains("Leg 3 · leg 3"), "{t}");
    assert!(t.contains("[+] modified"), "{t}");
    let r = a.scenario.routing.as_ref().unwrap();
    assert_eq!(r.legs[2].share, Some(0.0), "a new router leg has no traffic yet");

    // Undo takes it away (the selection leaves its rows), redo brings it back.
    drive(&mut a, [ch('u')]);
    assert_eq!(legs(&a), ["simple", "complex"]);
    assert_on_a_shown_row(&a);
    assert!(!a.dirty(), "undone back to the file");
    assert!(
        message(&a).starts_with("undone: Routing Router (3 legs) → Router (2 legs)"),
        "{}",
        message(&a)
    );
    drive(&mut a, [ctrl('r')]);
    assert_eq!(legs(&a), ["simple", "complex", "leg 3"]);

    // On a leg, `a` adds after it.
    select(&mut a, FieldId::Leg(0, LegField::Quality));
    drive(&mut a, [ch('a')]);
    assert_eq!(legs(&a), ["simple", "leg 4", "complex", "leg 3"]);
    assert_eq!(a.selected_field(), FieldId::Leg(1, LegField::Name));
    drive(&mut a, [ch('a')]);
    assert_eq!(legs(&a).len(), 5);
    drive(&mut a, [ch('a')]);
    assert_eq!(legs(&a).len(), 5, "five legs at most");
    assert!(message(&a).contains("at most 5 legs"), "{}", message(&a));

    // `d` removes the selected leg; the selection stays on that row of the leg that takes
    // its place, or of the new last leg.
    let before = a.scenario.clone();
    select(&mut a, FieldId::Leg(2, LegField::Share));
    let gone = legs(&a)[2].clone();
    drive(&mut a, [ch('d')]);
    assert_eq!(legs(&a).len(), 4);
    assert!(!legs(&a).contains(&gone));
    assert_eq!(a.selected_field(), FieldId::Leg(2, LegField::Share));
    let sum: f64 = a
        .scenario
        .routing
        .as_ref()
        .unwrap()
        .legs
        .iter()
        .filter_map(|l| l.share)
        .sum();
    assert!((sum - 1.0).abs() < 1e-9, "shares still sum to 1: {sum}");
    drive(&mut a, [ch('u')]);
    assert_eq!(a.scenario, before, "undo restores the removed leg");
    assert_on_a_shown_row(&a);

    select(&mut a, FieldId::Leg(4, LegField::TtftMs));
    drive(&mut a, [ch('d')]);
    assert_eq!(legs(&a).len(), 4);
    assert_eq!(a.selected_field(), FieldId::Leg(3, LegField::TtftMs));
    drive(&mut a, [ch('d'), ch('d')]);
    assert_eq!(legs(&a).len(), 2);
    drive(&mut a, [ch('d')]);
    assert_eq!(legs(&a).len(), 2, "two legs at least");
    assert!(message(&a).contains("at least two legs"), "{}", message(&a));

    // `d` off a leg, and both keys away from the Scenario pane, say so and change nothing.
    let before = a.scenario.clone();
    select(&mut a, FieldId::RequestsPerDay);
    drive(&mut a, [ch('d')]);
    assert!(message(&a).contains("select a leg"), "{}", message(&a));
    drive(&mut a, [ch('a')]);
    assert!(message(&a).contains("select a leg"), "{}", message(&a));
    select(&mut a, FieldId::Leg(0, LegField::Name));
    drive(&mut a, [ch('2'), ch('a'), ch('d')]);
    assert!(message(&a).contains("Scenario pane"), "{}", message(&a));
    assert_eq!(a.scenario, before);
    let issues = llmcap::scenario::validate_with_catalog(&a.scenario, &a.catalog);
    assert!(issues.is_empty(), "{issues:?}");
}

#[test]
fn a_cascade_gains_a_leg_that_escalates_nothing_yet() {
    let mut a = app_with(routed(RoutingPattern::Cascade));
    select(&mut a, FieldId::Leg(1, LegField::Escalation));
    drive(&mut a, [ch('a')]);
    let r = a.scenario.routing.as_ref().unwrap();
    assert_eq!(r.legs.len(), 3);
    assert_eq!(r.legs[2].escalation, Some(0.0));
    assert!(message(&a).contains("set its Escalation"), "{}", message(&a));
    // The old last leg now escalates, so its attempt row appears; the new last has none.
    let ids = shown_ids(&a);
    assert!(ids.contains(&FieldId::Leg(1, LegField::AttemptOutputTokens)));
    assert!(!ids.contains(&FieldId::Leg(2, LegField::AttemptOutputTokens)));
}

#[test]
fn a_without_routing_says_to_turn_it_on() {
    let mut a = app();
    let before = a.scenario.clone();
    select(&mut a, FieldId::RoutingPattern);
    drive(&mut a, [ch('a')]);
    assert_eq!(message(&a), "turn routing on first (Routing: Router or Cascade)");
    drive(&mut a, [ch('d')]);
    assert!(message(&a).contains("select a leg"));
    assert_eq!(a.scenario, before);
    assert!(a.undo.is_empty() && !a.dirty());
}

#[test]
fn the_help_lists_the_leg_keys() {
    let mut a = app();
    drive(&mut a, [ch('?')]);
    let t = text(&a, 120, 40);
    assert!(t.contains("Add a routing leg after the selected leg"), "{t}");
    assert!(t.contains("Remove the selected routing leg"), "{t}");
}

/// Scenarios with every combination of hidden rows the routing group has.
fn every_shape() -> Vec<Scenario> {
    let mut out = vec![Scenario::example()];
    for pattern in RoutingPattern::ALL {
        for n in [2, 3, 5] {
            let mut s = routed(pattern);
            if let Some(r) = s.routing.as_mut() {
                while r.legs.len() < n {
                    let last = r.legs.len() - 1;
                    r.add_leg(last);
                }
            }
            out.push(s);
        }
        let mut s = routed(pattern);
        if let Some(r) = s.routing.as_mut() {
            r.router = RouterStep::PerRequest { usd: Decimal::ONE };
        }
        out.push(s);
    }
    out
}

#[test]
fn navigation_never_selects_a_hidden_row() {
    let keys = [
        KeyCode::Down,
        KeyCode::Up,
        KeyCode::PageDown,
        KeyCode::PageUp,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::Char('g'),
        KeyCode::Char('G'),
    ];
    for s in every_shape() {
        let mut a = app_with(s);
        let shown = shown_ids(&a);
        // Down from the top visits every shown row in order, and only those.
        drive(&mut a, [key(KeyCode::Home)]);
        let mut visited = vec![a.selected_field()];
        for _ in 0..FIELDS.len() {
            drive(&mut a, [key(KeyCode::Down)]);
            if visited.last() != Some(&a.selected_field()) {
                visited.push(a.selected_field());
            }
        }
        assert_eq!(visited, shown);
        // Up from the bottom, the same rows backwards.
        let mut back = vec![a.selected_field()];
        for _ in 0..FIELDS.len() {
            drive(&mut a, [key(KeyCode::Up)]);
            if back.last() != Some(&a.selected_field()) {
                back.push(a.selected_field());
            }
        }
        back.reverse();
        assert_eq!(back, shown);
        // Any key from any row lands on a shown row.
        for id in &shown {
            for k in keys {
                select(&mut a, *id);
                drive(&mut a, [key(k)]);
                assert_on_a_shown_row(&a);
            }
        }
        // A page is ten shown rows.
        drive(&mut a, [key(KeyCode::Home), key(KeyCode::PageDown)]);
        assert_eq!(Some(&a.selected_field()), shown.get(10));
    }
}

#[test]
fn clicks_and_the_wheel_never_select_a_hidden_row() {
    for s in every_shape() {
        for (w, h) in [(200, 60), (120, 40), (80, 24)] {
            let mut a = app_with(s.clone());
            a.size = (w, h);
            let areas = layout::areas(ratatui::layout::Rect::new(0, 0, w, h), Pane::Scenario);
            let (_, rect) = areas.panes.iter().find(|(p, _)| *p == Pane::Scenario).copied().unwrap();
            for step in 0..4 {
                // Scroll the pane to different places, then click every row of it.
                drive(&mut a, [key(KeyCode::Home)]);
                for _ in 0..step * 12 {
                    drive(&mut a, [key(KeyCode::Down)]);
                }
                for y in rect.y..rect.y + rect.height {
                    drive(
                        &mut a,
                        [Msg::Mouse(MouseEvent {
                            kind: MouseEventKind::Down(MouseButton::Left),
                            column: rect.x + 3,
                            row: y,
                            modifiers: KeyModifiers::NONE,
                        })],
                    );
                    assert_on_a_shown_row(&a);
                }
                for kind in [MouseEventKind::ScrollDown, MouseEventKind::ScrollUp] {
                    for _ in 0..8 {
                        drive(
                            &mut a,
                            [Msg::Mouse(MouseEvent {
                                kind,
                                column: rect.x + 3,
                                row: rect.y + 2,
                                modifiers: KeyModifiers::NONE,
                            })],
                        );
                        assert_on_a_shown_row(&a);
                    }
                }
            }
        }
    }
}

#[test]
fn the_click_on_a_leg_row_selects_that_leg() {
    let mut a = app_with(routed(RoutingPattern::Router));
    a.size = (200, 60);
    select(&mut a, FieldId::Leg(1, LegField::Quality));
    let t = text(&a, 200, 60);
    let (row, _) = t
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("Leg 2 · complex"))
        .unwrap();
    // The row under the header is the leg's name; the one after it its share.
    drive(
        &mut a,
        [Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 4,
            row: row as u16 + 2,
            modifiers: KeyModifiers::NONE,
        })],
    );
    assert_eq!(a.selected_field(), FieldId::Leg(1, LegField::Share));
}

#[test]
fn opening_a_file_without_routing_moves_the_selection_off_the_legs() {
    let mut a = app_with(routed(RoutingPattern::Cascade));
    select(&mut a, FieldId::Leg(1, LegField::Escalation));
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("plain.ron");
    std::fs::copy("scenarios/support-chatbot.ron", &other).unwrap();
    let out = llmcap::tui::run_effect(&a, llmcap::tui::app::Effect::Load(other));
    drive(&mut a, out);
    assert!(a.scenario.routing.is_none());
    assert_eq!(a.selected_field(), FieldId::RoutingPattern);
}

/// The example's plan with the hybrid fields filled in by hand, as the engine will: a router
/// of three legs, two of them pooled on one deployment, the third infeasible.
fn hybrid_plan(a: &App, recommended: bool) -> Plan {
    let mut plan = a.plan.clone().unwrap();
    let usd = |n: i64| Decimal::new(n, 0);
    let leg = |name: &str, share: f64, pick: Option<(OptionId, &str, i64)>, pool: Option<usize>| LegResult {
        name: name.into(),
        share,
        escalation: None,
        requests_per_day: 100_000.0 * share,
        option: pick.map(|p| p.0),
        model: pick.map(|p| p.1.to_string()),
        monthly_cost_usd: pick.map(|p| usd(p.2)),
        rationale: Vec::new(),
        warnings: Vec::new(),
        feasible: pick.is_some(),
        violations: if pick.is_some() {
            Vec::new()
        } else {
            vec!["latency: no option starts its answer within 800 ms end to end".into()]
        },
        estimate: false,
        family: pick.map(|p| p.0.family()),
        input_tokens: 2000.0,
        output_tokens: 500.0,
        latency: LegLatency::default(),
        pool,
    };
    let global = OptionId::from_id("azure-openai/global-standard").unwrap();
    let cloud = OptionId::from_id("self-hosted/cloud-gpu").unwrap();
    plan.legs = vec![
        leg("simple", 0.7, Some((global, "gpt-5-mini", 1_200)), Some(0)),
        leg("complex", 0.25, Some((global, "gpt-5-mini", 2_300)), Some(0)),
        leg("reasoning", 0.05, None, None),
    ];
    if recommended {
        plan.legs[2] = leg("reasoning", 0.05, Some((cloud, "llama-3.3-70b", 710)), None);
    }
    plan.hybrid = Some(Box::new(Hybrid {
        pattern: "router",
        feasible: recommended,
        recommended,
        monthly_cost_usd: recommended.then(|| usd(4_210)),
        router: RouterCost {
            kind: "classifier",
            option: Some(global),
            model: Some("gpt-4.1-nano".into()),
            monthly_cost_usd: Some(usd(120)),
            added_ms: Some(180.0),
            warnings: Vec::new(),
        },
        pools: vec![Pool {
            model: "gpt-5-mini".into(),
            option: global,
            legs: vec!["simple".into(), "complex".into()],
            separate_usd: usd(3_700),
            pooled_usd: usd(3_500),
            saving_usd: usd(200),
        }],
        escalated_attempts_usd: None,
        cost_breakdown: Vec::new(),
        break_even_escalation_rate: None,
        break_even_share: recommended.then_some(0.412),
        break_even_note: if recommended {
            "Above a share of 41.2% on `reasoning` the hybrid plan costs more.".into()
        } else {
            "No break-even: the hybrid plan is not feasible as given.".into()
        },
        claims: Vec::new(),
        rationale: Vec::new(),
        warnings: vec!["the classifier's latency is an estimate".into()],
        violations: if recommended {
            Vec::new()
        } else {
            vec!["reasoning: latency: no option starts its answer within 800 ms end to end".into()]
        },
        estimate: false,
    }));
    let single = plan.recommendation.as_ref().unwrap().monthly_cost_usd;
    plan.single_model = Some(SingleModel {
        option: plan.recommendation.as_ref().map(|r| r.option),
        model: plan.recommendation.as_ref().map(|r| r.model.clone()),
        monthly_cost_usd: Some(single),
        saving_usd: recommended.then(|| single - usd(4_210)),
        saving_percent: recommended.then(|| {
            let s = f64::try_from(single).unwrap();
            ((s - 4_210.0) / s * 1000.0).round() / 10.0
        }),
        basis: "every request, at the mean token sizes of the legs".into(),
    });
    plan
}

#[test]
fn the_recommendation_pane_shows_the_hybrid_block_first() {
    let mut a = app_with(routed(RoutingPattern::Router));
    let single = a.plan.as_ref().unwrap().recommendation.clone().unwrap();
    a.plan = Some(hybrid_plan(&a, true));
    a.size = (80, 24);
    drive(&mut a, [ch('2')]);
    let t = text(&a, 80, 24);
    let at = |s: &str| t.find(s).unwrap_or_else(|| panic!("{s:?} not on screen:\n{t}"));
    let head = at("★ Hybrid router · 3 legs · $4,210 /month");
    let saving = at("saves $3,834 (47.7%) against one model at $8,044 /month");
    let simple = at("• simple      70%  gpt-5-mini on global-standard  $1,200  pooled");
    let complex = at("• complex     25%  gpt-5-mini on global-standard  $2,300  pooled");
    let reasoning = at("• reasoning    5%  llama-3.3-70b on cloud-gpu  $710");
    let router = at("router: classifier gpt-4.1-nano on global-standard · $120 /month, +180 ms");
    let pooled = at("pooled: simple + complex share one global-standard deployment of gpt-5-mini,");
    let even = at("break-even at 41.2% of requests on reasoning (now 5%)");
    let one = at("One model for the same traffic");
    let rec = at(&format!("○ {} · {}", single.option, single.model));
    assert!(head < saving && saving < simple && simple < complex && complex < reasoning);
    assert!(reasoning < router && router < pooled && pooled < even && even < one && one < rec);
    assert!(!t.contains("★ foundry"), "one star: the plan to build\n{t}");
    // Nothing runs past the pane's border at 80 columns.
    for l in t.lines() {
        assert!(l.chars().count() <= 80, "{l}");
    }
}

#[test]
fn an_infeasible_hybrid_is_marked_in_text_and_the_single_model_keeps_its_star() {
    let mut a = app_with(routed(RoutingPattern::Router));
    a.plan = Some(hybrid_plan(&a, false));
    a.size = (200, 60);
    let t = text(&a, 200, 60);
    assert!(t.contains("✗ Hybrid router · 3 legs · no total  not feasible"), "{t}");
    assert!(t.contains("✗ reasoning    5%  no feasible option"), "{t}");
    assert!(
        t.contains("latency: no option starts its answer within 800 ms end to end"),
        "{t}"
    );
    assert!(
        t.contains("No break-even: the hybrid plan is not feasible as given."),
        "{t}"
    );
    assert!(t.contains("★ foundry/managed-compute"), "{t}");
    // Monochrome: the marks are text, so the state still reads.
    a.theme = ThemeKind::Mono;
    let t = text(&a, 200, 60);
    assert!(
        t.contains("✗ Hybrid") && t.contains("✗ reasoning") && t.contains("pooled"),
        "{t}"
    );
}

#[test]
fn the_hybrid_block_never_panics_at_any_size() {
    let mut a = app_with(routed(RoutingPattern::Router));
    for recommended in [true, false] {
        let mut plan = hybrid_plan(&a, recommended);
        plan.legs[0].name = "a very long leg name that goes on and on".into();
        plan.legs[1].share = f64::NAN;
        a.plan = Some(plan);
        for (w, h) in [(80, 24), (81, 25), (100, 30), (120, 36), (200, 60), (300, 100), (20, 5)] {
            a.size = (w, h);
            for p in layout::PANES {
                a.focus = p;
                text(&a, w, h);
            }
            a.focus = Pane::Recommendation;
            drive(&mut a, [key(KeyCode::End), key(KeyCode::PageUp)]);
            text(&a, w, h);
        }
    }
}
