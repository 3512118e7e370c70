//! Shared by the property-test suites.

use proptest::prelude::ProptestConfig;

/// `default` cases, or `LLMCAP_FUZZ_CASES` for a long run; failures are not persisted to
/// files in the source tree.
pub fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("LLMCAP_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
