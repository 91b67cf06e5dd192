//! Injects: what the scenario scheduled for today — the instructor's and the what-if's lever.
//!
//! Applied at the first tick of their day, before anything else, so the day's decisions see them.

use super::common::{Books, Scene};
use crate::model::{AirState, Depot, EventKind, Key, RouteState, SideOf, Supply};
use crate::scenario::InjectAction;
use bevy_ecs::prelude::*;

/// Applies every inject scheduled for the current day.
pub fn apply_injects(
    mut commands: Commands,
    scene: Scene,
    mut routes: ResMut<RouteState>,
    mut air: ResMut<AirState>,
    books: Books,
    mut depots: Query<(&Key, &SideOf, &mut Depot)>,
    units: Query<(Entity, &Key, &SideOf, &Supply), Without<Depot>>,
) {
    let Scene { clock, theatre, .. } = scene;
    let Books {
        mut tallies,
        mut ledger,
        mut log,
    } = books;
    if !clock.is_day_start() {
        return;
    }
    let day = clock.day();
    let scenario = &theatre.scenario;
    for inject in scenario.injects.iter().filter(|i| i.day == day) {
        let (subject, detail) = match &inject.action {
            InjectAction::CutRoute(r) => {
                routes.inject_cut[*r] = true;
                routes.dirty = true;
                (scenario.routes[*r].id.clone(), "route cut".to_owned())
            }
            InjectAction::ReopenRoute(r) => {
                routes.inject_cut[*r] = false;
                routes.dirty = true;
                (scenario.routes[*r].id.clone(), "route reopened".to_owned())
            }
            InjectAction::DestroyDepot(d) => {
                let id = &scenario.depots[*d].id;
                if let Some((_, side, mut depot)) = depots.iter_mut().find(|(k, ..)| &k.id == id) {
                    ledger.sides[side.0].destroyed_tons += depot.stock_tons;
                    depot.stock_tons = 0.0;
                }
                (id.clone(), "depot destroyed".to_owned())
            }
            InjectAction::AddUnit(u) => {
                let tons = u.supply_days
                    * u.strength
                    * scenario.sides[u.side].consumption_tons_per_fighter_per_day;
                ledger.sides[u.side].produced_tons += tons;
                tallies.spawned += 1;
                commands.spawn(super::super::sim::unit_bundle(u, tons));
                (
                    u.id.clone(),
                    format!(
                        "{:.0} fighters arrive at {}",
                        u.strength, scenario.settlements[u.at].name
                    ),
                )
            }
            InjectAction::WithdrawUnit(id) => match units.iter().find(|(_, k, ..)| &k.id == id) {
                Some((e, _, side, supply)) => {
                    ledger.sides[side.0].destroyed_tons += supply.tons;
                    commands.entity(e).despawn();
                    (id.clone(), "unit withdrawn from the theatre".to_owned())
                }
                None => (
                    id.clone(),
                    "withdrawal ignored: no such unit is left".to_owned(),
                ),
            },
            InjectAction::SetSorties(n) => {
                air.sorties_per_day = *n;
                ("air".to_owned(), format!("sorties set to {n} per day"))
            }
        };
        log.push(day, EventKind::Inject, subject, detail);
    }
}
