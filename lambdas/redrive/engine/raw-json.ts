/**
 * Reads a member of a JSON object as the text it has in the document, so a replay can carry it
 * unchanged: JSON.parse then JSON.stringify loses digits of integers above 2^53, turns 1e400 into
 * null and collapses duplicate keys.
 */

/**
 * The exact text of the value of top-level member `key` of the JSON object `json` (the last one,
 * as JSON.parse keeps the last of duplicate keys), or undefined when `json` is not a JSON object
 * or has no such member.
 */
export function memberText(json: string, key: string): string | undefined {
  const s = new Scanner(json);
  try {
    s.space();
    if (s.peek() !== "{") return undefined;
    s.pos++;
    let found: string | undefined;
    s.space();
    if (s.peek() === "}") return undefined;
    for (;;) {
      s.space();
      const name = JSON.parse(json.slice(s.pos, s.string())) as string;
      s.space();
      s.expect(":");
      s.space();
      const start = s.pos;
      s.value();
      if (name === key) found = json.slice(start, s.pos);
      s.space();
      if (s.peek() === ",") {
        s.pos++;
        continue;
      }
      s.expect("}");
      s.space();
      return s.pos === json.length ? found : undefined;
    }
  } catch {
    return undefined;
  }
}

/** A number or a literal, at a position (sticky). */
const SCALAR = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y;

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  peek(): string {
    return this.text[this.pos] ?? "";
  }

  expect(c: string): void {
    if (this.text[this.pos] !== c) throw new Error(`expected ${c} at ${this.pos}`);
    this.pos++;
  }

  space(): void {
    while (/[ \t\n\r]/.test(this.peek())) this.pos++;
  }

  /** Skips a string; returns the position after its closing quote. */
  string(): number {
    this.expect('"');
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) throw new Error("unterminated string");
      if (c === "\\") this.pos++;
      else if (c === '"') return this.pos;
    }
  }

  /** Skips one value of any kind. */
  value(): void {
    const c = this.peek();
    if (c === '"') {
      this.string();
      return;
    }
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      this.pos++;
      this.space();
      if (this.peek() === close) {
        this.pos++;
        return;
      }
      for (;;) {
        this.space();
        if (c === "{") {
          this.string();
          this.space();
          this.expect(":");
          this.space();
        }
        this.value();
        this.space();
        if (this.peek() === ",") {
          this.pos++;
          continue;
        }
        this.expect(close);
        return;
      }
    }
    SCALAR.lastIndex = this.pos;
    const m = SCALAR.exec(this.text);
    if (!m) throw new Error(`unexpected ${c} at ${this.pos}`);
    this.pos += m[0].length;
  }
}
