//! The handlers of `serve`'s routes, the guard every request passes, and the JSON errors.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::{Info, Service};
use crate::analysis::incident::{merge_targets, named_targets, project};
use crate::analysis::paths::why as why_chain;
use crate::analysis::report::Candidate;
use crate::analysis::scenario::{run as scenario, Bad, Order, Scenario};
use crate::error::Error;
use crate::export::blast::{summary, Summary};
use crate::export::table::{Encoding, Format};
use crate::export::tables::{write_blast, Target};

/// The page's template.
const PAGE: &str = include_str!("page.html");

/// The page, rendered once.
pub(super) fn page(templates: &minijinja::Environment<'static>, info: &Info) -> Result<String, String> {
    let mut env = templates.clone();
    env.add_template("page.html", PAGE).map_err(|e| e.to_string())?;
    env.get_template("page.html")
        .and_then(|t| t.render(minijinja::context! { info => info }))
        .map_err(|e| e.to_string())
}

/// A request that cannot be answered: its status and a JSON body saying why.
#[derive(Debug)]
pub(super) struct ApiError {
    status: StatusCode,
    error: String,
    suggestions: Vec<String>,
}

impl ApiError {
    fn new(status: StatusCode, error: impl Into<String>) -> ApiError {
        ApiError { status, error: error.into(), suggestions: Vec::new() }
    }

    fn bad(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, error)
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    suggestions: &'a [String],
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: &self.error, suggestions: &self.suggestions })).into_response()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let error = e.to_string();
        match e {
            Error::UnknownPackage { suggestions, .. } | Error::UnknownProject { suggestions, .. } => {
                ApiError { status: StatusCode::NOT_FOUND, error, suggestions }
            }
            Error::AmbiguousPackage { candidates, .. } => {
                ApiError { status: StatusCode::BAD_REQUEST, error, suggestions: candidates }
            }
            Error::UnknownEcosystem { .. } | Error::Invalid(_) => ApiError::bad(error),
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, error),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> ApiError {
        ApiError::bad(e.body_text())
    }
}

type Answer<T> = Result<T, ApiError>;

/// Every request: only `GET` and `HEAD`, a bounded query string, a deadline; security headers
/// on the way out.
pub(super) async fn guard(State(service): State<Arc<Service>>, request: Request, next: Next) -> Response {
    let limits = service.limits;
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let error = format!("{} is not served: the server is read-only and answers GET", request.method());
        let mut response = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, error).into_response();
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let query = request.uri().query().map_or(0, str::len);
    if query > limits.max_query {
        let error = format!("the query string is {query} bytes; at most {} are read", limits.max_query);
        return ApiError::new(StatusCode::URI_TOO_LONG, error).into_response();
    }
    let mut response = match tokio::time::timeout(limits.deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let error = format!("the request took longer than {} s", limits.deadline.as_secs());
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, error).into_response()
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src 'self'",
        ),
    );
    response
}

/// Runs `work` on the thread pool of the analyses (rayon's) once a worker is free: requests
/// queue for the workers in the order they came, a request whose client goes away leaves the
/// queue, and one that waits too long gets a 503. On rayon's own threads, the parallel parts of
/// an analysis run as they do in the command line, without handing work between pools.
async fn compute<T: Send + 'static>(
    service: &Arc<Service>,
    work: impl FnOnce(&Service) -> Answer<T> + Send + 'static,
) -> Answer<T> {
    let wait = service.limits.queue_wait;
    let permit = match tokio::time::timeout(wait, service.work.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            let error = format!("busy: no worker was free within {} s; try again", wait.as_secs());
            return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, error));
        }
    };
    let (send, receive) = tokio::sync::oneshot::channel();
    let service = service.clone();
    rayon::spawn(move || {
        let _permit = permit;
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&service)));
        // The receiver is gone when the client went away: nobody to tell.
        let _ = send.send(answer);
    });
    match receive.await {
        Ok(Ok(answer)) => answer,
        _ => Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the computation failed (a bug: please report it)")),
    }
}

pub(super) async fn page_handler(State(service): State<Arc<Service>>) -> Html<String> {
    Html(service.page.clone())
}

pub(super) async fn not_found(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("no route `{}` (see /api/info and docs/serve.md)", request.uri().path()),
    )
}

pub(super) async fn info(State(service): State<Arc<Service>>) -> Json<Info> {
    Json(service.info.clone())
}

#[derive(Deserialize)]
pub(super) struct SearchParams {
    q: String,
    limit: Option<usize>,
}

/// A package a search found.
#[derive(Serialize)]
struct FoundPackage {
    package: String,
    ecosystem: &'static str,
    version: Option<String>,
    reach: u32,
}

/// A project a search found.
#[derive(Serialize)]
struct FoundProject {
    project: String,
    packages: usize,
    reach: u32,
}

#[derive(Serialize)]
pub(super) struct SearchResult {
    query: String,
    packages: Vec<FoundPackage>,
    projects: Vec<FoundProject>,
    /// Close names, when no name starts with the query.
    suggestions: Vec<String>,
}

/// Suggestions a search gives by default.
const SUGGESTIONS: usize = 10;

/// Names a search may go through at once, outside the queue of computations; a query that more
/// names start with (a letter or two, on a large graph) queues as every computation does.
const SEARCH_AT_ONCE: usize = 20_000;

/// Searches answer at once, outside the queue of computations, when few names start with the
/// text: a binary search and those names. Otherwise, and when no name starts with it (close
/// names are then looked for, a scan of every name), the search queues as every computation does.
pub(super) async fn search(
    State(service): State<Arc<Service>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Answer<Json<SearchResult>> {
    let Query(params) = params?;
    let limit = page_size(&service, params.limit.unwrap_or(SUGGESTIONS))?;
    let q = params.q.trim().to_string();
    let found = if service.names.count(&q) <= SEARCH_AT_ONCE {
        found(&service, &q, limit)
    } else {
        let q = q.clone();
        compute(&service, move |s| Ok(found(s, &q, limit))).await?
    };
    let suggestions = if found.0.is_empty() && !q.is_empty() {
        compute(&service, move |s| match s.graph.find(&q) {
            Err(Error::UnknownPackage { suggestions, .. }) => Ok(suggestions),
            _ => Ok(Vec::new()),
        })
        .await?
    } else {
        Vec::new()
    };
    Ok(Json(SearchResult { query: params.q, packages: found.0, projects: found.1, suggestions }))
}

/// The packages and projects whose names start with `q`, at most `limit` of each.
fn found(s: &Service, q: &str, limit: usize) -> (Vec<FoundPackage>, Vec<FoundProject>) {
    let (graph, reach) = (&s.graph, &s.scored.reach);
    let packages = s
        .names
        .search(graph, reach, q, limit)
        .into_iter()
        .map(|v| FoundPackage {
            package: graph.display_name(v),
            ecosystem: graph.ecosystem(v).as_str(),
            version: graph.version(v).map(str::to_string),
            reach: reach[v as usize],
        })
        .collect();
    let groups = &s.groups;
    let start = groups.names.partition_point(|n| n.as_str() < q);
    let mut projects: Vec<usize> = (start..groups.names.len())
        .take_while(|&g| !q.is_empty() && groups.names[g].starts_with(q))
        .filter(|&g| groups.members[g].len() > 1)
        .collect();
    projects.sort_by(|&a, &b| s.scored.metrics[b].reach.cmp(&s.scored.metrics[a].reach).then(a.cmp(&b)));
    let projects = projects
        .into_iter()
        .take(limit)
        .map(|g| FoundProject {
            project: groups.names[g].clone(),
            packages: groups.members[g].len(),
            reach: s.scored.metrics[g].reach,
        })
        .collect();
    (packages, projects)
}

/// A page size asked for, within the limit.
fn page_size(service: &Service, asked: usize) -> Answer<usize> {
    let max = service.limits.max_page;
    if asked > max {
        return Err(ApiError::bad(format!("limit {asked} is more than the {max} rows a page may hold")));
    }
    Ok(asked)
}

#[derive(Deserialize)]
pub(super) struct CardParams {
    package: Option<String>,
    project: Option<String>,
}

/// A package's own facts.
#[derive(Serialize)]
struct PackageFacts {
    package: String,
    ecosystem: &'static str,
    version: Option<String>,
    project: String,
    reach: u32,
    direct_dependents: usize,
    dependencies: usize,
    maintainers: Vec<String>,
    releases: usize,
}

#[derive(Serialize)]
pub(super) struct CardResult {
    /// The package asked for (null when a project was).
    package: Option<PackageFacts>,
    /// Its project's card, as the report's JSON has it.
    card: Candidate,
}

/// The card `params` ask for.
fn card_of(s: &Service, params: &CardParams) -> Answer<CardResult> {
    let (package, g) = match (&params.package, &params.project) {
        (Some(name), None) => {
            let v = s.graph.find(name)?;
            (Some(v), s.group_of[v as usize] as usize)
        }
        (None, Some(name)) => (None, project(&s.groups, name)?),
        _ => return Err(ApiError::bad("give one of `package` or `project`")),
    };
    let graph = &s.graph;
    let package = package.map(|v| PackageFacts {
        package: graph.display_name(v),
        ecosystem: graph.ecosystem(v).as_str(),
        version: graph.version(v).map(str::to_string),
        project: s.groups.names[g].clone(),
        reach: s.scored.reach[v as usize],
        direct_dependents: graph.reverse().degree(v),
        dependencies: graph.forward().degree(v),
        maintainers: graph.maintainers(v).map(str::to_string).collect(),
        releases: graph.releases(v).len(),
    });
    Ok(CardResult { package, card: s.cards.card(&s.inputs(), g) })
}

pub(super) async fn card(
    State(service): State<Arc<Service>>,
    params: Result<Query<CardParams>, QueryRejection>,
) -> Answer<Json<CardResult>> {
    let Query(params) = params?;
    compute(&service, move |s| card_of(s, &params).map(Json)).await
}

pub(super) async fn card_html(
    State(service): State<Arc<Service>>,
    params: Result<Query<CardParams>, QueryRejection>,
) -> Answer<Html<String>> {
    let Query(params) = params?;
    compute(&service, move |s| {
        let result = card_of(s, &params)?;
        let html = crate::export::report::card_html(&s.templates, &result.card)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
        Ok(Html(html))
    })
    .await
}

#[derive(Deserialize, Clone)]
pub(super) struct BlastParams {
    /// Package names, comma-separated.
    package: Option<String>,
    /// Project names, comma-separated.
    project: Option<String>,
    /// `compromise` (default), `new_release`, `affected`, `removed`.
    scenario: Option<String>,
    /// The bad releases (affected, removed), in the ecosystem's requirement syntax.
    range: Option<String>,
    max_depth: Option<u32>,
    /// `depth` (default) or `importance`.
    order: Option<String>,
    offset: Option<usize>,
    limit: Option<usize>,
}

/// One page of a blast.
#[derive(Serialize)]
pub(super) struct BlastPage {
    summary: Summary,
    /// The summary's reach by depth as bars (SVG).
    depth_chart: String,
    /// Rows in the whole table.
    total: usize,
    offset: usize,
    limit: usize,
    /// The page's rows, as `blast -o FILE.jsonl` writes them.
    rows: Vec<serde_json::Value>,
}

/// Rows a blast page holds by default.
const PAGE_ROWS: usize = 50;

/// A blast as `params` ask: its summary, its rows in order, and the outcome to write them from.
pub(super) struct Blasted {
    summary: Summary,
    outcome: crate::analysis::scenario::Outcome,
    rows: Vec<u32>,
}

/// Blasts kept for the pages and downloads that follow the first: a hub's blast is computed
/// once, not once a page.
const RECENT: usize = 8;

/// Blasts by what was asked (pages aside), newest last.
type Recent = std::collections::VecDeque<(String, Arc<Blasted>)>;

/// The last [`RECENT`] blasts.
#[derive(Default)]
pub(super) struct RecentBlasts(std::sync::Mutex<Recent>);

impl RecentBlasts {
    fn with<T>(&self, f: impl FnOnce(&mut Recent) -> T) -> T {
        // A poisoned lock only means another request panicked while holding it: the list is whole.
        f(&mut self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

/// The blast `p` asks for, from the recent ones or made now.
fn blasted(s: &Service, p: &BlastParams) -> Answer<Arc<Blasted>> {
    let key = format!("{:?}", (&p.package, &p.project, &p.scenario, &p.range, p.max_depth, &p.order));
    if let Some(b) = s.recent.with(|list| list.iter().find(|(k, _)| *k == key).map(|(_, b)| b.clone())) {
        return Ok(b);
    }
    let b = Arc::new(blast_now(s, p)?);
    s.recent.with(|list| {
        if list.len() == RECENT {
            list.pop_front();
        }
        list.push_back((key, b.clone()));
    });
    Ok(b)
}

fn blast_now(s: &Service, p: &BlastParams) -> Answer<Blasted> {
    let list = |names: &Option<String>| -> Vec<String> {
        names.iter().flat_map(|n| n.split(',')).map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect()
    };
    let (packages, projects) = (list(&p.package), list(&p.project));
    if packages.is_empty() && projects.is_empty() {
        return Err(ApiError::bad("name what the incident hits: `package` or `project`"));
    }
    let what: Scenario = p.scenario.as_deref().unwrap_or("compromise").parse().map_err(ApiError::bad)?;
    let range = p.range.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let bad = match (what, range) {
        (Scenario::Affected, None) => return Err(ApiError::bad("the affected scenario needs a `range`")),
        (Scenario::Affected | Scenario::Removed, Some(r)) => Bad::Range(r.to_string()),
        (_, Some(_)) => return Err(ApiError::bad("a `range` goes with the affected or removed scenario")),
        (_, None) => Bad::All,
    };
    let order: Order = p.order.as_deref().unwrap_or("depth").parse().map_err(ApiError::bad)?;
    let targets = named_targets(&s.graph, &s.groups, &packages, &projects, &bad)?;
    let targets = merge_targets(&s.graph, targets)?;
    let outcome = scenario(&s.graph, &targets, what, p.max_depth, Some(s.cards.propagation()))?;
    let summary = summary(&s.graph, &outcome, what, p.max_depth, Vec::new());
    let rows = outcome.ordered(&s.graph, order, &s.scored.reach);
    Ok(Blasted { summary, outcome, rows })
}

pub(super) async fn blast(
    State(service): State<Arc<Service>>,
    params: Result<Query<BlastParams>, QueryRejection>,
) -> Answer<Json<BlastPage>> {
    let Query(params) = params?;
    let limit = page_size(&service, params.limit.unwrap_or(PAGE_ROWS))?;
    compute(&service, move |s| {
        let b = blasted(s, &params)?;
        let offset = params.offset.unwrap_or(0).min(b.rows.len());
        let page = &b.rows[offset..offset.saturating_add(limit).min(b.rows.len())];
        let lines = table(s, &b, page, Format::from_name("jsonl").expect("jsonl is a format"))?;
        let rows = lines
            .split(|&c| c == b'\n')
            .filter(|l| !l.is_empty())
            .map(serde_json::from_slice)
            .collect::<Result<_, _>>()
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let by_depth: Vec<u32> = b.summary.by_depth.iter().map(|row| row.values().sum::<u64>() as u32).collect();
        let depth_chart = crate::export::report::depth_bars(&by_depth)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
        Ok(Json(BlastPage { total: b.rows.len(), offset, limit, rows, depth_chart, summary: b.summary.clone() }))
    })
    .await
}

/// `rows` of blast `b` written as a table in `format`.
fn table(s: &Service, b: &Blasted, rows: &[u32], format: Format) -> Answer<Vec<u8>> {
    let mut out = Vec::new();
    let target = Target { format, out: &mut out, provenance: Some(&s.info.provenance) };
    write_blast(&s.graph, &b.outcome, rows, &s.scored.reach, target)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(out)
}

/// The whole table of a blast, as a file to download.
async fn download(service: Arc<Service>, params: BlastParams, name: &'static str) -> Answer<Response> {
    let format = Format::from_name(name).expect("a table format");
    let body = compute(&service, move |s| {
        let b = blasted(s, &params)?;
        table(s, &b, &b.rows, format)
    })
    .await?;
    let content_type = match format.encoding {
        Encoding::Csv => "text/csv; charset=utf-8",
        Encoding::Jsonl => "application/jsonl",
        Encoding::Parquet => "application/vnd.apache.parquet",
    };
    let disposition = format!("attachment; filename=\"blast.{name}\"");
    Ok(([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

pub(super) async fn blast_csv(
    State(service): State<Arc<Service>>,
    params: Result<Query<BlastParams>, QueryRejection>,
) -> Answer<Response> {
    download(service, params?.0, "csv").await
}

pub(super) async fn blast_jsonl(
    State(service): State<Arc<Service>>,
    params: Result<Query<BlastParams>, QueryRejection>,
) -> Answer<Response> {
    download(service, params?.0, "jsonl").await
}

pub(super) async fn blast_parquet(
    State(service): State<Arc<Service>>,
    params: Result<Query<BlastParams>, QueryRejection>,
) -> Answer<Response> {
    download(service, params?.0, "parquet").await
}

#[derive(Deserialize)]
pub(super) struct WhyParams {
    from: String,
    to: String,
}

/// The chain that makes one package depend on another.
#[derive(Serialize)]
pub(super) struct WhyResult {
    from: String,
    to: String,
    /// `from`, …, `to`; null when `from` does not depend on `to`.
    chain: Option<Vec<String>>,
}

pub(super) async fn why(
    State(service): State<Arc<Service>>,
    params: Result<Query<WhyParams>, QueryRejection>,
) -> Answer<Json<WhyResult>> {
    let Query(params) = params?;
    compute(&service, move |s| {
        let graph = &s.graph;
        let (from, to) = (graph.find(&params.from)?, graph.find(&params.to)?);
        let chain =
            why_chain(graph.forward(), from, to).map(|c| c.into_iter().map(|v| graph.display_name(v)).collect());
        Ok(Json(WhyResult { from: graph.display_name(from), to: graph.display_name(to), chain }))
    })
    .await
}
