// A TCP proxy that holds every chunk for a fixed time in each direction, for bench/commit-pg.sh:
// the network between the `serve` nodes and PostgreSQL, which a real deployment has (the
// database on another machine) and one loopback does not. tc netem would be the usual tool, but
// this machine's kernel has no netem qdisc ("Specified qdisc kind is unknown"). Not part of the
// product.
//   node bench/delay-proxy.js LISTEN_PORT TARGET_PORT ONE_WAY_MS
// Prints "ready" once listening. Chunks keep their order (timers of equal delay fire in order).
'use strict';
const net = require('node:net');

const [listenPort, targetPort, delayMs] = process.argv.slice(2).map(Number);
if (!listenPort || !targetPort || !(delayMs >= 0)) {
	console.error('usage: node bench/delay-proxy.js LISTEN_PORT TARGET_PORT ONE_WAY_MS');
	process.exit(2);
}

// Forwards from one socket to the other `delayMs` after each chunk arrived.
function pipeLate(from, to) {
	from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
	from.on('end', () => setTimeout(() => to.end(), delayMs));
	from.on('error', () => to.destroy());
}

net.createServer((client) => {
	client.setNoDelay(true);
	const server = net.connect(targetPort, '127.0.0.1');
	server.setNoDelay(true);
	pipeLate(client, server);
	pipeLate(server, client);
}).listen(listenPort, '127.0.0.1', () => console.log('ready'));
