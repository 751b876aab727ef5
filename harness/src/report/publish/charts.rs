//! The report's SVG charts, drawn with plotters' SVG backend into strings. plotters is built
//! without its `ttf` feature, so nothing here needs a font file: text goes out as SVG
//! `<text>` elements (escaped by the backend) and the browser picks the font.
//!
//! Every chart has a title, axis descriptions and a legend drawn in a header band above the
//! plot (plotters' own legend box would sit on top of the data). Colours come from
//! [`data::colour`], one per engine family; a guard configuration is a filled marker and a
//! solid line, an explicitly checked one a hollow marker and a dashed line.

use super::data::{self, AbiSeries, Rgb, Row};
use super::format;
use crate::bench::results::Results;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use std::ops::Range;

/// One rendered chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File name in the report directory (`check-cost.svg`).
    pub file: &'static str,
    /// Title, as drawn on the chart.
    pub title: String,
    /// A sentence saying how to read it, for the page and for `alt` text.
    pub caption: String,
    /// The SVG document.
    pub svg: String,
}

/// Width of every chart in pixels: the HTML page's content width.
const WIDTH: u32 = 960;
/// The font family in the SVG; the browser resolves it.
const FONT: &str = "sans-serif";
/// Font sizes in plotters' units (the SVG gets size / 1.24 px): title, legend and tick
/// labels, axis descriptions. Charts are scaled to the page width, so these err large.
const TITLE_FONT: f64 = 24.0;
const LABEL_FONT: f64 = 17.0;
const DESC_FONT: f64 = 18.0;
/// Estimated width of one legend character in pixels (the SVG backend cannot measure text).
const CHAR_PX: i32 = 9;
/// Height of the title line.
const TITLE_PX: u32 = 40;
/// Height of one legend line.
const LEGEND_LINE_PX: u32 = 24;

/// How one series is drawn.
#[derive(Debug, Clone)]
struct Series {
    name: String,
    colour: Rgb,
    hollow: bool,
    /// Shown as a square in the legend (a bar chart's series).
    bar: bool,
}

impl Series {
    fn config(name: &str) -> Series {
        Series {
            name: name.to_string(),
            colour: data::colour(data::family(name)),
            hollow: data::is_checked(name),
            bar: false,
        }
    }

    fn family(name: &str) -> Series {
        Series { name: name.to_string(), colour: data::colour(name), hollow: false, bar: false }
    }

    fn bar(name: &str, colour: Rgb) -> Series {
        Series { name: name.to_string(), colour, hollow: false, bar: true }
    }
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// A vertical axis of `n` rows, row `i` (from the top) centred at `n - i - 0.5`, with a key
/// point (label and grid line) at each centre. plotters' `with_key_points` would do, but it
/// loses the label formatting of a plain f64 range.
#[derive(Debug, Clone)]
struct Rows(usize);

impl Rows {
    fn centre(&self, i: usize) -> f64 {
        self.0 as f64 - i as f64 - 0.5
    }

    /// The row whose centre `v` is, for labels.
    fn index(&self, v: f64) -> Option<usize> {
        let i = (self.0 as f64 - 0.5 - v).round();
        (i >= 0.0 && (i as usize) < self.0).then_some(i as usize)
    }
}

impl Ranged for Rows {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let n = self.0.max(1) as f64;
        limit.0 + ((limit.1 - limit.0) as f64 * value / n).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, _hint: H) -> Vec<f64> {
        (0..self.0).map(|i| self.centre(i)).collect()
    }

    fn range(&self) -> Range<f64> {
        0.0..self.0 as f64
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Tick positions for a log axis between `lo` and `hi`: 1-2-5 in each decade, or a finer
/// sequence when that gives fewer than four, thinned to at most twelve.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Vec::new();
    }
    let within = |mantissas: &[f64]| -> Vec<f64> {
        let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        (first..=last)
            .flat_map(|d| mantissas.iter().map(move |m| m * 10f64.powi(d)))
            .filter(|v| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9))
            .collect()
    };
    let mut ticks = within(&[1.0, 2.0, 5.0]);
    if ticks.len() < 4 {
        ticks = within(&[1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0]);
    }
    if ticks.len() < 4 {
        ticks =
            within(&[1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    }
    let step = ticks.len().div_ceil(12).max(1);
    ticks.into_iter().step_by(step).collect()
}

/// A tick label for a ratio: up to three significant digits, no trailing zeros, then `×`.
pub fn tick_label(v: f64) -> String {
    format!("{}×", format::plain(v))
}

/// The extent of a set of estimates on a log axis, always including 1 and padded a little.
fn log_extent(values: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    for (l, h) in values {
        if l > 0.0 && l.is_finite() {
            lo = lo.min(l);
        }
        if h > 0.0 && h.is_finite() {
            hi = hi.max(h);
        }
    }
    (lo / 1.12, hi * 1.12)
}

/// Draws the title and a legend (marker and name per series) into the header band; returns
/// the band's height.
fn header(area: &Area<'_>, title: &str, legend: &[Series], line: bool) -> Result<(), String> {
    area.draw(&Text::new(
        title.to_string(),
        (16, 10),
        (FONT, TITLE_FONT).into_font().style(FontStyle::Bold).color(&BLACK),
    ))
    .map_err(err)?;
    let (mut x, mut y) = (20i32, TITLE_PX as i32 + LEGEND_LINE_PX as i32 / 2);
    for s in legend {
        let width = 48 + CHAR_PX * s.name.chars().count() as i32;
        if x + width > WIDTH as i32 - 10 {
            x = 20;
            y += LEGEND_LINE_PX as i32;
        }
        if line {
            let style = rgb(s.colour).stroke_width(2);
            if s.hollow {
                area.draw(&PathElement::new(vec![(x - 8, y), (x - 3, y)], style)).map_err(err)?;
                area.draw(&PathElement::new(vec![(x + 3, y), (x + 8, y)], style)).map_err(err)?;
            } else {
                area.draw(&PathElement::new(vec![(x - 8, y), (x + 8, y)], style)).map_err(err)?;
            }
        }
        marker(area, (x, y), s)?;
        area.draw(&Text::new(s.name.clone(), (x + 14, y - 9), (FONT, LABEL_FONT).into_font().color(&BLACK)))
            .map_err(err)?;
        x += width;
    }
    Ok(())
}

/// How tall the header must be for `legend` to fit.
fn header_height(legend: &[Series]) -> u32 {
    let mut lines = 1u32;
    let mut x = 20i32;
    for s in legend {
        let width = 48 + CHAR_PX * s.name.chars().count() as i32;
        if x + width > WIDTH as i32 - 10 {
            lines += 1;
            x = 20;
        }
        x += width;
    }
    TITLE_PX + lines * LEGEND_LINE_PX + 8
}

/// A filled (guard) or hollow (checked) circle in backend coordinates.
fn marker(area: &Area<'_>, at: (i32, i32), s: &Series) -> Result<(), String> {
    if s.bar {
        let (x, y) = at;
        area.draw(&Rectangle::new([(x - 6, y - 6), (x + 6, y + 6)], rgb(s.colour).filled())).map_err(err)?;
    } else if s.hollow {
        area.draw(&Circle::new(at, 5, WHITE.filled())).map_err(err)?;
        area.draw(&Circle::new(at, 5, rgb(s.colour).stroke_width(2))).map_err(err)?;
    } else {
        area.draw(&Circle::new(at, 5, rgb(s.colour).filled())).map_err(err)?;
    }
    Ok(())
}

/// A chart with one row per workload and, in each row, a point with whiskers (its interval)
/// per series, on a log x axis with a dashed line at 1: charts (a) and (b).
fn row_chart(title: &str, x_desc: &str, series: &[Series], rows: &[Row]) -> Result<String, String> {
    let n = rows.len();
    let row_px = (10 + 7 * series.len() as u32).max(26);
    let top = header_height(series);
    let height = top + row_px * n as u32 + 64;
    let label_px = 24 + CHAR_PX as u32 * rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(4) as u32;
    let (lo, hi) = log_extent(rows.iter().flat_map(|r| r.values.iter().flatten().map(|e| (e.low, e.high))));
    let ticks = log_ticks(lo, hi);
    let axis = Rows(n);
    let label_of = |v: &f64| axis.index(*v).map(|i| rows[i].label.clone()).unwrap_or_default();

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (head, body) = root.split_vertically(top);
        header(&head, title, series, false)?;
        let mut chart = ChartBuilder::on(&body)
            .margin_right(32)
            .margin_bottom(8)
            .x_label_area_size(48)
            .y_label_area_size(label_px)
            .build_cartesian_2d((lo..hi).log_scale().with_key_points(ticks), axis.clone())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .x_label_formatter(&|v| tick_label(*v))
            .y_label_formatter(&label_of)
            .label_style((FONT, LABEL_FONT))
            .axis_desc_style((FONT, DESC_FONT))
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(vec![(1.0, 0.0), (1.0, n as f64)], 6, 4, BLACK.stroke_width(1)))
            .map_err(err)?;
        let spread = 0.72 / series.len().max(1) as f64;
        for (k, s) in series.iter().enumerate() {
            let offset = (series.len() as f64 - 1.0) / 2.0 - k as f64;
            let colour = rgb(s.colour);
            for (i, row) in rows.iter().enumerate() {
                let Some(Some(e)) = row.values.get(k) else { continue };
                let y = axis.centre(i) + offset * spread;
                let (low, high) = (e.low.clamp(lo, hi), e.high.clamp(lo, hi));
                let whisker = ErrorBar::new_horizontal(y, low, e.median, high, colour.stroke_width(1), 6);
                chart.draw_series(std::iter::once(whisker)).map_err(err)?;
                marker(&root, chart.backend_coord(&(e.median, y)), s)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Chart (a): guard time over checked time per engine family and workload.
pub fn check_cost(results: &Results) -> Result<Option<Chart>, String> {
    let (families, rows) = data::check_cost(results);
    if rows.is_empty() {
        return Ok(None);
    }
    let series: Vec<Series> = families.iter().map(|f| Series::family(f)).collect();
    let title = "The cost of explicit bounds checks: guard / checked time".to_string();
    let svg =
        row_chart(&title, "guard time / checked time (log scale; below 1: guard pages are faster)", &series, &rows)?;
    Ok(Some(Chart {
        file: "check-cost.svg",
        title,
        caption: "Median time with guard pages divided by median time with explicit checks, per engine and \
                  workload, with its confidence interval as whiskers. Left of the dashed line at 1, the \
                  guard-page configuration is faster: that is what explicit checks cost."
            .to_string(),
        svg,
    }))
}

/// Chart (b): every configuration's median time relative to the baseline configuration.
pub fn engines(results: &Results) -> Result<Option<Chart>, String> {
    let Some((base, configs, rows)) = data::relative_times(results) else { return Ok(None) };
    if rows.is_empty() {
        return Ok(None);
    }
    let series: Vec<Series> = configs.iter().map(|c| Series::config(c)).collect();
    let title = format!("Engine against engine: median time relative to {base}");
    let svg = row_chart(&title, &format!("time / time on {base} (log scale; below 1: faster)"), &series, &rows)?;
    Ok(Some(Chart {
        file: "engines.svg",
        caption: format!(
            "Each configuration's median time per workload divided by {base}'s, with whiskers for the \
             interval of the quotient. Filled markers use guard pages, hollow ones explicit checks."
        ),
        title,
        svg,
    }))
}

/// Chart (b'): what a 64-bit index costs each configuration: the memory64 twins' time over
/// their 32-bit originals', per group of the originals and over all pairs. A configuration
/// that refused the twins is in the legend, marked, with no points.
pub fn index_cost(results: &Results) -> Result<Option<Chart>, String> {
    let (configs, rows) = data::index_cost(results);
    if rows.is_empty() {
        return Ok(None);
    }
    let unsupported = data::index_unsupported(results);
    let mut series: Vec<Series> = configs.iter().map(|c| Series::config(c)).collect();
    let mut rows = rows;
    for (config, _) in &unsupported {
        series.push(Series { name: format!("{config} (no memory64)"), ..Series::config(config) });
        rows.iter_mut().for_each(|row| row.values.push(None));
    }
    let title = "32-bit vs 64-bit index: memory64 twin time / 32-bit time".to_string();
    let svg =
        row_chart(&title, "64-bit time / 32-bit time (log scale; above 1: the 64-bit index costs)", &series, &rows)?;
    let mut caption = "Each stream, random and offset workload also runs with a 64-bit memory and i64 addresses \
                       (its memory64 twin, the same kernel and checksum); the markers are the geometric mean of \
                       twin time / original time on the same configuration, per group and over all pairs, with \
                       the bootstrap interval as whiskers. Right of the dashed line at 1, the 64-bit index costs \
                       time: a guard region cannot cover it, so the address needs a compare or a full check."
        .to_string();
    if !unsupported.is_empty() {
        let names: Vec<&str> = unsupported.iter().map(|(c, _)| *c).collect();
        caption.push_str(&format!(" Not drawn: {}, which cannot run memory64 (unsupported).", names.join(", ")));
    }
    Ok(Some(Chart { file: "index64.svg", title, caption, svg }))
}

/// Chart (c): ABI round-trip time over memcpy time by input size, per configuration.
pub fn abi(results: &Results) -> Result<Option<Chart>, String> {
    let series_data: Vec<AbiSeries> = data::abi_series(results);
    if series_data.is_empty() {
        return Ok(None);
    }
    let series: Vec<Series> = series_data.iter().map(|s| Series::config(&s.config)).collect();
    let mut sizes: Vec<u64> = series_data.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
    sizes.sort_unstable();
    sizes.dedup();
    let (x_lo, x_hi) = (sizes[0] as f64 / 1.6, *sizes.last().unwrap_or(&1) as f64 * 1.6);
    let (y_lo, y_hi) = log_extent(series_data.iter().flat_map(|s| s.points.iter().map(|p| (p.1.low, p.1.high))));
    let title = "ABI round trip against a host memcpy of the same bytes".to_string();
    let top = header_height(&series);
    let height = top + 460;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (head, body) = root.split_vertically(top);
        header(&head, &title, &series, true)?;
        let mut chart = ChartBuilder::on(&body)
            .margin_right(32)
            .margin_bottom(8)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(
                (x_lo..x_hi).log_scale().with_key_points(sizes.iter().map(|s| *s as f64).collect()),
                (y_lo..y_hi).log_scale().with_key_points(log_ticks(y_lo, y_hi)),
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("input size (log scale)")
            .y_desc("round trip / memcpy (log scale)")
            .x_label_formatter(&|v| format::bytes(v.round() as u64))
            .y_label_formatter(&|v| tick_label(*v))
            .label_style((FONT, LABEL_FONT))
            .axis_desc_style((FONT, DESC_FONT))
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(err)?;
        for (s, d) in series.iter().zip(&series_data) {
            let colour = rgb(s.colour);
            let points: Vec<(f64, f64)> = d.points.iter().map(|(b, e)| (*b as f64, e.median)).collect();
            if s.hollow {
                chart.draw_series(DashedLineSeries::new(points.clone(), 7, 4, colour.stroke_width(2))).map_err(err)?;
            } else {
                chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2))).map_err(err)?;
            }
            for (b, e) in &d.points {
                let (low, high) = (e.low.clamp(y_lo, y_hi), e.high.clamp(y_lo, y_hi));
                let whisker = ErrorBar::new_vertical(*b as f64, low, e.median, high, colour.stroke_width(1), 6);
                chart.draw_series(std::iter::once(whisker)).map_err(err)?;
                marker(&root, chart.backend_coord(&(*b as f64, e.median)), s)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(Some(Chart {
        file: "abi.svg",
        caption: "Time of one ABI round trip (alloc, copy in, call, copy out, dealloc) divided by a host \
                  memcpy in and out of the same bytes, by input size. 1 would be as cheap as copying; \
                  the gap is the cost of crossing into the engine and of the guest's own work."
            .to_string(),
        title,
        svg,
    }))
}

/// Chart (d): spec testsuite checks per configuration, stacked passed / expected failures /
/// failed.
pub fn conformance(results: &Results) -> Result<Option<Chart>, String> {
    let rows = data::conformance_rows(results);
    if rows.is_empty() {
        return Ok(None);
    }
    let n = rows.len();
    let max_total =
        rows.iter().map(|(_, c)| c.passed + c.failed + c.expected_failures).max().unwrap_or(0).max(1) as f64;
    const EXPECTED: Rgb = Rgb(0x99, 0x99, 0x99);
    const FAILED: Rgb = Rgb(0xc0, 0x10, 0x10);
    let legend = [
        Series::bar("passed (engine colour; lighter: explicit checks)", Rgb(0x55, 0x55, 0x55)),
        Series::bar("expected failure (recorded)", EXPECTED),
        Series::bar("failed", FAILED),
    ];
    let title = "Conformance: spec testsuite checks per configuration".to_string();
    let top = header_height(&legend);
    let height = top + 34 * n as u32 + 64;
    let label_px = 24 + CHAR_PX as u32 * rows.iter().map(|(c, _)| c.chars().count()).max().unwrap_or(4) as u32;
    let axis = Rows(n);
    let label_of = |v: &f64| axis.index(*v).map(|i| rows[i].0.clone()).unwrap_or_default();

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (head, body) = root.split_vertically(top);
        header(&head, &title, &legend, false)?;
        // Room right of the longest bar for its figures.
        let x_hi = max_total * 1.45;
        let mut chart = ChartBuilder::on(&body)
            .margin_right(32)
            .margin_bottom(8)
            .x_label_area_size(48)
            .y_label_area_size(label_px)
            .build_cartesian_2d(0.0..x_hi, axis.clone())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("checks")
            .x_labels(6)
            .x_label_formatter(&|v| {
                if *v <= max_total * 1.01 { format::count(v.round().max(0.0) as u64) } else { String::new() }
            })
            .y_label_formatter(&label_of)
            .label_style((FONT, LABEL_FONT))
            .axis_desc_style((FONT, DESC_FONT))
            .bold_line_style(RGBColor(0xee, 0xee, 0xee))
            .light_line_style(TRANSPARENT)
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        for (i, (config, counts)) in rows.iter().enumerate() {
            let (y0, y1) = (axis.centre(i) - 0.32, axis.centre(i) + 0.32);
            let base = data::colour(data::family(config));
            let pass_colour = if data::is_checked(config) { base.light() } else { base };
            let mut x = 0.0;
            for (count, colour) in
                [(counts.passed, pass_colour), (counts.expected_failures, EXPECTED), (counts.failed, FAILED)]
            {
                if count == 0 {
                    continue;
                }
                let end = x + count as f64;
                chart
                    .draw_series(std::iter::once(Rectangle::new([(x, y0), (end, y1)], rgb(colour).filled())))
                    .map_err(err)?;
                x = end;
            }
            let mut text = format!("{} passed", format::count(counts.passed));
            if counts.expected_failures > 0 {
                text.push_str(&format!(", {} expected", format::count(counts.expected_failures)));
            }
            if counts.failed > 0 {
                text.push_str(&format!(", {} failed", format::count(counts.failed)));
            }
            let at = chart.backend_coord(&(x, axis.centre(i)));
            root.draw(&Text::new(text, (at.0 + 8, at.1 - 8), (FONT, LABEL_FONT).into_font().color(&BLACK)))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(Some(Chart {
        file: "conformance.svg",
        caption: "Spec testsuite checks per configuration: passed, recorded expected failures (grey) and \
                  failures (red)."
            .to_string(),
        title,
        svg,
    }))
}

/// Chart (e): the mutant zoo's kill table: seconds from a campaign's start to its first
/// finding, per planted bug the fuzz loop killed (the ones it missed have no bar).
pub fn mutants(results: &Results) -> Result<Option<Chart>, String> {
    let Some(table) = &results.mutants else { return Ok(None) };
    let rows: Vec<Row> = table
        .rows
        .iter()
        .map(|r| Row {
            label: format!("#{} {}", r.number, r.name),
            // Below a tenth of a second is the first batch of cases: draw it at 0.1 s.
            values: vec![r.fuzz.seconds.map(|s| {
                let s = s.max(0.1);
                crate::bench::results::Estimate { median: s, low: s, high: s }
            })],
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let series = [Series::bar("time to first finding", data::colour("redzone"))];
    let title = format!(
        "Bug-finding power: {} of {} planted bugs found within {} s",
        table.killed(),
        table.rows.len(),
        table.seconds
    );
    let svg = row_chart(&title, "seconds to the first finding (log scale)", &series, &rows)?;
    Ok(Some(Chart {
        file: "mutants.svg",
        title,
        caption: format!(
            "One fuzz campaign per planted engine bug of the mutant zoo (redzone mutants, -j {}, seed {}): \
             seconds from its start to the first confirmed finding that sets redzone apart from the \
             peers. Bugs without a bar were not found within {} s.",
            table.jobs, table.seed, table.seconds
        ),
        svg,
    }))
}

/// Every chart the document has data for, in report order.
pub fn all(results: &Results) -> Result<Vec<Chart>, (String, String)> {
    let named = |name: &str, r: Result<Option<Chart>, String>| r.map_err(|e| (name.to_string(), e));
    let mut charts = Vec::new();
    charts.extend(named("check-cost", check_cost(results))?);
    charts.extend(named("engines", engines(results))?);
    charts.extend(named("index64", index_cost(results))?);
    charts.extend(named("abi", abi(results))?);
    charts.extend(named("conformance", conformance(results))?);
    charts.extend(named("mutants", mutants(results))?);
    Ok(charts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::results::{Conformance, PassCounts};

    #[test]
    fn log_ticks_cover_the_range() {
        assert_eq!(log_ticks(0.01, 20.0), vec![0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0]);
        let fine = log_ticks(0.6, 1.6);
        assert!(fine.contains(&1.0) && fine.len() >= 4, "{fine:?}");
        assert!(log_ticks(1.0, 1.0).is_empty() && log_ticks(0.0, 2.0).is_empty());
        assert!(log_ticks(1e-6, 1e6).len() <= 12);
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(1.0), "1×");
        assert_eq!(tick_label(0.5), "0.5×");
        assert_eq!(tick_label(1.25), "1.25×");
        assert_eq!(tick_label(20.0), "20×");
    }

    #[test]
    fn charts_have_titles_legends_and_escaped_text() {
        let mut r = data::tests::sample();
        r.engines[0].name = "redzone:<guard>".into();
        r.measurements
            .iter_mut()
            .filter(|m| m.engine == "redzone:guard")
            .for_each(|m| m.engine = "redzone:<guard>".into());
        let chart = engines(&r).unwrap().unwrap();
        assert!(chart.svg.starts_with("<svg"), "{}", &chart.svg[..40]);
        assert!(chart.svg.contains("Engine against engine"));
        assert!(chart.svg.contains("redzone:&lt;guard&gt;") && !chart.svg.contains("<guard>"));
        let cost = check_cost(&r).unwrap().unwrap();
        assert!(cost.svg.contains("guard / checked") && cost.svg.contains(">\nredzone\n<"), "legend entry");
        assert!(abi(&r).unwrap().unwrap().svg.contains("wasmi"));
    }

    #[test]
    fn the_index_chart_draws_every_configuration_with_twins_and_marks_the_unsupported() {
        let r = data::tests::with_twin(1.5);
        let chart = index_cost(&r).unwrap().unwrap();
        assert!(chart.svg.starts_with("<svg") && chart.svg.contains("32-bit vs 64-bit index"));
        for name in ["redzone:guard", "wasmtime:guard", "wasmi", "redzone:checked (no memory64)"] {
            assert!(chart.svg.contains(&format!(">\n{name}\n<")), "legend entry {name}");
        }
        assert!(chart.caption.contains("Not drawn: redzone:checked"), "{}", chart.caption);
        let names: Vec<_> = all(&r).unwrap().iter().map(|c| c.file).collect();
        assert_eq!(names, ["check-cost.svg", "engines.svg", "index64.svg", "abi.svg"]);
        assert_eq!(index_cost(&data::tests::sample()).unwrap(), None, "no twins, no chart");
    }

    #[test]
    fn charts_without_data_are_left_out() {
        let mut r = data::tests::sample();
        r.ratios.clear();
        r.abi.clear();
        assert_eq!(check_cost(&r).unwrap(), None);
        assert_eq!(abi(&r).unwrap(), None);
        let names: Vec<_> = all(&r).unwrap().iter().map(|c| c.file).collect();
        assert_eq!(names, vec!["engines.svg"]);
        assert_eq!(conformance(&r).unwrap(), None);
        let mut c = Conformance { suite: "s".into(), suite_commit: "c".into(), engines: Default::default() };
        c.engines.insert("wasmi".into(), PassCounts { passed: 48209, failed: 4, expected_failures: 0 });
        r.conformance = Some(c);
        let svg = conformance(&r).unwrap().unwrap().svg;
        assert!(svg.contains("48,209 passed, 4 failed"), "{svg}");
    }
}
