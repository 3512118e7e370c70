//! The real binary in a real terminal (tmux), driven as a person would: keys in with
//! `send-keys`, the screen read back with `capture-pane`. Checks the workshop loop (open,
//! edit, see the answer change, save, reopen, quit), that the terminal is given back on every
//! exit path, and that work survives SIGTERM and SIGKILL.
//!
//! Needs tmux; `.ci/run` installs it. Without tmux the test says so and passes, except under
//! CI (`CI` set), where a missing tmux is a failure rather than a silent skip.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_llmcap");

/// A private tmux server, killed when the test ends however it ends.
struct Tmux {
    socket: String,
    /// The session being driven; each start gets a new one. Earlier sessions are left to
    /// the end: killing the last session stops the server, and a new one started on the
    /// same socket at that moment can find it half gone.
    session: std::cell::Cell<u32>,
}

impl Tmux {
    fn new(name: &str) -> Option<Tmux> {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is required for the end-to-end TUI test under CI"
            );
            eprintln!("tmux not found: skipping the end-to-end TUI test");
            return None;
        }
        Some(Tmux {
            socket: format!("llmcap-{name}-{}", std::process::id()),
            session: std::cell::Cell::new(0),
        })
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Starts llmcap on `file` in a 120x40 session named `s`. The shell around it prints
    /// its exit status on the normal screen afterwards and stays, so that screen and the
    /// terminal modes can be read (a pane whose processes have all ended may lose its last
    /// output: Linux discards unread pty data once the last writer closes).
    fn start(&self, file: &Path, state: &Path) {
        self.start_with(Path::new(BIN), file, state, "");
    }

    /// As `start`, with more environment (`NAME=value ...`). After llmcap the shell also
    /// prints whether the terminal is back in canonical (cooked) mode with echo:
    /// `tty:icanon echo`, or `tty:-icanon -echo` if raw mode was left on.
    fn start_with(&self, binary: &Path, file: &Path, state: &Path, env: &str) {
        self.start_in(Path::new("."), binary, &format!("'{}'", file.display()), state, env);
    }

    /// As `start_with`, in the folder `cwd`, with `file` given as the shell should see it
    /// (quoted by the caller as needed): for relative spellings of the path.
    fn start_in(&self, cwd: &Path, binary: &Path, file: &str, state: &Path, env: &str) {
        let cmd = format!("{}; exec sleep 600", command_line(binary, file, state, env));
        self.new_session(cwd, &cmd);
    }

    /// The next session, 120x40, running `cmd` in `cwd`.
    fn new_session(&self, cwd: &Path, cmd: &str) {
        self.session.set(self.session.get() + 1);
        let name = self.target();
        let cwd = cwd.display().to_string();
        self.run(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            &cwd,
            cmd,
        ]);
    }

    /// An interactive shell with job control (`bash --norc -i`) in a new session, with
    /// llmcap on `file` started from its prompt, so that Ctrl-Z, `kill -TSTP` and `fg` work
    /// as they do for a person.
    fn start_in_shell(&self, file: &Path, state: &Path) {
        self.new_session(Path::new("."), "env PS1='sh> ' bash --norc -i");
        self.wait_for("sh>");
        // Alone on its line: a shell drops the rest of a list whose command was stopped.
        self.type_text(&llmcap_line(
            Path::new(BIN),
            &format!("'{}'", file.display()),
            state,
            "",
        ));
        self.keys(&["Enter"]);
    }

    /// In a shell started by `start_in_shell`, once llmcap has ended: has the shell print
    /// its exit status and the terminal's mode, as `wait_exit` reads them.
    fn report_from_shell(&self) {
        self.type_text(REPORT);
        self.keys(&["Enter"]);
    }

    /// Works on session `n` (1 is the first started) from now on.
    fn switch(&self, n: u32) {
        self.session.set(n);
    }

    fn resize(&self, w: u16, h: u16) {
        let (w, h) = (w.to_string(), h.to_string());
        self.run(&["resize-window", "-t", &self.target(), "-x", &w, "-y", &h]);
    }

    fn target(&self) -> String {
        format!("s{}", self.session.get())
    }

    fn keys(&self, keys: &[&str]) {
        let t = self.target();
        let mut args = vec!["send-keys", "-t", &t];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Literal text, so digits and letters are not read as key names.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", &self.target(), "-l", text]);
    }

    /// The screen, with lines the terminal wrapped joined again (`-J`): what the shell prints
    /// after llmcap lands wherever the cursor was, and may wrap at any column.
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-J", "-t", &self.target()]).stdout).into_owned()
    }

    fn format(&self, f: &str) -> String {
        String::from_utf8_lossy(&self.run(&["display-message", "-p", "-t", &self.target(), f]).stdout)
            .trim()
            .to_string()
    }

    /// Waits until the screen shows `what`; fails with the screen after a generous timeout
    /// (a debug build on a loaded two-core machine is slow to start).
    #[track_caller]
    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for {what:?}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the screen shows every one of `all` at once. A frame reaches the terminal
    /// in several writes, so one string on screen does not mean the rest of the frame is.
    #[track_caller]
    fn wait_all(&self, all: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if all.iter().all(|w| s.contains(w)) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for all of {all:?}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for llmcap to end; returns its exit status as the shell saw it (128 + N for
    /// signal N).
    #[track_caller]
    fn wait_exit(&self) -> String {
        let (code, tty, s) = self.wait_end();
        assert_eq!(tty, "icanon echo", "raw mode left on after exit; the screen:\n{s}");
        code
    }

    /// Exit status, terminal mode (`icanon echo`, or `-icanon -echo`) and the screen, as the shell saw
    /// them after llmcap ended.
    #[track_caller]
    fn wait_end(&self) -> (String, String, String) {
        let s = self.wait_for("llmcap-exit:");
        let line = s
            .split("llmcap-exit:")
            .nth(1)
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("");
        let (code, tty) = line.split_once(" tty:").unwrap_or((line, ""));
        (code.trim().to_string(), tty.trim().to_string(), s.clone())
    }

    /// After exit: the terminal is back on the normal screen with mouse reporting off.
    fn assert_terminal_restored(&self) {
        assert_eq!(self.format("#{alternate_on}"), "0", "still on the alternate screen");
        assert_eq!(self.format("#{mouse_any_flag}"), "0", "mouse reporting left on");
    }

    /// llmcap's process id: the child of the pane's shell.
    fn pid(&self) -> String {
        let shell = self.format("#{pane_pid}");
        let out = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            !pid.is_empty() && !pid.contains('\n'),
            "llmcap's pid under {shell}: {pid:?}"
        );
        pid
    }
}

/// The shell command that runs llmcap on `file` and then prints its exit status and the
/// terminal's mode (`llmcap-exit:N tty:icanon echo`).
fn command_line(binary: &Path, file: &str, state: &Path, env: &str) -> String {
    format!("{}; {REPORT}", llmcap_line(binary, file, state, env))
}

fn llmcap_line(binary: &Path, file: &str, state: &Path, env: &str) -> String {
    format!(
        "env LLMCAP_STATE_DIR='{}' LLMCAP_AS_OF=2026-12-01 TERM=xterm-256color {env} '{}' {file}",
        state.display(),
        binary.display(),
    )
}

/// Prints the last exit status and the terminal's mode. (`llmcap-""exit`: typed at a prompt,
/// the command itself is on screen and must not read as its output.)
const REPORT: &str = "echo \"llmcap-\"\"exit:$? tty:$(stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?\\(icanon\\|echo\\)' | tr '\\n' ' ')\"";

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).output();
    }
}

#[track_caller]
fn wait_gone(t: &Tmux, what: &str) {
    let start = Instant::now();
    while t.screen().contains(what) {
        assert!(start.elapsed() < Duration::from_secs(30), "{what:?} stays on screen");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chatbot.ron");
    std::fs::copy("scenarios/support-chatbot.ron", &file).unwrap();
    let state = dir.path().join("state");
    (dir, file, state)
}

fn recovery_files(state: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(state.join("recovery"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[test]
fn open_edit_save_reopen_quit() {
    let Some(t) = Tmux::new("loop") else { return };
    let (_dir, file, state) = setup();
    t.start(&file, &state);
    t.wait_all(&[
        "★ foundry/managed-compute · mistral-nemo-12b",
        "› Requests       100,000 /day",
    ]);

    // Change requests/day: Enter edits the selected field; Ctrl-U clears it.
    t.keys(&["Enter", "C-u"]);
    t.type_text("5000000");
    t.keys(&["Enter"]);
    // (The panes already follow the typing; the committed value shows once Enter is read.)
    t.wait_all(&["5,000,000 /day", "★ self-hosted/cloud-gpu", "[+] modified"]);

    t.keys(&["C-s"]);
    t.wait_for("saved ");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("requests_per_day: 5000000"), "{text}");

    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), "0");
    t.assert_terminal_restored();

    // Reopen: the saved value and its answer are back.
    t.start(&file, &state);
    // The hint bar is the frame's last line: once it is there, the status line above it is.
    let s = t.wait_all(&["★ self-hosted/cloud-gpu", "5,000,000 /day", "? help"]);
    assert!(!s.contains("[+] modified"), "{s}");
    // The help overlay, then quit from a clean state without a question.
    t.keys(&["?"]);
    t.wait_for("Keys (any key closes)");
    // Escape and q sent in one write would read as Alt-q, as in any terminal program.
    t.keys(&["Escape"]);
    wait_gone(&t, "Keys (any key closes)");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), "0");
    t.assert_terminal_restored();
    assert!(
        recovery_files(&state).is_empty(),
        "a clean exit leaves no recovery file"
    );
}

/// Routing in a real terminal: the pattern picker turns a router on, `a` adds a leg whose
/// rows appear, undo takes it away and redo brings it back, and the save writes it.
#[test]
fn routing_legs_are_added_undone_and_saved() {
    let Some(t) = Tmux::new("legs") else { return };
    let (_dir, file, state) = setup();
    t.start(&file, &state);
    t.wait_all(&["› Requests       100,000 /day", "? help"]);
    // With routing off, the Routing row is the last one: End selects it.
    t.keys(&["End"]);
    t.wait_for("› Routing        Off");
    t.keys(&["Enter"]);
    t.wait_for("Cascade");
    t.keys(&["Down"]);
    t.keys(&["Enter"]);
    t.wait_for("› Routing        Router (2 legs)");
    t.keys(&["a"]);
    t.wait_all(&["┃Leg 3 · leg 3", "› Name           leg 3", "[+] modified"]);
    t.keys(&["u"]);
    t.wait_for("undone: Routing Router (3 legs)");
    wait_gone(&t, "┃Leg 3 · leg 3");
    t.keys(&["C-r"]);
    t.wait_for("redone: Routing Router (2 legs)");
    // The selection is on the Routing row: `d` needs a leg's row, and says so.
    t.keys(&["d"]);
    t.wait_for("select a leg's row");
    t.keys(&["C-s"]);
    t.wait_for("saved ");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("pattern: Router"), "{text}");
    assert!(text.contains("name: \"leg 3\""), "{text}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), "0");
    t.assert_terminal_restored();
}

#[test]
fn sigterm_and_sigkill_lose_no_work() {
    let Some(t) = Tmux::new("signals") else { return };
    let (_dir, file, state) = setup();
    let original = std::fs::read_to_string(&file).unwrap();

    // SIGTERM: the work goes to the recovery file and the terminal is restored.
    t.start(&file, &state);
    t.wait_for("★ foundry/managed-compute");
    t.keys(&["+", "+"]);
    t.wait_for("120,000 /day");
    let kill = Command::new("kill").args(["-TERM", &t.pid()]).status().unwrap();
    assert!(kill.success());
    assert_eq!(t.wait_exit(), "143", "SIGTERM: 128 + 15, with the work kept");
    t.assert_terminal_restored();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "the file itself is untouched"
    );
    assert_eq!(recovery_files(&state).len(), 1);

    // The next start offers it back.
    t.start(&file, &state);
    t.wait_for("Recover unsaved work");
    t.keys(&["r"]);
    t.wait_all(&["120,000 /day", "[+] modified"]);

    // SIGKILL gives no chance to clean up: the autosave (every 2 s) is what saves the work.
    t.keys(&["+"]);
    t.wait_for("130,000 /day");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let files = recovery_files(&state);
        let kept: Vec<String> = files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
        if kept.iter().any(|k| k.contains("requests_per_day: 130000")) {
            // The recovered file was taken over by this session's own.
            assert_eq!(files.len(), 1, "{files:?}");
            break;
        }
        assert!(Instant::now() < deadline, "no autosave of 130000: {kept:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let kill = Command::new("kill").args(["-KILL", &t.pid()]).status().unwrap();
    assert!(kill.success());
    // Nothing can restore a terminal after SIGKILL: raw mode stays on, as for any program.
    assert_eq!(t.wait_end().0, "137");

    t.start(&file, &state);
    t.wait_for("Recover unsaved work");
    t.keys(&["r"]);
    t.wait_for("130,000 /day");
    // Quit, discarding: asked first, then the recovery file goes too.
    t.keys(&["q"]);
    t.wait_for("There are unsaved changes");
    t.keys(&["d"]);
    assert_eq!(t.wait_exit(), "0");
    t.assert_terminal_restored();
    assert!(recovery_files(&state).is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn small_terminals_and_resizes() {
    let Some(t) = Tmux::new("sizes") else { return };
    let (_dir, file, state) = setup();
    t.start(&file, &state);
    t.wait_for("★ foundry/managed-compute");
    t.resize(80, 24);
    t.wait_for("[1 Scenario]");
    t.keys(&["Tab"]);
    t.wait_for("[2 Recommendation]");
    t.resize(30, 10);
    t.wait_for("Terminal too small");
    t.resize(1, 1);
    std::thread::sleep(Duration::from_millis(300));
    t.resize(200, 60);
    t.wait_for("▶ 2 Recommendation");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), "0", "no panic through the resizes");
    t.assert_terminal_restored();
}

#[test]
fn a_panic_inside_the_workbench_gives_the_terminal_back() {
    let Some(t) = Tmux::new("panic") else { return };
    // examples/panic_probe.rs: the workbench, panicking on Z. A plain `cargo test` (what CI
    // runs) builds examples beside the binaries; `cargo test --test tui_tmux` alone does not.
    let probe = Path::new(BIN).parent().unwrap().join("examples").join("panic_probe");
    if !probe.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} was not built by cargo test",
            probe.display()
        );
        eprintln!(
            "{} not built (cargo build --example panic_probe): skipping",
            probe.display()
        );
        return;
    }
    let (_dir, file, state) = setup();
    t.start_with(&probe, &file, &state, "RUST_BACKTRACE=0");
    t.wait_for("★ foundry/managed-compute");
    t.keys(&["Z"]);
    assert_eq!(t.wait_exit(), "101", "a panic exits with Rust's panic status");
    t.assert_terminal_restored();
    let s = t.screen();
    assert!(s.contains("panic_probe: Z pressed"), "the message is readable:\n{s}");
}

/// Waits until `cond` holds, failing with `what` after a generous timeout.
#[track_caller]
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn kill(sig: &str, pid: &str) {
    let ok = Command::new("kill").args([&format!("-{sig}"), pid]).status().unwrap();
    assert!(ok.success(), "kill -{sig} {pid}");
}

fn recovery_texts(state: &Path) -> Vec<String> {
    recovery_files(state)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

#[test]
fn quitting_signals_keep_the_work_and_give_the_terminal_back() {
    let Some(t) = Tmux::new("quitsig") else { return };
    let (_dir, file, state) = setup();
    for (sig, status) in [("INT", "130"), ("QUIT", "131"), ("TERM", "143"), ("HUP", "129")] {
        t.start(&file, &state);
        t.wait_for("★ foundry/managed-compute");
        t.keys(&["+"]);
        t.wait_all(&["110,000 /day", "[+] modified"]);
        kill(sig, &t.pid());
        assert_eq!(t.wait_exit(), status, "SIG{sig} exits 128 + its number");
        t.assert_terminal_restored();
        let kept = recovery_texts(&state);
        assert!(
            kept.len() == 1 && kept[0].contains("requests_per_day: 110000"),
            "SIG{sig}: the work is in the recovery file: {kept:?}"
        );
        std::fs::remove_dir_all(state.join("recovery")).unwrap();
    }
}

#[test]
fn usr1_usr2_and_alrm_are_ignored() {
    let Some(t) = Tmux::new("ignsig") else { return };
    let (_dir, file, state) = setup();
    t.start(&file, &state);
    t.wait_for("★ foundry/managed-compute");
    t.keys(&["+"]);
    t.wait_for("110,000 /day");
    let pid = t.pid();
    for sig in ["USR1", "USR2", "ALRM"] {
        kill(sig, &pid);
    }
    // Still running, still raw, still answering keys.
    t.keys(&["+"]);
    t.wait_for("120,000 /day");
    assert_eq!(t.pid(), pid);
    assert_eq!(t.format("#{alternate_on}"), "1");
    t.keys(&["q"]);
    t.wait_for("There are unsaved changes");
    t.keys(&["d"]);
    assert_eq!(t.wait_exit(), "0");
    t.assert_terminal_restored();
}

#[test]
fn ctrl_z_and_sigtstp_suspend_and_fg_resumes() {
    let Some(t) = Tmux::new("jobs") else { return };
    let (_dir, file, state) = setup();
    t.start_in_shell(&file, &state);
    t.wait_for("★ foundry/managed-compute");
    for stop in ["kill", "ctrl-z"] {
        if stop == "kill" {
            kill("TSTP", &t.pid());
        } else {
            t.keys(&["C-z"]);
        }
        // The shell's prompt on the normal screen, with mouse reporting off.
        t.wait_for("Stopped");
        assert_eq!(
            t.format("#{alternate_on}"),
            "0",
            "{stop}: still on the alternate screen"
        );
        assert_eq!(t.format("#{mouse_any_flag}"), "0", "{stop}: mouse reporting left on");
        t.keys(&["C-l"]);
        wait_gone(&t, "Stopped");
        t.type_text("fg");
        t.keys(&["Enter"]);
        // Redrawn whole, in raw mode: a key acts at once, without Enter, and is not echoed.
        t.wait_all(&["★ foundry/managed-compute", "? help"]);
        assert_eq!(t.format("#{alternate_on}"), "1");
        t.keys(&["+"]);
        let s = t.wait_for("[+] modified");
        assert!(!s.contains("fg"), "{stop}: the shell's text is gone:\n{s}");
        t.keys(&["-"]);
        wait_gone(&t, "[+] modified");
    }
    t.keys(&["q"]);
    t.wait_for("sh>");
    t.report_from_shell();
    assert_eq!(t.wait_exit(), "0");
    t.assert_terminal_restored();
}

#[test]
fn two_workbenches_on_one_file_lose_nothing() {
    let Some(t) = Tmux::new("two") else { return };
    let (_dir, file, state) = setup();
    t.start(&file, &state); // A: session 1
    t.wait_for("★ foundry/managed-compute");
    t.start(&file, &state); // B: session 2
    t.wait_for("★ foundry/managed-compute");
    // B: output tokens up; A: requests up.
    t.keys(&["Down", "Down"]);
    t.wait_for("› Output");
    t.keys(&["+", "+"]);
    t.wait_for("[+] modified");
    t.switch(1);
    t.keys(&["+"]);
    t.wait_for("110,000 /day");
    wait_until("both autosaves", || recovery_files(&state).len() == 2);
    let b_work: String = recovery_texts(&state)
        .into_iter()
        .find(|k| !k.contains("requests_per_day: 110000"))
        .unwrap();
    // A saves: only A's recovery file goes.
    t.keys(&["C-s"]);
    t.wait_for("saved ");
    wait_until("A's recovery file removed", || recovery_files(&state).len() == 1);
    std::thread::sleep(Duration::from_millis(2500)); // an autosave round: B's file stays
    assert_eq!(recovery_texts(&state), vec![b_work.clone()]);
    // B dies; a third start is offered B's work.
    t.switch(2);
    kill("KILL", &t.pid());
    t.wait_end();
    t.start(&file, &state); // C: session 3
    t.wait_for("Recover unsaved work");
    t.keys(&["r"]);
    t.wait_for("recovered unsaved work");
    let output = b_work
        .lines()
        .find(|l| l.trim_start().starts_with("output_tokens:"))
        .unwrap()
        .trim()
        .trim_start_matches("output_tokens:")
        .trim()
        .trim_end_matches(',')
        .to_string();
    let s = t.screen();
    assert!(s.contains(&output), "B's output tokens ({output}) are back:\n{s}");
    assert!(s.contains("100,000 /day"), "B's scenario, as B left it:\n{s}");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("requests_per_day: 110000"), "A's save is in the file");
    t.keys(&["q"]);
    t.wait_for("There are unsaved changes");
    t.keys(&["d"]);
    assert_eq!(t.wait_exit(), "0");
}

#[test]
fn recovery_is_found_under_every_spelling_of_the_path() {
    let Some(t) = Tmux::new("spell") else { return };
    let (dir, file, state) = setup();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(&file, dir.path().join("sub/link.ron")).unwrap();
    let bin = Path::new(BIN);
    t.start_in(dir.path(), bin, "./chatbot.ron", &state, "");
    t.wait_for("★ foundry/managed-compute");
    t.keys(&["+"]);
    wait_until("the autosave", || {
        recovery_texts(&state)
            .iter()
            .any(|k| k.contains("requests_per_day: 110000"))
    });
    kill("KILL", &t.pid());
    t.wait_end();
    let absolute = format!("'{}'", file.display());
    for spelling in ["chatbot.ron", absolute.as_str(), "sub/link.ron", "sub/../chatbot.ron"] {
        t.start_in(dir.path(), bin, spelling, &state, "");
        t.wait_for("Recover unsaved work");
        // Decide later: the file stays as it is for the next spelling.
        t.keys(&["n"]);
        t.wait_for("kept ");
        t.keys(&["q"]);
        assert_eq!(t.wait_exit(), "0", "{spelling}");
        assert_eq!(recovery_files(&state).len(), 1, "{spelling}");
    }
}

#[test]
fn a_recovery_file_that_is_a_fifo_or_dev_zero_is_reported_not_read() {
    let Some(t) = Tmux::new("oddrec") else { return };
    let (_dir, file, state) = setup();
    // Learn the recovery file's name from a real one, then put odd files in its place.
    t.start(&file, &state);
    t.wait_for("★ foundry/managed-compute");
    t.keys(&["+"]);
    t.wait_for("110,000 /day");
    kill("TERM", &t.pid());
    t.wait_exit();
    let real = recovery_files(&state).pop().unwrap();
    let name = real.file_name().unwrap().to_string_lossy().into_owned();
    let key = name.split('.').next().unwrap();
    std::fs::remove_file(&real).unwrap();
    let fifo = state.join(format!("recovery/{key}.fifo.recovery.ron"));
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    std::os::unix::fs::symlink("/dev/zero", state.join(format!("recovery/{key}.zero.recovery.ron"))).unwrap();
    let start = Instant::now();
    t.start(&file, &state);
    let s = t.wait_all(&["★ foundry/managed-compute", "recovery files cannot be read (kept)"]);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "slow to start: {:?}",
        start.elapsed()
    );
    assert!(!s.contains("Recover unsaved work"), "{s}");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), "0");
    t.assert_terminal_restored();
    assert!(fifo.exists(), "left as it is");
}

#[test]
fn a_signal_whose_recovery_write_fails_says_so_and_exits_1() {
    let Some(t) = Tmux::new("lostsig") else { return };
    let (dir, file, _) = setup();
    // The state folder is a file: no recovery folder can be made there.
    let state = dir.path().join("state-is-a-file");
    std::fs::write(&state, "").unwrap();
    t.start(&file, &state);
    t.wait_for("★ foundry/managed-compute");
    t.keys(&["+"]);
    t.wait_for("110,000 /day");
    kill("TERM", &t.pid());
    assert_eq!(t.wait_exit(), "1", "not a quiet 0 or 143: the work was not kept");
    t.assert_terminal_restored();
    let s = t.screen();
    assert!(
        s.contains("unsaved changes could not be written to ") && s.contains("state-is-a-file"),
        "the reason is readable on the normal screen:\n{s}"
    );
}
