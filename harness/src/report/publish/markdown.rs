//! The report as Markdown (`README.md` in the report directory): the same blocks as the HTML
//! page, tables as pipe tables, charts as images referring to the SVG files beside it, so
//! it renders on a code host without the HTML.

use super::content::{Block, Cell, Document, Span, Table};
use super::format::markdown as esc;

fn spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) => esc(t),
            Span::Strong(t) => format!("**{}**", esc(t)),
            Span::Code(t) => code(t),
        })
        .collect()
}

/// Inline code that survives backticks in the text: the fence is one backtick longer than
/// the longest run inside, padded with spaces when the text starts or ends with one.
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn cell(c: &Cell) -> String {
    let text = esc(&c.text);
    let text = if c.bad { format!("**{text}**") } else { text };
    match &c.note {
        Some(note) => format!("{text} {}", esc(note)),
        None => text,
    }
}

fn table(t: &Table) -> String {
    let mut out = format!("| {} |\n|", t.headers.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | "));
    for i in 0..t.headers.len() {
        out.push_str(if i >= t.numeric_from { " ---: |" } else { " --- |" });
    }
    out.push('\n');
    for row in &t.rows {
        out.push_str(&format!("| {} |\n", row.iter().map(cell).collect::<Vec<_>>().join(" | ")));
    }
    out.push('\n');
    out
}

/// Renders the Markdown report.
pub fn render(doc: &Document, mode: &str) -> String {
    let mut out = format!("# {} ({})\n\n", esc(&doc.title), esc(mode));
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&format!("{} {}\n\n", "#".repeat((*level).clamp(2, 4) as usize), esc(text)))
            }
            Block::Paragraph(s) => out.push_str(&format!("{}\n\n", spans(s))),
            Block::List(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", spans(item)));
                }
                out.push('\n');
            }
            Block::Figures(figures) => {
                let t = Table {
                    headers: ["figure", "value", "detail"].map(String::from).to_vec(),
                    rows: figures
                        .iter()
                        .map(|f| vec![Cell::text(&f.label), Cell::text(&f.value), Cell::text(&f.detail)])
                        .collect(),
                    numeric_from: 3,
                };
                out.push_str(&table(&t));
            }
            Block::Table(t) => out.push_str(&table(t)),
            Block::Chart(i) => {
                if let Some(chart) = doc.charts.get(*i) {
                    out.push_str(&format!("![{}]({})\n\n*{}*\n\n", esc(&chart.title), chart.file, esc(&chart.caption)));
                }
            }
        }
    }
    out.push_str("The HTML version of this report is `index.html` beside this file.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_numbers_and_escape_cells() {
        let t = Table {
            headers: vec!["name".into(), "time".into()],
            rows: vec![vec![Cell::text("a|b"), Cell { note: Some("[1, 2]".into()), ..Cell::bad("3 ms") }]],
            numeric_from: 1,
        };
        assert_eq!(table(&t), "| name | time |\n| --- | ---: |\n| a\\|b | **3 ms** \\[1, 2\\] |\n\n");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("redzone bench"), "`redzone bench`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
    }

    #[test]
    fn charts_are_images_of_the_sibling_files() {
        let doc = Document {
            title: "t".into(),
            blocks: vec![Block::Chart(0)],
            charts: vec![super::super::charts::Chart {
                file: "abi.svg",
                title: "ABI *round* trip".into(),
                caption: "c".into(),
                svg: String::new(),
            }],
        };
        let md = render(&doc, "full");
        assert!(md.starts_with("# t (full)\n"));
        assert!(md.contains("![ABI \\*round\\* trip](abi.svg)\n\n*c*\n"), "{md}");
    }
}
