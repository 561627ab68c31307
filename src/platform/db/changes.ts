import type { Database } from './connection.ts';

/**
 * A subscription to the NOTIFY channels of the tables a copy in memory is made of: `onChange` runs on every
 * notification and whenever a channel's connection drops or comes back (messages may have been missed), and
 * `live` says whether every channel listens, so the copy answers only while it does. Before start(), after
 * stop() and while a connection is down, `live` is false.
 */
export class ChangeFeed {
  readonly #live = new Set<string>();
  #started = false;
  #unlisten: (() => Promise<void>)[] = [];

  constructor(
    private readonly database: Database,
    readonly channels: readonly string[],
    private readonly onChange: () => void,
  ) {}

  get live(): boolean {
    return this.#started && this.#live.size === this.channels.length;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    for (const channel of this.channels) {
      this.#unlisten.push(
        await this.database.listen(channel, this.onChange, (live) => {
          if (live) this.#live.add(channel);
          else this.#live.delete(channel);
          this.onChange();
        }),
      );
      this.#live.add(channel);
    }
    this.onChange();
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#live.clear();
    this.onChange();
    const unlisten = this.#unlisten;
    this.#unlisten = [];
    await Promise.all(unlisten.map((stop) => stop()));
  }
}
