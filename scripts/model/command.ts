// A sub-command of `npm run model -- <name> …`; main.ts maps names to these.
export interface Command {
  /** one line: the arguments after the command name */
  usage: string;
  run(args: string[]): Promise<void>;
}
