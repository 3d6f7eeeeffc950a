import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from '../../src/train/crc32c.js';
import { encodeEvent, encodeRecord, eventFileName, TfEventsWriter, FILE_VERSION } from '../../src/train/tfevents.js';
import { decodeEvent, readEvents, readRecords } from '../../src/train/tfevents-reader.js';
import { DataError } from '../../src/errors.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('train/tfevents', () => {
  it('encodes an Event byte for byte as protobuf specifies', () => {
    const bytes = encodeEvent({ wallTime: 1.5, step: 300, scalars: [{ tag: 'lr', value: 0.5 }] });
    // prettier-ignore
    const expected = [
      0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f,          // 1: wall_time double 1.5
      0x10, 0xac, 0x02,                            // 2: step varint 300
      0x2a, 0x0b,                                  // 5: summary, 11 bytes
      0x0a, 0x09,                                  //   1: value, 9 bytes
      0x0a, 0x02, 0x6c, 0x72,                      //     1: tag "lr"
      0x15, 0, 0, 0, 0x3f,                         //     2: simple_value float 0.5
    ];
    expect(Array.from(bytes)).toEqual(expected);
    expect(Array.from(encodeEvent({ wallTime: 0, step: 0, fileVersion: 'ab' }))).toEqual([
      0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 0x1a, 0x02, 0x61, 0x62,
    ]);
  });

  it('frames records with length, masked CRCs and data', () => {
    const data = ascii('123456789');
    const rec = encodeRecord(data);
    const view = new DataView(rec.buffer);
    expect(rec.length).toBe(8 + 4 + 9 + 4);
    expect(Number(view.getBigUint64(0, true))).toBe(9);
    expect(view.getUint32(8, true)).toBe(maskedCrc32c(rec.subarray(0, 8)));
    expect(view.getUint32(21, true)).toBe(maskedCrc32c(data));
    expect(readRecords(rec)).toEqual([data]);
  });

  it('round-trips events through the reader', () => {
    const evs = [
      { wallTime: 1700000000.25, step: 0, fileVersion: FILE_VERSION },
      { wallTime: 1700000001.5, step: 2 ** 40 + 3, scalars: [{ tag: 'loss', value: 0.125 }, { tag: 'val_loss', value: 3 }] },
    ];
    const stream = Uint8Array.from(evs.flatMap((e) => Array.from(encodeRecord(encodeEvent(e)))));
    expect(readEvents(stream)).toEqual(evs);
  });

  it('names files as TensorFlow does', () => {
    expect(eventFileName(1700000000.9, 'box', 42)).toBe('events.out.tfevents.1700000000.box.42.0');
  });

  it('writes a file TensorBoard can read: version first, then scalars; the reader checks every CRC', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ttm-tfevents-'));
    try {
      let t = 1000;
      const w = await TfEventsWriter.open(join(dir, 'logs'), { now: () => t++, host: 'test host' });
      await w.addScalars(1, { loss: 0.5, val_loss: 0.75, lr: 2e-5 });
      await w.addScalars(2, { loss: 0.25, val_loss: 0.7, lr: 5e-4 });
      await w.close();
      // A second writer in the same second never appends to the first file.
      const w2 = await TfEventsWriter.open(join(dir, 'logs'), { now: () => 1000, host: 'test host' });
      await w2.close();
      const files = (await readdir(join(dir, 'logs'))).sort();
      expect(files).toEqual([`events.out.tfevents.0000001000.test_host.${process.pid}.0`, `events.out.tfevents.0000001000.test_host.${process.pid}.1`]);

      const bytes = new Uint8Array(await readFile(w.path));
      const evs = readEvents(bytes, w.path);
      expect(evs[0]).toEqual({ wallTime: 1000, step: 0, fileVersion: 'brain.Event:2' });
      expect(evs.slice(1).map((e) => e.step)).toEqual([1, 2]);
      expect(evs[1].wallTime).toBe(1001);
      expect(evs[1].scalars!.map((s) => s.tag)).toEqual(['loss', 'val_loss', 'lr']);
      expect(evs[2].scalars![2].value).toBeCloseTo(5e-4, 10);
      expect(evs[1].scalars![2].value).toBe(Math.fround(2e-5));

      // Any flipped byte is caught by one of the two CRCs (or the length check).
      for (const at of [0, 9, 14, bytes.length - 1]) {
        const bad = bytes.slice();
        bad[at] ^= 0x01;
        expect(() => readEvents(bad, 'f')).toThrow(DataError);
      }
      expect(() => readEvents(bytes.subarray(0, bytes.length - 2), 'f')).toThrow(/truncated/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('skips fields it does not know', () => {
    // field 4 (varint 7), then step 5, then an unknown length-delimited field 9
    const msg = Uint8Array.from([0x20, 0x07, 0x10, 0x05, 0x4a, 0x01, 0xff]);
    expect(decodeEvent(msg)).toEqual({ wallTime: 0, step: 5 });
  });
});
