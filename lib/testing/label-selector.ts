/**
 * A small parser and matcher for Kubernetes label selectors, used by the FakeApiServer to filter lists and
 * watches the way kube-apiserver does (protocol sheet §1.2, §10 "Selectors").
 *
 * The grammar follows `k8s.io/apimachinery/pkg/labels/selector.go`:
 * requirements separated by `,` (AND); each is `key`, `!key`, `key=value`, `key==value`, `key!=value`,
 * `key in (v1,v2)`, `key notin (v1,v2)`, `key>N` or `key<N`. Whitespace around tokens is ignored.
 */

/**
 * The operator of one label requirement.
 * @since 0.1.0
 */
export type LabelOperator = 'exists' | 'doesNotExist' | 'equals' | 'notEquals' | 'in' | 'notIn' | 'gt' | 'lt';

/**
 * One parsed requirement of a label selector.
 * @since 0.1.0
 */
export interface LabelRequirement {
  /** The label key, e.g. `app` or `example.com/tier`. */
  readonly key: string;
  /** How the label is compared. */
  readonly operator: LabelOperator;
  /** The values: one for `equals`/`notEquals`/`gt`/`lt`, one or more for `in`/`notIn`, none for (does not) exist. */
  readonly values: readonly string[];
}

/**
 * A parsed label selector: all requirements must hold (AND). The empty selector matches everything.
 * @since 0.1.0
 */
export interface LabelSelector {
  /** The requirements, all of which must hold. */
  readonly requirements: readonly LabelRequirement[];
  /** `true` when the selector has no requirement and so matches every object. */
  readonly empty: boolean;
  /** Whether an object with these labels matches; `undefined`/`null` labels count as no labels. */
  matches(labels: Readonly<Record<string, string>> | null | undefined): boolean;
}

/**
 * Thrown by {@link parseLabelSelector} for a selector that does not parse or has an invalid key or value.
 * The FakeApiServer answers it with HTTP 400 BadRequest (protocol sheet §1.2).
 * @since 0.1.0
 */
export class LabelSelectorError extends Error {
  /** The class name, `LabelSelectorError`, also in stack traces and `String(error)`. */
  override readonly name = 'LabelSelectorError';
}

type Token =
  | { readonly kind: 'id'; readonly text: string }
  | { readonly kind: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<' | 'eos'; readonly text: string };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (SPECIAL.has(c)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: two, text: two });
        i += 2;
      } else {
        tokens.push({ kind: c as '!' | '=' | '(' | ')' | ',' | '>' | '<', text: c });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < input.length && !SPECIAL.has(input[j]!) && !isSpace(input[j]!)) j++;
    tokens.push({ kind: 'id', text: input.slice(i, j) });
    i = j;
  }
  tokens.push({ kind: 'eos', text: '' });
  return tokens;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Label keys are qualified names: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
function validateKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new LabelSelectorError(`invalid label key "${key}": prefix part must be a lowercase DNS subdomain`);
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    throw new LabelSelectorError(
      `invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', ` +
        'and must start and end with an alphanumeric character (at most 63 characters)',
    );
  }
}

/** Label values are empty or a name of at most 63 characters. */
function validateValue(value: string): void {
  if (value === '') return;
  if (value.length > 63 || !NAME.test(value)) {
    throw new LabelSelectorError(
      `invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, ` +
        "'-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)",
    );
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'eos') this.pos++;
    return t;
  }

  parse(): LabelRequirement[] {
    const out: LabelRequirement[] = [];
    if (this.peek().kind === 'eos') return out;
    for (;;) {
      out.push(this.requirement());
      const t = this.next();
      if (t.kind === 'eos') return out;
      if (t.kind !== ',') throw new LabelSelectorError(`found '${t.text}', expected: ',' or 'end of string'`);
      // A trailing comma is an error in the real parser: a requirement must follow.
      if (this.peek().kind === 'eos') throw new LabelSelectorError("found 'end of string', expected: identifier");
    }
  }

  private requirement(): LabelRequirement {
    let t = this.next();
    if (t.kind === '!') {
      t = this.next();
      if (t.kind !== 'id') throw new LabelSelectorError(`found '${t.text || 'end of string'}', expected: identifier after '!'`);
      validateKey(t.text);
      return { key: t.text, operator: 'doesNotExist', values: [] };
    }
    if (t.kind !== 'id') throw new LabelSelectorError(`found '${t.text || 'end of string'}', expected: !, identifier, or 'end of string'`);
    const key = t.text;
    validateKey(key);
    const op = this.peek();
    if (op.kind === ',' || op.kind === 'eos') return { key, operator: 'exists', values: [] };
    this.next();
    switch (op.kind) {
      case '=':
      case '==':
        return { key, operator: 'equals', values: [this.exactValue()] };
      case '!=':
        return { key, operator: 'notEquals', values: [this.exactValue()] };
      case '>':
      case '<': {
        const v = this.exactValue();
        if (!/^-?\d+$/.test(v)) throw new LabelSelectorError(`for 'Gt', 'Lt' operators, the value must be an integer, got "${v}"`);
        return { key, operator: op.kind === '>' ? 'gt' : 'lt', values: [v] };
      }
      case 'id':
        if (op.text === 'in' || op.text === 'notin') {
          return { key, operator: op.text === 'in' ? 'in' : 'notIn', values: this.valueSet() };
        }
        break;
      default:
        break;
    }
    throw new LabelSelectorError(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
  }

  /** One value after `=`, `==`, `!=`; empty when the requirement ends right there (`app=`). */
  private exactValue(): string {
    const t = this.peek();
    if (t.kind === ',' || t.kind === 'eos') return '';
    if (t.kind !== 'id') throw new LabelSelectorError(`found '${t.text}', expected: identifier`);
    this.next();
    validateValue(t.text);
    return t.text;
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw new LabelSelectorError(`found '${open.text || 'end of string'}', expected: '('`);
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === ')') break;
      if (t.kind === 'id') {
        validateValue(t.text);
        values.push(t.text);
        const sep = this.next();
        if (sep.kind === ')') break;
        if (sep.kind !== ',') throw new LabelSelectorError(`found '${sep.text || 'end of string'}', expected: ',' or ')'`);
        continue;
      }
      throw new LabelSelectorError(`found '${t.text || 'end of string'}', expected: ',', ')' or identifier`);
    }
    if (values.length === 0) throw new LabelSelectorError("for 'in', 'notin' operators, values set can't be empty");
    return values;
  }
}

function matchesRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
    case 'equals':
    case 'in':
      return has && r.values.includes(value!);
    // As in Kubernetes, `!=` and `notin` also match objects that lack the label.
    case 'notEquals':
    case 'notIn':
      return !has || !r.values.includes(value!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const actual = Number(value);
      const limit = Number(r.values[0]);
      return r.operator === 'gt' ? actual > limit : actual < limit;
    }
  }
}

/**
 * Parses a Kubernetes label selector string.
 *
 * Supports equality (`a=b`, `a==b`, `a!=b`), set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`) and numeric
 * (`a>1`, `a<1`) requirements joined by commas. The empty or all-whitespace string yields a selector that
 * matches everything.
 *
 * @throws {@link LabelSelectorError} when the text does not parse or a key or value is not valid.
 * @example
 * ```ts
 * parseLabelSelector('app=web,tier in (fe,be),!canary').matches({ app: 'web', tier: 'fe' }); // true
 * ```
 * @since 0.1.0
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements = new Parser(tokenize(text)).parse();
  return {
    requirements,
    empty: requirements.length === 0,
    matches(labels) {
      const l = labels ?? {};
      for (const r of requirements) if (!matchesRequirement(r, l)) return false;
      return true;
    },
  };
}
