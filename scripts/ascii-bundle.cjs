// Used by scripts/build.mjs for the app bundle, in its own file so a test can run it.
//
// esbuild writes ASCII-only code by default (its `charset` option: non-ASCII characters in strings, template literals,
// regular expressions and identifiers are written as escapes), but it copies comments as they are. A single "—" in a
// kept comment made the whole 4.4 MB app bundle two-byte text for V8: decoded from UTF-8 on every synth and twice the
// memory. Written as \uXXXX inside a comment it is plain text, and anywhere else it is the same character, so the
// bundle means exactly what it meant.

/** The source with every non-ASCII UTF-16 unit written as a \uXXXX escape (unchanged when it is ASCII already). */
function toAscii(source) {
  return source.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

module.exports = { toAscii };
