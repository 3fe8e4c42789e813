// Secret values inside an instance configuration: hosted env vars marked secret and every upstream
// header of a proxy/direct instance. They are stored sealed (`enc:` + encryptSecret output) in the
// config JSON, shown masked by the API, and opened only where a process needs them (the gateway).
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { AppError, type TFieldError } from "@/lib/errors";
import type { TInstanceConfig } from "@/lib/validation/instances";

/** What the API shows instead of a secret; sent back unchanged on PATCH it means "keep the stored one". */
export const SECRET_MASK = "********";
const SEALED_PREFIX = "enc:";

/** True when a stored value is a sealed secret. */
export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

function seal(plain: string): string {
  return SEALED_PREFIX + encryptSecret(plain);
}

function open(value: string, what: string): string {
  if (!isSealed(value)) return value;
  try {
    return decryptSecret(value.slice(SEALED_PREFIX.length));
  } catch {
    throw new Error(`Cannot decrypt ${what}: it was sealed under another MCPCAN_SECRET or was altered`);
  }
}

/**
 * Seals the secret values of a configuration about to be stored. A value equal to SECRET_MASK keeps
 * the previous configuration's sealed value for the same env var (by name) or header (by name,
 * case-insensitive); a mask with nothing to keep is a validation error on that field.
 */
export function sealConfig(next: TInstanceConfig, previous: TInstanceConfig | null): TInstanceConfig {
  const errors: TFieldError[] = [];
  let result: TInstanceConfig;
  if (next.accessMode === "hosted") {
    const prevEnv = previous?.accessMode === "hosted" ? previous.env : [];
    result = {
      ...next,
      env: next.env.map((v, i) => {
        const old = prevEnv.find((p) => p.name === v.name && p.secret);
        if (v.value === SECRET_MASK && old) {
          if (v.secret) return { ...v, value: old.value };
          errors.push({ path: `config.env.${i}.value`, message: "Enter the value again to make it non-secret" });
          return v;
        }
        if (!v.secret) return v;
        if (v.value === SECRET_MASK) {
          errors.push({ path: `config.env.${i}.value`, message: "No stored value to keep: enter the secret" });
          return v;
        }
        return { ...v, value: seal(v.value) };
      }),
    };
  } else {
    const prevHeaders = previous && previous.accessMode !== "hosted" ? previous.headers : [];
    result = {
      ...next,
      headers: next.headers.map((h, i) => {
        if (h.value !== SECRET_MASK) return { ...h, value: seal(h.value) };
        const old = prevHeaders.find((p) => p.name.toLowerCase() === h.name.toLowerCase());
        if (!old) errors.push({ path: `config.headers.${i}.value`, message: "No stored value to keep: enter the header value" });
        return { ...h, value: old?.value ?? h.value };
      }),
    };
  }
  if (errors.length) throw new AppError("validation_failed", "The request did not validate", { errors });
  return result;
}

/** The configuration as the API shows it: every secret value replaced by SECRET_MASK. */
export function maskConfig(config: TInstanceConfig): TInstanceConfig {
  if (config.accessMode === "hosted") {
    return { ...config, env: config.env.map((v) => (v.secret || isSealed(v.value) ? { ...v, secret: true, value: SECRET_MASK } : v)) };
  }
  return { ...config, headers: config.headers.map((h) => ({ ...h, value: SECRET_MASK })) };
}

/** The configuration with its secrets decrypted, for the gateway and runtime only; never for API output. */
export function openConfig(config: TInstanceConfig): TInstanceConfig {
  if (config.accessMode === "hosted") {
    return { ...config, env: config.env.map((v) => ({ ...v, value: open(v.value, `env ${v.name}`) })) };
  }
  return { ...config, headers: config.headers.map((h) => ({ ...h, value: open(h.value, `header ${h.name}`) })) };
}
