/**
 * Protobuf request bodies (`Content-Type: application/vnd.kubernetes.protobuf`) of the FakeApiServer: what kubectl
 * and client-go's typed clients send for built-in kinds (`kubectl create configmap|namespace|deployment|secret`).
 * A body is decoded into the JSON object the rest of the write path takes, so everything after the decode (defaults,
 * validation, the store, answers) is the JSON path's. Answers stay JSON: kubectl accepts JSON too (its `Accept` is
 * `application/vnd.kubernetes.protobuf,application/json`), and the handler's `Accept` negotiation picks JSON.
 *
 * The wire format (AM:`pkg/runtime/serializer/protobuf/protobuf.go`, `Serializer.Decode`): 4 magic bytes `k8s\x00`,
 * then one `runtime.Unknown` {typeMeta {apiVersion, kind}, raw, contentEncoding, contentType} whose `raw` is the kind's
 * own message (e.g. `api.core.v1.ConfigMap`). The messages are the v1.35.0 `generated.proto` files
 * (`vendor/k8s-protos`, compiled into `generated/k8s-protos-v1_35.ts` by `npm run codegen:fake-server-data`).
 *
 * From the message to the JSON form (what `encoding/json` would write of the Go struct the message fills):
 * - `metav1.Time` / `MicroTime` {seconds, nanos} → RFC 3339 (`MicroTime` with 6 fractional digits); a zero time (empty
 *   message, AM:`apis/meta/v1/time_proto.go` `Time.Marshal` writes nothing for it) is left out.
 * - `metav1.Duration` → Go's `time.Duration.String()`; `resource.Quantity` {string} → the string;
 *   `intstr.IntOrString` {type, intVal, strVal} → number or string (the zero value, `{}`, is left out).
 * - `runtime.RawExtension`, apiextensions `JSON`, `metav1.FieldsV1` → the JSON their raw bytes hold.
 * - apiextensions `JSONSchemaPropsOr{Array,Bool,StringArray}` → their JSON union forms.
 * - `bytes` and `map<string, bytes>` (Secret `data`, ConfigMap `binaryData`) → base64.
 * - Inlined Go structs, which are nested messages in protobuf (`Volume.volumeSource`, `Probe.handler`, ...), are lifted.
 * - Field names are the JSON names except a few (table of `vendor/k8s-protos/README.md`): a capitalised first letter
 *   (`Webhooks`, `Expression`, `Name`), `uID`, `aPIGroup`, and JSONSchemaProps' `ref`, `schema`, `xKubernetes...`.
 * - Fields absent on the wire stay absent. gogo-protobuf writes non-pointer Go fields even when zero: empty strings
 *   and empty lists/maps are dropped (Go's `omitempty`, and what lets defaulting see them as unset), while `false`
 *   and `0` are kept, because they may be pointers set on purpose (`replicas: 0`).
 * @internal
 */
import { brotliDecompressSync } from 'node:zlib';
import protobuf from 'protobufjs/light.js';
import { K8S_PROTOS_V1_35 } from './generated/k8s-protos-v1_35.js';
import { badRequestStatus, type StatusBody } from './status.js';

/** `application/vnd.kubernetes.protobuf`, the media type of protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** AM:`protobuf.go` `protoEncodingPrefix`: "k8s" and encoding style 0 (a `runtime.Unknown` follows). */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
type JsonMap = { [k: string]: JsonValue };
type Plain = Record<string, unknown>;

interface Loaded {
  readonly root: protobuf.Root;
  readonly unknown: protobuf.Type;
  readonly kinds: Readonly<Record<string, string>>;
}

let loaded: Loaded | undefined;

/** The descriptor, decompressed and built once, on the first protobuf body. */
function load(): Loaded {
  if (loaded) return loaded;
  const payload = JSON.parse(brotliDecompressSync(Buffer.from(K8S_PROTOS_V1_35, 'base64')).toString('utf8')) as {
    descriptor: protobuf.INamespace;
    kinds: Record<string, string>;
  };
  const root = protobuf.Root.fromJSON(payload.descriptor);
  root.resolveAll();
  loaded = { root, unknown: root.lookupType('apimachinery.pkg.runtime.Unknown'), kinds: payload.kinds };
  return loaded;
}

/**
 * The protobuf message of a built-in kind (`group/version/Kind`, group `''` for core), or `undefined` for kinds
 * without one (custom resources, which the real server does not take protobuf for either).
 */
export function protobufMessageOf(group: string, version: string, kind: string): string | undefined {
  return load().kinds[`${group}/${version}/${kind}`];
}

/** Where a decoded body should go: the kind of the request path. */
export interface ProtobufTarget {
  readonly group: string;
  /** `v1`, `apps/v1`. */
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * Decodes a protobuf request body into the JSON object of its kind, with `apiVersion` and `kind` from the envelope's
 * `typeMeta`, defaulted from the path (AM:`protobuf.go` `copyKindDefaults`). Returns the 400 Status
 * the create/update handlers answer for a body that does not decode (AS:`handlers/create.go`
 * `transformDecodeError`) as `{status}`.
 */
export function decodeProtobufBody(target: ProtobufTarget, body: Buffer): { object: JsonMap } | { status: StatusBody } {
  const version = target.apiVersion.split('/').pop()!;
  const unrecognized = (why: string): { status: StatusBody } => ({
    status: badRequestStatus(`the object provided is unrecognized (must be of type ${target.kind}): ${why} (${summarizeBytes(body)})`),
  });
  // AM:`protobuf.go` `Serializer.Decode`: the three checks before the envelope is read.
  if (body.length === 0) return unrecognized('empty data');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    return unrecognized('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  if (body.length === MAGIC.length) return unrecognized('empty body');
  const { root, unknown, kinds } = load();
  let envelope: Plain;
  try {
    envelope = unknown.toObject(unknown.decode(body.subarray(MAGIC.length)), { longs: Number, bytes: Buffer }) as Plain;
  } catch (err) {
    return unrecognized(goProtoError(err));
  }
  const typeMeta = (envelope['typeMeta'] ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion || target.apiVersion;
  const kind = typeMeta.kind || target.kind;
  const message = kinds[`${target.group}/${version}/${target.kind}`];
  const raw = envelope['raw'] instanceof Uint8Array ? envelope['raw'] : new Uint8Array();
  const cannot = (why: string): { status: StatusBody } => ({
    status: badRequestStatus(`${kind} in version ${JSON.stringify(apiVersion.split('/').pop())} cannot be handled as a ${target.kind}: ${why}`),
  });
  if (!message) return cannot('no protobuf message for this kind');
  const type = root.lookupType(message);
  let plain: Plain;
  try {
    plain = type.toObject(type.decode(raw), { longs: Number, bytes: Buffer }) as Plain;
  } catch (err) {
    return cannot(goProtoError(err));
  }
  return { object: { apiVersion, kind, ...convertMessage(type, plain) } };
}

/** gogo-protobuf's wording for the usual decode failures (`unexpected EOF`, wire type errors). */
function goProtoError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/index out of range|premature end/i.test(msg)) return 'unexpected EOF';
  if (/invalid wire type/i.test(msg)) return `proto: illegal wireType ${/(\d+)/.exec(msg)?.[1] ?? ''}`.trimEnd();
  return msg;
}

/** AS:`handlers/rest.go` `summarizeData` for a binary body: hex of the first 30 bytes, then ` ...`. */
function summarizeBytes(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  const hex = body.subarray(0, 30).toString('hex');
  return body.length > 30 ? `${hex} ...` : hex;
}

/** Inlined Go structs (`json:",inline"`): nested messages in protobuf, lifted into their parent in JSON. */
const INLINE = new Set([
  'Volume.volumeSource',
  'PersistentVolumeSpec.persistentVolumeSource',
  'Probe.handler',
  'EphemeralContainer.ephemeralContainerCommon',
  'ConfigMapEnvSource.localObjectReference',
  'ConfigMapKeySelector.localObjectReference',
  'ConfigMapProjection.localObjectReference',
  'ConfigMapVolumeSource.localObjectReference',
  'SecretEnvSource.localObjectReference',
  'SecretKeySelector.localObjectReference',
  'SecretProjection.localObjectReference',
  'IngressRule.ingressRuleValue',
  'NamedRuleWithOperations.ruleWithOperations',
  'RuleWithOperations.rule',
  'DeviceAllocationConfiguration.deviceConfiguration',
  'DeviceClaimConfiguration.deviceConfiguration',
  'DeviceClassConfiguration.deviceConfiguration',
]);

/** The JSON name of a proto field (see the module comment). */
function jsonName(type: protobuf.Type, field: string): string {
  if (type.name === 'JSONSchemaProps') {
    if (field === 'ref') return '$ref';
    if (field === 'schema') return '$schema';
    if (field.startsWith('xKubernetes')) return `x-kubernetes${field.slice('xKubernetes'.length).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  }
  if (field === 'uID') return 'uid';
  if (field === 'aPIGroup') return 'apiGroup';
  return field.charAt(0).toLowerCase() + field.slice(1);
}

const META = '.apimachinery.pkg.apis.meta.v1.';
const EXT = '.apiextensions_apiserver.pkg.apis.apiextensions.v1.';

/** The JSON text raw bytes hold, `undefined` when they are empty or not JSON. */
function rawJson(raw: unknown): JsonValue | undefined {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as JsonValue;
  } catch {
    return undefined;
  }
}

/** Go `time.Time.Format(time.RFC3339)` of a UTC instant, with `digits` fractional digits (0: none). */
function rfc3339(seconds: number, nanos: number, digits: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return digits === 0 ? `${base}Z` : `${base}.${String(nanos).padStart(9, '0').slice(0, digits)}Z`;
}

/** Go's `time.Duration.String()` of nanoseconds (`1h0m0s`, `1.5s`, `300ms`, `0s`). */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let u = Math.abs(ns);
  const frac = (v: number, scale: number): string => (v / scale).toFixed(9).replace(/\.?0+$/, '');
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${frac(u, 1e3)}µs`;
  if (u < 1e9) return `${sign}${frac(u, 1e6)}ms`;
  const h = Math.floor(u / 3.6e12);
  u -= h * 3.6e12;
  const m = Math.floor(u / 6e10);
  u -= m * 6e10;
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${frac(u, 1e9)}s`;
}

/**
 * The JSON of a message whose Go type has its own JSON form, or `null` when `type` is an ordinary message;
 * `undefined` means "leave the field out" (zero values that `omitempty` drops).
 */
function special(type: protobuf.Type, v: Plain): JsonValue | undefined | null {
  switch (type.fullName) {
    case `${META}Time`:
    case `${META}MicroTime`: {
      const seconds = Number(v['seconds'] ?? 0);
      const nanos = Number(v['nanos'] ?? 0);
      if (v['seconds'] === undefined && v['nanos'] === undefined) return undefined;
      return rfc3339(seconds, nanos, type.name === 'MicroTime' ? 6 : 0);
    }
    case `${META}Duration`:
      return goDuration(Number(v['duration'] ?? 0));
    case `${META}FieldsV1`:
      return rawJson(v['Raw']);
    case '.apimachinery.pkg.api.resource.Quantity':
      return typeof v['string'] === 'string' && v['string'] !== '' ? v['string'] : undefined;
    case '.apimachinery.pkg.util.intstr.IntOrString':
      // AM:`util/intstr/intstr.go` `MarshalJSON`: Type 1 is the string, else the int.
      if (v['type'] === 1) return typeof v['strVal'] === 'string' ? v['strVal'] : '';
      if (v['type'] === undefined && v['intVal'] === undefined) return undefined;
      return Number(v['intVal'] ?? 0);
    case '.apimachinery.pkg.runtime.RawExtension':
    case `${EXT}JSON`:
      return rawJson(v['raw']);
    case `${EXT}JSONSchemaPropsOrArray`: {
      const props = type.lookupType('JSONSchemaProps');
      if (v['schema'] !== undefined) return convertMessage(props, v['schema'] as Plain);
      return ((v['jSONSchemas'] ?? []) as Plain[]).map((s) => convertMessage(props, s));
    }
    case `${EXT}JSONSchemaPropsOrBool`:
      if (v['schema'] !== undefined) return convertMessage(type.lookupType('JSONSchemaProps'), v['schema'] as Plain);
      return v['allows'] === true;
    case `${EXT}JSONSchemaPropsOrStringArray`:
      if (v['schema'] !== undefined) return convertMessage(type.lookupType('JSONSchemaProps'), v['schema'] as Plain);
      return ((v['property'] ?? []) as string[]).slice();
    default:
      return null;
  }
}

/** One value of a field: `inCollection` values (list items, map values) keep their empty strings. */
function convertValue(field: protobuf.FieldBase, v: unknown, inCollection: boolean): JsonValue | undefined {
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Type) {
    const s = special(rt, v as Plain);
    return s === null ? convertMessage(rt, v as Plain) : s;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'string' && v === '' && !inCollection) return undefined;
  return v as JsonValue;
}

/** A decoded message (protobufjs `toObject` form) to its JSON object. */
function convertMessage(type: protobuf.Type, plain: Plain): JsonMap {
  const out: JsonMap = {};
  for (const field of type.fieldsArray) {
    const v = plain[field.name];
    if (v === undefined || v === null) continue;
    let converted: JsonValue | undefined;
    if (field instanceof protobuf.MapField || field.map) {
      const entries = Object.entries(v as Plain);
      if (entries.length === 0) continue;
      const m: JsonMap = {};
      for (const [k, item] of entries) {
        const c = convertValue(field, item, true);
        if (c !== undefined) m[k] = c;
      }
      converted = m;
    } else if (field.repeated) {
      const items = v as unknown[];
      if (items.length === 0) continue;
      converted = items.map((item) => convertValue(field, item, true) ?? null);
    } else converted = convertValue(field, v, false);
    if (converted === undefined) continue;
    if (INLINE.has(`${type.name}.${field.name}`) && converted !== null && typeof converted === 'object' && !Array.isArray(converted)) {
      Object.assign(out, converted);
    } else out[jsonName(type, field.name)] = converted;
  }
  return out;
}
