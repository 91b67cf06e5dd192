//! Supply distribution as a flow: sources (stocks a side can draw on) to demands (units and
//! stockpiles that need supply) over the route network, shared max-min fairly when the network
//! cannot carry every demand.
//!
//! **Rule (max-min fair share of need).** Every demand gets the same share λ of its need, as large
//! as the network allows; the demands that cannot get more (every path to them is saturated, or
//! their sources are empty) keep that share, and the others grow together to the next level, until
//! each demand is either met in full or bottlenecked. This is the progressive-filling ("water
//! filling") allocation of Bertsekas & Gallager, *Data Networks* (1992, §6.5.2), applied to a
//! single commodity. Each level λ is the largest common share the network can carry, found by
//! Newton's (Dinkelbach's) method on the parametric minimum cut (Gallo, Grigoriadis & Tarjan 1989):
//! from λ = 1, a min cut that is too small gives the λ at which that cut would be exactly enough,
//! and a few max-flows (Dinic) reach the exact level. The allocation depends on the network and the
//! needs alone, not on the order of nodes or routes: a bottleneck's share is the same for every
//! demand behind it.

use super::{Dinic, EPS, RouteGraph};

/// What a day's distribution moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// Tons delivered to each node's demand.
    pub delivered: Vec<f64>,
    /// Tons drawn from each node's sources.
    pub drawn: Vec<f64>,
    /// Tons carried along each route (either direction).
    pub route_tons: Vec<f64>,
}

/// The network of one allocation: routes, a super-source feeding each node's supply and every
/// node's demand feeding a super-sink. Built once; each trial share only resets the capacities.
struct Network<'a> {
    graph: &'a RouteGraph,
    caps: &'a [f64],
    supply: &'a [f64],
    demand: &'a [f64],
    /// The Dinic network of [`SupplyNetwork`]. Arcs: 2 per route (first), then source arc and sink
    /// arc per node.
    net: &'a mut Dinic,
    /// Its arcs' capacities with every sink arc at 0.
    original: Vec<f64>,
}

impl<'a> Network<'a> {
    fn new(
        graph: &'a RouteGraph,
        net: &'a mut Dinic,
        caps: &'a [f64],
        supply: &'a [f64],
        demand: &'a [f64],
    ) -> Self {
        let mut original = Vec::with_capacity(net.cap.len());
        for c in caps {
            original.extend([c.max(0.0), c.max(0.0)]);
        }
        for s in supply {
            original.extend([s.max(0.0), 0.0, 0.0, 0.0]);
        }
        Network {
            graph,
            caps,
            supply,
            demand,
            net,
            original,
        }
    }

    /// Max flow with demand caps `fixed[v]` for settled nodes and `lambda × demand[v]` for the
    /// rest; the solved network stays in `self.net`.
    fn solve(&mut self, fixed: &[Option<f64>], lambda: f64) -> f64 {
        let n = self.graph.nodes;
        self.net.cap.copy_from_slice(&self.original);
        let base = 2 * self.graph.ends.len();
        for (v, (settled, demand)) in fixed.iter().zip(self.demand).enumerate() {
            self.net.cap[base + 4 * v + 2] = settled.unwrap_or(lambda * demand).max(0.0);
        }
        self.net.run(n, n + 1)
    }

    /// What the demands ask at `lambda`: settled caps plus `lambda` × the open needs.
    fn required(&self, fixed: &[Option<f64>], lambda: f64) -> f64 {
        fixed
            .iter()
            .zip(self.demand)
            .map(|(f, d)| f.unwrap_or(lambda * d))
            .sum()
    }

    /// The largest share in `[floor, 1]` of the open needs that the network carries together
    /// with the settled ones; the flow at that share stays in `self.net`.
    fn level(&mut self, fixed: &[Option<f64>], floor: f64) -> f64 {
        let n = self.graph.nodes;
        let mut lambda = 1.0;
        loop {
            let flow = self.solve(fixed, lambda);
            let required = self.required(fixed, lambda);
            if flow >= required - EPS * required.max(1.0) || lambda <= floor {
                return lambda;
            }
            // The minimum cut: what the super-source still reaches. Its capacity as a function of
            // the share is constant + share × (open needs inside it); solve cut = required.
            let reached = self.net.reached_from(n);
            let mut constant = 0.0;
            let mut inside = 0.0;
            for v in 0..n {
                if !reached[v] {
                    constant += self.supply[v].max(0.0);
                    continue;
                }
                match fixed[v] {
                    Some(cap) => constant += cap,
                    None => inside += self.demand[v],
                }
            }
            for (r, &(a, b, _)) in self.graph.ends.iter().enumerate() {
                if reached[a] != reached[b] {
                    constant += self.caps[r].max(0.0);
                }
            }
            let settled: f64 = fixed.iter().flatten().sum();
            let open: f64 = fixed
                .iter()
                .zip(self.demand)
                .filter(|(f, _)| f.is_none())
                .map(|(_, d)| d)
                .sum();
            let outside = open - inside;
            let next = if outside > EPS {
                ((constant - settled) / outside).clamp(floor, lambda)
            } else {
                floor
            };
            // Newton's steps shrink the share monotonically; a step too small to matter ends it.
            if lambda - next <= 1e-12 {
                self.solve(fixed, next);
                return next;
            }
            lambda = next;
        }
    }
}

impl RouteGraph {
    /// Distributes `supply[v]` tons available at each node to `demand[v]` tons wanted at each node
    /// over routes carrying at most `caps[r]` tons each (in each direction), max-min fairly when not
    /// everything can be carried (see the module docs). A caller that allocates every day keeps a
    /// [`SupplyNetwork`] instead.
    pub fn allocate_supply(&self, caps: &[f64], supply: &[f64], demand: &[f64]) -> Allocation {
        SupplyNetwork::new(self).allocate(self, caps, supply, demand)
    }
}

/// The flow network of a route graph for [`RouteGraph::allocate_supply`], built once and reused:
/// the graph does not change during a run, only capacities, stocks and needs do.
#[derive(Debug, Clone)]
pub struct SupplyNetwork {
    net: Dinic,
}

impl SupplyNetwork {
    /// The network of `graph`, every capacity 0.
    pub fn new(graph: &RouteGraph) -> SupplyNetwork {
        let n = graph.nodes;
        let mut net = Dinic::new(n + 2);
        for &(a, b, _) in &graph.ends {
            net.add_edge(a, b, 0.0, 0.0);
        }
        for v in 0..n {
            net.add_edge(n, v, 0.0, 0.0);
            net.add_edge(v, n + 1, 0.0, 0.0);
        }
        SupplyNetwork { net }
    }

    /// [`RouteGraph::allocate_supply`] on this network (`graph` must be the one it was built for).
    pub fn allocate(
        &mut self,
        graph: &RouteGraph,
        caps: &[f64],
        supply: &[f64],
        demand: &[f64],
    ) -> Allocation {
        let this = graph;
        let n = this.nodes;
        // A need no stock can reach gets nothing whatever the share: settle it at once, so it does
        // not cost a level of its own.
        let reachable = this.reachable_from(supply, caps);
        let mut fixed: Vec<Option<f64>> = demand
            .iter()
            .zip(&reachable)
            .map(|(&d, &r)| if d > EPS && r { None } else { Some(0.0) })
            .collect();
        if fixed.iter().all(Option::is_some) {
            // Nothing any stock can reach: no flow to compute.
            return Allocation {
                delivered: vec![0.0; n],
                drawn: vec![0.0; n],
                route_tons: vec![0.0; this.ends.len()],
            };
        }
        let mut network = Network::new(this, &mut self.net, caps, supply, demand);
        let mut floor = 0.0;
        loop {
            let lambda = network.level(&fixed, floor);
            let open = fixed.iter().filter(|f| f.is_none()).count();
            if open == 0 || lambda >= 1.0 {
                break;
            }
            // Demands the source can no longer reach in the residual network are bottlenecked:
            // they keep this share; the others may grow together.
            let reached = network.net.reached_from(n);
            let mut settled_now = 0;
            for v in 0..n {
                if fixed[v].is_none() && !reached[v] {
                    fixed[v] = Some(lambda * demand[v]);
                    settled_now += 1;
                }
            }
            if settled_now == 0 || settled_now == open {
                // Nothing can grow (or only rounding kept a node reachable): this share is final.
                for v in 0..n {
                    fixed[v].get_or_insert(lambda * demand[v]);
                }
            }
            floor = lambda;
            if fixed.iter().all(Option::is_some) {
                network.solve(&fixed, 0.0);
                break;
            }
        }
        allocation_of(this, network.net)
    }
}

impl RouteGraph {
    /// Nodes a stock can reach over routes with capacity (a node with stock reaches itself).
    fn reachable_from(&self, supply: &[f64], caps: &[f64]) -> Vec<bool> {
        let mut seen: Vec<bool> = supply.iter().map(|&s| s > EPS).collect();
        let mut queue: std::collections::VecDeque<usize> =
            (0..self.nodes).filter(|&v| seen[v]).collect();
        while let Some(u) = queue.pop_front() {
            for &(r, v) in &self.adjacency[u] {
                if caps[r] > EPS && !seen[v] {
                    seen[v] = true;
                    queue.push_back(v);
                }
            }
        }
        seen
    }
}

/// Reads deliveries, draws and route loads off a network solved by [`Network::solve`].
fn allocation_of(graph: &RouteGraph, net: &Dinic) -> Allocation {
    let routes = graph.ends.len();
    let n = graph.nodes;
    // Arc 2r is a→b of route r and 2r+1 is b→a; each started at the route's capacity, so the flow
    // one way is the capacity the paired arc gained.
    let route_tons = (0..routes)
        .map(|r| {
            let (ab, ba) = (net.cap[2 * r], net.cap[2 * r + 1]);
            ((ab - ba) / 2.0).abs()
        })
        .collect();
    let base = 2 * routes;
    let (mut delivered, mut drawn) = (vec![0.0; n], vec![0.0; n]);
    for v in 0..n {
        // Per node: source arc (4v, 4v+1), then sink arc (4v+2, 4v+3); the reverse arcs started at 0.
        drawn[v] = net.cap[base + 4 * v + 1];
        delivered[v] = net.cap[base + 4 * v + 3];
    }
    Allocation {
        delivered,
        drawn,
        route_tons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain s — m — t of 10 km routes with the given capacities.
    fn chain(caps: [f64; 2]) -> (RouteGraph, Vec<f64>) {
        let g = RouteGraph::from_ends(3, vec![(0, 1, 10.0), (1, 2, 10.0)]);
        (g, caps.to_vec())
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn everything_is_carried_when_the_network_allows() {
        let (g, caps) = chain([100.0, 100.0]);
        let a = g.allocate_supply(&caps, &[500.0, 0.0, 0.0], &[0.0, 30.0, 40.0]);
        assert!(close(a.delivered[1], 30.0) && close(a.delivered[2], 40.0));
        assert!(close(a.drawn[0], 70.0));
        assert!(close(a.route_tons[0], 70.0) && close(a.route_tons[1], 40.0));
    }

    #[test]
    fn a_bottleneck_shares_its_capacity_in_proportion_to_need() {
        // Two demands behind one 30 t/day route, asking 20 and 40: each gets half its need.
        let g = RouteGraph::from_ends(4, vec![(0, 1, 10.0), (1, 2, 10.0), (1, 3, 10.0)]);
        let a = g.allocate_supply(
            &[30.0, 100.0, 100.0],
            &[1000.0, 0.0, 0.0, 0.0],
            &[0.0, 0.0, 20.0, 40.0],
        );
        assert!(close(a.delivered[2], 10.0), "{:?}", a.delivered);
        assert!(close(a.delivered[3], 20.0), "{:?}", a.delivered);
    }

    #[test]
    fn a_cut_off_demand_does_not_hold_back_the_others() {
        // Node 2 has no open route; node 1 is fully served, node 2 gets nothing.
        let (g, _) = chain([0.0; 2]);
        let a = g.allocate_supply(&[100.0, 0.0], &[50.0, 0.0, 0.0], &[0.0, 30.0, 40.0]);
        assert!(close(a.delivered[1], 30.0) && close(a.delivered[2], 0.0));
    }

    #[test]
    fn levels_fill_up_behind_separate_bottlenecks() {
        // Source 0 feeds 1 over 10 t/day and 2 over 100 t/day; both ask 50. Node 1 is held to 10,
        // node 2 gets its 50 (max-min fair, not a common 60 % share).
        let g = RouteGraph::from_ends(3, vec![(0, 1, 5.0), (0, 2, 5.0)]);
        let a = g.allocate_supply(&[10.0, 100.0], &[1000.0, 0.0, 0.0], &[0.0, 50.0, 50.0]);
        assert!(
            close(a.delivered[1], 10.0) && close(a.delivered[2], 50.0),
            "{:?}",
            a.delivered
        );
    }

    #[test]
    fn scarce_stock_is_shared_in_proportion_to_need() {
        let (g, caps) = chain([1000.0, 1000.0]);
        let a = g.allocate_supply(&caps, &[30.0, 0.0, 0.0], &[0.0, 20.0, 40.0]);
        assert!(
            close(a.delivered[1], 10.0) && close(a.delivered[2], 20.0),
            "{:?}",
            a.delivered
        );
        assert!(close(a.drawn[0], 30.0));
    }

    #[test]
    fn a_local_stock_serves_its_own_node_first_hand() {
        let (g, _) = chain([0.0; 2]);
        let a = g.allocate_supply(&[0.0, 0.0], &[0.0, 0.0, 100.0], &[0.0, 0.0, 32.0]);
        assert!(close(a.delivered[2], 32.0) && close(a.drawn[2], 32.0));
    }

    /// A small deterministic generator for the random-network check (no extra dependency).
    fn lcg(state: &mut u64) -> f64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn the_fair_allocation_carries_as_much_as_a_maximum_flow() {
        // The deliveries the network allows form a polymatroid, so the max-min fair point is also a
        // maximum flow: on random networks its total equals plain max-flow's, and no need or stock
        // is exceeded.
        let mut state = 7u64;
        for case in 0..200 {
            let n = 3 + case % 9;
            let mut ends = Vec::new();
            for v in 1..n {
                ends.push(((lcg(&mut state) * v as f64) as usize, v, 10.0));
            }
            for _ in 0..n {
                let (a, b) = (
                    (lcg(&mut state) * n as f64) as usize,
                    (lcg(&mut state) * n as f64) as usize,
                );
                if a != b {
                    ends.push((a, b, 10.0));
                }
            }
            let g = RouteGraph::from_ends(n, ends);
            let pick = |state: &mut u64, p: f64, scale: f64| {
                if lcg(state) < p {
                    (lcg(state) * scale).round()
                } else {
                    0.0
                }
            };
            let caps: Vec<f64> = (0..g.ends.len())
                .map(|_| pick(&mut state, 0.8, 50.0))
                .collect();
            let supply: Vec<f64> = (0..n).map(|_| pick(&mut state, 0.3, 100.0)).collect();
            let demand: Vec<f64> = (0..n).map(|_| pick(&mut state, 0.6, 40.0)).collect();
            let a = g.allocate_supply(&caps, &supply, &demand);
            let mut net = SupplyNetwork::new(&g).net;
            let mut network = Network::new(&g, &mut net, &caps, &supply, &demand);
            let all: Vec<Option<f64>> = demand.iter().map(|&d| Some(d)).collect();
            let best = network.solve(&all, 0.0);
            let total: f64 = a.delivered.iter().sum();
            assert!(
                (total - best).abs() < 1e-6,
                "case {case}: fair {total} vs max {best}"
            );
            for v in 0..n {
                assert!(a.delivered[v] <= demand[v] + 1e-9 && a.drawn[v] <= supply[v] + 1e-9);
            }
        }
    }

    #[test]
    fn the_allocation_does_not_depend_on_node_order() {
        // The bottleneck example with its two demand nodes swapped.
        let g = RouteGraph::from_ends(4, vec![(0, 1, 10.0), (1, 3, 10.0), (1, 2, 10.0)]);
        let a = g.allocate_supply(
            &[30.0, 100.0, 100.0],
            &[1000.0, 0.0, 0.0, 0.0],
            &[0.0, 0.0, 40.0, 20.0],
        );
        assert!(close(a.delivered[2], 20.0) && close(a.delivered[3], 10.0));
    }
}
