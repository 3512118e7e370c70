//! The Scenario pane's rows: group headers, fields and the error line under a field being
//! typed, and which row a click lands on. The pane draws these rows; `update` maps clicks
//! and moves the selection with the very same list.
//!
//! Only the fields that mean something for the scenario are rows ([`FieldId::applies`]): a
//! routing leg's fields while the leg exists, a router's share under a router, and so on. A
//! group with no such field has no header either. `App::field` stays an index into `FIELDS`;
//! [`visible_fields`] and [`nearest_visible`] keep it on a row that is shown.

use super::super::app::{App, Mode};
use super::super::fields::{FIELDS, FieldDef, FieldId, LegField, leg};
use super::super::layout;
use crate::scenario::Scenario;
use crate::text::printable;

/// A row of the Scenario pane.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// A group's title: the registry's group name, and for a routing leg its name too
    /// (`Leg 2 · complex`).
    Header(String),
    Field(usize),
    /// Why the input being typed cannot be committed.
    Error(String),
}

/// Whether the field at `FIELDS[i]` is a row of the pane for this scenario.
pub fn shown(s: &Scenario, i: usize) -> bool {
    FIELDS.get(i).is_some_and(|f| f.id.applies(s))
}

/// The indices into `FIELDS` of the fields shown for this scenario, in registry order.
pub fn visible_fields(s: &Scenario) -> Vec<usize> {
    (0..FIELDS.len()).filter(|&i| shown(s, i)).collect()
}

/// The shown field nearest to `FIELDS[i]`: itself when it is shown, else the next shown
/// field below it (the row that moves up into its place), else the closest one above.
/// Some fields always show (the scenario's name), so there is always one.
pub fn nearest_visible(s: &Scenario, i: usize) -> usize {
    let i = i.min(FIELDS.len().saturating_sub(1));
    if shown(s, i) {
        return i;
    }
    let below = (i + 1..FIELDS.len()).find(|&j| shown(s, j));
    let above = (0..i).rev().find(|&j| shown(s, j));
    match (below, above) {
        (Some(b), Some(a)) if i - a < b - i => a,
        (Some(b), _) => b,
        (None, Some(a)) => a,
        (None, None) => 0,
    }
}

/// The title of the group `f` belongs to: a leg's group adds the leg's name.
pub fn group_title(f: &FieldDef, s: &Scenario) -> String {
    match f.id {
        FieldId::Leg(i, _) => match leg(s, usize::from(i)) {
            Some(l) if !l.name.trim().is_empty() => format!("{} · {}", f.group, printable(&l.name)),
            _ => f.group.to_string(),
        },
        _ => f.group.to_string(),
    }
}

/// A field's label where it must stand alone (the status line after an undo): a leg's
/// fields share their labels, so the leg's group comes first (`Leg 2 Share`).
pub fn field_title(f: &FieldDef) -> String {
    match f.id {
        FieldId::Leg(_, LegField::Name) => format!("{} name", f.group),
        FieldId::Leg(..) => format!("{} {}", f.group, f.label),
        _ => f.label.to_string(),
    }
}

pub fn scenario_rows(app: &App) -> Vec<Row> {
    let mut rows = Vec::with_capacity(FIELDS.len() + 10);
    let mut group = "";
    for (i, f) in FIELDS.iter().enumerate() {
        if !f.id.applies(&app.scenario) {
            continue;
        }
        if f.group != group {
            group = f.group;
            rows.push(Row::Header(group_title(f, &app.scenario)));
        }
        rows.push(Row::Field(i));
        if let Mode::Editing(e) = &app.mode
            && e.field == f.id
            && let Some(err) = &e.error
        {
            rows.push(Row::Error(err.clone()));
        }
    }
    rows
}

/// The row index of field `field` (the error line under it, when there is one, counts as
/// the selection so it stays visible).
pub fn selected_row(rows: &[Row], field: usize) -> usize {
    let at = rows.iter().position(|r| *r == Row::Field(field)).unwrap_or(0);
    match rows.get(at + 1) {
        Some(Row::Error(_)) => at + 1,
        _ => at,
    }
}

/// The first row shown in a pane `height` rows tall, keeping the selection in view.
pub fn offset(rows: &[Row], field: usize, height: usize) -> usize {
    layout::list_offset(selected_row(rows, field), rows.len(), height)
}

/// The field on row `row` of a pane `height` rows tall, if that row is a field.
pub fn field_at(app: &App, height: usize, row: usize) -> Option<usize> {
    let rows = scenario_rows(app);
    let off = offset(&rows, app.field, height);
    match rows.get(off + row) {
        Some(Row::Field(i)) => Some(*i),
        _ => None,
    }
}

/// The shown field `delta` shown rows away from `field` (clamped to the first and the last),
/// so moving never lands on a hidden field. A hidden `field` moves from its nearest shown one.
pub fn moved(s: &Scenario, field: usize, delta: i64) -> usize {
    let shown = visible_fields(s);
    let from = nearest_visible(s, field);
    let at = shown.iter().position(|&i| i == from).unwrap_or(0);
    let next = (at as i64)
        .saturating_add(delta)
        .clamp(0, shown.len().saturating_sub(1) as i64) as usize;
    shown.get(next).copied().unwrap_or(from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::fields::index_of;
    use crate::scenario::routing::{Routing, RoutingPattern};

    fn routed(pattern: RoutingPattern) -> Scenario {
        let mut s = Scenario::example();
        s.routing = Some(Routing::starting(pattern, s.quality));
        s
    }

    #[test]
    fn without_routing_only_the_pattern_row_of_the_routing_group_shows() {
        let s = Scenario::example();
        let shown = visible_fields(&s);
        assert!(shown.contains(&index_of(FieldId::RoutingPattern)));
        for i in shown {
            assert!(
                !matches!(
                    FIELDS[i].id,
                    FieldId::Leg(..) | FieldId::RouterKind | FieldId::RouterFee
                ),
                "{:?} shows without routing",
                FIELDS[i].id
            );
        }
    }

    #[test]
    fn a_hidden_field_settles_on_the_row_that_takes_its_place() {
        let s = Scenario::example();
        // The router's kind follows the pattern row: with routing off nothing follows it.
        assert_eq!(
            nearest_visible(&s, index_of(FieldId::RouterKind)),
            index_of(FieldId::RoutingPattern)
        );
        assert_eq!(
            nearest_visible(&s, index_of(FieldId::Leg(4, LegField::Residency))),
            index_of(FieldId::RoutingPattern)
        );
        // A router's legs have no escalation: the next row, the leg's quality, takes its place.
        let r = routed(RoutingPattern::Router);
        assert_eq!(
            nearest_visible(&r, index_of(FieldId::Leg(1, LegField::Escalation))),
            index_of(FieldId::Leg(1, LegField::Quality))
        );
        // The third leg of two: the second leg's last row is nearest.
        let last = *visible_fields(&r).last().unwrap_or(&0);
        assert_eq!(nearest_visible(&r, index_of(FieldId::Leg(2, LegField::Name))), last);
        assert_eq!(FIELDS[last].id, FieldId::Leg(1, LegField::Residency));
        // Out of range is the last field's neighbourhood, not a panic.
        assert_eq!(nearest_visible(&r, usize::MAX), last);
    }

    #[test]
    fn moving_walks_shown_rows_only() {
        let s = routed(RoutingPattern::Cascade);
        let shown = visible_fields(&s);
        let mut at = 0;
        for _ in 0..FIELDS.len() + 3 {
            let next = moved(&s, at, 1);
            assert!(shown.contains(&next));
            at = next;
        }
        assert_eq!(Some(&at), shown.last());
        assert_eq!(moved(&s, at, -100_000), shown[0]);
        assert_eq!(moved(&s, 0, i64::MAX), at);
        assert_eq!(moved(&s, at, i64::MIN), shown[0]);
    }

    #[test]
    fn leg_headers_name_their_leg_and_labels_stand_alone() {
        let s = routed(RoutingPattern::Router);
        let f = &FIELDS[index_of(FieldId::Leg(1, LegField::Share))];
        assert_eq!(group_title(f, &s), "Leg 2 · complex");
        assert_eq!(field_title(f), "Leg 2 Share");
        let n = &FIELDS[index_of(FieldId::Leg(0, LegField::Name))];
        assert_eq!(field_title(n), "Leg 1 name");
        let w = &FIELDS[index_of(FieldId::RequestsPerDay)];
        assert_eq!(group_title(w, &s), w.group);
    }
}
