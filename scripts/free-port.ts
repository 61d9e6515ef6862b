import net from 'node:net';

/** Prints N free TCP ports on 127.0.0.1, space separated (for test scripts). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function main() {
  const count = Number(process.argv[2] ?? 1);
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  process.stdout.write([...ports].join(' ') + '\n');
}

void main();
