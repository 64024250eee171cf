import { Observable, type Subscriber } from 'rxjs';
import type { KubeClient, KubeRequest } from '../client/kube-client.js';
import { describeRequest, toTransportError } from '../client/transport-error.js';
import type { FetchResponseLike } from '../client/fetch.js';
import { KubexError } from '../errors/kubex-error.js';
import { statusErrorFromResponse } from '../errors/from-response.js';

/**
 * A cold Observable over one request: sent at subscription, aborted at unsubscription. Non-2xx answers become
 * typed errors; `read` handles a 2xx (`what` names the request in messages: `GET https://host/path`).
 */
export function fromRequest<R>(
  client: KubeClient,
  request: () => KubeRequest,
  read: (response: FetchResponseLike, subscriber: Subscriber<R>, what: string) => Promise<void>,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    // Per-subscription state only: the Observable stays cold and every subscriber gets its own request.
    const controller = new AbortController();
    const run = async (): Promise<void> => {
      const req = request();
      const response = await client.request({ ...req, signal: controller.signal });
      if (response.status < 200 || response.status > 299) throw await statusErrorFromResponse(response);
      const what = describeRequest(req.method ?? 'GET', client.url(req));
      try {
        await read(response, subscriber, what);
      } catch (error) {
        // A non-SDK error while reading the body means the connection broke off mid-response.
        throw error instanceof KubexError ? error : toTransportError(error, what, 'body');
      }
    };
    run().catch((error: unknown) => {
      if (controller.signal.aborted || subscriber.closed) return;
      subscriber.error(error instanceof KubexError ? error : toTransportError(error));
    });
    return () => controller.abort();
  });
}
