import { Command } from 'commander';
import { registerContent } from './commands/content';
import { registerCrisis } from './commands/crisis';
import { registerEdition } from './commands/edition';
import { registerEvents } from './commands/events';
import { registerLocal } from './commands/local';
import { registerPost } from './commands/post';
import { registerReport } from './commands/report';
import { registerRoutes } from './commands/routes';
import { registerSeed } from './commands/seed';
import { registerStatus } from './commands/status';
import { registerSubscribersAdd } from './commands/subscribers';
import { registerSubscribersImport } from './commands/subscribers-import';
import { registerSubscribersStaff } from './commands/subscribers-staff';
import { registerTemplate } from './commands/template';
import { registerToken } from './commands/token';
import { reportError } from './output';

/** The missive command: one parser, each subcommand in its own module. */
export function buildProgram(): Command {
  const program = new Command('missive')
    .description('newsletter pipeline for diplomatic posts: content, editions, sending, engagement, reports')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .configureOutput({
      // One line, prefixed with the command's name, instead of commander's "error: ...".
      outputError: (text, write) => write(`missive: ${text.replace(/^error: /, '').trim()}\n`),
    });
  registerLocal(program);
  registerSeed(program);
  registerPost(program);
  registerReport(program);
  registerContent(program);
  registerEdition(program);
  registerCrisis(program);
  registerTemplate(program);
  registerToken(program);
  registerRoutes(program);
  registerEvents(program);
  registerStatus(program);
  // Finds or creates the `subscribers` group, so its other subcommands can register in any order.
  registerSubscribersImport(program);
  registerSubscribersAdd(program);
  registerSubscribersStaff(program);
  // Every subcommand exits through reportError (code 2 for usage mistakes), never process.exit mid-way.
  const exitOverride = (cmd: Command) => {
    cmd.exitOverride();
    for (const sub of cmd.commands) exitOverride(sub);
  };
  exitOverride(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    // A command may finish its output and still report a partial failure (content sync).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error);
  }
}
