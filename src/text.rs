//! Numbers as people read them: dollars with cents and thousands separators.

use rust_decimal::{Decimal, RoundingStrategy};

/// US dollars as people read them: at least two decimals (more when the figure has them,
/// as token prices do) and thousands separators: `$2,652.00`, `$0.075`.
pub fn usd(amount: Decimal) -> String {
    let mut d = amount.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    // The digits of the mantissa with the point `scale` places from the right: what
    // `Decimal`'s `Display` writes, without building that text first.
    let scale = d.scale() as usize;
    let mut digits = d.mantissa().unsigned_abs().to_string();
    if digits.len() <= scale {
        digits.insert_str(0, &"0".repeat(scale + 1 - digits.len()));
    }
    let (int, frac) = digits.split_at(digits.len() - scale);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 3);
    if d.is_sign_negative() && !d.is_zero() {
        out.push('-');
    }
    out.push('$');
    push_grouped(&mut out, int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

// Text from files and flags reaches five kinds of output. Each has one rule, applied where
// the text leaves llmcap: `terminal_text` / `terminal_line` for a terminal, `json_safe` for
// JSON, `report::markdown::md` for Markdown (and so HTML), `report::csv` for CSV cells, and
// `printable` for the workbench's own frames.

/// Characters that change how text is shown rather than what it says: C0 and C1 controls
/// (ESC starts terminal sequences, CR overwrites a line), bidirectional overrides and
/// isolates (which reorder what is displayed), zero-width characters and the byte-order
/// mark (which hide text or make different ids look alike).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Text safe to print or embed: unsafe characters (other than tab and line feed) become
/// U+FFFD. Used for the workbench's frames and whole reports.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if is_unsafe_char(c) && !matches!(c, '\n' | '\t') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A multi-line text for a terminal (a report, an error message): as [`printable`], but a CR
/// that ends a CRLF line (CSV) is kept, since it moves nothing.
pub fn terminal_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if is_unsafe_char(c) && !matches!(c, '\n' | '\t') {
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    out
}

/// One line of a terminal message holding text from a file or flag (a name, an id, a
/// path): unsafe characters, line breaks included, are written as escapes (`\n`,
/// `\u{1b}`), so nothing is hidden, reordered or forged onto another line.
pub fn terminal_line(s: &str) -> String {
    if !s.chars().any(is_unsafe_char) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// JSON text with every unsafe character inside its strings written as a `\uXXXX` escape:
/// the same JSON value, safe to show on a terminal. (Outside strings JSON text is ASCII, and
/// the line feeds and spaces of pretty printing are kept.)
pub fn json_safe(json: &str) -> String {
    if !json.chars().any(|c| is_unsafe_char(c) && !matches!(c, '\n' | ' ')) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe_char(c) && !matches!(c, '\n' | ' ') {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Dollars and cents, rounded half away from zero like every reported amount: `$1,140.63`.
pub fn usd_cents(amount: Decimal) -> String {
    usd(amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// Whole dollars (rounded half away from zero), for large totals: `$1,825`.
pub fn usd_whole(amount: Decimal) -> String {
    let d = amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let sign = if d.is_sign_negative() && !d.is_zero() { "-" } else { "" };
    format!("{sign}${}", group_digits(&d.abs().to_string()))
}

pub fn thousands(n: u64) -> String {
    group_digits(&n.to_string())
}

fn group_digits(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    push_grouped(&mut out, int);
    out
}

/// Appends `int` (ASCII digits) with a comma every three digits from the right.
fn push_grouped(out: &mut String, int: &str) {
    let first = match int.len() % 3 {
        0 => 3.min(int.len()),
        n => n,
    };
    let (head, rest) = int.split_at(first);
    out.push_str(head);
    for group in rest.as_bytes().chunks(3) {
        out.push(',');
        out.push_str(std::str::from_utf8(group).unwrap_or_default());
    }
}

/// `1.5k`, `250k`, `12M`: a volume or an amount in a few characters.
pub fn short_number(v: f64) -> String {
    let (d, suffix) = if v >= 1e9 {
        (v / 1e9, "B")
    } else if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    if d >= 10.0 || d.fract() == 0.0 {
        format!("{d:.0}{suffix}")
    } else {
        format!("{d:.1}{suffix}")
    }
}

/// Numbers as a person would write them: `100000`, `0.5`, `1e300`, `NaN`.
pub fn fmt_num(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".to_string() } else { "-inf".to_string() }
    } else if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// "did you mean ...?" for the closest known ids, if any.
pub fn hint_for(suggestions: &[String]) -> Option<String> {
    match suggestions {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// File text (a scenario, a catalog file) as the parser reads it: without a leading byte-order mark (Windows tools
/// write one) and with old Mac line ends (a lone CR) as line feeds, so line:column in
/// messages are what an editor shows. CRLF is left alone: the parser reads it as one break.
pub fn normalize_source(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') && text.replace("\r\n", "").contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const HOSTILE: &str = "a\u{1b}]0;T\u{7}b\u{9b}31m\r\nc\u{202e}d\u{200b}e\u{feff}";

    #[test]
    fn terminal_lines_escape_everything_that_moves_the_cursor_or_hides_text() {
        let l = terminal_line(HOSTILE);
        assert!(!l.chars().any(is_unsafe_char), "{l:?}");
        assert!(
            l.contains("\\u{1b}") && l.contains("\\r\\n") && l.contains("\\u{202e}"),
            "{l}"
        );
        assert_eq!(terminal_line("gpt-4o-mini"), "gpt-4o-mini");
    }

    #[test]
    fn terminal_text_keeps_line_feeds_tabs_and_crlf_only() {
        let t = terminal_text("x\ty\r\nz\rw\u{1b}[2J");
        assert_eq!(t, "x\ty\r\nz\u{FFFD}w\u{FFFD}[2J");
        let p = printable(HOSTILE);
        assert!(p.chars().all(|c| c == '\n' || !is_unsafe_char(c)), "{p:?}");
    }

    #[test]
    fn json_stays_the_same_value_and_becomes_terminal_safe() {
        let v = serde_json::json!({ "name": HOSTILE, "n": [1, 2] });
        let text = serde_json::to_string_pretty(&v).unwrap();
        let safe = json_safe(&text);
        assert!(safe.chars().all(|c| c == '\n' || !is_unsafe_char(c)), "{safe:?}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn dollars_read_well() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(usd(d("2652")), "$2,652.00");
        assert_eq!(usd(d("0.075")), "$0.075");
        assert_eq!(usd(d("0.94")), "$0.94");
        assert_eq!(usd(d("1825.004")), "$1,825.004");
        assert_eq!(usd(d("-3.2")), "-$3.20");
        assert_eq!(usd_whole(d("1824.5")), "$1,825");
        assert_eq!(usd_cents(d("1140.625")), "$1,140.63");
        assert_eq!(usd_cents(d("912.4999999")), "$912.50");
        assert_eq!(usd_whole(d("1234567.49")), "$1,234,567");
        assert_eq!(thousands(131072), "131,072");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(usd(Decimal::ZERO), "$0.00");
        assert_eq!(usd(d("-0.000")), "$0.00");
        assert_eq!(usd(d("0.0000001")), "$0.0000001");
        assert_eq!(printable("a\u{1b}[2Jb\u{2}\n\tc"), "a\u{FFFD}[2Jb\u{FFFD}\n\tc");
    }

    /// The former text path: `Decimal`'s `Display`, split at the point, digits grouped one
    /// character at a time.
    fn usd_by_display(amount: Decimal) -> String {
        let mut d = amount.normalize();
        if d.scale() < 2 {
            d.rescale(2);
        }
        let text = d.abs().to_string();
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let sign = if d.is_sign_negative() && !d.is_zero() { "-" } else { "" };
        let mut grouped = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{sign}${grouped}.{frac}")
    }

    #[test]
    fn dollars_match_decimal_display() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let scale = (x % 29) as u32;
            let mantissa = i64::try_from(x >> (x % 60 + 4)).unwrap_or(0) * if i % 3 == 0 { -1 } else { 1 };
            let amount = Decimal::new(mantissa, scale);
            assert_eq!(usd(amount), usd_by_display(amount), "{amount}");
        }
        assert_eq!(
            usd(Decimal::from_str("79228162514264337593543950.33").unwrap()),
            "$79,228,162,514,264,337,593,543,950.33"
        );
        // Where no two decimals fit, the former path left a point with nothing after it.
        for big in [Decimal::MAX, Decimal::MIN] {
            assert_eq!(usd(big), usd_by_display(big).trim_end_matches('.'), "{big}");
        }
    }
}
