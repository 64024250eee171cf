/**
 * A parser and matcher for Kubernetes field selectors, as `k8s.io/apimachinery/pkg/fields/selector.go` parses
 * them: terms split on unescaped `,` (AND); each term is `field=value`, `field==value` or `field!=value`;
 * `\,`, `\=` and `\\` escape inside values.
 */

/**
 * Thrown by {@link parseFieldSelector} for a term it cannot understand, and by
 * {@link FieldSelector.requireKnownFields} for an unsupported field label. The server answers both with 400.
 * @since 0.1.0
 */
export class FieldSelectorError extends Error {
  /** The class name, `FieldSelectorError`, also in stack traces and `String(error)`. */
  override readonly name = 'FieldSelectorError';
}

/**
 * One term of a field selector.
 * @since 0.1.0
 */
export interface FieldRequirement {
  /** The field path, e.g. `metadata.name`. */
  readonly field: string;
  /** `=` also stands for `==`. */
  readonly operator: '=' | '!=';
  /** The value to compare with, unescaped (may be `""`). */
  readonly value: string;
}

/**
 * A parsed field selector: every term must hold.
 * @since 0.1.0
 */
export interface FieldSelector {
  /** The terms, all of which must hold. */
  readonly requirements: readonly FieldRequirement[];
  /** `true` when the selector has no term and so matches every object. */
  readonly empty: boolean;
  /** Whether an object whose selectable fields have these values matches. A field that is absent counts as `""`. */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /**
   * Throws a {@link FieldSelectorError} with kube-apiserver's message for the first field not in `known`
   * (protocol sheet §1.2: `"x" is not a known field selector: only "metadata.name", "metadata.namespace"`).
   */
  requireKnownFields(known: readonly string[]): void;
  /** The values a term `field=value` (or `==`) requires for `field`, for example the name of a single-object watch. */
  equalityValues(field: string): string[];
}

function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) {
        return { field: term.slice(0, i), operator: op === '!=' ? '!=' : '=', value: term.slice(i + op.length) };
      }
    }
  }
  return undefined;
}

function unescape(value: string, selector: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const n = value[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') {
        throw new FieldSelectorError(`invalid selector: '${selector}'; invalid escape sequence in '${value}'`);
      }
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw new FieldSelectorError(`invalid selector: '${selector}'; unescaped '${c}' in '${value}'`);
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Parses a Kubernetes field selector string (`metadata.name=foo,metadata.namespace!=kube-system`).
 * The empty string matches everything.
 *
 * @throws {@link FieldSelectorError} `invalid selector: '<selector>'; can't understand '<term>'` for a term with no operator.
 * @since 0.1.0
 */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const part of splitUnescaped(text, ',')) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    requirements.push({ field: term.field, operator: term.operator, value: unescape(term.value, text) });
  }
  return {
    requirements,
    empty: requirements.length === 0,
    matches(fields) {
      for (const r of requirements) {
        const actual = fields[r.field] ?? '';
        if ((actual === r.value) !== (r.operator === '=')) return false;
      }
      return true;
    },
    requireKnownFields(known) {
      for (const r of requirements) {
        if (!known.includes(r.field)) {
          throw new FieldSelectorError(
            `${JSON.stringify(r.field)} is not a known field selector: only ${known.map((k) => JSON.stringify(k)).join(', ')}`,
          );
        }
      }
    },
    equalityValues(field) {
      return requirements.filter((r) => r.field === field && r.operator === '=').map((r) => r.value);
    },
  };
}
