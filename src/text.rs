//! Numbers as people read them: dollars with cents and thousands separators.

use rust_decimal::{Decimal, RoundingStrategy};

/// US dollars as people read them: at least two decimals (more when the figure has them,
/// as token prices do) and thousands separators: `$2,652.00`, `$0.075`.
pub fn usd(amount: Decimal) -> String {
    let mut d = amount.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    let text = d.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if d.is_sign_negative() && !d.is_zero() { "-" } else { "" };
    format!("{sign}${}.{frac}", group_digits(int))
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
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
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
        assert_eq!(printable("a\u{1b}[2Jb\u{2}\n\tc"), "a\u{FFFD}[2Jb\u{FFFD}\n\tc");
    }
}
