/**
 * What every contender module (`contender-*.ts`) exports: a `setup()` that loads its library and builds its
 * client, returning a {@link WatchClient}. Loaded with a dynamic `import()` by `child.ts`, so that each process
 * only ever loads the library it measures (RSS before the first byte is the library's own footprint).
 */

/** The part of a Pod the bench reads back, to check what was decoded. */
export interface PodLike {
  readonly metadata?:
    | {
        readonly name?: string;
        readonly namespace?: string;
        readonly resourceVersion?: string;
        readonly annotations?: Readonly<Record<string, string>> | null;
      }
    | undefined;
}

/** Receives every event, in order: its type and its object (a Pod, or a bookmark's skeleton). */
export type Sink = (type: string, object: PodLike) => void;

export interface WatchClient {
  /** Sends one watch request; resolves when the server ends the body, rejects on any error. */
  watch(sink: Sink): Promise<void>;
  /** Watches again each time the server ends the body, until the returned function is called. */
  watchForever(sink: Sink): () => void;
}

export interface SetupOptions {
  /** The server's base URL, `http://127.0.0.1:PORT`. */
  readonly server: string;
  /**
   * kubex only: the generated Pod codec, the foundation `KubernetesObject` codec (both full validation), or a
   * pass-through codec that accepts anything (validation off).
   */
  readonly codec: 'generated' | 'foundation' | 'passthrough';
}

export type Setup = (options: SetupOptions) => Promise<WatchClient>;

/**
 * The initial sync of an informer (or the raw floor's equivalent), set up by a contender's `prepareSync()`:
 * library loaded and client built, nothing requested yet.
 */
export interface SyncClient {
  /** Starts the informer; resolves with the number of objects in its store once it reports being in sync. */
  sync(): Promise<number>;
  /** Stops the informer (after the caller has measured what its store holds). */
  stop(): void;
}

export type PrepareSync = (options: SetupOptions) => Promise<SyncClient>;
