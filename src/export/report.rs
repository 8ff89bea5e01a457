//! The committee's report written out: as JSON (the model itself, with its provenance), or as
//! one self-contained HTML page rendered from the same JSON: its CSS, SVG charts and a little
//! JavaScript (sorting and filtering the shortlist) inline, nothing fetched from any network,
//! readable printed.
//!
//! Charts are drawn with plotters' SVG backend: the xz shape (direct dependents against reach,
//! both on log scales) and each candidate's reach by depth.

use plotters::prelude::*;
use serde::Serialize;

use super::provenance::Provenance;
use crate::analysis::report::{Candidate, Chart, Report};

/// The templates (minijinja; HTML-escaped): the page, one project's card, and the style both
/// pages share.
const TEMPLATES: [(&str, &str); 3] = [
    ("report.html", include_str!("report.html")),
    ("card.html", include_str!("card.html")),
    ("style.css", include_str!("style.css")),
];

/// The template environment, with every template added.
pub fn templates() -> Result<minijinja::Environment<'static>, String> {
    let mut env = minijinja::Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source).map_err(|e| e.to_string())?;
    }
    Ok(env)
}

/// The page's size in pixels of the xz-shape chart.
const CHART_SIZE: (u32, u32) = (760, 480);

/// The report with what made it: the whole JSON document.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The keystone version, command and inputs.
    pub provenance: &'a Provenance,
    /// The edge kinds followed (`normal`, `normal+build`).
    pub profile: String,
    /// How the figures are defined, in a few plain sentences.
    pub method: Vec<&'static str>,
    /// The report.
    #[serde(flatten)]
    pub report: &'a Report,
}

/// The method, as the page states it.
pub const METHOD: [&str; 5] = [
    "Reach is the number of distinct packages outside a project that depend on any of its packages, directly or through others, in the dependency graph built under the stated profile: a union, never a sum.",
    "The score ranks projects within their ecosystem by impact (reach and direct dependents by magnitude, raised by PageRank and the popularity of the dependents) times fragility (how much of the reach enters through one gateway, and whether one account alone can publish); each ecosystem's top scores 1. Every contribution is shown.",
    "A gateway is the outside direct dependent through which most of the reach arrives; the xz shape is a reach of at least 1% of the graph and at least 100 times the direct dependents.",
    "Lists are matched by ecosystem and name as each registry reads names, or by repository address where the graph knows a project's repository.",
    "The model leaves out what the inputs do not hold: code vendored or copied without a declared dependency, build tools outside the profile, and use outside the ecosystems read.",
];

/// The document as pretty JSON.
pub fn json(document: &Document<'_>) -> serde_json::Result<String> {
    serde_json::to_string_pretty(document)
}

/// The document as an HTML page.
pub fn html(document: &Document<'_>) -> Result<String, String> {
    let env = templates()?;
    let charts: Vec<String> = document.report.shortlist.iter().map(depth_chart).collect::<Result<_, _>>()?;
    let context = minijinja::context! {
        doc => document,
        scatter => scatter(&document.report.chart)?,
        depth_charts => charts,
    };
    env.get_template("report.html").and_then(|t| t.render(context)).map_err(|e| e.to_string())
}

/// One project's card, as the report shows it, as an HTML fragment.
pub fn card_html(env: &minijinja::Environment<'_>, candidate: &Candidate) -> Result<String, String> {
    let context = minijinja::context! { c => candidate, chart => depth_chart(candidate)?, card_id => candidate.rank };
    env.get_template("card.html").and_then(|t| t.render(context)).map_err(|e| e.to_string())
}

fn plot_error(e: impl std::fmt::Display) -> String {
    format!("drawing a chart: {e}")
}

/// The xz-shape chart: each point a package, flagged ones marked, shortlisted ones labelled.
fn scatter(chart: &Chart) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let max = |f: fn(&crate::analysis::report::Point) -> u32| {
            chart.points.iter().map(f).max().unwrap_or(1).max(1) as f64 * 2.0
        };
        let mut plot = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d((0.8..max(|p| p.direct)).log_scale(), (0.8..max(|p| p.reach)).log_scale())
            .map_err(plot_error)?;
        plot.configure_mesh()
            .x_desc("direct dependents")
            .y_desc("reach")
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .light_line_style(WHITE)
            .draw()
            .map_err(plot_error)?;
        let at = |p: &crate::analysis::report::Point| (f64::from(p.direct.max(1)), f64::from(p.reach));
        let plain = chart.points.iter().filter(|p| !p.flagged);
        plot.draw_series(plain.map(|p| Circle::new(at(p), 2, RGBColor(120, 140, 170).mix(0.5).filled())))
            .map_err(plot_error)?;
        plot.draw_series(chart.points.iter().filter(|p| p.flagged).map(|p| Circle::new(at(p), 4, RED.filled())))
            .map_err(plot_error)?;
        // The first ten projects' top packages are ringed; each is named (the xz-shaped first,
        // then by rank) unless its name would overlap one already written (the caption names
        // them all).
        let mut top: Vec<_> = chart.points.iter().filter(|p| p.shortlisted.is_some_and(|r| r <= 10)).collect();
        top.sort_by_key(|p| (!p.flagged, p.shortlisted));
        let mut written: Vec<(i32, i32, i32)> = Vec::new();
        for p in top {
            let (x, y) = plot.backend_coord(&at(p));
            let width = 7 * p.package.len() as i32;
            let free = written.iter().all(|&(wx, wy, ww)| (y - wy).abs() >= 14 || x + width < wx || wx + ww < x);
            if free {
                written.push((x, y, width));
                let name = Text::new(p.package.clone(), (6, -6), ("sans-serif", 12).into_font());
                plot.plotting_area().draw(&(EmptyElement::at(at(p)) + name)).map_err(plot_error)?;
            }
            let ring = Circle::new(at(p), 5, BLACK.stroke_width(1));
            plot.plotting_area().draw(&ring).map_err(plot_error)?;
        }
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}

/// A candidate's reach by depth as bars.
fn depth_chart(candidate: &Candidate) -> Result<String, String> {
    depth_bars(&candidate.reach_by_depth)
}

/// Packages by depth (index 0: depth 1) as bars (SVG).
pub fn depth_bars(counts: &[u32]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (360, 160)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let depths = counts.len().max(1) as u32;
        let top = counts.iter().copied().max().unwrap_or(1).max(1);
        let mut plot = ChartBuilder::on(&root)
            .margin(6)
            .x_label_area_size(24)
            .y_label_area_size(48)
            .build_cartesian_2d((1..depths + 1).into_segmented(), 0..top + top / 10)
            .map_err(plot_error)?;
        plot.configure_mesh().disable_x_mesh().x_desc("depth").draw().map_err(plot_error)?;
        plot.draw_series(counts.iter().enumerate().map(|(i, &count)| {
            let x = i as u32 + 1;
            Rectangle::new([(SegmentValue::Exact(x), 0), (SegmentValue::Exact(x + 1), count)], BLUE.mix(0.6).filled())
        }))
        .map_err(plot_error)?;
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}
