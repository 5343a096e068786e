/**
 * The KMS-encrypted SNS topic every alarm publishes to (`AlarmTopic`).
 * @module @acme/resilient-edge/alarms
 */
export { AlarmTopic, type AlarmTopicProps } from "./alarm-topic";
export { ALARM_TOPIC_LIMITS, AlarmTopicSchema } from "./alarm-topic-schema";
export { PropsError } from "../shared/validation";
