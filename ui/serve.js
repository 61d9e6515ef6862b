// Local UI server for `./hopflow start`: adapter-node's handler on plain HTTP, with the request origin taken
// from the Host header the browser sent. SvelteKit's CSRF check then accepts form posts whether the UI is opened
// as localhost or 127.0.0.1, without pinning ORIGIN. Deployments behind a proxy run build/index.js with ORIGIN.
import http from 'node:http';

process.env.PROTOCOL_HEADER = 'x-hopflow-proto';
const { handler } = await import('./build/handler.js');

const server = http.createServer((req, res) => {
  // This server only speaks plain HTTP, so that is the protocol, whatever a client claims.
  req.headers['x-hopflow-proto'] = 'http';
  handler(req, res);
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => console.log(`UI listening on http://${host}:${port}`));

function stop() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
