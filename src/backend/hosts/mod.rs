//! Machines a tutorial types on besides kubectl: the control plane's
//! `kubeadm token create` and `openssl` pipeline, and a spare host that is
//! not yet a node (declared in front matter `cluster.hosts`) where the
//! reader enables and starts the kubelet and runs `kubeadm join`.
//!
//! Commands for a host that already is a node's machine (power, stopping
//! the kubelet) are the simulator backend's own; this module answers only
//! what it owns and returns `None` otherwise.

pub mod ca;
pub mod encoding;
pub mod kubeadm;
pub mod minikube;
pub mod net;

use std::collections::BTreeMap;

use crate::{output::CommandOutput, sim::Cluster};

/// A declared machine that is not (yet) a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpareHost {
    /// Its address (the node's InternalIP once it joins).
    pub ip: String,
    /// `systemctl is-enabled kubelet`. Hosts come with the kubeadm packages
    /// installed and the kubelet enabled, as install guides leave them.
    pub kubelet_enabled: bool,
    /// `systemctl start kubelet` was run (the unit then restarts in a loop
    /// until `kubeadm join` writes its configuration).
    pub kubelet_started: bool,
}

/// The spare hosts of one scenario.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    spare: BTreeMap<String, SpareHost>,
}

impl Hosts {
    /// Hosts from front matter: (name, ip).
    pub fn new(hosts: impl IntoIterator<Item = (String, String)>) -> Hosts {
        let spare = hosts
            .into_iter()
            .map(|(name, ip)| {
                (name, SpareHost { ip, kubelet_enabled: true, kubelet_started: false })
            })
            .collect();
        Hosts { spare }
    }

    /// Runs `argv` if it is a command this module emulates on `host`.
    pub fn exec(
        &mut self,
        cluster: &mut Cluster,
        argv: &[String],
        host: Option<&str>,
        stdin: Option<&str>,
    ) -> Option<CommandOutput> {
        let args: Vec<&str> = argv.iter().map(String::as_str).collect();
        let spare = host.filter(|h| self.spare.contains_key(*h)).map(str::to_owned);
        match args.as_slice() {
            ["openssl", ..] => {
                // The CA certificate is on the control plane and on every
                // joined node, not on a machine that has not joined.
                let has_ca = spare.is_none();
                Some(ca::openssl(argv, stdin, cluster.config().seed, has_ca))
            }
            ["kubeadm", "token", "create", ..] => Some(kubeadm::token_create(cluster, &argv[3..])),
            ["kubeadm", "join", ..] => Some(self.join(cluster, argv, host)),
            ["systemctl", verb, unit] if unit.trim_end_matches(".service") == "kubelet" => {
                self.systemctl(verb, spare.as_deref())
            }
            _ => None,
        }
    }

    /// `systemctl enable|disable kubelet` anywhere (silent: a node's kubelet
    /// is already enabled); `start|stop|restart` on a spare host.
    fn systemctl(&mut self, verb: &str, spare: Option<&str>) -> Option<CommandOutput> {
        let Some(name) = spare else {
            return matches!(verb, "enable" | "disable").then(CommandOutput::default);
        };
        let host = self.spare.get_mut(name)?;
        match verb {
            "enable" => host.kubelet_enabled = true,
            "disable" => host.kubelet_enabled = false,
            "start" | "restart" => host.kubelet_started = true,
            "stop" => host.kubelet_started = false,
            _ => return None,
        }
        Some(CommandOutput::default())
    }

    fn join(
        &mut self,
        cluster: &mut Cluster,
        argv: &[String],
        host: Option<&str>,
    ) -> CommandOutput {
        let Some(name) = host else {
            return CommandOutput::failure(
                "kubeplay: `kubeadm join` runs on the machine that joins; use a prompt naming it \
                 (`[root@worker2 ~]# kubeadm join ...`) and declare it in `cluster.hosts`\n",
                2,
            );
        };
        let Some(spare) = self.spare.get(name).cloned() else {
            if cluster.config().nodes.iter().any(|n| n.name == name) {
                // `RunJoinNodeChecks` on a machine that already joined.
                let mut out = CommandOutput::stdout("[preflight] Running pre-flight checks\n");
                out.write(
                    crate::output::Stream::Stderr,
                    "error execution phase preflight: [preflight] Some fatal errors occurred:\n\
                     \t[ERROR FileAvailable--etc-kubernetes-kubelet.conf]: /etc/kubernetes/kubelet.conf already exists\n\
                     \t[ERROR Port-10250]: Port 10250 is in use\n\
                     \t[ERROR FileAvailable--etc-kubernetes-pki-ca.crt]: /etc/kubernetes/pki/ca.crt already exists\n\
                     [preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n\
                     To see the stack trace of this error execute with --v=5 or higher\n",
                );
                out.status = 1;
                return out;
            }
            return CommandOutput::failure(
                format!(
                    "kubeplay: host `{name}` is neither a node nor declared in `cluster.hosts`\n"
                ),
                2,
            );
        };
        let join_host =
            kubeadm::JoinHost { name, ip: &spare.ip, kubelet_enabled: spare.kubelet_enabled };
        let (out, joined) = kubeadm::join(cluster, &join_host, &argv[2..]);
        if joined {
            self.spare.remove(name);
        }
        out
    }
}
