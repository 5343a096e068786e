// The run's one fauxqs server (test/helpers/global-setup.js), shared by every test file: what makes sharing it safe.
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { createQueue, startEmulator, uniqueName } from "./support/fauxqs";

describe("the shared fauxqs server", () => {
  it("is what startEmulator gives a test file under jest; stopping it there leaves it running for the other files", async () => {
    const shared = process.env.FAUXQS_SHARED_ENDPOINT;
    expect(shared).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const first = await startEmulator();
    expect(first.endpoint).toBe(shared);
    const name = uniqueName("shared");
    await createQueue(first.sqs, name);
    await first.stop();
    const again = await startEmulator();
    const { QueueUrls } = await again.sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
    expect(QueueUrls).toEqual([`${shared}/000000000000/${name}`]);
    await again.stop();
  });

  it("a server of the file's own, when asked for, is another server and stops with the file", async () => {
    const own = await startEmulator({ own: true });
    expect(own.endpoint).not.toBe(process.env.FAUXQS_SHARED_ENDPOINT);
    await createQueue(own.sqs, uniqueName("own"));
    await own.stop();
  });

  it("queue names stay unique when another file of the same worker loads the helper again (its counter starts at 0)", () => {
    const names = new Set<string>();
    for (let file = 0; file < 3; file++) {
      jest.isolateModules(() => {
        const again = require("./support/fauxqs") as typeof import("./support/fauxqs");
        names.add(again.uniqueName("dlq"));
      });
      const until = Date.now() + 2;
      while (Date.now() < until); // files load at least milliseconds apart
    }
    expect(names.size).toBe(3);
  });

  it("refuses a name SQS would refuse (over 80 characters), naming it", () => {
    expect(() => uniqueName("x".repeat(70))).toThrow(/x{70}-\d+-\w+-\d+ is longer than SQS's 80 characters/);
  });
});
