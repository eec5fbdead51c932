"""A jeventlet ZeroMQ peer written from docs/PROTOCOL.md alone, with pyzmq.

    zmq_peer.py server URL TOPIC SERVER   serve 'inc', 'whoami', 'fail' until stdin closes;
                                          prints READY once a proxy has answered REGISTERED
    zmq_peer.py call URL TOPIC SERVER METHOD ARGS_JSON [TIMEOUT]
                                          prints one JSON line: {"result": ...},
                                          {"failure": {...}}, {"noroute": "..."} or {"error": "..."}
    zmq_peer.py cast URL TOPIC SERVER METHOD ARGS_JSON

URL is zmq://HOST:PORT[,HOST:PORT...]; SERVER '-' means none (any server of the topic).
"""
import json
import select
import sys
import time
import traceback
import uuid

import zmq

VERSION = b"2"
HEARTBEAT = 1.0
TTL_MS = 4000


def endpoints(url):
    assert url.startswith("zmq://"), url
    return ["tcp://" + hp for hp in url[len("zmq://"):].split("/")[0].split(",")]


def connect(url):
    ctx = zmq.Context.instance()
    identity = "py-" + uuid.uuid4().hex
    socks = []
    for ep in endpoints(url):
        s = ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.IDENTITY, identity.encode())
        s.setsockopt(zmq.LINGER, 0)
        s.connect(ep)
        socks.append(s)
    return identity, socks


def envelope(message):
    return json.dumps({"oslo.version": "2.0", "oslo.message": json.dumps(message)}).encode()


def unwrap(body):
    outer = json.loads(body.decode())
    return json.loads(outer["oslo.message"])


def reply_body(msg_id, result=None, failure=None):
    return envelope({"result": result, "failure": failure, "ending": True,
                     "_msg_id": msg_id, "_unique_id": uuid.uuid4().hex})


def serve(url, topic, server):
    identity, socks = connect(url)
    registered = False
    next_beat = 0.0
    poller = zmq.Poller()
    for s in socks:
        poller.register(s, zmq.POLLIN)
    seen = set()
    while True:
        now = time.monotonic()
        if now >= next_beat:
            for s in socks:
                # HELLO each heartbeat: a restarted proxy knows this connection again at once.
                s.send_multipart([VERSION, b"HELLO", b""])
                s.send_multipart([VERSION, b"REGISTER", b"", topic.encode(), server.encode(), str(TTL_MS).encode()])
            next_beat = now + HEARTBEAT
        if select.select([sys.stdin], [], [], 0)[0] and not sys.stdin.readline():
            for s in socks:
                s.send_multipart([VERSION, b"UNREGISTER", b"", topic.encode(), server.encode()])
            time.sleep(0.1)
            return
        for s, _ in poller.poll(100):
            frames = s.recv_multipart()
            if frames[0] != VERSION:
                continue  # PROTOCOL.md: drop a version we do not speak
            kind = frames[1].decode()
            if kind == "REGISTERED" and not registered:
                registered = True
                print("READY", flush=True)
            elif kind in ("CALL", "CAST", "FANOUT") and len(frames) == 7:
                msg_id, body, caller = frames[2], frames[5], frames[6]
                request = unwrap(body)
                if request.get("_unique_id") in seen:
                    continue
                seen.add(request.get("_unique_id"))
                result, failure = None, None
                try:
                    result = handle(request["method"], request.get("args", {}))
                except Exception as e:
                    failure = json.dumps({"class": type(e).__name__, "module": "builtins", "message": str(e),
                                          "tb": traceback.format_exc().splitlines(True),
                                          "args": [str(e)], "kwargs": {}})
                if kind == "CALL":
                    # The proxy knows the caller: a REPLY names only the call (and whether it is the last).
                    s.send_multipart([VERSION, b"REPLY", msg_id, b"1", reply_body(msg_id.decode(), result, failure)])
                else:
                    print("CAST " + json.dumps(request["args"], sort_keys=True), flush=True)


def handle(method, args):
    if method == "inc":
        return args["n"] + 1
    if method == "whoami":
        return "python"
    if method == "fail":
        raise ValueError(args.get("why", "failed"))
    raise AttributeError("no method " + method)


def request(method, args, reply_q=None, timeout=None):
    message = {"method": method, "args": args, "_unique_id": uuid.uuid4().hex}
    if reply_q is not None:
        message.update({"_msg_id": uuid.uuid4().hex, "_reply_q": reply_q, "_timeout": None})
        message = {k: message[k] for k in ("method", "args", "_msg_id", "_reply_q", "_timeout", "_unique_id")}
    return message


def wait_up(socks, seconds=10.0):
    """PING every proxy; return the first that answers PONG."""
    poller = zmq.Poller()
    for s in socks:
        poller.register(s, zmq.POLLIN)
        s.send_multipart([VERSION, b"HELLO", b""])
        s.send_multipart([VERSION, b"PING", b""])
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for s, _ in poller.poll(100):
            if s.recv_multipart()[1] == b"PONG":
                return s
    raise SystemExit("no proxy answered PING")


def call(url, topic, server, method, args, timeout):
    identity, socks = connect(url)
    s = wait_up(socks)
    message = request(method, args, reply_q=identity)
    msg_id = message["_msg_id"]
    s.send_multipart([VERSION, b"CALL", msg_id.encode(), topic.encode(),
                      b"" if server == "-" else server.encode(), str(int(timeout * 1000)).encode(), envelope(message)])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not s.poll(100):
            continue
        frames = s.recv_multipart()
        if frames[0] != VERSION or frames[2].decode() != msg_id:
            continue
        kind = frames[1].decode()
        if kind == "REPLY":
            reply = unwrap(frames[5])
            if not reply.get("ending", True):
                continue  # a heartbeat
            if reply.get("failure"):
                print(json.dumps({"failure": json.loads(reply["failure"])}), flush=True)
            else:
                print(json.dumps({"result": reply["result"]}), flush=True)
            return
        if kind == "NOROUTE":
            print(json.dumps({"noroute": frames[3].decode()}), flush=True)
            return
        if kind == "ERROR":
            print(json.dumps({"error": frames[4].decode()}), flush=True)
            return
    print(json.dumps({"timeout": timeout}), flush=True)


def cast(url, topic, server, method, args):
    identity, socks = connect(url)
    s = wait_up(socks)
    s.send_multipart([VERSION, b"CAST", b"", topic.encode(),
                      b"" if server == "-" else server.encode(), envelope(request(method, args))])
    time.sleep(0.2)  # let ZeroMQ flush before the process exits
    print(json.dumps({"sent": True}), flush=True)


def main(argv):
    mode = argv[1]
    if mode == "server":
        serve(argv[2], argv[3], argv[4])
    elif mode == "call":
        call(argv[2], argv[3], argv[4], argv[5], json.loads(argv[6]), float(argv[7]) if len(argv) > 7 else 10.0)
    elif mode == "cast":
        cast(argv[2], argv[3], argv[4], argv[5], json.loads(argv[6]))
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
