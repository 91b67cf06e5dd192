//! The distributions of uncertain parameters, each drawn by its quantile function from one uniform
//! number (so a design in the unit cube maps onto the same parameter space), with the standard
//! normal distribution function and its inverse written out on `libm` for the same bits everywhere.

/// The quantile at which a distribution without bounds is cut (and its mirror, 1 − this).
pub const TAIL: f64 = 0.001;

/// A parameter's distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Uniform on [low, high].
    Uniform {
        /// Smallest value.
        low: f64,
        /// Largest value.
        high: f64,
    },
    /// Triangular on [low, high] with its peak at `mode`.
    Triangular {
        /// Smallest value.
        low: f64,
        /// Most likely value.
        mode: f64,
        /// Largest value.
        high: f64,
    },
    /// Normal(mean, sd) truncated to [low, high].
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        sd: f64,
        /// Smallest value.
        low: f64,
        /// Largest value.
        high: f64,
    },
    /// Log-normal with the given median and sd of the log, truncated to [low, high].
    LogNormal {
        /// Median.
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
        /// Smallest value.
        low: f64,
        /// Largest value.
        high: f64,
    },
}

impl Distribution {
    /// The value at cumulative probability `u` in [0, 1].
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match *self {
            Distribution::Uniform { low, high } => low + u * (high - low),
            Distribution::Triangular { low, mode, high } => {
                let split = (mode - low) / (high - low);
                if u < split {
                    low + libm::sqrt(u * (high - low) * (mode - low))
                } else {
                    high - libm::sqrt((1.0 - u) * (high - low) * (high - mode))
                }
            }
            Distribution::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                let (a, b) = (
                    normal_cdf((low - mean) / sd),
                    normal_cdf((high - mean) / sd),
                );
                (mean + sd * normal_quantile(a + u * (b - a))).clamp(low, high)
            }
            Distribution::LogNormal {
                median,
                sigma,
                low,
                high,
            } => {
                let z = |x: f64| (libm::log(x) - libm::log(median)) / sigma;
                let (a, b) = (normal_cdf(z(low)), normal_cdf(z(high)));
                (median * libm::exp(sigma * normal_quantile(a + u * (b - a)))).clamp(low, high)
            }
        }
    }

    /// The smallest and largest values it can take.
    pub fn bounds(&self) -> (f64, f64) {
        (self.quantile(0.0), self.quantile(1.0))
    }

    /// Its 5 % and 95 % quantiles: the width a calibration compares a posterior with.
    pub fn p5_p95(&self) -> (f64, f64) {
        (self.quantile(0.05), self.quantile(0.95))
    }

    /// The name written in files.
    pub fn name(&self) -> &'static str {
        match self {
            Distribution::Uniform { .. } => "uniform",
            Distribution::Triangular { .. } => "triangular",
            Distribution::Normal { .. } => "normal",
            Distribution::LogNormal { .. } => "lognormal",
        }
    }
}

/// Φ, the standard normal distribution function.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// Φ⁻¹: Acklam's rational approximation, polished by one Halley step (about 1e-15 relative).
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < 0.02425 {
        tail(libm::sqrt(-2.0 * libm::log(p)))
    } else if p > 1.0 - 0.02425 {
        -tail(libm::sqrt(-2.0 * libm::log(1.0 - p)))
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    let e = normal_cdf(x) - p;
    let u = e * libm::sqrt(2.0 * std::f64::consts::PI) * libm::exp(x * x / 2.0);
    x - u / (1.0 + x * u / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_worked_values() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-12);
        let tri = Distribution::Triangular {
            low: 0.0,
            mode: 1.0,
            high: 2.0,
        };
        assert!((tri.quantile(0.5) - 1.0).abs() < 1e-12);
        assert!((tri.quantile(0.125) - 0.5).abs() < 1e-12);
        let uni = Distribution::Uniform {
            low: 2.0,
            high: 4.0,
        };
        assert_eq!(uni.quantile(0.25), 2.5);
        let n = Distribution::Normal {
            mean: 10.0,
            sd: 2.0,
            low: 0.0,
            high: 20.0,
        };
        assert!((n.quantile(0.5) - 10.0).abs() < 1e-9);
        let ln = Distribution::LogNormal {
            median: 0.01,
            sigma: 0.5,
            low: 0.001,
            high: 0.1,
        };
        assert!((ln.quantile(0.5) - 0.01).abs() < 1e-9);
        assert!((ln.quantile(normal_cdf(1.0)) - 0.01 * libm::exp(0.5)).abs() < 1e-6);
    }
}
