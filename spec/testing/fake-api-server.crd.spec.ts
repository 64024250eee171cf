/**
 * Issue #13 item 8 and the CRD deletion of item 3: a CustomResourceDefinition written over HTTP (or programmatically)
 * becomes Established and its resource is served (discovery, CRUD, watch, list items with apiVersion/kind); its
 * deletion goes through the cleanup finalizer, deletes the custom resources and stops serving them. Every test talks
 * to the FakeApiServer over loopback HTTP.
 */
import { describe, it, expect } from '@jest/globals';
import { defineResource } from '../../lib/resource/define-resource.js';
import { fetchRaw } from './http-helpers.js';
import { MERGE, serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

/** A CRD `widgets.example.com` with a structural schema; `versions` override the single `v1`. */
function widgetCrd(versions?: unknown[]): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all', 'gadgets'] },
      scope: 'Namespaced',
      versions: versions ?? [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
                status: { type: 'object', properties: { ready: { type: 'boolean' } } },
              },
            },
          },
          subresources: { status: {} },
        },
      ],
    },
  };
}

const h = serverHarness({ watchListDefaulting: false });
const { call, body, watchFromNow } = h;

function conditions(crd: any): Record<string, { status: string; reason: string; message: string }> {
  return Object.fromEntries((crd.status?.conditions ?? []).map((c: any) => [c.type, c]));
}

describe('a CRD created over HTTP', () => {
  it('is answered with a cleared status, then Established by two status writes (naming, establishing controllers)', async () => {
    const crdWatch = await watchFromNow(CRDS);
    const created = await call('POST', CRDS, widgetCrd());
    expect(created.status).toBe(201);
    // PrepareForCreate: status reset, storedVersions = [storage version]; v1 defaults: conversion None.
    expect(body(created).status).toEqual({ acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    expect(body(created).spec.conversion).toEqual({ strategy: 'None' });
    expect(body(created).metadata.generation).toBe(1);

    const [added, named, established] = await crdWatch.events$(3);
    expect([added!.type, named!.type, established!.type]).toEqual(['ADDED', 'MODIFIED', 'MODIFIED']);
    expect(conditions(named!.object)).toMatchObject({
      NamesAccepted: { status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
      Established: { status: 'False', reason: 'Installing' },
    });
    expect(conditions(established!.object).Established).toMatchObject({ status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });

    const crd = body(await call('GET', `${CRDS}/widgets.example.com`));
    expect(crd.status.acceptedNames).toEqual({ plural: 'widgets', singular: 'widget', shortNames: ['wd'], kind: 'Widget', listKind: 'WidgetList', categories: ['all', 'gadgets'] });
    expect(crd.status.storedVersions).toEqual(['v1']);
    expect(crd.metadata.generation).toBe(1);
  });

  it('is served: legacy and aggregated discovery list it with its names', async () => {
    expect((await call('GET', '/apis/example.com/v1')).status).toBe(404);
    await call('POST', CRDS, widgetCrd());
    const list = body(await call('GET', '/apis/example.com/v1'));
    expect(list.resources).toEqual([
      {
        name: 'widgets',
        singularName: 'widget',
        namespaced: true,
        kind: 'Widget',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['wd'],
        categories: ['all', 'gadgets'],
      },
      // The CRD declares the status subresource: discovery lists it as kube-apiserver does.
      { name: 'widgets/status', singularName: '', namespaced: true, kind: 'Widget', verbs: ['get', 'patch', 'update'] },
    ]);
    const groups = body(await call('GET', '/apis')).groups.map((g: any) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['apiextensions.k8s.io', 'example.com']));
    const aggregated = body(await fetchRaw(`${h.server.url}/apis`, { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } }));
    const group = aggregated.items.find((i: any) => i.metadata.name === 'example.com');
    expect(group.versions[0].resources[0]).toMatchObject({
      resource: 'widgets',
      scope: 'Namespaced',
      singularResource: 'widget',
      shortNames: ['wd'],
      categories: ['all', 'gadgets'],
      subresources: [{ subresource: 'status', responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' }, verbs: ['get', 'patch', 'update'] }],
    });
  });

  it('serves CRUD and watch of its custom resources; list items carry apiVersion and kind', async () => {
    await call('POST', CRDS, widgetCrd());
    const watch = await watchFromNow(WIDGETS);
    const w = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 1 } };
    const created = await call('POST', WIDGETS, w);
    expect(created.status).toBe(201);
    expect(body(created)).toMatchObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default', generation: 1 }, spec: { size: 1 } });
    await call('POST', WIDGETS, { ...w, metadata: { name: 'w2' } });

    const list = body(await call('GET', WIDGETS));
    expect(list.kind).toBe('WidgetList');
    expect(list.items.map((i: any) => [i.apiVersion, i.kind, i.metadata.name])).toEqual([
      ['example.com/v1', 'Widget', 'w1'],
      ['example.com/v1', 'Widget', 'w2'],
    ]);

    const got = body(await call('GET', `${WIDGETS}/w1`));
    const replaced = await call('PUT', `${WIDGETS}/w1`, { ...got, spec: { size: 2 } });
    expect(body(replaced).metadata.generation).toBe(2);
    const patched = await call('PATCH', `${WIDGETS}/w1`, { spec: { color: 'red' } }, MERGE);
    expect(body(patched).spec).toEqual({ size: 2, color: 'red' });
    // Custom resources take no strategic merge patch (415).
    const smp = await call('PATCH', `${WIDGETS}/w1`, { spec: { size: 3 } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(smp.status).toBe(415);
    const applied = await call('PATCH', `${WIDGETS}/w3?fieldManager=test`, { ...w, metadata: { name: 'w3' } }, { 'Content-Type': 'application/apply-patch+yaml' });
    expect(applied.status).toBe(201);
    const deleted = await call('DELETE', `${WIDGETS}/w2`);
    expect(body(deleted)).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'w2', group: 'example.com', kind: 'widgets' } });

    const events = await watch.events$(6);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w1', 'ADDED w2', 'MODIFIED w1', 'MODIFIED w1', 'ADDED w3', 'DELETED w2']);
    expect(events.every((e) => e.object.apiVersion === 'example.com/v1' && e.object.kind === 'Widget')).toBe(true);
  });

  it('with the status subresource: create drops status, main-resource updates keep the stored status', async () => {
    await call('POST', CRDS, widgetCrd());
    const created = body(await call('POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 }, status: { ready: true } }));
    expect(created.status).toBeUndefined();
    h.server.update(defineResource({ apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: true }), { ...created, status: { ready: true } });
    const patched = body(await call('PATCH', `${WIDGETS}/w`, { spec: { size: 2 }, status: { ready: false } }, MERGE));
    expect(patched.status).toEqual({ ready: true });
    expect(patched.spec.size).toBe(2);
    const statusOnly = body(await call('PATCH', `${WIDGETS}/w`, { status: { ready: false } }, MERGE));
    expect(statusOnly.metadata.generation).toBe(2);
  });

  it('without the status subresource, status is written by the main resource and bumps the generation (copyNonMetadata)', async () => {
    const crd = widgetCrd() as any;
    delete crd.spec.versions[0].subresources;
    await call('POST', CRDS, crd);
    const created = body(await call('POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 }, status: { ready: false } }));
    expect(created.status).toEqual({ ready: false });
    const patched = body(await call('PATCH', `${WIDGETS}/w`, { status: { ready: true } }, MERGE));
    expect(patched.status).toEqual({ ready: true });
    expect(patched.metadata.generation).toBe(2);
  });

  it('can be created programmatically, as test seeding does', async () => {
    h.server.create(defineResource({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false }), widgetCrd());
    const res = await call('POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(res.status).toBe(201);
    expect(conditions(body(await call('GET', `${CRDS}/widgets.example.com`))).Established?.status).toBe('True');
  });

  it('serves every served version from one store; a version no longer served is 404 and its watches end', async () => {
    const schema = widgetCrd().spec as any;
    const v1 = schema.versions[0];
    await call('POST', CRDS, widgetCrd([{ ...v1, name: 'v1beta1', storage: false }, v1]));
    const versions = body(await call('GET', '/apis/example.com')).versions.map((v: any) => v.version);
    expect(versions).toEqual(['v1', 'v1beta1']);
    const BETA = '/apis/example.com/v1beta1/namespaces/default/widgets';
    const betaWatch = await watchFromNow(BETA);
    const v1Watch = await watchFromNow(WIDGETS);
    // One store for both versions (conversion None): only apiVersion differs.
    const created = body(await call('POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } }));
    const beta = body(await call('GET', `${BETA}/w`));
    expect(beta).toEqual({ ...created, apiVersion: 'example.com/v1beta1' });
    expect(body(await call('GET', BETA)).items.map((i: any) => i.apiVersion)).toEqual(['example.com/v1beta1']);
    const updated1 = body(await call('PATCH', `${BETA}/w`, { spec: { size: 2 } }, MERGE));
    expect(updated1.apiVersion).toBe('example.com/v1beta1');
    expect(body(await call('GET', `${WIDGETS}/w`))).toMatchObject({ apiVersion: 'example.com/v1', spec: { size: 2 }, metadata: { resourceVersion: updated1.metadata.resourceVersion } });
    const [betaAdded, betaModified] = await betaWatch.events$(2);
    const [v1Added, v1Modified] = await v1Watch.events$(2);
    expect([betaAdded!.object.apiVersion, betaModified!.object.apiVersion]).toEqual(['example.com/v1beta1', 'example.com/v1beta1']);
    expect([v1Added!.object.apiVersion, v1Modified!.object.apiVersion]).toEqual(['example.com/v1', 'example.com/v1']);
    expect(v1Modified!.object.metadata.resourceVersion).toBe(betaModified!.object.metadata.resourceVersion);

    const crd = body(await call('GET', `${CRDS}/widgets.example.com`));
    crd.spec.versions[0].served = false;
    const updated = await call('PUT', `${CRDS}/widgets.example.com`, crd);
    expect(updated.status).toBe(200);
    expect(body(updated).metadata.generation).toBe(2);
    expect(await betaWatch.ended).toBe('clean');
    expect((await call('GET', BETA)).status).toBe(404);
    expect(body(await call('GET', WIDGETS)).items.map((i: any) => i.metadata.name)).toEqual(['w']);
  });

  it('re-registers on a schema change: new fields are kept, dropped ones pruned', async () => {
    await call('POST', CRDS, widgetCrd());
    const w = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, shape: 'round' } };
    expect(body(await call('POST', WIDGETS, w)).spec).toEqual({ size: 1 });
    const crd = body(await call('GET', `${CRDS}/widgets.example.com`));
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.shape = { type: 'string' };
    expect((await call('PUT', `${CRDS}/widgets.example.com`, crd)).status).toBe(200);
    expect(body(await call('POST', WIDGETS, { ...w, metadata: { name: 'w2' } })).spec).toEqual({ size: 1, shape: 'round' });
  });
});

describe('names of CRDs in one group (naming controller)', () => {
  it('a name another CRD accepted is a conflict: NamesAccepted False, not served; accepted once the other is gone', async () => {
    await call('POST', CRDS, widgetCrd());
    const gadget = widgetCrd() as any;
    gadget.metadata.name = 'gadgets.example.com';
    gadget.spec.names = { plural: 'gadgets', kind: 'Widget', shortNames: ['wd'] };
    expect((await call('POST', CRDS, gadget)).status).toBe(201);
    const pending = body(await call('GET', `${CRDS}/gadgets.example.com`));
    // singular `widget`, short name `wd`, kind and listKind are taken: only the plural is accepted (the last conflict names the reason).
    expect(pending.status.acceptedNames).toEqual({ plural: 'gadgets', kind: '' });
    expect(conditions(pending)).toMatchObject({
      NamesAccepted: { status: 'False', reason: 'ListKindConflict', message: '"WidgetList" is already in use' },
      Established: { status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
    });
    expect(body(await call('GET', '/apis/example.com/v1')).resources.map((r: any) => r.name)).toEqual(['widgets', 'widgets/status']);

    await call('DELETE', `${CRDS}/widgets.example.com`);
    const accepted = body(await call('GET', `${CRDS}/gadgets.example.com`));
    expect(accepted.status.acceptedNames).toEqual({ plural: 'gadgets', singular: 'widget', shortNames: ['wd'], kind: 'Widget', listKind: 'WidgetList' });
    expect(conditions(accepted)).toMatchObject({ NamesAccepted: { status: 'True' }, Established: { status: 'True' } });
    expect(body(await call('GET', '/apis/example.com/v1')).resources.map((r: any) => r.name)).toEqual(['gadgets', 'gadgets/status']);
  });
});

describe('an invalid CRD', () => {
  it('is 422 Invalid with one cause per error', async () => {
    const bad = widgetCrd() as any;
    bad.metadata.name = 'widgets.example.org';
    bad.spec.versions[0].storage = false;
    delete bad.spec.versions[0].schema;
    const res = await call('POST', CRDS, bad);
    expect(res.status).toBe(422);
    const status = body(res);
    expect(status.reason).toBe('Invalid');
    expect(status.details).toMatchObject({ name: 'widgets.example.org', group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' });
    expect(status.details.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "widgets.example.org": must be spec.names.plural+"."+spec.group', field: 'metadata.name' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: must have exactly one version marked as storage version', field: 'spec.versions' },
      { reason: 'FieldValueRequired', message: 'Required value: schemas are required', field: 'spec.versions[0].schema.openAPIV3Schema' },
    ]);
    expect(status.message).toMatch(/^CustomResourceDefinition\.apiextensions\.k8s\.io "widgets\.example\.org" is invalid: \[metadata\.name: /);
    expect((await call('GET', '/apis/example.com/v1')).status).toBe(404);
  });

  it('needs a structural schema', async () => {
    const bad = widgetCrd() as any;
    delete bad.spec.versions[0].schema.openAPIV3Schema.properties.spec.type;
    bad.spec.versions[0].schema.openAPIV3Schema.properties.list = { type: 'array', items: {} };
    const status = body(await call('POST', CRDS, bad));
    expect(status.details.causes.map((c: any) => `${c.field}: ${c.message}`)).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[list].items.type: Required value: must not be empty for specified array items',
    ]);
  });

  it('keeps group and plural immutable', async () => {
    await call('POST', CRDS, widgetCrd());
    const crd = body(await call('GET', `${CRDS}/widgets.example.com`));
    crd.spec.names.kind = 'Gadget';
    const status = body(await call('PUT', `${CRDS}/widgets.example.com`, crd));
    expect(status.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "Gadget": field is immutable', field: 'spec.names.kind' }]);
  });
});

describe('deleting a CRD', () => {
  it('runs the cleanup finalizer: Terminating, every custom resource DELETED, then the CRD; its watches end and it is 404', async () => {
    await call('POST', CRDS, widgetCrd());
    for (const name of ['a', 'b']) await call('POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name } });
    const crWatch = await watchFromNow('/apis/example.com/v1/widgets');
    const crdWatch = await watchFromNow(CRDS);

    const res = await call('DELETE', `${CRDS}/widgets.example.com`);
    // The registry adds the finalizer with the deletion mark, so the DELETE answers the marked object.
    expect(res.status).toBe(200);
    expect(body(res).metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(body(res).metadata.deletionTimestamp).toEqual(expect.any(String));
    // REST.Delete is the registry's own update: a Terminating condition, no grace period, no generation bump.
    expect(body(res).metadata.deletionGracePeriodSeconds).toBeUndefined();
    expect(body(res).metadata.generation).toBe(1);
    expect(conditions(body(res)).Terminating).toMatchObject({
      status: 'True',
      reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    });

    const crdEvents = await crdWatch.events$(3);
    expect(crdEvents.map((e) => e.type)).toEqual(['MODIFIED', 'MODIFIED', 'DELETED']);
    expect(conditions(crdEvents[0]!.object).Terminating?.reason).toBe('InstanceDeletionPending');
    expect(conditions(crdEvents[1]!.object).Terminating).toMatchObject({ status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
    // The last write (Terminating False, finalizer removed) deletes the CRD: DELETED carries the last *stored* state,
    // as etcd's previous value, with the deletion RV (protocol sheet §10).
    expect(crdEvents[2]!.object.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);

    const crEvents = await crWatch.events$(2);
    expect(crEvents.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['DELETED a', 'DELETED b']);
    expect(Number(crEvents[1]!.object.metadata.resourceVersion)).toBeLessThan(Number(crdEvents[2]!.object.metadata.resourceVersion));
    expect(await crWatch.ended).toBe('clean');
    expect(crWatch.events).toHaveLength(2);

    expect((await call('GET', WIDGETS)).status).toBe(404);
    expect((await call('GET', `${CRDS}/widgets.example.com`)).status).toBe(404);
    expect(body(await call('GET', '/apis')).groups.map((g: any) => g.name)).not.toContain('example.com');
  });

  it('waits for custom resources that keep finalizers', async () => {
    await call('POST', CRDS, widgetCrd());
    await call('POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await call('DELETE', `${CRDS}/widgets.example.com`);
    const crd = body(await call('GET', `${CRDS}/widgets.example.com`));
    expect(conditions(crd).Terminating).toMatchObject({ status: 'True', reason: 'InstanceDeletionCheck' });
    const held = body(await call('GET', `${WIDGETS}/held`));
    expect(held.metadata.deletionTimestamp).toEqual(expect.any(String));

    await call('PATCH', `${WIDGETS}/held`, { metadata: { finalizers: null } }, MERGE);
    expect((await call('GET', `${CRDS}/widgets.example.com`)).status).toBe(404);
    expect((await call('GET', WIDGETS)).status).toBe(404);
  });
});
