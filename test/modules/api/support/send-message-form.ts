/**
 * Test support: decodes a form-encoded SQS `SendMessage` request (the query protocol API Gateway
 * speaks to SQS) into SendMessage parameters, as SQS reads it: `+` and `%XX` (UTF-8) decoded,
 * `MessageAttribute.N.*` gathered into a map. Strict: an unknown parameter, a repeated one, or
 * attribute numbers with a gap (SQS reads attributes 1, 2, ... up to the first missing one) throw.
 */
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/** What SQS makes of the form. */
export interface DecodedSendMessage {
  readonly Action: string;
  readonly MessageBody: string;
  readonly MessageAttributes: Record<string, MessageAttributeValue>;
}

export function decodeSendMessageForm(form: string): DecodedSendMessage {
  const params = new URLSearchParams(form);
  const seen = new Set<string>();
  const numbered = new Map<number, Record<string, string>>();
  let action = "";
  let body: string | undefined;
  for (const [name, value] of params) {
    if (seen.has(name)) throw new Error(`parameter ${name} appears twice`);
    seen.add(name);
    const attr = /^MessageAttribute\.(\d+)\.(Name|Value\.DataType|Value\.StringValue)$/.exec(name);
    if (name === "Action") action = value;
    else if (name === "MessageBody") body = value;
    else if (attr) numbered.set(Number(attr[1]), { ...numbered.get(Number(attr[1])), [attr[2]]: value });
    else throw new Error(`unexpected parameter ${name}`);
  }
  if (body === undefined) throw new Error("no MessageBody");
  const numbers = [...numbered.keys()].sort((a, b) => a - b);
  numbers.forEach((n, i) => {
    if (n !== i + 1)
      throw new Error(`message attribute numbers ${numbers.join(", ")} have a gap: SQS would stop reading at ${i + 1}`);
  });
  const MessageAttributes: Record<string, MessageAttributeValue> = {};
  for (const n of numbers) {
    const a = numbered.get(n)!;
    if (!a.Name || !a["Value.DataType"] || a["Value.StringValue"] === undefined)
      throw new Error(`message attribute ${n} is incomplete: ${JSON.stringify(a)}`);
    MessageAttributes[a.Name] = { DataType: a["Value.DataType"], StringValue: a["Value.StringValue"] };
  }
  return { Action: action, MessageBody: body, MessageAttributes };
}
