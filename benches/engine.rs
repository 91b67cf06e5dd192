//! Engine benchmarks (criterion): whole Raqqa runs per seed, one tick, and the ensemble.
//!
//! `cargo bench --bench engine`; figures and the commands that reproduce them are in
//! `benches/README.md`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use phaseline::ensemble::SeedRunner;
use phaseline::runner::ScenarioRunner;
use phaseline::scenario::{Scenario, load_scenario};
use phaseline::sim::{Simulation, simulate};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

fn scenario(name: &str) -> Arc<Scenario> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    match load_scenario(&path) {
        Ok(l) => Arc::new(l.scenario),
        Err(e) => panic!("{e}"),
    }
}

/// The whole Raqqa scenario (1 year, 6-hour ticks) once per seed, seeds side by side.
fn seeds(c: &mut Criterion) {
    let raqqa = scenario("raqqa.toml");
    let mut group = c.benchmark_group("seeds");
    group.sample_size(20);
    for seed in 1..=5u64 {
        group.bench_with_input(BenchmarkId::new("raqqa", seed), &seed, |b, &seed| {
            b.iter(|| simulate(raqqa.clone(), black_box(seed), None));
        });
    }
    group.finish();
}

/// One tick of Raqqa in mid-campaign (day 60).
fn tick(c: &mut Criterion) {
    let raqqa = scenario("raqqa.toml");
    let mut sim = match Simulation::new(raqqa, 1, None) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    sim.step_days(60);
    c.bench_function("tick/raqqa-day-60", |b| b.iter(|| sim.step()));
}

/// 100 Raqqa seeds through the ensemble's runner on one thread.
fn ensemble(c: &mut Criterion) {
    let runner = ScenarioRunner {
        scenario: scenario("raqqa.toml"),
        days: None,
    };
    let mut group = c.benchmark_group("ensemble");
    group.sample_size(10);
    group.bench_function("raqqa-100-seeds", |b| {
        b.iter(|| {
            (1..=100)
                .map(|s| runner.run_seed(s).map(|r| r.figures.len()).unwrap_or(0))
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, seeds, tick, ensemble);
criterion_main!(benches);
