//! The help overlay's content, generated from the keymap: the overlay draws it and `update`
//! bounds its scroll by it.

use super::super::keymap::{KEYMAP, Scope};

/// The help overlay's lines, generated from the keymap.
pub fn help_lines() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for scope in [Scope::Global, Scope::Move, Scope::Edit, Scope::Files, Scope::Workshop] {
        out.push((scope.title().to_string(), String::new()));
        for b in KEYMAP.iter().filter(|b| b.scope == scope) {
            out.push((format!("  {}", b.label), b.desc.to_string()));
        }
    }
    out.push(("Marks".into(), String::new()));
    out.push((
        "  ~".into(),
        "The figure rests on a catalog entry marked as an estimate".into(),
    ));
    out.push(("  ✗ !".into(), "Not feasible (and why); a warning".into()));
    out.push((
        "  ★ ○".into(),
        "The plan to build; with routing, the plan (hybrid or one model) that costs more".into(),
    ));
    out.push(("  Δ".into(), "A change against the pinned baseline".into()));
    out.push(("Mouse".into(), String::new()));
    out.push(("  click".into(), "Focus a pane, select a field or an option".into()));
    out.push(("  wheel".into(), "Scroll the pane under the pointer".into()));
    out
}
