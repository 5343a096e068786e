import { ApiGatewayIntegration } from "@cdktn/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktn/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethodResponse } from "@cdktn/provider-aws/lib/api-gateway-method-response";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import type { ITerraformDependable } from "cdktn";
import { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import {
  ACCEPTED_RESPONSE_TEMPLATE,
  RETRY_AFTER_SECONDS,
  sendMessageRequestTemplate,
  sqsClientErrorTemplate,
  UNAVAILABLE_RESPONSE_TEMPLATE,
} from "./sqs-send-templates";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { terraformLiteral } from "../shared/terraform-literal";
import { parseProps } from "../shared/parse-props";

/** The queue an SqsSendIntegration sends to. */
export interface SqsSendTarget {
  /** ARN of the queue; required. */
  readonly queueArn: string;
  /** Name of the queue; required. */
  readonly queueName: string;
  /** Account owning the queue (in the integration's SQS path). @default the stack's account */
  readonly accountId?: string;
  /** Region of the queue (the integration URI's region and the key's `kms:ViaService`). @default the stack's region */
  readonly region?: string;
  /** Customer KMS key of the queue (the role may use it through SQS). @default none (SQS-managed SSE needs no key permissions) */
  readonly kmsKeyArn?: string;
}

/** Props of SqsSendIntegration. */
export interface SqsSendIntegrationProps {
  /** Id of the REST API; required. */
  readonly restApiId: string;
  /** Id of the method's resource; required. */
  readonly resourceId: string;
  /** HTTP method of the route; required. */
  readonly httpMethod: string;
  /** Method key (`POST /orders`), sent as the `api-route` message attribute; required. */
  readonly routeKey: string;
  /** Name of the integration role (at most 64 of letters, digits and `+=,.@_-`); required. */
  readonly roleName: string;
  /** The queue; required. */
  readonly queue: SqsSendTarget;
  /** Integration timeout in ms; required. */
  readonly timeoutMs: number;
  /** Tags of the role. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** SqsSendIntegrationProps, parsed once at the construct's door (every problem at once). */
export const sqsSendIntegrationPropsSchema = z.strictObject({
  restApiId: z.string(),
  resourceId: z.string(),
  httpMethod: z.string(),
  routeKey: z.string(),
  roleName: z.string(),
  queue: z.strictObject({
    queueArn: z.string(),
    queueName: z.string(),
    accountId: z.string().optional(),
    region: z.string().optional(),
    kmsKeyArn: z.string().optional(),
  }),
  timeoutMs: z.number(),
  tags: z.record(z.string(), z.string()).optional(),
});

/**
 * Status codes of an async route: accepted; the request cannot be queued as sent (400) or is too large
 * (413); SQS refused it for a reason of the platform's (500); SQS throttled or failed (503, Retry-After).
 */
export const ASYNC_STATUS = {
  accepted: "202",
  invalid: "400",
  tooLarge: "413",
  refused: "500",
  unavailable: "503",
} as const;

/** The Retry-After header as a method response parameter. */
const RETRY_AFTER = "method.response.header.Retry-After";

/**
 * The storage-first integration of one async route: an AWS service integration calling SQS
 * `SendMessage` (`arn:aws:apigateway:<region>:sqs:path/<account>/<queue>`) with a role that may
 * only send to that queue (and use its key), a form-encoded request built by the mapping template
 * (no template for another content type: `passthrough_behavior = NEVER` answers 415), a 202
 * response with the message id and request id, and SQS errors mapped by their code
 * (sqs-send-templates.ts: throttling 503 with Retry-After, too large 413, invalid contents 400, the
 * platform's own faults 500, SQS faults 503) with a fixed body, so no SQS detail reaches the client.
 */
export class SqsSendIntegration extends Construct {
  readonly integration: ApiGatewayIntegration;
  readonly role: IamRole;
  /** ARN of the role API Gateway assumes to send. */
  readonly roleArn: string;
  /** Everything the deployment must wait for. */
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: SqsSendIntegrationProps) {
    super(scope, id);
    parseProps(`SqsSendIntegration ${id}`, sqsSendIntegrationPropsSchema, props);
    const aws = awsContext(this);
    const account = props.queue.accountId ?? aws.accountId;
    // API Gateway sends to the endpoint of the region in the integration URI (PutIntegration: "Region, subdomain and
    // service are used to determine the right endpoint"), and SQS calls KMS in the queue's region: both are the queue's.
    const region = props.queue.region ?? aws.region;

    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: `API Gateway sends ${props.routeKey} requests to ${props.queue.queueName}`,
      // API Gateway documents no aws:SourceArn for integration credentials; the role can do nothing but send to one queue.
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: props.tags ? { ...props.tags } : undefined,
      // A renamed role (module upgrade) is created before the old one goes, so the integration always has credentials.
      lifecycle: { createBeforeDestroy: true },
    });
    this.roleArn = this.role.arn;
    const statements: Record<string, unknown>[] = [
      { Sid: "SendToRouteQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: props.queue.queueArn },
    ];
    if (props.queue.kmsKeyArn) {
      statements.push({
        Sid: "EncryptForRouteQueue",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: props.queue.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `sqs.${region}.${aws.dnsSuffix}` } },
      });
    }
    const policy = new IamRolePolicy(this, "policy", {
      name: "send-to-route-queue",
      role: this.role.id,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });

    const method = { restApiId: props.restApiId, resourceId: props.resourceId, httpMethod: props.httpMethod };
    this.integration = new ApiGatewayIntegration(this, "integration", {
      ...method,
      type: "AWS",
      integrationHttpMethod: "POST",
      uri: `arn:${aws.partition}:apigateway:${region}:sqs:path/${account}/${props.queue.queueName}`,
      credentials: this.role.arn,
      timeoutMilliseconds: props.timeoutMs,
      passthroughBehavior: "NEVER",
      requestParameters: {
        "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'",
        "integration.request.header.Accept": "'application/json'",
      },
      // VTL's formal references (`${n}`) are Terraform template sequences too: written escaped, read back as the VTL.
      requestTemplates: { "application/json": terraformLiteral(sendMessageRequestTemplate(props.routeKey)) },
      dependsOn: [policy],
    });

    this.dependables = [this.integration, policy, ...this.responses(method)];
  }

  /**
   * The method and integration responses: 202, SQS's 4XX (selected as 500, its status overridden by SQS's error code:
   * 400, 413, 500 or 503) and 5XX (503). API Gateway answers only declared statuses and headers, so 400 and 413 are
   * declared, and Retry-After on 500 (the 4XX response may become 503) and 503.
   */
  private responses(method: { restApiId: string; resourceId: string; httpMethod: string }): ITerraformDependable[] {
    const out: ITerraformDependable[] = [];
    const declare = (status: string, retryAfter: boolean) =>
      new ApiGatewayMethodResponse(this, `method-response-${status}`, {
        ...method,
        statusCode: status,
        responseModels: { "application/json": "Empty" },
        responseParameters: retryAfter ? { [RETRY_AFTER]: false } : undefined,
      });
    for (const status of [ASYNC_STATUS.invalid, ASYNC_STATUS.tooLarge]) out.push(declare(status, false));
    const responses = [
      { status: ASYNC_STATUS.accepted, pattern: undefined, template: ACCEPTED_RESPONSE_TEMPLATE },
      { status: ASYNC_STATUS.refused, pattern: "4\\d{2}", template: sqsClientErrorTemplate() },
      { status: ASYNC_STATUS.unavailable, pattern: "5\\d{2}", template: UNAVAILABLE_RESPONSE_TEMPLATE },
    ];
    for (const r of responses) {
      const methodResponse = declare(r.status, r.status !== ASYNC_STATUS.accepted);
      const integrationResponse = new ApiGatewayIntegrationResponse(this, `integration-response-${r.status}`, {
        ...method,
        statusCode: methodResponse.statusCode,
        selectionPattern: r.pattern,
        responseTemplates: { "application/json": terraformLiteral(r.template) },
        responseParameters:
          r.status === ASYNC_STATUS.unavailable ? { [RETRY_AFTER]: `'${RETRY_AFTER_SECONDS}'` } : undefined,
        dependsOn: [this.integration],
      });
      out.push(methodResponse, integrationResponse);
    }
    return out;
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _SqsSendIntegrationSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof sqsSendIntegrationPropsSchema>, SqsSendIntegrationProps>
>;
