//! `describeLimitRange` and `DescribeLimitRanges` (the Resource Limits
//! section of `describe namespace`), through `describeLimitRangeSpec`
//! (`kubectl/pkg/describe/describe.go`, unchanged from v1.10 to v1.35).
//!
//! Upstream walks each item's resources in Go map order, which varies from
//! run to run; this prints them sorted by name.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{LimitRange, LimitRangeSpec};

use super::{LEVEL_0, Writer};
use crate::sim::quota::parse_list;

const HEADER: &str =
    "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n";
const RULE: &str =
    "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n";

/// The page `kubectl describe limitrange` prints.
pub fn describe_limit_range(lr: &LimitRange) -> String {
    let mut w = Writer::default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", lr.metadata.name.as_deref().unwrap_or_default()));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", lr.metadata.namespace.as_deref().unwrap_or_default()),
    );
    w.write(LEVEL_0, HEADER);
    w.write(LEVEL_0, RULE);
    if let Some(spec) = &lr.spec {
        spec_rows(spec, "", &mut w);
    }
    w.finish()
}

/// The Resource Limits section of `describe namespace`.
pub fn describe_limit_ranges(ranges: &[LimitRange], w: &mut Writer) {
    if ranges.is_empty() {
        w.write(LEVEL_0, "No LimitRange resource.\n");
        return;
    }
    w.write(LEVEL_0, &format!("Resource Limits\n {HEADER}"));
    w.write(LEVEL_0, &format!(" {RULE}"));
    for lr in ranges {
        if let Some(spec) = &lr.spec {
            spec_rows(spec, " ", w);
        }
    }
}

fn spec_rows(spec: &LimitRangeSpec, prefix: &str, w: &mut Writer) {
    for item in &spec.limits {
        let lists = [
            parse_list(item.min.as_ref()),
            parse_list(item.max.as_ref()),
            parse_list(item.default_request.as_ref()),
            parse_list(item.default.as_ref()),
            parse_list(item.max_limit_request_ratio.as_ref()),
        ];
        let names: BTreeSet<&String> = lists.iter().flat_map(|l| l.keys()).collect();
        for name in names {
            let cells: Vec<String> = lists
                .iter()
                .map(|l| l.get(name).map_or_else(|| "-".to_owned(), ToString::to_string))
                .collect();
            w.write(LEVEL_0, &format!("{prefix}{}\t{name}\t{}\n", item.type_, cells.join("\t")));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn limit_range_page() {
        let lr: LimitRange = serde_json::from_value(json!({
            "metadata": {"name": "cpu-min-max-demo-lr", "namespace": "constraints-cpu-example"},
            "spec": {"limits": [{"type": "Container", "max": {"cpu": "800m"}, "min": {"cpu": "200m"},
                                 "default": {"cpu": "800m"}, "defaultRequest": {"cpu": "800m"}}]}
        }))
        .unwrap();
        // The page of the "Configure Minimum and Maximum CPU Constraints
        // for a Namespace" task (kubernetes.io), for its LimitRange.
        let expected = "\
Name:       cpu-min-max-demo-lr
Namespace:  constraints-cpu-example
Type        Resource  Min   Max   Default Request  Default Limit  Max Limit/Request Ratio
----        --------  ---   ---   ---------------  -------------  -----------------------
Container   cpu       200m  800m  800m             800m           -
";
        assert_eq!(describe_limit_range(&lr), expected);
    }
}
