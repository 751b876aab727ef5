//! The report as one static HTML page: inline CSS, the SVG charts inline, no JavaScript and
//! no external resource. A Content-Security-Policy that forbids every load except inline
//! styles makes the browser itself refuse (and log) anything that would reach out, which
//! the Chromium test watches for.

use super::content::{Block, Cell, Document, Figure, Span, Table};
use super::format::html as esc;

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1d2330;
  font: 15px/1.5 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 28px 40px 48px; background: #fff;
  box-shadow: 0 0 0 1px #e2e5ea; }
h1 { font-size: 28px; margin: 0 0 6px; letter-spacing: -0.01em; }
h1 .tag { display: inline-block; font-size: 13px; font-weight: 600; vertical-align: middle;
  background: #1d2330; color: #fff; border-radius: 4px; padding: 2px 8px; margin-left: 8px; }
h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid #e2e5ea; }
p { margin: 8px 0 12px; }
code { font: 13px "DejaVu Sans Mono", monospace; background: #eef0f3; padding: 1px 5px;
  border-radius: 3px; overflow-wrap: anywhere; }
ul { padding-left: 22px; } li { margin: 4px 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
.figure { border: 1px solid #e2e5ea; border-left: 6px solid #1d2330; border-radius: 6px;
  padding: 10px 14px; background: #fafbfc; }
.figure .label { font-size: 13px; color: #4a5263; font-weight: 600; }
.figure .value { font-size: 26px; font-weight: 700; margin: 2px 0; }
.figure .detail { font-size: 12.5px; color: #5b6475; }
figure { margin: 12px 0 18px; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #e2e5ea; border-radius: 6px; }
figcaption { font-size: 13px; color: #4a5263; margin-top: 6px; }
.scroll { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { padding: 5px 9px; border-bottom: 1px solid #e8eaee; text-align: left; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td small { display: block; color: #6b7385; font-size: 11.5px; }
td.bad { color: #b00020; font-weight: 600; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 6px; vertical-align: baseline; }
footer { margin-top: 36px; font-size: 12px; color: #6b7385; }
"#;

/// The Content-Security-Policy of the page: no loads at all, inline styles allowed.
pub const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

fn spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) => esc(t),
            Span::Strong(t) => format!("<strong>{}</strong>", esc(t)),
            Span::Code(t) => format!("<code>{}</code>", esc(t)),
        })
        .collect()
}

fn cell(tag: &str, c: &Cell, numeric: bool) -> String {
    let mut classes = Vec::new();
    if numeric {
        classes.push("num");
    }
    if c.bad {
        classes.push("bad");
    }
    let class = if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", classes.join(" ")) };
    let swatch = c.swatch.map(|rgb| format!("<span class=\"swatch\" style=\"background:{}\"></span>", rgb.hex()));
    let note = c.note.as_ref().map(|n| format!("<small>{}</small>", esc(n)));
    format!("<{tag}{class}>{}{}{}</{tag}>", swatch.unwrap_or_default(), esc(&c.text), note.unwrap_or_default())
}

fn table(t: &Table) -> String {
    let mut out = String::from("<div class=\"scroll\"><table>\n<thead><tr>");
    for (i, h) in t.headers.iter().enumerate() {
        let class = if i >= t.numeric_from { " class=\"num\"" } else { "" };
        out.push_str(&format!("<th{class}>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            out.push_str(&cell("td", c, i >= t.numeric_from));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

fn figures(figures: &[Figure]) -> String {
    let mut out = String::from("<div class=\"figures\">\n");
    for f in figures {
        let border = f.colour.map(|c| format!(" style=\"border-left-color:{}\"", c.hex())).unwrap_or_default();
        out.push_str(&format!(
            "<div class=\"figure\"{border}><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"detail\">{}</div></div>\n",
            esc(&f.label),
            esc(&f.value),
            esc(&f.detail)
        ));
    }
    out.push_str("</div>\n");
    out
}

/// Renders the page. The charts go inline, so the page stands alone; the SVG files beside
/// it are for the Markdown and for reuse.
pub fn render(doc: &Document, mode: &str) -> String {
    let mut body = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => {
                let level = (*level).clamp(2, 4);
                body.push_str(&format!("<h{level}>{}</h{level}>\n", esc(text)));
            }
            Block::Paragraph(s) => body.push_str(&format!("<p>{}</p>\n", spans(s))),
            Block::List(items) => {
                body.push_str("<ul>\n");
                for item in items {
                    body.push_str(&format!("<li>{}</li>\n", spans(item)));
                }
                body.push_str("</ul>\n");
            }
            Block::Figures(f) => body.push_str(&figures(f)),
            Block::Table(t) => body.push_str(&table(t)),
            Block::Chart(i) => {
                if let Some(chart) = doc.charts.get(*i) {
                    // plotters escapes every text and attribute it writes; the SVG's own
                    // markup goes in as is.
                    body.push_str(&format!(
                        "<figure role=\"img\" aria-label=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                        esc(&chart.title),
                        chart.svg.trim(),
                        esc(&chart.caption)
                    ));
                }
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title}<span class=\"tag\">{mode}</span></h1>\n{body}\
         <footer>Generated by <code>redzone report</code> from <code>results.json</code>; \
         the charts are also beside this page as SVG files.</footer>\n</main>\n</body>\n</html>\n",
        csp = esc(CSP),
        title = esc(&doc.title),
        mode = esc(mode),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::publish::content::Table;
    use crate::report::publish::data::Rgb;

    #[test]
    fn cells_escape_and_align() {
        let c = Cell { text: "<b>".into(), note: Some("a & b".into()), swatch: Some(Rgb(1, 2, 3)), bad: true };
        assert_eq!(
            cell("td", &c, true),
            "<td class=\"num bad\"><span class=\"swatch\" style=\"background:#010203\"></span>&lt;b&gt;<small>a &amp; b</small></td>"
        );
        let t = Table {
            headers: vec!["x".into(), "n".into()],
            rows: vec![vec![Cell::text("a"), Cell::text("1")]],
            numeric_from: 1,
        };
        let html = table(&t);
        assert!(
            html.contains("<th>x</th><th class=\"num\">n</th>") && html.contains("<td>a</td><td class=\"num\">1</td>"),
            "{html}"
        );
    }

    #[test]
    fn page_is_self_contained_and_escaped() {
        let doc = Document {
            title: "t <&>".into(),
            blocks: vec![Block::Paragraph(vec![Span::Code("<script>alert(1)</script>".into())])],
            charts: Vec::new(),
        };
        let page = render(&doc, "quick");
        assert!(page.contains("<title>t &lt;&amp;&gt;</title>"));
        assert!(page.contains("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"));
        assert!(!page.contains("<script") && !page.contains("src=") && !page.contains("href="));
        assert!(page.contains("Content-Security-Policy"));
    }
}
