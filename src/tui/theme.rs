//! Semantic styles. Views ask for a role (focus, error, muted...), never a colour, so the
//! monochrome theme (`NO_COLOR`, `--no-color`) is the same screen without colour. State is
//! never carried by colour alone: every role also has a mark or a modifier in the text.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeKind {
    Color,
    Mono,
}

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub kind: ThemeKind,
    pub base: Style,
    pub border: Style,
    pub focus_border: Style,
    pub title: Style,
    pub selection: Style,
    pub error: Style,
    pub warning: Style,
    pub muted: Style,
    pub accent: Style,
    pub good: Style,
    /// Costs that went up against the baseline, and down.
    pub worse: Style,
    pub better: Style,
    /// Weights, KV cache, activations, runtime, free: the VRAM bar's segments.
    pub vram: [Style; 5],
    /// One per chart series: a family's colour is `series[family.index()]`.
    pub series: [Style; 8],
}

impl Theme {
    pub fn new(kind: ThemeKind) -> Theme {
        match kind {
            ThemeKind::Color => Theme::color(),
            ThemeKind::Mono => Theme::mono(),
        }
    }

    fn color() -> Theme {
        let fg = |c: Color| Style::new().fg(c);
        Theme {
            kind: ThemeKind::Color,
            base: Style::new(),
            border: fg(Color::DarkGray),
            focus_border: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            selection: Style::new().bg(Color::Blue).fg(Color::White),
            error: fg(Color::Red).add_modifier(Modifier::BOLD),
            warning: fg(Color::Yellow),
            muted: fg(Color::Gray),
            accent: fg(Color::Cyan),
            good: fg(Color::Green),
            worse: fg(Color::Red),
            better: fg(Color::Green),
            vram: [
                fg(Color::Blue),
                fg(Color::Magenta),
                fg(Color::Yellow),
                fg(Color::Red),
                fg(Color::DarkGray),
            ],
            series: [
                fg(Color::Cyan),
                fg(Color::Yellow),
                fg(Color::Magenta),
                fg(Color::Green),
                fg(Color::LightRed),
                fg(Color::LightBlue),
                fg(Color::LightYellow),
                fg(Color::White),
            ],
        }
    }

    fn mono() -> Theme {
        let plain = Style::new();
        Theme {
            kind: ThemeKind::Mono,
            base: plain,
            border: plain,
            focus_border: plain.add_modifier(Modifier::BOLD),
            title: plain.add_modifier(Modifier::BOLD),
            selection: plain.add_modifier(Modifier::REVERSED),
            error: plain.add_modifier(Modifier::BOLD),
            warning: plain,
            muted: plain,
            accent: plain,
            good: plain,
            worse: plain,
            better: plain,
            vram: [plain; 5],
            series: [plain; 8],
        }
    }
}
