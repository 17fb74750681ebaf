//! Semantic roles → styles. Widgets ask for a role (`muted`, `focus`, `added`, …), never a colour;
//! themes are files (`themes/*.toml`, the user's, the project's) that map roles to styles, and
//! monochrome (`NO_COLOR`) is the one theme written here.
pub mod colour;
pub mod file;

pub use colour::Depth;
pub use file::{ThemeError, ThemeSet};

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

/// A role's colours as they meet on screen, for contrast checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// What is measured: a role, or a role over another's background (`warning on status_bar`).
    pub label: String,
    /// The role whose file entry is to blame when the pair cannot be read.
    pub role: &'static str,
    pub fg: Color,
    pub bg: Color,
}

impl Theme {
    /// Every role's name, as theme files write it.
    pub const ROLES: &'static [&'static str] = &[
        "text",
        "muted",
        "focus",
        "border",
        "border_focus",
        "title",
        "heading1",
        "heading2",
        "heading3",
        "emphasis",
        "strong",
        "code",
        "link",
        "added",
        "removed",
        "changed",
        "error",
        "warning",
        "info",
        "ok",
        "assumption",
        "todo",
        "highlight",
        "status_bar",
        "key",
    ];

    /// The built-in themes by name, `monochrome` last (it is what `NO_COLOR` gives).
    pub const NAMES: &'static [&'static str] = &["dark", "light", "high-contrast", "16-color", "monochrome"];

    /// A theme with every role unstyled (the terminal's own colours).
    pub fn blank(name: &'static str) -> Theme {
        let base = Style::new();
        Theme {
            name,
            text: base,
            muted: base,
            focus: base,
            border: base,
            border_focus: base,
            title: base,
            heading: [base; 3],
            emphasis: base,
            strong: base,
            code: base,
            link: base,
            added: base,
            removed: base,
            changed: base,
            error: base,
            warning: base,
            info: base,
            ok: base,
            assumption: base,
            todo: base,
            highlight: base,
            status_bar: base,
            key: base,
        }
    }

    fn slot(&mut self, role: &str) -> Option<&mut Style> {
        Some(match role {
            "text" => &mut self.text,
            "muted" => &mut self.muted,
            "focus" => &mut self.focus,
            "border" => &mut self.border,
            "border_focus" => &mut self.border_focus,
            "title" => &mut self.title,
            "heading1" => &mut self.heading[0],
            "heading2" => &mut self.heading[1],
            "heading3" => &mut self.heading[2],
            "emphasis" => &mut self.emphasis,
            "strong" => &mut self.strong,
            "code" => &mut self.code,
            "link" => &mut self.link,
            "added" => &mut self.added,
            "removed" => &mut self.removed,
            "changed" => &mut self.changed,
            "error" => &mut self.error,
            "warning" => &mut self.warning,
            "info" => &mut self.info,
            "ok" => &mut self.ok,
            "assumption" => &mut self.assumption,
            "todo" => &mut self.todo,
            "highlight" => &mut self.highlight,
            "status_bar" => &mut self.status_bar,
            "key" => &mut self.key,
            _ => return None,
        })
    }

    /// Sets a role's style; an unknown role name is ignored (theme files are checked first).
    pub fn set_role(&mut self, role: &str, style: Style) {
        if let Some(slot) = self.slot(role) {
            *slot = style;
        }
    }

    /// A role's style by its name in theme files.
    pub fn role(&self, role: &str) -> Option<Style> {
        let mut copy = self.clone();
        copy.slot(role).map(|s| *s)
    }

    /// The built-in theme `name` (not monochrome, which is not a file).
    pub fn builtin(name: &str) -> Option<Theme> {
        file::ThemeSet::builtin().theme(name).ok()
    }

    /// The dark theme: light text on a dark background, every colour RGB.
    pub fn dark() -> Theme {
        Theme::builtin("dark").unwrap_or_else(Theme::monochrome)
    }

    /// The light theme: dark text on a white background, every colour RGB.
    pub fn light() -> Theme {
        Theme::builtin("light").unwrap_or_else(Theme::monochrome)
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

    /// A built-in theme for a name given on the command line; `None` for an unknown name.
    pub fn named(name: &str) -> Option<Theme> {
        match name {
            "monochrome" | "mono" | "none" => Some(Theme::monochrome()),
            other => Theme::builtin(other),
        }
    }

    /// Every role with its name, in the order of `ROLES`.
    pub fn roles(&self) -> Vec<(&'static str, Style)> {
        Theme::ROLES
            .iter()
            .filter_map(|r| self.role(r).map(|s| (*r, s)))
            .collect()
    }

    /// The theme as a terminal of `depth` shows it: every colour the nearest it has.
    #[must_use]
    pub fn degraded(&self, depth: Depth) -> Theme {
        let mut theme = self.clone();
        for role in Theme::ROLES {
            if let Some(slot) = theme.slot(role) {
                if let Some(fg) = slot.fg {
                    slot.fg = Some(depth.degrade(fg));
                }
                if let Some(bg) = slot.bg {
                    slot.bg = Some(depth.degrade(bg));
                }
            }
        }
        theme
    }

    /// The colours that meet on screen: each role over its own background (or the text's), the
    /// text roles over the preview's highlight (the current section), and the notice colours over
    /// the status bar. Pairs whose colours are the terminal's own are left out.
    pub fn pairs(&self) -> Vec<Pair> {
        let ink = self.text.fg.unwrap_or(Color::Reset);
        let paper = self.text.bg.unwrap_or(Color::Reset);
        let mut out = Vec::new();
        let mut push = |label: String, role: &'static str, style: Style, under: Option<Color>| {
            let mut fg = style.fg.unwrap_or(ink);
            let mut bg = under.or(style.bg).unwrap_or(paper);
            if style.add_modifier.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
            }
            if fg != Color::Reset && bg != Color::Reset {
                out.push(Pair { label, role, fg, bg });
            }
        };
        for (role, style) in self.roles() {
            if role == "text" || style.fg.is_some() || style.bg.is_some() {
                push(role.to_string(), role, style, None);
            }
        }
        let on_own_background = ["focus", "highlight", "status_bar"];
        if let Some(under) = self.highlight.bg {
            for (role, style) in self.roles() {
                if !on_own_background.contains(&role) && style.bg.is_none() {
                    push(format!("{role} on highlight"), role, style, Some(under));
                }
            }
        }
        if let Some(under) = self.status_bar.bg {
            for role in ["ok", "warning", "error"] {
                if let Some(style) = self.role(role) {
                    let style = self.status_bar.patch(style);
                    push(format!("{role} on status_bar"), role, style, Some(under));
                }
            }
        }
        out
    }

    /// Paints the theme's own text colours on every cell left in the terminal's colours, so a
    /// theme with a background reads the same on a dark and on a light terminal (and overlays
    /// that clear their area get the background too).
    pub fn fill_defaults(&self, buffer: &mut ratatui::buffer::Buffer) {
        let (fg, bg) = (self.text.fg, self.text.bg);
        if fg.is_none() && bg.is_none() {
            return;
        }
        for cell in &mut buffer.content {
            if let Some(fg) = fg
                && cell.fg == Color::Reset
            {
                cell.fg = fg;
            }
            if let Some(bg) = bg
                && cell.bg == Color::Reset
            {
                cell.bg = bg;
            }
        }
    }
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
