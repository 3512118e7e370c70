//! The keymap as data: every action with its keys and a description. The help overlay and the
//! hint bar are generated from this table, so they cannot drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
    Help,
    NextPane,
    PrevPane,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Edit,
    StepUp,
    StepDown,
    StepUpLarge,
    StepDownLarge,
    AddLeg,
    RemoveLeg,
    Details,
    Save,
    SaveAs,
    Open,
    Export,
    Undo,
    Redo,
    PinBaseline,
    ClearBaseline,
    Theme,
    Pane(usize),
}

/// Where a binding applies, for the help overlay's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Move,
    Edit,
    Files,
    Workshop,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "General",
            Scope::Move => "Moving around",
            Scope::Edit => "Editing the scenario",
            Scope::Files => "Files",
            Scope::Workshop => "Workshop tools",
        }
    }
}

pub type Key = (KeyCode, KeyModifiers);

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

pub struct Binding {
    pub keys: &'static [Key],
    /// The keys as the help shows them.
    pub label: &'static str,
    pub action: Action,
    pub scope: Scope,
    pub desc: &'static str,
    /// Short form for the hint bar; bindings without one are only in the help overlay.
    pub hint: Option<&'static str>,
}

const fn bind(
    keys: &'static [Key],
    label: &'static str,
    action: Action,
    scope: Scope,
    desc: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        scope,
        desc,
        hint,
    }
}

pub const KEYMAP: &[Binding] = &[
    bind(
        &[(KeyCode::Char('?'), NONE), (KeyCode::F(1), NONE)],
        "? F1",
        Action::Help,
        Scope::Global,
        "Show or hide this help",
        Some("help"),
    ),
    bind(
        &[(KeyCode::Char('q'), NONE), (KeyCode::Char('c'), CTRL)],
        "q Ctrl-C",
        Action::Quit,
        Scope::Global,
        "Quit (asks first when there are unsaved changes)",
        Some("quit"),
    ),
    bind(
        &[(KeyCode::Char('z'), CTRL)],
        "Ctrl-Z",
        Action::Suspend,
        Scope::Global,
        "Suspend to the shell (fg resumes)",
        None,
    ),
    bind(
        &[(KeyCode::Char('t'), NONE)],
        "t",
        Action::Theme,
        Scope::Global,
        "Switch between the colour and the monochrome theme",
        None,
    ),
    bind(
        &[(KeyCode::Tab, NONE)],
        "Tab",
        Action::NextPane,
        Scope::Move,
        "Next pane",
        Some("pane"),
    ),
    bind(
        &[(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)],
        "Shift-Tab",
        Action::PrevPane,
        Scope::Move,
        "Previous pane",
        None,
    ),
    bind(
        &[
            (KeyCode::Char('1'), NONE),
            (KeyCode::Char('2'), NONE),
            (KeyCode::Char('3'), NONE),
            (KeyCode::Char('4'), NONE),
            (KeyCode::Char('5'), NONE),
        ],
        "1-5",
        Action::Pane(0),
        Scope::Move,
        "Go to pane 1 Scenario, 2 Recommendation, 3 Options, 4 GPU sizing, 5 Cost",
        None,
    ),
    bind(
        &[(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        "↑ k",
        Action::Up,
        Scope::Move,
        "Previous field or row; scroll up",
        None,
    ),
    bind(
        &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        "↓ j",
        Action::Down,
        Scope::Move,
        "Next field or row; scroll down",
        None,
    ),
    bind(
        &[(KeyCode::PageUp, NONE), (KeyCode::Char('u'), CTRL)],
        "PgUp Ctrl-U",
        Action::PageUp,
        Scope::Move,
        "Up a page",
        None,
    ),
    bind(
        &[(KeyCode::PageDown, NONE), (KeyCode::Char('d'), CTRL)],
        "PgDn Ctrl-D",
        Action::PageDown,
        Scope::Move,
        "Down a page",
        None,
    ),
    bind(
        &[(KeyCode::Home, NONE), (KeyCode::Char('g'), NONE)],
        "Home g",
        Action::Top,
        Scope::Move,
        "First field or row",
        None,
    ),
    bind(
        &[
            (KeyCode::End, NONE),
            (KeyCode::Char('G'), SHIFT),
            (KeyCode::Char('G'), NONE),
        ],
        "End G",
        Action::Bottom,
        Scope::Move,
        "Last field or row",
        None,
    ),
    bind(
        &[(KeyCode::Enter, NONE), (KeyCode::Char('e'), NONE)],
        "Enter e",
        Action::Edit,
        Scope::Edit,
        "Edit the field (type, or pick from a list); on an option: how it was estimated",
        Some("edit"),
    ),
    bind(
        &[
            (KeyCode::Char('+'), NONE),
            (KeyCode::Char('='), NONE),
            (KeyCode::Right, NONE),
            (KeyCode::Char('l'), NONE),
        ],
        "+ = → l",
        Action::StepUp,
        Scope::Edit,
        "Step the number up (or the next choice)",
        Some("step"),
    ),
    bind(
        &[
            (KeyCode::Char('-'), NONE),
            (KeyCode::Left, NONE),
            (KeyCode::Char('h'), NONE),
        ],
        "- ← h",
        Action::StepDown,
        Scope::Edit,
        "Step the number down (or the previous choice)",
        None,
    ),
    bind(
        &[
            (KeyCode::Right, SHIFT),
            (KeyCode::Char('>'), NONE),
            (KeyCode::Char('L'), SHIFT),
        ],
        "Shift-→ > L",
        Action::StepUpLarge,
        Scope::Edit,
        "Large step up (ten small steps)",
        None,
    ),
    bind(
        &[
            (KeyCode::Left, SHIFT),
            (KeyCode::Char('<'), NONE),
            (KeyCode::Char('_'), NONE),
            (KeyCode::Char('H'), SHIFT),
        ],
        "Shift-← < _ H",
        Action::StepDownLarge,
        Scope::Edit,
        "Large step down",
        None,
    ),
    bind(
        &[(KeyCode::Char('a'), NONE)],
        "a",
        Action::AddLeg,
        Scope::Edit,
        "Add a routing leg after the selected leg (at the end from a Routing row)",
        None,
    ),
    bind(
        &[(KeyCode::Char('d'), NONE)],
        "d",
        Action::RemoveLeg,
        Scope::Edit,
        "Remove the selected routing leg (a routing group keeps at least two)",
        None,
    ),
    bind(
        &[(KeyCode::Char('i'), NONE)],
        "i",
        Action::Details,
        Scope::Edit,
        "How the selected figure was estimated: inputs, formula, catalog source and date",
        Some("how"),
    ),
    bind(
        &[(KeyCode::Char('s'), CTRL)],
        "Ctrl-S",
        Action::Save,
        Scope::Files,
        "Save (atomic; refuses to overwrite a file changed on disk without asking)",
        Some("save"),
    ),
    bind(
        &[(KeyCode::Char('S'), SHIFT), (KeyCode::Char('S'), NONE)],
        "S",
        Action::SaveAs,
        Scope::Files,
        "Save under another name",
        None,
    ),
    bind(
        &[(KeyCode::Char('o'), NONE)],
        "o",
        Action::Open,
        Scope::Files,
        "Open a scenario file (Tab completes the path)",
        Some("open"),
    ),
    bind(
        &[(KeyCode::Char('x'), NONE)],
        "x",
        Action::Export,
        Scope::Files,
        "Export a summary: Markdown, HTML with charts, JSON or CSV",
        Some("export"),
    ),
    bind(
        &[(KeyCode::Char('u'), NONE)],
        "u",
        Action::Undo,
        Scope::Workshop,
        "Undo the last edit (the last 500 edits are kept)",
        Some("undo"),
    ),
    bind(
        &[(KeyCode::Char('r'), CTRL)],
        "Ctrl-R",
        Action::Redo,
        Scope::Workshop,
        "Redo",
        None,
    ),
    bind(
        &[(KeyCode::Char('b'), NONE)],
        "b",
        Action::PinBaseline,
        Scope::Workshop,
        "Pin the current scenario as the baseline; every pane then shows deltas against it",
        Some("baseline"),
    ),
    bind(
        &[(KeyCode::Char('B'), SHIFT), (KeyCode::Char('B'), NONE)],
        "B",
        Action::ClearBaseline,
        Scope::Workshop,
        "Clear the baseline",
        None,
    ),
];

/// The action a key press triggers, if any. Shift is ignored for characters (the character
/// already carries it), so `S` matches whether or not the terminal reports Shift.
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    let mods = match key.code {
        KeyCode::Char(_) => key.modifiers - SHIFT,
        _ => key.modifiers,
    };
    for b in KEYMAP {
        for (i, (code, m)) in b.keys.iter().enumerate() {
            let m = match code {
                KeyCode::Char(_) => *m - SHIFT,
                _ => *m,
            };
            if *code == key.code && m == mods {
                return Some(match b.action {
                    Action::Pane(_) => Action::Pane(i),
                    a => a,
                });
            }
        }
    }
    None
}

/// The keys that trigger `action`, as the help shows them.
pub fn label_of(action: Action) -> &'static str {
    KEYMAP
        .iter()
        .find(|b| std::mem::discriminant(&b.action) == std::mem::discriminant(&action))
        .map(|b| b.label)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(action_for(&key(KeyCode::Char('q'), NONE)), Some(Action::Quit));
        assert_eq!(action_for(&key(KeyCode::Char('s'), CTRL)), Some(Action::Save));
        assert_eq!(action_for(&key(KeyCode::Char('S'), SHIFT)), Some(Action::SaveAs));
        assert_eq!(action_for(&key(KeyCode::Char('S'), NONE)), Some(Action::SaveAs));
        assert_eq!(action_for(&key(KeyCode::Char('3'), NONE)), Some(Action::Pane(2)));
        assert_eq!(action_for(&key(KeyCode::Right, SHIFT)), Some(Action::StepUpLarge));
        assert_eq!(action_for(&key(KeyCode::Right, NONE)), Some(Action::StepUp));
        assert_eq!(action_for(&key(KeyCode::Char('a'), NONE)), Some(Action::AddLeg));
        assert_eq!(action_for(&key(KeyCode::Char('d'), NONE)), Some(Action::RemoveLeg));
        assert_eq!(action_for(&key(KeyCode::Char('d'), CTRL)), Some(Action::PageDown));
        assert_eq!(action_for(&key(KeyCode::Char('z'), NONE)), None);
    }

    #[test]
    fn the_help_states_the_undo_depth() {
        let undo = KEYMAP.iter().find(|b| b.action == Action::Undo).map(|b| b.desc);
        let depth = crate::tui::history::UNDO_DEPTH.to_string();
        assert!(
            undo.is_some_and(|d| d.contains(&depth)),
            "{undo:?} does not say {depth}"
        );
        assert_eq!(action_for(&key(KeyCode::Char('z'), CTRL)), Some(Action::Suspend));
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for b in KEYMAP {
            for k in b.keys {
                assert!(seen.insert(*k), "{k:?} is bound twice");
            }
        }
    }
}
