/** The CLI's SQS, Lambda and EventBridge clients, from the standard AWS environment (also built by each of a run's threads). */
import type { EngineDeps } from "../engine/engine";
import { EventBridgePort } from "./eventbridge-port";
import { LambdaPort } from "./lambda-port";
import { PipesPort } from "./pipes-port";
import { SfnPort } from "./sfn-port";
import { StreamsPort } from "./streams-port";
import { regionOfQueueUrl, SqsPort } from "./sqs-port";

/** Environment variables, as process.env holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

export type Clients = Required<Pick<EngineDeps, "port" | "functions" | "buses" | "pipes" | "streams" | "machines">> & {
  port: SqsPort;
  functions: LambdaPort;
  buses: EventBridgePort;
  pipes: PipesPort;
  streams: StreamsPort;
  machines: SfnPort;
};

/** SQS, Lambda and EventBridge clients from the standard AWS environment; an empty variable counts as unset. */
export function makeClients(env: Env, queueUrl?: string, fallbackRegion?: string): Clients {
  const region =
    env.AWS_REGION || env.AWS_DEFAULT_REGION || (queueUrl ? regionOfQueueUrl(queueUrl) : undefined) || fallbackRegion;
  // As the AWS CLI does, a configured endpoint (an emulator, a VPC endpoint) takes every call,
  // whatever host the queue URLs name.
  const endpoint = env.AWS_ENDPOINT_URL_SQS || env.AWS_ENDPOINT_URL;
  const port = new SqsPort({ client: { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) } });
  // Lambda and event-bus targets: a client per target region (from the ARN), endpoints as the SDK reads them.
  const lambdaEndpoint = env.AWS_ENDPOINT_URL_LAMBDA || env.AWS_ENDPOINT_URL;
  const eventsEndpoint = env.AWS_ENDPOINT_URL_EVENTBRIDGE || env.AWS_ENDPOINT_URL;
  const functions = new LambdaPort({ client: lambdaEndpoint ? { endpoint: lambdaEndpoint } : {} });
  const buses = new EventBridgePort({ client: eventsEndpoint ? { endpoint: eventsEndpoint } : {} });
  const pipesEndpoint = env.AWS_ENDPOINT_URL_PIPES || env.AWS_ENDPOINT_URL;
  const streamsEndpoint = env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS || env.AWS_ENDPOINT_URL;
  const pipes = new PipesPort({ client: pipesEndpoint ? { endpoint: pipesEndpoint } : {} });
  const streams = new StreamsPort({ client: streamsEndpoint ? { endpoint: streamsEndpoint } : {} });
  const sfnEndpoint = env.AWS_ENDPOINT_URL_SFN || env.AWS_ENDPOINT_URL;
  const machines = new SfnPort({ client: sfnEndpoint ? { endpoint: sfnEndpoint } : {} });
  return { port, functions, buses, pipes, streams, machines };
}

/** Closes every client's connections. */
export function destroyClients(clients: Clients): void {
  clients.port.destroy();
  clients.functions.destroy();
  clients.buses.destroy();
  clients.pipes.destroy();
  clients.streams.destroy();
  clients.machines.destroy();
}
