/** Reads the first line an operator types (the confirmation), or undefined at end of input or on abort. */
export function readLine(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffer = "";
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf("\n");
      if (nl >= 0) finish(buffer.slice(0, nl));
    };
    const finish = (line: string | undefined) => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      signal?.removeEventListener("abort", onAbort);
      stream.pause();
      resolve(line);
    };
    const onEnd = () => finish(buffer.length > 0 ? buffer : undefined);
    const onAbort = () => finish(undefined);
    stream.on("data", onData);
    stream.once("end", onEnd);
    signal?.addEventListener("abort", onAbort, { once: true });
    stream.resume();
  });
}
