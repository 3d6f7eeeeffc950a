import { describe, it, expect } from 'vitest';
import { crc32c, maskedCrc32c } from '../../src/train/crc32c.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('train/crc32c', () => {
  it('gives the standard check value and the RFC 3720 test vectors', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('masks as TFRecord does: rotate right 15, add 0xa282ead8', () => {
    const c = 0xe3069283;
    const rot = ((c >>> 15) | (c << 17)) >>> 0;
    expect(maskedCrc32c(ascii('123456789'))).toBe((rot + 0xa282ead8) % 2 ** 32);
  });
});
