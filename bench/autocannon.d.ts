// Minimal local typing for autocannon@8, which ships no types. Only what bench/run.ts uses is declared;
// field names follow node_modules/autocannon/README.md ("API" and "Results").
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds to wait for a response. */
      timeout?: number;
      title?: string;
      /** At most this many requests over all connections (at least one each); the run may end earlier. */
      maxOverallRequests?: number;
      /** The requests each connection sends in turn; a function may change one before it is sent. */
      requests?: Request[];
    }

    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Called to build each request; returns it (a falsy value restarts the sequence). */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
    }

    /** hdr-histogram-percentiles-obj shape. */
    interface Histogram {
      min: number;
      max: number;
      average: number;
      stddev: number;
      p2_5: number;
      p50: number;
      p75: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
    }

    interface Result {
      title?: string;
      url: string;
      /** Requests per second, sampled once a second. */
      requests: Histogram;
      /** Milliseconds. */
      latency: Histogram;
      throughput: Histogram;
      /** Seconds. */
      duration: number;
      /** Connection errors, timeouts included. */
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      statusCodeStats: Record<string, { count: number }>;
    }

    interface Instance extends PromiseLike<Result> {
      on(event: 'reqError', listener: (error: Error) => void): this;
      on(
        event: 'response',
        listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
      ): this;
      stop(): void;
    }
  }

  function autocannon(opts: autocannon.Options): autocannon.Instance;

  export = autocannon;
}
