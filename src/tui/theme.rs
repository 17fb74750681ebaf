//! Semantic roles → styles. Widgets ask for a role (`muted`, `focus`, `added`, …), never a colour,
//! so a light theme and monochrome (`NO_COLOR`) are each one table.
use ratatui::style::{Color, Modifier, Style};

/// The roles the interface paints with.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: &'static str,
    /// Ordinary text.
    pub text: Style,
    /// Secondary text: help, hints, inactive answers.
    pub muted: Style,
    /// The focused item, the cursor line, the selected option.
    pub focus: Style,
    /// Borders and titles of panes.
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub heading: [Style; 3],
    pub emphasis: Style,
    pub strong: Style,
    pub code: Style,
    pub link: Style,
    pub added: Style,
    pub removed: Style,
    pub changed: Style,
    pub error: Style,
    pub warning: Style,
    pub info: Style,
    pub ok: Style,
    /// Labelled assumptions in the preview and the outline.
    pub assumption: Style,
    /// Visible TODOs in the preview.
    pub todo: Style,
    /// The part of the preview the current question feeds.
    pub highlight: Style,
    pub status_bar: Style,
    pub key: Style,
}

impl Theme {
    pub fn dark() -> Theme {
        let base = Style::new();
        Theme {
            name: "dark",
            text: base,
            muted: base.fg(Color::DarkGray),
            focus: base.fg(Color::Black).bg(Color::Cyan),
            border: base.fg(Color::DarkGray),
            border_focus: base.fg(Color::Cyan),
            title: base.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            heading: [
                base.fg(Color::Cyan).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                base.fg(Color::Cyan).add_modifier(Modifier::BOLD),
                base.fg(Color::Blue).add_modifier(Modifier::BOLD),
            ],
            emphasis: base.add_modifier(Modifier::ITALIC),
            strong: base.add_modifier(Modifier::BOLD),
            code: base.fg(Color::Yellow),
            link: base.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            added: base.fg(Color::Green),
            removed: base.fg(Color::Red),
            changed: base.fg(Color::Yellow),
            error: base.fg(Color::Red).add_modifier(Modifier::BOLD),
            warning: base.fg(Color::Yellow),
            info: base.fg(Color::Blue),
            ok: base.fg(Color::Green),
            assumption: base.fg(Color::Magenta).add_modifier(Modifier::ITALIC),
            todo: base.fg(Color::Red).add_modifier(Modifier::BOLD),
            highlight: base.bg(Color::Rgb(30, 40, 55)),
            status_bar: base.fg(Color::White).bg(Color::Rgb(40, 40, 40)),
            key: base.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        }
    }

    pub fn light() -> Theme {
        let base = Style::new();
        Theme {
            name: "light",
            muted: base.fg(Color::Gray),
            focus: base.fg(Color::White).bg(Color::Blue),
            border: base.fg(Color::Gray),
            border_focus: base.fg(Color::Blue),
            title: base.fg(Color::Blue).add_modifier(Modifier::BOLD),
            heading: [
                base.fg(Color::Blue).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                base.fg(Color::Blue).add_modifier(Modifier::BOLD),
                base.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            ],
            code: base.fg(Color::Rgb(150, 90, 0)),
            highlight: base.bg(Color::Rgb(225, 235, 250)),
            status_bar: base.fg(Color::Black).bg(Color::Rgb(220, 220, 220)),
            key: base.fg(Color::Blue).add_modifier(Modifier::BOLD),
            ..Theme::dark()
        }
    }

    /// No colour at all (`NO_COLOR`, `--no-color`): meaning is carried by bold, underline,
    /// reverse video and the text itself.
    pub fn monochrome() -> Theme {
        let base = Style::new();
        let bold = base.add_modifier(Modifier::BOLD);
        Theme {
            name: "monochrome",
            text: base,
            muted: base.add_modifier(Modifier::DIM),
            focus: base.add_modifier(Modifier::REVERSED),
            border: base,
            border_focus: bold,
            title: bold,
            heading: [bold.add_modifier(Modifier::UNDERLINED), bold, bold],
            emphasis: base.add_modifier(Modifier::ITALIC),
            strong: bold,
            code: base,
            link: base.add_modifier(Modifier::UNDERLINED),
            added: bold,
            removed: base.add_modifier(Modifier::CROSSED_OUT),
            changed: base.add_modifier(Modifier::UNDERLINED),
            error: bold,
            warning: bold,
            info: base,
            ok: base,
            assumption: base.add_modifier(Modifier::ITALIC),
            todo: bold,
            highlight: base,
            status_bar: base.add_modifier(Modifier::REVERSED),
            key: bold,
        }
    }

    /// The theme for a name given on the command line; `None` for an unknown name.
    pub fn named(name: &str) -> Option<Theme> {
        match name {
            "dark" => Some(Theme::dark()),
            "light" => Some(Theme::light()),
            "monochrome" | "mono" | "none" => Some(Theme::monochrome()),
            _ => None,
        }
    }

    pub const NAMES: &'static [&'static str] = &["dark", "light", "monochrome"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monochrome_uses_no_colour_at_all() {
        let t = Theme::monochrome();
        let styles = [
            t.text,
            t.muted,
            t.focus,
            t.border,
            t.border_focus,
            t.title,
            t.emphasis,
            t.strong,
            t.code,
            t.link,
            t.added,
            t.removed,
            t.changed,
            t.error,
            t.warning,
            t.info,
            t.ok,
            t.assumption,
            t.todo,
            t.highlight,
            t.status_bar,
            t.key,
        ];
        for s in styles.iter().chain(t.heading.iter()) {
            assert_eq!((s.fg, s.bg), (None, None), "{s:?}");
        }
        assert!(Theme::named("neon").is_none());
        assert_eq!(Theme::named("light").map(|t| t.name), Some("light"));
    }
}
