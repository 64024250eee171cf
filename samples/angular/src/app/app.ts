// file: src/app/app.ts
import { ChangeDetectionStrategy, Component, computed } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { injectInformer } from 'kubex-rx/angular';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { map } from 'rxjs';

@Component({
  selector: 'app-root', // the element `ng new` put in src/index.html
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Pods <small>({{ state() }})</small></h1>
    <ul id="pods">
      @for (pod of pods(); track pod.name) {
        <li>{{ pod.name }} <small>{{ pod.phase }}</small></li>
      } @empty {
        <li>no pods</li>
      }
    </ul>
  `,
})
export class App {
  // One resilient, shared watch with a local store (an informer), outside the Angular zone; closed with the component.
  readonly #informer = injectInformer(Pod);

  protected readonly pods = toSignal(
    this.#informer.store$.pipe(
      map((store) =>
        [...store.values()]
          .map((pod) => ({ name: pod.metadata?.name ?? '?', phase: pod.status?.phase ?? 'Pending' }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      ),
    ),
    { initialValue: [] },
  );

  readonly #state = toSignal(this.#informer.state$);
  protected readonly state = computed(() => this.#state()?.phase ?? 'idle'); // connecting, syncing, watching, ...
}
