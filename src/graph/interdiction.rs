//! Where to cut: maximum-flow network interdiction with a budget (Wood 1993; Cormican, Morton and
//! Wood 1998), the attacker's choice of which settlements to seize to isolate an objective.
//!
//! The attacker cuts a route by holding one of its ends, so what it buys is settlements, each at a
//! cost (fighters to take it and hold it, weighted by how far it lies from the attacker's lines;
//! see `systems::tasking`). Taking a set of settlements leaves a residual flow: what still reaches
//! the objective over routes none of them closes. The problem is to minimise that residual flow
//! with the total cost within the budget.
//!
//! Settlements become arcs by node splitting (n_in → n_out, of capacity λ × cost), routes are arcs
//! between them of their capacity in tons per day. A minimum s–t cut of that network, for a price
//! λ on a fighter, takes the settlements whose arcs it cuts and leaves flowing the routes whose arcs
//! it cuts: it minimises λ × cost + residual flow, the Lagrangian relaxation of the budget
//! constraint. With λ small enough that no route is worth leaving open, it is the cheapest complete
//! cut; when that costs more than the budget, λ is raised by bisection until the cut fits it, so
//! the attacker gives up the dearest seizures that shut off the least flow first. Among cuts of
//! equal price the one nearest the objective is taken (a cordon, not a blockade at the far end).

use super::{Dinic, EPS, RouteGraph};

/// The settlements to seize, and what they cost and leave open.
#[derive(Debug, Clone, PartialEq)]
pub struct Interdiction {
    /// Settlements to seize, ascending.
    pub nodes: Vec<usize>,
    /// Their summed cost.
    pub cost: f64,
    /// Tons per day that still reach the objective once they are held (over routes left open).
    pub residual_flow: f64,
}

/// Bisection steps on the price of a fighter when the cheapest complete cut is over budget.
const PRICE_STEPS: usize = 30;

impl RouteGraph {
    /// The seizures that cut the most flow from `sources` to `sink` for at most `budget`, given each
    /// route's capacity `caps` and each settlement's cost `node_cost` (infinite: it cannot be taken;
    /// the sources and the sink never are).
    pub fn interdiction(
        &self,
        sources: &[usize],
        sink: usize,
        caps: &[f64],
        node_cost: &[f64],
        budget: f64,
    ) -> Interdiction {
        let takeable = |n: usize| n != sink && !sources.contains(&n) && node_cost[n].is_finite();
        let total_cost: f64 = (0..self.nodes)
            .filter(|&n| takeable(n))
            .map(|n| node_cost[n].max(0.0))
            .sum();
        let total_cap: f64 = caps.iter().map(|c| c.max(0.0)).sum();
        let smallest_cap = caps
            .iter()
            .copied()
            .filter(|&c| c > EPS)
            .fold(f64::INFINITY, f64::min);
        let smallest_cost = (0..self.nodes)
            .filter(|&n| takeable(n) && node_cost[n] > EPS)
            .map(|n| node_cost[n])
            .fold(f64::INFINITY, f64::min);
        if !smallest_cap.is_finite() {
            // Nothing flows: nothing to cut.
            return Interdiction {
                nodes: Vec::new(),
                cost: 0.0,
                residual_flow: 0.0,
            };
        }
        // At this price the whole cost of every settlement is below the narrowest route: the cut is
        // the cheapest complete one.
        let low = 0.5 * smallest_cap / (total_cost + 1.0);
        let cheapest = self.priced_cut(sources, sink, caps, node_cost, low, &takeable);
        if cheapest.cost <= budget || !smallest_cost.is_finite() {
            return cheapest;
        }
        // At this price no settlement is worth a ton of flow: nothing is taken.
        let mut high = 2.0 * (total_cap + 1.0) / smallest_cost;
        let mut lo = low;
        let mut best = self.priced_cut(sources, sink, caps, node_cost, high, &takeable);
        for _ in 0..PRICE_STEPS {
            let mid = (lo * high).sqrt();
            let cut = self.priced_cut(sources, sink, caps, node_cost, mid, &takeable);
            if cut.cost <= budget {
                high = mid;
                best = cut;
            } else {
                lo = mid;
            }
        }
        best
    }

    /// The minimum cut of the node-split network at `price` per unit of cost.
    fn priced_cut(
        &self,
        sources: &[usize],
        sink: usize,
        caps: &[f64],
        node_cost: &[f64],
        price: f64,
        takeable: &dyn Fn(usize) -> bool,
    ) -> Interdiction {
        let n = self.nodes;
        let (node_in, node_out) = (|v: usize| v, |v: usize| n + v);
        let finite: f64 = caps.iter().map(|c| c.max(0.0)).sum::<f64>()
            + (0..n)
                .filter(|&v| takeable(v))
                .map(|v| price * node_cost[v].max(0.0))
                .sum::<f64>();
        let unbounded = 2.0 * finite + 1.0;
        let mut net = Dinic::new(2 * n + 1);
        for (v, cost) in node_cost.iter().enumerate().take(n) {
            let cap = if takeable(v) {
                price * cost.max(0.0)
            } else {
                unbounded
            };
            net.add_edge(node_in(v), node_out(v), cap, 0.0);
        }
        for (r, &(a, b, _)) in self.ends.iter().enumerate() {
            let cap = caps[r].max(0.0);
            net.add_edge(node_out(a), node_in(b), cap, 0.0);
            net.add_edge(node_out(b), node_in(a), cap, 0.0);
        }
        let super_source = 2 * n;
        for &s in sources {
            if s != sink {
                net.add_edge(super_source, node_in(s), unbounded, 0.0);
            }
        }
        net.run(super_source, node_in(sink));
        let sink_side = net.reaching(node_in(sink));
        let nodes: Vec<usize> = (0..n)
            .filter(|&v| takeable(v) && !sink_side[node_in(v)] && sink_side[node_out(v)])
            .collect();
        let residual_flow = self
            .ends
            .iter()
            .enumerate()
            .filter(|&(r, _)| caps[r] > EPS)
            .map(|(r, &(a, b, _))| {
                let crosses = |x: usize, y: usize| !sink_side[node_out(x)] && sink_side[node_in(y)];
                if crosses(a, b) || crosses(b, a) {
                    caps[r]
                } else {
                    0.0
                }
            })
            .sum();
        Interdiction {
            cost: nodes.iter().map(|&v| node_cost[v]).sum(),
            nodes,
            residual_flow,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ladder from the source 0 to the objective 5: two parallel roads 0-1-3-5 and 0-2-4-5, each
    /// 100 t/day.
    fn ladder() -> RouteGraph {
        RouteGraph::from_ends(
            6,
            vec![
                (0, 1, 10.0),
                (1, 3, 10.0),
                (3, 5, 10.0),
                (0, 2, 10.0),
                (2, 4, 10.0),
                (4, 5, 10.0),
            ],
        )
    }

    const CAPS: [f64; 6] = [100.0; 6];

    #[test]
    fn the_cheapest_complete_cut_when_the_budget_allows() {
        // Settlements 1 and 2 (near the source) cost 10 each; 3 and 4 (near the objective) 30 and 5.
        let cost = [f64::INFINITY, 10.0, 10.0, 30.0, 5.0, f64::INFINITY];
        let cut = ladder().interdiction(&[0], 5, &CAPS, &cost, 1000.0);
        // One settlement per road: min(10, 30) + min(10, 5) = 10 + 5.
        assert_eq!(cut.nodes, vec![1, 4]);
        assert_eq!(cut.cost, 15.0);
        assert_eq!(cut.residual_flow, 0.0);
    }

    #[test]
    fn equal_prices_cut_nearest_the_objective() {
        let cost = [f64::INFINITY, 10.0, 10.0, 10.0, 10.0, f64::INFINITY];
        let cut = ladder().interdiction(&[0], 5, &CAPS, &cost, 1000.0);
        assert_eq!(cut.nodes, vec![3, 4], "a cordon round the objective");
    }

    #[test]
    fn over_budget_the_road_that_is_dearer_to_cut_stays_open() {
        // Cutting road A costs 10 at best, road B 40; a budget of 20 buys road A only.
        let cost = [f64::INFINITY, 10.0, 40.0, 30.0, 50.0, f64::INFINITY];
        let cut = ladder().interdiction(&[0], 5, &CAPS, &cost, 20.0);
        assert_eq!(cut.nodes, vec![1]);
        assert_eq!(cut.cost, 10.0);
        assert_eq!(cut.residual_flow, 100.0);
        // No budget: nothing is taken, everything still flows.
        let none = ladder().interdiction(&[0], 5, &CAPS, &cost, 0.0);
        assert!(none.nodes.is_empty());
        assert_eq!(none.residual_flow, 200.0);
    }

    #[test]
    fn a_settlement_that_cannot_be_taken_is_cut_around() {
        // 3 and 4 untakeable (ends of a road left open on purpose): the cut moves to 1 and 2.
        let cost = [
            f64::INFINITY,
            10.0,
            10.0,
            f64::INFINITY,
            f64::INFINITY,
            f64::INFINITY,
        ];
        let cut = ladder().interdiction(&[0], 5, &CAPS, &cost, 1000.0);
        assert_eq!(cut.nodes, vec![1, 2]);
        // With no takeable settlement on road B it stays open whatever the budget.
        let cost = [
            f64::INFINITY,
            10.0,
            f64::INFINITY,
            10.0,
            f64::INFINITY,
            f64::INFINITY,
        ];
        let cut = ladder().interdiction(&[0], 5, &CAPS, &cost, 1000.0);
        assert_eq!(cut.nodes, vec![3]);
        assert_eq!(cut.residual_flow, 100.0);
    }

    #[test]
    fn a_road_that_carries_nothing_needs_no_cut() {
        let caps = [100.0, 100.0, 100.0, 0.0, 0.0, 0.0];
        let cost = [f64::INFINITY, 10.0, 10.0, 10.0, 10.0, f64::INFINITY];
        let cut = ladder().interdiction(&[0], 5, &caps, &cost, 1000.0);
        assert_eq!(cut.nodes, vec![3]);
    }
}
