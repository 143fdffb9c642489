//! Which nodes the scheduler filters for one pod: from v1.12 it stops
//! once it has found enough feasible nodes (`numFeasibleNodesToFind`), and
//! starts each search where the previous one stopped (`nextStartNodeIndex`),
//! so that every node gets its turn (`findNodesThatPassFilters`,
//! `pkg/scheduler/schedule_one.go`; `pkg/scheduler/core/generic_scheduler.go`
//! before v1.24).
//!
//! Modelled as upstream's filter loop run by one worker: nodes in the
//! node list's order from the start index, each feasible one kept until
//! the count is reached; the loop goes on past the last one kept, noting
//! rejected nodes, up to the next feasible node, which cancels it and is
//! not counted (`length > numNodesToFind`: `cancel()`, and the count taken
//! back). Upstream runs 16 workers, so which nodes beyond the count were
//! looked at varies between runs; one worker is the deterministic case.
//!
//! The node list is the store's (name order). Upstream's is the node
//! tree's: zones round-robin, each zone's nodes in the order they were
//! added, which is the same list for nodes without zone labels added in
//! name order, as the simulator's are. Before v1.17 the rotation was the
//! node tree's own iterator (`NodeTree().Next()` once per node checked,
//! its position kept between pods), and from v1.17 an explicit index into
//! the snapshot's list advanced by the nodes processed: with one zone both
//! walk the same list the same way, and both are this rotation.

use crate::version::{Fact, KubeVersion};

/// `minFeasibleNodesToFind`: below this many nodes, all are filtered.
const MIN_FEASIBLE_NODES: usize = 100;
/// `minFeasibleNodesPercentageToFind` (v1.14 on).
const MIN_FEASIBLE_PERCENTAGE: usize = 5;
/// `DefaultPercentageOfNodesToScore` (v1.12–v1.13, the componentconfig's
/// default) and the adaptive formula's base (`basePercentageOfNodesToScore`).
const BASE_PERCENTAGE: usize = 50;

/// `numFeasibleNodesToFind` with the default `percentageOfNodesToScore`:
/// every node below 100 nodes (and before v1.12); from v1.12 half of them,
/// from v1.14 `50 - nodes/125` percent (at least 5 %); never fewer than
/// 100.
pub fn feasible_to_find(version: KubeVersion, nodes: usize) -> usize {
    if !version.has(Fact::SchedulerSamplesNodes) || nodes < MIN_FEASIBLE_NODES {
        return nodes;
    }
    let percentage = if version.has(Fact::SchedulerAdaptiveNodeSampling) {
        BASE_PERCENTAGE.saturating_sub(nodes / 125).max(MIN_FEASIBLE_PERCENTAGE)
    } else {
        BASE_PERCENTAGE
    };
    (nodes * percentage / 100).max(MIN_FEASIBLE_NODES)
}

/// One search's outcome: the feasible nodes kept, in the order found, the
/// rejected nodes looked at with their reasons, and the start index for
/// the next search.
#[derive(Debug)]
pub struct Search<N, R> {
    /// Feasible nodes, at most [`feasible_to_find`].
    pub feasible: Vec<N>,
    /// Nodes looked at that failed a filter.
    pub rejected: Vec<(N, R)>,
    /// `nextStartNodeIndex` after this search.
    pub next_start: usize,
}

/// Filters `nodes` from `start` (taken modulo their number) with `check`
/// until `to_find` are feasible, as described in the module comment; the
/// next start is `(start + processed) % wrap` (`wrap`: the length of the
/// list the index wraps over, which is not always this one,
/// [`Fact::SchedulerStartIndexOverAllNodes`]).
pub fn search<N: Copy, R>(
    nodes: &[N],
    start: usize,
    to_find: usize,
    wrap: usize,
    mut check: impl FnMut(N) -> Result<(), R>,
) -> Search<N, R> {
    let mut feasible = Vec::new();
    let mut rejected = Vec::new();
    let n = nodes.len();
    for i in 0..n {
        let node = nodes[(start + i) % n];
        match check(node) {
            Ok(()) if feasible.len() == to_find => break,
            Ok(()) => feasible.push(node),
            Err(reason) => rejected.push((node, reason)),
        }
    }
    let processed = feasible.len() + rejected.len();
    let next_start = if wrap == 0 { 0 } else { (start + processed) % wrap };
    Search { feasible, rejected, next_start }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(minor: u32) -> KubeVersion {
        KubeVersion::new(1, minor, 0)
    }

    /// The counts of `numFeasibleNodesToFind` at each boundary
    /// ([`Fact::SchedulerSamplesNodes`], [`Fact::SchedulerAdaptiveNodeSampling`]).
    #[test]
    fn scheduler_node_sampling_by_version() {
        // Before v1.12: every node, however many.
        assert_eq!(feasible_to_find(v(11), 1_000), 1_000);
        // v1.12–v1.13: half, at least 100, every node below 100.
        assert_eq!(feasible_to_find(v(12), 99), 99);
        assert_eq!(feasible_to_find(v(12), 100), 100);
        assert_eq!(feasible_to_find(v(12), 150), 100);
        assert_eq!(feasible_to_find(v(13), 1_000), 500);
        assert_eq!(feasible_to_find(v(13), 5_000), 2_500);
        // v1.14 on: 50 - nodes/125 percent, at least 5 %, at least 100.
        assert_eq!(feasible_to_find(v(14), 99), 99);
        // 200 nodes: 49 % is 98, raised to 100; 250: 48 %.
        assert_eq!(feasible_to_find(v(14), 200), 100);
        assert_eq!(feasible_to_find(v(14), 250), 120);
        assert_eq!(feasible_to_find(v(14), 1_000), 420);
        assert_eq!(feasible_to_find(v(33), 1_000), 420);
        assert_eq!(feasible_to_find(v(35), 5_000), 500);
        // 50 - 6000/125 = 2 %, raised to 5 %.
        assert_eq!(feasible_to_find(v(35), 6_000), 300);
        assert_eq!(feasible_to_find(v(35), 100_000), 5_000);
    }

    /// The rotation: each search starts where the previous one stopped,
    /// counting the rejected nodes it looked at, and stops at the first
    /// feasible node beyond the count without counting it.
    #[test]
    fn searches_rotate_over_the_nodes() {
        let nodes: Vec<usize> = (0..10).collect();
        let odd = |n: usize| if n % 2 == 1 { Ok(()) } else { Err(n) };
        // From 0: 1 and 3 feasible, 0 and 2 rejected; 4 is rejected on the
        // way to 5, which stops the loop uncounted: 5 processed.
        let first = search(&nodes, 0, 2, nodes.len(), odd);
        assert_eq!(first.feasible, vec![1, 3]);
        assert_eq!(first.rejected.iter().map(|(n, _)| *n).collect::<Vec<_>>(), vec![0, 2, 4]);
        assert_eq!(first.next_start, 5);
        // From 5: 5 and 7, 6 and 8 rejected; 9 stops it: 9.
        let second = search(&nodes, first.next_start, 2, nodes.len(), odd);
        assert_eq!(second.feasible, vec![5, 7]);
        assert_eq!(second.next_start, 9);
        // From 9 it wraps: 9, 1 (0 rejected), 2 rejected, 3 stops it.
        let third = search(&nodes, second.next_start, 2, nodes.len(), odd);
        assert_eq!(third.feasible, vec![9, 1]);
        assert_eq!(third.next_start, (9 + 4) % 10);
        // Nothing feasible: every node processed, the start unchanged.
        let none = search(&nodes, 7, 2, nodes.len(), |n: usize| Err::<(), _>(n));
        assert!(none.feasible.is_empty());
        assert_eq!(none.rejected.len(), 10);
        assert_eq!(none.next_start, 7);
        // Every node wanted: all looked at.
        let all = search(&nodes, 3, 10, nodes.len(), odd);
        assert_eq!(all.feasible, vec![3, 5, 7, 9, 1]);
        assert_eq!(all.next_start, 3);
        // One named node, the index wrapping over that list (v1.24–v1.30)
        // or over all nodes (v1.31 on).
        assert_eq!(search(&[4usize], 7, 1, 1, |_| Ok::<(), ()>(())).next_start, 0);
        assert_eq!(search(&[4usize], 7, 1, 10, |_| Ok::<(), ()>(())).next_start, 8);
    }
}
