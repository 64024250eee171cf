/**
 * A standalone component that lists the pods of a namespace live: an informer (one resilient, shared watch with a
 * local store) bound to a signal with `toSignal`. The watch runs outside the Angular zone (`injectInformer` does it),
 * so zone.js apps stay stable; in zoneless apps the signal schedules change detection by itself.
 *
 * In your app, import from 'kubex-rx/angular'; this sample imports the sources so it builds inside the repository.
 */
import { ChangeDetectionStrategy, Component, computed } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { map } from 'rxjs';
import { injectInformer } from '../../lib/angular/index.js';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';

@Component({
  selector: 'app-pod-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Pods <small>({{ state() }})</small></h1>
    <ul id="pods">
      @for (pod of pods(); track pod.name) {
        <li>{{ pod.name }} <small>{{ pod.phase }}</small></li>
      } @empty {
        <li class="empty">no pods</li>
      }
    </ul>
  `,
})
export class PodListComponent {
  readonly #informer = injectInformer(Pod);

  /** The pods, sorted by name; the store is replaced on every change, so this re-renders per event. */
  readonly pods = toSignal(
    this.#informer.store$.pipe(
      map((store) =>
        [...store.values()]
          .map((pod) => ({ name: pod.metadata?.name ?? '?', phase: pod.status?.phase ?? 'Pending' }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      ),
    ),
    { initialValue: [] },
  );

  /** `connecting`, `syncing`, `watching`, `backingOff`, ... (see InformerState). */
  readonly #state = toSignal(this.#informer.state$);
  readonly state = computed(() => this.#state()?.phase ?? 'idle');
}
