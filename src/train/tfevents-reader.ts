/**
 * Reads TensorBoard event files written by tfevents.ts (or by TensorFlow): checks both masked
 * CRCs of every record and decodes wall_time, step, file_version and simple_value scalars,
 * skipping every other field.
 */
import { DataError } from '../errors.js';
import { maskedCrc32c } from './crc32c.js';
import type { TfEvent, TfScalar } from './tfevents.js';

/** Split a TFRecord stream into record payloads, verifying lengths and CRCs. */
export function readRecords(bytes: Uint8Array, source = 'event file'): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new DataError(`${source}: truncated record header at byte ${at}`);
    const len = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8))) {
      throw new DataError(`${source}: length CRC mismatch at byte ${at}`);
    }
    const start = at + 12;
    if (start + len + 4 > bytes.length) throw new DataError(`${source}: truncated record at byte ${at}`);
    const data = bytes.subarray(start, start + len);
    if (view.getUint32(start + len, true) !== maskedCrc32c(data)) {
      throw new DataError(`${source}: data CRC mismatch in the record at byte ${at}`);
    }
    out.push(data);
    at = start + len + 4;
  }
  return out;
}

interface Field {
  field: number;
  wire: number;
  /** varint value, or the raw bytes of fixed64 / fixed32 / length-delimited fields. */
  int?: number;
  bytes?: Uint8Array;
}

/** Iterate the top-level fields of one protobuf message. */
function* fields(msg: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= msg.length) throw new DataError('event: truncated varint');
      const b = msg[at++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  };
  const take = (n: number): Uint8Array => {
    if (at + n > msg.length) throw new DataError('event: field runs past the end of its message');
    const b = msg.subarray(at, at + n);
    at += n;
    return b;
  };
  while (at < msg.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) yield { field, wire, int: varint() };
    else if (wire === 1) yield { field, wire, bytes: take(8) };
    else if (wire === 2) yield { field, wire, bytes: take(varint()) };
    else if (wire === 5) yield { field, wire, bytes: take(4) };
    else throw new DataError(`event: unsupported protobuf wire type ${wire} (field ${field})`);
  }
}

const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function decodeValue(msg: Uint8Array): TfScalar | undefined {
  let tag = '';
  let value: number | undefined;
  for (const f of fields(msg)) {
    if (f.field === 1 && f.wire === 2) tag = new TextDecoder().decode(f.bytes);
    else if (f.field === 2 && f.wire === 5) value = dv(f.bytes!).getFloat32(0, true);
  }
  return value === undefined ? undefined : { tag, value };
}

/** Decode one Event message. */
export function decodeEvent(msg: Uint8Array): TfEvent {
  const ev: TfEvent = { wallTime: 0, step: 0 };
  for (const f of fields(msg)) {
    if (f.field === 1 && f.wire === 1) ev.wallTime = dv(f.bytes!).getFloat64(0, true);
    else if (f.field === 2 && f.wire === 0) ev.step = f.int!;
    else if (f.field === 3 && f.wire === 2) ev.fileVersion = new TextDecoder().decode(f.bytes);
    else if (f.field === 5 && f.wire === 2) {
      const scalars: TfScalar[] = [];
      for (const v of fields(f.bytes!)) {
        if (v.field !== 1 || v.wire !== 2) continue;
        const s = decodeValue(v.bytes!);
        if (s) scalars.push(s);
      }
      ev.scalars = scalars;
    }
  }
  return ev;
}

/** All events of an event file's bytes, in order. */
export function readEvents(bytes: Uint8Array, source?: string): TfEvent[] {
  return readRecords(bytes, source).map(decodeEvent);
}
