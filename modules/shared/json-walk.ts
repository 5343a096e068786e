/**
 * A walk over a JSON text that JSON.parse has already accepted, reporting what JSON.parse hides:
 * each object key with its line and path (so a key given twice can be found), and each literal as
 * written (so `1e309` can be named). Hand-written: the text is known to be valid JSON, so this needs
 * only to tokenize it, not to judge it.
 */

/** A path inside the document: keys and array indexes. */
export type JsonPath = (string | number)[];

/** What the walk reports. */
export interface JsonWalkVisitor {
  /** An object starts (its keys follow until objectEnd). */
  objectBegin(): void;
  objectEnd(): void;
  /** A key of the current object, on `line` (0-based), at `path` (the object's). */
  property(key: string, line: number, path: JsonPath): void;
  /** A string, number, true, false or null at `path`, as parsed and as written. */
  literal(value: unknown, raw: string, line: number, path: JsonPath): void;
}

const STRING = /"(?:[^"\\]|\\.)*"/y;
const LITERAL = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** Walks `text` (valid JSON), calling the visitor in document order. */
export function walkJson(text: string, visitor: JsonWalkVisitor): void {
  let i = 0;
  let line = 0;
  const skip = () => {
    while (i < text.length && /[\s,:]/.test(text[i])) if (text[i++] === "\n") line++;
  };
  const token = (re: RegExp) => {
    re.lastIndex = i;
    const m = re.exec(text)![0];
    i += m.length;
    return m;
  };
  const value = (path: JsonPath): void => {
    skip();
    const c = text[i];
    if (c === "{") {
      i++;
      visitor.objectBegin();
      for (skip(); text[i] !== "}"; skip()) {
        const key = JSON.parse(token(STRING)) as string;
        visitor.property(key, line, path);
        value([...path, key]);
      }
      i++;
      visitor.objectEnd();
    } else if (c === "[") {
      i++;
      skip();
      for (let n = 0; text[i] !== "]"; n++) {
        value([...path, n]);
        skip();
      }
      i++;
    } else {
      const raw = token(c === '"' ? STRING : LITERAL);
      visitor.literal(JSON.parse(raw), raw, line, path);
    }
  };
  value([]);
}
