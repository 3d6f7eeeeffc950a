import { describe, expect, it } from 'vitest';
import { drift, psi, trainingStats, trainingStatsFromJSON } from '../../src/evaluate/index.js';
import { Rng } from '../../src/runtime/rng.js';

const normals = (rng: Rng, n: number, mu: number, sigma: number) => Array.from({ length: n }, () => mu + sigma * rng.normal());

/** PSI of two normals with the training deciles, by numerical integration of the densities. */
function expectedPsi(mu: number, sigma: number): number {
  const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
  const z = [-1.2816, -0.8416, -0.5244, -0.2533, 0, 0.2533, 0.5244, 0.8416, 1.2816]; // N(0,1) deciles
  const cut = [-Infinity, ...z, Infinity];
  let total = 0;
  for (let i = 0; i < 10; i++) {
    const a = Phi((cut[i + 1] - mu) / sigma) - Phi((cut[i] - mu) / sigma);
    total += (a - 0.1) * Math.log(a / 0.1);
  }
  return total;
}

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26, |error| < 1.5e-7
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496735) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

describe('drift', () => {
  const rng = new Rng(15);
  const stats = trainingStats(normals(rng, 20000, 0, 1));

  it('stores decile edges and shares of the training values', () => {
    expect(stats.edges).toHaveLength(9);
    expect(stats.edges[4]).toBeCloseTo(0, 1);
    for (const p of stats.proportions) expect(p).toBeCloseTo(0.1, 3);
    expect(stats.n).toBe(20000);
  });

  it('is near 0 for a sample of the same distribution', () => {
    expect(psi(stats, normals(rng, 5000, 0, 1))).toBeLessThan(0.01);
  });

  it('matches the PSI of known shifted and widened normals', () => {
    for (const [mu, sigma] of [[0.5, 1], [0, 2], [1, 1]]) {
      expect(psi(stats, normals(rng, 20000, mu, sigma))).toBeCloseTo(expectedPsi(mu, sigma), 1);
    }
    expect(expectedPsi(0.5, 1)).toBeGreaterThan(0.15); // half a sigma of shift passes the default alert
  });

  it('merges tied edges, e.g. many zero-sales weeks', () => {
    const s = trainingStats([0, 0, 0, 0, 0, 1, 2, 3, 4, 5]);
    expect(new Set(s.edges).size).toBe(s.edges.length);
    expect(s.proportions[0]).toBeCloseTo(0.5, 12);
    expect(s.proportions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(psi(s, [0, 0, 0, 0, 0, 1, 2, 3, 4, 5])).toBeCloseTo(0, 12);
  });

  it('stays finite when a bin is empty, and reports the mean shift', () => {
    const d = drift(trainingStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), [20, 20, 20]);
    expect(Number.isFinite(d.psi)).toBe(true);
    expect(d.psi).toBeGreaterThan(1);
    expect(d.meanShift).toBeCloseTo(20 / 5.5 - 1, 12);
  });

  it('skips missing values', () => {
    expect(drift(stats, [NaN, NaN]).n).toBe(0);
    expect(trainingStats([1, NaN, 2]).n).toBe(2);
  });

  it('round-trips through JSON and rejects damaged statistics', () => {
    expect(trainingStatsFromJSON(JSON.parse(JSON.stringify(stats)))).toEqual(stats);
    expect(() => trainingStatsFromJSON({ ...stats, proportions: [1] }, 'stats.json')).toThrow(/stats.json: .*10 shares/);
  });
});
