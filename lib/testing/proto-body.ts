/**
 * Just enough of Kubernetes' protobuf encoding to read the small request bodies that typed clients (kubectl's
 * `auth can-i` and `auth whoami`) send as `application/vnd.kubernetes.protobuf`: the `k8s\0` magic, the
 * `runtime.Unknown` envelope (apimachinery `runtime/serializer/protobuf/protobuf.go`) and proto2 wire fields.
 * @internal
 */

/** The fields of one protobuf message: field number → raw values in order (varints as numbers, the rest as bytes). @internal */
export type ProtoFields = Map<number, (number | Buffer)[]>;

/** Decodes one protobuf message into its fields; throws on malformed input. @internal */
export function protoFields(buf: Buffer): ProtoFields {
  const out: ProtoFields = new Map();
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    let value: number | Buffer;
    switch (key & 7) {
      case 0:
        value = varint();
        break;
      case 2: {
        const len = varint();
        if (i + len > buf.length) throw new Error('truncated field');
        value = buf.subarray(i, i + len);
        i += len;
        break;
      }
      case 1:
        value = buf.subarray(i, (i += 8));
        break;
      case 5:
        value = buf.subarray(i, (i += 4));
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
    const list = out.get(field);
    if (list) list.push(value);
    else out.set(field, [value]);
  }
  return out;
}

/** The last value of a length-delimited field as bytes, if present. @internal */
export function protoBytes(f: ProtoFields, n: number): Buffer | undefined {
  const v = f.get(n)?.at(-1);
  return Buffer.isBuffer(v) ? v : undefined;
}

/** A string field, if present. @internal */
export function protoString(f: ProtoFields, n: number): string | undefined {
  return protoBytes(f, n)?.toString('utf8');
}

/** A repeated string field. @internal */
export function protoStrings(f: ProtoFields, n: number): string[] {
  return (f.get(n) ?? []).filter(Buffer.isBuffer).map((b) => b.toString('utf8'));
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/**
 * The object bytes of a `k8s\0`-prefixed `runtime.Unknown` envelope (`typeMeta` = 1, `raw` = 2), with its
 * apiVersion and kind; `undefined` when the body is not one.
 * @internal
 */
export function unwrapUnknown(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } | undefined {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) return undefined;
  const unknown = protoFields(body.subarray(4));
  const typeMeta = protoFields(protoBytes(unknown, 1) ?? Buffer.alloc(0));
  return { apiVersion: protoString(typeMeta, 1) ?? '', kind: protoString(typeMeta, 2) ?? '', raw: protoBytes(unknown, 2) ?? Buffer.alloc(0) };
}
