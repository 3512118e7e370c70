//! Undo and redo entries. An entry is the scenario on the other side of one edit, minus the
//! free-text fields the edit did not touch: a name or notes of megabytes costs nothing per
//! step of a number, and the entries stay the size of the scenario's numbers and ids (which
//! validation bounds by the catalog).

use crate::scenario::Scenario;

/// Most edits kept for undo (and so for redo); the oldest go first.
pub const UNDO_DEPTH: usize = 500;

/// One step of the history: the scenario it restores, relative to the scenario it is
/// restored over.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoEntry {
    /// The scenario to restore, with `name` and `notes` left empty when they are the same as
    /// on the other side of the edit.
    rest: Scenario,
    /// The name to restore, if the edit changed it.
    name: Option<String>,
    /// The notes to restore, if the edit changed them.
    notes: Option<String>,
}

impl UndoEntry {
    /// The entry that turns `other` back into `to`.
    pub fn new(mut to: Scenario, other: &Scenario) -> UndoEntry {
        let name = (to.name != other.name).then(|| std::mem::take(&mut to.name));
        let notes = (to.notes != other.notes).then(|| std::mem::take(&mut to.notes));
        // Unchanged text is dropped here; `restore` takes it from the other side.
        to.name = String::new();
        to.notes = String::new();
        UndoEntry { rest: to, name, notes }
    }

    /// The scenario this entry restores over `current` (which must be the scenario the entry
    /// was made against).
    pub fn restore(self, current: &Scenario) -> Scenario {
        let mut s = self.rest;
        s.name = self.name.unwrap_or_else(|| current.name.clone());
        s.notes = self.notes.unwrap_or_else(|| current.notes.clone());
        s
    }

    /// Bytes of free text the entry holds (its name and notes), for tests and accounting.
    pub fn text_bytes(&self) -> usize {
        self.name.as_ref().map_or(0, String::capacity) + self.notes.as_ref().map_or(0, String::capacity)
    }
}

/// Pushes `entry` onto a history, dropping the oldest beyond [`UNDO_DEPTH`].
pub fn push(history: &mut Vec<UndoEntry>, entry: UndoEntry) {
    history.push(entry);
    if history.len() > UNDO_DEPTH {
        let extra = history.len() - UNDO_DEPTH;
        history.drain(..extra);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_that_keeps_the_text_stores_none_of_it() {
        let mut before = Scenario::example();
        before.name = "N".repeat(1 << 20);
        before.notes = "n".repeat(1 << 20);
        let mut after = before.clone();
        after.workload.requests_per_day += 1.0;
        let e = UndoEntry::new(before.clone(), &after);
        assert_eq!(e.text_bytes(), 0, "the megabyte name and notes are not copied");
        assert_eq!(e.rest.name.capacity() + e.rest.notes.capacity(), 0);
        assert_eq!(e.restore(&after), before);
    }

    #[test]
    fn an_edit_of_the_text_keeps_the_old_text() {
        let before = Scenario::example();
        let mut after = before.clone();
        after.name = "renamed".into();
        let e = UndoEntry::new(before.clone(), &after);
        assert_eq!(e.name.as_deref(), Some(before.name.as_str()));
        assert!(e.notes.is_none());
        assert_eq!(e.restore(&after), before);
    }

    #[test]
    fn a_chain_of_entries_walks_back_and_forth() {
        let s0 = Scenario::example();
        let mut s1 = s0.clone();
        s1.notes = "first".into();
        let mut s2 = s1.clone();
        s2.workload.input_tokens = 999.0;
        let mut undo = Vec::new();
        push(&mut undo, UndoEntry::new(s0.clone(), &s1));
        push(&mut undo, UndoEntry::new(s1.clone(), &s2));
        let mut cur = s2.clone();
        let mut redo = Vec::new();
        while let Some(e) = undo.pop() {
            let prev = e.restore(&cur);
            redo.push(UndoEntry::new(std::mem::replace(&mut cur, prev), &cur));
        }
        assert_eq!(cur, s0);
        while let Some(e) = redo.pop() {
            let next = e.restore(&cur);
            undo.push(UndoEntry::new(std::mem::replace(&mut cur, next), &cur));
        }
        assert_eq!(cur, s2);
    }

    #[test]
    fn the_history_is_bounded() {
        let s = Scenario::example();
        let mut h = Vec::new();
        for _ in 0..UNDO_DEPTH + 10 {
            push(&mut h, UndoEntry::new(s.clone(), &s));
        }
        assert_eq!(h.len(), UNDO_DEPTH);
    }
}
