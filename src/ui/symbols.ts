/** The marks used in every mode, so a line reads the same on a terminal and in CI logs. */
export const MARK = {
  done: '✔',
  fail: '✖',
  warn: '!',
  skip: '–',
  info: '•',
} as const;
