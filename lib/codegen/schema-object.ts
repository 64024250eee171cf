/** The schema type both `schema.ts` and `constraints.ts` read, in its own module so neither imports the other for it. */

/**
 * The subset of an OpenAPI v2 / v3 (structural) schema the generator reads. The value rules (`enum`, `pattern`,
 * `minimum`, ...) are read for CRDs only (see `./constraints.ts`); everything else (`anyOf`, `multipleOf`,
 * `x-kubernetes-validations`, ...) is left to the API server.
 * @since 0.1.0
 */
export interface SchemaObject {
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  /** `true` in OpenAPI v2 and v3.0 (qualifies `minimum`); a number in later JSON Schema. */
  readonly exclusiveMinimum?: boolean | number;
  readonly exclusiveMaximum?: boolean | number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, SchemaObject>>;
  readonly required?: readonly string[];
  readonly items?: SchemaObject | readonly SchemaObject[];
  readonly additionalProperties?: boolean | SchemaObject;
  readonly $ref?: string;
  readonly nullable?: boolean;
  readonly 'x-nullable'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-group-version-kind'?: ReadonlyArray<{ readonly group: string; readonly version: string; readonly kind: string }>;
}
