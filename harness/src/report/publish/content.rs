//! The report's content as a small document model (headings, paragraphs, headline figures,
//! tables, charts), built once from a [`Results`] and rendered by both `html` and
//! `markdown`, so the two formats say the same thing. Text here is raw: each renderer
//! escapes it for its format.

use super::charts::Chart;
use super::data::{self, Rgb};
use super::format;
use crate::bench::results::{Estimate, Results};

/// A run of inline text.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    /// Plain text.
    Text(String),
    /// Emphasised text.
    Strong(String),
    /// Code or a name as typed (`redzone bench --quick`).
    Code(String),
}

/// A headline figure: a big value with what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What is measured (`wasmtime guard / checked`).
    pub label: String,
    /// The value (`0.85×`).
    pub value: String,
    /// Its interval or basis (`95% CI [0.80×, 0.91×]; explicit checks cost +18%`).
    pub detail: String,
    /// The engine's colour, when the figure is about one engine.
    pub colour: Option<Rgb>,
}

/// A table cell: text, an optional second line in small print, an optional colour swatch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Main text.
    pub text: String,
    /// Second line (an interval, say), small.
    pub note: Option<String>,
    /// A colour swatch before the text (engine names).
    pub swatch: Option<Rgb>,
    /// Flags a bad value (a failure, a wrong checksum): red in HTML, bold in Markdown.
    pub bad: bool,
}

impl Cell {
    /// A plain cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), ..Cell::default() }
    }

    /// An engine configuration or family name with its colour.
    pub fn engine(name: &str) -> Cell {
        Cell { text: name.to_string(), swatch: Some(data::colour(data::family(name))), ..Cell::default() }
    }

    /// A median with its interval below it.
    pub fn estimate(e: &Estimate, fmt: fn(f64) -> String) -> Cell {
        Cell { text: fmt(e.median), note: Some(format!("[{}, {}]", fmt(e.low), fmt(e.high))), ..Cell::default() }
    }

    /// A flagged cell.
    pub fn bad(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), bad: true, ..Cell::default() }
    }
}

/// A table: header row, rows of cells, and which columns hold numbers (right-aligned).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
    /// Columns from this index on are numeric.
    pub numeric_from: usize,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading (level 2 or 3).
    Heading(u8, String),
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A bulleted list.
    List(Vec<Vec<Span>>),
    /// Headline figures.
    Figures(Vec<Figure>),
    /// A table.
    Table(Table),
    /// A chart: index into [`Document::charts`].
    Chart(usize),
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Page title (`redzone performance report, 2026-11-21`).
    pub title: String,
    /// Blocks in order.
    pub blocks: Vec<Block>,
    /// The charts the blocks refer to.
    pub charts: Vec<Chart>,
}

fn text(s: impl Into<String>) -> Span {
    Span::Text(s.into())
}

fn code(s: impl Into<String>) -> Span {
    Span::Code(s.into())
}

/// The report's title for a run on `date`.
pub fn title(date: &str) -> String {
    format!("redzone performance report, {date}")
}

/// Builds the document for `results`, published under `date`, with its `charts`.
pub fn build(results: &Results, date: &str, charts: Vec<Chart>) -> Document {
    let mut b = Vec::new();
    summary(results, &mut b);
    headline(results, &mut b);
    for (i, chart) in charts.iter().enumerate() {
        // The chart carries its full title; the section heading is the part before ": ".
        let heading = chart.title.split_once(": ").map_or(chart.title.as_str(), |(head, _)| head);
        b.push(Block::Heading(2, heading.to_string()));
        b.push(Block::Chart(i));
        match chart.file {
            "check-cost.svg" => check_cost_table(results, &mut b),
            "engines.svg" => medians_table(results, &mut b),
            "index64.svg" => index_cost_table(results, &mut b),
            "abi.svg" => abi_table(results, &mut b),
            "conformance.svg" => conformance_table(results, &mut b),
            "mutants.svg" => mutants_table(results, &mut b),
            _ => {}
        }
    }
    problems(results, &mut b);
    differential(results, &mut b);
    workloads(results, &mut b);
    method(results, &mut b);
    Document { title: title(date), blocks: b, charts }
}

fn summary(r: &Results, b: &mut Vec<Block>) {
    let memory = if r.machine.memory_bytes > 0 {
        format!(", {} GiB memory", format::sig3(r.machine.memory_bytes as f64 / (1u64 << 30) as f64))
    } else {
        String::new()
    };
    b.push(Block::Paragraph(vec![
        text("A "),
        Span::Strong(format!("{} run", r.mode)),
        text(" of "),
        code("redzone bench"),
        text(format!(
            " started {}, by redzone {} ({} build) at commit ",
            r.created, r.redzone.version, r.redzone.profile
        )),
        code(r.redzone.commit.clone()),
        text(format!(
            ", on {} ({}, {} logical CPUs{memory}; {} {}).",
            r.machine.hostname, r.machine.cpu, r.machine.cores, r.machine.os, r.machine.arch
        )),
    ]));
    if r.redzone.profile != "release" {
        b.push(Block::Paragraph(vec![
            Span::Strong(format!("This is a {} build:", r.redzone.profile)),
            text(" its timings are not representative. Publish only runs of "),
            code("cargo build --release"),
            text("."),
        ]));
    }
    let rows = r
        .engines
        .iter()
        .map(|e| vec![Cell::engine(&e.name), Cell::text(&e.engine), Cell::text(&e.bounds_checks)])
        .collect();
    b.push(Block::Table(Table {
        headers: vec!["configuration".into(), "engine".into(), "bounds checks".into()],
        rows,
        numeric_from: 3,
    }));
}

fn headline(r: &Results, b: &mut Vec<Block>) {
    let mut figures = Vec::new();
    for family in data::ratio_families(r) {
        let Some(g) = data::family_geomean(r, family) else { continue };
        figures.push(Figure {
            label: format!("{family}: guard / checked time"),
            value: format::ratio(g.median),
            detail: format!(
                "geometric mean over workloads, interval [{}, {}]; explicit checks take {} the time of guard pages",
                format::ratio(g.low),
                format::ratio(g.high),
                format::ratio(1.0 / g.median)
            ),
            colour: Some(data::colour(family)),
        });
    }
    for c in data::headline_comparisons(r) {
        figures.push(Figure {
            label: format!("{} against {}", c.a, c.b),
            value: format::faster_or_slower(c.geomean),
            detail: format!(
                "geometric mean of median-time ratios ({} the time) over {} workloads",
                format::ratio(c.geomean),
                c.workloads
            ),
            colour: Some(data::colour(data::family(&c.a))),
        });
    }
    if !figures.is_empty() {
        b.push(Block::Heading(2, "Headline figures".into()));
        b.push(Block::Figures(figures));
    }
}

fn check_cost_table(r: &Results, b: &mut Vec<Block>) {
    let families = data::ratio_families(r);
    let group_of = |w: &str| {
        if let Some(g) = w.strip_prefix("geomean:") {
            format!("{g} (geomean)")
        } else if w == "geomean" {
            "all (geomean)".to_string()
        } else {
            r.workloads.iter().find(|x| x.name == w).map(|x| x.group.clone()).unwrap_or_default()
        }
    };
    // Workloads in manifest order, then the group geomeans, then the overall one.
    let mut names: Vec<String> = r.workloads.iter().map(|w| w.name.clone()).collect();
    for ratio in &r.ratios {
        if ratio.workload.starts_with("geomean:") && !names.contains(&ratio.workload) {
            names.push(ratio.workload.clone());
        }
    }
    names.push("geomean".into());
    let rows: Vec<Vec<Cell>> = names
        .iter()
        .filter_map(|w| {
            let cells: Vec<Cell> = families
                .iter()
                .map(|f| {
                    r.ratios
                        .iter()
                        .find(|x| x.engine == *f && x.workload == *w)
                        .map_or_else(|| Cell::text("–"), |x| Cell::estimate(&x.ratio, format::ratio))
                })
                .collect();
            let any = cells.iter().any(|c| c.note.is_some());
            any.then(|| [vec![Cell::text(w.clone()), Cell::text(group_of(w))], cells].concat())
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let mut headers = vec!["workload".to_string(), "group".to_string()];
    headers.extend(families.iter().map(|f| format!("{f} guard / checked")));
    b.push(Block::Table(Table { headers, rows, numeric_from: 2 }));
}

fn medians_table(r: &Results, b: &mut Vec<Block>) {
    let configs = data::configs(r);
    let rows = r
        .workloads
        .iter()
        .map(|w| {
            let mut row = vec![Cell::text(&w.name)];
            for c in &configs {
                row.push(match r.measurement(&w.name, c) {
                    None => Cell::text("–"),
                    Some(m) if m.unsupported => Cell::text("unsupported"),
                    Some(m) if m.error.is_some() => Cell::bad("error"),
                    Some(m) if !m.checksum_ok => Cell {
                        note: Some("wrong checksum".into()),
                        bad: true,
                        ..Cell::estimate(&m.time_ns, format::duration)
                    },
                    Some(m) => Cell::estimate(&m.time_ns, format::duration),
                });
            }
            row
        })
        .collect();
    b.push(Block::Paragraph(vec![text(
        "Median time of one sample per workload and configuration, with its confidence interval.",
    )]));
    b.push(Block::Table(Table {
        headers: std::iter::once("workload".to_string()).chain(configs.iter().map(|c| c.to_string())).collect(),
        rows,
        numeric_from: 1,
    }));
}

fn index_cost_table(r: &Results, b: &mut Vec<Block>) {
    let configs = data::index_configs(r);
    let unsupported = data::index_unsupported(r);
    let find = |config: &str, key: &str| r.index_costs.iter().find(|x| x.engine == config && x.workload == key);
    // The twins in manifest order, then the group means, then the overall one.
    let mut keys: Vec<(String, String)> =
        r.workloads.iter().filter_map(|w| Some((w.name.clone(), w.twin.clone()?))).collect();
    for x in &r.index_costs {
        if let Some(group) = x.workload.strip_prefix("geomean:")
            && !keys.iter().any(|(k, _)| *k == x.workload)
        {
            keys.push((x.workload.clone(), format!("{group} (geomean)")));
        }
    }
    keys.push(("geomean".into(), "all (geomean)".into()));
    let rows: Vec<Vec<Cell>> = keys
        .iter()
        .filter_map(|(key, of)| {
            let mut cells: Vec<Cell> = configs
                .iter()
                .map(|c| find(c, key).map_or_else(|| Cell::text("–"), |x| Cell::estimate(&x.ratio, format::ratio)))
                .collect();
            let any = cells.iter().any(|c| c.note.is_some());
            cells.extend(unsupported.iter().map(|_| Cell::text("unsupported")));
            any.then(|| [vec![Cell::text(key.clone()), Cell::text(of.clone())], cells].concat())
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    b.push(Block::Paragraph(vec![text(
        "Time of each memory64 twin divided by the time of its 32-bit original on the same configuration, \
         then the geometric means per group of the originals and over all pairs (bootstrap intervals). \
         The twins are left out of every other mean over all workloads (the headline figures), which \
         would otherwise count these kernels twice.",
    )]));
    let mut headers = vec!["twin".to_string(), "32-bit original".to_string()];
    headers.extend(configs.iter().map(|c| c.to_string()));
    headers.extend(unsupported.iter().map(|(c, _)| c.to_string()));
    b.push(Block::Table(Table { headers, rows, numeric_from: 2 }));
    if !unsupported.is_empty() {
        let items = unsupported
            .iter()
            .map(|(c, why)| vec![code(c.to_string()), text(format!(" did not run the twins: {why}"))])
            .collect();
        b.push(Block::List(items));
    }
}

fn abi_table(r: &Results, b: &mut Vec<Block>) {
    let rows = r
        .abi
        .iter()
        .map(|p| {
            let ratio = if p.memcpy_ns.median > 0.0 && p.memcpy_ns.low > 0.0 {
                Cell::estimate(&data::divide(p.time_ns, p.memcpy_ns), format::ratio)
            } else {
                Cell::text("–")
            };
            vec![
                Cell::engine(&p.engine),
                Cell::text(format::bytes(p.bytes)),
                Cell::estimate(&p.time_ns, format::duration),
                Cell::text(format::throughput(p.bytes, p.time_ns.median)),
                Cell::estimate(&p.memcpy_ns, format::duration),
                ratio,
            ]
        })
        .collect();
    b.push(Block::Table(Table {
        headers: ["configuration", "input", "round trip", "throughput", "host memcpy", "round trip / memcpy"]
            .map(String::from)
            .to_vec(),
        rows,
        numeric_from: 1,
    }));
}

fn conformance_table(r: &Results, b: &mut Vec<Block>) {
    let Some(c) = &r.conformance else { return };
    b.push(Block::Paragraph(vec![
        text("Spec testsuite at "),
        code(c.suite.clone()),
        text(" (commit "),
        code(c.suite_commit.clone()),
        text("). Expected failures are recorded in "),
        code("suites/spec/expectations.toml"),
        text("."),
    ]));
    let rows = data::conformance_rows(r)
        .iter()
        .map(|(name, n)| {
            let failed = if n.failed > 0 { Cell::bad(format::count(n.failed)) } else { Cell::text("0") };
            vec![
                Cell::engine(name),
                Cell::text(format::count(n.passed)),
                failed,
                Cell::text(format::count(n.expected_failures)),
            ]
        })
        .collect();
    b.push(Block::Table(Table {
        headers: ["configuration", "passed", "failed", "expected failures"].map(String::from).to_vec(),
        rows,
        numeric_from: 1,
    }));
}

fn mutants_table(r: &Results, b: &mut Vec<Block>) {
    let Some(t) = &r.mutants else { return };
    let (spec, spec_ran) = t.caught_by(|row| row.spec.as_ref());
    let (edges, edges_ran) = t.caught_by(|row| row.edges.as_ref());
    b.push(Block::Paragraph(vec![
        text("The fuzz loop killed "),
        Span::Strong(format!("{} of {} ({})", t.killed(), t.rows.len(), format::percent(t.kill_rate()))),
        text(format!(
            " planted bugs within {} s each ({}, seed {}, -j {}). The spec testsuite caught {spec} of {spec_ran}, \
             suites/edges {edges} of {edges_ran}. Each bug is one ",
            t.seconds,
            t.generators.join(", "),
            t.seed,
            t.jobs
        )),
        code("REDZONE_MUTANT"),
        text(" of "),
        code("redzone mutants --list"),
        text("."),
    ]));
    let script = |o: Option<&crate::mutants::ScriptOutcome>| match o {
        None => Cell::text("not run"),
        Some(o) if o.caught => Cell::text(format!("caught ({} failed)", format::count(o.failed_checks))),
        Some(_) => Cell::bad("missed"),
    };
    let rows = t
        .rows
        .iter()
        .map(|row| {
            let fuzz = match (row.fuzz.seconds, &row.fuzz.generator) {
                (Some(s), Some(g)) => Cell::text(format!("{} s by {g}", format::sig3(s))),
                _ => Cell::bad("not found"),
            };
            vec![
                Cell::text(format!("#{} {}", row.number, row.name)),
                Cell::text(&row.class),
                fuzz,
                Cell::text(row.fuzz.clusters.to_string()),
                script(row.spec.as_ref()),
                script(row.edges.as_ref()),
            ]
        })
        .collect();
    b.push(Block::Table(Table {
        headers: ["mutant", "class", "fuzz loop", "clusters", "spec testsuite", "suites/edges"]
            .map(String::from)
            .to_vec(),
        rows,
        numeric_from: 6,
    }));
}

fn problems(r: &Results, b: &mut Vec<Block>) {
    let items: Vec<Vec<Span>> = r
        .measurements
        .iter()
        // Twins a configuration lacks memory64 for are listed with the index-cost table.
        .filter(|m| {
            let lacks_memory64 = m.unsupported && r.is_twin(&m.workload);
            !data::usable(m) && !lacks_memory64
        })
        .map(|m| {
            let why = match &m.error {
                Some(e) => format!(": {e}"),
                None if !m.checksum_ok => ": returned a wrong checksum".to_string(),
                None => ": no samples".to_string(),
            };
            vec![code(m.workload.clone()), text(" on "), code(m.engine.clone()), text(why)]
        })
        .collect();
    if !items.is_empty() {
        b.push(Block::Heading(2, "Measurements left out".into()));
        b.push(Block::Paragraph(vec![text(
            "These did not run or did not return the expected checksum; they are left out of every ratio and mean.",
        )]));
        b.push(Block::List(items));
    }
}

fn differential(r: &Results, b: &mut Vec<Block>) {
    let Some(d) = &r.differential else { return };
    b.push(Block::Heading(2, "Differential checks".into()));
    let diverging = if d.regressions_diverging.is_empty() {
        "none diverges again".to_string()
    } else {
        format!("{} diverge again: {}", d.regressions_diverging.len(), d.regressions_diverging.join(", "))
    };
    let mut items = vec![vec![text(format!("{} regression cases replayed; {diverging}.", d.regressions_replayed))]];
    for f in &d.fuzz {
        let mut found = if f.findings.is_empty() { "no divergence".to_string() } else { f.findings.join(", ") };
        if !f.known.is_empty() {
            found.push_str(&format!("; recorded peer bugs met again: {}", f.known.join(", ")));
        }
        items.push(vec![
            text("Fuzz budget "),
            code(f.generator.clone()),
            text(format!(", seed {}: {} executions, {found}.", f.seed, format::count(f.executions))),
        ]);
    }
    b.push(Block::List(items));
}

fn workloads(r: &Results, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "Workloads".into()));
    let rows = r
        .workloads
        .iter()
        .map(|w| vec![Cell::text(&w.name), Cell::text(&w.group), Cell::text(&w.stresses), Cell::text(w.n.to_string())])
        .collect();
    b.push(Block::Table(Table {
        headers: ["workload", "group", "what it stresses", "n"].map(String::from).to_vec(),
        rows,
        numeric_from: 3,
    }));
}

fn method(r: &Results, b: &mut Vec<Block>) {
    let m = &r.method;
    let confidence = format::percent(m.confidence);
    b.push(Block::Heading(2, "Method".into()));
    b.push(Block::List(vec![
        vec![text(format!(
            "Order: {}. Interleaving and shuffling spread slow drifts of the machine (frequency, other load) over every configuration instead of one (shuffle seed {}).",
            m.order, m.seed
        ))],
        vec![text(format!(
            "Warm-up: {} untimed calls per workload and configuration before sampling; then {} timed samples each.",
            m.warmup, m.samples
        ))],
        vec![text(format!(
            "Each time is the median of the samples, with a {confidence} confidence interval: {}.",
            m.interval
        ))],
        vec![
            text("A ratio "),
            Span::Strong("guard / checked".into()),
            text(
                " is the median time with guard pages divided by the median time with explicit bounds checks in the same engine: \
                 below 1 the guard pages are faster, and 1 / ratio is the factor explicit checks cost. Its interval is the \
                 benchmark's, as above. The intervals of the times relative to another configuration are computed by the \
                 report, conservatively (low over high and high over low). Geometric means are taken over workloads; failed \
                 measurements are left out.",
            ),
        ],
        vec![text(
            "Times are per sample: one call of the workload's export, or instantiate, call and drop for the instantiate \
             workload. Only ratios are comparable between machines; absolute times are this machine's.",
        )],
        vec![text(format!(
            "Caveats: this machine has {} logical CPUs and may be shared with other work, so single samples are noisy; \
             medians and intervals absorb most of it, but differences within a few percent, or whose intervals overlap \
             1, are not findings. A {} run takes fewer and shorter samples than a full one.",
            r.machine.cores, r.mode
        ))],
    ]));
    b.push(Block::Paragraph(vec![
        text("Regenerate this report with "),
        code("redzone report --input results.json"),
        text(" from the "),
        code("results.json"),
        text(" beside it (schema "),
        code(r.schema.clone()),
        text(")."),
    ]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::publish::data::tests::sample;

    fn cells_text(doc: &Document) -> String {
        let mut out = String::new();
        for block in &doc.blocks {
            if let Block::Table(t) = block {
                for row in &t.rows {
                    for c in row {
                        out.push_str(&c.text);
                        out.push('|');
                    }
                    out.push('\n');
                }
            }
        }
        out
    }

    #[test]
    fn headline_has_ratios_and_comparisons() {
        let r = sample();
        let doc = build(&r, "2026-11-21", Vec::new());
        assert_eq!(doc.title, "redzone performance report, 2026-11-21");
        let figures = doc.blocks.iter().find_map(|b| if let Block::Figures(f) = b { Some(f) } else { None }).unwrap();
        assert_eq!(figures[0].label, "redzone: guard / checked time");
        assert_eq!(figures[0].value, "0.40×");
        assert_eq!(figures[1].label, "redzone:guard against wasmi");
        assert_eq!(figures[1].value, "2.00× faster");
    }

    #[test]
    fn tables_flag_bad_measurements_and_list_them() {
        let r = sample();
        let charts = crate::report::publish::charts::all(&r).unwrap();
        let doc = build(&r, "2026-11-21", charts);
        let list = doc.blocks.iter().skip_while(|b| !matches!(b, Block::Heading(2, h) if h == "Measurements left out"));
        let items = list.filter_map(|b| if let Block::List(items) = b { Some(items) } else { None }).next().unwrap();
        assert_eq!(items[0][0], Span::Code("fib".into()));
        assert_eq!(items[0][3], Span::Text(": returned a wrong checksum".into()));
        // The medians table: fib's row, wasmi's column (the fifth) is flagged.
        let medians = doc
            .blocks
            .iter()
            .filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None })
            .find(|t| t.headers.first().is_some_and(|h| h == "workload") && t.headers.contains(&"wasmi".to_string()))
            .unwrap();
        let fib = medians.rows.iter().find(|row| row[0].text == "fib").unwrap();
        assert!(fib[4].bad && fib[4].note.as_deref() == Some("wrong checksum"), "{:?}", fib[4]);
        assert!(!fib[1].bad);
        assert!(cells_text(&doc).contains("redzone:checked|e|b|"));
        let headings: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| if let Block::Heading(2, h) = b { Some(h.as_str()) } else { None })
            .collect();
        assert!(headings.contains(&"Engine against engine"), "{headings:?}");
    }

    #[test]
    fn debug_builds_are_called_out() {
        let mut r = sample();
        let warned = |r: &Results| {
            build(r, "d", Vec::new()).blocks.iter().any(
                |b| matches!(b, Block::Paragraph(s) if s.first() == Some(&Span::Strong("This is a debug build:".into()))),
            )
        };
        assert!(!warned(&r));
        r.redzone.profile = "debug".into();
        assert!(warned(&r));
    }
}
