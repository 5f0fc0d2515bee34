/**
 * A GGUF v3 writer for tests and benchmarks: metadata, then tensors in the types llama.cpp reads (F32, F16,
 * BF16, and the Q8_0 and Q4_K quantizations, encoded here with simple per-block scales).
 */

const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
}

/** Tensor types the writer encodes, with ggml's type ids. */
export type TensorType = "f32" | "f16" | "bf16" | "q8_0" | "q4_k";
const TENSOR_TYPE_ID: Record<TensorType, number> = { f32: 0, f16: 1, q8_0: 8, q4_k: 12, bf16: 30 };
/** Values per quantization block: a row's length must be a multiple of it. */
export const BLOCK_SIZE: Record<TensorType, number> = { f32: 1, f16: 1, bf16: 1, q8_0: 32, q4_k: 256 };
const ALIGNMENT = 32;

/** A GGUF v3 file built in memory: metadata first, then tensors; `toBytes` lays them out with alignment. */
export class GgufWriter {
  private readonly kv: Uint8Array[] = [];
  private readonly tensors: { name: string; shape: number[]; type: TensorType; data: Uint8Array }[] = [];

  string(key: string, value: string): this {
    return this.entry(key, ValueType.STRING, encodeString(value));
  }
  uint32(key: string, value: number): this {
    return this.entry(key, ValueType.UINT32, scalar(4, (v) => v.setUint32(0, value, true)));
  }
  float32(key: string, value: number): this {
    return this.entry(key, ValueType.FLOAT32, scalar(4, (v) => v.setFloat32(0, value, true)));
  }
  bool(key: string, value: boolean): this {
    return this.entry(key, ValueType.BOOL, Uint8Array.of(value ? 1 : 0));
  }
  stringArray(key: string, values: readonly string[]): this {
    return this.array(key, ValueType.STRING, values.map(encodeString));
  }
  float32Array(key: string, values: readonly number[]): this {
    return this.array(key, ValueType.FLOAT32, values.map((x) => scalar(4, (v) => v.setFloat32(0, x, true))));
  }
  int32Array(key: string, values: readonly number[]): this {
    return this.array(key, ValueType.INT32, values.map((x) => scalar(4, (v) => v.setInt32(0, x, true))));
  }

  /** `shape` in GGUF order: the first dimension is the contiguous one. */
  tensor(name: string, shape: number[], values: Float32Array, type: TensorType = "f32"): this {
    if (values.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`tensor ${name}: ${values.length} values for shape ${shape.join("x")}`);
    if (shape[0]! % BLOCK_SIZE[type] !== 0) throw new Error(`tensor ${name}: ${type} needs rows that are a multiple of ${BLOCK_SIZE[type]} values, not ${shape[0]}`);
    const data = ENCODERS[type](values);
    this.tensors.push({ name, shape, type, data });
    return this;
  }

  toBytes(): Uint8Array {
    const infos: Uint8Array[] = [];
    let offset = 0;
    const offsets: number[] = [];
    for (const t of this.tensors) {
      offsets.push(offset);
      offset = align(offset + t.data.length);
      const dims = t.shape.map((d) => scalar(8, (v) => v.setBigUint64(0, BigInt(d), true)));
      infos.push(
        concat([
          encodeString(t.name),
          scalar(4, (v) => v.setUint32(0, t.shape.length, true)),
          ...dims,
          scalar(4, (v) => v.setUint32(0, TENSOR_TYPE_ID[t.type], true)),
          scalar(8, (v) => v.setBigUint64(0, BigInt(offsets.at(-1)!), true)),
        ]),
      );
    }
    const header = concat([
      new TextEncoder().encode("GGUF"),
      scalar(4, (v) => v.setUint32(0, 3, true)),
      scalar(8, (v) => v.setBigUint64(0, BigInt(this.tensors.length), true)),
      scalar(8, (v) => v.setBigUint64(0, BigInt(this.kv.length), true)),
      ...this.kv,
      ...infos,
    ]);
    const dataStart = align(header.length);
    const out = new Uint8Array(dataStart + offset);
    out.set(header, 0);
    this.tensors.forEach((t, i) => out.set(t.data, dataStart + offsets[i]!));
    return out;
  }

  private entry(key: string, type: ValueType, value: Uint8Array): this {
    this.kv.push(concat([encodeString(key), scalar(4, (v) => v.setUint32(0, type, true)), value]));
    return this;
  }

  private array(key: string, itemType: ValueType, items: Uint8Array[]): this {
    const head = concat([scalar(4, (v) => v.setUint32(0, itemType, true)), scalar(8, (v) => v.setBigUint64(0, BigInt(items.length), true))]);
    return this.entry(key, ValueType.ARRAY, concat([head, ...items]));
  }
}

function encodeString(s: string): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  return concat([scalar(8, (v) => v.setBigUint64(0, BigInt(bytes.length), true)), bytes]);
}

function scalar(size: number, write: (view: DataView) => void): Uint8Array {
  const out = new Uint8Array(size);
  write(new DataView(out.buffer));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function align(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

/** IEEE half precision, round-to-nearest-even; the tiny weights never need subnormal precision. */
function toF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  values.forEach((x, i) => {
    f32[0] = x;
    const bits = u32[0]!;
    const sign = (bits >>> 16) & 0x8000;
    const exp = ((bits >>> 23) & 0xff) - 127 + 15;
    let mant = bits & 0x7fffff;
    let half: number;
    if (exp <= 0) half = sign;
    else if (exp >= 31) half = sign | 0x7c00;
    else {
      half = sign | (exp << 10) | (mant >>> 13);
      mant &= 0x1fff;
      if (mant > 0x1000 || (mant === 0x1000 && (half & 1))) half++;
    }
    view.setUint16(i * 2, half, true);
  });
  return out;
}

const ENCODERS: Record<TensorType, (values: Float32Array) => Uint8Array> = {
  f32: (v) => new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)),
  f16: toF16,
  bf16: toBf16,
  q8_0: toQ8_0,
  q4_k: toQ4K,
};

/** bfloat16: the top half of the float32, rounded to nearest even. */
function toBf16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  const u32 = new Uint32Array(values.buffer, values.byteOffset, values.length);
  u32.forEach((bits, i) => view.setUint16(i * 2, (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16, true));
  return out;
}

function halfBits(x: number): number {
  return new DataView(toF16(Float32Array.of(x)).buffer).getUint16(0, true);
}

/** Q8_0: blocks of 32 values, an F16 scale and 32 signed bytes. */
function toQ8_0(values: Float32Array): Uint8Array {
  const blocks = values.length / 32;
  const out = new Uint8Array(blocks * 34);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const block = values.subarray(b * 32, b * 32 + 32);
    const d = Math.max(...block.map(Math.abs)) / 127;
    view.setUint16(b * 34, halfBits(d), true);
    block.forEach((x, i) => view.setInt8(b * 34 + 2 + i, d === 0 ? 0 : Math.round(x / d)));
  }
  return out;
}

/**
 * Q4_K: super-blocks of 256 values (F16 d and dmin, 12 bytes of 6-bit scales and mins for 8 sub-blocks, 128
 * bytes of 4-bit quants). Every sub-block scale and min is 1 here, so a value is d*q - dmin with dmin = 8d.
 */
function toQ4K(values: Float32Array): Uint8Array {
  const blocks = values.length / 256;
  const out = new Uint8Array(blocks * 144);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const block = values.subarray(b * 256, b * 256 + 256);
    const d = Math.max(...block.map(Math.abs)) / 7.5 || 1e-8;
    const at = b * 144;
    view.setUint16(at, halfBits(d), true);
    view.setUint16(at + 2, halfBits(8 * d), true);
    // scales[0..3] and mins[0..3] in the low 6 bits of bytes 0-7; sub-blocks 4-7 in the nibbles of bytes 8-11
    out.fill(1, at + 4, at + 12);
    out.fill(0x11, at + 12, at + 16);
    const q = (x: number) => Math.min(15, Math.max(0, Math.round(x / d + 8)));
    for (let chunk = 0; chunk < 4; chunk++) {
      for (let l = 0; l < 32; l++) {
        out[at + 16 + chunk * 32 + l] = q(block[chunk * 64 + l]!) | (q(block[chunk * 64 + 32 + l]!) << 4);
      }
    }
  }
  return out;
}
