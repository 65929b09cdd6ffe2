/**
 * The line protocol that the tests speak with both kinds of child process: the Buildbot
 * driver (`python/buildbot_state.py`) and the connector process (`connector-process.ts`).
 * Each line is one JSON message. Values travel as JSON text, so that a value which only one
 * language has (Python's `1.0` or `NaN`) reaches the other side exactly as written.
 */

/** An operation on the state store. Names are passed unshortened, as a caller would. */
export type StateOperation =
  | { op: 'getObjectId'; name: string; className: string }
  | { op: 'getState'; objectId: number; name: string; defaultJson?: string }
  | { op: 'setState'; objectId: number; name: string; valueJson: string }
  | { op: 'atomicCreateState'; objectId: number; name: string; valueJson: string }
  | { op: 'deleteState'; objectId: number; name: string }
  | { op: 'listState'; objectId: number }
  | { op: 'dbConfigSet'; name: string; valueJson: string }
  | { op: 'dbConfigGet'; name: string; defaultJson?: string }
  | { op: 'compareModel'; tables: string[] };

/** A request line: an operation with the id that its response carries. */
export type ProtocolRequest = StateOperation & {
  id: number;
  /** Reply with `ready`, then wait for a `go` line before running the operation. */
  barrier?: boolean;
  /** Buildbot driver only: stop in Buildbot's timing hook until a `resume` line. */
  pause?: boolean;
};

/** Lines that release waiting requests or end the process. */
export type Control = { op: 'go' } | { op: 'resume'; of: number } | { op: 'exit' };

/** The response to one request. */
export type ProtocolResponse =
  | {
      id: number;
      ok: true;
      /** The result as JSON text, written by the child's own JSON encoder. */
      resultJson: string;
      /** atomicCreateState only: whether the create callback ran in this call. */
      created?: boolean;
      /** Buildbot driver only: the Python type of the result, such as `float`. */
      pyType?: string;
      /** Buildbot driver, setState only: Python's `json.dumps` text of the value. */
      pythonJson?: string;
      /** Buildbot driver only: how often Buildbot's timing hook ran in this call. */
      hookCalls?: number;
    }
  | {
      id: number;
      ok: false;
      /** The error's class name, such as `KeyError` or `StateNotFoundError`. */
      error: string;
      message: string;
      /** The connector's stable error code, when it is one of its errors. */
      code?: string;
      hookCalls?: number;
    };

/** Progress messages that are not responses. */
export type ProgressEvent =
  | { event: 'started' }
  | { event: 'failed'; message: string }
  | { event: 'ready'; id: number }
  | { event: 'paused'; id: number };
