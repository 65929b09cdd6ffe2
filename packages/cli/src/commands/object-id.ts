import type { Command } from 'commander';
import { checkObjectNameArguments } from '../arguments.js';
import { printJson, printLine, withStore } from '../context.js';

/** Registers `object-id NAME CLASS`, which prints the id of an object and creates it if new. */
export function registerObjectIdCommand(program: Command): void {
  program
    .command('object-id')
    .summary('print the id of an object, creating the object if it is new')
    .description(
      'Print the id of the object (NAME, CLASS), creating the object if it does not exist, ' +
        'as getObjectId does. Object names over 128 code points are shortened as Buildbot does.',
    )
    .argument('<NAME>', 'object name, such as nightly')
    .argument('<CLASS>', 'class name, such as Scheduler')
    .action(async (name: string, className: string, _options: unknown, command: Command) => {
      checkObjectNameArguments(name, className);
      await withStore(command, async ({ connector }, { json }) => {
        const objectId = await connector.getObjectId(name, className);
        if (json) printJson({ objectId, name, className });
        else printLine(String(objectId));
      });
    });
}
