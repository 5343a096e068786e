/** asl-validator 4.0.0 ships no type declarations: the one call the tests make. */
declare module "asl-validator" {
  export default function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: readonly unknown[]; errorsText: (separator?: string) => string };
}
