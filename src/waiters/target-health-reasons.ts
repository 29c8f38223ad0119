/** Reasons that will not clear by waiting: the proxy cannot log in to, or reach, the database. */
export const FAIL_FAST_REASONS: ReadonlySet<string> = new Set(['AUTH_FAILURE', 'UNREACHABLE', 'CONNECTION_FAILED']);

/** The proxy is still scaling up; connections are retried once capacity is there. */
export const PENDING_REASON = 'PENDING_PROXY_CAPACITY';
