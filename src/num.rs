//! Serde adapters for the number forms of scenario and catalog files.
//!
//! The format lets a person write `2000` or `2000.0` for any number, so every field accepts
//! both. Whole-number fields reject fractions at parse time (with the file position); range
//! checks happen later in validation, where the message can name the accepted range.

use rust_decimal::Decimal;

/// `f64` to `Decimal` through its shortest decimal text, so 0.3 stays 0.3; `None` for
/// values `Decimal` cannot hold (non-finite or beyond about 7.9e28).
pub fn dec(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // Whole numbers (most token counts) convert exactly without going through text.
        return Some(Decimal::from(v as i64));
    }
    let text = format!("{v}");
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{v:e}")).ok())
}

/// Largest magnitude written back as an integer literal; beyond it `f64` would print
/// an exponent or lose digits.
const MAX_EXACT_INT: f64 = 9_007_199_254_740_992.0; // 2^53

fn write_number<S: serde::Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_EXACT_INT {
        // Exact: |value| <= 2^53 and integral, so the conversion loses nothing.
        #[allow(clippy::cast_possible_truncation)]
        serializer.serialize_i64(value as i64)
    } else {
        serializer.serialize_f64(value)
    }
}

pub mod float {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        super::write_number(*value, serializer)
    }

    /// `-0` reads as 0: a sign on nothing would only print as "-0" in reports.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        f64::deserialize(deserializer).map(|v| v + 0.0)
    }
}

pub mod float_vec {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    struct Num(f64);
    impl serde::Serialize for Num {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            super::write_number(self.0, serializer)
        }
    }

    pub fn serialize<S: Serializer>(values: &[f64], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(values.len()))?;
        for v in values {
            seq.serialize_element(&Num(*v))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
        Vec::<f64>::deserialize(deserializer).map(|v| v.into_iter().map(|x| x + 0.0).collect())
    }
}

pub mod whole {
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(*value)
    }

    struct WholeVisitor;

    impl<'de> Visitor<'de> for WholeVisitor {
        type Value = u32;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a whole number from 0 to {}", u32::MAX)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::custom(format_args!("{v} is too large; expected {}", Expecting(&self))))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::custom(format_args!("{v} is out of range; expected {}", Expecting(&self))))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u32, E> {
            if v.is_finite() && v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                // Checked integral and within u32 just above.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Ok(v as u32)
            } else {
                Err(E::custom(format_args!("{v} is not {}", Expecting(&self))))
            }
        }
    }

    struct Expecting<'a>(&'a WholeVisitor);
    impl fmt::Display for Expecting<'_> {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            self.0.expecting(f)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        deserializer.deserialize_any(WholeVisitor)
    }
}

pub mod money {
    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;
    use std::str::FromStr;

    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.normalize().to_string())
    }

    struct MoneyVisitor;

    const EXPECTING: &str = "a decimal amount, as a number (15000) or a string (\"15000.00\")";

    impl<'de> Visitor<'de> for MoneyVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(EXPECTING)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            parse_decimal(v.trim()).ok_or_else(|| E::custom(format_args!("{v:?} is not {EXPECTING}")))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            // The shortest decimal that round-trips to `v` is what the person typed
            // (`0.1`, not 0.1000000000000000055...), so go through that text.
            if !v.is_finite() {
                return Err(E::custom(format_args!("{v} is not {EXPECTING}")));
            }
            parse_decimal(&format!("{v}"))
                .ok_or_else(|| E::custom(format_args!("{} is too large for {EXPECTING}", crate::text::fmt_num(v))))
        }
    }

    /// Plain or scientific decimal text to `Decimal`; `None` when it is not a number or does
    /// not fit.
    pub fn parse_decimal(text: &str) -> Option<Decimal> {
        Decimal::from_str(text)
            .ok()
            .or_else(|| Decimal::from_scientific(text).ok())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

/// An optional whole number, written and read as a bare number (`min_replicas: 2`, not
/// `Some(2)`): the field is left out for `None` (`skip_serializing_if`) and its `default`
/// gives `None` back.
pub mod opt_whole {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<u32>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::whole::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
        super::whole::deserialize(deserializer).map(Some)
    }
}

pub mod opt_money {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(transparent)]
    struct Money(#[serde(with = "super::money")] Decimal);

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        value.map(Money).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
        Ok(Option::<Money>::deserialize(deserializer)?.map(|m| m.0))
    }
}

pub mod money_map {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(transparent)]
    struct Money(#[serde(with = "super::money")] Decimal);

    pub fn serialize<S: Serializer>(value: &BTreeMap<String, Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        let m: BTreeMap<&String, Money> = value.iter().map(|(k, v)| (k, Money(*v))).collect();
        m.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<String, Decimal>, D::Error> {
        let m = BTreeMap::<String, Money>::deserialize(deserializer)?;
        Ok(m.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

/// An optional amount written bare (`"5.00"`, not `Some("5.00")`): present means given.
pub mod present_money {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::money::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
        super::money::deserialize(deserializer).map(Some)
    }
}

/// An optional group written bare (`fine_tuning: (...)`, not `Some((...))`).
pub mod present {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => v.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize(deserializer).map(Some)
    }
}

/// An optional number written bare (`share: 0.7`, not `Some(0.7)`), in either number form.
pub mod opt_float {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::float::serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
        super::float::deserialize(deserializer).map(Some)
    }
}
