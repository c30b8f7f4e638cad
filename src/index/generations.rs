//! Generations of one index folder, so `--rebuild` has no gap: each build lives in its
//! own subfolder (`gen-000002/`), `callsearch.json` names the current one and is
//! switched by an atomic rename at the new build's commit. Readers hold a shared lock
//! on their generation; a generation no longer current is removed once no reader holds
//! it. Writers hold `callsearch.lock`, so two runs never write one folder.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The writers' lock at the top of the index folder.
pub const WRITER_LOCK: &str = "callsearch.lock";
/// The readers' lock inside each generation.
pub const READERS_LOCK: &str = "callsearch-readers.lock";
const PREFIX: &str = "gen-";

/// The folder name of generation `n`.
pub fn name(n: u64) -> String {
    format!("{PREFIX}{n:06}")
}

/// Every generation folder under `dir`, by number.
pub fn all(dir: &Path) -> Vec<(u64, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(u64, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let n = name.strip_prefix(PREFIX)?.parse().ok()?;
            Some((n, name))
        })
        .collect();
    out.sort();
    out
}

/// The name for a new generation: one past the highest there is.
pub fn next(dir: &Path) -> String {
    name(all(dir).last().map_or(1, |(n, _)| n + 1))
}

/// Try an `flock` without waiting; `false` when another process holds a conflicting one.
fn try_lock(file: &File, exclusive: bool) -> bool {
    use std::os::fd::AsRawFd;
    let op = if exclusive {
        libc::LOCK_EX
    } else {
        libc::LOCK_SH
    };
    // SAFETY: flock on a file descriptor we own.
    unsafe { libc::flock(file.as_raw_fd(), op | libc::LOCK_NB) == 0 }
}

/// Hold the writers' lock for as long as the returned file lives; `None` when another
/// process holds it.
pub fn lock_writer(dir: &Path) -> std::io::Result<Option<File>> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(WRITER_LOCK))?;
    Ok(try_lock(&file, true).then_some(file))
}

/// True while a writer holds `dir`'s lock (a first build is running).
pub fn writer_running(dir: &Path) -> bool {
    File::open(dir.join(WRITER_LOCK)).is_ok_and(|f| !try_lock(&f, false))
}

/// The generation's readers' locks this process holds, one per folder: kept until the
/// process ends, so a rebuild never removes a generation a query is reading.
static HELD: Mutex<Option<HashMap<PathBuf, File>>> = Mutex::new(None);

/// Take a shared lock on a generation before reading it. `false` when the generation
/// is gone (a rebuild removed it between reading the pointer and locking).
pub fn hold_for_reading(generation: &Path) -> bool {
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    let held = held.get_or_insert_with(HashMap::new);
    if held.contains_key(generation) {
        return true;
    }
    match File::open(generation.join(READERS_LOCK)) {
        Ok(file) => {
            // A shared lock never conflicts with other readers; a remover holds the
            // exclusive lock only while deleting, after which meta.json is gone.
            let _ = try_lock(&file, false);
            held.insert(generation.to_path_buf(), file);
            generation.join("meta.json").exists()
        }
        // No lock file: made by an older callsearch, or being created; read it as it is.
        Err(_) => generation.exists(),
    }
}

/// Let go of a generation this process read before (a server that moved on to a newer
/// one), so the next index run can remove it.
pub fn release(generation: &Path) {
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(held) = held.as_mut() {
        held.remove(generation);
    }
}

/// Create a new generation folder with its readers' lock file.
pub fn create(dir: &Path, generation: &str) -> std::io::Result<PathBuf> {
    let path = dir.join(generation);
    if path.exists() {
        std::fs::remove_dir_all(&path)?;
    }
    std::fs::create_dir_all(&path)?;
    File::create(path.join(READERS_LOCK))?;
    Ok(path)
}

/// Remove every generation but `keep` that no reader holds. Errors are ignored: what
/// is left is removed by a later run.
pub fn remove_unused(dir: &Path, keep: Option<&str>) {
    for (_, name) in all(dir) {
        if Some(name.as_str()) == keep {
            continue;
        }
        let path = dir.join(&name);
        let free = match File::open(path.join(READERS_LOCK)) {
            Ok(lock) => try_lock(&lock, true),
            Err(_) => true,
        };
        if free {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Bytes of the files directly in `dir` (an index's files are not nested).
pub fn size_of(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    })
}

/// Bytes free for an unprivileged writer on the filesystem holding `dir`.
pub fn free_space(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs fills the zeroed struct; the path is NUL-terminated.
    unsafe {
        let mut s: libc::statvfs = std::mem::zeroed();
        (libc::statvfs(c.as_ptr(), &mut s) == 0).then(|| s.f_bavail as u64 * s.f_frsize as u64)
    }
}

/// Write `bytes` to `path` atomically: a temporary file, synced, renamed over it, and
/// the folder synced, so a crash leaves the old or the new content, never a mix.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, bytes)?;
    File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, path)?;
    if let Some(parent) = path.parent() {
        File::open(parent)?.sync_all()?;
    }
    Ok(())
}
