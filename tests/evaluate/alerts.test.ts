import { describe, expect, it } from 'vitest';
import { checkAlerts } from '../../src/evaluate/index.js';
import { parseThresholds } from '../../src/config/thresholds.js';

const healthy = {
  metrics: { vendas: { mape: 0.12, wape: 0.1 }, faturamento: { mape: 0.199, wape: 0.2 } },
  drift: { vendas: { psi: 0.05 }, faturamento: { psi: 0.15 } },
  errorRate: 0.05,
  latencySeconds: 1.9,
};

describe('checkAlerts', () => {
  it('fires nothing at or below the design thresholds', () => {
    expect(checkAlerts(healthy)).toEqual([]);
  });

  it('fires each alert above its threshold, with a message', () => {
    const fired = checkAlerts({
      metrics: { vendas: { mape: 0.3425, wape: 0.31 }, faturamento: { mape: 0.1, wape: 0.1 } },
      drift: { vendas: { psi: 0.01 }, faturamento: { psi: 0.4 } },
      errorRate: 0.1,
      latencySeconds: 2.5,
    });
    expect(fired.map((a) => [a.name, a.channel])).toEqual([
      ['mape', 'vendas'],
      ['wape', 'vendas'],
      ['psi', 'faturamento'],
      ['error_rate', undefined],
      ['latency_seconds', undefined],
    ]);
    expect(fired[0].message).toBe('MAPE of vendas is 34.3%, above the 20.0% threshold');
    expect(fired[1].message).toBe('WAPE of vendas is 31.0%, above the 20.0% threshold');
    expect(fired[3].message).toMatch(/10\.0% of the series failed/);
    expect(fired[4].message).toMatch(/2\.50 s, above the 2 s/);
  });

  it('never fires on a NaN figure or a null threshold', () => {
    expect(checkAlerts({ metrics: { vendas: { mape: NaN, wape: NaN } } })).toEqual([]);
    expect(checkAlerts({ latencySeconds: 100 }, parseThresholds({ latency_seconds: null }))).toEqual([]);
  });

  it('uses configured thresholds', () => {
    const fired = checkAlerts(healthy, parseThresholds({ mape: 0.15 }));
    expect(fired.map((a) => `${a.name} ${a.channel}`)).toEqual(['mape faturamento']);
  });
});
