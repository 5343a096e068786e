import { DASHBOARD_LIMITS } from "./defaults";
import type { PlacedWidget, Widget } from "./widgets";

/**
 * Places widgets on the 24-column grid in the order given: left to right, a widget that does not fit in what is left
 * of the row starts the next one, and a full-width widget (a section's heading) always starts its own row. A row is as
 * high as its tallest widget.
 */
export function layOut(widgets: readonly Widget[]): PlacedWidget[] {
  const placed: PlacedWidget[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const w of widgets) {
    if (x + w.width > DASHBOARD_LIMITS.gridColumns) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    placed.push({ ...w, x, y });
    x += w.width;
    rowHeight = Math.max(rowHeight, w.height);
  }
  return placed;
}
