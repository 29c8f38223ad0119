/**
 * What a Lambda function's environment says about how it connects: host, port, user, and whether
 * it turns SSL off. Only these are ever shown, by variable name and (for host, port, user) value;
 * other variables may hold secrets and are never printed.
 */
export interface Setting {
  variable: string;
  value: string;
}

export interface ClientSettings {
  host?: Setting;
  port?: Setting;
  user?: Setting;
  /** The variable that turns SSL off, if any. */
  sslDisabledBy?: string;
}

const URL_VALUE = /^postgres(?:ql)?:\/\//i;
const HOST_KEY = /(^|_)(HOST|HOSTNAME|ENDPOINT)($|_)/i;
const PORT_KEY = /(^|_)PORT$/i;
const USER_KEY = /(^|_)(USER|USERNAME)$/i;
const SSL_KEY = /SSL/i;
const SSL_OFF = /^(disable|false|0|off|no)$/i;

/** PG* variables first (what node-postgres reads), then anything that looks like one. */
function pick(env: Record<string, string>, exact: string, pattern: RegExp): Setting | undefined {
  if (env[exact]) return { variable: exact, value: env[exact] };
  const key = Object.keys(env).find((k) => pattern.test(k) && env[k] && !URL_VALUE.test(env[k]!));
  return key ? { variable: key, value: env[key]! } : undefined;
}

export function clientSettings(env: Record<string, string>): ClientSettings {
  const settings: ClientSettings = {
    host: pick(env, 'PGHOST', HOST_KEY),
    port: pick(env, 'PGPORT', PORT_KEY),
    user: pick(env, 'PGUSER', USER_KEY),
  };
  for (const [key, value] of Object.entries(env)) {
    if (URL_VALUE.test(value)) {
      try {
        const url = new URL(value);
        settings.host ??= url.hostname ? { variable: key, value: url.hostname } : undefined;
        settings.port ??= url.port ? { variable: key, value: url.port } : undefined;
        settings.user ??= url.username ? { variable: key, value: decodeURIComponent(url.username) } : undefined;
        if (url.searchParams.get('sslmode')?.toLowerCase() === 'disable') settings.sslDisabledBy ??= key;
      } catch {
        // Not a URL after all; nothing to learn from it.
      }
    } else if (/sslmode=disable/i.test(value) || (SSL_KEY.test(key) && SSL_OFF.test(value.trim()))) {
      settings.sslDisabledBy ??= key;
    }
  }
  return settings;
}
