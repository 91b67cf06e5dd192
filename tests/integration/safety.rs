//! Nothing lost, nothing injected, no panic: each case of issue 16 as the user met it, through the
//! binary. Output folders, writers, pipes, sizes, messages, scripts and exit codes.

use crate::proc::*;
use std::io::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A sweep of the tiny scenario, `days` long, into `out`, with `extra` flags.
fn sweep_args<'a>(seeds: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["sweep", "SCENARIO", "--seeds", seeds, "--days", "5"];
    args.extend(["--jobs", "1", "--no-charts", "--out", out]);
    args.extend(extra);
    args
}

/// Runs `args` with `SCENARIO` standing for the tiny scenario.
fn tiny(dir: &Path, args: &[&str]) -> std::process::Output {
    let tiny = arg(&scenario("tiny.toml"));
    let args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "SCENARIO" { tiny.as_str() } else { a })
        .collect();
    run_in(dir, &args)
}

#[test]
fn run_out_dot_forced_never_deletes_the_folders_other_files() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let here = tmp.path().join("a/b");
    std::fs::create_dir_all(&here).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(scenario("tiny.toml"), here.join("scenario.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(here.join("notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
    let outside = arg(&scenario("tiny.toml"));
    for (file, needle) in [
        ("scenario.toml", "would overwrite the input scenario.toml"),
        (outside.as_str(), "never empties such a folder"),
    ] {
        for force in [&[][..], &["--force"][..]] {
            let mut args = vec!["run", file, "--days", "3", "--no-charts", "--out", "."];
            args.extend(force);
            assert_refused(&run_in(&here, &args), 2, needle);
            assert_eq!(names(&here), ["notes.txt", "scenario.toml"]);
            assert_eq!(
                names(&tmp.path().join("a")),
                ["b"],
                "no lock or staging left"
            );
        }
    }
}

#[test]
fn a_results_folder_is_recognised_by_its_manifest_and_replaced_only_with_force() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = tmp.path().join("r");
    let r = arg(&run);
    let args = ["run", "SCENARIO", "--days", "3", "--no-charts", "--out", &r];
    assert!(tiny(tmp.path(), &args).status.success());
    let before = snapshot(&run);
    // Every other command refuses a run's folder without --force, and changes nothing in it.
    let design = tiny_design(tmp.path());
    let refusals = [
        tiny(tmp.path(), &sweep_args("1..3", &r, &[])),
        tiny(
            tmp.path(),
            &[
                "compare", "SCENARIO", "SCENARIO", "--seeds", "1..2", "--out", &r,
            ],
        ),
        run_in(tmp.path(), &["farm", &arg(&design), "--out", &r]),
        tiny(tmp.path(), &sweep_args("1..3", &r, &["--resume"])),
    ];
    for out in &refusals {
        assert_refused(out, 2, "already holds results");
    }
    assert_eq!(
        snapshot(&run),
        before,
        "a refused command changed the folder"
    );
    // With --force, a folder of phaseline's files is replaced; a file of the user's makes it foreign.
    assert!(
        tiny(tmp.path(), &sweep_args("1..3", &r, &["--force"]))
            .status
            .success()
    );
    assert!(run.join("aggregate.json").is_file() && !run.join("summary.json").exists());
    std::fs::write(run.join("notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
    let forced = tiny(
        tmp.path(),
        &args.iter().copied().chain(["--force"]).collect::<Vec<_>>(),
    );
    assert_refused(&forced, 2, "notes.txt");
    assert!(run.join("notes.txt").is_file() && run.join("aggregate.json").is_file());
    // Result-like files without a manifest are not recognised as phaseline's.
    let lookalike = tmp.path().join("l");
    std::fs::create_dir_all(&lookalike).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(lookalike.join("runs.csv"), "mine").unwrap_or_else(|e| panic!("{e}"));
    let out = tiny(
        tmp.path(),
        &sweep_args("1..3", &arg(&lookalike), &["--force"]),
    );
    assert_refused(&out, 2, "but no manifest.json");
    assert_eq!(names(&lookalike), ["runs.csv"]);
}

/// Runs shards 0/2 and 1/2 of seeds 1..4 into `s0` and `s1` under `dir`.
fn two_shards(dir: &Path) -> (String, String) {
    let (s0, s1) = (arg(&dir.join("s0")), arg(&dir.join("s1")));
    for (k, s) in [("0/2", &s0), ("1/2", &s1)] {
        let out = tiny(dir, &sweep_args("1..4", s, &["--shard", k]));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    (s0, s1)
}

#[test]
fn merge_never_writes_into_its_own_input_shards() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (s0, s1) = two_shards(tmp.path());
    let before = snapshot(&tmp.path().join("s0"));
    for out in [&s0, &format!("{s0}/inner")] {
        for force in [&[][..], &["--force"][..]] {
            let mut args = vec!["merge", s0.as_str(), s1.as_str(), "--out", out.as_str()];
            args.extend(force);
            assert_refused(&run_in(tmp.path(), &args), 2, "would overwrite the input");
        }
    }
    assert_eq!(snapshot(&tmp.path().join("s0")), before);
    // The Slurm layout, shards inside the merge's folder, is allowed.
    let parent = tmp.path().join("job");
    std::fs::create_dir_all(&parent).unwrap_or_else(|e| panic!("{e}"));
    for s in ["s0", "s1"] {
        std::fs::rename(tmp.path().join(s), parent.join(format!("shard-{s}")))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(parent.join("slurm-7_0.out"), "log").unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (arg(&parent.join("shard-s0")), arg(&parent.join("shard-s1")));
    ok_in(tmp.path(), &["merge", &a, &b, "--out", &arg(&parent)]);
    assert!(parent.join("runs.csv").is_file() && parent.join("slurm-7_0.out").is_file());
}

#[test]
fn merge_input_mistakes_exit_2_and_say_what_to_do() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (s0, s1) = two_shards(tmp.path());
    let m = arg(&tmp.path().join("m"));
    let twice = run_in(tmp.path(), &["merge", &s0, &s0, "--out", &m]);
    assert_refused(&twice, 2, "give each shard folder once");
    let missing = run_in(tmp.path(), &["merge", &s1, "--out", &m]);
    assert_refused(&missing, 2, "run them (`--shard K/2`)");
    let plain = tmp.path().join("plain");
    std::fs::create_dir_all(&plain).unwrap_or_else(|e| panic!("{e}"));
    let not_shard = run_in(tmp.path(), &["merge", &arg(&plain), "--out", &m]);
    assert_refused(&not_shard, 2, "not a shard folder");
    assert!(
        !tmp.path().join("m").exists(),
        "a refused merge left its folder"
    );
}

#[test]
fn resume_with_other_seeds_exits_2_and_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = arg(&tmp.path().join("s"));
    assert!(
        tiny(tmp.path(), &sweep_args("1..6", &out, &[]))
            .status
            .success()
    );
    let before = snapshot(&tmp.path().join("s"));
    let other = tiny(tmp.path(), &sweep_args("1..5", &out, &["--resume"]));
    assert_refused(&other, 2, "seeds differs: expected 1..5, found 1..6");
    assert!(stderr(&other).contains("start afresh in another --out"));
    assert_eq!(
        snapshot(&tmp.path().join("s")),
        before,
        "a refused resume changed the folder"
    );
}

#[test]
fn a_second_writer_is_refused_at_once_and_a_killed_writers_lock_is_recovered() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("s");
    let tiny_arg = arg(&scenario("tiny.toml"));
    let mut first = bin()
        .args([
            "sweep",
            &tiny_arg,
            "--seeds",
            "1..400",
            "--jobs",
            "1",
            "--no-charts",
        ])
        .args(["--out", &arg(&out)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let journal = out.join("seeds.journal");
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::read(&journal).map_or(0, |b| b.len()) == 0 {
        assert!(Instant::now() < deadline, "the first sweep wrote nothing");
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    let second = tiny(tmp.path(), &sweep_args("1..400", &arg(&out), &["--resume"]));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "not refused at once"
    );
    assert_refused(
        &second,
        2,
        "being written by another phaseline process (pid",
    );
    let run = tiny(
        tmp.path(),
        &[
            "run",
            "SCENARIO",
            "--days",
            "2",
            "--out",
            &arg(&out),
            "--force",
        ],
    );
    assert_refused(&run, 2, "being written by another phaseline process");
    first.kill().unwrap_or_else(|e| panic!("{e}")); // SIGKILL: the lock file stays behind
    let _ = first.wait();
    assert!(tmp.path().join(".s.lock").exists());
    let resumed = bin()
        .args([
            "sweep",
            &tiny_arg,
            "--seeds",
            "1..400",
            "--jobs",
            "2",
            "--no-charts",
        ])
        .args(["--out", &arg(&out), "--resume"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_eq!(names(tmp.path()), ["s"], "the lock file is removed");
}

#[test]
fn a_temporary_file_left_by_a_full_disk_is_removed_on_resume() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("s");
    let o = arg(&out);
    assert!(
        tiny(tmp.path(), &sweep_args("1..3", &o, &["--shard", "0/1"]))
            .status
            .success()
    );
    // What a sweep stopped by ENOSPC while writing bands.csv leaves.
    std::fs::write(out.join(".bands.csv.tmp-4242"), "half").unwrap_or_else(|e| panic!("{e}"));
    assert!(
        tiny(
            tmp.path(),
            &sweep_args("1..3", &o, &["--shard", "0/1", "--resume"])
        )
        .status
        .success()
    );
    assert!(
        !names(&out).iter().any(|n| n.contains(".tmp")),
        "{:?}",
        names(&out)
    );
}

/// Runs `args` with standard output a pipe whose reader has gone.
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = bin()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    drop(child.stdout.take()); // `| head -0`
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

/// Opens `/dev/full` for writing, or `None` where the system has none.
fn dev_full() -> Option<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()
}

#[test]
fn a_closed_or_full_output_is_handled_without_a_panic() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = arg(&tmp.path().join("r"));
    let tiny_arg = arg(&scenario("tiny.toml"));
    let sweep_out = arg(&tmp.path().join("s"));
    for args in [
        vec![
            "run",
            tiny_arg.as_str(),
            "--days",
            "3",
            "--no-charts",
            "--out",
            &out,
        ],
        vec!["schema"],
        vec![
            "sweep", &tiny_arg, "--seeds", "1..2", "--days", "3", "--out", &sweep_out,
        ],
        vec!["generate", "--settlements", "50", "--units", "100"],
    ] {
        let closed = with_closed_stdout(&args);
        assert_no_panic(&closed);
        assert_eq!(
            closed.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&closed)
        );
    }
    let Some(full) = dev_full() else { return };
    let to_full = bin()
        .args(["schema"])
        .stdout(full)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_refused(&to_full, 1, "cannot write to standard output");
    let Some(full) = dev_full() else { return };
    let run_to_full = bin()
        .args([
            "run",
            &tiny_arg,
            "--days",
            "3",
            "--no-charts",
            "--force",
            "--out",
            &out,
        ])
        .stdout(full)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_refused(&run_to_full, 1, "No space left on device");
    assert!(
        tmp.path().join("r/summary.json").is_file(),
        "the results are written first"
    );
    let Some(full) = dev_full() else { return };
    let bad = bin()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "tests/bad_inputs/negative_strength.toml"])
        .stderr(full)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn counts_from_the_command_line_are_checked_before_allocation() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let huge = tiny(tmp.path(), &sweep_args("1..1000000000000", "s", &[]));
    assert_refused(&huge, 2, "more than the 10000000 one sweep may run");
    let jobs = tiny(
        tmp.path(),
        &["sweep", "SCENARIO", "--seeds", "1..2", "--jobs", "1000000"],
    );
    assert_refused(&jobs, 2, "more than the 1024 allowed");
    let shards = run_in(
        tmp.path(),
        &[
            "slurm",
            "x.toml",
            "--seeds",
            "1..9",
            "--shards",
            "4000000000",
            "--out",
            "o",
        ],
    );
    assert_refused(&shards, 2, "4000000000");
    for (n, needle) in [
        ("18446744073709551615", "more than the 250000 settlements"),
        ("1000000000000", "more than the 250000 settlements"),
        ("1000000", "raise the limit with --max-settlements"),
        ("0", "at least 6 settlements"),
    ] {
        let out = run_in(
            tmp.path(),
            &["generate", "--settlements", n, "--units", "10"],
        );
        assert_refused(&out, 2, needle);
    }
    let units = run_in(
        tmp.path(),
        &["generate", "--settlements", "10", "--units", "0"],
    );
    assert_refused(&units, 2, "at least 2 units");
    let big = run_in(
        tmp.path(),
        &[
            "generate",
            "--settlements",
            "2000",
            "--units",
            "20000",
            "--max-file-bytes",
            "100000",
        ],
    );
    assert_refused(&big, 2, "over the 100000-byte file limit");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
}

#[test]
fn generate_says_what_it_wrote_and_writes_what_it_says() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = tmp.path().join("g.toml");
    let out = ok_in(
        tmp.path(),
        &[
            "generate",
            "--settlements",
            "6",
            "--units",
            "2",
            "--out",
            &arg(&file),
        ],
    );
    assert!(
        stderr(&out).contains("(6 settlements, 2 units)"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    assert_eq!(text.matches("[[settlement]]").count(), 6);
    assert_eq!(text.matches("[[unit]]").count(), 2);
    ok_in(tmp.path(), &["validate", &arg(&file)]);
}

#[test]
fn validate_reads_pipes_and_devices_within_the_limit() {
    let started = Instant::now();
    let zero = run_in(Path::new("/"), &["validate", "/dev/zero"]);
    assert_refused(&zero, 2, "over the 268435456-byte limit");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let mut child = bin()
        .args(["validate", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read(scenario("tiny.toml")).unwrap_or_default();
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(&text).unwrap_or_else(|e| panic!("{e}"));
    }
    let piped = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(
        stderr(&piped).contains("/dev/stdin: ok — \"tiny\""),
        "{}",
        stderr(&piped)
    );
}

#[test]
fn messages_are_bounded_located_and_inert() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, bytes: &[u8]| {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        arg(&path)
    };
    let long_line = format!(
        "{{\"scenario\": {{\"name\": \"x\", \"pad\": [{}0], }}}}",
        "0,".repeat(5_000_000)
    );
    let key = format!("[scenario]\n{} = 1\n", "k".repeat(4 << 20));
    let tiny_text = std::fs::read_to_string(scenario("tiny.toml")).unwrap_or_default();
    let escape = tiny_text.replace(
        "name = \"tiny\"",
        "name = \"\\u001b[2J\\u001b]0;pwned\\u0007\"",
    );
    for (file, needle) in [
        (write("long.json", long_line.as_bytes()), "error"),
        (
            write("key.toml", key.as_bytes()),
            "a key is longer than 65536 bytes",
        ),
        (
            write("bad.toml", b"[scenario]\nname = \"caf\xe9\"\n"),
            "bad.toml:2:12: error: the file is not UTF-8",
        ),
        (write("bom.json", b"\xef\xbb\xbf{}"), "byte-order mark"),
        (write("esc.toml", escape.as_bytes()), "\\u{1b}[2J"),
    ] {
        let out = run_in(tmp.path(), &["validate", &file]);
        assert_refused(&out, 2, needle);
        assert!(
            out.stderr.len() < 64 * 1024,
            "{file}: {} bytes on stderr",
            out.stderr.len()
        );
        assert!(
            !out.stderr.contains(&0x1b),
            "{file}: a raw escape code reached the terminal"
        );
    }
    // Free text (a settlement's name) reaches the run's summary shown escaped, never raw.
    let named = tiny_text.replace("name = \"Alpha\"", "name = \"Al\\u001b[31mpha\"");
    let file = write("named.toml", named.as_bytes());
    let out = arg(&tmp.path().join("r"));
    let run = ok_in(
        tmp.path(),
        &["run", &file, "--days", "40", "--no-charts", "--out", &out],
    );
    assert!(!run.stdout.contains(&0x1b) && !run.stderr.contains(&0x1b));
}

#[test]
fn slurm_refuses_a_file_name_that_would_inject_a_command() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let hostile = "tiny\n:>INJECTED\n.toml";
    let out = run_in(
        tmp.path(),
        &[
            "slurm", hostile, "--seeds", "1..10", "--shards", "2", "--out", "so",
        ],
    );
    assert_refused(&out, 2, "holds a control character");
    assert!(out.stdout.is_empty(), "a script was printed");
    let out = run_in(
        tmp.path(),
        &[
            "slurm",
            "ok.toml",
            "--seeds",
            "1..10",
            "--out",
            "a\nrm -rf ~",
        ],
    );
    assert_refused(&out, 2, "--out folder");
    // Shell syntax without control characters is quoted everywhere it appears.
    let quoted = ok_in(
        tmp.path(),
        &[
            "slurm",
            "$(touch pwned).toml",
            "--seeds",
            "1..10",
            "--out",
            "o",
        ],
    );
    let script = String::from_utf8_lossy(&quoted.stdout);
    let sh = std::process::Command::new("bash")
        .args(["-n", "-c", &script])
        .output();
    if let Ok(sh) = sh {
        assert!(
            sh.status.success(),
            "{}",
            String::from_utf8_lossy(&sh.stderr)
        );
    }
    for line in script.lines().filter(|l| l.contains("touch")) {
        assert!(line.contains("'$(touch pwned).toml'"), "unquoted: {line}");
    }
}

#[test]
fn the_slurm_scripts_layout_runs_and_merges_without_slurm() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("cluster");
    let (tiny_arg, dir_arg) = (arg(&scenario("tiny.toml")), arg(&dir));
    let bin_arg = env!("CARGO_BIN_EXE_phaseline");
    let printed = ok_in(
        tmp.path(),
        &[
            "slurm",
            &tiny_arg,
            "--seeds",
            "1..6",
            "--shards",
            "2",
            "--out",
            &dir_arg,
            "--phaseline",
            bin_arg,
        ],
    );
    let text = String::from_utf8_lossy(&printed.stdout).into_owned();
    let (script, submit) = text
        .split_once("\n# submit with:\n")
        .unwrap_or_else(|| panic!("{text}"));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for k in ["0", "1"] {
        // What Slurm does for array task K: run the script, its output in DIR/slurm-*.out.
        let log = std::fs::File::create(dir.join(format!("slurm-9_{k}.out")))
            .unwrap_or_else(|e| panic!("{e}"));
        let task = std::process::Command::new("bash")
            .args(["-c", script])
            .env("SLURM_ARRAY_TASK_ID", k)
            .env("SLURM_ARRAY_TASK_COUNT", "2")
            .stdout(log)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(task.status.success(), "{}", stderr(&task));
    }
    std::fs::write(dir.join(".shard-1.lock"), "1\n").unwrap_or_else(|e| panic!("{e}")); // a killed task's
    let wrap = submit
        .lines()
        .find_map(|l| l.split_once("--wrap=").map(|(_, w)| w.to_owned()))
        .unwrap_or_else(|| panic!("{submit}"));
    let merge = std::process::Command::new("bash")
        .args(["-c", &format!("eval {wrap}")])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(merge.status.success(), "{}", stderr(&merge));
    assert!(dir.join("runs.csv").is_file() && dir.join("slurm-9_0.out").is_file());
}
