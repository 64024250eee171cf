/**
 * Model types to TypeScript text: the type of a declaration, and the io-ts codec expression that checks it.
 */
import type { Decl, Literal, Prop, TypeRef, ValueRules } from './model.js';

/** A `ref` type: a declaration of a module. @since 0.2.0 */
export type RefType = Extract<TypeRef, { t: 'ref' }>;

/** What a valid property name or identifier looks like (others are quoted). @since 0.2.0 */
export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string literal in the generated code's style (line terminators escaped: a pattern may hold any character). @since 0.2.0 */
export function quote(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${escaped}'`;
}

/** A property name as an object key: as is when it is an identifier, else quoted. @since 0.2.0 */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

function literal(value: Literal): string {
  return typeof value === 'string' ? quote(value) : String(value);
}

/** The checked rules in the order the generated object literals list them (`unchecked` is a comment, not a rule). */
const RULE_KEYS = ['format', 'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'] as const;

/** The rules as the object literal the runtime's `stringWith`/`integerWith`/... take; `undefined` if none. */
function rulesLiteral(rules: ValueRules | undefined): string | undefined {
  if (rules === undefined) return undefined;
  const parts = RULE_KEYS.filter((key) => rules[key] !== undefined).map((key) => `${key}: ${literal(rules[key]!)}`);
  return parts.length === 0 ? undefined : `{ ${parts.join(', ')} }`;
}

/**
 * Writes the expressions of one module. Records which runtime helpers they use (`runtime`, for the import) and
 * the schema rules they leave unchecked (`takeNotes()`, for a comment beside the property).
 * @since 0.2.0
 */
export class Expressions {
  /** The runtime helpers used so far (`objectType`, `stringWith`, ...); the emitter adds `defineKind`. */
  readonly runtime = new Set<string>();
  #notes: string[] = [];

  /** @param nameOf the local name of a referenced declaration (aliased when imported under another name). */
  constructor(private readonly nameOf: (ref: RefType) => string) {}

  /** The unchecked rules met since the last call, emptied. */
  takeNotes(): string[] {
    const notes = this.#notes;
    this.#notes = [];
    return notes;
  }

  /** The TypeScript type of a model type. */
  tsType(type: TypeRef): string {
    switch (type.t) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'unknown':
        return type.t;
      case 'integer':
        return 'number';
      case 'enum':
        return type.values.map(literal).join(' | ');
      case 'unknownRecord':
        return '{ [key: string]: unknown }';
      case 'intOrString':
        return 'number | string';
      case 'array': {
        const inner = this.tsType(type.items);
        return /^[A-Za-z0-9_$]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
      }
      case 'record':
        return `{ [key: string]: ${this.tsType(type.values)} }`;
      case 'nullable':
        return `${this.tsType(type.inner)} | null`;
      case 'union':
        return type.members.map((m) => this.tsType(m)).join(' | ');
      case 'ref':
        return this.nameOf(type);
    }
  }

  /** The codec expression of a model type. */
  codec(type: TypeRef): string {
    switch (type.t) {
      case 'string':
      case 'number':
        return this.#checked(type.rules, `${type.t}With`, () => `t.${type.t}`);
      case 'integer':
        return this.#checked(type.rules, 'integerWith', () => this.#use('integer'));
      case 'enum':
        return `${this.#use('enumOf')}([${type.values.map(literal).join(', ')}])`;
      case 'boolean':
      case 'unknown':
        return `t.${type.t}`;
      case 'unknownRecord':
        return 't.UnknownRecord';
      case 'intOrString':
        return this.#use('intOrString');
      case 'array': {
        const items = this.codec(type.items);
        const rules = rulesLiteral(type.rules);
        this.#note(type.rules);
        return rules === undefined ? `t.array(${items})` : `${this.#use('arrayWith')}(${items}, ${rules})`;
      }
      case 'record':
        return `${this.#use('recordOf')}(${this.codec(type.values)})`;
      case 'nullable':
        return `${this.#use('nullable')}(${this.codec(type.inner)})`;
      case 'union':
        return `t.union([${type.members.map((m) => this.codec(m)).join(', ')}])`;
      case 'ref':
        return this.nameOf(type);
    }
  }

  /**
   * The codec expression of a declaration, at an indentation of `indent`: an alias's codec, or one
   * `objectType(name, required, optional, check)`, one line per property (a trailing comment names the rules
   * of its schema left unchecked).
   */
  declCodec(decl: Decl, indent: string): string {
    const body = decl.body;
    if (body.kind === 'alias') return this.codec(body.type);
    const props = (list: readonly Prop[]): string => {
      if (list.length === 0) return '{}';
      const lines = list.map((p) => {
        const codec = this.codec(p.type);
        const notes = this.takeNotes();
        const comment = notes.length === 0 ? '' : ` // Left to the API server: ${notes.join('; ')}.`;
        return `${indent}  ${propertyKey(p.name)}: ${codec},${comment}\n`;
      });
      return `{\n${lines.join('')}${indent}}`;
    };
    const required = body.props.filter((p) => p.required);
    const optional = body.props.filter((p) => !p.required);
    return `${this.#use('objectType')}(${quote(decl.name)}, ${props(required)}, ${props(optional)}, ${this.#objectCheck(required, optional, indent)})`;
  }

  #use(name: string): string {
    this.runtime.add(name);
    return name;
  }

  #note(rules: ValueRules | undefined): void {
    if (rules?.unchecked !== undefined) this.#notes.push(...rules.unchecked);
  }

  /** The plain codec, or the runtime helper that checks the rules. */
  #checked(rules: ValueRules | undefined, helper: string, plain: () => string): string {
    this.#note(rules);
    const literal = rulesLiteral(rules);
    return literal === undefined ? plain() : `${this.#use(helper)}(${literal})`;
  }

  /**
   * The condition under which `v` FAILS `type`'s `is`, as inline code (`typeof v !== 'string'`, `!ObjectMeta.is(v)`),
   * or `undefined` when it has no inline form (checked values, arrays, records, unions: the property's own codec is
   * called). `null` when every value passes (`unknown`).
   */
  #inlineFailure(type: TypeRef): string | null | undefined {
    switch (type.t) {
      case 'string':
      case 'number':
        return rulesLiteral(type.rules) === undefined ? `typeof v !== '${type.t}'` : undefined;
      case 'integer':
        return rulesLiteral(type.rules) === undefined ? '!Number.isInteger(v)' : undefined;
      case 'boolean':
        return `typeof v !== '${type.t}'`;
      case 'unknown':
        return null;
      case 'intOrString':
        return "typeof v !== 'number' && typeof v !== 'string'";
      case 'ref':
        return `!${this.nameOf(type)}.is(v)`;
      case 'nullable': {
        const inner = this.#inlineFailure(type.inner);
        return inner === null || inner === undefined ? inner : `v !== null && ${inner}`;
      }
      default:
        return undefined;
    }
  }

  /**
   * The straight-line `check` of an object codec (the runtime's `ObjectCheck`): one line per property, required
   * ones first, in the order of the props, with literal property names. Accepts exactly what the generic loop of
   * `objectType` accepts: a required property must pass its codec's `is` (absent is `undefined`), an optional one
   * must be `undefined` or pass it; other properties are not looked at. Parameters it does not read are left out,
   * or named `_r` (so the code compiles under `noUnusedParameters`).
   */
  #objectCheck(required: readonly Prop[], optional: readonly Prop[], indent: string): string {
    const lines: string[] = [];
    const uses = { r: false, o: false };
    const line = (p: Prop, holder: 'r' | 'o'): void => {
      const failure = this.#inlineFailure(p.type);
      if (failure === null) return;
      if (failure === undefined) uses[holder] = true;
      const fails = failure ?? `!${holder}${IDENTIFIER.test(p.name) ? `.${p.name}` : `[${quote(p.name)}]`}.is(v)`;
      const access = IDENTIFIER.test(p.name) ? `u.${p.name}` : `u[${quote(p.name)}]`;
      lines.push(`${indent}  v = ${access}; if (${p.required ? '' : 'v !== undefined && '}${fails}) return false;\n`);
    };
    for (const p of required) line(p, 'r');
    for (const p of optional) line(p, 'o');
    if (lines.length === 0) return '() => true';
    const params = uses.o ? `(u, ${uses.r ? 'r' : '_r'}, o)` : uses.r ? '(u, r)' : '(u)';
    return `${params} => {\n${indent}  let v: unknown;\n${lines.join('')}${indent}  return true;\n${indent}}`;
  }
}
