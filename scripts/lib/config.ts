// Configuration for the operator scripts, with configuration mistakes turned into one-line errors.
import { getEnv, getSecret, MissingSecretError, secretFromEnv, type TEnv } from "@/lib/env";
import { OperatorError } from "./cli";

/** The validated environment; an invalid variable becomes an OperatorError naming it. */
export function resolveEnv(): TEnv {
  try {
    return getEnv();
  } catch (err) {
    throw new OperatorError(`${(err as Error).message}. Fix the variable or unset it to use the default (see README, Configuration).`);
  }
}

/**
 * The auth/encryption secret and where it came from. Development generates one into the data dir
 * (lib/env prints a warning the first time); production without MCPCAN_SECRET is an OperatorError.
 */
export function resolveSecret(): { secret: string; fromEnv: boolean } {
  try {
    return { secret: getSecret(), fromEnv: secretFromEnv() };
  } catch (err) {
    if (err instanceof MissingSecretError) throw new OperatorError(err.message);
    throw err;
  }
}
