// Exits 0 if a TCP connection to the PostgreSQL of the given URL opens within 5 s.
// No dependencies: it runs before `npm install`.
import net from 'node:net';

const url = new URL(process.argv[2]);
const socket = net.connect({ host: url.hostname || '127.0.0.1', port: Number(url.port || 5432) });
socket.setTimeout(5000);
socket.on('connect', () => {
  socket.end();
  process.exit(0);
});
const fail = () => process.exit(1);
socket.on('timeout', fail);
socket.on('error', fail);
