import type { AdministeredStateConnector } from '@state-connector/core';
import type { Command } from 'commander';
import { addObjectOptions, readObjectTarget } from '../arguments.js';
import { printJson, printLine, withExistingStore } from '../context.js';
import { checkObjectExists, lookUpObjectId } from '../object-lookup.js';
import { displayText, renderTable, truncate } from '../table.js';

/** Width of the value column in the table of one object's state, in code points. */
const VALUE_COLUMN_WIDTH = 60;

async function listObjects(connector: AdministeredStateConnector, json: boolean): Promise<void> {
  const objects = await connector.listObjects();
  if (json) {
    printJson({ objects });
    return;
  }
  if (objects.length === 0) {
    printLine('The store has no objects.');
    return;
  }
  const rows = objects.map((object) => [
    object.id,
    displayText(object.name),
    displayText(object.className),
  ]);
  printLine(renderTable(['id', 'name', 'class'], rows));
}

function parseOrUndefined(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

async function listState(
  connector: AdministeredStateConnector,
  objectId: number,
  options: { json: boolean; full: boolean },
): Promise<void> {
  // The stored text is listed undecoded, so that one corrupt value does not hide the others.
  const entries = await connector.listStateText(objectId);
  if (entries.length === 0) await checkObjectExists(connector, objectId);

  if (options.json) {
    const state = entries.map(([name, text]) => {
      const parsed = parseOrUndefined(text);
      return parsed === undefined ? { name, invalidJson: text } : { name, value: parsed.value };
    });
    printJson({ objectId, state });
    return;
  }
  if (entries.length === 0) {
    printLine(`Object ${objectId} has no state.`);
    return;
  }
  const rows = entries.map(([name, text]) => {
    const cellText = options.full ? text : truncate(text, VALUE_COLUMN_WIDTH);
    const marked = parseOrUndefined(text) === undefined ? `${cellText} (invalid JSON)` : cellText;
    return [displayText(name), displayText(marked)];
  });
  printLine(renderTable(['name', 'value (stored JSON)'], rows));
}

/** Registers `list`, which shows the objects of the store or the state of one object. */
export function registerListCommand(program: Command): void {
  const command = program
    .command('list')
    .summary('show the objects, or the state of one object')
    .description(
      'Without an object, show every object of the store (id, name, class). With OBJECT_ID ' +
        'or --object and --class, show the state names and stored values of that object. ' +
        'Values over 60 characters are cut in the table unless --full is given; --json ' +
        'prints everything. A file: store that does not exist is an error.',
    )
    .usage('[options] [OBJECT_ID | --object NAME --class CLASS]')
    .argument('[OBJECT_ID]', 'object id, as printed by object-id')
    .option('--full', 'show whole values in the table instead of the first 60 characters');

  addObjectOptions(command).action(async (_first, options, command: Command) => {
    const listOptions = options as { object?: string; class?: string; full?: boolean };
    const wholeStore =
      command.args.length === 0 &&
      listOptions.object === undefined &&
      listOptions.class === undefined;
    const target = wholeStore ? undefined : readObjectTarget(command, []);

    await withExistingStore(command, async ({ connector }, { json }) => {
      if (target === undefined) {
        await listObjects(connector, json);
        return;
      }
      const objectId = await lookUpObjectId(connector, target, false);
      await listState(connector, objectId, { json, full: listOptions.full === true });
    });
  });
}
