"""A Python oslo.messaging peer for EnvelopeOsloTest.

encode: prints, as one JSON object, envelopes made by oslo.messaging's own
        serializer (serialize_msg, serialize_remote_exception) exactly as its
        AMQP driver builds a call, a cast, a reply, a heartbeat and a failure.
decode: reads a JSON object of envelopes made by jeventlet from stdin and
        prints what oslo.messaging's deserialize_msg, unpack_context,
        _MsgIdCache and deserialize_remote_exception make of them.
"""
import json
import sys

from oslo_messaging._drivers import amqp as rpc_amqp
from oslo_messaging._drivers import common


def env(msg):
    return json.dumps(common.serialize_msg(msg))


def encode():
    call = {'method': 'routers_updated', 'args': {'router_id': 'r1', 'count': 3, 'big': 2 ** 70,
                                                   'ratio': 0.5, 'tags': ['a', None, True]},
            'namespace': 'l3', 'version': '1.3'}
    call.update({'_msg_id': 'm' * 32, '_reply_q': 'reply_' + 'q' * 32, '_timeout': 20})
    call['_unique_id'] = 'u' * 32
    rpc_amqp.pack_context(call, {'request_id': 'req-1', 'auth_token': 'secret-tok', 'user_id': None})
    cast = {'method': 'ping', 'args': {}}
    cast['_unique_id'] = 'c' * 32
    rpc_amqp.pack_context(cast, {})
    reply = {'result': {'routers': [1, 2]}, 'failure': None, 'ending': True, '_msg_id': 'm' * 32,
             '_unique_id': 'r' * 32}
    heartbeat = {'result': None, 'failure': None, 'ending': False, '_msg_id': 'm' * 32, '_unique_id': 'h' * 32}
    try:
        raise ValueError('bad router r1')
    except ValueError:
        failure = common.serialize_remote_exception(sys.exc_info())
    failed = {'result': None, 'failure': failure, 'ending': True, '_msg_id': 'm' * 32, '_unique_id': 'f' * 32}
    print(json.dumps({'call': env(call), 'cast': env(cast), 'reply': env(reply), 'heartbeat': env(heartbeat),
                      'failure': env(failed)}))


def decode():
    ours = json.load(sys.stdin)
    out = {}
    for name, text in ours.items():
        msg = common.deserialize_msg(json.loads(text))
        seen = {'fields': sorted(msg.keys())}
        if 'method' in msg:
            cache = rpc_amqp._MsgIdCache()
            seen['unique_id'] = cache.check_duplicate_message(msg)
            ctx = rpc_amqp.unpack_context(msg)
            seen['context'] = ctx.to_dict()
            seen['msg_id'] = ctx.msg_id
            seen['reply_q'] = ctx.reply_q
            seen['client_timeout'] = ctx.values.get('client_timeout')
            if ctx.values.get('client_timeout') is not None:
                seen['heartbeat_interval'] = int(ctx.values['client_timeout']) / 2
            seen['method'] = msg['method']
            seen['args'] = msg['args']
            seen['namespace'] = msg.get('namespace')
            seen['version'] = msg.get('version')
        else:
            seen['unique_id'] = msg.get('_unique_id')
            seen['msg_id'] = msg.get('_msg_id')
            seen['ending'] = msg.get('ending')
            seen['result'] = msg.get('result')
            if msg.get('failure'):
                err = common.deserialize_remote_exception(msg['failure'], [])
                seen['failure'] = {'type': type(err).__name__, 'exc_type': err.exc_type, 'value': err.value,
                                   'traceback': err.traceback}
        out[name] = seen
    print(json.dumps(out))


if __name__ == '__main__':
    {'encode': encode, 'decode': decode}[sys.argv[1]]()
