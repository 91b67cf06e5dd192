//! Commands about input files and scripts: `validate` (read once, within the limits), `generate`
//! (counts checked against the limits before anything is laid out) and `slurm` (the job-array
//! script of a sweep or farm).

use crate::args::{GENERATE_MIN, GenerateArgs};
use crate::{UsageError, report};
use anyhow::{Context, Result};
use phaseline::scenario::Limits;
use std::path::{Path, PathBuf};

pub(crate) fn validate(files: &[PathBuf], strict: bool, limits: &Limits) -> Result<()> {
    let mut failed = 0;
    for file in files {
        match validate_one(file, strict, limits) {
            Ok(line) => tellln!("{}: ok — {line}", file.display()),
            Err(e) => {
                tellln!("{}", report(&e));
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(
            UsageError(format!("{failed} of {} file(s) have problems", files.len())).into(),
        );
    }
    Ok(())
}

/// Validates one scenario or design file, read once (so a pipe such as `/dev/stdin` works) and no
/// further than the file-size limit (so `/dev/zero` is refused); returns what it holds.
fn validate_one(file: &Path, strict: bool, limits: &Limits) -> Result<String> {
    let bytes = phaseline::scenario::read_scenario_bytes(file, limits)?;
    if let Some(checked) = phaseline::calibration::check_companion(file, &bytes) {
        return Ok(checked?);
    }
    if phaseline::farm::is_design_text(&bytes) {
        let plan = phaseline::farm::plan_farm_bytes(file, bytes, limits)?;
        return Ok(format!(
            "design \"{}\", {} factors, {} points, {} runs of {}",
            plan.design.name,
            plan.design.factors.len(),
            plan.points(),
            plan.runs().len(),
            plan.base.path.display()
        ));
    }
    let loaded = phaseline::scenario::load_scenario_bytes(file, bytes, &[], limits)?;
    let sc = &loaded.scenario;
    // Legal but almost surely a mistake: warnings on stderr, errors (exit 2) with --strict.
    let kind = if strict { "error" } else { "warning" };
    let warnings = if phaseline::scenario::warnings::warnings(sc).is_empty() {
        Vec::new()
    } else {
        // Read again, within the limits, only to locate the warnings; a pipe read once already
        // gives no text, and the warnings are then shown without a location.
        let bytes = phaseline::scenario::read_scenario_bytes(file, limits).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        phaseline::scenario::warnings::rendered_warnings(file, &text, sc, limits, kind)
    };
    for w in &warnings {
        tell!("{w}");
    }
    if strict && !warnings.is_empty() {
        return Err(UsageError(format!(
            "{}: {} warning(s) refused by --strict",
            file.display(),
            warnings.len()
        ))
        .into());
    }
    Ok(format!(
        "\"{}\", {} settlements, {} routes, {} units{}",
        sc.meta.name,
        sc.settlements.len(),
        sc.routes.len(),
        sc.units.len(),
        match warnings.len() {
            0 => String::new(),
            n => format!(" ({n} warning(s); --strict makes them errors)"),
        }
    ))
}

/// Refuses counts `generate` cannot honour: below what it lays out, or above what `validate`
/// accepts.
fn check_generate_counts(args: &GenerateArgs, limits: &Limits) -> Result<()> {
    let (min_settlements, min_units) = GENERATE_MIN;
    let counts = [
        (
            "settlements",
            args.settlements,
            min_settlements,
            limits.max_settlements,
            "--max-settlements",
        ),
        (
            "units",
            args.units,
            min_units,
            limits.max_units,
            "--max-units",
        ),
    ];
    for (what, n, min, max, flag) in counts {
        if n < min {
            return Err(UsageError(format!(
                "--{what} {n}: a generated scenario has at least {min} {what}; ask for {min} or more"
            ))
            .into());
        }
        if n > max {
            return Err(UsageError(format!(
                "--{what} {n}: more than the {max} {what} a scenario may hold; ask for fewer, or raise the limit with {flag} N (validate and run then need it too)"
            ))
            .into());
        }
    }
    Ok(())
}

/// Counts the bytes written to it and drops them.
#[derive(Default)]
struct ByteCount(u64);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(crate) fn generate(args: &GenerateArgs) -> Result<()> {
    let limits = args.limits.limits();
    check_generate_counts(args, &limits)?;
    let json = args.out.as_deref().is_some_and(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    });
    let options = phaseline::generate::GenerateOptions {
        settlements: args.settlements,
        units: args.units,
        seed: args.seed,
        json,
    };
    // The layout is seeded, so a first pass that only counts gives the file's exact size.
    let mut size = ByteCount::default();
    phaseline::generate::generate(&options, &mut size)?;
    if size.0 > limits.max_file_bytes {
        return Err(UsageError(format!(
            "the generated scenario would be {} bytes, over the {}-byte file limit that validate and run apply; ask for fewer settlements or units, or raise the limit with --max-file-bytes N",
            size.0, limits.max_file_bytes
        ))
        .into());
    }
    match &args.out {
        Some(path) => {
            phaseline::fsio::write_atomic_with(path, |w| {
                phaseline::generate::generate(&options, w)
            })
            .with_context(|| format!("cannot write {}", path.display()))?;
            tellln!(
                "wrote {} ({} settlements, {} units)",
                path.display(),
                args.settlements,
                args.units
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            phaseline::generate::generate(&options, &mut out)
                .and_then(|()| std::io::Write::flush(&mut out))
                .map_err(phaseline::term::TermError::from)?;
        }
    }
    Ok(())
}

/// `phaseline slurm`: prints the job-array script and the commands that submit it.
pub(crate) fn slurm(args: crate::args::SlurmArgs) -> Result<()> {
    let (file, out) = (
        args.scenario.display().to_string(),
        args.out.display().to_string(),
    );
    let mut opts = match args.seeds {
        Some(seeds) if !args.farm => {
            phaseline::ensemble::SlurmOptions::new(&file, seeds, args.shards, &out)
        }
        _ => phaseline::ensemble::SlurmOptions::farm(&file, args.shards, &out),
    };
    opts.phaseline = args.phaseline;
    let script = if args.farm {
        "farm.sbatch"
    } else {
        "sweep.sbatch"
    };
    let text = format!(
        "{}\n# submit with:\n{}\n",
        phaseline::ensemble::slurm_script(&opts)?,
        phaseline::ensemble::slurm_submit_commands(&opts, script)?
    );
    Ok(phaseline::term::data(text.as_bytes())?)
}
