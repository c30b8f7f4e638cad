//! Phase timings of an index run, printed to stderr when `CALLSEARCH_TIMINGS` is set:
//! where a build's wall time and CPU go (BENCHMARKS.md's profile); otherwise nothing is
//! measured.

use std::sync::OnceLock;
use std::time::Instant;

/// The time since the last mark, and this process's CPU time (user + system).
pub struct Phases {
    on: bool,
    last: Instant,
    last_cpu: f64,
}

impl Phases {
    /// Start timing the first phase.
    pub fn start() -> Phases {
        let on = enabled();
        Phases {
            on,
            last: Instant::now(),
            last_cpu: if on { cpu_seconds() } else { 0.0 },
        }
    }

    /// Print the phase just ended: `phase survey: 1.23 s wall, 2.34 s cpu`.
    pub fn mark(&mut self, phase: &str) {
        if !self.on {
            return;
        }
        let (now, cpu) = (Instant::now(), cpu_seconds());
        eprintln!(
            "phase {phase}: {:.2} s wall, {:.2} s cpu",
            (now - self.last).as_secs_f64(),
            cpu - self.last_cpu
        );
        (self.last, self.last_cpu) = (now, cpu);
    }
}

/// `CALLSEARCH_TIMINGS` is set (read once).
fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CALLSEARCH_TIMINGS").is_some())
}

/// User and system CPU seconds of this process so far, all threads.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
