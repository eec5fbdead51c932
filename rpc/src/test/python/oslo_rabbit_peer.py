#!/usr/bin/python3
"""A Python oslo.messaging peer for the rabbit:// interop tests (Debian's
python3-oslo.messaging 14, kombu 5.2; run with /usr/bin/python3).

  oslo_rabbit_peer.py server --url URL --topic T --server S [--exchange E] [--rabbit OPT=VALUE ...]
      Serves T (and T.S, and T's fanout) with the endpoints below. Prints
      "ready" once consuming, then one "cast <method> <json args>" line per
      cast it runs; stops when its stdin closes.

  oslo_rabbit_peer.py client --url URL --topic T [--server S] --case NAME [--timeout SECONDS] [--size N]
      Runs one scenario against a server of T and prints one JSON line per
      result: {"ok": value} or {"error": exception class, "exc_type": ...,
      "value": ..., "traceback": [...], "str": str(error), "seconds": elapsed}.

  --serializer context: the server or client uses a RequestContextSerializer
  --case loop --duration S: sequential calls for S seconds, then a summary line
  (the shape OpenStack services give it: contexts as oslo.context
  RequestContexts, entities through oslo.messaging's NoOpSerializer).
"""
import argparse
import json
import os
import sys
import threading


_OUT = threading.Lock()


def say(line):
    """Prints one whole line. Endpoints run on the threading executor's
    threads at once, and print() writes the text and its newline separately:
    two threads' lines could run together ("{...}{...}" then an empty line),
    and the test reading them would miss one."""
    with _OUT:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def transport(url, exchange=None, rabbit_opts=()):
    from oslo_config import cfg
    import oslo_messaging as om
    import tempfile
    conf = cfg.CONF
    args = []
    if rabbit_opts:
        # [oslo_messaging_rabbit] values, read when the driver registers its options.
        f = tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False)
        f.write('[oslo_messaging_rabbit]\n' + ''.join('%s\n' % o.replace('=', ' = ', 1) for o in rabbit_opts))
        f.close()
        args = ['--config-file', f.name]
    conf(args, project='interop')
    if exchange:
        om.set_transport_defaults(exchange)
    return om, om.get_rpc_transport(conf, url=url)


def _exception_class(module, name):
    """An exception class that oslo serializes with this module and name."""
    cls = type(name, (Exception,), {})
    cls.__module__ = module
    return cls


# A module the Java client allows and whose class exists in its tests, and one it does not allow.
QuotaExceeded = _exception_class('io.jeventlet.rpc.testerrors', 'QuotaExceeded')
Forbidden = _exception_class('peer_errors', 'Forbidden')


def context_serializer():
    """A RequestContextSerializer over oslo.messaging's NoOpSerializer (oslo.messaging 14 ships none itself)."""
    import oslo_messaging as om
    from oslo_context import context as oslo_context

    class RequestContextSerializer(om.Serializer):
        def __init__(self, base):
            self._base = base

        def serialize_entity(self, ctxt, entity):
            return self._base.serialize_entity(ctxt, entity)

        def deserialize_entity(self, ctxt, entity):
            return self._base.deserialize_entity(ctxt, entity)

        def serialize_context(self, ctxt):
            return ctxt.to_dict()

        def deserialize_context(self, ctxt):
            return oslo_context.RequestContext.from_dict(ctxt)

    return RequestContextSerializer(om.NoOpSerializer())


class Echo(object):
    """The default namespace, version 1.0."""

    def big(self, ctxt, n):
        return 'x' * n

    def fail_allowed(self, ctxt, message):
        e = QuotaExceeded(message)
        e.kwargs = {'code': 413}
        raise e

    def fail_other(self, ctxt, message):
        e = Forbidden(message, 'policy')
        e.kwargs = {'reason': 'policy'}
        raise e

    def rename(self, ctxt, router, name):
        """router: a versioned-object primitive; ctxt: a RequestContext when the server has the serializer."""
        data = dict(router['nova_object.data'])
        data['name'] = name
        data['owner'] = '%s@python' % getattr(ctxt, 'user_id', None)
        out = dict(router)
        out['nova_object.data'] = data
        return out

    def echo(self, ctxt, x):
        return x

    def context(self, ctxt):
        return ctxt

    def fail(self, ctxt, message):
        raise ValueError(message)

    def note(self, ctxt, value):
        say("cast note %s" % json.dumps({"value": value}))

    def nap(self, ctxt, seconds):
        import time
        time.sleep(seconds)
        return 'rested'


class Versioned(object):
    """Namespace "ns", version 1.3."""

    def __init__(self):
        import oslo_messaging as om
        self.target = om.Target(namespace='ns', version='1.3')

    def which(self, ctxt):
        return 'ns-1.3'


def serve(a):
    import logging
    logging.basicConfig(level=logging.INFO if a.verbose else logging.WARNING)
    om, t = transport(a.url, a.exchange, a.rabbit)
    target = om.Target(topic=a.topic, server=a.server)
    serializer = context_serializer() if a.serializer == 'context' else None
    server = om.get_rpc_server(t, target, [Echo(), Versioned()], executor='threading', serializer=serializer)
    server.start()
    say("ready")
    sys.stdin.read()
    server.stop()
    server.wait()
    t.cleanup()


def emit(value):
    say(json.dumps(value))


def call(client, ctxt, method, **kw):
    import oslo_messaging as om
    import time
    start = time.monotonic()
    try:
        emit({"ok": client.call(ctxt, method, **kw)})
    except om.RemoteError as e:
        emit({"error": "RemoteError", "exc_type": e.exc_type, "value": e.value, "traceback": e.traceback,
              "str": str(e), "seconds": time.monotonic() - start})
    except Exception as e:  # noqa: the test asserts on the class name
        emit({"error": type(e).__name__, "value": str(e), "seconds": time.monotonic() - start})


def client(a):
    om, t = transport(a.url, a.exchange, a.rabbit)
    kw = {'serializer': context_serializer()} if a.serializer == 'context' else {}
    c = om.get_rpc_client(t, om.Target(topic=a.topic, server=a.server), timeout=a.timeout, **kw)
    try:
        if a.case == 'echo':
            call(c, {}, 'echo', x={"list": [1, 2.5, "three"], "n": None})
        elif a.case == 'context':
            call(c, {"user": "alice", "roles": ["admin"]}, 'context')
        elif a.case == 'fail':
            call(c, {}, 'fail', message='bad x')
        elif a.case == 'missing':
            call(c, {}, 'no_such_method')
        elif a.case == 'cast':
            c.cast({}, 'note', value='from-python')
            emit({"ok": "sent"})
        elif a.case == 'fanout':
            c.prepare(fanout=True, server=None).cast({}, 'note', value='fanout')
            emit({"ok": "sent"})
        elif a.case == 'versioned':
            call(c.prepare(namespace='ns', version='1.2'), {}, 'which')
        elif a.case == 'unsupported':
            call(c.prepare(namespace='ns', version='2.0'), {}, 'which')
        elif a.case == 'monitored':
            # Longer than the call monitor's 2 s: only the server's heartbeats keep the call alive.
            call(c.prepare(call_monitor_timeout=2, timeout=10), {}, 'nap', seconds=3.5)
        elif a.case == 'java_error':
            call(c, {}, 'quota', what='ports')
        elif a.case == 'rename':
            from oslo_context import context as oslo_context
            router = {'nova_object.name': 'Router', 'nova_object.namespace': 'seams', 'nova_object.version': '1.0',
                      'nova_object.data': {'id': 'r9', 'name': 'old', 'owner': '?'}}
            call(c, oslo_context.RequestContext(user_id='carol', request_id='req-py'), 'rename',
                 router=router, name='from-python')
        elif a.case == 'loop':
            # Sequential echo calls for --duration seconds (a broker restart happens meanwhile): prints
            # "ready" after the first answer, then one summary line {"ok": n, "failed": n, "errors": {...}}.
            import collections
            import time
            end = time.monotonic() + a.duration
            ok, failed, errors, ready = 0, 0, collections.Counter(), False
            while time.monotonic() < end:
                try:
                    c.call({}, 'echo', x=ok)
                    ok += 1
                    if not ready:
                        say("ready")
                        ready = True
                except Exception as e:  # noqa: counted by class name
                    failed += 1
                    errors[type(e).__name__] += 1
                    time.sleep(0.05)
            emit({"ok": ok, "failed": failed, "errors": dict(errors)})
        elif a.case == 'big_request':
            call(c, {}, 'echo', x='y' * a.size)
        elif a.case == 'big_reply':
            call(c, {}, 'big', n=a.size)
        elif a.case == 'concurrent':
            results = []

            def one(i):
                results.append(c.call({}, 'echo', x=i))

            threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            emit({"ok": sorted(results)})
        else:
            sys.exit("unknown case %r" % a.case)
    finally:
        t.cleanup()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["server", "client"])
    p.add_argument("--url", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--server")
    p.add_argument("--exchange")
    p.add_argument("--case")
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--serializer", choices=["none", "context"], default="none")
    p.add_argument("--duration", type=float, default=20, help="seconds of the loop case")
    p.add_argument("--size", type=int, default=0)
    p.add_argument("--rabbit", action="append", default=[], metavar="OPT=VALUE",
                   help="an [oslo_messaging_rabbit] option, e.g. rabbit_quorum_queue=true")
    a = p.parse_args()
    if a.mode == "server":
        serve(a)
    else:
        client(a)
        # oslo's connection threads keep the interpreter alive for ~10 s at exit; the results are out.
        sys.stdout.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
