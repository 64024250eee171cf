/**
 * The FakeApiServer's HTTP handler, shaped as kube-apiserver's (`k8s.io/apiserver/pkg/server/handler.go` and the
 * filter chain of `pkg/server/config.go` `DefaultBuildHandlerChain`): CORS, the body limit, authentication and
 * impersonation, the filter chain's response headers, the shutdown answer, authorization and injected faults, then
 * the director: discovery, Go's plain 404 for unknown group-versions, and dispatch to the read and write verbs.
 * @internal
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { badRequestStatus, forbiddenStatus, internalErrorStatus, requestEntityTooLargeStatus, resourceNotFoundStatus } from './status.js';
import type { FakeStore } from './store.js';
import type { AuthorizationAttributes, FakeAuth } from './auth.js';
import { includeObjectOf } from './table.js';
import { serveDiscovery, serveResourceList } from './discovery.js';
import { HttpError } from './responses.js';
import { WriteHandlers, type ObjectValidator, type WriteRequest, type WriteResource, type WriteResponse } from './writes.js';
import { boolParam, methodNotAllowed, negotiate, notAcceptable, parsePath, verbOf, type Route } from './routing.js';
import { matcher, parseListOptions } from './list-options.js';
import { writeFault, writeRaw, writeStatus, writeText } from './responses.js';
import { answerCors, authenticateRequest } from './filters.js';
import { isReviewRoute, serveReview, unauthenticatedUser } from './review-apis.js';
import { noop } from './wait-list.js';
import { servesSubresource, SubresourceHandlers } from './subresources.js';
import type { Registered, ResourceRegistry } from './registry.js';
import type { ReadHandlers } from './reads.js';
import type { FakeApiServerConfig, FakeApiServerOptions, HttpFault, RecordedRequest } from './server-types.js';

/** What the handler needs from the server. @internal */
export interface HandlerServer {
  readonly config: FakeApiServerConfig;
  readonly auth: FakeAuth | undefined;
  readonly cors: FakeApiServerOptions['cors'];
  /** Whether `close()` was called: every request is then answered with the shutting-down 429 (§4.4). */
  readonly shuttingDown: boolean;
  /** A request arrived (before any answer): record it and wake who waits for it. */
  received(r: RecordedRequest): void;
  /** The first queued fault that matches the request, consumed; `undefined` to serve it normally. */
  takeFault(r: RecordedRequest): HttpFault | undefined;
}

/** Answers the FakeApiServer's HTTP requests. @internal */
export class RequestHandler {
  private readonly pfUids = { flowSchema: randomUUID(), priorityLevel: randomUUID() };
  private readonly writes: WriteHandlers;
  private readonly subresources: SubresourceHandlers;

  constructor(
    private readonly server: HandlerServer,
    store: FakeStore,
    private readonly registry: ResourceRegistry,
    private readonly reads: ReadHandlers,
    /** The validation hooks by store key, as `setValidator` keeps them. */
    private readonly validators: ReadonlyMap<string, ObjectValidator>,
  ) {
    this.writes = new WriteHandlers(store, { store, namespaces: () => registry.lookup('/api/v1', 'namespaces')?.store });
    this.subresources = new SubresourceHandlers(store, this.writes);
  }

  /** Each request's body bytes, read by {@link readBody} (binary protobuf bodies for the write handlers). */
  private readonly bodies = new WeakMap<IncomingMessage, Buffer>();

  /**
   * Reads a request body up to the limit; past it, the rest is drained and `tooLarge` is set (kube-apiserver's
   * `limitedReadBody` answers 413 RequestEntityTooLarge).
   */
  private readBody(req: IncomingMessage): Promise<{ text: string | undefined; tooLarge: boolean; raw: Buffer }> {
    const limit = this.server.config.maxRequestBodyBytes;
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) tooLarge = true;
        else chunks.push(c);
      });
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (!tooLarge) this.bodies.set(req, raw);
        resolve({ text: tooLarge ? undefined : raw.toString('utf8'), tooLarge, raw });
      });
      req.on('error', () => resolve({ text: undefined, tooLarge, raw: Buffer.alloc(0) }));
    });
  }

  /** Answers one HTTP request. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.server.cors && answerCors(this.server.cors, req, res)) return;
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') return this.handleRead(req, res, undefined, false);
    void this.readBody(req).then(({ text, tooLarge, raw }) => this.handleRead(req, res, text, tooLarge, raw));
  }

  private handleRead(req: IncomingMessage, res: ServerResponse, body: string | undefined, tooLarge: boolean, raw?: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    let route: Route | undefined;
    let badPath = false;
    try {
      route = parsePath(url.pathname);
    } catch {
      badPath = true;
    }
    // Authentication, then impersonation, before anything else (kube-apiserver's filter chain, §2).
    const checked = this.server.auth ? authenticateRequest(this.server.auth, req) : undefined;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      at: Date.now(),
      ...(body !== undefined ? { body } : {}),
      ...(checked?.auth ? { auth: checked.auth } : {}),
    };
    this.server.received(recorded);
    res.on('error', noop);
    // Headers of the filter chain (§2): audit id, cache control, priority-and-fairness ids.
    res.setHeader('Audit-Id', randomUUID());
    res.setHeader('Cache-Control', 'no-cache, private');
    res.setHeader('X-Kubernetes-Pf-Flowschema-Uid', this.pfUids.flowSchema);
    res.setHeader('X-Kubernetes-Pf-Prioritylevel-Uid', this.pfUids.priorityLevel);

    if (this.server.shuttingDown) return writeFault(req, res, { type: 'ShuttingDown' }, undefined, recorded, this.server.config.user);
    if (checked?.denial) return writeStatus(res, checked.denial);
    if (badPath) return writeStatus(res, badRequestStatus(`invalid path ${JSON.stringify(url.pathname)}`));
    // Authorization of resource requests: 403 with the authorizer's message (§4.5).
    const authorize = this.server.auth?.authorize;
    if (checked?.auth && authorize && route?.plural !== undefined && route.plural !== '') {
      const verb = verbOf(recorded, route);
      const attributes: AuthorizationAttributes = {
        user: checked.auth.user,
        verb,
        resource: route.plural,
        group: route.group,
        ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
        ...(route.name !== undefined ? { name: route.name } : {}),
        ...(route.subresource !== undefined ? { subresource: route.subresource } : {}),
      };
      if (!authorize(attributes)) {
        const status = forbiddenStatus({
          user: checked.auth.user.username,
          verb,
          plural: route.plural,
          group: route.group,
          namespace: route.namespace,
          name: route.name,
          ...(route.subresource !== undefined ? { subresource: route.subresource } : {}),
        });
        return writeStatus(res, status, { 'X-Content-Type-Options': 'nosniff' });
      }
    }
    const fault = this.server.takeFault(recorded);
    if (fault) return writeFault(req, res, fault, route, recorded, this.server.config.user);
    // The create-only review APIs (SelfSubjectAccessReview, SelfSubjectReview, ...), answered from the auth settings.
    if (route && isReviewRoute(route)) {
      const user = checked?.auth?.user ?? unauthenticatedUser(this.server.config.user);
      const ctx = { user, auth: this.server.auth, method: recorded.method, contentType: req.headers['content-type'], body: raw, tooLarge, maxBodyBytes: this.server.config.maxRequestBodyBytes };
      return serveReview(res, route, ctx);
    }
    if (!route && (recorded.method === 'GET' || recorded.method === 'HEAD')) {
      const found = serveDiscovery(url.pathname, req, this.registry.discoveryResources());
      if (found) return writeRaw(res, found.code, found.contentType, found.body);
    }
    // An unknown group or version falls through to Go's http.NotFound (§4.5).
    if (!route || !this.registry.servesGroupVersion(route.basePath)) return writeText(res, 404, '404 page not found');

    const method = recorded.method;
    if (tooLarge) return writeStatus(res, requestEntityTooLargeStatus(this.server.config.maxRequestBodyBytes));
    void this.serve(method, route, url.searchParams, req, res, recorded).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) writeStatus(res, err.status);
      else writeStatus(res, internalErrorStatus(err instanceof Error ? err.message : String(err)));
    });
  }

  /** Dispatch by route and verb. */
  private async serve(method: string, route: Route, q: URLSearchParams, req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest): Promise<void> {
    if (route.plural === undefined) {
      if (method !== 'GET') throw new HttpError(methodNotAllowed());
      return writeRaw(res, 200, 'application/json', serveResourceList(route.basePath, this.registry.discoveryResources()));
    }
    const reg = this.registry.lookup(route.basePath, route.plural);
    // Unknown resource in a served group-version; namespace path on a cluster-scoped kind; item path of a
    // namespaced kind without namespace; subresources the kind does not serve: all 404 with the generic Status (§4.5).
    if (
      !reg ||
      (route.subresource !== undefined && !servesSubresource(reg.store.strategy, route.subresource)) ||
      (route.namespace !== undefined && !reg.resource.namespaced) ||
      (route.name !== undefined && route.namespace === undefined && reg.resource.namespaced)
    ) {
      throw new HttpError(resourceNotFoundStatus());
    }
    if (route.subresource !== undefined) {
      const request: WriteRequest = { namespace: route.namespace, name: route.name, query: q, headers: req.headers, body: recorded.body ?? '', bytes: this.bodies.get(req) };
      return this.subresources.serve(method, route, this.writeTarget(reg), request, res, () => {
        const accept = negotiate(req.headers.accept);
        if (!accept) throw new HttpError(notAcceptable());
        this.reads.getItem(res, reg, route, accept.metadataOnly, accept.table ? includeObjectOf(q) : undefined);
      });
    }
    if (method !== 'GET') return this.serveWrite(method, reg, route, q, req, res, recorded);
    // `?watch` on an item path is a plain GET (§1.1); only the deprecated /watch/ prefix watches one item.
    const isWatch = route.watchPrefix || (route.name === undefined && (boolParam(q, 'watch') ?? false));
    const accept = negotiate(req.headers.accept);
    if (!accept) throw new HttpError(notAcceptable());
    const table = accept.table ? includeObjectOf(q) : undefined;
    if (route.name !== undefined && !route.watchPrefix) return this.reads.getItem(res, reg, route, accept.metadataOnly, table);
    const opts = parseListOptions(q, isWatch, route, this.server.config, { strategy: reg.store.strategy, namespaced: reg.resource.namespaced });
    if (isWatch) return this.reads.serveWatch(res, reg, route, opts, accept.metadataOnly, recorded, table);
    return this.reads.serveList(res, reg, route, opts, accept.metadataOnly, table);
  }

  /**
   * POST (collection), PUT/PATCH/DELETE (item), DELETE (collection: deletecollection). Anything else, the `/watch/`
   * prefix, and a namespaced kind's all-namespaces path, are 405 as go-restful answers routes without that verb.
   */
  private serveWrite(method: string, reg: Registered, route: Route, q: URLSearchParams, req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest): void {
    const item = route.name !== undefined;
    const scoped = !reg.resource.namespaced || route.namespace !== undefined;
    if (route.watchPrefix || !scoped) throw new HttpError(methodNotAllowed());
    const target = this.writeTarget(reg);
    const request: WriteRequest = { namespace: route.namespace, name: route.name, query: q, headers: req.headers, body: recorded.body ?? '', bytes: this.bodies.get(req) };
    let out: WriteResponse;
    if (method === 'POST' && !item) out = this.writes.create(target, request);
    else if (method === 'PUT' && item) out = this.writes.replace(target, request);
    else if (method === 'PATCH' && item) out = this.writes.patch(target, request);
    else if (method === 'DELETE' && item) out = this.writes.delete(target, request);
    else if (method === 'DELETE') {
      const opts = parseListOptions(q, false, route, this.server.config, { strategy: reg.store.strategy, namespaced: reg.resource.namespaced });
      out = this.writes.deleteCollection(target, request, matcher(route, opts, undefined), reg.typeMetaPrefix);
    } else throw new HttpError(methodNotAllowed());
    writeRaw(res, out.code, 'application/json', out.body);
  }

  /** What the write handlers need of a registered resource. */
  private writeTarget(reg: Registered): WriteResource {
    return {
      kind: reg.resource.kind,
      apiVersion: reg.resource.apiVersion,
      group: reg.resource.group,
      plural: reg.resource.plural,
      namespaced: reg.resource.namespaced,
      store: reg.store,
      deleteReturnsObject: reg.deleteReturnsObject,
      strategicMergePatch: reg.strategicMergePatch,
      nameRule: reg.nameRule,
      validator: this.validators.get(reg.store.key),
    };
  }
}
