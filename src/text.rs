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

/// Text safe to print or embed: control characters (other than tab and line breaks), which
/// could drive a terminal or break an HTML/XML document, become U+FFFD.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

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
