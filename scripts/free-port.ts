import { findFreePorts } from '../temporal/free-port';

/** Prints N distinct free TCP ports on 127.0.0.1, space separated (for test scripts). */
async function main() {
  const ports = await findFreePorts(Number(process.argv[2] ?? 1));
  process.stdout.write(ports.join(' ') + '\n');
}

void main();
