//! The HTML report: one self-contained file (inline CSS and SVG, no scripts, no external
//! resources) that reads and prints well. The text is the Markdown report rendered by
//! pulldown-cmark, so the two formats never disagree; the charts follow it.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

use super::svg;
use crate::engine::demand::hourly_weights;
use crate::engine::plan::{Hybrid, Plan};
use crate::engine::sweep::volume_series;
use crate::scenario::Scenario;

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fff}\
main{max-width:980px;margin:0 auto;padding:24px}\
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}\
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}\
th{background:#f3f3f3}blockquote{color:#555;border-left:3px solid #ccc;margin:0;padding-left:12px}\
figure{margin:1em 0}svg{max-width:100%;height:auto}\
@media print{main{max-width:none;padding:0}h2{break-after:avoid}figure,table{break-inside:avoid}}";

/// Escapes text for HTML and SVG element content and double-quoted attribute values: the
/// one escape function of the crate (the SVG charts use it too).
///
/// `&`, `<`, `>` and `"` become entities. `'` is left as it is: every attribute llmcap
/// writes is double-quoted, so an apostrophe is safe there, and chart titles such as "a
/// day's requests" keep the bytes the reports have always had.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The report's Markdown as events that can only become text, tables and emphasis: raw
/// HTML is shown as text, and links and images (the report makes none; the Markdown escapes
/// text from files, this is the second wall) keep only their text.
fn inert<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    events.filter_map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        Event::Start(Tag::Link { .. } | Tag::Image { .. }) | Event::End(TagEnd::Link | TagEnd::Image) => None,
        other => Some(other),
    })
}

/// Markdown blocks as inert HTML.
fn render(markdown: &str, out: &mut String) {
    html::push_html(out, inert(Parser::new_ext(markdown, Options::ENABLE_TABLES)));
}

/// The chart of the hybrid plan: each leg's and the router's cost, stacked into the plan's
/// total, against the single model's.
fn hybrid_chart(plan: &Plan, h: &Hybrid) -> String {
    let c = super::hybrid::chart_parts(plan, h);
    let pattern = if h.pattern == "cascade" { "cascade" } else { "router" };
    let total = format!("{pattern} plan");
    format!(
        "<figure>{}</figure>",
        svg::parts_against(
            &format!("Monthly cost of the {pattern} plan, leg by leg, against the single model"),
            &c.parts,
            &total,
            c.single
                .as_ref()
                .map(|(detail, v)| ("single model", detail.as_str(), *v)),
        )
    )
}

pub fn report(s: &Scenario, plan: &Plan) -> String {
    let mut body = String::new();
    match super::hybrid::of(plan) {
        // The hybrid plan's chart right after its section: the report's three runs of
        // Markdown blocks rendered one by one (the same HTML as rendering them together).
        Some(h) => {
            let [head, hybrid, rest] = super::markdown::parts(s, plan);
            render(&head, &mut body);
            render(&hybrid, &mut body);
            body.push_str(&hybrid_chart(plan, h));
            body.push('\n');
            render(&rest, &mut body);
        }
        None => render(&super::markdown::summary(s, plan), &mut body),
    }

    let mut charts = String::from("<section id=\"charts\"><h2>Charts</h2>");
    let bars: Vec<(String, f64)> = plan
        .options
        .iter()
        .filter(|o| o.feasible)
        .filter_map(|o| {
            o.monthly_cost_usd
                .map(|c| (format!("{} {}", o.option, o.model), f64::try_from(c).unwrap_or(0.0)))
        })
        .take(15)
        .collect();
    if !bars.is_empty() {
        charts.push_str("<figure>");
        charts.push_str(&svg::bars("Monthly cost of the cheapest feasible options", &bars));
        charts.push_str("</figure>");
    }
    let (volumes, series) = volume_series(s, plan, 48);
    if !series.is_empty() {
        let mut marks: Vec<(f64, String)> = plan
            .break_even
            .iter()
            .map(|b| {
                (
                    b.requests_per_day,
                    format!(
                        "break-even {}",
                        super::super::text::thousands(b.requests_per_day.round() as u64)
                    ),
                )
            })
            .collect();
        marks.push((s.workload.requests_per_day, "this scenario".to_string()));
        charts.push_str("<figure>");
        charts.push_str(&svg::cost_vs_volume(
            "Monthly cost against requests per day, best option of each kind",
            &volumes,
            &series,
            &marks,
        ));
        charts.push_str("</figure>");
    }
    if let Some(sh) = plan.fleet_option().and_then(|o| o.self_hosted.as_ref()) {
        let v = &sh.vram_per_gpu_gib;
        let free = (v.capacity - v.total).max(0.0);
        charts.push_str("<figure>");
        charts.push_str(&svg::stacked(
            &format!("VRAM per GPU, {} ({}, tp {})", sh.gpu, sh.precision, sh.tp),
            &[
                ("weights".to_string(), v.weights),
                ("KV cache".to_string(), v.kv_cache),
                ("activations".to_string(), v.activations),
                ("runtime".to_string(), v.runtime),
                ("free".to_string(), free),
            ],
            v.capacity,
        ));
        charts.push_str("</figure>");
    }
    charts.push_str("<figure>");
    charts.push_str(&svg::hourly(
        "Traffic: share of a day's requests in each hour",
        &hourly_weights(&s.traffic.pattern),
    ));
    charts.push_str("</figure></section>");

    // Cleaned as a whole: chart labels carry catalog ids and names as well as the scenario's.
    crate::text::printable(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>{}</title><style>{CSS}</style></head><body><main>\n{body}{charts}\n</main></body></html>\n",
        escape(&plan.scenario.name)
    ))
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_double_quotes_once() {
        assert_eq!(
            escape(r#"A & B <x> "q" it's &amp;"#),
            "A &amp; B &lt;x&gt; &quot;q&quot; it's &amp;amp;"
        );
        assert_eq!(escape("plain"), "plain");
    }
}
