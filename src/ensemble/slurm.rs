//! Slurm job arrays: one array task per shard, then a merge that waits for all of them.
//!
//! Task K of an `--array=0-(N-1)` array runs `phaseline sweep … --shard K/N --resume` into
//! `DIR/shard-K` (`SLURM_ARRAY_TASK_ID` / `SLURM_ARRAY_TASK_COUNT` map straight onto `--shard`);
//! `--resume` makes a requeued or resubmitted task continue its journal. A second job,
//! `sbatch --dependency=afterok:$JOB`, runs `phaseline merge DIR/shard-* --out DIR`. A designed
//! sweep works the same way with `phaseline farm DESIGN … --shard K/N` and
//! `phaseline farm DESIGN --merge DIR/shard-* --out DIR`.
//!
//! Every name from the user is quoted for the shell wherever it appears, comments included, and a
//! name holding a control character (a newline would end a comment and start a command) is refused
//! with [`EnsembleError::Unscriptable`]: the script never runs what a file name says.

use super::{EnsembleError, SeedRange};

/// Which ensemble the array runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlurmJob {
    /// `phaseline sweep SCENARIO --seeds A..B`.
    Sweep {
        /// The scenario file, as the job sees it.
        scenario: String,
        /// The whole sweep's seeds.
        seeds: SeedRange,
    },
    /// `phaseline farm DESIGN`: every (point, seed) of a design file.
    Farm {
        /// The design file, as the job sees it.
        design: String,
    },
}

/// What the generated Slurm script runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlurmOptions {
    /// How the job calls the binary (`phaseline`, or an absolute path).
    pub phaseline: String,
    /// The sweep or farm.
    pub job: SlurmJob,
    /// Number of shards N (array tasks); at least 1.
    pub shards: u32,
    /// The sweep folder: shards go to `DIR/shard-K`, the merged results to `DIR`.
    pub out_dir: String,
    /// The job name (characters other than letters, digits, `.`, `_`, `-` become `-`).
    pub job_name: String,
    /// CPUs per array task, passed to `--jobs` through `SLURM_CPUS_PER_TASK` (1 when `None`).
    pub cpus_per_task: Option<u32>,
    /// `--time` for each array task, e.g. `02:00:00`.
    pub time_limit: Option<String>,
    /// `--partition`.
    pub partition: Option<String>,
    /// Further `phaseline sweep` (or `farm`) arguments (e.g. scenario overrides), each one word.
    pub extra_args: Vec<String>,
}

impl SlurmOptions {
    /// Options for `shards` array tasks over `seeds`, the rest left to Slurm's defaults.
    pub fn new(scenario: &str, seeds: SeedRange, shards: u32, out_dir: &str) -> Self {
        let job = SlurmJob::Sweep {
            scenario: scenario.to_owned(),
            seeds,
        };
        Self::with_job(job, shards, out_dir)
    }

    /// Options for `shards` array tasks over the runs of the design file `design`.
    pub fn farm(design: &str, shards: u32, out_dir: &str) -> Self {
        let job = SlurmJob::Farm {
            design: design.to_owned(),
        };
        Self {
            job_name: "phaseline-farm".to_owned(),
            ..Self::with_job(job, shards, out_dir)
        }
    }

    fn with_job(job: SlurmJob, shards: u32, out_dir: &str) -> Self {
        Self {
            phaseline: "phaseline".to_owned(),
            job,
            shards: shards.max(1),
            out_dir: out_dir.to_owned(),
            job_name: "phaseline-sweep".to_owned(),
            cpus_per_task: None,
            time_limit: None,
            partition: None,
            extra_args: Vec::new(),
        }
    }

    /// The job name with only letters, digits, `.`, `_`, `-`.
    fn safe_job_name(&self) -> String {
        let name: String = self
            .job_name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if name.is_empty() {
            "phaseline-sweep".to_owned()
        } else {
            name
        }
    }
}

/// Quotes `word` for a POSIX shell (single quotes; kept bare when only safe characters).
fn quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._-/=:@%+,".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Refuses a name holding a control character, which no quoting keeps inside a comment line.
fn scriptable(what: &'static str, value: &str) -> Result<(), EnsembleError> {
    if value.chars().any(char::is_control) {
        return Err(EnsembleError::Unscriptable {
            what,
            value: crate::term::excerpt(value, 200).into_owned(),
        });
    }
    Ok(())
}

/// Refuses a `#SBATCH` value with anything but letters, digits and `:-_.,=`.
fn sbatch_value(what: &'static str, value: &str) -> Result<(), EnsembleError> {
    let safe = |c: char| c.is_ascii_alphanumeric() || ":-_.,=".contains(c);
    if value.is_empty() || !value.chars().all(safe) {
        return Err(EnsembleError::Unscriptable {
            what,
            value: crate::term::excerpt(value, 200).into_owned(),
        });
    }
    Ok(())
}

/// Checks every name in `opts` that reaches a script line.
fn check_names(opts: &SlurmOptions) -> Result<(), EnsembleError> {
    match &opts.job {
        SlurmJob::Sweep { scenario, .. } => scriptable("scenario file", scenario)?,
        SlurmJob::Farm { design } => scriptable("design file", design)?,
    }
    scriptable("--out folder", &opts.out_dir)?;
    scriptable("phaseline binary", &opts.phaseline)?;
    for arg in &opts.extra_args {
        scriptable("argument", arg)?;
    }
    if let Some(t) = &opts.time_limit {
        sbatch_value("time limit", t)?;
    }
    if let Some(p) = &opts.partition {
        sbatch_value("partition", p)?;
    }
    Ok(())
}

/// The sbatch script of the job array: task K runs shard K of N into `DIR/shard-K`.
///
/// # Errors
/// [`EnsembleError::Unscriptable`] for a name with a control character, or a time limit or
/// partition with anything but letters, digits and `:-_.,=`.
pub fn slurm_script(opts: &SlurmOptions) -> Result<String, EnsembleError> {
    check_names(opts)?;
    let n = opts.shards.max(1);
    let mut s = String::from("#!/bin/bash\n");
    s += &match &opts.job {
        SlurmJob::Sweep { scenario, seeds } => format!(
            "# phaseline sweep of {} over seeds {seeds} as {n} array tasks, one shard each.\n",
            quote(scenario)
        ),
        SlurmJob::Farm { design } => format!(
            "# phaseline farm of the design {} as {n} array tasks, one shard of its runs each.\n",
            quote(design)
        ),
    };
    s += "# Submit it with the merge step that waits for it (see phaseline's ensemble docs):\n";
    for line in slurm_submit_commands(opts, "THIS_SCRIPT")?.lines() {
        s += &format!("#   {line}\n");
    }
    s += &format!("#SBATCH --job-name={}\n", opts.safe_job_name());
    s += &format!("#SBATCH --array=0-{}\n", n - 1);
    if let Some(c) = opts.cpus_per_task {
        s += &format!("#SBATCH --cpus-per-task={c}\n");
    }
    if let Some(t) = &opts.time_limit {
        s += &format!("#SBATCH --time={t}\n");
    }
    if let Some(p) = &opts.partition {
        s += &format!("#SBATCH --partition={p}\n");
    }
    s += "set -euo pipefail\n";
    let mut cmd = vec![quote(&opts.phaseline)];
    cmd.extend(match &opts.job {
        SlurmJob::Sweep { scenario, seeds } => vec![
            "sweep".to_owned(),
            quote(scenario),
            "--seeds".to_owned(),
            seeds.to_string(),
        ],
        SlurmJob::Farm { design } => vec!["farm".to_owned(), quote(design)],
    });
    cmd.extend([
        "--jobs".to_owned(),
        "\"${SLURM_CPUS_PER_TASK:-1}\"".to_owned(),
        "--shard".to_owned(),
        "\"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\"".to_owned(),
        "--resume".to_owned(),
        "--out".to_owned(),
        format!("{}/shard-\"$SLURM_ARRAY_TASK_ID\"", quote(&opts.out_dir)),
    ]);
    cmd.extend(opts.extra_args.iter().map(|a| quote(a)));
    s += &format!("exec {}\n", cmd.join(" "));
    Ok(s)
}

/// Shell commands that submit the array script saved at `script_path` and a merge job that runs
/// only if every array task succeeded: `sbatch --dependency=afterok:$JOB … phaseline merge
/// DIR/shard-* --out DIR`. Slurm's logs go to `DIR/slurm-*.out`.
///
/// # Errors
/// As [`slurm_script`], and for a script path with a control character.
pub fn slurm_submit_commands(
    opts: &SlurmOptions,
    script_path: &str,
) -> Result<String, EnsembleError> {
    check_names(opts)?;
    scriptable("script path", script_path)?;
    let dir = quote(&opts.out_dir);
    let merge = match &opts.job {
        SlurmJob::Sweep { .. } => {
            format!("{} merge {dir}/shard-* --out {dir}", quote(&opts.phaseline))
        }
        SlurmJob::Farm { design } => format!(
            "{} farm {} --merge {dir}/shard-* --out {dir}",
            quote(&opts.phaseline),
            quote(design)
        ),
    };
    Ok(format!(
        "mkdir -p {dir}\n\
         JOB=$(sbatch --parsable --output={dir}/slurm-%A_%a.out {script} | cut -d';' -f1)\n\
         sbatch --dependency=afterok:\"$JOB\" --job-name={name}-merge --output={dir}/slurm-merge-%j.out --wrap={wrap}\n",
        script = quote(script_path),
        name = opts.safe_job_name(),
        wrap = quote(&merge),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> SlurmOptions {
        let mut o = SlurmOptions::new(
            "scenarios/raqqa.toml",
            SeedRange::new(1, 1000).unwrap(),
            4,
            "out/sweep 1",
        );
        o.cpus_per_task = Some(8);
        o.extra_args = vec!["--set".into(), "air.sorties=2".into()];
        o
    }

    #[test]
    fn script_runs_one_shard_per_array_task() {
        let s = slurm_script(&opts()).unwrap();
        assert!(s.starts_with("#!/bin/bash\n"));
        assert!(s.contains("\n#SBATCH --array=0-3\n"));
        assert!(s.contains("\n#SBATCH --cpus-per-task=8\n"));
        let exec = s.lines().last().unwrap();
        assert_eq!(
            exec,
            "exec phaseline sweep scenarios/raqqa.toml --seeds 1..1000 --jobs \"${SLURM_CPUS_PER_TASK:-1}\" \
             --shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" --resume \
             --out 'out/sweep 1'/shard-\"$SLURM_ARRAY_TASK_ID\" --set air.sorties=2"
        );
    }

    #[test]
    fn merge_waits_for_the_array() {
        let c = slurm_submit_commands(&opts(), "sweep.sbatch").unwrap();
        let lines: Vec<&str> = c.lines().collect();
        assert_eq!(lines[0], "mkdir -p 'out/sweep 1'");
        assert_eq!(
            lines[1],
            "JOB=$(sbatch --parsable --output='out/sweep 1'/slurm-%A_%a.out sweep.sbatch | cut -d';' -f1)"
        );
        assert!(
            lines[2].starts_with(
                "sbatch --dependency=afterok:\"$JOB\" --job-name=phaseline-sweep-merge "
            )
        );
        assert!(lines[2].ends_with(
            r#"--wrap='phaseline merge '\''out/sweep 1'\''/shard-* --out '\''out/sweep 1'\'''"#
        ));
    }

    #[test]
    fn a_farm_runs_its_shards_and_merges_them_with_its_design() {
        let o = SlurmOptions::farm("scenarios/raqqa-farm.toml", 8, "out/farm");
        let s = slurm_script(&o).unwrap();
        assert!(s.contains("\n#SBATCH --array=0-7\n"));
        assert!(s.contains("\n#SBATCH --job-name=phaseline-farm\n"));
        assert_eq!(
            s.lines().last().unwrap(),
            "exec phaseline farm scenarios/raqqa-farm.toml --jobs \"${SLURM_CPUS_PER_TASK:-1}\" \
             --shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\" --resume \
             --out out/farm/shard-\"$SLURM_ARRAY_TASK_ID\""
        );
        let c = slurm_submit_commands(&o, "farm.sbatch").unwrap();
        assert!(c.ends_with(
            "--wrap='phaseline farm scenarios/raqqa-farm.toml --merge out/farm/shard-* --out out/farm'\n"
        ));
    }

    #[test]
    fn a_newline_in_a_file_name_cannot_inject_a_command() {
        let hostile = "tiny\n:>INJECTED\n.toml";
        let o = SlurmOptions::new(hostile, SeedRange::new(1, 10).unwrap(), 2, "so");
        let err = slurm_script(&o).unwrap_err();
        assert!(matches!(err, EnsembleError::Unscriptable { .. }), "{err}");
        assert!(err.to_string().contains(r"tiny\n:>INJECTED"), "{err}");
        assert!(slurm_submit_commands(&o, "s.sbatch").is_err());
        let o = SlurmOptions::new(
            "s.toml",
            SeedRange::new(1, 10).unwrap(),
            2,
            "out\r\nrm -rf ~",
        );
        assert!(slurm_script(&o).is_err());
        let mut o = SlurmOptions::new("s.toml", SeedRange::new(1, 10).unwrap(), 2, "out");
        o.partition = Some("gpu\n#SBATCH --uid=0".into());
        assert!(slurm_script(&o).is_err());
    }

    #[test]
    fn shell_syntax_in_names_stays_quoted_even_in_comments() {
        let o = SlurmOptions::new(
            "$(touch x) `y`;z.toml",
            SeedRange::new(1, 10).unwrap(),
            2,
            "o",
        );
        let s = slurm_script(&o).unwrap();
        for line in s.lines() {
            if line.contains("touch") {
                assert!(line.contains("'$(touch x) `y`;z.toml'"), "{line}");
            }
        }
    }

    #[test]
    fn quoting_keeps_words_whole() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("plain-1.toml"), "plain-1.toml");
    }
}
