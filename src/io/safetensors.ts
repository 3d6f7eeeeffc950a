/**
 * The safetensors format: 8-byte little-endian header length n, n bytes of JSON
 * ({key: {dtype, shape, data_offsets}} + optional __metadata__), then the raw tensor bytes.
 * Parsing checks every offset before reading, so a truncated or forged file is an error that
 * names the file and the problem, never a wrong tensor.
 */
import { CheckpointError } from '../errors.js';

export type SafetensorsDtype = 'F32' | 'F64' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export interface StoredTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Values as float32 (floats) or as numbers in a Float64Array (integers). */
  data: Float32Array | Float64Array;
}

export interface SafetensorsFile {
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Parse a whole safetensors file. `source` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, source: string): SafetensorsFile {
  const fail = (msg: string) => new CheckpointError(`${source}: ${msg}`, { hint: 'the file is damaged or not a safetensors file; download or export it again' });
  if (bytes.length < 8) throw fail(`only ${bytes.length} bytes, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) throw fail(`header length ${n} runs past the end of the file (${bytes.length} bytes): truncated?`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (err) {
    throw fail(`header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fail('header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const entries: { key: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  let metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(header)) {
    if (key === '__metadata__') {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof v !== 'object' || v === null) throw fail(`entry "${key}" is not an object`);
    const dtype = v.dtype as SafetensorsDtype;
    if (!(typeof dtype === 'string' && dtype in BYTES)) throw fail(`tensor "${key}" has unsupported dtype ${JSON.stringify(v.dtype)}`);
    const shape = v.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw fail(`tensor "${key}" has invalid shape ${JSON.stringify(shape)}`);
    const off = v.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0)) {
      throw fail(`tensor "${key}" has invalid data_offsets ${JSON.stringify(off)}`);
    }
    const [begin, end] = off as [number, number];
    const expected = numel(shape) * BYTES[dtype];
    if (end - begin !== expected) throw fail(`tensor "${key}" data_offsets [${begin}, ${end}] hold ${end - begin} bytes, shape [${shape}] ${dtype} needs ${expected}`);
    if (end > dataLength) throw fail(`tensor "${key}" data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes): truncated?`);
    entries.push({ key, dtype, shape: shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].begin < sorted[i - 1].end && sorted[i].end > sorted[i].begin) {
      throw fail(`tensors "${sorted[i - 1].key}" and "${sorted[i].key}" overlap (offsets [${sorted[i - 1].begin}, ${sorted[i - 1].end}] and [${sorted[i].begin}, ${sorted[i].end}])`);
    }
  }
  const tensors = new Map<string, StoredTensor>();
  for (const e of entries) {
    tensors.set(e.key, { dtype: e.dtype, shape: e.shape, data: decode(bytes, dataStart + e.begin, e.dtype, numel(e.shape)) });
  }
  return { tensors, metadata };
}

/** Copy out little-endian values (the buffer may start at any offset: never view it in place). */
function decode(bytes: Uint8Array, at: number, dtype: SafetensorsDtype, n: number): Float32Array | Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, n * BYTES[dtype]);
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        tmp.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = tmp.getFloat32(0);
      }
      return out;
    }
    default: {
      const out = new Float64Array(n);
      const size = BYTES[dtype];
      for (let i = 0; i < n; i++) {
        const o = i * size;
        out[i] =
          dtype === 'I64' ? Number(view.getBigInt64(o, true))
          : dtype === 'I32' ? view.getInt32(o, true)
          : dtype === 'I16' ? view.getInt16(o, true)
          : dtype === 'I8' ? view.getInt8(o)
          : view.getUint8(o);
      }
      return out;
    }
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

export interface TensorToWrite {
  dtype: 'F32' | 'I64';
  shape: number[];
  data: ArrayLike<number>;
}

/**
 * Serialise tensors (keys sorted, offsets consecutive, header padded with spaces to a multiple
 * of 8, `__metadata__: {format: "pt"}`), as PyTorch's safetensors writer does.
 */
export function serializeSafetensors(tensors: Map<string, TensorToWrite>, metadata: Record<string, string> = { format: 'pt' }): Uint8Array {
  const keys = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const key of keys) {
    const t = tensors.get(key)!;
    const size = numel(t.shape) * BYTES[t.dtype];
    if (t.data.length !== numel(t.shape)) {
      throw new CheckpointError(`tensor "${key}": ${t.data.length} values for shape [${t.shape}]`);
    }
    header[key] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const key of keys) {
    const t = tensors.get(key)!;
    for (let i = 0; i < t.data.length; i++) {
      if (t.dtype === 'F32') {
        view.setFloat32(at, t.data[i], true);
        at += 4;
      } else {
        view.setBigInt64(at, BigInt(Math.trunc(t.data[i])), true);
        at += 8;
      }
    }
  }
  return out;
}
