/**
 * The part of autocannon 8's programmatic API the benchmarks use (the package ships no types).
 * Field names follow node_modules/autocannon/lib/aggregateResult.js.
 */
declare module 'autocannon' {
  export type AutocannonOptions = {
    url: string;
    connections?: number;
    pipelining?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds without a response before a request counts as a timeout (default 10). */
    timeout?: number;
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    headers?: Record<string, string>;
    body?: string;
    title?: string;
    /** Requests per second over all connections (each connection gets its share per second). */
    overallRate?: number;
    /** Requests cycled through in order; `setupRequest` may rewrite each one as it is built. */
    requests?: AutocannonRequest[];
  };

  export type AutocannonRequestData = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  };

  export type AutocannonRequest = AutocannonRequestData & {
    /** Called for every request sent; return the request to send. */
    setupRequest?: (request: AutocannonRequestData, context: object) => AutocannonRequestData;
  };

  export type AutocannonHistogram = {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  };

  export type AutocannonResult = {
    url: string;
    connections: number;
    pipelining: number;
    /** Seconds actually run. */
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: AutocannonHistogram;
    requests: AutocannonHistogram & { sent: number };
    throughput: AutocannonHistogram;
  };

  /** The returned tracker is a thenable EventEmitter; `stop()` ends the run early. */
  type Autocannon = (options: AutocannonOptions) => PromiseLike<AutocannonResult> & {
    stop(): void;
  };

  const autocannon: Autocannon;
  export default autocannon;
}
