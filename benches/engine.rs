//! Engine benchmarks (criterion). `cargo bench --bench engine`; add a group name to run one group
//! (`cargo bench --bench engine -- tick`). Figures and the targets they are checked against are in
//! `benches/README.md`.
//!
//! Groups: `seeds` (the whole Raqqa scenario per seed, seeds 1–5 side by side), `tick` (one tick of
//! an empty world, of Raqqa and of generated worlds of 10k, 100k and 1M units), `systems` (each step
//! of a tick alone on the 100k world), `overhead` (the per-unit hot path as an ECS system versus a
//! plain struct-of-arrays loop, checksums asserted equal), `ensemble` (100 Raqqa seeds through the
//! sweep code), `farm` (the Raqqa farm's design search and sensitivity regression, and its 330 runs
//! through `farm::run_farm`).

use bevy_ecs::prelude::*;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use phaseline::ensemble::{self, SeedRange, SweepIdentity, SweepOptions};
use phaseline::generate::{GenerateOptions, generate};
use phaseline::model::Clock;
use phaseline::runner::ScenarioRunner;
use phaseline::scenario::{Scenario, SourceFormat, load_scenario, parse_scenario};
use phaseline::sim::{Simulation, simulate};
use phaseline::systems::{CampaignTick, StepSet, campaign_steps};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn bundled(name: &str) -> Arc<Scenario> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    match load_scenario(&path) {
        Ok(l) => Arc::new(l.scenario),
        Err(e) => panic!("{e}"),
    }
}

/// A generated world with `units` units and a tenth as many settlements.
fn generated(units: usize) -> Arc<Scenario> {
    let mut json = Vec::new();
    let options = GenerateOptions {
        settlements: units / 10,
        units,
        seed: 1,
        json: true,
    };
    generate(&options, &mut json).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8(json).unwrap_or_default();
    Arc::new(parse_scenario(&text, SourceFormat::Json).unwrap_or_else(|p| panic!("{p:?}")))
}

fn empty_world() -> Arc<Scenario> {
    let text = r#"
[scenario]
name = "empty"
start_date = "2020-01-01"
duration_days = 36500
[[side]]
id = "a"
role = "attacker"
[[side]]
id = "d"
role = "defender"
[[settlement]]
id = "o"
kind = "town"
lat = 36.0
lon = 38.0
control = "d"
[[settlement]]
id = "s"
kind = "base"
lat = 36.0
lon = 39.0
control = "d"
[[route]]
from = "o"
to = "s"
length_km = 50
capacity_tons_per_day = 100
[[objective]]
settlement = "o"
attacker = "a"
sources = ["s"]
"#;
    Arc::new(parse_scenario(text, SourceFormat::Toml).unwrap_or_else(|p| panic!("{p:?}")))
}

fn sim(s: &Arc<Scenario>, days: u32) -> Simulation {
    let mut sim = Simulation::new(s.clone(), 1, None).unwrap_or_else(|e| panic!("{e}"));
    sim.step_days(days);
    sim
}

/// The whole Raqqa scenario (1 year, 6-hour ticks) through the library, once per seed.
fn seeds(c: &mut Criterion) {
    let raqqa = bundled("raqqa.toml");
    let mut group = c.benchmark_group("seeds");
    group.sample_size(20);
    for seed in 1..=5u64 {
        group.bench_with_input(BenchmarkId::new("raqqa", seed), &seed, |b, &seed| {
            b.iter(|| simulate(raqqa.clone(), black_box(seed), None));
        });
    }
    group.finish();
}

/// One tick: the empty world (the schedule's fixed cost), Raqqa in mid-campaign, generated worlds.
fn tick(c: &mut Criterion) {
    let mut group = c.benchmark_group("tick");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let mut empty = sim(&empty_world(), 1);
    group.bench_function("empty", |b| b.iter(|| empty.step()));
    let mut raqqa = sim(&bundled("raqqa.toml"), 60);
    group.bench_function("raqqa", |b| b.iter(|| raqqa.step()));
    for units in [10_000usize, 100_000, 1_000_000] {
        let mut world = sim(&generated(units), 1);
        group.throughput(criterion::Throughput::Elements(units as u64));
        group.bench_with_input(BenchmarkId::new("generated", units), &units, |b, _| {
            b.iter(|| world.step())
        });
    }
    group.finish();
}

/// Each step alone on the 100k-unit world, at a day-start tick (where daily decisions run).
fn systems(c: &mut Criterion) {
    let mut world = sim(&generated(100_000), 2);
    let mut group = c.benchmark_group("systems");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (i, step) in campaign_steps().iter().enumerate() {
        let mut schedule = Schedule::new(CampaignTick);
        (step.add)(&mut schedule, StepSet(i));
        let w = world.world_mut();
        group.bench_function(format!("{i:02}-{}", step.name), |b| {
            b.iter(|| {
                w.resource_mut::<Clock>().tick = 8;
                schedule.run(w);
            })
        });
    }
    group.finish();
}

#[derive(Component)]
struct Fighters(f64);
#[derive(Component)]
struct Tons(f64);
#[derive(Component)]
struct Km(f64);
#[derive(Component)]
struct KmPerDay(f64);

const DT: f64 = 0.25;
const CONSUMPTION: f64 = 0.01;
const ATTRITION: f64 = 0.01;

/// Movement, consumption, a trickle of resupply and attrition when short: the per-unit arithmetic
/// of a tick. Values stay in a steady range (no decay into subnormal floats, which would measure the
/// FPU's slow path instead of the loop).
#[inline(always)]
fn hot_path(fighters: &mut f64, tons: &mut f64, km: &mut f64, speed: f64) {
    *km += speed * DT;
    if *km > 1000.0 {
        *km -= 1000.0;
    }
    *tons += 0.9 * DT;
    let want = *fighters * CONSUMPTION * DT;
    if *tons >= want {
        *tons -= want;
    } else {
        *tons = 0.0;
        *fighters = (*fighters - *fighters * ATTRITION * DT).max(1.0);
    }
}

fn hot_path_system(mut q: Query<(&mut Fighters, &mut Tons, &mut Km, &KmPerDay)>) {
    q.iter_mut()
        .for_each(|(mut f, mut t, mut k, v)| hot_path(&mut f.0, &mut t.0, &mut k.0, v.0));
}

struct Soa {
    fighters: Vec<f64>,
    tons: Vec<f64>,
    km: Vec<f64>,
    speed: Vec<f64>,
}

fn initial(i: usize) -> (f64, f64, f64, f64) {
    (
        100.0 + (i % 50) as f64,
        (i % 7) as f64,
        0.0,
        10.0 + (i % 3) as f64,
    )
}

fn checksum(values: impl Iterator<Item = f64>) -> u64 {
    values.fold(0u64, |acc, v| {
        acc.wrapping_mul(31).wrapping_add(v.to_bits())
    })
}

/// The per-unit hot path as an ECS system versus a struct-of-arrays loop, same arithmetic.
fn overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("overhead");
    group.sample_size(20);
    for units in [10_000usize, 1_000_000] {
        let mut world = World::new();
        world.spawn_batch((0..units).map(|i| {
            let (f, t, k, v) = initial(i);
            (Fighters(f), Tons(t), Km(k), KmPerDay(v))
        }));
        let mut schedule = Schedule::new(CampaignTick);
        schedule.add_systems(hot_path_system);
        let mut soa = Soa {
            fighters: Vec::new(),
            tons: Vec::new(),
            km: Vec::new(),
            speed: Vec::new(),
        };
        for i in 0..units {
            let (f, t, k, v) = initial(i);
            soa.fighters.push(f);
            soa.tons.push(t);
            soa.km.push(k);
            soa.speed.push(v);
        }
        // Same results first: 40 ticks each, checksums equal bit for bit.
        for _ in 0..40 {
            schedule.run(&mut world);
            soa_tick(&mut soa);
        }
        let ecs_sum = checksum(world.query::<&Fighters>().iter(&world).map(|f| f.0));
        let soa_sum = checksum(soa.fighters.iter().copied());
        assert_eq!(
            ecs_sum, soa_sum,
            "the ECS and SoA hot paths computed different things"
        );
        group.throughput(criterion::Throughput::Elements(units as u64));
        group.bench_with_input(BenchmarkId::new("ecs", units), &units, |b, _| {
            b.iter(|| schedule.run(&mut world))
        });
        group.bench_with_input(BenchmarkId::new("soa", units), &units, |b, _| {
            b.iter(|| soa_tick(black_box(&mut soa)))
        });
    }
    group.finish();
}

fn soa_tick(s: &mut Soa) {
    for i in 0..s.fighters.len() {
        hot_path(&mut s.fighters[i], &mut s.tons[i], &mut s.km[i], s.speed[i]);
    }
}

/// 100 Raqqa seeds through the sweep code (one thread, result files included).
fn ensemble_sweep(c: &mut Criterion) {
    let runner = ScenarioRunner {
        scenario: bundled("raqqa.toml"),
        days: None,
    };
    let seeds: SeedRange = "1..100".parse().unwrap_or_else(|e| panic!("{e}"));
    let identity = SweepIdentity {
        engine_version: "bench".into(),
        scenario_sha256: "bench".into(),
        scenario_name: "raqqa".into(),
        seeds,
        overrides: vec![],
        design_sha256: None,
    };
    let mut group = c.benchmark_group("ensemble");
    group.sample_size(10);
    group.bench_function("raqqa-100-seeds", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let options = SweepOptions {
                jobs: 1,
                shard: None,
                resume: false,
                force: false,
                progress: false,
            };
            ensemble::run_sweep(&runner, &identity, &options, &dir.path().join("sweep"))
                .unwrap_or_else(|e| panic!("{e}"))
        });
    });
    group.finish();
}

/// The farm's own costs next to its runs: the design search (33 points × 11 factors, as in
/// `scenarios/raqqa-farm.toml`), the rank regression of one outcome over 330 runs, and the whole
/// Raqqa farm (330 runs, result files, no charts) on one thread.
fn farm(c: &mut Criterion) {
    use phaseline::farm::lhs::latin_hypercube;
    use phaseline::farm::sensitivity::rank_regression;
    let mut group = c.benchmark_group("farm");
    group.sample_size(10);
    group.bench_function("lhs-33x11", |b| {
        b.iter(|| latin_hypercube(black_box(33), 11, 1));
    });
    let design = latin_hypercube(33, 11, 1);
    let x: Vec<Vec<f64>> = (0..330).map(|r| design[r / 10].clone()).collect();
    // A monotone response with seed-to-seed noise and some censored runs, like an isolation day.
    let y: Vec<Option<f64>> = x
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let v = 40.0 + 60.0 * row[0] - 20.0 * row[1] + (r % 7) as f64;
            (v < 95.0).then_some(v)
        })
        .collect();
    group.bench_function("srrc-330x11", |b| {
        b.iter(|| rank_regression(black_box(&x), black_box(&y)));
    });
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/raqqa-farm.toml");
    let plan =
        phaseline::farm::plan_farm(&path, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    group.bench_function("raqqa-farm-330-runs", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let options = SweepOptions {
                jobs: 1,
                ..SweepOptions::default()
            };
            phaseline::farm::run_farm(&plan, &options, &dir.path().join("farm"))
                .unwrap_or_else(|e| panic!("{e}"))
        });
    });
    group.finish();
}

criterion_group!(
    benches,
    seeds,
    tick,
    systems,
    overhead,
    ensemble_sweep,
    farm
);
criterion_main!(benches);
