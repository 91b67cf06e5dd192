//! The route graph and its algorithms: max-flow / min-cut for isolation, shortest paths for
//! movement, resupply and escape, and great-circle distance for map radii.
//!
//! Supply distribution ([`RouteGraph::allocate_supply`]) is a max-min fair flow from stocks to
//! needs over the same capacities (see `graph/allocation.rs`).
//!
//! Max-flow is Dinic's algorithm on f64 capacities; each route is two opposite arcs of its capacity,
//! the defender's outside sources are joined to one super-source by unbounded arcs. Every loop runs in
//! index order, so results never depend on hashing or thread timing.

mod allocation;

pub use allocation::{Allocation, SupplyNetwork};

use crate::ids::{NodeId, RouteId};
use crate::scenario::types::{Scenario, Settlement};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Below this a flow or capacity counts as zero.
const EPS: f64 = 1e-9;

/// Adjacency of the scenario's settlements and routes (static for a run).
#[derive(Debug, Clone)]
pub struct RouteGraph {
    /// Number of settlements.
    pub nodes: usize,
    /// `(from, to, length_km)` per route.
    pub ends: Vec<(usize, usize, f64)>,
    /// Per node, `(route, other end)` sorted by route index.
    pub adjacency: Vec<Vec<(usize, usize)>>,
}

/// The result of a max-flow computation.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The maximum flow, tons per day.
    pub value: f64,
    /// Per node: can still reach the sink in the residual graph (the sink side of the minimum cut
    /// nearest the sink).
    pub sink_side: Vec<bool>,
}

impl Flow {
    /// Routes crossing the minimum cut nearest the sink, ascending.
    pub fn cut_routes(&self, graph: &RouteGraph, caps: &[f64]) -> Vec<usize> {
        (0..graph.ends.len())
            .filter(|&r| {
                let (a, b, _) = graph.ends[r];
                caps[r] > EPS && self.sink_side[a] != self.sink_side[b]
            })
            .collect()
    }
}

impl RouteGraph {
    /// The end of `route` that is not `from` (a unit or convoy crossing it).
    pub fn across(&self, route: RouteId, from: NodeId) -> NodeId {
        let (a, b, _) = self.ends[route];
        NodeId(if a == from.index() { b } else { a })
    }

    /// The graph of a checked scenario.
    pub fn new(scenario: &Scenario) -> RouteGraph {
        let ends: Vec<(usize, usize, f64)> = scenario
            .routes
            .iter()
            .map(|r| (r.from, r.to, r.length_km))
            .collect();
        RouteGraph::from_ends(scenario.settlements.len(), ends)
    }

    /// A graph of `nodes` nodes and the given `(from, to, length_km)` routes.
    pub fn from_ends(nodes: usize, ends: Vec<(usize, usize, f64)>) -> RouteGraph {
        let mut adjacency = vec![Vec::new(); nodes];
        for (r, &(a, b, _)) in ends.iter().enumerate() {
            adjacency[a].push((r, b));
            adjacency[b].push((r, a));
        }
        RouteGraph {
            nodes,
            ends,
            adjacency,
        }
    }

    /// Max flow from the `sources` (joined) to `sink` with per-route capacities `caps`.
    pub fn max_flow(&self, sources: &[usize], sink: usize, caps: &[f64]) -> Flow {
        let mut net = Dinic::new(self.nodes + 1);
        let unbounded: f64 = caps.iter().filter(|c| c.is_finite()).sum::<f64>() + 1.0;
        for (r, &(a, b, _)) in self.ends.iter().enumerate() {
            net.add_edge(a, b, caps[r].max(0.0), caps[r].max(0.0));
        }
        let super_source = self.nodes;
        for &s in sources {
            if s != sink {
                net.add_edge(super_source, s, unbounded, 0.0);
            }
        }
        let value = net.run(super_source, sink);
        let mut sink_side = net.reaching(sink);
        sink_side.truncate(self.nodes);
        Flow { value, sink_side }
    }

    /// Shortest distances (km) from `from` over routes where `route_ok(route)` and into nodes where
    /// `node_ok(node)`, with the predecessor route of each reached node. A node that fails
    /// `node_ok` can be reached but not passed through.
    pub fn shortest_paths(
        &self,
        from: usize,
        route_ok: &dyn Fn(usize) -> bool,
        node_ok: &dyn Fn(usize) -> bool,
    ) -> ShortestPaths {
        self.dijkstra(&[from], route_ok, node_ok)
    }

    /// Like [`shortest_paths`](Self::shortest_paths) from the nearest of several start nodes.
    pub fn shortest_paths_from_set(
        &self,
        starts: &[usize],
        route_ok: &dyn Fn(usize) -> bool,
        node_ok: &dyn Fn(usize) -> bool,
    ) -> ShortestPaths {
        self.dijkstra(starts, route_ok, node_ok)
    }

    /// Nodes within `max_km` road distance of `from` (excluding it), with their distance, by node.
    pub fn within(&self, from: usize, max_km: f64) -> Vec<(usize, f64)> {
        let mut dist: std::collections::BTreeMap<usize, f64> = std::collections::BTreeMap::new();
        let mut heap = BinaryHeap::new();
        dist.insert(from, 0.0);
        heap.push(Visit {
            dist: 0.0,
            node: from,
        });
        while let Some(Visit { dist: d, node }) = heap.pop() {
            if d > dist[&node] {
                continue;
            }
            for &(r, next) in &self.adjacency[node] {
                let nd = d + self.ends[r].2;
                if nd <= max_km && dist.get(&next).is_none_or(|&old| nd < old) {
                    dist.insert(next, nd);
                    heap.push(Visit {
                        dist: nd,
                        node: next,
                    });
                }
            }
        }
        dist.remove(&from);
        dist.into_iter().collect()
    }

    fn dijkstra(
        &self,
        starts: &[usize],
        route_ok: &dyn Fn(usize) -> bool,
        node_ok: &dyn Fn(usize) -> bool,
    ) -> ShortestPaths {
        let mut dist = vec![f64::INFINITY; self.nodes];
        let mut via = vec![usize::MAX; self.nodes];
        let mut root = vec![usize::MAX; self.nodes];
        let mut heap = BinaryHeap::new();
        for &s in starts {
            dist[s] = 0.0;
            root[s] = s;
            heap.push(Visit { dist: 0.0, node: s });
        }
        while let Some(Visit { dist: d, node }) = heap.pop() {
            if d > dist[node] {
                continue;
            }
            if d > 0.0 && !node_ok(node) {
                continue; // reachable as a destination, but nothing passes through it
            }
            for &(r, next) in &self.adjacency[node] {
                let nd = d + self.ends[r].2;
                if route_ok(r) && nd < dist[next] {
                    dist[next] = nd;
                    via[next] = r;
                    root[next] = root[node];
                    heap.push(Visit {
                        dist: nd,
                        node: next,
                    });
                }
            }
        }
        ShortestPaths { dist, via, root }
    }
}

/// Distances and predecessor routes from one node, or from the nearest of several.
#[derive(Debug, Clone)]
pub struct ShortestPaths {
    /// Distance in km per node (infinite when unreachable).
    pub dist: Vec<f64>,
    /// Route by which each node is reached (`usize::MAX` for the start and unreached nodes).
    pub via: Vec<usize>,
    /// The start node each node was reached from (`usize::MAX` when unreached).
    pub root: Vec<usize>,
}

impl ShortestPaths {
    /// The routes from the (nearest) start to `to`, in travel order; `None` when unreachable.
    pub fn path_to(&self, graph: &RouteGraph, to: usize) -> Option<Vec<RouteId>> {
        if !self.dist[to].is_finite() {
            return None;
        }
        let mut routes = Vec::new();
        let mut node = NodeId(to);
        while node.index() != self.root[to] {
            let r = RouteId(self.via[node]);
            routes.push(r);
            node = graph.across(r, node);
        }
        routes.reverse();
        Some(routes)
    }
}

#[derive(Debug, PartialEq)]
struct Visit {
    dist: f64,
    node: usize,
}
impl Eq for Visit {}
impl Ord for Visit {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on distance; ties broken by node index so the order is total and stable.
        other
            .dist
            .total_cmp(&self.dist)
            .then_with(|| other.node.cmp(&self.node))
    }
}
impl PartialOrd for Visit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Dinic's max-flow on a residual graph of paired arcs.
#[derive(Debug, Clone)]
struct Dinic {
    head: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<f64>,
    level: Vec<i64>,
    next: Vec<usize>,
    /// Arcs of the augmenting path being built (kept to reuse its allocation).
    path: Vec<usize>,
    /// The breadth-first queue (kept to reuse its allocation).
    queue: VecDeque<usize>,
}

impl Dinic {
    fn new(n: usize) -> Dinic {
        Dinic {
            head: vec![Vec::new(); n],
            to: Vec::new(),
            cap: Vec::new(),
            level: vec![0; n],
            next: vec![0; n],
            path: Vec::new(),
            queue: VecDeque::new(),
        }
    }

    fn add_edge(&mut self, a: usize, b: usize, cap_ab: f64, cap_ba: f64) {
        self.head[a].push(self.to.len());
        self.to.push(b);
        self.cap.push(cap_ab);
        self.head[b].push(self.to.len());
        self.to.push(a);
        self.cap.push(cap_ba);
    }

    fn bfs(&mut self, s: usize, t: usize) -> bool {
        self.level.iter_mut().for_each(|l| *l = -1);
        self.level[s] = 0;
        let mut queue = std::mem::take(&mut self.queue);
        queue.clear();
        queue.push_back(s);
        while let Some(u) = queue.pop_front() {
            for &e in &self.head[u] {
                let v = self.to[e];
                if self.cap[e] > EPS && self.level[v] < 0 {
                    self.level[v] = self.level[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        self.queue = queue;
        self.level[t] >= 0
    }

    /// Pushes one augmenting path from `s` to `t` along the level graph; returns its flow (0 when
    /// none is left). Iterative, with the path on the heap: a path can be as long as the graph
    /// (a chain of 100 000 settlements), far beyond what recursion on a thread's stack survives.
    fn augment(&mut self, s: usize, t: usize) -> f64 {
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        let mut u = s;
        let pushed = loop {
            if u == t {
                break path.iter().fold(f64::INFINITY, |p, &e| p.min(self.cap[e]));
            }
            if let Some(&e) = self.head[u].get(self.next[u]) {
                let v = self.to[e];
                if self.cap[e] > EPS && self.level[v] == self.level[u] + 1 {
                    path.push(e);
                    u = v;
                } else {
                    self.next[u] += 1;
                }
                continue;
            }
            // A dead end: step back and try the parent's next arc.
            let Some(e) = path.pop() else {
                break 0.0;
            };
            u = self.to[e ^ 1];
            self.next[u] += 1;
        };
        for &e in &path {
            self.cap[e] -= pushed;
            self.cap[e ^ 1] += pushed;
        }
        self.path = path;
        pushed
    }

    fn run(&mut self, s: usize, t: usize) -> f64 {
        let mut flow = 0.0;
        while self.bfs(s, t) {
            self.next.iter_mut().for_each(|n| *n = 0);
            loop {
                let pushed = self.augment(s, t);
                if pushed <= EPS {
                    break;
                }
                flow += pushed;
            }
        }
        flow
    }

    /// Nodes `s` reaches in the residual graph (the source side of a minimum cut).
    fn reached_from(&self, s: usize) -> Vec<bool> {
        let mut seen = vec![false; self.head.len()];
        seen[s] = true;
        let mut queue = VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            for &e in &self.head[u] {
                let v = self.to[e];
                if self.cap[e] > EPS && !seen[v] {
                    seen[v] = true;
                    queue.push_back(v);
                }
            }
        }
        seen
    }

    /// Nodes with a residual path to `t`: arc `e` leaves `t`'s neighbour `v` towards it when the
    /// paired arc `e ^ 1` (v → u) still has capacity.
    fn reaching(&self, t: usize) -> Vec<bool> {
        let mut seen = vec![false; self.head.len()];
        seen[t] = true;
        let mut queue = VecDeque::from([t]);
        while let Some(u) = queue.pop_front() {
            for &e in &self.head[u] {
                let v = self.to[e];
                if self.cap[e ^ 1] > EPS && !seen[v] {
                    seen[v] = true;
                    queue.push_back(v);
                }
            }
        }
        seen
    }
}

/// Great-circle distance between two settlements, km (haversine, through `libm` for exact bits).
pub fn distance_km(a: &Settlement, b: &Settlement) -> f64 {
    let rad = std::f64::consts::PI / 180.0;
    let (la1, la2) = (a.lat * rad, b.lat * rad);
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon) * rad;
    let h = libm::pow(libm::sin(dlat / 2.0), 2.0)
        + libm::cos(la1) * libm::cos(la2) * libm::pow(libm::sin(dlon / 2.0), 2.0);
    2.0 * 6371.0 * libm::asin(libm::sqrt(h.clamp(0.0, 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diamond() -> RouteGraph {
        // 0 = source, 3 = sink; two parallel paths 0-1-3 and 0-2-3, plus a bypass 1-2.
        RouteGraph::from_ends(
            4,
            vec![
                (0, 1, 10.0),
                (1, 3, 10.0),
                (0, 2, 10.0),
                (2, 3, 10.0),
                (1, 2, 5.0),
            ],
        )
    }

    #[test]
    fn parallel_paths_add_up() {
        let f = diamond().max_flow(&[0], 3, &[10.0, 10.0, 10.0, 10.0, 0.0]);
        assert!((f.value - 20.0).abs() < 1e-9);
    }

    #[test]
    fn cutting_one_of_two_halves_flow() {
        let f = diamond().max_flow(&[0], 3, &[10.0, 0.0, 10.0, 10.0, 0.0]);
        assert!((f.value - 10.0).abs() < 1e-9);
    }

    #[test]
    fn a_bypass_restores_flow() {
        // 1-3 cut, but 1-2 carries 1's flow on to 2-3 (capacity 20).
        let f = diamond().max_flow(&[0], 3, &[10.0, 0.0, 10.0, 20.0, 10.0]);
        assert!((f.value - 20.0).abs() < 1e-9);
    }

    #[test]
    fn min_cut_is_the_one_nearest_the_sink() {
        // Two equal bottlenecks in series: 0 -5- 1 -5- 2; the cut next to the sink is route 1.
        let g = RouteGraph::from_ends(3, vec![(0, 1, 1.0), (1, 2, 1.0)]);
        let caps = [5.0, 5.0];
        let f = g.max_flow(&[0], 2, &caps);
        assert_eq!(f.cut_routes(&g, &caps), vec![1]);
    }

    #[test]
    fn min_cut_finds_the_bottleneck() {
        let g = RouteGraph::from_ends(4, vec![(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]);
        let caps = [100.0, 5.0, 100.0];
        let f = g.max_flow(&[0], 3, &caps);
        assert_eq!(f.value, 5.0);
        assert_eq!(f.cut_routes(&g, &caps), vec![1]);
    }

    #[test]
    fn shortest_path_avoids_blocked_nodes() {
        let g = diamond();
        let sp = g.shortest_paths(0, &|_| true, &|n| n != 1);
        assert_eq!(sp.dist[3], 20.0);
        assert_eq!(sp.path_to(&g, 3), Some(vec![RouteId(2), RouteId(3)]));
        assert_eq!(sp.dist[1], 10.0, "a blocked node can still be reached");
    }
}
