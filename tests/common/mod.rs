//! Helpers shared by the integration tests. Each test crate compiles this module and uses
//! part of it, hence `dead_code` is allowed.

#![allow(dead_code)]

use assert_cmd::Command;
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

/// The plan date every test runs on, so answers do not change as models retire.
pub const PLAN_DATE: &str = "2026-12-01";

/// The binary, on the built-in catalog whatever the environment says, without colour, on
/// the pinned plan date.
pub fn llmcap() -> Command {
    #[allow(clippy::unwrap_used)] // tests may fail loudly
    let mut cmd = Command::cargo_bin("llmcap").unwrap();
    cmd.env_remove("LLMCAP_CATALOG")
        .env("NO_COLOR", "1")
        .env("LLMCAP_AS_OF", PLAN_DATE);
    cmd
}

/// Runs `cmd`, which must succeed, and parses its standard output as JSON.
#[allow(clippy::unwrap_used)] // tests may fail loudly
pub fn json_of(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
