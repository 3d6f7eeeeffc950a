/**
 * TensorBoard event files: TFRecord framing around hand-encoded `tensorflow.Event` protobufs.
 *
 * Record: uint64 length (LE) · uint32 masked CRC-32C of those 8 bytes · data · uint32 masked
 * CRC-32C of data. The first event carries `file_version: "brain.Event:2"`; scalars are
 * `Summary.Value { tag, simple_value }`, which TensorBoard reads as scalar plots.
 *
 * Protobuf fields used (tensorflow/core/util/event.proto, framework/summary.proto):
 *   Event:   1 wall_time double · 2 step int64 · 3 file_version string · 5 summary Summary
 *   Summary: 1 value repeated Value
 *   Value:   1 tag string · 2 simple_value float
 */
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InternalError } from '../errors.js';
import { maskedCrc32c } from './crc32c.js';

export const FILE_VERSION = 'brain.Event:2';

export interface TfScalar {
  tag: string;
  value: number;
}

/** The parts of an Event this module writes and reads. */
export interface TfEvent {
  /** Seconds since the epoch. */
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars?: TfScalar[];
}

const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** Small protobuf writer: just the wire types the Event needs. */
class ProtoWriter {
  private readonly parts: number[] = [];

  private varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new InternalError(`protobuf varint out of range: ${n}`);
    while (n >= 0x80) {
      this.parts.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.parts.push(n);
  }
  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  uint(field: number, n: number): this {
    this.key(field, WIRE.varint);
    this.varint(n);
    return this;
  }
  double(field: number, x: number): this {
    this.key(field, WIRE.fixed64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, true);
    this.parts.push(...b);
    return this;
  }
  float(field: number, x: number): this {
    this.key(field, WIRE.fixed32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, x, true);
    this.parts.push(...b);
    return this;
  }
  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE.bytes);
    this.varint(data.length);
    for (const x of data) this.parts.push(x);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Serialise one Event message. */
export function encodeEvent(ev: TfEvent): Uint8Array {
  const w = new ProtoWriter().double(1, ev.wallTime).uint(2, ev.step);
  if (ev.fileVersion !== undefined) w.string(3, ev.fileVersion);
  if (ev.scalars !== undefined) {
    const summary = new ProtoWriter();
    for (const { tag, value } of ev.scalars) {
      summary.bytes(1, new ProtoWriter().string(1, tag).float(2, value).finish());
    }
    w.bytes(5, summary.finish());
  }
  return w.finish();
}

/** Frame `data` as one TFRecord. */
export function encodeRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** TensorFlow's event file name: events.out.tfevents.<seconds>.<host>.<pid>.<n>. */
export function eventFileName(wallTime: number, host: string, pid: number, n = 0): string {
  return `events.out.tfevents.${Math.floor(wallTime).toString().padStart(10, '0')}.${host}.${pid}.${n}`;
}

export interface TfEventsWriterOptions {
  /** Clock in seconds; injectable for tests. */
  now?: () => number;
  host?: string;
}

/**
 * Appends events to a new event file in `logDir`. Await each call; `close()` when done.
 * A resumed run opens a new file, as TensorBoard expects.
 */
export class TfEventsWriter {
  private constructor(
    readonly path: string,
    private readonly fh: fs.FileHandle,
    private readonly now: () => number,
  ) {}

  static async open(logDir: string, options: TfEventsWriterOptions = {}): Promise<TfEventsWriter> {
    const now = options.now ?? (() => Date.now() / 1000);
    await fs.mkdir(logDir, { recursive: true });
    const t = now();
    const host = (options.host ?? hostname()).replace(/[^A-Za-z0-9._-]/g, '_');
    let n = 0;
    let path = join(logDir, eventFileName(t, host, process.pid, n));
    // Never append to another run's file: take the next free counter.
    let fh: fs.FileHandle | undefined;
    while (fh === undefined) {
      try {
        fh = await fs.open(path, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        path = join(logDir, eventFileName(t, host, process.pid, ++n));
      }
    }
    const writer = new TfEventsWriter(path, fh, now);
    try {
      await writer.write({ wallTime: t, step: 0, fileVersion: FILE_VERSION });
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
    return writer;
  }

  /** One event with several scalars at `step`, e.g. `{ loss, val_loss, lr }`. */
  async addScalars(step: number, values: Record<string, number>, wallTime = this.now()): Promise<void> {
    const scalars = Object.entries(values).map(([tag, value]) => ({ tag, value }));
    await this.write({ wallTime, step, scalars });
  }

  private async write(ev: TfEvent): Promise<void> {
    await this.fh.writeFile(encodeRecord(encodeEvent(ev)));
  }

  /** Flush to disk and close the file. */
  async close(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
  }
}
