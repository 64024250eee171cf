/**
 * apimachinery's `validation.IsQualifiedName` (k8s.io/apimachinery `pkg/util/validation/validation.go`): an
 * optional DNS-1123 subdomain prefix (at most 253 characters) and `/`, then a name of at most 63 characters of
 * alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric. Finalizer names and `reportingController`
 * must be qualified names.
 */

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `value` is a Kubernetes qualified name (`[prefix/]name`). @internal */
export function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && NAME.test(name);
}
