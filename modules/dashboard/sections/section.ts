import type { ParsedDashboardProps } from "../dashboard-schema";
import type { GraphContext, Widget } from "../widgets";

/** What every section is given: the parsed props and where and how its graphs are drawn. */
export interface SectionContext extends GraphContext {
  readonly props: ParsedDashboardProps;
}

/** One row group of the dashboard: its widgets, heading first, or none when the stack has nothing of its kind. */
export type Section = (ctx: SectionContext) => Widget[];
