//! `serve`: one loaded graph behind a page and a JSON API on a socket (axum on tokio). Every
//! route answers `GET` (and `HEAD`):
//! - `/`: the page (search as you type, cards, blast, `why`), every asset inline;
//! - `/card?package=NAME` or `?project=NAME`: a project's card as the report shows it (HTML);
//! - `/api/info`, `/api/search`, `/api/card`, `/api/blast` (one page of rows), `/api/blast.csv`,
//!   `/api/blast.jsonl`, `/api/blast.parquet` (the whole table, as `blast -o` writes it) and
//!   `/api/why`: JSON with the schemas of the files keystone writes (docs/serve.md).
//!
//! Bounds ([`Limits`]): a query string of at most `max_query` bytes; at most `max_page` rows a
//! page; every computation runs on the analyses' thread pool behind one permit per worker, so
//! that many blasts at once queue instead of running together (a search answers at once unless
//! it has to look for close names); a request that waits longer than
//! `queue_wait` for its turn, or runs past `deadline`, gets a 503, and one whose client goes away
//! while it waits leaves the queue. Nothing a request says names a file, and the state is
//! read-only. Every error is JSON: `{"error": …, "suggestions": […]}`.

mod api;
mod names;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::analysis::groups::Groups;
use crate::analysis::report::{Cards, Inputs, Scored};
use crate::export::provenance::Provenance;
use crate::graph::Graph;
use crate::model::Ecosystem;
use names::NameIndex;

/// How much one request may ask, and how long it may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest query string, in bytes.
    pub max_query: usize,
    /// The most rows one page of a blast holds, and the most suggestions a search gives.
    pub max_page: usize,
    /// How many computations run at once.
    pub workers: usize,
    /// How long a request may wait for a worker.
    pub queue_wait: Duration,
    /// How long a request may take in all.
    pub deadline: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_query: 2048,
            max_page: 1000,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue_wait: Duration::from_secs(30),
            deadline: Duration::from_secs(60),
        }
    }
}

/// What `/api/info` says about the graph served.
#[derive(Debug, Clone, Serialize)]
pub struct Info {
    /// Packages.
    pub packages: usize,
    /// Dependency edges.
    pub edges: usize,
    /// Packages per ecosystem.
    pub ecosystems: Vec<(Ecosystem, usize)>,
    /// The edge kinds followed.
    pub profile: String,
    /// The keystone version, command and inputs.
    pub provenance: Provenance,
    /// The limits requests are held to.
    pub max_query: usize,
    /// The most rows a page holds.
    pub max_page: usize,
}

/// The state every request reads: the graph, its projects and their evidence, the card data
/// and the name index, all made once.
pub struct Service {
    graph: Graph,
    groups: Groups,
    /// Each package's project, by its place in `groups`.
    group_of: Vec<u32>,
    scored: Scored,
    cards: Cards,
    names: NameIndex,
    templates: minijinja::Environment<'static>,
    page: String,
    info: Info,
    limits: Limits,
    work: Arc<Semaphore>,
    recent: api::RecentBlasts,
}

impl Service {
    /// Prepares `graph`, its projects `groups` and their evidence `scored`, read from what
    /// `provenance` names, to be served within `limits`.
    ///
    /// # Errors
    /// A template that does not render (a bug).
    pub fn new(
        graph: Graph,
        groups: Groups,
        scored: Scored,
        provenance: Provenance,
        limits: Limits,
    ) -> Result<Service, String> {
        let names = NameIndex::new(&graph);
        let mut group_of = vec![0u32; graph.node_count()];
        for (g, members) in groups.members.iter().enumerate() {
            members.iter().for_each(|&v| group_of[v as usize] = g as u32);
        }
        let limits = Limits { workers: limits.workers.max(1), ..limits };
        let info = Info {
            packages: graph.node_count(),
            edges: graph.edge_count(),
            ecosystems: graph.ecosystems().into_iter().map(|e| (e, graph.range_of(e).len())).collect(),
            profile: graph.profile().describe(),
            provenance,
            max_query: limits.max_query,
            max_page: limits.max_page,
        };
        let templates = crate::export::report::templates()?;
        let page = api::page(&templates, &info)?;
        Ok(Service {
            cards: Cards::new(&inputs(&graph, &groups, &scored)),
            graph,
            groups,
            group_of,
            scored,
            names,
            templates,
            page,
            info,
            limits,
            work: Arc::new(Semaphore::new(limits.workers)),
            recent: api::RecentBlasts::default(),
        })
    }

    /// The inputs of the cards.
    fn inputs(&self) -> Inputs<'_> {
        inputs(&self.graph, &self.groups, &self.scored)
    }
}

/// The inputs of the cards: the graph's projects and their evidence, without lists or advisories.
fn inputs<'a>(graph: &'a Graph, groups: &'a Groups, scored: &'a Scored) -> Inputs<'a> {
    Inputs {
        graph,
        groups,
        metrics: &scored.metrics,
        reach: &scored.reach,
        scores: &scored.scores,
        advisories: &[],
        lists: &[],
        spotlight: &[],
        top: 0,
    }
}

/// The routes, over `service`.
pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/", get(api::page_handler))
        .route("/card", get(api::card_html))
        .route("/api/info", get(api::info))
        .route("/api/search", get(api::search))
        .route("/api/card", get(api::card))
        .route("/api/blast", get(api::blast))
        .route("/api/blast.csv", get(api::blast_csv))
        .route("/api/blast.jsonl", get(api::blast_jsonl))
        .route("/api/blast.parquet", get(api::blast_parquet))
        .route("/api/why", get(api::why))
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(service.clone(), api::guard))
        .with_state(service)
}

/// Serves `service` on `listener` until `shutdown` completes, then lets the requests under way
/// finish.
///
/// # Errors
/// The listener failing.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(service)).with_graceful_shutdown(shutdown).await
}
