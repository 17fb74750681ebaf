//! Colours as the terminal can show them: the depth it announces, degrading RGB to the nearest
//! palette colour, and the WCAG contrast ratio used to check themes.
use ratatui::style::Color;

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// 24-bit RGB (`COLORTERM=truecolor` or `24bit`).
    TrueColor,
    /// The xterm 256-colour palette (`TERM` naming `256color`).
    Ansi256,
    /// The 16 ANSI colours: anything else.
    Ansi16,
}

impl Depth {
    /// The depth the environment announces: `COLORTERM` first, then `TERM`.
    pub fn detect() -> Depth {
        Depth::from_env(
            std::env::var("COLORTERM").ok().as_deref(),
            std::env::var("TERM").ok().as_deref(),
        )
    }

    pub fn from_env(colorterm: Option<&str>, term: Option<&str>) -> Depth {
        let colorterm = colorterm.unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            Depth::TrueColor
        } else if term.is_some_and(|t| t.contains("256color")) {
            Depth::Ansi256
        } else {
            Depth::Ansi16
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Depth::TrueColor => "24-bit colour",
            Depth::Ansi256 => "256 colours",
            Depth::Ansi16 => "16 colours",
        }
    }

    /// `color` as this depth shows it: the nearest colour it has.
    pub fn degrade(self, color: Color) -> Color {
        match (self, color) {
            (Depth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
            (Depth::Ansi16, Color::Rgb(r, g, b)) => nearest_16(r, g, b),
            (Depth::Ansi16, Color::Indexed(i)) if i >= 16 => {
                let (r, g, b) = xterm_rgb(i);
                nearest_16(r, g, b)
            }
            (_, c) => c,
        }
    }
}

/// The 16 ANSI colours with xterm's default values, in palette order.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The RGB value xterm gives palette entry `i`.
pub fn xterm_rgb(i: u8) -> (u8, u8, u8) {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        0..=15 => ANSI16[usize::from(i)].1,
        16..=231 => {
            let n = i - 16;
            (
                LEVELS[usize::from(n / 36)],
                LEVELS[usize::from(n / 6 % 6)],
                LEVELS[usize::from(n % 6)],
            )
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// The RGB value of a colour, when it has a known one (named colours take xterm's values).
pub fn rgb(color: Color) -> Option<(u8, u8, u8)> {
    match color {
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i) => Some(xterm_rgb(i)),
        Color::Reset => None,
        named => ANSI16.iter().find(|(c, _)| *c == named).map(|(_, v)| *v),
    }
}

/// A distance that weighs green most and blue least, as the eye does (the "redmean" formula).
fn distance((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let mean = u32::midpoint(u32::from(r1), u32::from(r2));
    let d = |a: u8, b: u8| u32::from(a.abs_diff(b)).pow(2);
    (((512 + mean) * d(r1, r2)) >> 8) + 4 * d(g1, g2) + (((767 - mean) * d(b1, b2)) >> 8)
}

// Nearest colour by hand: a few lines, and the palette crates that do it are LGPL or far larger.
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    // Only the colour cube and the grey ramp: entries 0-15 change with the terminal's palette.
    (16..=255u8)
        .min_by_key(|i| distance((r, g, b), xterm_rgb(*i)))
        .unwrap_or(16)
}

fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, v)| distance((r, g, b), *v))
        .map_or(Color::Reset, |(c, _)| *c)
}

/// WCAG 2 relative luminance of an sRGB colour.
pub fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            power_2_4((c + 0.055) / 1.055)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// `x` to the power 2.4 for `x` in (0, 1], as `x² · (x²)^⅕` with the fifth root found by
/// Newton's method: the same value as `powf(2.4)` to within 1e-12 (a test holds it), without a
/// call into the system's maths library, whose pages the interview would otherwise map for
/// this one use (about 190 kB of memory).
fn power_2_4(x: f64) -> f64 {
    let square = x * x;
    // From 1, above the root, Newton's steps fall to the root of r⁵ = square without
    // overshooting it (r⁵ is convex), quadratically once near; it stops when a step no longer
    // lowers it.
    let mut root = 1.0_f64;
    for _ in 0..64 {
        let fourth = root * root * root * root;
        let next = root - (fourth * root - square) / (5.0 * fourth);
        if next >= root {
            break;
        }
        root = next;
    }
    square * root
}

/// WCAG 2 contrast ratio of two colours, from 1 (none) to 21 (black on white).
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_power_without_the_maths_library_matches_powf_for_every_channel() {
        for c in 0..=255u8 {
            let x = (f64::from(c) / 255.0 + 0.055) / 1.055;
            let (ours, libm) = (power_2_4(x), x.powf(2.4));
            assert!((ours - libm).abs() <= 1e-12, "channel {c}: {ours} against {libm}");
        }
        assert!((power_2_4(1.0) - 1.0).abs() <= 1e-15);
    }

    #[test]
    fn depth_follows_colorterm_then_term() {
        assert_eq!(Depth::from_env(Some("truecolor"), Some("xterm")), Depth::TrueColor);
        assert_eq!(Depth::from_env(Some("24bit"), None), Depth::TrueColor);
        assert_eq!(Depth::from_env(None, Some("tmux-256color")), Depth::Ansi256);
        assert_eq!(Depth::from_env(Some("yes"), Some("xterm-256color")), Depth::Ansi256);
        assert_eq!(Depth::from_env(None, Some("xterm")), Depth::Ansi16);
        assert_eq!(Depth::from_env(None, None), Depth::Ansi16);
    }

    #[test]
    fn colours_degrade_to_the_nearest_the_terminal_has() {
        assert_eq!(Depth::Ansi256.degrade(Color::Rgb(255, 255, 255)), Color::Indexed(231));
        assert_eq!(Depth::Ansi256.degrade(Color::Rgb(0, 0, 0)), Color::Indexed(16));
        assert_eq!(Depth::Ansi256.degrade(Color::Rgb(128, 128, 128)), Color::Indexed(244));
        assert_eq!(Depth::Ansi16.degrade(Color::Rgb(250, 250, 250)), Color::White);
        assert_eq!(Depth::Ansi16.degrade(Color::Rgb(20, 20, 30)), Color::Black);
        assert_eq!(Depth::Ansi16.degrade(Color::Rgb(200, 10, 10)), Color::Red);
        assert_eq!(Depth::Ansi16.degrade(Color::Indexed(196)), Color::LightRed);
        assert_eq!(Depth::Ansi16.degrade(Color::Cyan), Color::Cyan);
        assert_eq!(Depth::TrueColor.degrade(Color::Rgb(1, 2, 3)), Color::Rgb(1, 2, 3));
    }

    #[test]
    fn contrast_matches_the_wcag_examples() {
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
        assert!((contrast((255, 255, 255), (255, 255, 255)) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic just-passing grey.
        let grey = contrast((0x76, 0x76, 0x76), (255, 255, 255));
        assert!(grey > 4.5 && grey < 4.6, "{grey}");
    }
}
