//! Where the panes go for a terminal size. Pure, so the view draws with it and `update` maps
//! mouse clicks with the very same rectangles.

use ratatui::layout::{Constraint, Layout, Rect};

/// The five panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Scenario,
    Recommendation,
    Options,
    Sizing,
    Cost,
}

pub const PANES: [Pane; 5] = [
    Pane::Scenario,
    Pane::Recommendation,
    Pane::Options,
    Pane::Sizing,
    Pane::Cost,
];

impl Pane {
    pub fn title(self) -> &'static str {
        match self {
            Pane::Scenario => "Scenario",
            Pane::Recommendation => "Recommendation",
            Pane::Options => "Options",
            Pane::Sizing => "GPU sizing and VRAM",
            Pane::Cost => "Cost",
        }
    }

    pub fn index(self) -> usize {
        PANES.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// Full layout from this size up.
pub const FULL_MIN: (u16, u16) = (120, 36);
/// Tabbed layout from this size up; below it, "terminal too small".
pub const TABS_MIN: (u16, u16) = (80, 24);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Full,
    Tabs,
    TooSmall,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Areas {
    pub screen: Screen,
    /// Each visible pane with its outer rectangle (borders included).
    pub panes: Vec<(Pane, Rect)>,
    /// The tab bar (tabbed layout only).
    pub tabs: Option<Rect>,
    pub status: Rect,
    pub hints: Rect,
}

pub fn screen_for(area: Rect) -> Screen {
    if area.width >= FULL_MIN.0 && area.height >= FULL_MIN.1 {
        Screen::Full
    } else if area.width >= TABS_MIN.0 && area.height >= TABS_MIN.1 {
        Screen::Tabs
    } else {
        Screen::TooSmall
    }
}

pub fn areas(area: Rect, focus: Pane) -> Areas {
    let screen = screen_for(area);
    if screen == Screen::TooSmall {
        return Areas {
            screen,
            panes: Vec::new(),
            tabs: None,
            status: Rect::default(),
            hints: Rect::default(),
        };
    }
    let [body, status, hints] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)]).areas(area);
    if screen == Screen::Tabs {
        let [tabs, pane] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
        return Areas {
            screen,
            panes: vec![(focus, pane)],
            tabs: Some(tabs),
            status,
            hints,
        };
    }
    let left_width = (body.width * 3 / 10).clamp(48, 58);
    let [left, right] = Layout::horizontal([Constraint::Length(left_width), Constraint::Min(1)]).areas(body);
    let rec_height = (body.height / 3).clamp(11, 16);
    let bottom_height = (body.height * 2 / 5).clamp(14, 24);
    let [rec, options, bottom] = Layout::vertical([
        Constraint::Length(rec_height),
        Constraint::Min(6),
        Constraint::Length(bottom_height),
    ])
    .areas(right);
    let [sizing, cost] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(bottom);
    Areas {
        screen,
        panes: vec![
            (Pane::Scenario, left),
            (Pane::Recommendation, rec),
            (Pane::Options, options),
            (Pane::Sizing, sizing),
            (Pane::Cost, cost),
        ],
        tabs: None,
        status,
        hints,
    }
}

/// The inside of a bordered pane.
pub fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// The first visible row of a list of `len` rows shown `height` at a time so that `sel` is
/// visible. Shared by the view and the mouse mapping.
pub fn list_offset(sel: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let max = len - height;
    // Keep a row of context below the selection when there is room for it.
    let context = usize::from(height >= 3);
    (sel + 1 + context).saturating_sub(height).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_pick_a_layout() {
        assert_eq!(screen_for(Rect::new(0, 0, 200, 60)), Screen::Full);
        assert_eq!(screen_for(Rect::new(0, 0, 120, 36)), Screen::Full);
        assert_eq!(screen_for(Rect::new(0, 0, 119, 40)), Screen::Tabs);
        assert_eq!(screen_for(Rect::new(0, 0, 80, 24)), Screen::Tabs);
        assert_eq!(screen_for(Rect::new(0, 0, 79, 24)), Screen::TooSmall);
        assert_eq!(screen_for(Rect::new(0, 0, 1, 1)), Screen::TooSmall);
    }

    #[test]
    fn full_layout_fits_the_screen() {
        for (w, h) in [(120, 36), (200, 60), (300, 100)] {
            let area = Rect::new(0, 0, w, h);
            let a = areas(area, Pane::Scenario);
            assert_eq!(a.panes.len(), 5);
            for (_, r) in &a.panes {
                assert!(
                    area.contains(r.as_position()) && r.right() <= w && r.bottom() <= h,
                    "{r:?}"
                );
                assert!(r.width >= 20 && r.height >= 6, "{w}x{h}: {r:?}");
            }
        }
    }

    #[test]
    fn offsets_keep_the_selection_visible() {
        for len in 0..40 {
            for height in 1..12 {
                for sel in 0..len {
                    let off = list_offset(sel, len, height);
                    assert!(off <= sel && sel < off + height, "{sel} {len} {height} -> {off}");
                }
            }
        }
    }
}
