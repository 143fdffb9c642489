//! Declared HTTP answers of a scenario's own application image (front
//! matter `images: {IMAGE: {http: [...]}}`).
//!
//! Course and blog tutorials often run an application of their own whose
//! code kubeplay cannot know (Start Kubernetes' `app-health`, whose
//! `/healthz` answers 200 for about ten seconds after the process starts,
//! then 500). A scenario may declare what such an image answers, path by
//! path, as a function of how long the container has been running: the
//! first route whose path matches and whose `until` has not passed gives
//! the status, and the body a client such as `curl` prints when the route
//! declares one. A path no route names, or a body no route declares, stays
//! unmodelled (reported `unsupported`), as for any image kubeplay does not
//! know.

use std::time::Duration;

/// One declared answer: `{path: /healthz, status: 200, until: 10s}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The request path it answers (exactly; the query is part of it).
    pub path: String,
    /// The status code it answers with.
    pub status: u16,
    /// Answers only while the container has run less than this long;
    /// `None`: for as long as it runs.
    pub until: Option<Duration>,
    /// The body it sends; `None`: undeclared (a probe needs only the
    /// status).
    pub body: Option<String>,
}

/// The route that answers a GET of `path` by a container that started
/// `uptime` ago, or `None` when no route answers it.
pub fn answer<'r>(routes: &'r [Route], path: &str, uptime: Duration) -> Option<&'r Route> {
    routes.iter().find(|r| r.path == path && r.until.is_none_or(|u| uptime < u))
}

/// The reason phrase Go's `net/http` writes for `status` (`StatusText`),
/// for the statuses applications answer health checks with.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn healthz() -> Vec<Route> {
        vec![
            Route {
                path: "/healthz".into(),
                status: 200,
                until: Some(Duration::from_secs(10)),
                body: Some("ok".into()),
            },
            Route { path: "/healthz".into(), status: 500, until: None, body: None },
        ]
    }

    #[test]
    fn a_route_answers_until_its_time_then_the_next_one() {
        let r = healthz();
        let status = |uptime| answer(&r, "/healthz", uptime).map(|r| r.status);
        assert_eq!(status(Duration::from_millis(9_999)), Some(200));
        assert_eq!(status(Duration::from_secs(10)), Some(500));
        assert_eq!(status(Duration::from_secs(600)), Some(500));
        let body = answer(&r, "/healthz", Duration::ZERO).and_then(|r| r.body.as_deref());
        assert_eq!(body, Some("ok"));
        // A path no route names is not invented.
        assert!(answer(&r, "/", Duration::ZERO).is_none());
    }
}
