//! The tab bar's labels and which tab a click lands on (tabbed layout).

use super::super::layout::{PANES, Pane};
use ratatui::layout::Rect;

pub fn tab_labels() -> Vec<String> {
    PANES
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{} {}", i + 1, p.title()))
        .collect()
}

/// The pane whose tab is at column `x` of the tab bar.
pub fn tab_at(tabs: Rect, x: u16) -> Option<Pane> {
    let mut start = tabs.x;
    for (i, label) in tab_labels().iter().enumerate() {
        let w = label.chars().count() as u16 + 2;
        if x >= start && x < start + w {
            return PANES.get(i).copied();
        }
        start += w + 1;
    }
    None
}
