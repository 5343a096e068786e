import { z } from "zod";
import { intIn } from "./route-schema";

/**
 * The CORS options of an API, as the Fetch standard defines them (https://fetch.spec.whatwg.org/#http-cors-protocol):
 * an origin is a scheme, a host and an optional port, nothing else; `*` stands alone and never with credentials
 * (a browser refuses a credentialed response whose Access-Control-Allow-Origin is `*`).
 */

/** An origin: `https://shop.example.com`, `http://localhost:3000`. */
export const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
/** A header name (RFC 9110 token). */
export const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Bounds of the CORS options. */
export const CORS_LIMITS = Object.freeze({ maxAgeSeconds: Object.freeze({ min: 0, max: 86400 }) });

const header = z.string().regex(HEADER_NAME_PATTERN, { message: "expected a header name" });

/** The CORS options. */
export const corsSchema = z
  .strictObject({
    allowOrigins: z
      .array(
        z.string().refine((o) => o === "*" || ORIGIN_PATTERN.test(o), {
          message: "expected * or an origin such as https://shop.example.com (lower case, no path, no trailing slash)",
        }),
      )
      .min(1),
    allowHeaders: z.array(header).min(1).optional(),
    exposeHeaders: z.array(header).min(1).optional(),
    allowCredentials: z.boolean().optional(),
    maxAgeSeconds: intIn(CORS_LIMITS.maxAgeSeconds).optional(),
  })
  .superRefine((cors, ctx) => {
    if (!cors.allowOrigins.includes("*")) return;
    if (cors.allowOrigins.length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["allowOrigins"],
        message: "expected * alone or a list of origins, not both",
      });
    if (cors.allowCredentials)
      ctx.addIssue({
        code: "custom",
        path: ["allowCredentials"],
        message: "expected false with allowOrigins *: browsers refuse credentialed responses allowed for any origin",
      });
  });
