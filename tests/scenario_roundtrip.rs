//! Scenario files survive load -> save -> load without loss, and save writes the format of
//! product.md (stable field order, money as decimal strings).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use llmcap::scenario::{self, Pattern, Residency, Scenario, Zone};
use rust_decimal::Decimal;
use std::str::FromStr;

#[test]
fn example_round_trips_and_reads_like_the_spec() {
    let s = Scenario::example();
    let text = scenario::to_ron_string(&s).unwrap();
    insta::assert_snapshot!(text);
    assert_eq!(scenario::parse_str(&text, "mem").unwrap(), s);
}

#[test]
fn every_variant_round_trips() {
    let mut s = Scenario::example();
    s.traffic.pattern = Pattern::Custom((0..24).map(|h| f64::from(h) * 0.25).collect());
    s.residency = Residency::DataZone(Zone::Eu);
    s.team.engineer_monthly_cost = Decimal::from_str("12345.67").unwrap();
    s.pricing.discount = Decimal::from_str("0.1").unwrap();
    s.workload.cached_input_share = 0.3;
    s.models = vec!["gpt-4o-mini".into(), "llama-3.1-8b".into()];
    s.notes = "quotes \" and\nnewlines survive".into();
    let text = scenario::to_ron_string(&s).unwrap();
    assert_eq!(scenario::parse_str(&text, "mem").unwrap(), s);
    assert!(text.contains("discount: \"0.1\""), "{text}");
    assert!(text.contains("engineer_monthly_cost: \"12345.67\""), "{text}");

    s.residency = Residency::Region("westeurope".into());
    let text = scenario::to_ron_string(&s).unwrap();
    assert_eq!(scenario::parse_str(&text, "mem").unwrap(), s);
}

#[test]
fn money_written_as_a_number_keeps_its_decimal_value() {
    let text = std::fs::read_to_string("scenarios/support-chatbot.ron")
        .unwrap()
        .replace(
            "quality: Efficient,",
            "quality: Efficient, team: (engineer_monthly_cost: 15000.10), pricing: (discount: 0.1),",
        );
    let s = scenario::parse_str(&text, "mem").unwrap();
    assert_eq!(s.team.engineer_monthly_cost, Decimal::from_str("15000.10").unwrap());
    assert_eq!(s.pricing.discount, Decimal::from_str("0.1").unwrap());
    // Groups given in part take the defaults for the rest.
    assert_eq!(s.team.platform_engineers, 2);
    assert_eq!(s.pricing.region, "eastus");
}

#[test]
fn the_case_file_is_the_built_in_example() {
    let text = std::fs::read_to_string("scenarios/support-chatbot.ron").unwrap();
    let mut s = scenario::parse_str(&text, "scenarios/support-chatbot.ron").unwrap();
    s.notes.clear();
    assert_eq!(s, Scenario::example());
}

#[test]
fn the_fine_tuning_group_is_written_bare_and_only_when_given() {
    let s = Scenario::example();
    assert!(!scenario::to_ron_string(&s).unwrap().contains("fine_tuning"));
    let mut s = Scenario::example();
    s.fine_tuning = Some(scenario::FineTuning {
        training_tokens: 50_000_000.0,
        epochs: 3,
        training_usd_per_million: Some(Decimal::from_str("5.00").unwrap()),
        amortize_months: 12,
        method: scenario::FineTuneMethod::Full,
    });
    let text = scenario::to_ron_string(&s).unwrap();
    assert!(!text.contains("Some("), "{text}");
    assert!(text.contains("training_usd_per_million: \"5\""), "{text}");
    assert_eq!(scenario::parse_str(&text, "mem").unwrap(), s);
    // Without a price the field is left out, and reads back as not priced.
    s.fine_tuning.as_mut().unwrap().training_usd_per_million = None;
    let text = scenario::to_ron_string(&s).unwrap();
    assert!(!text.contains("training_usd_per_million"), "{text}");
    assert_eq!(scenario::parse_str(&text, "mem").unwrap(), s);
    // The group's fields may be left out: they take their defaults.
    let file = std::fs::read_to_string("scenarios/support-chatbot.ron").unwrap();
    let file = file.replacen(
        "quality: Efficient,",
        "quality: Efficient,\n    fine_tuning: (training_tokens: 1000),",
        1,
    );
    let parsed = scenario::parse_str(&file, "mem").unwrap();
    let ft = parsed.fine_tuning.unwrap();
    assert_eq!(
        (ft.epochs, ft.amortize_months, ft.training_usd_per_million),
        (1, 12, None)
    );
}
