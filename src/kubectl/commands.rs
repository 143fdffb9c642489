//! kubectl's command tree as of v1.22 (`kubectl/pkg/cmd/cmd.go`
//! `NewKubectlCommand`): command names, aliases and the flags each command
//! registers (`cmd.Flags()...` in each `pkg/cmd/<verb>/*.go`, plus the shared
//! adders `genericclioptions.PrintFlags`, `FileNameFlags`, `RecordFlags`,
//! `cmdutil.AddDryRunFlag`, ...). The parser in [`super::args`] reads only this
//! table, so a flag kubectl accepts is added here once.

/// The value type of a flag, which decides how pflag parses its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagType {
    /// `BoolVar`: `--x`, `--x=false`; never consumes the next argument.
    Bool,
    /// `StringVar`.
    String,
    /// `IntVar` / `Int64Var` (`strconv.ParseInt(s, 0, 64)`).
    Int,
    /// `Int32Var` (`strconv.ParseInt(s, 0, 32)`).
    Int32,
    /// `StringSliceVar`: comma-separated, repeatable.
    StringSlice,
    /// `StringArrayVar`: repeatable, no comma splitting.
    StringArray,
    /// `DurationVar` (`time.ParseDuration`).
    Duration,
    /// `StringToStringVar` / `cliflag.MapStringString`: `k=v` pairs,
    /// comma-separated, repeatable.
    StringToString,
}

/// One flag a command accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagSpec {
    /// Long name without dashes.
    pub name: &'static str,
    /// One-letter shorthand.
    pub short: Option<char>,
    /// Value type.
    pub ty: FlagType,
    /// pflag `NoOptDefVal`: the value used when the flag is given without
    /// `=value` (`"true"` for bools; `"unchanged"` for `--dry-run`).
    pub no_opt_default: Option<&'static str>,
    /// `MarkDeprecated` message.
    pub deprecated: Option<&'static str>,
}

const fn flag(name: &'static str, short: Option<char>, ty: FlagType) -> FlagSpec {
    let no_opt_default = match ty {
        FlagType::Bool => Some("true"),
        _ => None,
    };
    FlagSpec { name, short, ty, no_opt_default, deprecated: None }
}
const fn b(name: &'static str) -> FlagSpec {
    flag(name, None, FlagType::Bool)
}
const fn bs(name: &'static str, short: char) -> FlagSpec {
    flag(name, Some(short), FlagType::Bool)
}
const fn s(name: &'static str) -> FlagSpec {
    flag(name, None, FlagType::String)
}
const fn ss(name: &'static str, short: char) -> FlagSpec {
    flag(name, Some(short), FlagType::String)
}
const fn int(name: &'static str) -> FlagSpec {
    flag(name, None, FlagType::Int)
}
const fn int32(name: &'static str) -> FlagSpec {
    flag(name, None, FlagType::Int32)
}
const fn dur(name: &'static str) -> FlagSpec {
    flag(name, None, FlagType::Duration)
}
const fn slice(name: &'static str) -> FlagSpec {
    flag(name, None, FlagType::StringSlice)
}
const fn array(name: &'static str) -> FlagSpec {
    flag(name, None, FlagType::StringArray)
}
const fn deprecated(mut f: FlagSpec, message: &'static str) -> FlagSpec {
    f.deprecated = Some(message);
    f
}
const fn no_opt(mut f: FlagSpec, value: &'static str) -> FlagSpec {
    f.no_opt_default = Some(value);
    f
}

/// Persistent flags of the root command: `genericclioptions.ConfigFlags`,
/// `cmdutil.MatchVersionFlags`, profiling, `--warnings-as-errors` and klog's
/// flags (added through `flag.CommandLine`).
pub const GLOBAL: &[FlagSpec] = &[
    s("as"),
    array("as-group"),
    s("cache-dir"),
    s("certificate-authority"),
    s("client-certificate"),
    s("client-key"),
    s("cluster"),
    s("context"),
    b("insecure-skip-tls-verify"),
    s("kubeconfig"),
    b("match-server-version"),
    ss("namespace", 'n'),
    s("password"),
    s("profile"),
    s("profile-output"),
    s("request-timeout"),
    ss("server", 's'),
    s("tls-server-name"),
    s("token"),
    s("user"),
    s("username"),
    b("warnings-as-errors"),
    b("add-dir-header"),
    b("alsologtostderr"),
    s("log-backtrace-at"),
    s("log-dir"),
    s("log-file"),
    int("log-file-max-size"),
    dur("log-flush-frequency"),
    b("logtostderr"),
    b("one-output"),
    b("skip-headers"),
    b("skip-log-headers"),
    s("stderrthreshold"),
    flag("v", Some('v'), FlagType::Int32),
    s("vmodule"),
];

const PRINT: &[FlagSpec] =
    &[ss("output", 'o'), s("template"), b("allow-missing-template-keys"), b("show-managed-fields")];
const FILENAME: &[FlagSpec] = &[
    flag("filename", Some('f'), FlagType::StringSlice),
    ss("kustomize", 'k'),
    bs("recursive", 'R'),
];
const DRY_RUN: &[FlagSpec] = &[no_opt(s("dry-run"), "unchanged")];
const RECORD: &[FlagSpec] = &[deprecated(b("record"), "--record will be removed in the future")];
const FIELD_MANAGER: &[FlagSpec] = &[s("field-manager")];
const SELECTOR: &[FlagSpec] = &[ss("selector", 'l')];
const CREATE_COMMON: &[FlagSpec] = &[b("save-config"), b("validate")];

const GET: &[FlagSpec] = &[
    s("raw"),
    bs("watch", 'w'),
    b("watch-only"),
    b("output-watch-events"),
    b("ignore-not-found"),
    s("field-selector"),
    bs("all-namespaces", 'A'),
    flag("label-columns", Some('L'), FlagType::StringSlice),
    b("show-kind"),
    b("show-labels"),
    s("sort-by"),
    b("no-headers"),
    b("server-print"),
    int("chunk-size"),
];
const DESCRIBE: &[FlagSpec] = &[bs("all-namespaces", 'A'), b("show-events"), int("chunk-size")];
const CREATE: &[FlagSpec] = &[b("edit"), s("raw"), b("windows-line-endings")];
const CREATE_DEPLOYMENT: &[FlagSpec] =
    &[slice("image"), int32("port"), flag("replicas", Some('r'), FlagType::Int32)];
const CREATE_NAMESPACE: &[FlagSpec] = &[];
/// `pkg/cmd/create/create_quota.go` `NewCmdCreateQuota`.
const CREATE_QUOTA: &[FlagSpec] = &[s("hard"), s("scopes"), b("save-config")];
/// `pkg/cmd/create/create_pdb.go` `NewCmdCreatePodDisruptionBudget`.
const CREATE_PDB: &[FlagSpec] = &[s("min-available"), s("max-unavailable"), s("selector")];
/// `pkg/cmd/create/create_job.go` `NewCmdCreateJob` (v1.22).
const CREATE_JOB: &[FlagSpec] = &[s("image"), s("from")];
/// `pkg/cmd/create/create_cronjob.go` `NewCmdCreateCronJob` (v1.22).
const CREATE_CRONJOB: &[FlagSpec] = &[s("image"), s("schedule"), s("restart")];
const EXPOSE: &[FlagSpec] = &[
    s("generator"),
    s("protocol"),
    s("port"),
    s("type"),
    s("load-balancer-ip"),
    s("selector"),
    ss("labels", 'l'),
    deprecated(
        s("container-port"),
        "--container-port will be removed in the future, please use --target-port instead",
    ),
    s("target-port"),
    s("external-ip"),
    s("overrides"),
    s("name"),
    s("session-affinity"),
    s("cluster-ip"),
];
const SCALE: &[FlagSpec] =
    &[b("all"), s("resource-version"), int("current-replicas"), int("replicas"), dur("timeout")];
const AUTOSCALE: &[FlagSpec] =
    &[s("generator"), int32("min"), int32("max"), int32("cpu-percent"), s("name")];
const DELETE: &[FlagSpec] = &[
    b("all"),
    bs("all-namespaces", 'A'),
    no_opt(s("cascade"), "background"),
    s("field-selector"),
    b("force"),
    int("grace-period"),
    b("ignore-not-found"),
    b("now"),
    dur("timeout"),
    b("wait"),
    ss("output", 'o'),
    s("raw"),
];
const APPLY: &[FlagSpec] = &[
    b("overwrite"),
    b("prune"),
    b("all"),
    array("prune-whitelist"),
    b("openapi-patch"),
    no_opt(s("cascade"), "background"),
    b("force"),
    int("grace-period"),
    dur("timeout"),
    b("wait"),
    b("server-side"),
    b("force-conflicts"),
];
const EDIT: &[FlagSpec] =
    &[b("output-patch"), b("windows-line-endings"), b("save-config"), b("validate")];
const SET_IMAGE: &[FlagSpec] = &[b("all"), b("local")];
/// `pkg/cmd/create/create_token.go` `NewCmdCreateToken` (v1.24+).
const CREATE_TOKEN: &[FlagSpec] = &[
    slice("audience"),
    s("bound-object-kind"),
    s("bound-object-name"),
    s("bound-object-uid"),
    dur("duration"),
];
/// `pkg/cmd/set/set_env.go` `NewCmdEnv`.
const SET_ENV: &[FlagSpec] = &[
    b("all"),
    b("local"),
    ss("containers", 'c'),
    flag("env", Some('e'), FlagType::StringArray),
    s("from"),
    slice("keys"),
    b("list"),
    b("overwrite"),
    s("prefix"),
    b("resolve"),
];
/// `pkg/cmd/set/set_subject.go` `NewCmdSubject`.
const SET_SUBJECT: &[FlagSpec] =
    &[b("all"), b("local"), array("user"), array("group"), array("serviceaccount")];
/// `pkg/cmd/set/set_serviceaccount.go` `NewCmdServiceAccount`.
const SET_SERVICEACCOUNT: &[FlagSpec] = &[b("all"), b("local")];
/// `pkg/cmd/set/set_resources.go` `NewCmdResources`.
const SET_RESOURCES: &[FlagSpec] =
    &[b("all"), b("local"), ss("containers", 'c'), s("limits"), s("requests")];
const LOGS: &[FlagSpec] = &[
    b("all-containers"),
    ss("container", 'c'),
    bs("follow", 'f'),
    b("ignore-errors"),
    b("insecure-skip-tls-verify-backend"),
    int("limit-bytes"),
    int("max-log-requests"),
    dur("pod-running-timeout"),
    b("prefix"),
    bs("previous", 'p'),
    dur("since"),
    s("since-time"),
    int("tail"),
    b("timestamps"),
];
const ROLLOUT_STATUS: &[FlagSpec] = &[bs("watch", 'w'), int("revision"), dur("timeout")];
const ROLLOUT_HISTORY: &[FlagSpec] = &[int("revision")];
const ROLLOUT_UNDO: &[FlagSpec] = &[int("to-revision")];
/// `pkg/cmd/drain/drain.go` `NewCmdCordon` / `NewCmdUncordon`.
const CORDON: &[FlagSpec] = &[ss("selector", 'l')];
/// `pkg/cmd/drain/drain.go` `NewCmdDrain` (v1.22).
const DRAIN: &[FlagSpec] = &[
    b("force"),
    b("ignore-daemonsets"),
    deprecated(
        b("delete-local-data"),
        "This option is deprecated and will be deleted. Use --delete-emptydir-data.",
    ),
    b("delete-emptydir-data"),
    int("grace-period"),
    dur("timeout"),
    ss("selector", 'l'),
    s("pod-selector"),
    b("disable-eviction"),
    int("skip-wait-for-delete-timeout"),
    int("chunk-size"),
    b("ignore-errors"),
];
/// `pkg/cmd/taint/taint.go` `NewCmdTaint`.
const TAINT: &[FlagSpec] = &[b("all"), ss("selector", 'l'), b("overwrite"), b("validate")];

/// `pkg/cmd/label/label.go` `NewCmdLabel`.
const LABEL: &[FlagSpec] = &[
    b("overwrite"),
    b("list"),
    b("local"),
    b("all"),
    ss("selector", 'l'),
    s("field-selector"),
    s("resource-version"),
];
/// `pkg/cmd/annotate/annotate.go` `NewCmdAnnotate`.
const ANNOTATE: &[FlagSpec] = &[
    b("overwrite"),
    b("local"),
    b("all"),
    ss("selector", 'l'),
    s("field-selector"),
    s("resource-version"),
];
/// `pkg/cmd/version/version.go` `NewCmdVersion`.
const VERSION: &[FlagSpec] = &[b("client"), b("short"), ss("output", 'o')];
/// `pkg/cmd/kustomize/kustomize.go`: of kustomize's `build` flags, the
/// one kubeplay reads; the others (helm, plugins, containers, `-o DIR`)
/// are refused by name as every undeclared flag is.
const KUSTOMIZE: &[FlagSpec] = &[s("load-restrictor")];
/// `pkg/cmd/apiresources/apiresources.go` `NewCmdAPIResources`.
const API_RESOURCES: &[FlagSpec] = &[
    b("no-headers"),
    ss("output", 'o'),
    s("api-group"),
    b("namespaced"),
    slice("verbs"),
    s("sort-by"),
    b("cached"),
    // v1.26+; older releases reject it (see `verbs::info::api_resources`).
    slice("categories"),
];

/// `pkg/cmd/events/events.go` `NewCmdEvents`.
const EVENTS: &[FlagSpec] = &[
    bs("watch", 'w'),
    bs("all-namespaces", 'A'),
    s("for"),
    slice("types"),
    b("no-headers"),
    int("chunk-size"),
];
/// `pkg/cmd/explain/explain.go` `NewCmdExplain`.
const EXPLAIN: &[FlagSpec] = &[
    b("recursive"),
    s("api-version"),
    // v1.27+; older releases reject it (see `verbs::explain::run`).
    ss("output", 'o'),
];

/// `pkg/cmd/create/create_configmap.go` `NewCmdCreateConfigMap`.
const CREATE_CONFIGMAP: &[FlagSpec] =
    &[slice("from-file"), array("from-literal"), slice("from-env-file"), b("append-hash")];
/// `pkg/cmd/create/create_secret.go` `NewCmdCreateSecretGeneric`.
const CREATE_SECRET_GENERIC: &[FlagSpec] = &[
    slice("from-file"),
    array("from-literal"),
    slice("from-env-file"),
    s("type"),
    b("append-hash"),
];
/// `pkg/cmd/create/create_secret_tls.go` `NewCmdCreateSecretTLS`.
const CREATE_SECRET_TLS: &[FlagSpec] = &[s("cert"), s("key"), b("append-hash")];
/// `pkg/cmd/create/create_secret_docker.go` `NewCmdCreateSecretDockerRegistry`.
const CREATE_SECRET_DOCKER: &[FlagSpec] = &[
    s("docker-username"),
    s("docker-password"),
    s("docker-email"),
    s("docker-server"),
    slice("from-file"),
    b("append-hash"),
];
/// `pkg/cmd/create/create_ingress.go` `NewCmdCreateIngress` (v1.20+).
const CREATE_INGRESS: &[FlagSpec] =
    &[s("class"), array("rule"), s("default-backend"), array("annotation")];
/// `pkg/cmd/create/create_priorityclass.go` `NewCmdCreatePriorityClass`.
const CREATE_PRIORITYCLASS: &[FlagSpec] =
    &[int("value"), b("global-default"), s("description"), s("preemption-policy")];
/// `pkg/cmd/create/create_service.go`: every service type takes `--tcp`.
const CREATE_SERVICE: &[FlagSpec] = &[slice("tcp")];
const CREATE_SERVICE_CLUSTERIP: &[FlagSpec] = &[s("clusterip")];
const CREATE_SERVICE_NODEPORT: &[FlagSpec] = &[int("node-port")];
const CREATE_SERVICE_EXTERNALNAME: &[FlagSpec] = &[s("external-name")];

/// `pkg/cmd/create/create_role.go` `NewCmdCreateRole`.
const CREATE_ROLE: &[FlagSpec] = &[slice("verb"), slice("resource"), array("resource-name")];
/// `pkg/cmd/create/create_clusterrole.go` `NewCmdCreateClusterRole`
/// (`--aggregation-rule` is a `mapStringString`: `k=v[,k=v]`).
const CREATE_CLUSTERROLE: &[FlagSpec] =
    &[slice("non-resource-url"), flag("aggregation-rule", None, FlagType::StringToString)];
/// `pkg/cmd/create/create_rolebinding.go` `NewCmdCreateRoleBinding`.
const CREATE_ROLEBINDING: &[FlagSpec] =
    &[s("clusterrole"), s("role"), array("user"), array("group"), array("serviceaccount")];
/// `pkg/cmd/create/create_clusterrolebinding.go` `NewCmdCreateClusterRoleBinding`.
const CREATE_CLUSTERROLEBINDING: &[FlagSpec] =
    &[s("clusterrole"), array("user"), array("group"), array("serviceaccount")];
/// `pkg/cmd/auth/cani.go` `NewCmdCanI`.
const AUTH_CAN_I: &[FlagSpec] =
    &[bs("all-namespaces", 'A'), bs("quiet", 'q'), b("list"), b("no-headers"), s("subresource")];

/// `pkg/cmd/run/run.go` `NewCmdRun` (v1.22).
const RUN: &[FlagSpec] = &[
    s("image"),
    s("image-pull-policy"),
    array("env"),
    s("port"),
    s("labels"),
    s("restart"),
    // v1.17 and before (see `args::RUN_GENERATOR_FLAGS`): `-r` is
    // `--replicas` (`pkg/kubectl/cmd/run/run.go` v1.13.0).
    s("generator"),
    flag("replicas", Some('r'), FlagType::Int),
    s("schedule"),
    s("service-generator"),
    s("service-overrides"),
    b("command"),
    bs("stdin", 'i'),
    bs("tty", 't'),
    b("attach"),
    b("rm"),
    b("leave-stdin-open"),
    b("quiet"),
    b("expose"),
    s("overrides"),
    s("serviceaccount"),
    s("hostport"),
    array("annotations"),
    b("privileged"),
    dur("pod-running-timeout"),
    no_opt(s("cascade"), "background"),
    b("force"),
    int("grace-period"),
    dur("timeout"),
    b("wait"),
];
/// `pkg/cmd/exec/exec.go` `NewCmdExec` (v1.22).
const EXEC: &[FlagSpec] = &[
    dur("pod-running-timeout"),
    flag("filename", Some('f'), FlagType::StringSlice),
    ss("container", 'c'),
    bs("stdin", 'i'),
    bs("tty", 't'),
    bs("quiet", 'q'),
];
/// `pkg/cmd/cp/cp.go` `NewCmdCp`: `--no-preserve` and `--retries` are not
/// read (unsupported when given).
const CP: &[FlagSpec] = &[ss("container", 'c'), b("no-preserve"), int("retries")];
/// `pkg/cmd/patch/patch.go` `NewCmdPatch` (v1.22).
const PATCH: &[FlagSpec] = &[ss("patch", 'p'), s("patch-file"), s("type"), b("local")];
/// `pkg/cmd/replace/replace.go` `NewCmdReplace` (v1.22): `DeleteFlags` from
/// `NewDeleteFlags` (besides `-f`), `--raw`, `AddValidateFlags`,
/// `AddApplyAnnotationFlags`.
const REPLACE: &[FlagSpec] = &[
    no_opt(s("cascade"), "background"),
    b("force"),
    int("grace-period"),
    dur("timeout"),
    b("wait"),
    s("raw"),
];
/// `pkg/cmd/attach/attach.go` `NewCmdAttach` (v1.22).
const ATTACH: &[FlagSpec] = &[
    dur("pod-running-timeout"),
    ss("container", 'c'),
    bs("stdin", 'i'),
    bs("tty", 't'),
    bs("quiet", 'q'),
];
/// `pkg/cmd/wait/wait.go` `NewCmdWait` (v1.22).
const WAIT: &[FlagSpec] = &[
    b("all"),
    bs("all-namespaces", 'A'),
    ss("selector", 'l'),
    s("field-selector"),
    dur("timeout"),
    s("for"),
    b("local"),
];

/// `pkg/cmd/portforward/portforward.go` `NewCmdPortForward` (v1.22).
/// `pkg/cmd/config/get_contexts.go` `NewCmdConfigGetContexts`.
const CONFIG_GET_CONTEXTS: &[FlagSpec] = &[b("no-headers"), ss("output", 'o')];
/// `pkg/cmd/config/create_context.go` `NewCmdConfigSetContext` (`--current`
/// from v1.12, [`crate::version::Fact::ConfigSetContextCurrent`]); its
/// `--namespace` shadows the global one.
const CONFIG_SET_CONTEXT: &[FlagSpec] = &[s("cluster"), b("current"), s("namespace"), s("user")];
/// `pkg/cmd/config/view.go` `NewCmdConfigView` (with the print flags).
const CONFIG_VIEW: &[FlagSpec] = &[b("flatten"), b("merge"), b("minify"), b("raw")];
const PORT_FORWARD: &[FlagSpec] = &[slice("address"), dur("pod-running-timeout")];

/// `pkg/cmd/proxy/proxy.go` `NewCmdProxy` (v1.12 and v1.22 have these
/// but `--append-server-path`, which v1.27–v1.33 list; none of the flags
/// kubeplay does not read is accepted silently).
const PROXY: &[FlagSpec] = &[
    flag("www", Some('w'), FlagType::String),
    flag("www-prefix", Some('P'), FlagType::String),
    s("api-prefix"),
    s("accept-paths"),
    s("reject-paths"),
    s("accept-hosts"),
    s("reject-methods"),
    flag("port", Some('p'), FlagType::Int),
    s("address"),
    b("disable-filter"),
    flag("unix-socket", Some('u'), FlagType::String),
    dur("keepalive"),
    b("append-server-path"),
];

/// `pkg/cmd/top/top_node.go` `NewCmdTopNode` (v1.22).
const TOP_NODE: &[FlagSpec] = &[
    ss("selector", 'l'),
    s("sort-by"),
    b("no-headers"),
    b("use-protocol-buffers"),
    b("show-capacity"),
];
/// `pkg/cmd/top/top_pod.go` `NewCmdTopPod` (v1.22).
const TOP_POD: &[FlagSpec] = &[
    ss("selector", 'l'),
    s("field-selector"),
    s("sort-by"),
    bs("all-namespaces", 'A'),
    b("containers"),
    b("no-headers"),
    b("use-protocol-buffers"),
];

/// How far kubeplay emulates a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Emulated.
    Yes,
    /// Known to kubectl but not emulated: a clear error, not "unknown command".
    No,
    /// A command group whose `Run` only checks that no argument is left
    /// (`cmdutil.DefaultSubCommandRun`).
    Group,
}

/// One command of the tree.
#[derive(Debug)]
pub struct CommandSpec {
    /// Name (`rollout`, `status`).
    pub name: &'static str,
    /// Aliases (`deploy` for `create deployment`).
    pub aliases: &'static [&'static str],
    /// Flag groups of this command (the root's are the global flags).
    pub flags: &'static [&'static [FlagSpec]],
    /// Flags cobra requires (`MarkFlagRequired`).
    pub required: &'static [&'static str],
    /// Subcommands in registration order.
    pub subcommands: &'static [CommandSpec],
    /// Emulation status.
    pub support: Support,
}

const fn cmd(name: &'static str, flags: &'static [&'static [FlagSpec]]) -> CommandSpec {
    CommandSpec {
        name,
        aliases: &[],
        flags,
        required: &[],
        subcommands: &[],
        support: Support::Yes,
    }
}
const fn todo(name: &'static str) -> CommandSpec {
    CommandSpec {
        name,
        aliases: &[],
        flags: &[],
        required: &[],
        subcommands: &[],
        support: Support::No,
    }
}
const fn group(name: &'static str, subcommands: &'static [CommandSpec]) -> CommandSpec {
    CommandSpec {
        name,
        aliases: &[],
        flags: &[],
        required: &[],
        subcommands,
        support: Support::Group,
    }
}

const ROLLOUT_OUTPUT: &[&[FlagSpec]] = &[FILENAME, PRINT, FIELD_MANAGER];

/// The root command, `kubectl`, in `NewKubectlCommand` registration order
/// (cobra suggests unknown commands in this order).
pub static ROOT: CommandSpec = CommandSpec {
    name: "kubectl",
    aliases: &[],
    flags: &[GLOBAL],
    required: &[],
    subcommands: &[
        CommandSpec {
            subcommands: &[
                CommandSpec {
                    aliases: &["deploy"],
                    required: &["image"],
                    ..cmd(
                        "deployment",
                        &[CREATE_DEPLOYMENT, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                    )
                },
                cmd("job", &[CREATE_JOB, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER]),
                CommandSpec {
                    aliases: &["cj"],
                    required: &["image", "schedule"],
                    ..cmd(
                        "cronjob",
                        &[CREATE_CRONJOB, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                    )
                },
                CommandSpec {
                    aliases: &["cm"],
                    ..cmd(
                        "configmap",
                        &[CREATE_CONFIGMAP, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                    )
                },
                group(
                    "secret",
                    &[
                        cmd(
                            "generic",
                            &[CREATE_SECRET_GENERIC, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                        ),
                        cmd(
                            "tls",
                            &[CREATE_SECRET_TLS, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                        ),
                        cmd(
                            "docker-registry",
                            &[CREATE_SECRET_DOCKER, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                        ),
                    ],
                ),
                CommandSpec {
                    aliases: &["svc"],
                    ..group(
                        "service",
                        &[
                            cmd(
                                "clusterip",
                                &[
                                    CREATE_SERVICE,
                                    CREATE_SERVICE_CLUSTERIP,
                                    PRINT,
                                    DRY_RUN,
                                    CREATE_COMMON,
                                    FIELD_MANAGER,
                                ],
                            ),
                            cmd(
                                "nodeport",
                                &[
                                    CREATE_SERVICE,
                                    CREATE_SERVICE_NODEPORT,
                                    PRINT,
                                    DRY_RUN,
                                    CREATE_COMMON,
                                    FIELD_MANAGER,
                                ],
                            ),
                            cmd(
                                "loadbalancer",
                                &[CREATE_SERVICE, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                            ),
                            CommandSpec {
                                required: &["external-name"],
                                ..cmd(
                                    "externalname",
                                    &[
                                        CREATE_SERVICE,
                                        CREATE_SERVICE_EXTERNALNAME,
                                        PRINT,
                                        DRY_RUN,
                                        CREATE_COMMON,
                                        FIELD_MANAGER,
                                    ],
                                )
                            },
                        ],
                    )
                },
                CommandSpec {
                    aliases: &["sa"],
                    ..cmd("serviceaccount", &[PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER])
                },
                cmd(
                    "clusterrole",
                    &[
                        CREATE_ROLE,
                        CREATE_CLUSTERROLE,
                        PRINT,
                        DRY_RUN,
                        CREATE_COMMON,
                        FIELD_MANAGER,
                    ],
                ),
                CommandSpec {
                    required: &["clusterrole"],
                    ..cmd(
                        "clusterrolebinding",
                        &[CREATE_CLUSTERROLEBINDING, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                    )
                },
                CommandSpec {
                    aliases: &["ing"],
                    ..cmd(
                        "ingress",
                        &[CREATE_INGRESS, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                    )
                },
                CommandSpec {
                    aliases: &["pc"],
                    ..cmd(
                        "priorityclass",
                        &[CREATE_PRIORITYCLASS, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                    )
                },
                cmd("role", &[CREATE_ROLE, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER]),
                cmd("token", &[CREATE_TOKEN, PRINT]),
                cmd(
                    "rolebinding",
                    &[CREATE_ROLEBINDING, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                ),
                CommandSpec {
                    aliases: &["resourcequota"],
                    ..cmd("quota", &[CREATE_QUOTA, PRINT, DRY_RUN, FIELD_MANAGER])
                },
                CommandSpec {
                    aliases: &["pdb"],
                    ..cmd(
                        "poddisruptionbudget",
                        &[CREATE_PDB, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                    )
                },
                CommandSpec {
                    aliases: &["ns"],
                    ..cmd(
                        "namespace",
                        &[CREATE_NAMESPACE, PRINT, DRY_RUN, CREATE_COMMON, FIELD_MANAGER],
                    )
                },
            ],
            ..cmd(
                "create",
                &[CREATE, FILENAME, PRINT, DRY_RUN, RECORD, SELECTOR, CREATE_COMMON, FIELD_MANAGER],
            )
        },
        cmd("expose", &[EXPOSE, FILENAME, PRINT, DRY_RUN, RECORD, CREATE_COMMON, FIELD_MANAGER]),
        // `MarkFlagRequired("image")` (`pkg/cmd/run/run.go`, every release
        // since v1.10, when cobra began enforcing it: kubernetes#53631).
        CommandSpec { required: &["image"], ..cmd("run", &[RUN, PRINT, DRY_RUN, FIELD_MANAGER]) },
        group(
            "set",
            &[
                cmd(
                    "image",
                    &[SET_IMAGE, FILENAME, PRINT, DRY_RUN, RECORD, SELECTOR, FIELD_MANAGER],
                ),
                cmd("env", &[SET_ENV, FILENAME, PRINT, DRY_RUN, SELECTOR, FIELD_MANAGER]),
                cmd(
                    "resources",
                    &[SET_RESOURCES, FILENAME, PRINT, DRY_RUN, RECORD, SELECTOR, FIELD_MANAGER],
                ),
                todo("selector"),
                CommandSpec {
                    aliases: &["sa"],
                    ..cmd(
                        "serviceaccount",
                        &[SET_SERVICEACCOUNT, FILENAME, PRINT, DRY_RUN, RECORD, FIELD_MANAGER],
                    )
                },
                cmd("subject", &[SET_SUBJECT, FILENAME, PRINT, DRY_RUN, SELECTOR, FIELD_MANAGER]),
            ],
        ),
        cmd("explain", &[EXPLAIN]),
        cmd("get", &[GET, PRINT, FILENAME, SELECTOR]),
        cmd("edit", &[EDIT, FILENAME, PRINT, RECORD, FIELD_MANAGER]),
        // `NewCmdDelete` adds `cmdutil.AddDryRunFlag` too.
        cmd("delete", &[DELETE, FILENAME, SELECTOR, DRY_RUN]),
        group(
            "rollout",
            &[
                cmd("history", &[ROLLOUT_HISTORY, FILENAME, PRINT]),
                cmd("pause", ROLLOUT_OUTPUT),
                cmd("restart", ROLLOUT_OUTPUT),
                cmd("resume", ROLLOUT_OUTPUT),
                cmd("status", &[ROLLOUT_STATUS, FILENAME]),
                cmd("undo", &[ROLLOUT_UNDO, FILENAME, PRINT, DRY_RUN]),
            ],
        ),
        CommandSpec {
            required: &["replicas"],
            ..cmd("scale", &[SCALE, FILENAME, PRINT, DRY_RUN, RECORD, SELECTOR])
        },
        CommandSpec {
            required: &["max"],
            ..cmd(
                "autoscale",
                &[AUTOSCALE, FILENAME, PRINT, DRY_RUN, RECORD, CREATE_COMMON, FIELD_MANAGER],
            )
        },
        todo("certificate"),
        CommandSpec { subcommands: &[todo("dump")], ..cmd("cluster-info", &[]) },
        group(
            "top",
            &[
                CommandSpec { aliases: &["nodes", "no"], ..cmd("node", &[TOP_NODE]) },
                CommandSpec { aliases: &["pods", "po"], ..cmd("pod", &[TOP_POD]) },
            ],
        ),
        cmd("cordon", &[CORDON, DRY_RUN]),
        cmd("uncordon", &[CORDON, DRY_RUN]),
        cmd("drain", &[DRAIN, DRY_RUN]),
        cmd("taint", &[TAINT, PRINT, DRY_RUN, FIELD_MANAGER]),
        cmd("describe", &[DESCRIBE, FILENAME, SELECTOR]),
        cmd("logs", &[LOGS, SELECTOR]),
        cmd("attach", &[ATTACH]),
        cmd("exec", &[EXEC]),
        cmd("port-forward", &[PORT_FORWARD]),
        cmd("proxy", &[PROXY]),
        cmd("cp", &[CP]),
        group("auth", &[cmd("can-i", &[AUTH_CAN_I]), todo("reconcile"), cmd("whoami", &[PRINT])]),
        todo("debug"),
        // `pkg/cmd/events/events.go` (top level from v1.26).
        cmd("events", &[EVENTS, PRINT]),
        todo("diff"),
        cmd(
            "apply",
            &[APPLY, FILENAME, PRINT, DRY_RUN, RECORD, SELECTOR, CREATE_COMMON, FIELD_MANAGER],
        ),
        cmd("patch", &[PATCH, RECORD, PRINT, DRY_RUN, FILENAME, FIELD_MANAGER]),
        cmd("replace", &[REPLACE, FILENAME, PRINT, RECORD, CREATE_COMMON, DRY_RUN, FIELD_MANAGER]),
        cmd("wait", &[WAIT, FILENAME, PRINT]),
        cmd("kustomize", &[KUSTOMIZE]),
        cmd("label", &[LABEL, FILENAME, PRINT, DRY_RUN, FIELD_MANAGER]),
        cmd("annotate", &[ANNOTATE, FILENAME, PRINT, DRY_RUN, RECORD, FIELD_MANAGER]),
        todo("completion"),
        group(
            "config",
            &[
                cmd("current-context", &[]),
                todo("delete-cluster"),
                todo("delete-context"),
                todo("delete-user"),
                cmd("get-clusters", &[]),
                cmd("get-contexts", &[CONFIG_GET_CONTEXTS]),
                cmd("get-users", &[]),
                todo("rename-context"),
                todo("set"),
                todo("set-cluster"),
                cmd("set-context", &[CONFIG_SET_CONTEXT]),
                todo("set-credentials"),
                todo("unset"),
                CommandSpec { aliases: &["use"], ..cmd("use-context", &[]) },
                cmd("view", &[CONFIG_VIEW, PRINT]),
            ],
        ),
        todo("plugin"),
        cmd("version", &[VERSION]),
        cmd("api-versions", &[]),
        cmd("api-resources", &[API_RESOURCES]),
        todo("options"),
        todo("help"),
    ],
    support: Support::Group,
};

impl CommandSpec {
    /// The subcommand called `name` (or one of its aliases).
    pub fn find(&self, name: &str) -> Option<&CommandSpec> {
        self.subcommands.iter().find(|c| c.name == name || c.aliases.contains(&name))
    }

    /// Every flag this command parses: its own and the root's persistent ones.
    pub fn all_flags(&self) -> impl Iterator<Item = &'static FlagSpec> + '_ {
        let own = self.flags.iter().flat_map(|g| g.iter());
        let global: &'static [FlagSpec] = if std::ptr::eq(self, &ROOT) { &[] } else { GLOBAL };
        own.chain(global.iter())
    }

    /// Looks a flag up by long name (`_` is normalised to `-`, as kubectl's
    /// `WordSepNormalizeFunc` does).
    pub fn flag(&self, name: &str) -> Option<&'static FlagSpec> {
        let name = name.replace('_', "-");
        self.all_flags().find(|f| f.name == name)
    }

    /// Looks a flag up by shorthand.
    pub fn short_flag(&self, short: char) -> Option<&'static FlagSpec> {
        self.all_flags().find(|f| f.short == Some(short))
    }
}
