import { Observable, type Subscriber } from 'rxjs';
import { toTransportError, type KubeClient, type KubeRequest } from '../client/kube-client.js';
import type { FetchResponseLike } from '../client/fetch.js';
import { KubexError } from '../errors/kubex-error.js';
import { statusErrorFromResponse } from '../errors/from-response.js';

/**
 * A cold Observable over one request: sent at subscription, aborted at unsubscription. Non-2xx answers become
 * typed errors; `read` handles a 2xx.
 */
export function fromRequest<R>(
  client: KubeClient,
  request: () => KubeRequest,
  read: (response: FetchResponseLike, subscriber: Subscriber<R>) => Promise<void>,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    // Per-subscription state only: the Observable stays cold and every subscriber gets its own request.
    const controller = new AbortController();
    const run = async (): Promise<void> => {
      const response = await client.request({ ...request(), signal: controller.signal });
      if (response.status < 200 || response.status > 299) throw await statusErrorFromResponse(response);
      try {
        await read(response, subscriber);
      } catch (error) {
        // A non-SDK error while reading the body means the connection broke off mid-response.
        throw error instanceof KubexError ? error : toTransportError(error, undefined, 'the response broke off');
      }
    };
    run().catch((error: unknown) => {
      if (controller.signal.aborted || subscriber.closed) return;
      subscriber.error(error instanceof KubexError ? error : toTransportError(error));
    });
    return () => controller.abort();
  });
}
