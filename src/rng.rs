//! Random streams: one ChaCha8 stream per (seed, system, entity key, tick), never shared.
//!
//! A draw depends only on those four numbers, never on which system or thread asks first, so
//! results are the same on any thread count and a change in one system's draws leaves the others'
//! untouched (common random numbers across courses of action). Keys come from the scenario's ids
//! through FNV-1a 64, written out here so that they never change with a library or platform.

use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Salt of each system's streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub(crate) enum Salt {
    /// Combat and clearing.
    Combat = 0x636f_6d62_6174_0001,
    /// Infiltration and reversion.
    Hold = 0x686f_6c64_0000_0002,
    /// Air strikes.
    Shaping = 0x7368_6170_6500_0003,
    /// `phaseline generate`'s synthetic scenarios (not a system: a stream of its own, so a
    /// generated scenario never shares draws with a run).
    Generate = 0x6765_6e65_7261_0005,
    /// The day-to-day tempo of the fighting: each engagement's daily intensity.
    Tempo = 0x7465_6d70_6f00_0006,
    /// Uncertain parameters: one draw per (seed, parameter), made before the run starts.
    Inputs = 0x696e_7075_7400_0005,
    /// Negotiated withdrawals: whether a deal is struck on a day.
    Withdrawal = 0x7769_7468_6472_0007,
}

/// FNV-1a, 64-bit.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The stream of `salt`'s system for entity `key` at `tick` in the run with `seed`.
pub(crate) fn stream(seed: u64, salt: Salt, key: u64, tick: u32) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ salt as u64);
    rng.set_stream(key);
    rng.set_word_pos(u128::from(tick) << 16);
    rng
}

/// A uniform draw in [0, 1).
pub(crate) fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

/// A Poisson draw with the given mean: Knuth's product method below 30, else a rounded normal
/// (Box–Muller) — accurate enough for attrition counts, and built on `libm` for exact bits.
pub(crate) fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
    if mean <= 0.0 || !mean.is_finite() {
        return 0.0;
    }
    if mean < 30.0 {
        let limit = libm::exp(-mean);
        let mut product = uniform(rng);
        let mut count = 0.0;
        while product > limit {
            product *= uniform(rng);
            count += 1.0;
        }
        return count;
    }
    let u1 = uniform(rng).max(f64::MIN_POSITIVE);
    let u2 = uniform(rng);
    let z = libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2);
    libm::round(mean + libm::sqrt(mean) * z).max(0.0)
}

/// A gamma draw with mean 1 and coefficient of variation `cv` (shape 1 ÷ cv²): the intensity that
/// turns Poisson attrition into gamma-Poisson (negative binomial) attrition. `cv` 0 gives 1.
pub(crate) fn gamma_intensity(rng: &mut ChaCha8Rng, cv: f64) -> f64 {
    use rand_distr::Distribution as _;
    if cv <= 0.0 || !cv.is_finite() {
        return 1.0;
    }
    let shape = 1.0 / (cv * cv);
    rand_distr::Gamma::new(shape, 1.0 / shape).map_or(1.0, |g| g.sample(rng))
}

/// True with probability `p`.
pub(crate) fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    uniform(rng) < p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn streams_depend_only_on_their_coordinates() {
        let a = uniform(&mut stream(7, Salt::Combat, 42, 3));
        let b = uniform(&mut stream(7, Salt::Combat, 42, 3));
        let c = uniform(&mut stream(7, Salt::Combat, 42, 4));
        let d = uniform(&mut stream(8, Salt::Combat, 42, 3));
        assert_eq!(a.to_bits(), b.to_bits());
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn gamma_intensity_has_mean_one_and_the_stated_spread() {
        let n = 20_000;
        let draws: Vec<f64> = (0..n)
            .map(|i| gamma_intensity(&mut stream(3, Salt::Tempo, i, 0), 0.5))
            .collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.02, "mean {mean}");
        assert!((var.sqrt() - 0.5).abs() < 0.02, "cv {}", var.sqrt());
        assert_eq!(gamma_intensity(&mut stream(3, Salt::Tempo, 0, 0), 0.0), 1.0);
    }

    #[test]
    fn poisson_has_the_right_mean() {
        for mean in [0.5, 4.0, 80.0] {
            let n = 20_000;
            let total: f64 = (0..n)
                .map(|i| poisson(&mut stream(1, Salt::Combat, i, 0), mean))
                .sum();
            let avg = total / n as f64;
            assert!(
                (avg - mean).abs() < 0.05 * mean + 0.05,
                "mean {mean}: got {avg}"
            );
        }
    }
}
