//! Text for the report: escaping for HTML and Markdown, and the number formats every table,
//! chart label and headline shares (times with units, ratios with `×`, intervals, sizes), so
//! a figure reads the same in the HTML, the Markdown and the SVGs.

use crate::bench::results::Estimate;

/// Escapes text for HTML element content and quoted attribute values: the XML escaping of
/// the JUnit renderer, which HTML5 reads the same way (`&apos;` included).
pub fn html(text: &str) -> String {
    crate::report::junit::escape(text)
}

/// Escapes text for a Markdown table cell or paragraph: every ASCII punctuation character
/// that Markdown gives a meaning to is backslash-escaped (CommonMark allows that for all of
/// them), `<` and `>` become entities so no HTML passes through, and line breaks become
/// spaces so a cell stays on its row.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A number with three significant digits and no exponent (`0.0123`, `1.23`, `12.3`, `123`,
/// `1234`): enough to compare medians whose intervals are a few percent wide.
pub fn sig3(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).max(0) as usize;
    format!("{x:.decimals$}")
}

/// [`sig3`] without trailing zeros (`0.5`, `1.25`, `20`): for axis ticks and percentages,
/// where the digits are exact rather than measured.
pub fn plain(x: f64) -> String {
    let s = sig3(x);
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// A fraction as a percentage (`0.95` -> `95%`, `0.999` -> `99.9%`).
pub fn percent(fraction: f64) -> String {
    format!("{}%", plain(fraction * 100.0))
}

/// A duration given in nanoseconds, in the unit that keeps it between 1 and 1000
/// (`850 ns`, `12.3 µs`, `1.23 ms`, `2.50 s`).
pub fn duration(ns: f64) -> String {
    if !ns.is_finite() || ns < 0.0 {
        return "n/a".to_string();
    }
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    // Three significant digits, but keep trailing zeros (2.50 s) so columns line up.
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
}

/// A ratio as `0.85×`, three significant digits.
pub fn ratio(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let decimals = if x >= 100.0 {
        0
    } else if x >= 10.0 {
        1
    } else {
        2
    };
    format!("{x:.decimals$}×")
}

/// A median and its interval with one formatter: `1.23 ms [1.20 ms, 1.27 ms]`.
pub fn estimate(e: &Estimate, fmt: fn(f64) -> String) -> String {
    format!("{} [{}, {}]", fmt(e.median), fmt(e.low), fmt(e.high))
}

/// A time ratio as words: below 1 the first is faster (`1.28× faster`), above 1 slower.
pub fn faster_or_slower(time_ratio: f64) -> String {
    if !time_ratio.is_finite() || time_ratio <= 0.0 {
        "n/a".to_string()
    } else if time_ratio < 1.0 {
        format!("{} faster", ratio(1.0 / time_ratio))
    } else {
        format!("{} slower", ratio(time_ratio))
    }
}

/// A size in bytes with a binary unit when it is a whole number of them (`1 KiB`,
/// `16 MiB`), else in bytes (`1500 B`).
pub fn bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} B")
}

/// A throughput in bytes per nanosecond as `1.23 GB/s` or `456 MB/s` (decimal units, as
/// memory bandwidth is usually quoted).
pub fn throughput(bytes: u64, ns: f64) -> String {
    if ns.is_nan() || ns <= 0.0 {
        return "n/a".to_string();
    }
    let per_second = bytes as f64 / ns * 1e9;
    if per_second >= 1e9 {
        format!("{} GB/s", sig3(per_second / 1e9))
    } else {
        format!("{} MB/s", sig3(per_second / 1e6))
    }
}

/// A count with thousands separators (`48,213`), so pass counts read at a glance.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;"
        );
        assert_eq!(html("wasmtime 48.0.0, Cranelift"), "wasmtime 48.0.0, Cranelift");
    }

    #[test]
    fn markdown_keeps_cells_on_their_row() {
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
        assert_eq!(markdown("offsets_64m"), "offsets\\_64m");
        assert_eq!(markdown("<img src=x> *bold* [l](u)"), "&lt;img src=x&gt; \\*bold\\* \\[l\\](u)");
        assert_eq!(markdown(r"back\slash `code`"), r"back\\slash \`code\`");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig3(0.012345), "0.0123");
        assert_eq!(sig3(1.2345), "1.23");
        assert_eq!(sig3(12.345), "12.3");
        assert_eq!(sig3(123.45), "123");
        assert_eq!(sig3(12345.0), "12345");
        assert_eq!(sig3(0.0), "0");
        assert_eq!(sig3(f64::NAN), "n/a");
        assert_eq!(plain(1.250), "1.25");
        assert_eq!(plain(20.0), "20");
        assert_eq!(percent(0.95), "95%");
        assert_eq!(percent(0.999), "99.9%");
        assert_eq!(percent(1.0), "100%");
    }

    #[test]
    fn durations_pick_their_unit() {
        assert_eq!(duration(850.0), "850 ns");
        assert_eq!(duration(12_345.0), "12.3 µs");
        assert_eq!(duration(1_234_567.0), "1.23 ms");
        assert_eq!(duration(2_500_000_000.0), "2.50 s");
        assert_eq!(duration(-1.0), "n/a");
    }

    #[test]
    fn ratios_and_their_words() {
        assert_eq!(ratio(0.8514), "0.85×");
        assert_eq!(ratio(12.34), "12.3×");
        assert_eq!(ratio(250.0), "250×");
        assert_eq!(faster_or_slower(0.5), "2.00× faster");
        assert_eq!(faster_or_slower(1.5), "1.50× slower");
        assert_eq!(faster_or_slower(0.0), "n/a");
        let e = Estimate { median: 0.85, low: 0.8, high: 0.9 };
        assert_eq!(estimate(&e, ratio), "0.85× [0.80×, 0.90×]");
    }

    #[test]
    fn sizes_throughputs_and_counts() {
        assert_eq!(bytes(1024), "1 KiB");
        assert_eq!(bytes(16 << 20), "16 MiB");
        assert_eq!(bytes(1500), "1500 B");
        assert_eq!(bytes(0), "0 B");
        assert_eq!(throughput(1 << 20, 1_048_576.0), "1.00 GB/s");
        assert_eq!(throughput(1000, 10_000.0), "100 MB/s");
        assert_eq!(throughput(1, 0.0), "n/a");
        assert_eq!(count(48213), "48,213");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000_000), "1,000,000");
    }
}
