import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { ApiAlarmThresholds } from "./api-definition";
import { z } from "zod";
import { apiAlarmThresholdsSchema, snsTopicArnSchema } from "./front-door-schema";
import { boundedName, shortHash } from "../shared/bounded-name";
import { type Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";
import { API_DEFAULTS } from "./defaults";

/** Props of ApiAlarms. */
export interface ApiAlarmsProps {
  /** REST API name (the `ApiName` metric dimension); no default. */
  readonly apiName: string;
  /** Stage name (the `Stage` metric dimension); no default. */
  readonly stageName: string;
  /** SNS topic ARN alarms and recoveries are sent to; no default. */
  readonly topicArn: string;
  /** Whether the stage caches (adds the cache hit ratio alarm). @default false */
  readonly caching?: boolean;
  /** Thresholds. @default 5 server errors, 10% client errors, p99 2500 ms, 50% cache hits, 3 periods of 300 s */
  readonly thresholds?: ApiAlarmThresholds;
  /** ARNs of the functions behind LAMBDA routes (each gets an errors and a throttles alarm). @default none */
  readonly functionArns?: readonly string[];
  /** Tags of the alarms. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** ApiAlarmsProps as checked at construction. */
const apiAlarmsPropsSchema = z.strictObject({
  apiName: z.string(),
  stageName: z.string(),
  topicArn: snsTopicArnSchema,
  caching: z.boolean().optional(),
  thresholds: apiAlarmThresholdsSchema.optional(),
  functionArns: z.array(z.string()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

/**
 * CloudWatch alarms of one REST API stage, sent to an SNS topic (alarm and OK): 5XX errors,
 * 4XX rate, p99 latency and, while caching, the cache hit ratio. No traffic is not an alarm.
 */
export class ApiAlarms extends Construct {
  /** Alarms by kind: `server-errors`, `client-error-rate`, `latency-p99`, `cache-hit-ratio`. */
  readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  private readonly watched: {
    readonly common: AlarmCommon;
    readonly props: ApiAlarmsProps;
    readonly alarms: Record<string, CloudwatchMetricAlarm>;
  };

  constructor(scope: Construct, id: string, props: ApiAlarmsProps | Parsed<ApiAlarmsProps>) {
    super(scope, id);
    props = parseProps(`ApiAlarms ${id}`, apiAlarmsPropsSchema, props, API_PARSE_OPTIONS);
    const t = props.thresholds ?? {};
    const period = t.periodSeconds ?? API_DEFAULTS.alarmPeriodSeconds;
    const evaluationPeriods = t.evaluationPeriods ?? API_DEFAULTS.alarmEvaluationPeriods;
    const common: AlarmCommon = {
      namespace: "AWS/ApiGateway",
      dimensions: { ApiName: props.apiName, Stage: props.stageName },
      period,
      evaluationPeriods,
      datapointsToAlarm: t.datapointsToAlarm ?? evaluationPeriods,
      treatMissingData: "notBreaching",
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
      tags: props.tags ? { ...props.tags } : undefined,
    };
    const name = (kind: string) => `${props.apiName}-${props.stageName}-${kind}`;
    const alarms: Record<string, CloudwatchMetricAlarm> = {};

    alarms["server-errors"] = new CloudwatchMetricAlarm(this, "server-errors", {
      ...common,
      alarmName: name("5xx-errors"),
      alarmDescription: `${props.apiName} ${props.stageName}: ${t.serverErrors ?? API_DEFAULTS.serverErrors} or more 5XX responses in ${period}s (integration or API Gateway failures)`,
      metricName: "5XXError",
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.serverErrors ?? API_DEFAULTS.serverErrors,
    });
    const clientPercent = t.clientErrorRatePercent ?? API_DEFAULTS.clientErrorRatePercent;
    alarms["client-error-rate"] = new CloudwatchMetricAlarm(this, "client-error-rate", {
      ...common,
      alarmName: name("4xx-rate"),
      alarmDescription: `${props.apiName} ${props.stageName}: more than ${clientPercent}% of requests got a 4XX (bad keys, throttling, validation)`,
      metricName: "4XXError",
      // 4XXError is 1 or 0 per request, so its average is the rate.
      statistic: "Average",
      comparisonOperator: "GreaterThanThreshold",
      threshold: clientPercent / 100,
    });
    alarms["latency-p99"] = new CloudwatchMetricAlarm(this, "latency-p99", {
      ...common,
      alarmName: name("latency-p99"),
      alarmDescription: `${props.apiName} ${props.stageName}: p99 latency above ${t.latencyP99Ms ?? API_DEFAULTS.latencyP99Ms} ms`,
      metricName: "Latency",
      extendedStatistic: "p99",
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.latencyP99Ms ?? API_DEFAULTS.latencyP99Ms,
    });
    if (props.caching) alarms["cache-hit-ratio"] = this.cacheHitRatioAlarm(props, common, period, name);
    this.alarms = alarms;
    this.watched = { common, props, alarms };
    for (const arn of new Set(props.functionArns ?? [])) this.watchFunction(arn);
  }

  /** Alarms on one more function of the API (a LAMBDA route or authorizer added later): its errors and throttles. */
  watchFunction(arn: string): void {
    const w = this.watched;
    if (Object.keys(w.alarms).some((k) => k.endsWith(`:${arn}`))) return;
    Object.assign(w.alarms, this.functionAlarms(arn, w.common, w.props));
  }

  /** Under the threshold share of cacheable requests served from the cache (hits / (hits + misses), metric math). */
  private cacheHitRatioAlarm(
    props: ApiAlarmsProps,
    common: AlarmCommon,
    period: number,
    name: (kind: string) => string,
  ): CloudwatchMetricAlarm {
    const t = props.thresholds ?? {};
    const { namespace: _n, dimensions, period: _p, ...rest } = common;
    const metric = (metricName: string) => ({
      namespace: "AWS/ApiGateway",
      metricName,
      dimensions,
      period,
      stat: "Sum",
    });
    return new CloudwatchMetricAlarm(this, "cache-hit-ratio", {
      ...rest,
      alarmName: name("cache-hit-ratio"),
      alarmDescription: `${props.apiName} ${props.stageName}: under ${t.cacheHitRatioPercent ?? API_DEFAULTS.cacheHitRatioPercent}% of cacheable requests served from the API Gateway cache`,
      comparisonOperator: "LessThanThreshold",
      threshold: t.cacheHitRatioPercent ?? API_DEFAULTS.cacheHitRatioPercent,
      metricQuery: [
        { id: "hits", metric: metric("CacheHitCount"), returnData: false },
        { id: "misses", metric: metric("CacheMissCount"), returnData: false },
        { id: "ratio", expression: "100 * hits / (hits + misses)", label: "Cache hit ratio (%)", returnData: true },
      ],
    });
  }

  /**
   * A LAMBDA route's function: any error (the API answers 502) and any throttle (a 5XX the caller sees), by
   * AWS/Lambda's `FunctionName` (and `Resource` for a version or alias) dimensions. Named with a hash of the ARN, so
   * two functions of one name (two accounts or aliases) get two alarms.
   */
  private functionAlarms(
    arn: string,
    common: Record<string, unknown>,
    props: ApiAlarmsProps,
  ): Record<string, CloudwatchMetricAlarm> {
    const [, , , , , , fn, qualifier] = arn.split(":");
    const dimensions: Record<string, string> = qualifier
      ? { FunctionName: fn, Resource: `${fn}:${qualifier}` }
      : { FunctionName: fn };
    const out: Record<string, CloudwatchMetricAlarm> = {};
    for (const metricName of ["Errors", "Throttles"]) {
      const kind = `function-${metricName.toLowerCase()}`;
      out[`${kind}:${arn}`] = new CloudwatchMetricAlarm(this, `${kind}-${shortHash(arn)}`, {
        ...(common as object),
        namespace: "AWS/Lambda",
        dimensions,
        alarmName: boundedName(`${props.apiName}-${props.stageName}-${fn}`, `-${metricName.toLowerCase()}`, 255, arn),
        alarmDescription: `${props.apiName} ${props.stageName}: ${arn} reported ${metricName.toLowerCase()} (its route answers 5XX)`,
        metricName,
        statistic: "Sum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
      });
    }
    return out;
  }
}

/** What every alarm of the stage shares. */
type AlarmCommon = {
  readonly namespace: string;
  readonly dimensions: Record<string, string>;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
  readonly alarmActions: string[];
  readonly okActions: string[];
  readonly tags?: Record<string, string>;
};
