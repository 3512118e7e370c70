//! Routed scenarios in the reports: golden files of the text summary, the Markdown report
//! and the CSV table for the three routed cases of the library; the HTML report's hybrid
//! section and chart, well-formed and self-contained; the inputs table listing only the
//! routing rows that apply; pooled legs marked; and a hostile leg name that stays inert
//! text in every format.
//!
//! Dollar figures are pinned only in the snapshots (the engine is still being tuned; accept
//! new ones with `cargo insta review` when it moves).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;
use common::llmcap;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const ROUTED: [&str; 3] = [
    "router-classifier-70-25-5",
    "cascade-small-then-large",
    "edge-plus-cloud",
];

fn stdout(args: &[&str], file: &Path) -> String {
    let out = llmcap().args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `llmcap export FILE --format F -o DIR/out.EXT`, read back.
fn export(file: &Path, format: &str, dir: &Path) -> String {
    let out: PathBuf = dir.join(format!("out.{format}"));
    let res = llmcap()
        .arg("export")
        .arg(file)
        .args(["--format", format, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{format}: {}",
        String::from_utf8_lossy(&res.stderr)
    );
    fs::read_to_string(out).unwrap()
}

fn case(name: &str) -> PathBuf {
    PathBuf::from(format!("scenarios/{name}.ron"))
}

fn parse_html(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed: {e}"))
}

#[test]
fn golden_files_for_the_routed_cases() {
    let dir = tempfile::tempdir().unwrap();
    for name in ROUTED {
        let file = case(name);
        let key = name.replace('-', "_");
        insta::assert_snapshot!(format!("hybrid_{key}_text"), stdout(&["eval"], &file));
        insta::assert_snapshot!(format!("hybrid_{key}_markdown"), export(&file, "markdown", dir.path()));
        insta::assert_snapshot!(format!("hybrid_{key}_csv"), export(&file, "csv", dir.path()));
    }
}

/// The section every report adds, in its order: after the recommendation, before the
/// options.
#[test]
fn the_hybrid_section_follows_the_recommendation() {
    for name in ROUTED {
        let file = case(name);
        let text = stdout(&["eval"], &file);
        let (rec, hybrid, options) = (
            text.find("\nRecommendation:").unwrap(),
            text.find("\nHybrid plan (").unwrap_or_else(|| panic!("{name}: {text}")),
            text.find("\nOptions (").unwrap(),
        );
        assert!(rec < hybrid && hybrid < options, "{name}");
        assert!(
            text.contains("\nleg ") && text.contains("Hybrid cost a month:"),
            "{name}"
        );
        let md = stdout(&["eval", "--format", "markdown"], &file);
        let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(
            headings[..4],
            ["## Inputs", "## Recommendation", "## Hybrid plan", "## Options"],
            "{name}"
        );
        // One row per leg in the legs table.
        let json: serde_json::Value = serde_json::from_str(&stdout(&["eval", "--format", "json"], &file)).unwrap();
        let legs = json["legs"].as_array().unwrap();
        let section = &md[md.find("## Hybrid plan").unwrap()..md.find("## Options").unwrap()];
        let table = section.split("\n\n").find(|b| b.starts_with("| leg |")).unwrap();
        assert_eq!(table.lines().count(), 2 + legs.len(), "{name}: {table}");
        for l in legs {
            assert!(
                table.contains(&format!("| {} |", l["name"].as_str().unwrap())),
                "{name}"
            );
        }
        // The verdict says which plan to build.
        let build = if json["hybrid"]["recommended"] == true {
            "**Build the "
        } else {
            "**Build the single model"
        };
        assert!(section.contains(build), "{name}: {section}");
    }
}

#[test]
fn html_has_the_hybrid_section_and_its_chart_well_formed_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    for name in ROUTED {
        let html = export(&case(name), "html", dir.path());
        let doc = parse_html(&html);
        let elements: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.is_element()).collect();
        for n in &elements {
            let tag = n.tag_name().name();
            assert!(
                !["script", "link", "img", "iframe", "object", "embed", "foreignObject"].contains(&tag),
                "{name}: <{tag}>"
            );
            for a in n.attributes() {
                assert!(!a.name().starts_with("on"), "{name}: {} on <{tag}>", a.name());
                let v = a.value();
                assert!(
                    !(v.contains("http://") || v.contains("https://")) || a.name() == "xmlns",
                    "{name}: external resource in <{tag} {}={v}>",
                    a.name()
                );
            }
        }
        // The section's heading, then its chart before the next section.
        let h2: Vec<&roxmltree::Node> = elements.iter().filter(|n| n.has_tag_name("h2")).collect();
        let pos = h2.iter().position(|n| n.text() == Some("Hybrid plan")).unwrap();
        assert_eq!(h2[pos + 1].text(), Some("Options"), "{name}");
        let chart = elements
            .iter()
            .find(|n| {
                n.tag_name().name() == "svg"
                    && n.children()
                        .any(|c| c.has_tag_name("title") && c.text().is_some_and(|t| t.contains("leg by leg")))
            })
            .unwrap_or_else(|| panic!("{name}: no hybrid chart"));
        let (h_at, chart_at, next_at) = (h2[pos].range().start, chart.range().start, h2[pos + 1].range().start);
        assert!(
            h_at < chart_at && chart_at < next_at,
            "{name}: the chart is not in the section"
        );
        // A bar per leg (and router), the stacked total's segments, the single model's bar.
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&["eval", "--format", "json"], &case(name))).unwrap();
        let parts = json["legs"].as_array().unwrap().len() + usize::from(json["hybrid"]["router"]["kind"] != "none");
        let rects = chart.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert_eq!(rects, 2 * parts + 1, "{name}");
        let text: String = chart
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains("single model"), "{name}: {text}");
        for l in json["legs"].as_array().unwrap() {
            assert!(text.contains(l["name"].as_str().unwrap()), "{name}: {text}");
        }
        // The other charts are still there.
        assert!(elements.iter().filter(|n| n.has_tag_name("svg")).count() >= 4, "{name}");
    }
}

#[test]
fn csv_adds_leg_columns_and_a_row_per_leg_only_for_routed_plans() {
    let dir = tempfile::tempdir().unwrap();
    let plain = export(Path::new("scenarios/support-chatbot.ron"), "csv", dir.path());
    assert!(plain.lines().next().unwrap().ends_with(",estimate,region,plan_date"));
    for name in ROUTED {
        let text = export(&case(name), "csv", dir.path());
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&["eval", "--format", "json"], &case(name))).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header[header.len() - 2..], ["leg", "share"], "{name}");
        let plain_header: Vec<&str> = plain.lines().next().unwrap().split(',').collect();
        assert_eq!(
            header[..header.len() - 2],
            plain_header[..],
            "{name}: the old columns first"
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let col = |n: &str| header.iter().position(|h| h == n).unwrap();
        let (leg, share, option, model) = (col("leg"), col("share"), col("option"), col("model"));
        let options = json["options"].as_array().unwrap();
        assert!(
            rows[..options.len()]
                .iter()
                .all(|r| r[leg].is_empty() && r[share].is_empty())
        );
        let legs = json["legs"].as_array().unwrap();
        let classifier = json["hybrid"]["router"]["kind"] == "classifier";
        assert_eq!(
            rows.len(),
            options.len() + legs.len() + usize::from(classifier),
            "{name}"
        );
        for (row, l) in rows[options.len()..].iter().zip(legs) {
            assert_eq!(&row[leg], l["name"].as_str().unwrap());
            assert_eq!(row[share].parse::<f64>().unwrap(), l["share"].as_f64().unwrap());
            assert_eq!(&row[option], l["option"].as_str().unwrap_or(""));
            assert_eq!(&row[model], l["model"].as_str().unwrap_or(""));
            assert_eq!(&row[col("rank")], "1");
            assert_eq!(
                &row[col("monthly_cost_usd")],
                l["monthly_cost_usd"].as_str().unwrap_or("")
            );
        }
        if classifier {
            let last = rows.last().unwrap();
            assert_eq!(&last[leg], "router");
            assert_eq!(&last[model], json["hybrid"]["router"]["model"].as_str().unwrap());
        }
    }
}

#[test]
fn the_inputs_table_lists_only_the_routing_rows_that_apply() {
    let rows = |name: &str| -> Vec<String> {
        let md = stdout(&["eval", "--format", "markdown"], &case(name));
        let inputs = &md[md.find("## Inputs").unwrap()..md.find("\nDemand:").unwrap()];
        inputs.lines().map(str::to_string).collect()
    };
    let has = |rows: &[String], s: &str| rows.iter().any(|r| r.contains(s));
    // A router of three legs: three leg groups, shares, no escalation or attempt rows.
    let router = rows("router-classifier-70-25-5");
    assert!(has(&router, "| Leg 3 | Name | reasoning |") && !has(&router, "| Leg 4 |"));
    assert!(has(&router, "| Share |") && !has(&router, "| Escalation |") && !has(&router, "| Attempt |"));
    assert!(has(&router, "| Classifier | phi-4-mini |") && !has(&router, "| Router fee |"));
    // A cascade of two: escalation on the second leg only, the attempt on the first only.
    let cascade = rows("cascade-small-then-large");
    assert!(has(&cascade, "| Leg 2 | Name | large |") && !has(&cascade, "| Leg 3 |"));
    assert!(!has(&cascade, "| Share |") && !has(&cascade, "| Classifier |"));
    assert_eq!(cascade.iter().filter(|r| r.contains("| Escalation |")).count(), 1);
    assert_eq!(cascade.iter().filter(|r| r.contains("| Attempt |")).count(), 1);
    let escalation = cascade.iter().position(|r| r.contains("| Escalation |")).unwrap();
    let leg2 = cascade.iter().position(|r| r.contains("| Leg 2 |")).unwrap();
    assert!(escalation > leg2);
    // No routing group: no routing rows at all.
    let md = stdout(
        &["eval", "--format", "markdown"],
        Path::new("scenarios/support-chatbot.ron"),
    );
    assert!(!md.contains("| Routing |") && !md.contains("| Leg 1 |"), "{md}");
}

/// Two legs on the same self-hosted model share one fleet: the reports mark both legs and
/// name the pool.
#[test]
fn pooled_legs_are_marked_in_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pooled.ron");
    fs::write(
        &file,
        r#"Scenario(
    version: 1,
    name: "Two legs on one fleet",
    workload: (requests_per_day: 200000, input_tokens: 1000, output_tokens: 200),
    traffic: (pattern: BusinessHours, peak_to_average: 2.0),
    latency: (mode: Interactive, ttft_ms: 3000, output_tokens_per_s: 20),
    residency: OnPremises,
    quality: Efficient,
    routing: (
        pattern: Router,
        legs: [
            (name: "short", share: 0.6, models: ["llama-3.1-8b"], input_tokens: 500, output_tokens: 100),
            (name: "long", share: 0.4, models: ["llama-3.1-8b"]),
        ],
    ),
)
"#,
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&["eval", "--format", "json"], &file)).unwrap();
    let pools = json["hybrid"]["pools"].as_array().unwrap();
    assert_eq!(pools.len(), 1, "{json}");
    let text = stdout(&["eval"], &file);
    assert_eq!(text.matches("  pool 1  ").count(), 2, "{text}");
    assert!(text.contains("Pool 1: legs short, long share llama-3.1-8b"), "{text}");
    let md = stdout(&["eval", "--format", "markdown"], &file);
    assert!(md.contains("| pool | feasible, or why not |"), "{md}");
    assert_eq!(md.matches("| pool 1 |").count(), 2, "{md}");
    assert!(md.contains("- Pool 1: legs short, long share llama-3.1-8b"), "{md}");
}

/// A leg name with markup, a terminal escape, a bidi override, a line break and a leading
/// `=`: 40 characters at most, as the validator allows.
const LEG: &str = "=1+1 <b>x</b>\u{1b}[2J\r\n# h|[a](b)\u{202e}*y*";

/// The router case with its first leg renamed.
fn hostile_router(dir: &Path) -> PathBuf {
    let base = fs::read_to_string(case("router-classifier-70-25-5")).unwrap();
    assert!(LEG.chars().count() <= 40);
    let text = base.replacen("name: \"simple\"", &format!("name: {LEG:?}"), 1);
    assert_ne!(text, base);
    let f = dir.join("hostile-leg.ron");
    fs::write(&f, text).unwrap();
    f
}

/// No character that drives a terminal or hides text: controls other than line feed (and
/// the CR of CRLF where the format has it), bidi controls, zero-width characters.
fn assert_inert_chars(what: &str, text: &str, crlf: bool) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let crlf_cr = crlf && c == '\r' && chars.get(i + 1) == Some(&'\n');
        assert!(
            crlf_cr || c == '\n' || !llmcap::text::is_unsafe_char(c),
            "{what}: unsafe character U+{:04X} at {i}",
            c as u32
        );
    }
}

fn html_shape(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let doc = parse_html(text);
    let mut elements = BTreeSet::new();
    let mut attributes = BTreeSet::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        elements.insert(n.tag_name().name().to_string());
        for a in n.attributes() {
            attributes.insert(a.name().to_string());
        }
    }
    (elements, attributes)
}

#[test]
fn a_hostile_leg_name_stays_text_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_router(dir.path());
    let benign = case("router-classifier-70-25-5");
    let out = llmcap().arg("check").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Text: every character inert, and the name cannot forge a line: the summary has as
    // many lines as the benign one.
    let text = stdout(&["eval"], &file);
    assert_inert_chars("eval text", &text, false);
    let benign_text = stdout(&["eval"], &benign);
    assert_eq!(text.lines().count(), benign_text.lines().count(), "{text}");
    assert!(text.contains("\\u{1b}[2J\\r\\n"), "escaped, not dropped: {text}");

    // Markdown: the same headings as the benign report; every `<`, `[`, `]`, `|` from the
    // name backslash-escaped, so the legs table keeps its cells.
    let md = stdout(&["eval", "--format", "markdown"], &file);
    assert_inert_chars("eval markdown", &md, false);
    let benign_md = stdout(&["eval", "--format", "markdown"], &benign);
    let headings = |m: &str| {
        m.lines()
            .filter(|l| l.starts_with('#'))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(headings(&md), headings(&benign_md));
    assert_eq!(md.lines().count(), benign_md.lines().count());
    let cells = |line: &str| {
        let b = line.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    // The legs table's row for the hostile leg: its name is the first cell, `=` escaped.
    let legs_row = md.lines().find(|l| l.starts_with("| \\=1+1")).unwrap();
    let header = md.lines().find(|l| l.starts_with("| leg |")).unwrap();
    assert_eq!(cells(legs_row), cells(header), "{legs_row}");
    for special in ['<', '[', ']'] {
        for (i, _) in md.match_indices(special) {
            assert_eq!(
                &md[i - 1..i],
                "\\",
                "unescaped {special}: {}",
                &md[i.saturating_sub(30)..i + 10]
            );
        }
    }

    // JSON keeps the name exactly.
    let json: serde_json::Value = serde_json::from_str(&stdout(&["eval", "--format", "json"], &file)).unwrap();
    assert_eq!(json["legs"][0]["name"], LEG);

    // HTML: only the benign report's elements and attributes; the name is text.
    let html = export(&file, "html", dir.path());
    assert_inert_chars("export html", &html, false);
    let benign_html = export(&benign, "html", dir.path());
    let ((e, a), (eb, ab)) = (html_shape(&html), html_shape(&benign_html));
    assert!(e.is_subset(&eb), "{:?}", e.difference(&eb));
    assert!(a.is_subset(&ab), "{:?}", a.difference(&ab));
    assert!(!e.contains("b") && !e.contains("a"), "{e:?}");
    let doc = parse_html(&html);
    let svg_text: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        svg_text.iter().any(|t| t.contains("<b>x</b>")),
        "the chart labels the leg: {svg_text:?}"
    );

    // CSV: the leg's cell cannot be read as a formula, and no row is split.
    let csv_text = export(&file, "csv", dir.path());
    assert_inert_chars("export csv", &csv_text, true);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().unwrap().clone();
    let leg = header.iter().position(|h| h == "leg").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let cell = rows
        .iter()
        .map(|r| r[leg].to_string())
        .find(|c| c.contains("<b>x</b>"))
        .unwrap();
    assert!(cell.starts_with("'="), "{cell:?}");
    assert!(!cell.contains('\n') && !cell.contains('\r'), "{cell:?}");
    let benign_csv = export(&benign, "csv", dir.path());
    assert_eq!(csv_text.lines().count(), benign_csv.lines().count());
}
