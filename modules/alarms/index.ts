/**
 * The KMS-encrypted SNS topic every alarm publishes to (`AlarmTopic`).
 * @module resilient-edge/alarms
 */
export { AlarmTopic, type AlarmTopicProps } from "./alarm-topic";
export { PropsError } from "../shared/validation";
