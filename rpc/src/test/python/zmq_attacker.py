"""A hostile peer for jeventlet's ZeroMQ proxy: it speaks docs/PROTOCOL.md (pyzmq)
and tries, over and over until its stdin closes, to speak for other peers.

    zmq_attacker.py URL VICTIM_SERVER_ID VICTIM_CALLER_ID MSG_ID_PREFIX COUNT [KEYS] [--steal]

VICTIM_SERVER_ID and VICTIM_CALLER_ID are the identities (addresses at the proxy)
of a server of topic 't' server 's1' and of a caller; the caller's live message ids
are MSG_ID_PREFIX0 .. MSG_ID_PREFIX<COUNT-1> (the attacker is assumed to know
them). KEYS is 'curve,PUBLIC_Z85,SECRET_Z85,SERVER_Z85' (its own valid key; Z85 has no commas) or
'-'. --steal also REGISTERs itself as (t, s1), which only an ACL can refuse.

It also presents identities that start with a zero byte, the shape of those a
ROUTER makes up for connections that present none (to share one with a later
connection). The attacker registers ('evil', 'e1') as itself, prints READY once the proxy
answered, then repeats every attack; it prints 'ROUNDS n' when stdin closes.
"""
import os
import sys
import time
import uuid

import zmq

V = b"2"


def socket(ctx, url, keys, identity=None):
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.SNDHWM, 100000)
    if identity is not None:
        s.setsockopt(zmq.IDENTITY, identity)
    if keys != "-":
        _, pub, sec, server = keys.split(",")
        s.curve_publickey = pub.encode()
        s.curve_secretkey = sec.encode()
        s.curve_serverkey = server.encode()
    s.connect("tcp://" + url[len("zmq://"):])
    return s


def main(argv):
    url, server_id, caller_id, prefix, count, keys = argv[1:7]
    steal = "--steal" in argv
    server_id, caller_id = server_id.encode(), caller_id.encode()
    ids = [(prefix + str(i)).encode() for i in range(int(count))]
    ctx = zmq.Context.instance()
    home = socket(ctx, url, keys, ("atk-" + uuid.uuid4().hex).encode())
    home.send_multipart([V, b"HELLO", b""])
    home.send_multipart([V, b"REGISTER", b"", b"evil", b"e1", b"60000"])
    # Identity takeover: connections presenting the victims' identities.
    takeovers = [socket(ctx, url, keys, server_id), socket(ctx, url, keys, caller_id)]
    # A CurveZMQ handshake costs the proxy a key agreement and a ZAP round trip: on a loaded
    # machine a handful at once take many seconds, hence the generous wait.
    deadline = time.monotonic() + 50
    while time.monotonic() < deadline:
        if home.poll(100) and home.recv_multipart()[1] == b"REGISTERED":
            break
    else:
        raise SystemExit("the proxy never answered REGISTERED")
    # Identities of the ROUTER's own making (a zero byte, then a number), once the home is in.
    squatters = [socket(ctx, url, keys, b"\x00" + os.urandom(4)) for _ in range(4)]
    print("READY", flush=True)
    rounds = 0
    import select
    end = time.monotonic() + 120
    while time.monotonic() < end:
        if select.select([sys.stdin], [], [], 0)[0] and not sys.stdin.readline():
            break
        for t in takeovers:
            # As the victim: say HELLO (to be its home), unregister its server, ping.
            t.send_multipart([V, b"HELLO", b""])
            t.send_multipart([V, b"UNREGISTER", b"", b"t", b"s1"])
            t.send_multipart([V, b"REGISTER", b"", b"t", b"s1", b"60000"])
        for t in squatters:
            t.send_multipart([V, b"HELLO", b""])
            t.send_multipart([V, b"UNREGISTER", b"", b"t", b"s1"])
            t.send_multipart([V, b"REPLY", ids[0], b"1", b'"' + ids[0] + b'|evil:squatted"'])
        # Version 1 frames that named a peer in frame 3: refused as another version now.
        home.send_multipart([b"1", b"UNREGISTER", b"", server_id, b"t", b"s1"])
        home.send_multipart([b"1", b"REGISTER", b"", caller_id, b"t", b"s1", b"60000"])
        # Version 2 has no frame to name another peer: these touch only the attacker's own.
        home.send_multipart([V, b"UNREGISTER", b"", b"t", b"s1"])
        home.send_multipart([V, b"ATTACH", b"", b"0" * 32])
        if steal:
            home.send_multipart([V, b"REGISTER", b"", b"t", b"s1", b"60000"])
        for msg_id in ids:
            home.send_multipart([V, b"REPLY", msg_id, b"1", b'"' + msg_id + b'|evil:forged"'])
            home.send_multipart([V, b"ERROR", msg_id, b"forged refusal"])
            # Unparseable messages carrying a live id (and naming the caller, as version 1 let them).
            home.send_multipart([V, b"CALL", msg_id, caller_id, b"t"])
            home.send_multipart([b"1", b"CALL", msg_id, caller_id, b"t", b"", b"{}"])
        # Drain whatever came back (answers to the attacker itself).
        while home.poll(0):
            home.recv_multipart()
        for t in takeovers + squatters:
            while t.poll(0):
                t.recv_multipart()
        rounds += 1
        time.sleep(0.01)
    print("ROUNDS %d" % rounds, flush=True)


if __name__ == "__main__":
    main(sys.argv)
