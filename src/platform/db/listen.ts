import pg from 'pg';

/** Told whether a subscription is live; between `false` and the next `true`, notifications may be missed. */
export type ListenStatus = (live: boolean) => void;

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 10_000;

/** Channel names are identifiers we choose; refuse anything that would need quoting rules to be safe. */
export function checkChannel(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid NOTIFY channel name: ${channel}`);
}

/**
 * LISTEN on a PostgreSQL server over a connection of its own (a pooled one would be handed to others). When it
 * drops, `onStatus(false)` tells the caller that messages may be lost, and it reconnects with backoff; once it
 * listens again, `onStatus(true)`. Resolves after the first LISTEN succeeded (rejects if it could not); the
 * function it resolves to ends the subscription.
 */
export async function listenOnServer(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onStatus: ListenStatus = () => undefined,
): Promise<() => Promise<void>> {
  checkChannel(channel);
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = RETRY_FIRST_MS;
  let timer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: url,
      application_name: 'magnetiq-listen',
      keepAlive: true,
    });
    // Until LISTEN has succeeded, a failure surfaces as the rejection of connect(); afterwards, through drop().
    let live = false;
    const drop = (): void => {
      if (!live) return;
      live = false;
      if (client === next) client = undefined;
      void next.end().catch(() => undefined);
      if (stopped) return;
      onStatus(false);
      schedule();
    };
    next.on('notification', (message) => {
      if (message.channel === channel) onMessage(message.payload ?? '');
    });
    next.on('error', drop);
    next.on('end', drop);
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    live = true;
    client = next;
    retryMs = RETRY_FIRST_MS;
  }

  function schedule(): void {
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(
        () => {
          if (!stopped) onStatus(true);
        },
        () => {
          if (stopped) return;
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
          schedule();
        },
      );
    }, retryMs);
    timer.unref();
  }

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const current = client;
    client = undefined;
    await current?.end().catch(() => undefined);
  };
}
