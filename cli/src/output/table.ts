import Table from 'cli-table3';

/**
 * Colour only for a person at a terminal: never into a pipe or a file, never with NO_COLOR set
 * (https://no-color.org: present and not empty).
 */
export const useColour = (stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(stream.isTTY) && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');

/** Wraps text in an SGR colour when colour is on (see `useColour`). */
export const paint = (code: number, text: string, on = useColour()): string => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/**
 * Every table the CLI prints: a neutral header (bold at a terminal, plain otherwise; never red,
 * which reads as an error) and no escape codes outside a terminal.
 */
export const createTable = (o: ConstructorParameters<typeof Table>[0] = {}, on = useColour()): InstanceType<typeof Table> =>
  new Table({ ...o, style: { head: on ? ['bold'] : [], border: [], ...o.style } });
