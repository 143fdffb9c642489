//! Background jobs of the tutorial shell (`CMD &`, `kill %1`, `jobs`), as
//! an interactive bash reports them: `[1] 23574` when a job starts,
//! `[1]+  Terminated              CMD` once it ends.
//!
//! The formats are bash's (`jobs.c`: `pretty_print_job` prints
//! `[N]` and the current (`+`) / previous (`-`) marker, two spaces, the
//! status padded to 24 columns, then the command as bash reprints it).
//! Only what tutorials use is modelled: jobs started with `&`, listed with
//! `jobs`, stopped with `kill`; `fg`, `bg`, `wait` and `disown` are
//! reported as unsupported by the shell.

/// One background job.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Job {
    number: u32,
    pid: u32,
    /// The command as bash reprints it (without the `&`).
    text: String,
    running: bool,
    /// Whether its output is discarded (`&> /dev/null`).
    silent: bool,
}

/// The shell's job table and the notices bash prints before a prompt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jobs {
    /// Live jobs, oldest first (the last one is the current job, `+`).
    jobs: Vec<Job>,
    /// Notices printed at the end of the current command (`kill %1`).
    now: Vec<String>,
    /// Notices printed at the end of the next command: a job that ended as
    /// it started is reported at the prompt after the one it was typed at.
    next: Vec<String>,
}

/// How a `kill` names its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillTarget {
    /// `%N` (or `%%`, `%+`: the current job).
    Job(Option<u32>),
    /// A process id.
    Pid(u32),
}

impl Jobs {
    /// The number the next job gets: one more than the highest in the table
    /// (bash's `job_slots` search), 1 when the table is empty.
    pub fn next_number(&self) -> u32 {
        self.jobs.iter().map(|j| j.number).max().unwrap_or(0) + 1
    }

    /// Records a started job; `running` false when it already ended (its
    /// `Done` notice comes at the next prompt).
    pub fn start(&mut self, number: u32, pid: u32, text: String, running: bool, silent: bool) {
        self.jobs.push(Job { number, pid, text, running: true, silent });
        if !running {
            let notice = self.notice(number, "Done");
            self.next.push(notice);
            self.jobs.retain(|j| j.number != number);
        }
    }

    /// Whether job `number`'s output is discarded.
    pub fn is_silent(&self, number: u32) -> bool {
        self.jobs.iter().any(|j| j.number == number && j.silent)
    }

    /// The job a `kill` target names, as its number; `Err` is bash's message.
    pub fn find(&self, target: KillTarget, spec: &str) -> Result<u32, String> {
        let found = match target {
            KillTarget::Job(None) => self.jobs.last(),
            KillTarget::Job(Some(n)) => self.jobs.iter().find(|j| j.number == n),
            KillTarget::Pid(pid) => self.jobs.iter().find(|j| j.pid == pid),
        };
        match (found, target) {
            (Some(job), _) => Ok(job.number),
            (None, KillTarget::Pid(pid)) => Err(format!("bash: kill: ({pid}) - No such process\n")),
            (None, _) => Err(format!("bash: kill: {spec}: no such job\n")),
        }
    }

    /// Ends job `number` by a signal: its notice (`Terminated`, `Killed`)
    /// is printed when the current command ends.
    pub fn end(&mut self, number: u32, status: &str) {
        let notice = self.notice(number, status);
        self.now.push(notice);
        self.jobs.retain(|j| j.number != number);
    }

    /// `jobs`: every live job, `Running` with its `&`.
    pub fn list(&self) -> String {
        self.jobs
            .iter()
            .map(|j| format!("{}\n", self.line(j.number, "Running", &format!("{} &", j.text))))
            .collect()
    }

    /// Notices due at the end of the current command; the deferred ones
    /// move up to be due at the end of the next.
    pub fn take_notices(&mut self) -> String {
        let out: String = std::mem::take(&mut self.now).iter().map(|n| format!("{n}\n")).collect();
        self.now = std::mem::take(&mut self.next);
        out
    }

    fn notice(&self, number: u32, status: &str) -> String {
        let text = self.jobs.iter().find(|j| j.number == number).map(|j| j.text.clone());
        self.line(number, status, &text.unwrap_or_default())
    }

    /// `[N]+  Status                  text`.
    fn line(&self, number: u32, status: &str, text: &str) -> String {
        format!("[{number}]{}  {status:<24}{text}", self.marker(number))
    }

    /// `+` for the current (newest) job, `-` for the previous one.
    fn marker(&self, number: u32) -> char {
        let mut newest = self.jobs.iter().rev().map(|j| j.number);
        match (newest.next(), newest.next()) {
            (Some(n), _) if n == number => '+',
            (_, Some(n)) if n == number => '-',
            _ => ' ',
        }
    }
}

/// Reads a `kill` argument: `%1`, `%%`, `%+`, or a PID.
pub fn kill_target(arg: &str) -> Option<KillTarget> {
    match arg.strip_prefix('%') {
        Some("%" | "+" | "") => Some(KillTarget::Job(None)),
        Some(n) => n.parse().ok().map(|n| KillTarget::Job(Some(n))),
        None => arg.parse().ok().map(KillTarget::Pid),
    }
}

/// The notice word for a `kill` signal option (`-9` → `Killed`); `None`
/// for a signal not modelled.
pub fn signal_status(option: Option<&str>) -> Option<&'static str> {
    match option.map(|o| o.trim_start_matches('-').trim_start_matches("SIG")) {
        None | Some("15" | "TERM") => Some("Terminated"),
        Some("9" | "KILL") => Some("Killed"),
        Some("2" | "INT") => Some("Interrupt"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_job_notices() {
        let mut jobs = Jobs::default();
        assert_eq!(jobs.next_number(), 1);
        jobs.start(1, 23574, "kubectl port-forward svc/web 8080:80".into(), true, false);
        jobs.start(2, 23580, "kubectl apply -f a.yaml".into(), false, false);
        assert_eq!(jobs.take_notices(), "");
        assert_eq!(
            jobs.list(),
            "[1]+  Running                 kubectl port-forward svc/web 8080:80 &\n"
        );
        assert_eq!(jobs.find(kill_target("%1").unwrap(), "%1"), Ok(1));
        assert_eq!(
            jobs.find(kill_target("%3").unwrap(), "%3"),
            Err("bash: kill: %3: no such job\n".into())
        );
        jobs.end(1, "Terminated");
        assert_eq!(
            jobs.take_notices(),
            "[2]+  Done                    kubectl apply -f a.yaml\n\
             [1]+  Terminated              kubectl port-forward svc/web 8080:80\n"
        );
        assert_eq!(jobs.next_number(), 1);
    }
}
