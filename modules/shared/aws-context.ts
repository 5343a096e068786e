import { DataAwsCallerIdentity } from "@cdktn/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktn/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktn/provider-aws/lib/data-aws-region";
import { TerraformStack } from "cdktn";
import { Construct } from "constructs";

/** Account, partition and region of the stack a construct lives in, as Terraform references. */
export interface AwsContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /** DNS suffix of the partition (amazonaws.com), for service principals and endpoints. */
  readonly dnsSuffix: string;
}

const ID = "aws-context";

/** Holds the stack's caller-identity, partition and region data sources. */
class AwsContextData extends Construct {
  readonly context: AwsContext;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const identity = new DataAwsCallerIdentity(this, "caller");
    const partition = new DataAwsPartition(this, "partition");
    const region = new DataAwsRegion(this, "region");
    this.context = {
      accountId: identity.accountId,
      partition: partition.partition,
      region: region.region,
      dnsSuffix: partition.dnsSuffix,
    };
  }
}

/** One set of caller-identity/partition/region data sources per stack, shared by every module in it. */
export function awsContext(scope: Construct): AwsContext {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ID) as AwsContextData | undefined;
  return (existing ?? new AwsContextData(stack, ID)).context;
}
