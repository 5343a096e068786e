import type { Waiver } from "./waiver";

/**
 * Every policy exception of the project, in one place. Add one entry per (rule, resource):
 *
 *   { rule: "apigw-method-auth", address: "aws_api_gateway_method.api_health-get_1A2B3C4D",
 *     reason: "health check for the load balancer; returns a constant, reads no data" },
 *
 * The address is the resource's Terraform address as printed by `npm run check`. A waiver that
 * matches no finding fails the check, so stale waivers cannot pile up.
 */
export const WAIVERS: readonly Waiver[] = [
  {
    rule: "apigw-method-auth",
    address: "aws_api_gateway_method.api_routes_method-health-GET_286A98D9",
    reason:
      "GET /health is the uptime probe, declared `public: true` in env/*.json so monitors need no API key; " +
      "its MOCK integration returns a constant {\"status\":\"ok\"}, reaches no backend and reads no data, " +
      "and the stage-wide */* throttle still bounds it",
  },
  {
    rule: "lambda-reserved-concurrency",
    address: "aws_lambda_function.redrive_function_B0130490",
    reason:
      "the redrive function is unreserved by default (env redrive.reservedConcurrency unset): Lambda keeps 10 executions of every " +
      "account unreserved, so a new account (quota 10) rejects even a reservation of 1. It cannot starve the account: nothing invokes it " +
      "but its own schedule rule (at most one run per period; the permission names that rule) and operators with lambda:InvokeFunction, " +
      "and overlapping runs are safe (SQS visibility gives each message to one run; deletes follow the replay; a repeat keeps its redriveId). " +
      "Set redrive.reservedConcurrency where the quota allows; this waiver then matches nothing in that environment",
  },
];
