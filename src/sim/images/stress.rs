//! The `stress` load generator (Amos Waterland's stress 1.0.4, the tool in
//! `polinux/stress` and `progrium/stress`): what a container running it
//! demands of the machine, and what it prints.
//!
//! - `--cpu N` (`-c`) starts N workers spinning on `sqrt()`; `--vm N`
//!   (`-m`) starts N workers that `malloc()` and touch `--vm-bytes B`
//!   (`256M` unless given; suffixes `B K M G` are powers of 1024) over and
//!   over. Each worker keeps one core busy, so the container demands
//!   `N × 1000m` CPU; the vm workers hold `N × B` bytes.
//! - `--timeout T` (`-t`; `s m h d y` suffixes) ends the run: `successful
//!   run completed in Ts`, exit 0. Without it stress runs until stopped.
//! - It prints `stress: info: [PID] dispatching hogs: C cpu, I io, V vm, H
//!   hdd` first (`stress.c` `main`, to stdout).
//!
//! What the machine does with the demand is the kubelet's and the
//! kernel's: CPU above the container's limit is throttled (CFS quota, seen
//! in [`crate::sim::metrics`]); memory above the limit gets the container
//! OOM-killed ([`oom_kill_after`]). Options whose effect is not modelled
//! (`--io`, `--hdd`, `--verbose`, `--backoff`, ...) are reported
//! unsupported by name.

use std::time::Duration;

use k8s_openapi::api::core::v1::Container;

use crate::sim::controllers::scheduler::parse_bytes;

/// One `stress` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stress {
    /// `--cpu` workers.
    pub cpu: u32,
    /// `--vm` workers.
    pub vm: u32,
    /// `--vm-bytes` per vm worker.
    pub vm_bytes: i64,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// `--vm-hang N` with N > 0: a vm worker sleeps holding its bytes
    /// rather than spinning.
    pub vm_hang: bool,
}

/// stress 1.0.4's default `--vm-bytes` (`stress.c`: `do_vm_bytes = 256 *
/// 1024 * 1024`).
const DEFAULT_VM_BYTES: i64 = 256 << 20;

/// How long after its start an over-limit container is OOM-killed: the vm
/// worker touches its bytes at memory speed, so the kill comes at once; a
/// modelled second, not a measurement.
const OOM_AFTER: Duration = Duration::from_secs(1);

impl Stress {
    /// Parses stress's arguments (after the program name); `Err` names
    /// what kubeplay does not model.
    pub fn parse(args: &[String]) -> Result<Stress, String> {
        let mut s =
            Stress { cpu: 0, vm: 0, vm_bytes: DEFAULT_VM_BYTES, timeout: None, vm_hang: false };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
                _ => (arg.as_str(), None),
            };
            let mut value = || inline.clone().or_else(|| it.next().cloned());
            match flag {
                "-c" | "--cpu" => s.cpu = count(value())?,
                "-m" | "--vm" => s.vm = count(value())?,
                "--vm-bytes" => {
                    let v = value().ok_or("stress --vm-bytes without a value")?;
                    s.vm_bytes = bytes(&v).ok_or_else(|| format!("stress --vm-bytes {v}"))?;
                }
                "-t" | "--timeout" => {
                    let v = value().ok_or("stress --timeout without a value")?;
                    s.timeout = Some(seconds(&v).ok_or_else(|| format!("stress --timeout {v}"))?);
                }
                "--vm-hang" => {
                    let v = value().ok_or("stress --vm-hang without a value")?;
                    s.vm_hang = seconds(&v).ok_or_else(|| format!("stress --vm-hang {v}"))?
                        > Duration::ZERO;
                }
                // Neither changes what is modelled: the bytes held, the
                // cores kept busy, what is printed.
                "--vm-keep" | "-q" | "--quiet" => {}
                "--vm-stride" => {
                    value().ok_or("stress --vm-stride without a value")?;
                }
                other => return Err(format!("stress option {other}")),
            }
        }
        Ok(s)
    }

    /// CPU demanded, in millicores.
    pub fn cpu_milli(&self) -> i64 {
        let spinning_vm = if self.vm_hang { 0 } else { self.vm };
        i64::from(self.cpu + spinning_vm) * 1000
    }

    /// Memory held, in bytes.
    pub fn memory_bytes(&self) -> i64 {
        i64::from(self.vm).saturating_mul(self.vm_bytes)
    }

    /// The line stress prints first, as process `pid`.
    pub fn dispatching(&self, pid: u32) -> String {
        format!(
            "stress: info: [{pid}] dispatching hogs: {} cpu, 0 io, {} vm, 0 hdd\n",
            self.cpu, self.vm
        )
    }

    /// The line stress prints when `--timeout` ends the run.
    pub fn completed(&self, pid: u32) -> Option<String> {
        let t = self.timeout?;
        Some(format!("stress: info: [{pid}] successful run completed in {}s\n", t.as_secs()))
    }
}

fn count(v: Option<String>) -> Result<u32, String> {
    let v = v.ok_or("stress worker count without a value")?;
    v.parse().map_err(|_| format!("stress worker count {v}"))
}

/// stress's `atoll_b`: a number with an optional `B K M G` suffix, powers
/// of 1024.
fn bytes(v: &str) -> Option<i64> {
    let (num, mult) = match v.chars().last()? {
        'b' | 'B' => (&v[..v.len() - 1], 1),
        'k' | 'K' => (&v[..v.len() - 1], 1 << 10),
        'm' | 'M' => (&v[..v.len() - 1], 1 << 20),
        'g' | 'G' => (&v[..v.len() - 1], 1 << 30),
        _ => (v, 1),
    };
    num.parse::<i64>().ok().map(|n| n.saturating_mul(mult))
}

/// stress's `atoll_s`: seconds with an optional `s m h d y` suffix.
fn seconds(v: &str) -> Option<Duration> {
    let (num, mult) = match v.chars().last()? {
        's' => (&v[..v.len() - 1], 1),
        'm' => (&v[..v.len() - 1], 60),
        'h' => (&v[..v.len() - 1], 3600),
        'd' => (&v[..v.len() - 1], 86_400),
        'y' => (&v[..v.len() - 1], 31_536_000),
        _ => (v, 1),
    };
    num.parse::<u64>().ok().map(|n| Duration::from_secs(n.saturating_mul(mult)))
}

/// Whether `image` ships stress (the images tutorials use for it).
pub fn ships_stress(image: &str) -> bool {
    let r = super::ImageRef::parse(image);
    r.base() == "stress" || r.base().starts_with("stress-")
}

/// The stress run `container` starts, found in its argv: stress itself, or
/// the `stress` command of a `sh -c` script.
pub fn of(container: &Container) -> Option<Stress> {
    if !ships_stress(container.image.as_deref().unwrap_or_default()) {
        return None;
    }
    let argv = crate::sim::podutil::argv(container);
    let is_stress = |w: &str| w.rsplit('/').next() == Some("stress");
    if argv.first().is_some_and(|a| is_stress(a)) {
        return Stress::parse(&argv[1..]).ok();
    }
    let script = argv.iter().position(|a| a == "-c").and_then(|i| argv.get(i + 1))?;
    script.split(['\n', ';', '&', '|']).find_map(|command| {
        let words: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
        let first = words.first()?;
        is_stress(first).then(|| Stress::parse(&words[1..]).ok()).flatten()
    })
}

/// When `container` is OOM-killed after its start, if ever: its stress
/// run holds more memory than its memory limit (the cgroup's
/// `memory.max`). The kernel kills the container (the kubelet sets
/// `memory.oom.group` on cgroup v2, so every process of it goes): exit code
/// 137 (SIGKILL), reason `OOMKilled` (the runtime saw the OOM event).
pub fn oom_kill_after(container: &Container) -> Option<Duration> {
    let stress = of(container)?;
    let limit = container
        .resources
        .as_ref()
        .and_then(|r| r.limits.as_ref())
        .and_then(|l| l.get("memory"))
        .map(|q| parse_bytes(&q.0))?;
    (stress.memory_bytes() > limit).then_some(OOM_AFTER)
}

/// A stress image started without a `command`: what its entrypoint runs
/// (progrium/stress's `stress --verbose`, whose debug lines are not
/// modelled; other images' own scripts) is not known. Named for the
/// `unsupported` report.
pub fn entrypoint_unmodelled(container: &Container) -> Option<String> {
    let image = container.image.as_deref().unwrap_or_default();
    (ships_stress(image) && container.command.as_ref().is_none_or(|c| c.is_empty())).then(|| {
        format!(
            "the entrypoint of image {image} (container {:?} sets no command; kubeplay models \
             stress run as the command)",
            container.name
        )
    })
}

/// A stress run with no memory limit that holds more than its node's
/// allocatable memory: the node's own OOM killer and the kubelet's
/// node-pressure eviction would act, neither of which is modelled. Named
/// for the `unsupported` report.
pub fn beyond_node(
    store: &crate::sim::store::Store,
    pod: &k8s_openapi::api::core::v1::Pod,
    container: &Container,
) -> Option<String> {
    let limited = container
        .resources
        .as_ref()
        .and_then(|r| r.limits.as_ref())
        .is_some_and(|l| l.contains_key("memory"));
    if limited {
        return None;
    }
    let stress = of(container)?;
    let node = crate::sim::podutil::node_name(pod)
        .and_then(|n| store.get_typed::<k8s_openapi::api::core::v1::Node>(None, n))?;
    let allocatable = node
        .status
        .as_ref()
        .and_then(|s| s.allocatable.as_ref())
        .and_then(|a| a.get("memory"))
        .map(|q| parse_bytes(&q.0))?;
    (stress.memory_bytes() > allocatable).then(|| {
        format!(
            "container {:?} holding more memory than its node's allocatable without a memory \
             limit (node-pressure eviction and the node's OOM killer are not modelled)",
            container.name
        )
    })
}

/// The CPU (millicores) and memory (bytes) `container` demands, when its
/// image model says (a stress run); the CPU is not yet capped at the
/// limit.
pub fn demand(container: &Container) -> Option<(i64, i64)> {
    let s = of(container)?;
    Some((s.cpu_milli(), s.memory_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_stress_options() {
        let s = Stress::parse(&args(&["--vm", "1", "--vm-bytes", "150M", "--cpu", "2"])).unwrap();
        assert_eq!((s.cpu, s.vm, s.vm_bytes, s.timeout, s.vm_hang), (2, 1, 150 << 20, None, false));
        assert_eq!(s.cpu_milli(), 3000);
        assert_eq!(
            s.dispatching(1),
            "stress: info: [1] dispatching hogs: 2 cpu, 0 io, 1 vm, 0 hdd\n"
        );
        let t = Stress::parse(&args(&["-c", "1", "-t", "5m"])).unwrap();
        assert_eq!(t.timeout, Some(Duration::from_secs(300)));
        assert_eq!(
            Stress::parse(&args(&["--vm"])).unwrap_err(),
            "stress worker count without a value"
        );
        assert_eq!(Stress::parse(&args(&["--io", "1"])).unwrap_err(), "stress option --io");
        assert_eq!(Stress::parse(&args(&["--vm", "1"])).unwrap().memory_bytes(), 256 << 20);
    }

    #[test]
    fn finds_stress_in_a_script_and_kills_over_the_limit() {
        let c: Container = serde_json::from_value(serde_json::json!({
            "name": "stress", "image": "polinux/stress",
            "command": ["/bin/sh", "-c", "echo \"Starting stress...\"\nstress --vm 1 --vm-bytes 200M --cpu 2 --timeout 300\n"],
            "resources": {"limits": {"memory": "128Mi", "cpu": "200m"}}
        }))
        .unwrap();
        assert_eq!(demand(&c), Some((3000, 200 << 20)));
        assert_eq!(oom_kill_after(&c), Some(OOM_AFTER));
        let fits: Container = serde_json::from_value(serde_json::json!({
            "name": "s", "image": "polinux/stress", "command": ["stress"],
            "args": ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"],
            "resources": {"limits": {"memory": "200Mi"}}
        }))
        .unwrap();
        // A hanging vm worker holds its bytes without spinning.
        assert_eq!(demand(&fits), Some((0, 150 << 20)));
        assert_eq!(oom_kill_after(&fits), None);
        let nginx: Container = serde_json::from_value(serde_json::json!({
            "name": "n", "image": "nginx", "command": ["stress", "--vm", "1"]
        }))
        .unwrap();
        assert_eq!(demand(&nginx), None);
    }
}
