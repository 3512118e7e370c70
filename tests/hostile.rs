//! Text from a file never becomes markup or terminal control: a scenario whose name and
//! notes carry HTML, Markdown, CR line breaks, terminal escapes, bidi overrides and
//! zero-width characters goes through every output format and error path, and each output
//! is checked by parsing it (HTML as XML, JSON as JSON) or by its characters.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::llmcap;

const NAME: &str = "<img src=x onerror=alert(1)>\r\r## Recommendation\r\r**fake $9.99** \u{1b}]0;PWNED\u{7}\u{1b}[2J \u{9b}31m \u{202e}evil\u{202c} zero\u{200b}width | cell";
const NOTES: &str = "<script>alert(1)</script> [details](javascript:alert(2)) ![t](https://e.example/t.gif)\n<iframe src=\"https://e.example\"></iframe>\r# Heading\r\n| a | b |\n|---|---|\n```\n<form action=https://e.example><input name=p></form> =HYPERLINK(\"x\") \u{1b}]8;;http://e.example\u{7}link\u{1b}]8;;\u{7}";

/// Writes the support chatbot with hostile name and notes; returns the file.
fn hostile_scenario(dir: &Path) -> std::path::PathBuf {
    let base = fs::read_to_string("scenarios/support-chatbot.ron").unwrap();
    let start = base.find("name:").unwrap();
    let end = start + base[start..].find(",\n").unwrap();
    let rest = &base[end..];
    let notes_start = rest.find("notes:").unwrap();
    let notes_end = notes_start + rest[notes_start..].find(",\n").unwrap();
    let text = format!(
        "{}name: {:?}{}notes: {:?}{}",
        &base[..start],
        NAME,
        &rest[..notes_start],
        NOTES,
        &rest[notes_end..]
    );
    // RON reads Rust-style escapes, which `{:?}` writes.
    let f = dir.join("hostile.ron");
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

fn run(args: &[&str], file: &Path) -> (String, String) {
    let out = llmcap().args(args).arg(file).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Element names and attribute names of an XHTML document.
fn html_shape(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).unwrap_or_else(|e| panic!("not well-formed: {e}"));
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

fn headings(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn hostile_names_and_notes_stay_text_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_scenario(dir.path());
    let benign = Path::new("scenarios/support-chatbot.ron");

    // check: the name is quoted on one line, escaped.
    let (out, err) = run(&["check"], &file);
    assert!(err.is_empty(), "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_inert_chars("check", &out, false);

    for format in ["text", "markdown", "json"] {
        let (out, err) = run(&["eval", "--format", format], &file);
        assert!(err.is_empty(), "{format}: {err}");
        assert_inert_chars(&format!("eval --format {format}"), &out, false);
    }

    // Markdown: the same headings as the benign report, apart from the title's text.
    let (md, _) = run(&["eval", "--format", "markdown"], &file);
    let (md_benign, _) = run(&["eval", "--format", "markdown"], benign);
    let (h, hb) = (headings(&md), headings(&md_benign));
    assert_eq!(h.len(), hb.len(), "{h:?}");
    assert_eq!(h[1..], hb[1..]);
    // Every `<`, `[` and `]` that came from the file is backslash-escaped (the report itself
    // writes none).
    for special in ['<', '[', ']'] {
        for (i, _) in md.match_indices(special) {
            assert_eq!(
                &md[i - 1..i],
                "\\",
                "unescaped {special} at {i}: {}",
                &md[i.saturating_sub(30)..i + 10]
            );
        }
    }

    // JSON keeps the name exactly (escaped, not altered).
    let (json, _) = run(&["eval", "--format", "json"], &file);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["scenario"]["name"], NAME);

    // Exports: HTML has only the template's elements and attributes.
    for (format, ext) in [("html", "html"), ("markdown", "md"), ("json", "json"), ("csv", "csv")] {
        let out = dir.path().join(format!("o.{ext}"));
        let status = llmcap()
            .args(["export"])
            .arg(&file)
            .args(["--format", format, "-o"])
            .arg(&out)
            .output()
            .unwrap()
            .status;
        assert!(status.success(), "{format}");
        let text = fs::read_to_string(&out).unwrap();
        assert_inert_chars(&format!("export {format}"), &text, format == "csv");
    }
    let benign_html = dir.path().join("b.html");
    llmcap()
        .arg("export")
        .arg(benign)
        .args(["--format", "html", "-o"])
        .arg(&benign_html)
        .assert()
        .success();
    let (elements, attributes) = html_shape(&fs::read_to_string(dir.path().join("o.html")).unwrap());
    let (elements_b, attributes_b) = html_shape(&fs::read_to_string(&benign_html).unwrap());
    assert!(
        elements.is_subset(&elements_b),
        "{:?}",
        elements.difference(&elements_b)
    );
    assert!(
        attributes.is_subset(&attributes_b),
        "{:?}",
        attributes.difference(&attributes_b)
    );
    for bad in ["script", "img", "iframe", "form", "input", "a"] {
        assert!(!elements.contains(bad), "<{bad}> in the HTML export");
    }
}

#[test]
fn error_messages_quote_hostile_ids_on_one_inert_line() {
    let dir = tempfile::tempdir().unwrap();
    let base = fs::read_to_string("scenarios/support-chatbot.ron").unwrap();
    let text = base.replace(
        "quality: Efficient,",
        "quality: Efficient, models: [\"x\\u{1b}]0;T\\u{7}\\r\\nerror: forged\\u{202e}\"],",
    );
    let f = dir.path().join("bad\u{1b}[31m.ron");
    fs::write(&f, text).unwrap();
    let out = llmcap().arg("check").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_inert_chars("check error", &err, false);
    assert_eq!(err.lines().count(), 1, "one problem, one line: {err}");
    assert!(err.contains("\\u{1b}") && err.contains("\\r\\n"), "{err}");
}

#[test]
fn a_hostile_id_on_the_command_line_is_inert_in_the_error() {
    let out = llmcap()
        .args([
            "predict",
            "--model",
            "x\u{1b}]0;T\u{7}\nerror: forged",
            "--gpu",
            "h100-sxm",
            "--input",
            "10",
            "--output",
            "10",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_inert_chars("predict error", &err, false);
}
