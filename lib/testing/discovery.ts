/**
 * Discovery documents as kube-apiserver serves them (`/version`, `/api`, `/apis`, `/apis/G`, `/api/v1`,
 * `/apis/G/V`, and aggregated discovery `apidiscovery.k8s.io/v2`), built from the resource types a
 * {@link FakeApiServer} serves. Enough for `kubectl` and client-go's discovery client (memcache and aggregated).
 */
import type { IncomingMessage } from 'node:http';
import { V1_35_DEFAULT_GROUP_VERSIONS } from './all-kinds.js';
import { openApiAcceptsJson, openApiV2, openApiV3FromSpec, openApiV3Hash } from './openapi.js';

/** One served resource type, as discovery sees it. @since 0.1.0 */
export interface DiscoveryResource {
  /** API group; `""` for the core group. */
  readonly group: string;
  /** API version within the group (`v1`, `v1beta1`). */
  readonly version: string;
  /** Resource name in paths (`pods`): the discovery `name`. */
  readonly plural: string;
  /** Kind (`Pod`); its lower case is the `singularName`. */
  readonly kind: string;
  /** Namespaced (`true`) or cluster-scoped. */
  readonly namespaced: boolean;
  /** The subresources served (`status`: the kind itself; `scale`: an `autoscaling/v1` Scale), listed by discovery. */
  readonly subresources?: { readonly status?: boolean; readonly scale?: boolean };
  /** The verbs served; default every verb of a stored kind (the review APIs serve only `create`). */
  readonly verbs?: readonly string[];
  /** The `singularName` when it is not the lower-case kind (a CRD's `spec.names.singular`). */
  readonly singular?: string;
  /** Short names (a CRD's `spec.names.shortNames`); default: the built-in table. */
  readonly shortNames?: readonly string[];
  /** Categories (a CRD's `spec.names.categories`); default: `all` for the built-in kinds in it. */
  readonly categories?: readonly string[];
}

/** A discovery answer: status code, Content-Type and body text. @internal */
export interface DiscoveryResponse {
  /** HTTP status code. */
  readonly code: number;
  /** `Content-Type` header. */
  readonly contentType: string;
  /** Body text (JSON ends with a newline, as the server's encoder writes it). */
  readonly body: string;
}

/** The verbs every served type lists (the fake serves all of them on every type). */
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** The verbs of the `status` and `scale` subresources (`StatusREST`, `ScaleREST`: Getter, Updater, Patcher). */
const SUBRESOURCE_VERBS = ['get', 'patch', 'update'] as const;

/**
 * The subresources of a served type, sorted by name as kube-apiserver's installer lists paths: `scale` (responding
 * with `autoscaling/v1` Scale) and `status` (responding with the kind).
 */
function subresourcesOf(r: DiscoveryResource): { name: string; group: string; version: string; kind: string }[] {
  const out: { name: string; group: string; version: string; kind: string }[] = [];
  if (r.subresources?.scale) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale' });
  if (r.subresources?.status) out.push({ name: 'status', group: r.group, version: r.version, kind: r.kind });
  return out;
}

/** The aggregated-discovery media type (`apidiscovery.k8s.io/v2`). */
const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Short names of the built-in kinds (kube-apiserver's registry `ShortNames()`), keyed `group/plural`. */
export const SHORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  '/pods': ['po'],
  '/configmaps': ['cm'],
  '/services': ['svc'],
  '/namespaces': ['ns'],
  '/nodes': ['no'],
  '/endpoints': ['ep'],
  '/events': ['ev'],
  '/limitranges': ['limits'],
  '/persistentvolumeclaims': ['pvc'],
  '/persistentvolumes': ['pv'],
  '/replicationcontrollers': ['rc'],
  '/resourcequotas': ['quota'],
  '/serviceaccounts': ['sa'],
  '/componentstatuses': ['cs'],
  'apps/deployments': ['deploy'],
  'apps/daemonsets': ['ds'],
  'apps/replicasets': ['rs'],
  'apps/statefulsets': ['sts'],
  'batch/cronjobs': ['cj'],
  'autoscaling/horizontalpodautoscalers': ['hpa'],
  'networking.k8s.io/ingresses': ['ing'],
  'networking.k8s.io/networkpolicies': ['netpol'],
  'policy/poddisruptionbudgets': ['pdb'],
  'storage.k8s.io/storageclasses': ['sc'],
  'apiextensions.k8s.io/customresourcedefinitions': ['crd', 'crds'],
  'certificates.k8s.io/certificatesigningrequests': ['csr'],
  'scheduling.k8s.io/priorityclasses': ['pc'],
  'events.k8s.io/events': ['ev'],
};

/** Kinds in the `all` category (`kubectl get all`). */
const CATEGORY_ALL = new Set([
  '/pods',
  '/services',
  '/replicationcontrollers',
  'apps/deployments',
  'apps/daemonsets',
  'apps/replicasets',
  'apps/statefulsets',
  'batch/jobs',
  'batch/cronjobs',
  'autoscaling/horizontalpodautoscalers',
]);

/**
 * The `version.Info` the fake answers on `/version` (kube-apiserver v1.35.0).
 * @since 0.1.0
 */
export const VERSION_INFO = {
  major: '1',
  minor: '35',
  emulationMajor: '1',
  emulationMinor: '35',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '34',
  gitVersion: 'v1.35.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-12-17T00:00:00Z',
  goVersion: 'go1.25.5',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;

/**
 * Kubernetes' version priority (`version.CompareKubeAwareVersionStrings`): GA before beta before alpha, higher
 * numbers first; anything that is not `vN[alpha|betaM]` sorts last, alphabetically. Negative when `a` comes first.
 * @since 0.1.0
 */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const level = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [level, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order of the built-in groups in a v1.35 server's `/apis` (the recorded answer of
 * vendor/fixtures/discovery/apis-v1.35.json; kube-apiserver orders them by their APIService group priority).
 */
const BUILTIN_GROUP_ORDER: ReadonlyMap<string, number> = new Map(
  [...new Set([...V1_35_DEFAULT_GROUP_VERSIONS].map((gv) => (gv.includes('/') ? gv.slice(0, gv.lastIndexOf('/')) : '')))].map((g, i) => [g, i]),
);

/**
 * `plural` → `{group, versions (sorted by priority)}`: the core group, the built-in groups in a real server's order,
 * then the others in first-seen order.
 */
function groupsOf(resources: readonly DiscoveryResource[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of resources) {
    let versions = groups.get(r.group);
    if (!versions) groups.set(r.group, (versions = []));
    if (!versions.includes(r.version)) versions.push(r.version);
  }
  for (const v of groups.values()) v.sort(compareKubeVersions);
  const rank = (g: string): number => BUILTIN_GROUP_ORDER.get(g) ?? BUILTIN_GROUP_ORDER.size;
  return new Map([...groups].sort(([a], [b]) => rank(a) - rank(b)));
}

function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

function shortNames(r: DiscoveryResource): readonly string[] | undefined {
  const sn = r.shortNames ?? SHORT_NAMES[`${r.group}/${r.plural}`];
  return sn && sn.length > 0 ? sn : undefined;
}

function categories(r: DiscoveryResource): readonly string[] | undefined {
  const c = r.categories ?? (CATEGORY_ALL.has(`${r.group}/${r.plural}`) ? ['all'] : undefined);
  return c && c.length > 0 ? c : undefined;
}

/**
 * The `APIResourceList` of one group-version (`/api/v1`, `/apis/G/V`).
 * @since 0.1.0
 */
export function apiResourceList(group: string, version: string, resources: readonly DiscoveryResource[]): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: resources
      .filter((r) => r.group === group && r.version === version)
      .flatMap((r) => {
        const sn = shortNames(r);
        const cats = categories(r);
        // A subresource is an entry of its own: `deployments/scale` names the group and version of its kind when
        // they differ from the list's (`APIResource.group`/`version`), and has no singular name.
        const subs = subresourcesOf(r).map((s) => ({
          name: `${r.plural}/${s.name}`,
          singularName: '',
          namespaced: r.namespaced,
          ...(s.group !== r.group || s.version !== r.version ? { group: s.group, version: s.version } : {}),
          kind: s.kind,
          verbs: [...SUBRESOURCE_VERBS],
        }));
        return [
          {
            name: r.plural,
            singularName: r.singular ?? r.kind.toLowerCase(),
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: [...(r.verbs ?? VERBS)],
            ...(sn ? { shortNames: [...sn] } : {}),
            ...(cats ? { categories: [...cats] } : {}),
          },
          ...subs,
        ];
      }),
  };
}

function apiGroup(name: string, versions: readonly string[]): Record<string, unknown> {
  const gvs = versions.map((v) => ({ groupVersion: groupVersion(name, v), version: v }));
  return { name, versions: gvs, preferredVersion: gvs[0] };
}

/**
 * The legacy `APIVersions` of `/api`.
 * @since 0.1.0
 */
export function apiVersions(resources: readonly DiscoveryResource[], serverAddress: string): Record<string, unknown> {
  const versions = groupsOf(resources).get('') ?? [];
  return { kind: 'APIVersions', versions, serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/**
 * The `APIGroupList` of `/apis` (named groups only; the core group is `/api`).
 * @since 0.1.0
 */
export function apiGroupList(resources: readonly DiscoveryResource[]): Record<string, unknown> {
  const groups = [...groupsOf(resources)].filter(([g]) => g !== '').map(([g, versions]) => apiGroup(g, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/**
 * Aggregated discovery (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`): `/api` (`legacy`: the core group only)
 * or `/apis` (named groups), every version with its resources, in priority order.
 * @since 0.1.0
 */
export function aggregatedDiscovery(resources: readonly DiscoveryResource[], legacy: boolean): Record<string, unknown> {
  const items = [...groupsOf(resources)]
    .filter(([g]) => (g === '') === legacy)
    .map(([group, versions]) => ({
      metadata: { ...(group !== '' ? { name: group } : {}), creationTimestamp: null },
      versions: versions.map((version) => ({
        version,
        resources: resources
          .filter((r) => r.group === group && r.version === version)
          .map((r) => {
            const sn = shortNames(r);
            const subs = subresourcesOf(r).map((s) => ({
              subresource: s.name,
              responseKind: { group: s.group, version: s.version, kind: s.kind },
              verbs: [...SUBRESOURCE_VERBS],
            }));
            const cats = categories(r);
            return {
              resource: r.plural,
              responseKind: { group, version, kind: r.kind },
              scope: r.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: r.singular ?? r.kind.toLowerCase(),
              verbs: [...(r.verbs ?? VERBS)],
              ...(sn ? { shortNames: [...sn] } : {}),
              ...(cats ? { categories: [...cats] } : {}),
              ...(subs.length > 0 ? { subresources: subs } : {}),
            };
          }),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

/**
 * Whether `Accept` asks for aggregated discovery v2 (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`)
 * before any plain JSON range, as client-go's discovery client does.
 * @since 0.1.0
 */
export function wantsAggregated(accept: string | undefined): boolean {
  for (const range of (accept ?? '').split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const p = new Map(params.map((kv) => kv.split('=', 2) as [string, string]));
    if (p.get('as') === 'apigroupdiscoverylist' && p.get('g') === 'apidiscovery.k8s.io' && p.get('v') === 'v2' && type === 'application/json') return true;
    if (['application/json', 'application/*', '*/*'].includes(type) && !p.has('as')) return false;
  }
  return false;
}

/** kube-openapi `handler.go`: no acceptable media type is a bare 406. */
const NOT_ACCEPTABLE: DiscoveryResponse = { code: 406, contentType: 'text/plain; charset=utf-8', body: '' };

function json(body: unknown, contentType = 'application/json'): DiscoveryResponse {
  return { code: 200, contentType, body: `${JSON.stringify(body)}\n` };
}

/**
 * Answers the discovery and other non-resource paths kube-apiserver serves, or `undefined` for any other path
 * (a resource path, or a 404). `/openapi/v2`, `/openapi/v3` ({@link openApiV3Root}) and `/openapi/v3/<group-version>`
 * answer the v1.35 spec's documents for what the server serves (`openapi.ts`).
 * @internal
 */
export function serveDiscovery(pathname: string, req: IncomingMessage, resources: readonly DiscoveryResource[]): DiscoveryResponse | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const accept = req.headers.accept;
  switch (path) {
    case '/version':
      return json(VERSION_INFO);
    case '/api':
      return wantsAggregated(accept)
        ? json(aggregatedDiscovery(resources, true), AGGREGATED_V2)
        : json(apiVersions(resources, req.headers.host ?? '127.0.0.1'));
    case '/apis':
      return wantsAggregated(accept) ? json(aggregatedDiscovery(resources, false), AGGREGATED_V2) : json(apiGroupList(resources));
    case '/openapi/v2':
      // The spec of v1.35 (openapi.ts), JSON only. An Accept of only the protobuf form (what client-go's
      // `OpenAPISchema` sends) is a 404, as from a server without it: kubectl then does without the v2 schema, where a
      // 406 would fail `kubectl apply`'s client-side validation ("unable to respond with a content type").
      if (!openApiAcceptsJson(accept)) return { code: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
      return { code: 200, contentType: 'application/json', body: openApiV2(resources) };
    case '/openapi/v3':
      return openApiAcceptsJson(accept) ? json(openApiV3Root(resources)) : NOT_ACCEPTABLE;
    case '/healthz':
    case '/livez':
    case '/readyz':
      return { code: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' };
  }
  const spec = /^\/openapi\/v3\/(api\/v1|apis\/[^/]+\/[^/]+)$/.exec(path);
  if (spec) {
    const gv = spec[1]!.replace(/^apis?\//, '');
    const i = gv.lastIndexOf('/');
    const [group, version] = i < 0 ? ['', gv] : [gv.slice(0, i), gv.slice(i + 1)];
    const served = resources.filter((r) => r.group === group && r.version === version);
    if (served.length > 0) {
      if (!openApiAcceptsJson(accept)) return NOT_ACCEPTABLE;
      // The v1.35 spec's document (openapi.ts), with skeleton paths for served kinds it lacks (custom resources).
      const skeleton = openApiV3GroupVersion(served);
      const doc = openApiV3FromSpec(group, version, resources);
      if (!doc) return json(skeleton);
      const paths = doc['paths'] as Record<string, unknown>;
      for (const [p, item] of Object.entries(skeleton['paths'] as Record<string, unknown>)) if (!(p in paths)) paths[p] = item;
      return json(doc);
    }
  }
  const m = /^\/apis\/([^/]+)$/.exec(path);
  if (m) {
    const versions = groupsOf(resources).get(m[1]!);
    if (versions) return json({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(m[1]!, versions) });
  }
  return undefined;
}

/**
 * The OpenAPI v3 discovery root: one entry per served group-version (`api/v1`, `apis/apps/v1`), each pointing at
 * its document (the v1.35 spec's, `openapi.ts`, or {@link openApiV3GroupVersion}'s skeleton).
 * @since 0.1.0
 */
export function openApiV3Root(resources: readonly DiscoveryResource[]): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [group, versions] of groupsOf(resources)) {
    for (const version of versions) {
      const key = group === '' ? `api/${version}` : `apis/${group}/${version}`;
      // The hash names the document's content, as kube-apiserver's does: kubectl caches documents by URL.
      const hash = openApiV3Hash(group, version, resources);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    }
  }
  return { paths };
}

/**
 * A skeleton OpenAPI v3 document of one group-version: each kind's item path with a PATCH operation tagged with its
 * `x-kubernetes-group-version-kind` and the `fieldValidation` query parameter, and no schemas. That is what
 * kubectl's `fieldValidation` support check reads (so `kubectl create/apply` work with the default `--validate`,
 * leaving validation to the server, which ignores it); strategic merge patches then use kubectl's compiled-in types.
 * Served for group-versions the v1.35 spec does not have (custom resources); built-in ones get the spec's document
 * (`openapi.ts`).
 * @since 0.1.0
 */
export function openApiV3GroupVersion(resources: readonly DiscoveryResource[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
    const item = `${base}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const param = (name: string): Record<string, unknown> => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
    paths[item] = {
      patch: {
        operationId: `patch${r.kind}`,
        parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation'), param('force')],
        responses: {},
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.35.0' }, paths, components: { schemas: {} } };
}

/**
 * The resource list of a served group-version path (`/api/v1`, `/apis/G/V`).
 * @internal
 */
export function serveResourceList(basePath: string, resources: readonly DiscoveryResource[]): string {
  const gv = basePath.replace(/^\/apis?\//, '');
  const i = gv.lastIndexOf('/');
  const [group, version] = i < 0 ? ['', gv] : [gv.slice(0, i), gv.slice(i + 1)];
  return `${JSON.stringify(apiResourceList(group, version, resources))}\n`;
}
