import { apiSection } from "./api";
import { consumersSection } from "./consumers";
import { deadLetterSection } from "./dead-letters";
import { pipesSection, sagasSection } from "./outbox-and-sagas";
import { redriveSection } from "./redrive";
import { rulesSection } from "./rules";
import type { Section } from "./section";

/** The sections in the order a message travels: front door, queues and consumers, outbox, sagas, rules, DLQs, redrive. */
export const SECTIONS: readonly Section[] = Object.freeze([
  apiSection,
  consumersSection,
  pipesSection,
  sagasSection,
  rulesSection,
  deadLetterSection,
  redriveSection,
]);

export type { Section, SectionContext } from "./section";
