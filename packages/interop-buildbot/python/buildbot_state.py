"""Drive Buildbot's own state code from the interop tests, one JSON request per line.

Run with Debian's interpreter, which can import the `buildbot` package:

    /usr/bin/python3 buildbot_state.py MASTER_DIR

The script loads MASTER_DIR/master.cfg, sets up Buildbot's DBConnector on its db_url the way
`buildbot upgrade-master` does (no master service, no network), checks that the schema is
current, and prints {"event": "started"}. Each stdin line is then a request with an "id" and
an "op"; each response is one stdout line with the same "id". Values travel as JSON text
("valueJson" in, "resultJson" out) so that Python-only values such as 1.0 or NaN survive.

A request with "barrier": true replies {"event": "ready"} and waits for a {"op": "go"} line.
A request with "pause": true stops in Buildbot's _test_timing_hook, the point between the
first read and the insert, replies {"event": "paused"} and waits for a line
{"op": "resume", "of": ID}.
"""

import json
import os
import sys
import threading
import traceback

from twisted.internet import defer, reactor, stdio, threads
from twisted.python import log
from twisted.protocols.basic import LineReceiver

from buildbot.config.master import FileLoader
from buildbot.db import dbconfig
from buildbot.master import BuildMaster

# The threading.Event that releases each request paused in the timing hook, by request id.
paused = {}
# The request that the current database thread serves, so that the timing hook can find it.
hook_requests = threading.local()
# Deferreds of the requests that wait at the barrier for a "go" line.
go_waiters = []
# Set once the reactor is asked to stop, because it must be stopped only once.
stopping = []


def write_message(transport, message):
    # ensure_ascii keeps every line valid UTF-8, even for strings with lone surrogates.
    transport.write(json.dumps(message).encode("ascii") + b"\n")


def timing_hook(_conn):
    """Replace StateConnectorComponent._test_timing_hook; runs in a database thread."""
    request = getattr(hook_requests, "current", None)
    if request is None:
        return
    request["hookCalls"] += 1
    if not request.get("pause"):
        return
    released = threading.Event()
    paused[request["id"]] = released
    reactor.callFromThread(request["send"], {"id": request["id"], "event": "paused"})
    if not released.wait(60):
        raise RuntimeError(f"request {request['id']} was not resumed within 60 s")


def in_thread(request, function):
    """Run a blocking Buildbot call in a thread that the timing hook can see."""

    def run():
        hook_requests.current = request
        try:
            return function()
        finally:
            hook_requests.current = None

    return threads.deferToThread(run)


class Driver:
    def __init__(self, basedir, master, db):
        self.basedir = basedir
        self.master = master
        self.db = db

    def run_in_pool(self, request, method, *args):
        """Call a Deferred-returning state method with the hook bound to this request."""
        pool = self.db.pool
        original_do = pool.do

        def do(callable_, *call_args, **call_kwargs):
            def bound(conn, *inner_args, **inner_kwargs):
                hook_requests.current = request
                try:
                    return callable_(conn, *inner_args, **inner_kwargs)
                finally:
                    hook_requests.current = None

            return original_do(bound, *call_args, **call_kwargs)

        pool.do = do
        try:
            return method(*args)
        finally:
            pool.do = original_do

    @defer.inlineCallbacks
    def handle(self, request):
        op = request["op"]
        state = self.db.state
        if op == "getObjectId":
            value = yield self.run_in_pool(
                request, state.getObjectId, request["name"], request["className"]
            )
            return {"resultJson": json.dumps(value)}
        if op == "getState":
            args = [request["objectId"], request["name"]]
            if "defaultJson" in request:
                args.append(json.loads(request["defaultJson"]))
            value = yield self.run_in_pool(request, state.getState, *args)
            return {"resultJson": json.dumps(value), "pyType": type(value).__name__}
        if op == "setState":
            value = json.loads(request["valueJson"])
            result = yield self.run_in_pool(
                request, state.setState, request["objectId"], request["name"], value
            )
            # thdSetState stores json.dumps(value) with the default arguments, as here.
            return {"resultJson": json.dumps(result), "pythonJson": json.dumps(value)}
        if op == "atomicCreateState":
            created = []

            def create():
                created.append(True)
                return json.loads(request["valueJson"])

            value = yield self.run_in_pool(
                request, state.atomicCreateState, request["objectId"], request["name"], create
            )
            return {"resultJson": json.dumps(value), "created": bool(created)}
        if op == "dbConfigSet":
            config = self.db_config()
            value = json.loads(request["valueJson"])
            yield in_thread(request, lambda: config.set(request["name"], value))
            return {"resultJson": "null"}
        if op == "dbConfigGet":
            config = self.db_config()
            args = [request["name"]]
            if "defaultJson" in request:
                args.append(json.loads(request["defaultJson"]))
            value = yield in_thread(request, lambda: config.get(*args))
            return {"resultJson": json.dumps(value), "pyType": type(value).__name__}
        if op == "compareModel":
            diffs = yield self.db.pool.do(compare_model, request["tables"])
            return {"resultJson": json.dumps(diffs)}
        raise ValueError(f"unknown op {op!r}")

    def db_config(self):
        build_master_config = {"db": {"db_url": self.master.config.db["db_url"]}}
        return dbconfig.DbConfig(build_master_config, self.basedir)


def compare_model(conn, tables):
    """List alembic's differences between Buildbot's model and the database for `tables`."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from buildbot.db.model import Model

    def include_object(item, name, type_, reflected, compare_to):
        table = name if type_ == "table" else item.table.name
        return table in tables

    context = MigrationContext.configure(
        conn, opts={"compare_type": True, "include_object": include_object}
    )
    diffs = flatten(compare_metadata(context, Model.metadata))
    return sorted(describe_diff(diff) for diff in diffs)


def flatten(diffs):
    for diff in diffs:
        # alembic groups the changes of one column in a list.
        if isinstance(diff, list):
            yield from diff
        else:
            yield diff


def describe_diff(diff):
    """Describe one alembic difference in one stable line, without object addresses."""
    kind = diff[0]
    if kind in ("add_fk", "remove_fk"):
        key = diff[1]
        columns = ", ".join(column.name for column in key.columns)
        target = ", ".join(element.target_fullname for element in key.elements)
        return f"{kind} {key.table.name}({columns}) -> {target} ondelete={key.ondelete}"
    if kind in ("add_index", "remove_index"):
        index = diff[1]
        columns = ", ".join(column.name for column in index.columns)
        return f"{kind} {index.name} on {index.table.name}({columns}) unique={index.unique}"
    if kind == "modify_type":
        return f"{kind} {diff[2]}.{diff[3]}: database {diff[5]!r}, model {diff[6]!r}"
    return repr(diff)


def stop():
    if not stopping:
        stopping.append(True)
        reactor.stop()


class Requests(LineReceiver):
    delimiter = b"\n"

    def __init__(self, driver):
        self.driver = driver

    def send(self, message):
        write_message(self.transport, message)

    def lineReceived(self, line):
        request = json.loads(line)
        op = request["op"]
        if op == "go":
            waiters = list(go_waiters)
            go_waiters.clear()
            for waiter in waiters:
                waiter.callback(None)
            return
        if op == "resume":
            paused.pop(request["of"]).set()
            return
        if op == "exit":
            stop()
            return
        request["hookCalls"] = 0
        request["send"] = self.send
        self.start(request)

    @defer.inlineCallbacks
    def start(self, request):
        if request.get("barrier"):
            waiter = defer.Deferred()
            go_waiters.append(waiter)
            self.send({"id": request["id"], "event": "ready"})
            yield waiter
        try:
            result = yield self.driver.handle(request)
            result.update(id=request["id"], ok=True, hookCalls=request["hookCalls"])
        except Exception as error:  # every failure goes back to the test as data
            result = {
                "id": request["id"],
                "ok": False,
                "error": type(error).__name__,
                "message": str(error),
                "hookCalls": request["hookCalls"],
            }
        self.send(result)

    def connectionLost(self, reason):
        stop()


@defer.inlineCallbacks
def start(basedir):
    # The same steps as BuildMaster.startService up to the database, without the services:
    # load master.cfg, then set up master.db, which checks that the schema is current.
    master = BuildMaster(basedir)
    master.config = FileLoader(basedir, "master.cfg").loadConfig()
    yield master.db.setup(check_version=True, verbose=False)
    master.db.state._test_timing_hook = timing_hook
    requests = Requests(Driver(basedir, master, master.db))
    stdio.StandardIO(requests)
    requests.send({"event": "started"})


def main():
    basedir = sys.argv[1]
    # Buildbot logs through twisted; keep that out of the responses on stdout.
    with open(os.path.join(basedir, "state-driver.log"), "a", encoding="utf-8") as log_file:
        log.startLoggingWithObserver(log.FileLogObserver(log_file).emit, setStdout=False)
        run(basedir)


def run(basedir):
    def failed(failure):
        sys.stderr.write("".join(traceback.format_exception(failure.value)))
        sys.stdout.write(json.dumps({"event": "failed", "message": str(failure.value)}) + "\n")
        sys.stdout.flush()
        stop()

    reactor.callWhenRunning(lambda: start(basedir).addErrback(failed))
    reactor.run()


if __name__ == "__main__":
    main()
