"""A Python oslo.messaging service whose RPC client reports to oslo.metrics.

Run by OsloMetricsCollectorTest beside a Java service: it serves topic
'pytopic' on the fake:// bus and calls it, with metrics_enabled, so the
oslo-metrics collector at argv[1] counts its client invocations under
process=argv[2]. Usage: oslo_metrics_peer.py SOCKET PROCESS CALLS
"""
import sys
import time

from oslo_config import cfg
import oslo_messaging as om


class Calc(object):
    def add(self, ctx, a, b):
        return a + b


def main():
    socket_file, process, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
    conf = cfg.CONF
    conf([], project='oslo-metrics-peer')
    conf.set_override('metrics_enabled', True, group='oslo_messaging_metrics')
    conf.set_override('metrics_socket_file', socket_file, group='oslo_messaging_metrics')
    conf.set_override('metrics_process_name', process, group='oslo_messaging_metrics')
    conf.set_override('metrics_thread_stop_timeout', 1, group='oslo_messaging_metrics')
    transport = om.get_rpc_transport(conf, url='fake://')
    server = om.get_rpc_server(transport, om.Target(topic='pytopic', server='pyhost'), [Calc()],
                               executor='threading')
    server.start()
    client = om.get_rpc_client(transport, om.Target(topic='pytopic'), timeout=5) \
        if hasattr(om, 'get_rpc_client') else om.RPCClient(transport, om.Target(topic='pytopic'), timeout=5)
    for _ in range(calls):
        assert client.call({}, 'add', a=1, b=2) == 3
    server.stop()
    server.wait()
    # The metrics sender thread ends metrics_thread_stop_timeout after its last send.
    from oslo_messaging._metrics import client as metrics_client
    collector = metrics_client.METRICS_COLLECTOR
    deadline = time.time() + 20
    while collector is not None and (not collector.tx_queue.empty()
                                     or collector.next_send_metric is not None):
        if time.time() > deadline:
            print('metrics not flushed', file=sys.stderr)
            return 1
        time.sleep(0.05)
    print('DONE', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
