//! Adding and removing routing legs (`a` and `d` on the Scenario pane). Each is an edit like
//! any other: it goes through [`App::commit`], so it is undone and redone with the rest and
//! marks the scenario modified. The selection follows the leg: a new leg's name row, or the
//! same row of the leg that takes a removed one's place.

use super::super::app::App;
use super::super::fields::{FieldId, LegField, index_of};
use super::super::layout::Pane;
use crate::scenario::Scenario;
use crate::scenario::routing::{MAX_LEGS, RoutingPattern};
use crate::scenario::validate_with_catalog;
use crate::text::printable;

/// The rows of the routing group itself (not of a leg): `a` there adds a leg at the end.
fn is_routing_row(id: FieldId) -> bool {
    matches!(
        id,
        FieldId::RoutingPattern
            | FieldId::RouterKind
            | FieldId::RouterModel
            | FieldId::RouterInputTokens
            | FieldId::RouterOutputTokens
            | FieldId::RouterFee
    )
}

/// The validator's first complaint about the routing group, if it has one.
fn routing_issue(app: &App, s: &Scenario) -> Option<String> {
    validate_with_catalog(s, &app.catalog)
        .into_iter()
        .find(|i| i.field.starts_with("routing"))
        .map(|i| i.to_string())
}

/// Selects field `f` of leg `i`, or the nearest row shown when the leg has no such row.
fn select_leg_row(app: &mut App, i: usize, f: LegField) {
    if let Ok(i) = u8::try_from(i) {
        app.field = index_of(FieldId::Leg(i, f));
    }
    app.settle_field();
}

/// `a`: a copy of the selected leg after it (the last leg's copy at the end, from a Routing
/// row), with no traffic yet ([`crate::scenario::Routing::add_leg`]); its name row is
/// selected, to rename it.
pub(crate) fn add_leg(app: &mut App) {
    if app.focus != Pane::Scenario {
        app.info("a adds a routing leg from the Scenario pane (press 1 and select a leg)");
        return;
    }
    let Some(r) = app.scenario.routing.as_ref() else {
        app.info("turn routing on first (Routing: Router or Cascade)");
        return;
    };
    let after = match app.selected_field() {
        FieldId::Leg(i, _) => usize::from(i).min(r.legs.len().saturating_sub(1)),
        id if is_routing_row(id) => r.legs.len().saturating_sub(1),
        _ => {
            app.info("select a leg or a Routing row to add a leg");
            return;
        }
    };
    if r.legs.len() >= MAX_LEGS {
        app.info(format!("not added: a routing group has at most {MAX_LEGS} legs"));
        return;
    }
    let mut next = app.scenario.clone();
    let Some((at, r)) = next.routing.as_mut().and_then(|r| r.add_leg(after).map(|at| (at, r))) else {
        app.info(format!("not added: a routing group has at most {MAX_LEGS} legs"));
        return;
    };
    let name = r.legs.get(at).map(|l| printable(&l.name)).unwrap_or_default();
    let what = match r.pattern {
        RoutingPattern::Router => "with no traffic: set its Share",
        RoutingPattern::Cascade => "escalating nothing: set its Escalation",
    };
    if let Some(why) = routing_issue(app, &next) {
        app.error(format!("leg not added: {why}"));
        return;
    }
    app.commit(next);
    select_leg_row(app, at, LegField::Name);
    app.info(format!("added Leg {} · {name} {what}", at + 1));
}

/// `d`: removes the selected leg; refused when two legs remain or no leg is selected.
pub(crate) fn remove_leg(app: &mut App) {
    if app.focus != Pane::Scenario {
        app.info("d removes a routing leg from the Scenario pane (press 1 and select a leg)");
        return;
    }
    let (i, f) = match app.selected_field() {
        FieldId::Leg(i, f) => (usize::from(i), f),
        _ => {
            app.info("select a leg's row to remove it");
            return;
        }
    };
    let Some(r) = app.scenario.routing.as_ref() else {
        app.info("select a leg's row to remove it");
        return;
    };
    let Some(leg) = r.legs.get(i) else {
        app.info("select a leg's row to remove it");
        return;
    };
    if r.legs.len() <= 2 {
        app.info("not removed: a routing group keeps at least two legs (Routing: Off for one model)");
        return;
    }
    let name = printable(&leg.name);
    let pattern = r.pattern;
    let mut next = app.scenario.clone();
    if !next.routing.as_mut().is_some_and(|r| r.remove_leg(i)) {
        app.info("not removed: a routing group keeps at least two legs (Routing: Off for one model)");
        return;
    }
    if let Some(why) = routing_issue(app, &next) {
        app.error(format!("leg not removed: {why}"));
        return;
    }
    let left = next.routing.as_ref().map_or(0, |r| r.legs.len());
    app.commit(next);
    select_leg_row(app, i.min(left.saturating_sub(1)), f);
    let shares = match pattern {
        RoutingPattern::Router => " (its share went to the others)",
        RoutingPattern::Cascade => "",
    };
    app.info(format!("removed Leg {} · {name}{shares}", i + 1));
}
