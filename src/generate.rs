//! Synthetic scenarios of any size, for benchmarks and scale tests: `phaseline generate`.
//!
//! A geometric road graph: settlements scattered over a box whose area grows with their number (so
//! density stays that of a rural province, about one settlement per 60 km²), each joined to its
//! three nearest neighbours, components stitched together. The attacker holds the western fifth, the
//! defender the rest; the defender's city nearest the centre is the objective, supplied from two
//! bases on the eastern edge. Units (70 % attacker), air, a front and the default phases complete
//! it. Each side is supplied like a real theatre: one depot per 50 of its units, spread over its
//! ground, producing together [`SUPPLY_MARGIN`] × what its fighters eat at the default consumption
//! and holding ten days of that output, so neither side starves by construction; the balance is
//! stated in the file's header and description. The text is streamed out (no document tree), so a
//! million units need little memory; the same seed gives the same file.

use crate::rng::{Salt, stream, uniform};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Depot output over consumption, per side: production covers what the side eats with a margin for
/// what is on the road and what the enemy destroys.
pub const SUPPLY_MARGIN: f64 = 1.25;

/// Fighters per generated unit, attacker and defender, while there are no more units than
/// settlements; a denser world splits the same forces into more, smaller units (see
/// [`SupplyPlan::fighters_per_unit`]), so every size of world is a theatre of the same density of
/// fighters per settlement rather than a crowd its roads cannot feed.
const UNIT_FIGHTERS: [f64; 2] = [300.0, 120.0];

/// Capacity of a generated route between two villages, tons per day.
const VILLAGE_TRACK_TONS_PER_DAY: f64 = 600.0;

/// Capacity of any other generated route, tons per day.
const ROAD_TONS_PER_DAY: f64 = 2400.0;

/// Days of supply every generated unit carries and asks to hold.
const BASIC_LOAD_DAYS: f64 = 30.0;

/// Units per depot.
const UNITS_PER_DEPOT: usize = 50;

/// A generated depot: its side, settlement and daily output.
struct DepotSite {
    side: usize,
    node: usize,
    output_tons_per_day: f64,
}

/// Each side's supply plan: where its units stand, what they eat, and depots that feed them.
/// Depots are sited per connected piece of the side's ground (routes with both ends on its side),
/// one per [`UNITS_PER_DEPOT`] units there, at the places with most units, so every unit has a
/// source its side can reach; each piece's depots make [`SUPPLY_MARGIN`] × what its units eat.
struct SupplyPlan {
    /// Fighters per unit, attacker and defender.
    fighters_per_unit: [f64; 2],
    /// Settlement of every unit, attacker units first.
    unit_at: Vec<usize>,
    /// Attacker units (the first ones of `unit_at`).
    attacker_units: usize,
    consumption_tons_per_day: [f64; 2],
    depots: Vec<DepotSite>,
}

impl SupplyPlan {
    fn new(units: usize, places: &[Place], routes: &[(usize, usize, f64)]) -> SupplyPlan {
        let attacker_units = (units * 7 / 10).max(1);
        let side_of = |p: &Place| usize::from(!p.attacker);
        let pools: [Vec<usize>; 2] = [0, 1].map(|s| {
            (0..places.len())
                .filter(|&i| side_of(&places[i]) == s)
                .collect()
        });
        let unit_at: Vec<usize> = (0..units)
            .map(|u| {
                let (s, k) = if u < attacker_units {
                    (0, u)
                } else {
                    (1, u - attacker_units)
                };
                pools[s][(k * 7919) % pools[s].len()]
            })
            .collect();
        let per_fighter =
            crate::scenario::schema::spec("side", "consumption_tons_per_fighter_per_day")
                .default
                .number()
                .unwrap_or(0.01);
        let side_of_unit = |u: usize| usize::from(u >= attacker_units);
        let density = (places.len() as f64 / units as f64).min(1.0);
        let fighters_per_unit = UNIT_FIGHTERS.map(|f| round4(f * density));
        let mut consumption_tons_per_day = [0.0; 2];
        for u in 0..units {
            consumption_tons_per_day[side_of_unit(u)] +=
                fighters_per_unit[side_of_unit(u)] * per_fighter;
        }
        // Pieces of each side's ground.
        let mut parent: Vec<usize> = (0..places.len()).collect();
        for &(a, b, _) in routes {
            if side_of(&places[a]) == side_of(&places[b]) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
        let mut units_at = vec![0usize; places.len()];
        let mut per_piece: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for &v in &unit_at {
            units_at[v] += 1;
        }
        for (v, _) in units_at.iter().enumerate().filter(|(_, count)| **count > 0) {
            per_piece.entry(root(&mut parent, v)).or_default().push(v);
        }
        let mut depots = Vec::new();
        for nodes in per_piece.values_mut() {
            let side = side_of(&places[nodes[0]]);
            let count: usize = nodes.iter().map(|&v| units_at[v]).sum();
            let eat = count as f64 * fighters_per_unit[side] * per_fighter;
            let sites = count.div_ceil(UNITS_PER_DEPOT).max(1);
            nodes.sort_by(|&a, &b| units_at[b].cmp(&units_at[a]).then(a.cmp(&b)));
            for k in 0..sites {
                depots.push(DepotSite {
                    side,
                    node: nodes[k % nodes.len()],
                    output_tons_per_day: round4(SUPPLY_MARGIN * eat / sites as f64),
                });
            }
        }
        depots.sort_by_key(|d| (d.side, d.node));
        SupplyPlan {
            fighters_per_unit,
            unit_at,
            attacker_units,
            consumption_tons_per_day,
            depots,
        }
    }

    /// The balance in words, for the header and the description.
    fn describe(&self) -> String {
        let side = |s: usize, name: &str| {
            let ours = self.depots.iter().filter(|d| d.side == s);
            let made: f64 = ours.clone().map(|d| d.output_tons_per_day).sum();
            let units = if s == 0 {
                self.attacker_units
            } else {
                self.unit_at.len() - self.attacker_units
            };
            format!(
                "{name} {units} units eat {} t/day, {} depots make {} t/day",
                round4(self.consumption_tons_per_day[s]),
                ours.count(),
                round4(made)
            )
        };
        format!(
            "supply balance ({SUPPLY_MARGIN} x consumption, a depot per {UNITS_PER_DEPOT} units in every piece of each side's ground): {}; {}",
            side(0, "blue"),
            side(1, "red")
        )
    }
}

/// The root of `x` in a union-find forest (path halving).
fn root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenerateOptions {
    /// Number of settlements (at least 6).
    pub settlements: usize,
    /// Number of units (at least 2).
    pub units: usize,
    /// Seed of the layout.
    pub seed: u64,
    /// JSON instead of TOML.
    pub json: bool,
}

/// A settlement of the generated world.
struct Place {
    x_km: f64,
    y_km: f64,
    kind: &'static str,
    attacker: bool,
}

/// Writes a generated scenario to `out`.
pub fn generate(options: &GenerateOptions, out: &mut dyn Write) -> io::Result<()> {
    let n = options.settlements.max(6);
    let mut rng = stream(options.seed, Salt::Generate, 0x67656e, 0);
    let side_km = (n as f64 * 60.0).sqrt();
    let places = scatter(&mut rng, n, side_km);
    let routes = road_graph(&places, side_km);
    let objective = (0..n)
        .filter(|&i| !places[i].attacker && places[i].kind == "city")
        .min_by(|&a, &b| {
            centre_distance(&places[a], side_km).total_cmp(&centre_distance(&places[b], side_km))
        })
        .unwrap_or(n - 3);
    let sources = [n - 2, n - 1];
    let units = options.units.max(2);
    let plan = SupplyPlan::new(units, &places, &routes);
    let mut w = Writer::new(out, options.json);
    w.open_doc()?;
    w.comment(&plan.describe())?;
    w.table(
        "scenario",
        &[
            ("name", Val::S(format!("generated-{n}-{units}"))),
            (
                "description",
                Val::S(format!(
                    "Synthetic world: {n} settlements, {units} units, seed {}; {}",
                    options.seed,
                    plan.describe()
                )),
            ),
            ("start_date", Val::S("2020-01-01".into())),
            ("duration_days", Val::N(365.0)),
            ("tick_hours", Val::N(6.0)),
        ],
    )?;
    w.array("side", 2, |w, i| {
        w.fields(&[
            ("id", Val::S(["blue", "red"][i].into())),
            ("role", Val::S(["attacker", "defender"][i].into())),
            (
                "reserve_strength",
                Val::N(if i == 1 { 1000.0 } else { 0.0 }),
            ),
            // A month's basic load: columns crossing a province of this size are days from
            // their nearest depot, as in a real theatre.
            ("resupply_target_days", Val::N(BASIC_LOAD_DAYS)),
        ])
    })?;
    w.array("settlement", n, |w, i| {
        let p = &places[i];
        // Degrees from km around 36°N, 38°E.
        let (lat, lon) = (36.0 + p.y_km / 111.0, 38.0 + p.x_km / 90.0);
        w.fields(&[
            ("id", Val::S(format!("s{i}"))),
            ("kind", Val::S(p.kind.into())),
            ("lat", Val::N(round4(lat))),
            ("lon", Val::N(round4(lon))),
            ("population", Val::N(population(p.kind))),
            (
                "value",
                Val::N(if p.kind == "city" {
                    10.0
                } else {
                    1.0 + (i % 5) as f64
                }),
            ),
            (
                "control",
                Val::S(if p.attacker { "blue" } else { "red" }.into()),
            ),
        ])
    })?;
    w.array("route", routes.len(), |w, r| {
        let (a, b, km) = routes[r];
        // Roads sized for the forces a theatre of this density supplies: a village track carries
        // what a brigade eats, roads between towns several times more.
        let capacity = if places[a].kind == "village" && places[b].kind == "village" {
            VILLAGE_TRACK_TONS_PER_DAY
        } else {
            ROAD_TONS_PER_DAY
        };
        w.fields(&[
            ("from", Val::S(format!("s{a}"))),
            ("to", Val::S(format!("s{b}"))),
            ("length_km", Val::N(km)),
            ("capacity_tons_per_day", Val::N(capacity)),
        ])
    })?;
    w.array("unit", units, |w, u| {
        let side = if u < plan.attacker_units {
            "blue"
        } else {
            "red"
        };
        let mut fields = vec![
            ("supply_days", Val::N(BASIC_LOAD_DAYS)),
            ("id", Val::S(format!("u{u}"))),
            ("side", Val::S(side.into())),
            ("at", Val::S(format!("s{}", plan.unit_at[u]))),
            (
                "strength",
                Val::N(plan.fighters_per_unit[usize::from(side == "red")]),
            ),
        ];
        if side == "red" {
            fields.push(("task", Val::S("hold".into())));
        }
        w.fields(&fields)
    })?;
    w.array("depot", plan.depots.len(), |w, d| {
        let site = &plan.depots[d];
        w.fields(&[
            ("id", Val::S(format!("d{d}"))),
            ("side", Val::S(["blue", "red"][site.side].into())),
            ("at", Val::S(format!("s{}", site.node))),
            (
                "stock_tons",
                Val::N(round4(10.0 * site.output_tons_per_day)),
            ),
            ("output_tons_per_day", Val::N(site.output_tons_per_day)),
        ])
    })?;
    w.array("objective", 1, |w, _| {
        w.fields(&[
            ("settlement", Val::S(format!("s{objective}"))),
            ("attacker", Val::S("blue".into())),
            (
                "sources",
                Val::L(sources.iter().map(|s| format!("s{s}")).collect()),
            ),
        ])
    })?;
    w.table("air", &[("sorties_per_day", Val::N(20.0))])?;
    w.array("front", 1, |w, _| {
        w.fields(&[
            ("name", Val::S("far front".into())),
            ("c2_load", Val::N(0.1)),
            ("reserve_draw_per_day", Val::N(5.0)),
        ])
    })?;
    w.close_doc()
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn population(kind: &str) -> f64 {
    match kind {
        "city" => 150_000.0,
        "town" => 15_000.0,
        "village" => 1_200.0,
        _ => 0.0,
    }
}

fn centre_distance(p: &Place, side_km: f64) -> f64 {
    (p.x_km - side_km * 0.6).hypot(p.y_km - side_km * 0.5)
}

/// Settlements uniformly in the box; the last two are the defender's bases on the eastern edge.
fn scatter(rng: &mut ChaCha8Rng, n: usize, side_km: f64) -> Vec<Place> {
    let mut places: Vec<Place> = (0..n - 2)
        .map(|i| {
            let (x, y) = (uniform(rng) * side_km, uniform(rng) * side_km);
            let kind = match i % 1000 {
                0 => "city",
                1..=20 => "town",
                21..=70 => "crossing",
                _ => "village",
            };
            Place {
                x_km: x,
                y_km: y,
                kind,
                attacker: x < side_km * 0.2,
            }
        })
        .collect();
    for y in [0.3, 0.7] {
        places.push(Place {
            x_km: side_km,
            y_km: side_km * y,
            kind: "base",
            attacker: false,
        });
    }
    if !places.iter().any(|p| p.kind == "city" && !p.attacker) {
        let mid = places
            .iter()
            .position(|p| !p.attacker && p.kind != "base")
            .unwrap_or(0);
        places[mid].kind = "city";
    }
    if !places.iter().any(|p| p.attacker) {
        places[0].attacker = true;
        places[0].x_km = 0.0;
    }
    places
}

/// Each settlement to its three nearest neighbours (grid buckets keep this linear), then every
/// component joined to the next along x, so the graph is connected. Returns (a, b, road km).
fn road_graph(places: &[Place], side_km: f64) -> Vec<(usize, usize, f64)> {
    let cell = 15.0;
    let cells = (side_km / cell).ceil().max(1.0) as usize;
    let key = |p: &Place| {
        ((p.x_km / cell) as usize).min(cells - 1) * cells
            + ((p.y_km / cell) as usize).min(cells - 1)
    };
    let mut grid: Vec<Vec<usize>> = vec![Vec::new(); cells * cells];
    for (i, p) in places.iter().enumerate() {
        grid[key(p)].push(i);
    }
    let mut edges = std::collections::BTreeSet::new();
    for (i, p) in places.iter().enumerate() {
        let (cx, cy) = ((p.x_km / cell) as i64, (p.y_km / cell) as i64);
        let mut near: Vec<(f64, usize)> = Vec::new();
        for dx in -1..=1 {
            for dy in -1..=1 {
                let (gx, gy) = (cx + dx, cy + dy);
                if gx < 0 || gy < 0 || gx >= cells as i64 || gy >= cells as i64 {
                    continue;
                }
                for &j in &grid[gx as usize * cells + gy as usize] {
                    if j != i {
                        near.push((dist(p, &places[j]), j));
                    }
                }
            }
        }
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, j) in near.iter().take(3) {
            edges.insert((i.min(j), i.max(j)));
        }
    }
    let mut parent: Vec<usize> = (0..places.len()).collect();
    let find = root;
    for &(a, b) in &edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra] = rb;
    }
    let mut order: Vec<usize> = (0..places.len()).collect();
    order.sort_by(|&a, &b| places[a].x_km.total_cmp(&places[b].x_km).then(a.cmp(&b)));
    for w in order.windows(2) {
        let (ra, rb) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
        if ra != rb {
            parent[ra] = rb;
            edges.insert((w[0].min(w[1]), w[0].max(w[1])));
        }
    }
    edges
        .into_iter()
        .map(|(a, b)| (a, b, round4((dist(&places[a], &places[b]) * 1.25).max(0.5))))
        .collect()
}

fn dist(a: &Place, b: &Place) -> f64 {
    (a.x_km - b.x_km).hypot(a.y_km - b.y_km)
}

/// A value in a generated table.
enum Val {
    S(String),
    N(f64),
    L(Vec<String>),
}

/// Streams TOML or JSON tables.
struct Writer<'a> {
    out: io::BufWriter<&'a mut dyn Write>,
    json: bool,
    first_table: bool,
}

impl<'a> Writer<'a> {
    fn new(out: &'a mut dyn Write, json: bool) -> Self {
        Writer {
            out: io::BufWriter::with_capacity(1 << 20, out),
            json,
            first_table: true,
        }
    }

    fn open_doc(&mut self) -> io::Result<()> {
        if self.json {
            self.out.write_all(b"{")
        } else {
            self.out
                .write_all(b"# Generated by `phaseline generate`.\n")
        }
    }

    /// A comment line in TOML (JSON has none: the description carries the same text).
    fn comment(&mut self, text: &str) -> io::Result<()> {
        if self.json {
            return Ok(());
        }
        writeln!(self.out, "# {text}")
    }

    fn close_doc(&mut self) -> io::Result<()> {
        if self.json {
            self.out.write_all(b"\n}\n")?;
        }
        self.out.flush()
    }

    fn sep(&mut self) -> io::Result<()> {
        if self.json && !self.first_table {
            self.out.write_all(b",")?;
        }
        self.first_table = false;
        Ok(())
    }

    fn table(&mut self, name: &str, fields: &[(&str, Val)]) -> io::Result<()> {
        self.sep()?;
        if self.json {
            write!(self.out, "\n\"{name}\": ")?;
        } else {
            write!(self.out, "\n[{name}]\n")?;
        }
        self.fields(fields)
    }

    fn array(
        &mut self,
        name: &str,
        n: usize,
        mut each: impl FnMut(&mut Self, usize) -> io::Result<()>,
    ) -> io::Result<()> {
        self.sep()?;
        if self.json {
            write!(self.out, "\n\"{name}\": [")?;
        }
        for i in 0..n {
            if self.json {
                self.out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            } else {
                write!(self.out, "\n[[{name}]]\n")?;
            }
            each(self, i)?;
        }
        if self.json {
            self.out.write_all(b"\n]")?;
        }
        Ok(())
    }

    fn fields(&mut self, fields: &[(&str, Val)]) -> io::Result<()> {
        let mut line = String::new();
        if self.json {
            line.push('{');
        }
        for (i, (k, v)) in fields.iter().enumerate() {
            let text = match v {
                Val::S(s) => format!("\"{s}\""),
                Val::N(x) => x.to_string(),
                Val::L(items) => format!(
                    "[{}]",
                    items
                        .iter()
                        .map(|s| format!("\"{s}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            if self.json {
                let _ = write!(line, "{}\"{k}\": {text}", if i == 0 { "" } else { ", " });
            } else {
                let _ = writeln!(line, "{k} = {text}");
            }
        }
        if self.json {
            line.push('}');
        }
        self.out.write_all(line.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{SourceFormat, parse_scenario};

    fn text(settlements: usize, units: usize, json: bool) -> String {
        let mut buf = Vec::new();
        generate(
            &GenerateOptions {
                settlements,
                units,
                seed: 3,
                json,
            },
            &mut buf,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8(buf).unwrap_or_default()
    }

    #[test]
    fn generated_scenarios_validate_in_both_formats() {
        for json in [false, true] {
            let t = text(300, 2000, json);
            let format = if json {
                SourceFormat::Json
            } else {
                SourceFormat::Toml
            };
            let s = parse_scenario(&t, format).unwrap_or_else(|p| panic!("{p:#?}"));
            assert_eq!(s.settlements.len(), 300);
            assert_eq!(s.units.len(), 2000);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_file() {
        assert_eq!(text(100, 300, false), text(100, 300, false));
        assert_eq!(text(100, 300, true), text(100, 300, true));
    }

    #[test]
    fn a_generated_world_runs() {
        let s = parse_scenario(&text(200, 1000, false), SourceFormat::Toml)
            .unwrap_or_else(|p| panic!("{p:#?}"));
        let out = crate::sim::simulate(std::sync::Arc::new(s), 1, Some(10))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.timeseries.len(), 11);
    }
}
