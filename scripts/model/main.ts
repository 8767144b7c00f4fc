// `npm run model -- <command> …`: the model tools. Each command lives in its own module.
import { ImportError, TapError } from '../../src/encoders/import/index.ts';
import { addCommand } from './add-command.ts';
import type { Command } from './command.ts';
import { tapCommand } from './tap-command.ts';
import { quantizeCommand } from './quantize-command.ts';

const commands: Record<string, Command> = { tap: tapCommand, add: addCommand, quantize: quantizeCommand };

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  if (name) console.error(`unknown command: ${name}`);
  console.error(
    `usage: npm run model -- <command> …\n${Object.entries(commands)
      .map(([n, c]) => `  ${n} ${c.usage}`)
      .join('\n')}`,
  );
  process.exitCode = name ? 1 : 0;
} else {
  try {
    await command.run(args);
  } catch (error) {
    // Every failure a user can meet is one line that says what to do; stacks are for MUSCOPE_DEBUG.
    // What the graph search found is shown in its own words, which name this tool's options
    // (--family, --size); the ImportError around it says the same in the page's.
    const shown = error instanceof ImportError && error.cause instanceof TapError ? error.cause : error;
    console.error(`model ${name}: ${shown instanceof Error ? shown.message : String(shown)}`);
    if (process.env.MUSCOPE_DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  }
}
