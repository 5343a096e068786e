import { graph, heading, logQuery, metricsOf } from "../widgets";
import type { Section } from "./section";

/**
 * The front door: requests, 4XX and 5XX, latency p50 and p99, cache hits and misses, and throttled requests. API
 * Gateway publishes no throttling metric for REST APIs (a throttled request is a 429 inside 4XXError), so they are
 * counted from the stage's access log, whose `status` field the API module writes as a string (api-stage.ts).
 */
export const apiSection: Section = (ctx) => {
  const api = ctx.props.api;
  if (!api) return [];
  const m = metricsOf("AWS/ApiGateway", { ApiName: api.apiName, Stage: api.stageName }, "Sum");
  const widgets = [
    heading(
      `## API ${api.apiName} (stage ${api.stageName})\nRequests, client (4XX) and server (5XX) errors, latency and cache. A 5XX is ours; a 429 is a caller over its tier.`,
    ),
    graph("Requests", [m("Count", "requests")], ctx),
    graph("Errors", [m("4XXError", "4XX"), m("5XXError", "5XX")], ctx),
    graph(
      "Latency (ms)",
      [m("Latency", "p50", "p50"), m("Latency", "p99", "p99"), m("IntegrationLatency", "integration p99", "p99")],
      ctx,
    ),
    graph("Cache", [m("CacheHitCount", "hits"), m("CacheMissCount", "misses")], ctx),
  ];
  if (api.accessLogGroupName)
    widgets.push(
      logQuery(
        "Throttled requests (429)",
        [api.accessLogGroupName],
        `filter status = "429" | stats count(*) as throttled by bin(${ctx.periodSeconds}s)`,
        ctx,
      ),
    );
  return widgets;
};
