/**
 * Reads a failure's range of records back from its shard: GetShardIterator AT_SEQUENCE_NUMBER at its first record,
 * then GetRecords until a record past its last one. A range the stream no longer holds (past its 24 h retention:
 * TrimmedDataAccessException, or the first record gone) is `expired`: a visible failure naming what was lost, never a
 * silent skip.
 */
import type { PipeStreamRecord, StreamPort } from "../ports/port";
import { compareSequence, type StreamFailure } from "./stream-failure";

/** Empty pages in a row after which an open shard's read stops (DynamoDB Streams may answer empty before records). */
export const MAX_EMPTY_PAGES = 25;

/** The range's records, or why they are gone. */
export type RangeRead = { readonly records: PipeStreamRecord[] } | { readonly expired: string };

/** Errors that mean the stream no longer holds the position asked for. */
const EXPIRED = /TrimmedDataAccess|ExpiredIterator|ResourceNotFound/;

/** The range's records, in stream order. */
export async function readRange(streams: StreamPort, f: StreamFailure): Promise<RangeRead> {
  let iterator: string | undefined;
  try {
    iterator = await streams.iteratorAt(f.streamArn, f.shardId, f.startSequenceNumber);
  } catch (err) {
    const name = (err as { name?: string })?.name ?? "";
    if (EXPIRED.test(name)) return { expired: `the stream no longer holds them (${name})` };
    throw err;
  }
  const records: PipeStreamRecord[] = [];
  let empty = 0;
  while (iterator) {
    const page = await streams.read(f.streamArn, iterator);
    empty = page.records.length === 0 ? empty + 1 : 0;
    for (const r of page.records) {
      const seq = r.dynamodb.SequenceNumber;
      if (compareSequence(seq, f.startSequenceNumber) < 0) continue;
      if (compareSequence(seq, f.endSequenceNumber) > 0) return finish(records, f);
      records.push(r);
    }
    if (records.length > 0 && records.at(-1)!.dynamodb.SequenceNumber === f.endSequenceNumber)
      return finish(records, f);
    if (empty >= MAX_EMPTY_PAGES)
      throw new Error(`the shard answered ${empty} empty pages before record ${f.endSequenceNumber}`);
    iterator = page.nextIterator;
  }
  return finish(records, f);
}

/** The records read, checked to start at the range's first record (a later first record: the start was trimmed). */
function finish(records: PipeStreamRecord[], f: StreamFailure): RangeRead {
  if (records.length === 0 || records[0].dynamodb.SequenceNumber !== f.startSequenceNumber)
    return { expired: `the stream no longer holds record ${f.startSequenceNumber} (the shard starts later)` };
  return { records };
}
