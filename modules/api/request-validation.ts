import { ApiGatewayModel } from "@cdktn/provider-aws/lib/api-gateway-model";
import { ApiGatewayRequestValidator } from "@cdktn/provider-aws/lib/api-gateway-request-validator";
import { Construct } from "constructs";
import { z } from "zod";
import { type Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";
import { apiModelsSchema } from "./route-schema";

/** Props of RequestValidation. */
export interface RequestValidationProps {
  /** Id of the REST API; no default. */
  readonly restApiId: string;
  /** JSON schemas (draft 4) by model name. @default none */
  readonly models?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** RequestValidationProps as checked at construction. */
const requestValidationPropsSchema = z.strictObject({
  restApiId: z.string(),
  models: apiModelsSchema.optional(),
});

/** What a method needs validated before its integration runs. */
export interface ValidationNeeds {
  /** The JSON body must match a model. */
  readonly body: boolean;
  /** Required parameters (query strings, headers) must be present. */
  readonly parameters: boolean;
}

/**
 * JSON-schema models and request validators of a REST API. Models are created from props;
 * validators (body, parameters, or both) are created on first use, so an API has only those
 * its methods need. Requests that fail validation get a 400 without reaching the integration.
 */
export class RequestValidation extends Construct {
  /** Models by name. */
  readonly models: Readonly<Record<string, ApiGatewayModel>>;
  private readonly validators = new Map<string, ApiGatewayRequestValidator>();
  private readonly props: RequestValidationProps;

  constructor(scope: Construct, id: string, props: RequestValidationProps | Parsed<RequestValidationProps>) {
    super(scope, id);
    const valid = parseProps(`RequestValidation ${id}`, requestValidationPropsSchema, props, API_PARSE_OPTIONS);
    this.props = valid;
    const models: Record<string, ApiGatewayModel> = {};
    const definitions = valid.models ?? {};
    for (const name of Object.keys(definitions).sort()) {
      models[name] = new ApiGatewayModel(this, `model-${name}`, {
        restApiId: valid.restApiId,
        name,
        contentType: "application/json",
        description: `Request body of ${name}`,
        schema: JSON.stringify({ $schema: "http://json-schema.org/draft-04/schema#", ...definitions[name] }),
      });
    }
    this.models = models;
  }

  /** The validator for a method's needs, or undefined when it needs none. */
  validatorFor(needs: ValidationNeeds): ApiGatewayRequestValidator | undefined {
    if (!needs.body && !needs.parameters) return undefined;
    const name = needs.body && needs.parameters ? "body-and-parameters" : needs.body ? "body" : "parameters";
    let validator = this.validators.get(name);
    if (!validator) {
      validator = new ApiGatewayRequestValidator(this, `validator-${name}`, {
        restApiId: this.props.restApiId,
        name,
        validateRequestBody: needs.body,
        validateRequestParameters: needs.parameters,
      });
      this.validators.set(name, validator);
    }
    return validator;
  }

  /** The model of a name (throws for unknown names; RestApiFrontDoor validates references first). */
  model(name: string): ApiGatewayModel {
    const model = this.models[name];
    if (!model) throw new Error(`unknown model ${name}`);
    return model;
  }
}
