/**
 * Prometheus metrics of one app instance. A registry per instance (not prom-client's global one)
 * so several apps in one process — tests, or api + simulator — never clash.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.js';

export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  acceptedMessages: Counter;
}

export function createMetrics(store: Store): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'swiftlet_http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'swiftlet_http_request_duration_seconds',
    help: 'Time to answer an HTTP request.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const acceptedMessages = new Counter({
    name: 'swiftlet_messages_accepted_total',
    help: 'Messages (one per recipient) committed by the send API.',
    registers: [registry],
  });
  new Gauge({
    name: 'swiftlet_queue_depth',
    help: 'Messages accepted but not yet submitted to a carrier.',
    registers: [registry],
    async collect() {
      this.set(await store.queueDepth());
    },
  });
  new Gauge({
    name: 'swiftlet_outbox_backlog',
    help: 'Pushes (status reports, uplinks) waiting to be delivered.',
    registers: [registry],
    async collect() {
      this.set(await store.outboxBacklog());
    },
  });
  return { registry, httpRequests, httpDuration, acceptedMessages };
}
