/** DOT to SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no system package needed. */

/**
 * The SVG Graphviz's `dot` layout draws for `dot`, titled `title` for screen readers (a `<title>` first in the `<svg>`
 * element and `role="img"`: Graphviz puts its titles on the groups inside).
 */
export async function renderSvg(dot: string, title: string): Promise<string> {
  const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
  const graphviz = await Graphviz.load();
  const svg = graphviz.dot(dot, "svg");
  const escaped = title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return svg.replace(
    /<svg\b([^>]*)>/,
    (_, attributes: string) => `<svg${attributes} role="img">\n<title>${escaped}</title>`,
  );
}
