#!/usr/bin/python3
"""A Python oslo.messaging notification peer for the rabbit:// interop tests
and benchmarks (Debian's python3-oslo.messaging 14; run with /usr/bin/python3).

  oslo_notify_peer.py notify --url URL --topic T [--driver messagingv2] [--count N]
          [--priority info] [--publisher P] [--event-type E] [--payload JSON] [--context JSON]
      Sends N notifications through oslo's Notifier and prints one JSON line
      {"sent": N, "seconds": S}.

  oslo_notify_peer.py listen --url URL --topic T [--topic T2 ...] [--pool P]
          [--filter-publisher RE] [--filter-event-type RE] [--count N] [--quiet] [--requeue-first]
      Runs get_notification_listener (threading executor) with an endpoint
      for every priority. Prints "ready" once consuming, then one JSON line
      per notification {"priority", "ctxt", "publisher_id", "event_type",
      "payload", "metadata"} (with --quiet only the final line); after N
      notifications (or when stdin closes) prints {"done": N, "seconds": S}
      (S from the first notification to the last) and exits.
"""
import argparse
import json
import sys
import threading
import time


_OUT = threading.Lock()


def say(line):
    """Prints one whole line. Endpoints run on the threading executor's
    threads at once, and print() writes the text and its newline separately:
    two threads' lines could run together ("{...}{...}" then an empty line),
    and the test reading them would miss one."""
    with _OUT:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def transport(url):
    from oslo_config import cfg
    import oslo_messaging as om
    conf = cfg.CONF
    conf([], project='interop')
    return om, conf, om.get_notification_transport(conf, url=url)


def notify(args):
    om, conf, t = transport(args.url)
    n = om.Notifier(t, publisher_id=args.publisher, driver=args.driver, topics=args.topic)
    payload = json.loads(args.payload)
    ctxt = json.loads(args.context)
    send = getattr(n, args.priority)
    start = time.monotonic()
    for i in range(args.count):
        p = payload if args.count == 1 else dict(payload, seq=i)
        send(ctxt, args.event_type, p)
    elapsed = time.monotonic() - start
    say(json.dumps({"sent": args.count, "seconds": elapsed}))
    t.cleanup()


class Endpoint(object):
    def __init__(self, quiet, done, limit, requeue_first):
        self.quiet = quiet
        self.done = done
        self.limit = limit
        self.count = 0
        self.first = None
        self.last = None
        self.lock = threading.Lock()
        self.requeue_first = requeue_first
        self.requeued = set()

    def _got(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        import oslo_messaging as om
        if self.requeue_first and metadata.get('message_id') not in self.requeued:
            self.requeued.add(metadata.get('message_id'))
            return om.NotificationResult.REQUEUE
        with self.lock:
            now = time.monotonic()
            if self.first is None:
                self.first = now
            self.last = now
            self.count += 1
            n = self.count
        if not self.quiet:
            say(json.dumps({"priority": priority, "ctxt": ctxt, "publisher_id": publisher_id,
                            "event_type": event_type, "payload": payload, "metadata": metadata}))
        if self.limit and n >= self.limit:
            self.done.set()
        return om.NotificationResult.HANDLED


def _method(priority):
    def m(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._got(priority, ctxt, publisher_id, event_type, payload, metadata)
    return m


for _p in ('audit', 'debug', 'info', 'warn', 'error', 'critical', 'sample'):
    setattr(Endpoint, _p, _method(_p))


def listen(args):
    om, conf, t = transport(args.url)
    done = threading.Event()
    ep = Endpoint(args.quiet, done, args.count, args.requeue_first)
    if args.filter_publisher or args.filter_event_type:
        ep.filter_rule = om.NotificationFilter(publisher_id=args.filter_publisher,
                                               event_type=args.filter_event_type)
    targets = [om.Target(topic=tp) for tp in args.topic]
    listener = om.get_notification_listener(t, targets, [ep], executor='threading', pool=args.pool,
                                            allow_requeue=args.requeue_first)
    listener.start()
    say("ready")

    def stdin_closed():
        sys.stdin.read()
        done.set()
    threading.Thread(target=stdin_closed, daemon=True).start()
    done.wait()
    listener.stop()
    listener.wait()
    seconds = (ep.last - ep.first) if ep.first is not None else 0.0
    say(json.dumps({"done": ep.count, "seconds": seconds}))
    t.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['notify', 'listen'])
    ap.add_argument('--url', required=True)
    ap.add_argument('--topic', action='append', required=True)
    ap.add_argument('--driver', default='messagingv2')
    ap.add_argument('--count', type=int, default=1)
    ap.add_argument('--priority', default='info')
    ap.add_argument('--publisher', default='python.peer')
    ap.add_argument('--event-type', default='interop.event')
    ap.add_argument('--payload', default='{}')
    ap.add_argument('--context', default='{}')
    ap.add_argument('--pool')
    ap.add_argument('--filter-publisher')
    ap.add_argument('--filter-event-type')
    ap.add_argument('--quiet', action='store_true')
    ap.add_argument('--requeue-first', action='store_true')
    args = ap.parse_args()
    if args.mode == 'listen' and args.count == 1 and '--count' not in sys.argv:
        args.count = 0
    (notify if args.mode == 'notify' else listen)(args)


if __name__ == '__main__':
    main()
