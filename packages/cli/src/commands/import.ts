import { createReadStream } from 'node:fs';
import {
  type AdministeredStateConnector,
  isStateConnectorError,
  toStoredObjectName,
} from '@state-connector/core';
import type { Command } from 'commander';
import { CliError } from '../cli-errors.js';
import { printJson, printLine, printNote, withStore } from '../context.js';
import { withFileErrors } from '../transfer/file-errors.js';
import { type ImportPlan, readImportPlan } from '../transfer/import-plan.js';
import { startProgress } from '../transfer/progress.js';

/** An object that already existed in the target store under another id. */
interface MovedObject {
  name: string;
  className: string;
  fromId: number;
  toId: number;
}

// Checks the plan against the target store, so that an id conflict is reported with its line
// number before anything is written.
async function checkIdConflicts(
  connector: AdministeredStateConnector,
  plan: ImportPlan,
): Promise<void> {
  const objects = await connector.listObjects();
  const byId = new Map(objects.map((object) => [object.id, object]));
  const identities = new Set(
    objects.map((object) => JSON.stringify([object.name, object.className])),
  );

  for (const { line, lineNumber } of plan.objects) {
    // An identity that the target already stores keeps its id there, wherever the line's id is.
    const identity = JSON.stringify([toStoredObjectName(line.name), line.class_name]);
    if (identities.has(identity)) continue;
    const holder = byId.get(line.id);
    if (holder === undefined) continue;
    throw new CliError(
      'OBJECT_ID_CONFLICT',
      `Cannot import line ${lineNumber}: object id ${line.id} already belongs to ` +
        `${JSON.stringify(holder.name)} of class ${JSON.stringify(holder.className)} in the ` +
        'target store, so the import would mix two objects; import into an empty store.',
    );
  }
}

// Adds the line number to a failed write. Earlier lines stay written, because each line is
// written in its own round trip; running the import again overwrites them with the same data.
function failedLineError(error: unknown, lineNumber: number, written: number): unknown {
  if (!isStateConnectorError(error)) return error;
  const writtenNote =
    written === 0
      ? 'Nothing was written.'
      : `The ${written} lines before it were written and are kept; fix the cause and run ` +
        'the same import again, which writes them again unchanged.';
  return new CliError(
    error.code,
    `Import failed at line ${lineNumber}: ${error.message} ${writtenNote}`,
  );
}

async function applyPlan(
  connector: AdministeredStateConnector,
  plan: ImportPlan,
): Promise<MovedObject[]> {
  const moved: MovedObject[] = [];
  const progress = startProgress(plan.objects.length + plan.stateCount, 'rows');
  let written = 0;
  let lineNumber = 0;
  try {
    for (const { line, lineNumber: objectLineNumber, state } of plan.objects) {
      lineNumber = objectLineNumber;
      const record = { id: line.id, name: line.name, className: line.class_name };
      const objectId = await connector.importObject(record);
      if (objectId !== line.id) {
        moved.push({
          name: line.name,
          className: line.class_name,
          fromId: line.id,
          toId: objectId,
        });
      }
      written++;
      progress.increment();

      for (const entry of state) {
        lineNumber = entry.lineNumber;
        await connector.importStateText(objectId, entry.line.name, entry.line.value_json);
        written++;
        progress.increment();
      }
    }
  } catch (error) {
    throw failedLineError(error, lineNumber, written);
  } finally {
    progress.stop();
  }
  return moved;
}

/** Registers `import`, which reads JSON lines written by `export` into the store. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .summary('read JSON lines written by export into the store')
    .description(
      'Read the JSON lines of an export and store every object under its id and every state ' +
        'value as its exact JSON text, overwriting values of the same name; other state is ' +
        'kept. All lines are checked before anything is written, but a backend failure while ' +
        'writing leaves the lines before the failed one written. An object that already ' +
        'exists under another id keeps that id, and its state goes there.',
    )
    .option('-i, --input <file>', 'file to read (default: stdin)')
    .action(async (options: { input?: string }, command: Command) => {
      const path = options.input;
      if (path === undefined && process.stdin.isTTY) {
        printNote('Reading export lines from stdin; end them with Ctrl-D, or pass --input FILE.');
      }
      const plan =
        path === undefined
          ? await readImportPlan(process.stdin)
          : await withFileErrors('read', path, () => readImportPlan(createReadStream(path)));

      await withStore(command, async ({ connector, backend, shownUrl }, { json }) => {
        await checkIdConflicts(connector, plan);
        const moved = await applyPlan(connector, plan);

        const objectCount = plan.objects.length;
        if (json) {
          printJson({
            objects: objectCount,
            state: plan.stateCount,
            moved,
            backend,
            url: shownUrl,
          });
          return;
        }
        printLine(
          `Imported ${objectCount} objects and ${plan.stateCount} state values into the ` +
            `${backend} store ${shownUrl}.`,
        );
        for (const object of moved) {
          printLine(
            `Object ${JSON.stringify(object.name)} of class ${JSON.stringify(object.className)} ` +
              `already had id ${object.toId}, so its state went there instead of ${object.fromId}.`,
          );
        }
      });
    });
}
